"""Exercises of notebook 07 (batch normalization): the four steps, moving averages, parameters."""

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)


def _example():
    rng = np.random.default_rng(7)
    x = rng.normal([4.0, -1.0, 0.0, 10.0], [2.0, 0.05, 1.0, 3.0], size=(6, 4))
    gamma = np.array([1.5, 0.5, 2.0, 1.0])
    beta = np.array([0.1, -0.2, 0.0, 1.0])
    return x, gamma, beta


def _bn(x, gamma, beta, eps=1e-3, axis=0, ddof=0, use_eps=True, affine=True, sqrt=True):
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, ddof=ddof, keepdims=True)
    denominator = var + (eps if use_eps else 0.0)
    x_hat = (x - mean) / (np.sqrt(denominator) if sqrt else denominator)
    return gamma * x_hat + beta if affine else x_hat


@register(
    "07.1",
    title_en="Batch normalization by hand",
    title_ko="배치 정규화 직접 구현하기",
    question_en="""
        Write batch_norm(x, gamma, beta, eps=1e-3): batch normalization in training mode for a
        2-D batch x (rows = samples, columns = features), returning the output of the four steps.
    """,
    question_ko="""
        2차원 배치 x(행 = 샘플, 열 = 피처)에 학습 모드의 배치 정규화(batch normalization)를
        적용해 네 단계를 거친 출력을 돌려주는 함수 batch_norm(x, gamma, beta, eps=1e-3)을
        작성하세요.
    """,
    solution_en="""
        import numpy as np

        def batch_norm(x, gamma, beta, eps=1e-3):
            mean = x.mean(axis=0)                   # 1. per feature, over the batch
            var = x.var(axis=0)                     # 2. biased variance (divide by m)
            x_hat = (x - mean) / np.sqrt(var + eps)  # 3. normalize
            return gamma * x_hat + beta             # 4. scale and shift

        answer = batch_norm
    """,
    solution_ko="""
        import numpy as np

        def batch_norm(x, gamma, beta, eps=1e-3):
            mean = x.mean(axis=0)                   # 1. 피처마다, 배치에 걸쳐
            var = x.var(axis=0)                     # 2. m으로 나눈 분산(biased variance)
            x_hat = (x - mean) / np.sqrt(var + eps)  # 3. 정규화
            return gamma * x_hat + beta             # 4. 비례(scale)와 이동(shift)

        answer = batch_norm
    """,
)
def batch_norm_function(answer):
    x, gamma, beta = _example()
    try:
        result = call_answer(answer, x.copy(), gamma.copy(), beta.copy())
    except AnswerFailed as failed:
        return failed.verdict
    try:
        result = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        kind = type(result).__name__
        return wrong(
            en=f"batch_norm returned {kind}, not an array.",
            ko=f"batch_norm이 배열이 아니라 {kind} 값을 돌려주었습니다.",
            hint_en="Return gamma * x_hat + beta.",
            hint_ko="gamma * x_hat + beta를 돌려주세요.",
        )
    if result.shape != x.shape:
        return wrong(
            en=f"The output has shape {result.shape}; the input had shape {x.shape}.",
            ko=f"출력의 모양(shape)은 {result.shape}인데, 입력의 모양은 {x.shape}였습니다.",
            hint_en="Batch normalization keeps the shape: one output per input value.",
            hint_ko="배치 정규화는 모양을 바꾸지 않습니다: 입력값 하나마다 출력이 하나입니다.",
        )
    if np.allclose(result, _bn(x, gamma, beta), atol=1e-6):
        return correct(
            en="mean and biased variance over the batch (axis 0), normalize with eps "
            "inside the square root, then scale by gamma and shift by beta.",
            ko="배치 방향(axis 0)으로 평균과 m으로 나눈 분산을 구하고, 제곱근 안에 eps를 넣어 "
            "정규화한 다음 gamma로 비례 조정하고 beta만큼 이동했습니다.",
        )
    mistakes = [
        (
            dict(axis=1),
            wrong(
                en="You normalized each ROW (sample) over its features.",
                ko="각 행(샘플)을 그 행의 피처들에 걸쳐 정규화했습니다.",
                hint_en="BN normalizes each feature over the batch: use axis=0.",
                hint_ko="배치 정규화(BN)는 피처마다 배치에 걸쳐 정규화합니다: axis=0을 쓰세요.",
            ),
        ),
        (
            dict(ddof=1),
            wrong(
                en="You used the sample variance (ddof=1).",
                ko="표본 분산(ddof=1)을 썼습니다.",
                hint_en="BN uses the biased variance: divide by m, np.var's default ddof=0.",
                hint_ko="BN은 m으로 나눈 분산을 씁니다: np.var의 기본값인 ddof=0입니다.",
            ),
        ),
        (
            dict(use_eps=False),
            wrong(
                en="You left out eps.",
                ko="eps를 빠뜨렸습니다.",
                hint_en="Divide by np.sqrt(var + eps): eps keeps a constant feature from "
                "dividing by zero.",
                hint_ko="np.sqrt(var + eps)로 나누세요: eps는 값이 일정한 피처에서 0으로 나누는 "
                "일을 막아 줍니다.",
            ),
        ),
        (
            dict(affine=False),
            wrong(
                en="You stopped after step 3: no scale and shift.",
                ko="3단계에서 멈췄습니다: 비례 조정(scale)과 이동(shift)이 없습니다.",
                hint_en="Step 4: return gamma * x_hat + beta.",
                hint_ko="4단계: gamma * x_hat + beta를 돌려주세요.",
            ),
        ),
        (
            dict(sqrt=False),
            wrong(
                en="You divided by the variance instead of the standard deviation.",
                ko="표준편차 대신 분산으로 나누었습니다.",
                hint_en="Divide by np.sqrt(var + eps).",
                hint_ko="np.sqrt(var + eps)로 나누세요.",
            ),
        ),
    ]
    for options, verdict in mistakes:
        if np.allclose(result, _bn(x, gamma, beta, **options), atol=1e-6):
            return verdict
    if np.allclose(result, _bn(x, beta, gamma), atol=1e-6):
        return wrong(
            en="gamma and beta are swapped.",
            ko="gamma와 beta가 뒤바뀌었습니다.",
            hint_en="gamma scales, beta shifts: gamma * x_hat + beta.",
            hint_ko="gamma는 비례 조정, beta는 이동을 맡습니다: gamma * x_hat + beta.",
        )
    return wrong(
        en="The output differs from batch normalization in training mode.",
        ko="출력이 학습 모드의 배치 정규화와 다릅니다.",
        hint_en="Four steps: mean, variance (axis=0), (x - mean) / sqrt(var + eps), "
        "gamma * x_hat + beta.",
        hint_ko="네 단계: 평균, 분산(axis=0), (x - mean) / sqrt(var + eps), gamma * x_hat + beta.",
    )


