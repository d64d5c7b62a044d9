"""The hospital KPIs on Dask DataFrames: ``ddf.hospital.<kpi>(...)``.

Importing this module registers a ``hospital`` accessor on
:class:`dask.dataframe.DataFrame` (``import hospitalytics`` alone never imports dask;
install the extra with ``pip install hospitalytics[dask]``). The accessor offers
:func:`admissions`, :func:`discharges`, :func:`treatment_cost`, :func:`alos`,
:func:`bed_days`, :func:`average_daily_census`, :func:`census`, :func:`occupancy`,
:func:`occupancy_by_ward` and :func:`summary`, with the arguments of their pandas
namesakes in :mod:`hospitalytics.kpis` and the same results: the same definitions
(:mod:`hospitalytics.definitions`), the same period rules (:mod:`hospitalytics.periods`),
the same cleaning (:func:`hospitalytics.clean.prepare`, run on each partition) and the same
result types and labels.

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
Each KPI is a map over the partitions followed by a tree reduction of **partial
aggregates** (eight at a time): counts, sums, sums and counts of lengths of stay (an ALOS
is divided only at the end), occupied bed-days per ward, the daily census as a
``groups x days`` matrix from the engine's event sweep
(:func:`hospitalytics.census.occupied_census`) summed across partitions. Memory is bounded by
a partition plus these aggregates. Every partition is cleaned and read with the engine's
own :class:`hospitalytics.census.Stays`, with the **global** as-of date and period, so a
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
* **Other methods.** Breakdowns, bed board, long stays, plots and cleaning stay
  pandas-only: ``ddf.hospital.by_treatment`` raises an ``AttributeError`` that says so.
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

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from . import kpis
from ._frame import (
    GROUP_ROLES,
    MISSING_LABEL,
    Context,
    _key_codes,
    caller_stacklevel,
    group_codes,
    setup,
)
from .capacity import available_matrix, normalize_beds
from .census import NS_PER_DAY, Stays, occupied_census, occupied_totals
from .clean import normalize_labels, prepare
from .definitions import Definitions, get_definitions
from .errors import ArgumentError, DataQualityWarning
from .periods import Period, previous_month_same_days, resolve_period
from .schema import ROLES, resolve_roles

__all__ = [
    "DaskHospitalAccessor",
    "admissions",
    "alos",
    "average_daily_census",
    "bed_days",
    "census",
    "discharges",
    "occupancy",
    "occupancy_by_ward",
    "summary",
    "treatment_cost",
]

Columns = Mapping[str, str] | None
By = str | Sequence[str] | None

#: Partial aggregates combined per reduction task.
SPLIT_EVERY = 8

_TWINS = {"ward": "department", "department": "ward"}


def _day(ts: pd.Timestamp) -> int:
    return int(ts.value // NS_PER_DAY)


# ----------------------------------------------------------- partial aggregates
@dataclass
class _Labeled:
    """Values per group label (first axis), merged across partitions by label.

    ``orders`` holds, per grouping key, the key's labels in the partition's category order
    (``"(missing)"`` excluded), or None once two partitions disagree on it.
    """

    labels: list
    values: np.ndarray
    orders: tuple = ()


def _key_orders(frame: pd.DataFrame, by: By, labels: pd.Index) -> tuple:
    keys = _by_keys(by)
    if len(keys) == 1:
        return (tuple(x for x in labels if x != MISSING_LABEL),)
    return tuple(tuple(_key_codes(frame, k)[1]) for k in keys)


def _groups(frame: pd.DataFrame, by: By):
    """``group_codes`` plus a constructor of labelled partials for this partition."""
    codes, labels = group_codes(frame, by)
    if labels is None:
        return codes, None, None
    orders = _key_orders(frame, by, labels)

    def labeled(values: np.ndarray) -> _Labeled:
        return _Labeled(list(labels), values, orders)

    return codes, labels, labeled


def _merge_order(a: tuple | None, b: tuple | None) -> tuple | None:
    if a == ():  # a partition without real labels has no say on the order
        return b
    if b == ():
        return a
    return a if a == b else None


def _merge_orders(a: tuple, b: tuple) -> tuple:
    if not a or not b:
        return a or b
    return tuple(_merge_order(x, y) for x, y in zip(a, b, strict=True))


def _merge(a: Any, b: Any) -> Any:
    """Add two partial aggregates of the same shape (dicts, numbers, arrays, labels)."""
    if isinstance(a, dict):
        return {k: _merge(a[k], b[k]) if k in b else a[k] for k in a} | {
            k: v for k, v in b.items() if k not in a
        }
    if isinstance(a, _Labeled):
        orders = _merge_orders(a.orders, b.orders)
        if a.labels == b.labels:
            return _Labeled(a.labels, a.values + b.values, orders)
        pos = {lab: i for i, lab in enumerate(a.labels)}
        labels = a.labels + [lab for lab in b.labels if lab not in pos]
        pos = {lab: i for i, lab in enumerate(labels)}
        dtype = np.result_type(a.values, b.values)
        values = np.zeros((len(labels), *a.values.shape[1:]), dtype=dtype)
        values[: len(a.labels)] += a.values
        values[[pos[lab] for lab in b.labels]] += b.values
        return _Labeled(labels, values, orders)
    if isinstance(a, tuple):  # (min, max) of day numbers, None when a partition is empty
        lo = [x for x in (a[0], b[0]) if x is not None]
        hi = [x for x in (a[1], b[1]) if x is not None]
        return (min(lo) if lo else None, max(hi) if hi else None)
    return a + b


def _merge_all(parts: list) -> Any:
    out = parts[0]
    for p in parts[1:]:
        out = _merge(out, p)
    return out


def _tree(parts: list) -> Any:
    """Reduce Delayed partials ``SPLIT_EVERY`` at a time into one Delayed."""
    merge = dask.delayed(_merge_all, pure=True)
    while len(parts) > 1:
        parts = [merge(parts[i : i + SPLIT_EVERY]) for i in range(0, len(parts), SPLIT_EVERY)]
    return parts[0]


def _labels_index(part: _Labeled, keys: list[str]) -> pd.Index:
    """The group labels of the combined result, in the order pandas gives them.

    Per key: the categories' order when every partition has the same categories (known
    categories), the sorted labels otherwise, ``"(missing)"`` last. One key lists every
    category; several keys list the combinations present, ordered key by key.
    """
    orders = part.orders or (None,) * len(keys)
    if len(keys) == 1:
        real = [x for x in part.labels if x != MISSING_LABEL]
        labs = list(orders[0]) if orders[0] is not None else sorted(real)
        if len(labs) < len(part.labels):
            labs.append(MISSING_LABEL)
        return pd.Index(labs, name=keys[0], dtype=object)
    ranks = []
    for i, order in enumerate(orders):
        if order is None:
            order = sorted({t[i] for t in part.labels if t[i] != MISSING_LABEL})
        rank = {lab: j for j, lab in enumerate(order)}
        rank[MISSING_LABEL] = len(order)
        ranks.append(rank)
    combos = sorted(part.labels, key=lambda t: tuple(r[x] for r, x in zip(ranks, t, strict=True)))
    arrays = [np.asarray([t[i] for t in combos], dtype=object) for i in range(len(keys))]
    return pd.MultiIndex.from_arrays(arrays, names=keys)


def _aligned(part: _Labeled, index: pd.Index) -> np.ndarray:
    if len(index) == 0:
        return part.values[:0]
    pos = {lab: i for i, lab in enumerate(part.labels)}
    return part.values[[pos[lab] for lab in index]]


def _grouped(part: _Labeled | Any, by: By, *, name: str, dtype: str):
    """The combined per-group Series (or the total when ``by`` is None)."""
    if by is None:
        return part
    keys = _by_keys(by)
    index = _labels_index(part, keys)
    return pd.Series(_aligned(part, index).astype(dtype), index=index, name=name)


def _by_keys(by: By) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


# --------------------------------------------------------------- the job and passes
@dataclass(frozen=True)
class _Job:
    """One KPI over a Dask frame: what to read, how to read it and the period arguments."""

    name: str
    mapping: tuple  # ((role, column or None), ...) for prepare on each partition
    needs: tuple
    wants: tuple
    has: tuple  # canonical columns of the prepared frame
    by: Any = None
    start: Any = None
    end: Any = None
    mtd: bool = False
    qtd: bool = False
    ytd: bool = False
    as_of: Any = None
    defs: Definitions = field(default_factory=get_definitions)
    options: tuple = ()  # KPI-specific ((key, value), ...)

    def option(self, key: str, default: Any = None) -> Any:
        return dict(self.options).get(key, default)

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.mtd or self.qtd or self.ytd


@dataclass(frozen=True)
class _Window:
    """The resolved period and its day bounds (first day as the pandas engine finds it)."""

    period: Period
    lo: int
    hi: int

    @property
    def n_days(self) -> int:
        return max(self.hi - self.lo + 1, 0)


def _check_frame(ddf: object, name: str) -> dd.DataFrame:
    if not isinstance(ddf, dd.DataFrame):
        raise ArgumentError(
            f"hospitalytics.dask.{name} takes a dask DataFrame of stays, got "
            f"{type(ddf).__name__}; for pandas frames use hospitalytics.{name}."
        )
    return ddf


def _make_job(
    ddf: dd.DataFrame,
    name: str,
    *,
    columns: Columns = None,
    needs: Sequence[str] = (),
    wants: Sequence[str] = (),
    by: By = None,
    stays: bool = False,
    **kwargs: Any,
) -> tuple[_Job, list[str]]:
    """Validate against the frame's meta (same errors as pandas) and plan the columns.

    ``stays``: an event KPI, which reads the stay id (and the patient id) when the frame
    has one, to count each stay of several segments once.
    """
    _check_frame(ddf, name)
    meta = ddf._meta
    if stays and "stay_id" in resolve_roles(meta, columns):
        wants = (*wants, *kpis.STAY_ROLES)
    needs = list(needs)
    for key in _by_keys(by):
        if key in GROUP_ROLES:
            role = "age" if key == "age_group" else key
            if role not in needs:
                needs.append(role)
    # The pandas entrance on the empty meta frame: SchemaError / ArgumentError as in pandas.
    ctx = setup(meta, as_of="2000-01-01", columns=columns, needs=needs, wants=wants, by=by,
                needed_by=name)
    roles = resolve_roles(meta, columns)
    asked = {"admission_date", "discharge_date", "age", *needs, *wants}
    asked |= {_TWINS[r] for r in asked if r in _TWINS}
    mapping: dict[str, str | None] = {}
    for role in ROLES:
        if role in roles and role in asked:
            mapping[role] = roles[role]
        elif role in roles.ambiguous or (role in roles.explicit and role not in roles):
            mapping[role] = None  # stays unresolved on every partition, as on the whole frame
    if isinstance(by, list):
        by = tuple(by)
    job = _Job(name=name, mapping=tuple(mapping.items()), needs=tuple(needs),
               wants=tuple(dict.fromkeys(wants)), has=tuple(ctx.frame.columns), by=by,
               **kwargs)
    cols = list(dict.fromkeys(c for c in mapping.values() if c is not None))
    return job, cols


def _project(ddf: dd.DataFrame, cols: list[str]) -> dd.DataFrame:
    label = {str(c): c for c in ddf.columns}
    return ddf[[label[c] for c in cols]]


def _prepare(pdf: pd.DataFrame, job: _Job, roles: Sequence[str] | None = None) -> pd.DataFrame:
    mapping = dict(job.mapping)
    if roles is not None:
        mapping = {r: c for r, c in mapping.items() if r in roles or c is None}
        return prepare(pdf, columns=mapping, needed_by=job.name)
    return prepare(pdf, columns=mapping, needs=job.needs, wants=job.wants, needed_by=job.name)


_DATE_ROLES = ("admission_date", "discharge_date", "age")
#: A day before every stay, for KPIs whose result does not depend on the period's first day.
_BEFORE_ALL = -(2**40)


def _stats_partition(pdf: pd.DataFrame, job: _Job) -> tuple[int | None, int | None]:
    """First admission day and latest admission-or-discharge day of one partition."""
    stays = Stays(_prepare(pdf, job, _DATE_ROLES))
    if stays.n == 0:
        return (None, None)
    return (int(stays.adm_day.min()), stays.data_as_of)


def _stats(ddf: dd.DataFrame, job: _Job):
    """Delayed ``(first admission day, data as-of day)`` over all partitions (first pass)."""
    mapping = dict(job.mapping)
    cols = [mapping[r] for r in _DATE_ROLES if mapping.get(r)]
    part = dask.delayed(_stats_partition, pure=True)
    # Its own map_partitions step, so that no task is shared with the main pass: in a lazy
    # graph a shared partition would be held in memory from the first pass to the second.
    frame = _project(ddf, cols).map_partitions(lambda p: p, meta=_project(ddf, cols)._meta)
    return _tree([part(p, job) for p in frame.to_delayed()])


def _window(job: _Job, stats: tuple[int | None, int | None]) -> _Window:
    """Resolve the period as :func:`hospitalytics._frame.setup` does on a whole frame."""
    first_adm, data_day = stats
    data_as_of = None
    if data_day is not None:
        data_as_of = pd.Timestamp(data_day * NS_PER_DAY)
    elif job.as_of is None and job.end is None:
        data_as_of = pd.Timestamp.today().normalize()  # empty data: any date reads 0
    period = resolve_period(job.start, job.end, mtd=job.mtd, qtd=job.qtd, ytd=job.ytd,
                            as_of=job.as_of, data_as_of=data_as_of)
    return _Window(period, *_bounds(period, first_adm))


def _bounds(period: Period, first_adm: int | None) -> tuple[int, int]:
    """Return ``Context.day_bounds`` over the whole data.

    An unbounded period starts at the first admission on or before the as-of date.
    """
    hi = _day(period.end)
    if period.start is not None:
        return _day(period.start), hi
    if first_adm is None or first_adm > _day(period.as_of):
        return hi + 1, hi
    return first_adm, hi


def _context(pdf: pd.DataFrame, job: _Job, period: Period) -> Context:
    frame = _prepare(pdf, job)
    stays = Stays(frame)
    stays.set_as_of(_day(period.as_of))
    return Context(frame=frame, stays=stays, period=period)


def _run_partition(pdf: pd.DataFrame, job: _Job, window: Any, partial: Callable) -> Any:
    return partial(_context(pdf, job, window.period), job, window)


def _execute(
    ddf: dd.DataFrame,
    job: _Job,
    cols: list[str],
    partial: Callable,
    finalize: Callable,
    *,
    compute: bool,
    needs_first_day: bool = False,
    shuffle_on: str | None = None,
):
    """Plan and run a KPI: (first pass,) map partials over partitions, reduce, finalize."""
    if job.as_of is None or (needs_first_day and not job.bounded):
        stats = _stats(ddf, job)
        if compute:
            (stats,) = dask.compute(stats)
    else:  # the first day is not needed: clipping at any day before every stay is a no-op
        stats = (_BEFORE_ALL, None)
    window = _window(job, stats) if compute else dask.delayed(_window, pure=True)(job, stats)
    frame = _project(ddf, cols)
    if shuffle_on is not None:
        frame = _shuffled(frame, shuffle_on)
    run = dask.delayed(_run_partition, pure=True)
    total = _tree([run(p, job, window, partial) for p in frame.to_delayed()])
    if compute:
        (total,) = dask.compute(total)
        return finalize(total, job, window)
    return dask.delayed(finalize, pure=True)(total, job, window)


def _warn(message: str) -> None:
    warnings.warn(message, DataQualityWarning, stacklevel=caller_stacklevel())


#: The column of the normalised id hash the stays are shuffled on.
_KEY = "__hospitalytics_key__"


def _shuffled(frame: dd.DataFrame, column: str) -> dd.DataFrame:
    """The rows shuffled so that equal ids (patients or stays) share a partition.

    Numeric ids are shuffled on as they are. Text and object ids are shuffled on a hash of
    their normalised text (:func:`hospitalytics.clean.normalize_labels`, as the engine
    compares them: ``"7"``, ``" 7"`` and ``"7.0"`` are one id), so that ids the engine
    takes for one never land in two partitions.
    """
    label = {str(c): c for c in frame.columns}[column]
    dtype = frame._meta[label].dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return frame.shuffle(on=label)
    meta = frame._meta.assign(**{_KEY: pd.Series([], dtype="uint64")})
    keyed = frame.map_partitions(_id_hash, label, meta=meta)
    return keyed.shuffle(on=_KEY)


def _id_hash(pdf: pd.DataFrame, column: Any) -> pd.DataFrame:
    """Add a hash of each row's normalised id (one hash per distinct id, not per row)."""
    codes, uniques = pd.factorize(pdf[column], use_na_sentinel=True)
    text = np.array(["" if t is None else t for t in normalize_labels(pd.Index(uniques))],
                    dtype=object)
    hashes = pd.util.hash_array(text) if len(text) else np.zeros(0, dtype="uint64")
    key = np.where(codes >= 0, hashes[np.maximum(codes, 0)] if len(hashes) else 0, 0)
    return pdf.assign(**{_KEY: key.astype("uint64")})


