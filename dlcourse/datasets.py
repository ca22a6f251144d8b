"""Ready-to-train data for the course: scikit-learn's bundled sets and a churn-like table.

Every loader returns a `Splits`: train, validation and test parts, split with a fixed seed (moved
by DLCOURSE_SEED_SHIFT when that is set: see `dlcourse.utils.shifted_seed`) and stratified by
class, so each part keeps the class balance of the whole. When a loader scales the features, the
scaler is fit on the TRAIN part only and then applied to the other two: fitting it on all rows
would let the test rows leak into the mean and spread (notebook 01 shows the effect).

scikit-learn and pandas are imported inside the functions, so `import dlcourse` stays fast.
"""

from dataclasses import dataclass

import numpy as np

from dlcourse.utils import shifted_seed

__all__ = [
    "Splits",
    "train_val_test_split",
    "load_breast_cancer",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_moons_split",
    "make_circles_split",
    "make_churn",
]


@dataclass(frozen=True, repr=False)
class Splits:
    """Train, validation and test parts, each an (x, y) tuple; `val` is None without one.

    Unpacks like Keras' `load_data()`, with the validation part in the middle:
    `(x_train, y_train), (x_val, y_val), (x_test, y_test) = splits`.
    """

    train: tuple
    val: tuple | None
    test: tuple
    feature_names: tuple
    target_names: tuple
    name: str = ""
    scaler: object = None  # the scaler fit on x_train, to transform new rows the same way

    def __iter__(self):
        return iter((self.train, self.val, self.test))

    def parts(self):
        """{"train": (x, y), "val": (x, y), "test": (x, y)}, without val when there is none."""
        named = {"train": self.train, "val": self.val, "test": self.test}
        return {part_name: part for part_name, part in named.items() if part is not None}

    def summary(self):
        """A few lines giving each part's size and class balance."""
        n_features = len(self.feature_names)
        classes = ", ".join(str(name) for name in self.target_names)
        lines = [
            f"{self.name or 'data'}: {n_features} features, "
            f"{len(self.target_names)} classes ({classes})"
        ]
        for part_name, (x, y) in self.parts().items():
            lines.append(f"  {part_name:<5} {len(x):>5} rows   {self._balance(y)}")
        return "\n".join(lines)

    def _balance(self, y):
        labels = np.asarray(y).astype(int).ravel()
        counts = np.bincount(labels, minlength=len(self.target_names))
        shares = counts / max(len(labels), 1)
        return "  ".join(f"{name} {share:.1%}" for name, share in zip(self.target_names, shares))

    def __repr__(self):
        return self.summary()


def train_val_test_split(x, y, val_size=0.2, test_size=0.2, random_state=2022, stratify=True):
    """Split into train, validation and test parts: `(x, y)` tuples, val None when val_size=0.

    `val_size` and `test_size` are fractions of ALL rows (0.2 and 0.2 leave 60% to train),
    rounded to whole rows.
    The test part is cut first, then the validation part from what remains, both stratified
    by `y` when `stratify` is True. Arrays stay arrays, DataFrames stay DataFrames.
    """
    from sklearn.model_selection import train_test_split

    _check_fractions(val_size, test_size)
    random_state = shifted_seed(random_state)
    n_rows = len(y)
    n_test, n_val = round(test_size * n_rows), round(val_size * n_rows)
    labels = _stratify_labels(y) if stratify else None
    x_rest, x_test, y_rest, y_test = train_test_split(
        x, y, test_size=n_test, random_state=random_state, stratify=labels
    )
    if n_val == 0:
        return (x_rest, y_rest), None, (x_test, y_test)
    labels_rest = _stratify_labels(y_rest) if stratify else None
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest, y_rest, test_size=n_val, random_state=random_state, stratify=labels_rest
    )
    return (x_train, y_train), (x_val, y_val), (x_test, y_test)


