"""Kernels of the census by the clock: instants, boundary rules, daily presence, profiles.

Private module, public names (the KPI modules import them). Everything works on int64
nanoseconds since the epoch (the arrays of :class:`hospitalytics._sweep.Stays`) and on
*slot numbers*: the census instants of a period are ``t_k = t0 + k * step`` for
``k = 0 .. n - 1``, and each stay is turned into the range of instants ``first <= k <
stop`` at which it is present. The census is then the same event sweep as the midnight
census (:func:`hospitalytics._sweep.census_matrix`: ``+1`` at ``first``, ``-1`` at
``stop``, a cumulative sum), so the cost grows with stays + instants, never with
stays x instants, and no stay is ever expanded hour by hour.

The boundary rule (``closed``) says whether a stay is present at an instant that is
exactly its admission or its discharge, with the words of :class:`pandas.Interval`: a
stay is the interval from admission to discharge, closed on the ``"left"`` (present from
the instant of arrival, gone at the instant of departure: the default), on the
``"right"``, on ``"both"`` sides (hospitalflow's ``occupancy()``) or on ``"neither"``.

Examples
--------
>>> import numpy as np
>>> h = 3600 * 10**9
>>> adm = np.array([8 * h, 9 * h])          # 08:00 and 09:00 on 1970-01-01
>>> dis = np.array([9 * h, 12 * h])         # 09:00 and 12:00
>>> instant_census(adm, dis, None, 1, 8 * h, h, 3, "left").tolist()   # 08, 09, 10:00
[[1, 1, 1]]
>>> instant_census(adm, dis, None, 1, 8 * h, h, 3, "both").tolist()
[[1, 2, 1]]
"""

from __future__ import annotations

import datetime as _dt
import re
import warnings

import numpy as np
import pandas as pd

from ._sweep import CHUNK, NS_PER_DAY, Stays, census_matrix
from .errors import ArgumentError
from .schema import resolve_roles

__all__ = [
    "CLOSED",
    "WEEKDAYS",
    "clock_grid",
    "clock_label",
    "daily_census_at",
    "distinct_ranges",
    "instant_census",
    "instant_slots",
    "parse_at",
    "parse_freq",
    "presence_days",
    "require_times",
    "weekday_sums",
]

#: The boundary rules, as :class:`pandas.Interval` names them.
CLOSED = ("left", "right", "both", "neither")
#: Weekday labels, Monday first (ISO 8601).
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_NAT = np.iinfo("int64").min
_NS_PER_SECOND = 10**9
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


# ------------------------------------------------------------------------ arguments
def parse_at(at: object, *, name: str = "at") -> int:
    """A clock time as nanoseconds after midnight.

    Parameters
    ----------
    at : str, datetime.time or Timedelta
        ``"08:00"``, ``"8:00"``, ``"08:00:30"``, a :class:`datetime.time` (no time
        zone) or a :class:`pandas.Timedelta` from 0 to just under 24 hours.
    name : str, default "at"
        The argument's name, for the error message.

    Returns
    -------
    int
        Nanoseconds after midnight, ``0 <= value < NS_PER_DAY``.

    Raises
    ------
    ArgumentError
        When the value is not a clock time of one day.

    Examples
    --------
    >>> parse_at("08:00") // 3_600_000_000_000
    8
    >>> parse_at("24:00")
    Traceback (most recent call last):
    ...
    hospitalytics.errors.ArgumentError: at='24:00' is not a clock time; give 'HH:MM' from '00:00' to '23:59' (e.g. at='08:00'), a datetime.time or a Timedelta under one day.
    """  # noqa: E501
    bad = ArgumentError(
        f"{name}={at!r} is not a clock time; give 'HH:MM' from '00:00' to '23:59' "
        f"(e.g. {name}='08:00'), a datetime.time or a Timedelta under one day."
    )
    if isinstance(at, str):
        m = _CLOCK.match(at)
        if m is None:
            raise bad
        hh, mm, ss = int(m[1]), int(m[2]), int(m[3] or 0)
        if hh > 23 or mm > 59 or ss > 59:
            raise bad
        return ((hh * 60 + mm) * 60 + ss) * _NS_PER_SECOND
    if isinstance(at, _dt.time):
        if at.tzinfo is not None:
            raise ArgumentError(
                f"{name}={at!r} has a time zone; the census reads the hospital's wall "
                "clock, so give a plain clock time such as '08:00'."
            )
        secs = (at.hour * 60 + at.minute) * 60 + at.second
        return secs * _NS_PER_SECOND + at.microsecond * 1000
    if isinstance(at, pd.Timedelta | _dt.timedelta | np.timedelta64):
        value = pd.Timedelta(at).value
        if 0 <= value < NS_PER_DAY:
            return int(value)
    raise bad


