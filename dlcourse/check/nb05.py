"""Exercises of notebooks 05 and 05b: iterations per epoch, a momentum step, stable learning
rates, and two experiments with the optimizer explorer."""

import numpy as np

from dlcourse.check._registry import as_number, call_answer, correct, not_a_number, register, wrong


@register(
    "05.1",
    title="Iterations per epoch",
    question="""
        A training set has 2000 samples and you call fit(..., batch_size=200). How many
        weight updates (iterations) make up one epoch? Answer with a number.
    """,
    solution="""
        answer = 2000 // 200  # one update per batch; 10 batches cover the 2000 samples once
    """,
)
def iterations_per_epoch(answer):
    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if value == 10:
        return correct("2000 samples in batches of 200 give 10 batches, one update each.")
    if value == 200:
        return wrong(
            "200 is the batch size: the samples per update, not the updates per epoch.",
            hint="How many batches of 200 does it take to cover 2000 samples?",
        )
    if value == 2000:
        return wrong(
            "2000 updates per epoch would be batch_size=1 (stochastic updates).",
            hint="Each update uses a whole batch of 200 samples.",
        )
    if value == 1:
        return wrong(
            "One update per epoch is full-batch gradient descent (batch_size=2000).",
            hint="Divide the number of samples by the batch size.",
        )
    if value == 0.1:
        return wrong(
            "You divided the batch size by the number of samples.",
            hint="It is samples / batch_size.",
        )
    return wrong(
        f"{answer!r} is not the number of batches.",
        hint="Divide the number of samples by the batch size.",
    )


def _momentum_reference(w, v, g, learning_rate, momentum):
    v_new = momentum * v - learning_rate * g
    return w + v_new, v_new


@register(
    "05.2",
    title="One momentum step",
    question="""
        Write momentum_step(w, v, g, learning_rate, momentum) returning (new_w, new_v) with
        the Keras formula: v = momentum*v - learning_rate*g; w = w + v. Inputs are NumPy
        arrays (w, v, g) and floats. Assign the function itself to `answer`.
    """,
    solution="""
        def momentum_step(w, v, g, learning_rate, momentum):
            v = momentum * v - learning_rate * g
            return w + v, v

        answer = momentum_step
    """,
)
def momentum_step(answer):
    rng = np.random.default_rng(5)
    w, v, g = rng.normal(size=(3, 4))
    learning_rate, momentum = 0.1, 0.9
    got = call_answer(answer, w.copy(), v.copy(), g.copy(), learning_rate, momentum)
    if not (isinstance(got, tuple) and len(got) == 2):
        return wrong(
            f"Your function returned {type(got).__name__}, not a pair (new_w, new_v).",
            hint="End with `return w + v, v`.",
        )
    new_w, new_v = (np.asarray(part, dtype=float) for part in got)
    want_w, want_v = _momentum_reference(w, v, g, learning_rate, momentum)
    if new_w.shape != w.shape or new_v.shape != v.shape:
        return wrong(
            "The returned arrays do not have the shape of w and v.",
            hint="Work element-wise on the arrays; do not sum or index them.",
        )
    if np.allclose(new_w, want_w) and np.allclose(new_v, want_v):
        return correct("the velocity remembers past gradients (times momentum) and moves w.")
    if np.allclose(new_w, w - learning_rate * g):
        return wrong(
            "Your w moved exactly as plain gradient descent: the velocity is ignored.",
            hint="Update v first, then move w by the new v.",
        )
    if np.allclose(new_w, w + learning_rate * g) or np.allclose(
        new_v, momentum * v + learning_rate * g
    ):
        return wrong(
            "Your step goes uphill: the gradient points to where f grows.",
            hint="Subtract learning_rate * g in the velocity.",
        )
    if np.allclose(new_w, w + v) and not np.allclose(new_w, want_w):
        return wrong(
            "You moved w with the old velocity, before updating it.",
            hint="Compute the new v first, then w = w + v.",
        )
    if np.allclose(new_v, want_v):
        return wrong(
            "Your v is right, but w is not w + v.",
            hint="The weight moves by the whole new velocity.",
        )
    if np.allclose(new_v, v - learning_rate * g):
        return wrong(
            "The old velocity was not multiplied by momentum: nothing decays.",
            hint="v = momentum * v - learning_rate * g.",
        )
    return wrong(
        "The numbers differ from the Keras momentum formula.",
        hint="v = momentum * v - learning_rate * g; then w = w + v.",
    )


