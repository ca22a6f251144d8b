"""Notebook 04's claim about Keras 3's backends, checked against the real Keras.

dlcourse always fuses a sigmoid or softmax output with its cross-entropy: backpropagation starts
at the logit with p - y. Keras 3 fuses only on the TensorFlow backend; on the JAX and PyTorch
backends `binary_crossentropy` and `categorical_crossentropy` take the log of the clipped
probability, so once p falls below epsilon = 1e-7 the loss stops at -ln(1e-7) and the gradient
at the logit is 0. Here on the PyTorch backend (what `make test-interop` installs).

Skipped when Keras cannot be imported, so the normal suite (`make test`) runs without it.
"""

import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras", reason="Keras 3 is not installed: run `make test-interop`")
torch = pytest.importorskip("torch")

from dlcourse import activations, losses  # noqa: E402

CLIPPED_LOSS = -np.log(1e-7)  # 16.118...


def keras_loss_and_logit_gradient(activation, loss, logits, labels):
    """Keras's loss on activation(logits) and its gradient with respect to the logits."""
    if keras.backend.backend() != "torch":
        pytest.skip("these gradients are taken with torch autograd")
    z = torch.tensor(logits, dtype=torch.float32, requires_grad=True)
    value = loss(torch.tensor(labels, dtype=torch.float32), activation(z)).sum()
    value.backward()
    return value.item(), z.grad.numpy()


def test_keras_on_torch_gives_a_confidently_wrong_sigmoid_no_gradient():
    value, grad = keras_loss_and_logit_gradient(
        keras.activations.sigmoid, keras.losses.binary_crossentropy, [[-20.0]], [[1.0]]
    )
    assert value == pytest.approx(CLIPPED_LOSS, rel=1e-5)
    assert grad[0, 0] == 0

    z, y = np.array([[-20.0]], dtype="float32"), np.array([[1.0]])
    fused = losses.BinaryCrossentropy().fused_gradient("sigmoid", y, activations.sigmoid(z))
    assert fused[0, 0] == pytest.approx(-1, abs=1e-6)


def test_keras_on_torch_gives_a_confidently_wrong_softmax_no_gradient():
    logits, labels = [[-20.0, 0.0, 0.0]], [[1.0, 0.0, 0.0]]
    value, grad = keras_loss_and_logit_gradient(
        keras.activations.softmax, keras.losses.categorical_crossentropy, logits, labels
    )
    assert value == pytest.approx(CLIPPED_LOSS, rel=1e-5)
    assert np.all(grad == 0)

    z, y = np.array(logits, dtype="float32"), np.array(labels)
    fused = losses.CategoricalCrossentropy().fused_gradient("softmax", y, activations.softmax(z))
    assert np.allclose(fused, activations.softmax(z) - y)


def test_inside_the_clip_keras_and_dlcourse_agree_on_p_minus_y():
    """At z = -6 the probability is not clipped: both give p - y, through different routes."""
    value, grad = keras_loss_and_logit_gradient(
        keras.activations.sigmoid, keras.losses.binary_crossentropy, [[-6.0]], [[1.0]]
    )
    p = activations.sigmoid(np.array([[-6.0]]))
    assert value == pytest.approx(float(losses.binary_crossentropy([[1.0]], p)[0]), rel=1e-5)
    assert grad[0, 0] == pytest.approx(float(p[0, 0] - 1), rel=1e-5)
