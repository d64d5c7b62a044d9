"""Benchmark the census by the clock on a million stays.

Builds ``n`` synthetic stays over three years (2023-2025) with
:func:`hospitalytics.datasets.make_stays` and ward capacities with ``make_beds``, then
times, on the in-memory frame (``--repeat`` runs each, a fresh call every time):

* ``census_at(df, "2024-01-01", "2024-12-31", freq="h", by=None)``: the hourly census over
  a year (8,784 instants), the headline figure;
* the same by ward (15 wards x 8,784 instants);
* ``census_at(..., at="08:00", by="ward")``: the 08:00 census each day of the year;
* ``occupancy_profile(df, beds, start, end)``: the hour x weekday occupancy table;
* ``daily_presence(df, start, end, by="ward")`` and with ``count="patients"``;
* for scale, the midnight census ``census(df, start, end, by="ward")``.

Before timing, the hourly census is checked at 200 random instants against a direct
count of the definition (``admission <= t < discharge``, open stays present) over the
raw arrays; a difference exits with status 1. Per call it prints the median and min wall
time and the peak of the allocations ``tracemalloc`` sees during one extra run (numpy and
pandas report to it), next to the frame's own memory.

The kernels are event sweeps (``+1`` at the first instant a stay is present, ``-1`` after
the last, a cumulative sum): the cost grows with stays + instants, not stays x instants.
A per-hour expansion of a million stays over a year would build ~10^8 rows.

Run::

    python benchmarks/bench_clock.py                  # 10^6 stays, 5 repeats
    python benchmarks/bench_clock.py --size 1e5 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

import hospitalytics as hp
from hospitalytics.datasets import make_beds, make_stays
from hospitalytics.errors import DataQualityWarning

YEAR = ("2024-01-01", "2024-12-31")


def timed(fn, repeat: int) -> tuple[float, float, float]:
    """Median and min seconds of ``repeat`` calls, and the tracemalloc peak (MiB)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), min(times), peak / 2**20


def check_hourly(df: pd.DataFrame, rng: np.random.Generator) -> bool:
    """The hourly census against a direct count at 200 random instants."""
    c = hp.census_at(df, *YEAR, freq="h", by=None)["total"]
    adm = df["admission_date"].to_numpy()
    dis = df["discharge_date"].to_numpy()
    ok = True
    for t in rng.choice(c.index.to_numpy(), size=200, replace=False):
        direct = int(((adm <= t) & (np.isnat(dis) | (t < dis))).sum())
        if direct != int(c.loc[t]):
            print(f"MISMATCH at {pd.Timestamp(t)}: census_at {int(c.loc[t])}, direct {direct}")
            ok = False
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=float, default=1e6, help="stays (default 1e6)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per call (default 5)")
    args = parser.parse_args(argv)
    n = int(args.size)
    print(f"hospitalytics {hp.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"Python {platform.python_version()}, {platform.machine()}")
    t = time.perf_counter()
    df = make_stays(n, seed=0)
    beds = make_beds(df)
    print(f"{n:,} stays built in {time.perf_counter() - t:.1f} s; frame "
          f"{df.memory_usage(deep=True).sum() / 2**20:,.0f} MiB; period {YEAR[0]} to "
          f"{YEAR[1]}")
    if not check_hourly(df, np.random.default_rng(0)):
        return 1
    print("hourly census checked at 200 random instants against a direct count: equal\n")
    calls = {
        "census_at freq='h' (total)": lambda: hp.census_at(df, *YEAR, freq="h", by=None),
        "census_at freq='h' by ward": lambda: hp.census_at(df, *YEAR, freq="h"),
        "census_at at='08:00' by ward": lambda: hp.census_at(df, *YEAR, at="08:00"),
        "occupancy_profile(beds)": lambda: hp.occupancy_profile(df, beds, start=YEAR[0],
                                                                end=YEAR[1]),
        "daily_presence by ward": lambda: hp.daily_presence(df, *YEAR, by="ward"),
        "daily_presence patients": lambda: hp.daily_presence(df, *YEAR, count="patients"),
        "census (midnight) by ward": lambda: hp.census(df, *YEAR),
    }
    print(f"{'call':32s} {'median':>9s} {'min':>9s} {'peak alloc':>11s}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        for name, fn in calls.items():
            med, best, peak = timed(fn, args.repeat)
            print(f"{name:32s} {med * 1e3:7.0f}ms {best * 1e3:7.0f}ms {peak:8.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
