"""The tape: a record of one forward pass, kept so the backward pass can walk it in reverse.

While a model runs inside `recording()`, every step of the computation is appended to the tape
as a Record: the step (a layer, or the activation of a Dense layer), its inputs, its output and
its cache, what the step's backward pass needs from the forward pass (its input, say). Because
the cache lives on the record and not on the layer, a layer called twice in one pass (shared
weights) keeps both calls apart. Training walks the records backwards: see `backpropagate` in
dlcourse/models/trainer.py.

Every model style (Sequential, functional, subclassed) runs its layers as plain Python calls,
so they all leave the same kind of tape behind. This module imports nothing of the library.
"""

_active_tapes = []  # the tapes recording right now, innermost last


class Record:
    """One step of a forward pass: `output, cache = step.forward(inputs, training)`."""

    __slots__ = ("step", "inputs", "output", "cache", "input_list")

    def __init__(self, step, inputs, output, cache):
        self.step, self.inputs, self.output, self.cache = step, inputs, output, cache
        # The inputs as a list: one array, or several for a merging layer such as Add.
        self.input_list = inputs if isinstance(inputs, list) else [inputs]

    @property
    def name(self):
        """The step's name: a layer's name ('dense_1'), or 'dense_1/relu' for its activation."""
        return self.step.name

    @property
    def input_shapes(self):
        return [x.shape for x in self.input_list]

    @property
    def output_shape(self):
        return self.output.shape

    @property
    def weights(self):
        """The weights the step's backward pass returns gradients for, in that order."""
        return self.step.differentiable_weights

    def __repr__(self):
        shapes = ", ".join(str(s) for s in self.input_shapes)
        return f"<Record {self.name}: {shapes} -> {self.output_shape}>"


class Tape:
    """The records of one forward pass, in the order the steps ran. `with Tape() as tape:`
    records every step run inside the block (`recording()` says the same)."""

    def __init__(self, training=True):
        self.training = training
        self.records = []

    def __enter__(self):
        _active_tapes.append(self)
        return self

    def __exit__(self, *exception):
        _active_tapes.remove(self)

    def producer(self, array):
        """The record whose step produced `array`, or None (the array is an input, say)."""
        for record in reversed(self.records):
            if record.output is array:
                return record
        return None

    def __repr__(self):
        return f"<Tape: {len(self.records)} records>"


def recording(training=True):
    """`with recording() as tape:` records every step run inside the block on a new tape."""
    return Tape(training)


def is_training():
    """Whether steps run right now should behave as in training (dropout on, batch statistics)."""
    return bool(_active_tapes) and _active_tapes[-1].training


def run(step, inputs, training):
    """`step.forward(inputs, training)`, recorded on the active tape if there is one.

    Returns the step's output. Each output is a distinct array object, because the backward
    pass finds the step that produced an array by the array's identity.
    """
    output, cache = step.forward(inputs, training)
    if _active_tapes:
        if output is inputs or (isinstance(inputs, list) and any(output is x for x in inputs)):
            output = output.view()  # a step that passes its input through (Dropout at rate 0)
        _active_tapes[-1].records.append(Record(step, inputs, output, cache))
    return output
