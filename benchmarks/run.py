"""Speed benchmark: dlcourse against scikit-learn's MLPClassifier, PyTorch and Keras (when
installed), on the course's scale and on one large-batch network. Run it with `make bench` or
`python benchmarks/run.py` (see benchmarks/README.md). It is not part of the test suite.

For each workload and library it measures time per training step = total fit time / number of
optimizer steps, the median of `--runs` runs (5 by default, the libraries taking turns), all in
one process, so the ratios compare numbers measured on the same machine at the same time.
Each library, dlcourse and the hand-written NumPy loop included, runs at its best BLAS/intra-op
thread setting: one short trial per setting (1 thread and all cores), then the full runs with
the faster one. This compares engines; dlcourse's own choice of threads inside fit
(dlcourse/models/threads.py) is set aside for it, unless `--dlcourse-policy` is given.
"""

import argparse
import contextlib
import math
import os
import platform
import statistics
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

ALL_CORES = os.cpu_count() or 1


# ----------------------------------------------------------------- workloads


class Workload:
    """A data set, a network (layer widths and output kind) and the training settings."""

    def __init__(
        self,
        name,
        x_train,
        y_train,
        x_test,
        y_test,
        hidden,
        output,
        batch_size,
        epochs,
        report_accuracy=True,
    ):
        self.name, self.hidden, self.output = name, hidden, output
        self.x_train, self.y_train = x_train.astype(np.float32), y_train
        self.x_test, self.y_test = x_test.astype(np.float32), y_test
        self.batch_size, self.epochs = batch_size, epochs
        self.report_accuracy = report_accuracy

    @property
    def n_classes(self):
        return int(self.y_train.max()) + 1

    @property
    def widths(self):
        """Units of every Dense layer from the input to the output."""
        out = 1 if self.output == "sigmoid" else self.n_classes
        return [self.x_train.shape[1], *self.hidden, out]

    @property
    def steps(self):
        return self.epochs * -(-len(self.x_train) // self.batch_size)

    def shortened(self, epochs):
        return Workload(
            self.name,
            self.x_train,
            self.y_train,
            self.x_test,
            self.y_test,
            self.hidden,
            self.output,
            self.batch_size,
            epochs,
        )


def digits_small_batch():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data / 16.0, digits.target, stratify=digits.target, test_size=0.2, random_state=0
    )
    return Workload(
        "digits_small_batch",
        x_train,
        y_train,
        x_test,
        y_test,
        (200, 100),
        "softmax",
        batch_size=32,
        epochs=30,
    )


def cancer_seed():
    """Seed 000's model (30 -> 100 relu -> 24 relu -> 1 sigmoid) on breast cancer."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    data = load_breast_cancer()
    x_train, x_test, y_train, y_test = train_test_split(
        data.data, data.target, stratify=data.target, test_size=0.2, random_state=2022
    )
    scaler = StandardScaler().fit(x_train)
    return Workload(
        "cancer_seed",
        scaler.transform(x_train),
        y_train,
        scaler.transform(x_test),
        y_test,
        (100, 24),
        "sigmoid",
        batch_size=10,
        epochs=20,
    )


def wide_large_batch():
    """16,384 synthetic rows x 784 features, labelled by a random linear teacher."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16384 + 2048, 784)).astype(np.float32)
    y = np.argmax(x @ rng.normal(size=(784, 10)), axis=1)
    return Workload(
        "wide_large_batch",
        x[:16384],
        y[:16384],
        x[16384:],
        y[16384:],
        (512, 512),
        "softmax",
        batch_size=512,
        epochs=3,
        report_accuracy=False,
    )


# ----------------------------------------------------------------- libraries
# Each trainer builds a fresh model, times only fit, and returns (seconds, test accuracy,
# CPU seconds of this process: unlike wall time, barely changed by other processes' load).