@register(
    "07.2",
    title_en="The moving mean after one batch",
    title_ko="배치 하나를 본 뒤의 이동 평균",
    question_en="""
        A fresh BatchNormalization() layer (momentum 0.99, moving mean starting at 0) sees one
        training batch whose mean for a feature is 5.0. What is that feature's moving mean
        afterwards?
    """,
    question_ko="""
        새로 만든 BatchNormalization() 층(momentum 0.99, 이동 평균(moving mean)은 0에서
        시작)이 학습 배치 하나를 봅니다. 이 배치에서 어떤 피처의 평균은 5.0입니다. 그 뒤
        이 피처의 이동 평균은 얼마입니까?
    """,
    solution_en="""
        momentum = 0.99
        answer = momentum * 0.0 + (1 - momentum) * 5.0
    """,
)
def moving_mean_after_one_batch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if np.isclose(number, 0.05):
        return correct(
            en="0.99 × 0 + 0.01 × 5.0 = 0.05: the average moves only 1% of the way.",
            ko="0.99 × 0 + 0.01 × 5.0 = 0.05: 이동 평균은 배치 평균 쪽으로 1%만 움직입니다.",
        )
    update_rule = dict(
        hint_en="moving = momentum * moving + (1 - momentum) * batch_mean.",
        hint_ko="moving = momentum * moving + (1 - momentum) * batch_mean입니다.",
    )
    known = {
        4.95: wrong(
            en="You swapped the weights: the OLD value keeps the share `momentum`.",
            ko="두 비율을 바꿔 썼습니다: 비율 `momentum`만큼 남는 것은 이전 값입니다.",
            **update_rule,
        ),
        5.0: wrong(
            en="That is the batch mean itself; the moving average only moves towards it.",
            ko="그것은 배치 평균 자체입니다. 이동 평균은 그쪽으로 조금 움직일 뿐입니다.",
            hint_en="moving = 0.99 * 0 + 0.01 * 5.0.",
            hint_ko="moving = 0.99 * 0 + 0.01 * 5.0입니다.",
        ),
        0.0: wrong(
            en="The moving mean does change in training mode.",
            ko="학습 모드에서는 이동 평균도 바뀝니다.",
            hint_en="Every training batch updates it: moving = 0.99 * moving + 0.01 * batch_mean.",
            hint_ko="학습 배치마다 갱신됩니다: moving = 0.99 * moving + 0.01 * batch_mean.",
        ),
        2.5: wrong(
            en="That is a plain average of 0 and 5; BN weights the old value with the momentum.",
            ko="그것은 0과 5의 단순 평균입니다. BN은 이전 값에 momentum만큼 가중치를 줍니다.",
            hint_en="moving = 0.99 * moving + 0.01 * batch_mean.",
            hint_ko="moving = 0.99 * moving + 0.01 * batch_mean입니다.",
        ),
    }
    return wrong_if_known(
        number,
        known,
        otherwise=wrong(
            en=f"{number:g} is not the moving mean.",
            ko=f"이동 평균이 아닙니다: {number:g}",
            **update_rule,
        ),
    )


