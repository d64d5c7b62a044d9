"""Periods: inclusive calendar-date ranges, month/quarter/year-to-date and the as-of date.

Rules (the same for every KPI):

* ``start`` and ``end`` are **inclusive calendar dates** (strings, dates or Timestamps; a
  time of day is ignored). ``None`` puts no bound on that side.
* ``as_of`` defaults to the **latest date in the data** (the latest admission or
  discharge), never to today: historical extracts (MIMIC-IV's dates are shifted to
  2110-2201) would otherwise read 0. An explicit ``as_of`` reads the data as an extract
  taken at the end of that day: stays admitted after it do not exist yet and discharges
  after it have not happened (those stays are open).
* A period never runs past the as-of date (there is no data about the future), so an
  unbounded ``end`` is the as-of date, and a period that starts after the as-of date is
  empty (counts 0, rates NaN).
* ``mtd=True``: from the first day of the as-of date's month through the as-of date;
  ``qtd`` and ``ytd`` likewise for the quarter and the year.
* The comparison period of an MTD figure is the previous month's **same days** (day 1 to
  day N against day 1 to day N, clipped to the previous month's length), never a whole
  month.

Examples
--------
>>> p = resolve_period(mtd=True, as_of="2025-03-10")
>>> p.start.date(), p.end.date()
(datetime.date(2025, 3, 1), datetime.date(2025, 3, 10))
>>> q = previous_month_same_days(p.as_of)
>>> q.start.date(), q.end.date()
(datetime.date(2025, 2, 1), datetime.date(2025, 2, 10))
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .clean import DATE_RANGE
from .errors import ArgumentError

__all__ = ["Period", "previous_month_same_days", "resolve_period", "to_date"]

DateLike = str | _dt.date | _dt.datetime | pd.Timestamp | np.datetime64 | None


def to_date(value: DateLike, *, name: str = "date") -> pd.Timestamp | None:
    """Parse a date-like value into a midnight :class:`pandas.Timestamp` (or ``None``).

    Parameters
    ----------
    value : str, date, datetime, Timestamp, numpy.datetime64 or None
        The value. A time of day is dropped; a time zone is dropped after conversion
        to nothing (the wall-clock date is kept).
    name : str, default "date"
        The argument's name, for the error message.

    Returns
    -------
    Timestamp or None
        Midnight of the date, naive.

    Raises
    ------
    ArgumentError
        When the value is not a date, or lies outside the supported dates
        (:data:`hospitalytics.clean.DATE_RANGE`, 1900-01-01 to 2250-12-31).

    Examples
    --------
    >>> to_date("2025-03-10 14:30")
    Timestamp('2025-03-10 00:00:00')
    >>> to_date(None) is None
    True
    >>> to_date("9999-12-31", name="as_of")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hospitalytics.errors.ArgumentError: as_of='9999-12-31' is outside the supported dates, ...
    """
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        if _looks_out_of_range(value):
            raise _out_of_range(name, value) from exc
        raise ArgumentError(
            f"{name}={value!r} is not a date; use an ISO date such as '2025-03-31', "
            "a datetime.date or a pandas.Timestamp.",
            argument=name,
        ) from exc
    if ts is pd.NaT:
        raise ArgumentError(f"{name} is NaT; pass a real date or None.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    low, high = DATE_RANGE
    if not (low.year <= ts.year <= high.year):
        raise _out_of_range(name, value)
    return ts.normalize().as_unit("ns")


def _looks_out_of_range(value: object) -> bool:
    """A date whose year no timestamp can hold (``20245-01-01``, ``datetime.date(1, 1, 1)``)."""
    if isinstance(value, _dt.date):
        return True
    if isinstance(value, np.datetime64):
        return True
    return isinstance(value, str) and re.match(r"\s*\d{5,}-\d{1,2}-\d{1,2}", value) is not None


def _out_of_range(name: str, value: object) -> ArgumentError:
    low, high = DATE_RANGE
    shown = repr(value.isoformat()) if isinstance(value, _dt.date) else repr(value)
    if isinstance(value, pd.Timestamp | np.datetime64):
        shown = repr(str(value))
    return ArgumentError(
        f"{name}={shown} is outside the supported dates, {low.date()} to {high.date()}; "
        "pass a date in that range."
    )


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar dates read as of one date.

    Parameters
    ----------
    start : Timestamp or None
        First day (midnight), ``None`` for no lower bound.
    end : Timestamp
        Last day (midnight), inclusive; never after ``as_of``.
    as_of : Timestamp
        The extract date (midnight); events after the end of this day have not happened.
    label : str, default "period"
        A name for the period (``"period"``, ``"mtd"``, ``"previous month, same days"``).

    Examples
    --------
    >>> p = Period(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-31"),
    ...            pd.Timestamp("2025-02-15"))
    >>> p.days
    31
    """

    start: pd.Timestamp | None
    end: pd.Timestamp
    as_of: pd.Timestamp
    label: str = "period"

    @property
    def days(self) -> int | None:
        """Number of days in the period (``None`` when it has no start)."""
        if self.start is None:
            return None
        return max(int((self.end - self.start).days) + 1, 0)

    @property
    def end_exclusive(self) -> pd.Timestamp:
        """Midnight after the last day."""
        return self.end + pd.Timedelta(days=1)

    def describe(self) -> str:
        """One line for reports: ``"2025-03-01 to 2025-03-10 (as of 2025-03-10)"``.

        Returns
        -------
        str
            The description.

        Examples
        --------
        >>> resolve_period(mtd=True, as_of="2025-03-10").describe()
        '2025-03-01 to 2025-03-10 (as of 2025-03-10)'
        """
        start = "the first record" if self.start is None else f"{self.start.date()}"
        return f"{start} to {self.end.date()} (as of {self.as_of.date()})"


