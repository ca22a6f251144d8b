"""Keras 3 files without Keras: the schema model.save writes, reading hand-written Keras files,
clear errors for what dlcourse lacks, hostile Keras files, and the HDF5 subset `_hdf5` reads.

The same files are checked against the real Keras in tests/interop (`make test-interop`).
"""

import json
import zipfile

import numpy as np
import pytest

from dlcourse import _hdf5, interop, utils
from dlcourse.interop import UnsupportedKerasFeature
from dlcourse.layers import (
    Activation,
    Add,
    BatchNormalization,
    Concatenate,
    Dense,
    Dropout,
    Flatten,
    Input,
    LeakyReLU,
)
from dlcourse.models import Model, Sequential, load_model
from dlcourse.saving import SavedFileError


def sequential():
    utils.set_random_seed(0)
    model = Sequential(
        [
            Dense(4, activation="relu", input_shape=(3,)),
            BatchNormalization(),
            Dropout(0.5),
            Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    bn = model.layers[1]
    bn.moving_mean.assign([0.1, -0.2, 0.3, 0.0])
    bn.moving_variance.assign([2.0, 0.5, 1.0, 3.0])
    return model


def functional():
    utils.set_random_seed(0)
    a, b = Input(shape=(6,), name="a"), Input(shape=(2, 3), name="b")
    h = Dense(5, activation="tanh", name="h")(a)
    g = Dense(5, name="g")(Flatten(name="flat")(b))
    merged = BatchNormalization(name="bn")(Concatenate(name="cat")([Add(name="add")([h, g]), a]))
    out1 = Dense(1, name="o1")(merged)
    out2 = Activation("softmax", name="o2")(Dense(3, name="scores")(merged))
    model = Model(inputs=[a, b], outputs=[out1, out2])
    model.compile(
        optimizer="sgd",
        loss=["mse", "categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[["mae"], ["accuracy"]],
    )
    return model


def members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_keras_file(path, config, tree, metadata=None, extra=None):
    """A .keras file as Keras 3 writes it, from a config dict and a weights tree."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(metadata or {"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", _hdf5.write(tree))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


# ----- the schema written ------------------------------------------------------------------


def test_sequential_config_has_keras_schema():
    config = interop.keras_config(sequential())
    assert set(config) == {
        "module",
        "class_name",
        "config",
        "registered_name",
        "build_config",
        "compile_config",
    }
    assert (config["module"], config["class_name"]) == ("keras", "Sequential")
    layers = config["config"]["layers"]
    assert layers[0]["class_name"] == "InputLayer"
    assert layers[0]["config"]["batch_shape"] == [None, 3]
    assert [entry["class_name"] for entry in layers[1:]] == [
        "Dense",
        "BatchNormalization",
        "Dropout",
        "Dense",
    ]
    assert all(entry["module"] == "keras.layers" for entry in layers)
    dense = layers[1]["config"]
    assert dense["units"] == 4 and dense["activation"] == "relu" and dense["use_bias"] is True
    assert dense["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert dense["kernel_initializer"]["module"] == "keras.initializers"
    compile_config = config["compile_config"]
    assert compile_config["optimizer"]["class_name"] == "Adam"
    assert compile_config["optimizer"]["module"] == "keras.optimizers"
    assert compile_config["loss"] == "categorical_crossentropy"
    json.dumps(config)  # JSON-ready


def test_functional_config_references_tensors_as_keras_does():
    config = interop.keras_config(functional())
    body = config["config"]
    assert config["class_name"] == "Functional"
    assert body["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert body["output_layers"] == [["o1", 0, 0], ["o2", 0, 0]]
    by_name = {entry["name"]: entry for entry in body["layers"]}
    add_args = by_name["add"]["inbound_nodes"][0]["args"][0]
    assert [t["config"]["keras_history"] for t in add_args] == [["h", 0, 0], ["g", 0, 0]]
    assert add_args[0]["class_name"] == "__keras_tensor__"
    assert by_name["a"]["inbound_nodes"] == []
    compile_config = config["compile_config"]
    assert compile_config["loss"] == ["mse", "categorical_crossentropy"]
    assert compile_config["loss_weights"] == [1.0, 0.5]


def test_single_input_and_output_are_written_unwrapped():
    inputs = Input(shape=(2,))
    model = Model(inputs, Dense(1)(inputs))
    body = interop.keras_config(model)["config"]
    assert body["input_layers"][1:] == [0, 0] and isinstance(body["input_layers"][0], str)
    assert body["output_layers"][1:] == [0, 0]


def test_functional_layers_are_listed_in_keras_order():
    # The order real Keras 3 gives this graph's model.layers (checked in tests/interop).
    order = [layer.name for layer in interop.keras_layer_order(functional())]
    assert order == ["b", "a", "flat", "h", "g", "add", "cat", "bn", "scores", "o1", "o2"]


def test_weights_sit_at_keras_paths(tmp_path):
    model = sequential()
    interop.to_keras_file(model, tmp_path / "m.keras")
    files = members(tmp_path / "m.keras")
    assert set(files) == {"metadata.json", "config.json", "model.weights.h5"}
    assert json.loads(files["metadata.json"])["keras_version"].startswith("3.")
    tree = _hdf5.read(files["model.weights.h5"])
    dense, bn, _, dense_1 = model.layers
    np.testing.assert_array_equal(tree["layers"]["dense"]["vars"]["0"], dense.kernel.value)
    np.testing.assert_array_equal(tree["layers"]["dense"]["vars"]["1"], dense.bias.value)
    np.testing.assert_array_equal(tree["layers"]["dense_1"]["vars"]["0"], dense_1.kernel.value)
    stored_bn = tree["layers"]["batch_normalization"]["vars"]
    for i, variable in enumerate([bn.gamma, bn.beta, bn.moving_mean, bn.moving_variance]):
        np.testing.assert_array_equal(stored_bn[str(i)], variable.value)
    assert tree["layers"]["dropout"]["vars"] == {}  # as Keras writes a layer without weights


@pytest.mark.parametrize("build", [sequential, functional])
def test_round_trip_keeps_predictions_and_compile_settings(build, tmp_path):
    model = build()
    interop.to_keras_file(model, tmp_path / "m.keras")
    again = interop.from_keras_file(tmp_path / "m.keras")
    rng = np.random.default_rng(1)
    inputs = [
        rng.normal(size=(8,) + t.shape[1:]).astype("float32")
        for t in (model.inputs or [Input(shape=(3,))])
    ]
    x = inputs if len(inputs) > 1 else inputs[0]
    expected, got = model.predict(x, verbose=0), again.predict(x, verbose=0)
    for e, g in zip(
        expected if isinstance(expected, list) else [expected],
        got if isinstance(got, list) else [got],
    ):
        np.testing.assert_array_equal(g, e)
    assert type(again.optimizer) is type(model.optimizer)
    assert again.optimizer.learning_rate == pytest.approx(model.optimizer.learning_rate)


def test_every_dlcourse_layer_has_a_keras_entry():
    """model.save writes every layer class dlcourse has (tests/interop loads each in Keras)."""
    from dlcourse.layers import LAYER_CLASSES

    inputs = Input(shape=(4,))
    x = LeakyReLU(name="leaky")(Dense(4)(inputs))
    model = Model(inputs, x)
    entries = {e["class_name"]: e for e in interop.keras_config(model)["config"]["layers"]}
    assert entries["LeakyReLU"]["config"]["negative_slope"] == pytest.approx(0.3)
    assert entries["LeakyReLU"]["module"] == "keras.layers"
    assert set(LAYER_CLASSES) >= {"ELU", "ReLU", "Softmax", "Reshape", "Average", "Multiply"}


def test_to_keras_file_is_model_save_for_keras_names(tmp_path):
    with pytest.raises(ValueError, match="'.keras'"):
        interop.to_keras_file(sequential(), tmp_path / "m.h5")
    utils.clear_session()
    interop.to_keras_file(sequential(), tmp_path / "m.keras")
    utils.clear_session()
    sequential().save(tmp_path / "n.keras")
    old, new = members(tmp_path / "m.keras"), members(tmp_path / "n.keras")
    assert old["config.json"] == new["config.json"]
    assert old["model.weights.h5"] == new["model.weights.h5"]


def test_export_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    path.write_bytes(b"previous")
    monkeypatch.setattr(_hdf5, "write", lambda tree, attributes=None: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        interop.to_keras_file(sequential(), path)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]


# ----- reading a hand-written Keras file -----------------------------------------------------

POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}


def keras_dense(name, units, activation, **extra):
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "registered_name": None,
        "config": {
            "name": name,
            "trainable": True,
            "dtype": POLICY,
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": {
                "module": "keras.initializers",
                "class_name": "GlorotUniform",
                "config": {"seed": None, "input_axes": None, "output_axes": None},
                "registered_name": None,
            },
            "bias_initializer": {
                "module": "keras.initializers",
                "class_name": "Zeros",
                "config": {},
                "registered_name": None,
            },
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
            "quantization_config": None,
            **extra,
        },
        "build_config": {"input_shape": [None, 3]},
    }


def keras_batchnorm(name):
    return {
        "module": "keras.layers",
        "class_name": "BatchNormalization",
        "registered_name": None,
        "config": {
            "name": name,
            "trainable": True,
            "dtype": POLICY,
            "axis": -1,
            "momentum": 0.99,
            "epsilon": 0.001,
            "center": True,
            "scale": True,
            "beta_regularizer": None,
            "gamma_regularizer": None,
            "beta_constraint": None,
            "gamma_constraint": None,
            "synchronized": False,
            "renorm": False,
            "renorm_clipping": None,
            "renorm_momentum": 0.99,
        },
    }


def keras_sequential_config(*layers):
    entries = [
        {
            "module": "keras.layers",
            "class_name": "InputLayer",
            "registered_name": None,
            "config": {
                "batch_shape": [None, 3],
                "dtype": "float32",
                "sparse": False,
                "ragged": False,
                "name": "input_layer",
                "optional": False,
            },
        }
    ]
    return {
        "module": "keras",
        "class_name": "Sequential",
        "registered_name": None,
        "config": {
            "name": "sequential",
            "trainable": True,
            "dtype": POLICY,
            "layers": entries + list(layers),
            "build_input_shape": [None, 3],
        },
        "build_config": {"input_shape": [None, 3]},
        "compile_config": {
            "optimizer": {
                "module": "keras.optimizers",
                "class_name": "Adam",
                "config": {
                    "name": "adam",
                    "learning_rate": 0.005,
                    "weight_decay": None,
                    "clipnorm": None,
                    "global_clipnorm": None,
                    "clipvalue": None,
                    "use_ema": False,
                    "ema_momentum": 0.99,
                    "ema_overwrite_frequency": None,
                    "loss_scale_factor": None,
                    "gradient_accumulation_steps": None,
                    "beta_1": 0.9,
                    "beta_2": 0.999,
                    "epsilon": 1e-07,
                    "amsgrad": False,
                },
                "registered_name": None,
            },
            "loss": "binary_crossentropy",
            "loss_weights": None,
            "metrics": ["accuracy"],
            "weighted_metrics": None,
            "run_eagerly": False,
            "steps_per_execution": 1,
            "jit_compile": False,
        },
    }


def hand_written_weights():
    rng = np.random.default_rng(3)
    kernel, bias = rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=4).astype("float32")
    gamma, beta = rng.uniform(0.5, 2, 4).astype("float32"), rng.normal(size=4).astype("float32")
    mean, var = rng.normal(size=4).astype("float32"), rng.uniform(0.5, 2, 4).astype("float32")
    kernel_1, bias_1 = rng.normal(size=(4, 1)).astype("float32"), np.array([0.1], "float32")
    tree = {
        "layers": {
            "dense": {"vars": {"0": kernel, "1": bias}},
            "batch_normalization": {"vars": {"0": gamma, "1": beta, "2": mean, "3": var}},
            "dense_1": {"vars": {"0": kernel_1, "1": bias_1}},
        },
        "optimizer": {"vars": {"0": np.int64(40), "1": np.float32(0.005)}},
        "vars": {},
    }

    def forward(x):  # what Keras computes, BatchNormalization in inference mode
        h = np.maximum(x @ kernel + bias, 0)
        h = (h - mean) / np.sqrt(var + 1e-3) * gamma + beta
        return 1 / (1 + np.exp(-(h @ kernel_1 + bias_1)))

    return tree, forward


def hand_written_file(path, **overrides):
    tree, forward = hand_written_weights()
    config = keras_sequential_config(
        keras_dense("dense", 4, "relu"), keras_batchnorm("bn"), keras_dense("dense_1", 1, "sigmoid")
    )
    return write_keras_file(path, config, tree, **overrides), forward


def test_reads_a_keras_sequential_file(tmp_path):
    path, forward = hand_written_file(tmp_path / "k.keras")
    model = interop.from_keras_file(path)
    x = np.random.default_rng(4).normal(size=(10, 3)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), forward(x), rtol=1e-5, atol=1e-6)
    assert [layer.name for layer in model.layers] == ["dense", "bn", "dense_1"]
    assert type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.learning_rate == pytest.approx(0.005)


def test_reads_a_keras_functional_file_with_two_inputs_and_outputs(tmp_path):
    def tensor(name, width):
        return {
            "class_name": "__keras_tensor__",
            "config": {"shape": [None, width], "dtype": "float32", "keras_history": [name, 0, 0]},
        }

    def entry(layer, inbound):
        return {**layer, "name": layer["config"]["name"], "inbound_nodes": inbound}

    def input_entry(name, width):
        return {
            "module": "keras.layers",
            "class_name": "InputLayer",
            "registered_name": None,
            "config": {
                "batch_shape": [None, width],
                "dtype": "float32",
                "sparse": False,
                "name": name,
            },
            "name": name,
            "inbound_nodes": [],
        }

    add = {
        "module": "keras.layers",
        "class_name": "Add",
        "registered_name": None,
        "config": {"name": "add", "trainable": True, "dtype": POLICY},
    }
    concat = {
        "module": "keras.layers",
        "class_name": "Concatenate",
        "registered_name": None,
        "config": {"name": "concatenate", "trainable": True, "dtype": POLICY, "axis": -1},
    }
    layers = [
        input_entry("p", 3),
        input_entry("q", 2),
        entry(keras_dense("dense", 2, "linear"), [{"args": [tensor("p", 3)], "kwargs": {}}]),
        entry(add, [{"args": [[tensor("dense", 2), tensor("q", 2)]], "kwargs": {}}]),
        entry(concat, [{"args": [[tensor("add", 2), tensor("p", 3)]], "kwargs": {}}]),
        entry(
            keras_dense("dense_1", 1, "sigmoid"),
            [{"args": [tensor("concatenate", 5)], "kwargs": {}}],
        ),
    ]
    config = {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "registered_name": "Functional",
        "config": {
            "name": "f",
            "trainable": True,
            "layers": layers,
            "input_layers": [["p", 0, 0], ["q", 0, 0]],
            "output_layers": [["dense_1", 0, 0], ["add", 0, 0]],
        },
    }
    rng = np.random.default_rng(5)
    k, b = rng.normal(size=(3, 2)).astype("float32"), rng.normal(size=2).astype("float32")
    k1, b1 = rng.normal(size=(5, 1)).astype("float32"), rng.normal(size=1).astype("float32")
    tree = {
        "layers": {"dense": {"vars": {"0": k, "1": b}}, "dense_1": {"vars": {"0": k1, "1": b1}}}
    }
    model = interop.from_keras_file(write_keras_file(tmp_path / "f.keras", config, tree))
    p, q = rng.normal(size=(6, 3)).astype("float32"), rng.normal(size=(6, 2)).astype("float32")
    added = p @ k + b + q
    expected = 1 / (1 + np.exp(-(np.concatenate([added, p], axis=1) @ k1 + b1)))
    out, second = model.predict([p, q], verbose=0)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(second, added, rtol=1e-5, atol=1e-6)
    assert model.optimizer is None  # no compile_config: not compiled


# ----- what dlcourse lacks, named -----------------------------------------------------------


def conv_layer():
    return {
        "module": "keras.layers",
        "class_name": "Conv2D",
        "registered_name": None,
        "config": {"name": "conv2d", "filters": 2},
    }


@pytest.mark.parametrize(
    "layer, message",
    [
        (conv_layer(), r"'conv2d' is a Keras Conv2D, which dlcourse does not support"),
        (
            keras_dense(
                "dense",
                4,
                "relu",
                kernel_constraint={
                    "module": "keras.constraints",
                    "class_name": "MaxNorm",
                    "config": {},
                },
            ),
            r"'dense' \(Dense\) sets the option kernel_constraint",
        ),
        (
            keras_dense("dense", 4, "relu", lora_rank=4),
            r"'dense' \(Dense\) sets the option lora_rank",
        ),
        (keras_dense("dense", 4, "gelu_tanh_custom"), r"'dense' \(Dense\).*Unknown activation"),
        (
            keras_dense(
                "dense",
                4,
                "relu",
                dtype={
                    "module": "keras",
                    "class_name": "DTypePolicy",
                    "config": {"name": "mixed_float16"},
                },
            ),
            r"'dense' \(Dense\) computes in 'mixed_float16'",
        ),
        (
            {
                **keras_batchnorm("bn"),
                "config": {**keras_batchnorm("bn")["config"], "renorm": True},
            },
            r"'bn' \(BatchNormalization\) sets the option renorm",
        ),
        (
            {
                "module": "keras",
                "class_name": "Sequential",
                "config": {"name": "inner", "layers": []},
            },
            r"'inner' is a nested model",
        ),
    ],
)
def test_unsupported_layers_and_options_are_named(tmp_path, layer, message):
    tree, _ = hand_written_weights()
    config = keras_sequential_config(layer)
    with pytest.raises(UnsupportedKerasFeature, match=message):
        interop.from_keras_file(write_keras_file(tmp_path / "k.keras", config, tree))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"module": "my_package.layers"}, r"Could not locate the layer class 'Dense'"),
        ({"registered_name": "Custom>Dense"}, r"'Dense' \(registered as 'Custom>Dense'\)"),
    ],
)
def test_custom_layers_must_be_registered_in_your_own_code(tmp_path, change, message):
    tree, _ = hand_written_weights()
    config = keras_sequential_config({**keras_dense("mine", 4, "relu"), **change})
    path = write_keras_file(tmp_path / "k.keras", config, tree)
    with pytest.raises(SavedFileError, match=message + ".*register_keras_serializable"):
        load_model(path)


def test_unsupported_model_and_optimizer_are_named(tmp_path):
    tree, _ = hand_written_weights()
    config = {**keras_sequential_config(), "class_name": "MyModel"}
    with pytest.raises(SavedFileError, match="Unknown model class 'MyModel'"):
        interop.from_keras_file(write_keras_file(tmp_path / "a.keras", config, tree))
    config = keras_sequential_config(keras_dense("dense", 4, "relu"))
    config["compile_config"]["optimizer"]["class_name"] = "Lion"
    with pytest.raises(UnsupportedKerasFeature, match="optimizer 'Lion'.*compile=False"):
        interop.from_keras_file(
            write_keras_file(
                tmp_path / "b.keras", config, {"layers": {"dense": tree["layers"]["dense"]}}
            )
        )
    model = interop.from_keras_file(tmp_path / "b.keras", compile=False)
    assert model.optimizer is None
    config = keras_sequential_config(keras_dense("dense", 4, "relu"))
    config["compile_config"]["metrics"] = [
        {"module": "keras.metrics", "class_name": "AUC", "config": {}, "registered_name": None}
    ]
    path = write_keras_file(
        tmp_path / "c.keras", config, {"layers": {"dense": tree["layers"]["dense"]}}
    )
    with pytest.raises(UnsupportedKerasFeature, match="Unknown metric 'AUC'.*compile=False"):
        load_model(path)
    assert not load_model(path, compile=False).compiled


# ----- broken and hostile files --------------------------------------------------------------


def test_mismatched_weights_are_refused(tmp_path):
    tree, _ = hand_written_weights()
    tree["layers"]["dense"]["vars"]["0"] = np.zeros((3, 5), "float32")
    config = keras_sequential_config(
        keras_dense("dense", 4, "relu"), keras_batchnorm("bn"), keras_dense("dense_1", 1, "sigmoid")
    )
    with pytest.raises(SavedFileError, match=r"layers/dense/vars/0 has shape \(3, 5\)"):
        interop.from_keras_file(write_keras_file(tmp_path / "k.keras", config, tree))
    tree, _ = hand_written_weights()
    del tree["layers"]["dense_1"]
    with pytest.raises(SavedFileError, match="'dense_1' .* has 2 weights but the file holds 0"):
        interop.from_keras_file(write_keras_file(tmp_path / "k.keras", config, tree))


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"../evil.py": b"print('hi')"}, "unsafe member name"),
        ({"/etc/passwd": b""}, "unsafe member name"),
        ({"assets/x.txt": b""}, "unexpected members"),
        ({"model.weights.npz": b""}, "pickles"),
    ],
)
def test_hostile_members_are_refused(tmp_path, extra, message):
    path, _ = hand_written_file(tmp_path / "k.keras", extra=extra)
    with pytest.raises((SavedFileError, UnsupportedKerasFeature), match=message):
        interop.from_keras_file(path)


def test_other_files_get_clear_errors(tmp_path):
    weights_only = tmp_path / "old.h5"
    weights_only.write_bytes(_hdf5.write({"model_weights": {}}))
    with pytest.raises(SavedFileError, match="holds only weights.*load_weights"):
        load_model(weights_only)
    text = tmp_path / "notes.keras"
    text.write_text("hello")
    with pytest.raises(SavedFileError, match="is not a model file"):
        interop.read_keras_file(text)
    path, _ = hand_written_file(tmp_path / "k2.keras", metadata={"keras_version": "2.15.0"})
    with pytest.raises(SavedFileError, match="Keras 2.15.0"):
        interop.from_keras_file(path)
    with pytest.raises(FileNotFoundError):
        interop.from_keras_file(tmp_path / "missing.keras")


def test_load_model_reads_a_keras_file_and_its_optimizer_state(tmp_path):
    path, forward = hand_written_file(tmp_path / "k.keras")
    model = load_model(path)
    x = np.random.default_rng(4).normal(size=(10, 3)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), forward(x), rtol=1e-5, atol=1e-6)
    # The file holds the step count and learning rate of an optimizer built before any step.
    assert model.optimizer.iterations == 40


def test_damaged_weights_give_saved_file_errors(tmp_path):
    tree, _ = hand_written_weights()
    data = bytearray(_hdf5.write(tree))
    config = keras_sequential_config(
        keras_dense("dense", 4, "relu"), keras_batchnorm("bn"), keras_dense("dense_1", 1, "sigmoid")
    )
    for damaged in (bytes(data[: len(data) // 2]), b"\x89HDF\r\n\x1a\n" + bytes(200)):
        path = tmp_path / "d.keras"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
            archive.writestr("config.json", json.dumps(config))
            archive.writestr("model.weights.h5", damaged)
        with pytest.raises(SavedFileError, match="HDF5 weights"):
            interop.from_keras_file(path)


# ----- the HDF5 subset ---------------------------------------------------------------------


def test_hdf5_round_trip_of_groups_scalars_and_dtypes():
    tree = {
        "layers": {
            f"dense_{i}": {
                "vars": {"0": np.full((2, 3), i, "float32"), "1": np.arange(3, dtype="float64")}
            }
            for i in range(300)
        },  # more entries than one B-tree node holds
        "optimizer": {"vars": {"0": np.int64(7), "1": np.float32(0.5)}},
        "empty": np.zeros((0, 4), "float32"),
        "big_endian": np.arange(4, dtype=">i4"),
        "vars": {},
    }
    back = _hdf5.read(_hdf5.write(tree))
    assert sorted(back) == sorted(tree) and len(back["layers"]) == 300
    np.testing.assert_array_equal(back["layers"]["dense_299"]["vars"]["0"], np.full((2, 3), 299))
    assert back["layers"]["dense_7"]["vars"]["1"].dtype == np.float64
    assert back["optimizer"]["vars"]["0"].shape == () and back["optimizer"]["vars"]["0"] == 7
    assert back["empty"].shape == (0, 4)
    np.testing.assert_array_equal(back["big_endian"], [0, 1, 2, 3])
    assert back["vars"] == {}


def test_hdf5_reader_survives_random_damage():
    """Any damage gives HDF5Error (never another exception, a hang or a huge allocation)."""
    data = _hdf5.write(
        {
            "layers": {"dense": {"vars": {"0": np.ones((4, 4), "float32")}}},
            "x": np.arange(5, dtype="int64"),
        }
    )
    rng = np.random.default_rng(0)
    for _ in range(400):
        damaged = bytearray(data)
        for position in rng.integers(8, len(data), size=rng.integers(1, 6)):
            damaged[position] = rng.integers(0, 256)
        try:
            _hdf5.read(bytes(damaged), max_bytes=1 << 20)
        except _hdf5.HDF5Error:
            pass


def test_hdf5_reader_refuses_what_it_does_not_read():
    with pytest.raises(_hdf5.HDF5Error, match="signature"):
        _hdf5.read(b"PK\x03\x04" + bytes(100))
    newer = bytearray(_hdf5.write({}))
    newer[8] = 2
    with pytest.raises(_hdf5.HDF5Error, match="superblock version 2"):
        _hdf5.read(bytes(newer))
    with pytest.raises(_hdf5.HDF5Error, match="size limit"):
        _hdf5.read(_hdf5.write({"w": np.zeros(1000, "float32")}), max_bytes=100)
    with pytest.raises(ValueError, match="numbers only"):
        _hdf5.write({"s": np.array(["text"])})


def test_read_keras_file_lists_metadata_config_and_weight_paths(tmp_path):
    model = sequential()
    interop.to_keras_file(model, tmp_path / "m.keras")
    metadata, config, weights = interop.read_keras_file(tmp_path / "m.keras")
    assert metadata["keras_version"] == "3.15.1" and "dlcourse_version" in metadata
    assert config["class_name"] == "Sequential"
    assert sorted(weights) == [
        "layers/batch_normalization/vars/0",
        "layers/batch_normalization/vars/1",
        "layers/batch_normalization/vars/2",
        "layers/batch_normalization/vars/3",
        "layers/dense/vars/0",
        "layers/dense/vars/1",
        "layers/dense_1/vars/0",
        "layers/dense_1/vars/1",
    ] + [f"optimizer/vars/{i}" for i in sorted(range(14), key=str)]  # Adam: 2 + 2 * 6
