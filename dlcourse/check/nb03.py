"""Exercises of notebook 03 (activations and initialization): slopes, vanishing, He's scale."""

import math

from dlcourse.check._registry import as_number, correct, not_a_number, register, wrong


def _close(number, target, rel=1e-3):
    return math.isclose(number, target, rel_tol=rel, abs_tol=1e-12)


@register(
    "03.1",
    title="The sigmoid's largest slope",
    question="What is the largest value the derivative of the sigmoid takes?",
    solution="""
        # sigmoid'(x) = s(1 - s) with s = sigmoid(x); largest at x = 0, where s = 0.5
        answer = 0.5 * (1 - 0.5)
    """,
)
def sigmoid_max_slope(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, 0.25):
        return correct("σ'(x) = σ(x)(1 − σ(x)) peaks at x = 0: 0.5 × 0.5 = 0.25.")
    if _close(number, 0.5):
        return wrong(
            "0.5 is the sigmoid's VALUE at 0, not its slope.",
            hint="Use σ'(x) = σ(x)(1 − σ(x)) at x = 0.",
        )
    if _close(number, 1.0):
        return wrong(
            "1 is the largest slope of tanh (and ReLU's slope), not the sigmoid's.",
            hint="σ'(x) = σ(x)(1 − σ(x)); evaluate it where σ(x) = 0.5.",
        )
    return wrong(
        f"{number:g} is not the largest slope.",
        hint="Differentiate σ(x) = 1/(1+e^−x): σ' = σ(1 − σ). Where is that largest?",
    )


@register(
    "03.2",
    title="What is left after 10 sigmoid layers",
    question="""
        Backpropagating through 10 sigmoid layers multiplies the gradient by the sigmoid's
        slope 10 times. Ignoring the weights, at most what factor is left?
    """,
    solution="""
        answer = 0.25 ** 10   # about 9.5e-07: less than a millionth
    """,
)
def ten_sigmoid_layers(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, 0.25**10):
        return correct(
            "0.25¹⁰ ≈ 9.5e-07: at best a millionth of the gradient reaches the first layer."
        )
    if _close(number, 0.25 * 10):
        return wrong(
            "You multiplied 0.25 by 10; the slopes multiply each other.",
            hint="Ten factors of 0.25: a power.",
        )
    if _close(number, 0.5**10):
        return wrong(
            "0.5 is the sigmoid's value at 0, not its largest slope.",
            hint="The largest slope is 0.25 (exercise 03.1).",
        )
    if _close(number, 0.25):
        return wrong("That is one layer's factor.", hint="There are 10 layers in a row.")
    if _close(number, 4**10):
        return wrong("The gradient shrinks, so the factor is below 1.", hint="0.25 to the 10th.")
    return wrong(
        f"{number:g} is not the factor.",
        hint="Multiply the largest slope by itself once per layer.",
    )


@register(
    "03.3",
    title="He initialization's scale",
    question="""
        What standard deviation does He initialization give the weights of a Dense(100) layer
        that has 50 inputs? (The untruncated sigma, a number.)
    """,
    solution="""
        import math

        fan_in = 50
        answer = math.sqrt(2 / fan_in)   # 0.2
    """,
)
def he_scale(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if _close(number, 0.2):
        return correct(
            "σ = √(2 / fan_in) = √(2/50) = 0.2; the 2 makes up for ReLU zeroing half of its inputs."
        )
    if _close(number, 2 / 50):
        return wrong(
            "0.04 is the variance; the standard deviation is its square root.",
            hint="σ = √(2 / fan_in).",
        )
    if _close(number, math.sqrt(2 / 150)):
        return wrong(
            "That is Glorot's σ = √(2 / (fan_in + fan_out)).",
            hint="He uses the fan-in alone: √(2 / fan_in).",
        )
    if _close(number, math.sqrt(2 / 100)):
        return wrong(
            "You used the 100 units (or LeCun's √(1/fan_in)); He uses the 50 inputs with "
            "a factor 2.",
            hint="σ = √(2 / fan_in) with fan_in = 50.",
        )
    return wrong(
        f"{number:g} is not He's σ.", hint="σ = √(2 / fan_in); fan_in is the number of inputs."
    )
