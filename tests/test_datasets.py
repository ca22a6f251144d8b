import subprocess
import sys

import numpy as np
import pytest

from dlcourse import datasets


def test_breast_cancer_split_sizes_add_up():
    splits = datasets.load_breast_cancer()
    sizes = [len(x) for x, _ in splits.parts().values()]
    assert sizes == [341, 114, 114]  # 569 rows: test 20%, then val 20% of all
    for x, y in splits.parts().values():
        assert x.dtype == np.float32
        assert len(x) == len(y)
        assert x.shape[1] == 30
    assert len(splits.feature_names) == 30
    assert splits.target_names == ("malignant", "benign")


def test_splits_unpack_like_keras_load_data():
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = datasets.load_iris()
    assert (len(x_train), len(x_val), len(x_test)) == (90, 30, 30)


def test_stratification_keeps_class_proportions():
    splits = datasets.load_breast_cancer(random_state=0)
    whole = np.concatenate([y for _, y in splits.parts().values()]).mean()
    for _, y in splits.parts().values():
        assert abs(y.mean() - whole) < 0.01


def test_stratification_for_three_classes():
    splits = datasets.load_wine()
    whole = np.bincount(np.concatenate([y for _, y in splits.parts().values()])) / 178
    for _, y in splits.parts().values():
        assert np.allclose(np.bincount(y, minlength=3) / len(y), whole, atol=0.03)


def test_standard_scaler_is_fit_on_train_only():
    splits = datasets.load_breast_cancer()
    x_train, x_test = splits.train[0], splits.test[0]
    assert np.allclose(x_train.mean(axis=0), 0, atol=1e-5)
    assert np.allclose(x_train.std(axis=0), 1, atol=1e-4)
    # Test rows were not seen by the scaler: their mean is near 0, not exactly 0.
    assert np.abs(x_test.mean(axis=0)).max() > 0.05
    assert np.allclose(
        splits.scaler.mean_,
        datasets.load_breast_cancer(scale=None).train[0].mean(axis=0),
        rtol=1e-5,
    )


def test_minmax_scaler_is_fit_on_train_only():
    splits = datasets.load_wine(scale="minmax")
    x_train, x_test = splits.train[0], splits.test[0]
    assert np.allclose(x_train.min(axis=0), 0) and np.allclose(x_train.max(axis=0), 1)
    raw_train = datasets.load_wine(scale=None).train[0]
    assert np.allclose(splits.scaler.data_min_, raw_train.min(axis=0), rtol=1e-6)
    # Fit on the test rows, every test column would span exactly [0, 1].
    assert not np.allclose(x_test.min(axis=0), 0)


def test_no_scaling_keeps_raw_values():
    x_train, _ = datasets.load_breast_cancer(scale=None).train
    assert x_train.max() > 100  # the 'area' features are in the hundreds to thousands


def test_unknown_scale_suggests_the_right_name():
    with pytest.raises(ValueError, match="Did you mean 'standard'"):
        datasets.load_iris(scale="stadard")


def test_digits_pixels_divided_by_16():
    splits = datasets.load_digits()
    x_train, y_train = splits.train
    assert x_train.shape[1] == 64
    assert x_train.min() == 0 and x_train.max() == 1
    assert splits.scaler is None
    assert set(np.unique(y_train)) == set(range(10))


def test_zero_val_size_gives_no_validation_part():
    splits = datasets.load_digits(val_size=0)
    assert splits.val is None
    assert len(splits.train[0]) + len(splits.test[0]) == 1797
    assert len(splits.test[0]) == 359  # round(0.2 * 1797)
    assert "val" not in splits.summary()


def test_same_seed_same_split_other_seed_other_split():
    first, again = datasets.load_iris(random_state=3), datasets.load_iris(random_state=3)
    other = datasets.load_iris(random_state=4)
    assert np.array_equal(first.train[0], again.train[0])
    assert not np.array_equal(first.train[0], other.train[0])


def test_summary_reports_sizes_and_class_balance():
    text = repr(datasets.load_breast_cancer())
    assert "breast_cancer: 30 features, 2 classes (malignant, benign)" in text
    assert "train   341 rows" in text
    assert "malignant 37.2%" in text


def test_train_val_test_split_on_plain_arrays():
    x = np.arange(200).reshape(100, 2)
    y = np.array([0] * 80 + [1] * 20)
    train, val, test = datasets.train_val_test_split(x, y, val_size=0.1, test_size=0.3)
    assert [len(part[0]) for part in (train, val, test)] == [60, 10, 30]
    assert test[1].mean() == pytest.approx(0.2)
    rows = np.concatenate([train[0][:, 0], val[0][:, 0], test[0][:, 0]])
    assert sorted(rows) == list(range(0, 200, 2))  # every row once, none twice


@pytest.mark.parametrize("val_size, test_size", [(0.5, 0.5), (0.2, 0), (-0.1, 0.2)])
def test_train_val_test_split_rejects_impossible_sizes(val_size, test_size):
    with pytest.raises(ValueError):
        datasets.train_val_test_split(np.zeros((10, 1)), np.zeros(10), val_size, test_size)


