"""Model: a functional graph (`Model(inputs, outputs)`) or a subclass with its own `call()`.

Both run their layers eagerly, so in training both leave the same kind of tape behind
(dlcourse/tape.py), and they train the same way. Training methods (compile, fit, evaluate,
predict, ...) come from `Trainer`.
"""

import functools
import inspect

import numpy as np

from dlcourse import _config, tape
from dlcourse._naming import to_snake_case, unique_name
from dlcourse.layers.base import Layer, _as_arrays
from dlcourse.layers.input_layer import InputLayer, KerasTensor, Node
from dlcourse.models.trainer import Trainer


class Model(Trainer, Layer):
    """Group layers into an object with training and inference features."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if len(args) > 0 else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        name = kwargs.pop("name", None)
        if name is None:
            base = "functional" if inputs is not None else to_snake_case(type(self).__name__)
            name = unique_name(base)
        Layer.__init__(self, name=name, **kwargs)
        Trainer.__init__(self)
        self._graph = None
        self._flat = None  # (vector, weights, views): see _flat_weights
        if inputs is not None:
            if outputs is None:
                raise ValueError("Model(inputs, outputs) needs outputs as well as inputs.")
            self._graph = _Graph(inputs, outputs)
            self.built = True

    def __setattr__(self, name, value):
        # Remember layers assigned in a subclass's __init__, in order (Keras tracks them too).
        candidates = value if isinstance(value, (list, tuple)) else [value]
        for item in candidates:
            if isinstance(item, Layer) and item is not self and not name.startswith("_"):
                tracked = self.__dict__.setdefault("_tracked_layers", [])
                if not any(item is t for t in tracked):
                    tracked.append(item)
        object.__setattr__(self, name, value)

    # ----- structure ---------------------------------------------------------------------
    @property
    def layers(self):
        if self._graph is not None:
            return list(self._graph.layers)
        return list(self.__dict__.get("_tracked_layers", []))

    @property
    def inputs(self):
        return self._graph.inputs if self._graph else None

    @property
    def outputs(self):
        return self._graph.outputs if self._graph else None

    @property
    def output_names(self):
        if self._graph is not None:
            return [t.node.layer.name for t in self._graph.outputs]
        return None

    def get_layer(self, name=None, index=None):
        """A layer by its name or by its index in `model.layers`."""
        if (name is None) == (index is None):
            raise ValueError("get_layer needs exactly one of name= or index=.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer(index={index}): the model has {len(layers)} layers.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        from dlcourse._naming import lookup

        return lookup("layer name", name, {layer.name: layer for layer in layers})

    def _all_layers(self):
        return _unique(self.layers)

    @property
    def weights(self):
        return _unique(w for layer in self._all_layers() for w in layer.weights)

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return _unique(w for layer in self._all_layers() for w in layer.trainable_weights)

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        return _unique(w for layer in self._all_layers() for w in layer.non_trainable_weights)

    def _own_variables(self):
        return self.weights

    def count_params(self):
        self._require_built("count_params()")
        return super().count_params()

    def _flat_weights(self):
        """(vector, views): the trainable weights laid end to end in one flat vector, each
        weight's array (`variable.value`) a view into it, so that an optimizer updates the whole
        model with one plain update_step. None when the weights have several float types.

        The vector is made once (at compile, or the first training step if the model is built
        later). Later calls make it again only if the model's weights changed (layers added),
        and put back any weight another model has since moved into its own vector (a layer in
        two models), copying its current values in: each model trains its own vector.
        """
        variables = [v for v in self.weights if v.trainable]  # frozen layers' too: stable layout
        if self._flat is None or not _still_laid_out(self._flat, variables):
            if not variables or len({v.dtype for v in variables}) > 1:
                self._flat = None
                return None
            vector = np.empty(sum(v.value.size for v in variables), dtype=variables[0].dtype)
            views, start = [], 0
            for v in variables:
                views.append(vector[start : start + v.value.size].reshape(v.shape))
                start += v.value.size
            self._flat = (vector, variables, views)
        vector, variables, views = self._flat
        for variable, view in zip(variables, views):
            if variable.value is not view:
                view[...] = variable.value
                variable.value = view
        return vector, views

    def summary(self, line_length=None, print_fn=None):
        """Print a table of the layers, their output shapes and parameter counts."""
        from dlcourse.models.summary import summary

        self._require_built("summary()")
        summary(self, line_length=line_length, print_fn=print_fn)

    def _require_built(self, what):
        if not self.built or any(not layer.built for layer in self._all_layers()):
            raise ValueError(
                f"{what} needs a built model, but this model's input shape is unknown. Give the "
                "first layer input_shape=(n_features,), start with Input(shape=...), call "
                "model.build((None, n_features)), or call the model on data once."
            )

    # ----- running -----------------------------------------------------------------------
    def __call__(self, inputs, training=None, **kwargs):
        flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if any(isinstance(t, KerasTensor) for t in flat):
            return self._call_symbolic(inputs)
        inputs = _as_arrays(inputs, self.dtype)
        if training is None:
            training = tape.is_training()
        if _takes_training(getattr(self.call, "__func__", self.call)):
            outputs = self.call(inputs, training=training)
        else:
            outputs = self.call(inputs)
        if not self.built:  # a file saves it as Keras's build_config, to rebuild the weights
            self._build_input_shape = _input_shapes(inputs)
            self.built = True
        return outputs

    def call(self, inputs, training=None):
        if self._graph is None:
            raise NotImplementedError(
                f"{type(self).__name__} has no call(): a subclass of Model must define "
                "call(self, inputs) that applies the layers created in __init__."
            )
        return self._graph.run(inputs, training)

    def compute_output_shape(self, input_shape):
        if self._graph is not None:
            shapes = [t.shape for t in self._graph.outputs]
            return shapes if self._graph.multi_output else shapes[0]
        raise ValueError(f"Cannot infer the output shape of subclassed model '{self.name}'.")

    def build(self, input_shape):
        """Create all weights for inputs of `input_shape` (batch dimension included)."""
        if self._graph is None:
            shapes = input_shape if isinstance(input_shape, list) else [input_shape]
            dummy = [np.zeros((1,) + tuple(s[1:]), dtype=self.dtype) for s in shapes]
            self(dummy if isinstance(input_shape, list) else dummy[0])
        self.built = True

    def get_config(self):
        if self._graph is None:
            return {"name": self.name, "trainable": self.trainable}
        return self._graph.get_config(self.name)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild a functional model from get_config() output (fresh weights)."""
        from dlcourse import saving

        return saving.functional_from_config(config, custom_objects, cls)

    # ----- saving (dlcourse/saving.py) ---------------------------------------------------
    def save(self, filepath, overwrite=True, save_format=None):
        """Save architecture, weights, compile settings and optimizer state to one file, in
        Keras 3's format ('my_model.keras') or Keras's legacy HDF5 ('my_model.h5'); Keras
        loads both. A subclassed model needs `@register_keras_serializable()` and get_config.
        """
        from dlcourse import saving

        if save_format not in (None, "keras", "h5"):
            raise ValueError(
                f"save_format={save_format!r} is not supported: the file name's ending says "
                "the format ('.keras' or '.h5'); leave save_format out."
            )
        saving.save_model(self, filepath, overwrite=overwrite)

    def save_weights(self, filepath, overwrite=True):
        """Save the weights (and optimizer state) alone, any model style: 'name.weights.h5'."""
        from dlcourse import saving

        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """Load weights from a weights file or a model file; shapes must match."""
        from dlcourse import saving

        saving.load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def to_json(self, **kwargs):
        """The architecture (and compile settings) as Keras 3's JSON text, without weights;
        `dlcourse.models.model_from_json` (or Keras's) rebuilds it."""
        from dlcourse import saving

        return saving.model_to_json(self, **kwargs)


