"""How immediate does the optimizer explorer feel? Two figures, medians of repeated runs.

1. recompute: six optimizers x 200 steps on a landscape through `apply_gradients`
   (`OptimizerExplorer.compute()`), target < 20 ms;
2. whole redraw: what one slider move costs, from the value change to a new PNG in the image
   widget (recompute + set_data on the existing lines + Agg render + PNG), target < 150 ms.

    .venv/bin/python benchmarks/explorer_speed.py [--repeats 31]

The machine is printed with the numbers, including the load average: other processes on a
2-core machine slow both figures down.
"""

import argparse
import os
import platform
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from dlcourse.explorer import OptimizerExplorer  # noqa: E402

RECOMPUTE_TARGET_MS = 20.0
REDRAW_TARGET_MS = 150.0


def describe_machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            names = [
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} logical cores, load average {load:.2f} (1 min); "
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"matplotlib {matplotlib.__version__}, {platform.system()} {platform.release()}"
    )


def median_ms(action, repeats):
    """(median wall ms, min wall ms, median CPU ms of this process).

    CPU time leaves out the time other processes take from us: on a busy machine it shows
    the work itself, while wall time shows what the learner waits.
    """
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--landscape", default="rosenbrock")
    args = parser.parse_args()

    explorer = OptimizerExplorer(args.landscape, learning_rate=0.001, steps=200)
    assert len(explorer.result.trajectories) == 6
    assert all(walk.steps == 200 for walk in explorer.result.trajectories.values())

    recompute, recompute_min, recompute_cpu = median_ms(explorer.compute, args.repeats)

    # A slider moving back and forth: each value change runs the full update.
    values = iter(np.tile(np.geomspace(0.0005, 0.002, 8), args.repeats))
    slider = explorer.lr_sliders["Adam"]

    def move_slider():
        slider.value = float(next(values))

    redraw, redraw_min, redraw_cpu = median_ms(move_slider, args.repeats)

    print(f"machine: {describe_machine()}")
    print(f"landscape {args.landscape}, 6 optimizers x 200 steps, {args.repeats} repeats")
    print(
        f"recompute (6 x 200 steps):      median {recompute:6.1f} ms  (min {recompute_min:.1f}, "
        f"CPU {recompute_cpu:.1f})"
        f"  target < {RECOMPUTE_TARGET_MS:.0f} ms: "
        f"{'met' if recompute < RECOMPUTE_TARGET_MS else 'MISSED'}"
    )
    print(
        f"whole redraw (slider -> PNG):   median {redraw:6.1f} ms  (min {redraw_min:.1f}, "
        f"CPU {redraw_cpu:.1f})"
        f"  target < {REDRAW_TARGET_MS:.0f} ms: "
        f"{'met' if redraw < REDRAW_TARGET_MS else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
