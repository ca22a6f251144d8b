"""How many BLAS threads a training run should use.

Matrix products (`x @ kernel`) run in the BLAS library NumPy links to, which splits large
products over all CPU cores. For the small products of the course's networks (a batch of 32
through a layer of 200 units) waking the extra threads costs more than the work they share:
measured with OpenBLAS on 2 cores, the digits network trains about 6x faster on one thread.
Large products (a batch of 512 through 784 -> 512) are about twice as fast on two idle cores,
but several times slower when other programs keep those cores busy, as threads then wait
for each other.

So `fit`, `evaluate` and `predict` look at the largest product they will compute: small ones
run on one thread. For large ones, `fit` times a few such products on one thread and on all
cores and keeps the faster setting for the whole run (tens of milliseconds, once per fit);
`evaluate` and `predict` use all cores without measuring.
threadpoolctl is imported here, not at `import dlcourse`, and only when it is needed.
"""

import os
import time
from contextlib import contextmanager, nullcontext

import numpy as np

# Products with fewer multiply-adds than this run on one BLAS thread (32 x 200 x 100 is 0.64
# million; 64 x 500 x 500 is 16 million and already twice as fast on two idle cores).
SMALL_PRODUCT = 4_000_000


def _largest_kernel(weights):
    """The (n_in, n_out) shape of the largest 2-D weight (a kernel), or None."""
    shapes = [tuple(w.shape) for w in weights if len(w.shape) == 2]
    return max(shapes, key=lambda s: s[0] * s[1], default=None)


def blas_threads_for(batch_size, weights):
    """1 when the largest (batch, n_in) @ (n_in, n_out) product of a step is small, else None
    (None: large enough that more cores may help; `blas_threads` then measures).

    `weights` are the model's weight arrays (or Variables); each 2-D one is a kernel whose
    product with a batch costs batch_size * n_in * n_out multiply-adds.
    """
    kernel = _largest_kernel(weights)
    largest = 0 if kernel is None else batch_size * kernel[0] * kernel[1]
    return 1 if largest < SMALL_PRODUCT else None


@contextmanager
def _limited(threads):
    from threadpoolctl import threadpool_limits  # imported on first use: keeps import fast

    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def _time_products(x, kernel, threads, repeats, budget=float("inf")):
    """Seconds for `repeats` products `x @ kernel` on `threads` BLAS threads (None: all cores),
    stopping early once `budget` seconds are spent."""
    total = 0.0
    with _limited(threads) if threads else nullcontext():
        for _ in range(repeats):
            start = time.perf_counter()
            x @ kernel
            total += time.perf_counter() - start
            if total > budget:
                break
    return total


def faster_setting(batch_size, kernel_shape, dtype="float32", repeats=3):
    """None (all cores) if (batch, n_in) @ kernel products run clearly faster on all cores than
    on one, else 1. "Clearly" (under 3/4 of the time), because on cores that other programs keep
    busy the time with all cores varies a lot, and one thread cannot go badly wrong."""
    if (os.cpu_count() or 1) == 1:
        return None
    x = np.ones((batch_size, kernel_shape[0]), dtype=dtype)
    kernel = np.ones(kernel_shape, dtype=dtype)
    _time_products(x, kernel, 1, 1)  # warm-up: the first product pays for memory and caches
    one_thread = _time_products(x, kernel, 1, repeats)
    all_cores = _time_products(x, kernel, None, repeats, budget=0.75 * one_thread)
    return None if all_cores < 0.75 * one_thread else 1


def blas_threads(batch_size, weights, measure=True):
    """A context manager running the block on the BLAS thread count chosen as described above.
    measure=False: large products keep all cores without timing them first."""
    threads = blas_threads_for(batch_size, weights)
    if threads is None and measure:
        kernel = _largest_kernel(weights)
        threads = faster_setting(batch_size, kernel, weights[0].dtype if weights else "float32")
    return nullcontext() if threads is None else _limited(threads)
