"""Keras 3.15's semantics of the training API, and bad input refused without a trace.

What each call returns and logs (per-batch values from *_on_batch, unweighted per-output losses,
unweighted `metrics` and weighted `weighted_metrics`, class weights), the inputs Keras takes
(lists of rows, dicts of named inputs) and, for bad input, an error that names the problem and
the fix while the model stays exactly as it was. tests/interop/test_real_keras_semantics.py checks
the same behaviours against the real Keras.
"""

import copy

import numpy as np
import pytest

from dlcourse.callbacks import LambdaCallback
from dlcourse.layers import Concatenate, Dense, Input
from dlcourse.models import Model, Sequential
from dlcourse.optimizers import SGD
from dlcourse.utils import set_random_seed, to_categorical

rng = np.random.default_rng(0)
X = rng.normal(size=(12, 3)).astype("float32")
Y = (X[:, 0] > 0).astype("float32")
CLASSES = rng.integers(0, 4, size=12)
SW = rng.uniform(0.1, 2.0, size=12)


def binary_model(seed=0, learning_rate=0.5):
    set_random_seed(seed)
    model = Sequential(
        [Input(shape=(3,)), Dense(4, activation="tanh"), Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=SGD(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def two_output_model(**compile_args):
    set_random_seed(0)
    inputs = Input(shape=(3,), name="features")
    hidden = Dense(4, activation="tanh")(inputs)
    main = Dense(1, activation="sigmoid", name="main")(hidden)
    aux = Dense(2, name="aux")(hidden)
    model = Model(inputs, [main, aux])
    model.compile(optimizer=SGD(0.1), **compile_args)
    return model


AUX = rng.normal(size=(12, 2)).astype("float32")


# ----- train_on_batch / test_on_batch: this batch's values ------------------------------------


def test_train_on_batch_returns_this_batchs_loss_and_metrics_not_running_means():
    model = binary_model()
    model.train_on_batch(X[:6], Y[:6])
    twin = copy.deepcopy(model)  # the same weights: what the second step starts from
    expected = twin.evaluate(X[6:], Y[6:], verbose=0)
    assert model.train_on_batch(X[6:], Y[6:]) == pytest.approx(expected, rel=1e-6)
    twin.train_on_batch(X[6:], Y[6:])  # the twin catches up
    expected = twin.evaluate(X[:6], Y[:6], verbose=0, return_dict=True)
    assert model.train_on_batch(X[:6], Y[:6], return_dict=True) == pytest.approx(expected)


def test_test_on_batch_after_training_steps_reports_that_batch_alone():
    model = binary_model()
    for _ in range(3):
        model.train_on_batch(X, Y)
    assert model.test_on_batch(X[:5], Y[:5]) == pytest.approx(
        model.evaluate(X[:5], Y[:5], verbose=0), rel=1e-6
    )


# ----- several outputs: each output's loss unweighted, only the total weighted ----------------


def test_per_output_losses_are_logged_unweighted_and_only_the_total_is_weighted():
    model = two_output_model(
        loss={"main": "binary_crossentropy", "aux": "mse"}, loss_weights={"main": 2.0, "aux": 0.5}
    )
    logs = model.evaluate(X, [Y, AUX], return_dict=True, verbose=0)
    p_main, p_aux = model.predict(X, verbose=0)
    assert logs["aux_loss"] == pytest.approx(np.mean((p_aux - AUX) ** 2), rel=1e-5)
    bce = -np.mean(Y * np.log(p_main[:, 0]) + (1 - Y) * np.log(1 - p_main[:, 0]))
    assert logs["main_loss"] == pytest.approx(bce, rel=1e-5)
    assert logs["loss"] == pytest.approx(2.0 * logs["main_loss"] + 0.5 * logs["aux_loss"])
    history = model.fit(X, [Y, AUX], epochs=1, batch_size=12, shuffle=False, verbose=0)
    assert history.history["aux_loss"][0] == pytest.approx(logs["aux_loss"], rel=1e-6)


def test_an_output_without_a_loss_gets_no_loss_log():
    model = two_output_model(loss={"main": "binary_crossentropy", "aux": None})
    logs = model.evaluate(X, [Y, AUX], return_dict=True, verbose=0)
    assert list(logs) == ["loss"]  # one loss only: Keras logs no per-output losses


class TwoHeads(Model):
    """A subclassed model with two outputs: they have no names."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.main = Dense(1, activation="sigmoid")
        self.aux = Dense(2)

    def call(self, inputs):
        return [self.main(inputs), self.aux(inputs)]


def test_a_subclassed_model_with_two_outputs_names_its_logs_by_loss_and_metric():
    set_random_seed(0)
    model = TwoHeads()
    model.compile(
        optimizer="sgd", loss=["binary_crossentropy", "mse"], metrics=[["accuracy"], ["mae"]]
    )
    logs = model.evaluate(X, [Y, AUX], return_dict=True, verbose=0)
    assert list(logs) == ["accuracy", "binary_crossentropy_loss", "loss", "mae", "mse_loss"]
    p_aux = model.predict(X, verbose=0)[1]
    assert logs["mse_loss"] == pytest.approx(np.mean((p_aux - AUX) ** 2), rel=1e-5)
    with pytest.raises(ValueError, match=r"has 2 output\(s\) but y holds 1 target array"):
        model.evaluate(X, Y, verbose=0)


# ----- metrics are unweighted, weighted_metrics weighted, named as Keras names them -----------


def test_metrics_ignore_sample_weight_and_weighted_metrics_use_it():
    model = binary_model()
    model.compile(
        optimizer="sgd",
        loss="binary_crossentropy",
        metrics=["accuracy", "mse"],
        weighted_metrics=["accuracy", "mae"],
    )
    p = model.predict(X, verbose=0)[:, 0]
    hits = ((p > 0.5) == Y).astype(float)
    logs = model.evaluate(X, Y, sample_weight=SW, return_dict=True, verbose=0)
    assert list(logs) == ["accuracy", "loss", "mae", "mse", "weighted_accuracy"]
    assert logs["accuracy"] == pytest.approx(hits.mean())
    assert logs["mse"] == pytest.approx(np.mean((p - Y) ** 2), rel=1e-5)
    assert logs["weighted_accuracy"] == pytest.approx(np.sum(SW * hits) / np.sum(SW))
    assert logs["mae"] == pytest.approx(np.sum(SW * np.abs(p - Y)) / np.sum(SW), rel=1e-5)
    # The list form follows Keras: loss, the metrics by their own names (so 'accuracy' twice),
    # then what is left, sorted.
    values = model.evaluate(X, Y, sample_weight=SW, verbose=0)
    assert values == pytest.approx(
        [logs[k] for k in ("loss", "accuracy", "mse", "accuracy", "mae", "weighted_accuracy")]
    )


def test_class_weight_weighs_the_loss_and_weighted_metrics_only():
    model = binary_model(learning_rate=0.0)
    model.compile(
        optimizer=SGD(0.0),
        loss="binary_crossentropy",
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )
    p = model.predict(X, verbose=0)[:, 0]
    hits = ((p > 0.5) == Y).astype(float)
    weights = np.where(Y == 1, 3.0, 1.0)
    history = model.fit(X, Y, class_weight={1: 3.0}, epochs=1, batch_size=12, verbose=0)
    logs = {k: v[0] for k, v in history.history.items()}
    assert logs["accuracy"] == pytest.approx(hits.mean())
    assert logs["weighted_accuracy"] == pytest.approx(np.sum(weights * hits) / weights.sum())
    bce = -(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    assert logs["loss"] == pytest.approx(np.mean(weights * bce), rel=1e-5)


def test_metric_names_of_several_outputs_as_keras_gives_them():
    model = two_output_model(
        loss={"main": "binary_crossentropy", "aux": "mse"},
        metrics={"main": ["accuracy", "accuracy"], "aux": ["mae"]},
        weighted_metrics={"main": ["accuracy", "mse"]},
    )
    logs = model.evaluate(X, [Y, AUX], return_dict=True, verbose=0)
    assert list(logs) == [
        "aux_loss",
        "aux_mae",
        "loss",
        "main_accuracy",
        "main_accuracy_1",
        "main_loss",
        "main_mse",
        "main_weighted_accuracy",
    ]
    assert model.metrics_names == [
        "loss",
        "main_accuracy",
        "main_accuracy_1",
        "aux_mae",
        "main_weighted_accuracy",
        "main_mse",
        "main_loss",
        "aux_loss",
    ]
    values = model.evaluate(X, [Y, AUX], verbose=0)
    order = ["loss", "main_loss", "aux_loss", "aux_mae", "main_accuracy", "main_accuracy_1"]
    assert values == pytest.approx(
        [logs[k] for k in order + ["main_mse", "main_weighted_accuracy"]]
    )


@pytest.mark.parametrize("argument", ["metrics", "weighted_metrics"])
def test_metrics_must_be_a_list_as_in_keras(argument):
    model = binary_model()
    with pytest.raises(
        ValueError, match=rf"`{argument}` must be a list.*{argument}=\['accuracy'\]"
    ):
        model.compile(optimizer="sgd", loss="binary_crossentropy", **{argument: "accuracy"})


# ----- class_weight -------------------------------------------------------------------------


def test_a_class_left_out_of_class_weight_weighs_one():
    set_random_seed(0)
    model = Sequential([Input(shape=(3,)), Dense(4, activation="softmax")])
    model.compile(optimizer=SGD(0.0), loss="sparse_categorical_crossentropy")
    p = model.predict(X, verbose=0)
    losses = -np.log(p[np.arange(12), CLASSES])
    weights = np.array([{0: 2.0, 3: 0.5}.get(c, 1.0) for c in CLASSES])
    history = model.fit(X, CLASSES, class_weight={0: 2.0, 3: 0.5}, batch_size=12, verbose=0)
    assert history.history["loss"][0] == pytest.approx(np.mean(weights * losses), rel=1e-5)
    model.compile(optimizer=SGD(0.0), loss="categorical_crossentropy")  # one-hot labels:
    history = model.fit(  # the class is the index of the 1
        X, to_categorical(CLASSES, 4), class_weight={0: 2.0, 3: 0.5}, batch_size=12, verbose=0
    )
    assert history.history["loss"][0] == pytest.approx(np.mean(weights * losses), rel=1e-5)


@pytest.mark.parametrize(
    "make_model, kwargs, message",
    [
        (
            binary_model,
            {"class_weight": {0: 1.0, 1: 2.0}, "sample_weight": SW},
            "class_weight and sample_weight cannot be given together",
        ),
        (binary_model, {"class_weight": {"0": 1.0}}, "dict from class index to weight"),
        (binary_model, {"class_weight": [1.0, 2.0]}, "dict from class index to weight"),
    ],
)
def test_class_weight_misuse_is_named(make_model, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_model().fit(X, Y, verbose=0, **kwargs)


def test_class_weight_needs_one_output():
    model = two_output_model(loss=["binary_crossentropy", "mse"])
    with pytest.raises(ValueError, match="class_weight works for a model with one output"):
        model.fit(X, [Y, AUX], class_weight={0: 1.0}, verbose=0)


# ----- inputs Keras takes -------------------------------------------------------------------


def test_a_list_of_rows_is_one_float32_array():
    model = binary_model()
    np.testing.assert_array_equal(model.predict(X.tolist(), verbose=0), model.predict(X))
    histories = []
    for x, y in ((X, Y), (X.tolist(), Y.tolist())):
        model = binary_model()
        histories.append(model.fit(x, y, epochs=2, batch_size=4, verbose=0).history)
    assert histories[0] == histories[1]
    with pytest.raises(ValueError, match=r"shape \(3,\).*expects \(batch, 3\)"):
        model.predict([0.1, 0.2, 0.3])  # one row as a flat list: a clear error


def two_input_model():
    set_random_seed(0)
    a, b = Input(shape=(3,), name="a"), Input(shape=(2,), name="b")
    out = Dense(1, activation="sigmoid")(Concatenate()([a, b]))
    model = Model([a, b], out)
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_a_dict_of_named_inputs_is_matched_by_name():
    model = two_input_model()
    xb = X[:, :2] * 2
    expected = model.predict([X, xb], verbose=0)
    np.testing.assert_array_equal(model.predict({"b": xb, "a": X}, verbose=0), expected)
    np.testing.assert_array_equal(model.predict({"a": X, "b": xb, "c": X}, verbose=0), expected)
    assert model.evaluate({"b": xb, "a": X}, Y, verbose=0) == model.evaluate([X, xb], Y, verbose=0)
    with pytest.raises(ValueError, match=r"missing the input\(s\) \['b'\]"):
        model.predict({"a": X})
    with pytest.raises(ValueError, match=r"2 inputs \['a', 'b'\], but x holds 1 array"):
        model.predict([X])


def test_a_dict_given_to_a_sequential_model_names_the_fix():
    model = binary_model()
    with pytest.raises(
        ValueError, match=r"has no named inputs: pass the array itself \(e.g. x\['a'\]\)"
    ):
        model.fit({"a": X}, Y, verbose=0)


@pytest.mark.parametrize("freq, validated", [(2, [1, 3]), ([1, 4], [0, 3]), ((3,), [2])])
def test_validation_freq_is_every_n_epochs_or_a_list_of_epochs(freq, validated):
    seen = []

    def record(epoch, logs):
        if "val_loss" in logs:
            seen.append(epoch)

    model = binary_model()
    fit = {"epochs": 4, "verbose": 0, "validation_data": (X, Y), "validation_freq": freq}
    model.fit(X, Y, callbacks=LambdaCallback(on_epoch_end=record), **fit)
    assert seen == validated


@pytest.mark.parametrize("freq", [0, -1, 0.5, True, "2"])
def test_a_bad_validation_freq_is_named(freq):
    with pytest.raises(ValueError, match="validation_freq must be a positive integer .* list"):
        binary_model().fit(X, Y, verbose=0, validation_data=(X, Y), validation_freq=freq)


# ----- empty data ---------------------------------------------------------------------------

EMPTY = np.zeros((0, 3))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m: m.fit(EMPTY, np.zeros(0), verbose=0), r"x has no samples \(shape \(0, 3\)\)"),
        (lambda m: m.fit([], [], verbose=0), r"x has no samples \(shape \(0,\)\)"),
        (lambda m: m.evaluate(EMPTY, np.zeros(0), verbose=0), "x has no samples"),
        (lambda m: m.predict(EMPTY, verbose=0), "x has no samples"),
        (lambda m: m.predict_on_batch(EMPTY), "x has no samples"),
        (lambda m: m.train_on_batch(EMPTY, np.zeros(0)), "x has no samples"),
        (lambda m: m.test_on_batch(EMPTY, np.zeros(0)), "x has no samples"),
        (
            lambda m: m.fit(X, Y, verbose=0, validation_data=(EMPTY, np.zeros(0))),
            "validation_data has no samples .* or leave validation_data out",
        ),
    ],
)
def test_empty_data_is_refused_with_its_name(call, message):
    with pytest.raises(ValueError, match=message):
        call(binary_model())


# ----- a rejected call leaves the model exactly as it was -----------------------------------


def softmax_model():
    set_random_seed(3)
    model = Sequential([Input(shape=(3,)), Dense(5, activation="relu"), Dense(4, "softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def state(model):
    """Everything a call could change: weights, optimizer state, compiled loss and metrics."""
    metrics = model._compiled_metrics
    return {
        "weights": [w.tolist() for w in model.get_weights()],
        "optimizer": (model.optimizer.iterations, [v.tolist() for v in model.optimizer.variables]),
        "loss": model._compiled_loss is None,
        "metrics": None if metrics is None else (metrics.names, metrics.results()),
        "means": (dict(model._loss_means.sums), model._loss_means.count),
    }


ONE_HOT = to_categorical(CLASSES, 4)
REJECTED = {
    "one-hot labels to a sparse loss": lambda m: m.fit(X, ONE_HOT, verbose=0),
    "bad validation labels": lambda m: m.fit(X, CLASSES, verbose=0, validation_data=(X, ONE_HOT)),
    "empty validation data": lambda m: m.fit(X, CLASSES, verbose=0, validation_data=(EMPTY, [])),
    "evaluate with one-hot labels": lambda m: m.evaluate(X, ONE_HOT, verbose=0),
    "train_on_batch with one-hot labels": lambda m: m.train_on_batch(X, ONE_HOT),
    "class_weight with sample_weight": lambda m: m.fit(
        X, CLASSES, class_weight={0: 2.0}, sample_weight=SW, verbose=0
    ),
    "a callback that is not one": lambda m: m.fit(X, CLASSES, verbose=0, callbacks=[print]),
}


@pytest.mark.parametrize("rejected", list(REJECTED))
def test_a_rejected_call_leaves_the_model_exactly_as_it_was(rejected):
    runs = []
    for bad_call in (None, REJECTED[rejected]):
        model = softmax_model()
        if bad_call is not None:
            with pytest.raises((ValueError, TypeError)):
                bad_call(model)
        before = state(model)
        history = model.fit(
            X, CLASSES, epochs=3, batch_size=4, validation_data=(X, CLASSES), verbose=0
        )
        runs.append((before, history.history, state(model)))
    assert runs[1] == runs[0]


@pytest.mark.parametrize("rejected", list(REJECTED))
def test_a_rejected_call_after_training_changes_nothing(rejected):
    model = softmax_model()
    model.fit(X, CLASSES, epochs=2, batch_size=4, verbose=0)
    before = state(model)
    with pytest.raises((ValueError, TypeError)):
        REJECTED[rejected](model)
    assert state(model) == before


def test_an_unbuilt_model_after_a_rejected_call_trains_as_if_it_never_saw_it():
    runs = []
    for bad in (False, True):
        set_random_seed(3)
        model = Sequential([Dense(5, activation="relu"), Dense(4, "softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
        if bad:
            with pytest.raises(ValueError, match="one-hot"):
                model.fit(X, ONE_HOT, verbose=0)
        history = model.fit(X, CLASSES, epochs=3, batch_size=4, verbose=0)
        runs.append((history.history, state(model)))
    assert runs[1] == runs[0]
