"""Benchmark every public KPI call against its DuckDB twin on the same in-memory frame.

For each size, builds ``n`` synthetic stays over three years with
:func:`hospitalytics.datasets.make_stays` (one row per stay, no stay id) and ward
capacities with ``make_beds``, then, for each public call a user makes
(``df.hospital.admissions(...)`` ... ``summary(beds)``, and the "core set" of six calls
against one DuckDB query):

1. **checks equality** with the call's DuckDB twin (``_twins.py``: plain SQL on the same
   frame, registered in DuckDB, by the library's documented definitions): exact for
   counts, relative 1e-10 for sums and means. Any difference is printed as ``MISMATCH``
   with the call and the cell, and the script exits with status 1;
2. **times** both sides, interleaved (ours, DuckDB, ours, DuckDB ... in alternating order,
   ``--repeat`` times), each repeat of each call on a fresh deep copy of the frame made
   outside the timing; medians and minimums are reported, and the ratio
   ours / DuckDB (below 1: hospitalytics is faster; the target is 0.5 or less);
3. **measures peak extra memory** of each call in separate, untimed runs: peak RSS over
   the baseline (the kernel's high-water mark ``VmHWM`` after a reset through
   ``/proc/self/clear_refs``; a 1 ms ``/proc/self/statm`` sampler where that is not
   allowed) for both sides, and for ours also the peak of the allocations ``tracemalloc``
   sees (numpy's); ours is reported as the larger of the two, relative to the frame's
   own memory (``df.memory_usage(deep=True).sum()``).

DuckDB runs with ``SET threads`` = ``--threads`` (default 2); hospitalytics is numpy on
one thread. The connection is opened once, and the frame registered, outside the timing.

Run::

    python benchmarks/bench_kpis.py                          # 1e5 1e6 1e7, 5 repeats
    python benchmarks/bench_kpis.py --sizes 1e5 1e6 --repeat 3
    python benchmarks/bench_kpis.py --sizes 1e7 --repeat 3 --write-results
    python benchmarks/bench_kpis.py --sizes 1e6 --only by_treatment summary
    python benchmarks/bench_kpis.py --sizes 1e6 --profile readmission_rate

Exit status: 0 when every twin agrees (and, when 10^7 was run, every target is met),
1 on a mismatch, 2 when a target at 10^7 is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import ctypes
import datetime as dt
import gc
import math
import os
import platform
import pstats
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import _twins as tw
import duckdb
import numpy as np
import pandas as pd

import hospitalytics as hp
from hospitalytics.datasets import make_beds, make_stays

#: make_stays' default span: three years of admissions.
DATA_START, DATA_END = "2023-01-01", "2025-12-31"
#: The period of the period KPIs: a financial year (April to March), inclusive.
PERIOD = ("2024-04-01", "2025-03-31")
#: Calls made without a period cover the whole span through the as-of date.
WHOLE = (DATA_START, DATA_END)

TARGET_RATIO = 0.5  # ours / DuckDB at most this
TARGET_MEMORY = 0.5  # peak extra memory at most this share of the frame's memory
TARGET_SIZE = 10**7

RESULTS = Path(__file__).resolve().parent / "results"


# --------------------------------------------------------------------------- checks
def _close(a: float, b: float, rtol: float = 1e-10) -> bool:
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= rtol * max(abs(a), abs(b))


def check_scalar(name: str, ours, duck, kind: str) -> list[str]:
    """``kind``: "count" (exact) or "float" (relative 1e-10)."""
    if kind == "count":
        ok = duck is not None and not pd.isna(duck) and int(ours) == int(duck)
    else:
        ok = _close(ours, np.nan if duck is None else duck)
    return [] if ok else [f"{name}: ours {_show(ours)} != duckdb {_show(duck)}"]


def _show(x) -> str:
    """A number as text: integers without a decimal point, floats in full."""
    if x is None or isinstance(x, str):
        return repr(x)
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)


def check_frame(name: str, ours: pd.DataFrame, duck: pd.DataFrame, counts=(), floats=(),
                shown: int = 5) -> list[str]:
    """Cell by cell on ``ours``' index; DuckDB rows are matched by label (as text)."""
    bad = []
    ours_idx = ours.index.map(_label)
    duck = duck.copy()
    duck.index = duck.index.map(_label)
    extra = [k for k in duck.index if k not in set(ours_idx)]
    if extra:
        bad.append(f"{name}: rows only in duckdb: {extra[:shown]}")
    duck = duck.reindex(ours_idx)
    for col in [*counts, *floats]:
        o = ours[col].to_numpy(dtype="float64", na_value=np.nan)
        d = duck[col].to_numpy(dtype="float64", na_value=np.nan)
        if col in counts:
            d = np.nan_to_num(d)  # a group DuckDB has no row for counts 0
            diff = o != d
        else:
            scale = np.maximum(np.abs(o), np.abs(d))
            diff = ~((o == d) | (np.abs(o - d) <= 1e-10 * scale)
                     | (np.isnan(o) & np.isnan(d)))
        for i in np.flatnonzero(diff)[:shown]:
            bad.append(f"{name}: cell [{ours_idx[i]}, {col}]: ours {_show(o[i])} != duckdb "
                       f"{_show(d[i])}")
        if diff.sum() > shown:
            bad.append(f"{name}: ... {int(diff.sum())} cells of {col} differ in all")
    return bad