@register(
    "07.3",
    title_en="Trainable parameters of BatchNormalization",
    title_ko="BatchNormalization의 학습 가능한 파라미터",
    question_en="""
        BatchNormalization() after a Dense(64) layer: how many of its parameters are trainable?
    """,
    question_ko="""
        Dense(64) 층 뒤의 BatchNormalization(): 이 층의 파라미터 중 학습 가능한 것은 몇
        개입니까?
    """,
    solution_en="""
        features = 64
        answer = 2 * features  # gamma and beta, one each per feature
    """,
    solution_ko="""
        features = 64
        answer = 2 * features  # 피처마다 gamma와 beta가 하나씩
    """,
)
def trainable_bn_parameters(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == 128:
        return correct(
            en="gamma and beta, one of each per feature: 2 × 64 = 128. The moving mean "
            "and variance (another 128) are not trained.",
            ko="피처마다 gamma와 beta가 하나씩: 2 × 64 = 128. 이동 평균과 이동 분산(또 128개)은 "
            "학습되지 않습니다.",
        )
    known = {
        256: wrong(
            en="256 counts the moving mean and variance too; they are updated by averaging, "
            "not by gradients.",
            ko="256은 이동 평균과 이동 분산까지 센 값입니다. 이 둘은 기울기가 아니라 평균을 "
            "내어 갱신됩니다.",
            hint_en="Count only gamma and beta.",
            hint_ko="gamma와 beta만 세세요.",
        ),
        64: wrong(
            en="Each feature has TWO learned parameters.",
            ko="피처마다 학습되는 파라미터가 두 개 있습니다.",
            hint_en="gamma (scale) and beta (shift).",
            hint_ko="gamma(비례)와 beta(이동)입니다.",
        ),
        2: wrong(
            en="Not two in all: two per feature.",
            ko="전부 합쳐 두 개가 아니라, 피처마다 두 개입니다.",
            hint_en="The layer normalizes 64 features.",
            hint_ko="이 층은 피처 64개를 정규화합니다.",
        ),
        4: wrong(
            en="The layer has four weight arrays, each with one entry per feature; only two are "
            "trained.",
            ko="이 층에는 피처마다 값이 하나씩인 가중치 배열이 네 개 있고, 그중 두 개만 "
            "학습됩니다.",
            hint_en="Count the entries of gamma and beta.",
            hint_ko="gamma와 beta의 원소를 세세요.",
        ),
        0: wrong(
            en="gamma and beta are learned by gradient descent.",
            ko="gamma와 beta는 경사 하강법으로 학습됩니다.",
            hint_en="Count their entries.",
            hint_ko="그 원소를 세세요.",
        ),
    }
    return wrong_if_known(
        number,
        known,
        otherwise=wrong(
            en=f"{number:g} is not the count.",
            ko=f"개수는 {number:g}개가 아닙니다.",
            hint_en="gamma and beta: one entry per feature each.",
            hint_ko="gamma와 beta는 각각 피처마다 원소가 하나씩입니다.",
        ),
        rtol=0,
        atol=0,
    )


# ----- 07.4: the backward pass ------------------------------------------------------------------


def _backward_example():
    rng = np.random.default_rng(11)
    x = rng.normal([2.0, -1.0, 0.0, 5.0], [1.5, 0.3, 1.0, 2.0], size=(6, 4))
    gamma = np.array([1.5, 0.5, 2.0, -1.0])
    grad = rng.normal(size=(6, 4))
    return x, gamma, grad


def _layer_backward(x, gamma, grad, eps=1e-3):
    """The library layer's own gradients, in float64: the reference the learner is held to."""
    from dlcourse.layers import BatchNormalization

    layer = BatchNormalization(epsilon=eps, dtype="float64")
    layer.build(x.shape)
    features = x.shape[1]
    layer.set_weights([gamma, np.zeros(features), np.zeros(features), np.ones(features)])
    _, cache = layer.forward(x, training=True)
    grad_x, (grad_gamma, grad_beta) = layer.backward(grad, cache)
    return grad_x, grad_gamma, grad_beta


def _numerical_backward(x, gamma, grad, eps=1e-3):
    """Central differences of sum(grad * batch_norm(x)) in x and in gamma (beta is exact)."""
    from dlcourse.gradcheck import numerical_gradient

    x, gamma = x.copy(), gamma.copy()

    def loss():
        return (grad * _bn(x, gamma, 0.0, eps)).sum()

    return numerical_gradient(loss, x), numerical_gradient(loss, gamma), grad.sum(axis=0)


def _backward_variants(x, gamma, grad, eps=1e-3):
    """Typical mistakes, as (gradients, verdict) pairs, built when the answer is checked."""
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    g = grad * gamma
    full = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) * inv_std
    grad_gamma, grad_beta = (grad * x_hat).sum(axis=0), grad.sum(axis=0)
    chain = dict(
        hint_en="grad_x = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / "
        "np.sqrt(var + eps), with g = grad * gamma.",
        hint_ko="grad_x = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / "
        "np.sqrt(var + eps), 여기서 g = grad * gamma입니다.",
    )
    return [
        (
            (g * inv_std, grad_gamma, grad_beta),
            wrong(
                en="Your grad_x treats the batch mean and variance as constants: that is "
                "the gradient of inference mode, not of training mode.",
                ko="grad_x에서 배치 평균과 분산을 상수로 다루었습니다: 그것은 학습 모드가 "
                "아니라 추론 모드의 기울기입니다.",
                **chain,
            ),
        ),
        (
            ((g - g.mean(axis=0)) * inv_std, grad_gamma, grad_beta),
            wrong(
                en="Your grad_x has the batch mean's term but not the variance's: "
                "the variance depends on every x too.",
                ko="grad_x에 배치 평균의 항은 있지만 분산의 항이 없습니다: 분산도 모든 x에 "
                "따라 달라집니다.",
                **chain,
            ),
        ),
        (
            ((g - x_hat * (g * x_hat).mean(axis=0)) * inv_std, grad_gamma, grad_beta),
            wrong(
                en="Your grad_x has the variance's term but not the batch mean's: "
                "subtract g.mean(axis=0) too.",
                ko="grad_x에 분산의 항은 있지만 배치 평균의 항이 없습니다: g.mean(axis=0)도 "
                "빼세요.",
                **chain,
            ),
        ),
        (
            (
                (grad - grad.mean(axis=0) - x_hat * (grad * x_hat).mean(axis=0)) * inv_std,
                grad_gamma,
                grad_beta,
            ),
            wrong(
                en="Your grad_x leaves out gamma: the gradient reaches x_hat through "
                "y = gamma * x_hat + beta, so it is multiplied by gamma first.",
                ko="grad_x에 gamma가 빠졌습니다: 기울기는 y = gamma * x_hat + beta를 거쳐 "
                "x_hat에 닿으므로 먼저 gamma가 곱해집니다.",
                hint_en="Start from g = grad * gamma.",
                hint_ko="g = grad * gamma에서 시작하세요.",
            ),
        ),
        (
            (full, (grad * x).sum(axis=0), grad_beta),
            wrong(
                en="Your grad_gamma uses x; gamma multiplies the normalized x_hat.",
                ko="grad_gamma에 x를 썼습니다. gamma가 곱해지는 것은 정규화된 x_hat입니다.",
                hint_en="grad_gamma = (grad * x_hat).sum(axis=0).",
                hint_ko="grad_gamma = (grad * x_hat).sum(axis=0)입니다.",
            ),
        ),
        (
            (full, grad_beta, grad_gamma),
            wrong(
                en="grad_gamma and grad_beta are swapped.",
                ko="grad_gamma와 grad_beta가 뒤바뀌었습니다.",
                hint_en="Return (grad_x, grad_gamma, grad_beta), in this order.",
                hint_ko="(grad_x, grad_gamma, grad_beta) 순서로 돌려주세요.",
            ),
        ),
        (
            (full, grad_gamma / len(x), grad_beta / len(x)),
            wrong(
                en="You averaged grad_gamma and grad_beta over the batch; they are sums.",
                ko="grad_gamma와 grad_beta를 배치에 걸쳐 평균했습니다. 둘은 합입니다.",
                hint_en="Every row of the batch adds its share: use .sum(axis=0).",
                hint_ko="배치의 모든 행이 자기 몫을 더합니다: .sum(axis=0)을 쓰세요.",
            ),
        ),
    ]


