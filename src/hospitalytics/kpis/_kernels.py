"""The kernels the KPIs share: period masks, group reductions, ward lookups, warnings.

Part of the engine's contract (public names in a private module): the KPI modules,
:mod:`hospitalytics.dask` and :mod:`hospitalytics.analysis` use these, never another
module's underscore names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._frame import MISSING_LABEL, Context
from .._scan import ROWS, between, count_between
from .._sweep import NS_PER_DAY, occupied_census, occupied_totals
from .._warn import warn
from ..definitions import Definitions
from ..errors import DataQualityError
from ..periods import Period
from ._specs import Labeled, aligned, grouped, groups

#: Default LOS bands (lower edges in nights): 0, 1, 2, 3, 4-7, 8-14, 15-21, 22+.
DEFAULT_LOS_BANDS: tuple[int, ...] = (0, 1, 2, 3, 4, 8, 15, 22)


Columns = Mapping[str, str] | None
By = str | Sequence[str] | None

#: Roles every event KPI reads when present: a stay id (segments of one stay are counted
#: once; see :meth:`hospitalytics._frame.Context.events`) within its patient.
STAY_ROLES = ("stay_id", "patient_id")


# --------------------------------------------------------------------------- kernels
def period_day_bounds(ctx: Context, period: Period | None = None) -> tuple[int | None, int]:
    """Inclusive day bounds of a period; ``None`` lower bound when unbounded."""
    p = ctx.period if period is None else period
    hi = int(p.end.value // NS_PER_DAY)
    lo = None if p.start is None else int(p.start.value // NS_PER_DAY)
    return lo, hi


NAT = np.iinfo("int64").min


def admitted(ctx: Context, period: Period | None = None) -> np.ndarray:
    """Stays admitted in the period (compared on the nanosecond values: no day arrays)."""
    lo, hi = period_day_bounds(ctx, period)
    hi = min(hi, ctx.stays.as_of_day)  # admitted after the as-of date: not yet
    return ctx.stays.admitted_between(None if lo is None else lo * NS_PER_DAY,
                                      (hi + 1) * NS_PER_DAY)


def discharged(ctx: Context, period: Period | None = None) -> np.ndarray:
    """Stays discharged in the period (and by the as-of date)."""
    lo, hi = period_day_bounds(ctx, period)
    hi = min(hi, ctx.stays.as_of_day)
    lo_ns = None if lo is None else lo * NS_PER_DAY
    st = ctx.stays
    # rows in admission order: a stay discharged by `hi` was admitted by then
    span = st.admitted_span(None, (hi + 1) * NS_PER_DAY)
    if span is not None and span.stop < st.n:
        out = np.zeros(st.n, dtype=bool)
        out[span] = between(st.dis_ns[span], lo_ns, (hi + 1) * NS_PER_DAY)
        return out
    # NaT (the int64 minimum) is never inside: not discharged
    return between(st.dis_ns, lo_ns, (hi + 1) * NS_PER_DAY)


def masked_bincount(codes: np.ndarray, mask: np.ndarray | None, size: int,
                    weights: np.ndarray | None = None) -> np.ndarray:
    """``np.bincount(codes[mask], weights[mask], minlength=size)``, block by block.

    No temporary grows with the frame (``codes[mask]`` of ten million rows would be a
    copy of 80 MB). Counts come back as int64, sums as float64.
    """
    out = np.zeros(size, dtype="float64" if weights is not None else "int64")
    n = len(codes)
    for i in range(0, n, ROWS):
        c = codes[i : i + ROWS]
        w = None if weights is None else weights[i : i + ROWS]
        if mask is not None:
            m = mask[i : i + ROWS]
            c = c[m]
            w = None if w is None else w[m]
        if len(c):
            out += np.bincount(c, weights=w, minlength=size)[:size]
    return out


def masked_sum(values: np.ndarray, mask: np.ndarray) -> tuple[float, int]:
    """The sum of ``values`` over ``mask`` (NaN left out) and how many were NaN, by block."""
    total = 0.0
    missing = 0
    for i in range(0, len(values), ROWS):
        m = mask[i : i + ROWS]
        v = values[i : i + ROWS]
        if not m.all():
            v = v[m]
        nan = np.isnan(v)
        k = int(np.count_nonzero(nan))
        total += float(v.sum() if not k else v[~nan].sum())
        missing += k
    return total, missing


def repeat_rows(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the patients with more than one row, by patient then admission.

    Returns ``(rows, patients)``: the row positions and their patient codes. Only these
    rows can hold a readmission, a repeated patient or back-to-back segments, so the
    sort behind them is over these rows alone (a patient seen once needs none). Computed
    once per context (``ctx.cache``).
    """
    if "repeat_rows" in ctx.cache:
        return ctx.cache["repeat_rows"]
    pid = ctx.patient_codes()
    if len(pid) == 0:
        empty = np.empty(0, dtype="int64")
        ctx.cache["repeat_rows"] = (empty, empty)
        return ctx.cache["repeat_rows"]
    top = int(pid.max())
    missing = bool((pid < 0).any())
    # rows per patient; a missing id (-1) is nobody (the last slot, cleared)
    counts = np.bincount(pid[pid >= 0] if missing else pid, minlength=top + 2)
    many = counts >= 2
    del counts
    many[-1] = False
    rows = np.flatnonzero(many[pid])
    p = pid[rows]
    if len(rows):
        order = _patient_admission_order(ctx, rows, p)
        rows, p = rows[order], p[order]
    ctx.cache["repeat_rows"] = (rows, p)
    return rows, p


