"""The figures the notebooks share: training curves, decision boundaries, activations, digits.

Each helper draws on the Axes you pass (`ax=`) or on a new small figure, labels its axes, gives
it a title and a legend, and returns what it drew on, so a notebook can adjust it further.
matplotlib is imported inside the functions, so `import dlcourse` stays fast.

`use_course_style()` sets up every figure for projection: text of at least 14 pt, figures sized
for a 1280x720 slide, sharp inline images (twice the pixels, shown at their size) and a
Korean font for Hangul in labels.
"""

import importlib.util
from pathlib import Path

import numpy as np

__all__ = [
    "use_course_style",
    "sharp_png",
    "korean_font_path",
    "COURSE_STYLE",
    "plot_history",
    "plot_decision_boundary",
    "plot_activation",
    "plot_confusion_matrix",
    "show_images",
]


# Drawn for a projector: no text under 14 pt; a figure of 8 x 4.5 inches at 100 pixels per inch
# is 800 x 450 CSS pixels, which leaves room for a heading on a 1280 x 720 slide.
COURSE_STYLE = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "legend.title_fontsize": 14,
    "figure.titlesize": 18,
    "lines.linewidth": 2.0,
    "lines.markersize": 7,
    "axes.titleweight": "normal",
    "savefig.dpi": 200,
}
# A Latin font first, then a Korean one: matplotlib takes each glyph from the first font that has
# it, so numbers and minus signs keep DejaVu's shapes and Hangul comes from NanumGothic.
LATIN_FONT = "DejaVu Sans"
KOREAN_FONT = "NanumGothic"


def korean_font_path():
    """NanumGothic.ttf as shipped by the koreanize-matplotlib package, or None if not installed.

    Only the font file is used: importing that package would change matplotlib's settings (and
    it imports distutils, which Python 3.12 removed), so its folder is found without importing.
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / f"{KOREAN_FONT}.ttf"
    return path if path.is_file() else None


def _register_korean_font():
    """Add NanumGothic (regular and bold) to matplotlib's font list; its family name or None."""
    from matplotlib import font_manager

    regular = korean_font_path()
    if regular is None:
        return None
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in (regular, regular.with_name(f"{KOREAN_FONT}Bold.ttf")):
        if path.is_file() and str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    return KOREAN_FONT


def use_course_style(inline_format="sharp"):
    """Draw every following figure for projection (see COURSE_STYLE); returns the Korean font's
    family name, or None (with a warning) when no Korean font is installed.

    In Jupyter, inline figures become `inline_format` images. "sharp" (the default) is a PNG
    with twice the pixels of the figure's size, shown at that size, so it stays sharp when a
    projector scales the slide up or on a high-density screen; reduced to 256 colours, it is
    no bigger in bytes than a plain PNG. Other choices: "svg", "retina" (full colour), "png".
    """
    import warnings

    import matplotlib

    matplotlib.rcParams.update(COURSE_STYLE)
    korean = _register_korean_font()
    if korean is None:
        warnings.warn(
            "No Korean font for figures: Hangul in labels will show as empty boxes. "
            "Install it with: pip install koreanize-matplotlib",
            stacklevel=2,
        )
    matplotlib.rcParams["font.family"] = [LATIN_FONT] + ([korean] if korean else [])
    _set_inline_format(inline_format)
    return korean


def sharp_png(figure):
    """(PNG bytes, {"width", "height"}): the figure at twice its pixel size in 256 colours, with
    the size to show it at, as IPython's PNG formatter expects."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=2 * figure.dpi, bbox_inches="tight")
    image = Image.open(buffer).convert("RGB")
    # An even size, so that the image is exactly twice the size it is shown at (the tight
    # bounding box can make it one pixel odd; that pixel is white margin).
    image = image.crop((0, 0, image.width // 2 * 2, image.height // 2 * 2))
    small = io.BytesIO()
    image.quantize(256).save(small, format="png", optimize=True)
    return small.getvalue(), {"width": image.width // 2, "height": image.height // 2}


def _set_inline_format(inline_format):
    """Make the Jupyter inline backend produce `inline_format` figures (outside IPython: no-op)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    if inline_format != "sharp":
        set_matplotlib_formats(inline_format)
        return
    set_matplotlib_formats("png")  # drops any other format set before
    shell.display_formatter.formatters["image/png"].for_type(Figure, sharp_png)


