"""dlcourse: a small NumPy deep-learning library with the Keras 3 API, written to be read."""
__version__ = "0.1.0"
