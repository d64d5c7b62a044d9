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

Part of the engine's contract (a private module with public names, see
:doc:`/architecture`). It was ``hospitalytics.census`` until that name clashed with the
function :func:`hospitalytics.census`; ``from hospitalytics.census import Stays`` still
works, with a ``DeprecationWarning``.

Examples
--------
>>> import numpy as np
>>> start = np.array([0, 1, 2])    # first occupied day of each stay
>>> stop = np.array([3, 2, 2])     # day after the last occupied day (same-day stay: empty)
>>> census_matrix(start, stop, np.zeros(3, dtype=int), 1, 0, 4).tolist()
[[1, 2, 1, 0]]
"""

from __future__ import annotations

import types
import warnings
from functools import cached_property

import numpy as np
import pandas as pd

from ._scan import ROWS, Facts, between
from .definitions import Definitions

__all__ = [
    "CHUNK",
    "NS_PER_DAY",
    "Stays",
    "census_matrix",
    "clipped_days",
    "occupied_census",
    "occupied_totals",
]

#: Nanoseconds in a day.
NS_PER_DAY = 86_400 * 10**9
_NAT = np.iinfo("int64").min
#: Rows per chunk in the chunked kernels (bounds their temporaries to a few MiB).
CHUNK = 1 << 20


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

    def __init__(self, frame: pd.DataFrame, facts: Facts | None = None) -> None:
        self.n = len(frame)
        self.adm_ns = _ns(frame["admission_date"])
        if "discharge_date" in frame:
            self.dis_ns = _ns(frame["discharge_date"])
        else:
            self.dis_ns = np.full(self.n, _NAT, dtype="int64")
        self.as_of_day: int | None = None
        #: What :func:`hospitalytics.clean.prepare` learnt in its pass (nanoseconds), or
        #: None: then every fact is read from the arrays when first asked for.
        self.facts = facts

    @property
    def adm_sorted(self) -> bool:
        """The rows are known to be in admission order (False when not known)."""
        return self.facts is not None and self.facts.adm_sorted

    @cached_property
    def adm_min(self) -> int | None:
        """The earliest admission in nanoseconds (None for an empty frame)."""
        if self.facts is not None:
            return self.facts.adm_min
        return int(self.adm_ns.min()) if self.n else None

    def admitted_between(self, lo_ns: int | None, hi_ns: int | None) -> np.ndarray:
        """``lo_ns <= admission < hi_ns`` per stay (``None``: no bound).

        Two binary searches when the rows are in admission order, else one blocked pass.
        """
        if self.adm_sorted:
            a = self.adm_ns
            i0 = 0 if lo_ns is None else int(np.searchsorted(a, lo_ns, side="left"))
            i1 = self.n if hi_ns is None else int(np.searchsorted(a, hi_ns, side="left"))
            mask = np.zeros(self.n, dtype=bool)
            mask[i0:max(i1, i0)] = True
            return mask
        return between(self.adm_ns, lo_ns, hi_ns)

    def admitted_span(self, lo_ns: int | None, hi_ns: int | None) -> slice | None:
        """The rows admitted in ``[lo_ns, hi_ns)`` as a slice, when the rows are sorted."""
        if not self.adm_sorted:
            return None
        a = self.adm_ns
        i0 = 0 if lo_ns is None else int(np.searchsorted(a, lo_ns, side="left"))
        i1 = self.n if hi_ns is None else int(np.searchsorted(a, hi_ns, side="left"))
        return slice(i0, max(i1, i0))

    @cached_property
    def adm_day(self) -> np.ndarray:
        """Admission day numbers."""
        return self.adm_ns // NS_PER_DAY

    @cached_property
    def has_dis(self) -> np.ndarray:
        """True where the data records a discharge (whatever the as-of date)."""
        if self.facts is not None and not self.facts.has_open:
            return np.ones(self.n, dtype=bool)
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
        if self.facts is not None:
            latest = self.facts.adm_max // NS_PER_DAY
            dis_max = self.facts.dis_max
        else:
            latest = int(self.adm_ns.max()) // NS_PER_DAY
            dis_max = int(self.dis_ns.max())  # NaT is the int64 minimum: never the maximum
        if dis_max != _NAT:
            latest = max(latest, dis_max // NS_PER_DAY)
        return latest

    def set_as_of(self, as_of_day: int) -> None:
        """Read the data as an extract taken at the end of day ``as_of_day``.

        Parameters
        ----------
        as_of_day : int
            Day number of the as-of date.
        """
        self.as_of_day = int(as_of_day)
        for name in ("exists", "discharged", "open", "same_day", "stop_day", "all_exist"):
            self.__dict__.pop(name, None)

    @cached_property
    def all_exist(self) -> bool:
        """True when no stay is admitted after the as-of date."""
        return self.as_of_day is None or self.data_as_of is None or (
            self.as_of_day >= self.data_as_of
        )

    @cached_property
    def exists(self) -> np.ndarray:
        """Admitted on or before the as-of date."""
        if self.as_of_day is None or self.data_as_of is None:
            return np.ones(self.n, dtype=bool)
        if self.as_of_day >= self.data_as_of:
            return np.ones(self.n, dtype=bool)
        return self.admitted_between(None, (self.as_of_day + 1) * NS_PER_DAY)

    @cached_property
    def discharged(self) -> np.ndarray:
        """Discharged on or before the as-of date."""
        if self.as_of_day is None or (
            self.data_as_of is not None and self.as_of_day >= self.data_as_of
        ):
            return self.has_dis
        return between(self.dis_ns, None, (self.as_of_day + 1) * NS_PER_DAY)

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

        The whole-frame form of :meth:`occupied_chunks` (one chunk).

        Parameters
        ----------
        definitions : Definitions
            The conventions in force.

        Returns
        -------
        tuple of ndarray
            ``(start_day, stop_day)``; a stay occupies ``start_day <= d < stop_day``.
        """
        parts = list(self.occupied_chunks(definitions, chunk=max(self.n, 1)))
        if not parts:
            empty = np.empty(0, dtype="int64")
            return empty, empty
        return parts[0][1], parts[0][2]

    def los(self, definitions: Definitions) -> np.ndarray:
        """Length of stay in days per the definitions (NaN for stays not discharged).

        The whole-frame form of :meth:`los_rows`.

        Parameters
        ----------
        definitions : Definitions
            The conventions in force.

        Returns
        -------
        ndarray of float64
            LOS per stay.
        """
        rows = np.flatnonzero(self.discharged)
        out = np.full(self.n, np.nan)
        out[rows] = self.los_rows(definitions, rows)
        return out


    def los_rows(self, definitions: Definitions, rows: np.ndarray) -> np.ndarray:
        """Length of stay in days of the given (discharged) rows, per the definitions.

        Parameters
        ----------
        definitions : Definitions
            The conventions in force.
        rows : ndarray of int
            Positions of discharged stays.

        Returns
        -------
        ndarray of float64
            LOS per selected stay.
        """
        adm = self.adm_ns[rows]
        dis = self.dis_ns[rows]
        if definitions.los_unit == "exact":
            return (dis - adm) / NS_PER_DAY
        los = (dis // NS_PER_DAY - adm // NS_PER_DAY).astype("float64")
        if definitions.same_day_los:
            los[los == 0] = float(definitions.same_day_los)
        return los

    def same_day_rows(self, rows: np.ndarray) -> np.ndarray:
        """Whether each of the given (discharged) rows is a same-day stay."""
        return self.dis_ns[rows] // NS_PER_DAY == self.adm_ns[rows] // NS_PER_DAY

    def occupied_chunks(self, definitions: Definitions, chunk: int = CHUNK):
        """Yield ``(slice, start_day, stop_day)`` chunk by chunk (bounded memory).

        The same ranges as :meth:`occupied`, computed ``chunk`` rows at a time so that no
        temporary grows with the whole frame.

        Parameters
        ----------
        definitions : Definitions
            The conventions in force.
        chunk : int, optional
            Rows per chunk.

        Yields
        ------
        tuple
            ``(slice, start_day, stop_day)`` for the rows of the slice.
        """
        if self.as_of_day is None:
            raise RuntimeError("set_as_of() must be called first")
        limit = (self.as_of_day + 1) * NS_PER_DAY
        after = self.as_of_day + 1
        for i in range(0, self.n, chunk):
            sl = slice(i, min(i + chunk, self.n))
            adm_ns = self.adm_ns[sl]
            dis_ns = self.dis_ns[sl]
            start = adm_ns // NS_PER_DAY
            done = (dis_ns != _NAT) & (dis_ns < limit)
            stop = np.where(done, dis_ns // NS_PER_DAY, after)
            if definitions.day_case_bed_day:
                stop = np.where(done & (stop == start), start + 1, stop)
            if not self.all_exist:
                stop = np.where(adm_ns < limit, stop, start)
            yield sl, start, stop


def _occupied_blocks(stays: Stays, definitions: Definitions, last_day: int | None,
                     rows: int = ROWS, first_day: int | None = None):
    """Yield ``(slice, keep, start_day, stop_day)`` per block, in reused buffers.

    :meth:`Stays.occupied_chunks` for the kernels below: the arrays of a block are
    overwritten by the next block (read them before asking for it). ``keep`` is None
    (every row of the slice) or a mask of the slice's rows the ranges are for. Rows
    admitted after ``last_day`` occupy nothing in a window ending then; when the rows
    are in admission order they are not read at all. With ``first_day``, the rows
    discharged before it (which occupy nothing from then on) are left out of a block
    when they are most of it.
    """
    if stays.as_of_day is None:
        raise RuntimeError("set_as_of() must be called first")
    n = stays.n
    limit = (stays.as_of_day + 1) * NS_PER_DAY
    after = stays.as_of_day + 1
    if last_day is not None and stays.adm_sorted:
        n = int(np.searchsorted(stays.adm_ns, (last_day + 1) * NS_PER_DAY, side="left"))
    facts = stays.facts
    # every discharge recorded and on or before the as-of date: no open stay to extend
    all_done = facts is not None and not facts.has_open and stays.all_exist
    size = min(rows, max(n, 1))
    start_buf = np.empty(size, dtype="int64")
    stop_buf = np.empty(size, dtype="int64")
    done_buf = np.empty(size, dtype=bool)
    gone = None if first_day is None else first_day * NS_PER_DAY
    for i in range(0, n, rows):
        sl = slice(i, min(i + rows, n))
        adm = stays.adm_ns[sl]
        dis = stays.dis_ns[sl]
        keep = None
        if gone is not None:  # discharged before the window (NaT: not discharged)
            k = np.greater_equal(dis, gone, out=done_buf[: len(dis)])
            k |= dis == _NAT
            kept = int(np.count_nonzero(k))
            if kept == 0:
                continue
            if 2 * kept < len(dis):
                keep = k.copy()
                adm, dis = adm[keep], dis[keep]
        m = len(adm)
        start = np.floor_divide(adm, NS_PER_DAY, out=start_buf[:m])
        stop = np.floor_divide(dis, NS_PER_DAY, out=stop_buf[:m])
        if all_done:
            done = None
        else:
            done = np.not_equal(dis, _NAT, out=done_buf[:m])
            done &= dis < limit
            np.copyto(stop, after, where=~done)
        if definitions.day_case_bed_day:
            same = stop == start
            if done is not None:
                same &= done
            np.copyto(stop, start + 1, where=same)
        if not stays.all_exist:
            np.copyto(stop, start, where=adm >= limit)
        yield sl, keep, start, stop


def occupied_totals(
    stays: Stays,
    definitions: Definitions,
    codes: np.ndarray | None,
    n_groups: int,
    lo: int,
    hi: int,
) -> np.ndarray:
    """Occupied bed-days per group in days ``[lo, hi]`` (inclusive), chunk by chunk.

    Parameters
    ----------
    stays : Stays
        The stays, with the as-of date set.
    definitions : Definitions
        The conventions in force.
    codes : ndarray of int or None
        Group code per stay (negative: left out); ``None`` for one group of all stays.
    n_groups : int
        Number of groups.
    lo, hi : int
        First and last day numbers of the window.

    Returns
    -------
    ndarray of float64, shape (n_groups,)
        Bed-days per group.

    Examples
    --------
    >>> df = pd.DataFrame({"admission_date": pd.to_datetime(["1970-01-01", "1970-01-02"]),
    ...                    "discharge_date": pd.to_datetime(["1970-01-04", "1970-01-02"])})
    >>> st = Stays(df)
    >>> st.set_as_of(10)
    >>> from hospitalytics.definitions import get_definitions
    >>> occupied_totals(st, get_definitions(), None, 1, 0, 9).tolist()
    [3.0]
    """
    out = np.zeros(n_groups, dtype="float64")
    if codes is not None and len(codes) and int(codes.min()) < 0:
        keep = codes >= 0
    else:
        keep = None
    for sl, sub, start, stop in _occupied_blocks(stays, definitions, hi, first_day=lo):
        np.minimum(stop, hi + 1, out=stop)
        np.maximum(start, lo, out=start)
        np.subtract(stop, start, out=stop)
        np.maximum(stop, 0, out=stop)
        if codes is None:
            out[0] += float(stop.sum())
            continue
        c = codes[sl] if sub is None else codes[sl][sub]
        days = stop
        if keep is not None:
            k = keep[sl] if sub is None else keep[sl][sub]
            c, days = c[k], days[k]
        out += np.bincount(c, weights=days, minlength=n_groups)[:n_groups]
    return out


def occupied_census(
    stays: Stays,
    definitions: Definitions,
    codes: np.ndarray | None,
    n_groups: int,
    first_day: int,
    n_days: int,
) -> np.ndarray:
    """The daily census per group (see :func:`census_matrix`), chunk by chunk.

    Parameters
    ----------
    stays : Stays
        The stays, with the as-of date set.
    definitions : Definitions
        The conventions in force.
    codes : ndarray of int or None
        Group code per stay (negative: left out); ``None`` for one group of all stays.
    n_groups : int
        Number of groups.
    first_day : int
        Day number of the first column.
    n_days : int
        Number of days.

    Returns
    -------
    ndarray of int64, shape (n_groups, n_days)
        Stays present on each day in each group.

    Examples
    --------
    >>> df = pd.DataFrame({"admission_date": pd.to_datetime(["1970-01-01", "1970-01-02"]),
    ...                    "discharge_date": pd.to_datetime(["1970-01-04", None])})
    >>> st = Stays(df)
    >>> st.set_as_of(3)
    >>> from hospitalytics.definitions import get_definitions
    >>> occupied_census(st, get_definitions(), None, 1, 0, 4).tolist()
    [[1, 2, 2, 1]]
    """
    n_days = max(int(n_days), 0)
    if n_days == 0 or n_groups == 0:
        return np.zeros((n_groups, n_days), dtype="int64")
    width = n_days + 1
    size = n_groups * width + 1  # the last bin: rows left out (negative codes)
    delta = np.zeros(size, dtype="int64")
    dropped = codes is not None and len(codes) and int(codes.min()) < 0
    base_buf = None
    for sl, sub, start, stop in _occupied_blocks(stays, definitions, first_day + n_days - 1,
                                                 first_day=first_day):
        # Clip both ends into [0, n_days]: a stay outside the window, or one that
        # occupies no day, gets the same bin for its +1 and its -1, which cancel.
        np.subtract(start, first_day, out=start)
        np.clip(start, 0, n_days, out=start)
        np.subtract(stop, first_day, out=stop)
        np.clip(stop, 0, n_days, out=stop)
        np.maximum(stop, start, out=stop)
        if codes is not None and n_groups > 1:
            c = codes[sl] if sub is None else codes[sl][sub]
            if base_buf is None or len(base_buf) < len(start):  # blocks vary in length
                base_buf = np.empty(max(len(start), min(ROWS, stays.n)), dtype="int64")
            base = base_buf[: len(start)]
            np.multiply(c, np.int64(width), out=base, casting="unsafe")
            start += base
            stop += base
            if dropped:  # left out: both ends in the last bin, which is not counted
                out_rows = c < 0
                np.copyto(start, size - 1, where=out_rows)
                np.copyto(stop, size - 1, where=out_rows)
        elif dropped:
            out_rows = (codes[sl] if sub is None else codes[sl][sub]) < 0
            start[out_rows] = size - 1
            stop[out_rows] = size - 1
        delta += np.bincount(start, minlength=size)
        delta -= np.bincount(stop, minlength=size)
    return np.cumsum(delta[: size - 1].reshape(n_groups, width), axis=1)[:, :n_days]


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
    # Clip both ends into [0, n_days]: a stay outside the window, or one that occupies no
    # day, gets the same bin for its +1 and its -1, which cancel (stop >= start always).
    s = np.subtract(start, first_day, dtype="int64")
    np.clip(s, 0, n_days, out=s)
    e = np.subtract(stop, first_day, dtype="int64")
    np.clip(e, 0, n_days, out=e)
    np.maximum(e, s, out=e)
    codes = np.asarray(codes)
    if n_groups > 1:
        base = codes.astype("int64") * width
        if (codes < 0).any():  # left out: a bin past the end, dropped below
            base[codes < 0] = n_groups * width
        s += base
        e += base
    elif (codes < 0).any():
        s[codes < 0] = width
        e[codes < 0] = width
    size = n_groups * width + 1
    plus = np.bincount(s, minlength=size)[: size - 1]
    minus = np.bincount(e, minlength=size)[: size - 1]
    delta = (plus - minus).reshape(n_groups, width)
    return np.cumsum(delta, axis=1)[:, :n_days]


class LegacyCensusModule(types.ModuleType):
    """``hospitalytics.census`` as a module: the old home of these kernels (deprecated).

    Installed in ``sys.modules`` so that ``from hospitalytics.census import Stays`` keeps
    working; the attribute ``hospitalytics.census`` is the function
    :func:`hospitalytics.census`.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     from hospitalytics.census import NS_PER_DAY
    >>> NS_PER_DAY, caught[0].category.__name__
    (86400000000000, 'DeprecationWarning')
    """

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in __all__:
            raise AttributeError(f"module 'hospitalytics.census' has no attribute {name!r}")
        warnings.warn(
            "the module hospitalytics.census is now hospitalytics._sweep (the name "
            "hospitalytics.census is the function); import the kernels from there.",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals()[name]

    def __dir__(self) -> list[str]:
        return list(__all__)