def resolve_period(
    start: DateLike = None,
    end: DateLike = None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of: DateLike = None,
    data_as_of: DateLike = None,
) -> Period:
    """Resolve the period arguments every KPI takes into a :class:`Period`.

    Parameters
    ----------
    start, end : date-like, optional
        Inclusive calendar dates; ``None`` puts no bound on that side.
    mtd, qtd, ytd : bool, default False
        Month-, quarter- or year-to-date through the as-of date (at most one, and not
        together with ``start``/``end``).
    as_of : date-like, optional
        The extract date; defaults to ``data_as_of``.
    data_as_of : date-like, optional
        The latest date in the data, used when ``as_of`` is not given.

    Returns
    -------
    Period
        The resolved period.

    Raises
    ------
    ArgumentError
        When flags are combined, ``end`` is before ``start``, or no as-of date can be found.

    Examples
    --------
    >>> resolve_period(ytd=True, as_of="2025-05-05").start
    Timestamp('2025-01-01 00:00:00')
    >>> resolve_period(qtd=True, as_of="2025-05-05").start
    Timestamp('2025-04-01 00:00:00')
    >>> resolve_period("2025-01-01", "2025-12-31", as_of="2025-06-30").end
    Timestamp('2025-06-30 00:00:00')
    """
    flags = [n for n, v in (("mtd", mtd), ("qtd", qtd), ("ytd", ytd)) if v]
    if len(flags) > 1:
        raise ArgumentError(f"choose at most one of mtd, qtd and ytd, got {flags}.")
    s = to_date(start, name="start")
    e = to_date(end, name="end")
    a = to_date(as_of, name="as_of")
    if a is None:
        a = to_date(data_as_of, name="data_as_of")
    if a is None:
        if e is not None:
            a = e
        else:
            raise ArgumentError(
                "no as-of date: the data has no valid dates; pass as_of='YYYY-MM-DD'."
            )
    if flags:
        if s is not None or e is not None:
            raise ArgumentError(
                f"{flags[0]}=True sets the period itself; do not combine it with start/end."
            )
        if mtd:
            s = a.replace(day=1)
        elif qtd:
            s = pd.Timestamp(year=a.year, month=3 * ((a.month - 1) // 3) + 1, day=1)
        else:
            s = pd.Timestamp(year=a.year, month=1, day=1)
        return Period(s, a, a, label=flags[0])
    if s is not None and e is not None and s > e:
        raise ArgumentError(
            f"the period starts after it ends: start={s.date()}, end={e.date()}; "
            "swap the two dates."
        )
    if s is not None and s > a:
        # Wholly after the as-of date: no data about the future, so an empty period.
        return Period(s, s - pd.Timedelta(days=1), a)
    if e is None or e > a:
        e = a
    return Period(s, e, a)


def previous_month_same_days(as_of: DateLike) -> Period:
    """The previous month's days 1 to N, where N is the as-of date's day of month.

    The comparison period for a month-to-date figure: day 1-N against day 1-N, clipped to
    the previous month's length (as of 31 March compares with 1-28/29 February).

    Parameters
    ----------
    as_of : date-like
        The as-of date of the MTD figure.

    Returns
    -------
    Period
        The comparison period, read as of the same ``as_of``.

    Examples
    --------
    >>> p = previous_month_same_days("2025-03-31")
    >>> p.start.date(), p.end.date()
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    """
    a = to_date(as_of, name="as_of")
    if a is None:
        raise ArgumentError("previous_month_same_days needs an as-of date.")
    first_this = a.replace(day=1)
    last_prev = first_this - pd.Timedelta(days=1)
    first_prev = last_prev.replace(day=1)
    end = min(first_prev + pd.Timedelta(days=a.day - 1), last_prev)
    return Period(first_prev, end, a, label="previous month, same days")
