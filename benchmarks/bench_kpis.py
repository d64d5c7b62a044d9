"""Benchmark the core KPI set: ``df.hospital`` accessor calls against one DuckDB query.

For each size, builds ``n`` synthetic stays over three years with
:func:`hospitalytics.datasets.make_stays` (and ward capacities with ``make_beds``), then
times on the in-memory frame, **interleaved** in the same run (pandas, DuckDB, pandas,
DuckDB, ...):

* the core set as a user calls it, one accessor call each: period admissions, discharges,
  treatment cost and ALOS, the ward x day census over the whole span, and occupancy by
  ward for the period;
* the same set as ONE DuckDB SQL query over the same frame (DuckDB's replacement scan of
  the pandas frame; events +1 on the first occupied day and -1 after the last, and a
  running-sum window for the census).

Both sides must give the same numbers (exact for counts, the census matrix and bed-days;
a tight relative tolerance for the cost total, ALOS and occupancy) or the script exits
with status 1. It prints the median and min time of each side, the ratio, and the peak
extra memory of each (peak RSS over the baseline, read from the kernel's high-water mark
after resetting it, and numpy/pandas allocations seen by ``tracemalloc``), next to the
frame's own memory (``df.memory_usage(deep=True).sum()``). ``df.hospital.summary(beds)``
is timed on its own. Targets at 10^7 stays: the core set at least 2x faster than the
DuckDB query, and peak extra memory at most half the frame's own memory.

Fairness notes: DuckDB runs with the machine's threads (``SET threads``; the default is
the number of cores). The connection is opened once, outside the timing, as a user would;
the frame is not registered or copied: each query finds it by replacement scan, whose
(small) per-query cost is timed, as is fetching the result and pivoting the census to the
same days x wards matrix the accessor returns. The pandas side is timed from the accessor
call to its returned objects: every call re-reads the frame, as a user's call does.

Run::

    python benchmarks/bench_kpis.py                      # 1e5 1e6 1e7, 5 repeats
    python benchmarks/bench_kpis.py --sizes 1e5 1e6 --repeat 3
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import gc
import os
import platform
import statistics
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

import hospitalytics as hp
from hospitalytics.datasets import make_beds, make_stays

#: make_stays' default span: three years of admissions.
DATA_START, DATA_END = "2023-01-01", "2025-12-31"
#: The period of the period KPIs: a financial year (April to March), inclusive.
PERIOD = ("2024-04-01", "2025-03-31")

TARGET_SPEEDUP = 2.0  # pandas core set at least this many times faster than DuckDB
TARGET_MEMORY = 0.5  # peak extra memory at most this share of the frame's memory
TARGET_SIZE = 10**7

# --------------------------------------------------------------------------- DuckDB
# One query, one result set in long form: a "kpi" row, a "census" row per ward and day,
# an "occupancy" row per ward with capacity. The midnight census: a stay occupies day d
# when date(admission) <= d < date(discharge); open stays through the as-of date (the
# latest admission or discharge date); same-day stays add nothing (their events cancel).
SQL = """
WITH s AS (
    SELECT ward,
           CAST(admission_date AS DATE) AS a,
           CAST(discharge_date AS DATE) AS d,
           cost
    FROM stays
),
bounds AS (
    SELECT min(a) AS first_day, greatest(max(a), coalesce(max(d), max(a))) AS as_of FROM s
),
kpi AS (
    SELECT count(*) FILTER (WHERE a BETWEEN $lo AND $hi) AS admissions,
           count(*) FILTER (WHERE d BETWEEN $lo AND $hi) AS discharges,
           sum(cost) FILTER (WHERE a BETWEEN $lo AND $hi) AS treatment_cost,
           avg(CASE WHEN d = a THEN 1 ELSE d - a END)
               FILTER (WHERE d BETWEEN $lo AND $hi) AS alos
    FROM s
),
occ_range AS (
    SELECT s.ward, s.a AS start_day, coalesce(s.d, b.as_of + 1) AS stop_day
    FROM s, bounds b
    WHERE coalesce(s.d, b.as_of + 1) > s.a
),
events AS (
    SELECT ward, day, sum(delta) AS delta
    FROM (
        SELECT ward, start_day AS day, 1 AS delta FROM occ_range
        UNION ALL
        SELECT ward, stop_day AS day, -1 AS delta FROM occ_range
    )
    GROUP BY ward, day
),
grid AS (
    SELECT w.ward, CAST(g.day AS DATE) AS day
    FROM (SELECT DISTINCT ward FROM events) w,
         (SELECT unnest(generate_series(first_day, as_of, INTERVAL 1 DAY)) AS day
          FROM bounds) g
),
census AS (
    SELECT CAST(grid.ward AS VARCHAR) AS ward, grid.day,
           sum(coalesce(e.delta, 0)) OVER (
               PARTITION BY grid.ward ORDER BY grid.day ROWS UNBOUNDED PRECEDING
           ) AS n
    FROM grid LEFT JOIN events e ON e.ward = grid.ward AND e.day = grid.day
),
occupancy AS (
    SELECT CAST(bd.ward AS VARCHAR) AS ward,
           coalesce(sum(c.n) FILTER (WHERE c.day BETWEEN $lo AND $hi), 0) AS occupied,
           bd.beds * (CAST($hi AS DATE) - CAST($lo AS DATE) + 1) AS available
    FROM beds bd LEFT JOIN census c ON c.ward = CAST(bd.ward AS VARCHAR)
    GROUP BY bd.ward, bd.beds
)
SELECT 'kpi' AS part, NULL::VARCHAR AS ward, NULL::DATE AS day,
       admissions::DOUBLE AS x, discharges::DOUBLE AS y, treatment_cost AS z, alos AS w
