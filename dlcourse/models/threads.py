"""How many BLAS threads a training run uses: a fixed rule, so the numbers never depend on load.

Matrix products (`x @ kernel`) run in the BLAS library NumPy links to, which splits large
products over all CPU cores. For the small products of the course's networks (a batch of 32
through a layer of 200 units) waking the extra threads costs more than the work they share:
measured with OpenBLAS on 2 cores, the digits network trains about 6x faster on one thread.
Large products (a batch of 512 through 784 -> 512) are about twice as fast on two idle cores.

So `fit`, `evaluate` and `predict` look at the largest product a step computes: small ones run
on one thread, large ones on all cores (the BLAS default). `dlcourse.config.set_blas_threads(n)`
replaces the rule by a fixed count, e.g. 1 on a machine whose cores other programs keep busy.
The choice is never made by timing anything: one and two threads can round a product's last
bits differently, and a seeded run must give the same weights however busy the machine is.
threadpoolctl is imported here, not at `import dlcourse`, and only when it is needed.
"""

from contextlib import contextmanager, nullcontext

from dlcourse import config

# Products with fewer multiply-adds than this run on one BLAS thread (32 x 200 x 100 is 0.64
# million; 64 x 500 x 500 is 16 million and already twice as fast on two idle cores).
SMALL_PRODUCT = 4_000_000


def _largest_kernel(weights):
    """The (n_in, n_out) shape of the largest 2-D weight (a kernel), or None."""
    shapes = [tuple(w.shape) for w in weights if len(w.shape) == 2]
    return max(shapes, key=lambda s: s[0] * s[1], default=None)


def blas_threads_for(batch_size, weights):
    """The BLAS thread count for steps of `batch_size` through these weights; None: all cores.

    The count set with `dlcourse.config.set_blas_threads`, if any; otherwise 1 when the largest
    (batch, n_in) @ (n_in, n_out) product is small, else None. `weights` are the model's weight
    arrays (or Variables); each 2-D one is a kernel whose product with a batch costs
    batch_size * n_in * n_out multiply-adds.
    """
    if config.blas_threads() is not None:
        return config.blas_threads()
    kernel = _largest_kernel(weights)
    largest = 0 if kernel is None else batch_size * kernel[0] * kernel[1]
    return 1 if largest < SMALL_PRODUCT else None


@contextmanager
def _limited(threads):
    from threadpoolctl import threadpool_limits  # imported on first use: keeps import fast

    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def blas_threads(batch_size, weights):
    """A context manager running the block on the BLAS thread count of `blas_threads_for`."""
    threads = blas_threads_for(batch_size, weights)
    return nullcontext() if threads is None else _limited(threads)
