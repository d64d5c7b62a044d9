"""Rebuild the bundled sample: ``python -m hospitalytics.datasets._build_sample``.

Writes ``data/sample_stays.csv.gz`` and ``data/sample_beds.csv`` next to this file. The
output is deterministic (fixed seeds, gzip header without a timestamp), so rebuilding with
the same numpy and pandas gives byte-identical files.

How the sample hospital is made
-------------------------------
Stays drawn independently (:func:`make_stays`) fill a fixed ward like a random queue: a
ward of 25 beds would swing by 10 points or more from month to month, which real wards
do not, because a bed manager admits patients only when there is a bed. The sample
models that: :func:`make_stays` draws about twice the demand the beds can take (the
candidates), and each day, for each ward, overnight candidates are admitted in random
order until the ward's midnight census reaches that day's planned occupancy; the others
are turned away (sent to another hospital, elective admissions postponed), and same-day
candidates are admitted at the same rate. Readmissions of patients already admitted go
first. The planned occupancy of :data:`PLAN` has a winter peak and slow day-to-day drift,
so monthly ward occupancy runs between about 75% (summer, on the cooler wards) and 97%
(winter, on the busiest), never over 100%.

The extract starts on 1 October 2023 with no patients admitted earlier (they are not in
it), so in the first weeks the census only counts the stays admitted since: the plan is
scaled by the share of a ward's steady census that stays admitted ``d`` days ago or later
make up. October 2023 therefore shows lower occupancy than the months after it, as any
extract of admissions from a date would.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._synthetic import format_ids, make_stays

#: Seed of the candidate stays and of the bed manager (``SEED + 1``).
SEED = 20251215
#: First and last admission dates; the last is also the extract date.
START = "2023-10-01"
END = "2025-12-15"
#: Candidate stays drawn by :func:`make_stays`: about twice what the beds can take.
N_CANDIDATES = 100_000
#: Winter peak of the candidates' admissions (see :func:`make_stays`).
DEMAND_SEASONALITY = 0.10

#: The ward plan: ``ward: (beds, mean planned occupancy, winter amplitude)``. The planned
#: occupancy of a day is ``mean * (1 + amplitude * cos(2 pi (day of year - 20) / 365.25))``
#: times a slow random drift: highest around 20 January. Elderly Care runs hot (over the
#: 92% planning ceiling most of the year), Maternity and Ortho Elective cool, Paediatrics has the
#: strongest winter peak (bronchiolitis) and Maternity almost none.
PLAN: dict[str, tuple[int, float, float]] = {
    "Cardio A": (26, 0.88, 0.05),
    "Acute Assessment": (30, 0.88, 0.07),
    "Medical 1": (28, 0.92, 0.06),
    "Medical 2": (26, 0.90, 0.06),
    "Elderly Care": (32, 0.935, 0.06),
    "Surgical 1": (24, 0.88, 0.05),
    "Surgical 2": (22, 0.87, 0.05),
    "Maternity": (22, 0.82, 0.02),
    "Oncology Unit": (20, 0.86, 0.04),
    "Ortho Trauma": (24, 0.89, 0.06),
    "Ortho Elective": (20, 0.84, 0.03),
    "Paediatric Ward": (20, 0.855, 0.09),
}

#: The day-to-day drift of the planned occupancy: an AR(1) with this standard deviation
#: (relative) and lag-one correlation (about a month's memory).
DRIFT_SD = 0.025
DRIFT_CORRELATION = 0.97

DATA = Path(__file__).with_name("data")


def _plan(wards: list[str], dates: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """Planned midnight census, beds x occupancy, per ward (rows) and day (columns)."""
    beds, mean, amplitude = (np.array([PLAN[w][i] for w in wards], dtype=float)
                             for i in range(3))
    doy = dates.day_of_year.to_numpy()
    season = np.cos(2.0 * np.pi * (doy - 20) / 365.25)
    shocks = rng.standard_normal((len(wards), len(dates)))
    shocks *= DRIFT_SD * np.sqrt(1.0 - DRIFT_CORRELATION**2)
    shocks[:, 0] = DRIFT_SD * rng.standard_normal(len(wards))
    drift = np.empty_like(shocks)
    drift[:, 0] = shocks[:, 0]
    for d in range(1, len(dates)):  # a loop over days (800), not rows
        drift[:, d] = DRIFT_CORRELATION * drift[:, d - 1] + shocks[:, d]
    return (beds * mean)[:, None] * (1.0 + amplitude[:, None] * season) * (1.0 + drift)


def _warm_up(ward: np.ndarray, nights: np.ndarray, n_wards: int, days: int) -> np.ndarray:
    """Share of each ward's steady census made of stays admitted since day 0, by day.

    At steady admissions, the census at the midnight of day ``d`` counts the stays with
    more than ``d - a`` nights among those admitted on day ``a``; summed over ``a = 0..d``
    that is ``E[min(nights, d + 1)] / E[nights]`` of the steady census.
    """
    out = np.empty((n_wards, days))
    horizon = np.arange(1, days + 1)
    for w in range(n_wards):  # a loop over wards
        los = np.sort(nights[ward == w])
        total = los.sum()
        cum = np.concatenate([[0], np.cumsum(los)])
        k = np.searchsorted(los, horizon, side="left")  # stays shorter than the horizon
        out[w] = (cum[k] + horizon * (los.size - k)) / total if total else 1.0
    return out


def make_sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample's stays and beds, as :func:`build` writes them.

    Returns
    -------
    tuple of DataFrame
        The stays (canonical frame) and the beds (``ward``, ``beds``).
    """
    start, end = pd.Timestamp(START), pd.Timestamp(END)
    candidates = make_stays(N_CANDIDATES, seed=SEED, start=start, end=end,
                            seasonality=DEMAND_SEASONALITY, open_at_end=False)
    rng = np.random.default_rng(SEED + 1)
    dates = pd.date_range(start, end, freq="D")
    days = len(dates)
    wards = list(candidates["ward"].cat.categories)
    n_wards = len(wards)

    adm = (candidates["admission_date"].to_numpy().astype("datetime64[D]")
           - np.datetime64(start.date(), "D")).astype(np.int64)
    disc = (candidates["discharge_date"].to_numpy().astype("datetime64[D]")
            - np.datetime64(start.date(), "D")).astype(np.int64)
    ward = candidates["ward"].cat.codes.to_numpy().astype(np.int64)
    patient = pd.factorize(candidates["patient_id"])[0]
    plan = _plan(wards, dates, rng) * _warm_up(ward, disc - adm, n_wards, days)

    # each day, each ward takes its candidates in order (readmissions of patients already
    # admitted first, the others at random) until its overnight patients fill the plan
    overnight = disc > adm
    bounds = np.searchsorted(adm, np.arange(days + 1))  # candidates are sorted by time
    priority = rng.random(len(candidates))
    keep = np.zeros(len(candidates), dtype=bool)
    admitted = np.zeros(int(patient.max()) + 1 if patient.size else 0, dtype=bool)
    leaving = np.zeros((n_wards, days + 1), dtype=np.int64)  # discharges by day
    census = np.zeros(n_wards, dtype=np.int64)
    for d in range(days):  # a loop over days; each step is vectorised over the day's rows
        census -= leaving[:, d]
        room = np.maximum(np.floor(plan[:, d] - census + 0.5), 0).astype(np.int64)
        rows = np.arange(bounds[d], bounds[d + 1])
        rows = rows[np.lexsort((priority[rows], ~admitted[patient[rows]], ward[rows]))]
        w = ward[rows]
        night = overnight[rows].astype(np.int64)
        before = np.cumsum(night) - night  # overnight rows ahead of this one, in its ward
        before -= before[np.searchsorted(w, w)]
        take = rows[before < room[w]]  # the ward still had a bed when they came
        keep[take] = True
        admitted[patient[take]] = True
        stay = take[overnight[take]]
        np.add.at(leaving, (ward[stay], np.minimum(disc[stay], days)), 1)
        census += np.bincount(ward[stay], minlength=n_wards)

    stays = candidates[keep].reset_index(drop=True)
    ends = stays["discharge_date"] >= end + pd.Timedelta(days=1)
    stays["discharge_date"] = stays["discharge_date"].mask(ends)  # still in hospital
    number = pd.factorize(stays["patient_id"])[0].astype(np.int64) + 1  # P000001, ...
    stays["patient_id"] = format_ids(number)
    beds = pd.DataFrame({"ward": pd.Series(wards, dtype=str),
                         "beds": np.array([PLAN[w][0] for w in wards], dtype=np.int64)})
    return stays, beds


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
    stays, beds = make_sample()
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


def occupancy(stays: pd.DataFrame, beds: pd.DataFrame) -> pd.Series:
    """Occupancy per ward over the whole span by the midnight census, as make_beds counts.

    Parameters
    ----------
    stays, beds : DataFrame
        The sample's stays and beds.

    Returns
    -------
    Series
        Occupied bed-days / (beds x days in span), indexed by ward.
    """
    adm = stays["admission_date"].dt.normalize()
    last = max(stays["admission_date"].max(), stays["discharge_date"].max()).normalize()
    disc = stays["discharge_date"].dt.normalize().fillna(last + pd.Timedelta(days=1))
    span = (last - adm.min()).days + 1
    bed_days = (disc - adm).dt.days.clip(lower=0).groupby(stays["ward"], observed=True).sum()
    return bed_days / (beds.set_index("ward")["beds"] * span)


def main() -> None:
    """Rebuild the files and print a short summary."""
    stays, beds = build()
    print(f"wrote {len(stays)} stays and {len(beds)} wards to {DATA}")
    table = beds.set_index("ward").assign(occupancy=occupancy(stays, beds).round(3))
    print(table.to_string())


if __name__ == "__main__":
    main()
