"""The event sweep behind census, bed-days and occupancy.

A stay occupies a bed on calendar day ``d`` when ``date(admission) <= d <
date(discharge)`` (the midnight census: the admission day counts, the discharge day does
not; a stay still open counts through the as-of date). The daily census is built from
two events per stay, ``+1`` on the first occupied day and ``-1`` on the day after the last,
accumulated with a cumulative sum: the cost grows with the number of stays plus the number
of days, never with stays x days, and no stay is ever expanded day by day.

This module holds the numpy kernels (on day numbers: days since 1970-01-01) and the
:class:`Stays` view that turns a canonical frame into the arrays they use, read as of one
date. The public KPIs built on them live in :mod:`hospitalytics.kpis`.

Examples
--------
>>> import numpy as np
>>> start = np.array([0, 1, 2])    # first occupied day of each stay
>>> stop = np.array([3, 2, 2])     # day after the last occupied day (same-day stay: empty)
>>> census_matrix(start, stop, np.zeros(3, dtype=int), 1, 0, 4).tolist()
[[1, 2, 1, 0]]
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from .definitions import Definitions

__all__ = ["NS_PER_DAY", "Stays", "clipped_days", "census_matrix"]

#: Nanoseconds in a day.
NS_PER_DAY = 86_400 * 10**9
_NAT = np.iinfo("int64").min


def _ns(series: pd.Series) -> np.ndarray:
    """Nanoseconds since the epoch as int64 (NaT as the int64 minimum)."""
    values = series.to_numpy()
    if values.dtype != "datetime64[ns]":
        values = values.astype("datetime64[ns]")
    return values.view("int64")


class Stays:
    """The stays of a canonical frame as numpy arrays, read as of one date.

    Parameters
    ----------
    frame : DataFrame
        A canonical frame (``admission_date`` required; ``discharge_date`` optional, NaT or
        absent meaning still in hospital).

    Attributes
    ----------
    adm_ns, dis_ns : ndarray of int64
        Admission and discharge timestamps in nanoseconds (discharge NaT as int64 min).
    adm_day, dis_day : ndarray of int64
        The same as day numbers (days since 1970-01-01).
    data_as_of : int or None
        The latest admission or discharge day in the data.

    Examples
    --------
    >>> df = pd.DataFrame({"admission_date": pd.to_datetime(["2025-01-01", "2025-01-03"]),
    ...                    "discharge_date": pd.to_datetime(["2025-01-04", None])})
    >>> st = Stays(df)
    >>> st.set_as_of(st.data_as_of)
    >>> st.discharged.tolist(), st.open.tolist()
    ([True, False], [False, True])
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.n = len(frame)
        self.adm_ns = _ns(frame["admission_date"])
        if "discharge_date" in frame:
            self.dis_ns = _ns(frame["discharge_date"])
        else:
            self.dis_ns = np.full(self.n, _NAT, dtype="int64")
        self.as_of_day: int | None = None

    @cached_property
    def adm_day(self) -> np.ndarray:
        """Admission day numbers."""
        return self.adm_ns // NS_PER_DAY

    @cached_property
    def has_dis(self) -> np.ndarray:
        """True where the data records a discharge (whatever the as-of date)."""
        return self.dis_ns != _NAT

    @cached_property
    def dis_day(self) -> np.ndarray:
        """Discharge day numbers (meaningless where there is no discharge)."""
        return self.dis_ns // NS_PER_DAY

    @cached_property
    def data_as_of(self) -> int | None:
        """The latest admission or discharge day, or None for an empty frame."""
        if self.n == 0:
            return None
        latest = int(self.adm_day.max())
        if self.has_dis.any():
            latest = max(latest, int(self.dis_day[self.has_dis].max()))
        return latest

    def set_as_of(self, as_of_day: int) -> None:
        """Read the data as an extract taken at the end of day ``as_of_day``.

        Parameters
        ----------
        as_of_day : int
            Day number of the as-of date.
        """
        self.as_of_day = int(as_of_day)
        for name in ("exists", "discharged", "open", "same_day", "stop_day"):
            self.__dict__.pop(name, None)

    @cached_property
    def exists(self) -> np.ndarray:
        """Admitted on or before the as-of date."""
        if self.as_of_day is None or self.data_as_of is None:
            return np.ones(self.n, dtype=bool)
        if self.as_of_day >= self.data_as_of:
            return np.ones(self.n, dtype=bool)
        return self.adm_day <= self.as_of_day

    @cached_property
    def discharged(self) -> np.ndarray:
        """Discharged on or before the as-of date."""
        if self.as_of_day is None or (
            self.data_as_of is not None and self.as_of_day >= self.data_as_of
        ):
            return self.has_dis
        return self.has_dis & (self.dis_day <= self.as_of_day)

    @cached_property
    def open(self) -> np.ndarray:
        """Still in hospital at the end of the as-of date."""
        return self.exists & ~self.discharged

    @cached_property
    def same_day(self) -> np.ndarray:
        """Discharged stays admitted and discharged on one calendar date."""
        return self.discharged & (self.dis_day == self.adm_day)

    def occupied(self, definitions: Definitions) -> tuple[np.ndarray, np.ndarray]:
        """First occupied day and the day after the last one, per stay.

        Open stays occupy through the as-of date; same-day stays occupy nothing unless
        ``definitions.day_case_bed_day`` is set; stays admitted after the as-of date
        occupy nothing.

        Parameters
        ----------
        definitions : Definitions
            The conventions in force.

        Returns
        -------
        tuple of ndarray
            ``(start_day, stop_day)``; a stay occupies ``start_day <= d < stop_day``.
        """
        if self.as_of_day is None:
            raise RuntimeError("set_as_of() must be called first")
        start = self.adm_day
        stop = np.where(self.discharged, self.dis_day, self.as_of_day + 1)
        if definitions.day_case_bed_day:
            stop = np.where(self.same_day, start + 1, stop)
        if not self.exists.all():
            stop = np.where(self.exists, stop, start)
        return start, stop

    def los(self, definitions: Definitions) -> np.ndarray:
        """Length of stay in days per the definitions (NaN for stays not discharged).

        Parameters
        ----------
        definitions : Definitions
            The conventions in force.

        Returns
        -------
        ndarray of float64
            LOS per stay.
        """
        if definitions.los_unit == "exact":
            los = (self.dis_ns - self.adm_ns) / NS_PER_DAY
        else:
            los = (self.dis_day - self.adm_day).astype("float64")
            if definitions.same_day_los:
                los = np.where(self.same_day, float(definitions.same_day_los), los)
        return np.where(self.discharged, los, np.nan)


