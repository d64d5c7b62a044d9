"""Time ``hospitalytics report`` on a Parquet file of synthetic stays, end to end and per stage.

For each size, writes ``make_stays(n)`` to a Parquet file and ``make_beds`` to a CSV
file (once: both are cached in ``--cache``, default ``/tmp/hospitalytics-bench``), then:

1. **end to end**: runs ``python -m hospitalytics report STAYS.parquet --beds BEDS.csv
   -o OUT.html`` in a new process, ``--repeat`` times, and reports the median wall time
   (interpreter start and imports included, as a user waits for it);
2. **per stage**: runs the same command in this process (``hospitalytics.cli.main``) with
   timestamps taken from the library's own ``progress`` messages (the CLI's progress
   callback is replaced here, in the benchmark only) and from wrappers put, for the run,
   around ``build_report``, ``draw_charts``, ``write_report`` and the KPI functions the
   report calls. Stages: **read** (the Parquet file into a frame), **clean**
   (``standardize``), **compute** (``summary`` and the tables behind the charts, each KPI
   call timed too), **charts** (each chart drawn to PNG), **write** (the HTML page
   assembled and written) and **other** (what is left: the CLI's own checks and the line
   it prints). The first in-process run is a warm-up (imports, matplotlib's font cache)
   and is not counted. The peak extra RSS of a run is read from the kernel's high-water
   mark (``VmHWM``, reset through ``/proc/self/clear_refs``).

Run::

    python benchmarks/bench_report.py                     # 1e6, 3 repeats
    python benchmarks/bench_report.py --sizes 1e6 1e7 --write-results

``--write-results`` writes ``benchmarks/results/report.csv`` (replacing the rows of the
sizes run), which ``docs/performance.rst`` shows.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import bench_kpis as bk

import hospitalytics as hp
import hospitalytics.report as report_pkg
from hospitalytics import cli, kpis
from hospitalytics.datasets import make_beds, make_stays
from hospitalytics.report import _charts

RESULTS = Path(__file__).resolve().parent / "results"
#: The KPI functions the report calls (summary, and the tables behind the charts).
REPORT_KPIS = ("summary", "monthly", "admissions", "los_distribution", "by_age_group",
               "occupancy_by_ward", "monthly_occupancy_by_ward", "by_treatment")


def data_files(n: int, seed: int, cache: Path, rebuild: bool) -> tuple[Path, Path]:
    """The stays (Parquet) and beds (CSV) files for ``n`` stays, written once."""
    cache.mkdir(parents=True, exist_ok=True)
    stem = f"stays-{n}-seed{seed}-{bk.DATA_START}-{bk.DATA_END}"
    stays_path, beds_path = cache / f"{stem}.parquet", cache / f"{stem}-beds.csv"
    if rebuild or not (stays_path.exists() and beds_path.exists()):
        t0 = time.perf_counter()
        df = make_stays(n, seed=seed, start=bk.DATA_START, end=bk.DATA_END)
        make_beds(df).to_csv(beds_path, index=False)
        df.to_parquet(stays_path, index=False)
        print(f"   wrote {stays_path} ({stays_path.stat().st_size / 2**20:,.0f} MiB) in "
              f"{time.perf_counter() - t0:.1f} s")
        del df
    return stays_path, beds_path


def command(stays: Path, beds: Path, out: Path) -> list[str]:
    return ["report", str(stays), "--beds", str(beds), "-o", str(out)]


def end_to_end(stays: Path, beds: Path, out: Path) -> float:
    """Wall time of ``python -m hospitalytics report ...`` in a new process."""
    env = dict(os.environ)
    src = str(Path(hp.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "hospitalytics", *command(stays, beds, out)],
                          env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"hospitalytics report failed ({proc.returncode}): {proc.stderr}")
    return elapsed


class Clock:
    """Timestamps from the progress messages and the wrapped functions of one run."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.marks: list[tuple[float, str]] = []
        self.calls: dict[str, float] = defaultdict(float)

    def say(self, message: str) -> None:
        self.marks.append((time.perf_counter() - self.t0, message))

    def first(self, prefix: str) -> float:
        return next(t for t, m in self.marks if m.startswith(prefix))

    def stages(self, total: float) -> dict[str, float]:
        read, clean, compute = self.first("reading"), self.first("cleaning"), \
            self.first("computing")
        built, drawn, written = self.first("#built"), self.first("#drawn"), \
            self.first("#written")
        out = {"read": clean - read, "clean": compute - clean, "compute": built - compute,
               "charts": drawn - built, "write": written - drawn}
        out["other"] = total - sum(out.values())
        for name, seconds in self.calls.items():
            out[f"compute: {name}()"] = seconds
        draws = [(t, m) for t, m in self.marks if m.startswith("drawing")] + [(drawn, "")]
        for (t, m), (t_next, _) in zip(draws, draws[1:], strict=False):
            chart = m.removeprefix("drawing ")  # "volume_by (by_department)"
            out[f"charts: {chart}"] = out.get(f"charts: {chart}", 0.0) + t_next - t
        return out