def train_dlcourse(w, threads=None):
    """threads: None keeps dlcourse's own BLAS-thread policy (dlcourse/models/threads.py);
    a number runs the whole fit on that many threads instead, as the peers are run."""
    from dlcourse.layers import Dense, Input
    from dlcourse.models import Sequential
    from dlcourse.models import threads as threads_module
    from dlcourse.utils import set_random_seed

    set_random_seed(0)
    layers = [Input(shape=(w.widths[0],))]
    layers += [Dense(units, activation="relu") for units in w.hidden]
    layers += [Dense(w.widths[-1], activation=w.output)]
    model = Sequential(layers)
    loss = "binary_crossentropy" if w.output == "sigmoid" else "sparse_categorical_crossentropy"
    model.compile(optimizer="adam", loss=loss)
    policy = threads_module.blas_threads
    if threads is not None:  # the outer limit below decides, not dlcourse's policy
        threads_module.blas_threads = lambda *args, **kwargs: contextlib.nullcontext()
    try:
        with threadpool_limits(limits=threads) if threads else contextlib.nullcontext():
            start, cpu_start = time.perf_counter(), time.process_time()
            model.fit(w.x_train, w.y_train, batch_size=w.batch_size, epochs=w.epochs, verbose=0)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    finally:
        threads_module.blas_threads = policy
    p = model.predict(w.x_test, batch_size=1024, verbose=0)
    predicted = (p[:, 0] > 0.5) if w.output == "sigmoid" else p.argmax(axis=1)
    return seconds, float(np.mean(predicted == w.y_test)), cpu


def train_hand_loop(w, threads):
    """The practical limit of any NumPy engine: the same network trained by a tight loop written
    for this one network, with every trick (not learner code): relu in place and its derivative
    from the output, the fused softmax (sigmoid) + cross-entropy gradient p - y written into p,
    gradients written straight into one flat array, and Adam in place over one flat array that
    holds every weight. Like dlcourse it computes each batch's loss (for the epoch's log)."""
    rng = np.random.default_rng(0)
    shapes = [
        s for n_in, n_out in zip(w.widths[:-1], w.widths[1:]) for s in ((n_in, n_out), (n_out,))
    ]
    sizes = [int(np.prod(s)) for s in shapes]
    ends = np.cumsum(sizes)

    def views(flat):
        return [flat[end - size : end].reshape(s) for s, size, end in zip(shapes, sizes, ends)]

    weights, grads = np.zeros(ends[-1], np.float32), np.zeros(ends[-1], np.float32)
    m, v, scratch = (np.zeros(ends[-1], np.float32) for _ in range(3))
    w_views, g_views = views(weights), views(grads)
    for kernel in w_views[0::2]:  # glorot_uniform, biases zero: dlcourse's defaults
        limit = np.sqrt(6 / sum(kernel.shape))
        kernel[...] = rng.uniform(-limit, limit, kernel.shape)
    kernels, biases = w_views[0::2], w_views[1::2]
    grad_kernels, grad_biases = g_views[0::2], g_views[1::2]
    lr, beta_1, beta_2, eps = 1e-3, 0.9, 0.999, 1e-7
    x, labels, sigmoid = w.x_train, w.y_train, w.output == "sigmoid"
    n, steps, loss_sum = len(x), 0, 0.0
    every_row = np.arange(w.batch_size)
    with threadpool_limits(limits=threads, user_api="blas"):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(w.epochs):
            order = rng.permutation(n)
            for begin in range(0, n, w.batch_size):
                index = order[begin : begin + w.batch_size]
                batch, y = x.take(index, axis=0), labels.take(index)
                rows = len(index)
                row_index = every_row[:rows]
                activations = [batch]
                for i, (kernel, bias) in enumerate(zip(kernels, biases)):
                    z = activations[-1] @ kernel
                    z += bias
                    if i < len(kernels) - 1:
                        np.maximum(z, 0, out=z)
                    activations.append(z)
                out = activations[-1]
                if sigmoid:
                    np.negative(out, out=out)
                    with np.errstate(over="ignore"):  # exp(large) = inf gives p = 0: right
                        np.exp(out, out=out)
                    out += 1
                    np.reciprocal(out, out=out)
                    p = np.minimum(np.maximum(out[:, 0], eps), 1 - eps)
                    loss_sum -= float((y * np.log(p) + (1 - y) * np.log(1 - p)).sum())
                    out[:, 0] -= y
                else:
                    out -= out.max(axis=1, keepdims=True)
                    np.exp(out, out=out)
                    out /= out.sum(axis=1, keepdims=True)
                    picked = out[row_index, y]
                    loss_sum -= float(np.log(np.maximum(picked, eps)).sum())  # p <= 1 already
                    out[row_index, y] -= 1
                out /= rows
                grad = out
                for i in range(len(kernels) - 1, -1, -1):
                    np.matmul(activations[i].T, grad, out=grad_kernels[i])
                    grad.sum(axis=0, out=grad_biases[i])
                    if i > 0:
                        grad_hidden = grad @ kernels[i].T
                        grad_hidden *= activations[i] > 0
                        grad = grad_hidden
                steps += 1
                alpha = lr * math.sqrt(1 - beta_2**steps) / (1 - beta_1**steps)
                m *= beta_1
                m += np.multiply(grads, 1 - beta_1, out=scratch)
                v *= beta_2
                np.multiply(grads, grads, out=scratch)
                scratch *= 1 - beta_2
                v += scratch
                np.sqrt(v, out=scratch)
                scratch += eps
                np.divide(m, scratch, out=scratch)
                scratch *= alpha
                weights -= scratch
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    assert steps == w.steps and np.isfinite(loss_sum)
    h = w.x_test
    for i, (kernel, bias) in enumerate(zip(kernels, biases)):
        h = h @ kernel + bias
        if i < len(kernels) - 1:
            h = np.maximum(h, 0)
    predicted = (h[:, 0] > 0) if sigmoid else h.argmax(axis=1)
    return seconds, float(np.mean(predicted == w.y_test)), cpu