def _new_axes(figsize):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_history(history_or_dict, metrics=None, ax=None, title=None, mark_epoch=None):
    """Training and validation curves, one panel per metric; returns the list of Axes.

    `history_or_dict` is what fit() returns (its `.history` dict is used) or such a dict.
    `metrics` defaults to every training key ('loss', 'accuracy', ...); the `val_` curve is
    drawn beside each when present. `mark_epoch` (counted from 1, like the x axis) draws a
    vertical line, e.g. at the epoch EarlyStopping restored.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from dlcourse._naming import lookup

    logs = getattr(history_or_dict, "history", history_or_dict)
    if metrics is None:
        metrics = [key for key in logs if not key.startswith("val_") and key != "learning_rate"]
    elif isinstance(metrics, str):
        metrics = [metrics]
    if ax is None:
        _, axes = plt.subplots(
            1,
            len(metrics),
            figsize=(min(5.5 * len(metrics), 12.0), 3.8),
            layout="constrained",
            squeeze=False,
        )
        axes = list(axes[0])
    else:
        axes = list(np.atleast_1d(ax))
        if len(axes) != len(metrics):
            raise ValueError(
                f"Got {len(axes)} Axes for {len(metrics)} metrics ({', '.join(metrics)}): "
                f"pass one Axes per metric, or metrics=[...] naming as many as the Axes."
            )
    for axis, metric in zip(axes, metrics):
        values = lookup("history key", metric, logs)
        epochs = np.arange(1, len(values) + 1)
        axis.plot(epochs, values, label="training")
        validation = logs.get(f"val_{metric}")
        if validation is not None:
            axis.plot(epochs, validation, label="validation", linestyle="--")
        if mark_epoch is not None:
            axis.axvline(mark_epoch, color="gray", linestyle=":", label=f"epoch {mark_epoch}")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.set_title(metric)
        axis.legend()
    if title is not None:
        axes[0].figure.suptitle(title)
    return axes


def _predict_function(predict_fn_or_model):
    """A function grid -> outputs, from a model with .predict (quietly) or a plain function."""
    import inspect

    predict = getattr(predict_fn_or_model, "predict_proba", None)  # scikit-learn classifiers
    predict = predict or getattr(predict_fn_or_model, "predict", None)
    if predict is None:
        if not callable(predict_fn_or_model):
            raise TypeError(
                f"Cannot predict with {predict_fn_or_model!r}: pass a model with a .predict "
                f"method or a function mapping an (n, 2) array to predictions."
            )
        return predict_fn_or_model
    if "verbose" in inspect.signature(predict).parameters:
        return lambda grid: predict(grid, verbose=0)  # no progress bar for the grid
    return predict


def plot_decision_boundary(predict_fn_or_model, x, y, ax=None, resolution=200, title=None):
    """The regions a classifier assigns to each class, over the 2D points x coloured by y.

    Predictions may be probabilities of class 1 (width 1: shaded, boundary at 0.5), one
    probability per class (softmax: one colour per predicted class) or class labels.
    """
    x, y = np.asarray(x), np.asarray(y).reshape(-1)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(
            f"plot_decision_boundary needs points with 2 features, got shape {x.shape}: "
            f"select two columns, e.g. x[:, :2]."
        )
    ax = ax if ax is not None else _new_axes((5, 4))
    low, high = x.min(axis=0), x.max(axis=0)
    pad = 0.1 * (high - low)
    grid_x1, grid_x2 = np.meshgrid(
        np.linspace(low[0] - pad[0], high[0] + pad[0], resolution),
        np.linspace(low[1] - pad[1], high[1] + pad[1], resolution),
    )
    grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()]).astype("float32")
    outputs = np.asarray(_predict_function(predict_fn_or_model)(grid), dtype=float)
    if outputs.ndim == 2 and outputs.shape[1] == 2:
        outputs = outputs[:, 1]  # two softmax columns: the second is P(class 1)
    if outputs.ndim == 2 and outputs.shape[1] > 2:
        _draw_class_regions(ax, grid_x1, grid_x2, outputs.argmax(axis=1), outputs.shape[1])
    else:
        _draw_probability(ax, grid_x1, grid_x2, outputs.reshape(grid_x1.shape))
    for label in np.unique(y):
        chosen = y == label
        ax.scatter(
            x[chosen, 0],
            x[chosen, 1],
            s=18,
            edgecolors="black",
            linewidths=0.5,
            label=f"class {_label_text(label)}",
        )
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title or "Decision boundary")
    ax.legend(loc="best")
    return ax


def _label_text(label):
    """1.0 -> '1', 'setosa' -> 'setosa'."""
    if isinstance(label, (int, float, np.number)) and float(label).is_integer():
        return str(int(label))
    return str(label)


def _draw_probability(ax, grid_x1, grid_x2, probability):
    """Shade P(class 1) and draw the boundary where it crosses 0.5."""
    ax.contourf(
        grid_x1,
        grid_x2,
        probability,
        levels=np.linspace(0, 1, 11),
        cmap="RdBu_r",
        alpha=0.35,
        extend="both",
    )
    if probability.min() < 0.5 < probability.max():
        ax.contour(grid_x1, grid_x2, probability, levels=[0.5], colors="black", linewidths=1.5)


def _draw_class_regions(ax, grid_x1, grid_x2, predicted_class, n_classes):
    """One colour per predicted class."""
    levels = np.arange(n_classes + 1) - 0.5
    ax.contourf(
        grid_x1,
        grid_x2,
        predicted_class.reshape(grid_x1.shape),
        levels=levels,
        cmap="tab10",
        vmin=-0.5,
        vmax=9.5,
        alpha=0.3,
    )


def plot_activation(fn_name_or_fn, x_range=(-5, 5), ax=None):
    """An activation function and its derivative over x_range; returns the Axes.

    Built-in activations use their exact derivative from dlcourse.activations; for a
    function of your own the slope is estimated numerically.
    """
    from dlcourse import activations

    fn = activations.get(fn_name_or_fn)
    name = fn_name_or_fn if isinstance(fn_name_or_fn, str) else getattr(fn, "__name__", "f")
    x = np.linspace(x_range[0], x_range[1], 401)
    y = np.asarray(fn(x), dtype=float)
    try:
        slope = activations.derivative(fn, x)
    except ValueError:
        if _is_builtin_activation(fn):
            raise  # e.g. softmax: its message explains why there is no curve to draw
        slope = np.gradient(y, x)
    ax = ax if ax is not None else _new_axes((5, 3.5))
    ax.axhline(0, color="gray", linewidth=0.8)
    ax.axvline(0, color="gray", linewidth=0.8)
    ax.plot(x, y, label=f"{name}(x)", linewidth=2)
    ax.plot(x, slope, label=f"{name}'(x)", linestyle="--", linewidth=2)
    ax.set_xlabel("x")
    ax.set_ylabel("value")
    ax.set_title(f"{name} and its derivative")
    ax.legend()
    return ax


def _is_builtin_activation(fn):
    from dlcourse import activations

    try:
        activations.serialize(fn)
    except ValueError:
        return False
    return True


def _class_labels(values, name):
    """Integer class labels from labels, one-hot rows or predicted probabilities."""
    values = np.asarray(values)
    if values.ndim == 2 and values.shape[1] > 1:
        return values.argmax(axis=1)
    values = values.reshape(-1)
    if values.dtype.kind == "f" and np.any(values != np.round(values)):
        if values.min() < 0 or values.max() > 1:
            raise ValueError(
                f"{name} holds non-integer values outside [0, 1]: pass class labels or "
                f"probabilities."
            )
        return (values > 0.5).astype(int)  # probabilities of class 1
    return values.astype(int)


def plot_confusion_matrix(y_true, y_pred, labels=None, ax=None, title=None):
    """Counts of (true class, predicted class) pairs, annotated in each cell; returns the Axes.

    y_true and y_pred may be class labels, one-hot rows or predicted probabilities; `labels`
    names the classes in order.
    """
    true, predicted = _class_labels(y_true, "y_true"), _class_labels(y_pred, "y_pred")
    n_classes = len(labels) if labels is not None else int(max(true.max(), predicted.max())) + 1
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (true, predicted), 1)
    names = [str(label) for label in labels] if labels is not None else list(range(n_classes))

    ax = ax if ax is not None else _new_axes((1.2 + 0.45 * n_classes, 1.0 + 0.45 * n_classes))
    ax.imshow(counts, cmap="Blues")
    for row in range(n_classes):
        for column in range(n_classes):
            dark_cell = counts[row, column] > counts.max() / 2
            ax.text(
                column,
                row,
                str(counts[row, column]),
                ha="center",
                va="center",
                color="white" if dark_cell else "black",
            )
    ax.set_xticks(range(n_classes), names)
    ax.set_yticks(range(n_classes), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or f"Confusion matrix ({(true == predicted).mean():.1%} correct)")
    return ax


def show_images(images, labels=None, predictions=None, ncols=10):
    """A grid of small grayscale images (8x8 digits, rows of 64 pixels are reshaped).

    With labels, each image is titled by its true class; with predictions too, by both, in
    red where the prediction is wrong. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images, dtype=float)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(
                f"Cannot show rows of {images.shape[1]} pixels as square images: pass "
                f"images shaped (n, height, width)."
            )
        images = images.reshape(-1, side, side)
    true = None if labels is None else _class_labels(labels, "labels")
    predicted = None if predictions is None else _class_labels(predictions, "predictions")

    ncols = min(ncols, len(images))
    nrows = int(np.ceil(len(images) / ncols))
    title_lines = (true is not None) + (predicted is not None)
    figure, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(1.1 * ncols, (1.1 + 0.35 * title_lines) * nrows),
        squeeze=False,
        layout="constrained",
    )
    for index, axis in enumerate(axes.ravel()):
        axis.axis("off")
        if index >= len(images):
            continue
        axis.imshow(images[index], cmap="gray_r")
        title, color = _image_title(index, true, predicted)
        axis.set_title(title, fontsize=14, color=color)
    return figure


def _image_title(index, true, predicted):
    if predicted is None:
        return ("" if true is None else str(true[index])), "black"
    if true is None:
        return f"pred {predicted[index]}", "black"
    is_right = true[index] == predicted[index]
    return f"true {true[index]}\npred {predicted[index]}", ("black" if is_right else "red")
