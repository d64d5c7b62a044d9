"""Breakdowns: monthly KPIs, per treatment and per age band."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._frame import DEFAULT_AGE_BINS, Context, by_keys, setup, validate_bins
from .._scan import ROWS
from .._sweep import NS_PER_DAY, occupied_census
from ..capacity import available_matrix, normalize_beds
from ..definitions import (
    Definitions,
    get_definitions,
)
from ._kernels import (
    STAY_ROLES,
    Columns,
    admitted,
    alos_blocks,
    capacity_wards,
    closed_wards,
    cost_array,
    cost_conflicts,
    discharged,
    distinct_patients,
    masked_bincount,
    month_starts,
    month_table,
    period_day_bounds,
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
    table = month_table(lo, n_days)  # day offset -> month column
    n_m = int(table[-1]) + 1 if len(table) else 0

    def per_month(ns: np.ndarray, mask: np.ndarray, weights=None):
        """Counts (and sums of ``weights``) per month of the rows of ``mask``, by block."""
        counts = np.zeros(n_m, dtype="int64")
        sums = np.zeros(n_m)
        for i in range(0, st.n, ROWS):
            m = mask[i : i + ROWS]
            month = table[ns[i : i + ROWS][m] // NS_PER_DAY - lo]
            counts += np.bincount(month, minlength=n_m)
            if weights is not None:
                sums += np.bincount(month, weights=weights[i : i + ROWS][m], minlength=n_m)
        return counts, sums

    out: dict = {}
    adm_mask = admitted(ev, plan.period)
    cost = cost_array(ev) if "cost" in has else None
    span = _admitted_span(ev, plan) if n_m else None
    if span is not None:  # rows in admission order: each month is a run of rows
        sl, cuts = span
        out["admissions"] = np.diff(cuts)
        if cost is not None:
            out["treatment_cost"], missing = _run_sums(cost[sl], cuts - sl.start)
    elif cost is not None:
        known = adm_mask & ~np.isnan(cost)
        out["admissions"] = per_month(st.adm_ns, adm_mask)[0]
        out["treatment_cost"] = per_month(st.adm_ns, known, cost)[1]
        missing = int(np.count_nonzero(adm_mask) - np.count_nonzero(known))
    else:
        out["admissions"] = per_month(st.adm_ns, adm_mask)[0]
    if cost is not None:
        out["cost_checks"] = {"missing": missing,
                              "conflicts": cost_conflicts(ev, adm_mask)}
    if "discharge_date" in has:
        out["discharges"] = per_month(st.dis_ns, discharged(ev, plan.period))[0]
        los_sum = np.zeros(n_m)
        los_n = np.zeros(n_m, dtype="int64")
        by_dis = defs.alos_basis == "discharges"
        for _, _, ad, dd, los in alos_blocks(ev, defs, plan.period):
            month = table[(dd if by_dis else ad) - lo]
            los_sum += np.bincount(month, weights=los, minlength=n_m)
            los_n += np.bincount(month, minlength=n_m)
        out["los_sum"] = los_sum
        out["los_n"] = los_n
    if plan.option("beds") is not None and n_m:
        out["census"] = ward_census_partial(ctx, defs, lo, n_days)
    elif n_m:
        out["census"] = occupied_census(ctx.stays, defs, None, 1, lo, n_days)[0]
    return out


def _admitted_span(ev: Context, plan: Plan) -> tuple[slice, np.ndarray] | None:
    """The admitted rows as one run and the run of each month, when rows are sorted.

    Returns ``(rows, cuts)``: ``cuts[k]:cuts[k + 1]`` are the rows admitted in month
    column ``k`` (``cuts[0]`` is the first row of the period, ``cuts[-1]`` its end).
    """
    st = ev.stays
    if not st.adm_sorted:
        return None
    lo, hi = period_day_bounds(ev, plan.period)
    hi = min(hi, st.as_of_day)
    _, offsets = month_starts(plan.lo, plan.n_days)
    bounds = np.append((plan.lo + offsets) * NS_PER_DAY, (hi + 1) * NS_PER_DAY)
    if lo is not None:
        bounds[0] = max(int(bounds[0]), lo * NS_PER_DAY)
    cuts = np.searchsorted(st.adm_ns, bounds, side="left").astype("int64")
    cuts = np.minimum(np.maximum.accumulate(cuts), cuts[-1])  # months past the end: empty
    return slice(int(cuts[0]), int(cuts[-1])), cuts


def _run_sums(values: np.ndarray, cuts: np.ndarray) -> tuple[np.ndarray, int]:
    """Sums of ``values`` over the runs ``cuts[k]:cuts[k + 1]``, and the NaN left out.

    Added in row order, as a bincount adds them.
    """
    nan = np.isnan(values)
    missing = int(np.count_nonzero(nan))
    if missing:
        values = np.where(nan, 0.0, values)
    sums = np.zeros(len(cuts) - 1)
    full = np.flatnonzero(np.diff(cuts) > 0)
    if len(full):
        sums[full] = np.add.reduceat(values, cuts[full])
    return sums, missing


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
    codes, labels, labeled = groups(ev.frame, plan.by, age_bins=plan.option("age_bins"),
                                    compact=True)
    mask = admitted(ev, plan.period)
    size = len(labels)
    out = {"admissions": labeled(masked_bincount(codes, mask, size))}
    if "patient_id" in ev.frame:  # distinct per chunk: a chunk holds whole patients
        out["patients"] = labeled(distinct_patients(ev, codes, mask, size))
    if "cost" in ev.frame:
        cost = cost_array(ev)
        known = mask & ~np.isnan(cost)
        out["total_cost"] = labeled(masked_bincount(codes, known, size, cost))
        out["n_cost"] = labeled(masked_bincount(codes, known, size))
        out["cost_checks"] = {"missing": int(np.count_nonzero(mask)
                                             - np.count_nonzero(known)),
                              "conflicts": cost_conflicts(ev, mask)}
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
