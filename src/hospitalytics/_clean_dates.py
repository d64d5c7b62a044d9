"""Dates: vectorised parsing, the wall-clock time-zone rule, ranges and placeholders.

Part of :mod:`hospitalytics.clean` (see its documentation for the rules).
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_bool_dtype,
    is_numeric_dtype,
)

from ._clean_rules import (
    AWARE_RE,
    DATE_RANGE,
    DATEISH_RE,
    DT_DTYPE,
    OPEN_PLACEHOLDERS,
    text_values,
)
from .errors import ArgumentError


def _to_naive(res: pd.Series) -> pd.Series:
    """Aware parser output (always UTC here) as naive UTC wall-clock times."""
    if isinstance(res.dtype, pd.DatetimeTZDtype):
        res = res.dt.tz_convert("UTC").dt.tz_localize(None)
    return res


def _parse_pass(text: pd.Series, fmt: str, *, dayfirst: bool, utc: bool) -> pd.Series:
    """One vectorised parsing pass; unparsed values are NaT, aware results naive UTC."""
    if fmt != "mixed":
        res = pd.to_datetime(text, format=fmt, errors="coerce", utc=utc)
        return _to_naive(res)
    # The mixed parser (dateutil) only sees leftovers; it may warn about odd strings, and a
    # zone it recognises in a "naive" leftover would mix zones: fall back to utc=True.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = pd.to_datetime(text, format="mixed", dayfirst=dayfirst, errors="coerce", utc=utc)
        except (ValueError, TypeError, OverflowError):
            res = None
        if res is None or not pd.api.types.is_datetime64_any_dtype(res.dtype):
            try:
                res = pd.to_datetime(
                    text, format="mixed", dayfirst=dayfirst, errors="coerce", utc=True
                )
            except (ValueError, TypeError, OverflowError):
                res = pd.Series(pd.NaT, index=text.index, dtype=DT_DTYPE)
    return _to_naive(res)


def _date_formats(dayfirst: bool) -> tuple[str, ...]:
    dm = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    return (
        "ISO8601",
        dm, f"{dm} %H:%M", f"{dm} %H:%M:%S",
        "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
        "mixed",
    )


def placeholder_days(placeholders: Iterable[object] | None) -> np.ndarray:
    """Validate ``open_placeholders`` and return them as ``datetime64[D]`` days."""
    if placeholders is None:
        return np.array([], dtype="datetime64[D]")
    if isinstance(placeholders, str | _dt.date | np.datetime64):
        placeholders = [placeholders]
    days = []
    for p in placeholders:
        try:
            if isinstance(p, str):
                day = np.datetime64(_dt.date.fromisoformat(p.strip()[:10]), "D")
            elif isinstance(p, _dt.date | np.datetime64):
                day = np.datetime64(p, "D")
            else:
                raise TypeError
        except (TypeError, ValueError) as err:
            raise ArgumentError(
                f"open_placeholders must be dates such as '9999-12-31' (ISO text, "
                f"datetime.date or numpy.datetime64), got {p!r}.",
                argument="open_placeholders", value=p,
            ) from err
        days.append(day)
    return np.array(days, dtype="datetime64[D]")


NO_DAYS = np.array([], dtype="datetime64[D]")
DEFAULT_DAYS = placeholder_days(OPEN_PLACEHOLDERS)
_LOW_DAY = np.datetime64(DATE_RANGE[0].date(), "D")
_HIGH_DAY = np.datetime64(DATE_RANGE[1].date(), "D")
MAX_STAY_DAYS = 200 * 366
#: The first and last day of :data:`DATE_RANGE` (the fast path of prepare reads them).
LOW_DAY, HIGH_DAY = _LOW_DAY, _HIGH_DAY


def _range_masks(
    values: np.ndarray, placeholders: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[int, int] | None]:
    """Check a datetime64 array (any unit) against :data:`DATE_RANGE`.

    Returns the ``out_of_range`` and ``placeholder`` masks (both None when no value is
    either), and the first and last day (days since 1970) of the dates kept, or None when
    there is none.
    """
    n = len(values)
    if not n:
        return None, None, None
    unit = np.datetime_data(values.dtype)[0]
    ints = values.view("int64")
    nat = np.iinfo("int64").min
    lo = int(_LOW_DAY.astype(f"datetime64[{unit}]").astype("int64"))
    hi = int((_HIGH_DAY + 1).astype(f"datetime64[{unit}]").astype("int64"))
    per_day = int(np.timedelta64(1, "D") // np.timedelta64(1, unit))
    # a min and a max when everything is in range (the usual case)
    top = int(ints.max())
    if top < hi:
        low = int(ints.min())
        if low == nat and top != nat:  # NaT is the int64 minimum: skip it
            low = int(np.min(ints, where=ints != nat, initial=top))
        inside = (placeholders >= _LOW_DAY) & (placeholders <= _HIGH_DAY)
        if top == nat:  # all NaT
            return None, None, None
        if low >= lo and not inside.any():  # no date out of range, no placeholder in it
            return None, None, (low // per_day, top // per_day)
    days = values.astype("datetime64[D]")
    placeholder = np.isin(days, placeholders) if placeholders.size else np.zeros(n, bool)
    out = ((ints < lo) & (ints != nat)) | (ints >= hi)
    out &= ~placeholder
    kept = ints[~out & ~placeholder & (ints != nat)]
    span = (int(kept.min()) // per_day, int(kept.max()) // per_day) if kept.size else None
    return out, placeholder, span


_YMD_RE = r"^(?P<y>\d{3,6})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"
_XXY_RE = r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{3,6})(?!\d)"


def _unrepresentable(
    text: pd.Series, *, dayfirst: bool, placeholders: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Classify date strings no parser could represent by their year.

    Returns ``(out_of_range, placeholder)`` masks: a year outside :data:`DATE_RANGE` (such
    as ``1024`` or ``20245``) in a ``Y-M-D`` or ``D/M/Y`` shaped string, and the subset
    that is one of the open-stay placeholders.
    """
    n = len(text)
    out = np.zeros(n, bool)
    placeholder = np.zeros(n, bool)
    ymd = text.str.extract(_YMD_RE)
    xxy = text.str.extract(_XXY_RE)
    first, second = ("b", "a") if dayfirst else ("a", "b")

    def number(a: pd.Series, b: pd.Series) -> np.ndarray:
        """``a`` where it matched, else ``b``, as floats (NaN where neither did)."""
        x = pd.to_numeric(a, errors="coerce").to_numpy(dtype="float64")
        y = pd.to_numeric(b, errors="coerce").to_numpy(dtype="float64")
        return np.where(np.isnan(x), y, x)

    year = number(ymd["y"], xxy["y"])
    found = ~np.isnan(year)
    if not found.any():
        return out, placeholder
    outside = found & ((year < DATE_RANGE[0].year) | (year > DATE_RANGE[1].year))
    if placeholders.size and outside.any():
        mm = number(ymd["m"], xxy[first])
        dd = number(ymd["d"], xxy[second])
        key = year * 10000 + mm * 100 + dd
        wanted = [
            int(str(p)[:4]) * 10000 + int(str(p)[5:7]) * 100 + int(str(p)[8:10])
            for p in placeholders
        ]
        placeholder = outside & np.isin(key, wanted)
    return outside & ~placeholder, placeholder


