"""Exercises of notebook 02 (the first network): parameter counts, weight shapes, backprop."""

import numpy as np

from dlcourse.check._registry import (
    as_number,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)

CHURN_PARAMS = (45 * 64 + 64) + (64 * 64 + 64) + (64 * 1 + 1)  # 7169


@register(
    "02.1",
    title="Parameters of the churn model",
    question="""
        Seed 001 builds Sequential([Dense(64, input_shape=(45,)), Dense(64), Dense(1)]).
        How many trainable parameters does it have?
    """,
    solution="""
        layers = [(45, 64), (64, 64), (64, 1)]          # (inputs, units) of each Dense
        answer = sum(n_in * units + units for n_in, units in layers)
    """,
)
def churn_parameter_count(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == CHURN_PARAMS:
        return correct(
            "2,944 + 4,160 + 65 = 7,169: each layer has inputs × units weights "
            "plus one bias per unit."
        )
    mistakes = {
        45 * 64 + 64 * 64 + 64: (
            "You counted the weights but not the biases (129 of them).",
            "Each Dense layer adds one bias per unit: 64 + 64 + 1.",
        ),
        45 * 64 + 64: (
            "That is the first layer only.",
            "Add the second Dense(64) (64 inputs) and the output Dense(1).",
        ),
        45 * 64 + 64 * 64 + 64 * 1 + 45 + 64 + 64: (
            "You gave a bias to each input; biases belong to the units.",
            "The biases are 64 + 64 + 1, one per unit.",
        ),
        45 + 64 + 64 + 1: (
            "That counts units (and inputs), not parameters.",
            "Every unit has one weight for EACH of its inputs.",
        ),
    }
    return wrong_if_known(
        number,
        mistakes,
        f"{number:g} is not the parameter count.",
        hint="Per layer: inputs × units + units; the inputs of a layer are "
        "the units of the one before.",
        rtol=0,
        atol=0,
    )


@register(
    "02.2",
    title="Shape of a kernel",
    question="""
        In seed 000's model (30 -> Dense(100) -> Dense(24) -> Dense(1)), what is the shape of
        the kernel of the second Dense layer? Give a tuple.
    """,
    solution="""
        answer = (100, 24)  # (inputs = units of the layer before, units)
    """,
)
def second_kernel_shape(answer):
    if isinstance(answer, np.ndarray):
        answer = tuple(answer.tolist())
    if not isinstance(answer, (tuple, list)) or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in answer
    ):
        return wrong(
            f"Your answer {answer!r} is not a shape.",
            hint="Write a tuple of whole numbers, e.g. (3, 4).",
        )
    shape = tuple(int(d) for d in answer)
    if shape == (100, 24):
        return correct(
            "100 inputs (the first layer's units) by 24 units: "
            "kernel[i, j] connects input i to unit j."
        )
    if shape == (24, 100):
        return wrong(
            "That is transposed: Keras kernels are (inputs, units), so that the layer "
            "computes x @ kernel.",
            hint="x has shape (batch, 100); which kernel shape makes x @ kernel (batch, 24)?",
        )
    if shape == (24,):
        return wrong(
            "That is the shape of the bias, one entry per unit.",
            hint="The kernel has one weight per (input, unit) pair.",
        )
    if shape in ((30, 100), (100, 30)):
        return wrong(
            "That is the first layer's kernel.",
            hint="The second layer's inputs are the first layer's 100 outputs.",
        )
    if shape in ((24, 1), (1, 24)):
        return wrong("That is the output layer's kernel.", hint="Look at the Dense(24) layer.")
    return wrong(
        f"{shape} is not the kernel's shape.",
        hint="A kernel has shape (number of inputs, number of units).",
    )


def _output_grads_reference(h, p, y):
    dz = (p - y) / len(h)
    return h.T @ dz, dz.sum(axis=0)


def _output_grads_case():
    rng = np.random.default_rng(7)
    h = rng.normal(size=(6, 4))
    z = h @ rng.normal(size=(4, 1))
    p = 1 / (1 + np.exp(-z))
    y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0]])
    return h, p, y