FROM kpi
UNION ALL
SELECT 'census', ward, day, n::DOUBLE, NULL, NULL, NULL FROM census
UNION ALL
SELECT 'occupancy', ward, NULL, occupied::DOUBLE, available::DOUBLE,
       occupied::DOUBLE / nullif(available, 0), NULL
FROM occupancy
"""


def duckdb_core(con: duckdb.DuckDBPyConnection, stays: pd.DataFrame, beds: pd.DataFrame,
                start: str, end: str) -> dict:
    """The core set as one DuckDB query over the in-memory frames ``stays`` and ``beds``.

    DuckDB finds ``stays`` and ``beds`` (locals here) by replacement scan: nothing is
    registered or copied. The long result is reshaped to the accessor's shapes.
    """
    params = {"lo": dt.date.fromisoformat(start), "hi": dt.date.fromisoformat(end)}
    res = con.execute(SQL, params).df()
    kpi = res[res["part"] == "kpi"].iloc[0]
    cen = res[res["part"] == "census"]
    census = cen.pivot(index="day", columns="ward", values="x").fillna(0).astype("int64")
    census.index = pd.DatetimeIndex(census.index, name="date").astype("datetime64[ns]")
    occ = res[res["part"] == "occupancy"].set_index("ward")
    occupancy = pd.DataFrame(
        {"occupied_bed_days": occ["x"], "available_bed_days": occ["y"], "occupancy": occ["z"]}
    )
    return {
        "admissions": int(kpi["x"]),
        "discharges": int(kpi["y"]),
        "treatment_cost": float(kpi["z"]),
        "alos": float(kpi["w"]),
        "census": census,
        "occupancy_by_ward": occupancy,
    }


# --------------------------------------------------------------------------- pandas
#: The core set, one accessor call each, as a user writes them.
CORE_CALLS: dict[str, Callable] = {
    "admissions": lambda df, beds, s, e: df.hospital.admissions(s, e),
    "discharges": lambda df, beds, s, e: df.hospital.discharges(s, e),
    "treatment_cost": lambda df, beds, s, e: df.hospital.treatment_cost(s, e),
    "alos": lambda df, beds, s, e: df.hospital.alos(s, e),
    "census": lambda df, beds, s, e: df.hospital.census(by="ward"),
    "occupancy_by_ward": lambda df, beds, s, e: df.hospital.occupancy_by_ward(beds, s, e),
}


def pandas_core(df: pd.DataFrame, beds: pd.DataFrame, start: str, end: str,
                per_call: dict[str, list[float]] | None = None) -> dict:
    """The core set through the accessor; appends each call's seconds to ``per_call``."""
    out = {}
    for name, call in CORE_CALLS.items():
        t0 = time.perf_counter()
        out[name] = call(df, beds, start, end)
        if per_call is not None:
            per_call.setdefault(name, []).append(time.perf_counter() - t0)
    return out


