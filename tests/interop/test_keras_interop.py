"""Both directions against the real Keras 3 (optional: `make test-interop` installs it).

Skipped when Keras cannot be imported, so the normal suite (`make test`) runs without it.
Keras runs on the PyTorch CPU backend unless KERAS_BACKEND says otherwise.
"""

import os
import warnings

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras", reason="Keras 3 is not installed: run `make test-interop`")

from dlcourse import interop, utils  # noqa: E402
from dlcourse.layers import (  # noqa: E402
    Activation,
    Add,
    BatchNormalization,
    Concatenate,
    Dense,
    Dropout,
    Flatten,
    Input,
)
from dlcourse.models import Model, Sequential  # noqa: E402
from dlcourse.optimizers import SGD, Adam  # noqa: E402
from dlcourse.optimizers.schedules import ExponentialDecay  # noqa: E402

RTOL, ATOL = 1e-5, 2e-6  # float32 precision: the two libraries sum in different orders


def rng():
    return np.random.default_rng(0)


def assert_same_predictions(keras_model, dl_model, inputs):
    expected = dl_model.predict(inputs, verbose=0)
    got = keras_model.predict(inputs, verbose=0)
    expected = expected if isinstance(expected, list) else [expected]
    got = got if isinstance(got, list) else [got]
    assert len(got) == len(expected)
    for k, d in zip(got, expected):
        np.testing.assert_allclose(np.asarray(k), d, rtol=RTOL, atol=ATOL)


def load_in_keras(path):
    with warnings.catch_warnings():
        # Keras warns that the optimizer's variables are not in the file: it starts fresh.
        warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
        return keras.models.load_model(path)