def _as_gradients(result, x):
    """The learner's (grad_x, grad_gamma, grad_beta) as float arrays, or a wrong verdict."""
    shapes = [x.shape, x.shape[1:], x.shape[1:]]
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        kind = type(result).__name__
        raise AnswerFailed(
            wrong(
                en=f"batch_norm_backward returned {kind}, not three arrays.",
                ko=f"batch_norm_backward가 배열 세 개가 아니라 {kind} 값을 돌려주었습니다.",
                hint_en="return grad_x, grad_gamma, grad_beta",
                hint_ko="return grad_x, grad_gamma, grad_beta로 돌려주세요.",
            )
        )
    arrays = []
    for name, value, shape in zip(("grad_x", "grad_gamma", "grad_beta"), result, shapes):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            array = None
        if array is None or array.shape != shape:
            got = "no array" if array is None else f"shape {array.shape}"
            raise AnswerFailed(
                wrong(
                    en=f"{name} should have shape {shape}; yours has {got}.",
                    ko=f"{name}의 모양(shape)은 {shape}이어야 하는데, 답은 {got}입니다.",
                    hint_en="grad_x is shaped like x; grad_gamma and grad_beta have one "
                    "entry per feature (sum over the batch, axis 0).",
                    hint_ko="grad_x는 x와 모양이 같고, grad_gamma와 grad_beta는 피처마다 "
                    "값이 하나입니다(배치 방향 axis 0으로 합).",
                )
            )
        arrays.append(array)
    return arrays