# --------------------------------------------------------------------------- checks
def compare(pd_res: dict, db_res: dict) -> list[str]:
    """Differences between the two sides (empty when they agree)."""
    bad = []
    for key in ("admissions", "discharges"):
        if int(pd_res[key]) != db_res[key]:
            bad.append(f"{key}: pandas {pd_res[key]} != duckdb {db_res[key]}")
    for key in ("treatment_cost", "alos"):
        if not np.isclose(pd_res[key], db_res[key], rtol=1e-10, atol=0):
            bad.append(f"{key}: pandas {pd_res[key]!r} != duckdb {db_res[key]!r}")
    pc = pd_res["census"]
    wards = [c for c in pc.columns if c != "total"]
    dc = db_res["census"].reindex(index=pc.index, columns=wards, fill_value=0)
    if set(db_res["census"].columns) - set(wards):
        bad.append(f"census: duckdb has extra wards {set(db_res['census'].columns) - set(wards)}")
    if len(db_res["census"]) != len(pc):
        bad.append(f"census: {len(pc)} days (pandas) != {len(db_res['census'])} (duckdb)")
    if not np.array_equal(pc[wards].to_numpy(), dc.to_numpy()):
        diff = int((pc[wards].to_numpy() != dc.to_numpy()).sum())
        bad.append(f"census: {diff} ward-day cells differ")
    if not np.array_equal(pc["total"].to_numpy(), dc.to_numpy().sum(axis=1)):
        bad.append("census: the total column differs from the sum of the wards")
    po = pd_res["occupancy_by_ward"]
    do = db_res["occupancy_by_ward"].reindex(po.index.astype(str))
    for col in ("occupied_bed_days", "available_bed_days"):
        if not np.array_equal(po[col].to_numpy(dtype="float64"), do[col].to_numpy("float64")):
            bad.append(f"occupancy_by_ward.{col} differs")
    if not np.allclose(po["occupancy"].to_numpy("float64"), do["occupancy"].to_numpy("float64"),
                       rtol=1e-12, atol=0, equal_nan=True):
        bad.append("occupancy_by_ward.occupancy differs")
    return bad


# --------------------------------------------------------------------------- memory
_LIBC = None


def _trim() -> None:
    """Return freed heap to the OS (glibc), so RSS baselines are honest."""
    global _LIBC
    gc.collect()
    try:
        if _LIBC is None:
            _LIBC = ctypes.CDLL("libc.so.6")
        _LIBC.malloc_trim(0)
    except OSError:  # pragma: no cover - not glibc
        pass


def _status_kib(field_name: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise RuntimeError(field_name)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """Peak RSS over the baseline during a block.

    Resets the kernel's high-water mark (``/proc/self/clear_refs``, then ``VmHWM``) when
    allowed, which sees every allocation (numpy, pandas, DuckDB's own allocator); else
    samples ``/proc/self/statm`` from a background thread every millisecond.
    """

    def __enter__(self):
        _trim()
        self.base = _rss_bytes()
        self.hwm = True
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            self.hwm = False
            self._stop = threading.Event()
            self._peak = self.base
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, _rss_bytes())
            time.sleep(0.001)

    def __exit__(self, *exc):
        if self.hwm:
            self.peak = _status_kib("VmHWM") * 1024
        else:
            self._stop.set()
            self._thread.join()
            self.peak = max(self._peak, _rss_bytes())
        self.extra = max(self.peak - self.base, 0)
        return False


def traced_peak(fn: Callable[[], object]) -> int:
    """Peak bytes allocated through tracemalloc-aware allocators (numpy, Python) by ``fn``."""
    _trim()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = fn()
        peak = tracemalloc.get_traced_memory()[1] - base
        del result
    finally:
        tracemalloc.stop()
    return max(peak, 0)


# --------------------------------------------------------------------------- runner
@dataclass
class SizeResult:
    """Everything measured at one size."""

    n: int
    frame_bytes: int
    pandas_times: list[float] = field(default_factory=list)
    duckdb_times: list[float] = field(default_factory=list)
    per_call: dict[str, list[float]] = field(default_factory=dict)
    summary_times: list[float] = field(default_factory=list)
    pandas_rss: int = 0
    duckdb_rss: int = 0
    pandas_traced: int = 0
    duckdb_traced: int = 0
    per_call_traced: dict[str, int] = field(default_factory=dict)
    summary_rss: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """DuckDB median / pandas median (above 1: pandas is faster)."""
        return statistics.median(self.duckdb_times) / statistics.median(self.pandas_times)


