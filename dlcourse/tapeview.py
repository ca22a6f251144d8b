"""The tape made visible: one training step drawn as a graph, and its backward pass walked
one record at a time.

    from dlcourse.tapeview import TapeStepper, draw_tape, trace_step
    step = trace_step(model, x, y)   # forward on a tape, the loss, the backward walk; no update
    draw_tape(step)                  # a figure: the tape's steps as boxes, gradients on arrows
    TapeStepper(model, x, y)         # in Jupyter: buttons that walk the backward pass

`trace_step` runs the library's own training step without the update (the same code as
`model.compute_gradients`) and asks `backpropagate` (dlcourse/models/trainer.py) to report each
record as its walk passes it: nothing here computes a gradient itself.

In the figure each record of the tape is a box with its output's shape, placed left to right
in the order data flows; a branch gets a lane of its own. The arrows are the forward pass; the
number on an arrow is the norm of the gradient that flows back along it, and the numbers under
a box are the norms of its weights' gradients. A step whose output the walk never needs is
drawn dashed: the activation of a sigmoid or softmax output trained with cross-entropy, whose
gradient `p - y` starts at its input (`Trainer._backward_seeds`).

matplotlib and ipywidgets are imported when a figure or a stepper is made, not with dlcourse.
"""

import base64
import html
from dataclasses import dataclass

import numpy as np

from dlcourse.layers.core import Activation

__all__ = ["BackwardStep", "TapeTrace", "trace_step", "draw_tape", "TapeStepper"]

FONT_SIZE = 14  # points: the course's smallest text on a projected figure (dlcourse.plots)
SHOWN_VALUES = 3  # how many numbers of an array the stepper shows
COLORS = {
    "current": "#f5a742",  # the record the stepper is at
    "walked": "#cfe3f5",  # records the backward walk has passed
    "waiting": "#ffffff",  # records it has not reached yet
    "skipped": "#eeeeee",  # records it skips (a fused activation)
    "data": "#e8e8e8",
    "loss": "#f4cccc",
    "gradient": "#c0392b",  # the numbers of the backward pass
}


@dataclass
class BackwardStep:
    """What the backward walk did at one record: the gradient that arrived at the record's
    output, and the gradients its step gave back for its inputs and its weights
    (`grad_inputs` is empty when the inputs are the data: nobody needs their gradient)."""

    record: object
    grad_output: np.ndarray
    grad_inputs: list
    grad_weights: list

    @property
    def weights(self):
        return self.record.weights


@dataclass
class TapeTrace:
    """One training step of a model, traced: the tape of its forward pass, the loss, where the
    backward walk started (`seeds`: (array, gradient) pairs), each step of the walk in its
    order, and the weights' gradients it returned ({id(weight): gradient})."""

    tape: object
    model_inputs: list
    input_names: list
    loss: float
    seeds: list
    steps: list
    gradients: dict

    @property
    def records(self):
        return self.tape.records

    def step_of(self, record):
        """The BackwardStep of `record`, or None when the walk skipped it."""
        for step in self.steps:
            if step.record is record:
                return step
        return None

    def seed_of(self, array):
        """The gradient the walk started with at `array`, or None."""
        for seeded, grad in self.seeds:
            if seeded is array:
                return grad
        return None

    def skipped(self):
        """The records the walk never visited (their output's gradient was never needed)."""
        walked = {id(step.record) for step in self.steps}
        return [record for record in self.records if id(record) not in walked]


def trace_step(model, x, y, sample_weight=None):
    """Run one training step of the compiled `model` on (x, y) without updating any weight,
    and return its TapeTrace. The weights' gradients are the ones `fit` would use (before the
    regularizers' share, which is added after the walk)."""
    model._require_compiled("trace_step()")
    x_list, y_list, sample_weight = model._prepare(x, y, sample_weight)
    steps = []

    def on_record(record, grad, grad_inputs, grad_weights):
        steps.append(BackwardStep(record, grad, list(grad_inputs), list(grad_weights)))

    recorded, logs, seeds, grads = model._forward_backward(x_list, y_list, sample_weight, on_record)
    return TapeTrace(
        tape=recorded,
        model_inputs=x_list,
        input_names=_input_names(model, len(x_list)),
        loss=float(logs["loss"]),
        seeds=seeds,
        steps=steps,
        gradients=grads,
    )


