"""Where each weight and optimizer variable sits in Keras 3's weights file, and putting them back.

Keras 3 keeps a model's numbers in HDF5 (`model.weights.h5` inside a `.keras` zip, or a
`name.weights.h5` file of its own), as nested groups of numbered datasets:

    layers/dense/vars/0          the first Dense layer's kernel
    layers/dense/vars/1          ... and its bias
    layers/dense_1/vars/0        the second Dense layer's kernel
    layers/batch_normalization/vars/0..3   gamma, beta, moving mean, moving variance
    optimizer/vars/0             the optimizer's step count ("iteration")
    optimizer/vars/1             its learning rate (absent when it follows a schedule)
    optimizer/vars/2...          its slots (Adam: momentum and velocity of each weight)

A path is not the layer's name: Keras walks the model object and names each layer it meets by
its class in snake case, numbered per container (`dense`, `dense_1`, ...). It walks
`model.layers` for Sequential and functional models (layers/...), and for a subclassed model
the attributes it holds, sorted by name: `self.hidden = Dense(...)` is stored at `hidden/vars`,
and a layer first met in the list `model.layers` at `layers/<class>_<n>`. `layer_paths()`
repeats that walk, so the same file works in both libraries.

Within a layer, variables are numbered trainable ones first, each group in creation order
(Keras's `_trainable_variables + _non_trainable_variables`). The optimizer's variables follow
Keras's `optimizer.variables`: the step count, the learning rate, then one list per slot kind,
each covering every trainable weight of the model in Keras's order (`OPTIMIZER_SLOTS`).
"""

import warnings

import numpy as np

from dlcourse._naming import to_snake_case

# Each optimizer's slots in the order Keras 3 creates them: one tuple per `build()` call to
# `add_optimizer_variables`, whose names interleave weight by weight (Adam: momentum and velocity
# of the first weight, then of the second, ...); a tuple is present when the optimizer has
# those slots (SGD has momentum only when momentum > 0).
OPTIMIZER_SLOTS = {
    "SGD": [("momentum",)],
    "Adagrad": [("accumulator",)],
    "RMSprop": [("velocity",), ("momentum",), ("average_gradient",)],
    "Adam": [("momentum", "velocity"), ("velocity_hat",)],
    "AdamW": [("momentum", "velocity"), ("velocity_hat",)],
}


class WeightsMismatch(ValueError):
    """The weights in a file do not fit the model (another architecture, or a damaged file)."""


# ----- the walk ---------------------------------------------------------------------------


def keras_layers(model):
    """`model.layers` as Keras 3 orders them (a functional model's differ from dlcourse's)."""
    if _is_functional(model):
        return keras_layer_order(model)
    return list(model.layers)


def keras_layer_order(model):
    """The layers of a functional model in the order Keras 3 gives them (`model.layers`).

    Keras sorts layers by depth (inputs first) and, within a depth, by when a depth-first walk
    back from the outputs first meets them; weight paths are numbered in this order.
    """
    graph = model._graph
    first_seen, post_order, done = {}, [], set()

    def visit(tensor):
        node = tensor.node
        if id(node) in done:
            return
        first_seen.setdefault(id(node.layer), len(first_seen))
        for parent in node.input_tensors:
            visit(parent)
        done.add(id(node))
        post_order.append(node)

    for tensor in graph.outputs:
        visit(tensor)
    node_depth, layer_depth = {}, {}
    for node in reversed(post_order):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for parent in node.input_tensors:
            node_depth[id(parent.node)] = max(depth + 1, node_depth.get(id(parent.node), 0))
    for tensor in graph.inputs:  # an input no output depends on
        if id(tensor.node.layer) not in layer_depth:
            layer_depth[id(tensor.node.layer)], first_seen[id(tensor.node.layer)] = 0, -1
    layers = {id(layer): layer for layer in graph.layers}
    return [layers[key] for key in sorted(layers, key=lambda k: (-layer_depth[k], first_seen[k]))]


