"""Breakdowns: monthly KPIs, per treatment and per age band."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._frame import DEFAULT_AGE_BINS, Context, by_keys, setup, validate_bins
from .._sweep import occupied_census
from ..capacity import available_matrix, normalize_beds
from ..definitions import (
    Definitions,
    get_definitions,
)
from ._kernels import (
    STAY_ROLES,
    Columns,
    admitted,
    alos_rows,
    capacity_wards,
    closed_wards,
    cost_array,
    cost_checks,
    discharged,
    month_starts,
    pooled_occupied,
    ratio,
    split_wards,
    ward_census_partial,
    warn_cost,
    warn_lost,
)
from ._specs import Labeled, Plan, Spec, aligned, groups, labels_index, run

__all__ = [
    "BY_AGE_GROUP",
    "BY_TREATMENT",
    "MONTHLY",
    "by_age_group",
    "by_treatment",
    "monthly",
    "monthly_needs",
]


# --------------------------------------------------------------------------- specs
def monthly_needs(table: pd.DataFrame | None) -> tuple[str, ...]:
    """The roles :func:`monthly` cannot do without (the ward, with beds)."""
    return ("ward",) if table is not None else ()


def _monthly_chunk(ctx: Context, plan: Plan) -> dict:
    has = plan.option("has")
    defs = plan.defs
    ev = ctx.events()  # stays for the events; the census below reads every segment
    st = ev.stays
    lo, n_days = plan.lo, plan.n_days
    _, offsets = month_starts(lo, n_days)
    n_m = len(offsets)
    starts = lo + offsets  # first day of each month column (the period's first day first)

    def per_month(days: np.ndarray, weights=None) -> np.ndarray:
        """Counts (or sums of ``weights``) per month of day numbers inside the period."""
        if not n_m:
            return np.zeros(0, dtype="float64" if weights is not None else "int64")
        month = np.searchsorted(starts, days, side="right") - 1
        out = np.bincount(month, weights=weights, minlength=n_m)
        return out if weights is not None else out.astype("int64")

    out: dict = {}
    adm_mask = admitted(ev, plan.period)
    adm_days = st.adm_day[adm_mask]
    out["admissions"] = per_month(adm_days)
    if "discharge_date" in has:
        out["discharges"] = per_month(st.dis_day[discharged(ev, plan.period)])
    if "cost" in has:
        cost = cost_array(ev)
        out["treatment_cost"] = per_month(adm_days, np.nan_to_num(cost[adm_mask]))
        out["cost_checks"] = cost_checks(ev, adm_mask, cost)
    if "discharge_date" in has:
        rows, los = alos_rows(ev, defs, plan.period)
        key = (st.dis_day if defs.alos_basis == "discharges" else st.adm_day)[rows]
        out["los_sum"] = per_month(key, los)
        out["los_n"] = per_month(key)
    if plan.option("beds") is not None and n_m:
        out["census"] = ward_census_partial(ctx, defs, lo, n_days)
    elif n_m:
        out["census"] = occupied_census(ctx.stays, defs, None, 1, lo, n_days)[0]
    return out


def _monthly_warn(total: dict, plan: Plan) -> None:
    if "cost_checks" in total:
        warn_cost(total["cost_checks"])
    table = plan.option("beds")
    if table is not None and isinstance(total.get("census"), Labeled):
        wards = capacity_wards(table)
        occ_w, lost = split_wards(total["census"], wards)
        _, offsets = month_starts(plan.lo, plan.n_days)
        avail_w = available_matrix(table, wards, plan.lo, plan.n_days)
        closed = closed_wards(wards, np.add.reduceat(occ_w, offsets, axis=1),
                              np.add.reduceat(avail_w, offsets, axis=1))
        warn_lost(pd.concat([lost, closed]), strict=False)


def _monthly_final(total: dict, plan: Plan) -> pd.DataFrame:
    has = plan.option("has")
    table = plan.option("beds")
    lo, n_days = plan.lo, plan.n_days
    months, offsets = month_starts(lo, n_days)
    n_m = len(months)
    out = pd.DataFrame(index=months)
    out["days"] = np.diff(np.append(offsets, n_days)) if n_m else np.array([], dtype="int64")
    out["admissions"] = total["admissions"]
    if "discharge_date" in has:
        out["discharges"] = total["discharges"]
    if "cost" in has:
        out["treatment_cost"] = total["treatment_cost"]
    if "discharge_date" in has:
        out["alos"] = ratio(total["los_sum"], total["los_n"])
    occ_m = avail_m = np.array([], dtype="float64")
    if table is not None and n_m:
        census = total["census"]
        wards = capacity_wards(table)
        occ_w, _ = split_wards(census, wards)
        out["bed_days"] = np.add.reduceat(census.values.sum(axis=0), offsets).astype("int64")
        avail_w = available_matrix(table, wards, lo, n_days)
        avail_wm = np.add.reduceat(avail_w, offsets, axis=1)
        occ_m = pooled_occupied(np.add.reduceat(occ_w, offsets, axis=1),
                                avail_wm).astype("float64")
        avail_m = avail_wm.sum(axis=0)
    elif n_m:
        out["bed_days"] = np.add.reduceat(total["census"], offsets).astype("int64")
    else:
        out["bed_days"] = np.array([], dtype="int64")
    if table is not None:
        out["available_bed_days"] = avail_m
        out["occupancy"] = ratio(occ_m, avail_m)
    return out


#: Monthly admissions, discharges, cost, ALOS, bed-days (and occupancy with beds), in
#: one pass over the stays and one census sweep.
MONTHLY = Spec("monthly", _monthly_chunk, _monthly_final, warn=_monthly_warn,
               wants=("cost", "discharge_date", *STAY_ROLES), events=True, first_day=True)


def _breakdown_chunk(ctx: Context, plan: Plan) -> dict:
    """Admissions, distinct patients and cost per group, over stays (``ctx.events()``)."""
    ev = ctx.events()
    codes, labels, labeled = groups(ev.frame, plan.by, age_bins=plan.option("age_bins"))
    mask = admitted(ev, plan.period)
    out = {"admissions": labeled(np.bincount(codes[mask], minlength=len(labels))
                                 .astype("int64"))}
    if "patient_id" in ev.frame:  # distinct per chunk: a chunk holds whole patients
        pid = ev.patient_codes()
        keep = mask & (pid >= 0)
        width = int(pid.max(initial=0)) + 1
        pairs = pd.unique(codes[keep] * width + pid[keep])  # distinct (group, patient)
        out["patients"] = labeled(np.bincount(pairs // width, minlength=len(labels))
                                  .astype("int64"))
    if "cost" in ev.frame:
        cost = cost_array(ev)
        out["total_cost"] = labeled(np.bincount(codes[mask], weights=np.nan_to_num(cost[mask]),
                                                minlength=len(labels)))
        out["n_cost"] = labeled(np.bincount(codes[mask & ~np.isnan(cost)],
                                            minlength=len(labels)).astype("int64"))
        out["cost_checks"] = cost_checks(ev, mask, cost)
    return out


def _breakdown_final(total: dict, plan: Plan) -> pd.DataFrame:
    index = labels_index(total["admissions"], by_keys(plan.by))
    out = pd.DataFrame(index=index)
    out["admissions"] = aligned(total["admissions"], index).astype("int64")
    if "patients" in total:
        out["patients"] = aligned(total["patients"], index).astype("int64")
    if "total_cost" in total:
        out["total_cost"] = aligned(total["total_cost"], index).astype("float64")
        out["mean_cost"] = ratio(out["total_cost"].to_numpy(),
                                 aligned(total["n_cost"], index))
    if plan.option("sort"):
        out = out.sort_values("admissions", ascending=False, kind="stable")
    return out


def _breakdown_warn(total: dict, plan: Plan) -> None:
    if "cost_checks" in total:
        warn_cost(total["cost_checks"])


#: Admissions, distinct patients and cost per treatment, largest first.
BY_TREATMENT = Spec("by_treatment", _breakdown_chunk,
                    lambda total, plan: _breakdown_final(total, plan.with_options(sort=True)),
                    warn=_breakdown_warn, needs=("treatment",),
                    wants=("cost", *STAY_ROLES), events=True, patients=True)
#: Admissions, distinct patients and cost per age band.
BY_AGE_GROUP = Spec("by_age_group", _breakdown_chunk, _breakdown_final, warn=_breakdown_warn,
                    needs=("age",), wants=("cost", *STAY_ROLES), events=True, patients=True)

# ------------------------------------------------------------------ breakdowns
def monthly(
    df: pd.DataFrame,
    beds=None,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions: str | Definitions | None = None,
    columns: Columns = None,
) -> pd.DataFrame:
    """Monthly admissions, discharges, cost, ALOS, bed-days (and occupancy with beds).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame, optional
        Beds per ward; adds ``available_bed_days`` and pooled ``occupancy`` per month.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        Conventions for ALOS and bed-days.

    Returns
    -------
    DataFrame
        Indexed by month (first day of the month, ``"month"``): ``days`` (days of the
        month inside the period), ``admissions``, ``discharges``, ``treatment_cost``
        (stays admitted in the month; present when the data has costs), ``alos``,
        ``bed_days``, and with beds ``available_bed_days`` and ``occupancy``.
        ``discharges`` and ``alos`` are NaN-free only when the data has discharge dates.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> m = hp.monthly(hp.datasets.load_sample())
    >>> int(m.loc["2025-01-01", "admissions"])
    2115
    """
    defs = get_definitions(definitions)
    table = None if beds is None else normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=monthly_needs(table), wants=MONTHLY.wants,
                needed_by="monthly")
    plan = Plan.of(ctx, "monthly", definitions=defs, beds=table,
                   has=tuple(ctx.frame.columns))
    return run(MONTHLY, ctx, plan)


def by_treatment(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Columns = None,
) -> pd.DataFrame:
    """Patient volume and cost per treatment type, for the stays admitted in the period.

    Parameters
    ----------
    df : DataFrame
        Stays with a ``treatment`` role.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.

    Returns
    -------
    DataFrame
        Indexed by treatment: ``admissions`` (stays), ``patients`` (distinct patients,
        when the data has patient ids), ``total_cost`` and ``mean_cost`` (when the data
        has costs), sorted by admissions, largest first.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> t = hp.by_treatment(hp.datasets.load_sample(), "2025-01-01", "2025-12-31")
    >>> list(t.columns)
    ['admissions', 'patients', 'total_cost', 'mean_cost']
    """
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=BY_TREATMENT.needs, wants=BY_TREATMENT.wants,
                by="treatment", needed_by="by_treatment")
    return run(BY_TREATMENT, ctx, Plan.of(ctx, "by_treatment", by="treatment"))


def by_age_group(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    bins: Sequence[float] | None = None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Columns = None,
) -> pd.DataFrame:
    """Admissions and cost per age band, for the stays admitted in the period.

    Parameters
    ----------
    df : DataFrame
        Stays with an ``age`` role (age at admission, years).
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.
    bins : sequence of numbers, optional
        Lower edges of the bands, starting at 0; the last band is open-ended. Default
        ``(0, 18, 45, 65, 75, 85)``: 0-17, 18-44, 45-64, 65-74, 75-84, 85+ (after the AHRQ
        HCUP age groups). Stays without an age form a ``"(missing)"`` band.

    Returns
    -------
    DataFrame
        Indexed by band (``"age_group"``): ``admissions``, and ``patients``,
        ``total_cost``, ``mean_cost`` where the data has them.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> a = hp.by_age_group(hp.datasets.load_sample(), "2025-01-01", "2025-12-31")
    >>> list(a.index)
    ['0-17', '18-44', '45-64', '65-74', '75-84', '85+']
    """
    edges = validate_bins(bins, name="bins", default=DEFAULT_AGE_BINS)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=BY_AGE_GROUP.needs, wants=BY_AGE_GROUP.wants,
                needed_by="by_age_group")
    return run(BY_AGE_GROUP, ctx, Plan.of(ctx, "by_age_group", by="age_group",
                                          age_bins=tuple(edges)))
