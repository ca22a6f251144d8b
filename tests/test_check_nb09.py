"""Exercises of notebook 09: reference solutions pass in both languages, typical mistakes get
specific feedback, and the experiment 09.4 really saves and loads the learner's class."""

import pytest

from dlcourse import check
from dlcourse.layers import Dense
from dlcourse.models import Model
from dlcourse.saving import register_keras_serializable

IDS = ["09.1", "09.2", "09.3", "09.4"]


def run(exercise_id, answer):
    return check.exercise(exercise_id, answer)


@pytest.fixture
def assert_wrong(feedback):
    def assert_wrong(exercise_id, answer, *phrases):
        result = feedback(exercise_id, answer, *phrases)
        assert result.status == "wrong", result.message

    return assert_wrong


def test_notebook_09_registers_exactly_these_exercises():
    assert {e.id for e in check.all_exercises() if e.id.startswith("09.")} == set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_is_accepted(exercise_id, solution_answer, feedback):
    assert feedback(exercise_id, solution_answer(exercise_id)).status == "correct"
    assert feedback(exercise_id, ...).status == "not attempted"


# ----- 09.1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ("net.h5", "legacy HDF5"),
        ("net.weights.h5", "weight arrays only"),
        ("net.pkl", "Pickle"),
        ("net.json", "architecture only"),
        ("save_weights", "not one of"),
        (3, "not text"),
    ],
)
def test_0901_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("09.1", answer, phrase)


def test_0901_accepts_spellings():
    for spelling in ["net.keras", " Net.KERAS ", "my_net.keras", ".keras"]:
        assert run("09.1", spelling).status == "correct", spelling


# ----- 09.2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ((5, 5), "LAST epoch"),
        ((6, 10), "already DONE"),
        ((0, 5), "numbers the new epochs"),
        ((10, 5), "order"),
        ((0, 10), "15 in all"),
        ((1, 2), "does not run"),
        (5, "not a pair"),
        (("5", "10"), "two numbers"),
    ],
)
def test_0902_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("09.2", answer, phrase)


def test_0902_accepts_a_list():
    assert run("09.2", [5, 10]).status == "correct"


# ----- 09.3 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ("load_weights", "Keras 3 skips it"),
        ("model_from_json", "NEW random weights"),
        ("pickle", "not one of"),
        (1, "not text"),
    ],
)
def test_0903_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("09.3", answer, phrase)


# ----- 09.4: the learner's class, saved and loaded -------------------------------------------


def small_net(name, hidden_units=None, outputs=3, kwargs=True, config=True, register=True):
    """A SmallNet-like class with one typical mistake, registered under its own name."""

    class Net(Model):
        def __init__(self, hidden=16, **extra):
            super().__init__(**(extra if kwargs else {}))
            if extra and not kwargs:
                raise TypeError(f"__init__() got an unexpected keyword argument {list(extra)[0]!r}")
            self.hidden = hidden
            self.dense = Dense(hidden_units or hidden, activation="relu")
            self.out = Dense(outputs, activation="softmax")

        def call(self, inputs):
            return self.out(self.dense(inputs))

    if config == "without hidden":
        Net.get_config = lambda self: Model.get_config(self)
    elif config:
        Net.get_config = lambda self: {**Model.get_config(self), "hidden": self.hidden}
    elif "get_config" in vars(Net):
        del Net.get_config
    Net.__name__ = Net.__qualname__ = name
    return register_keras_serializable(name=name)(Net) if register else Net


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda: None, "not a subclass of Model"),
        (Model, "not registered"),
        (small_net("Unregistered", register=False), "not registered"),
        (small_net("NoConfig", config=False), "model.save raised NotImplementedError"),
        (small_net("ConfigWithoutHidden", config="without hidden"), "does not say hidden=8"),
        (small_net("NoKwargs", kwargs=False), "super().__init__(**kwargs)"),
        (small_net("IgnoresHidden", hidden_units=16), "ignores hidden"),
        (small_net("TenOutputs", outputs=10), "expected (5, 3)"),
    ],
    ids=[
        "function",
        "Model",
        "unregistered",
        "no-config",
        "no-hidden",
        "no-kwargs",
        "ignores-hidden",
        "ten-outputs",
    ],
)
def test_0904_typical_mistakes(answer, phrase, assert_wrong):
    assert_wrong("09.4", answer, phrase)


def test_0904_leaves_the_random_state_as_it_was(solution_answer):
    import numpy as np

    from dlcourse import backend

    state = np.random.get_state()[1].copy(), backend.rng().bit_generator.state
    assert run("09.4", solution_answer("09.4")).status == "correct"
    assert np.array_equal(np.random.get_state()[1], state[0])
    assert backend.rng().bit_generator.state == state[1]