@register(
    "02.3",
    title="Gradients of a sigmoid output layer",
    question="""
        Write output_grads(h, p, y) returning (dW, db): the gradients of the MEAN binary
        cross-entropy with respect to the kernel (k, 1) and bias (1,) of a sigmoid output
        layer, given its input h (n, k), its output probabilities p (n, 1) and labels y (n, 1).
    """,
    solution="""
        def output_grads(h, p, y):
            dz = (p - y) / len(h)        # sigmoid + cross-entropy: dL/dz = (p - y) / n
            return h.T @ dz, dz.sum(axis=0)

        answer = output_grads
    """,
)
def output_layer_gradients(answer):
    h, p, y = _output_grads_case()
    result = call_answer(answer, h.copy(), p.copy(), y.copy())
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return wrong(
            "Your function should return two arrays, (dW, db).", hint="End with `return dW, db`."
        )
    dW, db = (np.asarray(part, dtype=float) for part in result)
    ref_dW, ref_db = _output_grads_reference(h, p, y)
    if dW.shape != ref_dW.shape:
        if dW.shape == ref_dW.T.shape:
            return wrong(
                f"dW has shape {dW.shape}, the kernel's transpose.",
                hint="dW = h.T @ dz has the kernel's shape (k, 1).",
            )
        return wrong(
            f"dW has shape {dW.shape}, but the kernel has shape {ref_dW.shape}.",
            hint="Multiply h.T (k, n) by dz (n, 1).",
        )
    if np.shape(db) not in (ref_db.shape, (1, 1), ()):
        return wrong(
            f"db has shape {db.shape}, but the bias has shape (1,).",
            hint="Sum dz over the samples: dz.sum(axis=0).",
        )
    db = db.reshape(ref_db.shape)
    if np.allclose(dW, ref_dW) and np.allclose(db, ref_db):
        return correct(
            "dz = (p - y) / n, then dW = hᵀ·dz and db = Σ dz: the Dense layer's backward pass."
        )
    if np.allclose(dW, -ref_dW) and np.allclose(db, -ref_db):
        return wrong(
            "The sign is flipped: you used (y - p).",
            hint="The loss grows when p moves away from y; dL/dz = p - y (over n).",
        )
    n = len(h)
    if np.allclose(dW, n * ref_dW) and np.allclose(db, n * ref_db):
        return wrong(
            "These are the gradients of the SUM of the losses, n times too large.",
            hint="The loss is the mean over the n samples: divide dz by n.",
        )
    if np.allclose(dW, ref_dW) and not np.allclose(db, ref_db):
        return wrong(
            "dW is right but db is not.",
            hint="The bias adds to every sample: db is dz summed over the samples.",
        )
    dz_chain = (p - y) * p * (1 - p) / n
    if np.allclose(dW, h.T @ dz_chain):
        return wrong(
            "You multiplied by the sigmoid's derivative p(1 - p) as well.",
            hint="With cross-entropy that factor cancels: dL/dz = (p - y) / n.",
        )
    return wrong(
        "The values are not the gradients.",
        hint="Start from dz = (p - y) / n; then dW = h.T @ dz and db = dz.sum(axis=0).",
    )


@register(
    "02.4",
    title="Cost of a numerical gradient",
    question="""
        A numerical gradient with central differences evaluates the loss twice per parameter.
        How many loss evaluations does one gradient of the churn model of 02.1 need?
    """,
    solution="""
        n_params = (45 * 64 + 64) + (64 * 64 + 64) + (64 + 1)
        answer = 2 * n_params
    """,
)
def numerical_gradient_cost(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == 2 * CHURN_PARAMS:
        return correct(
            "2 × 7,169 = 14,338 forward passes — backpropagation needs one forward "
            "and one backward pass."
        )
    if number == CHURN_PARAMS:
        return wrong(
            "Central differences need TWO evaluations per parameter, L(w+ε) and L(w−ε).",
            hint="Multiply the parameter count by 2.",
        )
    if number == 2:
        return wrong(
            "2 is what backpropagation needs (one forward, one backward pass).",
            hint="The numerical gradient nudges each parameter separately.",
        )
    if number == 2 * (45 * 64 + 64 * 64 + 64):
        return wrong(
            "The biases are parameters too and need their own evaluations.",
            hint="Use the full count of 02.1.",
        )
    return wrong(
        f"{number:g} evaluations is not right.",
        hint="Two loss evaluations for each of the model's parameters (exercise 02.1).",
    )