def _stay_shuffle(job: _Job) -> str | None:
    """The column an event KPI shuffles on: each stay's segments in one partition.

    None without a stay id (rows are stays); the patient id when there is one (a stay's
    segments share it, and the readmissions need whole patients); the stay id otherwise.
    """
    if "stay_id" not in job.has:
        return None
    mapping = dict(job.mapping)
    return mapping["patient_id"] if "patient_id" in job.has else mapping["stay_id"]


# ------------------------------------------------------------------ partial kernels
def _count_partial(mask_of: Callable, side: str) -> Callable:
    def partial(ctx: Context, job: _Job, window: _Window):
        ev = ctx.events()
        mask = mask_of(ev)
        codes, labels, labeled = _groups(
            ev.frame if side == "admission" else ev.discharge_frame, job.by
        )
        if labels is None:
            return int(np.count_nonzero(mask))
        return labeled(np.bincount(codes[mask], minlength=len(labels)))

    return partial


def _count_final(name: str) -> Callable:
    def finalize(total, job: _Job, window: _Window):
        return _grouped(total, job.by, name=name, dtype="int64")

    return finalize


def _cost_partial(ctx: Context, job: _Job, window: _Window):
    basis = job.option("basis")
    ev = ctx.events()
    if basis == "admission":
        mask, side = kpis._admitted(ev), ev.frame
    else:
        mask, side = kpis._discharged(ev), ev.discharge_frame
    cost = ev.frame["cost"].to_numpy(dtype="float64", na_value=np.nan)
    missing = int(np.count_nonzero(mask & np.isnan(cost)))
    conflicts = kpis.cost_conflicts(ev, mask)
    codes, labels, labeled = _groups(side, job.by)
    if labels is None:
        return {"cost": float(np.nansum(cost[mask])), "missing": missing,
                "conflicts": conflicts}
    w = np.nan_to_num(cost[mask])
    return {"cost": labeled(np.bincount(codes[mask], weights=w, minlength=len(labels))),
            "missing": missing, "conflicts": conflicts}


