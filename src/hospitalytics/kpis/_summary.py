"""The KPI panel: every headline KPI for the period, MTD and the previous month."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .._frame import Context, setup
from .._sweep import NS_PER_DAY, occupied_census
from .._warn import warn
from ..capacity import available_matrix, normalize_beds
from ..definitions import Definitions, get_definitions
from ..periods import Period, previous_month_same_days, resolve_period
from ._beds import BED_TURNOVER, turnover
from ._counts import ADMISSIONS, DISCHARGES, TREATMENT_COST
from ._kernels import (
    BEDS_WITHOUT_WARD,
    Columns,
    admitted,
    capacity_wards,
    closed_wards,
    cost_conflict_message,
    cost_conflicts,
    long_stay_partial,
    mean_final,
    open_at,
    pooled_occupied,
    split_wards,
    ward_census_partial,
    warn_lost,
)
from ._los import ALOS
from ._readmissions import (
    ReadmissionRules,
    data_checks,
    readmission_counts,
    readmission_ratio,
    warn_data_checks,
)
from ._specs import Plan, Spec, run

__all__ = [
    "CONVENTIONS",
    "LONG_STAY_THRESHOLDS",
    "SUMMARY",
    "SUMMARY_ROWS",
    "SUMMARY_WANTS",
    "summary",
    "summary_plans",
    "summary_table",
]

# -------------------------------------------------------------------- summary
SUMMARY_ROWS = {
    "admissions": ("Admissions", "stays"),
    "discharges": ("Discharges", "stays"),
    "treatment_cost": ("Treatment cost", "currency"),
    "alos": ("Average length of stay", "days"),
    "bed_days": ("Occupied bed-days", "bed-days"),
    "average_daily_census": ("Average daily census", "patients"),
    "occupancy": ("Bed occupancy", "fraction"),
    "bed_turnover": ("Bed turnover", "discharges per bed"),
    "in_patients": ("In-patients at period end", "patients"),
    "los_7plus": ("In-patients with LOS 7+ days", "patients"),
    "los_14plus": ("In-patients with LOS 14+ days", "patients"),
    "los_21plus": ("In-patients with LOS 21+ days", "patients"),
    "readmission_rate_30d": ("30-day readmission rate", "fraction"),
}


# --------------------------------------------------------------------------- spec
#: The roles :func:`summary` reads when the data has them.
SUMMARY_WANTS = ("discharge_date", "cost", "patient_id", "ward", "stay_id",
                 "discharge_disposition")
#: The long-stay thresholds of the panel (days).
LONG_STAY_THRESHOLDS = (7, 14, 21)


def summary_plans(plan: Plan) -> dict[str, Plan]:
    """The panel's three columns: the whole period, MTD and the previous month's days."""
    a = plan.period.as_of
    out = {"period": plan}
    for col, p in (("mtd", resolve_period(mtd=True, as_of=a)),
                   ("previous_mtd", previous_month_same_days(a))):
        # both have a start: their bounds do not depend on the data
        out[col] = plan.with_period(p, int(p.start.value // NS_PER_DAY),
                                    int(p.end.value // NS_PER_DAY))
    return out


def _span(plans: dict[str, Plan]) -> tuple[int, int]:
    lo = min(p.lo for p in plans.values())
    return lo, max(max(p.hi for p in plans.values()) - lo + 1, 0)


def _with_beds(plan: Plan) -> bool:
    return plan.option("beds") is not None and "ward" in plan.option("has")


def _summary_chunk(ctx: Context, plan: Plan) -> dict:
    """Every KPI of the panel for the three periods, from the component specs' chunks."""
    has = plan.option("has")
    rules = ReadmissionRules()
    plans = summary_plans(plan)
    span_lo, span_days = _span(plans)
    ev = ctx.events()  # one row per stay for the events; the census reads every segment
    out: dict = {}
    # one census sweep over the span of the three periods; each period sums its days
    if _with_beds(plan):
        out["census"] = ward_census_partial(ctx, plan.defs, span_lo, span_days)
    else:
        out["census"] = occupied_census(ctx.stays, plan.defs, None, 1, span_lo, span_days)[0]
    if "patient_id" in has and "discharge_date" in has:  # the chunk holds whole patients
        out["checks"] = data_checks(ctx, rules)
    if "cost" in has:
        out["cost_conflicts"] = cost_conflicts(ev, admitted(ev, plan.period))
    for col, p in plans.items():
        v: dict = {"admissions": ADMISSIONS.chunk(ctx, p)}
        if "discharge_date" in has:
            v["discharges"] = DISCHARGES.chunk(ctx, p)
            v["alos"] = ALOS.chunk(ctx, p)
        if "cost" in has:
            v["treatment_cost"] = TREATMENT_COST.chunk(ctx, p.with_options(basis="admission"))
        if _with_beds(plan) and "discharge_date" in has:
            v["ward_discharges"] = BED_TURNOVER.chunk(ctx, p)
        v["in_patients"] = int(np.count_nonzero(open_at(ev, p.hi)))
        v["long_stays"] = long_stay_partial(ev, p.hi, LONG_STAY_THRESHOLDS, ev.frame, None)
        if "checks" in out:
            v["readmissions"] = readmission_counts(ev, p.period, rules)
        out[col] = v
    return out


