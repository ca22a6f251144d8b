"""Saving and loading in Keras 3's formats: exact round trips and resume, the file layout Keras
reads, subclassed models through registration, atomic writes, and hostile files refused.

The same files are opened by the real Keras in tests/interop (`make test-interop`).
"""

import io
import json
import os
import struct
import zipfile

import numpy as np
import pytest

from dlcourse import _hdf5, backend, saving, utils
from dlcourse.layers import BatchNormalization, Concatenate, Dense, Dropout, Input, Layer
from dlcourse.models import Model, Sequential, load_model, model_from_json
from dlcourse.optimizers import SGD, Adagrad, Adam, RMSprop
from dlcourse.optimizers.schedules import ExponentialDecay
from dlcourse.saving import SavedFileError, UnsupportedKerasFeature, register_keras_serializable
from dlcourse.utils import set_random_seed


def data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5)).astype("float32")
    y = (x[:, 0] - x[:, 2] > 0).astype("float32")
    return x, y


def sequential_model():
    model = Sequential(
        [
            Dense(16, input_shape=(5,), activation="relu", kernel_regularizer="l2"),
            BatchNormalization(),
            Dropout(0.3),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model


def functional_model():
    inputs = Input(shape=(5,))
    hidden = Dense(8, activation="tanh")(inputs)
    shared = Dense(8, activation="relu", name="shared")
    first = shared(hidden)
    second = shared(first)  # the same layer called twice
    merged = Concatenate()([first, second])
    outputs = Dense(1, activation="sigmoid")(merged)
    model = Model(inputs, outputs)
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model


@register_keras_serializable(package="course")
class DigitsNet(Model):
    """A subclassed model as notebook 09 writes it, registered and with get_config."""

    def __init__(self, hidden=6, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = hidden
        self.hidden = Dense(hidden, activation="relu")
        self.norm = BatchNormalization()
        self.out = Dense(1, activation="sigmoid")

    def call(self, inputs, training=False):
        return self.out(self.norm(self.hidden(inputs), training=training))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden_units}


def subclassed_model():
    model = DigitsNet(hidden=7)
    model.compile(optimizer=SGD(0.05, momentum=0.9), loss="binary_crossentropy")
    model(data()[0][:1])
    return model


class TwoLayers(Model):
    """Subclassed, not registered, no get_config: weights can be saved, the model cannot."""

    def __init__(self):
        super().__init__()
        self.hidden = Dense(6, activation="relu")
        self.out = Dense(1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path, contents):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def weights_of(contents):
    return _hdf5.read(contents["model.weights.h5"])


def architecture(model):
    """model.get_config() without the first layer's input_shape argument: Keras's files record
    the input shape as the model's (an InputLayer), as Keras 3 does, not as a layer argument."""
    config = json.loads(json.dumps(model.get_config()))
    for entry in config.get("layers", []):
        entry["config"].pop("input_shape", None)
    return config


def assert_same_weights(a, b):
    for x, y in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(x, y)


# ----- round trips --------------------------------------------------------------------------


CASES = [
    (sequential_model, "my_model.h5"),
    (sequential_model, "model.keras"),
    (functional_model, "best_model.h5"),
    (functional_model, "model.keras"),
    (subclassed_model, "model.keras"),
]


@pytest.mark.parametrize("build, name", CASES, ids=[f"{b.__name__}-{n}" for b, n in CASES])
def test_round_trip_predicts_and_evaluates_identically(tmp_path, build, name):
    set_random_seed(0)
    x, y = data()
    model = build()
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    model.save(tmp_path / name)
    loaded = load_model(tmp_path / name)
    assert type(loaded) is type(model)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)
    if build is not subclassed_model:  # its layers are created anew by __init__, as in Keras
        assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert architecture(loaded) == architecture(model)
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.optimizer.iterations == model.optimizer.iterations == 18
    assert_same_weights(loaded, model)


def test_a_keras_file_is_laid_out_as_keras_3_writes_it(tmp_path):
    model = sequential_model()
    model.fit(*data(), epochs=1, batch_size=32, verbose=0)
    model.save(tmp_path / "m.keras")
    contents = members(tmp_path / "m.keras")
    assert list(contents) == ["metadata.json", "config.json", "model.weights.h5"]
    metadata = json.loads(contents["metadata.json"])
    assert metadata["keras_version"] == "3.15.1"
    config = json.loads(contents["config.json"])
    assert (config["module"], config["class_name"], config["registered_name"]) == (
        "keras",
        "Sequential",
        None,
    )
    layers = config["config"]["layers"]
    assert [entry["class_name"] for entry in layers] == [
        "InputLayer",
        "Dense",
        "BatchNormalization",
        "Dropout",
        "Dense",
    ]
    assert {entry["module"] for entry in layers} == {"keras.layers"}
    assert layers[0]["config"]["batch_shape"] == [None, 5]
    assert layers[1]["config"]["kernel_regularizer"]["module"] == "keras.regularizers"
    assert config["build_config"] == {"input_shape": [None, 5]}
    compiled = config["compile_config"]
    assert compiled["optimizer"]["module"] == "keras.optimizers"
    assert compiled["optimizer"]["class_name"] == "Adam"
    assert (compiled["loss"], compiled["metrics"]) == ("binary_crossentropy", ["accuracy"])

    tree = weights_of(contents)
    dense, bn, _, dense_1 = model.layers
    stored = tree["layers"]
    np.testing.assert_array_equal(stored["dense"]["vars"]["0"], dense.kernel.value)
    np.testing.assert_array_equal(stored["dense"]["vars"]["1"], dense.bias.value)
    np.testing.assert_array_equal(stored["dense_1"]["vars"]["0"], dense_1.kernel.value)
    for i, weight in enumerate([bn.gamma, bn.beta, bn.moving_mean, bn.moving_variance]):
        np.testing.assert_array_equal(stored["batch_normalization"]["vars"][str(i)], weight.value)
    assert stored["dropout"]["vars"] == {}


def test_the_optimizer_state_is_stored_as_keras_orders_it(tmp_path):
    """Keras's optimizer.variables: step count, learning rate, then per slot kind every weight
    (Adam interleaves momentum and velocity weight by weight)."""
    model = sequential_model()
    model.fit(*data(), epochs=1, batch_size=32, verbose=0)
    model.save(tmp_path / "m.keras")
    stored = weights_of(members(tmp_path / "m.keras"))["optimizer"]["vars"]
    trainable = model.trainable_weights  # kernel, bias, gamma, beta, kernel_1, bias_1
    assert len(stored) == 2 + 2 * len(trainable) == 14
    assert stored["0"] == 3 and stored["0"].dtype.kind == "i"
    assert stored["1"].dtype == np.float32 and stored["1"] == np.float32(0.01)
    state = model.optimizer.get_state()
    position = {id(a): k for k, a in enumerate(model.optimizer._built_vars)}
    for k, weight in enumerate(trainable):
        slots = state["slots"][position[id(weight.value)]]
        np.testing.assert_array_equal(stored[str(2 + 2 * k)], slots["momentum"])
        np.testing.assert_array_equal(stored[str(3 + 2 * k)], slots["velocity"])


@pytest.mark.parametrize(
    "optimizer, count",
    [
        (SGD(0.1), 2),  # step count and learning rate; no momentum, no slots
        (SGD(0.1, momentum=0.5), 2 + 4),  # + one momentum per weight (2 kernels, 2 biases)
        (Adagrad(0.1), 2 + 4),
        (RMSprop(0.01, momentum=0.5, centered=True), 2 + 3 * 4),
        (Adam(0.01, amsgrad=True), 2 + 3 * 4),
        (Adam(ExponentialDecay(0.01, 10, 0.9)), 1 + 2 * 4),  # a schedule: no rate variable
    ],
    ids=["sgd", "momentum", "adagrad", "rmsprop-centered", "amsgrad", "schedule"],
)
def test_each_optimizer_resumes_exactly_from_its_keras_layout(tmp_path, optimizer, count):
    x, y = data()
    set_random_seed(4)
    model = Sequential([Input((5,)), Dense(4, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(optimizer=optimizer, loss="binary_crossentropy")
    model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    model.save(tmp_path / "m.keras")
    assert len(weights_of(members(tmp_path / "m.keras"))["optimizer"]["vars"]) == count
    resumed = load_model(tmp_path / "m.keras")
    model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    resumed.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    assert resumed.optimizer.iterations == model.optimizer.iterations == 12
    assert_same_weights(resumed, model)


def test_a_model_compiled_but_never_trained_keeps_fresh_slots(tmp_path):
    model = sequential_model()
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert loaded.optimizer.iterations == 0
    x, y = data()
    set_random_seed(1)
    model.fit(x, y, epochs=2, verbose=0)
    set_random_seed(1)
    loaded.fit(x, y, epochs=2, verbose=0)
    assert_same_weights(loaded, model)


def test_an_h5_name_writes_keras_legacy_hdf5(tmp_path):
    """What Keras 3 writes for model.save('my_model.h5'): attributes hold the config as JSON
    and the layer and weight names; weights are grouped by layer name."""
    model = sequential_model()
    model.fit(*data(), epochs=1, batch_size=32, verbose=0)
    model.save(tmp_path / "my_model.h5")
    raw = (tmp_path / "my_model.h5").read_bytes()
    assert raw.startswith(b"\x89HDF\r\n\x1a\n")
    tree, attributes = _hdf5.read(raw, attributes=True)
    config = json.loads(attributes[""]["model_config"])
    assert config["class_name"] == "Sequential" and "compile_config" not in config
    training = json.loads(attributes[""]["training_config"])
    assert training["optimizer_config"]["class_name"] == "Adam"
    assert training["loss"] == "binary_crossentropy"
    names = [layer.name for layer in model.layers]
    assert attributes["model_weights"]["layer_names"] == names
    dense = model.layers[0]
    assert attributes[f"model_weights/{dense.name}"]["weight_names"] == [
        f"{dense.name}/kernel",
        f"{dense.name}/bias",
    ]
    np.testing.assert_array_equal(
        tree["model_weights"][dense.name][dense.name]["kernel"], dense.kernel.value
    )
    assert len(attributes["optimizer_weights"]["weight_names"]) == 14
    assert attributes["optimizer_weights"]["weight_names"][:2] == [
        "adam/iteration",
        "adam/learning_rate",
    ]


def test_uncompiled_model_loads_uncompiled(tmp_path):
    for name in ("m.keras", "m.h5"):
        model = Sequential([Dense(3, input_shape=(5,))])
        model.save(tmp_path / name)
        loaded = load_model(tmp_path / name)
        assert not loaded.compiled
        assert_same_weights(loaded, model)


def test_load_model_compile_false_skips_compile_settings(tmp_path):
    model = sequential_model()
    model.fit(*data(), epochs=1, verbose=0)
    for name in ("m.keras", "m.h5"):
        model.save(tmp_path / name)
        loaded = load_model(tmp_path / name, compile=False)
        assert not loaded.compiled and loaded.optimizer is None
        assert_same_weights(loaded, model)


def test_custom_loss_needs_custom_objects(tmp_path):
    def my_loss(y_true, y_pred):
        return np.mean((y_true - y_pred) ** 2, axis=-1)

    model = Sequential([Dense(1, input_shape=(5,))])
    model.compile(optimizer="sgd", loss=my_loss)
    model.save(tmp_path / "m.keras")
    with pytest.raises(SavedFileError, match="custom_objects"):
        load_model(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras", custom_objects={"my_loss": my_loss})
    x, y = data()
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)


def test_loading_leaves_the_random_stream_untouched(tmp_path):
    subclassed_model().save(tmp_path / "s.keras")
    sequential_model().save(tmp_path / "m.h5")
    set_random_seed(5)
    expected = backend.rng().random(3)
    set_random_seed(5)
    load_model(tmp_path / "s.keras")
    load_model(tmp_path / "m.h5")
    np.testing.assert_array_equal(backend.rng().random(3), expected)


def test_file_names_say_the_format(tmp_path):
    model = sequential_model()
    with pytest.raises(ValueError, match=r"'something\.keras'"):
        model.save(tmp_path / "model.pt")
    with pytest.raises(ValueError, match=r"save_weights"):
        model.save(tmp_path / "model.weights.h5")
    with pytest.raises(ValueError, match=r"my_weights\.weights\.h5'"):
        model.save_weights(tmp_path / "my_weights.h5")  # Keras 3 refuses this name too
    with pytest.raises(ValueError, match=r"model\.save\('.*best\.keras'\)"):
        model.save_weights(tmp_path / "best.keras")
    assert os.listdir(tmp_path) == []


# ----- subclassed models --------------------------------------------------------------------


def test_a_registered_subclassed_model_is_named_by_its_registration(tmp_path):
    model = subclassed_model()
    model.save(tmp_path / "net.keras")
    contents = members(tmp_path / "net.keras")
    config = json.loads(contents["config.json"])
    assert config["class_name"] == "DigitsNet"
    assert config["registered_name"] == "course>DigitsNet"
    assert config["config"] == {"name": model.name, "trainable": True, "hidden": 7}
    assert config["build_config"] == {"input_shape": [None, 5]}
    # Keras walks a subclassed model's attributes sorted by name: `hidden` is stored under its
    # name; `layers` (the list model.layers) comes next and takes `norm` and `out`, numbered
    # per class in that list (`out` is its second Dense), before their own names come up.
    tree = weights_of(contents)
    assert sorted(tree) == ["hidden", "layers", "optimizer", "vars"]
    assert sorted(tree["layers"]) == ["batch_normalization", "dense_1"]
    np.testing.assert_array_equal(tree["hidden"]["vars"]["0"], model.hidden.kernel.value)
    np.testing.assert_array_equal(tree["layers"]["dense_1"]["vars"]["0"], model.out.kernel.value)
    assert len(tree["layers"]["batch_normalization"]["vars"]) == 4
    assert saving.get_registered_object("course>DigitsNet") is DigitsNet
    assert saving.get_registered_name(DigitsNet) == "course>DigitsNet"


def test_registration_is_exposed_where_keras_exposes_it():
    assert utils.register_keras_serializable is saving.register_keras_serializable
    assert utils.get_registered_name is saving.get_registered_name
    assert utils.get_registered_object is saving.get_registered_object


@register_keras_serializable(package="course")
class Scale(Layer):
    """The learner's own layer: multiplies each feature by a learned weight and a factor."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.scale = self.add_weight("scale", (input_shape[-1],), initializer="random_normal")

    def forward(self, x, training=False):
        return x * self.scale.value * self.factor, x

    def backward(self, grad, x):
        return grad * self.scale.value * self.factor, [(grad * x * self.factor).sum(axis=0)]

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_a_registered_layer_of_your_own_saves_inside_any_model(tmp_path):
    x = data()[0]
    model = Sequential([Input((5,)), Scale(factor=3.0, name="scale"), Dense(1)])
    model.save(tmp_path / "m.keras")
    entry = json.loads(members(tmp_path / "m.keras")["config.json"])["config"]["layers"][1]
    assert (entry["class_name"], entry["registered_name"]) == ("Scale", "course>Scale")
    loaded = load_model(tmp_path / "m.keras")
    assert type(loaded.layers[0]) is Scale and loaded.layers[0].factor == 3.0
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    model.save(tmp_path / "m.h5")
    np.testing.assert_array_equal(
        load_model(tmp_path / "m.h5").predict(x, verbose=0), model.predict(x, verbose=0)
    )


def test_an_unregistered_class_loads_only_with_custom_objects(tmp_path):
    class Plain(Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    model = Plain()
    x = data()[0]
    model(x[:1])
    model.save(tmp_path / "plain.keras")  # Keras saves it too, and fails the same way loading
    with pytest.raises(SavedFileError, match=r"register_keras_serializable.*custom_objects"):
        load_model(tmp_path / "plain.keras")
    loaded = load_model(tmp_path / "plain.keras", custom_objects={"Plain": Plain})
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_subclassed_model_that_cannot_be_rebuilt_is_refused_when_saving(tmp_path):
    model = TwoLayers()  # __init__ takes no name=..., so TwoLayers(**config) would fail
    model(data()[0][:1])
    with pytest.raises(TypeError, match=r"\*\*kwargs"):
        model.save(tmp_path / "two.keras")

    class Forgetful(Model):  # takes `units` but does not return it from get_config
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.dense = Dense(units)

        def call(self, inputs):
            return self.dense(inputs)

    forgetful = Forgetful(units=4)
    forgetful(data()[0][:1])
    with pytest.raises(NotImplementedError, match=r"takes \['units'\].*get_config"):
        forgetful.save(tmp_path / "forgetful.keras")
    unbuilt = DigitsNet()
    with pytest.raises(ValueError, match="not built"):
        unbuilt.save(tmp_path / "unbuilt.keras")
    with pytest.raises(NotImplementedError, match=r"'\.h5'.*'name\.keras'"):
        subclassed_model().save(tmp_path / "net.h5")  # Keras 3 cannot load it back
    assert os.listdir(tmp_path) == []


# ----- resume -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["half.keras", "half.h5"])
def test_resume_in_the_same_process_is_bit_exact(tmp_path, name):
    """10 epochs, save, load, 10 more == 20 straight: optimizer slots and step count restored,
    and loading does not draw from the shuffling random stream."""
    x, y = data()
    set_random_seed(7)
    straight = sequential_model()
    straight.fit(x, y, epochs=20, batch_size=16, verbose=0)

    set_random_seed(7)
    first = sequential_model()
    first.fit(x, y, epochs=10, batch_size=16, verbose=0)
    first.save(tmp_path / name)
    resumed = load_model(tmp_path / name)
    resumed.fit(x, y, epochs=10, batch_size=16, verbose=0)

    assert resumed.optimizer.iterations == straight.optimizer.iterations == 120
    assert_same_weights(resumed, straight)


@pytest.mark.parametrize("build", [functional_model, subclassed_model])
def test_resume_with_a_seed_per_segment_is_bit_exact(tmp_path, build):
    """The recipe for resuming in a new process: seed before each fit, in both runs."""
    x, y = data()
    set_random_seed(1)
    straight = build()
    set_random_seed(100)
    straight.fit(x, y, epochs=10, batch_size=32, verbose=0)
    set_random_seed(200)
    straight.fit(x, y, epochs=10, batch_size=32, verbose=0)

    set_random_seed(1)
    first = build()
    set_random_seed(100)
    first.fit(x, y, epochs=10, batch_size=32, verbose=0)
    first.save(tmp_path / "half.keras")
    set_random_seed(999)  # anything may happen in between
    resumed = load_model(tmp_path / "half.keras")
    set_random_seed(200)
    resumed.fit(x, y, epochs=10, batch_size=32, verbose=0)

    assert_same_weights(resumed, straight)


# ----- weights only and JSON ----------------------------------------------------------------


@pytest.mark.parametrize("build", [sequential_model, functional_model, subclassed_model, TwoLayers])
def test_save_and_load_weights_for_every_model_style(tmp_path, build):
    x, _ = data()
    set_random_seed(3)
    source = build()
    source(x[:1])
    other = build()
    other(x[:1])
    source.save_weights(tmp_path / "m.weights.h5")
    assert not np.array_equal(other.predict(x, verbose=0), source.predict(x, verbose=0))
    other.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(other.predict(x, verbose=0), source.predict(x, verbose=0))
    tree = _hdf5.read((tmp_path / "m.weights.h5").read_bytes())
    assert "layers" in tree or "hidden" in tree  # Keras's layout, not a list of arrays


def test_a_weights_file_carries_the_optimizer_state_as_in_keras(tmp_path):
    x, y = data()
    set_random_seed(2)
    model = sequential_model()
    model.fit(x, y, epochs=3, verbose=0)
    model.save_weights(tmp_path / "ckpt.weights.h5")
    assert "optimizer" in _hdf5.read((tmp_path / "ckpt.weights.h5").read_bytes())
    other = sequential_model()
    other.compile(optimizer="sgd", loss="mse")  # another optimizer: the state does not fit it
    with pytest.warns(UserWarning, match="not the optimizer state"):
        other.load_weights(tmp_path / "ckpt.weights.h5")
    assert other.optimizer.iterations == 0
    assert_same_weights(other, model)
    restored = sequential_model()
    restored.load_weights(tmp_path / "ckpt.weights.h5")
    assert restored.optimizer.iterations == model.optimizer.iterations
    set_random_seed(3)
    model.fit(x, y, epochs=2, verbose=0)
    set_random_seed(3)
    restored.fit(x, y, epochs=2, verbose=0)
    assert_same_weights(restored, model)


def test_load_weights_from_model_files_and_load_model_from_a_weights_file(tmp_path):
    model = sequential_model()
    model.fit(*data(), epochs=1, verbose=0)
    for name in ("m.keras", "m.h5"):
        model.save(tmp_path / name)
        other = sequential_model()
        other.load_weights(tmp_path / name)  # Keras 3 allows this too
        assert_same_weights(other, model)
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(SavedFileError, match="load_weights"):
        load_model(tmp_path / "w.weights.h5")


def test_load_weights_with_wrong_shapes_changes_nothing(tmp_path):
    small = Sequential([Dense(3, input_shape=(5,)), Dense(1)])
    small.save_weights(tmp_path / "small.weights.h5")
    model = Sequential([Dense(4, input_shape=(5,)), Dense(1)])
    before = model.get_weights()
    with pytest.raises(SavedFileError, match=r"shape \(5, 3\).*\(5, 4\).*different architecture"):
        model.load_weights(tmp_path / "small.weights.h5")
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    three = Sequential([Dense(3, input_shape=(5,)), Dense(1), Dense(1)])
    with pytest.raises(SavedFileError, match=r"\(layers/dense_2/vars\) has 2 weights"):
        three.load_weights(tmp_path / "small.weights.h5")
    one = Sequential([Dense(3, input_shape=(5,))])
    with pytest.raises(SavedFileError, match="layers this model does not have.*dense_1"):
        one.load_weights(tmp_path / "small.weights.h5")
    wider = Sequential([Dense(3, input_shape=(5,)), Dense(2)])  # only the first layer fits
    last = wider.layers[1].kernel.numpy()
    with pytest.warns(UserWarning, match=r"Skipped loading: .*shape \(3, 1\)"):
        wider.load_weights(tmp_path / "small.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(wider.layers[0].kernel.value, small.layers[0].kernel.value)
    np.testing.assert_array_equal(wider.layers[1].kernel.value, last)


def test_load_weights_into_an_unbuilt_model_says_build_first(tmp_path):
    built = TwoLayers()
    built(np.zeros((1, 5), dtype="float32"))
    built.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="not built"):
        TwoLayers().load_weights(tmp_path / "w.weights.h5")


def test_to_json_is_keras_json_and_model_from_json_rebuilds_and_compiles(tmp_path):
    for model in (sequential_model(), functional_model()):
        text = model.to_json()
        config = json.loads(text)
        assert {"module", "class_name", "config", "compile_config"} <= set(config)
        rebuilt = model_from_json(text)
        assert architecture(rebuilt) == architecture(model)
        assert [w.shape for w in rebuilt.get_weights()] == [w.shape for w in model.get_weights()]
        assert rebuilt.compiled  # as in Keras 3: the JSON holds the compile settings
        assert type(rebuilt.optimizer) is type(model.optimizer)
    uncompiled = Sequential([Input((5,)), Dense(2)])
    assert not model_from_json(uncompiled.to_json()).compiled
    path = tmp_path / "model.json"
    path.write_text(text)
    with pytest.raises(ValueError, match="open"):
        model_from_json(str(path))


def test_get_config_from_config_for_layers_and_models():
    for model in (sequential_model(), functional_model()):
        rebuilt = type(model).from_config(model.get_config())
        assert rebuilt.get_config() == model.get_config()
    dense = Dense(3, activation="relu", kernel_regularizer="l1", name="d")
    assert Dense.from_config(dense.get_config()).get_config() == dense.get_config()


# ----- atomic saving ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["best_model.h5", "best_model.keras"])
def test_error_during_save_keeps_the_previous_file_and_leaves_no_temp_file(
    tmp_path, monkeypatch, name
):
    model = sequential_model()
    path = tmp_path / name
    model.save(path)
    before = path.read_bytes()
    model.fit(*data(), epochs=1, verbose=0)  # the next save would differ

    def broken_file_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(saving, "_atomic_write", _failing_atomic_write(broken_file_write))
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    with pytest.raises(OSError, match="disk full"):
        model.save_weights(tmp_path / "w.weights.h5")
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [name]
    monkeypatch.undo()
    load_model(path)


def _failing_atomic_write(fail):
    """saving._atomic_write, with the file's write() failing halfway through."""
    real = saving._atomic_write

    def atomic_write(filepath, write, overwrite=True):
        def half_then_fail(file):
            class Failing(io.RawIOBase):
                def write(self, data):
                    file.write(data[: len(data) // 2])
                    fail()

                def writable(self):
                    return True

                def seekable(self):
                    return False

            write(Failing())

        real(filepath, half_then_fail, overwrite)

    return atomic_write


def test_save_into_a_missing_folder_names_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        sequential_model().save(tmp_path / "nope" / "m.keras")


def test_overwrite_false_refuses_an_existing_file(tmp_path):
    model = sequential_model()
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="overwrite"):
        model.save(tmp_path / "m.keras", overwrite=False)


# ----- hostile and broken files -------------------------------------------------------------


@pytest.fixture
def saved(tmp_path):
    """A valid model file's members, to be tampered with."""
    model = sequential_model()
    model.fit(*data(), epochs=1, verbose=0)
    model.save(tmp_path / "good.keras")
    return members(tmp_path / "good.keras")


def assert_refused(path, match, folder, error=SavedFileError):
    """load_model refuses the file with `error`, and writes nothing next to it."""
    before = sorted(os.listdir(folder))
    with pytest.raises(error, match=match):
        load_model(path)
    assert sorted(os.listdir(folder)) == before


def with_weights(saved, tree):
    return {**saved, "model.weights.h5": _hdf5.write(tree)}


def test_pickle_payloads_are_refused(tmp_path, saved):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as inner:
        with inner.open("layers.npy", "w") as member:
            np.lib.format.write_array(member, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    npz = buffer.getvalue()
    write_zip(tmp_path / "evil.keras", {**saved, "model.weights.npz": npz})
    assert_refused(tmp_path / "evil.keras", "pickle", tmp_path)
    without_h5 = {k: v for k, v in saved.items() if k != "model.weights.h5"}
    write_zip(tmp_path / "npz.keras", {**without_h5, "model.weights.npz": npz})
    assert_refused(tmp_path / "npz.keras", "pickle", tmp_path)
    (tmp_path / "evil.weights.h5").write_bytes(npz)
    with pytest.raises(SavedFileError, match="unexpected members"):
        sequential_model().load_weights(tmp_path / "evil.weights.h5")
    import pickle

    (tmp_path / "evil.h5").write_bytes(pickle.dumps({"x": 1}))
    assert_refused(tmp_path / "evil.h5", "neither", tmp_path)


@pytest.mark.parametrize(
    "class_name, error, message",
    [
        ("os.system", UnsupportedKerasFeature, "Keras os.system, which dlcourse does not support"),
        ("Conv2D", UnsupportedKerasFeature, "Keras Conv2D, which dlcourse does not support"),
        ("Lambda", UnsupportedKerasFeature, "Keras Lambda, which dlcourse does not support"),
        ("__import__", UnsupportedKerasFeature, "Keras __import__"),
    ],
)
def test_config_naming_an_unknown_class_is_refused(tmp_path, saved, class_name, error, message):
    config = json.loads(saved["config.json"])
    config["config"]["layers"][1]["class_name"] = class_name
    write_zip(tmp_path / "bad.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "bad.keras", message, tmp_path, error)


def test_unknown_classes_in_nested_configs_are_refused(tmp_path, saved):
    def tampered(name, change):
        config = json.loads(saved["config.json"])
        change(config)
        write_zip(tmp_path / name, {**saved, "config.json": json.dumps(config)})
        return tmp_path / name

    path = tampered(
        "opt.keras", lambda c: c["compile_config"]["optimizer"].update(class_name="os.system")
    )
    assert_refused(path, "optimizer 'os.system'", tmp_path, UnsupportedKerasFeature)
    path = tampered(
        "reg.keras",
        lambda c: c["config"]["layers"][1]["config"].update(
            kernel_regularizer={"class_name": "subprocess.Popen", "config": {"args": "ls"}}
        ),
    )
    assert_refused(path, "Keras subprocess.Popen", tmp_path, UnsupportedKerasFeature)
    path = tampered("model.keras", lambda c: c.update(class_name="builtins.eval"))
    assert_refused(path, "Unknown model class 'builtins.eval'", tmp_path)
    # A class from some module, named as if registered: only classes registered in the
    # learner's own code (or passed in custom_objects) are built, never imported from a file.
    path = tampered(
        "custom.keras",
        lambda c: c.update(module="os", class_name="system", registered_name="os>system"),
    )
    assert_refused(path, "Could not locate the model class 'system'", tmp_path)
    path = tampered(
        "layer.keras",
        lambda c: c["config"]["layers"][1].update(
            module="subprocess", registered_name="subprocess>Popen"
        ),
    )
    assert_refused(path, "Could not locate the layer class", tmp_path)


def test_path_traversal_member_is_refused_and_nothing_is_written(tmp_path, saved):
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    write_zip(folder / "evil.keras", {**saved, "../../evil": b"owned"})
    assert_refused(folder / "evil.keras", "unsafe member name '../../evil'", folder)
    assert not (tmp_path / "evil").exists()
    write_zip(folder / "abs.keras", {**saved, "/tmp/evil": b"owned"})
    assert_refused(folder / "abs.keras", "unsafe member", folder)


def test_unexpected_member_is_refused(tmp_path, saved):
    write_zip(tmp_path / "extra.keras", {**saved, "run_me.py": b"import os"})
    assert_refused(tmp_path / "extra.keras", "unexpected members", tmp_path)


@pytest.mark.parametrize("name", ["m.keras", "m.h5"])
def test_truncated_file_is_refused(tmp_path, name):
    model = sequential_model()
    model.fit(*data(), epochs=1, verbose=0)
    model.save(tmp_path / name)
    whole = (tmp_path / name).read_bytes()
    for cut in (len(whole) // 2, len(whole) - 10, 200):
        (tmp_path / f"cut_{name}").write_bytes(whole[:cut])
        assert_refused(tmp_path / f"cut_{name}", "truncated|damaged|outside the file", tmp_path)


def test_not_a_model_file_is_refused(tmp_path):
    (tmp_path / "text.h5").write_text("hello, I am not a model")
    assert_refused(tmp_path / "text.h5", "neither a '.keras' zip nor an HDF5 file", tmp_path)
    (tmp_path / "empty.keras").write_bytes(b"")
    assert_refused(tmp_path / "empty.keras", "neither", tmp_path)
    (tmp_path / "other.h5").write_bytes(_hdf5.write({"data": np.zeros(3)}))
    assert_refused(tmp_path / "other.h5", "not a Keras model file", tmp_path)
    with pytest.raises(FileNotFoundError, match="No file"):
        load_model(tmp_path / "missing.h5")
    assert_refused(tmp_path, "is a folder", tmp_path)


def test_weights_with_wrong_shapes_or_types_in_a_model_file_are_refused(tmp_path, saved):
    tree = weights_of(saved)
    tree["layers"]["dense"]["vars"]["0"] = np.zeros((7, 16), dtype="float32")
    write_zip(tmp_path / "shape.keras", with_weights(saved, tree))
    assert_refused(tmp_path / "shape.keras", r"shape \(7, 16\).*\(5, 16\)", tmp_path)
    tree = weights_of(saved)
    del tree["layers"]["dense_1"]
    write_zip(tmp_path / "missing.keras", with_weights(saved, tree))
    assert_refused(tmp_path / "missing.keras", "has 2 weights but the file holds 0", tmp_path)
    tree = weights_of(saved)
    tree["optimizer"]["vars"]["5"] = np.zeros(3, "float32")
    write_zip(tmp_path / "slot.keras", with_weights(saved, tree))
    assert_refused(tmp_path / "slot.keras", r"slot.*shape \(3,\)", tmp_path)
    tree = weights_of(saved)
    tree["optimizer"]["vars"]["0"] = np.float32(2.5)
    write_zip(tmp_path / "step.keras", with_weights(saved, tree))
    assert_refused(tmp_path / "step.keras", "step count", tmp_path)
    tree = weights_of(saved)
    del tree["optimizer"]["vars"]["13"]
    write_zip(tmp_path / "count.keras", with_weights(saved, tree))
    assert_refused(tmp_path / "count.keras", "13 optimizer variables.*has 14", tmp_path)


def _declare_shape(data, old_shape, new_shape):
    """HDF5 bytes whose datasets of `old_shape` now declare `new_shape` (the data stays small)."""

    def dataspace(shape):
        return struct.pack("<BBB5x", 1, len(shape), 0) + struct.pack(f"<{len(shape)}Q", *shape)

    assert dataspace(old_shape) in data
    return data.replace(dataspace(old_shape), dataspace(new_shape))


@pytest.mark.parametrize(
    "old_shape, new_shape, message",
    [
        ((5, 16), (2**30, 2**30), "size limit"),  # 4 EiB of float32
        ((16,), (2**39,), "size limit"),  # 2 TiB
        ((16,), (2**50,), "implausibly large"),
        ((16,), (2**26,), "does not match its shape"),  # 256 MiB, within the limit
    ],
    ids=["4 EiB", "2 TiB", "2**50", "256 MiB"],
)
def test_a_weight_declaring_a_huge_shape_is_refused_before_allocating(
    tmp_path, saved, old_shape, new_shape, message
):
    """A dataset's header declares its shape before its data: the reader checks the declared
    size against the limit and against the data really in the file before taking memory (the
    old npz weights raised NumPy's MemoryError here)."""
    data = _declare_shape(saved["model.weights.h5"], old_shape, new_shape)
    write_zip(tmp_path / "huge.keras", {**saved, "model.weights.h5": data})
    assert_refused(tmp_path / "huge.keras", message, tmp_path)
    (tmp_path / "huge.weights.h5").write_bytes(data)
    with pytest.raises(SavedFileError, match=message):
        sequential_model().load_weights(tmp_path / "huge.weights.h5")


def test_a_newer_or_older_keras_format_is_refused(tmp_path, saved):
    for version, message in [
        ("4.0.0", "Keras 4.0.0, a newer format"),
        ("2.15.0", "Keras 2.15.0.*save it as 'name.keras'"),
        (None, "does not say which Keras wrote it"),
    ]:
        metadata = {"keras_version": version} if version else {"date_saved": "today"}
        write_zip(tmp_path / "v.keras", {**saved, "metadata.json": json.dumps(metadata)})
        assert_refused(tmp_path / "v.keras", message, tmp_path)


def test_oversized_member_is_refused(tmp_path, saved, monkeypatch):
    write_zip(tmp_path / "big.keras", saved)
    monkeypatch.setitem(saving.MEMBER_LIMITS, "config.json", 100)
    assert_refused(tmp_path / "big.keras", "limit", tmp_path)


def test_invalid_json_and_bad_layer_arguments_are_refused(tmp_path, saved):
    write_zip(tmp_path / "json.keras", {**saved, "config.json": b"{not json"})
    assert_refused(tmp_path / "json.keras", "not valid JSON", tmp_path)
    config = json.loads(saved["config.json"])
    config["config"]["layers"][1]["config"]["units"] = -3
    write_zip(tmp_path / "units.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "units.keras", "positive integer number of units", tmp_path)
    config = json.loads(saved["config.json"])
    config["config"]["layers"] = "everything"
    write_zip(tmp_path / "list.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "list.keras", "must be a list", tmp_path)


def test_a_config_declaring_an_impossible_layer_is_refused(tmp_path, saved):
    config = json.loads(saved["config.json"])
    config["config"]["layers"][1]["config"]["units"] = 2**40  # 20 TiB of weights
    write_zip(tmp_path / "huge.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "huge.keras", "too large to build", tmp_path)


def test_failed_load_weights_leaves_the_model_untouched(tmp_path, saved):
    tree = weights_of(saved)
    tree["layers"]["dense_1"]["vars"]["1"] = np.zeros(99, dtype="float32")  # a later weight
    write_zip(tmp_path / "late.keras", with_weights(saved, tree))
    model = sequential_model()
    before = model.get_weights()
    with pytest.raises(SavedFileError, match="shape"):
        model.load_weights(tmp_path / "late.keras")
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


# ----- the seeds' code, unchanged but for imports -------------------------------------------


def test_seed_000_checkpoint_and_early_stopping_keep_a_good_model(tmp_path, monkeypatch):
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from dlcourse.callbacks import EarlyStopping, ModelCheckpoint

    monkeypatch.chdir(tmp_path)
    set_random_seed(2022)
    cancer = load_breast_cancer()
    X_train, X_test, y_train, y_test = train_test_split(
        cancer.data, cancer.target, stratify=cancer.target, test_size=0.2, random_state=2022
    )
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.transform(X_test)

    model = Sequential(
        [
            Dense(100, input_shape=(30,), activation="relu"),
            Dense(24, activation="relu"),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

    modelpath = "best_model.h5"
    mc = ModelCheckpoint(filepath=modelpath, monitor="val_loss", verbose=0, save_best_only=True)
    es = EarlyStopping(monitor="val_loss", patience=30)
    hist = model.fit(
        X_train,
        y_train,
        validation_split=0.2,
        epochs=1000,
        batch_size=500,
        verbose=0,
        callbacks=[es, mc],
    )

    epochs_run = len(hist.history["val_loss"])
    assert epochs_run < 1000 and es.stopped_epoch == epochs_run - 1
    best_epoch = int(np.argmin(hist.history["val_loss"]))
    assert epochs_run - 1 - best_epoch == 30  # stopped 30 epochs after the best

    assert open(modelpath, "rb").read(8) == b"\x89HDF\r\n\x1a\n"  # HDF5, as Keras writes it
    model = load_model("best_model.h5")
    loss, accuracy = model.evaluate(X_test, y_test)
    assert accuracy >= 0.95
    assert model.evaluate(X_train[-91:], y_train[-91:], return_dict=True)["loss"] == pytest.approx(
        hist.history["val_loss"][best_epoch], rel=1e-6
    )