def _close(arrays, reference):
    return all(np.allclose(a, r, rtol=1e-6, atol=1e-8) for a, r in zip(arrays, reference))


@register(
    "07.4",
    title_en="The backward pass of batch normalization",
    title_ko="배치 정규화의 역전파",
    question_en="""
        Write batch_norm_backward(x, gamma, grad, eps=1e-3): for a 2-D batch x in training
        mode, given gamma and grad (the gradient of the loss with respect to the output),
        return (grad_x, grad_gamma, grad_beta). It is checked against the BatchNormalization
        layer's backward pass and a numerical gradient.
    """,
    question_ko="""
        학습 모드의 2차원 배치 x에 대해, gamma와 grad(출력에 대한 손실의 기울기)가 주어지면
        (grad_x, grad_gamma, grad_beta)를 돌려주는 함수 batch_norm_backward(x, gamma, grad,
        eps=1e-3)를 작성하세요. BatchNormalization 층의 역전파(backward pass) 및 수치
        기울기와 비교해 채점합니다.
    """,
    solution_en="""
        import numpy as np

        def batch_norm_backward(x, gamma, grad, eps=1e-3):
            inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
            x_hat = (x - x.mean(axis=0)) * inv_std
            grad_gamma = (grad * x_hat).sum(axis=0)     # y = gamma * x_hat + beta
            grad_beta = grad.sum(axis=0)
            g = grad * gamma                            # the gradient at x_hat
            # mean and variance depend on every row: one correction term for each
            grad_x = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) * inv_std
            return grad_x, grad_gamma, grad_beta

        answer = batch_norm_backward
    """,
    solution_ko="""
        import numpy as np

        def batch_norm_backward(x, gamma, grad, eps=1e-3):
            inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
            x_hat = (x - x.mean(axis=0)) * inv_std
            grad_gamma = (grad * x_hat).sum(axis=0)     # y = gamma * x_hat + beta에서
            grad_beta = grad.sum(axis=0)
            g = grad * gamma                            # x_hat에서의 기울기
            # 평균과 분산이 모든 행에 따라 달라지므로 보정 항이 하나씩
            grad_x = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) * inv_std
            return grad_x, grad_gamma, grad_beta

        answer = batch_norm_backward
    """,
)
def batch_norm_backward_function(answer):
    x, gamma, grad = _backward_example()
    try:
        result = call_answer(answer, x.copy(), gamma.copy(), grad.copy())
        arrays = _as_gradients(result, x)
    except AnswerFailed as failed:
        return failed.verdict
    layer, numerical = _layer_backward(x, gamma, grad), _numerical_backward(x, gamma, grad)
    if _close(arrays, layer) and _close(arrays, numerical):
        return correct(
            en="your three gradients equal the layer's backward pass and the numerical "
            "gradient. The two extra terms in grad_x are there because the batch mean and "
            "variance depend on every row.",
            ko="세 기울기가 층의 역전파 및 수치 기울기와 같습니다. grad_x의 두 추가 항은 배치 "
            "평균과 분산이 모든 행에 따라 달라지기 때문에 생깁니다.",
        )
    for gradients, verdict in _backward_variants(x, gamma, grad):
        if _close(arrays, gradients):
            return verdict
    wrong_parts = [
        name
        for name, mine, reference in zip(("grad_x", "grad_gamma", "grad_beta"), arrays, layer)
        if not np.allclose(mine, reference, rtol=1e-6, atol=1e-8)
    ]
    names = ", ".join(wrong_parts)
    return wrong(
        en=f"{names} differ from the layer's backward pass and the numerical gradient.",
        ko=f"{names}: 층의 역전파 및 수치 기울기와 다릅니다.",
        hint_en="Compute x_hat as in the forward pass; grad_gamma = (grad * x_hat).sum(axis=0), "
        "grad_beta = grad.sum(axis=0); for grad_x start from g = grad * gamma.",
        hint_ko="순전파처럼 x_hat을 구하세요; grad_gamma = (grad * x_hat).sum(axis=0), "
        "grad_beta = grad.sum(axis=0); grad_x는 g = grad * gamma에서 시작하세요.",
    )