def test_stratifying_a_continuous_target_explains_the_fix():
    with pytest.raises(ValueError, match="stratify=False"):
        datasets.train_val_test_split(np.zeros((50, 1)), np.linspace(0, 1, 50))
    train, _, _ = datasets.train_val_test_split(
        np.zeros((50, 1)), np.linspace(0, 1, 50), stratify=False
    )
    assert len(train[0]) == 30


def test_moons_and_circles_are_two_dimensional_and_balanced():
    for splits in (datasets.make_moons_split(n=200), datasets.make_circles_split(n=200)):
        x_train, y_train = splits.train
        assert x_train.shape == (120, 2)
        assert y_train.mean() == 0.5


CHURN_COLUMNS = [
    "customerID",
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "tenure",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "MonthlyCharges",
    "TotalCharges",
    "Churn",
]
ADD_ONS = [
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
]


@pytest.fixture(scope="module")
def churn():
    return datasets.make_churn()


def test_churn_table_columns_and_types(churn):
    import pandas as pd

    assert list(churn.columns) == CHURN_COLUMNS
    assert len(churn) == 2000
    assert churn["customerID"].is_unique
    assert churn["customerID"].str.fullmatch(r"\d{4}-[A-Z]{5}").all()
    for column in ("SeniorCitizen", "tenure"):
        assert pd.api.types.is_integer_dtype(churn[column])
    for column in ("MonthlyCharges", "TotalCharges"):
        assert pd.api.types.is_float_dtype(churn[column])
    assert set(churn["InternetService"]) == {"DSL", "Fiber optic", "No"}
    assert set(churn["Contract"]) == {"Month-to-month", "One year", "Two year"}
    assert len(set(churn["PaymentMethod"])) == 4
    assert set(churn["Churn"]) == {"Yes", "No"}
    assert churn["tenure"].between(1, 72).all()
    assert not churn.isna().any().any()


def test_churn_services_are_consistent_as_in_telco(churn):
    no_internet = churn["InternetService"] == "No"
    for column in ADD_ONS:
        assert set(churn[column]) == {"Yes", "No", "No internet service"}
        assert ((churn[column] == "No internet service") == no_internet).all()
    no_phone = churn["PhoneService"] == "No"
    assert ((churn["MultipleLines"] == "No phone service") == no_phone).all()
    assert churn["MonthlyCharges"].between(18.25, 118.75).all()
    by_internet = churn.groupby("InternetService")["MonthlyCharges"].mean()
    assert by_internet["Fiber optic"] > by_internet["DSL"] > by_internet["No"]


def test_churn_one_hot_encodes_to_the_lectures_45_columns(churn):
    import pandas as pd

    encoded = pd.get_dummies(churn.drop(columns=["customerID", "Churn"]))
    assert encoded.shape == (2000, 45)
    kinds = encoded.dtypes.map(lambda dtype: dtype.kind).value_counts().to_dict()
    assert kinds == {"b": 41, "i": 2, "f": 2}  # one-hot bool columns; tenure, SeniorCitizen


def test_total_charges_follow_tenure_times_monthly(churn):
    ratio = churn["TotalCharges"] / (churn["tenure"] * churn["MonthlyCharges"])
    assert ratio.between(0.8, 1.2).all()


def test_churn_rate_is_telco_like(churn):
    rate = (churn["Churn"] == "Yes").mean()
    assert 0.2 <= rate <= 0.32


def test_churn_depends_on_the_features_in_the_documented_direction(churn):
    churned = churn["Churn"] == "Yes"
    by_contract = churned.groupby(churn["Contract"]).mean()
    assert by_contract["Month-to-month"] > 2 * by_contract["Two year"]
    by_internet = churned.groupby(churn["InternetService"]).mean()
    assert by_internet["Fiber optic"] > by_internet["DSL"] > by_internet["No"]
    for add_on in ("OnlineSecurity", "TechSupport"):
        by_add_on = churned.groupby(churn[add_on]).mean()
        assert by_add_on["No"] > by_add_on["Yes"] + 0.05
    assert churn.loc[churned, "tenure"].mean() < churn.loc[~churned, "tenure"].mean() - 5


def test_churn_is_deterministic_for_a_seed():
    first, again, other = (
        datasets.make_churn(300, 5),
        datasets.make_churn(300, 5),
        datasets.make_churn(300, 6),
    )
    assert first.equals(again)
    assert not first.equals(other)


def test_churn_is_learnable_but_not_trivially():
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    churn = datasets.make_churn(n=7000)  # Telco's size: a test accuracy within about 1 point
    x = pd.get_dummies(churn.drop(columns=["customerID", "Churn"])).to_numpy(dtype=float)
    y = (churn["Churn"] == "Yes").to_numpy().astype(int)
    train, _, test = datasets.train_val_test_split(x, y, val_size=0, test_size=0.25)
    scaler = StandardScaler().fit(train[0])
    model = LogisticRegression(max_iter=1000).fit(scaler.transform(train[0]), train[1])
    accuracy = model.score(scaler.transform(test[0]), test[1])
    majority = max(test[1].mean(), 1 - test[1].mean())
    assert accuracy > majority + 0.05
    assert accuracy < 0.95  # noisy, like real customers


def test_importing_datasets_does_not_import_sklearn_or_pandas():
    code = "import sys, dlcourse.datasets; print('sklearn' in sys.modules, 'pandas' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.split() == ["False", "False"]