def _check_fractions(val_size, test_size):
    if not 0 < test_size < 1:
        raise ValueError(f"test_size={test_size!r}: give a fraction between 0 and 1, e.g. 0.2.")
    if not 0 <= val_size < 1:
        raise ValueError(
            f"val_size={val_size!r}: give a fraction between 0 and 1, or 0 for no validation part."
        )
    if val_size + test_size >= 1:
        raise ValueError(
            f"val_size + test_size = {val_size + test_size:g} leaves no rows to train on: "
            f"keep their sum below 1 (0.2 + 0.2 is usual)."
        )


def _stratify_labels(y):
    labels = np.asarray(y)
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        raise ValueError(
            "Cannot stratify by a continuous target: stratification keeps class proportions. "
            "Pass stratify=False for a regression target."
        )
    return labels


def _fit_scaler(scale, x_train):
    """A scaler of kind `scale` fit on x_train only, or None for no scaling."""
    if scale is None:
        return None
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    from dlcourse._naming import lookup

    scaler_class = lookup("scale", scale, {"standard": StandardScaler, "minmax": MinMaxScaler})
    return scaler_class().fit(x_train)


def _make_splits(
    x,
    y,
    feature_names,
    target_names,
    name,
    val_size,
    test_size,
    random_state,
    scale,
    divide_by=None,
):
    """Split, scale with train statistics, cast x to float32: the steps every loader shares."""
    parts = train_val_test_split(x, y, val_size, test_size, random_state)
    scaler = _fit_scaler(scale, parts[0][0])

    def prepare(part):
        if part is None:
            return None
        x_part, y_part = part
        if divide_by is not None:
            x_part = x_part / divide_by
        if scaler is not None:
            x_part = scaler.transform(x_part)
        return np.asarray(x_part, dtype="float32"), np.asarray(y_part)

    train, val, test = (prepare(part) for part in parts)
    return Splits(
        train=train,
        val=val,
        test=test,
        feature_names=tuple(str(f) for f in feature_names),
        target_names=tuple(str(t) for t in target_names),
        name=name,
        scaler=scaler,
    )


def _load_bundled(loader_name, name, val_size, test_size, random_state, scale):
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, loader_name)()
    return _make_splits(
        bunch.data,
        bunch.target,
        bunch.feature_names,
        bunch.target_names,
        name,
        val_size,
        test_size,
        random_state,
        scale,
    )


def load_breast_cancer(val_size=0.2, test_size=0.2, random_state=2022, scale="standard"):
    """Breast cancer (569 rows, 30 features, 0 = malignant, 1 = benign), the lecture's data.

    `scale` is "standard" (mean 0, std 1), "minmax" (0 to 1) or None, fit on train only.
    """
    return _load_bundled(
        "load_breast_cancer", "breast_cancer", val_size, test_size, random_state, scale
    )


def load_iris(val_size=0.2, test_size=0.2, random_state=2022, scale="standard"):
    """Iris (150 rows, 4 features, 3 species)."""
    return _load_bundled("load_iris", "iris", val_size, test_size, random_state, scale)


def load_wine(val_size=0.2, test_size=0.2, random_state=2022, scale="standard"):
    """Wine (178 rows, 13 features on very different scales, 3 cultivars)."""
    return _load_bundled("load_wine", "wine", val_size, test_size, random_state, scale)


def load_digits(val_size=0.2, test_size=0.2, random_state=2022, scale="pixels"):
    """Handwritten digits (1797 images of 8x8 pixels, flattened to 64 features, classes 0-9).

    scale="pixels" divides by 16, the largest pixel value, giving 0 to 1 without fitting
    anything; "standard", "minmax" and None work as in the other loaders. Reshape a row with
    `x.reshape(-1, 8, 8)` to see it as an image.
    """
    import sklearn.datasets

    bunch = sklearn.datasets.load_digits()
    divide_by = 16.0 if scale == "pixels" else None
    return _make_splits(
        bunch.data,
        bunch.target,
        bunch.feature_names,
        bunch.target_names,
        "digits",
        val_size,
        test_size,
        random_state,
        None if scale == "pixels" else scale,
        divide_by,
    )