def layer_paths(model):
    """[(path, layer)] for the model and every layer in it, in the order Keras's saving walk
    (`saving_lib._save_state`) meets them; the model itself has the path ''."""
    from dlcourse.layers.base import Layer

    found, seen = [], set()

    def visit(layer, path):
        if id(layer) in seen:
            return
        seen.add(id(layer))
        found.append((path, layer))
        for name, child in _children(layer):
            child_path = f"{path}/{name}" if path else name
            if isinstance(child, Layer):
                visit(child, child_path)
            else:
                visit_container(child, child_path, set())

    def visit_container(items, path, open_containers):
        if id(items) in open_containers:
            return
        open_containers.add(id(items))
        used = {}  # a layer met before still takes up its name, as in Keras
        for item in items.values() if isinstance(items, dict) else items:
            if isinstance(item, Layer):
                visit(item, f"{path}/{_unique(to_snake_case(type(item).__name__), used)}")
            elif isinstance(item, (list, tuple, dict)):
                visit_container(item, f"{path}/{_unique('container', used)}", open_containers)

    visit(model, "")
    return found


def _children(layer):
    """The (attribute name, layer or container of layers) pairs Keras walks, in its order."""
    from dlcourse.models.model import Model

    if not isinstance(layer, Model):
        return []  # dlcourse's built-in layers hold no other layers
    children = {
        name: value
        for name, value in vars(layer).items()
        if not name.startswith("_") and _holds_layers(value)
    }
    children["layers"] = keras_layers(layer)
    ordered = sorted(children.items())
    if _is_sequential(layer) or _is_functional(layer):
        ordered.insert(0, ("layers", children["layers"]))  # Keras visits these first
    return ordered


def _holds_layers(value, depth=0):
    from dlcourse.layers.base import Layer

    if isinstance(value, Layer):
        return True
    if isinstance(value, dict):
        value = list(value.values())
    return (
        isinstance(value, (list, tuple))
        and depth < 8
        and any(_holds_layers(v, depth + 1) for v in value)
    )


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _is_sequential(model):
    from dlcourse.models.sequential import Sequential

    return isinstance(model, Sequential)


def _is_functional(model):
    return getattr(model, "_graph", None) is not None


def layer_variables(layer):
    """A layer's own variables as Keras numbers them: trainable ones first, then the others."""
    from dlcourse.models.model import Model

    if isinstance(layer, Model):
        return []  # a model's weights belong to its layers
    variables = list(layer.variables)
    return [v for v in variables if v.trainable] + [v for v in variables if not v.trainable]


def keras_trainable_weights(model):
    """`model.trainable_variables` in Keras's order: the weights the optimizer's slots follow."""
    from dlcourse.models.model import Model

    if not model.trainable:
        return []
    weights, seen = [], set()
    for layer in keras_layers(model):
        own = (
            keras_trainable_weights(layer) if isinstance(layer, Model) else layer.trainable_weights
        )
        for weight in own:
            if id(weight) not in seen:
                seen.add(id(weight))
                weights.append(weight)
    return weights


# ----- layer weights ----------------------------------------------------------------------


def weights_tree(model):
    """{'layers': {'dense': {'vars': {'0': kernel, '1': bias}}, ...}, 'vars': {}}: the groups
    and datasets of a Keras weights file, without the optimizer."""
    tree = {}
    for path, layer in layer_paths(model):
        group = tree
        for part in path.split("/") if path else []:
            group = group.setdefault(part, {})
        group["vars"] = {str(i): np.asarray(v.value) for i, v in enumerate(layer_variables(layer))}
    return tree


