"""What `compile()` asks for, resolved per model output: losses, loss weights and metrics."""

from dlcourse import losses, metrics


def per_output(value, output_names, what):
    """Spread a compile argument (single value, list or dict by output name) over the outputs."""
    n = len(output_names)
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(output_names))
        if unknown:
            raise ValueError(
                f"{what} names output(s) {unknown}, but the model's outputs are {output_names}."
            )
        return [value.get(name) for name in output_names]
    if isinstance(value, (list, tuple)) and n > 1:
        if len(value) != n:
            raise ValueError(f"{what} has {len(value)} entries but the model has {n} outputs.")
        return list(value)
    return [value] * n


class CompiledLoss:
    """Each output's loss and loss weight; the batch's loss is the sum over outputs of
    loss_weight * loss (the trainer adds the weight penalties, and seeds the backward pass
    from each output's loss: Trainer._backward_seeds)."""

    def __init__(self, loss, loss_weights, output_names):
        self.output_names = output_names
        self.losses = [
            losses.get(item) if item is not None else None
            for item in per_output(loss, output_names, "loss")
        ]
        weights = (
            per_output(loss_weights, output_names, "loss_weights")
            if loss_weights is not None
            else [1.0] * len(output_names)
        )
        self.weights = [1.0 if w is None else float(w) for w in weights]
        if all(fn is None for fn in self.losses):
            raise ValueError("compile() needs a loss, e.g. loss='binary_crossentropy'.")

    def validate(self, y_list, p_list):
        for fn, y, p in zip(self.losses, y_list, p_list):
            if fn is not None:
                fn.validate(y, p)

    def __call__(self, y_list, p_list, sample_weight=None):
        """(total, per-output values) for one batch."""
        values = []
        for fn, w, y, p in zip(self.losses, self.weights, y_list, p_list):
            values.append(0.0 if fn is None else w * fn(y, p, sample_weight=sample_weight))
        return sum(values), values


class CompiledMetrics:
    """Metric objects per output, created on the first batch (when shapes are known)."""

    def __init__(self, metrics_arg, output_names):
        self.output_names = output_names
        self.requested = (
            per_output(metrics_arg, output_names, "metrics")
            if metrics_arg
            else [None] * len(output_names)
        )
        self.metrics = None

    def build(self, y_list, p_list):
        self.metrics = []
        multi = len(self.output_names) > 1
        for name, req, y, p in zip(self.output_names, self.requested, y_list, p_list):
            items = req if isinstance(req, (list, tuple)) else ([req] if req else [])
            built = []
            for item in items:
                metric = metrics.get(item, y_true=y, y_pred=p)
                log_name = f"{name}_{metric.name}" if multi else metric.name
                built.append((log_name, metric))
            self.metrics.append(built)

    def update(self, y_list, p_list, sample_weight=None):
        if self.metrics is None:
            self.build(y_list, p_list)
        for built, y, p in zip(self.metrics, y_list, p_list):
            for _, metric in built:
                metric.update_state(y, p, sample_weight=sample_weight)

    def reset(self):
        for built in self.metrics or []:
            for _, metric in built:
                metric.reset_state()

    def results(self):
        return {
            log_name: float(metric.result())
            for built in self.metrics or []
            for log_name, metric in built
        }

    @property
    def names(self):
        return [log_name for built in self.metrics or [] for log_name, _ in built]