def staged_run(stays: Path, beds: Path, out: Path) -> tuple[dict[str, float], int]:
    """One in-process run of the CLI, instrumented; ``(seconds per stage, peak RSS)``."""
    clock = Clock()
    saved = {"progress": cli._progress, "build": report_pkg.build_report,
             "write": report_pkg.write_report, "draw": _charts.draw_charts,
             **{f"kpi:{k}": getattr(kpis, k) for k in REPORT_KPIS}}

    def after(fn, mark):
        def wrapped(*a, **k):
            result = fn(*a, **k)
            clock.say(mark)
            return result
        return wrapped

    def timed(name, fn):
        def wrapped(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                clock.calls[name] += time.perf_counter() - t
        return wrapped

    cli._progress = lambda: clock.say
    report_pkg.build_report = after(saved["build"], "#built")
    report_pkg.write_report = after(saved["write"], "#written")
    _charts.draw_charts = after(saved["draw"], "#drawn")
    for k in REPORT_KPIS:
        setattr(kpis, k, timed(k, saved[f"kpi:{k}"]))
    try:
        with bk.PeakRSS() as mem:
            clock.t0 = time.perf_counter()
            with open(os.devnull, "w") as devnull:
                stdout, sys.stdout = sys.stdout, devnull
                try:
                    status = cli.main(command(stays, beds, out))
                finally:
                    sys.stdout = stdout
            total = time.perf_counter() - clock.t0
    finally:
        cli._progress = saved["progress"]
        report_pkg.build_report = saved["build"]
        report_pkg.write_report = saved["write"]
        _charts.draw_charts = saved["draw"]
        for k in REPORT_KPIS:
            setattr(kpis, k, saved[f"kpi:{k}"])
    if status != 0:
        raise SystemExit(f"hospitalytics report failed in process (status {status})")
    stages = clock.stages(total)
    stages["total (in process)"] = total
    return stages, mem.extra


def run_size(n: int, args) -> list[dict]:
    print(f"\n== {n:,} stays; load average {bk.load()}")
    stays, beds = data_files(n, args.seed, Path(args.cache), args.rebuild)
    out = Path(args.cache) / f"report-{n}.html"
    e2e, staged, peaks = [], defaultdict(list), []
    staged_run(stays, beds, out)  # warm-up: imports, font cache
    for i in range(args.repeat):
        e2e.append(end_to_end(stays, beds, out))
        stages, peak = staged_run(stays, beds, out)
        for k, v in stages.items():
            staged[k].append(v)
        peaks.append(peak)
        print(f"   run {i + 1}/{args.repeat}: end to end {e2e[-1]:.2f} s, in process "
              f"{stages['total (in process)']:.2f} s (load {bk.load()})")
    rows = [{"stays": n, "stage": "end to end (new process)", "median_s": statistics.median(e2e),
             "min_s": min(e2e)}]
    order = ["read", "clean", "compute", "charts", "write", "other", "total (in process)"]
    keys = order + sorted(k for k in staged if k.startswith("compute:")) + \
        [k for k in staged if k.startswith("charts:")]
    for k in keys:
        rows.append({"stays": n, "stage": k, "median_s": statistics.median(staged[k]),
                     "min_s": min(staged[k])})
    rows.append({"stays": n, "stage": "peak extra RSS (MiB, in process)",
                 "median_s": statistics.median(peaks) / 2**20, "min_s": min(peaks) / 2**20})
    total = statistics.median(staged["total (in process)"])
    print(f"\n   {n:,} stays: medians of {args.repeat} runs; {out.stat().st_size / 1024:,.0f} "
          f"KiB of HTML; load {bk.load()}")
    print(f"   {'stage':<44} {'median':>9} {'min':>9} {'share':>6}")
    for r in rows:
        if r["stage"].startswith("peak"):
            print(f"   {r['stage']:<44} {r['median_s']:>9,.0f} {r['min_s']:>9,.0f}")
            continue
        share = "" if r["stage"].startswith(("end", "total")) else \
            f"{r['median_s'] / total:>6.0%}"
        print(f"   {r['stage']:<44} {r['median_s']:>8.2f}s {r['min_s']:>8.2f}s {share:>6}")
    calls = sum(statistics.median(v) for k, v in staged.items() if k.startswith("compute:"))
    print(f"   compute stage {statistics.median(staged['compute']):.2f} s; the KPI calls "
          f"in it {calls:.2f} s (summary() and the tables' calls)")
    return rows


def write_results(rows: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "report.csv"
    sizes = {r["stays"] for r in rows}
    old = []
    if path.exists():
        with path.open(newline="") as fh:
            old = [r for r in csv.DictReader(fh) if int(r["stays"]) not in sizes]
    fields = ["stays", "stage", "median_s", "min_s", "repeats", "load_before"]
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(old)
        for r in rows:
            prec = 0 if r["stage"].startswith("peak") else 2
            w.writerow({**r, "median_s": f"{r['median_s']:.{prec}f}",
                        "min_s": f"{r['min_s']:.{prec}f}"})
    display_table(path)
    print(f"\nwrote {path} and {path.with_name('report_table.csv')}")


def display_table(path: Path) -> None:
    """``report_table.csv``: one row per stage, median and min per size (for the docs)."""
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    sizes = sorted({int(r["stays"]) for r in rows})
    stages = list(dict.fromkeys(r["stage"] for r in rows))
    cell = {(int(r["stays"]), r["stage"]): r for r in rows}
    with path.with_name("report_table.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["stage"] + [f"{h} at {bk.size_tag(n)}" for n in sizes
                                for h in ("median", "min")])
        for stage in stages:
            out = [stage.replace("peak extra RSS (MiB, in process)",
                                 "peak extra memory, in process (MiB)")]
            for n in sizes:
                r = cell.get((n, stage))
                if r is None:
                    out += ["", ""]
                elif stage.startswith("peak"):
                    out += [f"{float(r['median_s']):.0f}", f"{float(r['min_s']):.0f}"]
                else:
                    out += [r["median_s"], r["min_s"]]
            w.writerow(out)
        loads = []
        for n in sizes:
            r = next(r for r in rows if int(r["stays"]) == n)
            loads += [r["load_before"].split()[0], f"{r['repeats']} runs"]
        w.writerow(["load average before (1 min), runs", *loads])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6],
                        help="numbers of stays (default: 1e6)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", default="/tmp/hospitalytics-bench",
                        help="folder of the cached data files and the report written")
    parser.add_argument("--rebuild", action="store_true", help="write the data files anew")
    parser.add_argument("--write-results", action="store_true",
                        help="write benchmarks/results/report.csv")
    args = parser.parse_args(argv)
    env = bk.machine("-")
    env.pop("DuckDB threads")
    print("; ".join(f"{k} {v}" for k, v in env.items()))
    rows = []
    for size in args.sizes:
        load_before = bk.load()
        for r in run_size(int(size), args):
            rows.append({**r, "repeats": args.repeat, "load_before": load_before})
    if args.write_results:
        write_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
