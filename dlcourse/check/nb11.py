"""Exercises of notebook 11 (graduating to Keras): what a .keras file holds and where."""

from dlcourse.check._registry import correct, register, wrong

MEMBERS = ("metadata.json", "config.json", "model.weights.h5")


def _text(answer):
    """A file name or path as typed, lower case, without surrounding spaces; None if not text."""
    return answer.strip().lower() if isinstance(answer, str) else None


@register(
    "11.1",
    title="Where Keras finds the weights",
    question="""
        A Keras 3 .keras file is a zip. Which member holds the weight arrays that
        keras.models.load_model reads? Answer with the member's name as text.
    """,
    solution="""
        answer = "model.weights.h5"  # HDF5: one dataset per variable, layers/<path>/vars/<i>
    """,
)
def weights_member(answer):
    name = _text(answer)
    if name is None:
        return wrong(
            f"Your answer {answer!r} is not text.",
            hint=f"Answer with one of the member names in quotes: {', '.join(MEMBERS)}.",
        )
    if name == "model.weights.h5":
        return correct(
            "model.weights.h5 holds every variable as an HDF5 dataset at "
            "layers/<layer path>/vars/<i>."
        )
    if name == "model.weights.npz":
        return wrong(
            "dlcourse's own files use model.weights.npz, and Keras can write one too, "
            "but Keras's npz store pickles a dict per layer and its loader refuses "
            "pickles.",
            hint="The member Keras writes by default is HDF5.",
        )
    if name == "config.json":
        return wrong(
            "config.json holds the architecture and the compile settings: class names "
            "and options, no numbers.",
            hint="Look for the member with 'weights' in it.",
        )
    if name == "metadata.json":
        return wrong(
            "metadata.json only records the Keras version and the date.",
            hint="Look for the member with 'weights' in it.",
        )
    return wrong(
        f"{answer!r} is not a member of a .keras file.",
        hint=f"The members are {', '.join(MEMBERS)}.",
    )


@register(
    "11.2",
    title="A weight's path inside the file",
    question="""
        Sequential([Input(shape=(4,)), Dense(8), BatchNormalization(), Dense(1)]) is saved
        as a .keras file. At which path inside model.weights.h5 is the BIAS of the LAST
        Dense layer? Answer as text like "layers/<layer path>/vars/<index>".
    """,
    solution="""
        # Paths number layers per class in model.layers order (dense, dense_1, ...),
        # and variables in creation order (kernel 0, bias 1).
        answer = "layers/dense_1/vars/1"
    """,
)
def weight_path(answer):
    path = _text(answer)
    if path is None:
        return wrong(
            f"Your answer {answer!r} is not text.",
            hint='Answer as text, e.g. "layers/dense/vars/0".',
        )
    path = path.strip("/")
    if path == "layers/dense_1/vars/1":
        return correct(
            "The second Dense is numbered dense_1 (the first is plain dense), and "
            "its variables are [kernel, bias]: the bias is vars/1."
        )
    if path == "layers/dense_2/vars/1":
        return wrong(
            "Keras numbers layers of one class dense, dense_1, dense_2, ...: the first "
            "has no number.",
            hint="The last Dense is the second Dense layer.",
        )
    if path == "layers/dense_1/vars/0":
        return wrong(
            "vars/0 is the kernel: a Dense layer creates its kernel first.",
            hint="The bias is created second.",
        )
    if path in ("layers/dense_1/vars/2", "layers/dense_2/vars/2"):
        return wrong(
            "Variables are counted from 0 (kernel 0, bias 1).",
            hint="A Dense layer has only two variables.",
        )
    if path.startswith("layers/dense/"):
        return wrong(
            "layers/dense/... is the FIRST Dense layer.",
            hint="The second Dense of the model gets the suffix _1.",
        )
    if path.startswith("layers/batch_normalization"):
        return wrong(
            "That is the BatchNormalization layer (gamma, beta, moving mean and variance).",
            hint="The question asks about the last Dense layer.",
        )
    return wrong(
        f"{answer!r} is not where Keras stores that bias.",
        hint='Paths look like "layers/<snake_case class>[_<n>]/vars/<i>".',
    )