@register(
    "05.3",
    title="The largest stable learning rate",
    question="""
        Plain gradient descent on f(x, y) = x²/20 + y². Each step multiplies y by
        (1 - 2·lr) and x by (1 - lr/10). Below which learning rate does it converge?
        Answer with a number.
    """,
    solution="""
        answer = 1.0  # |1 - 2 lr| < 1 needs lr < 1; x alone would allow lr < 20
    """,
)
def largest_stable_learning_rate(answer):
    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if np.isclose(value, 1.0):
        return correct(
            "|1 - 2·lr| < 1 needs lr < 1: the steep y direction sets the limit "
            "for both, and x then crawls at (1 - 0.1) per step at best."
        )
    if np.isclose(value, 20.0):
        return wrong(
            "That is the limit of the shallow x direction alone; y explodes long before.",
            hint="Both directions must shrink: which factor leaves (-1, 1) first?",
        )
    if np.isclose(value, 0.5):
        return wrong(
            "At lr = 0.5 the y factor is 0 (y lands on 0 in one step), but larger "
            "rates still converge while |1 - 2·lr| < 1.",
            hint="Solve |1 - 2·lr| < 1 for lr.",
        )
    if np.isclose(value, 2.0) or np.isclose(value, 10.0):
        return wrong(
            "You left out the 2 from the derivative of y² (or of x²/20).",
            hint="The y factor is (1 - 2·lr): when does it reach -1?",
        )
    if value < 1:
        verdict = "does not explode, but larger rates still converge"
    else:
        verdict = "has magnitude >= 1"
    return wrong(
        f"With lr = {value:g}, the y factor 1 - 2·lr = {1 - 2 * value:g} {verdict}.",
        hint="Solve |1 - 2·lr| < 1 for lr.",
    )


@register(
    "05b.1",
    title="Fast plain gradient descent on the bowl",
    question="""
        In the explorer, on 'bowl' with plain SGD and 200 steps from the default start, find a
        learning rate that reaches the tolerance in fewer than 60 steps. Answer with it.
    """,
    solution="""
        answer = 0.9  # just below the stability limit 1.0 of the steep direction
    """,
)
def fast_sgd_on_bowl(answer):
    from dlcourse import landscapes
    from dlcourse.optimizers import SGD

    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if not value > 0:
        return wrong("A learning rate must be positive.", hint="Try values between 0.1 and 1.")
    walk = landscapes.run_trajectory(SGD(learning_rate=value), "bowl", steps=200)
    if walk.diverged or value >= 1:
        return wrong(
            f"At lr = {value:g} the steep y direction does not settle: "
            f"{'it diverges' if walk.diverged else 'it bounces between ±y forever'}.",
            hint="Stay below 1: each step multiplies y by (1 - 2·lr).",
        )
    steps = walk.steps_to_tolerance
    if steps is not None and steps < 60:
        return correct(
            f"lr = {value:g} arrives in {steps} steps: as large as y allows, so that "
            f"the shallow x direction moves as fast as it can."
        )
    reached = "never arrives" if steps is None else f"needs {steps} steps"
    if value > 0.95:
        return wrong(
            f"At lr = {value:g} SGD {reached}: y flips sign every step and shrinks "
            f"only by |1 - 2·lr| = {abs(1 - 2 * value):.2f}.",
            hint="A little lower, so that y settles: try 0.8 to 0.95.",
        )
    return wrong(
        f"At lr = {value:g} SGD {reached}: the shallow x direction crawls.",
        hint="Go as high as the steep y direction allows (just under 1).",
    )


@register(
    "05b.2",
    title="Noise gets SGD off the saddle",
    question="""
        On 'saddle', plain SGD (lr 0.1, 300 steps) started exactly on the ridge at (-1.5, 0)
        stops at the saddle point. Which gradient noise level (0 to 2, seed 0) lets it escape
        and settle near a minimum (final f below -0.2)? Answer with a number.
    """,
    solution="""
        answer = 0.05  # a little noise pushes y off 0; the slope does the rest
    """,
)
def noise_escapes_saddle(answer):
    from dlcourse import landscapes
    from dlcourse.optimizers import SGD

    value = as_number(answer)
    if value is None:
        return not_a_number(answer)
    if not 0 <= value <= 2:
        return wrong("The explorer's noise slider goes from 0 to 2.", hint="Try 0.01 to 0.5.")
    walk = landscapes.run_trajectory(
        SGD(learning_rate=0.1), "saddle", start=(-1.5, 0.0), steps=300, noise=value, seed=0
    )
    if value == 0:
        return wrong(
            "Without noise the gradient's y part is exactly 0 on the ridge: SGD walks "
            "straight into the saddle point and stops there.",
            hint="Any small nudge off y = 0 grows by itself; try noise 0.05.",
        )
    if walk.final_loss < -0.2:
        return correct(
            f"with noise {value:g} the point leaves the ridge and ends at "
            f"f = {walk.final_loss:.3f}: mini-batch noise helps to escape saddles."
        )
    return wrong(
        f"With noise {value:g} SGD ends at f = {walk.final_loss:.3f}: so much noise "
        f"that it cannot settle in a minimum.",
        hint="Less noise: enough to leave y = 0, small next to the gradient.",
    )
