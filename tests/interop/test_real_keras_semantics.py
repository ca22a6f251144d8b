"""The training API's semantics against the real Keras 3 (optional: `make test-interop`).

The same model, with the same weights, in both libraries: what train_on_batch, test_on_batch
and evaluate return and how they name it (several outputs, loss weights, metrics and
weighted_metrics, sample and class weights), which arguments and inputs each accepts, and the
top-level names. tests/test_keras_semantics.py pins the same behaviours without Keras.
"""

import os
import re
import warnings

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras", reason="Keras 3 is not installed: run `make test-interop`")

import dlcourse  # noqa: E402
from dlcourse.utils import set_random_seed  # noqa: E402

RTOL, ATOL = 1e-5, 2e-6  # float32: the two libraries sum in different orders

r = np.random.default_rng(0)
X = r.normal(size=(24, 3)).astype("float32")
Y = (X[:, 0] + X[:, 1] > 0).astype("float32")
AUX = r.normal(size=(24, 2)).astype("float32")
CLASSES = r.integers(0, 4, size=24)
SW = r.uniform(0.1, 2.0, size=24).astype("float32")


def twins(build, **compile_args):
    """(dlcourse model, Keras model): `build(library)` in each, Keras given dlcourse's weights,
    both compiled with the same arguments (and SGD, whose step is the same in both)."""
    set_random_seed(0)
    dl_model, keras_model = build(dlcourse), build(keras)
    keras_model.set_weights(dl_model.get_weights())
    dl_model.compile(optimizer=dlcourse.optimizers.SGD(0.5), **compile_args)
    keras_model.compile(optimizer=keras.optimizers.SGD(0.5), **compile_args)
    return dl_model, keras_model


def binary(lib):
    return lib.Sequential(
        [
            lib.Input(shape=(3,)),
            lib.layers.Dense(4, activation="tanh"),
            lib.layers.Dense(1, "sigmoid"),
        ]
    )


def softmax(lib):
    return lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(4, activation="softmax")])


def two_outputs(lib):
    inputs = lib.Input(shape=(3,), name="features")
    hidden = lib.layers.Dense(4, activation="tanh", name="hidden")(inputs)
    main = lib.layers.Dense(1, activation="sigmoid", name="main")(hidden)
    aux = lib.layers.Dense(2, name="aux")(hidden)
    return lib.Model(inputs, [main, aux])


def two_inputs(lib):
    a, b = lib.Input(shape=(3,), name="a"), lib.Input(shape=(2,), name="b")
    out = lib.layers.Dense(1, activation="sigmoid", name="out")(lib.layers.Concatenate()([a, b]))
    return lib.Model([a, b], out)


def assert_same(dl_result, keras_result):
    if isinstance(keras_result, dict):
        assert list(dl_result) == list(keras_result)
        dl_result, keras_result = list(dl_result.values()), list(keras_result.values())
    np.testing.assert_allclose(dl_result, keras_result, rtol=RTOL, atol=ATOL)


def test_the_top_level_names_are_keras_names():
    names = [n for n in dlcourse.__all__ if n != "__version__"]
    assert [n for n in names if not hasattr(keras, n)] == []


def test_train_and_test_on_batch_return_each_batchs_values_as_keras_does():
    dl_model, keras_model = twins(binary, loss="binary_crossentropy", metrics=["accuracy"])
    calls = [
        ("train_on_batch", X[:12], Y[:12], {}),
        ("train_on_batch", X[12:], Y[12:], {}),
        ("test_on_batch", X[:12], Y[:12], {}),
        ("train_on_batch", X[:12], Y[:12], {"return_dict": True}),
        ("test_on_batch", X[12:], Y[12:], {"return_dict": True}),
    ]
    for method, x, y, kwargs in calls:
        assert_same(
            getattr(dl_model, method)(x, y, **kwargs), getattr(keras_model, method)(x, y, **kwargs)
        )


def test_several_outputs_log_and_return_what_keras_does():
    dl_model, keras_model = twins(
        two_outputs,
        loss={"main": "binary_crossentropy", "aux": "mse"},
        loss_weights={"main": 1.0, "aux": 0.3},
        metrics={"main": ["accuracy", "accuracy"], "aux": ["mae"]},
        weighted_metrics={"main": ["accuracy", "mse"]},
    )
    for kwargs in ({}, {"sample_weight": SW}):
        for return_dict in (True, False):
            assert_same(
                dl_model.evaluate(X, [Y, AUX], verbose=0, return_dict=return_dict, **kwargs),
                keras_model.evaluate(X, [Y, AUX], verbose=0, return_dict=return_dict, **kwargs),
            )
    assert_same(
        dl_model.train_on_batch(X, [Y, AUX], sample_weight=SW, return_dict=True),
        keras_model.train_on_batch(X, [Y, AUX], sample_weight=SW, return_dict=True),
    )


def test_metrics_and_weighted_metrics_of_one_output_as_keras():
    dl_model, keras_model = twins(
        binary,
        loss="binary_crossentropy",
        metrics=["accuracy", "mse"],
        weighted_metrics=["accuracy", "mae"],
    )
    for return_dict in (True, False):  # the list holds 'accuracy' twice in both
        assert_same(
            dl_model.evaluate(X, Y, sample_weight=SW, verbose=0, return_dict=return_dict),
            keras_model.evaluate(X, Y, sample_weight=SW, verbose=0, return_dict=return_dict),
        )