def _cost_final(total, job: _Job, window: _Window):
    if total["missing"]:
        _warn(kpis.missing_cost_message(total["missing"]))
    if total["conflicts"]:
        _warn(kpis.cost_conflict_message(total["conflicts"]))
    return _grouped(total["cost"], job.by, name="treatment_cost", dtype="float64")


def _alos_partial(ctx: Context, job: _Job, window: _Window):
    ev = ctx.events()
    rows, los = kpis._alos_rows(ev, job.defs)
    codes, labels, labeled = _groups(kpis.alos_side(ev, job.defs), job.by)
    if labels is None:
        return {"sum": float(los.sum()), "n": len(rows)}
    return {
        "sum": labeled(np.bincount(codes[rows], weights=los, minlength=len(labels))),
        "n": labeled(np.bincount(codes[rows], minlength=len(labels))),
    }


def _alos_final(total, job: _Job, window: _Window):
    if job.by is None:
        n = total["n"]
        return float(total["sum"] / n) if n else float("nan")
    s = _grouped(total["sum"], job.by, name="alos", dtype="float64")
    n = _grouped(total["n"], job.by, name="alos", dtype="int64").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(n > 0, s.to_numpy() / np.maximum(n, 1), np.nan)
    return pd.Series(out, index=s.index, name="alos")


