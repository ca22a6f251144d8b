"""Speed-related behaviour, pinned without timing anything: the light `import dlcourse`, and fast
paths that must give the same numbers as the general code. (The BLAS-threads rule: test_threads.)"""

import subprocess
import sys

import numpy as np
import pytest

from dlcourse import activations, optimizers
from dlcourse.layers import Dense, Input
from dlcourse.layers.base import activation_backward
from dlcourse.models import Sequential
from dlcourse.utils import set_random_seed


def test_import_dlcourse_does_not_import_heavy_libraries():
    code = (
        "import sys, dlcourse, dlcourse.layers, dlcourse.models; "
        "print(','.join(m for m in ('matplotlib', 'ipywidgets', 'sklearn', 'pandas', "
        "'threadpoolctl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_dense_relu_fast_path_matches_the_general_activation():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5)).astype("float32")
    layer = Dense(7, activation="relu")
    layer(x)
    y, cache = layer.forward(x)
    z = x @ layer.kernel.value + layer.bias.value
    np.testing.assert_array_equal(y, activations.relu(z))
    grad = rng.normal(size=y.shape).astype("float32")
    grad_x, (grad_kernel, grad_bias) = layer.backward(grad, cache)
    grad_z = activation_backward(activations.relu, z, activations.relu(z), grad)
    np.testing.assert_allclose(grad_kernel, x.T @ grad_z, rtol=1e-6)
    np.testing.assert_allclose(grad_bias, grad_z.sum(axis=0), rtol=1e-6)
    np.testing.assert_allclose(grad_x, grad_z @ layer.kernel.value.T, rtol=1e-6)
    assert y.dtype == grad_x.dtype == grad_kernel.dtype == np.float32


def test_fit_stays_float32_end_to_end():
    set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 8))  # float64 data is cast once
    y = (x[:, 0] > 0).astype(int)
    model = Sequential(
        [Input(shape=(8,)), Dense(16, activation="relu"), Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert all(s.dtype == np.float32 for s in model.optimizer.variables)
    assert model.predict(x, verbose=0).dtype == np.float32


@pytest.mark.parametrize(
    "make",
    [
        lambda: optimizers.Adam(0.01),
        lambda: optimizers.RMSprop(momentum=0.5),
        lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
        lambda: optimizers.Adagrad(0.1),
    ],
)
def test_flat_update_of_small_models_matches_weight_by_weight(make):
    rng = np.random.default_rng(0)
    shapes = [(4, 3), (3,), (3, 2), (2,)]
    weights = [rng.normal(size=s).astype("float32") for s in shapes]
    copies = [w.copy() for w in weights]
    flat, one_by_one = make(), make()
    one_by_one.FLAT_MAX_SIZE = 0  # forces the weight-by-weight path
    for _ in range(3):
        grads = [rng.normal(size=s).astype("float32") for s in shapes]
        flat.apply_gradients(zip(grads, weights))
        one_by_one.apply_gradients(zip(grads, copies))
    assert flat._flat is not None and one_by_one._flat is None
    for a, b in zip(weights, copies):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(flat.variables, one_by_one.variables):
        np.testing.assert_array_equal(a, b)
    # the slots are views into the flat arrays: restoring a state writes through to them
    state = one_by_one.get_state()
    flat.set_state(state, weights)
    for slots in flat._slots:
        for array in slots.values():
            assert any(np.shares_memory(array, f) for f in flat._flat.slots.values())


def test_flat_update_is_for_small_models_of_one_dtype_only():
    big = [np.zeros(optimizers.Optimizer.FLAT_MAX_SIZE + 1, dtype="float32")]
    opt = optimizers.Adam()
    opt.apply_gradients(zip([np.ones_like(big[0])], big))
    assert opt._flat is None
    mixed = [np.zeros(3, dtype="float32"), np.zeros(3, dtype="float64")]
    opt = optimizers.Adam()
    opt.apply_gradients(zip([np.ones(3), np.ones(3)], mixed))
    assert opt._flat is None and mixed[1][0] < 0  # still updated, weight by weight
    # a subset of the weights (a None gradient) is updated weight by weight too
    small = [np.zeros(3, dtype="float32"), np.zeros(2, dtype="float32")]
    opt = optimizers.Adam()
    opt.apply_gradients(zip([np.ones(3, "float32"), np.ones(2, "float32")], small))
    opt.apply_gradients(zip([None, np.ones(2, "float32")], small))
    assert opt.iterations == 2 and small[1][0] < small[0][0] < 0
    # a single weight (a 2D point in the optimizer explorer) gains nothing from copying
    opt = optimizers.Adam()
    opt.apply_gradients([(np.ones(2), np.zeros(2))])
    assert opt._flat is None
