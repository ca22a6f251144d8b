"""The tape: how every model style (Sequential, functional, subclassed) backpropagates.

While a model runs in training, each layer call is recorded as (layer, inputs, outputs, cache).
`backpropagate` walks the records in reverse, asks each layer for the gradients of its inputs
and weights, and adds up gradients of any array that fed more than one layer. Because the
cache lives on the record, a layer called twice in one pass (shared weights) gets both of its
calls right and its weight gradients summed.
"""

from contextlib import contextmanager

_active_tapes = []


class Record:
    __slots__ = ("layer", "inputs", "outputs", "cache")

    def __init__(self, layer, inputs, outputs, cache):
        self.layer, self.inputs, self.outputs, self.cache = layer, inputs, outputs, cache

    @property
    def input_list(self):
        return self.inputs if isinstance(self.inputs, list) else [self.inputs]


class Tape:
    def __init__(self, training):
        self.training = training
        self.records = []


@contextmanager
def recording(training=True):
    """Record every layer call made inside the block on a new tape."""
    tape = Tape(training)
    _active_tapes.append(tape)
    try:
        yield tape
    finally:
        _active_tapes.pop()


def current_training():
    """Whether layers called right now should behave as in training (dropout on, batch stats)."""
    return bool(_active_tapes) and _active_tapes[-1].training


def record(layer, inputs, outputs, cache):
    """Append a layer call to the active tape, if any, and return the outputs to use."""
    if not _active_tapes:
        return outputs
    input_list = inputs if isinstance(inputs, list) else [inputs]
    if any(outputs is x for x in input_list):
        outputs = outputs.view()  # identity layers must hand back a distinct array object
    _active_tapes[-1].records.append(Record(layer, inputs, outputs, cache))
    return outputs


def backpropagate(tape, output_grads, model_inputs):
    """Gradients of the loss with respect to every weight used on the tape.

    output_grads: list of (output_array, gradient) pairs, the gradient possibly a
    PreActivationGrad; model_inputs: the arrays the model was called on. Returns
    {id(variable): gradient} summed over all calls.
    """
    grads = {}
    for output, grad in output_grads:
        grads[id(output)] = grad
    produced = {id(r.outputs) for r in tape.records}
    _check_connected(tape, produced, model_inputs)
    weight_grads = {}
    for rec in reversed(tape.records):
        grad = grads.pop(id(rec.outputs), None)
        if grad is None:
            continue
        variables = rec.layer._differentiable_variables()
        needs_input_grad = any(id(x) in produced for x in rec.input_list)
        if needs_input_grad:
            grad_inputs, grad_weights = rec.layer.backward(grad, rec.cache)
            grad_list = grad_inputs if isinstance(rec.inputs, list) else [grad_inputs]
            for x, gx in zip(rec.input_list, grad_list):
                if id(x) in produced:
                    _accumulate(grads, id(x), gx)
        else:
            grad_weights = rec.layer.backward_weights(grad, rec.cache)
        for variable, gw in zip(variables, grad_weights):
            _accumulate(weight_grads, id(variable), gw)
    return weight_grads


def _accumulate(table, key, value):
    if key in table:
        table[key] = table[key] + value
    else:
        table[key] = value


def _check_connected(tape, produced, model_inputs):
    """Catch NumPy arithmetic between layers, which the tape cannot see through."""
    known = produced | {id(x) for x in model_inputs}
    for rec in tape.records:
        for x in rec.input_list:
            if id(x) not in known:
                raise RuntimeError(
                    f"Layer '{rec.layer.name}' received an array that no layer produced. "
                    "dlcourse backpropagates through layers only: replace NumPy arithmetic "
                    "between layers in call() with layers such as Add, Concatenate or Activation."
                )