def assign_weights(model, arrays, skip_mismatch=False):
    """Put arrays {'layers/dense/vars/0': array, ...} into the model's weights: every one is
    checked first, then all are assigned, so a mismatch leaves the model unchanged."""
    pairs, used, skipped = [], set(), []
    for path, layer in layer_paths(model):
        variables = layer_variables(layer)
        prefix = f"{path}/vars/" if path else "vars/"
        stored = {k for k in arrays if k.startswith(prefix) and "/" not in k[len(prefix) :]}
        used |= stored
        where = f"layer {layer.name!r} ({prefix[:-1]})"
        problem = None
        if len(stored) != len(variables):
            problem = f"{where} has {len(variables)} weights but the file holds {len(stored)} there"
        else:
            for i, variable in enumerate(variables):
                value = arrays.get(f"{prefix}{i}")
                if not isinstance(value, np.ndarray) or value.dtype.kind not in "fiu":
                    problem = f"{prefix}{i} is missing or not a number array"
                elif value.shape != variable.shape:
                    problem = (
                        f"{prefix}{i} has shape {value.shape} but {variable.name} in the "
                        f"model has shape {variable.shape}"
                    )
                if problem:
                    break
        if problem:
            if not skip_mismatch:
                raise WeightsMismatch(
                    f"{problem}: the file comes from a different architecture "
                    f"(or pass skip_mismatch=True to load_weights to skip such layers)."
                )
            skipped.append(problem)
            continue
        pairs += [(v, arrays[f"{prefix}{i}"]) for i, v in enumerate(variables)]
    extra = sorted(k for k in arrays if k not in used and not k.startswith("optimizer/"))
    if extra and not skip_mismatch:
        raise WeightsMismatch(
            f"the file holds weights for layers this model does not have ({', '.join(extra[:4])}"
            f"{', ...' if len(extra) > 4 else ''}): it comes from a different architecture."
        )
    for variable, value in pairs:
        variable.assign(value)
    for problem in skipped:
        warnings.warn(f"Skipped loading: {problem}.", stacklevel=3)


# ----- the optimizer ----------------------------------------------------------------------


def _slot_groups(optimizer):
    kind = type(optimizer).__name__
    if kind not in OPTIMIZER_SLOTS:
        raise ValueError(
            f"Cannot store the state of a {kind} optimizer in Keras's layout: dlcourse knows "
            f"the layout of {', '.join(sorted(OPTIMIZER_SLOTS))}."
        )
    have = set(optimizer.slot_specs)
    groups = [g for g in OPTIMIZER_SLOTS[kind] if set(g) <= have]
    missing = have - {name for g in groups for name in g}
    if missing:
        raise ValueError(f"{kind} has slots {sorted(missing)} that Keras's layout lacks.")
    return groups


def _has_learning_rate_variable(optimizer):
    """Keras keeps the learning rate as a variable unless it follows a schedule."""
    return not isinstance(optimizer.get_config()["learning_rate"], dict)


def _optimizer_weights(optimizer):
    """The arrays the optimizer has slots for, in the order of get_state()['slots']."""
    return list(getattr(optimizer, "_built_vars", []))


def optimizer_variables(model):
    """The model's optimizer state as Keras's `optimizer.variables`: [iteration, learning
    rate, slots...]. Slots of weights the optimizer has not seen yet hold their initial value."""
    optimizer = model.optimizer
    groups = _slot_groups(optimizer)
    state = optimizer.get_state()
    slots_of = {id(a): s for a, s in zip(_optimizer_weights(optimizer), state["slots"])}
    values = [np.array(state["iterations"], dtype=np.int64)]
    if _has_learning_rate_variable(optimizer):
        values.append(np.array(optimizer.get_config()["learning_rate"], dtype=np.float32))
    weights = keras_trainable_weights(model)
    for group in groups:
        for weight in weights:
            slots = slots_of.get(id(weight.value))
            for name in group:
                if slots is None:
                    initial = optimizer.slot_specs[name]
                    values.append(np.full_like(weight.value, initial))
                else:
                    values.append(np.asarray(slots[name]))
    return values


def optimizer_variable_names(model):
    """Names for optimizer_variables(), as Keras names them ('adam/dense_kernel_momentum')."""
    optimizer = model.optimizer
    prefix = optimizer.name
    names = [f"{prefix}/iteration"]
    if _has_learning_rate_variable(optimizer):
        names.append(f"{prefix}/learning_rate")
    weights = keras_trainable_weights(model)
    for group in _slot_groups(optimizer):
        for weight in weights:
            names += [f"{prefix}/{weight.name.replace('/', '_')}_{slot}" for slot in group]
    return names


