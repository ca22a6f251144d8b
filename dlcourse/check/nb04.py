"""Exercises of notebook 04 (loss functions): cross-entropy values, choosing a loss, gradients."""

import math
import re

from dlcourse.check._registry import as_number, correct, not_a_number, register, wrong


def _close(number, target, rel=1e-3):
    return math.isclose(number, target, rel_tol=rel, abs_tol=1e-9)


@register(
    "04.1",
    title="Binary cross-entropy of one prediction",
    question="""
        What is the binary cross-entropy (natural log, as Keras computes it) of the prediction
        p = 0.1 for a sample whose label is y = 0?
    """,
    solution="""
        import math

        y, p = 0, 0.1
        answer = -(y * math.log(p) + (1 - y) * math.log(1 - p))   # -ln(0.9) = 0.1054
    """,
)
def bce_value(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, -math.log(0.9)):
        return correct(
            "With y = 0 only the second term remains: −ln(1 − 0.1) = −ln 0.9 ≈ 0.1054, "
            "a small loss for a good prediction."
        )
    if _close(number, -math.log(0.1)):
        return wrong(
            "−ln 0.1 is the loss if the label were 1: you used the y · log p term.",
            hint="For y = 0 the loss is −log(1 − p).",
        )
    if _close(number, -math.log2(0.9)):
        return wrong(
            "That is the value with log base 2 (as in seed 003); Keras uses the natural log.",
            hint="Use math.log, not math.log2.",
        )
    if _close(number, math.log(0.9)):
        return wrong(
            "The sign is wrong: a loss is never negative.",
            hint="Cross-entropy has a minus in front: −(y log p + (1 − y) log(1 − p)).",
        )
    if _close(number, 0.1) or _close(number, 0.01):
        return wrong(
            "That is the error (or its square), not the cross-entropy.",
            hint="Cross-entropy takes logarithms of the probabilities.",
        )
    return wrong(
        f"{number:g} is not the cross-entropy.",
        hint="−(y · ln p + (1 − y) · ln(1 − p)) with y = 0 and p = 0.1.",
    )


def _loss_name(answer):
    """A loss name without case, underscores or spaces, from a string, a loss class, a loss
    object or a loss function; None for anything else."""
    if isinstance(answer, str):
        text = answer
    elif isinstance(answer, type):
        text = answer.__name__
    elif hasattr(answer, "call") and hasattr(answer, "reduction"):  # a Loss object
        text = type(answer).__name__
    elif callable(answer) and hasattr(answer, "__name__"):
        text = answer.__name__
    else:
        return None
    return re.sub(r"[^a-z]", "", text.lower())


@register(
    "04.2",
    title="The loss for integer class labels",
    question="""
        A model classifies the digits 0-9 with a Dense(10, activation="softmax") output, and the
        labels are integers such as 7. Which loss do you pass to compile? (Its Keras name.)
    """,
    solution="""
        answer = "sparse_categorical_crossentropy"
    """,
)
def loss_for_integer_labels(answer):
    name = _loss_name(answer)
    if name is None:
        return wrong(
            f"Your answer {answer!r} is not a loss name.", hint='Give the name as text, e.g. "mse".'
        )
    if name == "sparsecategoricalcrossentropy":
        return correct(
            "Integer labels with a softmax output: sparse_categorical_crossentropy, "
            "the same value as categorical_crossentropy on one-hot labels."
        )
    if name == "categoricalcrossentropy":
        return wrong(
            "categorical_crossentropy expects one-hot labels such as [0, ..., 1, ...], "
            "not the integer 7.",
            hint="There is a variant for integer labels; its name starts with 'sparse'.",
        )
    if name == "binarycrossentropy":
        return wrong(
            "binary_crossentropy is for two classes (or independent yes/no labels) "
            "with sigmoid outputs.",
            hint="Here there are 10 exclusive classes.",
        )
    if name in ("mse", "meansquarederror", "mae", "meanabsoluteerror"):
        return wrong(
            "That is a regression loss: it would treat class 7 as closer to 8 than to 1.",
            hint="Classes need a cross-entropy loss.",
        )
    if "crossentropy" in name:
        return wrong(
            f"{answer!r} is not the exact name.",
            hint="It is a categorical cross-entropy for integer (sparse) labels.",
        )
    return wrong(
        f"{answer!r} is not the loss to use.",
        hint="Softmax outputs with integer labels: a cross-entropy for sparse labels.",
    )


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


@register(
    "04.3",
    title="Cross-entropy's gradient at the logit",
    question="""
        A sigmoid output with logit z = -3 and label y = 1, trained with binary cross-entropy:
        what is dL/dz for this one sample? (A number.)
    """,
    solution="""
        import math

        p = 1 / (1 + math.exp(3))    # sigmoid(-3)
        answer = p - 1               # sigmoid + cross-entropy: dL/dz = p - y
    """,
)
def ce_logit_gradient(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    p = _sigmoid(-3)
    if _close(number, p - 1):
        return correct(
            "dL/dz = p − y = σ(−3) − 1 ≈ −0.9526: almost the full error, so the "
            "wrong prediction gets a strong correction."
        )
    if _close(number, 1 - p):
        return wrong(
            "The sign is flipped: you computed y − p.",
            hint="Increasing z brings p towards 1 and lowers the loss: the slope is negative.",
        )
    if _close(number, 2 * (p - 1) * p * (1 - p)):
        return wrong(
            "That is the MSE gradient, multiplied by the sigmoid's slope.",
            hint="With cross-entropy the sigmoid's slope cancels: dL/dz = p − y.",
        )
    if _close(number, (p - 1) * p * (1 - p)):
        return wrong(
            "You multiplied p − y by the sigmoid's slope p(1 − p); with cross-entropy "
            "that factor cancels.",
            hint="dL/dz = p − y.",
        )
    if _close(number, p):
        return wrong(
            "That is the prediction p = σ(−3), not the gradient.", hint="Subtract the label: p − y."
        )
    if _close(number, -math.log(p)):
        return wrong("That is the loss itself, not its gradient.", hint="dL/dz = p − y.")
    if _close(number, -1.0) or _close(number, -4.0):
        return wrong(
            "Use the probability p = σ(z), not the logit z.", hint="p = 1 / (1 + e³) ≈ 0.0474."
        )
    return wrong(f"{number:g} is not dL/dz.", hint="Compute p = σ(−3), then p − y.")