def _input_shapes(inputs):
    """[None, 5] for one array of rows of 5; a list of such shapes for several inputs."""
    if isinstance(inputs, (list, tuple)):
        return [[None, *x.shape[1:]] for x in inputs]
    return [None, *inputs.shape[1:]]


def _still_laid_out(flat, variables):
    """Whether `flat` = (vector, variables, views) still holds exactly these variables, its
    views still into its vector (a copied model gets copies of the views, not views)."""
    vector, laid_out, views = flat
    return [id(v) for v in laid_out] == [id(v) for v in variables] and all(
        view.base is vector for view in views
    )


@functools.cache
def _takes_training(call_function):
    """Whether a call() accepts `training`. Asked once per function: inspecting a signature
    takes longer than a small model's whole forward pass."""
    return "training" in inspect.signature(call_function).parameters


def _unique(items):
    """Items in order, each object once (a shared layer or weight is counted once)."""
    seen, result = set(), []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            result.append(item)
    return result


class _Graph:
    """The layers of a functional model, in an order where each runs after its inputs."""

    def __init__(self, inputs, outputs):
        self.input_structure = inputs
        self.inputs = _flatten(inputs, "inputs")
        self.multi_output = isinstance(outputs, (list, tuple, dict))
        self.outputs = _flatten(outputs, "outputs")
        self.nodes = self._topological_order()
        self.layers = _unique(node.layer for node in self.nodes)

    def _topological_order(self):
        order, visited = [], set()

        def visit(tensor):
            node = tensor.node
            if id(node) in visited:
                return
            visited.add(id(node))
            for parent in node.input_tensors:
                visit(parent)
            if isinstance(node.layer, InputLayer) and not any(tensor is t for t in self.inputs):
                raise ValueError(
                    f"The graph needs the input '{node.layer.name}', which is not among the "
                    "model's inputs: pass it in Model(inputs=[...])."
                )
            order.append(node)

        for tensor in self.outputs:
            visit(tensor)
        return order

    def run(self, inputs, training):
        if isinstance(inputs, dict):
            inputs = [inputs[t.node.layer.name] for t in self.inputs]
        arrays = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if len(arrays) != len(self.inputs):
            raise ValueError(
                f"This model has {len(self.inputs)} inputs "
                f"({', '.join(t.node.layer.name for t in self.inputs)}), but was given "
                f"{len(arrays)} array(s). Pass a list with one array per input."
            )
        values = {id(t): x for t, x in zip(self.inputs, arrays)}
        for node in self.nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args = [values[id(t)] for t in node.input_tensors]
            call_input = args if isinstance(node.inputs, (list, tuple)) else args[0]
            values[id(node.output)] = node.layer(call_input, training=training)
        outputs = [values[id(t)] for t in self.outputs]
        return outputs if self.multi_output else outputs[0]

    def get_config(self, name):
        """Keras-style functional config: layers with their inbound layer names."""
        layer_configs = []
        node_index = {}  # id(node) -> which call of its layer it is: [layer, call, 0] refs
        for layer in self.layers:
            calls = [node for node in self.nodes if node.layer is layer]
            node_index.update({id(node): i for i, node in enumerate(calls)})

        def ref(tensor):
            return [tensor.node.layer.name, node_index[id(tensor.node)], 0]

        for layer in self.layers:
            inbound = [
                {
                    "args": [ref(t) for t in node.input_tensors],
                    "as_list": isinstance(node.inputs, (list, tuple)),
                }
                for node in self.nodes
                if node.layer is layer and not isinstance(layer, InputLayer)
            ]
            layer_configs.append(
                {**_config.serialize(layer), "name": layer.name, "inbound_nodes": inbound}
            )
        return {
            "name": name,
            "layers": layer_configs,
            "input_layers": [ref(t) for t in self.inputs],
            "output_layers": [ref(t) for t in self.outputs],
            "multi_output": self.multi_output,
        }


def _flatten(structure, what):
    if isinstance(structure, dict):
        structure = list(structure.values())
    items = list(structure) if isinstance(structure, (list, tuple)) else [structure]
    for item in items:
        if not isinstance(item, KerasTensor):
            raise TypeError(
                f"Model {what} must be symbolic tensors from Input(...) or from calling layers "
                f"on them; got {type(item).__name__}."
            )
    return items


__all__ = ["Model", "Node"]
