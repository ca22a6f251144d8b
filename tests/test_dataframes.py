"""fit, evaluate and predict take pandas tables as Keras does: a DataFrame of bool, int and
float columns (what pandas.get_dummies returns) becomes float32; a text column is a clear error
that leaves the model as it was."""

import numpy as np
import pandas as pd
import pytest

from dlcourse.layers import Dense, Input
from dlcourse.models import Sequential
from dlcourse.utils import set_random_seed


def encoded_table():
    """A small table like the churn data after pd.get_dummies: bool, int and float columns."""
    table = pd.DataFrame(
        {
            "tenure": [1, 34, 2, 45, 8, 22],
            "MonthlyCharges": [29.85, 56.95, 53.85, 42.30, 99.65, 89.10],
            "Contract": [
                "Month-to-month",
                "One year",
                "Month-to-month",
                "One year",
                "Two year",
                "Month-to-month",
            ],
        }
    )
    churned = pd.Series([True, False, True, False, False, True], name="Churn")
    return pd.get_dummies(table), churned


def fresh_model(n_features):
    set_random_seed(0)
    model = Sequential(
        [Input(shape=(n_features,)), Dense(4, activation="relu"), Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_get_dummies_gives_bool_int_and_float_columns():
    x, _ = encoded_table()
    assert sorted({dtype.kind for dtype in x.dtypes}) == ["b", "f", "i"]
    assert np.asarray(x).dtype == object  # why a plain np.asarray is not enough


def test_a_get_dummies_table_trains_exactly_as_its_float32_array():
    x, y = encoded_table()
    as_array, y_array = x.to_numpy(dtype="float32"), y.to_numpy(dtype="float32")
    from_table = fresh_model(x.shape[1])  # seeds, so both runs draw the same weights and batches
    history = from_table.fit(x, y, epochs=3, batch_size=2, validation_data=(x, y), verbose=0)
    from_array = fresh_model(x.shape[1])
    from_array.fit(
        as_array, y_array, epochs=3, batch_size=2, validation_data=(as_array, y_array), verbose=0
    )
    for a, b in zip(from_table.get_weights(), from_array.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert len(history.history["val_loss"]) == 3
    np.testing.assert_array_equal(
        from_table.predict(x, verbose=0), from_array.predict(as_array, verbose=0)
    )
    assert from_table.evaluate(x, y, verbose=0) == from_array.evaluate(as_array, y, verbose=0)


def test_a_text_column_is_named_and_leaves_the_model_unchanged():
    x, y = encoded_table()
    raw = x.assign(PaymentMethod=["Electronic check", "Mailed check"] * 3)
    model = fresh_model(raw.shape[1])
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(
        ValueError, match=r"x has non-numeric columns \['PaymentMethod'\].*get_dummies"
    ):
        model.fit(raw, y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"non-numeric columns \['PaymentMethod'\]"):
        model.predict(raw, verbose=0)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_text_labels_in_a_table_get_the_labels_hint():
    x, _ = encoded_table()
    labels = pd.DataFrame({"Churn": ["Yes", "No"] * 3})
    with pytest.raises(
        ValueError, match=r"y has non-numeric columns \['Churn'\].*Encode text labels"
    ):
        fresh_model(x.shape[1]).fit(x, labels, epochs=1, verbose=0)


def test_a_missing_value_in_a_nullable_int_column_is_reported_as_nan():
    x, y = encoded_table()
    x["tenure"] = pd.array([1, None, 2, 45, 8, 22], dtype="Int64")
    with pytest.raises(ValueError, match="x contains 1 NaN or infinite"):
        fresh_model(x.shape[1]).fit(x, y, epochs=1, verbose=0)