def mib(nbytes: float) -> str:
    return f"{nbytes / 2**20:,.0f} MiB"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms" if seconds < 10 else f"{seconds:,.2f} s"


def fresh(df: pd.DataFrame) -> pd.DataFrame:
    """A deep copy of ``df`` (new arrays), with garbage collected: a cold start."""
    gc.collect()
    out = df.copy(deep=True)
    gc.collect()
    return out


def run_size(n: int, repeat: int, summary_repeat: int, con, seed: int) -> SizeResult:
    start, end = PERIOD
    t0 = time.perf_counter()
    df = make_stays(n, seed=seed, start=DATA_START, end=DATA_END)
    beds = make_beds(df)
    print(f"\n== {n:,} stays ({DATA_START} to {DATA_END}), {len(beds)} wards; "
          f"built in {time.perf_counter() - t0:.1f} s")
    res = SizeResult(n=n, frame_bytes=int(df.memory_usage(deep=True).sum()))
    print(f"   frame memory (deep): {mib(res.frame_bytes)}")

    # warm-up (untimed) and the correctness check
    pd_res = pandas_core(df, beds, start, end)
    db_res = duckdb_core(con, df, beds, start, end)
    res.mismatches = compare(pd_res, db_res)
    print(f"   admissions {pd_res['admissions']:,}, discharges {pd_res['discharges']:,}, "
          f"cost {pd_res['treatment_cost']:,.2f}, ALOS {pd_res['alos']:.4f}, "
          f"census {pd_res['census'].shape}, occupancy "
          f"{pd_res['occupancy_by_ward']['occupied_bed_days'].sum() / pd_res['occupancy_by_ward']['available_bed_days'].sum():.4f}")  # noqa: E501
    print("   check: " + ("pandas and DuckDB agree" if not res.mismatches
                          else "MISMATCH: " + "; ".join(res.mismatches)))
    del pd_res, db_res

    # Interleaved timing. Every repeat runs on a fresh copy of the frame (made outside the
    # timing), so neither side can reuse work cached from an earlier repeat on the same
    # arrays: each repeat is a user's first look at a frame.
    for _ in range(repeat):
        work = fresh(df)
        t0 = time.perf_counter()
        out = pandas_core(work, beds, start, end, res.per_call)
        res.pandas_times.append(time.perf_counter() - t0)
        del out
        work = fresh(df)
        t0 = time.perf_counter()
        out = duckdb_core(con, work, beds, start, end)
        res.duckdb_times.append(time.perf_counter() - t0)
        del out

    # memory, in separate untimed runs (the probes would disturb the timing)
    work = fresh(df)
    with PeakRSS() as m:
        out = pandas_core(work, beds, start, end)
    res.pandas_rss = m.extra
    del out
    work = fresh(df)
    with PeakRSS() as m:
        out = duckdb_core(con, work, beds, start, end)
    res.duckdb_rss = m.extra
    del out
    work = fresh(df)
    res.pandas_traced = traced_peak(lambda w=work: pandas_core(w, beds, start, end))
    work = fresh(df)
    res.duckdb_traced = traced_peak(lambda w=work: duckdb_core(con, w, beds, start, end))
    for name, call in CORE_CALLS.items():
        work = fresh(df)
        res.per_call_traced[name] = traced_peak(
            lambda call=call, w=work: call(w, beds, start, end))

    # summary() on its own
    for _ in range(summary_repeat):
        work = fresh(df)
        t0 = time.perf_counter()
        out = work.hospital.summary(beds)
        res.summary_times.append(time.perf_counter() - t0)
        del out
    work = fresh(df)
    with PeakRSS() as m:
        out = work.hospital.summary(beds)
    res.summary_rss = m.extra
    del out, work

    med_p, med_d = statistics.median(res.pandas_times), statistics.median(res.duckdb_times)
    print(f"   pandas core set: median {ms(med_p)} (min {ms(min(res.pandas_times))}); "
          f"DuckDB query: median {ms(med_d)} (min {ms(min(res.duckdb_times))}); "
          f"DuckDB/pandas = {res.ratio:.2f}x")
    print("   pandas per call (median): " + ", ".join(
        f"{k} {ms(statistics.median(v))}" for k, v in res.per_call.items()))
    print("   pandas per call peak traced memory: " + ", ".join(
        f"{k} {mib(v)}" for k, v in res.per_call_traced.items()))
    print(f"   peak extra memory: pandas RSS {mib(res.pandas_rss)} (traced "
          f"{mib(res.pandas_traced)}); DuckDB RSS {mib(res.duckdb_rss)} (traced "
          f"{mib(res.duckdb_traced)}, DuckDB's own allocator is not traced)")
    print(f"   summary(beds): median {ms(statistics.median(res.summary_times))} "
          f"(min {ms(min(res.summary_times))}), peak extra RSS {mib(res.summary_rss)}")
    return res