def _days_partial(ctx: Context, job: _Job, window: _Window):
    codes, labels, labeled = _groups(ctx.frame, job.by)
    if labels is None:
        return int(occupied_totals(ctx.stays, job.defs, None, 1, window.lo, window.hi)[0])
    days = occupied_totals(ctx.stays, job.defs, codes, len(labels), window.lo, window.hi)
    return labeled(days.astype("int64"))


def _bed_days_final(total, job: _Job, window: _Window):
    return _grouped(total, job.by, name="bed_days", dtype="int64")


def _adc_final(total, job: _Job, window: _Window):
    n_days = window.n_days
    if job.by is None:
        return float(total / n_days) if n_days else float("nan")
    days = _grouped(total, job.by, name="average_daily_census", dtype="float64")
    return pd.Series(days.to_numpy() / n_days if n_days else np.nan, index=days.index,
                     name="average_daily_census")


def _census_partial(ctx: Context, job: _Job, window: _Window):
    codes, labels, labeled = _groups(ctx.frame, job.by)
    n_groups = 1 if labels is None else len(labels)
    matrix = occupied_census(ctx.stays, job.defs, None if labels is None else codes, n_groups,
                             window.lo, window.n_days)
    return matrix[0] if labels is None else labeled(matrix)


def _census_final(total, job: _Job, window: _Window):
    lo, n_days = window.lo, window.n_days
    index = pd.DatetimeIndex(
        (np.arange(lo, lo + n_days, dtype="int64") * NS_PER_DAY).astype("datetime64[ns]"),
        name="date",
    )
    if job.by is None:
        return pd.DataFrame({"total": total}, index=index)
    labels = _labels_index(total, [job.by])
    matrix = _aligned(total, labels)
    out = pd.DataFrame(matrix.T, index=index, columns=labels)
    out["total"] = matrix.sum(axis=0)
    out.columns.name = job.by
    return out


