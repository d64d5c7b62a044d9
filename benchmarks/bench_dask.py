"""Benchmark ``hospitalytics.dask``: the KPI summary over partitioned Parquet.

Writes ``--n`` synthetic stays (default 5x10^7) as partitioned Parquet (``DIR/stays/``,
and the beds in ``DIR/beds.csv``), in chunks of
``--chunk`` stays (default 10^6), each chunk made by
:func:`hospitalytics.datasets.make_stays` with its own seed (patient ids are prefixed
with the chunk number, so patients do not repeat across chunks), one file per chunk. Each
chunk spans the same three years (2023-2025), so the whole is one large hospital. Ward
capacities are sized on the first chunk with ``make_beds`` and scaled to ``n``. The data
is reused when the directory already holds the same ``--n`` and ``--chunk``.

Then, in a fresh child process (so that its peak memory is the computation's alone),
reads the directory with ``dask.dataframe.read_parquet`` and computes
``ddf.hospital.summary(beds)`` with the threaded (default) or multiprocessing scheduler
and ``--workers`` workers (default 2). It prints the wall time of the summary and the peak
resident memory (``resource.getrusage`` maxrss) of the process and, with the
multiprocessing scheduler, of its largest worker, next to the size of the data on disk
and in memory as one pandas frame would hold it (estimated from the first chunk). The
summary makes two passes over the data: a cheap one for the as-of date, then one that
computes every KPI of the three periods over the stays shuffled by patient (for the
readmission rate); Dask's shuffle spills to disk on one machine.

``--kpis`` also times admissions (MTD), ALOS by ward, occupancy by ward and the ward
census; ``--check`` compares the summary with pandas on the whole frame (small ``--n``
only: it loads everything).

Run::

    python benchmarks/bench_dask.py                                 # 5e7 stays
    python benchmarks/bench_dask.py /tmp/hx-1e7 --n 1e7 --kpis
    python benchmarks/bench_dask.py /tmp/hx-1e6 --n 1e6 --check --scheduler processes
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

DEFAULT_DIR = "/tmp/hospitalytics-bench"

# dask's Parquet reader calls DataFrame.reset_index(inplace=True), deprecated in pandas 3.1.
warnings.filterwarnings(
    "ignore", message=r"The inplace keyword in DataFrame\.(set|reset)_index is deprecated"
)


def _mb(kib: int) -> float:
    return kib / 1024  # ru_maxrss is in KiB on Linux


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in (path / "stays").glob("*.parquet"))


def write(out: Path, n: int, chunk: int) -> dict:
    """Write the stays (or reuse them) and the beds; return the data description."""
    from hospitalytics.datasets import make_beds, make_stays

    marker = out / "_bench.json"
    if marker.exists():
        meta = json.loads(marker.read_text())
        if meta.get("n") == n and meta.get("chunk") == chunk:
            print(f"reusing {n:,} stays in {out}")
            return meta
    if out.exists():
        for f in [*(out / "stays").glob("part-*.parquet"), out / "beds.csv", marker]:
            f.unlink(missing_ok=True)
    (out / "stays").mkdir(parents=True, exist_ok=True)
    n_chunks = -(-n // chunk)
    t0 = time.perf_counter()
    frame_bytes = 0
    for i in range(n_chunks):
        size = min(chunk, n - i * chunk)
        df = make_stays(size, seed=1000 + i)
        df["patient_id"] = f"{i:04d}-" + df["patient_id"]
        if i == 0:
            beds = make_beds(df)
            beds["beds"] = (beds["beds"] * (n / size)).round().astype("int64")
            beds.to_csv(out / "beds.csv", index=False)
            frame_bytes = int(df.memory_usage(deep=True).sum() / size * n)
        df.to_parquet(out / "stays" / f"part-{i:05d}.parquet", index=False)
        if (i + 1) % 10 == 0 or i + 1 == n_chunks:
            print(f"  wrote {i + 1}/{n_chunks} chunks ({time.perf_counter() - t0:.0f} s)",
                  flush=True)
    meta = {"n": n, "chunk": chunk, "chunks": n_chunks, "frame_bytes": frame_bytes,
            "write_seconds": round(time.perf_counter() - t0, 1)}
    marker.write_text(json.dumps(meta))
    return meta


def compute(args: argparse.Namespace) -> None:
    """The child: read the Parquet with Dask and time the KPIs; print one JSON line."""
    import dask
    import dask.dataframe as dd
    import pandas as pd

    import hospitalytics.dask  # noqa: F401  (registers ddf.hospital)

    out = Path(args.dir)
    beds = pd.read_csv(out / "beds.csv")
    base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times: dict[str, float] = {}
    with dask.config.set(scheduler=args.scheduler, num_workers=args.workers):
        ddf = dd.read_parquet(str(out / "stays"))
        t0 = time.perf_counter()
        summary = ddf.hospital.summary(beds)
        times["summary"] = time.perf_counter() - t0
        if args.kpis:
            calls = {
                "admissions(mtd=True)": lambda: ddf.hospital.admissions(mtd=True),
                "alos(by='ward')": lambda: ddf.hospital.alos(by="ward"),
                "occupancy_by_ward(beds)": lambda: ddf.hospital.occupancy_by_ward(beds),
                "census(by='ward')": lambda: ddf.hospital.census(by="ward"),
            }
            for name, call in calls.items():
                t0 = time.perf_counter()
                call()
                times[name] = time.perf_counter() - t0
    check = None
    if args.check:
        import numpy as np

        df = pd.read_parquet(out / "stays")
        want = df.hospital.summary(beds)
        num = ["period", "mtd", "previous_mtd", "change"]
        check = bool(
            want.index.equals(summary.index)
            and np.allclose(summary[num].to_numpy(), want[num].to_numpy(), rtol=1e-12,
                            equal_nan=True)
            and summary.attrs == want.attrs
        )
    print(json.dumps({
        "times": times,
        "npartitions": ddf.npartitions,
        "peak_self_mib": _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "peak_workers_mib": _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        "base_mib": _mb(base_kib),
        "check": check,
        "summary": summary[["period", "mtd", "previous_mtd"]].round(4).to_dict("index"),
    }))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", default=DEFAULT_DIR,
                        help=f"directory for the Parquet files (default {DEFAULT_DIR})")
    parser.add_argument("--n", type=float, default=5e7, help="stays (default 5e7)")
    parser.add_argument("--chunk", type=float, default=1e6,
                        help="stays per chunk, file and partition (default 1e6)")
    parser.add_argument("--scheduler", choices=["threads", "processes"], default="threads")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kpis", action="store_true", help="also time other KPIs")
    parser.add_argument("--check", action="store_true",
                        help="compare with the pandas summary (loads all the data)")
    parser.add_argument("--clean", action="store_true", help="delete the data afterwards")
    parser.add_argument("--compute-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.compute_only:
        compute(args)
        return 0

    n, chunk = int(args.n), int(args.chunk)
    out = Path(args.dir)
    print(f"hospitalytics.dask benchmark: {n:,} stays, chunks of {chunk:,}, {out}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    meta = write(out, n, chunk)
    cmd = [sys.executable, __file__, str(out), "--n", str(n), "--chunk", str(chunk),
           "--scheduler", args.scheduler, "--workers", str(args.workers), "--compute-only"]
    cmd += ["--kpis"] * args.kpis + ["--check"] * args.check
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode:
        print(proc.stdout, proc.stderr, sep="\n")
        return proc.returncode
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    disk = _dir_size(out)
    print(f"data: {meta['chunks']} Parquet files / {res['npartitions']} partitions, "
          f"{disk / 2**30:.2f} GiB on disk, ~{meta['frame_bytes'] / 2**30:.1f} GiB as one "
          f"pandas frame (written in {meta.get('write_seconds', '?')} s)")
    print(f"scheduler: {args.scheduler}, {args.workers} workers")
    for name, sec in res["times"].items():
        print(f"  {name:<26} {sec:8.1f} s")
    print(f"child process wall time (imports, read, compute): {wall:.1f} s")
    print(f"peak RSS: {res['peak_self_mib']:.0f} MiB (process; {res['base_mib']:.0f} MiB "
          "after imports)"
          + (f", largest worker {res['peak_workers_mib']:.0f} MiB"
             if args.scheduler == "processes" else ""))
    if res["check"] is not None:
        print(f"equals pandas summary: {res['check']}")
    print("summary (period / MTD / previous MTD):")
    for kpi, row in res["summary"].items():
        print(f"  {kpi:<22} {row['period']:>18,.4f} {row['mtd']:>16,.4f} "
              f"{row['previous_mtd']:>16,.4f}")
    if args.clean:
        shutil.rmtree(out)
    return 0 if res["check"] in (None, True) else 1


if __name__ == "__main__":
    sys.exit(main())
