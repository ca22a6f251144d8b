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
    title="Batch normalization by hand",
    question="""
        Write batch_norm(x, gamma, beta, eps=1e-3): batch normalization in training mode for a
        2-D batch x (rows = samples, columns = features), returning the output of the four steps.
    """,
    solution="""
        import numpy as np

        def batch_norm(x, gamma, beta, eps=1e-3):
            mean = x.mean(axis=0)                   # 1. per feature, over the batch
            var = x.var(axis=0)                     # 2. biased variance (divide by m)
            x_hat = (x - mean) / np.sqrt(var + eps)  # 3. normalize
            return gamma * x_hat + beta             # 4. scale and shift

        answer = batch_norm
    """,
)
def batch_norm_function(answer):
    x, gamma, beta = _example()
    try:
        result = call_answer(answer, x.copy(), gamma.copy(), beta.copy())
    except AnswerFailed as failed:
        return wrong(*failed.args)
    try:
        result = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        return wrong(
            f"batch_norm returned {type(result).__name__}, not an array.",
            hint="Return gamma * x_hat + beta.",
        )
    if result.shape != x.shape:
        return wrong(
            f"The output has shape {result.shape}; the input had shape {x.shape}.",
            hint="Batch normalization keeps the shape: one output per input value.",
        )
    if np.allclose(result, _bn(x, gamma, beta), atol=1e-6):
        return correct(
            "mean and biased variance over the batch (axis 0), normalize with eps "
            "inside the square root, then scale by gamma and shift by beta."
        )
    mistakes = [
        (
            dict(axis=1),
            "You normalized each ROW (sample) over its features.",
            "BN normalizes each feature over the batch: use axis=0.",
        ),
        (
            dict(ddof=1),
            "You used the sample variance (ddof=1).",
            "BN uses the biased variance: divide by m, np.var's default ddof=0.",
        ),
        (
            dict(use_eps=False),
            "You left out eps.",
            "Divide by np.sqrt(var + eps): eps keeps a constant feature from dividing by zero.",
        ),
        (
            dict(affine=False),
            "You stopped after step 3: no scale and shift.",
            "Step 4: return gamma * x_hat + beta.",
        ),
        (
            dict(sqrt=False),
            "You divided by the variance instead of the standard deviation.",
            "Divide by np.sqrt(var + eps).",
        ),
    ]
    for options, what, hint in mistakes:
        if np.allclose(result, _bn(x, gamma, beta, **options), atol=1e-6):
            return wrong(what, hint=hint)
    if np.allclose(result, _bn(x, beta, gamma), atol=1e-6):
        return wrong(
            "gamma and beta are swapped.", hint="gamma scales, beta shifts: gamma * x_hat + beta."
        )
    return wrong(
        "The output differs from batch normalization in training mode.",
        hint="Four steps: mean, variance (axis=0), (x - mean) / sqrt(var + eps), "
        "gamma * x_hat + beta.",
    )


@register(
    "07.2",
    title="The moving mean after one batch",
    question="""
        A fresh BatchNormalization() layer (momentum 0.99, moving mean starting at 0) sees one
        training batch whose mean for a feature is 5.0. What is that feature's moving mean
        afterwards?
    """,
    solution="""
        momentum = 0.99
        answer = momentum * 0.0 + (1 - momentum) * 5.0
    """,
)
def moving_mean_after_one_batch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one number")
    if np.isclose(number, 0.05):
        return correct("0.99 × 0 + 0.01 × 5.0 = 0.05: the average moves only 1% of the way.")
    known = {
        4.95: (
            "You swapped the weights: the OLD value keeps the share `momentum`.",
            "moving = momentum * moving + (1 - momentum) * batch_mean.",
        ),
        5.0: (
            "That is the batch mean itself; the moving average only moves towards it.",
            "moving = 0.99 * 0 + 0.01 * 5.0.",
        ),
        0.0: (
            "The moving mean does change in training mode.",
            "Every training batch updates it: moving = 0.99 * moving + 0.01 * batch_mean.",
        ),
        2.5: (
            "That is a plain average of 0 and 5; BN weights the old value with the momentum.",
            "moving = 0.99 * moving + 0.01 * batch_mean.",
        ),
    }
    return wrong_if_known(
        number,
        known,
        f"{number:g} is not the moving mean.",
        hint="moving = momentum * moving + (1 - momentum) * batch_mean.",
    )


@register(
    "07.3",
    title="Trainable parameters of BatchNormalization",
    question="""
        BatchNormalization() after a Dense(64) layer: how many of its parameters are trainable?
    """,
    solution="""
        features = 64
        answer = 2 * features  # gamma and beta, one each per feature
    """,
)
def trainable_bn_parameters(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == 128:
        return correct(
            "gamma and beta, one of each per feature: 2 × 64 = 128. The moving mean "
            "and variance (another 128) are not trained."
        )
    known = {
        256: (
            "256 counts the moving mean and variance too; they are updated by averaging, "
            "not by gradients.",
            "Count only gamma and beta.",
        ),
        64: ("Each feature has TWO learned parameters.", "gamma (scale) and beta (shift)."),
        2: ("Not two in all: two per feature.", "The layer normalizes 64 features."),
        4: (
            "The layer has four weight arrays, each with one entry per feature; only two are "
            "trained.",
            "Count the entries of gamma and beta.",
        ),
        0: ("gamma and beta are learned by gradient descent.", "Count their entries."),
    }
    return wrong_if_known(
        number,
        known,
        f"{number:g} is not the count.",
        hint="gamma and beta: one entry per feature each.",
        rtol=0,
        atol=0,
    )