def _label(x) -> str:
    if isinstance(x, tuple):
        return " | ".join(_label(v) for v in x)
    if isinstance(x, pd.Timestamp | np.datetime64 | dt.date):
        return str(pd.Timestamp(x).date())
    return str(x)


def check_census(name: str, ours: pd.DataFrame, duck: pd.DataFrame) -> list[str]:
    """The ward x day census matrix and its total column, exactly."""
    bad = []
    wards = [c for c in ours.columns if c != "total"]
    extra = set(duck.columns) - set(wards) - {"total"}
    if extra:
        bad.append(f"{name}: wards only in duckdb: {sorted(extra)}")
    if len(duck) != len(ours):
        bad.append(f"{name}: {len(ours)} days (ours) != {len(duck)} (duckdb)")
    d = duck.reindex(index=ours.index, columns=[*wards, "total"], fill_value=0)
    o_arr, d_arr = ours[[*wards, "total"]].to_numpy(), d.to_numpy()
    for i, j in list(zip(*np.nonzero(o_arr != d_arr), strict=True))[:5]:
        bad.append(f"{name}: cell [{ours.index[i].date()}, {ours.columns[j]}]: ours "
                   f"{o_arr[i, j]} != duckdb {d_arr[i, j]}")
    return bad


# --------------------------------------------------------------------------- the calls
@dataclass
class Case:
    """One public call, its DuckDB twin, and how to compare them.

    ``ours(df, beds)`` is the timed call, as a user writes it; ``check_ours`` (default:
    ``ours``) is what the check compares (e.g. the readmission rate with ``details``);
    ``duck(con)`` runs the twin; ``compare(name, ours, duck)`` returns the differences.
    """

    name: str
    call: str  # as shown in the table
    ours: Callable
    duck: Callable
    compare: Callable
    check_ours: Callable | None = None


S, E = PERIOD


def _scalar_case(name: str, call: str, ours, kind: str, period=PERIOD) -> Case:
    return Case(name, call, ours, lambda con: tw.scalar(con, name, *period),
                lambda n, o, d: check_scalar(n, o, d, kind))


_SUMMARY_COUNTS = ("admissions", "discharges", "bed_days", "in_patients", "los_7plus",
                   "los_14plus", "los_21plus")


def _summary_compare(name, ours, duck):
    """Every KPI x period cell of the panel: counts exactly, the rest to 1e-10."""
    bad = []
    for kpi in ours.index:
        if kpi not in duck.index:
            bad.append(f"{name}: no twin for the row {kpi!r}")
            continue
        for col in ("period", "mtd", "previous_mtd"):
            o, d = ours.at[kpi, col], duck.at[kpi, col]
            kind = "count" if kpi in _SUMMARY_COUNTS else "float"
            bad += check_scalar(f"{name}: cell [{kpi}, {col}]", o, d, kind)
    return bad


def _readmission_compare(name, ours, duck):
    bad = []
    for key in ("discharges", "excluded_open_window", "index_stays", "readmitted"):
        bad += check_scalar(f"{name}.{key}", ours[key], duck[key], "count")
    for key in ("excluded_died", "excluded_acute_transfer", "excluded_self_discharge",
                "excluded_planned"):
        if int(ours[key]) != 0:  # the data has no disposition or admission method
            bad.append(f"{name}.{key}: ours {ours[key]} != 0")
    bad += check_scalar(f"{name}.rate", ours["rate"], duck["rate"], "float")
    return bad


