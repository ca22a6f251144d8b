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
    from each output's loss: Trainer._backward_seeds).

    `named`: whether the model names its outputs (a subclassed model does not); Keras then
    logs each output's loss by the loss as it was asked for ('mse_loss') instead.
    """

    def __init__(self, loss, loss_weights, output_names, named=True):
        self.output_names = output_names
        requested = per_output(loss, output_names, "loss")
        self.losses = [losses.get(item) if item is not None else None for item in requested]
        self._log_names = []  # '<output>_loss'; unnamed outputs: by the loss, e.g. 'mse_loss'
        for name, item, fn in zip(output_names, requested, self.losses):
            if fn is not None:
                key = name if named else (item if isinstance(item, str) else fn.name)
                self._log_names.append(f"{key}_loss")
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

    @property
    def log_names(self):
        """'<output>_loss' for each output with a loss, when there are several (as in Keras)."""
        return self._log_names if len(self._log_names) > 1 else []

    def __call__(self, y_list, p_list, sample_weight=None):
        """(total, {'<output>_loss': value}) for one batch. The total weighs each output's loss
        by its loss weight; each output's own loss is logged unweighted, as Keras logs it."""
        weighted, own = [], []
        for fn, w, y, p in zip(self.losses, self.weights, y_list, p_list):
            if fn is not None:
                value = fn(y, p, sample_weight=sample_weight)
                weighted.append(w * value)
                own.append(value)
        return sum(weighted), dict(zip(self.log_names, own))


class CompiledMetrics:
    """compile's `metrics` and `weighted_metrics`, per output, created on the first batch (when
    the shapes tell which accuracy 'accuracy' is). As in Keras, `metrics` ignore sample and
    class weights and `weighted_metrics` use them; logs are named as Keras names them (by
    the output too when there are several and the model names them: `named`)."""

    def __init__(self, metrics_arg, weighted_metrics_arg, output_names, named=True):
        self.output_names = output_names
        self.named = named
        self.requested = [
            (per_output(arg, output_names, what) if arg else [None] * len(output_names), weighted)
            for arg, what, weighted in (
                (metrics_arg, "metrics", False),
                (weighted_metrics_arg, "weighted_metrics", True),
            )
        ]
        self.metrics = None  # [(log name, Metric, output index, weighted)], once built

    def build(self, y_list, p_list):
        """Create the Metric objects and their log names: '<output>_' before each name when
        there are several named outputs, 'weighted_' before a weighted metric's name that an
        unweighted one has taken, and '_1', '_2', ... after a name taken already."""
        built, taken = [], {}
        by_output = self.named and len(self.output_names) > 1
        for requested, weighted in self.requested:
            for i, (output, req) in enumerate(zip(self.output_names, requested)):
                for item in req if isinstance(req, (list, tuple)) else ([req] if req else []):
                    metric = metrics.get(item, y_true=y_list[i], y_pred=p_list[i])
                    prefix = f"{output}_" if by_output else ""
                    name = prefix + metric.name
                    if weighted and name in taken:
                        name = f"{prefix}weighted_{metric.name}"
                    built.append((_untaken(name, taken), metric, i, weighted))
        self.metrics = built

    def update(self, y_list, p_list, sample_weight=None):
        for _, metric, i, weighted in self.metrics:
            metric.update_state(y_list[i], p_list[i], sample_weight if weighted else None)

    def reset(self):
        for _, metric, _, _ in self.metrics or []:
            metric.reset_state()

    def results(self):
        return {name: float(metric.result()) for name, metric, _, _ in self.metrics or []}

    @property
    def names(self):
        return [name for name, _, _, _ in self.metrics or []]

    @property
    def metric_names(self):
        """The metrics' own names, without the output and weighted_ parts (Keras lists the
        values of evaluate() and *_on_batch() in this order)."""
        return [metric.name for _, metric, _, _ in self.metrics or []]


def _untaken(name, taken):
    """`name`, or `name_1`, `name_2`, ... when it is taken already (Keras's rule)."""
    count = taken.get(name, 0)
    taken[name] = count + 1
    return name if count == 0 else f"{name}_{count}"
