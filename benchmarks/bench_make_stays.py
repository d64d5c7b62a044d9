"""Time hospitalytics.datasets.make_stays at 10**6 and 10**7 rows.

Run: ``python benchmarks/bench_make_stays.py [--repeat 5] [--sizes 1000000 10000000]``.
Prints the median wall time of a few runs per size and the frame's memory.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

import numpy as np
import pandas as pd

from hospitalytics.datasets import make_beds, make_stays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**6, 10**7])
    args = parser.parse_args()
    print(f"pandas {pd.__version__}, numpy {np.__version__}")
    make_stays(1_000)  # warm-up: imports and lookup tables
    for n in args.sizes:
        times = []
        for i in range(args.repeat):
            gc.collect()
            t0 = time.perf_counter()
            stays = make_stays(n, seed=i)
            times.append(time.perf_counter() - t0)
            if i < args.repeat - 1:
                del stays
        mem = stays.memory_usage(deep=True).sum() / 2**20
        t0 = time.perf_counter()
        make_beds(stays)
        beds_time = time.perf_counter() - t0
        print(
            f"make_stays({n:>11,}): median {statistics.median(times):6.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, {args.repeat} runs), "
            f"{mem:,.0f} MiB; make_beds {beds_time:.2f} s"
        )
        del stays


if __name__ == "__main__":
    main()