def _summary_warn(total: dict, plan: Plan) -> None:
    if "checks" in total:
        warn_data_checks(total["checks"])
    table = plan.option("beds")
    if table is not None and "ward" not in plan.option("has"):
        warn(BEDS_WITHOUT_WARD)
    if _with_beds(plan):
        wards = capacity_wards(table)
        occ_w, lost = split_wards(total["census"], wards)
        span_lo, span_days = _span(summary_plans(plan))
        avail_w = available_matrix(table, wards, span_lo, span_days)
        for p in summary_plans(plan).values():
            days = slice(p.lo - span_lo, p.lo - span_lo + p.n_days)
            closed = closed_wards(wards, occ_w[:, days].sum(axis=1),
                                  avail_w[:, days].sum(axis=1))
            lost = pd.concat([lost, closed[~closed.index.isin(lost.index)]])
        warn_lost(lost, strict=plan.option("strict", False))
    if total.get("cost_conflicts"):
        warn(cost_conflict_message(total["cost_conflicts"]))


def _summary_final(total: dict, plan: Plan) -> pd.DataFrame:
    has = plan.option("has")
    table = plan.option("beds")
    plans = summary_plans(plan)
    span_lo, span_days = _span(plans)
    census = total["census"]
    if _with_beds(plan):
        wards = capacity_wards(table)
        occ_w = split_wards(census, wards)[0]
        census = census.values.sum(axis=0)
        avail_w = available_matrix(table, wards, span_lo, span_days)
    rows: dict[str, dict[str, float]] = {}
    for col, p in plans.items():
        t = total[col]
        n_days = p.n_days
        days = slice(p.lo - span_lo, p.lo - span_lo + n_days)
        vals: dict[str, float] = {"admissions": t["admissions"]}
        if "discharge_date" in has:
            vals["discharges"] = t["discharges"]
        if "cost" in has:
            vals["treatment_cost"] = t["treatment_cost"]["cost"]
        if "discharge_date" in has:
            vals["alos"] = mean_final(t["alos"], None, name="alos")
        bd = int(census[days].sum())
        vals["bed_days"] = bd
        vals["average_daily_census"] = bd / n_days if n_days else np.nan
        if _with_beds(plan):
            avail_p = avail_w[:, days].sum(axis=1)
            avail = avail_p.sum()
            occ = pooled_occupied(occ_w[:, days].sum(axis=1), avail_p)
            vals["occupancy"] = float(occ / avail) if avail else np.nan
            if "discharge_date" in has:
                vals["bed_turnover"] = turnover(t["ward_discharges"], table, p.lo, n_days,
                                                avail)
        vals["in_patients"] = t["in_patients"]
        vals.update(t["long_stays"])
        if "readmissions" in t:
            vals["readmission_rate_30d"] = readmission_ratio(t["readmissions"])
        for k, v in vals.items():
            rows.setdefault(k, {})[col] = float(v)
    rules = ReadmissionRules()
    periods = {k: p.period for k, p in plans.items()}
    if periods["period"].start is None and plan.lo <= plan.hi:
        # an unbounded period starts at the first admission: say which day that is
        periods["period"] = dataclasses.replace(
            periods["period"], start=pd.Timestamp(plan.lo * NS_PER_DAY))
    out = summary_table(rows, periods, plan.defs,
                        readmissions=rules.describe("discharge_disposition" in has))
    if "readmission_rate_30d" in out.index and rules.follow_up == "complete":
        # every index stay of a span is still in its follow-up window when the window of
        # the span's first day has not closed by the as-of date: its rate is NaN by rule
        out.attrs["follow_up_open"] = [
            col for col, p in plans.items()
            if p.lo <= p.hi and p.lo + rules.window > p.as_of_day and not np.isfinite(rows[
                "readmission_rate_30d"].get(col, np.nan))]
    return out


#: The KPI panel: a composition of the KPI specs over three periods, in one pass.
SUMMARY = Spec("summary", _summary_chunk, _summary_final, warn=_summary_warn,
               wants=SUMMARY_WANTS, events=True, patients=True, first_day=True)

