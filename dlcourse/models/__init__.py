"""Models, named as in `keras.models`."""
from dlcourse.models.model import Model
from dlcourse.models.sequential import Sequential

__all__ = ["Model", "Sequential"]