def parse_freq(freq: object, *, name: str = "freq") -> int:
    """The step of a census grid in nanoseconds: a fixed frequency that divides a day.

    Parameters
    ----------
    freq : str, DateOffset or Timedelta
        A pandas frequency such as ``"h"``, ``"15min"``, ``"30min"``, ``"4h"`` or
        ``"D"``.
    name : str, default "freq"
        The argument's name, for the error message.

    Returns
    -------
    int
        The step in nanoseconds; ``NS_PER_DAY`` is a whole multiple of it.

    Raises
    ------
    ArgumentError
        When ``freq`` is not a fixed frequency, or does not divide a day.

    Examples
    --------
    >>> parse_freq("15min") // 60_000_000_000
    15
    >>> parse_freq("7h")
    Traceback (most recent call last):
    ...
    hospitalytics.errors.ArgumentError: freq='7h' does not divide a day into equal steps; use one such as 'h', '15min', '30min', '2h', '4h', '6h', '8h', '12h' or 'D'.
    """  # noqa: E501
    hint = ("such as 'h', '15min', '30min', '2h', '4h', '6h', '8h', '12h' or 'D'")
    try:
        if isinstance(freq, pd.Timedelta | _dt.timedelta | np.timedelta64):
            step = int(pd.Timedelta(freq).value)
        else:
            with warnings.catch_warnings():  # pandas' alias deprecations: our message
                warnings.simplefilter("ignore", FutureWarning)  # says what is accepted
                offset = pd.tseries.frequencies.to_offset(freq)
            step = int(pd.Timedelta(offset).value)
    except (ValueError, TypeError) as exc:
        raise ArgumentError(
            f"{name}={freq!r} is not a fixed frequency that divides a day; use one {hint}."
        ) from exc
    if step <= 0 or NS_PER_DAY % step:
        raise ArgumentError(
            f"{name}={freq!r} does not divide a day into equal steps; use one {hint}."
        )
    return step


def clock_label(ns: int) -> str:
    """``"HH:MM"`` (or ``"HH:MM:SS"``) of a time of day given in nanoseconds.

    Parameters
    ----------
    ns : int
        Nanoseconds after midnight.

    Returns
    -------
    str
        The clock time.

    Examples
    --------
    >>> clock_label(parse_at("07:30")), clock_label(parse_at("07:30:15"))
    ('07:30', '07:30:15')
    """
    secs = int(ns) % NS_PER_DAY // _NS_PER_SECOND
    hh, rest = divmod(secs, 3600)
    mm, ss = divmod(rest, 60)
    return f"{hh:02d}:{mm:02d}" + (f":{ss:02d}" if ss else "")


def clock_grid(first_day: int, last_day: int, at_ns: int, step: int) -> tuple[int, int, int]:
    """The census instants of days ``first_day .. last_day``: ``(t0, n, per_day)``.

    The instants are ``t0 + k * step``, ``k < n``: ``per_day`` of them on each day, the
    first at ``at_ns`` modulo ``step`` after midnight (so that every day has the same
    clock times).

    Parameters
    ----------
    first_day, last_day : int
        Day numbers (days since 1970-01-01), inclusive.
    at_ns : int
        The clock time the grid passes through, in nanoseconds after midnight.
    step : int
        Nanoseconds between instants; divides a day.

    Returns
    -------
    tuple of int
        ``(t0, n, per_day)``.

    Examples
    --------
    >>> h = 3600 * 10**9
    >>> t0, n, per_day = clock_grid(0, 1, 7 * h, 8 * h)    # 07:00, 15:00, 23:00
    >>> t0 // h, n, per_day
    (7, 6, 3)
    """
    per_day = NS_PER_DAY // step
    n_days = max(int(last_day) - int(first_day) + 1, 0)
    return int(first_day) * NS_PER_DAY + int(at_ns) % step, n_days * per_day, per_day


