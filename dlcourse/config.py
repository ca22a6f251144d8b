"""Settings named as in `keras.config`, plus the one dlcourse adds: BLAS threads.

`floatx` and `epsilon` live in `dlcourse.backend` (every module reads them from there) and are
repeated here under their Keras names. `set_blas_threads` is dlcourse's own: how many CPU
threads the matrix products of `fit`, `evaluate` and `predict` may use.
"""

from dlcourse.backend import epsilon, floatx, set_epsilon, set_floatx  # noqa: F401

_BLAS_THREADS = None


def blas_threads():
    """The BLAS thread count set by `set_blas_threads`, or None (the automatic rule)."""
    return _BLAS_THREADS


def set_blas_threads(threads):
    """Run the matrix products of fit, evaluate and predict on `threads` BLAS threads.

    None (the default) applies the automatic rule of dlcourse/models/threads.py: one thread for
    small products, all cores for large ones. Set 1 on a machine whose cores other programs keep
    busy: all cores then wait for each other and run slower than one. Another thread count may
    round the last bits differently, so a seeded run repeats exactly under the same setting.
    """
    global _BLAS_THREADS
    if threads is not None and (
        isinstance(threads, bool) or not isinstance(threads, int) or threads < 1
    ):
        raise ValueError(
            f"set_blas_threads needs a positive integer or None (automatic), got {threads!r}."
        )
    _BLAS_THREADS = threads
