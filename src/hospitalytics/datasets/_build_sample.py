"""Rebuild the bundled sample: ``python -m hospitalytics.datasets._build_sample``.

Writes ``data/sample_stays.csv.gz`` and ``data/sample_beds.csv`` next to this file. The
output is deterministic (fixed seed, gzip header without a timestamp), so rebuilding with
the same numpy gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._synthetic import make_beds, make_stays

#: Parameters of the sample.
N_STAYS = 8_000
SEED = 20251215
START = "2023-10-01"
END = "2025-12-15"

#: Occupancy targets per ward (others use 85%): one ward runs hot, one runs cold.
TARGETS = {"Cardio A": 0.93, "Elderly Care": 0.68}

DATA = Path(__file__).with_name("data")


def build(data_dir: Path = DATA) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate the sample and write its two files into ``data_dir``.

    Parameters
    ----------
    data_dir : Path
        The folder to write into.

    Returns
    -------
    tuple of DataFrame
        The stays and the beds, as written.
    """
    stays = make_stays(N_STAYS, seed=SEED, start=START, end=END)
    beds = make_beds(stays, target_occupancy=TARGETS)
    out = stays.copy()
    out["age"] = out["age"].astype("int64")
    out.to_csv(
        data_dir / "sample_stays.csv.gz",
        index=False,
        date_format="%Y-%m-%d %H:%M",
        float_format="%.2f",
        compression={"method": "gzip", "mtime": 0},
    )
    beds.to_csv(data_dir / "sample_beds.csv", index=False)
    return stays, beds


def main() -> None:
    """Rebuild the files and print a short summary."""
    stays, beds = build()
    print(f"wrote {len(stays)} stays and {len(beds)} wards to {DATA}")


if __name__ == "__main__":
    main()