# ----- 07.5: an experiment, BN after the activation ---------------------------------------------

AFTER_RELU_SEEDS = (0, 1)
AFTER_RELU_EPOCHS = 10
AFTER_RELU_PASS = 0.85


def _digits_for_experiment():
    from dlcourse.datasets import load_digits

    (x_all, y_all), (x_val, y_val), _ = load_digits()
    return x_all[:500], y_all[:500], x_val, y_val


def _is_relu(layer):
    config = layer.get_config()
    return type(layer).__name__ == "ReLU" or config.get("activation") == "relu"


def _after_relu_problem(model):
    """A wrong verdict if `model` is not the network asked for, else None."""
    from dlcourse.layers import BatchNormalization

    layers = list(getattr(model, "layers", []))
    norms = [i for i, layer in enumerate(layers) if isinstance(layer, BatchNormalization)]
    if not norms:
        return wrong(
            en="Your network has no BatchNormalization layer.",
            ko="네트워크에 BatchNormalization 층이 없습니다.",
            hint_en="After each Dense(64, activation='relu'), add "
            "BatchNormalization(momentum=0.9).",
            hint_ko="Dense(64, activation='relu')마다 그 뒤에 BatchNormalization(momentum=0.9)를 "
            "추가하세요.",
        )
    if any(i == 0 or not _is_relu(layers[i - 1]) for i in norms):
        return wrong(
            en="A BatchNormalization layer of yours comes before the ReLU, not after it: "
            "that is the notebook's placement.",
            ko="BatchNormalization 층 중 하나가 ReLU 뒤가 아니라 앞에 있습니다: 그것은 "
            "노트북에서 쓴 위치입니다.",
            hint_en="Each hidden block: Dense(64, activation='relu'), then "
            "BatchNormalization(momentum=0.9).",
            hint_ko="각 은닉 블록: Dense(64, activation='relu') 다음에 "
            "BatchNormalization(momentum=0.9).",
        )
    hidden = [layer for layer in layers if _is_relu(layer)]
    if len(norms) != 5 or len(hidden) != 5:
        return wrong(
            en=f"Your network has {len(hidden)} hidden ReLU blocks with "
            f"{len(norms)} BatchNormalization layers; the experiment needs 5 of each.",
            ko=f"네트워크의 은닉 ReLU 블록은 {len(hidden)}개, BatchNormalization 층은 "
            f"{len(norms)}개입니다. 이 실험에는 각각 5개가 필요합니다.",
            hint_en="Add the two layers in a loop: for _ in range(5): ...",
            hint_ko="반복문으로 두 층을 추가하세요: for _ in range(5): ...",
        )
    momenta = {layers[i].momentum for i in norms}
    if momenta != {0.9}:
        return wrong(
            en=f"Your BatchNormalization layers use momentum {sorted(momenta)}; use 0.9 as "
            f"the notebook does: with Keras's default 0.99 the moving averages still lag "
            f"after these short runs, and validation measures the lag.",
            ko=f"BatchNormalization 층의 momentum이 {sorted(momenta)}입니다. 노트북처럼 0.9를 "
            f"쓰세요: Keras 기본값 0.99로는 이렇게 짧은 학습 뒤에도 이동 평균이 아직 뒤처져 "
            f"있어서, 검증 점수가 그 지연을 재게 됩니다.",
            hint_en="BatchNormalization(momentum=0.9).",
            hint_ko="BatchNormalization(momentum=0.9)를 쓰세요.",
        )
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return wrong(
            en="Your network is not compiled.",
            ko="네트워크가 컴파일(compile)되지 않았습니다.",
            hint_en='model.compile(SGD(1.0), "sparse_categorical_crossentropy", '
            'metrics=["accuracy"]).',
            hint_ko='model.compile(SGD(1.0), "sparse_categorical_crossentropy", '
            'metrics=["accuracy"])로 컴파일하세요.',
        )
    rate = float(np.asarray(getattr(optimizer, "learning_rate", np.nan)))
    if type(optimizer).__name__ != "SGD" or not np.isclose(rate, 1.0):
        return wrong(
            en=f"Your optimizer is {type(optimizer).__name__} with learning rate {rate:g}; "
            f"the experiment is plain SGD at 1.0, where the network without BN fails.",
            ko=f"옵티마이저가 학습률 {rate:g}의 {type(optimizer).__name__}입니다. 이 실험은 "
            f"BN이 없는 네트워크가 실패하는 학습률 1.0의 SGD입니다.",
            hint_en="Compile with SGD(1.0).",
            hint_ko="SGD(1.0)으로 컴파일하세요.",
        )
    return None


