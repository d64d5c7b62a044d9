"""The Dask scheduler of the KPI specs: plan, (first pass,) map, tree-reduce, finish.

No KPI logic lives here: each KPI is a :class:`~hospitalytics.kpis._specs.Spec`
(written once in :mod:`hospitalytics.kpis`), which this module maps over the partitions
-- each cleaned and read with the engine's own :func:`~hospitalytics._frame.setup`
pieces, with the **global** as-of date and period -- and reduces with the spec's
``combine``, eight partials at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from .._clean_numbers import normalize_labels
from .._frame import GROUP_ROLES, Context, by_keys, setup
from .._sweep import NS_PER_DAY, Stays
from ..clean import prepare
from ..definitions import Definitions, get_definitions
from ..errors import ArgumentError, ArgumentTypeError
from ..kpis._specs import Plan, Spec, combine, combine_all, finish
from ..periods import Period, resolve_period
from ..schema import ROLES, resolve_roles

__all__ = ["SPLIT_EVERY", "Job", "check_frame", "pandas_only", "run_spec"]

#: Partial aggregates combined per reduction task.
SPLIT_EVERY = 8

_TWINS = {"ward": "department", "department": "ward"}
_DATE_ROLES = ("admission_date", "discharge_date", "age")
#: A day before every stay, for KPIs whose result does not depend on the period's first day.
_BEFORE_ALL = -(2**40)
#: The column of the normalised id hash the stays are shuffled on.
_KEY = "__hospitalytics_key__"


@dataclass(frozen=True)
class Job:
    """One KPI call over a Dask frame: what to read, how to read it, the period arguments."""

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
    defs: Definitions | None = None
    options: tuple = ()

    @property
    def bounded(self) -> bool:
        """True when the period has a first day of its own (no first pass needed for it)."""
        return self.start is not None or self.mtd or self.qtd or self.ytd


def check_frame(ddf: object, name: str) -> dd.DataFrame:
    """Raise ``ArgumentTypeError`` unless ``ddf`` is a Dask DataFrame."""
    if not isinstance(ddf, dd.DataFrame):
        raise ArgumentTypeError(
            f"hospitalytics.dask.{name} takes a dask DataFrame of stays, got "
            f"{type(ddf).__name__}; for pandas frames use hospitalytics.{name}.",
            argument="ddf", value=ddf, allowed="dask.dataframe.DataFrame",
        )
    return ddf


def pandas_only(name: str, **options) -> None:
    """Raise ``ArgumentError`` for options that only the pandas KPIs take (the clock's).

    The census by the clock (``at=``, ``freq=``) sweeps events at clock instants over
    the whole frame; it is not on Dask yet. The parameters are there so that the
    signatures match the pandas functions.
    """
    given = [k for k, v in options.items() if v is not None]
    if given:
        raise ArgumentError(
            f"hospitalytics.dask.{name}: {', '.join(f'{k}=' for k in given)} (the census by "
            "the clock) is not available on Dask; compute a pandas frame first, e.g. "
            f"hospitalytics.{name}(ddf.compute(), ...).",
            argument=given[0], value=options[given[0]], allowed=(None,),
        )


def _make_job(ddf: dd.DataFrame, name: str, *, columns, needs, wants, by, period: dict,
              defs, options: dict) -> tuple[Job, list[str]]:
    """Validate against the frame's meta (same errors as pandas) and plan the columns."""
    check_frame(ddf, name)
    meta = ddf._meta
    needs = list(needs)
    for key in by_keys(by):
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
    has = tuple(ctx.frame.columns)
    job = Job(name=name, mapping=tuple(mapping.items()), needs=tuple(needs),
              wants=tuple(dict.fromkeys(wants)), has=has, by=by, defs=defs,
              options=tuple(options.items()) + (("has", has),), **period)
    cols = list(dict.fromkeys(c for c in mapping.values() if c is not None))
    return job, cols


def _project(ddf: dd.DataFrame, cols: list[str]) -> dd.DataFrame:
    label = {str(c): c for c in ddf.columns}
    return ddf[[label[c] for c in cols]]


def _prepare(pdf: pd.DataFrame, job: Job, roles: Sequence[str] | None = None) -> pd.DataFrame:
    mapping = dict(job.mapping)
    if roles is not None:
        mapping = {r: c for r, c in mapping.items() if r in roles or c is None}
        return prepare(pdf, columns=mapping, needed_by=job.name)
    return prepare(pdf, columns=mapping, needs=job.needs, wants=job.wants, needed_by=job.name)


def _stats_partition(pdf: pd.DataFrame, job: Job) -> tuple[int | None, int | None]:
    """First admission day and latest admission-or-discharge day of one partition."""
    stays = Stays(_prepare(pdf, job, _DATE_ROLES))
    if stays.n == 0:
        return (None, None)
    return (int(stays.adm_day.min()), stays.data_as_of)


def _tree(parts: list, how) -> Any:
    """Reduce Delayed partials ``SPLIT_EVERY`` at a time into one Delayed."""
    merge = dask.delayed(combine_all, pure=True)
    while len(parts) > 1:
        parts = [merge(parts[i : i + SPLIT_EVERY], how)
                 for i in range(0, len(parts), SPLIT_EVERY)]
    return parts[0]


def _stats(ddf: dd.DataFrame, job: Job):
    """Delayed ``(first admission day, data as-of day)`` over all partitions (first pass)."""
    mapping = dict(job.mapping)
    cols = [mapping[r] for r in _DATE_ROLES if mapping.get(r)]
    part = dask.delayed(_stats_partition, pure=True)
    # Its own map_partitions step, so that no task is shared with the main pass: in a lazy
    # graph a shared partition would be held in memory from the first pass to the second.
    frame = _project(ddf, cols).map_partitions(lambda p: p, meta=_project(ddf, cols)._meta)
    return _tree([part(p, job) for p in frame.to_delayed()], combine)


def _day(ts: pd.Timestamp) -> int:
    return int(ts.value // NS_PER_DAY)


def _bounds(period: Period, first_adm: int | None) -> tuple[int, int]:
    """``Context.day_bounds`` over the whole data.

    An unbounded period starts at the first admission on or before the as-of date.
    """
    hi = _day(period.end)
    if period.start is not None:
        return _day(period.start), hi
    if first_adm is None or first_adm > _day(period.as_of):
        return hi + 1, hi
    return first_adm, hi


def _plan(job: Job, stats: tuple[int | None, int | None]) -> Plan:
    """The plan of the call, as :class:`~hospitalytics.kpis._specs.Plan.of` on a whole frame."""
    first_adm, data_day = stats
    data_as_of = None
    if data_day is not None:
        data_as_of = pd.Timestamp(data_day * NS_PER_DAY)
    elif job.as_of is None and job.end is None:
        data_as_of = pd.Timestamp.today().normalize()  # empty data: any date reads 0
    period = resolve_period(job.start, job.end, mtd=job.mtd, qtd=job.qtd, ytd=job.ytd,
                            as_of=job.as_of, data_as_of=data_as_of)
    lo, hi = _bounds(period, first_adm)
    return Plan(name=job.name, period=period, lo=lo, hi=hi,
                defs=job.defs if job.defs is not None else get_definitions(), by=job.by,
                options=job.options)


def _chunk(pdf: pd.DataFrame, job: Job, plan: Plan, spec: Spec) -> Any:
    frame = _prepare(pdf, job)
    stays = Stays(frame)
    stays.set_as_of(plan.as_of_day)
    return spec.chunk(Context(frame=frame, stays=stays, period=plan.period), plan)


def _id_hash(pdf: pd.DataFrame, column: Any) -> pd.DataFrame:
    """Add a hash of each row's normalised id (one hash per distinct id, not per row)."""
    codes, uniques = pd.factorize(pdf[column], use_na_sentinel=True)
    text = np.array(["" if t is None else t for t in normalize_labels(pd.Index(uniques))],
                    dtype=object)
    hashes = pd.util.hash_array(text) if len(text) else np.zeros(0, dtype="uint64")
    key = np.where(codes >= 0, hashes[np.maximum(codes, 0)] if len(hashes) else 0, 0)
    return pdf.assign(**{_KEY: key.astype("uint64")})


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


def _shuffle_on(spec: Spec, job: Job) -> str | None:
    """The column the rows are shuffled on, so that each chunk holds what the spec needs.

    Whole patients (readmissions, distinct patients) on the patient id; each stay's
    segments together on the patient id, or the stay id without one; nothing otherwise.
    """
    mapping = dict(job.mapping)
    if spec.patients and "patient_id" in job.has:
        return mapping["patient_id"]
    if spec.events and "stay_id" in job.has:
        return mapping["patient_id"] if "patient_id" in job.has else mapping["stay_id"]
    return None


def run_spec(
    ddf: dd.DataFrame,
    spec: Spec,
    *,
    columns: Mapping[str, str] | None = None,
    needs: Sequence[str] | None = None,
    wants: Sequence[str] | None = None,
    by: Any = None,
    definitions: str | Definitions | None = None,
    start=None,
    end=None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    compute: bool = True,
    **options: Any,
):
    """Run a KPI spec over a Dask frame: (first pass,) map partials, reduce, finish.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The stays.
    spec : Spec
        The KPI (from :mod:`hospitalytics.kpis`).
    columns, by, definitions, start, end, mtd, qtd, ytd, as_of
        As for the pandas function.
    needs, wants : sequence of str, optional
        The roles, when they differ from the spec's (they depend on the options).
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.
    **options
        The KPI's options (``beds``, ``strict``, ``basis`` ...), carried by the plan.

    Returns
    -------
    object
        The result of the pandas function, or a ``Delayed``.
    """
    period = {"start": start, "end": end, "mtd": mtd, "qtd": qtd, "ytd": ytd, "as_of": as_of}
    job, cols = _make_job(
        ddf, spec.name, columns=columns,
        needs=spec.needs if needs is None else needs,
        wants=spec.wants if wants is None else wants, by=by, period=period,
        defs=None if definitions is None else get_definitions(definitions), options=options,
    )
    if job.as_of is None or (spec.first_day and not job.bounded):
        stats = _stats(ddf, job)
        if compute:
            (stats,) = dask.compute(stats)
    else:  # the first day is not needed: clipping at any day before every stay is a no-op
        stats = (_BEFORE_ALL, None)
    plan = _plan(job, stats) if compute else dask.delayed(_plan, pure=True)(job, stats)
    frame = _project(ddf, cols)
    shuffle_on = _shuffle_on(spec, job)
    if shuffle_on is not None:
        frame = _shuffled(frame, shuffle_on)
    chunk = dask.delayed(_chunk, pure=True)
    total = _tree([chunk(p, job, plan, spec) for p in frame.to_delayed()], spec.combine)
    if compute:
        (total,) = dask.compute(total)
        return finish(spec, total, plan)
    return dask.delayed(finish, pure=True)(spec, total, plan)
