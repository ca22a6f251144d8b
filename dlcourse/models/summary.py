"""model.summary(): Keras 3's table of layers, output shapes and parameter counts."""


def _format_shape(shape):
    if isinstance(shape, list):
        return ", ".join(_format_shape(s) for s in shape)
    return (
        "("
        + ", ".join("None" if d is None else str(d) for d in shape)
        + ("," if len(shape) == 1 else "")
        + ")"
    )


def _format_bytes(n_params, itemsize):
    size = n_params * itemsize
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024


def _rows(model):
    """(name (Type), output shape, params, connected to) for each layer."""
    graph = getattr(model, "_graph", None)
    rows = []
    if graph is not None:
        for node in graph.nodes:
            layer = node.layer
            parents = ", ".join(t.node.layer.name for t in node.input_tensors)
            rows.append(
                (
                    f"{layer.name} ({type(layer).__name__})",
                    _format_shape(node.output.shape),
                    layer.count_params(),
                    parents or "-",
                )
            )
        return rows, True
    shape = getattr(model, "input_shape", None)
    for layer in model.layers:
        if shape is not None:
            shape = layer.compute_output_shape(shape)
            shape_text = _format_shape(shape)
        else:
            shape_text = "?"
        rows.append(
            (
                f"{layer.name} ({type(layer).__name__})",
                shape_text,
                layer.count_params() if layer.built else 0,
                None,
            )
        )
    return rows, False


def summary(model, line_length=None, print_fn=None):
    """Print the table; returns nothing, like Keras."""
    print_fn = print_fn or print
    rows, connected = _rows(model)
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connected else [])
    table = [[r[0], r[1], f"{r[2]:,}"] + ([r[3]] if connected else []) for r in rows]
    widths = [
        max(len(h), *(len(row[i]) for row in table)) + 2 if table else len(h) + 2
        for i, h in enumerate(headers)
    ]

    def line(left, mid, right, fill):
        return left + mid.join(fill * w for w in widths) + right

    def cells(values, sep):
        parts = []
        for i, (value, width) in enumerate(zip(values, widths)):
            text = f" {value:>{width - 2}} " if i == 2 else f" {value:<{width - 2}} "
            parts.append(text)
        return sep + sep.join(parts) + sep

    weights = model.weights
    itemsize = weights[0].value.itemsize if weights else 4
    trainable = sum(v.value.size for v in model.trainable_weights)
    non_trainable = sum(v.value.size for v in model.non_trainable_weights)
    total = trainable + non_trainable
    out = [
        f'Model: "{model.name}"',
        line("┏", "┳", "┓", "━"),
        cells(headers, "┃"),
        line("┡", "╇", "┩", "━"),
    ]
    for i, row in enumerate(table):
        out.append(cells(row, "│"))
        out.append(line("├", "┼", "┤", "─") if i < len(table) - 1 else line("└", "┴", "┘", "─"))
    out += [
        f" Total params: {total:,} ({_format_bytes(total, itemsize)})",
        f" Trainable params: {trainable:,} ({_format_bytes(trainable, itemsize)})",
        f" Non-trainable params: {non_trainable:,} ({_format_bytes(non_trainable, itemsize)})",
    ]
    if model.optimizer is not None and getattr(model.optimizer, "iterations", 0):
        slots = sum(a.size for s in model.optimizer.get_state()["slots"] for a in s.values())
        out.append(f" Optimizer params: {slots:,} ({_format_bytes(slots, itemsize)})")
    print_fn("\n".join(out))