def summary(
    df: pd.DataFrame,
    beds=None,
    *,
    start=None,
    end=None,
    as_of=None,
    definitions: str | Definitions | None = None,
    strict: bool = False,
    columns: Columns = None,
) -> pd.DataFrame:
    """The KPI panel: every headline KPI for the period, MTD and the previous month.

    One row per KPI; columns for the whole period (``start`` to ``end``, by default all the
    data through the as-of date), month-to-date, the previous month's same days (day 1 to
    N against day 1 to N, never a whole month), and the change. KPIs whose roles the data
    lacks (cost, discharge date, patient id, ward) are left out rather than raising.
    Snapshot KPIs (in-patients, long stays) are read at the end of each period. The
    30-day readmission rate follows :func:`readmission_rate`'s defaults in every column:
    only index stays whose window has closed by the as-of date (so month-to-date is NaN
    until its windows close, never an optimistic rate set against last month's), without
    deaths, acute transfers and self-discharges when the data has a discharge
    disposition. Ward segments sharing a ``stay_id`` count as one stay, except in the
    bed-days and occupancy.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame, optional
        Beds per ward; adds occupancy and bed turnover.
    start, end : date-like, optional
        The whole period (inclusive).
    as_of : date-like, optional
        The extract date; defaults to the latest date in the data.
    definitions : str or Definitions, optional
        Conventions for ALOS and bed-days (default ``"who"``).
    strict : bool, default False
        With ``beds``: raise :class:`~hospitalytics.errors.DataQualityError` instead of
        warning (once, over the three periods) about stays in wards without capacity.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping.

    Returns
    -------
    DataFrame
        Indexed by KPI (``"kpi"``): ``label``, ``unit``, ``period``, ``mtd``,
        ``previous_mtd``, ``change`` (MTD minus previous), ``change_pct`` (relative change)
        and ``convention``. ``attrs`` carries ``as_of``, the three periods described
        (``period``, ``mtd``, ``previous_mtd``; an unbounded period starts on the first
        admission) and as ISO dates (``start``, ``end``, ``mtd_start``, ``mtd_end``,
        ``previous_mtd_start``, ``previous_mtd_end``), the definitions and, with the
        readmission rate, ``follow_up_open``: the columns whose rate is NaN because no
        index stay's follow-up window has closed by the as-of date yet.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> s = hp.summary(hp.datasets.load_sample(), hp.datasets.load_sample_beds())
    >>> [int(v) for v in s.loc["admissions", ["mtd", "previous_mtd"]]]
    [1074, 929]
    >>> s.attrs["start"], s.attrs["mtd_start"], s.attrs["follow_up_open"]
    ('2023-10-01', '2025-12-01', ['mtd'])
    """
    defs = get_definitions(definitions)
    table = None if beds is None else normalize_beds(beds)
    ctx = setup(df, start=start, end=end, as_of=as_of, columns=columns, wants=SUMMARY.wants,
                needed_by="summary")
    plan = Plan.of(ctx, "summary", definitions=defs, beds=table, strict=strict,
                   has=tuple(ctx.frame.columns))
    return run(SUMMARY, ctx, plan)


#: What each summary KPI counts, where it is not the definitions' ALOS label.
CONVENTIONS = {
    "treatment_cost": "stays admitted in the period",
    "bed_days": "midnight census (admission day counted, not discharge)",
    "average_daily_census": "occupied bed-days / days in period",
    "occupancy": "pooled midnight census over the wards with beds",
    "readmission_rate_30d": ReadmissionRules().describe(False),
}


def summary_table(
    rows: dict[str, dict[str, float]],
    periods: dict[str, Period],
    defs: Definitions,
    readmissions: str | None = None,
) -> pd.DataFrame:
    """Assemble the KPI panel from ``{kpi: {"period"|"mtd"|"previous_mtd": value}}``.

    Shared by :func:`summary` and :mod:`hospitalytics.dask`: labels, units, the change
    columns, the convention of each KPI and the ``attrs`` describing the periods;
    ``readmissions`` describes the readmission rule in force.
    """
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "kpi"
    out.insert(0, "label", [SUMMARY_ROWS[k][0] for k in out.index])
    out.insert(1, "unit", [SUMMARY_ROWS[k][1] for k in out.index])
    out["change"] = out["mtd"] - out["previous_mtd"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["change_pct"] = np.where(
            out["previous_mtd"] != 0, out["change"] / out["previous_mtd"], np.nan
        )
    conventions = {**CONVENTIONS, "alos": defs.label()}
    if readmissions is not None:
        conventions["readmission_rate_30d"] = readmissions
    out["convention"] = [conventions.get(k, "") for k in out.index]
    out.attrs = {
        "as_of": str(periods["period"].as_of.date()),
        "period": periods["period"].describe(),
        "mtd": periods["mtd"].describe(),
        "previous_mtd": periods["previous_mtd"].describe(),
        "definitions": defs.label(),
    }
    for key, p in periods.items():  # the same spans as ISO dates, for machines
        prefix = "" if key == "period" else f"{key}_"
        out.attrs[f"{prefix}start"] = None if p.start is None else str(p.start.date())
        out.attrs[f"{prefix}end"] = str(p.end.date())
    return out
