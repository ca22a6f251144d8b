import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import plots  # noqa: E402

HISTORY = {
    "loss": [0.9, 0.6, 0.4, 0.3],
    "accuracy": [0.6, 0.7, 0.8, 0.85],
    "val_loss": [1.0, 0.7, 0.6, 0.65],
    "val_accuracy": [0.55, 0.65, 0.7, 0.7],
    "learning_rate": [0.01, 0.01, 0.001, 0.001],
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_history_draws_one_panel_per_metric_with_train_and_validation():
    axes = plots.plot_history(HISTORY, title="Training")
    assert [ax.get_title() for ax in axes] == ["loss", "accuracy"]  # learning_rate left out
    for ax in axes:
        assert len(ax.lines) == 2
        assert legend_texts(ax) == ["training", "validation"]
        assert ax.get_xlabel() == "epoch"
        assert list(ax.lines[0].get_xdata()) == [1, 2, 3, 4]
    assert list(axes[1].lines[1].get_ydata()) == HISTORY["val_accuracy"]
    assert axes[0].figure._suptitle.get_text() == "Training"


def test_history_object_chosen_metric_and_marked_epoch():
    class History:
        history = HISTORY

    _, ax = plt.subplots()
    axes = plots.plot_history(History(), metrics="loss", ax=ax, mark_epoch=3)
    assert axes == [ax]
    assert len(ax.lines) == 3
    assert legend_texts(ax) == ["training", "validation", "epoch 3"]
    assert list(ax.lines[2].get_xdata()) == [3, 3]


def test_history_without_validation_draws_one_line():
    axes = plots.plot_history({"loss": [1.0, 0.5]})
    assert len(axes) == 1 and len(axes[0].lines) == 1


def test_history_unknown_metric_suggests_a_key():
    with pytest.raises(ValueError, match="Did you mean 'accuracy'"):
        plots.plot_history(HISTORY, metrics=["acuracy"])


def test_history_needs_one_axes_per_metric():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="one Axes per metric"):
        plots.plot_history(HISTORY, ax=ax)


def moons():
    from dlcourse.datasets import make_moons_split

    return make_moons_split(n=200).train


class ProbabilityModel:
    """Stands in for a Keras-like model: predict(x, verbose=...) returns P(class 1)."""

    def __init__(self):
        self.verbose_seen = []

    def predict(self, x, verbose="auto"):
        self.verbose_seen.append(verbose)
        return 1 / (1 + np.exp(-(x[:, :1] - 0.5 * x[:, 1:])))


def test_decision_boundary_for_a_binary_model():
    x, y = moons()
    model = ProbabilityModel()
    ax = plots.plot_decision_boundary(model, x, y, resolution=50, title="Moons")
    assert model.verbose_seen == [0]  # no progress bar for the grid
    assert ax.get_title() == "Moons"
    assert legend_texts(ax) == ["class 0", "class 1"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
    filled, boundary = [c for c in ax.collections if hasattr(c, "levels")]
    assert list(boundary.levels) == [0.5]
    assert sum(len(c.get_offsets()) for c in ax.collections if not hasattr(c, "levels")) == 120


def test_decision_boundary_for_a_softmax_function_with_three_classes():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 2))
    y = np.repeat([0, 1, 2], 30)

    def softmax_of_distances(points):
        centers = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
        scores = -((points[:, None, :] - centers) ** 2).sum(axis=2)
        return np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)

    ax = plots.plot_decision_boundary(softmax_of_distances, x, y, resolution=40)
    assert legend_texts(ax) == ["class 0", "class 1", "class 2"]
    regions = [c for c in ax.collections if hasattr(c, "levels")]
    assert len(regions) == 1 and list(regions[0].levels) == [-0.5, 0.5, 1.5, 2.5]


def test_decision_boundary_with_a_scikit_learn_classifier():
    from sklearn.linear_model import LogisticRegression

    x, y = moons()
    ax = plots.plot_decision_boundary(LogisticRegression().fit(x, y), x, y, resolution=30)
    assert len([c for c in ax.collections if hasattr(c, "levels")]) == 2


def test_decision_boundary_needs_two_features():
    with pytest.raises(ValueError, match="2 features"):
        plots.plot_decision_boundary(lambda g: g[:, 0], np.zeros((5, 3)), np.zeros(5))


def test_activation_and_its_derivative():
    ax = plots.plot_activation("sigmoid", x_range=(-6, 6))
    assert legend_texts(ax) == ["sigmoid(x)", "sigmoid'(x)"]
    assert ax.get_title() == "sigmoid and its derivative"
    function, slope = (line for line in ax.lines if line.get_label().startswith("sigmoid"))
    x = function.get_xdata()
    assert x[0] == -6 and x[-1] == 6
    assert slope.get_ydata().max() == pytest.approx(0.25, abs=1e-4)  # at x = 0