def _patient_admission_order(ctx: Context, rows: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The order of ``rows`` by patient code, then admission (ties: row order)."""
    m = len(rows)
    width = max(m - 1, 1).bit_length()
    if ctx.stays.adm_sorted and int(p.max()).bit_length() + width <= 62:
        # rows in admission order: one sort of the packed (patient, position) keys
        key = (p.astype("int64") << width) | np.arange(m, dtype="int64")
        key.sort()
        key &= (1 << width) - 1
        return key
    return np.lexsort((np.arange(m), ctx.stays.adm_ns[rows], p))


def distinct_patients(ctx: Context, codes: np.ndarray, mask: np.ndarray,
                      size: int) -> np.ndarray:
    """Distinct patients per group code among the rows of ``mask`` (missing ids left out).

    A patient with a single row adds one to its row's group; only the rows of patients
    seen more than once (:func:`repeat_rows`) are deduplicated, by sorting their
    ``(group, patient)`` pairs.
    """
    pid = ctx.patient_codes()
    rows, p = repeat_rows(ctx)
    single = mask & (pid >= 0)
    single[rows] = False
    out = masked_bincount(codes, single, size)
    sel = mask[rows]
    if sel.any():
        key = codes[rows[sel]].astype("int64") * (int(p.max()) + 1) + p[sel]
        key.sort()
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        out += np.bincount(key[first] // (int(p.max()) + 1), minlength=size)[:size]
    return out


def discharged_count(ctx: Context, period: Period | None = None) -> int:
    """How many stays :func:`discharged` marks, counted block by block (no mask)."""
    lo, hi = period_day_bounds(ctx, period)
    hi = min(hi, ctx.stays.as_of_day)
    st = ctx.stays
    dis = st.dis_ns
    span = st.admitted_span(None, (hi + 1) * NS_PER_DAY)
    if span is not None:
        dis = dis[span]
    return count_between(dis, None if lo is None else lo * NS_PER_DAY, (hi + 1) * NS_PER_DAY)


def count_partial(mask: np.ndarray, frame: pd.DataFrame, by, *, age_bins=None):
    """Rows of ``mask``: an int, or :class:`~hospitalytics.kpis._specs.Labeled` per group."""
    codes, labels, labeled = groups(frame, by, age_bins=age_bins)
    if labels is None:
        return int(np.count_nonzero(mask))
    return labeled(masked_bincount(codes, mask, len(labels)))


def sum_partial(mask: np.ndarray, values: np.ndarray, frame: pd.DataFrame, by):
    """Sum of ``values`` over ``mask`` (NaN left out): a float, or labelled per group."""
    codes, labels, labeled = groups(frame, by)
    if labels is None:
        return float(np.nansum(values[mask]))
    return labeled(masked_bincount(codes, mask & ~np.isnan(values), len(labels), values))


def mean_partial(values: np.ndarray, rows: np.ndarray, frame: pd.DataFrame, by) -> dict:
    """Sum and count of ``values`` (one per row of ``rows``), in total or per group."""
    codes, labels, labeled = groups(frame, by)
    if labels is None:
        return {"sum": float(values.sum()), "n": len(rows)}
    c = codes[rows]
    return {"sum": labeled(np.bincount(c, weights=values, minlength=len(labels))),
            "n": labeled(np.bincount(c, minlength=len(labels)).astype("int64"))}


def mean_final(total: dict, by, *, name: str):
    """The mean from :func:`mean_partial` totals; NaN where nothing is counted."""
    if by is None:
        n = total["n"]
        return float(total["sum"] / n) if n else float("nan")
    s = grouped(total["sum"], by, name=name, dtype="float64")
    n = grouped(total["n"], by, name=name, dtype="int64").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(n > 0, s.to_numpy() / np.maximum(n, 1), np.nan)
    return pd.Series(out, index=s.index, name=name)


def ratio(num, den) -> np.ndarray | float:
    """``num / den`` where ``den > 0``, NaN elsewhere (no warning)."""
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return float(out) if out.ndim == 0 else out


def cost_array(ctx: Context) -> np.ndarray:
    """The cost per stay as float64 (NaN where missing)."""
    return ctx.frame["cost"].to_numpy(dtype="float64", na_value=np.nan)


def cost_checks(ctx: Context, mask: np.ndarray, cost: np.ndarray) -> dict:
    """Stays of ``mask`` without a cost, and with segments of different costs."""
    return {"missing": int(np.count_nonzero(mask & np.isnan(cost))),
            "conflicts": cost_conflicts(ctx, mask)}


def warn_cost(total: dict) -> None:
    """Warn once about the stays without a cost and the conflicting segment costs."""
    if total.get("missing"):
        warn(missing_cost_message(total["missing"]))
    if total.get("conflicts"):
        warn(cost_conflict_message(total["conflicts"]))


def cost_conflicts(ctx: Context, mask: np.ndarray) -> int:
    """Stays of ``mask`` whose segments carry different costs (0 for a frame of stays)."""
    if ctx.cost_conflicts is None:
        return 0
    return int(np.count_nonzero(mask & ctx.cost_conflicts))


def cost_conflict_message(n: int) -> str:
    """The warning about stays whose segments disagree on the cost (shared with Dask)."""
    return (
        f"{n} stay(s) have segments (rows with one stay_id) that carry different costs; "
        "each stay's cost is counted once, from its first segment with a cost. If the "
        "segments carry parts of the cost, put each stay's total on its first segment and "
        "leave the other segments' cost empty."
    )


def missing_cost_message(n: int) -> str:
    """The warning about stays without a cost (shared with :mod:`hospitalytics.dask`)."""
    return (
        f"{n} stay(s) in the period have no cost; the cost totals leave them out "
        "(hospitalytics.standardize(df) shows which rows)."
    )


#: The warning when beds are given but the data has no ward.
BEDS_WITHOUT_WARD = (
    "beds were given but no ward (or department) column could be found, so occupancy and "
    "bed turnover are left out of the summary; map the ward column with "
    "columns={'ward': '<your column>'}."
)


def alos_mask(ctx: Context, defs: Definitions, period: Period | None = None) -> np.ndarray:
    """Stays counted in an ALOS of the period, per the definitions."""
    mask = _alos_basis(ctx, defs, period)
    if defs.exclude_same_day:
        rows = np.flatnonzero(mask)
        mask[rows[ctx.stays.same_day_rows(rows)]] = False
    return mask


def _alos_basis(ctx: Context, defs: Definitions, period: Period | None) -> np.ndarray:
    if defs.alos_basis == "discharges":
        return discharged(ctx, period)
    return admitted(ctx, period) & ctx.stays.discharged


def alos_rows(ctx: Context, defs: Definitions, period: Period | None = None):
    """Positions of the stays in an ALOS, and their LOS."""
    rows = np.flatnonzero(alos_mask(ctx, defs, period))
    return rows, ctx.stays.los_rows(defs, rows)


def alos_blocks(ctx: Context, defs: Definitions, period: Period | None = None):
    """The stays of an ALOS block by block: no temporary grows with the frame.

    Yields ``(rows, mask, adm_day, dis_day, los)`` per block of rows that holds some:
    the block's slice, which of its rows count (same-day stays left out when the
    definitions say so), and their admission and discharge day numbers and LOS.
    """
    st = ctx.stays
    basis = _alos_basis(ctx, defs, period)
    for i in range(0, st.n, ROWS):
        sl = slice(i, i + ROWS)
        m = basis[sl]
        if m.all():  # every row of the block: views, no copies
            a, d = st.adm_ns[sl], st.dis_ns[sl]
        elif not m.any():
            continue
        else:
            a, d = st.adm_ns[sl][m], st.dis_ns[sl][m]
        ad = a // NS_PER_DAY
        dd = d // NS_PER_DAY
        if defs.exclude_same_day:
            keep = dd != ad
            if not keep.all():
                m = m.copy()
                m[np.flatnonzero(m)[~keep]] = False
                a, d, ad, dd = a[keep], d[keep], ad[keep], dd[keep]
        if defs.los_unit == "exact":
            los = (d - a) / NS_PER_DAY
        else:
            los = (dd - ad).astype("float64")
            if defs.same_day_los:
                los[los == 0] = float(defs.same_day_los)
        yield sl, m, ad, dd, los


def alos_partial(ctx: Context, defs: Definitions, period: Period | None,
                 frame: pd.DataFrame, by) -> dict:
    """Sum and count of the LOS of an ALOS, in total or per group (see :func:`mean_final`)."""
    codes, labels, labeled = groups(frame, by)
    if labels is None:
        total, n = 0.0, 0
        for _, _, _, _, los in alos_blocks(ctx, defs, period):
            total += float(los.sum())
            n += len(los)
        return {"sum": total, "n": n}
    size = len(labels)
    sums = np.zeros(size)
    counts = np.zeros(size, dtype="int64")
    for sl, m, _, _, los in alos_blocks(ctx, defs, period):
        c = codes[sl][m]
        sums += np.bincount(c, weights=los, minlength=size)
        counts += np.bincount(c, minlength=size)
    return {"sum": labeled(sums), "n": labeled(counts)}


def ward_categories(ctx: Context, side: str = "admission") -> tuple[np.ndarray, pd.Index]:
    """Ward category code per stay (missing ward: the last code) and the labels.

    The codes keep pandas' compact integer dtype; the labels end with ``"(missing)"``.
    ``side="discharge"`` reads each stay's discharge-side ward (its last segment's).
    """
    frame = ctx.frame
    if side == "discharge" and ctx.dis_frame is not None:
        frame = ctx.dis_frame
        key = "ward_categories_discharge"
    else:
        key = "ward_categories"
    if key not in ctx.cache:
        col = frame["ward"]
        if not isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype("category")
        cats = [str(c) for c in col.cat.categories]
        codes = col.cat.codes.to_numpy()
        if len(cats) + 1 > np.iinfo(codes.dtype).max:
            codes = codes.astype("int64")
        codes = np.where(codes < 0, len(cats), codes).astype(codes.dtype, copy=False)
        ctx.cache[key] = (codes, pd.Index(cats + [MISSING_LABEL], dtype=object))
    return ctx.cache[key]


def capacity_wards(table: pd.DataFrame) -> pd.Index:
    """The wards of a normalised beds table, in its order."""
    return pd.Index(pd.unique(table["ward"]), name="ward")


def ward_days_partial(ctx: Context, defs: Definitions, lo: int, hi: int) -> Labeled:
    """Occupied bed-days in ``[lo, hi]`` per ward label (every segment in its ward)."""
    codes, cats = ward_categories(ctx)
    return Labeled(list(cats), occupied_totals(ctx.stays, defs, codes, len(cats), lo, hi))


def ward_census_partial(ctx: Context, defs: Definitions, lo: int, n_days: int) -> Labeled:
    """The daily census per ward label (labels x days) from day ``lo``."""
    codes, cats = ward_categories(ctx)
    return Labeled(list(cats), occupied_census(ctx.stays, defs, codes, len(cats), lo, n_days))


def split_wards(total: Labeled, wards: pd.Index) -> tuple[np.ndarray, pd.Series]:
    """Values of the capacity wards (in ``wards`` order), and the bed-days lost elsewhere.

    ``total`` holds values per ward label (bed-days, or a census row per label); the
    lost bed-days are those of the labels without capacity, ``"(missing)"`` included.
    """
    occupied = aligned(total, wards)
    known = set(wards) - {MISSING_LABEL}
    lost_labels = [lab for lab in total.labels if lab not in known]
    pos = {lab: i for i, lab in enumerate(total.labels)}
    per = np.array([total.values[pos[lab]].sum() for lab in lost_labels], dtype="float64")
    keep = per > 0
    lost = pd.Series(per[keep], index=pd.Index([lab for lab, k in zip(lost_labels, keep,
                                                                     strict=True) if k],
                                              dtype=object), dtype="float64")
    return occupied, lost


def pooled_occupied(occupied: np.ndarray, available: np.ndarray) -> np.ndarray:
    """The pooled numerator: occupied bed-days of the wards with beds available.

    ``occupied`` and ``available`` are wards x periods (or one value per ward); a ward
    with no available bed-day in a period (0 beds) has no beds its patients could fill,
    so its bed-days are left out of that period's pooled occupancy (and warned about by
    :func:`closed_wards`), as those of wards missing from the beds table are.
    """
    return np.where(np.asarray(available) > 0, occupied, 0).sum(axis=0)


def closed_wards(wards: pd.Index, occupied: np.ndarray, available: np.ndarray) -> pd.Series:
    """Bed-days of wards that had patients but no beds in a period, for the warning."""
    lost = np.where(np.asarray(available) > 0, 0, occupied)
    if lost.ndim == 2:
        lost = lost.sum(axis=1)
    keep = lost > 0
    return pd.Series(lost[keep].astype("float64"),
                     index=pd.Index([f"{w!s} [no beds in the period]"
                                     for w in wards[keep]], dtype=object))


def lost_wards_message(lost: pd.Series) -> str:
    """The message naming the bed-days left out of occupancy, per ward label."""
    listing = ", ".join(
        f"{w!s} ({int(d)} bed-days)" for w, d in sorted(lost.items(), key=lambda x: str(x[0]))
    )
    return (
        f"stays in wards without bed capacity are left out of occupancy: {listing}. "
        "Add those wards to beds, or fix the ward names."
    )


def warn_lost(lost: pd.Series, *, strict: bool) -> None:
    """Warn (or raise, when ``strict``) about bed-days left out of occupancy; never silent."""
    if lost.empty:
        return
    msg = lost_wards_message(lost)
    if strict:
        raise DataQualityError(msg)
    warn(msg)


def alos_side(ev: Context, defs: Definitions) -> pd.DataFrame:
    """The labels an ALOS groups by: the discharge side, or the admission side."""
    return ev.discharge_frame if defs.alos_basis == "discharges" else ev.frame


def month_table(lo: int, n_days: int) -> np.ndarray:
    """The month column (0, 1 ...) of each day of ``n_days`` from day ``lo``."""
    _, offsets = month_starts(lo, n_days)
    if not len(offsets):
        return np.zeros(0, dtype="int64")
    return np.repeat(np.arange(len(offsets)), np.diff(np.append(offsets, n_days)))


def month_starts(lo: int, n_days: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Month starts covering ``n_days`` from day ``lo`` and their column offsets."""
    if n_days <= 0:
        return pd.DatetimeIndex([], name="month"), np.array([], dtype="int64")
    first = np.datetime64(int(lo), "D").astype("datetime64[M]")
    last = np.datetime64(int(lo + n_days - 1), "D").astype("datetime64[M]")
    months = np.arange(first, last + 1)
    offsets = months.astype("datetime64[D]").astype("int64") - lo
    offsets[0] = 0
    return pd.DatetimeIndex(months.astype("datetime64[ns]"), name="month"), offsets


