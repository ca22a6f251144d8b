"""Optimizers, named as in `keras.optimizers`; their formulas are in optimizer.py.

`dlcourse.optimizers.schedules` holds the learning-rate schedules, as `keras.optimizers.schedules`.
"""

from dlcourse._config import serialize as serialize  # {'class_name', 'config'}, as Keras
from dlcourse._naming import get_object, lookup
from dlcourse.optimizers import schedules
from dlcourse.optimizers.optimizer import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop

__all__ = [
    "OPTIMIZER_CLASSES",
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]

# The allow-list of optimizer classes that configs (and so saved files) may name.
OPTIMIZER_CLASSES = {cls.__name__: cls for cls in (SGD, Adagrad, RMSprop, Adam, AdamW)}
_OPTIMIZERS = {name.lower(): cls for name, cls in OPTIMIZER_CLASSES.items()}  # 'adam', as typed


def get(identifier):
    """An optimizer from a name ('adam', 'SGD', ...; default settings), a config dict or an
    instance."""
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return lookup("optimizer", identifier, _OPTIMIZERS)()
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    if isinstance(identifier, dict):
        return get_object("optimizer", identifier, _OPTIMIZERS, Optimizer)
    raise ValueError(
        f"Could not interpret optimizer {identifier!r}: pass a name like 'adam', an optimizer "
        f"such as SGD(learning_rate=0.01), or a config dict."
    )


def deserialize(config):
    """Rebuild an optimizer from `serialize()` output (only the built-in optimizer classes)."""
    return get(dict(config))
