"""Exercises of notebook 11: the reference solutions pass, typical mistakes get specific
feedback, and the answers agree with what dlcourse.interop actually writes."""

import pytest

from dlcourse import interop
from dlcourse.layers import BatchNormalization, Dense, Input
from dlcourse.models import Sequential


@pytest.mark.parametrize("exercise_id", ["11.1", "11.2", "11.3"])
def test_reference_solutions_pass_and_untouched_is_not_attempted(
    exercise_id, solution_answer, feedback
):
    assert feedback(exercise_id, solution_answer(exercise_id)).status == "correct"
    assert feedback(exercise_id, ...).status == "not attempted"


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("model.weights.npz", "pickles"),
        ("config.json", "architecture"),
        ("metadata.json", "Keras version"),
        ("weights.bin", "not a member"),
        (3, "not text"),
    ],
)
def test_weights_member_mistakes(answer, expected, feedback):
    assert feedback("11.1", answer, expected).status == "wrong"


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("layers/dense_2/vars/1", "first has no number"),
        ("layers/dense_1/vars/0", "kernel"),
        ("layers/dense_1/vars/2", "counted from 0"),
        ("layers/dense/vars/1", "FIRST Dense"),
        ("layers/batch_normalization/vars/1", "BatchNormalization"),
        ("dense_1/bias", "not where Keras"),
    ],
)
def test_weight_path_mistakes(answer, expected, feedback):
    assert feedback("11.2", answer, expected).status == "wrong"


def test_the_answer_to_11_2_is_what_the_export_writes(tmp_path, solution_answer):
    model = Sequential([Input(shape=(4,)), Dense(8), BatchNormalization(), Dense(1)])
    interop.to_keras_file(model, tmp_path / "m.keras")
    _, _, weights = interop.read_keras_file(tmp_path / "m.keras")
    (last_bias,) = [
        key for key, value in weights.items() if value is not None and value.shape == (1,)
    ]
    assert last_bias == solution_answer("11.2")


def lecture_model(
    units=(100, 24, 1), activations=("relu", "relu", "sigmoid"), n_inputs=30, compile_with=None
):
    from dlcourse.layers import Input as In

    model = Sequential(
        [In(shape=(n_inputs,))] + [Dense(n, activation=a) for n, a in zip(units, activations)]
    )
    if compile_with is not False:
        model.compile(
            **(
                compile_with
                or dict(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            )
        )
    return model


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: "model", "not a dlcourse model"),
        (lambda: lecture_model(n_inputs=31), "[None, 30]"),
        (lambda: lecture_model(units=(100, 24, 2)), "(units, activation)"),
        (lambda: lecture_model(activations=("relu", "relu", "softmax")), "(units, activation)"),
        (lambda: lecture_model(compile_with=False), "never compiled"),
        (
            lambda: lecture_model(
                compile_with=dict(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
            ),
            "compile settings",
        ),
        (
            lambda: lecture_model(compile_with=dict(optimizer="adam", loss="mse")),
            "compile settings",
        ),
        (lambda: Sequential([Dense(100, activation="relu"), Dense(1)]), "model.save raised"),
    ],
    ids=["text", "31-inputs", "2-outputs", "softmax", "uncompiled", "sgd", "mse", "unbuilt"],
)
def test_lecture_model_mistakes(make, expected, feedback):
    assert feedback("11.3", make(), expected).status == "wrong"


def test_the_older_input_shape_form_also_passes(verdict):
    """Keras 3 still accepts input_shape= (with a warning); the file is the same."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Sequential(
            [
                Dense(100, activation="relu", input_shape=(30,)),
                Dense(24, activation="relu"),
                Dense(1, activation="sigmoid"),
            ]
        )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    assert verdict("11.3", model).status == "correct"