def open_at(ctx: Context, day: int) -> np.ndarray:
    """Stays in hospital at the end of ``day`` (admitted by then, not discharged)."""
    st = ctx.stays
    limit = (min(day, st.as_of_day) + 1) * NS_PER_DAY
    span = st.admitted_span(None, (day + 1) * NS_PER_DAY)
    if span is not None:  # rows in admission order: only those admitted by then
        out = np.zeros(st.n, dtype=bool)
        out[span] = ~between(st.dis_ns[span], None, limit)
        return out
    return st.admitted_between(None, (day + 1) * NS_PER_DAY) & ~between(st.dis_ns, None,
                                                                        limit)


def long_stay_partial(ctx: Context, day: int, thresholds, frame: pd.DataFrame, by) -> dict:
    """In-patients at the end of ``day`` with a LOS so far of at least each threshold."""
    inside = open_at(ctx, day)
    out = {}
    st = ctx.stays
    for t in thresholds:
        # LOS so far at the end of `day` = day - admission day + 1 (midnights, as bed_days
        # counts them): at least t days when admitted on or before day - t + 1
        bound = (day - int(t) + 2) * NS_PER_DAY
        span = st.admitted_span(None, bound)
        if span is not None and by is None:  # in admission order: a prefix of the rows
            out[f"los_{int(t)}plus"] = int(np.count_nonzero(inside[span]))
            continue
        long = inside & st.admitted_between(None, bound)
        out[f"los_{int(t)}plus"] = count_partial(long, frame, by)
    return out


def band_labels(edges: Sequence[int]) -> list[str]:
    """Labels ``"0"``, ``"4-7"``, ``"22+"`` of LOS bands from their lower edges."""
    labels = []
    for lo, hi in zip(edges, list(edges[1:]) + [None], strict=True):
        if hi is None:
            labels.append(f"{lo:g}+")
        elif hi - lo == 1:
            labels.append(f"{lo:g}")
        else:
            labels.append(f"{lo:g}-{hi - 1:g}")
    return labels
