"""How many BLAS threads a training run should use.

Matrix products (`x @ kernel`) run in the BLAS library NumPy links to, which splits large
products over all CPU cores. For the small products of the course's networks (a batch of 32
through a layer of 200 units) waking the extra threads costs more than the work they share:
measured with OpenBLAS on 2 cores, the digits network trains about 6x faster on one thread.
Large products (a batch of 512 through 784 -> 512) are faster on all cores.

So `fit`, `evaluate` and `predict` look at the largest product they will compute and run on one
thread when it is small. threadpoolctl is imported here, not at `import dlcourse`, and only when
a limit is actually applied.
"""
from contextlib import contextmanager, nullcontext

# Products with fewer multiply-adds than this run on one BLAS thread (32 x 200 x 100 is 0.64
# million; 64 x 500 x 500 is 16 million and already twice as fast on two cores).
SMALL_PRODUCT = 4_000_000


def blas_threads_for(batch_size, weights):
    """1 when the largest (batch, n_in) @ (n_in, n_out) product of a step is small, else None
    (None: leave BLAS at its default, all cores).

    `weights` are the model's weight arrays (or Variables); each 2-D one is a kernel whose
    product with a batch costs batch_size * n_in * n_out multiply-adds.
    """
    sizes = [w.shape[0] * w.shape[1] for w in weights if len(w.shape) == 2]
    largest = batch_size * max(sizes, default=0)
    return 1 if largest < SMALL_PRODUCT else None


@contextmanager
def _limited(threads):
    from threadpoolctl import threadpool_limits  # imported on first use: keeps import fast
    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def blas_threads(batch_size, weights):
    """A context manager running the block on `blas_threads_for(...)` BLAS threads."""
    threads = blas_threads_for(batch_size, weights)
    return nullcontext() if threads is None else _limited(threads)