def test_class_weight_leaving_out_classes_trains_as_keras():
    dl_model, keras_model = twins(
        softmax,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )
    fit = {"class_weight": {0: 2.0, 3: 0.5}, "epochs": 2, "batch_size": 24, "verbose": 0}
    dl_history = dl_model.fit(X, CLASSES, **fit).history
    keras_history = keras_model.fit(X, CLASSES, **fit).history
    assert list(dl_history) == list(keras_history)
    for key in keras_history:
        np.testing.assert_allclose(dl_history[key], keras_history[key], rtol=RTOL, atol=ATOL)
    for d, k in zip(dl_model.get_weights(), keras_model.get_weights()):
        np.testing.assert_allclose(d, np.asarray(k), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(
    "build, loss, y, kwargs",
    [
        (binary, "binary_crossentropy", Y, {"class_weight": {0: 1.0}, "sample_weight": SW}),
        (two_outputs, ["binary_crossentropy", "mse"], [Y, AUX], {"class_weight": {0: 1.0}}),
    ],
)
def test_class_weight_misuse_is_refused_by_both(build, loss, y, kwargs):
    for model in twins(build, loss=loss):
        with pytest.raises(ValueError, match="class_weight"):
            model.fit(X, y, verbose=0, **kwargs)


def test_decay_is_ignored_with_a_warning_and_lr_refused_in_both():
    for lib in (dlcourse, keras):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            optimizer = lib.optimizers.RMSprop(learning_rate=0.001, rho=0.9, decay=0.0)
        messages = [str(w.message) for w in caught]
        assert any("`decay` is no longer supported and will be ignored" in m for m in messages)
        assert "decay" not in optimizer.get_config()
        with pytest.raises(ValueError, match=re.escape("rgument(s) not recognized: {'lr': 0.1}")):
            lib.optimizers.RMSprop(lr=0.1)


def test_both_take_one_callback_not_in_a_list():
    for lib, model in zip((dlcourse, keras), twins(binary, loss="binary_crossentropy")):
        callback = lib.callbacks.History()
        model.fit(X, Y, epochs=2, verbose=0, callbacks=callback)
        assert len(callback.history["loss"]) == 2


def test_dict_inputs_go_to_the_named_inputs_in_both():
    dl_model, keras_model = twins(two_inputs, loss="binary_crossentropy")
    xb = X[:, :2] * 2
    named = {"b": xb, "a": X, "unused": X}
    np.testing.assert_allclose(
        dl_model.predict(named, verbose=0),
        keras_model.predict(named, verbose=0),
        rtol=RTOL,
        atol=ATOL,
    )
    for model in (dl_model, keras_model):
        with pytest.raises(ValueError, match="b"):
            model.predict({"a": X}, verbose=0)
    for model in twins(binary, loss="binary_crossentropy"):
        with pytest.raises(ValueError):
            model.predict({"a": X}, verbose=0)


def test_a_list_of_rows_is_read_as_keras_reads_the_array():
    # Keras 3 refuses nested lists ("Unrecognized data type"); dlcourse reads them as the
    # float32 array, so the numbers are Keras's for that array.
    dl_model, keras_model = twins(binary, loss="binary_crossentropy", metrics=["accuracy"])
    assert_same(
        dl_model.evaluate(X.tolist(), Y.tolist(), verbose=0),
        keras_model.evaluate(np.asarray(X.tolist(), "float32"), Y, verbose=0),
    )


@pytest.mark.parametrize("argument", ["metrics", "weighted_metrics"])
def test_metrics_that_are_not_a_list_are_refused_in_both(argument):
    for lib in (dlcourse, keras):
        with pytest.raises(ValueError, match="list, tuple"):
            binary(lib).compile(optimizer="sgd", loss="mse", **{argument: "accuracy"})


def two_heads(lib):
    """A subclassed model with two outputs, written once for both libraries."""

    class TwoHeads(lib.Model):
        def __init__(self):
            super().__init__()
            self.main = lib.layers.Dense(1, activation="sigmoid")
            self.aux = lib.layers.Dense(2)

        def call(self, x):
            return [self.main(x), self.aux(x)]

    model = TwoHeads()
    model(X[:2])
    return model


def test_a_subclassed_model_with_two_outputs_names_its_logs_as_keras():
    dl_model, keras_model = twins(
        two_heads, loss=["binary_crossentropy", "mse"], metrics=[["accuracy"], ["mae", "accuracy"]]
    )
    for return_dict in (True, False):
        assert_same(
            dl_model.evaluate(X, [Y, AUX], verbose=0, return_dict=return_dict),
            keras_model.evaluate(X, [Y, AUX], verbose=0, return_dict=return_dict),
        )


def test_validation_freq_as_a_list_of_epochs_as_keras():
    histories = []
    for model in twins(binary, loss="binary_crossentropy"):
        fit = {"epochs": 4, "batch_size": 24, "shuffle": False, "verbose": 0}
        history = model.fit(X, Y, validation_data=(X, Y), validation_freq=[1, 3], **fit)
        histories.append(history.history)
    assert {k: len(v) for k, v in histories[0].items()} == {"loss": 4, "val_loss": 2}
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(histories[0][key], histories[1][key], rtol=RTOL, atol=ATOL)