def _bed_board_compare(name, ours, duck):
    return check_frame(name, ours, duck, counts=["beds", "in_patients", "free_beds"],
                       floats=["occupancy"])


def _occ_compare(name, ours, duck):
    return check_frame(name, ours, duck, counts=["occupied_bed_days", "available_bed_days"],
                       floats=["occupancy"])


def _money_compare(name, ours, duck):
    return check_frame(name, ours, duck, counts=["admissions", "patients"],
                       floats=["total_cost", "mean_cost"])


CASES: list[Case] = [
    _scalar_case("admissions", "admissions(fy)",
                 lambda df, beds: df.hospital.admissions(S, E), "count"),
    _scalar_case("discharges", "discharges(fy)",
                 lambda df, beds: df.hospital.discharges(S, E), "count"),
    _scalar_case("treatment_cost", "treatment_cost(fy)",
                 lambda df, beds: df.hospital.treatment_cost(S, E), "float"),
    _scalar_case("alos", "alos(fy)", lambda df, beds: df.hospital.alos(S, E), "float"),
    _scalar_case("bed_days", "bed_days(fy)",
                 lambda df, beds: df.hospital.bed_days(S, E), "count"),
    Case("census", 'census(by="ward")', lambda df, beds: df.hospital.census(by="ward"),
         lambda con: tw.census(con, *WHOLE), check_census),
    _scalar_case("occupancy", "occupancy(beds, fy)",
                 lambda df, beds: df.hospital.occupancy(beds, S, E), "float"),
    Case("occupancy_by_ward", "occupancy_by_ward(beds, fy)",
         lambda df, beds: df.hospital.occupancy_by_ward(beds, S, E),
         lambda con: tw.occupancy_by_ward(con, *PERIOD), _occ_compare),
    Case("monthly_occupancy_by_ward", "monthly_occupancy_by_ward(beds, fy)",
         lambda df, beds: df.hospital.monthly_occupancy_by_ward(beds, S, E),
         lambda con: tw.monthly_occupancy_by_ward(con, *PERIOD),
         lambda n, o, d: _occ_compare(n, o.set_index(["month", "ward"]), d)),
    Case("monthly", "monthly()", lambda df, beds: df.hospital.monthly(),
         lambda con: tw.monthly(con, *WHOLE),
         lambda n, o, d: check_frame(n, o, d, counts=["days", "admissions", "discharges",
                                                      "bed_days"],
                                     floats=["treatment_cost", "alos"])),
    Case("by_treatment", "by_treatment()", lambda df, beds: df.hospital.by_treatment(),
         lambda con: tw.breakdown(con, "by_treatment", *WHOLE), _money_compare),
    Case("by_age_group", "by_age_group()", lambda df, beds: df.hospital.by_age_group(),
         lambda con: tw.breakdown(con, "by_age_group", *WHOLE), _money_compare),
    Case("los_distribution", "los_distribution()",
         lambda df, beds: df.hospital.los_distribution(),
         lambda con: tw.los_distribution(con, *WHOLE),
         lambda n, o, d: check_frame(n, o, d, counts=["stays"], floats=["share"])),
    Case("readmission_rate", "readmission_rate()",
         lambda df, beds: df.hospital.readmission_rate(),
         lambda con: tw.readmission_details(con, *WHOLE), _readmission_compare,
         check_ours=lambda df, beds: df.hospital.readmission_rate(details=True)),
    Case("long_stays", "long_stays()", lambda df, beds: df.hospital.long_stays(),
         lambda con: tw.long_stays(con, *WHOLE),
         lambda n, o, d: check_frame(n, o.to_frame("n"), d.to_frame("n"), counts=["n"])),
    Case("bed_board", "bed_board(beds)", lambda df, beds: df.hospital.bed_board(beds),
         lambda con: tw.bed_board(con, *WHOLE), _bed_board_compare),
    Case("summary", "summary(beds)", lambda df, beds: df.hospital.summary(beds),
         lambda con: tw.summary(con, *WHOLE), _summary_compare),
]