def _ward_index(job: _Job) -> pd.Index:
    table = job.option("beds")
    return pd.Index(pd.unique(table["ward"]), name="ward")


def _ward_days(ctx: Context, job: _Job, lo: int, hi: int):
    """Occupied bed-days per capacity ward in ``[lo, hi]``, and those lost to other wards.

    The engine's :func:`hospitalytics.kpis.ward_days` on one partition: the lost bed-days
    are kept per ward label so that the warning names them once, with totals over all
    partitions.
    """
    _, occupied, lost = kpis.ward_days(ctx, job.option("beds"), job.defs, lo, hi)
    return occupied, _Labeled(list(lost.index), lost.to_numpy())


def _report_lost(lost: _Labeled, strict: bool) -> None:
    """Warn (or raise) once about the stays in wards without capacity, as the engine does."""
    kpis.warn_lost(pd.Series(lost.values, index=lost.labels, dtype="float64"), strict=strict)


def _ward_partial(ctx: Context, job: _Job, window: _Window):
    occupied, lost = _ward_days(ctx, job, window.lo, window.hi)
    return {"occupied": occupied, "lost": lost}


def _ward_final(total, job: _Job, window: _Window):
    table = job.option("beds")
    wards = _ward_index(job)
    _report_lost(total["lost"], job.option("strict"))
    occupied = total["occupied"]
    available = available_matrix(table, wards, window.lo, window.n_days).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(available > 0, occupied / np.where(available > 0, available, 1), np.nan)
    return pd.DataFrame(
        {"occupied_bed_days": occupied, "available_bed_days": available, "occupancy": rate},
        index=wards,
    )


def _occupancy_final(total, job: _Job, window: _Window):
    table = _ward_final(total, job, window)
    available = table["available_bed_days"].sum()
    return float(table["occupied_bed_days"].sum() / available) if available else float("nan")


# ---------------------------------------------------------------------- summary
def _summary_windows(window: _Window) -> dict[str, _Window]:
    """The summary's three periods: the whole period, MTD and the previous month's days."""
    a = window.period.as_of
    mtd = resolve_period(mtd=True, as_of=a)
    prev = previous_month_same_days(a)
    return {
        "period": window,
        "mtd": _Window(mtd, *_bounds(mtd, None)),  # both have a start: no first day needed
        "previous_mtd": _Window(prev, *_bounds(prev, None)),
    }


def _summary_partial(ctx: Context, job: _Job, window: _Window):
    has = set(job.has)
    defs = job.defs
    table = job.option("beds")
    ev = ctx.events()  # one row per stay for the events; the census reads every segment
    rules = kpis.ReadmissionRules()
    if "cost" in has:
        cost = ev.frame["cost"].to_numpy(dtype="float64", na_value=np.nan)
    with_beds = table is not None and "ward" in has
    if with_beds:  # bed-days per ward category; the categories with capacity
        codes, cats = kpis._ward_categories(ctx)
        in_beds = kpis._ward_lookup(ctx, _ward_index(job)) >= 0
    readmissions = "patient_id" in has and "discharge_date" in has
    windows = _summary_windows(window)
    out: dict[str, Any] = {}
    if with_beds:  # stays left out of occupancy, over the span of the three periods
        span_lo = min(w.lo for w in windows.values())
        span_hi = max(w.hi for w in windows.values())
        out["lost"] = _ward_days(ctx, job, span_lo, span_hi)[1]
    if readmissions:  # the partition holds whole patients (shuffled by patient)
        pairs, n = kpis.segment_shape(ctx)
        out["segments"] = {"pairs": pairs, "rows": n}
        found = kpis.disposition_bare_codes(ev, rules)
        out["bare_codes"] = _Labeled(list(found), np.ones(len(found), dtype="int64"))
    if "cost" in has:
        out["cost_conflicts"] = kpis.cost_conflicts(ev, kpis._admitted(ev))
    for col, w in windows.items():
        p, lo, hi = w.period, w.lo, w.hi
        v: dict[str, Any] = {"admissions": int(np.count_nonzero(kpis._admitted(ev, p)))}
        if "discharge_date" in has:
            v["discharges"] = int(np.count_nonzero(kpis._discharged(ev, p)))
            _, los = kpis._alos_rows(ev, defs, p)
            v["los_sum"] = float(los.sum())
            v["los_n"] = len(los)
        if "cost" in has:
            v["treatment_cost"] = float(np.nansum(cost[kpis._admitted(ev, p)]))
        if with_beds:
            per_cat = occupied_totals(ctx.stays, defs, codes, len(cats), lo, hi)
            v["bed_days"] = int(per_cat.sum())
            v["occupied"] = float(per_cat[in_beds].sum())
            if "discharge_date" in has:
                v["ward_discharges"] = kpis.ward_discharges(ev, _ward_index(job), p)
        else:
            v["bed_days"] = int(occupied_totals(ctx.stays, defs, None, 1, lo, hi)[0])
        v["in_patients"] = int(np.count_nonzero(kpis._open_at(ev, hi)))
        for k, n in kpis._long_stays(ev, p.end, (7, 14, 21), None, None).items():
            v[k] = int(n)
        if readmissions:
            v["readmissions"] = kpis.readmission_counts(ev, p, rules)
        out[col] = v
    return out