def restore_optimizer(model, values):
    """Set the model's optimizer from Keras's `optimizer.variables` (as optimizer_variables
    writes them). A file of a model that never trained holds only the first one or two."""
    optimizer = model.optimizer
    groups = _slot_groups(optimizer)
    weights = keras_trainable_weights(model)
    head = 1 + _has_learning_rate_variable(optimizer)
    full = head + sum(len(g) for g in groups) * len(weights)
    if len(values) not in (head, full):
        raise WeightsMismatch(
            f"the file holds {len(values)} optimizer variables, but a "
            f"{type(optimizer).__name__} for this model has {full}: the optimizer state does "
            f"not fit (load with compile=False and compile the model yourself)."
        )
    iterations = values[0]
    if iterations.shape != () or iterations.dtype.kind not in "iu" or int(iterations) < 0:
        raise WeightsMismatch("the optimizer's step count is not a non-negative integer.")
    learning_rate = None
    if head == 2:
        learning_rate = values[1]
        if learning_rate.shape != () or learning_rate.dtype.kind != "f":
            raise WeightsMismatch("the optimizer's learning rate is not a number.")
        if not np.isfinite(learning_rate) or learning_rate < 0:
            raise WeightsMismatch(f"the optimizer's learning rate {learning_rate} is invalid.")
    slots = [{} for _ in weights]
    if len(values) == full:
        position = head
        for group in groups:
            for k, weight in enumerate(weights):
                for name in group:
                    value = values[position]
                    position += 1
                    if value.shape != weight.shape or value.dtype.kind != "f":
                        raise WeightsMismatch(
                            f"the optimizer's {name} slot for {weight.name} has shape "
                            f"{value.shape} ({value.dtype}), not {weight.shape}."
                        )
                    slots[k][name] = value
    else:  # saved before the first step: fresh slots
        for k, weight in enumerate(weights):
            for group in groups:
                for name in group:
                    slots[k][name] = np.full_like(weight.value, optimizer.slot_specs[name])
    optimizer.set_state({"iterations": int(iterations), "slots": slots}, [w.value for w in weights])
    # The config's rate is the one training used; the variable differs only if it was changed
    # after compiling (a callback, or code), which the variable then records.
    if learning_rate is not None and np.float32(optimizer.learning_rate) != learning_rate:
        optimizer.learning_rate = float(learning_rate)


# ----- Keras's legacy HDF5 model file (model.save("name.h5")) ------------------------------


def legacy_weight_groups(model):
    """[(layer name, [(weight name, array)])] as Keras's legacy `.h5` stores them: every layer
    of model.layers in order, weights trainable first (Keras's `_legacy_weights`)."""
    groups = []
    for layer in keras_layers(model):
        weights = list(layer.trainable_weights) + list(layer.non_trainable_weights)
        groups.append((layer.name, [(_legacy_name(layer, w), w.value) for w in weights]))
    return groups


def _legacy_name(layer, weight):
    """'dense/kernel', as Keras 3 names a variable (its path) in legacy files."""
    return f"{layer.name}/{weight.name.rsplit('/', 1)[-1]}"


def assign_legacy_weights(model, saved, skip_mismatch=False):
    """`saved`: [(layer name, [arrays])] from a legacy file. Keras matches by position: the
    model's layers that have weights, in order, against the saved layers that have weights."""
    layers = [layer for layer in keras_layers(model) if layer.weights]
    saved = [(name, arrays) for name, arrays in saved if arrays]
    if len(saved) != len(layers):
        raise WeightsMismatch(
            f"the file holds weights for {len(saved)} layers but the model has {len(layers)} "
            f"layers with weights: it comes from a different architecture."
        )
    pairs = []
    for layer, (name, arrays) in zip(layers, saved):
        weights = list(layer.trainable_weights) + list(layer.non_trainable_weights)
        if len(arrays) != len(weights):
            raise WeightsMismatch(
                f"layer {layer.name!r} has {len(weights)} weights but the file holds "
                f"{len(arrays)} for {name!r}: it comes from a different architecture."
            )
        for weight, value in zip(weights, arrays):
            if value.dtype.kind not in "fiu" or value.shape != weight.shape:
                if skip_mismatch:
                    continue
                raise WeightsMismatch(
                    f"weight {weight.name} has shape {weight.shape} but the file holds shape "
                    f"{value.shape} ({value.dtype}) for it: a different architecture."
                )
            pairs.append((weight, value))
    for weight, value in pairs:
        weight.assign(value)
