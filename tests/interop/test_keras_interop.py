"""dlcourse's model files against the real Keras 3 (optional: `make test-interop` installs it).

Both ways, for Sequential, functional (several inputs and outputs) and registered subclassed
models: the other library predicts the same numbers from the file, holds the same optimizer
state, and training continued from the file in the other library follows the same path as
training continued in the library that wrote it. Keras also opens every kind of file
`model.save` writes (every layer class, every optimizer), and its own `.h5` and `.weights.h5`
files open in dlcourse.

Skipped when Keras cannot be imported, so the normal suite (`make test`) runs without it.
Keras runs on the PyTorch CPU backend unless KERAS_BACKEND says otherwise.
"""

import os
import warnings

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras", reason="Keras 3 is not installed: run `make test-interop`")

from dlcourse import _keras_weights, interop, utils  # noqa: E402
from dlcourse.layers import (  # noqa: E402
    ELU,
    Activation,
    Add,
    Average,
    BatchNormalization,
    Concatenate,
    Dense,
    Dropout,
    Flatten,
    Input,
    LeakyReLU,
    Multiply,
    ReLU,
    Reshape,
    Softmax,
)
from dlcourse.models import Model, Sequential, load_model  # noqa: E402
from dlcourse.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop  # noqa: E402
from dlcourse.optimizers.schedules import ExponentialDecay  # noqa: E402
from dlcourse.saving import UnsupportedKerasFeature, register_keras_serializable  # noqa: E402

RTOL, ATOL = 1e-5, 2e-6  # float32 precision: the two libraries sum in different orders
TRAIN_RTOL, TRAIN_ATOL = 2e-4, 2e-5  # a few more steps of the same float32 differences


def rng(seed=0):
    return np.random.default_rng(seed)


def as_list(outputs):
    return [np.asarray(o) for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]


def assert_same_predictions(keras_model, dl_model, inputs, rtol=RTOL, atol=ATOL):
    got, expected = keras_model.predict(inputs, verbose=0), dl_model.predict(inputs, verbose=0)
    assert len(as_list(got)) == len(as_list(expected))
    for k, d in zip(as_list(got), as_list(expected)):
        np.testing.assert_allclose(k, d, rtol=rtol, atol=atol)


def load_in_keras(path):
    """keras.models.load_model, failing on the warning Keras gives when the optimizer state in
    a file does not fit (it then skips it and starts fresh)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = keras.models.load_model(path)
    skipped = [str(w.message) for w in caught if "Skipping variable loading" in str(w.message)]
    assert not skipped, skipped
    return model


def keras_optimizer_state(keras_model):
    return [np.asarray(v.numpy()) for v in keras_model.optimizer.variables]


def assert_same_optimizer_state(keras_model, dl_model):
    """Keras's optimizer.variables equal dlcourse's state written in Keras's layout."""
    keras_state = keras_optimizer_state(keras_model)
    dl_state = _keras_weights.optimizer_variables(dl_model)
    assert len(keras_state) == len(dl_state)
    assert int(keras_state[0]) == int(dl_state[0]) == dl_model.optimizer.iterations
    for k, d in zip(keras_state[1:], dl_state[1:]):
        np.testing.assert_array_equal(k, d)


def keras_weights_in_dlcourse_order(keras_model, dl_model):
    """Keras's weights listed as dlcourse's model.weights: layers matched by name in a
    functional model (the two order them differently), by position otherwise (a subclassed
    model rebuilt from a file has new layer names, in either library)."""
    if dl_model._graph is not None:
        by_name = {layer.name: layer for layer in keras_model.layers}
        pairs = [(layer, by_name[layer.name]) for layer in dl_model.layers]
    else:
        pairs = list(zip(dl_model.layers, keras_model.layers, strict=True))
    arrays = []
    for layer, keras_layer in pairs:
        keras_vars = {v.name: v for v in keras_layer.weights}
        arrays += [np.asarray(keras_vars[w.name.split("/")[-1]].numpy()) for w in layer.weights]
    return arrays


def assert_same_weights(keras_model, dl_model, rtol=RTOL, atol=ATOL):
    expected = [w.value for w in dl_model.weights]
    got = keras_weights_in_dlcourse_order(keras_model, dl_model)
    assert len(got) == len(expected)
    for k, d in zip(got, expected):
        np.testing.assert_allclose(k, d, rtol=rtol, atol=atol)