def _summary_final(total, job: _Job, window: _Window):
    has = set(job.has)
    defs = job.defs
    table = job.option("beds")
    windows = _summary_windows(window)
    if "segments" in total:
        msg = kpis.segment_message(total["segments"]["pairs"], total["segments"]["rows"])
        if msg:
            _warn(msg)
    if "bare_codes" in total and total["bare_codes"].labels:
        _warn(kpis.bare_codes_message(sorted(total["bare_codes"].labels,
                                             key=lambda t: (len(t), t))))
    if total.get("cost_conflicts"):
        _warn(kpis.cost_conflict_message(total["cost_conflicts"]))
    if "lost" in total:
        _report_lost(total["lost"], job.option("strict"))
    rows: dict[str, dict[str, float]] = {}
    for col, w in windows.items():
        t = total[col]
        n_days = w.n_days
        vals: dict[str, float] = {"admissions": t["admissions"]}
        if "discharge_date" in has:
            vals["discharges"] = t["discharges"]
        if "cost" in has:
            vals["treatment_cost"] = t["treatment_cost"]
        if "discharge_date" in has:
            n = t["los_n"]
            vals["alos"] = t["los_sum"] / n if n else np.nan
        bd = t["bed_days"]
        vals["bed_days"] = bd
        vals["average_daily_census"] = bd / n_days if n_days else np.nan
        if table is not None and "ward" in has:
            avail = available_matrix(table, _ward_index(job), w.lo, n_days).sum()
            vals["occupancy"] = float(t["occupied"] / avail) if avail else np.nan
            if "discharge_date" in has:
                turnover = float("nan")
                if n_days and avail:
                    turnover = float(t["ward_discharges"] / (avail / n_days))
                vals["bed_turnover"] = turnover
        vals["in_patients"] = t["in_patients"]
        for k in ("los_7plus", "los_14plus", "los_21plus"):
            vals[k] = t[k]
        if "patient_id" in has and "discharge_date" in has:
            vals["readmission_rate_30d"] = kpis.readmission_ratio(t["readmissions"])
        for k, v in vals.items():
            rows.setdefault(k, {})[col] = float(v)
    rules = kpis.ReadmissionRules()
    return kpis.summary_table(rows, {k: w.period for k, w in windows.items()}, defs,
                              readmissions=rules.describe("discharge_disposition" in has))


