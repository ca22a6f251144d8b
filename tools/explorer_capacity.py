"""How many people can drag the explorer's sliders at once and still see a redraw within 1 s?

Voilà (`make explorer`) gives every visitor a kernel of their own, and a kernel redraws on one
core at a time, so on a small server the question is how many kernels redraw at the same time.
This starts N kernels, each with the app's explorer (`OptimizerExplorer("bowl")`), and has all
of them "drag" at once: the slider moves every 150 ms, 20 times (the explorer redraws at most
every 0.1 s during a drag, so that is what a dragging person asks of it). Like the explorer in
the browser, a kernel that falls behind draws the newest position, skipping the ones it missed.
Each picture's age is recorded: the time from the slider move it shows to the moment it is
drawn, which is what the person waits. The table gives, per N, the median, 90th percentile and
worst age, the age of the final picture, and the machine's load average before the run (other
programs on the machine slow every figure down: say under what load you measured).

    .venv/bin/python tools/explorer_capacity.py [--users 1 2 4 6 8] [--moves 20]

The kernels are the same as Voilà's, without the browser and the websocket (a 300 KB picture
per redraw, on the local network): the figures are a lower bound on what a visitor waits.
"""

import argparse
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from jupyter_client.manager import start_new_kernel

SET_UP = """
import matplotlib
matplotlib.use("Agg")
import json, time
import numpy as np
from dlcourse.explorer import OptimizerExplorer
explorer = OptimizerExplorer("bowl")
"""
DRAG = """
rates = np.geomspace(0.2, 0.005, {moves})
moved = time.perf_counter() + np.arange({moves}) * {interval}  # when the slider reaches each
ages, done = [], 0
while done < {moves}:
    time.sleep(max(0.0, moved[done] - time.perf_counter()))
    newest = int(np.searchsorted(moved, time.perf_counter(), side="right")) - 1
    explorer.common_lr_slider.value = float(rates[newest])  # the same update as a slider move
    ages.append(1000 * (time.perf_counter() - moved[newest]))
    done = newest + 1
print(json.dumps([float(age) for age in ages]))
"""


def run(client, code, timeout=300):
    """Execute `code` in a kernel; return what it printed."""
    message = client.execute(code)
    printed = []
    while True:
        reply = client.get_iopub_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") != message:
            continue
        kind, content = reply["msg_type"], reply["content"]
        if kind == "stream":
            printed.append(content["text"])
        elif kind == "error":
            raise RuntimeError("\n".join(content["traceback"]))
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(printed)


def measure(users, moves, interval):
    kernels = [start_new_kernel(kernel_name="python3") for _ in range(users)]
    try:
        with ThreadPoolExecutor(users) as pool:
            list(pool.map(lambda kernel: run(kernel[1], SET_UP), kernels))
            load = os.getloadavg()[0]
            code = DRAG.format(moves=moves, interval=interval)
            outputs = list(pool.map(lambda kernel: run(kernel[1], code), kernels))
    finally:
        for manager, client in kernels:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    runs = [json.loads(output) for output in outputs]
    ages = sorted(age for run_ages in runs for age in run_ages)
    return {
        "users": users,
        "load before": round(load, 2),
        "pictures": len(ages),
        "median ms": round(statistics.median(ages)),
        "p90 ms": round(ages[int(0.9 * (len(ages) - 1))]),
        "worst ms": round(ages[-1]),
        "final ms (worst user)": round(max(run_ages[-1] for run_ages in runs)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 2, 4, 8, 12, 16])
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.15, help="seconds between moves")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; each user drags: {args.moves} moves, {args.interval} s apart")
    for users in args.users:
        row = measure(users, args.moves, args.interval)
        print("  ".join(f"{key} {value}" for key, value in row.items()), flush=True)
        time.sleep(2)


if __name__ == "__main__":
    main()
