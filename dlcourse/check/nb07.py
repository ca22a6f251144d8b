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
    solution_ko="""
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