# ----- the three model styles, in both libraries --------------------------------------------


@register_keras_serializable(package="interop", name="Net")
class Net(Model):
    """A subclassed model, registered; the same class is written for Keras below."""

    def __init__(self, hidden=8, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = hidden
        self.hidden = Dense(hidden, activation="relu")
        self.norm = BatchNormalization()
        self.out = Dense(1, activation="sigmoid")

    def call(self, inputs, training=False):
        return self.out(self.norm(self.hidden(inputs), training=training))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden_units}


@keras.saving.register_keras_serializable(package="interop", name="Net")
class KerasNet(keras.Model):
    """Net, line for line, in Keras (registered under the same name)."""

    def __init__(self, hidden=8, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = hidden
        self.hidden = keras.layers.Dense(hidden, activation="relu")
        self.norm = keras.layers.BatchNormalization()
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs, training=False):
        return self.out(self.norm(self.hidden(inputs), training=training))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden_units}


def binary_data(n=128, features=6, seed=0):
    x = rng(seed).normal(size=(n, features)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype("float32")[:, None]


def multi_data(n=128):
    r = rng(1)
    xa, xb = r.normal(size=(n, 6)).astype("float32"), r.normal(size=(n, 2, 3)).astype("float32")
    ys = [xa[:, :1] + xb[:, 0, :1], np.eye(3, dtype="float32")[r.integers(0, 3, n)]]
    return [xa, xb], ys


def dl_sequential():
    utils.set_random_seed(1)
    model = Sequential(
        [
            Dense(16, activation="relu", input_shape=(6,)),
            BatchNormalization(),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    return model, *binary_data()


def dl_functional():
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
        optimizer=RMSprop(0.005, momentum=0.5, centered=True),
        loss=["mse", "categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[["mae"], ["accuracy"]],
    )
    return model, *multi_data()


def dl_subclassed():
    utils.set_random_seed(3)
    model = Net(hidden=8)
    model.compile(optimizer=SGD(0.05, momentum=0.9, nesterov=True), loss="binary_crossentropy")
    return model, *binary_data(seed=3)


STYLES = [dl_sequential, dl_functional, dl_subclassed]
STYLE_IDS = ["sequential", "functional", "subclassed"]


def continue_both(dl_model, keras_model, x, y, epochs=2):
    """Train both for the same steps on the same batches (no shuffling, no dropout)."""
    dl_model.fit(x, y, epochs=epochs, batch_size=32, shuffle=False, verbose=0)
    keras_model.fit(x, y, epochs=epochs, batch_size=32, shuffle=False, verbose=0)


@pytest.mark.parametrize("build", STYLES, ids=STYLE_IDS)
def test_keras_opens_a_dlcourse_file_and_continues_its_training(build, tmp_path):
    model, x, y = build()
    model.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    model.save(tmp_path / "m.keras")
    keras_model = load_in_keras(tmp_path / "m.keras")
    assert_same_predictions(keras_model, model, x)
    assert_same_optimizer_state(keras_model, model)
    again = load_model(tmp_path / "m.keras")  # dlcourse continues from the same file ...
    continue_both(again, keras_model, x, y)  # ... and Keras from its copy: the same path
    assert int(keras_model.optimizer.iterations) == again.optimizer.iterations == 3 * 4 + 2 * 4
    assert_same_weights(keras_model, again, TRAIN_RTOL, TRAIN_ATOL)
    assert_same_predictions(keras_model, again, x, TRAIN_RTOL, TRAIN_ATOL)


def keras_sequential():
    keras.utils.set_random_seed(5)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model, *binary_data(seed=5)


def keras_functional():
    keras.utils.set_random_seed(6)
    a, b = keras.Input((6,), name="left"), keras.Input((2, 3), name="right")
    h = keras.layers.Dense(5, activation="relu")(a)
    g = keras.layers.Dense(5)(keras.layers.Flatten()(b))
    z = keras.layers.BatchNormalization()(keras.layers.Add()([h, g]))
    z = keras.layers.Concatenate()([z, a])
    out1 = keras.layers.Dense(1, name="value")(z)
    out2 = keras.layers.Activation("softmax", name="klass")(keras.layers.Dense(3)(z))
    model = keras.Model([a, b], [out1, out2])
    model.compile(
        optimizer=keras.optimizers.RMSprop(0.005, momentum=0.5, centered=True),
        loss=["mse", "categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[["mae"], ["accuracy"]],
    )
    return model, *multi_data()


def keras_subclassed():
    keras.utils.set_random_seed(7)
    model = KerasNet(hidden=8)
    model.compile(
        optimizer=keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
        loss="binary_crossentropy",
    )
    return model, *binary_data(seed=7)


KERAS_STYLES = [keras_sequential, keras_functional, keras_subclassed]


@pytest.mark.parametrize("build", KERAS_STYLES, ids=STYLE_IDS)
def test_dlcourse_opens_a_keras_file_and_continues_its_training(build, tmp_path):
    keras_model, x, y = build()
    keras_model.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    keras_model.save(tmp_path / "k.keras")
    model = load_model(tmp_path / "k.keras")
    assert type(model).__name__ == {"Sequential": "Sequential", "Functional": "Model"}.get(
        type(keras_model).__name__, "Net"
    )
    assert_same_predictions(keras_model, model, x)
    assert_same_optimizer_state(keras_model, model)
    continue_both(model, keras_model, x, y)
    assert_same_weights(keras_model, model, TRAIN_RTOL, TRAIN_ATOL)


def test_a_round_trip_through_keras_changes_nothing(tmp_path):
    model, x, _ = dl_functional()
    model.fit(x, multi_data()[1], epochs=2, verbose=0)
    model.save(tmp_path / "a.keras")
    load_in_keras(tmp_path / "a.keras").save(tmp_path / "b.keras")
    again = load_model(tmp_path / "b.keras")
    for got, expected in zip(again.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_array_equal(got, expected)
    for got, expected in zip(again.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, expected)
    assert _keras_weights.optimizer_variables(again)[0] == model.optimizer.iterations


# ----- Keras opens every file model.save writes ---------------------------------------------


def every_layer():
    """Every layer class dlcourse has, in one functional model."""
    utils.set_random_seed(8)
    inputs = Input(shape=(3, 4), name="grid")
    flat = Flatten()(inputs)
    x = Dense(6, activation="elu", kernel_initializer="he_normal", kernel_regularizer="l2")(flat)
    x = Dropout(0.2, seed=3)(x)
    x = BatchNormalization(momentum=0.9, epsilon=1e-3)(x)
    branches = [ReLU(max_value=2.0)(x), LeakyReLU(negative_slope=0.2)(x), ELU(alpha=0.5)(x)]
    merged = Concatenate()([Add()(branches[:2]), Average()(branches[1:]), Multiply()(branches)])
    shaped = Reshape((3, 6))(merged)
    out = Softmax(axis=-1)(Dense(4)(Flatten()(shaped)))
    model = Model(inputs, out)
    model.compile(optimizer=AdamW(0.01, weight_decay=0.01, amsgrad=True), loss="mse")
    x_data = rng(8).normal(size=(64, 3, 4)).astype("float32")
    model.fit(x_data, np.eye(4, dtype="float32")[rng(9).integers(0, 4, 64)], epochs=2, verbose=0)
    return model, x_data


def shared_layers():
    """A layer called twice, and an input used by two branches."""
    utils.set_random_seed(11)
    inputs = Input(shape=(5,))
    shared = Dense(5, activation="tanh", name="shared")
    first = shared(inputs)
    second = shared(first)
    outputs = Dense(1)(Concatenate()([second, first, inputs]))
    model = Model(inputs, outputs)
    model.compile(optimizer=Adam(0.01), loss="mse")
    x, y = binary_data(features=5)
    model.fit(x, y, epochs=2, verbose=0)
    return model, x


def with_optimizer(optimizer):
    def build():
        utils.set_random_seed(9)
        model = Sequential([Input((6,)), Dense(4, activation="tanh"), Dense(1)])
        model.compile(optimizer=optimizer, loss="mse")
        x, y = binary_data()
        model.fit(x, y, epochs=2, verbose=0)
        return model, x

    build.__name__ = f"optimizer_{type(optimizer).__name__}"
    return build


def uncompiled():
    utils.set_random_seed(10)
    model = Sequential([Input((3, 4)), Flatten(), Dense(8, activation="selu"), Dense(2)])
    return model, rng().normal(size=(20, 3, 4)).astype("float32")


def compiled_never_trained():
    model, x, _ = dl_sequential()
    return model, x


def uncompiled_subclassed():
    model = Net(hidden=3)
    x = binary_data()[0]
    model(x[:1])
    return model, x


FILES = [
    every_layer,
    shared_layers,
    uncompiled,
    compiled_never_trained,
    uncompiled_subclassed,
    with_optimizer(SGD(0.1)),
    with_optimizer(Adagrad(0.1)),
    with_optimizer(RMSprop(0.01)),
    with_optimizer(Adam(ExponentialDecay(0.01, decay_steps=10, decay_rate=0.9))),
    with_optimizer(Adam(0.01, clipnorm=1.0)),
]


@pytest.mark.parametrize("build", FILES, ids=[b.__name__ for b in FILES])
def test_keras_opens_every_kind_of_file_model_save_writes(build, tmp_path):
    model, x = build()
    model.save(tmp_path / "m.keras")
    keras_model = load_in_keras(tmp_path / "m.keras")
    assert_same_predictions(keras_model, model, x)
    if model.compiled:
        assert type(keras_model.optimizer).__name__ == type(model.optimizer).__name__
        assert_same_optimizer_state(keras_model, model)
    if model._graph is not None:  # the weight paths are numbered in Keras's layer order
        assert [layer.name for layer in keras_model.layers] == [
            layer.name for layer in interop.keras_layer_order(model)
        ]


def test_a_schedule_crosses_as_a_keras_schedule(tmp_path):
    model, _ = with_optimizer(Adam(ExponentialDecay(0.01, decay_steps=100, decay_rate=0.9)))()
    model.save(tmp_path / "m.keras")
    schedule = load_in_keras(tmp_path / "m.keras").optimizer._learning_rate
    assert type(schedule).__name__ == "ExponentialDecay"
    assert float(schedule(100)) == pytest.approx(0.009)


def test_compile_settings_cross_and_give_the_same_loss(tmp_path):
    model, x, ys = dl_functional()
    model.fit(x, ys, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    keras_model = load_in_keras(tmp_path / "m.keras")
    assert keras_model.loss == ["mse", "categorical_crossentropy"]
    keras_total = keras_model.evaluate(x, ys, verbose=0, return_dict=True)["loss"]
    assert keras_total == pytest.approx(
        model.evaluate(x, ys, verbose=0, return_dict=True)["loss"], rel=1e-4
    )


def test_batch_normalization_crosses_with_its_moving_statistics(tmp_path):
    model, x, y = dl_sequential()
    model.fit(x, y, epochs=5, verbose=0)
    bn = model.layers[1]
    assert not np.allclose(bn.moving_mean.value, 0) and not np.allclose(bn.moving_variance.value, 1)
    model.save(tmp_path / "bn.keras")
    keras_bn = load_in_keras(tmp_path / "bn.keras").layers[1]
    np.testing.assert_array_equal(keras_bn.moving_mean.numpy(), bn.moving_mean.value)
    np.testing.assert_array_equal(keras_bn.moving_variance.numpy(), bn.moving_variance.value)
    np.testing.assert_array_equal(keras_bn.gamma.numpy(), bn.gamma.value)


def test_to_json_crosses_both_ways():
    model, _, _ = dl_functional()
    keras_model = keras.models.model_from_json(model.to_json())
    assert [layer.name for layer in keras_model.layers] == [
        layer.name for layer in interop.keras_layer_order(model)
    ]
    assert keras_model.optimizer is not None  # the JSON holds the compile settings
    from dlcourse.models import model_from_json

    back = model_from_json(keras_model.to_json())
    assert [layer.name for layer in back.layers] == [layer.name for layer in model.layers]
    assert back.compiled


# ----- weights files and Keras's legacy .h5 -------------------------------------------------


@pytest.mark.parametrize("build", STYLES, ids=STYLE_IDS)
def test_weights_files_cross_both_ways(build, tmp_path):
    model, x, y = build()
    model.fit(x, y, epochs=2, verbose=0)
    model.save(tmp_path / "m.keras")
    keras_model = load_in_keras(tmp_path / "m.keras")  # the same architecture, in Keras
    model.save_weights(tmp_path / "dl.weights.h5")
    keras_model.fit(x, y, epochs=1, verbose=0)  # now the two differ
    keras_model.load_weights(tmp_path / "dl.weights.h5")
    assert_same_predictions(keras_model, model, x)
    keras_model.fit(x, y, epochs=1, verbose=0)
    keras_model.save_weights(tmp_path / "k.weights.h5")
    model.load_weights(tmp_path / "k.weights.h5")
    assert_same_predictions(keras_model, model, x)
    assert_same_optimizer_state(keras_model, model)  # a weights file holds it, in Keras too


def h5_functional():
    """dl_functional with the losses' long names: Keras 3.15 cannot read 'mse' or 'mae' back
    from any '.h5' file, its own included ("Could not deserialize 'keras.metrics.mse'")."""
    model, x, ys = dl_functional()
    model.compile(
        optimizer=model.optimizer,
        loss=["mean_squared_error", "categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
    )
    return model, x, ys


@pytest.mark.parametrize("build", [dl_sequential, h5_functional], ids=STYLE_IDS[:2])
def test_keras_opens_a_dlcourse_h5_file(build, tmp_path):
    """model.save('my_model.h5'), the lectures' line, writes what Keras 3 loads as '.h5'.

    Keras 3.15 restores only the step count and learning rate of an '.h5' file's optimizer
    (it builds the optimizer for no weights, its own files alike), and cannot then continue
    training without compile(): '.keras' is the file to continue training from."""
    model, x, y = build()
    model.fit(x, y, epochs=2, verbose=0)
    model.save(tmp_path / "my_model.h5")
    keras_model = load_in_keras(tmp_path / "my_model.h5")
    assert_same_predictions(keras_model, model, x)
    assert int(keras_model.optimizer.iterations) == model.optimizer.iterations
    assert type(keras_model.optimizer).__name__ == type(model.optimizer).__name__


def keras_h5_functional():
    keras_model, x, ys = keras_functional()
    keras_model.compile(
        optimizer=keras_model.optimizer,
        loss=["mean_squared_error", "categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
    )
    return keras_model, x, ys


@pytest.mark.parametrize("build", [keras_sequential, keras_h5_functional], ids=STYLE_IDS[:2])
def test_dlcourse_opens_a_keras_h5_file(build, tmp_path):
    keras_model, x, y = build()
    keras_model.fit(x, y, epochs=2, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras_model.save(tmp_path / "my_model.h5")  # Keras warns: a legacy format
    model = load_model(tmp_path / "my_model.h5")
    assert_same_predictions(keras_model, model, x)
    assert_same_optimizer_state(keras_model, model)  # dlcourse restores the slots too
    continue_both(model, keras_model, x, y)
    assert_same_weights(keras_model, model, TRAIN_RTOL, TRAIN_ATOL)


# ----- what dlcourse lacks is named ----------------------------------------------------------


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
    with pytest.raises(UnsupportedKerasFeature, match=r"'conv' is a Keras Conv2D"):
        load_model(tmp_path / "conv.keras")


def test_keras_options_dlcourse_lacks_are_named(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, kernel_constraint=keras.constraints.MaxNorm(2), name="capped"),
        ]
    )
    model.save(tmp_path / "c.keras")
    with pytest.raises(UnsupportedKerasFeature, match=r"'capped'.*kernel_constraint"):
        load_model(tmp_path / "c.keras")


def test_an_unregistered_keras_class_names_the_fix(tmp_path):
    class Plain(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    plain = Plain()
    plain(np.zeros((1, 3), "float32"))
    plain.save(tmp_path / "plain.keras")
    with pytest.raises(Exception, match="Could not locate class 'Plain'"):
        keras.models.load_model(tmp_path / "plain.keras")  # Keras refuses it too
    with pytest.raises(ValueError, match=r"'Plain'.*register_keras_serializable"):
        load_model(tmp_path / "plain.keras")
