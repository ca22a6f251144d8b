"""Exercises of notebook 09 (saving and loading): which method, resuming, what keeps the state."""

from dlcourse.check._registry import as_number, correct, register, wrong


def _method_name(answer):
    """'model.save_weights()' or 'Save Weights' -> 'save_weights'; None when not text."""
    if not isinstance(answer, str):
        return None
    text = answer.strip().lower().replace("()", "").split(".")[-1]
    return "_".join(text.split())


@register(
    "09.1",
    title="Storing a subclassed model",
    question="""
        You trained a subclassed model (class MyNet(Model)). Which method stores it so that it
        can be loaded later? Answer with the method's name as text.
    """,
    solution="""
        answer = "save_weights"   # then: MyNet(), call it on a batch, load_weights(...)
    """,
)
def subclassed_storage(answer):
    word = _method_name(answer)
    if word is None:
        return wrong(
            f"Your answer {answer!r} is not text.",
            hint='Write the method name in quotes, e.g. "to_json".',
        )
    if word == "save_weights":
        return correct(
            "The weights are arrays, which a file holds; the structure is your "
            "call() code, so you recreate the model in code and load_weights()."
        )
    if word == "save":
        return wrong(
            "model.save() needs the architecture as data, and a subclassed model's "
            "architecture is the Python code of call(): it raises an error.",
            hint="Store the part that IS data: the weight arrays.",
        )
    if word == "to_json":
        return wrong(
            "to_json() describes Sequential and functional models; for a subclassed "
            "model there is no layer graph to describe (and no weights in it).",
            hint="Which method writes the arrays only?",
        )
    if word in ("load_weights", "load_model", "model_from_json"):
        return wrong(
            f"{word} reads a file back; the question asks how to write it.",
            hint="Its partner method starts with 'save'.",
        )
    if "pickle" in word:
        return wrong(
            "Pickle files run code when loaded (notebook 09 shows it), and break "
            "when the class changes.",
            hint="Use the library's weights-only method.",
        )
    return wrong(
        f"{answer!r} is not a model method that stores a subclassed model.",
        hint="Model has save, save_weights and to_json: which one works for it?",
    )


@register(
    "09.2",
    title="Continuing a saved run",
    question="""
        A model trained for 5 epochs was saved and loaded. Which (initial_epoch, epochs) make
        fit() continue to 10 epochs in all, numbered 6 to 10?
    """,
    solution="""
        answer = (5, 10)   # model.fit(x, y, initial_epoch=5, epochs=10)
    """,
)
def resume_arguments(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return wrong(
            f"Your answer {answer!r} is not a pair.",
            hint="Write a tuple of two numbers: (initial_epoch, epochs).",
        )
    numbers = [as_number(value) for value in answer]
    if any(number is None for number in numbers):
        return wrong(
            f"Your pair {answer!r} does not hold two numbers.",
            hint="Write (initial_epoch, epochs) with whole numbers.",
        )
    pair = tuple(numbers)
    if pair == (5, 10):
        return correct(
            "initial_epoch=5 says 5 epochs are done; epochs=10 is the final epoch "
            "number, not how many more to run: 5 more epochs, numbered 6 to 10."
        )
    if pair == (5, 5):
        return wrong(
            "epochs is the number of the LAST epoch, not the number of epochs to add: "
            "with initial_epoch=5 and epochs=5 nothing runs.",
            hint="Training runs from epoch initial_epoch + 1 up to epoch `epochs`.",
        )
    if pair == (6, 10):
        return wrong(
            "initial_epoch counts the epochs already DONE (from 0), so 6 would skip epoch 6.",
            hint="5 epochs are done.",
        )
    if pair == (0, 5):
        return wrong(
            "initial_epoch=0 numbers the new epochs 1 to 5 again, as if nothing had "
            "been done (the weights do continue, but the epoch count and schedules "
            "that depend on it restart).",
            hint="Tell fit that 5 epochs are done.",
        )
    if pair == (10, 5):
        return wrong("The order is (initial_epoch, epochs).", hint="initial_epoch comes first.")
    if pair == (0, 10):
        return wrong(
            "With initial_epoch=0, fit runs 10 more epochs, 15 in all.",
            hint="Tell fit that 5 epochs are done already.",
        )
    return wrong(
        f"fit(initial_epoch={pair[0]:g}, epochs={pair[1]:g}) does not run epochs 6 to 10.",
        hint="fit runs epochs initial_epoch + 1 to epochs, counted from 1.",
    )


@register(
    "09.3",
    title="Which loading resumes exactly",
    question="""
        Which way of getting a model back lets training continue exactly as if it had never
        stopped: "load_model", "load_weights" or "model_from_json"?
    """,
    solution="""
        answer = "load_model"   # the whole-model file holds the optimizer's state too
    """,
)
def exact_resume(answer):
    word = _method_name(answer)
    if word is None:
        return wrong(
            f"Your answer {answer!r} is not text.",
            hint="Answer with one of the three names in quotes.",
        )
    if word == "load_model":
        return correct(
            "A whole-model file restores the weights AND the optimizer's slots and "
            "step count, so the next update is the one that would have come."
        )
    if word == "load_weights":
        return wrong(
            "load_weights restores the weights, but the optimizer (Adam's moments, "
            "its step count) starts afresh, so the run goes a different way.",
            hint="Which file holds the optimizer's state too?",
        )
    if word == "model_from_json":
        return wrong(
            "model_from_json rebuilds only the architecture, with NEW random weights: "
            "training starts from scratch.",
            hint="You need weights and optimizer state: the whole model.",
        )
    return wrong(
        f"{answer!r} is not one of the three choices.",
        hint='Choose "load_model", "load_weights" or "model_from_json".',
    )
