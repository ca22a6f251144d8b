"""Exercises of notebook 11: the reference solutions pass, typical mistakes get specific
feedback, and the answers agree with what dlcourse.interop actually writes."""

import pytest

from dlcourse import interop
from dlcourse.layers import BatchNormalization, Dense, Input
from dlcourse.models import Sequential


@pytest.mark.parametrize("exercise_id", ["11.1", "11.2"])
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