def _input_names(model, count):
    if count == 1:
        return ["x"]
    inputs = getattr(model, "inputs", None)
    if inputs and len(inputs) == count:
        return [tensor.node.layer.name for tensor in inputs]
    return [f"x[{i}]" for i in range(count)]


# ----- the graph ---------------------------------------------------------------------------


@dataclass
class _Node:
    key: tuple  # ("input", i), ("record", i) or ("loss",)
    lines: list  # the text in the box: a name, then the output's shape
    column: int
    lane: int = 0
    record: object = None


@dataclass
class _Edge:
    source: tuple
    target: tuple
    array: object  # the array flowing along the edge (None for an edge into the loss)
    input_index: int = 0  # which of the target record's inputs it is


def _graph(trace):
    """The traced tape as nodes {key: _Node} (each with a column and a lane) and edges."""
    nodes, edges, made_by = {}, [], {}
    for i, (array, name) in enumerate(zip(trace.model_inputs, trace.input_names)):
        nodes[("input", i)] = _Node(("input", i), [name, _shape(array)], column=0, lane=i)
        made_by[id(array)] = ("input", i)
    for i, record in enumerate(trace.records):
        key = ("record", i)
        sources = [made_by[id(x)] for x in record.input_list]
        column = 1 + max(nodes[source].column for source in sources)
        name = record.name.split("/")[-1] if isinstance(record.step, Activation) else record.name
        nodes[key] = _Node(key, [name, _shape(record.output)], column, record=record)
        edges += [_Edge(s, key, x, j) for j, (x, s) in enumerate(zip(record.input_list, sources))]
        made_by[id(record.output)] = key
    loss = _Node(
        ("loss",), ["loss", f"{trace.loss:.4f}"], 1 + max(n.column for n in nodes.values())
    )
    edges += [
        _Edge(key, loss.key, None)
        for key, node in nodes.items()
        if node.record is not None and _feeds_loss(trace, node.record)
    ]
    nodes[loss.key] = loss
    _assign_lanes(nodes, edges)
    return nodes, edges


def _feeds_loss(trace, record):
    """Whether the loss reads `record`'s output: the walk starts there, or at its input when
    the record is an activation the walk skips (sigmoid or softmax with cross-entropy)."""
    skipped = trace.skipped()
    if record in skipped:
        return isinstance(record.step, Activation) and trace.seed_of(record.inputs) is not None
    fused_next = any(record.output is other.inputs for other in skipped)
    return trace.seed_of(record.output) is not None and not fused_next


def _assign_lanes(nodes, edges):
    """Each node takes the lane of its first source, so that a chain stays on one line, or else
    the first lane free in its column. The inputs have lanes 0, 1, ..."""
    sources = {}
    for edge in edges:
        sources.setdefault(edge.target, []).append(edge.source)
    taken = {(node.column, node.lane) for node in nodes.values() if node.key[0] == "input"}
    for key, node in nodes.items():
        if key[0] != "input":
            wanted = [nodes[source].lane for source in sources[key]] + list(range(len(nodes)))
            node.lane = next(lane for lane in wanted if (node.column, lane) not in taken)
            taken.add((node.column, node.lane))


def _edge_gradient(trace, edge, nodes, walked):
    """The gradient flowing back along `edge` once the records in `walked` are walked, or None.

    Into a record: what that record's backward gave for this input (nothing for the data).
    Into the loss, or into a record the walk skips: the seed the walk starts with there."""
    if edge.target == ("loss",):
        return trace.seed_of(nodes[edge.source].record.output)
    step = trace.step_of(nodes[edge.target].record)
    if step is None:
        return trace.seed_of(edge.array)
    if id(step.record) in walked and step.grad_inputs:
        return step.grad_inputs[edge.input_index]
    return None


# Sizes in inches. A column is as wide as its widest box; the gaps between columns hold the
# arrows, wide when the graph is small, narrow enough for a slide (12 inches at 100 pixels per
# inch) when it is large; each gradient's number sits above its arrow.
PADDING, BOX_HEIGHT, LANE_HEIGHT, TOP = 0.16, 0.66, 1.62, 0.95
GAPS, SLIDE_WIDTH = (0.3, 0.8), 11.8


