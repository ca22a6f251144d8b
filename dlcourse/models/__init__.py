"""Models, named as in `keras.models`."""

from dlcourse import tape  # noqa: F401  (notebooks written before it moved to dlcourse.tape)
from dlcourse.models.model import Model
from dlcourse.models.sequential import Sequential
from dlcourse.saving import load_model, model_from_json, save_model

__all__ = ["Model", "Sequential", "load_model", "model_from_json", "save_model"]