def test_activation_of_your_own_uses_a_numerical_derivative():

    def square(x):
        return x * x

    ax = plots.plot_activation(square, x_range=(-2, 2))
    assert legend_texts(ax) == ["square(x)", "square'(x)"]
    slope = ax.lines[-1]
    inner = slice(1, -1)  # np.gradient is exact inside for a quadratic
    assert np.allclose(slope.get_ydata()[inner], 2 * slope.get_xdata()[inner])


def test_softmax_activation_explains_why_there_is_no_derivative_curve():
    with pytest.raises(ValueError, match="Jacobian"):
        plots.plot_activation("softmax")


def test_confusion_matrix_counts_and_labels():
    y_true = [0, 0, 1, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 0, 2]
    ax = plots.plot_confusion_matrix(y_true, y_pred, labels=["cat", "dog", "fox"])
    cells = [text.get_text() for text in ax.texts]
    assert cells == ["1", "1", "0", "0", "2", "0", "1", "0", "2"]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["cat", "dog", "fox"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")
    assert "71.4% correct" in ax.get_title()


def test_confusion_matrix_from_probabilities():
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    ax = plots.plot_confusion_matrix(np.array([0, 1, 1]), probabilities)
    assert [text.get_text() for text in ax.texts] == ["1", "0", "1", "1"]
    binary = plots.plot_confusion_matrix([0, 1, 1], np.array([0.2, 0.7, 0.4]))
    assert [text.get_text() for text in binary.texts] == ["1", "0", "1", "1"]


def test_show_images_titles_and_marks_mistakes():
    images = np.random.default_rng(0).random((12, 64))
    labels = np.arange(12) % 10
    predictions = labels.copy()
    predictions[3] = 5
    figure = plots.show_images(images, labels, predictions, ncols=5)
    axes = figure.axes
    assert len(axes) == 15  # 3 rows of 5, the last 3 empty
    assert sum(len(ax.images) for ax in axes) == 12
    assert axes[0].get_title() == "true 0\npred 0"
    assert axes[3].get_title() == "true 3\npred 5"
    assert axes[3].title.get_color() == "red" and axes[0].title.get_color() == "black"
    assert axes[0].images[0].get_array().shape == (8, 8)


def test_show_images_with_labels_only():
    figure = plots.show_images(np.zeros((3, 8, 8)), labels=[7, 8, 9])
    assert [ax.get_title() for ax in figure.axes] == ["7", "8", "9"]


def test_show_images_rejects_rows_that_are_not_square():
    with pytest.raises(ValueError, match="square"):
        plots.show_images(np.zeros((2, 10)))


def test_importing_plots_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, dlcourse.plots; print('matplotlib' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.strip() == "False"


# --- the presentation style --------------------------------------------------------------------


@pytest.fixture
def course_style():
    saved = matplotlib.rcParams.copy()
    plots.use_course_style()
    yield
    matplotlib.rcParams.update(saved)


def draw_text(text):
    """Draw `text` on a small figure; return the warnings matplotlib raised while drawing."""
    import warnings

    figure, ax = plt.subplots(figsize=(3, 1))
    ax.set_title(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.canvas.draw()
    return [str(warning.message) for warning in caught]


def test_course_style_has_no_text_under_14_points(course_style):
    from matplotlib.font_manager import FontProperties

    for key in [
        "font.size",
        "axes.titlesize",
        "axes.labelsize",
        "xtick.labelsize",
        "ytick.labelsize",
        "legend.fontsize",
        "figure.titlesize",
    ]:
        size = FontProperties(size=matplotlib.rcParams[key]).get_size_in_points()
        assert size >= 14, (key, size)
    width, height = matplotlib.rcParams["figure.figsize"]
    dpi = matplotlib.rcParams["figure.dpi"]
    assert width * dpi <= 1200 and height * dpi <= 560  # fits a 1280 x 720 slide with a heading


def test_course_style_draws_hangul_from_the_shipped_font(course_style):
    path = plots.korean_font_path()
    assert path is not None and path.name == "NanumGothic.ttf"
    assert "NanumGothic" in matplotlib.rcParams["font.family"]
    assert not [message for message in draw_text("에포크 (epoch) −1") if "missing" in message]


def test_without_the_korean_font_hangul_is_missing():
    """The check above can fail: DejaVu Sans alone has no Hangul."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        assert any("missing" in message for message in draw_text("에포크"))


def test_sharp_png_has_twice_the_pixels_shown_at_the_figure_size(course_style):
    import io

    from PIL import Image

    figure, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, 1], [0, 1])
    data, size = plots.sharp_png(figure)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "P"  # 256 colours: small files
    assert (image.width, image.height) == (2 * size["width"], 2 * size["height"])
    # 4 x 2 inches at 100 dpi, plus the 0.1 inch padding of the tight bounding box
    assert 390 <= size["width"] <= 430 and 190 <= size["height"] <= 230
