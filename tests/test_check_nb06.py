"""Checkers 06.4 (L2 as weight decay under SGD) and 06.5 (beat the baseline over three seeds):
the reference solutions pass, typical wrong answers get specific feedback in both languages.
06.1-06.3 are tested in test_check_nb06_07.py."""

import numpy as np
import pytest

from dlcourse import regularizers
from dlcourse.check import nb06
from dlcourse.layers import Dense, Dropout, Input
from dlcourse.models import Sequential
from dlcourse.optimizers import SGD, Adam


def make_model_of(
    units=(256, 256), dropout=0.0, regularizer=None, weight_decay=None, output=("softmax", 10)
):
    """A make_model() answer: the baseline network with the given changes."""

    def make_model():
        model = Sequential([Input(shape=(64,), name="pixels")])
        for index, width in enumerate(units):
            model.add(
                Dense(width, activation="relu", kernel_regularizer=regularizer, name=f"h{index}")
            )
            if dropout:
                model.add(Dropout(dropout, name=f"drop{index}"))
        activation, width = output
        model.add(Dense(width, activation=activation, name="out"))
        optimizer = Adam(0.003, weight_decay=weight_decay)
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
        return model

    return make_model


# ----- 06.4 -------------------------------------------------------------------------------------
WRONG_ANSWERS_06_4 = [
    (0.01, "gradient of 0.01 * w**2"),
    (0.005, "halves"),
    (0.002, "how much of w one step removes"),
    (0.001, "misses the 2"),
    (0.2, "divides by the learning rate"),
    (0.998, "factor w is multiplied by"),
    (0.03, "steps differ"),
    ("0.02", "type str"),
]


@pytest.mark.parametrize(
    "answer, words", WRONG_ANSWERS_06_4, ids=[w for _, w in WRONG_ANSWERS_06_4]
)
def test_06_4_typical_wrong_answers_get_specific_feedback(answer, words, feedback):
    assert feedback("06.4", answer, words).status == "wrong"


def test_06_4_the_answer_is_what_the_library_does(feedback):
    """SGD with the L2 penalty's gradient and SGD(weight_decay=0.02) take the same step."""
    w_start = np.array([0.7, -1.3, 0.02], dtype="float32")
    gradient = np.array([0.4, -0.1, 0.0], dtype="float32")
    penalized, decayed = w_start.copy(), w_start.copy()
    SGD(0.1).apply_gradients([(gradient + 2 * 0.01 * w_start, penalized)])
    SGD(0.1, weight_decay=0.02).apply_gradients([(gradient, decayed)])
    np.testing.assert_allclose(penalized, decayed, rtol=0, atol=1e-7)
    assert feedback("06.4", np.float32(0.02), "multiplied by the learning rate").status == "correct"


# ----- 06.5 -------------------------------------------------------------------------------------
def same_model_every_time():
    model = make_model_of()()
    return lambda: model


def raises():
    raise RuntimeError("not written yet")


def uncompiled():
    return Sequential([Input(shape=(64,)), Dense(10, activation="softmax")])


WRONG_ANSWERS_06_5 = [
    (make_model_of(dropout=0.5), "within noise"),  # lowers the best loss, not the final one
    (make_model_of(regularizer=regularizers.L2(1e-2)), "is not below the baseline's"),
    (make_model_of(units=(32,)), "is not below the baseline's"),  # underfits
    (make_model_of(), "builds the baseline itself"),
    (make_model_of(output=("sigmoid", 1)), "need (5, 10)"),
    (make_model_of(output=(None, 10)), "not probabilities"),
    (uncompiled, "not compiled"),
    (lambda: None, "returned a NoneType, not a model"),
    (same_model_every_time(), "the same model twice"),
    (raises, "RuntimeError: not written yet"),
    (make_model_of()(), "the function that builds one"),  # answer = make_model()
]


@pytest.mark.parametrize(
    "answer, words", WRONG_ANSWERS_06_5, ids=[w for _, w in WRONG_ANSWERS_06_5]
)
def test_06_5_typical_wrong_answers_get_specific_feedback(answer, words, feedback):
    assert feedback("06.5", answer, words).status == "wrong"


def test_06_5_a_model_for_other_inputs_is_told_its_input(feedback):
    def eight_by_eight():
        model = Sequential(
            [Input(shape=(8, 8), name="image"), Dense(10, activation="softmax", name="out")]
        )
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    result = feedback("06.5", eight_by_eight, "cannot take rows of 64 pixels", "Input(shape=(64,))")
    assert result.status == "wrong"


def test_06_5_weight_decay_alone_beats_the_baseline(feedback):
    """Another remedy than the solution's: decoupled weight decay, as measured in the notebook."""
    result = feedback("06.5", make_model_of(weight_decay=1.0), "more than the noise")
    assert result.status == "correct"


def test_06_5_trains_each_seed_and_measures_the_final_validation_loss():
    """The checker's numbers are those of the notebook's recipe: the baseline's three final
    validation losses lie in the notebook's range, one per seed, all different."""
    losses = nb06.final_validation_losses(nb06._baseline_model)
    assert losses.shape == (3,) and len(set(losses.round(6))) == 3
    assert np.all((0.2 < losses) & (losses < 0.4))


def test_06_5_checking_leaves_the_random_state_as_it_was(verdict):
    """The checker seeds and trains; the learner's next cells must draw what they would have."""
    from dlcourse import backend

    np.random.seed(7)
    backend.seed_rng(7)
    expected = np.random.random(), backend.rng().random()
    np.random.seed(7)
    backend.seed_rng(7)
    assert verdict("06.5", make_model_of(dropout=0.5)).status == "wrong"
    assert (np.random.random(), backend.rng().random()) == expected
