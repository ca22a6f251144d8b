"""Hostile HDF5 files made with h5py (installed with Keras by `make test-interop`): everything
outside the subset dlcourse reads, and damaged Keras files, give SavedFileError, never a crash,
a hang or a huge allocation.

The HDF5 reader is dlcourse's own (`dlcourse._hdf5`, plain NumPy), not h5py's C library:
a crafted file can then only make it raise an error.
"""

import os
import warnings

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
h5py = pytest.importorskip("h5py", reason="h5py comes with Keras: run `make test-interop`")
keras = pytest.importorskip("keras", reason="Keras 3 is not installed: run `make test-interop`")

from dlcourse import _hdf5  # noqa: E402
from dlcourse.layers import Dense, Input  # noqa: E402
from dlcourse.models import Sequential, load_model  # noqa: E402
from dlcourse.saving import SavedFileError  # noqa: E402


def small_model():
    model = Sequential([Input((3,)), Dense(2)])
    return model


def weights_file(path, fill):
    """A weights file in Keras's layout whose first kernel `fill(group, folder)` creates."""
    with h5py.File(path, "w") as f:
        group = f.create_group("layers/dense/vars")
        fill(group, os.path.dirname(path))
        group["1"] = np.zeros(2, "float32")
        f.create_group("vars")
    return path


@pytest.mark.parametrize(
    "fill, message",
    [
        (  # a "shape bomb": 4 TiB declared, a few bytes stored (chunked, gzip, fill value)
            lambda g, folder: g.create_dataset(
                "0", shape=(2**20, 2**20), dtype="f4", chunks=(1, 1), compression="gzip"
            ),
            "compressed|chunked",
        ),
        (
            lambda g, folder: g.create_dataset("0", data=np.zeros((3, 2), "f4"), chunks=(1, 2)),
            "chunked",
        ),
        (lambda g, folder: g.__setitem__("0", np.array(["a", "b"], dtype=object)), "only numbers"),
        (
            lambda g, folder: g.__setitem__("0", np.zeros(3, dtype=[("a", "f4"), ("b", "i4")])),
            "compound",
        ),
        (lambda g, folder: g.__setitem__("0", h5py.SoftLink("/vars")), "outside the file|neither"),
        (
            lambda g, folder: g.__setitem__("0", h5py.ExternalLink("/etc/passwd", "/x")),
            "link format",
        ),
        (
            lambda g, folder: g.create_dataset(  # the data in another file, next to it
                "0", data=np.zeros((3, 2), "f4"), external=[(f"{folder}/x.bin", 0, 24)]
            ),
            "external",
        ),
    ],
    ids=["shape-bomb", "chunked", "strings", "compound", "soft-link", "external-link", "external"],
)
def test_hdf5_outside_the_subset_is_refused(tmp_path, fill, message):
    path = weights_file(tmp_path / "w.weights.h5", fill)
    model = small_model()
    before = model.get_weights()
    with pytest.raises(SavedFileError, match=message):
        model.load_weights(path)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_newer_hdf5_file_formats_are_refused(tmp_path):
    path = tmp_path / "latest.weights.h5"
    with h5py.File(path, "w", libver="latest") as f:
        f["layers/dense/vars/0"] = np.zeros((3, 2), "f4")
    with pytest.raises(SavedFileError, match="superblock version"):
        small_model().load_weights(path)


def test_strings_of_any_size_are_read_from_the_global_heap(tmp_path):
    """h5py (so Keras) stores a str attribute as a variable-length string: its bytes sit in
    the global heap, so even a config larger than an object header is read."""
    path = tmp_path / "big.h5"
    with h5py.File(path, "w") as f:
        f.attrs.create("model_config", "x" * 70000)
        f.attrs["names"] = ["a", "bc"]
    _, attributes = _hdf5.read(path.read_bytes(), attributes=True)
    assert attributes[""]["model_config"] == "x" * 70000
    assert attributes[""]["names"] == ["a", "bc"]
    with pytest.raises(SavedFileError, match="does not say which Keras"):
        load_model(path)


def keras_h5_file(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer="adam", loss="mean_squared_error")
    model.fit(np.ones((4, 3), "f4"), np.ones((4, 2), "f4"), verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(tmp_path / "k.h5")
    return (tmp_path / "k.h5").read_bytes()


def test_damaged_keras_files_give_saved_file_errors_only(tmp_path):
    """Random damage to a Keras-written '.h5' (variable-length strings in a global heap, as
    Keras writes its config) and '.weights.h5': a SavedFileError or a loaded model, nothing else."""
    keras_model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    keras_model.save_weights(tmp_path / "k.weights.h5")
    originals = {
        "k.h5": keras_h5_file(tmp_path),
        "k.weights.h5": (tmp_path / "k.weights.h5").read_bytes(),
    }
    rng = np.random.default_rng(0)
    for name, data in originals.items():
        for trial in range(150):
            damaged = bytearray(data)
            for position in rng.integers(8, len(data), size=rng.integers(1, 8)):
                damaged[position] = rng.integers(0, 256)
            path = tmp_path / f"damaged_{trial}_{name}"
            path.write_bytes(bytes(damaged))
            try:
                if name == "k.h5":
                    load_model(path)
                else:
                    small_model().load_weights(path)
            except SavedFileError:
                pass
            os.remove(path)


def test_the_reader_reads_keras_strings_from_the_global_heap(tmp_path):
    tree, attributes = _hdf5.read(keras_h5_file(tmp_path), attributes=True)
    assert attributes[""]["keras_version"] == keras.__version__
    assert attributes[""]["model_config"].startswith('{"class_name": "Sequential"')
    assert attributes["model_weights"]["layer_names"] == ["d"]
    kernel, bias = attributes["model_weights/d"]["weight_names"]  # variable paths
    assert kernel.endswith("d/kernel") and bias.endswith("d/bias")
    group = tree["model_weights"]["d"]
    for part in kernel.split("/"):
        group = group[part]
    assert group.shape == (3, 2)