# The core set: six accessor calls against ONE DuckDB query (kept from the first version
# of this benchmark, for continuity of its numbers).
CORE_CALLS: dict[str, Callable] = {
    "admissions": lambda df, beds: df.hospital.admissions(S, E),
    "discharges": lambda df, beds: df.hospital.discharges(S, E),
    "treatment_cost": lambda df, beds: df.hospital.treatment_cost(S, E),
    "alos": lambda df, beds: df.hospital.alos(S, E),
    "census": lambda df, beds: df.hospital.census(by="ward"),
    "occupancy_by_ward": lambda df, beds: df.hospital.occupancy_by_ward(beds, S, E),
}

CORE_SQL = f"""
WITH {tw.BOUNDS},
s AS (
    SELECT ward, CAST(admission_date AS DATE) AS a, CAST(discharge_date AS DATE) AS d, cost
    FROM stays
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
    FROM s, b
    WHERE coalesce(s.d, b.as_of + 1) > s.a
),
events AS (
    SELECT ward, day, sum(delta) AS delta
    FROM (SELECT ward, start_day AS day, 1 AS delta FROM occ_range
          UNION ALL
          SELECT ward, stop_day AS day, -1 AS delta FROM occ_range)
    GROUP BY ward, day
),
grid AS (
    SELECT w.ward, CAST(g.day AS DATE) AS day
    FROM (SELECT DISTINCT ward FROM events) w,
         (SELECT unnest(generate_series(first_day, as_of, INTERVAL 1 DAY)) AS day FROM b) g
),
census AS (
    SELECT CAST(grid.ward AS VARCHAR) AS ward, grid.day,
           sum(coalesce(e.delta, 0)) OVER (
               PARTITION BY grid.ward ORDER BY grid.day ROWS UNBOUNDED PRECEDING) AS n
    FROM grid LEFT JOIN events e ON e.ward = grid.ward AND e.day = grid.day
),
occupancy AS (
    SELECT bd.ward,
           coalesce(sum(c.n) FILTER (WHERE c.day BETWEEN $lo AND $hi), 0) AS occupied,
           bd.beds * ($hi - $lo + 1) AS available
    FROM beds bd LEFT JOIN census c ON c.ward = bd.ward
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


def duckdb_core(con) -> dict:
    """The core set as one DuckDB query; the long result reshaped to the accessor's shapes."""
    res = con.execute(CORE_SQL, tw.params_for(CORE_SQL, *PERIOD)).df()
    kpi = res[res["part"] == "kpi"].iloc[0]
    cen = res[res["part"] == "census"]
    census = cen.pivot(index="day", columns="ward", values="x").fillna(0).astype("int64")
    census.index = pd.DatetimeIndex(census.index, name="date").astype("datetime64[ns]")
    census["total"] = census.sum(axis=1)
    occ = res[res["part"] == "occupancy"].set_index("ward")
    occupancy = pd.DataFrame({"occupied_bed_days": occ["x"], "available_bed_days": occ["y"],
                              "occupancy": occ["z"]})
    return {"admissions": int(kpi["x"]), "discharges": int(kpi["y"]),
            "treatment_cost": float(kpi["z"]), "alos": float(kpi["w"]), "census": census,
            "occupancy_by_ward": occupancy}


def pandas_core(df, beds) -> dict:
    return {name: call(df, beds) for name, call in CORE_CALLS.items()}


def _core_compare(name, ours, duck):
    bad = []
    for key in ("admissions", "discharges"):
        bad += check_scalar(f"{name}.{key}", ours[key], duck[key], "count")
    for key in ("treatment_cost", "alos"):
        bad += check_scalar(f"{name}.{key}", ours[key], duck[key], "float")
    bad += check_census(f"{name}.census", ours["census"], duck["census"])
    bad += _occ_compare(f"{name}.occupancy_by_ward", ours["occupancy_by_ward"],
                        duck["occupancy_by_ward"])
    return bad


CASES.append(Case("core", "core set (6 calls / 1 query)", pandas_core, duckdb_core,
                  _core_compare))


# --------------------------------------------------------------------------- memory
_LIBC = None


