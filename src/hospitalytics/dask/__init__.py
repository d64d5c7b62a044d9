"""The hospital KPIs on Dask DataFrames: ``ddf.hospital.<kpi>(...)``.

Importing this module registers a ``hospital`` accessor on
:class:`dask.dataframe.DataFrame` (``import hospitalytics`` alone never imports dask;
install the extra with ``pip install hospitalytics[dask]``). The accessor offers every
KPI of the pandas accessor -- :func:`admissions`, :func:`discharges`,
:func:`treatment_cost`, :func:`alos`, :func:`bed_days`, :func:`average_daily_census`,
:func:`census`, :func:`occupancy`, :func:`occupancy_by_ward`, :func:`bed_turnover`,
:func:`monthly_occupancy_by_ward`, :func:`bed_board`, :func:`long_stays`,
:func:`los_distribution`, :func:`readmission_rate`, :func:`monthly`,
:func:`by_treatment`, :func:`by_age_group` and :func:`summary` -- with the arguments of
their pandas namesakes in :mod:`hospitalytics.kpis` and the same results: each runs the
same KPI spec (:doc:`/architecture`), with the same definitions
(:mod:`hospitalytics.definitions`), the same period rules (:mod:`hospitalytics.periods`),
the same cleaning (:func:`hospitalytics.clean.prepare`, run on each partition) and the
same result types and labels.

The laziness rule
-----------------
Every method returns **what the pandas accessor returns** -- a Python number, or a small
pandas Series or DataFrame of aggregates -- computed when it is called. Pass
``compute=False`` to get instead **one** :class:`dask.delayed.Delayed` object that computes
to that same result, so that several KPIs can share one scheduler run::

    adm, los = dask.compute(ddf.hospital.admissions(compute=False),
                            ddf.hospital.alos(compute=False))

Nothing ever returns a Dask collection, and a result never mixes Delayed objects with
concrete values. Results are aggregates (one number per group, per day or per ward), so
they are small even when the stays are not.

How it computes
---------------
Each KPI is its spec's ``chunk`` mapped over the partitions followed by a tree reduction
of **partial aggregates** with its ``combine`` (eight at a time): counts, sums, sums and
counts of lengths of stay (an ALOS is divided only at the end), occupied bed-days per
ward, the daily census as a ``groups x days`` matrix from the engine's event sweep
(:func:`hospitalytics._sweep.occupied_census`) summed across partitions. Memory is
bounded by a partition plus these aggregates. Every partition is cleaned and read with
the engine's own :class:`hospitalytics._sweep.Stays`, with the **global** as-of date and
period, so a
stay that crosses partition boundaries in time is counted exactly as in pandas.

* **The as-of date.** Its default, the latest admission or discharge date in the data,
  needs a first, cheap pass (a max over the partitions of the date columns); the same pass
  gives the first admission date, where an unbounded period starts. An explicit
  ``as_of`` (with ``start`` given, or for KPIs that do not need the period's first day)
  saves that pass. The first pass is computed on its own before the main one; with
  ``compute=False`` both are in the one graph, and share no partition read, so that no
  partition is held in memory between them.
* **Groups.** Category codes differ between partitions, so partial results are combined
  by *label*. The order of the groups is that of the pandas result: per key, the
  categories' order when every partition has the same categories (a column with known
  categories), the sorted labels otherwise, ``"(missing)"`` last; with several keys, the
  combinations present, ordered key by key.
* **Readmissions.** :func:`summary`'s 30-day readmission rate needs each patient's stays
  together: when the data has patient ids (and discharge dates), the summary's single pass
  runs over the stays shuffled by patient id (Dask's shuffle: on one machine it spills to
  disk by default, so memory stays bounded; the ``dataframe.shuffle.method`` setting of
  Dask chooses another method). The rules are pandas': closed follow-up windows, deaths,
  acute transfers and self-discharges left out.
* **Ward segments.** With a ``stay_id`` column, :func:`admissions`, :func:`discharges`,
  :func:`treatment_cost`, :func:`alos` and :func:`summary` count each stay of several
  segments once, as pandas does: the rows are shuffled by patient (by stay id without
  patient ids) so that each stay's segments meet in one partition, where the engine
  collapses them. That shuffle is the price of a stay id column, even when every id is
  unique; the census, bed-days and occupancy never shuffle (they read every segment).
  Text ids are shuffled on a hash of their normalised text, so that ids the engine takes
  for one (``"7"``, ``" 7"``, ``"7.0"``) meet too.
* **Whole patients.** The readmission rate, the distinct patients of
  :func:`by_treatment` and :func:`by_age_group`, and the summary's readmission rate need
  each patient's stays together: with patient ids, they run over the stays shuffled by
  patient.
* **Other methods.** Cleaning, plots and the SPC and forecasting analyses are not
  partial-aggregate KPIs and stay pandas-only: ``ddf.hospital.standardize`` raises an
  ``AttributeError`` that says so.
* **Warnings.** The KPI warnings (stays without cost, wards without beds) are issued once,
  with totals over all partitions. Rows that :func:`~hospitalytics.clean.prepare` leaves
  out are reported per partition, by the worker that cleans it; run
  :func:`hospitalytics.standardize` (or write cleaned Parquet) first for one report.

Examples
--------
>>> import pandas as pd
>>> import dask.dataframe as dd
>>> import hospitalytics.dask
>>> stays = pd.DataFrame({
...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
...                                       "2025-03-05", "2025-03-09"]),
...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
...                                       "2025-03-08", "2025-03-10"]),
...     "ward": ["A", "B", "A", "B", "A"]})
>>> ddf = dd.from_pandas(stays, npartitions=2)
>>> ddf.hospital.admissions(mtd=True)
5
>>> ddf.hospital.alos(by="ward")
ward
A    2.0
B    2.0
Name: alos, dtype: float64
>>> lazy = ddf.hospital.bed_days(compute=False)
>>> lazy.compute()
15
>>> ddf.hospital.occupancy({"A": 2, "B": 1})
0.5
"""

from __future__ import annotations

from ._accessor import DaskHospitalAccessor
from ._functions import (
    admissions,
    alos,
    average_daily_census,
    bed_days,
    census,
    discharges,
    occupancy,
    occupancy_by_ward,
    summary,
    treatment_cost,
)
from ._tables import (
    bed_board,
    bed_turnover,
    by_age_group,
    by_treatment,
    long_stays,
    los_distribution,
    monthly,
    monthly_occupancy_by_ward,
    readmission_rate,
)

__all__ = [
    "DaskHospitalAccessor",
    "admissions",
    "alos",
    "average_daily_census",
    "bed_board",
    "bed_days",
    "bed_turnover",
    "by_age_group",
    "by_treatment",
    "census",
    "discharges",
    "long_stays",
    "los_distribution",
    "monthly",
    "monthly_occupancy_by_ward",
    "occupancy",
    "occupancy_by_ward",
    "readmission_rate",
    "summary",
    "treatment_cost",
]
