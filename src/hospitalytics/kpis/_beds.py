"""Census, bed-days and occupancy: the KPIs of the midnight census, and the bed board."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._frame import Context, setup
from .._sweep import NS_PER_DAY, occupied_census, occupied_totals
from ..capacity import available_matrix, beds_on, normalize_beds
from ..definitions import (
    Definitions,
    get_definitions,
)
from ..errors import ArgumentError
from ..periods import Period
from ._kernels import (
    STAY_ROLES,
    By,
    Columns,
    capacity_wards,
    closed_wards,
    discharged,
    month_starts,
    pooled_occupied,
    ratio,
    split_wards,
    ward_categories,
    ward_census_partial,
    ward_days_partial,
    warn_lost,
)
from ._specs import Labeled, Plan, Spec, aligned, finish, grouped, groups, labels_index, run

__all__ = [
    "AVERAGE_DAILY_CENSUS",
    "BED_BOARD",
    "BED_DAYS",
    "BED_TURNOVER",
    "CENSUS",
    "MONTHLY_OCCUPANCY_BY_WARD",
    "OCCUPANCY",
    "OCCUPANCY_BY_WARD",
    "average_daily_census",
    "bed_board",
    "bed_days",
    "bed_turnover",
    "census",
    "census_at_days",
    "check_census_by",
    "day_index",
    "monthly_occupancy_by_ward",
    "occupancy",
    "occupancy_by_ward",
    "occupancy_table",
    "turnover",
    "ward_census_at",
    "ward_discharges_partial",
]


# --------------------------------------------------------------------------- specs
def check_census_by(by) -> None:
    """Raise ``ArgumentError`` unless ``by`` is one grouping role or None."""
    if by is not None and not isinstance(by, str):
        raise ArgumentError("census takes one grouping role in by= (or None).",
                            argument="by", value=by, allowed="one grouping role, or None")


def day_index(lo: int, n_days: int) -> pd.DatetimeIndex:
    """The dates of ``n_days`` days from day number ``lo`` (index named ``"date"``)."""
    return pd.DatetimeIndex(
        (np.arange(lo, lo + n_days, dtype="int64") * NS_PER_DAY).astype("datetime64[ns]"),
        name="date",
    )


def _census_chunk(ctx: Context, plan: Plan):
    codes, labels, labeled = groups(ctx.frame, plan.by, compact=True)
    n_groups = 1 if labels is None else len(labels)
    matrix = occupied_census(ctx.stays, plan.defs, None if labels is None else codes,
                             n_groups, plan.lo, plan.n_days)
    return matrix[0] if labels is None else labeled(matrix)


def _census_final(total, plan: Plan) -> pd.DataFrame:
    index = day_index(plan.lo, plan.n_days)
    if plan.by is None:
        return pd.DataFrame({"total": total}, index=index)
    labels = labels_index(total, [plan.by])
    matrix = aligned(total, labels)
    out = pd.DataFrame(matrix.T, index=index, columns=labels)
    out["total"] = matrix.sum(axis=0)
    out.columns.name = plan.by
    return out


def census_at_days(ctx: Context, df, columns, by, at, needed_by: str):
    """The census at clock time ``at`` each day of the period (groups x days), and labels.

    The ``at=`` path (:mod:`hospitalytics.clock`), run on pandas only.
    """
    from .._clock import daily_census_at  # the census by the clock

    codes, labels, _ = groups(ctx.frame, by)
    n = 1 if labels is None else len(labels)
    return daily_census_at(ctx, df, columns, codes, n, at, needed_by=needed_by), labels


def ward_census_at(ctx: Context, df, columns, at) -> Labeled:
    """Occupied beds at clock time ``at``, summed over the days, per ward label."""
    from .._clock import daily_census_at  # the census by the clock

    codes, cats = ward_categories(ctx)
    per_cat = daily_census_at(ctx, df, columns, codes, len(cats), at, needed_by="occupancy")
    return Labeled(list(cats), per_cat.sum(axis=1).astype("float64"))


#: The daily midnight census per group (every ward segment in its ward).
CENSUS = Spec("census", _census_chunk, _census_final, first_day=True)


def _days_chunk(ctx: Context, plan: Plan):
    codes, labels, labeled = groups(ctx.frame, plan.by, compact=True)
    if labels is None:
        return float(occupied_totals(ctx.stays, plan.defs, None, 1, plan.lo, plan.hi)[0])
    return labeled(occupied_totals(ctx.stays, plan.defs, codes, len(labels), plan.lo,
                                   plan.hi))


def _bed_days_final(total, plan: Plan):
    if plan.by is None:
        return int(total)
    return grouped(total, plan.by, name="bed_days", dtype="int64")


def _adc_final(total, plan: Plan):
    n_days = plan.n_days
    if plan.by is None:
        return float(total / n_days) if n_days else float("nan")
    days = grouped(total, plan.by, name="average_daily_census", dtype="float64")
    return pd.Series(days.to_numpy() / n_days if n_days else np.nan, index=days.index,
                     name="average_daily_census")


#: Occupied bed-days by the midnight census, in total or per group.
BED_DAYS = Spec("bed_days", _days_chunk, _bed_days_final)
#: Bed-days divided by the days of the period.
AVERAGE_DAILY_CENSUS = Spec("average_daily_census", _days_chunk, _adc_final, first_day=True)


def _ward_days_chunk(ctx: Context, plan: Plan) -> Labeled:
    return ward_days_partial(ctx, plan.defs, plan.lo, plan.hi)


def _warn_lost_wards(total: Labeled, plan: Plan) -> None:
    _, lost = split_wards(total, capacity_wards(plan.option("beds")))
    warn_lost(lost, strict=plan.option("strict", False))


def _warn_lost_or_closed_wards(total: Labeled, plan: Plan) -> None:
    """Also the wards with patients but no beds in the period (left out of the pool)."""
    table = plan.option("beds")
    wards = capacity_wards(table)
    occupied, lost = split_wards(total, wards)
    if plan.n_days > 0:
        available = available_matrix(table, wards, plan.lo, plan.n_days).sum(axis=1)
        lost = pd.concat([lost, closed_wards(wards, occupied, available)])
    warn_lost(lost, strict=plan.option("strict", False))


def occupancy_table(occupied: np.ndarray, plan: Plan) -> pd.DataFrame:
    """Occupied and available bed-days and their ratio per capacity ward."""
    table = plan.option("beds")
    wards = capacity_wards(table)
    available = available_matrix(table, wards, plan.lo, plan.n_days).sum(axis=1)
    return pd.DataFrame(
        {"occupied_bed_days": occupied, "available_bed_days": available,
         "occupancy": ratio(occupied, available)},
        index=wards,
    )


def _occupancy_by_ward_final(total: Labeled, plan: Plan) -> pd.DataFrame:
    occupied, _ = split_wards(total, capacity_wards(plan.option("beds")))
    return occupancy_table(occupied, plan)


def _occupancy_final(total: Labeled, plan: Plan) -> float:
    table = _occupancy_by_ward_final(total, plan)
    available = table["available_bed_days"].to_numpy()
    occupied = pooled_occupied(table["occupied_bed_days"].to_numpy(), available)
    return float(occupied / available.sum()) if available.sum() else float("nan")


#: Occupied / available bed-days per ward with capacity (lost bed-days named once).
OCCUPANCY_BY_WARD = Spec("occupancy_by_ward", _ward_days_chunk, _occupancy_by_ward_final,
                         warn=_warn_lost_or_closed_wards, needs=("ward",), first_day=True)
#: Pooled occupancy over the wards with capacity.
OCCUPANCY = Spec("occupancy", _ward_days_chunk, _occupancy_final,
                 warn=_warn_lost_or_closed_wards,
                 needs=("ward",), first_day=True)


def ward_discharges_partial(ctx: Context, period: Period) -> Labeled:
    """Stays discharged in the period per discharging ward label (their last segment's)."""
    ev = ctx.events()
    codes, cats = ward_categories(ev, "discharge")
    mask = discharged(ev, period)
    return Labeled(list(cats), np.bincount(codes[mask], minlength=len(cats)).astype("int64"))


def turnover(discharges: Labeled, table: pd.DataFrame, lo: int, n_days: int,
             available: float | None = None) -> float:
    """Discharges from the wards of ``table`` / their average available beds."""
    wards = capacity_wards(table)
    n_dis = int(aligned(discharges, wards).sum())
    if available is None:
        available = available_matrix(table, wards, lo, n_days).sum()
    if not n_days or not available:
        return float("nan")
    return float(n_dis / (available / n_days))


#: Discharges from the wards with capacity / their average available beds.
BED_TURNOVER = Spec(
    "bed_turnover", lambda ctx, plan: ward_discharges_partial(ctx, plan.period),
    lambda total, plan: turnover(total, plan.option("beds"), plan.lo, plan.n_days),
    needs=("ward", "discharge_date"), wants=STAY_ROLES, events=True, first_day=True,
)


def _ward_census_chunk(ctx: Context, plan: Plan) -> Labeled:
    return ward_census_partial(ctx, plan.defs, plan.lo, plan.n_days)


def _monthly_occupancy_final(total: Labeled, plan: Plan) -> pd.DataFrame:
    table = plan.option("beds")
    wards = capacity_wards(table)
    lo, n_days = plan.lo, plan.n_days
    if n_days == 0:
        return pd.DataFrame(
            columns=["month", "ward", "occupied_bed_days", "available_bed_days", "occupancy"]
        )
    occ, _ = split_wards(total, wards)
    avail = available_matrix(table, wards, lo, n_days)
    months, starts = month_starts(lo, n_days)
    occ_m = np.add.reduceat(occ, starts, axis=1).astype("float64")
    avail_m = np.add.reduceat(avail, starts, axis=1)
    return pd.DataFrame(
        {
            "month": np.tile(months, len(wards)),
            "ward": np.repeat(wards.to_numpy(dtype=object), len(months)),
            "occupied_bed_days": occ_m.ravel(),
            "available_bed_days": avail_m.ravel(),
            "occupancy": ratio(occ_m, avail_m).ravel(),
        }
    )


#: Occupancy per ward and calendar month (from the daily census per ward).
MONTHLY_OCCUPANCY_BY_WARD = Spec("monthly_occupancy_by_ward", _ward_census_chunk,
                                 _monthly_occupancy_final, warn=_warn_lost_wards,
                                 needs=("ward",), first_day=True)


def _bed_board_chunk(ctx: Context, plan: Plan) -> Labeled:
    return ward_days_partial(ctx, plan.defs, plan.hi, plan.hi)


def _bed_board_final(total: Labeled, plan: Plan) -> pd.DataFrame:
    table = plan.option("beds")
    wards = capacity_wards(table)
    occupied, _ = split_wards(total, wards)
    cap = beds_on(table, plan.period.as_of).reindex(wards).to_numpy()
    out = pd.DataFrame({"beds": cap, "in_patients": occupied.astype("int64")}, index=wards)
    out.loc["total"] = out.sum()
    out["in_patients"] = out["in_patients"].astype("int64")
    out["free_beds"] = out["beds"] - out["in_patients"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["occupancy"] = np.where(out["beds"] > 0, out["in_patients"] / out["beds"], np.nan)
    return out


#: The bed board at the end of the as-of date.
BED_BOARD = Spec("bed_board", _bed_board_chunk, _bed_board_final, warn=_warn_lost_wards,
                 needs=("ward",))

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
    check_census_by(by)
    defs = get_definitions(definitions)
    if at is not None or freq is not None:
        from ..clock import census_at  # the census by the clock

        return census_at(df, start, end, at=at, freq=freq, closed=closed, mtd=mtd, qtd=qtd,
                         ytd=ytd, as_of=as_of, by=by, columns=columns)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, needed_by="census")
    return run(CENSUS, ctx, Plan.of(ctx, "census", definitions=defs, by=by))


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
    8450
    """
    defs = get_definitions(definitions)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, needed_by="bed_days")
    if at is not None:
        days, labels = census_at_days(ctx, df, columns, by, at, "bed_days")
        days = days.sum(axis=1)
        return int(days[0]) if labels is None else pd.Series(days, index=labels,
                                                             name="bed_days")
    return run(BED_DAYS, ctx, Plan.of(ctx, "bed_days", definitions=defs, by=by))


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
    272.58
    """
    defs = get_definitions(definitions)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, needed_by="average_daily_census")
    if at is not None:
        days, labels = census_at_days(ctx, df, columns, by, at, "average_daily_census")
        n_days = max(ctx.last_day - ctx.first_day + 1, 0)
        mean = days.sum(axis=1) / n_days if n_days else np.full(len(days), np.nan)
        return float(mean[0]) if labels is None else pd.Series(
            mean, index=labels, name="average_daily_census")
    return run(AVERAGE_DAILY_CENSUS, ctx,
               Plan.of(ctx, "average_daily_census", definitions=defs, by=by))


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
    Acute Assessment              879.0               930.0   0.945161
    Cardio A                      786.0               806.0   0.975186
    Elderly Care                  950.0               992.0   0.957661
    """
    defs = get_definitions(definitions)
    table = normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=OCCUPANCY_BY_WARD.needs, needed_by="occupancy_by_ward")
    plan = Plan.of(ctx, "occupancy_by_ward", definitions=defs, beds=table, strict=strict)
    if at is not None:  # the census at a clock time, summed over the days, per ward
        return finish(OCCUPANCY_BY_WARD, ward_census_at(ctx, df, columns, at), plan)
    return run(OCCUPANCY_BY_WARD, ctx, plan)


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
    0.927
    """
    defs = get_definitions(definitions)
    table = normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=OCCUPANCY.needs, needed_by="occupancy")
    plan = Plan.of(ctx, "occupancy", definitions=defs, beds=table, strict=strict)
    if at is not None:  # the census at a clock time, summed over the days, per ward
        return finish(OCCUPANCY, ward_census_at(ctx, df, columns, at), plan)
    return run(OCCUPANCY, ctx, plan)


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
    7.2
    """
    table = normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=BED_TURNOVER.needs, wants=BED_TURNOVER.wants,
                needed_by="bed_turnover")
    return run(BED_TURNOVER, ctx, Plan.of(ctx, "bed_turnover", beds=table))


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
    (3, 12)
    """
    defs = get_definitions(definitions)
    table = normalize_beds(beds)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=MONTHLY_OCCUPANCY_BY_WARD.needs,
                needed_by="monthly_occupancy_by_ward")
    plan = Plan.of(ctx, "monthly_occupancy_by_ward", definitions=defs, beds=table,
                   strict=strict)
    return run(MONTHLY_OCCUPANCY_BY_WARD, ctx, plan)


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
    266
    """
    table = normalize_beds(beds)
    ctx = setup(df, as_of=as_of, columns=columns, needs=BED_BOARD.needs, needed_by="bed_board")
    plan = Plan.of(ctx, "bed_board", definitions=get_definitions("who"), beds=table,
                   strict=strict)
    return run(BED_BOARD, ctx, plan)