def _trim() -> None:
    """Return freed heap to the OS (glibc, Arrow's pool), so RSS baselines are honest."""
    global _LIBC
    gc.collect()
    try:  # Arrow's allocator keeps freed blocks for reuse: hand them back too
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - old pyarrow
        pass
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
    allowed, which sees every allocation (numpy, pandas, Arrow, DuckDB's own allocator);
    else samples ``/proc/self/statm`` from a background thread every millisecond.
    """

    method = "VmHWM"

    def __enter__(self):
        _trim()
        self.base = _rss_bytes()
        self.hwm = True
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            self.hwm = False
            PeakRSS.method = "statm sampling (1 ms)"
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
class CallResult:
    """Everything measured for one call at one size."""

    name: str
    call: str
    ours: list[float] = field(default_factory=list)
    duck: list[float] = field(default_factory=list)
    ours_rss: int = 0
    ours_traced: int = 0
    duck_rss: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Ours median / DuckDB median (below 1: hospitalytics is faster)."""
        return statistics.median(self.ours) / statistics.median(self.duck)

    @property
    def ours_peak(self) -> int:
        return max(self.ours_rss, self.ours_traced)


@dataclass
class SizeResult:
    n: int
    frame_bytes: int
    repeat: int
    load_before: str
    load_after: str = ""
    calls: list[CallResult] = field(default_factory=list)


def mib(nbytes: float) -> str:
    return f"{nbytes / 2**20:,.0f} MiB"


def sec(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fresh(df: pd.DataFrame) -> pd.DataFrame:
    """A deep copy of ``df`` (new arrays), with garbage collected: a cold start."""
    gc.collect()
    out = df.copy(deep=True)
    gc.collect()
    return out


class Frames:
    """The frame registered in DuckDB as ``stays`` (a fresh copy per run)."""

    def __init__(self, con, df):
        self.con, self.df, self.work = con, df, None

    def new(self) -> pd.DataFrame:
        if self.work is not None:
            self.con.unregister("stays")
            self.work = None
        self.work = fresh(self.df)
        self.con.register("stays", self.work)
        return self.work


def general(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The same stays in random row order, with patient ids of varying width.

    ``"pat-1234"`` instead of ``"P0001234"``: the engine's general paths (period masks by
    comparison instead of binary searches on rows in admission order, patient ids hashed
    by Arrow instead of read as numbers). The numbers are the same.
    """
    out = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    out["patient_id"] = "pat-" + out["patient_id"].str.lstrip("P0")
    return out


def run_size(n: int, cases: list[Case], args, con) -> SizeResult:
    t0 = time.perf_counter()
    df = make_stays(n, seed=args.seed, start=DATA_START, end=DATA_END)
    if args.general:
        df = general(df, args.seed)
    beds = make_beds(df)
    con.register("beds", beds)
    res = SizeResult(n=n, frame_bytes=int(df.memory_usage(deep=True).sum()),
                     repeat=args.repeat, load_before=load())
    print(f"\n== {n:,} stays ({DATA_START} to {DATA_END}), {len(beds)} wards; built in "
          f"{time.perf_counter() - t0:.1f} s; frame memory (deep) {mib(res.frame_bytes)}; "
          f"load average {res.load_before}")
    frames = Frames(con, df)

    # 1. equality, before any timing
    for case in cases:
        r = CallResult(case.name, case.call)
        work = frames.new()
        ours = (case.check_ours or case.ours)(work, beds)
        duck = case.duck(con)
        r.mismatches = case.compare(case.name, ours, duck)
        res.calls.append(r)
        status = "agree" if not r.mismatches else "MISMATCH"
        print(f"   check {case.call:<38} {status}")
        for m in r.mismatches:
            print(f"      MISMATCH {m}")
        del ours, duck

    # 2. interleaved timing; the order alternates between repeats
    for i in range(args.repeat):
        for case, r in zip(cases, res.calls, strict=True):
            sides = [("ours", lambda w, c=case: c.ours(w, beds)),
                     ("duck", lambda w, c=case: c.duck(con))]
            if i % 2:
                sides.reverse()
            for side, fn in sides:
                work = frames.new()
                t = time.perf_counter()
                out = fn(work)
                getattr(r, side).append(time.perf_counter() - t)
                del out
        print(f"   repeat {i + 1}/{args.repeat} done (load {load()})")

    # 3. memory, in separate untimed runs
    if not args.no_memory:
        for case, r in zip(cases, res.calls, strict=True):
            ours_rss, duck_rss = [], []
            for _ in range(args.memory_repeat):
                work = frames.new()
                with PeakRSS() as m:
                    out = case.ours(work, beds)
                ours_rss.append(m.extra)
                del out
                frames.new()
                with PeakRSS() as m:
                    out = case.duck(con)
                duck_rss.append(m.extra)
                del out
            r.ours_rss = int(statistics.median(ours_rss))
            r.duck_rss = int(statistics.median(duck_rss))
            work = frames.new()
            r.ours_traced = traced_peak(lambda w=work, c=case: c.ours(w, beds))
    res.load_after = load()
    con.unregister("stays")
    print_size(res)
    return res


def print_size(res: SizeResult) -> None:
    head = (f"{'call':<38} {'ours':>10} {'DuckDB':>10} {'ours/Duck':>9} {'ours min':>10} "
            f"{'Duck min':>10} {'ours peak':>10} {'x frame':>7} {'Duck peak':>10} check")
    print(f"\n   {res.n:,} stays: medians of {res.repeat} interleaved runs; peak extra "
          f"memory by {PeakRSS.method} (ours: max with tracemalloc); frame "
          f"{mib(res.frame_bytes)}; load {res.load_before} -> {res.load_after}")
    print("   " + head)
    print("   " + "-" * len(head))
    for r in res.calls:
        print(f"   {r.call:<38} {sec(statistics.median(r.ours)):>10} "
              f"{sec(statistics.median(r.duck)):>10} {r.ratio:>9.2f} {sec(min(r.ours)):>10} "
              f"{sec(min(r.duck)):>10} {mib(r.ours_peak):>10} "
              f"{r.ours_peak / res.frame_bytes:>7.2f} {mib(r.duck_rss):>10} "
              f"{'ok' if not r.mismatches else 'FAIL'}")


def verdict(results: list[SizeResult]) -> bool:
    """Print whether the targets at 10^7 are met; True when they are (or 10^7 not run)."""
    target = [r for r in results if r.n == TARGET_SIZE]
    if not target:
        print(f"\nTargets are defined at {TARGET_SIZE:,} stays, which was not run.")
        return True
    res = target[0]
    slow = [r for r in res.calls if r.ratio > TARGET_RATIO]
    heavy = [r for r in res.calls if r.ours_peak > TARGET_MEMORY * res.frame_bytes]
    print(f"\nTarget at {TARGET_SIZE:,}: every call ours/DuckDB <= {TARGET_RATIO:g}: "
          + ("MET" if not slow else f"NOT MET ({len(slow)} of {len(res.calls)}: "
             + ", ".join(f"{r.name} {r.ratio:.2f}" for r in slow) + ")"))
    print(f"Target at {TARGET_SIZE:,}: peak extra memory <= {TARGET_MEMORY:g} x frame: "
          + ("MET" if not heavy else f"NOT MET ({len(heavy)}: " + ", ".join(
              f"{r.name} {r.ours_peak / res.frame_bytes:.2f}" for r in heavy) + ")"))
    return not slow and not heavy


# --------------------------------------------------------------------------- results
KPI_FIELDS = ["stays", "call", "ours_s", "duckdb_s", "ratio", "ours_min_s", "duckdb_min_s",
              "ours_peak_mib", "ours_peak_x_frame", "duckdb_peak_mib", "check"]
RUN_FIELDS = ["stays", "frame_mib", "repeats", "date", "commit", "load_before",
              "load_after"]
DISPLAY_FIELDS = ["call", "ours (s)", "DuckDB (s)", "ours / DuckDB", "ours peak (MiB)",
                  "/ frame", "DuckDB peak (MiB)"]


def size_tag(n: int) -> str:
    """``1e7`` for powers of ten, else the number."""
    k = round(math.log10(n)) if n > 0 else 0
    return f"1e{k}" if 10**k == n else str(n)


def commit() -> str:
    """The last git commit that changed the library's source (``+dirty`` when edited).

    The benchmark's own commits do not change what is measured: the source is.
    """
    src = Path(hp.__file__).resolve().parent
    try:
        head = subprocess.run(["git", "-C", str(src), "log", "-1", "--format=%h", "--", "."],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(src), "status", "--porcelain", "."],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _merge(path: Path, fields: list[str], rows: list[dict], key: Callable) -> None:
    """Write ``rows`` into the CSV at ``path``, replacing rows of the same sizes."""
    sizes = {r["stays"] for r in rows}
    old = []
    if path.exists():
        with path.open(newline="") as fh:
            old = [r for r in csv.DictReader(fh) if int(r["stays"]) not in sizes]
    merged = sorted(old + rows, key=key)
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(merged)


def write_results(results: list[SizeResult], threads: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    order = {c.name: i for i, c in enumerate(CASES)}
    names = {c.call: c.name for c in CASES}
    rows, runs = [], []
    for res in results:
        for r in res.calls:
            rows.append({
                "stays": res.n, "call": r.call,
                "ours_s": f"{statistics.median(r.ours):.6g}",
                "duckdb_s": f"{statistics.median(r.duck):.6g}",
                "ratio": f"{r.ratio:.2f}",
                "ours_min_s": f"{min(r.ours):.6g}", "duckdb_min_s": f"{min(r.duck):.6g}",
                "ours_peak_mib": f"{r.ours_peak / 2**20:.0f}",
                "ours_peak_x_frame": f"{r.ours_peak / res.frame_bytes:.2f}",
                "duckdb_peak_mib": f"{r.duck_rss / 2**20:.0f}",
                "check": "ok" if not r.mismatches else "MISMATCH",
            })
        runs.append({"stays": res.n, "frame_mib": f"{res.frame_bytes / 2**20:.0f}",
                     "repeats": res.repeat, "date": dt.date.today().isoformat(),
                     "commit": commit(),
                     "load_before": res.load_before, "load_after": res.load_after})
    _merge(RESULTS / "kpis.csv", KPI_FIELDS, rows,
           key=lambda r: (int(r["stays"]), order.get(names.get(r["call"], ""), 99)))
    _merge(RESULTS / "kpis_runs.csv", RUN_FIELDS, runs, key=lambda r: int(r["stays"]))
    display_tables()
    env = machine(threads)
    with (RESULTS / "kpis_machine.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["item", "value"])
        w.writerows(env.items())
    print(f"\nwrote {RESULTS / 'kpis.csv'}, kpis_runs.csv and kpis_machine.csv")


def sig3(x) -> str:
    """Three significant digits, trailing zeros kept: 0.0692, 0.120, 1.00, 11.6, 123."""
    return f"{float(x):#.3g}".rstrip(".")


def display_tables() -> None:
    """One table per size from ``kpis.csv``, as ``docs/performance.rst`` shows them."""
    with (RESULTS / "kpis.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for n in sorted({int(r["stays"]) for r in rows}):
        with (RESULTS / f"kpis_{size_tag(n)}.csv").open("w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(DISPLAY_FIELDS)
            for r in rows:
                if int(r["stays"]) == n:
                    call = r["call"] + ("" if r["check"] == "ok" else " (MISMATCH)")
                    w.writerow([call, sig3(r["ours_s"]), sig3(r["duckdb_s"]), r["ratio"],
                                r["ours_peak_mib"], r["ours_peak_x_frame"],
                                r["duckdb_peak_mib"]])
    compare_tables()


COMPARE_FIELDS = ["call", "before: ours (s)", "before: ours / DuckDB", "before: / frame",
                  "after: ours (s)", "after: ours / DuckDB", "after: / frame",
                  "speed-up"]


def compare_tables() -> None:
    """Before (``results/before/kpis.csv``) against after (``kpis.csv``), per size.

    Writes ``results/kpis_compare_<size>.csv`` for the sizes both files have: our median
    time, the ratio to DuckDB and the peak memory share before and after, and the
    speed-up (before / after, of our medians).
    """
    before_path = RESULTS / "before" / "kpis.csv"
    if not before_path.exists():
        return
    with before_path.open(newline="") as fh:
        before = {(int(r["stays"]), r["call"]): r for r in csv.DictReader(fh)}
    with (RESULTS / "kpis.csv").open(newline="") as fh:
        after = list(csv.DictReader(fh))
    for n in sorted({int(r["stays"]) for r in after}):
        rows = [r for r in after if int(r["stays"]) == n and (n, r["call"]) in before]
        if not rows:
            continue
        with (RESULTS / f"kpis_compare_{size_tag(n)}.csv").open("w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(COMPARE_FIELDS)
            for r in rows:
                b = before[(n, r["call"])]
                speed = float(b["ours_s"]) / float(r["ours_s"])
                w.writerow([r["call"], sig3(b["ours_s"]), b["ratio"], b["ours_peak_x_frame"],
                            sig3(r["ours_s"]), r["ratio"], r["ours_peak_x_frame"],
                            f"{speed:.1f}x"])


def machine(threads: str) -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        mem = f"{_meminfo_kib('MemTotal') / 2**20:.0f} GiB"
    except (OSError, RuntimeError):
        pass
    os_name = platform.platform()
    try:
        with open("/etc/os-release") as fh:
            os_name = next(line.split("=", 1)[1].strip().strip('"') for line in fh
                           if line.startswith("PRETTY_NAME")) + f" (Linux {platform.release()})"
    except (OSError, StopIteration):
        pass
    import pyarrow

    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": mem,
        "OS": os_name,
        "Python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "pyarrow": pyarrow.__version__,
        "DuckDB": duckdb.__version__,
        "hospitalytics": hp.__version__,
        "DuckDB threads": threads,
    }


def _meminfo_kib(name: str) -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise RuntimeError(name)


# --------------------------------------------------------------------------- profile
def profile(name: str, n: int, args) -> None:
    """cProfile one of our calls (after a warm-up run) and print where the time goes."""
    case = next(c for c in CASES if c.name == name)
    df = make_stays(n, seed=args.seed, start=DATA_START, end=DATA_END)
    if args.general:
        df = general(df, args.seed)
    beds = make_beds(df)
    case.ours(fresh(df), beds)
    work = fresh(df)
    prof = cProfile.Profile()
    prof.enable()
    case.ours(work, beds)
    prof.disable()
    print(f"\n== cProfile of {case.call} at {n:,} stays")
    stats = pstats.Stats(prof).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.profile_lines)
    stats.sort_stats("cumulative").print_stats(args.profile_lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6, 1e7],
                        help="numbers of stays (default: 1e5 1e6 1e7)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed runs of each side of each call, interleaved (default 5)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="+", metavar="CALL",
                        help=f"only these calls (of: {', '.join(c.name for c in CASES)})")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--memory-repeat", type=int, default=1,
                        help="RSS runs per call and side; the median is reported (default 1)")
    parser.add_argument("--write-results", action="store_true",
                        help="write benchmarks/results/kpis*.csv (what docs/performance.rst "
                             "shows), replacing the rows of the sizes run")
    parser.add_argument("--general", action="store_true",
                        help="rows in random order and patient ids of varying width (the "
                             "engine's general paths); results go to results/general/")
    parser.add_argument("--profile", metavar="CALL",
                        help="cProfile one of our calls at the first size, then stop")
    parser.add_argument("--profile-lines", type=int, default=25)
    args = parser.parse_args(argv)

    if args.profile:
        profile(args.profile, int(args.sizes[0]), args)
        return 0
    if args.general:
        global RESULTS
        RESULTS = RESULTS / "general"
    cases = CASES
    if args.only:
        unknown = set(args.only) - {c.name for c in CASES}
        if unknown:
            parser.error(f"unknown calls {sorted(unknown)}")
        cases = [c for c in CASES if c.name in args.only]

    con = duckdb.connect()  # once, outside the timing
    con.execute(f"SET threads TO {int(args.threads)}")
    threads = str(con.execute("SELECT current_setting('threads')").fetchall()[0][0])
    env = machine(threads)
    print("; ".join(f"{k} {v}" for k, v in env.items()))
    print(f"Period calls over {PERIOD[0]} to {PERIOD[1]} (fy); the others over the whole "
          "span through the as-of date; ratio = ours / DuckDB (below 1: ours is faster)")

    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", hp.DataQualityWarning)  # the data is clean
        for size in args.sizes:
            results.append(run_size(int(size), cases, args, con))
    ok = verdict(results)
    if args.write_results:
        if args.only:
            print("not writing results: --only runs part of the table")
        else:
            write_results(results, threads)
    if any(r.mismatches for res in results for r in res.calls):
        print("hospitalytics and DuckDB disagree: see the MISMATCH lines above.")
        return 1
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