def make_moons_split(n=500, noise=0.2, val_size=0.2, test_size=0.2, random_state=2022, scale=None):
    """Two interleaving half moons in 2D: the smallest data a straight line cannot separate."""
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n, noise=noise, random_state=shifted_seed(random_state))
    return _make_splits(
        x, y, ("x1", "x2"), ("0", "1"), "moons", val_size, test_size, random_state, scale
    )


def make_circles_split(
    n=500, noise=0.1, factor=0.5, val_size=0.2, test_size=0.2, random_state=2022, scale=None
):
    """A circle inside a ring in 2D: class 1 is the inner circle, `factor` its relative radius."""
    from sklearn.datasets import make_circles

    x, y = make_circles(
        n_samples=n, noise=noise, factor=factor, random_state=shifted_seed(random_state)
    )
    return _make_splits(
        x, y, ("x1", "x2"), ("0", "1"), "circles", val_size, test_size, random_state, scale
    )


# The churn-like table. Column names, categories and rough shares follow Kaggle's Telco
# customer-churn table (the lecture notes' data): about 26% of customers churn, more often when
# they are new, on a month-to-month contract, on fiber optic internet, without online security
# or tech support, or paying by electronic check. Without customerID and Churn, its 19 columns
# one-hot encode to 45, as the lecture's table does.
CONTRACTS = ("Month-to-month", "One year", "Two year")
INTERNET_SERVICES = ("DSL", "Fiber optic", "No")
PAYMENT_METHODS = (
    "Electronic check",
    "Mailed check",
    "Bank transfer (automatic)",
    "Credit card (automatic)",
)
# Add-ons for internet customers: the share who take each, and its monthly price.
INTERNET_ADD_ONS = {
    "OnlineSecurity": (0.37, 5.0),
    "OnlineBackup": (0.44, 5.0),
    "DeviceProtection": (0.44, 5.0),
    "TechSupport": (0.37, 5.0),
    "StreamingTV": (0.49, 10.0),
    "StreamingMovies": (0.50, 10.0),
}

# Effect of each column on the log-odds of churning; gender has none on purpose.
CHURN_INTERCEPT = -1.0  # chosen so that about 26% churn
CHURN_EFFECTS = {
    "Contract": {"Month-to-month": 1.3, "One year": -0.8, "Two year": -2.6},
    "InternetService": {"DSL": 0.0, "Fiber optic": 1.3, "No": -1.5},
    "PaymentMethod": {"Electronic check": 1.3},
    "OnlineSecurity": {"Yes": -1.0},
    "TechSupport": {"Yes": -1.0},
    "tenure per month": -0.05,
    "SeniorCitizen": 0.5,
    "PaperlessBilling": 0.45,
    "Partner": -0.15,
    "Dependents": -0.3,
}


