"""Time ``standardize`` and ``prepare`` on canonical and on text data.

Run: ``python benchmarks/bench_clean.py [--n 1000000] [--repeat 5]``. Prints the median and
minimum wall time of each. ``prepare`` on a canonical frame is the entrance of every KPI
call, so it should stay a small fraction of a KPI's own time.
"""

from __future__ import annotations

import argparse
import statistics
import time

import hospitalytics as hp
from hospitalytics.clean import prepare


def timeit(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    n = int(args.n)
    df = hp.datasets.make_stays(n, seed=0)
    text = df.astype({"admission_date": str, "discharge_date": str, "cost": str})
    rows = [
        ("prepare, canonical", lambda: prepare(df, needs=("ward", "cost"))),
        ("standardize, canonical", lambda: hp.standardize(df)),
        ("standardize, text dates and costs", lambda: hp.standardize(text)),
    ]
    print(f"{n:,} stays, {args.repeat} repeats")
    for name, func in rows:
        med, best = timeit(func, args.repeat)
        print(f"{name:<36} median {med * 1000:9.1f} ms   min {best * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