def train_sklearn(w, threads):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    # alpha=0: no L2 penalty (dlcourse's model has none); tol=0 and n_iter_no_change above the
    # epoch count: it runs every epoch. epsilon=1e-7 as in Keras's Adam.
    model = MLPClassifier(
        w.hidden,
        solver="adam",
        batch_size=w.batch_size,
        learning_rate_init=1e-3,
        alpha=0.0,
        epsilon=1e-7,
        max_iter=w.epochs,
        tol=0.0,
        n_iter_no_change=w.epochs + 1,
        shuffle=True,
        random_state=0,
    )
    with threadpool_limits(limits=threads), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start, cpu_start = time.perf_counter(), time.process_time()
        model.fit(w.x_train, w.y_train)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    assert model.n_iter_ == w.epochs and model.t_ == w.epochs * len(w.x_train)
    return seconds, float(model.score(w.x_test, w.y_test)), cpu


def train_torch(w, threads):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    modules = []
    for n_in, n_out in zip(w.widths[:-2], w.widths[1:-1]):
        modules += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    modules.append(torch.nn.Linear(w.widths[-2], w.widths[-1]))  # logits: the loss fuses
    model = torch.nn.Sequential(*modules)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    if w.output == "sigmoid":
        loss_fn = torch.nn.BCEWithLogitsLoss()
        y = torch.tensor(w.y_train, dtype=torch.float32)[:, None]
    else:
        loss_fn = torch.nn.CrossEntropyLoss()
        y = torch.tensor(w.y_train, dtype=torch.long)
    x = torch.from_numpy(w.x_train)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(w.epochs):
        order = torch.randperm(len(x))
        for begin in range(0, len(x), w.batch_size):
            index = order[begin : begin + w.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    with torch.no_grad():
        logits = model(torch.from_numpy(w.x_test)).numpy()
    predicted = (logits[:, 0] > 0) if w.output == "sigmoid" else logits.argmax(axis=1)
    return seconds, float(np.mean(predicted == w.y_test)), cpu


def train_keras(w, threads):
    import keras

    keras.utils.set_random_seed(0)
    layers = [keras.Input(shape=(w.widths[0],))]
    layers += [keras.layers.Dense(units, activation="relu") for units in w.hidden]
    layers += [keras.layers.Dense(w.widths[-1], activation=w.output)]
    model = keras.Sequential(layers)
    loss = "binary_crossentropy" if w.output == "sigmoid" else "sparse_categorical_crossentropy"
    model.compile(optimizer="adam", loss=loss)
    with threadpool_limits(limits=threads):
        start, cpu_start = time.perf_counter(), time.process_time()
        model.fit(w.x_train, w.y_train, batch_size=w.batch_size, epochs=w.epochs, verbose=0)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    p = model.predict(w.x_test, verbose=0)
    predicted = (p[:, 0] > 0.5) if w.output == "sigmoid" else p.argmax(axis=1)
    return seconds, float(np.mean(predicted == w.y_test)), cpu


def available_peers():
    peers, notes = {"hand loop": train_hand_loop, "scikit-learn": train_sklearn}, []
    for name, module, trainer in (
        ("PyTorch", "torch", train_torch),
        ("Keras", "keras", train_keras),
    ):
        try:
            __import__(module)
            peers[name] = trainer
        except ImportError:
            notes.append(f"{name} skipped: `import {module}` failed (not installed).")
    return peers, notes


# ----------------------------------------------------------------- measuring


def best_threads(trainer, w, repeats=2):
    """The faster of 1 thread and all cores, from short trial runs taking turns: the fastest of
    `repeats` runs for each (a burst of load from another process slows one run, not both)."""
    if ALL_CORES == 1:
        return 1, {}
    trial = w.shortened(max(1, w.epochs // 6))
    trainer(trial, 1)  # warm-up: first-call imports and allocations
    runs = {threads: [] for threads in (1, ALL_CORES)}
    for _ in range(repeats):
        for threads, times in runs.items():
            times.append(trainer(trial, threads)[0] / trial.steps)
    timings = {threads: min(times) for threads, times in runs.items()}
    # All cores only when clearly faster: in a near tie, one thread varies less under load.
    return (ALL_CORES if timings[ALL_CORES] < 0.9 * timings[1] else 1), timings


def product_shapes(w):
    """The (m, k) @ (k, n) products of one training step of the workload's network."""
    b, shapes = w.batch_size, []
    for i, (n_in, n_out) in enumerate(zip(w.widths[:-1], w.widths[1:])):
        shapes.append(((b, n_in), (n_in, n_out)))  # forward: x @ kernel
        shapes.append(((n_in, b), (b, n_out)))  # kernel gradient: x.T @ grad
        if i > 0:  # input gradient (none for the data)
            shapes.append(((b, n_out), (n_out, n_in)))  # grad @ kernel.T
    return shapes


def step_flops(w):
    return sum(2 * a[0] * a[1] * b[1] for a, b in product_shapes(w))


def matmul_limit(w, repeats=20):
    """Seconds for one step's products as plain float32 NumPy matmuls, at the faster thread
    setting: the practical limit for any NumPy-and-BLAS library on this machine."""
    rng = np.random.default_rng(0)
    pairs = [
        (rng.random(a, dtype=np.float32), rng.random(b, dtype=np.float32))
        for a, b in product_shapes(w)
    ]
    best = {}
    for threads in sorted({1, ALL_CORES}):
        with threadpool_limits(limits=threads, user_api="blas"):
            for a, b in pairs:
                a @ b  # warm-up
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                for a, b in pairs:
                    a @ b
                times.append(time.perf_counter() - start)
        best[threads] = statistics.median(times)
    threads = min(best, key=best.get)
    return best[threads], threads


def machine_description():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    blas = [
        f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads, "
        f"{p.get('threading_layer', '?')})"
        for p in threadpool_info()
        if p["user_api"] == "blas"
    ]
    lines = [
        f"CPU: {cpu}, {ALL_CORES} logical cores; {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, NumPy {np.__version__}, BLAS: "
        f"{'; '.join(blas) or 'unknown'}",
    ]
    import sklearn

    versions = [f"scikit-learn {sklearn.__version__}"]
    for module in ("torch", "keras"):
        try:
            versions.append(f"{module} {__import__(module).__version__}")
        except ImportError:
            pass
    lines.append(", ".join(versions))
    if hasattr(os, "getloadavg"):
        lines.append("Load average at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    return lines


def import_time():
    """Seconds for `import dlcourse` in a fresh interpreter (median of 5)."""
    import subprocess

    code = (
        "import time; t = time.perf_counter(); import dlcourse, dlcourse.layers, "
        "dlcourse.models; print(time.perf_counter() - t)"
    )
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
            ).stdout
        )
        for _ in range(5)
    ]
    return statistics.median(times)


# ----------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per library (median)")
    parser.add_argument("--only", nargs="*", help="workload names to run (default: all)")
    parser.add_argument(
        "--dlcourse-policy",
        action="store_true",
        help="let dlcourse choose its BLAS threads itself (dlcourse/models/threads.py) instead "
        "of running it, like the others, at the faster of 1 thread and all cores",
    )
    args = parser.parse_args()

    print("## Machine\n")
    for line in machine_description():
        print(f"- {line}")
    peers, notes = available_peers()
    for note in notes:
        print(f"- {note}")

    workloads = [digits_small_batch(), cancer_seed(), wide_large_batch()]
    if args.only:
        workloads = [w for w in workloads if w.name in args.only]
    rows, extras = [], []
    for w in workloads:
        print(
            f"\n### {w.name}: {' -> '.join(map(str, w.widths))}, batch {w.batch_size}, "
            f"{w.epochs} epochs, {w.steps} steps",
            flush=True,
        )
        train_dlcourse(w.shortened(1))  # warm-up
        if args.dlcourse_policy:
            settings = {"dlcourse": (train_dlcourse, None, {})}
        else:
            threads, trials = best_threads(train_dlcourse, w)
            settings = {"dlcourse": (train_dlcourse, threads, trials)}
        for name, trainer in peers.items():
            threads, trials = best_threads(trainer, w)
            settings[name] = (trainer, threads, trials)
        # Round robin (dlcourse, peer, peer, dlcourse, ...): a burst of load from another
        # process slows every library's run, not one library's five.
        results = {name: [] for name in settings}
        for _ in range(args.runs):
            for name, (trainer, threads, _) in settings.items():
                results[name].append(trainer(w, threads))
        row = {"workload": w.name, "peers": {}}
        for name, (_, threads, trials) in settings.items():
            runs = sorted(results[name])
            times = [seconds / w.steps for seconds, _, _ in runs]
            per_step, acc = statistics.median(times), runs[len(runs) // 2][1]
            cpu = statistics.median(c / w.steps for _, _, c in runs)
            tried = (
                "; trials, us/step: "
                + ", ".join(f"{n} thread(s): {t * 1e6:.0f}" for n, t in trials.items())
                if trials
                else ""
            )
            print(
                f"  {name}: {per_step * 1e6:.0f} us/step"
                f"{f' at {threads} thread(s)' if threads else ' (own thread policy)'} "
                f"(runs: {', '.join(f'{t * 1e6:.0f}' for t in times)}{tried}), "
                f"CPU {cpu * 1e6:.0f} us/step, accuracy {acc:.4f}",
                flush=True,
            )
            if name == "dlcourse":
                row["dlcourse"], row["dlcourse_acc"] = per_step, acc
                row["dlcourse_threads"] = threads or "own policy"
            else:
                row["peers"][name] = (per_step, acc, threads)
        ours = row["dlcourse"]
        rows.append(row)
        if w.name == "wide_large_batch":
            flops = step_flops(w)
            limit, limit_threads = matmul_limit(w)
            achieved = flops / ours / 1e9
            hand = flops / row["peers"]["hand loop"][0] / 1e9
            extras.append(
                f"wide_large_batch: {flops / 1e9:.2f} GFLOP per step (forward + "
                f"backward products); dlcourse {achieved:.1f} GFLOP/s; hand loop {hand:.1f} "
                f"GFLOP/s (dlcourse / hand loop {achieved / hand:.2f}); plain float32 NumPy "
                f"matmuls of the same shapes {flops / limit / 1e9:.1f} GFLOP/s at "
                f"{limit_threads} thread(s) (dlcourse / matmuls "
                f"{achieved / (flops / limit / 1e9):.2f})"
            )

    print(f"\n## Seconds per training step (median of {args.runs} runs; ratio = dlcourse / peer)\n")
    names = list(peers)
    header = (
        ["workload", "dlcourse (threads)"]
        + [f"{n} (threads)" for n in names]
        + [f"ratio vs {n}" for n in names]
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        cells = [row["workload"], f"{row['dlcourse'] * 1e6:.0f} us ({row['dlcourse_threads']})"]
        for n in names:
            per_step, _, threads = row["peers"][n]
            cells.append(f"{per_step * 1e6:.0f} us ({threads})")
        cells += [f"{row['dlcourse'] / row['peers'][n][0]:.2f}" for n in names]
        print("| " + " | ".join(cells) + " |")
    print("\nTest accuracy (the median run's):")
    for row in rows:
        accs = [f"dlcourse {row['dlcourse_acc']:.4f}"] + [
            f"{n} {row['peers'][n][1]:.4f}" for n in names
        ]
        print(f"- {row['workload']}: " + ", ".join(accs))
    for line in extras:
        print(f"- {line}")
    print(f"- import dlcourse: {import_time():.3f} s (fresh interpreter, median of 5)")
    if hasattr(os, "getloadavg"):
        print("- Load average at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