def make_churn(n=2000, seed=0):
    """A churn-like customer table (pandas DataFrame), the same for the same seed.

    Columns as in the Telco table: customerID, gender, SeniorCitizen (0/1), Partner,
    Dependents, tenure (months, 1-72), PhoneService, MultipleLines, InternetService, the six
    internet add-ons (OnlineSecurity, OnlineBackup, DeviceProtection, TechSupport, StreamingTV,
    StreamingMovies: "Yes", "No" or "No internet service"), Contract, PaperlessBilling,
    PaymentMethod, MonthlyCharges, TotalCharges and the label Churn ("Yes"/"No").
    The label depends on the columns through CHURN_EFFECTS plus chance, so a model can
    learn it, but not perfectly.
    """
    import pandas as pd

    rng = np.random.default_rng(shifted_seed(seed))
    yes_no = np.array(["No", "Yes"])

    contract = rng.choice(CONTRACTS, size=n, p=[0.55, 0.21, 0.24])
    tenure = _draw_tenure(rng, contract)
    internet = rng.choice(INTERNET_SERVICES, size=n, p=[0.34, 0.44, 0.22])
    has_phone = (internet == "No") | (rng.random(n) < 0.88)  # everyone has some service
    multiple_lines = has_phone & (rng.random(n) < 0.48)
    add_ons = {
        name: (internet != "No") & (rng.random(n) < share)
        for name, (share, _) in INTERNET_ADD_ONS.items()
    }
    monthly = _draw_monthly_charges(rng, internet, has_phone, multiple_lines, add_ons)
    total = np.round(tenure * monthly * rng.normal(1.0, 0.03, size=n), 2)
    senior = (rng.random(n) < 0.16).astype(int)
    partner = rng.random(n) < 0.48
    dependents = rng.random(n) < np.where(partner, 0.45, 0.1)
    paperless = rng.random(n) < 0.59
    payment = rng.choice(PAYMENT_METHODS, size=n, p=[0.34, 0.23, 0.22, 0.21])

    table = pd.DataFrame(
        {
            "customerID": _customer_ids(rng, n),
            "gender": rng.choice(["Female", "Male"], size=n),
            "SeniorCitizen": senior,
            "Partner": yes_no[partner.astype(int)],
            "Dependents": yes_no[dependents.astype(int)],
            "tenure": tenure,
            "PhoneService": yes_no[has_phone.astype(int)],
            "MultipleLines": _yes_no(multiple_lines, ~has_phone, "No phone service"),
            "InternetService": internet,
            **{
                name: _yes_no(taken, internet == "No", "No internet service")
                for name, taken in add_ons.items()
            },
            "Contract": contract,
            "PaperlessBilling": yes_no[paperless.astype(int)],
            "PaymentMethod": payment,
            "MonthlyCharges": monthly,
            "TotalCharges": total,
        }
    )
    churn_probability = 1 / (1 + np.exp(-_churn_log_odds(table)))
    table["Churn"] = yes_no[(rng.random(n) < churn_probability).astype(int)]
    return table


def _yes_no(flags, without_service, label_without):
    """ "Yes"/"No" from booleans, and `label_without` where the customer lacks the service."""
    return np.where(without_service, label_without, np.where(flags, "Yes", "No"))


def _draw_tenure(rng, contract):
    """Months as a customer: longer contracts go with longer tenure; capped at 72 as in Telco."""
    mean_months = np.select(
        [contract == "Month-to-month", contract == "One year"], [18.0, 42.0], 57.0
    )
    months = np.round(rng.gamma(shape=2.0, scale=mean_months / 2.0))
    return np.clip(months, 1, 72).astype(int)


def _draw_monthly_charges(rng, internet, has_phone, multiple_lines, add_ons):
    """Monthly bill: the services taken plus a little noise; fiber costs most. Multiples of 0.05
    within Telco's range."""
    internet_price = np.select([internet == "DSL", internet == "Fiber optic"], [25.0, 50.0], 0.0)
    charges = internet_price + 20.0 * has_phone + 5.0 * multiple_lines
    for name, (_, price) in INTERNET_ADD_ONS.items():
        charges = charges + price * add_ons[name]
    charges = charges + rng.uniform(-2.0, 4.0, len(internet))
    return np.clip(np.round(charges * 20) / 20, 18.25, 118.75)


def _customer_ids(rng, n):
    """Unique ids shaped like Telco's '7590-VHVEG': four digits, a dash, five letters."""
    letter_codes = rng.choice(26**5, size=n, replace=False)
    digits = rng.integers(0, 10_000, size=n)
    letters = ["".join(chr(65 + code // 26**k % 26) for k in range(5)) for code in letter_codes]
    return [f"{number:04d}-{word}" for number, word in zip(digits, letters)]


def _churn_log_odds(table):
    """Log-odds of churning for each row, from CHURN_EFFECTS."""
    effects = CHURN_EFFECTS
    log_odds = CHURN_INTERCEPT + effects["tenure per month"] * table["tenure"].to_numpy()
    for column, effect in effects.items():
        if isinstance(effect, dict):  # a categorical column: an effect per category
            log_odds = log_odds + table[column].map(effect).fillna(0.0).to_numpy()
    log_odds = log_odds + effects["SeniorCitizen"] * table["SeniorCitizen"].to_numpy()
    for column in ("PaperlessBilling", "Partner", "Dependents"):
        log_odds = log_odds + effects[column] * (table[column] == "Yes").to_numpy()
    return log_odds