# --------------------------------------------------------------------------- kernels
def instant_slots(
    adm_ns: np.ndarray, dis_ns: np.ndarray, t0: int, step: int, n: int, closed: str = "left"
) -> tuple[np.ndarray, np.ndarray]:
    """The instants at which each stay is present: ``first <= k < stop``.

    Parameters
    ----------
    adm_ns, dis_ns : ndarray of int64
        Admission and discharge in nanoseconds; a discharge of NaT (the int64 minimum)
        is a stay still open, present through the last instant.
    t0, step, n : int
        The instants ``t0 + k * step``, ``k = 0 .. n - 1``.
    closed : {"left", "right", "both", "neither"}, default "left"
        The boundary rule (see the module documentation).

    Returns
    -------
    tuple of ndarray of int64
        ``(first, stop)``, clipped to ``[-1, n + 1]`` (never overflowing).

    Examples
    --------
    >>> adm, dis = np.array([10, 20]), np.array([20, 40])
    >>> [x.tolist() for x in instant_slots(adm, dis, 0, 10, 5)]        # t = 0..40
    [[1, 2], [2, 4]]
    >>> [x.tolist() for x in instant_slots(adm, dis, 0, 10, 5, "right")]
    [[2, 3], [3, 5]]
    """
    lo = t0 - step
    hi = t0 + n * step
    a = np.clip(adm_ns, lo, hi) - t0
    d = np.where(dis_ns == _NAT, hi, np.clip(dis_ns, lo, hi)) - t0
    if closed in ("left", "both"):
        first = -(-a // step)  # the first instant at or after the arrival
    else:
        first = a // step + 1  # the first instant after it
    if closed in ("left", "neither"):
        stop = -(-d // step)  # gone from the instant of departure
    else:
        stop = d // step + 1  # still counted at that instant
    stop = np.where(dis_ns == _NAT, n + 1, stop)
    return first, stop


def instant_census(
    adm_ns: np.ndarray,
    dis_ns: np.ndarray,
    codes: np.ndarray | None,
    n_groups: int,
    t0: int,
    step: int,
    n: int,
    closed: str = "left",
    *,
    chunk: int = CHUNK,
) -> np.ndarray:
    """Stays present at each instant ``t0 + k * step`` per group, by an event sweep.

    Parameters
    ----------
    adm_ns, dis_ns : ndarray of int64
        Admission and discharge in nanoseconds (discharge NaT: still open).
    codes : ndarray of int or None
        Group code per stay (negative: left out); ``None`` for one group of all stays.
    n_groups : int
        Number of groups.
    t0, step, n : int
        The instants.
    closed : {"left", "right", "both", "neither"}, default "left"
        The boundary rule.
    chunk : int, optional
        Rows per chunk (bounds the temporaries).

    Returns
    -------
    ndarray of int64, shape (n_groups, n)
        The census at each instant in each group.

    Examples
    --------
    >>> adm, dis = np.array([10, 20]), np.array([20, 40])
    >>> instant_census(adm, dis, np.array([0, 1]), 2, 0, 10, 5).tolist()
    [[0, 1, 0, 0, 0], [0, 0, 1, 1, 0]]
    """
    n = max(int(n), 0)
    out = np.zeros((n_groups, n), dtype="int64")
    if n == 0 or n_groups == 0:
        return out
    total = len(adm_ns)
    for i in range(0, total, chunk):
        sl = slice(i, min(i + chunk, total))
        first, stop = instant_slots(adm_ns[sl], dis_ns[sl], t0, step, n, closed)
        c = np.zeros(len(first), dtype="int64") if codes is None else codes[sl]
        out += census_matrix(first, stop, c, n_groups, 0, n)
    return out


def presence_days(stays: Stays) -> tuple[np.ndarray, np.ndarray]:
    """The days on which each stay is present at any time: ``first <= d < stop``.

    A stay is present from its admission date through its discharge date, **both
    included** (a same-day stay on its one day); a stay still open at the as-of date
    through the as-of date; a stay admitted after it on no day. On date-only data this
    is the same count as on timed data.

    Parameters
    ----------
    stays : Stays
        The stays, with the as-of date set.

    Returns
    -------
    tuple of ndarray of int64
        ``(first_day, stop_day)``.

    Examples
    --------
    >>> df = pd.DataFrame({"admission_date": pd.to_datetime(["1970-01-01 10:00"] * 2),
    ...                    "discharge_date": pd.to_datetime(["1970-01-03 09:00", None])})
    >>> st = Stays(df)
    >>> st.set_as_of(4)
    >>> [x.tolist() for x in presence_days(st)]
    [[0, 0], [3, 5]]
    """
    if stays.as_of_day is None:
        raise RuntimeError("set_as_of() must be called first")
    first = stays.adm_day
    limit = (stays.as_of_day + 1) * NS_PER_DAY
    done = stays.has_dis & (stays.dis_ns < limit)
    stop = np.where(done, stays.dis_day + 1, stays.as_of_day + 1)
    stop = np.where(stays.adm_ns < limit, stop, first)  # not admitted yet
    return first, stop


def distinct_ranges(
    keys: np.ndarray, start: np.ndarray, stop: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Trim ranges so that each slot is counted once per key (a patient, say).

    The ranges of one key are sorted by start; each is cut to begin after the furthest
    stop of the earlier ones (a running maximum within the key), so their union is kept
    and nothing is counted twice. Linear passes after one sort; no loop over rows.

    Parameters
    ----------
    keys : ndarray of int
        Key per range (``>= 0``).
    start, stop : ndarray of int64
        Ranges ``start <= k < stop`` (empty when ``stop <= start``).

    Returns
    -------
    tuple of ndarray of int64
        ``(start, stop)`` trimmed, in the original order (empty ranges have
        ``start == stop``).

    Examples
    --------
    >>> keys = np.array([0, 0, 1, 0])
    >>> s, e = distinct_ranges(keys, np.array([0, 2, 0, 9]), np.array([5, 7, 3, 10]))
    >>> (e - s).tolist()     # key 0 covers 0..6 and 9: 7 + 1 slots; key 1: 3
    [5, 2, 3, 1]
    """
    start = np.asarray(start, dtype="int64")
    stop = np.maximum(np.asarray(stop, dtype="int64"), start)
    if len(start) == 0:
        return start.copy(), stop.copy()
    order = np.lexsort((start, keys))
    k = np.asarray(keys)[order]
    s = start[order]
    e = stop[order]
    base = min(int(s.min()), int(e.min()))
    width = int(e.max()) - base + 1
    _, rank = np.unique(k, return_inverse=True)
    offset = rank.reshape(-1).astype("int64") * width
    running = np.maximum.accumulate(e - base + offset)
    prev = np.empty_like(running)
    prev[0] = offset[0]
    prev[1:] = running[:-1]
    new_group = np.ones(len(k), dtype=bool)
    new_group[1:] = k[1:] != k[:-1]
    prev = np.where(new_group, offset, prev)  # nothing earlier in this key
    covered = prev - offset + base  # the furthest stop of the earlier ranges of the key
    s2 = np.minimum(np.maximum(s, covered), e)
    out_s = np.empty_like(s2)
    out_e = np.empty_like(e)
    out_s[order] = s2
    out_e[order] = e
    return out_s, out_e


def weekday_sums(
    matrix: np.ndarray, first_day: int, per_day: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sum a census over the days of each weekday, per clock time of the day.

    Parameters
    ----------
    matrix : ndarray, shape (n_groups, n_days * per_day)
        Census at ``per_day`` instants a day, from day ``first_day`` on.
    first_day : int
        Day number of the first day.
    per_day : int
        Instants per day.

    Returns
    -------
    tuple of ndarray
        ``(sums, days)``: ``sums[g, w, s]`` adds the census of group ``g`` at instant
        ``s`` of every day of weekday ``w`` (Monday = 0); ``days[w]`` counts those days.

    Examples
    --------
    >>> m = np.array([[1, 2, 3, 4, 5, 6]])          # 3 days from Thursday 1970-01-01
    >>> sums, days = weekday_sums(m, 0, 2)
    >>> sums[0, 3:6].tolist(), days.tolist()
    ([[1, 2], [3, 4], [5, 6]], [0, 0, 0, 1, 1, 1, 0])
    """
    n_groups = matrix.shape[0]
    n_days = matrix.shape[1] // per_day if per_day else 0
    cube = matrix.reshape(n_groups, n_days, per_day)
    weekday = (np.arange(first_day, first_day + n_days) + 3) % 7  # 1970-01-01: Thursday
    sums = np.zeros((n_groups, 7, per_day), dtype=matrix.dtype)
    for w in range(7):  # seven weekdays, never the rows
        sel = weekday == w
        if sel.any():
            sums[:, w, :] = cube[:, sel, :].sum(axis=1)
    return sums, np.bincount(weekday, minlength=7)


# ------------------------------------------------------------------- date-only data
def require_times(
    frame: pd.DataFrame,
    source: pd.DataFrame,
    columns,
    *,
    needed_by: str,
    what: str,
) -> None:
    """Refuse a clock-time census on date-only data (every timestamp at midnight).

    A column of admissions (or of discharges) in which every value is exactly midnight
    holds dates, not times; the census at a clock time cannot be taken from it and is
    never guessed. Data where only some rows lack a time cannot be told apart from real
    midnight events and is read as it is.

    Parameters
    ----------
    frame : DataFrame
        The canonical frame (``admission_date``, optional ``discharge_date``).
    source : DataFrame
        The caller's frame, to name its columns in the message.
    columns : mapping or None
        The caller's ``columns=`` mapping.
    needed_by : str
        The function's name.
    what : str
        The argument that asked for a clock time (``"at='08:00'"``).

    Raises
    ------
    ArgumentError
        Naming the date-only column(s) and what to use instead.

    Examples
    --------
    >>> df = pd.DataFrame({"admitted": pd.to_datetime(["2025-01-01", "2025-01-02"]),
    ...                    "discharged": pd.to_datetime(["2025-01-03 10:30", None])})
    >>> canon = df.set_axis(["admission_date", "discharge_date"], axis=1)
    >>> require_times(canon, df, None, needed_by="census_at", what="at='08:00'")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hospitalytics.errors.ArgumentError: census_at(at='08:00') needs times of day, but every value of column 'admitted' (admission_date) is at midnight: ...
    """  # noqa: E501
    dateonly = []
    for role in ("admission_date", "discharge_date"):
        if role not in frame:
            continue
        ns = frame[role].to_numpy().astype("datetime64[ns]").view("int64")
        ns = ns[ns != _NAT]
        if len(ns) and not (ns % NS_PER_DAY).any():
            dateonly.append(role)
    if not dateonly:
        return
    try:
        mapping = resolve_roles(source, columns).mapping
    except Exception:  # noqa: BLE001 - the message only loses the source names
        mapping = {}
    names = [f"{mapping.get(r, r)!r} ({r})" if mapping.get(r, r) != r else repr(r)
             for r in dateonly]
    cols = "column " + names[0] if len(names) == 1 else "columns " + " and ".join(names)
    raise ArgumentError(
        f"{needed_by}({what}) needs times of day, but every value of {cols} is at "
        "midnight: the data holds dates only, and a census at a clock time cannot be "
        "taken from dates. Use the midnight census by calendar date (at=None, the "
        "default of census, bed_days and occupancy) or daily_presence(); or map the "
        "export's timestamp columns with columns={'admission_date': ..., "
        "'discharge_date': ...}."
    )


# ------------------------------------------------------------- for the KPI functions
def daily_census_at(
    ctx,
    source: pd.DataFrame,
    columns,
    codes: np.ndarray | None,
    n_groups: int,
    at: object,
    *,
    needed_by: str,
    closed: str = "left",
) -> np.ndarray:
    """The census at clock time ``at`` on each day of a KPI's period, per group.

    The ``at=`` path of :func:`hospitalytics.bed_days`, :func:`~hospitalytics.occupancy`
    and their siblings: refuses date-only data, then one event sweep.

    Parameters
    ----------
    ctx : hospitalytics._frame.Context
        The KPI's loaded frame, stays and period.
    source : DataFrame
        The caller's frame (to name its columns in an error).
    columns : mapping or None
        The caller's ``columns=``.
    codes : ndarray of int or None
        Group code per stay (negative: left out); ``None`` for one group.
    n_groups : int
        Number of groups.
    at : str, datetime.time or Timedelta
        The clock time.
    needed_by : str
        The KPI's name, for the messages.
    closed : {"left", "right", "both", "neither"}, default "left"
        The boundary rule.

    Returns
    -------
    ndarray of int64, shape (n_groups, n_days)
        The census at ``at`` on each day of the period.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics._frame import setup
    >>> df = hp.datasets.load_sample()
    >>> ctx = setup(df, start="2025-12-01", end="2025-12-03")
    >>> daily_census_at(ctx, df, None, None, 1, "08:00", needed_by="census").tolist()
    [[273, 275, 270]]
    """
    at_ns = parse_at(at)
    require_times(ctx.frame, source, columns, needed_by=needed_by, what=f"at={at!r}")
    t0, n, _ = clock_grid(ctx.first_day, ctx.last_day, at_ns, NS_PER_DAY)
    return instant_census(ctx.stays.adm_ns, ctx.stays.dis_ns, codes, n_groups, t0,
                          NS_PER_DAY, n, closed)