def sequential_bn():
    utils.set_random_seed(1)
    x = rng().normal(size=(200, 6)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    model = Sequential(
        [
            Dense(16, activation="relu", input_shape=(6,)),
            BatchNormalization(),
            Dropout(0.3),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=5, batch_size=32, verbose=0)  # moving statistics move away from 0/1
    return model, x, y


def functional_multi():
    utils.set_random_seed(2)
    a = Input(shape=(6,), name="a")
    b = Input(shape=(2, 3), name="b")
    h = Dense(5, activation="tanh", name="h")(a)
    g = Dense(5, name="g")(Flatten()(b))
    merged = BatchNormalization()(Concatenate()([Add()([h, g]), a]))
    out_value = Dense(1, name="value")(merged)
    out_class = Activation("softmax", name="klass")(Dense(3)(merged))
    model = Model(inputs=[a, b], outputs=[out_value, out_class])
    model.compile(
        optimizer=SGD(0.05, momentum=0.9),
        loss=["mse", "categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[["mae"], ["accuracy"]],
    )
    r = rng()
    xa, xb = r.normal(size=(128, 6)).astype("float32"), r.normal(size=(128, 2, 3)).astype("float32")
    ys = [xa[:, :1], np.eye(3, dtype="float32")[r.integers(0, 3, 128)]]
    model.fit([xa, xb], ys, epochs=3, batch_size=32, verbose=0)
    return model, [xa, xb], ys


def residual_regression():
    utils.set_random_seed(3)
    inputs = Input(shape=(4,))
    x = Dense(8, activation="relu", kernel_initializer="he_normal", kernel_regularizer="l2")(inputs)
    x = Add()([x, Dense(8)(inputs)])
    outputs = Dense(1)(x)
    model = Model(inputs, outputs)
    model.compile(
        optimizer=Adam(ExponentialDecay(0.01, decay_steps=100, decay_rate=0.9)),
        loss="mse",
        metrics=["mae"],
    )
    x_data = rng().normal(size=(100, 4)).astype("float32")
    model.fit(x_data, x_data.sum(axis=1, keepdims=True), epochs=2, verbose=0)
    return model, x_data, x_data.sum(axis=1, keepdims=True)


def wide_sequential():
    utils.set_random_seed(4)
    model = Sequential(
        [
            Input(shape=(3, 4)),
            Flatten(),
            Dense(32, activation="elu"),
            Dense(16, activation="selu"),
            Dense(10, activation="softmax"),
        ]
    )
    return model, rng().normal(size=(50, 3, 4)).astype("float32"), None


BUILDERS = [sequential_bn, functional_multi, residual_regression, wide_sequential]


@pytest.mark.parametrize("build", BUILDERS, ids=[b.__name__ for b in BUILDERS])
def test_keras_predicts_what_dlcourse_predicts(build, tmp_path):
    model, x, _ = build()
    path = tmp_path / "model.keras"
    interop.to_keras_file(model, path)
    keras_model = load_in_keras(path)
    assert_same_predictions(keras_model, model, x)
    if model._graph is not None:  # the weight paths are numbered in Keras's layer order
        assert [layer.name for layer in keras_model.layers] == [
            layer.name for layer in interop.keras_layer_order(model)
        ]


def test_batch_normalization_runs_in_inference_mode_with_the_moving_statistics(tmp_path):
    model, x, _ = sequential_bn()
    bn = model.layers[1]
    assert not np.allclose(bn.moving_mean.value, 0) and not np.allclose(bn.moving_variance.value, 1)
    interop.to_keras_file(model, tmp_path / "bn.keras")
    keras_bn = load_in_keras(tmp_path / "bn.keras").layers[1]
    np.testing.assert_array_equal(keras_bn.moving_mean.numpy(), bn.moving_mean.value)
    np.testing.assert_array_equal(keras_bn.moving_variance.numpy(), bn.moving_variance.value)
    np.testing.assert_array_equal(keras_bn.gamma.numpy(), bn.gamma.value)


def test_compile_settings_cross_and_give_the_same_loss(tmp_path):
    model, x, y = sequential_bn()
    interop.to_keras_file(model, tmp_path / "m.keras")
    keras_model = load_in_keras(tmp_path / "m.keras")
    assert type(keras_model.optimizer).__name__ == "Adam"
    assert float(keras_model.optimizer.learning_rate) == pytest.approx(0.01)
    keras_loss, keras_accuracy = keras_model.evaluate(x, y, verbose=0)
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert keras_loss == pytest.approx(loss, rel=1e-4)
    assert keras_accuracy == pytest.approx(accuracy)


def test_multi_output_compile_settings_cross(tmp_path):
    model, x, ys = functional_multi()
    interop.to_keras_file(model, tmp_path / "m.keras")
    keras_model = load_in_keras(tmp_path / "m.keras")
    optimizer = keras_model.optimizer
    assert type(optimizer).__name__ == "SGD" and optimizer.momentum == pytest.approx(0.9)
    assert keras_model.loss == ["mse", "categorical_crossentropy"]
    keras_total = keras_model.evaluate(x, ys, verbose=0, return_dict=True)["loss"]
    assert keras_total == pytest.approx(
        model.evaluate(x, ys, verbose=0, return_dict=True)["loss"], rel=1e-4
    )


def test_a_schedule_crosses_as_a_keras_schedule(tmp_path):
    model, _, _ = residual_regression()
    interop.to_keras_file(model, tmp_path / "m.keras")
    schedule = load_in_keras(tmp_path / "m.keras").optimizer._learning_rate
    assert type(schedule).__name__ == "ExponentialDecay"
    assert float(schedule(100)) == pytest.approx(0.009)


def test_keras_can_keep_training_the_exported_model(tmp_path):
    model, x, y = sequential_bn()
    interop.to_keras_file(model, tmp_path / "m.keras")
    keras_model = load_in_keras(tmp_path / "m.keras")
    before = keras_model.evaluate(x, y, verbose=0)[0]
    keras_model.fit(x, y, epochs=5, verbose=0)
    assert keras_model.evaluate(x, y, verbose=0)[0] < before


# ----- Keras -> dlcourse -------------------------------------------------------------------


def keras_sequential():
    keras.utils.set_random_seed(5)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.RMSprop(0.002),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    x = np.random.default_rng(5).normal(size=(120, 6)).astype("float32")
    y = keras.utils.to_categorical((x[:, 0] > 0).astype(int) + (x[:, 1] > 0), 3)
    model.fit(x, y, epochs=3, verbose=0)
    return model, x


def keras_functional():
    keras.utils.set_random_seed(6)
    a, b = keras.Input((4,), name="left"), keras.Input((2, 2), name="right")
    x = keras.layers.Dense(6, activation="relu")(a)
    y = keras.layers.Dense(6)(keras.layers.Flatten()(b))
    z = keras.layers.BatchNormalization()(keras.layers.Add()([x, y]))
    z = keras.layers.Concatenate()([z, a])
    out1 = keras.layers.Dense(1, activation="sigmoid", name="yes_no")(z)
    out2 = keras.layers.Activation("linear", name="amount")(keras.layers.Dense(2)(z))
    model = keras.Model([a, b], [out1, out2])
    model.compile(optimizer="adam", loss=["binary_crossentropy", "mae"], metrics=[["accuracy"], []])
    r = np.random.default_rng(6)
    xs = [r.normal(size=(64, 4)).astype("float32"), r.normal(size=(64, 2, 2)).astype("float32")]
    model.fit(xs, [(xs[0][:, :1] > 0).astype("float32"), xs[0][:, :2]], epochs=3, verbose=0)
    return model, xs


KERAS_BUILDERS = [keras_sequential, keras_functional]


@pytest.mark.parametrize("build", KERAS_BUILDERS, ids=[b.__name__ for b in KERAS_BUILDERS])
def test_dlcourse_predicts_what_keras_predicts(build, tmp_path):
    keras_model, x = build()
    keras_model.save(tmp_path / "k.keras")
    model = interop.from_keras_file(tmp_path / "k.keras")
    assert_same_predictions(keras_model, model, x)
    order = interop.keras_layer_order(model) if model._graph is not None else model.layers
    assert [layer.name for layer in order] == [layer.name for layer in keras_model.layers]


def test_keras_compile_settings_arrive_in_dlcourse(tmp_path):
    keras_model, x = keras_sequential()
    keras_model.save(tmp_path / "k.keras")
    model = interop.from_keras_file(tmp_path / "k.keras")
    assert type(model.optimizer).__name__ == "RMSprop"
    assert model.optimizer.learning_rate == pytest.approx(0.002)
    y = keras.utils.to_categorical((x[:, 0] > 0).astype(int) + (x[:, 1] > 0), 3)
    keras_loss = keras_model.evaluate(x, y, verbose=0)[0]
    assert model.evaluate(x, y, verbose=0)[0] == pytest.approx(keras_loss, rel=1e-4)
    uncompiled = interop.from_keras_file(tmp_path / "k.keras", compile=False)
    assert uncompiled.optimizer is None


def test_round_trip_through_keras_changes_nothing(tmp_path):
    model, x, _ = functional_multi()
    interop.to_keras_file(model, tmp_path / "a.keras")
    load_in_keras(tmp_path / "a.keras").save(tmp_path / "b.keras")
    again = interop.from_keras_file(tmp_path / "b.keras")
    for got, expected in zip(again.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_array_equal(got, expected)


def test_keras_layers_dlcourse_lacks_are_named(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(2, 3, name="conv"),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    model.save(tmp_path / "conv.keras")
    with pytest.raises(interop.UnsupportedKerasFeature, match=r"'conv' is a Keras Conv2D"):
        interop.from_keras_file(tmp_path / "conv.keras")


def test_keras_options_dlcourse_lacks_are_named(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, kernel_constraint=keras.constraints.MaxNorm(2), name="capped"),
        ]
    )
    model.save(tmp_path / "c.keras")
    with pytest.raises(interop.UnsupportedKerasFeature, match=r"'capped'.*kernel_constraint"):
        interop.from_keras_file(tmp_path / "c.keras")