def clipped_days(
    start: np.ndarray, stop: np.ndarray, lo: int, hi: int
) -> np.ndarray:
    """Days of ``[start, stop)`` that fall in ``[lo, hi)``, per stay (never negative).

    Parameters
    ----------
    start, stop : ndarray of int64
        Occupied day ranges per stay.
    lo, hi : int
        The window, as day numbers (``hi`` exclusive).

    Returns
    -------
    ndarray of int64
        Occupied days inside the window per stay.

    Examples
    --------
    >>> clipped_days(np.array([0, 5]), np.array([10, 6]), 3, 8).tolist()
    [5, 1]
    """
    days = np.minimum(stop, hi) - np.maximum(start, lo)
    return np.maximum(days, 0)


def census_matrix(
    start: np.ndarray,
    stop: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    first_day: int,
    n_days: int,
) -> np.ndarray:
    """Daily census per group by an event sweep.

    Parameters
    ----------
    start, stop : ndarray of int64
        A stay occupies days ``start <= d < stop``.
    codes : ndarray of int
        Group code per stay (``0 .. n_groups - 1``; negative codes are left out).
    n_groups : int
        Number of groups.
    first_day : int
        Day number of the first column.
    n_days : int
        Number of days (columns).

    Returns
    -------
    ndarray of int64, shape (n_groups, n_days)
        Stays present on each day in each group.

    Examples
    --------
    >>> census_matrix(np.array([0, 0]), np.array([2, 1]), np.array([0, 1]), 2, 0, 3).tolist()
    [[1, 1, 0], [1, 0, 0]]
    """
    n_days = max(int(n_days), 0)
    width = n_days + 1
    s = np.clip(start - first_day, 0, n_days)
    e = np.clip(stop - first_day, 0, n_days)
    keep = (e > s) & (codes >= 0)
    if not keep.all():
        s, e, codes = s[keep], e[keep], codes[keep]
    codes = codes.astype("int64", copy=False)
    size = n_groups * width
    plus = np.bincount(codes * width + s, minlength=size)
    minus = np.bincount(codes * width + e, minlength=size)
    delta = (plus - minus).reshape(n_groups, width)
    return np.cumsum(delta, axis=1)[:, :n_days]