_OFFSET_RE = r"(?:(?P<z>[Zz]|UTC|GMT)|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2})?)$"


def _offset_minutes(text: pd.Series) -> np.ndarray:
    """UTC offset in minutes of zone-carrying strings (``Z``/``UTC``/``GMT`` are 0)."""
    parts = text.str.extract(_OFFSET_RE)
    sign = np.where(parts["sign"].to_numpy(dtype=object) == "-", -1.0, 1.0)
    hh = pd.to_numeric(parts["hh"], errors="coerce").fillna(0).to_numpy(dtype="float64")
    mm = pd.to_numeric(parts["mm"], errors="coerce").fillna(0).to_numpy(dtype="float64")
    return sign * (hh * 60 + mm)


def _offset_label(minutes: float) -> str:
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(int(abs(minutes)), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


@dataclass
class _Dates:
    """A coerced date column and what happened to it."""

    values: pd.Series
    missing: np.ndarray  # null or empty
    bad: np.ndarray  # not empty, not parseable
    out_of_range: np.ndarray  # a date outside DATE_RANGE (not a placeholder)
    placeholder: np.ndarray  # an open-stay placeholder, now NaT
    n_aware: int = 0  # values that carried a zone or offset
    zone: str = ""  # what they were read in ("" when n_aware == 0)
    mixed: tuple[str, ...] = ()  # the offsets seen, when they were mixed and no zone given
    span: tuple[int, int] | None | bool = False  # first and last day; False: not known


def coerce_dates(
    s: pd.Series,
    *,
    dayfirst: bool,
    timezone: object,
    placeholders: np.ndarray,
) -> _Dates:
    """Coerce a date column to naive datetimes on the hospital's wall clock.

    ``timezone=None``: a tz-aware dtype is read in its own zone; strings with one UTC
    offset are read at that offset; strings mixing offsets are converted to UTC (and
    ``mixed`` says so). With a ``timezone``, every zoned value is converted to it. Dates
    outside :data:`DATE_RANGE` become NaT, flagged as placeholders (open stays) or out of
    range; they never reach a nanosecond conversion.
    """
    n = len(s)
    dtype = s.dtype
    no = np.zeros(n, bool)
    if isinstance(dtype, pd.ArrowDtype) and dtype.kind == "M":  # pyarrow timestamps
        tz = getattr(dtype.pyarrow_dtype, "tz", None)
        unit = np.datetime_data(dtype.numpy_dtype)[0]
        s = s.astype(pd.DatetimeTZDtype(unit, tz) if tz else np.dtype(f"datetime64[{unit}]"))
        dtype = s.dtype
    n_aware, zone = 0, ""
    if isinstance(dtype, pd.DatetimeTZDtype):
        n_aware = int(s.notna().sum())
        if timezone is None:
            zone = str(dtype.tz)
            s = s.dt.tz_localize(None)  # the wall clock of its own zone
        else:
            zone = str(timezone)
            s = s.dt.tz_convert(timezone).dt.tz_localize(None)
        dtype = s.dtype
    if pd.api.types.is_datetime64_dtype(dtype):
        values = s.to_numpy()
        out, placeholder, span = _range_masks(values, placeholders)
        missing = s.isna().to_numpy(dtype=bool)
        if out is None or placeholder is None:  # all in range: nothing to change
            return _Dates(s, missing, no, no, no, n_aware, zone, span=span)
        if out.any() or placeholder.any():
            values = values.copy()
            values[out | placeholder] = np.datetime64("NaT")
            s = pd.Series(values, index=s.index, name=s.name)
            if s.dtype != DT_DTYPE:
                s = s.astype(DT_DTYPE)
        return _Dates(s, missing & ~out & ~placeholder, no, out, placeholder, n_aware, zone,
                      span=span)
    if is_numeric_dtype(dtype) or is_bool_dtype(dtype):
        missing = s.isna().to_numpy(dtype=bool)
        out = pd.Series(pd.NaT, index=s.index, dtype=DT_DTYPE, name=s.name)
        return _Dates(out, missing, ~missing, no, no)
    text, missing = text_values(s)
    values = np.full(n, np.datetime64("NaT"), dtype=DT_DTYPE)
    todo = ~missing
    aware = todo & text.str.contains(AWARE_RE, regex=True, na=False).to_numpy(dtype=bool)
    bad = np.zeros(n, bool)
    for subset, utc in ((todo & ~aware, False), (aware, True)):
        remaining = np.flatnonzero(subset)
        for fmt in _date_formats(dayfirst):
            if not remaining.size:
                break
            sub = text.iloc[remaining]
            if fmt == "mixed":
                dateish = sub.str.contains(DATEISH_RE, regex=True, na=False).to_numpy(bool)
                yearfirst = sub.str.match(r"\d{4}", na=False).to_numpy(bool) & dateish
                ok_pos = []
                for mask, dfirst in ((yearfirst, False), (dateish & ~yearfirst, dayfirst)):
                    if not mask.any():
                        continue
                    res = _parse_pass(sub[mask], fmt, dayfirst=dfirst, utc=utc)
                    ok = res.notna().to_numpy(dtype=bool)
                    pos = remaining[mask][ok]
                    values[pos] = _as_dt(res[ok])
                    ok_pos.append(pos)
                done = np.isin(remaining, np.concatenate(ok_pos)) if ok_pos else False
                remaining = remaining[~done] if ok_pos else remaining
                break
            res = _parse_pass(sub, fmt, dayfirst=dayfirst, utc=utc)
            ok = res.notna().to_numpy(dtype=bool)
            if ok.any():
                values[remaining[ok]] = _as_dt(res[ok])
            remaining = remaining[~ok]
        bad[remaining] = True
    # years no parser could hold (9999, 1024, 20245): out of range or a placeholder
    out = np.zeros(n, bool)
    placeholder = np.zeros(n, bool)
    if bad.any():
        pos = np.flatnonzero(bad)
        o, p = _unrepresentable(text.iloc[pos], dayfirst=dayfirst, placeholders=placeholders)
        out[pos[o]] = True
        placeholder[pos[p]] = True
        bad &= ~out & ~placeholder
    o, p, _ = _range_masks(values, placeholders)
    if o is not None and p is not None and (o.any() or p.any()):
        values[o | p] = np.datetime64("NaT")
        out |= o
        placeholder |= p
    aware &= ~bad & ~out & ~placeholder
    mixed: tuple[str, ...] = ()
    if aware.any():
        n_aware = int(aware.sum())
        pos = np.flatnonzero(aware)
        if timezone is not None:
            zone = str(timezone)
            local = (
                pd.Series(values[pos]).dt.tz_localize("UTC").dt.tz_convert(timezone)
                .dt.tz_localize(None)
            )
            values[pos] = _as_dt(local)
        else:
            offsets = _offset_minutes(text.iloc[pos])
            seen = np.unique(offsets)
            if len(seen) == 1:
                zone = _offset_label(seen[0])
                values[pos] = values[pos] + np.timedelta64(int(seen[0]), "m")
            else:
                zone = "UTC"
                mixed = tuple(_offset_label(m) for m in seen)
    return _Dates(
        pd.Series(values, index=s.index, name=s.name), missing, bad, out, placeholder,
        n_aware, zone, mixed,
    )  # the span is not known: zone shifts came after the range check


def _as_dt(res: pd.Series) -> np.ndarray:
    """Parser output as an array of this pandas' datetime dtype (out of range: NaT)."""
    values = res.to_numpy()
    if values.dtype == DT_DTYPE:
        return values
    unit = np.datetime_data(DT_DTYPE)[0]
    ints = values.view("int64")
    nat = np.iinfo("int64").min
    lo = np.datetime64(pd.Timestamp.min.date(), "D") + 1
    hi = np.datetime64(pd.Timestamp.max.date(), "D") - 1
    if unit == "ns":  # a value nanoseconds cannot hold becomes the earliest ns date,
        lo_i = lo.astype(values.dtype).astype("int64")  # which the range check rejects
        hi_i = hi.astype(values.dtype).astype("int64")
        fits = (ints == nat) | ((ints >= lo_i) & (ints <= hi_i))
        if not fits.all():
            values = values.copy()
            values[~fits] = lo.astype(values.dtype)
    return values.astype(DT_DTYPE)
