"""fit / evaluate / predict: outcomes on real data, reproducibility, Keras semantics,
clear errors."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from dlcourse.callbacks import Callback
from dlcourse.layers import BatchNormalization, Dense, Dropout, Input
from dlcourse.models import Model, Sequential
from dlcourse.optimizers import AdamW
from dlcourse.utils import set_random_seed, to_categorical


@pytest.fixture(scope="module")
def cancer():
    data = load_breast_cancer()
    x_train, x_test, y_train, y_test = train_test_split(
        data.data, data.target, stratify=data.target, test_size=0.2, random_state=2022
    )
    scaler = StandardScaler().fit(x_train)
    return scaler.transform(x_train), scaler.transform(x_test), y_train, y_test


def seed_000_model():
    model = Sequential(
        [
            Dense(100, input_shape=(30,), activation="relu"),
            Dense(24, activation="relu"),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def test_seed_000_model_reaches_096_on_breast_cancer(cancer):
    x_train, x_test, y_train, y_test = cancer
    set_random_seed(2022)
    model = seed_000_model()
    model.fit(x_train, y_train, epochs=20, batch_size=10, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.96
    probabilities = model.predict(x_test, verbose=0)
    assert probabilities.shape == (114, 1) and probabilities.dtype == np.float32
    assert np.mean((probabilities[:, 0] > 0.5) == y_test) == pytest.approx(accuracy)


def test_digits_network_reaches_097():
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data / 16.0, digits.target, stratify=digits.target, test_size=0.2, random_state=0
    )
    set_random_seed(0)
    model = Sequential(
        [
            Input(shape=(64,)),
            Dense(200, activation="relu"),
            Dense(100, activation="relu"),
            Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=30, verbose=0)
    assert model.evaluate(x_test, y_test, verbose=0)[1] >= 0.97


def test_same_seed_gives_identical_history_and_weights(cancer):
    x_train, _, y_train, _ = cancer
    runs = []
    for _ in range(2):
        set_random_seed(5)
        model = Sequential(
            [
                Dense(8, input_shape=(30,), activation="relu"),
                Dropout(0.3),
                Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        history = model.fit(
            x_train, y_train, epochs=3, batch_size=16, validation_split=0.2, verbose=0
        )
        runs.append((history.history, model.get_weights()))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1]):
        np.testing.assert_array_equal(a, b)


def test_history_keys_and_one_value_per_epoch(cancer):
    x_train, _, y_train, _ = cancer
    set_random_seed(0)
    model = seed_000_model()
    history = model.fit(x_train, y_train, epochs=4, batch_size=64, validation_split=0.25, verbose=0)
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(v) == 4 for v in history.history.values())
    assert model.history is history and history.epoch == [0, 1, 2, 3]


def test_validation_split_takes_the_last_rows_before_shuffling():
    seen = []

    class RecordBatchSizes(Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(batch)

    x = np.arange(10, dtype=float).reshape(-1, 1)
    y = np.zeros((10, 1))
    set_random_seed(0)
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer="sgd", loss="mse")
    # If the validation part were the last 3 rows (7, 8, 9), its mse with zero weights is known.
    model.set_weights([np.ones((1, 1)), np.zeros(1)])
    model.optimizer.learning_rate = 0.0
    history = model.fit(
        x,
        y,
        validation_split=0.3,
        epochs=1,
        batch_size=7,
        verbose=0,
        callbacks=[RecordBatchSizes()],
    )
    assert history.history["val_loss"][0] == pytest.approx((49 + 64 + 81) / 3)
    assert seen == [0]  # 7 training rows in one batch of 7


def test_batch_loss_is_a_running_mean_weighted_by_batch_size():
    x = np.array([[1.0], [2.0], [3.0]])
    y = np.zeros((3, 1))
    model = Sequential([Dense(1, input_shape=(1,), use_bias=False, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse")
    model.optimizer.learning_rate = 0.0
    history = model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx((1 + 4 + 9) / 3)


def test_class_weight_and_sample_weight_scale_the_loss():
    x = np.array([[1.0], [1.0]])
    y = np.array([[0.0], [1.0]])
    model = Sequential([Dense(1, input_shape=(1,), use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.5)
    assert model.evaluate(x, y, sample_weight=np.array([0.0, 2.0]), verbose=0) == pytest.approx(1.0)
    model.optimizer.learning_rate = 0.0
    history = model.fit(x, y, class_weight={0: 1.0, 1: 3.0}, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(1.5)


def test_evaluate_return_forms_and_train_test_on_batch(cancer):
    x_train, x_test, y_train, y_test = cancer
    set_random_seed(0)
    model = seed_000_model()
    first = model.train_on_batch(x_train[:32], y_train[:32])
    assert len(first) == 2 and 0 <= first[1] <= 1
    as_dict = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
    assert list(as_dict) == ["accuracy", "loss"]  # sorted by name, as Keras 3 returns them
    expected = [as_dict["loss"], as_dict["accuracy"]]
    assert model.evaluate(x_test, y_test, verbose=0) == pytest.approx(expected)
    assert model.test_on_batch(x_test, y_test) == pytest.approx(expected)
    np.testing.assert_allclose(model.predict_on_batch(x_test[:5]), model.predict(x_test[:5]))


def test_loss_without_metrics_evaluates_to_a_number():
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    assert isinstance(model.evaluate(np.ones((4, 2)), np.ones(4), verbose=0), float)


def test_stop_training_from_a_callback_ends_fit():
    class StopAfterTwo(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(
        np.ones((4, 2)), np.ones(4), epochs=10, verbose=0, callbacks=[StopAfterTwo()]
    )
    assert len(history.history["loss"]) == 2


def test_progress_output_verbose_1_and_2(capsys):
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    model.fit(np.ones((8, 2)), np.ones(8), epochs=2, batch_size=4, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "Epoch 1/2" and lines[1].startswith("loss: ") and "mae: " in lines[1]
    model.fit(np.ones((8, 2)), np.ones(8), epochs=1, batch_size=4, verbose=1)
    out = capsys.readouterr().out
    assert "2/2 ━━━━━━━━━━━━━━━━━━━━" in out


# ----- bad input: every message names the problem and the fix --------------------------------


@pytest.fixture
def small_model():
    model = Sequential(
        [Dense(4, input_shape=(3,), activation="relu"), Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def test_wrong_number_of_features_names_the_layer(small_model):
    with pytest.raises(ValueError, match=r"expects \(batch, 3\).*built for 3 features"):
        small_model.fit(np.ones((5, 4)), np.ones(5), verbose=0)


def test_one_dimensional_sample_suggests_reshape(small_model):
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        small_model.predict(np.ones(3))


def test_x_and_y_lengths_differ(small_model):
    with pytest.raises(ValueError, match="x has 5 samples but y has 4"):
        small_model.fit(np.ones((5, 3)), np.ones(4), verbose=0)


@pytest.mark.parametrize("where", ["x", "y"])
def test_nan_or_inf_in_data(small_model, where):
    x, y = np.ones((5, 3)), np.ones(5)
    if where == "x":
        x[2, 1] = np.nan
    else:
        y[2] = np.inf
    with pytest.raises(ValueError, match=f"{where} contains 1 NaN or infinite"):
        small_model.fit(x, y, verbose=0)


def test_string_labels(small_model):
    with pytest.raises(ValueError, match="non-numeric.*Encode text labels"):
        small_model.fit(np.ones((2, 3)), np.array(["Yes", "No"]), verbose=0)


def test_labels_that_do_not_fit_the_loss():
    model = Sequential([Dense(3, input_shape=(2,), activation="softmax")])
    x = np.ones((4, 2))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        model.fit(x, to_categorical([0, 1, 2, 1]), verbose=0)
    with pytest.raises(ValueError, match="3"):
        model.fit(x, np.array([0, 1, 3, 1]), verbose=0)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy|to_categorical"):
        model.fit(x, np.array([0, 1, 2, 1]), verbose=0)


@pytest.mark.parametrize(
    "kind, kwargs, hint",
    [
        ("optimizer", {"optimizer": "adma", "loss": "mse"}, "adam"),
        ("loss", {"optimizer": "adam", "loss": "binary_crossentropi"}, "binary_crossentropy"),
        ("metric", {"optimizer": "adam", "loss": "mse", "metrics": ["acuracy"]}, "accuracy"),
    ],
)
def test_unknown_names_suggest_the_closest(kind, kwargs, hint):
    model = Sequential([Dense(1, input_shape=(2,))])
    with pytest.raises(ValueError, match=f"Did you mean '{hint}'"):
        model.compile(**kwargs)
        model.fit(np.ones((2, 2)), np.ones(2), verbose=0)


def test_unknown_initializer_suggests():
    with pytest.raises(ValueError, match="Did you mean 'glorot_uniform'"):
        Dense(2, kernel_initializer="glorot_unifrom")


def test_fit_evaluate_before_compile():
    model = Sequential([Dense(1, input_shape=(2,))])
    for method in (model.fit, model.evaluate):
        with pytest.raises(RuntimeError, match="must compile the model before"):
            method(np.ones((2, 2)), np.ones(2))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"epochs": -1}, "epochs must be a non-negative integer"),
        ({"validation_split": 1.0}, r"validation_split must be in \[0, 1\)"),
        ({"validation_split": -0.1}, r"validation_split must be in \[0, 1\)"),
    ],
)
def test_bad_fit_arguments(small_model, kwargs, message):
    with pytest.raises(ValueError, match=message):
        small_model.fit(np.ones((5, 3)), np.ones(5), verbose=0, **kwargs)


def test_bad_optimizer_arguments():
    from dlcourse.optimizers import SGD

    with pytest.raises(ValueError, match="learning"):
        SGD(learning_rate=-0.1)
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)


def test_functional_model_with_wrong_input_count():
    a, b = Input(shape=(2,)), Input(shape=(3,))
    from dlcourse.layers import Concatenate

    model = Model([a, b], Dense(1)(Concatenate()([a, b])))
    with pytest.raises(ValueError, match="2 inputs"):
        model.predict(np.ones((4, 2)))


# ----- which weights an optimizer step moves -------------------------------------------------


def regression_data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ rng.normal(size=(4, 1))).astype("float32")


def test_a_frozen_layer_keeps_its_weights_while_the_others_train():
    set_random_seed(0)
    model = Sequential([Input(shape=(4,)), Dense(6, activation="relu"), Dense(1)])
    model.compile(optimizer=AdamW(0.01, weight_decay=0.5), loss="mse")
    x, y = regression_data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)  # trained, with optimizer state
    model.layers[0].trainable = False  # Keras: takes effect at the next fit
    frozen, other = model.layers[0].get_weights(), model.layers[1].get_weights()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    for before, after in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(before, after)  # no update, no momentum, no decay
    assert not np.array_equal(other[0], model.layers[1].get_weights()[0])


def test_the_optimizer_never_touches_batch_normalization_moving_statistics():
    set_random_seed(0)
    norm = BatchNormalization(momentum=1.0)  # moving = moving * 1 + batch * 0: never changes
    model = Sequential([Input(shape=(4,)), Dense(6), norm, Dense(1)])
    model.compile(optimizer=AdamW(0.01, weight_decay=0.5), loss="mse")
    x, y = regression_data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    np.testing.assert_array_equal(norm.moving_mean.value, np.zeros(6))
    np.testing.assert_array_equal(norm.moving_variance.value, np.ones(6))  # decay would shrink it
    assert len(model.optimizer.variables) == 2 * len(model.trainable_weights) == 2 * 6


def train_two_models_sharing_a_layer():
    """Models a and b share their first layer; train a, then b, then a again."""
    set_random_seed(0)
    shared = Dense(5, activation="tanh")
    a = Sequential([Input(shape=(4,)), shared, Dense(1)])
    b = Sequential([Input(shape=(4,)), shared, Dense(1, activation="relu")])
    a.compile(optimizer="adam", loss="mse")
    b.compile(optimizer="adam", loss="mse")
    x, y = regression_data()
    for model in (a, b, a):
        model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    return a.get_weights() + b.get_weights()


def test_a_layer_in_two_models_trains_in_both_as_if_updated_weight_by_weight(monkeypatch):
    with_vectors = train_two_models_sharing_a_layer()
    monkeypatch.setattr(Model, "_flat_weights", lambda self: None)  # every weight on its own
    one_by_one = train_two_models_sharing_a_layer()
    for a, b in zip(with_vectors, one_by_one):
        np.testing.assert_array_equal(a, b)


def test_a_deep_copy_of_a_model_trains_its_own_weights():
    import copy

    set_random_seed(0)
    model = Sequential([Input(shape=(4,)), Dense(3, activation="relu"), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    twin = copy.deepcopy(model)
    x, y = regression_data()
    before = model.get_weights()
    twin.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert all(not np.array_equal(a, b) for a, b in zip(before, twin.get_weights()))
    for a, b in zip(before, model.get_weights()):  # the original is left alone
        np.testing.assert_array_equal(a, b)