# ------------------------------------------------------------------- public KPIs
def admissions(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Count the stays admitted in a period: :func:`hospitalytics.admissions` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each (canonical or raw, as for the pandas function).
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`hospitalytics.admissions`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    int or Series or Delayed
        The count, or counts indexed by the groups (a Delayed with ``compute=False``).

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.admissions(ddf, by="ward")
    ward
    A    3
    B    2
    Name: admissions, dtype: int64
    >>> hd.admissions(ddf, mtd=True, compute=False).compute()
    5
    """
    job, cols = _make_job(ddf, "admissions", columns=columns, by=by, start=start, end=end,
                          mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, stays=True)
    return _execute(ddf, job, cols, _count_partial(kpis._admitted, "admission"),
                    _count_final("admissions"), compute=compute,
                    shuffle_on=_stay_shuffle(job))


def discharges(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Count the stays discharged in a period: :func:`hospitalytics.discharges` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.

    Returns
    -------
    int or Series or Delayed
        The count, or counts indexed by the groups.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.discharges(ddf, "2025-03-01", "2025-03-07")
    2
    """
    job, cols = _make_job(ddf, "discharges", columns=columns, needs=("discharge_date",),
                          by=by, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          stays=True)
    return _execute(ddf, job, cols, _count_partial(kpis._discharged, "discharge"),
                    _count_final("discharges"), compute=compute,
                    shuffle_on=_stay_shuffle(job))


def treatment_cost(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    basis: str = "admission",
    columns: Columns = None,
    compute: bool = True,
):
    """Total treatment cost of a period: :func:`hospitalytics.treatment_cost` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.
    basis : {"admission", "discharge"}, default "admission"
        Cost of the stays admitted, or discharged, in the period.

    Returns
    -------
    float or Series or Delayed
        The total cost, or totals per group.

    Warns
    -----
    DataQualityWarning
        Once, with the number of stays of the period without a cost.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.treatment_cost(ddf, by="ward")
    ward
    A    2400.0
    B    1250.0
    Name: treatment_cost, dtype: float64
    """
    if basis not in ("admission", "discharge"):
        raise ArgumentError(f"basis must be 'admission' or 'discharge', got {basis!r}.")
    needs = ("cost",) if basis == "admission" else ("cost", "discharge_date")
    job, cols = _make_job(ddf, "treatment_cost", columns=columns, needs=needs, by=by,
                          start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          options=(("basis", basis),), stays=True)
    return _execute(ddf, job, cols, _cost_partial, _cost_final, compute=compute,
                    shuffle_on=_stay_shuffle(job))


def alos(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Average length of stay in days: :func:`hospitalytics.alos` on Dask.

    Combines the sums and counts of the lengths of stay of each partition and divides
    once at the end.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        The conventions (default ``"who"``).

    Returns
    -------
    float or Series or Delayed
        ALOS in days, or per group (NaN where nothing is counted).

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.alos(ddf), hd.alos(ddf, definitions="hcup")
    (2.0, 1.75)
    """
    job, cols = _make_job(ddf, "alos", columns=columns, needs=("discharge_date",), by=by,
                          start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          defs=get_definitions(definitions), stays=True)
    return _execute(ddf, job, cols, _alos_partial, _alos_final, compute=compute,
                    shuffle_on=_stay_shuffle(job))


def bed_days(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Occupied bed-days by the midnight census: :func:`hospitalytics.bed_days` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here.

    Returns
    -------
    int or Series or Delayed
        Bed-days, or per group.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.bed_days(ddf)
    15
    """
    job, cols = _make_job(ddf, "bed_days", columns=columns, by=by, start=start, end=end,
                          mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          defs=get_definitions(definitions))
    return _execute(ddf, job, cols, _days_partial, _bed_days_final, compute=compute)


def average_daily_census(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Bed-days / days in the period: :func:`hospitalytics.average_daily_census` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, definitions, columns, compute
        As for :func:`bed_days`.

    Returns
    -------
    float or Series or Delayed
        Patients per day on average.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.average_daily_census(ddf, "2025-03-01", "2025-03-10")
    1.5
    """
    job, cols = _make_job(ddf, "average_daily_census", columns=columns, by=by, start=start,
                          end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          defs=get_definitions(definitions))
    return _execute(ddf, job, cols, _days_partial, _adc_final, compute=compute,
                    needs_first_day=True)


def census(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: str | None = "ward",
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """The daily midnight census per group: :func:`hospitalytics.census` on Dask.

    Each partition runs the engine's event sweep into a ``groups x days`` matrix; the
    matrices are added by group label.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, columns, compute
        As for :func:`admissions`.
    by : str or None, default "ward"
        One grouping role, or None for the total only.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here.

    Returns
    -------
    DataFrame or Delayed
        Indexed by date, one column per group and a ``"total"`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.census(ddf, "2025-03-01", "2025-03-05")
    ward        A  B  total
    date
    2025-03-01  1  0      1
    2025-03-02  1  0      1
    2025-03-03  2  0      2
    2025-03-04  1  0      1
    2025-03-05  1  1      2
    """
    if by is not None and not isinstance(by, str):
        raise ArgumentError("census takes one grouping role in by= (or None).")
    job, cols = _make_job(ddf, "census", columns=columns, by=by, start=start, end=end,
                          mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          defs=get_definitions(definitions))
    return _execute(ddf, job, cols, _census_partial, _census_final, compute=compute,
                    needs_first_day=True)


def occupancy_by_ward(
    ddf: dd.DataFrame,
    beds,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions: str | Definitions | None = None,
    strict: bool = False,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """Bed occupancy per ward: :func:`hospitalytics.occupancy_by_ward` on Dask.

    Partitions add their occupied bed-days per capacity ward; available bed-days come from
    ``beds`` once.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward, optionally with ``valid_from``/``valid_to``.
    start, end, mtd, qtd, ytd, as_of, columns, compute
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here.
    strict : bool, default False
        Raise instead of warning about stays in wards without capacity.

    Returns
    -------
    DataFrame or Delayed
        Indexed by ward: ``occupied_bed_days``, ``available_bed_days``, ``occupancy``.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.occupancy_by_ward(ddf, {"A": 2, "B": 1})
          occupied_bed_days  available_bed_days  occupancy
    ward
    A                  12.0                20.0        0.6
    B                   3.0                10.0        0.3
    """
    job, cols = _make_job(ddf, "occupancy_by_ward", columns=columns, needs=("ward",),
                          start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          defs=get_definitions(definitions),
                          options=(("beds", normalize_beds(beds)), ("strict", strict)))
    return _execute(ddf, job, cols, _ward_partial, _ward_final, compute=compute,
                    needs_first_day=True)


def occupancy(
    ddf: dd.DataFrame,
    beds,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions: str | Definitions | None = None,
    strict: bool = False,
    columns: Columns = None,
    compute: bool = True,
):
    """Pooled bed occupancy rate: :func:`hospitalytics.occupancy` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward.
    start, end, mtd, qtd, ytd, as_of, definitions, strict, columns, compute
        As for :func:`occupancy_by_ward`.

    Returns
    -------
    float or Delayed
        Occupied over available bed-days (0.85 means 85%); NaN without beds.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.occupancy(ddf, {"A": 2, "B": 1}, "2025-03-01", "2025-03-10")
    0.5
    """
    job, cols = _make_job(ddf, "occupancy", columns=columns, needs=("ward",), start=start,
                          end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          defs=get_definitions(definitions),
                          options=(("beds", normalize_beds(beds)), ("strict", strict)))
    return _execute(ddf, job, cols, _ward_partial, _occupancy_final, compute=compute,
                    needs_first_day=True)


def summary(
    ddf: dd.DataFrame,
    beds=None,
    *,
    start=None,
    end=None,
    as_of=None,
    definitions: str | Definitions | None = None,
    strict: bool = False,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """The KPI panel (period, MTD, previous month's same days): :func:`hospitalytics.summary`.

    One pass over the partitions computes every KPI for the three periods (after the first
    pass that finds the as-of date, unless ``as_of`` and ``start`` are given). When the data
    has patient ids and discharge dates, that pass runs over the stays shuffled by patient
    so that the 30-day readmission rate sees each patient's stays together.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame, optional
        Beds per ward; adds occupancy and bed turnover.
    start, end, as_of, definitions, strict, columns
        As for :func:`hospitalytics.summary`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    DataFrame or Delayed
        The same table as :func:`hospitalytics.summary`, ``attrs`` included.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> s = hd.summary(ddf, {"A": 2, "B": 1})
    >>> s.loc[["admissions", "alos", "occupancy"], "period"].tolist()
    [5.0, 2.0, 0.5]
    """
    table = None if beds is None else normalize_beds(beds)
    job, cols = _make_job(ddf, "summary", columns=columns, wants=kpis.SUMMARY_WANTS,
                          start=start, end=end, as_of=as_of, defs=get_definitions(definitions),
                          options=(("beds", table), ("strict", strict)), stays=True)
    if table is not None and "ward" not in job.has:
        _warn(kpis.BEDS_WITHOUT_WARD)
    shuffle_on = _stay_shuffle(job)
    if "patient_id" in job.has and "discharge_date" in job.has:
        shuffle_on = dict(job.mapping)["patient_id"]
    return _execute(ddf, job, cols, _summary_partial, _summary_final, compute=compute,
                    needs_first_day=True, shuffle_on=shuffle_on)


# --------------------------------------------------------------------- accessor
@dd.extensions.register_dataframe_accessor("hospital")
class DaskHospitalAccessor:
    """Hospital KPIs on a Dask DataFrame of stays: ``ddf.hospital.<kpi>(...)``.

    Registered by ``import hospitalytics.dask``. Each method is one call into the
    functions of this module, with the arguments of the pandas accessor plus
    ``compute=`` (see the module's laziness rule). The other pandas methods (breakdowns,
    plots, cleaning) are not partial-aggregate KPIs; use them on a pandas frame.

    Parameters
    ----------
    dask_obj : dask.dataframe.DataFrame
        The frame of stays.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import hospitalytics as hp
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> ddf.hospital.bed_days("2025-01-01", "2025-01-31") == df.hospital.bed_days(
    ...     "2025-01-01", "2025-01-31")
    True
    """

    def __init__(self, dask_obj: dd.DataFrame) -> None:
        self._ddf = dask_obj

    def admissions(self, start=None, end=None, **kwargs: Any):
        """Stays admitted in the period: see :func:`admissions`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.admissions(mtd=True)
        >>> want = df.hospital.admissions(mtd=True)
        >>> got == want
        True
        """
        return admissions(self._ddf, start, end, **kwargs)

    def discharges(self, start=None, end=None, **kwargs: Any):
        """Stays discharged in the period: see :func:`discharges`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.discharges("2025-01-01", "2025-01-31")
        >>> want = df.hospital.discharges("2025-01-01", "2025-01-31")
        >>> got == want
        True
        """
        return discharges(self._ddf, start, end, **kwargs)

    def treatment_cost(self, start=None, end=None, **kwargs: Any):
        """Total cost of the stays of the period: see :func:`treatment_cost`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.treatment_cost(by="department")
        >>> want = df.hospital.treatment_cost(by="department")
        >>> pd.testing.assert_series_equal(got, want)
        """
        return treatment_cost(self._ddf, start, end, **kwargs)

    def alos(self, start=None, end=None, **kwargs: Any):
        """Average length of stay in days: see :func:`alos`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.alos(by="ward")
        >>> want = df.hospital.alos(by="ward")
        >>> pd.testing.assert_series_equal(got, want)
        """
        return alos(self._ddf, start, end, **kwargs)

    def bed_days(self, start=None, end=None, **kwargs: Any):
        """Occupied bed-days by the midnight census: see :func:`bed_days`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.bed_days(ytd=True)
        >>> want = df.hospital.bed_days(ytd=True)
        >>> got == want
        True
        """
        return bed_days(self._ddf, start, end, **kwargs)

    def average_daily_census(self, start=None, end=None, **kwargs: Any):
        """Bed-days / days: see :func:`average_daily_census`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.average_daily_census(mtd=True)
        >>> want = df.hospital.average_daily_census(mtd=True)
        >>> abs(got - want) < 1e-9
        True
        """
        return average_daily_census(self._ddf, start, end, **kwargs)

    def census(self, start=None, end=None, **kwargs: Any):
        """The daily midnight census per group: see :func:`census`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.census("2025-01-01", "2025-01-07")
        >>> want = df.hospital.census("2025-01-01", "2025-01-07")
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return census(self._ddf, start, end, **kwargs)

    def occupancy(self, beds, start=None, end=None, **kwargs: Any):
        """Pooled bed occupancy rate: see :func:`occupancy`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.occupancy(beds, "2025-01-01", "2025-01-31")
        >>> want = df.hospital.occupancy(beds, "2025-01-01", "2025-01-31")
        >>> abs(got - want) < 1e-9
        True
        """
        return occupancy(self._ddf, beds, start, end, **kwargs)

    def occupancy_by_ward(self, beds, start=None, end=None, **kwargs: Any):
        """Occupancy per ward: see :func:`occupancy_by_ward`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.occupancy_by_ward(beds, mtd=True)
        >>> want = df.hospital.occupancy_by_ward(beds, mtd=True)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return occupancy_by_ward(self._ddf, beds, start, end, **kwargs)

    def summary(self, beds=None, **kwargs: Any):
        """The KPI panel with MTD and change: see :func:`summary`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.summary(beds)
        >>> want = df.hospital.summary(beds)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return summary(self._ddf, beds, **kwargs)

    def __getattr__(self, name: str):
        if not name.startswith("_") and hasattr(pd.DataFrame().hospital, name):
            raise AttributeError(
                f"ddf.hospital.{name} is not available on Dask DataFrames (it is not a "
                f"partial-aggregate KPI); compute a pandas frame first, e.g. "
                f"ddf.compute().hospital.{name}(...), or select rows before computing."
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
