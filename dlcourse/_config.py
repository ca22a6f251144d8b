"""The configuration trio that initializers, regularizers, losses, schedules and metrics share,
and `serialize`, the one place where an object becomes a {"class_name", "config"} dict (`entry`
builds that dict from its two parts).

An object's config is the dict of its constructor's arguments: `get_config()` returns it,
`from_config(config)` builds the object again from it (that is how model files are loaded), and
the repr shows it, so `L2(0.01)` prints as `L2(l2=0.01)`.
"""


class Configurable:
    """Base of objects rebuilt from their constructor's arguments.

    Subclasses return those arguments from `get_config()`; `from_config` and the repr follow.
    Config keys named in `_hidden_in_repr` are left out of the repr.
    """

    _hidden_in_repr = ()

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(
            f"{key}={value!r}"
            for key, value in self.get_config().items()
            if key not in self._hidden_in_repr
        )
        return f"{type(self).__name__}({args})"


def serialize(obj):
    """`{"class_name": ..., "config": {...}}`: how configs and model files describe an object
    (a layer, an initializer, an optimizer, ...). None stays None."""
    if obj is None:
        return None
    return entry(type(obj).__name__, obj.get_config())


def entry(class_name, config):
    """The entry for an object of `class_name` built with `config`: what `serialize` gives,
    for when the object is not at hand (reading a file)."""
    return {"class_name": class_name, "config": config}