@register(
    "07.5",
    title_en="Experiment: BN after the activation",
    title_ko="실험: 활성화 함수 뒤의 BN",
    question_en="""
        Write bn_after_relu(seed): a compiled network like deep_net(True, learning_rate=1.0,
        seed=seed), but each hidden block is Dense(64, activation="relu") followed by
        BatchNormalization(momentum=0.9). The checker trains it with two seeds at learning
        rate 1.0.
    """,
    question_ko="""
        deep_net(True, learning_rate=1.0, seed=seed)와 같되 각 은닉 블록이
        Dense(64, activation="relu") 다음에 BatchNormalization(momentum=0.9)인, 컴파일된
        네트워크를 돌려주는 함수 bn_after_relu(seed)를 작성하세요. 채점기가 학습률 1.0으로
        시드 두 개에서 학습시킵니다.
    """,
    solution_en="""
        from dlcourse.layers import BatchNormalization, Dense, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import SGD
        from dlcourse.utils import set_random_seed

        def bn_after_relu(seed):
            set_random_seed(seed)
            model = Sequential([Input(shape=(64,))])
            for _ in range(5):
                model.add(Dense(64, activation="relu", kernel_initializer="he_normal"))
                model.add(BatchNormalization(momentum=0.9))   # after the activation
            model.add(Dense(10, activation="softmax", kernel_initializer="he_normal"))
            model.compile(SGD(1.0), "sparse_categorical_crossentropy", metrics=["accuracy"])
            return model

        answer = bn_after_relu
    """,
    solution_ko="""
        from dlcourse.layers import BatchNormalization, Dense, Input
        from dlcourse.models import Sequential
        from dlcourse.optimizers import SGD
        from dlcourse.utils import set_random_seed

        def bn_after_relu(seed):
            set_random_seed(seed)
            model = Sequential([Input(shape=(64,))])
            for _ in range(5):
                model.add(Dense(64, activation="relu", kernel_initializer="he_normal"))
                model.add(BatchNormalization(momentum=0.9))   # 활성화 함수 뒤에
            model.add(Dense(10, activation="softmax", kernel_initializer="he_normal"))
            model.compile(SGD(1.0), "sparse_categorical_crossentropy", metrics=["accuracy"])
            return model

        answer = bn_after_relu
    """,
)
def bn_after_relu_experiment(answer):
    x_train, y_train, x_val, y_val = _digits_for_experiment()
    accuracies = []
    for seed in AFTER_RELU_SEEDS:
        try:
            model = call_answer(answer, seed)
        except AnswerFailed as failed:
            return failed.verdict
        if not hasattr(model, "fit"):
            kind = type(model).__name__
            return wrong(
                en=f"bn_after_relu({seed}) returned {kind}, not a model.",
                ko=f"bn_after_relu({seed})가 모델이 아니라 {kind} 값을 돌려주었습니다.",
                hint_en="End the function with `return model`.",
                hint_ko="함수 끝에 `return model`을 쓰세요.",
            )
        problem = _after_relu_problem(model)
        if problem is not None:
            return problem
        try:
            history = model.fit(
                x_train,
                y_train,
                epochs=AFTER_RELU_EPOCHS,
                batch_size=50,
                validation_data=(x_val, y_val),
                verbose=0,
            )
        except Exception as error:  # the learner's network: any error becomes feedback
            kind = type(error).__name__
            return wrong(
                en=f"Training your network raised {kind}: {error}",
                ko=f"네트워크를 학습시키니 {kind} 오류가 났습니다: {error}",
                hint_en="The network takes 64 pixels and ends in Dense(10, activation='softmax').",
                hint_ko="네트워크는 픽셀 64개를 받고 Dense(10, activation='softmax')로 끝납니다.",
            )
        accuracies.append(float(history.history["val_accuracy"][-1]))
    shown = " and ".join(f"{a:.2f}" for a in accuracies)
    shown_ko = ", ".join(f"{a:.2f}" for a in accuracies)
    if min(accuracies) > AFTER_RELU_PASS:
        return correct(
            en=f"validation accuracy {shown} after {AFTER_RELU_EPOCHS} epochs at learning "
            f"rate 1.0, where the plain network stays at chance: BN after the ReLU works too, "
            f"and both placements are in use.",
            ko=f"학습률 1.0으로 {AFTER_RELU_EPOCHS} 에포크 뒤 검증 정확도 {shown_ko}: BN이 없는 "
            f"네트워크는 우연 수준에 머무는 학습률에서, ReLU 뒤의 BN도 학습됩니다. 두 위치 모두 "
            f"쓰입니다.",
        )
    return wrong(
        en=f"Your network reached validation accuracy {shown} after {AFTER_RELU_EPOCHS} "
        f"epochs; the reference reaches more than {AFTER_RELU_PASS}.",
        ko=f"네트워크가 {AFTER_RELU_EPOCHS} 에포크 뒤 검증 정확도 {shown_ko}에 이르렀습니다. "
        f"기준 해답은 {AFTER_RELU_PASS}보다 높습니다.",
        hint_en="Call set_random_seed(seed) first; He initialization (kernel_initializer="
        "'he_normal') for every Dense layer; 10 softmax outputs.",
        hint_ko="먼저 set_random_seed(seed)를 부르고, 모든 Dense 층에 He 초기화(kernel_initializer="
        "'he_normal')를 쓰고, 출력은 softmax 10개입니다.",
    )
