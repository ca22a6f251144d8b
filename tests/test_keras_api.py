"""Keras 3's top level: `keras.Sequential(...)` becomes `dlcourse.Sequential(...)`."""

import warnings

import numpy as np
import pytest

import dlcourse
from dlcourse import callbacks, layers, models


def test_the_top_level_holds_what_keras_does():
    assert dlcourse.Sequential is models.Sequential
    assert dlcourse.Model is models.Model
    assert dlcourse.Input is layers.Input
    assert dlcourse.Layer is layers.Layer
    assert dlcourse.Optimizer is dlcourse.optimizers.Optimizer
    submodules = "activations backend callbacks config datasets initializers layers losses"
    for name in (submodules + " metrics models optimizers regularizers saving utils").split():
        assert getattr(dlcourse, name).__name__ == f"dlcourse.{name}"
        assert name in dlcourse.__all__
    assert dlcourse.version() == dlcourse.__version__


def test_a_seed_written_with_tf_keras_runs_with_dlcourse_in_its_place():
    tf = type("tf", (), {"keras": dlcourse})  # `import dlcourse as keras` in one line
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(4,)),
            tf.keras.layers.Dense(3, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.01),
        loss=tf.keras.losses.BinaryCrossentropy(),
        metrics=[tf.keras.metrics.BinaryAccuracy()],
    )
    x = np.random.default_rng(0).normal(size=(16, 4))
    history = model.fit(
        x, x[:, 0] > 0, epochs=2, verbose=0, callbacks=[tf.keras.callbacks.History()]
    )
    assert list(history.history) == ["binary_accuracy", "loss"]
    assert isinstance(tf.keras.callbacks.EarlyStopping(), callbacks.Callback)


def test_input_shape_on_a_layer_warns_as_keras_3_does():
    with pytest.warns(UserWarning, match=r"prefer using an `Input\(shape\)` object"):
        layers.Dense(2, input_shape=(3,))
    with pytest.warns(UserWarning, match="input_dim"):
        layers.Dense(2, input_dim=3)


def test_the_keras_3_way_builds_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = dlcourse.Sequential([dlcourse.Input(shape=(3,)), layers.Dense(2)])
    assert model.layers[0].kernel.shape == (3, 2)
