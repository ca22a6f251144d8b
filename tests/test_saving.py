"""Saving and loading: exact round trips, exact resume, atomic writes, and safe loading."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

from dlcourse import backend, saving
from dlcourse.layers import BatchNormalization, Concatenate, Dense, Dropout, Input
from dlcourse.models import Model, Sequential, load_model, model_from_json
from dlcourse.optimizers import Adam
from dlcourse.saving import SavedFileError
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


class TwoLayers(Model):
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


def npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


# ----- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("build", [sequential_model, functional_model])
@pytest.mark.parametrize("name", ["my_model.h5", "best_model.h5", "model.keras"])
def test_round_trip_predicts_and_evaluates_identically(tmp_path, build, name):
    set_random_seed(0)
    x, y = data()
    model = build()
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    model.save(tmp_path / name)
    loaded = load_model(tmp_path / name)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert loaded.get_config() == model.get_config()
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.optimizer.iterations == model.optimizer.iterations == 18


def test_file_layout_is_a_keras_style_zip(tmp_path):
    from dlcourse import __version__

    model = sequential_model()
    model.fit(*data(), epochs=1, verbose=0)
    model.save(tmp_path / "m.h5")
    contents = members(tmp_path / "m.h5")
    assert sorted(contents) == ["config.json", "metadata.json", "model.weights.npz"]
    metadata = json.loads(contents["metadata.json"])
    assert metadata["format"] == "dlcourse" and metadata["format_version"] == 1
    assert metadata["dlcourse_version"] == __version__
    config = json.loads(contents["config.json"])
    assert config["class_name"] == "Sequential"
    assert [entry["class_name"] for entry in config["config"]["layers"]] == [
        "Dense",
        "BatchNormalization",
        "Dropout",
        "Dense",
    ]
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert config["compile_config"]["loss"] == "binary_crossentropy"
    assert config["compile_config"]["metrics"] == ["accuracy"]
    with np.load(io.BytesIO(contents["model.weights.npz"]), allow_pickle=False) as npz:
        assert int(npz["optimizer/iterations"]) == 3
        assert len([k for k in npz.files if k.startswith("weights/")]) == 8
        assert "optimizer/slots/0000/momentum" in npz.files


def test_unknown_extension_and_subclassed_models_get_clear_errors(tmp_path):
    model = sequential_model()
    with pytest.raises(ValueError, match=r"'something\.keras'"):
        model.save(tmp_path / "model.pt")
    subclassed = TwoLayers()
    subclassed(np.zeros((1, 5), dtype="float32"))
    with pytest.raises(NotImplementedError, match="save_weights"):
        subclassed.save(tmp_path / "sub.keras")
    assert os.listdir(tmp_path) == []


def test_uncompiled_model_loads_uncompiled(tmp_path):
    model = Sequential([Dense(3, input_shape=(5,))])
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert not loaded.compiled
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def test_load_model_compile_false_skips_compile_settings(tmp_path):
    model = sequential_model()
    model.save(tmp_path / "m.keras")
    assert not load_model(tmp_path / "m.keras", compile=False).compiled


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
    sequential_model().save(tmp_path / "m.keras")
    set_random_seed(5)
    expected = backend.rng().random(3)
    set_random_seed(5)
    load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(backend.rng().random(3), expected)


# ----- resume -------------------------------------------------------------------------------


def test_resume_in_the_same_process_is_bit_exact(tmp_path):
    """10 epochs, save, load, 10 more == 20 straight: optimizer slots and step count restored,
    and loading does not draw from the shuffling random stream."""
    x, y = data()
    set_random_seed(7)
    straight = sequential_model()
    straight.fit(x, y, epochs=20, batch_size=16, verbose=0)

    set_random_seed(7)
    first = sequential_model()
    first.fit(x, y, epochs=10, batch_size=16, verbose=0)
    first.save(tmp_path / "half.keras")
    resumed = load_model(tmp_path / "half.keras")
    resumed.fit(x, y, epochs=10, batch_size=16, verbose=0)

    assert resumed.optimizer.iterations == straight.optimizer.iterations == 120
    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_resume_with_a_seed_per_segment_is_bit_exact(tmp_path):
    """The recipe for resuming in a new process: seed before each fit, in both runs."""
    x, y = data()
    set_random_seed(1)
    straight = functional_model()
    set_random_seed(100)
    straight.fit(x, y, epochs=10, batch_size=32, verbose=0)
    set_random_seed(200)
    straight.fit(x, y, epochs=10, batch_size=32, verbose=0)

    set_random_seed(1)
    first = functional_model()
    set_random_seed(100)
    first.fit(x, y, epochs=10, batch_size=32, verbose=0)
    first.save(tmp_path / "half.h5")
    set_random_seed(999)  # anything may happen in between
    resumed = load_model(tmp_path / "half.h5")
    set_random_seed(200)
    resumed.fit(x, y, epochs=10, batch_size=32, verbose=0)

    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_array_equal(a, b)


# ----- weights only and JSON ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["my_weights.h5", "m.weights.h5", "m.weights.npz", "checkpoint"])
def test_save_and_load_weights_for_every_model_style(tmp_path, name):
    x, _ = data()
    for build in (sequential_model, functional_model, TwoLayers):
        set_random_seed(3)
        source = build()
        source(x[:1])
        other = build()
        other(x[:1])
        source.save_weights(tmp_path / name)
        other.load_weights(tmp_path / name)
        np.testing.assert_array_equal(other.predict(x, verbose=0), source.predict(x, verbose=0))


def test_load_weights_from_a_model_file_and_weights_file_not_a_model(tmp_path):
    model = sequential_model()
    model.save(tmp_path / "m.keras")
    other = sequential_model()
    other.load_weights(tmp_path / "m.keras")  # Keras 3 allows this too
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.save_weights(tmp_path / "w.h5")
    with pytest.raises(SavedFileError, match="load_weights"):
        load_model(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="model.save"):
        model.save_weights(tmp_path / "w.keras")


def test_load_weights_with_wrong_shapes_changes_nothing(tmp_path):
    small = Sequential([Dense(3, input_shape=(5,)), Dense(1)])
    small.save_weights(tmp_path / "small.weights.h5")
    model = Sequential([Dense(4, input_shape=(5,)), Dense(1)])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"shape \(5, 3\).*\(5, 4\)"):
        model.load_weights(tmp_path / "small.weights.h5")
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    three = Sequential([Dense(4, input_shape=(5,)), Dense(2), Dense(1)])
    with pytest.raises(ValueError, match="holds 4 weight arrays.*has 6"):
        three.load_weights(tmp_path / "small.weights.h5")


def test_load_weights_into_an_unbuilt_subclassed_model_says_build_first(tmp_path):
    built = TwoLayers()
    built(np.zeros((1, 5), dtype="float32"))
    built.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="build it first"):
        TwoLayers().load_weights(tmp_path / "w.h5")


def test_to_json_and_model_from_json_rebuild_the_architecture(tmp_path):
    for model in (sequential_model(), functional_model()):
        text = model.to_json()
        rebuilt = model_from_json(text)
        assert rebuilt.get_config() == model.get_config()
        assert [w.shape for w in rebuilt.get_weights()] == [w.shape for w in model.get_weights()]
        assert not rebuilt.compiled
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


def test_error_during_save_keeps_the_previous_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    model = sequential_model()
    path = tmp_path / "best_model.h5"
    model.save(path)
    before = path.read_bytes()
    model.fit(*data(), epochs=1, verbose=0)  # the next save would differ

    def broken_savez(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    with pytest.raises(OSError, match="disk full"):
        model.save_weights(tmp_path / "w.h5")
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["best_model.h5"]
    monkeypatch.undo()
    load_model(path)


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


def assert_refused(path, match, tmp_path):
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(SavedFileError, match=match):
        load_model(path)
    assert sorted(os.listdir(tmp_path)) == before


def test_pickled_object_array_is_refused(tmp_path, saved):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as inner:
        with inner.open("weights/0000.npy", "w") as member:
            np.lib.format.write_array(member, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    write_zip(tmp_path / "evil.keras", {**saved, "model.weights.npz": buffer.getvalue()})
    assert_refused(tmp_path / "evil.keras", "pickle", tmp_path)
    (tmp_path / "evil.weights.h5").write_bytes(buffer.getvalue())
    with pytest.raises(SavedFileError, match="pickle"):
        sequential_model().load_weights(tmp_path / "evil.weights.h5")


@pytest.mark.parametrize("class_name", ["os.system", "Conv2D", "__import__"])
def test_config_naming_an_unknown_class_is_refused(tmp_path, saved, class_name):
    config = json.loads(saved["config.json"])
    config["config"]["layers"][0]["class_name"] = class_name
    write_zip(tmp_path / "bad.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "bad.keras", f"Unknown layer '{class_name}'", tmp_path)


def test_unknown_classes_in_nested_configs_are_refused(tmp_path, saved):
    config = json.loads(saved["config.json"])
    config["compile_config"]["optimizer"]["class_name"] = "os.system"
    write_zip(tmp_path / "opt.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "opt.keras", "Unknown optimizer 'os.system'", tmp_path)
    config = json.loads(saved["config.json"])
    config["config"]["layers"][0]["config"]["kernel_regularizer"] = {
        "class_name": "subprocess.Popen",
        "config": {"args": "ls"},
    }
    write_zip(tmp_path / "reg.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "reg.keras", "Unknown regularizer 'subprocess.Popen'", tmp_path)
    config = json.loads(saved["config.json"])
    config["class_name"] = "builtins.eval"
    write_zip(tmp_path / "model.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "model.keras", "Unknown model class", tmp_path)


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


def test_truncated_file_is_refused(tmp_path):
    sequential_model().save(tmp_path / "m.keras")
    data_bytes = (tmp_path / "m.keras").read_bytes()
    (tmp_path / "cut.keras").write_bytes(data_bytes[: len(data_bytes) // 2])
    assert_refused(tmp_path / "cut.keras", "truncated", tmp_path)


def test_not_a_zip_and_hdf5_are_refused(tmp_path):
    (tmp_path / "text.h5").write_text("hello, I am not a model")
    assert_refused(tmp_path / "text.h5", "not a model file written by dlcourse", tmp_path)
    (tmp_path / "keras.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)
    assert_refused(tmp_path / "keras.h5", "HDF5 file written by Keras", tmp_path)
    with pytest.raises(FileNotFoundError, match="No file"):
        load_model(tmp_path / "missing.h5")


def test_weights_with_wrong_shapes_in_a_model_file_are_refused(tmp_path, saved):
    with np.load(io.BytesIO(saved["model.weights.npz"]), allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["weights/0000"] = np.zeros((7, 16), dtype="float32")
    write_zip(tmp_path / "shape.keras", {**saved, "model.weights.npz": npz_bytes(**arrays)})
    assert_refused(tmp_path / "shape.keras", r"shape \(7, 16\).*\(5, 16\)", tmp_path)


def test_unexpected_array_names_are_refused(tmp_path, saved):
    with np.load(io.BytesIO(saved["model.weights.npz"]), allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["../evil"] = np.zeros(1)
    write_zip(tmp_path / "names.keras", {**saved, "model.weights.npz": npz_bytes(**arrays)})
    assert_refused(tmp_path / "names.keras", "unexpected array", tmp_path)


def test_newer_format_version_is_refused(tmp_path, saved):
    metadata = json.loads(saved["metadata.json"])
    metadata["format_version"] = 2
    write_zip(tmp_path / "new.keras", {**saved, "metadata.json": json.dumps(metadata)})
    assert_refused(tmp_path / "new.keras", "newer dlcourse.*version 2.*Upgrade", tmp_path)


def test_oversized_member_is_refused(tmp_path, saved, monkeypatch):
    write_zip(tmp_path / "big.keras", saved)
    monkeypatch.setitem(saving.MEMBER_LIMITS, "config.json", 100)
    assert_refused(tmp_path / "big.keras", "limit", tmp_path)


def test_invalid_json_and_bad_layer_arguments_are_refused(tmp_path, saved):
    write_zip(tmp_path / "json.keras", {**saved, "config.json": b"{not json"})
    assert_refused(tmp_path / "json.keras", "not valid JSON", tmp_path)
    config = json.loads(saved["config.json"])
    config["config"]["layers"][0]["config"]["units"] = -3
    write_zip(tmp_path / "units.keras", {**saved, "config.json": json.dumps(config)})
    assert_refused(tmp_path / "units.keras", "positive integer number of units", tmp_path)


def test_failed_load_weights_leaves_the_model_untouched(tmp_path, saved):
    with np.load(io.BytesIO(saved["model.weights.npz"]), allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["weights/0003"] = np.zeros(99, dtype="float32")  # a later weight is wrong
    write_zip(tmp_path / "late.keras", {**saved, "model.weights.npz": npz_bytes(**arrays)})
    model = sequential_model()
    before = model.get_weights()
    with pytest.raises(ValueError, match="shape"):
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

    model = load_model("best_model.h5")
    loss, accuracy = model.evaluate(X_test, y_test)
    assert accuracy >= 0.95
    assert model.evaluate(X_train[-91:], y_train[-91:], return_dict=True)["loss"] == pytest.approx(
        hist.history["val_loss"][best_epoch], rel=1e-6
    )