def draw_tape(trace, position=None):
    """Draw the traced tape on a new matplotlib Figure, sized to the graph, and return it.

    `position`: how far the backward walk has got, as in TapeStepper: 0 shows only where it
    starts, k the first k records it visits, highlighting the k-th. None (the default) shows
    the whole walk.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    from dlcourse.plots import COURSE_STYLE

    walked_steps = trace.steps if position is None else trace.steps[:position]
    walked = {id(step.record) for step in walked_steps}
    current = walked_steps[-1].record if walked_steps and position is not None else None
    skipped = {id(record) for record in trace.skipped()}
    nodes, edges = _graph(trace)

    widths = {}
    for node in nodes.values():
        widths[node.column] = max(widths.get(node.column, 0.0), _box_width(node))
    spare = (SLIDE_WIDTH - 0.3 - sum(widths.values())) / max(len(widths) - 1, 1)
    gap = min(max(spare, GAPS[0]), GAPS[1])
    x_of, left = {}, 0.15
    for column in sorted(widths):
        x_of[column] = left + widths[column] / 2
        left += widths[column] + gap
    lanes = 1 + max(node.lane for node in nodes.values())
    size = (left - gap + 0.15, TOP + lanes * LANE_HEIGHT - 0.2)
    boxes = {}  # key: (left x, right x, middle y)
    for key, node in nodes.items():
        x, y = x_of[node.column], TOP + node.lane * LANE_HEIGHT + 0.5
        boxes[key] = (x - _box_width(node) / 2, x + _box_width(node) / 2, y)

    with matplotlib.rc_context({**COURSE_STYLE, "figure.constrained_layout.use": False}):
        figure = Figure(figsize=size, dpi=COURSE_STYLE["figure.dpi"])
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, size[0])
        ax.set_ylim(size[1], 0)  # y in inches from the top
        ax.axis("off")
        text = {"fontsize": FONT_SIZE, "ha": "center", "va": "center"}
        red = {**text, "color": COLORS["gradient"]}
        for key, node in nodes.items():
            x0, x1, y = boxes[key]
            corner = (x0, y - BOX_HEIGHT / 2)
            style = _box_style(node, current, walked, skipped)
            rounded = "round,pad=0,rounding_size=0.08"
            ax.add_patch(FancyBboxPatch(corner, x1 - x0, BOX_HEIGHT, boxstyle=rounded, **style))
            ax.text((x0 + x1) / 2, y - 0.14, node.lines[0], **text)
            ax.text((x0 + x1) / 2, y + 0.15, node.lines[1], color="#444444", **text)
            step = trace.step_of(node.record) if node.record is not None else None
            if step is not None and id(step.record) in walked:
                for row, (weight, grad) in enumerate(zip(step.weights, step.grad_weights)):
                    label = f"{_weight_label(weight)} {_number(grad)}"
                    ax.text((x0 + x1) / 2, y + BOX_HEIGHT / 2 + 0.2 + 0.27 * row, label, **red)
        for edge in edges:
            grad = _edge_gradient(trace, edge, nodes, walked)
            _draw_edge(ax, edge, nodes, boxes, gap, skipped, grad)
        ax.text(
            0.15,
            0.12,
            f"The tape of one training step: loss {trace.loss:.4f}",
            fontsize=FONT_SIZE + 2,
            ha="left",
            va="top",
        )
        ax.text(
            0.15,
            0.5,
            "arrows: the forward pass;  red: ‖gradient‖ flowing back",
            fontsize=FONT_SIZE,
            ha="left",
            va="top",
            color=COLORS["gradient"],
        )
    return figure


def _draw_edge(ax, edge, nodes, boxes, gap, skipped, grad):
    source, target = nodes[edge.source], nodes[edge.target]
    _, x0, y0 = boxes[edge.source]
    x1, x1_right, y1 = boxes[edge.target]
    # An output on another lane than the loss runs along its own lane, then turns to the loss.
    elbow = edge.target == ("loss",) and y0 != y1
    # A straight arrow that would cross another box on its lane bends around it.
    bends = y0 == y1 and any(
        node.lane == source.lane and source.column < node.column < target.column
        for node in nodes.values()
    )
    if elbow:
        x1, y1 = (x1 + x1_right) / 2, y1 + (BOX_HEIGHT / 2 if y0 > y1 else -BOX_HEIGHT / 2)
        connection = "angle,angleA=0,angleB=90,rad=0"
    else:
        connection = f"arc3,rad={-0.25 if bends else 0}"
    dashed = source.record is not None and id(source.record) in skipped
    arrow = {
        "arrowstyle": "-|>",
        "color": "#777777",
        "linewidth": 1.5,
        "linestyle": "--" if dashed else "-",
        "shrinkA": 0,
        "shrinkB": 0,
        "connectionstyle": connection,
    }
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=arrow)
    if grad is None:
        return
    red = {"fontsize": FONT_SIZE, "color": COLORS["gradient"], "ha": "center"}
    above = y0 - BOX_HEIGHT / 2 - 0.08
    if elbow:  # above the arrow, just after its tail
        ax.text(x0 + gap / 2 + 0.3, above, _number(grad), va="bottom", **red)
    elif y0 == y1 and not bends:  # above the arrow, just before its head
        ax.text(x1 - gap / 2, above, _number(grad), va="bottom", **red)
    else:  # on the arrow: halfway along a short one, near the tail of a long one
        x = x0 + min((x1 - x0) / 2, 0.6)
        y = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        box = {"facecolor": "white", "edgecolor": "none", "pad": 1}
        ax.text(x, y, _number(grad), va="center", bbox=box, **red)


def _box_style(node, current, walked, skipped):
    if node.record is None:  # the data or the loss
        color = COLORS["data"] if node.key[0] == "input" else COLORS["loss"]
        return {"facecolor": color, "edgecolor": "#888888", "linewidth": 1.2}
    if node.record is current:
        return {"facecolor": COLORS["current"], "edgecolor": "black", "linewidth": 2.5}
    if id(node.record) in skipped:
        return {
            "facecolor": COLORS["skipped"],
            "edgecolor": "#888888",
            "linewidth": 1.2,
            "linestyle": "--",
        }
    color = COLORS["walked"] if id(node.record) in walked else COLORS["waiting"]
    return {"facecolor": color, "edgecolor": "#555555", "linewidth": 1.2}


def _box_width(node):
    return max(_text_width(line) for line in node.lines) + PADDING


def _text_width(text):
    """The width of `text` in inches at FONT_SIZE."""
    from matplotlib.textpath import TextPath

    return TextPath((0, 0), text, size=FONT_SIZE).get_extents().width / 72


def _weight_label(weight):
    """'dW' for a kernel, 'db' for a bias, 'dgamma' for a weight named gamma."""
    short = weight.name.split("/")[-1]
    return {"kernel": "dW", "bias": "db"}.get(short, f"d{short}")


def _shape(array):
    return str(tuple(array.shape))


def _norm(array):
    return float(np.linalg.norm(np.asarray(array, dtype=np.float64)))


def _number(array):
    """An array's norm, to 3 significant digits."""
    return f"{_norm(array):.3g}"


