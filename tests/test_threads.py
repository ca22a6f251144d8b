"""The BLAS-threads rule (dlcourse/models/threads.py) and its setting (dlcourse.config): fixed,
never measured, so a seeded fit gives the same weights on an idle and on a busy machine."""

import subprocess
import sys

import numpy as np
import pytest

from dlcourse import config
from dlcourse.layers import Dense, Input
from dlcourse.models import Sequential
from dlcourse.models.threads import SMALL_PRODUCT, blas_threads, blas_threads_for
from dlcourse.utils import set_random_seed

threadpoolctl = pytest.importorskip("threadpoolctl")


def kernels(*shapes):
    return [np.zeros(shape, dtype="float32") for shape in shapes]


def blas_thread_counts():
    return [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]


@pytest.fixture
def blas_setting():
    """Restores the automatic rule after a test that sets a thread count."""
    yield config.set_blas_threads
    config.set_blas_threads(None)


def test_small_products_run_on_one_blas_thread():
    # digits network, batch 32: the largest product is 32 x 64 x 200 multiply-adds
    assert blas_threads_for(32, kernels((64, 200), (200,), (200, 100), (100, 10))) == 1
    # breast-cancer network, batch 10
    assert blas_threads_for(10, kernels((30, 100), (100, 24), (24, 1))) == 1


def test_large_products_run_on_all_cores():
    assert blas_threads_for(512, kernels((784, 512), (512, 512), (512, 10))) is None
    assert blas_threads_for(64, kernels((500, 500))) is None
    with blas_threads(64, kernels((500, 500), (500,))):
        assert (np.ones((64, 500), "float32") @ np.ones((500, 500), "float32"))[0, 0] == 500


def test_threshold_is_on_the_largest_product():
    side = int(np.sqrt(SMALL_PRODUCT))
    assert blas_threads_for(1, kernels((side - 1, side - 1))) == 1
    assert blas_threads_for(1, kernels((side + 1, side + 1))) is None
    assert blas_threads_for(1000, kernels((3,))) == 1  # biases alone are not products


def test_blas_threads_limits_and_restores():
    before = blas_thread_counts()
    with blas_threads(32, kernels((64, 200))):
        assert all(n == 1 for n in blas_thread_counts())
    assert blas_thread_counts() == before


def test_set_blas_threads_replaces_the_rule(blas_setting):
    assert config.blas_threads() is None
    blas_setting(1)
    assert config.blas_threads() == 1
    assert blas_threads_for(512, kernels((784, 512))) == 1  # large, yet one thread
    with blas_threads(512, kernels((784, 512))):
        assert all(n == 1 for n in blas_thread_counts())
    blas_setting(2)
    assert blas_threads_for(32, kernels((64, 200))) == 2  # small, yet two threads
    blas_setting(None)
    assert blas_threads_for(512, kernels((784, 512))) is None


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_set_blas_threads_rejects_what_is_not_a_count(blas_setting, bad):
    with pytest.raises(ValueError, match="positive integer or None"):
        blas_setting(bad)
    assert config.blas_threads() is None  # unchanged


def seeded_fit_weights():
    """A seeded fit whose products (64 x 500 x 500) are large: they run on all cores, where
    one and two threads round differently (so a timed choice would change the weights)."""
    set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 500)).astype("float32")
    y = (x[:, :10].sum(axis=1) > 0).astype("float32")
    model = Sequential(
        [Input(shape=(500,)), Dense(500, activation="relu"), Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    assert blas_threads_for(64, model.weights) is None
    model.fit(x, y, batch_size=64, epochs=2, verbose=0)
    return model.get_weights()


BUSY_LOOP = "import time\nend = time.time() + 120\nwhile time.time() < end: pass"


def test_a_seeded_fit_gives_the_same_weights_on_an_idle_and_a_busy_machine():
    idle = seeded_fit_weights()
    busy = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(2)]
    try:
        loaded = seeded_fit_weights()
    finally:
        for process in busy:
            process.kill()
            process.wait()
    for a, b in zip(idle, loaded):
        np.testing.assert_array_equal(a, b)
