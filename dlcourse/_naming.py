"""Names: how objects are named by default, and how the names learners type become objects.

`to_snake_case` and `unique_name` give the default names Keras gives ('BatchNormalization' ->
'batch_normalization', then 'batch_normalization_1', ...). `lookup` and `get_object` turn the
names learners type ('relu', 'adam', 'mse') into library objects, so every typo gets the same
helpful message: "Unknown activation 'rleu'. Did you mean 'relu'? Known activations: ...".
"""

import re
from collections import defaultdict

_name_counts = defaultdict(int)


def to_snake_case(name):
    """'BatchNormalization' -> 'batch_normalization', 'AUC' -> 'auc' (Keras 3's rule)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """Auto-number names like Keras: dense, dense_1, dense_2, ..."""
    count = _name_counts[base]
    _name_counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


def reset_names():
    """Restart the auto-numbering (what `dlcourse.utils.clear_session` does)."""
    _name_counts.clear()


def lookup(kind, name, table):
    """Return `table[name]`, matching case-insensitively; else raise a did-you-mean ValueError."""
    if name in table:
        return table[name]
    by_lower = {key.lower(): key for key in table}
    key = by_lower.get(str(name).lower())
    if key is not None:
        return table[key]
    import difflib  # only needed on the error path; keeps imports fast

    close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=1, cutoff=0.6)
    hint = f" Did you mean {by_lower[close[0]]!r}?" if close else ""
    known = ", ".join(sorted(table))
    plural = kind + ("es" if kind.endswith("s") else "s")
    raise ValueError(f"Unknown {kind} {name!r}.{hint} Known {plural}: {known}.")


def get_object(kind, identifier, table, base_cls=None):
    """Resolve a name, a config dict, an instance or a callable into an object of `kind`.

    Dicts ({"class_name": ..., "config": {...}}) are built only from classes in `table`:
    that table is the allow-list used when loading saved files, so no code comes from a file.
    """
    if identifier is None:
        return None
    if base_cls is not None and isinstance(identifier, base_cls):
        return identifier
    if isinstance(identifier, str):
        return lookup(kind, identifier, table)
    if isinstance(identifier, dict):
        if "class_name" not in identifier:
            raise ValueError(
                f"Cannot build a {kind} from {identifier!r}: a config dict needs a "
                f"'class_name' key (and optionally 'config')."
            )
        cls = lookup(kind, identifier["class_name"], table)
        config = identifier.get("config") or {}
        if hasattr(cls, "from_config"):
            return cls.from_config(config)
        return cls
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Cannot interpret {identifier!r} as a {kind}: pass a name (str), "
        f"a config dict or a {kind} object."
    )