# ----- the stepper -------------------------------------------------------------------------


class TapeStepper:
    """Walk the backward pass of one training step one record at a time (an ipywidgets box).

    `TapeStepper(model, x, y)` traces one step (`trace_step`); `TapeStepper(trace)` shows a
    trace made before. At position 0 the walk starts: the loss and its gradient. Each press of
    "next" moves to the next record the walk visits and shows the gradient arriving at its
    output, the cache its forward pass kept, and the gradients its backward gives. From code:
    `next_button.click()`, `back_button.click()` or `go_to(k)`; `current` is the BackwardStep
    shown (None at position 0) and `rows()` the text shown, as (what, name, values) triples.
    """

    def __init__(self, model_or_trace, x=None, y=None, sample_weight=None):
        import ipywidgets as widgets

        if isinstance(model_or_trace, TapeTrace):
            self.trace = model_or_trace
        else:
            self.trace = trace_step(model_or_trace, x, y, sample_weight)
        self.position = 0
        self.back_button = widgets.Button(description="◀ back", layout={"width": "7em"})
        self.next_button = widgets.Button(description="next ▶", layout={"width": "7em"})
        self.heading = widgets.HTML()
        self.image = widgets.Image(format="png", layout={"max_width": "100%", "height": "auto"})
        self.panel = widgets.HTML()
        self.back_button.on_click(lambda _: self.go_to(self.position - 1))
        self.next_button.on_click(lambda _: self.go_to(self.position + 1))
        buttons = widgets.HBox([self.back_button, self.next_button, self.heading])
        self.widget = widgets.VBox([buttons, self.image, self.panel])
        self.go_to(0)

    @property
    def n_steps(self):
        return len(self.trace.steps)

    @property
    def current(self):
        return self.trace.steps[self.position - 1] if self.position else None

    def go_to(self, position):
        """Show the walk after `position` records (0: its start), clipped to 0..n_steps."""
        self.position = min(max(int(position), 0), self.n_steps)
        self.back_button.disabled = self.position == 0
        self.next_button.disabled = self.position == self.n_steps
        self.heading.value = f"<b>{html.escape(self.describe_position())}</b>"
        self.panel.value = self.describe_html()
        data, size = self._picture()
        self.image.value, self.image.width = data, str(size["width"])

    def describe_position(self):
        if self.current is None:
            return f"start of the backward walk (step 0 of {self.n_steps})"
        record = self.current.record
        kind = type(record.step).__name__
        return f"step {self.position} of {self.n_steps}: {record.name} ({kind})"

    def rows(self):
        """What the panel shows: (what, name, values) triples of plain text."""
        if self.current is None:
            return self._start_rows()
        step, record = self.current, self.current.record
        rows = [("arrives", "dL/d output", _values(step.grad_output))]
        parts = list(record.cache) if isinstance(record.cache, tuple) else [record.cache]
        for part in parts:
            name = "its input" if part is record.inputs else ""
            name = "its output" if part is record.output else name
            shown = _values(part) if isinstance(part, np.ndarray) else repr(part)
            rows.append(("cache", name, shown))
        for weight, grad in zip(step.weights, step.grad_weights):
            rows.append(("gives", f"dL/d {weight.name.split('/')[-1]}", _values(grad)))
        for grad in step.grad_inputs:
            rows.append(("gives", "dL/d input", _values(grad)))
        if not step.grad_inputs:
            rows.append(("gives", "no dL/d input", "its input is the data"))
        return rows

    def _start_rows(self):
        trace = self.trace
        rows = [("loss", "L", f"{trace.loss:.4f}")]
        for array, grad in trace.seeds:
            made_by = trace.tape.producer(array)
            rows.append(("starts at", f"{made_by.name}'s output", _values(grad)))
        for record in trace.skipped():
            if isinstance(record.step, Activation) and trace.seed_of(record.inputs) is not None:
                why = "fused: dL/dz = (p − y)/n (Trainer._backward_seeds)"
                rows.append(("skips", record.name, why))
        return rows

    def describe_html(self):
        cell = "<td style='padding:0 0.8em 0 0;vertical-align:top'>"
        rows = "".join(
            f"<tr>{cell}<b>{html.escape(what)}</b></td>{cell}{html.escape(name)}</td>"
            f"{cell}<code>{html.escape(values)}</code></td></tr>"
            for what, name, values in self.rows()
        )
        return f"<table style='line-height:1.4'>{rows}</table>"

    def static_figure(self):
        """The graph at the current position, as a matplotlib Figure."""
        return draw_tape(self.trace, self.position)

    def _picture(self):
        """(PNG bytes, size to show it at): the graph, sharp (dlcourse.plots.sharp_png)."""
        from dlcourse.plots import sharp_png

        return sharp_png(self.static_figure())

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The widget, plus a picture and text for viewers where widgets cannot run."""
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        data, size = self._picture()
        bundle["image/png"] = base64.b64encode(data).decode("ascii")
        lines = [f"{what}: {name} {values}" for what, name, values in self.rows()]
        bundle["text/plain"] = "\n".join([self.describe_position(), *lines])
        return bundle, {"image/png": size}

    def __repr__(self):
        return f"<TapeStepper at step {self.position} of {self.n_steps}>"


def _values(array):
    """'(4, 3) [0.1234, -0.5000, …] norm 0.9700': the shape, the first numbers, the norm."""
    array = np.asarray(array)
    numbers = ", ".join(f"{v:.4f}" for v in array.ravel()[:SHOWN_VALUES])
    more = ", …" if array.size > SHOWN_VALUES else ""
    return f"{_shape(array)} [{numbers}{more}] norm {_norm(array):.4f}"
