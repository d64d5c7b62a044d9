"""The KPIs: admissions, discharges, treatment cost, ALOS, bed-days, occupancy and more.

Every function takes a frame of stays first (canonical, or raw with column names that can
be inferred or mapped with ``columns=``) and returns pandas objects or Python scalars. The
same period arguments everywhere:

``start``, ``end``
    Inclusive calendar dates; ``None`` puts no bound on that side.
``mtd``, ``qtd``, ``ytd``
    Month-, quarter- or year-to-date through the as-of date.
``as_of``
    The extract date; defaults to the latest admission or discharge date in the data,
    never to today. Stays admitted after it do not exist yet, discharges after it have not
    happened (those stays are open and occupy beds through the as-of date).
``by``
    A grouping role (``"department"``, ``"ward"``, ``"location"``, ``"treatment"``,
    ``"age_group"``) or a list of them: the result is then a Series indexed by the groups,
    with every category of the data (zeros included) and a ``"(missing)"`` group for rows
    with no value, so groups always add up to the total.

A frame of ward segments (several rows per stay, sharing a ``stay_id`` within their
patient) gives both answers: the event KPIs (admissions, discharges, cost, LOS,
readmissions, breakdowns) count each stay once, from its first admission to its last
discharge; the census, bed-days and occupancy read every segment in its own ward (see
:ref:`segments`).

Conventions follow :mod:`hospitalytics.definitions` (default preset ``"who"``: calendar
days, a same-day stay counts as 1 day, ALOS per discharge). Bed-days and occupancy use the
midnight census: a stay occupies a bed on each day ``d`` with ``date(admission) <= d <
date(discharge)``; a same-day stay adds no bed-day unless ``day_case_bed_day`` is set.

Examples
--------
>>> import hospitalytics as hp
>>> df = hp.datasets.load_sample()
>>> hp.admissions(df, "2025-01-01", "2025-01-31")
347
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._frame import (
    DEFAULT_AGE_BINS,
    MISSING_LABEL,
    Context,
    caller_stacklevel,
    group_codes,
    id_codes,
    setup,
    validate_bins,
)
from .capacity import available_matrix, beds_on, normalize_beds
from .census import NS_PER_DAY, occupied_census, occupied_totals
from .definitions import (
    DISPOSITION_EXCLUSIONS,
    Definitions,
    bare_codes,
    classify_dispositions,
    get_definitions,
    planned_admissions,
)
from .errors import ArgumentError, DataQualityError, DataQualityWarning
from .periods import Period, previous_month_same_days, resolve_period

__all__ = [
    "DEFAULT_LOS_BANDS",
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

#: Default LOS bands (lower edges in nights): 0, 1, 2, 3, 4-7, 8-14, 15-21, 22+.
DEFAULT_LOS_BANDS: tuple[int, ...] = (0, 1, 2, 3, 4, 8, 15, 22)

Columns = Mapping[str, str] | None
By = str | Sequence[str] | None

#: Roles every event KPI reads when present: a stay id (segments of one stay are counted
#: once; see :meth:`hospitalytics._frame.Context.events`) within its patient.
STAY_ROLES = ("stay_id", "patient_id")


# --------------------------------------------------------------------------- kernels
def _bounds(ctx: Context, period: Period | None = None) -> tuple[int | None, int]:
    """Inclusive day bounds of a period; ``None`` lower bound when unbounded."""
    p = ctx.period if period is None else period
    hi = int(p.end.value // NS_PER_DAY)
    lo = None if p.start is None else int(p.start.value // NS_PER_DAY)
    return lo, hi


_NAT = np.iinfo("int64").min


def _admitted(ctx: Context, period: Period | None = None) -> np.ndarray:
    """Stays admitted in the period (compared on the nanosecond values: no day arrays)."""
    lo, hi = _bounds(ctx, period)
    hi = min(hi, ctx.stays.as_of_day)  # admitted after the as-of date: not yet
    adm = ctx.stays.adm_ns
    mask = adm < (hi + 1) * NS_PER_DAY
    if lo is not None:
        mask &= adm >= lo * NS_PER_DAY
    return mask


def _discharged(ctx: Context, period: Period | None = None) -> np.ndarray:
    """Stays discharged in the period (and by the as-of date)."""
    lo, hi = _bounds(ctx, period)
    hi = min(hi, ctx.stays.as_of_day)
    dis = ctx.stays.dis_ns
    mask = dis < (hi + 1) * NS_PER_DAY
    mask &= dis >= (_NAT + 1 if lo is None else lo * NS_PER_DAY)  # NaT: not discharged
    return mask


def _reduce(mask, codes, labels, weights=None, *, name: str, dtype: str):
    """Sum (or count) over ``mask``, in total or per group."""
    if labels is None:
        if weights is None:
            return int(np.count_nonzero(mask))
        return float(np.nansum(weights[mask]))
    w = None if weights is None else np.nan_to_num(weights[mask])
    out = np.bincount(codes[mask], weights=w, minlength=len(labels))
    return pd.Series(out.astype(dtype), index=labels, name=name)


def _mean_rows(values, rows, codes, labels, *, name: str):
    """Mean of ``values`` (one per selected row); NaN where nothing is counted."""
    if labels is None:
        return float(values.sum() / len(rows)) if len(rows) else float("nan")
    c = codes[rows]
    total = np.bincount(c, weights=values, minlength=len(labels))
    count = np.bincount(c, minlength=len(labels))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return pd.Series(out, index=labels, name=name)


def _cost_values(ctx: Context, mask: np.ndarray) -> np.ndarray:
    cost = ctx.frame["cost"].to_numpy(dtype="float64", na_value=np.nan)
    missing = int(np.count_nonzero(mask & np.isnan(cost)))
    if missing:
        warnings.warn(missing_cost_message(missing), DataQualityWarning,
                      stacklevel=caller_stacklevel())
    conflicts = cost_conflicts(ctx, mask)
    if conflicts:
        warnings.warn(cost_conflict_message(conflicts), DataQualityWarning,
                      stacklevel=caller_stacklevel())
    return cost


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


def _alos_mask(ctx: Context, defs: Definitions, period: Period | None = None) -> np.ndarray:
    if defs.alos_basis == "discharges":
        mask = _discharged(ctx, period)
    else:
        mask = _admitted(ctx, period) & ctx.stays.discharged
    if defs.exclude_same_day:
        rows = np.flatnonzero(mask)
        mask[rows[ctx.stays.same_day_rows(rows)]] = False
    return mask


def _alos_rows(ctx: Context, defs: Definitions, period: Period | None = None):
    """Positions of the stays in an ALOS, and their LOS."""
    rows = np.flatnonzero(_alos_mask(ctx, defs, period))
    return rows, ctx.stays.los_rows(defs, rows)


def _ward_categories(ctx: Context, side: str = "admission") -> tuple[np.ndarray, pd.Index]:
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


def _ward_lookup(ctx: Context, wards: pd.Index) -> np.ndarray:
    """Index into ``wards`` per ward category (-1: no capacity, or no ward)."""
    _, cats = _ward_categories(ctx)
    lookup = wards.get_indexer(cats[:-1])
    return np.append(lookup, -1)


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
    warnings.warn(msg, DataQualityWarning, stacklevel=caller_stacklevel())


def _lost(ctx: Context, per_category: np.ndarray, lookup: np.ndarray) -> pd.Series:
    """Bed-days per ward label without capacity (``"(missing)"`` for no ward)."""
    _, cats = _ward_categories(ctx)
    lost = (lookup < 0) & (per_category > 0)
    return pd.Series(per_category[lost], index=cats[lost], dtype="float64")


def ward_days(ctx: Context, table: pd.DataFrame, defs: Definitions, lo_day: int, hi_day: int):
    """Occupied bed-days per capacity ward in ``[lo_day, hi_day]``, and the lost bed-days.

    Returns ``(wards, occupied, lost)``; nothing is warned here, so that
    :mod:`hospitalytics.dask` can add the lost bed-days of all partitions first.
    """
    wards = pd.Index(pd.unique(table["ward"]), name="ward")
    codes, cats = _ward_categories(ctx)
    per_cat = occupied_totals(ctx.stays, defs, codes, len(cats), lo_day, hi_day)
    lookup = _ward_lookup(ctx, wards)
    known = lookup >= 0
    occupied = np.bincount(lookup[known], weights=per_cat[known], minlength=len(wards))
    return wards, occupied, _lost(ctx, per_cat, lookup)


def _occupied_by_ward(ctx, table, defs, lo_day, hi_day, *, strict):
    """Occupied bed-days per capacity ward in ``[lo_day, hi_day]`` (inclusive)."""
    wards, occupied, lost = ward_days(ctx, table, defs, lo_day, hi_day)
    warn_lost(lost, strict=strict)
    return wards, occupied


def _ward_census(ctx, table, defs, lo_day, n_days, *, strict):
    """Daily census per capacity ward (wards x days), and the all-stays daily total."""
    wards = pd.Index(pd.unique(table["ward"]), name="ward")
    codes, cats = _ward_categories(ctx)
    per_cat = occupied_census(ctx.stays, defs, codes, len(cats), lo_day, n_days)
    lookup = _ward_lookup(ctx, wards)
    warn_lost(_lost(ctx, per_cat.sum(axis=1), lookup), strict=strict)
    occ = np.zeros((len(wards), per_cat.shape[1]), dtype="int64")
    known = lookup >= 0
    np.add.at(occ, lookup[known], per_cat[known])
    return wards, occ, per_cat.sum(axis=0)


def _census_at(ctx, df, columns, codes, labels, at, needed_by) -> np.ndarray:
    """The census at clock time ``at`` each day of the period, per group (``at=``)."""
    from ._clock import daily_census_at  # the census by the clock (hospitalytics.clock)

    n = 1 if labels is None else len(labels)
    return daily_census_at(ctx, df, columns, None if labels is None else codes, n, at,
                           needed_by=needed_by)


# ------------------------------------------------------------------- headline KPIs
def admissions(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
) -> int | pd.Series:
    """Count the stays admitted in a period.

    A stay counts when its admission date falls between ``start`` and ``end`` (inclusive).
    A frame of ward segments with a ``stay_id`` counts each stay once, at its first
    segment's admission and in its first segment's groups (see :ref:`segments`).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end : date-like, optional
        Inclusive calendar dates (``None``: no bound).
    mtd, qtd, ytd : bool, default False
        Month-, quarter- or year-to-date through the as-of date.
    as_of : date-like, optional
        Extract date; defaults to the latest date in the data.
    by : str or list of str, optional
        Grouping role(s): ``"department"``, ``"ward"``, ``"location"``, ``"treatment"``
        or ``"age_group"``.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.

    Returns
    -------
    int or Series
        The count, or counts indexed by the groups.

    Raises
    ------
    SchemaError
        When no admission date column (or the ``by`` role) can be found.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> hp.admissions(df, mtd=True)
    155
    >>> hp.admissions(df, "2025-01-01", "2025-01-31", by="location")
    location
    North Campus          174
    South Campus          125
    Riverside Hospital     48
    Name: admissions, dtype: int64
    """
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, wants=STAY_ROLES, needed_by="admissions")
    ev = ctx.events()
    codes, labels = group_codes(ev.frame, by)
    return _reduce(_admitted(ev), codes, labels, name="admissions", dtype="int64")


def discharges(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
) -> int | pd.Series:
    """Count the stays discharged in a period (deaths included: a death ends a stay).

    Segments of one stay (rows sharing a ``stay_id``) count once, at the stay's last
    discharge and in its last segment's groups (the discharging ward).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`admissions`.

    Returns
    -------
    int or Series
        The count, or counts indexed by the groups.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> hp.discharges(hp.datasets.load_sample(), "2025-01-01", "2025-01-31")
    341
    """
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=("discharge_date",), by=by, wants=STAY_ROLES,
                needed_by="discharges")
    ev = ctx.events()
    codes, labels = group_codes(ev.discharge_frame, by)
    return _reduce(_discharged(ev), codes, labels, name="discharges", dtype="int64")


def treatment_cost(
    df: pd.DataFrame,
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
) -> float | pd.Series:
    """Total treatment cost of the stays admitted (or discharged) in a period.

    Stays without a cost are left out of the total and counted in a
    :class:`~hospitalytics.errors.DataQualityWarning`. Segments of one stay (rows sharing
    a ``stay_id``) count the stay's cost once: the first segment's cost (see
    :ref:`segments`).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`admissions`.
    basis : {"admission", "discharge"}, default "admission"
        Count the cost of stays admitted in the period, or of stays discharged in it.

    Returns
    -------
    float or Series
        The total cost (in the data's currency units), or totals per group.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> round(hp.treatment_cost(hp.datasets.load_sample(), "2025-01-01", "2025-01-31"))
    1680888
    """
    if basis not in ("admission", "discharge"):
        raise ArgumentError(f"basis must be 'admission' or 'discharge', got {basis!r}.")
    needs = ("cost",) if basis == "admission" else ("cost", "discharge_date")
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=needs, by=by, wants=STAY_ROLES,
                needed_by="treatment_cost")
    ev = ctx.events()
    if basis == "admission":
        mask, side = _admitted(ev), ev.frame
    else:
        mask, side = _discharged(ev), ev.discharge_frame
    codes, labels = group_codes(side, by)
    cost = _cost_values(ev, mask)
    return _reduce(mask, codes, labels, cost, name="treatment_cost", dtype="float64")


def alos(
    df: pd.DataFrame,
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
) -> float | pd.Series:
    """Average length of stay in days.

    By the default preset ``"who"``: the mean calendar-day LOS (discharge date minus
    admission date, a same-day stay counting as 1 day) of the stays **discharged** in the
    period. ``"hcup"`` counts same-day stays as 0 days; ``"oecd"`` leaves them out
    (in-patients only). Stays still open have no LOS and are not counted. An empty period
    gives NaN. Segments of one stay (rows sharing a ``stay_id``) make one stay, from the
    first admission to the last discharge, grouped by its last segment (by its first with
    ``alos_basis="admissions"``).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        The conventions (see :mod:`hospitalytics.definitions`); default ``"who"``.

    Returns
    -------
    float or Series
        ALOS in days, or per group.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> round(hp.alos(df, "2025-01-01", "2025-01-31"), 2)
    4.0
    >>> round(hp.alos(df, "2025-01-01", "2025-01-31", definitions="oecd"), 2)
    4.77
    """
    defs = get_definitions(definitions)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=("discharge_date",), by=by, wants=STAY_ROLES,
                needed_by="alos")
    ev = ctx.events()
    codes, labels = group_codes(alos_side(ev, defs), by)
    rows, los = _alos_rows(ev, defs)
    return _mean_rows(los, rows, codes, labels, name="alos")


def alos_side(ev: Context, defs: Definitions) -> pd.DataFrame:
    """The labels an ALOS groups by: the discharge side, or the admission side."""
    return ev.discharge_frame if defs.alos_basis == "discharges" else ev.frame


# ------------------------------------------------------------ census and bed-days
def census(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = "ward",
    definitions: str | Definitions | None = None,
    at=None,
    freq=None,
    closed: str = "left",
    columns: Columns = None,
) -> pd.DataFrame:
    """The daily midnight census: stays occupying a bed on each day, per group.

    A stay is counted on day ``d`` when ``date(admission) <= d < date(discharge)``
    (open stays through the as-of date). Unbounded periods run from the first admission
    date through the as-of date. Computed by an event sweep (no per-day expansion).

    With ``at`` (a clock time) it is the census at that time each day instead, and with
    ``freq`` the census every ``freq`` through the period: both as
    :func:`hospitalytics.census_at` takes them (they need times of day).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.
    by : str or None, default "ward"
        One grouping role (a column per group), or ``None`` for the total only.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here (not with ``at`` or ``freq``).
    at : str, optional
        A clock time (``"08:00"``): the census at that instant each day. ``None`` (the
        default) is the midnight census by calendar date above, which counts a stay on
        day ``d`` if it is in a bed at the midnight that *ends* ``d``; ``at="00:00"`` is
        the instant census at the midnight that *begins* ``d``.
    freq : str, optional
        The census every ``freq`` (``"h"``, ``"15min"``, ``"30min"`` ...), indexed by
        instant (``"time"``).
    closed : {"left", "right", "both", "neither"}, default "left"
        With ``at`` or ``freq``: the rule for a stay admitted or discharged exactly at
        the instant (``"left"``: the arrival counts, the departure does not).

    Returns
    -------
    DataFrame
        Indexed by date (``"date"``), one int column per group and a ``"total"`` column.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> c = hp.census(hp.datasets.load_sample(), "2025-01-01", "2025-01-31")
    >>> int(c["total"].sum()) == hp.bed_days(hp.datasets.load_sample(),
    ...                                      "2025-01-01", "2025-01-31")
    True
    """
    if by is not None and not isinstance(by, str):
        raise ArgumentError("census takes one grouping role in by= (or None).")
    defs = get_definitions(definitions)
    if at is not None or freq is not None:
        from .clock import census_at  # the census by the clock

        return census_at(df, start, end, at=at, freq=freq, closed=closed, mtd=mtd, qtd=qtd,
                         ytd=ytd, as_of=as_of, by=by, columns=columns)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, needed_by="census")
    lo, hi = ctx.first_day, ctx.last_day
    n_days = max(hi - lo + 1, 0)
    codes, labels = group_codes(ctx.frame, by)
    n_groups = 1 if labels is None else len(labels)
    matrix = occupied_census(ctx.stays, defs, None if labels is None else codes, n_groups,
                             lo, n_days)
    index = pd.DatetimeIndex(
        (np.arange(lo, lo + n_days, dtype="int64") * NS_PER_DAY).astype("datetime64[ns]"),
        name="date",
    )
    if labels is None:
        return pd.DataFrame({"total": matrix[0]}, index=index)
    out = pd.DataFrame(matrix.T, index=index, columns=labels)
    out["total"] = matrix.sum(axis=0)
    out.columns.name = by
    return out


def bed_days(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    at=None,
    columns: Columns = None,
) -> int | pd.Series:
    """Occupied bed-days in a period by the midnight census.

    Stays that began before the period count for their days inside it; open stays count
    through the as-of date; same-day stays add none (unless ``day_case_bed_day``).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here (not with ``at``).
    at : str, optional
        A clock time (``"08:00"``): count the beds occupied at that time each day (see
        :func:`hospitalytics.census_at`; needs times of day) instead of at midnight.

    Returns
    -------
    int or Series
        Bed-days, or per group.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> hp.bed_days(hp.datasets.load_sample(), "2025-01-01", "2025-01-31")
    1418
    """
    defs = get_definitions(definitions)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, needed_by="bed_days")
    codes, labels = group_codes(ctx.frame, by)
    lo, hi = ctx.first_day, ctx.last_day
    if at is not None:
        days = _census_at(ctx, df, columns, codes, labels, at, "bed_days").sum(axis=1)
        return int(days[0]) if labels is None else pd.Series(days, index=labels,
                                                             name="bed_days")
    if labels is None:
        return int(occupied_totals(ctx.stays, defs, None, 1, lo, hi)[0])
    out = occupied_totals(ctx.stays, defs, codes, len(labels), lo, hi).astype("int64")
    return pd.Series(out, index=labels, name="bed_days")


def average_daily_census(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    at=None,
    columns: Columns = None,
) -> float | pd.Series:
    """Average daily census: occupied bed-days divided by the days in the period.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, definitions, at, columns
        As for :func:`bed_days` (``at="08:00"``: the mean of the 08:00 census).

    Returns
    -------
    float or Series
        Patients per day on average.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> round(hp.average_daily_census(hp.datasets.load_sample(), "2025-01-01",
    ...                               "2025-01-31"), 2)
    45.74
    """
    defs = get_definitions(definitions)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, needed_by="average_daily_census")
    codes, labels = group_codes(ctx.frame, by)
    lo, hi = ctx.first_day, ctx.last_day
    n_days = max(hi - lo + 1, 0)
    if at is not None:
        days = _census_at(ctx, df, columns, codes, labels, at, "average_daily_census")
        mean = days.sum(axis=1) / n_days if n_days else np.full(len(days), np.nan)
        return float(mean[0]) if labels is None else pd.Series(
            mean, index=labels, name="average_daily_census")
    if labels is None:
        days = occupied_totals(ctx.stays, defs, None, 1, lo, hi)[0]
        return float(days / n_days) if n_days else float("nan")
    out = occupied_totals(ctx.stays, defs, codes, len(labels), lo, hi)
    return pd.Series(out / n_days if n_days else np.nan, index=labels, name="average_daily_census")


# --------------------------------------------------------------------- occupancy
def occupancy_by_ward(
    df: pd.DataFrame,
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
    at=None,
    columns: Columns = None,
) -> pd.DataFrame:
    """Bed occupancy per ward: occupied bed-days / available bed-days.

    Covers the wards in ``beds``: a ward with capacity and no stays has 0 occupied
    bed-days; stays in wards without capacity are left out and named in a
    :class:`~hospitalytics.errors.DataQualityWarning` (a ``DataQualityError`` when
    ``strict=True``). Occupancy is a fraction (0.85 means 85%) and is never clipped at 1.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each (needs the ``ward`` role; ``department`` stands in for it).
    beds : dict, Series or DataFrame
        Beds per ward, optionally with ``valid_from``/``valid_to`` ranges
        (see :mod:`hospitalytics.capacity`).
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`. An unbounded period starts at the first admission.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here.
    strict : bool, default False
        Raise instead of warning about stays in wards without capacity.
    at : str, optional
        A clock time (``"08:00"``): the occupied beds are counted at that time each day
        (:func:`hospitalytics.census_at`; needs times of day) instead of at midnight.

    Returns
    -------
    DataFrame
        Indexed by ward: ``occupied_bed_days``, ``available_bed_days``, ``occupancy``
        (NaN where no bed was available).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> hp.occupancy_by_ward(df, beds, "2025-01-01", "2025-01-31").head(3)
    ... # doctest: +NORMALIZE_WHITESPACE
                            occupied_bed_days  available_bed_days  occupancy
    ward
    Acute Assessment                     91.0               124.0   0.733871
    Cardio A                             48.0                93.0   0.516129
    Clinical Decision Unit              125.0                93.0   1.344086
    """
    defs = get_definitions(definitions)
    table = normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=("ward",), needed_by="occupancy_by_ward")
    lo, hi = ctx.first_day, ctx.last_day
    if at is None:
        wards, occupied = _occupied_by_ward(ctx, table, defs, lo, hi, strict=strict)
    else:  # the census at a clock time, summed over the days, per ward
        wards = pd.Index(pd.unique(table["ward"]), name="ward")
        codes, cats = _ward_categories(ctx)
        per_cat = _census_at(ctx, df, columns, codes, cats, at, "occupancy").sum(axis=1)
        lookup = _ward_lookup(ctx, wards)
        warn_lost(_lost(ctx, per_cat, lookup), strict=strict)
        known = lookup >= 0
        occupied = np.bincount(lookup[known], weights=per_cat[known], minlength=len(wards))
    available = available_matrix(table, wards, lo, max(hi - lo + 1, 0)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(available > 0, occupied / np.where(available > 0, available, 1), np.nan)
    return pd.DataFrame(
        {"occupied_bed_days": occupied, "available_bed_days": available, "occupancy": rate},
        index=wards,
    )


def occupancy(
    df: pd.DataFrame,
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
    at=None,
    columns: Columns = None,
) -> float:
    """Pooled bed occupancy rate over a period, across the wards in ``beds``.

    Sum of occupied bed-days divided by the sum of available bed-days (WHO-Europe HFA,
    OECD): not the mean of the ward rates. A fraction, never clipped at 1.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward (see :func:`occupancy_by_ward`).
    start, end, mtd, qtd, ytd, as_of, definitions, strict, at, columns
        As for :func:`occupancy_by_ward` (``at="08:00"``: occupancy at the 08:00 census).

    Returns
    -------
    float
        Occupancy (0.85 means 85%); NaN when no bed was available.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> round(hp.occupancy(df, beds, "2025-01-01", "2025-01-31"), 3)
    0.994
    """
    table = occupancy_by_ward(
        df, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
        definitions=definitions, strict=strict, at=at, columns=columns,
    )
    available = table["available_bed_days"].sum()
    return float(table["occupied_bed_days"].sum() / available) if available else float("nan")


def bed_turnover(
    df: pd.DataFrame,
    beds,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Columns = None,
) -> float:
    """Bed turnover: discharges divided by the average available beds.

    Counts the discharges from the wards in ``beds`` (a stay of several ward segments is
    discharged once, from its last segment's ward); the average available beds are the
    available bed-days divided by the days of the period.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.

    Returns
    -------
    float
        Discharges per bed in the period.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> round(hp.bed_turnover(df, beds, "2025-01-01", "2025-01-31"), 2)
    7.41
    """
    table = normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=("ward", "discharge_date"), wants=STAY_ROLES,
                needed_by="bed_turnover")
    return _turnover(ctx, table, ctx.period)


def ward_discharges(ev: Context, wards: pd.Index, period: Period) -> int:
    """Stays discharged in the period from the wards ``wards`` (their last segment's)."""
    codes, _ = _ward_categories(ev, "discharge")
    in_beds = _ward_lookup(ev, wards) >= 0
    return int(np.count_nonzero(in_beds[codes[_discharged(ev, period)]]))


def _turnover(ctx: Context, table: pd.DataFrame, period: Period, available=None) -> float:
    """Discharges from the wards in ``table`` / average available beds of the period."""
    lo, hi = ctx.day_bounds(period)
    n_days = max(hi - lo + 1, 0)
    wards = pd.Index(pd.unique(table["ward"]), name="ward")
    n_dis = ward_discharges(ctx.events(), wards, period)
    if available is None:
        available = available_matrix(table, wards, lo, n_days).sum()
    if not n_days or not available:
        return float("nan")
    return float(n_dis / (available / n_days))


def monthly_occupancy_by_ward(
    df: pd.DataFrame,
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
) -> pd.DataFrame:
    """Occupancy per ward and calendar month (the data behind the occupancy heatmap).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward.
    start, end, mtd, qtd, ytd, as_of, definitions, strict, columns
        As for :func:`occupancy_by_ward`.

    Returns
    -------
    DataFrame
        Tidy: columns ``month`` (first day of the month), ``ward``,
        ``occupied_bed_days``, ``available_bed_days``, ``occupancy``; one row per ward and
        month of the period (partial first and last months cover only their days in it).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> m = hp.monthly_occupancy_by_ward(df, beds, "2025-01-01", "2025-03-31")
    >>> m["month"].nunique(), m["ward"].nunique()
    (3, 15)
    """
    defs = get_definitions(definitions)
    table = normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=("ward",), needed_by="monthly_occupancy_by_ward")
    lo, hi = ctx.first_day, ctx.last_day
    n_days = max(hi - lo + 1, 0)
    wards, occ, _ = _ward_census(ctx, table, defs, lo, n_days, strict=strict)
    avail = available_matrix(table, wards, lo, n_days)
    months, starts = _month_starts(lo, n_days)
    if n_days == 0:
        return pd.DataFrame(
            columns=["month", "ward", "occupied_bed_days", "available_bed_days", "occupancy"]
        )
    occ_m = np.add.reduceat(occ, starts, axis=1).astype("float64")
    avail_m = np.add.reduceat(avail, starts, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(avail_m > 0, occ_m / np.where(avail_m > 0, avail_m, 1), np.nan)
    out = pd.DataFrame(
        {
            "month": np.tile(months, len(wards)),
            "ward": np.repeat(wards.to_numpy(dtype=object), len(months)),
            "occupied_bed_days": occ_m.ravel(),
            "available_bed_days": avail_m.ravel(),
            "occupancy": rate.ravel(),
        }
    )
    return out


def _month_starts(lo: int, n_days: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Month starts covering ``n_days`` from day ``lo`` and their column offsets."""
    if n_days <= 0:
        return pd.DatetimeIndex([], name="month"), np.array([], dtype="int64")
    first = np.datetime64(int(lo), "D").astype("datetime64[M]")
    last = np.datetime64(int(lo + n_days - 1), "D").astype("datetime64[M]")
    months = np.arange(first, last + 1)
    offsets = months.astype("datetime64[D]").astype("int64") - lo
    offsets[0] = 0
    return pd.DatetimeIndex(months.astype("datetime64[ns]"), name="month"), offsets


# ------------------------------------------------------------ snapshot KPIs
def bed_board(
    df: pd.DataFrame,
    beds,
    *,
    as_of=None,
    strict: bool = False,
    columns: Columns = None,
) -> pd.DataFrame:
    """The bed board at the end of the as-of date: in-patients, free beds, occupancy.

    In-patients are the stays admitted on or before the as-of date and not discharged by
    its end (what the midnight census after that day sees).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward (capacity valid on the as-of date).
    as_of : date-like, optional
        Defaults to the latest date in the data.
    strict : bool, default False
        Raise instead of warning about in-patients in wards without capacity.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping.

    Returns
    -------
    DataFrame
        Indexed by ward: ``beds``, ``in_patients``, ``free_beds`` (negative when the ward
        is over capacity), ``occupancy``; plus a ``"total"`` row.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> board = hp.bed_board(hp.datasets.load_sample(), hp.datasets.load_sample_beds())
    >>> int(board.loc["total", "in_patients"])
    36
    """
    table = normalize_beds(beds)
    ctx = setup(df, as_of=as_of, columns=columns, needs=("ward",), needed_by="bed_board")
    day = ctx.last_day
    wards, occupied = _occupied_by_ward(
        ctx, table, get_definitions("who"), day, day, strict=strict
    )
    cap = beds_on(table, ctx.period.as_of).reindex(wards).to_numpy()
    out = pd.DataFrame({"beds": cap, "in_patients": occupied.astype("int64")}, index=wards)
    out.loc["total"] = out.sum()
    out["in_patients"] = out["in_patients"].astype("int64")
    out["free_beds"] = out["beds"] - out["in_patients"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["occupancy"] = np.where(out["beds"] > 0, out["in_patients"] / out["beds"], np.nan)
    return out


def long_stays(
    df: pd.DataFrame,
    thresholds: Sequence[int] = (7, 14, 21),
    *,
    as_of=None,
    by: By = None,
    columns: Columns = None,
) -> pd.Series | pd.DataFrame:
    """In-patients at the end of the as-of date who have stayed at least 7, 14 or 21 days.

    The NHS UEC SitRep "long stays" (stranded, super-stranded patients). The length of
    stay so far, at the end of the as-of date, counts the midnights spent, as the census
    and :func:`bed_days` do: ``as_of - date(admission) + 1`` days (a patient admitted on
    the as-of date has 1 day at its midnight). It is the LOS the stay would have if the
    patient left the next day. A stay of several ward segments (rows sharing a
    ``stay_id``) counts from its first admission, in its current (last) segment's groups.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    thresholds : sequence of int, default (7, 14, 21)
        Day thresholds.
    as_of : date-like, optional
        Defaults to the latest date in the data.
    by : str or list of str, optional
        Grouping role(s).
    columns : mapping, optional
        Explicit ``{role: column}`` mapping.

    Returns
    -------
    Series or DataFrame
        Counts indexed by ``"los_7plus"``, ... (a DataFrame with a column per threshold
        when ``by`` is given).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> hp.long_stays(hp.datasets.load_sample()).to_dict()
    {'los_7plus': 9, 'los_14plus': 5, 'los_21plus': 3}
    """
    ctx = setup(df, as_of=as_of, columns=columns, by=by, wants=STAY_ROLES,
                needed_by="long_stays")
    ev = ctx.events()
    codes, labels = group_codes(ev.discharge_frame, by)
    return _long_stays(ev, ctx.period.end, thresholds, codes, labels)


def _open_at(ctx: Context, day: int) -> np.ndarray:
    st = ctx.stays
    limit = (min(day, st.as_of_day) + 1) * NS_PER_DAY
    gone = (st.dis_ns != _NAT) & (st.dis_ns < limit)
    return (st.adm_ns < (day + 1) * NS_PER_DAY) & ~gone


def _long_stays(ctx, end, thresholds, codes, labels):
    day = int(end.value // NS_PER_DAY)
    inside = _open_at(ctx, day)
    data = {}
    for t in thresholds:
        # LOS so far at the end of `day` = day - admission day + 1 (midnights, as bed_days
        # counts them): at least t days when admitted on or before day - t + 1
        long = inside & (ctx.stays.adm_ns < (day - int(t) + 2) * NS_PER_DAY)
        data[f"los_{int(t)}plus"] = _reduce(
            long, codes, labels, name=f"los_{int(t)}plus", dtype="int64"
        )
    if labels is None:
        return pd.Series(data, name="long_stays", dtype="int64")
    return pd.DataFrame(data)


def readmission_rate(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    window: int = 30,
    follow_up: str = "complete",
    exclude_dispositions: bool | str | Mapping = True,
    exclude_planned: bool | Sequence = False,
    details: bool = False,
    columns: Columns = None,
) -> float | pd.Series:
    """All-cause readmission rate within ``window`` days (crude: **not risk-adjusted**).

    **Index stays** are the stays discharged in the period, less those that cannot be
    followed up, as CMS's hospital-wide measure and the Tuva project count them:

    - with ``follow_up="complete"`` (the default), the whole window must have passed:
      ``date(discharge) + window <= as_of``. Stays discharged later are left out (their
      readmissions may still come), so a month-to-date rate is read only once its windows
      have closed; ``"partial"`` keeps them (the rate then falls as the as-of date nears);
    - with a ``discharge_disposition`` column, stays that ended in death, a transfer to
      another acute hospital or a self-discharge against medical advice are left out
      (``exclude_dispositions``; the vocabularies are in
      :func:`hospitalytics.definitions.classify_dispositions`).

    An index stay is **readmitted** when the same patient's next admission (the first one
    that begins strictly after the index admission; ties do not count) begins 0 to
    ``window`` calendar days after the index discharge date and by the as-of date.
    Concurrent stays (the next admission before the index discharge) do not count. With
    ``exclude_planned`` and an ``admission_method`` column, a next admission that was
    planned does not count (as CMS, the first readmission decides: a planned one is not
    followed further). Segments of one stay (rows sharing a ``stay_id``) make one stay.
    Patient ids are compared by their text (``7`` and ``"7"`` are one patient).

    Parameters
    ----------
    df : DataFrame
        Stays with a ``patient_id``.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.
    window : int, default 30
        Days after the index discharge date (NHS I02040 counts 0-29 days: ``window=29``).
    follow_up : {"complete", "partial"}, default "complete"
        Keep only the index stays whose window has closed by the as-of date, or all.
    exclude_dispositions : bool, str or mapping, default True
        ``True``: leave out index stays ending in death, acute transfer or self-discharge,
        reading text (MIMIC-IV ``discharge_location``, plain words) and OMOP concept ids;
        a code list's name (``"hes_dismeth"``, ``"hes_disdest"``, ``"ub04"``, ``"omop"``)
        for bare codes; a ``{value: "died" | "acute_transfer" | "self_discharge"}``
        mapping for your own; ``False`` to keep every index stay. Without a
        ``discharge_disposition`` column nothing is left out.
    exclude_planned : bool or sequence, default False
        ``True``: a planned next admission (elective, booked, waiting list; see
        :func:`hospitalytics.definitions.planned_admissions`) is not a readmission; or
        the ``admission_method`` values that are planned in your data. Needs an
        ``admission_method`` column.
    details : bool, default False
        Return the counts behind the rate instead of the rate alone.

    Returns
    -------
    float or Series
        Readmitted index stays / index stays (NaN with no index stay). With
        ``details=True``, a Series (counts as ints, the rate as a float) indexed by
        ``discharges`` (stays discharged in the period), ``excluded_died``,
        ``excluded_acute_transfer``,
        ``excluded_self_discharge``, ``excluded_open_window`` (each stay counted under
        the first reason that applies, in that order), ``index_stays``, ``readmitted``,
        ``excluded_planned`` (index stays whose planned next admission was not counted)
        and ``rate``.

    Raises
    ------
    SchemaError
        Without patient ids or discharge dates; with ``exclude_planned`` and no admission
        method.

    Warns
    -----
    DataQualityWarning
        When the dispositions are bare codes of an unnamed code list, and when the rows
        look like ward segments of longer stays (no ``stay_id``).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> round(hp.readmission_rate(df, "2025-01-01", "2025-06-30"), 3)
    0.068
    >>> d = hp.readmission_rate(df, "2025-11-01", "2025-12-15", details=True)
    >>> d[["discharges", "excluded_open_window", "index_stays", "readmitted"]].tolist()
    [525, 356, 169, 11]
    >>> round(d["rate"], 3)
    0.065
    """
    rules = ReadmissionRules.of(window, follow_up, exclude_dispositions, exclude_planned)
    wants = READMISSION_WANTS
    needs = ("patient_id", "discharge_date")
    if rules.exclude_planned is not False:
        needs += ("admission_method",)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=needs, wants=wants, needed_by="readmission_rate")
    warn_segment_shape(ctx)
    ev = ctx.events()
    warn_bare_codes(disposition_bare_codes(ev, rules))
    counts = readmission_counts(ev, ctx.period, rules)
    rate = readmission_ratio(counts)
    if not details:
        return rate
    return pd.Series({**counts, "rate": rate}, name="readmission_rate", dtype=object)


#: The roles :func:`readmission_rate` reads when the data has them.
READMISSION_WANTS = ("ward", "stay_id", "discharge_disposition")


@dataclass(frozen=True)
class ReadmissionRules:
    """The conventions of one readmission rate (the options of :func:`readmission_rate`).

    Hashable (mappings and lists are kept as tuples), so that Dask can carry it.
    """

    window: int = 30
    follow_up: str = "complete"
    exclude_dispositions: bool | str | tuple = True
    exclude_planned: bool | tuple = False

    @classmethod
    def of(cls, window, follow_up, exclude_dispositions, exclude_planned) -> ReadmissionRules:
        """Check and normalise the options; raise ``ArgumentError`` naming a bad one."""
        if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 0:
            raise ArgumentError(f"window must be a whole number of days >= 0, got {window!r}.")
        if follow_up not in ("complete", "partial"):
            raise ArgumentError(
                f"follow_up must be 'complete' (index stays whose window has closed by the "
                f"as-of date) or 'partial', got {follow_up!r}."
            )
        disp = exclude_dispositions
        if isinstance(disp, Mapping | str):
            try:
                classify_dispositions([], disp)  # validates the name or the categories
            except ArgumentError as exc:
                raise ArgumentError(f"exclude_dispositions: {exc}") from None
            if isinstance(disp, Mapping):
                disp = tuple(disp.items())
        elif not isinstance(disp, bool):
            raise ArgumentError(
                "exclude_dispositions must be True, False, a code list's name or a "
                f"{{value: category}} mapping, got {type(disp).__name__}."
            )
        planned = exclude_planned
        if not isinstance(planned, bool):
            if isinstance(planned, str | bytes) or not isinstance(planned, Iterable):
                raise ArgumentError(
                    "exclude_planned must be True, False or a list of the admission methods "
                    f"that are planned, got {planned!r}."
                )
            planned = tuple(planned)
        return cls(int(window), follow_up, disp, planned)

    def describe(self, has_disposition: bool) -> str:
        """The convention in one line (the summary's ``convention`` column)."""
        text = (
            f"crude, not risk-adjusted: next admission 0-{self.window} days after discharge"
        )
        if self.follow_up == "complete":
            text += f"; index stays whose {self.window}-day window closed by the as-of date"
        if has_disposition and self.exclude_dispositions is not False:
            text += "; deaths, acute transfers and self-discharges left out"
        if self.exclude_planned is not False:
            text += "; planned readmissions not counted"
        return text


def readmission_ratio(counts: Mapping[str, int]) -> float:
    """Readmitted / index stays (NaN without index stays)."""
    n = counts["index_stays"]
    return float(counts["readmitted"] / n) if n else float("nan")


def readmission_counts(ev: Context, period: Period, rules: ReadmissionRules) -> dict[str, int]:
    """The counts behind a readmission rate, over stays (one row each; whole patients).

    Shared with :mod:`hospitalytics.dask`, whose partitions hold whole patients.
    """
    index = _discharged(ev, period)
    counts = {"discharges": int(np.count_nonzero(index))}
    kind = disposition_kinds(ev, rules)
    for code, name in enumerate(DISPOSITION_EXCLUSIONS, start=1):
        hit = index & (kind == code) if kind is not None else np.zeros_like(index)
        counts[f"excluded_{name}"] = int(np.count_nonzero(hit))
        index &= ~hit
    if rules.follow_up == "complete":
        st = ev.stays
        open_window = index & (st.dis_day + rules.window > st.as_of_day)
        counts["excluded_open_window"] = int(np.count_nonzero(open_window))
        index &= ~open_window
    else:
        counts["excluded_open_window"] = 0
    readmit, planned = _readmitted(ev, rules)
    counts["index_stays"] = int(np.count_nonzero(index))
    counts["readmitted"] = int(np.count_nonzero(readmit & index))
    counts["excluded_planned"] = int(np.count_nonzero(planned & index))
    return counts


def disposition_kinds(ev: Context, rules: ReadmissionRules) -> np.ndarray | None:
    """Per stay: 0, or 1 + the index in DISPOSITION_EXCLUSIONS of its disposition."""
    if rules.exclude_dispositions is False or "discharge_disposition" not in ev.frame:
        return None
    key = ("disposition_kinds", rules.exclude_dispositions)
    if key not in ev.cache:
        col = ev.frame["discharge_disposition"]
        if not isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype("category")
        vocabulary = _vocabulary(rules)
        found = classify_dispositions(pd.Series(col.cat.categories, dtype=object),
                                      vocabulary).to_numpy()
        rank = {name: i for i, name in enumerate(DISPOSITION_EXCLUSIONS, start=1)}
        per_cat = np.array([rank.get(f, 0) if isinstance(f, str) else 0 for f in found]
                           + [0], dtype="int8")
        codes = col.cat.codes.to_numpy()
        ev.cache[key] = per_cat[np.where(codes < 0, len(per_cat) - 1, codes)]
    return ev.cache[key]


def _vocabulary(rules: ReadmissionRules) -> str | dict:
    disp = rules.exclude_dispositions
    if disp is True:
        return "auto"
    if isinstance(disp, tuple):
        return dict(disp)
    return disp


def disposition_bare_codes(ev: Context, rules: ReadmissionRules) -> list[str]:
    """Bare codes that ``exclude_dispositions=True`` cannot read (empty otherwise)."""
    if rules.exclude_dispositions is not True or "discharge_disposition" not in ev.frame:
        return []
    col = ev.frame["discharge_disposition"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        used = col.cat.categories[np.unique(col.cat.codes[col.cat.codes >= 0])]
        return bare_codes(used)
    return bare_codes(col.dropna().unique())


def bare_codes_message(codes: Sequence[str]) -> str:
    """The warning for disposition codes of an unnamed code list (shared with Dask)."""
    shown = ", ".join(list(codes)[:8]) + (", ..." if len(codes) > 8 else "")
    return (
        f"the discharge disposition holds bare codes ({shown}) that mean different things "
        "in different code lists (HES DISMETH, HES DISDEST, UB-04), so no index stay was "
        "left out of the readmission rate for death, transfer or self-discharge. Name the "
        "list, e.g. readmission_rate(..., exclude_dispositions='hes_dismeth'), or recode "
        "the column to text such as 'died', 'acute hospital', 'against advice'."
    )


def warn_bare_codes(codes: Sequence[str]) -> None:
    """Warn about disposition codes of an unnamed code list, when there are any."""
    if codes:
        warnings.warn(bare_codes_message(codes), DataQualityWarning,
                      stacklevel=caller_stacklevel())


def _planned(ev: Context, rules: ReadmissionRules) -> np.ndarray | None:
    """Per stay: was its admission planned (None when planned admissions count)."""
    if rules.exclude_planned is False or "admission_method" not in ev.frame:
        return None
    col = ev.frame["admission_method"]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    planned = True if rules.exclude_planned is True else list(rules.exclude_planned)
    per_cat = planned_admissions(pd.Series(col.cat.categories, dtype=object),
                                 planned).to_numpy()
    per_cat = np.append(per_cat, False)
    codes = col.cat.codes.to_numpy()
    return per_cat[np.where(codes < 0, len(per_cat) - 1, codes)]


def _patient_order(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Rows sorted by patient then admission, and the sorted patient codes (cached)."""
    if "patient_order" not in ctx.cache:
        pid = ctx.patient_codes()
        order = np.lexsort((ctx.stays.adm_ns, pid))
        ctx.cache["patient_order"] = (order, pid[order])
    return ctx.cache["patient_order"]


def _next_stay(ev: Context) -> np.ndarray:
    """Per stay: the row of the same patient's next admission, or -1 (cached)."""
    if "next_stay" in ev.cache:
        return ev.cache["next_stay"]
    order, p = _patient_order(ev)
    adm_ns = ev.stays.adm_ns[order]
    n = len(order)
    # The next admission of each stay is the first one of the same patient that begins
    # strictly after it: stays with the same patient and admission time form one block,
    # and every stay of a block looks at the first stay of the following block (so ties
    # give the same answer whatever the row order).
    change = np.ones(n, dtype=bool)
    change[1:] = (p[1:] != p[:-1]) | (adm_ns[1:] != adm_ns[:-1])
    starts = np.flatnonzero(change)
    nxt = np.append(starts[1:], n)[np.cumsum(change) - 1]
    has_next = nxt < n
    nxt = np.minimum(nxt, max(n - 1, 0))
    same = has_next & (p[nxt] == p) & (p >= 0)
    out = np.full(n, -1, dtype="int64")
    out[order] = np.where(same, order[nxt], -1)
    ev.cache["next_stay"] = out
    return out


def _readmitted(ev: Context, rules: ReadmissionRules) -> tuple[np.ndarray, np.ndarray]:
    """Per stay: readmitted within the window, and readmitted by a planned admission."""
    key = ("readmitted", rules.window, rules.exclude_planned)
    if key in ev.cache:
        return ev.cache[key]
    st = ev.stays
    nxt = _next_stay(ev)
    has = nxt >= 0
    row = np.maximum(nxt, 0)
    gap = st.adm_day[row] - st.dis_day
    readmit = has & st.exists[row] & st.has_dis & (gap >= 0) & (gap <= rules.window)
    planned = _planned(ev, rules)
    if planned is None:
        planned_next = np.zeros_like(readmit)
    else:
        planned_next = readmit & planned[row]
        readmit = readmit & ~planned_next
    ev.cache[key] = (readmit, planned_next)
    return ev.cache[key]


def segment_shape(ctx: Context) -> tuple[int, int]:
    """Back-to-back rows of one patient in different wards, and the rows (no stay id).

    Two rows are back to back when one's discharge timestamp is the next one's admission
    timestamp, to the second and not at midnight (with dates alone a same-day readmission
    looks the same): the shape of ward segments, not of stays. ``(0, n)`` when the frame has a
    ``stay_id`` (its rows are declared), no patient id or no ward.
    """
    n = len(ctx.frame)
    if "stay_id" in ctx.frame or "patient_id" not in ctx.frame or "ward" not in ctx.frame:
        return 0, n
    if n < 2:
        return 0, n
    order, p = _patient_order(ctx)
    adm = ctx.stays.adm_ns[order]
    dis = ctx.stays.dis_ns[order]
    ward = _ward_categories(ctx)[0][order]
    back = (p[1:] == p[:-1]) & (p[1:] >= 0) & (dis[:-1] != _NAT) & (dis[:-1] == adm[1:])
    # with dates alone (midnight), a same-day readmission looks the same: times only
    back &= (ward[1:] != ward[:-1]) & (dis[:-1] % NS_PER_DAY != 0)
    return int(np.count_nonzero(back)), n


#: Share of rows back to back (see :func:`segment_shape`) from which a frame is taken
#: for ward segments. Stays of real exports are almost never back to back to the
#: nanosecond in another ward (the MIMIC-IV demo's stays: 1 in 275); segments mostly are
#: (its segments: 217 in 616).
SEGMENT_SHARE = 0.02


def segment_message(pairs: int, n: int) -> str | None:
    """The warning for a frame shaped like ward segments, or None (shared with Dask)."""
    if pairs == 0 or pairs < SEGMENT_SHARE * n:
        return None
    return (
        f"{pairs} of {n} rows look like ward segments of longer stays, not stays: the same "
        "patient leaves one ward and enters another at the same moment. Counted as stays, "
        "segments inflate admissions and readmissions and shorten the ALOS. Map the column "
        "that identifies the stay, columns={'stay_id': '<your column>'} (on the command "
        "line: --column stay_id=<your column>), so that each stay is counted once (the "
        "census and occupancy still use every segment), or pass one row per stay (e.g. "
        "hospitalytics.adapters.from_mimic(level='stay'))."
    )


def warn_segment_shape(ctx: Context) -> None:
    """Warn when the rows look like ward segments and no stay id says so."""
    msg = segment_message(*segment_shape(ctx))
    if msg:
        warnings.warn(msg, DataQualityWarning, stacklevel=caller_stacklevel())


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
    347
    """
    defs = get_definitions(definitions)
    table = None if beds is None else normalize_beds(beds)
    needs = ("ward",) if beds is not None else ()
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=needs,
                wants=("cost", "discharge_date", *STAY_ROLES), needed_by="monthly")
    ev = ctx.events()  # stays for the events; the census below reads every segment
    st = ev.stays
    lo, hi = ctx.first_day, ctx.last_day
    n_days = max(hi - lo + 1, 0)
    months, offsets = _month_starts(lo, n_days)
    n_m = len(months)
    first_m = months[0].to_datetime64().astype("datetime64[M]") if n_m else None

    def month_of(ns: np.ndarray) -> np.ndarray:
        months_since_epoch = ns.view("datetime64[ns]").astype("datetime64[M]").astype("int64")
        return months_since_epoch - int(first_m.astype("int64"))

    out = pd.DataFrame(index=months)
    out["days"] = np.diff(np.append(offsets, n_days)) if n_m else np.array([], dtype="int64")
    adm_mask = _admitted(ev)
    adm_m = month_of(st.adm_ns[adm_mask]) if n_m else np.array([], dtype="int64")
    out["admissions"] = np.bincount(adm_m, minlength=n_m).astype("int64")
    has_dis = "discharge_date" in ctx.frame
    if has_dis:
        dis_mask = _discharged(ev)
        out["discharges"] = np.bincount(
            month_of(st.dis_ns[dis_mask]) if n_m else adm_m, minlength=n_m
        ).astype("int64")
    if "cost" in ctx.frame:
        cost = _cost_values(ev, adm_mask)
        out["treatment_cost"] = np.bincount(
            adm_m, weights=np.nan_to_num(cost[adm_mask]), minlength=n_m
        )
    if has_dis:
        rows, los = _alos_rows(ev, defs)
        key = st.dis_ns if defs.alos_basis == "discharges" else st.adm_ns
        if n_m:
            km = month_of(key[rows])
            tot = np.bincount(km, weights=los, minlength=n_m)
            cnt = np.bincount(km, minlength=n_m)
            with np.errstate(invalid="ignore", divide="ignore"):
                out["alos"] = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)
        else:
            out["alos"] = np.array([], dtype="float64")
    if table is not None and n_m:
        wards, occ_w, total = _ward_census(ctx, table, defs, lo, n_days, strict=False)
        out["bed_days"] = np.add.reduceat(total, offsets).astype("int64")
        avail = available_matrix(table, wards, lo, n_days).sum(axis=0)
        occ_m = np.add.reduceat(occ_w.sum(axis=0), offsets).astype("float64")
        avail_m = np.add.reduceat(avail, offsets)
    elif n_m:
        total = occupied_census(ctx.stays, defs, None, 1, lo, n_days)[0]
        out["bed_days"] = np.add.reduceat(total, offsets).astype("int64")
    else:
        out["bed_days"] = np.array([], dtype="int64")
        occ_m = avail_m = np.array([], dtype="float64")
    if table is not None:
        out["available_bed_days"] = avail_m
        with np.errstate(invalid="ignore", divide="ignore"):
            out["occupancy"] = np.where(avail_m > 0, occ_m / np.where(avail_m > 0, avail_m, 1),
                                        np.nan)
    return out


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
                columns=columns, needs=("treatment",), wants=("cost", *STAY_ROLES),
                by="treatment", needed_by="by_treatment")
    return _breakdown(ctx.events(), "treatment").sort_values("admissions", ascending=False,
                                                    kind="stable")


def _breakdown(ctx: Context, by: str, age_bins=None) -> pd.DataFrame:
    """Admissions, distinct patients and cost per group, over stays (``ctx.events()``)."""
    codes, labels = group_codes(ctx.frame, by, age_bins=age_bins)
    mask = _admitted(ctx)
    out = pd.DataFrame(index=labels)
    out["admissions"] = _reduce(mask, codes, labels, name="admissions", dtype="int64")
    if "patient_id" in ctx.frame:
        pid = id_codes(ctx.frame["patient_id"])
        keep = mask & (pid >= 0)
        width = int(pid.max(initial=0)) + 1
        pairs = pd.unique(codes[keep] * width + pid[keep])  # distinct (group, patient)
        out["patients"] = np.bincount(pairs // width, minlength=len(labels)).astype("int64")
    if "cost" in ctx.frame:
        cost = _cost_values(ctx, mask)
        out["total_cost"] = _reduce(mask, codes, labels, cost, name="total_cost",
                                    dtype="float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            n_cost = np.bincount(codes[mask & ~np.isnan(cost)], minlength=len(labels))
            out["mean_cost"] = np.where(n_cost > 0, out["total_cost"] / np.maximum(n_cost, 1),
                                        np.nan)
    return out


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
    validate_bins(bins, name="bins", default=DEFAULT_AGE_BINS)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=("age",), wants=("cost", *STAY_ROLES),
                needed_by="by_age_group")
    return _breakdown(ctx.events(), "age_group", age_bins=bins)


def los_distribution(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    bands: Sequence[int] | None = None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
) -> pd.DataFrame | pd.Series:
    """Stays per length-of-stay band, for the stays discharged in the period.

    LOS here is counted in **nights** (discharge date minus admission date), so the
    ``"0"`` band holds the same-day stays whatever the ALOS convention; this is the
    banding of the NHS/Strategy Unit LOS groups.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.
    bands : sequence of int, optional
        Lower edges in nights starting at 0; default ``(0, 1, 2, 3, 4, 8, 15, 22)``:
        0, 1, 2, 3, 4-7, 8-14, 15-21, 22+.
    by : str, optional
        One grouping role: a column of counts per group.

    Returns
    -------
    DataFrame
        Indexed by band (``"los_band"``): ``stays`` and ``share`` (of all discharged
        stays in the period); with ``by``, one column of counts per group instead.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> d = hp.los_distribution(hp.datasets.load_sample(), "2025-01-01", "2025-12-31")
    >>> list(d.index)
    ['0', '1', '2', '3', '4-7', '8-14', '15-21', '22+']
    """
    edges = validate_bins(bands, name="bands", default=DEFAULT_LOS_BANDS)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=("discharge_date",), by=by, wants=STAY_ROLES,
                needed_by="los_distribution")
    ctx = ctx.events()
    labels = pd.Index(
        [lab if "-" in lab or "+" in lab else lab for lab in _band_labels(edges)],
        name="los_band",
    )
    mask = _discharged(ctx)
    nights = (ctx.stays.dis_day - ctx.stays.adm_day)[mask]
    band = np.searchsorted(np.asarray(edges), nights, side="right") - 1
    if by is None:
        counts = np.bincount(band, minlength=len(labels)).astype("int64")
        total = counts.sum()
        share = counts / total if total else np.full(len(labels), np.nan)
        return pd.DataFrame({"stays": counts, "share": share}, index=labels)
    codes, glabels = group_codes(ctx.discharge_frame, by)
    flat = np.bincount(codes[mask] * len(labels) + band, minlength=len(glabels) * len(labels))
    mat = flat.reshape(len(glabels), len(labels)).T.astype("int64")
    return pd.DataFrame(mat, index=labels, columns=glabels)


def _band_labels(edges: Sequence[int]) -> list[str]:
    labels = []
    for lo, hi in zip(edges, list(edges[1:]) + [None], strict=True):
        if hi is None:
            labels.append(f"{lo:g}+")
        elif hi - lo == 1:
            labels.append(f"{lo:g}")
        else:
            labels.append(f"{lo:g}-{hi - 1:g}")
    return labels


# -------------------------------------------------------------------- summary
_SUMMARY_ROWS = {
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
    "readmission_rate_30d": ("30-day readmission rate (crude)", "fraction"),
}


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
        and ``convention``. ``attrs`` carries ``as_of``, the three periods and the
        definitions.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> s = hp.summary(hp.datasets.load_sample(), hp.datasets.load_sample_beds())
    >>> [int(v) for v in s.loc["admissions", ["mtd", "previous_mtd"]]]
    [155, 167]
    """
    defs = get_definitions(definitions)
    table = None if beds is None else normalize_beds(beds)
    wants = SUMMARY_WANTS
    ctx = setup(df, start=start, end=end, as_of=as_of, columns=columns, wants=wants,
                needed_by="summary")
    ev = ctx.events()  # one row per stay for the events; the census reads every segment
    rules = ReadmissionRules()
    readmissions = "patient_id" in ctx.frame and "discharge_date" in ctx.frame
    if readmissions:
        warn_segment_shape(ctx)
        warn_bare_codes(disposition_bare_codes(ev, rules))
    if table is not None and "ward" not in ctx.frame:
        warnings.warn(BEDS_WITHOUT_WARD, DataQualityWarning, stacklevel=caller_stacklevel())
    a = ctx.period.as_of
    periods = {
        "period": ctx.period,
        "mtd": resolve_period(mtd=True, as_of=a),
        "previous_mtd": previous_month_same_days(a),
    }
    has = set(ctx.frame.columns)
    # One census sweep over the span of the three periods; each period sums its days.
    # Stays left out of occupancy are named once, over that span.
    bounds = [ctx.day_bounds(p) for p in periods.values()]
    span_lo = min(b[0] for b in bounds)
    span_days = max(max(b[1] for b in bounds) - span_lo + 1, 0)
    with_beds = table is not None and "ward" in has
    if with_beds:
        wards, occ_w, total = _ward_census(ctx, table, defs, span_lo, span_days,
                                           strict=strict)
        occ_total = occ_w.sum(axis=0)
        avail_total = available_matrix(table, wards, span_lo, span_days).sum(axis=0)
    else:
        total = occupied_census(ctx.stays, defs, None, 1, span_lo, span_days)[0]
    cost = None
    if "cost" in has:
        cost = ev.frame["cost"].to_numpy(dtype="float64", na_value=np.nan)
        conflicts = cost_conflicts(ev, _admitted(ev))
        if conflicts:
            warnings.warn(cost_conflict_message(conflicts), DataQualityWarning,
                          stacklevel=caller_stacklevel())
    rows: dict[str, dict[str, float]] = {}
    for col, p in periods.items():
        lo, hi = ctx.day_bounds(p)
        n_days = max(hi - lo + 1, 0)
        vals: dict[str, float] = {}
        vals["admissions"] = np.count_nonzero(_admitted(ev, p))
        if "discharge_date" in has:
            vals["discharges"] = np.count_nonzero(_discharged(ev, p))
        if cost is not None:
            vals["treatment_cost"] = float(np.nansum(cost[_admitted(ev, p)]))
        if "discharge_date" in has:
            _, los = _alos_rows(ev, defs, p)
            vals["alos"] = float(los.mean()) if len(los) else np.nan
        days = slice(lo - span_lo, lo - span_lo + n_days)
        bd = int(total[days].sum())
        vals["bed_days"] = bd
        vals["average_daily_census"] = bd / n_days if n_days else np.nan
        if with_beds:
            avail = avail_total[days].sum()
            vals["occupancy"] = float(occ_total[days].sum() / avail) if avail else np.nan
            if "discharge_date" in has:
                vals["bed_turnover"] = _turnover(ctx, table, p, avail)
        vals["in_patients"] = np.count_nonzero(_open_at(ev, hi))
        vals.update(_long_stays(ev, p.end, (7, 14, 21), None, None).to_dict())
        if readmissions:
            vals["readmission_rate_30d"] = readmission_ratio(readmission_counts(ev, p, rules))
        for k, v in vals.items():
            rows.setdefault(k, {})[col] = float(v)
    return summary_table(rows, periods, defs, readmissions=rules.describe(
        "discharge_disposition" in has))


#: The roles :func:`summary` reads when the data has them.
SUMMARY_WANTS = ("discharge_date", "cost", "patient_id", "ward", "stay_id",
                 "discharge_disposition")

#: What each summary KPI counts, where it is not the definitions' ALOS label.
_CONVENTIONS = {
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
    out.insert(0, "label", [_SUMMARY_ROWS[k][0] for k in out.index])
    out.insert(1, "unit", [_SUMMARY_ROWS[k][1] for k in out.index])
    out["change"] = out["mtd"] - out["previous_mtd"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["change_pct"] = np.where(
            out["previous_mtd"] != 0, out["change"] / out["previous_mtd"], np.nan
        )
    conventions = {**_CONVENTIONS, "alos": defs.label()}
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
    return out
