"""Exercises of notebook 00 (welcome): the parts of a network and the Keras workflow."""

from dlcourse.check._registry import (
    as_number,
    as_word,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)


@register(
    "00.1",
    title="Parameters of a Dense layer",
    question="""
        The breast-cancer model's first layer is Dense(100) on 30 input features.
        How many trainable parameters (weights and biases) does it have?
    """,
    solution="""
        inputs, units = 30, 100
        answer = inputs * units + units  # one weight per input per unit, one bias per unit
    """,
)
def dense_parameter_count(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == 3100:
        return correct("30 × 100 weights in the kernel plus 100 biases, one per unit: 3100.")
    if number == 3000:
        return wrong(
            "3000 counts the weights (30 × 100) but not the biases.",
            hint="Each of the 100 units also has one bias.",
        )
    if number == 3030:
        return wrong(
            "You gave each input a bias; biases belong to the units.",
            hint="The bias vector has one entry per unit: its shape is (units,).",
        )
    if number == 31:
        return wrong(
            "31 is the count of ONE unit (30 weights + 1 bias).",
            hint="The layer has 100 such units.",
        )
    if number in (130, 100, 30):
        return wrong(
            f"{number:g} is far too few: every unit has its own weight for EVERY input.",
            hint="The kernel has shape (inputs, units) = (30, 100); add the biases.",
        )
    return wrong(
        f"{number:g} is not the number of parameters.",
        hint="Kernel (30, 100) plus bias (100,): count the entries of both.",
    )


WORKFLOW_STEPS = ("define", "compile", "fit", "evaluate", "predict")
LOSS_STEP_MISTAKES = {
    "define": "Defining the model chooses its layers and activations, not what it is trained "
    "to minimize.",
    "fit": "fit() uses the loss at every step to compute gradients, but it was chosen before "
    "fit() runs.",
    "evaluate": "evaluate() reports the loss on new data; it uses the loss chosen earlier.",
    "predict": "predict() never looks at a loss: it only runs the layers forward.",
}


@register(
    "00.2",
    title="Which step sets the loss",
    question="""
        The workflow is define → compile → fit → evaluate → predict.
        In which step do you choose the loss function? Answer with the step's name as text.
    """,
    solution="""
        answer = "compile"  # model.compile(optimizer=..., loss=..., metrics=[...])
    """,
)
def loss_step(answer):
    step = as_word(answer)
    if step is None:
        return wrong(
            f"Your answer {answer!r} is not text.",
            hint=f"Answer with one of the names in quotes: {', '.join(WORKFLOW_STEPS)}.",
        )
    if step == "compile":
        return correct(
            "model.compile(optimizer=..., loss=..., metrics=...) fixes what training "
            "minimizes, before fit() runs."
        )
    if step in LOSS_STEP_MISTAKES:
        return wrong(
            LOSS_STEP_MISTAKES[step],
            hint="Which call takes the arguments optimizer=, loss= and metrics=?",
        )
    return wrong(
        f"{answer!r} is not one of the steps.", hint=f"Choose one of: {', '.join(WORKFLOW_STEPS)}."
    )


@register(
    "00.3",
    title="Iterations per epoch",
    question="""
        A training set has 2000 samples and you fit with batch_size=200.
        How many iterations (weight updates) make one epoch?
    """,
    solution="""
        samples, batch_size = 2000, 200
        answer = samples // batch_size  # each iteration processes one batch
    """,
)
def iterations_per_epoch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == 10:
        return correct("One epoch sees every sample once: 2000 / 200 = 10 batches, 10 updates.")
    fill = "How many batches of 200 do 2000 samples fill?"
    known_mistakes = {
        200: ("200 is the batch size: the number of samples in ONE iteration.", fill),
        2000: (
            "2000 is the number of samples; one update per sample would need batch_size=1.",
            fill,
        ),
        400_000: ("You multiplied; the samples are SHARED out into batches.", fill),
        0.1: ("You divided the wrong way round.", fill),
        1: ("1 is the epoch itself; the question is how many batches it contains.", fill),
    }
    return wrong_if_known(
        number,
        known_mistakes,
        f"{number:g} is not the number of batches.",
        hint="Divide the number of samples by the batch size.",
        rtol=0,
        atol=1e-9,
    )


@register(
    "00.4",
    title="The last, smaller batch",
    question="""
        You call model.fit(x, y, epochs=1) on 500 samples without giving batch_size
        (Keras then uses batch_size=32). How many weight updates happen?
    """,
    solution="""
        import math

        samples, batch_size = 500, 32
        answer = math.ceil(samples / batch_size)  # 15 full batches and one of 20 samples
    """,
)
def iterations_with_partial_batch(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == 16:
        return correct("15 full batches of 32 take 480 samples; the last 20 form a 16th batch.")
    if number == 15:
        return wrong(
            "15 full batches cover only 480 samples: the 20 left over are not dropped.",
            hint="The last batch is smaller, but it is still a batch: round UP.",
        )
    if abs(number - 500 / 32) < 0.01:
        return wrong(
            f"{number:g} batches cannot happen: iterations are counted in whole batches.",
            hint="Round 500 / 32 to a whole number of batches; in which direction?",
        )
    if number in (20, 32, 500, 1):
        meaning = {
            20: "the size of the last batch",
            32: "the batch size",
            500: "the number of samples",
            1: "the number of epochs",
        }[number]
        return wrong(f"{number:g} is {meaning}.", hint="How many batches of 32 hold 500 samples?")
    return wrong(f"{number:g} is not the number of batches.", hint="Compute 500 / 32, then round.")