def report(results: list[SizeResult], threads: str) -> bool:
    """Print the final table and the verdict on the targets; True when all are met."""
    head = (f"{'stays':>12} {'frame':>10} {'pandas med':>11} {'(min)':>10} "
            f"{'duckdb med':>11} {'(min)':>10} {'duck/pd':>8} {'pd peak':>9} "
            f"{'pd/frame':>8} {'duck peak':>10} {'summary med':>12} {'check':>6}")
    print("\n" + "=" * len(head))
    print(f"Core set: pandas accessor (6 calls) vs one DuckDB query, DuckDB threads={threads}; "
          "peaks are RSS over baseline")
    print(head)
    print("-" * len(head))
    for r in results:
        peak = max(r.pandas_rss, r.pandas_traced)
        print(f"{r.n:>12,} {mib(r.frame_bytes):>10} "
              f"{ms(statistics.median(r.pandas_times)):>11} {ms(min(r.pandas_times)):>10} "
              f"{ms(statistics.median(r.duckdb_times)):>11} {ms(min(r.duckdb_times)):>10} "
              f"{r.ratio:>7.2f}x {mib(peak):>9} {peak / r.frame_bytes:>8.2f} "
              f"{mib(r.duckdb_rss):>10} {ms(statistics.median(r.summary_times)):>12} "
              f"{'ok' if not r.mismatches else 'FAIL':>6}")
    print("=" * len(head))
    ok = all(not r.mismatches for r in results)
    target = [r for r in results if r.n == TARGET_SIZE]
    if not target:
        print(f"Targets are defined at {TARGET_SIZE:,} stays, which was not run.")
        return ok
    r = target[0]
    peak = max(r.pandas_rss, r.pandas_traced)
    speed_ok = r.ratio >= TARGET_SPEEDUP
    mem_ok = peak <= TARGET_MEMORY * r.frame_bytes
    print(f"Target at {TARGET_SIZE:,}: core set >= {TARGET_SPEEDUP:g}x faster than DuckDB: "
          f"{'MET' if speed_ok else 'NOT MET'} ({r.ratio:.2f}x)")
    print(f"Target at {TARGET_SIZE:,}: peak extra memory <= {TARGET_MEMORY:g} x frame "
          f"({mib(TARGET_MEMORY * r.frame_bytes)}): {'MET' if mem_ok else 'NOT MET'} "
          f"({mib(peak)} = {peak / r.frame_bytes:.2f} x frame)")
    return ok and speed_ok and mem_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6, 1e7],
                        help="numbers of stays (default: 1e5 1e6 1e7)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed repetitions of each side, interleaved (default: 5)")
    parser.add_argument("--summary-repeat", type=int, default=3,
                        help="timed repetitions of summary() (default: 3)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="DuckDB threads (default: the machine's cores)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    con = duckdb.connect()  # once, outside the timing
    con.execute(f"SET threads TO {int(args.threads)}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"Python {platform.python_version()}, pandas {pd.__version__}, numpy "
          f"{np.__version__}, duckdb {duckdb.__version__}, hospitalytics {hp.__version__}; "
          f"{os.cpu_count()} CPUs; DuckDB threads = {threads}")
    print(f"Period KPIs over {PERIOD[0]} to {PERIOD[1]} (inclusive); census over the whole "
          "span; repeats interleaved pandas, DuckDB, pandas, DuckDB, ...")

    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", hp.DataQualityWarning)  # the data is clean
        for size in args.sizes:
            results.append(run_size(int(size), args.repeat, args.summary_repeat, con,
                                    args.seed))
    all_ok = report(results, threads)
    if any(r.mismatches for r in results):
        print("pandas and DuckDB disagree: see the MISMATCH lines above.")
        return 1
    return 0 if all_ok else 2


if __name__ == "__main__":
    sys.exit(main())
