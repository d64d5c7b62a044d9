"""The census by the clock: at any time of day, every hour, by weekday, and daily presence.

The midnight census (:func:`hospitalytics.census`) counts the patients in a bed at
midnight, by calendar date; it is the count behind bed-days and occupancy statistics
(KH03, WHO, OECD). Hospitals staff by the hour, though, and the pressure peaks in the
day, when the morning's admissions have arrived and the afternoon's discharges have not
yet left: a midnight census hides that peak. This module takes the census at any instant:

- :func:`census_at`: the census at a clock time each day (``at="08:00"``), or every
  ``freq`` (``"h"``, ``"15min"``, ``"30min"`` ...) through a period;
- :func:`occupancy_profile`: the mean census (or occupancy, given beds) by time of day
  and weekday: the "when are we full" table;
- :func:`daily_presence`: the patients present at any time during each day, discharge day
  included (patientcounter's count by day, used for workload and staffing).

The three counts answer different questions; on the same data they differ:

============================  ============================================  ===============
count                         a stay counts on day ``d`` when                 date-only data
============================  ============================================  ===============
midnight census (``census``)  ``date(admission) <= d < date(discharge)``      yes
census at ``at="08:00"``      it is in hospital at 08:00 on ``d``            no (error)
daily presence                ``date(admission) <= d <= date(discharge)``     yes
============================  ============================================  ===============

**The boundary rule.** At an instant that is exactly a stay's admission or discharge,
peers disagree: hospitalflow's ``occupancy()`` counts both (the stay is a closed
interval), patientcounter counts the arrival and not the departure. ``closed=`` names the
rule with the words of :class:`pandas.Interval`: ``"left"`` (the default: present from
the instant of arrival, gone at the instant of departure, so a bed freed at 08:00 is
free in the 08:00 census), ``"both"`` (hospitalflow), ``"right"`` or ``"neither"``.

**Date-only data** (every admission, or every discharge, exactly at midnight) cannot give
a census at a clock time: the functions that need times raise
:class:`~hospitalytics.errors.ArgumentError` naming the columns; daily presence and the
midnight census work on dates.

Every count is an event sweep over the stays' admission and discharge instants (numpy,
no loop over rows, no expansion of stays into hours): the cost grows with stays +
instants.

Examples
--------
>>> import hospitalytics as hp
>>> df = hp.datasets.load_sample()
>>> c = hp.census_at(df, "2025-12-01", "2025-12-07", at="08:00", by=None)
>>> c["total"].tolist()
[273, 275, 270, 274, 272, 275, 283]
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._clock import (
    CLOSED,
    WEEKDAYS,
    clock_grid,
    clock_label,
    distinct_ranges,
    instant_census,
    instant_slots,
    parse_at,
    parse_freq,
    presence_days,
    require_times,
    weekday_sums,
)
from ._frame import group_codes, setup, stay_keys
from ._sweep import NS_PER_DAY, census_matrix
from ._warn import caller_stacklevel
from .capacity import available_matrix, normalize_beds
from .errors import ArgumentError, DataQualityError, DataQualityWarning

__all__ = ["census_at", "daily_presence", "occupancy_profile"]

Columns = Mapping[str, str] | None
By = str | Sequence[str] | None

COUNTS = ("stays", "patients")


def _check_closed(closed: str) -> None:
    if closed not in CLOSED:
        raise ArgumentError(
            f"closed={closed!r} is not a boundary rule; choose from {list(CLOSED)} "
            "('left': an arrival at the instant counts, a departure at the instant is gone)."
        )


def _one_role(by, needed_by: str) -> None:
    if by is not None and not isinstance(by, str):
        raise ArgumentError(f"{needed_by} takes one grouping role in by= (or None).")


def _what(at, freq) -> str:
    parts = [f"at={at!r}" if at is not None else "", f"freq={freq!r}" if freq else ""]
    return ", ".join(p for p in parts if p)


def _frame_of(matrix: np.ndarray, index: pd.Index, labels, by, total=None) -> pd.DataFrame:
    """One column per group and a total, as :func:`hospitalytics.census` returns."""
    if labels is None:
        return pd.DataFrame({"total": matrix[0] if total is None else total}, index=index)
    out = pd.DataFrame(matrix.T, index=index, columns=labels)
    out["total"] = matrix.sum(axis=0) if total is None else total
    out.columns.name = by
    return out


def _dates(first_day: int, n_days: int, name: str = "date") -> pd.DatetimeIndex:
    days = np.arange(first_day, first_day + n_days, dtype="int64") * NS_PER_DAY
    return pd.DatetimeIndex(days.astype("datetime64[ns]"), name=name)


# ------------------------------------------------------------------------ census_at
def census_at(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    at=None,
    freq=None,
    closed: str = "left",
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: str | None = "ward",
    columns: Columns = None,
) -> pd.DataFrame:
    """The census at a clock time each day, or every ``freq``, per group.

    With ``at`` alone: the stays in hospital at that time on each day of the period
    (``at="08:00"`` is the 08:00 census). With ``freq``: the stays in hospital at every
    ``freq`` instant from 00:00 on the first day through the last instant of the last day
    (``at`` then shifts the grid: ``freq="8h", at="07:00"`` counts at 07:00, 15:00 and
    23:00). An event sweep over the stays' admission and discharge instants: the cost
    grows with stays + instants, and no stay is expanded hour by hour.

    A stay still open at the as-of date is in hospital through its end; a stay admitted
    after it is not there yet. Same-day stays count at the instants inside them (the
    ``day_case_bed_day`` definition is a midnight-census rule and plays no part here).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each, with times of day.
    start, end : date-like, optional
        Inclusive calendar dates (``None``: from the first admission, through the
        as-of date).
    at : str, datetime.time or Timedelta, optional
        The clock time, ``"HH:MM"``.
    freq : str, optional
        A frequency that divides a day: ``"h"``, ``"15min"``, ``"30min"``, ``"4h"`` ...
    closed : {"left", "right", "both", "neither"}, default "left"
        The boundary rule for a stay admitted or discharged exactly at a census instant,
        as :class:`pandas.Interval` names the sides of an interval: ``"left"`` counts an
        arrival at the instant and not a departure (our rule); ``"both"`` counts both
        (hospitalflow's ``occupancy()``); ``"right"`` the departure only; ``"neither"``
        neither.
    mtd, qtd, ytd : bool, default False
        Month-, quarter- or year-to-date through the as-of date.
    as_of : date-like, optional
        Extract date; defaults to the latest date in the data.
    by : str or None, default "ward"
        One grouping role (a column per group), or ``None`` for the total only.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.

    Returns
    -------
    DataFrame
        One int column per group and a ``"total"`` column. With ``at`` alone, indexed by
        date (``"date"``); with ``freq``, by the census instants (``"time"``).
        ``attrs`` records ``at``, ``freq`` and ``closed``.

    Raises
    ------
    ArgumentError
        When neither ``at`` nor ``freq`` is given, when they are not clock times or
        frequencies that divide a day, or when the data holds dates only (every
        admission, or every discharge, at midnight).

    See Also
    --------
    hospitalytics.census : The midnight census by calendar date.
    occupancy_profile : The mean census by time of day and weekday.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> hp.census_at(df, "2025-12-01", "2025-12-03", at="08:00", by=None)
                total
    date
    2025-12-01    273
    2025-12-02    275
    2025-12-03    270
    >>> h = hp.census_at(df, "2025-12-01", "2025-12-01", freq="h", by=None)
    >>> h["total"].idxmax(), int(h["total"].max())
    (Timestamp('2025-12-01 10:00:00'), 282)
    """
    if at is None and freq is None:
        raise ArgumentError(
            "census_at needs at= (a clock time, e.g. at='08:00') or freq= (e.g. freq='h'); "
            "for the midnight census by calendar date use hospitalytics.census."
        )
    _check_closed(closed)
    _one_role(by, "census_at")
    step = NS_PER_DAY if freq is None else parse_freq(freq)
    at_ns = 0 if at is None else parse_at(at)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, needed_by="census_at")
    require_times(ctx.frame, df, columns, needed_by="census_at", what=_what(at, freq))
    lo, hi = ctx.first_day, ctx.last_day
    t0, n, _ = clock_grid(lo, hi, at_ns, step)
    codes, labels = group_codes(ctx.frame, by)
    n_groups = 1 if labels is None else len(labels)
    matrix = instant_census(ctx.stays.adm_ns, ctx.stays.dis_ns,
                            None if labels is None else codes, n_groups, t0, step, n, closed)
    if freq is None:
        index = _dates(lo, n)
    else:
        instants = t0 + np.arange(n, dtype="int64") * step
        index = pd.DatetimeIndex(instants.astype("datetime64[ns]"), name="time")
    out = _frame_of(matrix, index, labels, by)
    out.attrs.update({"at": None if at is None else clock_label(at_ns),
                      "freq": None if freq is None else str(freq), "closed": closed})
    return out


# ------------------------------------------------------------------- daily presence
def _own_codes(codes: np.ndarray) -> np.ndarray:
    """Id codes where each row without an id (-1) gets a code of its own."""
    codes = np.asarray(codes, dtype="int64")
    missing = codes < 0
    if missing.any():
        codes = codes.copy()
        codes[missing] = int(codes.max(initial=-1)) + 1 + np.arange(int(missing.sum()))
    return codes


def daily_presence(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    by: str | None = None,
    count: str = "stays",
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Columns = None,
) -> pd.DataFrame:
    """Patients present at any time during each day, the discharge day included.

    A stay counts on every day from its admission date through its discharge date, both
    included: a patient admitted on Monday afternoon and discharged on Wednesday morning
    counts on Monday, Tuesday and Wednesday (the midnight census counts Monday and
    Tuesday). A same-day stay counts on its day; a stay still open counts through the
    as-of date. This is the count of patientcounter's ``interval_census`` by day: every
    patient the staff cared for that day, the count for workload and staffing. It reads
    calendar dates only, so it works on date-only data too.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end : date-like, optional
        Inclusive calendar dates (``None``: from the first admission, through the as-of
        date).
    by : str or None, default None
        One grouping role (a column per group), or ``None`` for the total only.
    count : {"stays", "patients"}, default "stays"
        ``"stays"`` counts each stay once a day (a patient discharged and readmitted the
        same day counts twice); the ward segments of one stay (rows sharing a
        ``stay_id``, see :ref:`segments`) are one stay. ``"patients"`` counts each
        ``patient_id`` once a day (patientcounter's ``uniques = TRUE``); rows without a
        patient id count as patients of their own. Either way, with ``by``, a stay or
        patient who moved between groups during the day counts in each group, and once
        in the total.
    mtd, qtd, ytd : bool, default False
        Month-, quarter- or year-to-date through the as-of date.
    as_of : date-like, optional
        Extract date; defaults to the latest date in the data.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.

    Returns
    -------
    DataFrame
        Indexed by date (``"date"``): one int column per group and a ``"total"`` column.

    Raises
    ------
    SchemaError
        When ``count="patients"`` and no patient id column can be found.

    See Also
    --------
    hospitalytics.census : The midnight census (the discharge day does not count).
    census_at : The census at a clock time.

    Examples
    --------
    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-03 14:00", "2025-03-04 09:00"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-05 10:00", "2025-03-04 17:00"])})
    >>> hp.daily_presence(stays)
                total
    date
    2025-03-03      1
    2025-03-04      2
    2025-03-05      1
    >>> hp.census(stays, by=None)["total"].tolist()     # the midnight census
    [1, 1, 0]
    """
    if count not in COUNTS:
        raise ArgumentError(f"count={count!r} is not known; choose 'stays' or 'patients'.")
    _one_role(by, "daily_presence")
    needs = ("patient_id",) if count == "patients" else ()
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=needs, wants=("stay_id", "patient_id"), by=by,
                needed_by="daily_presence")
    lo, hi = ctx.first_day, ctx.last_day
    n_days = max(hi - lo + 1, 0)
    first, stop = presence_days(ctx.stays)
    codes, labels = group_codes(ctx.frame, by)
    n_groups = 1 if labels is None else len(labels)
    index = _dates(lo, n_days)
    if count == "patients":
        keys = _own_codes(ctx.patient_codes())
    else:  # ward segments of one stay (rows sharing a stay_id) are one stay
        patients = ctx.patient_codes if "patient_id" in ctx.frame.columns else None
        found = stay_keys(ctx.frame, patients)
        keys = None if found is None else found[0]
    if keys is None:  # every row is a stay of its own
        matrix = census_matrix(first, stop, codes, n_groups, lo, n_days)
        return _frame_of(matrix, index, labels, by)
    s, e = distinct_ranges(keys, first, stop)
    total = census_matrix(s, e, np.zeros(len(s), dtype="int64"), 1, lo, n_days)[0]
    if labels is None:
        return _frame_of(total[None, :], index, labels, by)
    key = codes * (int(keys.max(initial=-1)) + 1) + keys
    s, e = distinct_ranges(key, first, stop)
    matrix = census_matrix(s, e, codes, n_groups, lo, n_days)
    return _frame_of(matrix, index, labels, by, total=total)


# --------------------------------------------------------------- occupancy profile
def _ward_index(frame: pd.DataFrame, wards: pd.Index) -> tuple[np.ndarray, np.ndarray, list]:
    """Per stay: the position of its ward in ``wards`` (-1: none), its ward code, labels."""
    col = frame["ward"]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    cats = [str(c) for c in col.cat.categories]
    codes = col.cat.codes.to_numpy().astype("int64")
    codes = np.where(codes < 0, len(cats), codes)
    lookup = np.append(wards.get_indexer(pd.Index(cats, dtype=object)), -1)
    return lookup[codes], codes, cats + ["(missing)"]


def _warn_left_out(n_stays: np.ndarray, labels: list, *, strict: bool) -> None:
    """Name the wards whose stays have no beds (a DataQualityError when ``strict``)."""
    lost = [(labels[i], int(k)) for i, k in enumerate(n_stays) if k > 0]
    if not lost:
        return
    listing = ", ".join(f"{w} ({k} stays)" for w, k in sorted(lost))
    msg = (f"occupancy_profile: stays in wards without bed capacity are left out of the "
           f"profile: {listing}. Add those wards to beds, or fix the ward names.")
    if strict:
        raise DataQualityError(msg)
    warnings.warn(msg, DataQualityWarning, stacklevel=caller_stacklevel())


def _group_beds(ward_pos, codes, labels, wards, by) -> tuple[np.ndarray, pd.Index]:
    """The group of each capacity ward, from the stays (one group per ward, or an error)."""
    keep = ward_pos >= 0
    pairs = np.unique(np.stack([ward_pos[keep], codes[keep]]), axis=1)
    ward_group = np.full(len(wards), -1, dtype="int64")
    if pairs.size:
        counts = np.bincount(pairs[0], minlength=len(wards))
        if (counts > 1).any():
            w = int(np.flatnonzero(counts > 1)[0])
            groups = [str(labels[g]) for g in pairs[1][pairs[0] == w]]
            raise ArgumentError(
                f"occupancy_profile(by={by!r}): the stays of ward {wards[w]!r} fall in "
                f"several {by} groups ({', '.join(groups)}), so its beds cannot be given to "
                f"one; use by='ward' or by=None, or fix the {by} of those stays."
            )
        ward_group[pairs[0]] = pairs[1]
    unplaced = [str(w) for w, g in zip(wards, ward_group, strict=True) if g < 0]
    if unplaced:
        warnings.warn(
            f"occupancy_profile(by={by!r}): wards {unplaced} have beds but no stays, so "
            f"no {by} is known for them: their beds are left out of the profile. Use "
            "by='ward' or by=None to count them.",
            DataQualityWarning, stacklevel=caller_stacklevel(),
        )
    return ward_group, labels


def occupancy_profile(
    df: pd.DataFrame,
    beds=None,
    *,
    by: str | None = None,
    start=None,
    end=None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    freq="h",
    at=None,
    closed: str = "left",
    strict: bool = False,
    tidy: bool = False,
    columns: Columns = None,
) -> pd.DataFrame:
    """When are we full: the mean census, or occupancy, by time of day and weekday.

    The census is taken every ``freq`` (hourly by default) through the period, as
    :func:`census_at` takes it, and averaged over the days of each weekday: the cell
    (Tuesday, 14:00) is the mean of the 14:00 census of every Tuesday of the period.
    Given ``beds``, the cell is the occupancy: the census summed over those instants
    divided by the beds available at them (pooled, never clipped at 1), with capacity
    that changes over time read day by day (:mod:`hospitalytics.capacity`).

    With beds, only stays in wards that have beds count (the others are named in a
    :class:`~hospitalytics.errors.DataQualityWarning`, as :func:`hospitalytics.occupancy`
    does), and a group's beds are the beds of its wards: ``by="ward"`` gives one profile
    per ward in ``beds``, ``by=None`` one for all of them, and another role (such as
    ``"department"``) adds up the beds of the wards whose stays fall in each group.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each, with times of day.
    beds : dict, Series or DataFrame, optional
        Beds per ward, optionally with ``valid_from``/``valid_to`` ranges. Without
        beds, the table holds the mean census.
    by : str or None, default None
        One grouping role: one profile per group, stacked on the rows.
    start, end : date-like, optional
        Inclusive calendar dates (``None``: from the first admission, through the as-of
        date). A profile is best read over whole weeks of steady data: the first weeks
        of an extract miss the stays admitted before it began.
    mtd, qtd, ytd : bool, default False
        Month-, quarter- or year-to-date through the as-of date.
    as_of : date-like, optional
        Extract date; defaults to the latest date in the data.
    freq : str, default "h"
        The step of the census: a frequency that divides a day (``"15min"``, ``"30min"``,
        ``"4h"`` ...).
    at : str, optional
        A clock time the grid passes through (``freq="8h", at="07:00"``: shifts at
        07:00, 15:00 and 23:00); by default midnight.
    closed : {"left", "right", "both", "neither"}, default "left"
        The boundary rule at the census instants (see :func:`census_at`).
    strict : bool, default False
        Raise instead of warning about stays in wards without beds.
    tidy : bool, default False
        Return the long form, one row per group, weekday and time, with every measure.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.

    Returns
    -------
    DataFrame
        By default the wide table: one row per time of day (index ``"time"``, ``"HH:MM"``
        labels; with ``by``, a MultiIndex of the group and the time), one column per
        weekday ``"Mon"`` .. ``"Sun"``; the values are the occupancy (a fraction, 0.85
        means 85%) when beds are given, else the mean census. A weekday with no day in
        the period is NaN. With ``tidy=True``: columns (the group), ``weekday`` (ordered
        categorical), ``time``, ``census`` (mean), ``beds`` (mean available) and
        ``occupancy`` (with beds), and ``days`` (the days averaged). ``attrs`` records
        the ``measure`` (``"occupancy"`` or ``"census"``), the period's ``start`` and
        ``end``, ``freq``, ``at`` and ``closed``.

    Raises
    ------
    ArgumentError
        When the data holds dates only, ``freq`` does not divide a day, or with beds a
        ward's stays fall in several groups of ``by``.

    See Also
    --------
    hospitalytics.plots.occupancy_profile : The table as a heatmap.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> p = hp.occupancy_profile(df, beds, start="2025-01-06", end="2025-12-14")
    >>> p.shape, p.index[14], list(p.columns[:3])
    ((24, 7), '14:00', ['Mon', 'Tue', 'Wed'])
    >>> p.loc[["04:00", "12:00"], ["Mon", "Fri"]].round(2)
    weekday   Mon   Fri
    time
    04:00    0.87  0.88
    12:00    0.93  0.93
    """
    _check_closed(closed)
    _one_role(by, "occupancy_profile")
    step = parse_freq(freq)
    at_ns = 0 if at is None else parse_at(at)
    table = None if beds is None else normalize_beds(beds)
    needs = () if table is None else ("ward",)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=needs, by=by, needed_by="occupancy_profile")
    require_times(ctx.frame, df, columns, needed_by="occupancy_profile",
                  what=_what(at, freq))
    lo, hi = ctx.first_day, ctx.last_day
    t0, n, per_day = clock_grid(lo, hi, at_ns, step)
    n_days = n // per_day
    adm, dis = ctx.stays.adm_ns, ctx.stays.dis_ns
    codes, labels = group_codes(ctx.frame, by)
    beds_sum = None
    if table is None:
        n_groups = 1 if labels is None else len(labels)
        matrix = instant_census(adm, dis, None if labels is None else codes, n_groups,
                                t0, step, n, closed)
    else:
        wards = pd.Index(pd.unique(table["ward"]), name="ward")
        ward_pos, ward_codes, ward_labels = _ward_index(ctx.frame, wards)
        # stays present at some instant of the period, per ward without beds
        present = _present_stays(adm, dis, ward_pos < 0, ward_codes, len(ward_labels),
                                 t0, step, n, closed)
        _warn_left_out(present, ward_labels, strict=strict)
        avail = available_matrix(table, wards, lo, n_days)  # wards x days
        if by is None or by == "ward":
            group = ward_pos if by == "ward" else np.where(ward_pos >= 0, 0, -1)
            labels = wards if by == "ward" else None
            ward_group = np.arange(len(wards)) if by == "ward" else np.zeros(len(wards),
                                                                             dtype="int64")
        else:
            ward_group, labels = _group_beds(ward_pos, codes, labels, wards, by)
            group = np.where(ward_pos >= 0, codes, -1)
        n_groups = 1 if labels is None else len(labels)
        matrix = instant_census(adm, dis, group, n_groups, t0, step, n, closed)
        group_avail = np.zeros((n_groups, n_days), dtype="float64")
        placed = ward_group >= 0
        np.add.at(group_avail, ward_group[placed], avail[placed])
        weekday = (np.arange(lo, lo + n_days) + 3) % 7
        beds_sum = np.stack([group_avail[:, weekday == w].sum(axis=1) for w in range(7)],
                            axis=1)  # groups x weekdays
    sums, days = weekday_sums(matrix, lo, per_day)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / np.where(days > 0, days, np.nan)[None, :, None]
        occ = None
        if beds_sum is not None:
            occ = sums / np.where(beds_sum > 0, beds_sum, np.nan)[:, :, None]
            mean_beds = beds_sum / np.where(days > 0, days, np.nan)[None, :]
    times = [clock_label(at_ns % step + s * step) for s in range(NS_PER_DAY // step)]
    values = mean if occ is None else occ
    if tidy:
        out = _tidy(mean, occ, None if occ is None else mean_beds, days, times, labels, by)
    else:
        out = _wide(values, times, labels, by)
    day = pd.Timedelta(days=1)
    out.attrs.update({
        "measure": "census" if occ is None else "occupancy",
        "start": str((pd.Timestamp(0) + lo * day).date()),
        "end": str((pd.Timestamp(0) + hi * day).date()),
        "freq": str(freq), "at": None if at is None else clock_label(at_ns),
        "closed": closed,
    })
    return out


def _present_stays(adm, dis, mask, codes, n_groups, t0, step, n, closed) -> np.ndarray:
    """Stays (selected by ``mask``) present at one instant or more, per group code."""
    first, stop = instant_slots(adm[mask], dis[mask], t0, step, n, closed)
    seen = np.minimum(stop, n) > np.maximum(first, 0)
    return np.bincount(codes[mask][seen], minlength=n_groups)


def _wide(values: np.ndarray, times: list, labels, by) -> pd.DataFrame:
    """Times of day down, weekdays across (one block of rows per group)."""
    cols = pd.Index(list(WEEKDAYS), name="weekday")
    if labels is None:
        return pd.DataFrame(values[0].T, index=pd.Index(times, name="time"), columns=cols)
    n_t = len(times)
    index = pd.MultiIndex.from_arrays(
        [np.repeat(np.asarray(labels, dtype=object), n_t), np.tile(times, len(labels))],
        names=[by, "time"],
    )
    flat = values.transpose(0, 2, 1).reshape(len(labels) * n_t, 7)
    return pd.DataFrame(flat, index=index, columns=cols)


def _tidy(mean, occ, mean_beds, days, times, labels, by) -> pd.DataFrame:
    """One row per group, weekday and time of day."""
    n_g, n_t = mean.shape[0], len(times)
    wd = np.tile(np.repeat(np.arange(7), n_t), n_g)
    out = {}
    if labels is not None:
        out[by] = np.repeat(np.asarray(labels, dtype=object), 7 * n_t)
    out["weekday"] = pd.Categorical.from_codes(wd, categories=list(WEEKDAYS), ordered=True)
    out["time"] = np.tile(np.asarray(times, dtype=object), 7 * n_g)
    out["census"] = mean.reshape(-1)
    if occ is not None:
        out["beds"] = np.repeat(mean_beds.reshape(-1), n_t)
        out["occupancy"] = occ.reshape(-1)
    out["days"] = np.tile(np.repeat(days, n_t), n_g).astype("int64")
    return pd.DataFrame(out)
