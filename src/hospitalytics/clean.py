"""Cleaning: turn a raw export into a canonical stay frame, losing nothing on the way.

Two entrances share one set of coercions:

* :func:`standardize` is the explicit, auditable path. It returns the canonical frame and a
  :class:`CleaningReport`; every input row ends up either in the clean frame or in
  ``report.rejected`` with a reason.
* :func:`prepare` is the fast path the KPI functions call on whatever frame they are given.
  It returns the canonical columns a KPI asked for, drops the rows that cannot be used and
  says so with a :class:`~hospitalytics.errors.DataQualityWarning`. On a frame that is
  already canonical it parses nothing and copies nothing.

The canonical frame
-------------------
Columns are the role names of :data:`hospitalytics.schema.ROLES`, in that order, for the
roles that resolved; the raw index labels are kept. Dtypes:

* ``admission_date``, ``discharge_date``: naive ``datetime64``. A missing discharge date
  means the patient is still in hospital.
* ``department``, ``ward``, ``location``, ``treatment``, ``admission_method``,
  ``discharge_disposition``: ``category`` with string categories, trimmed of surrounding
  whitespace; empty and null-like strings (``""``, ``"NA"``, ``"n/a"``, ``"null"``,
  ``"None"``, ``"nan"``, ``"-"``, ``"?"``) are missing. Integral numbers become ``"3"``,
  not ``"3.0"`` (also when stored as Python objects or as the text ``"3.0"``, so that
  pandas and Dask agree).
* ``cost``, ``age``: ``float64``.
* ``patient_id``, ``stay_id``: kept as they are.

Where a source has a ward column but no department column (or the reverse), the missing
one is filled from the other and the report notes it.

Dates
-----
Strings are parsed in vectorised passes: ISO 8601 (``2024-01-05``, ``2024-01-05 13:20:00``,
``2024-01-05T13:20:00Z``, ``2024-01-05T13:20:00+01:00``), then ``05/01/2024``-style dates
(day first when ``dayfirst=True``, month first otherwise, with optional ``HH:MM[:SS]``),
then ``2024/01/05``, then pandas' ``format="mixed"`` parser for what is left (``5 Jan
2024``, ``05.01.2024`` ...). A column may mix formats. Numbers in a date column are not
dates: they count as unparseable (convert Excel serials or epochs yourself).

**The time-zone rule: the hospital's wall clock.** The midnight census and calendar-day
LOS are counted on the hospital's own clock, so every date ends up naive. Naive values
are wall-clock times and are kept as they are. Values that carry a zone:

* with ``timezone=`` (an IANA name such as ``"Europe/London"``): converted to that zone,
  then made naive;
* without it (the default): a tz-aware column is read in *its own* zone and made naive
  (00:30 BST on 1 June stays 00:30 on 1 June); strings that all carry the same offset
  (``Z``, ``UTC``, ``GMT``, ``+01:00`` ...) are read at that offset; strings that *mix*
  offsets have no single zone, so they are converted to UTC, with a note (and, from the
  KPI functions, a warning) that says so and asks for ``timezone=``.

**Dates out of range.** A date must lie in :data:`DATE_RANGE` (1900-01-01 to 2250-12-31,
which holds MIMIC-IV's shifted dates). A discharge date that is one of
:data:`OPEN_PLACEHOLDERS` (``9999-12-31``, ``9999-01-01``, ``2999-12-31``,
``3000-01-01``, at any time of day) means "not discharged yet": it becomes a missing
discharge date, counted under ``open_stay_placeholder``. Any other date outside the range
(typo years such as ``1024`` or ``20245``, which no timestamp type may even hold) rejects
its row as ``date_out_of_range``.

Costs and ages
--------------
Numbers pass through. Strings lose currency symbols and codes (``$``, ``£``, ``€``,
``USD`` ...), spaces and ``'`` separators; ``(123.00)`` is ``-123``. A comma is a thousands
separator (``"32,963.07"``) unless it is followed by exactly one or two final digits
(``"1 200,50"``, ``"12,5"``), where it is the decimal mark. Ages may end in ``y``/``yrs``/
``years``. A value that still does not parse, or is not finite (``inf``, ``-inf``,
``"Infinity"``), becomes NaN and is counted.

Rejections and warnings
-----------------------
Each rejected row gets the first reason that fires, in the order of
:data:`REJECTION_REASONS`:

``missing_admission_date``
    the admission date is null or empty;
``unparseable_admission_date``
    the admission date is not empty but cannot be parsed;
``unparseable_discharge_date``
    the discharge date is not empty but cannot be parsed (a null discharge is fine);
``date_out_of_range``
    a date outside :data:`DATE_RANGE` that is not an open-stay placeholder, or a stay
    of more than 200 years;
``discharge_before_admission``
    the discharge timestamp is earlier than the admission timestamp;
``negative_age``
    the age is below zero, which is impossible;
``duplicate``
    with a ``stay_id`` column: the same stay id as an earlier row and equal to it in every
    role column (rows of one stay that differ in ward or dates are ward segments, and two
    rows with different stay ids are never duplicates); without one: equal to an earlier
    row in every column of the source. The first is kept;
    ``standardize(..., drop_duplicates=False)`` keeps them all.

Suspicious but possible values are kept and counted under :data:`WARNING_RULES`:
``open_stay_placeholder``, ``negative_cost``, ``zero_length_stay`` (discharge timestamp
equal to the admission timestamp), ``age_over_120``, ``unparseable_cost`` and
``unparseable_age`` (set to NaN).

Examples
--------
>>> import pandas as pd
>>> from hospitalytics.clean import standardize
>>> raw = pd.DataFrame({
...     "Date of Admission": ["2024-01-05", "2024-01-06", ""],
...     "Discharge Date": ["2024-01-07", "2024-01-02", "2024-01-08"],
... })
>>> clean, report = standardize(raw)
>>> clean
  admission_date discharge_date
0     2024-01-05     2024-01-07
>>> report.rejected
  Date of Admission Discharge Date                      reason
1        2024-01-06     2024-01-02  discharge_before_admission
2                       2024-01-08      missing_admission_date
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pandas as pd
from pandas.api.types import (
    infer_dtype,
    is_bool_dtype,
    is_numeric_dtype,
    is_object_dtype,
    is_string_dtype,
)

from ._warn import warn
from .errors import ArgumentError, ArgumentTypeError
from .schema import CATEGORY_ROLES, ROLES, Roles, resolve_roles

__all__ = [
    "AGE_OVER_120",
    "DATE_OUT_OF_RANGE",
    "DATE_RANGE",
    "DISCHARGE_BEFORE_ADMISSION",
    "DUPLICATE",
    "MISSING_ADMISSION_DATE",
    "NEGATIVE_AGE",
    "NEGATIVE_COST",
    "OPEN_PLACEHOLDERS",
    "OPEN_STAY_PLACEHOLDER",
    "REJECTION_REASONS",
    "UNPARSEABLE_ADMISSION_DATE",
    "UNPARSEABLE_AGE",
    "UNPARSEABLE_COST",
    "UNPARSEABLE_DISCHARGE_DATE",
    "WARNING_RULES",
    "ZERO_LENGTH_STAY",
    "CleaningReport",
    "prepare",
    "standardize",
]

# --------------------------------------------------------------------------------------
# Reasons and rules
# --------------------------------------------------------------------------------------

#: Rejection reason: the admission date is null or empty.
MISSING_ADMISSION_DATE = "missing_admission_date"
#: Rejection reason: the admission date is not empty but cannot be parsed.
UNPARSEABLE_ADMISSION_DATE = "unparseable_admission_date"
#: Rejection reason: the discharge date is not empty but cannot be parsed.
UNPARSEABLE_DISCHARGE_DATE = "unparseable_discharge_date"
#: Rejection reason: a date outside :data:`DATE_RANGE` that is not an open-stay
#: placeholder (a typo year such as ``1024`` or ``20245``), or a stay that would last
#: more than 200 years (one of its dates is a typo).
DATE_OUT_OF_RANGE = "date_out_of_range"
#: Rejection reason: the discharge timestamp is earlier than the admission timestamp.
DISCHARGE_BEFORE_ADMISSION = "discharge_before_admission"
#: Rejection reason: the age is negative.
NEGATIVE_AGE = "negative_age"
#: Rejection reason: an exact duplicate of an earlier row (all raw columns equal).
DUPLICATE = "duplicate"

#: Rejection reasons, in the order they are tried (one reason per row: the first that fires).
REJECTION_REASONS: tuple[str, ...] = (
    MISSING_ADMISSION_DATE,
    UNPARSEABLE_ADMISSION_DATE,
    UNPARSEABLE_DISCHARGE_DATE,
    DATE_OUT_OF_RANGE,
    DISCHARGE_BEFORE_ADMISSION,
    NEGATIVE_AGE,
    DUPLICATE,
)

#: The plausible dates, inclusive: 1 January 1900 to 31 December 2250. Wide enough for
#: MIMIC-IV's shifted dates (2110-2201) and for any real extract; narrow enough that every
#: date, and every length of stay, fits the nanosecond timestamps pandas computes with.
DATE_RANGE: tuple[pd.Timestamp, pd.Timestamp] = (
    pd.Timestamp("1900-01-01"),
    pd.Timestamp("2250-12-31"),
)

#: Discharge dates that mean "not discharged yet" in common exports; by default they are
#: read as open stays (a missing discharge date). Compared on the calendar date, so
#: ``9999-12-31 23:59:59`` is a placeholder too. Change them with
#: ``standardize(..., open_placeholders=[...])``.
OPEN_PLACEHOLDERS: tuple[str, ...] = ("9999-12-31", "9999-01-01", "2999-12-31", "3000-01-01")

#: Warning rule: a negative cost (kept: refunds and adjustments exist).
NEGATIVE_COST = "negative_cost"
#: Warning rule: discharge timestamp equal to the admission timestamp.
ZERO_LENGTH_STAY = "zero_length_stay"
#: Warning rule: an age above 120 years.
AGE_OVER_120 = "age_over_120"
#: Warning rule: a discharge date that is an open-stay placeholder (see
#: :data:`OPEN_PLACEHOLDERS`), read as "still in hospital" (kept, discharge set to NaT).
OPEN_STAY_PLACEHOLDER = "open_stay_placeholder"
#: Warning rule: a non-empty cost that could not be parsed, or is not finite (``inf``),
#: set to NaN.
UNPARSEABLE_COST = "unparseable_cost"
#: Warning rule: a non-empty age that could not be parsed (set to NaN).
UNPARSEABLE_AGE = "unparseable_age"

#: Warning rules: suspicious values that are kept in the clean frame and counted.
WARNING_RULES: tuple[str, ...] = (
    OPEN_STAY_PLACEHOLDER,
    NEGATIVE_COST,
    ZERO_LENGTH_STAY,
    AGE_OVER_120,
    UNPARSEABLE_COST,
    UNPARSEABLE_AGE,
)

_NULL_TOKENS = frozenset(
    {
        "", "na", "NA", "N/A", "n/a", "N/a", "nan", "NaN", "NAN", "nat", "NaT", "NAT",
        "null", "NULL", "Null", "none", "None", "NONE", "-", "--", "?",
    }
)
# A zone designator after a time: Z, UTC, GMT or a numeric offset.
_AWARE_RE = r":\d{2}(?:[.,]\d+)?\s*(?:[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
# Strings worth handing to the slow "mixed" parser: a 4-digit year or a d/m/yy date.
_DATEISH_RE = r"\d{4}|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\b"
_CURRENCY_RE = (
    r"[$£€¥₹₩₽¢]|^(?:USD|EUR|GBP|CHF|JPY|INR|CAD|AUD|NZD|SEK|NOK|DKK|US|AU|CA)"
    r"|(?:USD|EUR|GBP|CHF|JPY|INR|CAD|AUD|NZD|SEK|NOK|DKK)$"
)
#: Key of ``DataFrame.attrs`` marking the output of :func:`standardize`.
_STANDARDIZED_ATTR = "hospitalytics_standardized"
_PKG_DIR = os.path.dirname(os.path.abspath(__file__))
_DT_DTYPE = pd.to_datetime(pd.Series(["2024-01-01"])).dtype  # what this pandas gives
_COW = int(pd.__version__.split(".")[0]) >= 3


def _cow_enabled() -> bool:
    if _COW:
        return True
    return pd.get_option("mode.copy_on_write") is True  # pragma: no cover - pandas 2.x


# --------------------------------------------------------------------------------------
# Column coercions (shared by standardize and prepare)
# --------------------------------------------------------------------------------------


def _is_textlike(dtype: object) -> bool:
    return is_object_dtype(dtype) or (
        is_string_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
    )


def _text(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return stripped strings and the mask of missing (null or null-like) values."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if not _is_textlike(s.dtype) or infer_dtype(s, skipna=True) not in ("string", "empty"):
        s = s.astype("string")
    t = s.str.strip()
    missing = t.isna().to_numpy(dtype=bool) | t.isin(_NULL_TOKENS).to_numpy(dtype=bool)
    return t, missing


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
                res = pd.Series(pd.NaT, index=text.index, dtype=_DT_DTYPE)
    return _to_naive(res)


def _date_formats(dayfirst: bool) -> tuple[str, ...]:
    dm = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    return (
        "ISO8601",
        dm, f"{dm} %H:%M", f"{dm} %H:%M:%S",
        "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
        "mixed",
    )


def _placeholder_days(placeholders: Iterable[object] | None) -> np.ndarray:
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
                f"datetime.date or numpy.datetime64), got {p!r}."
            ) from err
        days.append(day)
    return np.array(days, dtype="datetime64[D]")


_NO_DAYS = np.array([], dtype="datetime64[D]")
_DEFAULT_DAYS = _placeholder_days(OPEN_PLACEHOLDERS)
_LOW_DAY = np.datetime64(DATE_RANGE[0].date(), "D")
_HIGH_DAY = np.datetime64(DATE_RANGE[1].date(), "D")
_MAX_STAY_DAYS = 200 * 366


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


def _coerce_dates(
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
            if s.dtype != _DT_DTYPE:
                s = s.astype(_DT_DTYPE)
        return _Dates(s, missing & ~out & ~placeholder, no, out, placeholder, n_aware, zone,
                      span=span)
    if is_numeric_dtype(dtype) or is_bool_dtype(dtype):
        missing = s.isna().to_numpy(dtype=bool)
        out = pd.Series(pd.NaT, index=s.index, dtype=_DT_DTYPE, name=s.name)
        return _Dates(out, missing, ~missing, no, no)
    text, missing = _text(s)
    values = np.full(n, np.datetime64("NaT"), dtype=_DT_DTYPE)
    todo = ~missing
    aware = todo & text.str.contains(_AWARE_RE, regex=True, na=False).to_numpy(dtype=bool)
    bad = np.zeros(n, bool)
    for subset, utc in ((todo & ~aware, False), (aware, True)):
        remaining = np.flatnonzero(subset)
        for fmt in _date_formats(dayfirst):
            if not remaining.size:
                break
            sub = text.iloc[remaining]
            if fmt == "mixed":
                dateish = sub.str.contains(_DATEISH_RE, regex=True, na=False).to_numpy(bool)
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
    if values.dtype == _DT_DTYPE:
        return values
    unit = np.datetime_data(_DT_DTYPE)[0]
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
    return values.astype(_DT_DTYPE)


def _coerce_number(
    s: pd.Series, *, kind: str
) -> tuple[pd.Series, np.ndarray, int]:
    """Coerce a cost or age column to float64.

    Returns the values, the unparseable mask (text that is not a number, and non-finite
    values such as ``inf``, both set to NaN) and how many values were non-finite.
    """
    n = len(s)
    dtype = s.dtype
    if (is_numeric_dtype(dtype) or is_bool_dtype(dtype)) and not isinstance(
        dtype, pd.CategoricalDtype
    ):
        if dtype != np.float64:
            s = s.astype("float64")
        values = s.to_numpy()
        infinite = np.isinf(values)
        if infinite.any():
            values = np.where(infinite, np.nan, values)
            s = pd.Series(values, index=s.index, name=s.name)
        return s, infinite, int(infinite.sum())
    text, missing = _text(s)
    # Plain numbers first (fast); only what fails goes through the slower clean-up.
    first = np.asarray(pd.to_numeric(text, errors="coerce").astype("float64"), dtype="float64")
    infinite = int((np.isinf(first) & ~missing).sum())
    todo = np.flatnonzero(~missing & ~np.isfinite(first))
    if not todo.size:
        values = first.copy()
        values[missing] = np.nan
        return pd.Series(values, index=s.index, name=s.name), np.zeros(n, bool), 0
    rest, rest_bad = _parse_number_text(text.iloc[todo], kind=kind)
    values = first.copy()
    values[todo] = rest
    values[missing] = np.nan
    bad = np.zeros(n, bool)
    bad[todo] = rest_bad
    return pd.Series(values, index=s.index, name=s.name), bad, infinite


def _parse_number_text(t: pd.Series, *, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse cost/age strings that are not plain numbers; return values and bad mask."""
    n = len(t)
    if kind == "cost":
        neg = t.str.fullmatch(r"\(.*\)", na=False).to_numpy(dtype=bool)
        t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True)
        t = t.str.replace(r"[\s\u00a0\u202f'’]", "", regex=True)
        t = t.str.replace(_CURRENCY_RE, "", regex=True)
        dec = t.str.fullmatch(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d{1,2}", na=False)
        t = t.where(
            ~dec, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        )
        t = t.where(dec, t.str.replace(",", "", regex=False))
    else:
        neg = np.zeros(n, bool)
        t = t.str.replace(
            r"\s*(?:y|yr|yrs|year|years)\.?$", "", regex=True, flags=re.IGNORECASE
        )
    num = pd.to_numeric(t, errors="coerce")
    values = np.asarray(num.astype("float64"), dtype="float64").copy()
    values[~np.isfinite(values)] = np.nan
    values = np.where(neg, -np.abs(values), values)
    return values, np.isnan(values)


def _labels(uniques: pd.Index) -> np.ndarray:
    """Clean category labels: stripped strings, integral floats as ints, nulls as None."""
    if len(uniques) and _is_textlike(uniques.dtype) and infer_dtype(uniques) == "string":
        lab = np.asarray(_whole_number_text(uniques.str.strip()), dtype=object)
    elif pd.api.types.is_integer_dtype(uniques.dtype):
        lab = np.asarray(uniques.astype(str), dtype=object)
    elif is_numeric_dtype(uniques.dtype) and not is_bool_dtype(uniques.dtype):
        vals = np.asarray(uniques, dtype="float64")  # per unique value, never per row
        lab = np.array(
            [str(int(v)) if np.isfinite(v) and v == int(v) else str(v) for v in vals], object
        )
    else:  # mixed objects: per unique value, never per row
        lab = np.array([_label_text(v) for v in uniques], dtype=object)
    lab = lab.astype(object)
    lab[pd.Index(lab).isin(_NULL_TOKENS)] = None
    return lab


def _label_text(v: object) -> str:
    if isinstance(v, float | np.floating) and np.isfinite(v) and v == int(v):
        return str(int(v))  # 3.0 -> "3", as in a float column
    return _WHOLE.sub(r"\1", str(v).strip())


# A whole number written with a zero fraction ("3.0", as str(3.0) and Dask's string
# conversion of a float write it): the label is the whole number, as for a float 3.0.
_WHOLE = re.compile(r"^([+-]?\d+)\.0+$")


def _whole_number_text(text: pd.Index) -> pd.Index:
    maybe = text.str.endswith("0") & text.str.contains(".", regex=False)
    if not maybe.any():
        return text
    return text.str.replace(_WHOLE.pattern, r"\1", regex=True)  # text: arrow-native


def normalize_labels(uniques: pd.Index) -> np.ndarray:
    """Return the one text form of labels and ids shared by every engine.

    Strings are stripped; whole numbers read ``"3"`` whether stored as ``3``, ``3.0`` or
    the text ``"3.0"``; null-like values (``""``, ``"NA"``, ``"nan"`` ...) become ``None``.
    Works per unique value, never per row. :func:`prepare` builds category labels with it,
    and the KPI engine compares patient and stay ids through it, so pandas and Dask (which
    converts object columns to strings) see the same labels and the same ids.

    Parameters
    ----------
    uniques : Index
        Distinct values.

    Returns
    -------
    ndarray of object
        One label (or ``None``) per value.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_labels(pd.Index([3, 3.5, " A ", "7.0", "n/a"], dtype=object)).tolist()
    ['3', '3.5', 'A', '7', None]
    """
    return _labels(uniques)


def labels_are_normal(uniques: pd.Index) -> bool:
    """Tell whether :func:`normalize_labels` would leave these distinct values as they are.

    True for clean text (strings, stripped, no null-like token, no ``"3.0"``): the fast
    path that lets the engine compare such ids without building new labels.

    Parameters
    ----------
    uniques : Index
        Distinct values.

    Returns
    -------
    bool
        Whether the values are already in their normal form.

    Examples
    --------
    >>> import pandas as pd
    >>> labels_are_normal(pd.Index(["A", "B"])), labels_are_normal(pd.Index(["A "]))
    (True, False)
    """
    return _clean_categories(uniques)


def _clean_categories(cats: pd.Index) -> bool:
    return (
        _is_textlike(cats.dtype)
        and (len(cats) == 0 or infer_dtype(cats) == "string")
        and bool((cats.str.strip() == cats).all())
        and not bool(cats.isin(_NULL_TOKENS).any())
        and _whole_number_text(cats).equals(cats)
    )


def _coerce_category(s: pd.Series) -> pd.Series:
    """Coerce a label column to a categorical with clean string categories."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        if _clean_categories(cats):
            return s
        codes = np.asarray(s.cat.codes, dtype=np.int64)
    else:
        codes, cats = pd.factorize(s, use_na_sentinel=True)
        cats = pd.Index(cats)
    labels = _labels(cats)
    lab_codes, new_cats = pd.factorize(labels, use_na_sentinel=True)
    new_cats = np.asarray(new_cats, dtype=object)
    order = np.argsort(new_cats, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    mapping = np.where(lab_codes >= 0, rank[lab_codes] if len(rank) else -1, -1)
    final = np.where(codes >= 0, mapping[codes] if len(mapping) else -1, -1)
    categories = pd.Index(list(new_cats[order]), dtype=object)
    if _COW:
        categories = categories.astype("str")
    cat = pd.Categorical.from_codes(final, categories=categories)
    return pd.Series(cat, index=s.index, name=s.name)


# --------------------------------------------------------------------------------------
# Frame-level coercion
# --------------------------------------------------------------------------------------


@dataclass
class _Coerced:
    columns: dict[str, pd.Series]
    masks: dict[str, np.ndarray]  # rejection reason -> rows where it fires
    bad_cost: np.ndarray | None
    bad_age: np.ndarray | None
    notes: list[str]
    filled: dict[str, str]
    placeholder: np.ndarray | None = None  # discharge placeholders read as open stays
    warnings: list[str] = field(default_factory=list)  # notes prepare() must warn about


_TWINS = {"ward": "department", "department": "ward"}


def _sources(roles: Roles, include: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Map each included role to its source column, filling ward <-> department."""
    src: dict[str, str] = {}
    filled: dict[str, str] = {}
    for role in include:
        if role in roles:
            src[role] = roles[role]
    for role, twin in _TWINS.items():
        if (
            role in include
            and role not in roles
            and role not in roles.ambiguous
            and role not in roles.explicit
            and twin in roles
        ):
            filled[role] = twin
            src.setdefault(twin, roles[twin])
    return src, filled


def _lookup(raw: pd.DataFrame) -> dict[str, object]:
    return {str(c): c for c in raw.columns}


def _coerce_frame(
    raw: pd.DataFrame,
    roles: Roles,
    include: Iterable[str],
    *,
    dayfirst: bool,
    timezone: object,
    placeholders: np.ndarray,
) -> _Coerced:
    include = [r for r in ROLES if r in set(include)]
    src, filled = _sources(roles, include)
    label = _lookup(raw)
    n = len(raw)
    cols: dict[str, pd.Series] = {}
    notes: list[str] = []
    warn: list[str] = []
    masks = {r: np.zeros(n, bool) for r in REJECTION_REASONS}
    bad_cost = bad_age = placeholder = None
    spans: dict[str, tuple[int, int] | None | bool] = {}
    for role, column in src.items():
        s = raw[label[column]]
        if isinstance(s, pd.DataFrame):
            raise ArgumentError(
                f"column {column!r} (role {role!r}) appears more than once in the frame; "
                "give the columns unique names."
            )
        if role in ("admission_date", "discharge_date"):
            is_discharge = role == "discharge_date"
            d = _coerce_dates(
                s, dayfirst=dayfirst, timezone=timezone,
                placeholders=placeholders if is_discharge else _NO_DAYS,
            )
            out = d.values
            spans[role] = d.span
            if is_discharge:
                masks[UNPARSEABLE_DISCHARGE_DATE] = d.bad
                placeholder = d.placeholder
            else:
                masks[MISSING_ADMISSION_DATE] = d.missing
                masks[UNPARSEABLE_ADMISSION_DATE] = d.bad
            if d.out_of_range.any():
                masks[DATE_OUT_OF_RANGE] = masks[DATE_OUT_OF_RANGE] | d.out_of_range
            if d.mixed:
                text = (
                    f"{role}: column {column!r} mixes UTC offsets ({', '.join(d.mixed)}); "
                    f"{d.n_aware} value(s) were converted to UTC and made naive. Pass the "
                    "hospital's zone, e.g. timezone='Europe/London' (--timezone on the "
                    "command line), to count them on the hospital's wall clock"
                )
                notes.append(text)
                warn.append(text)
            elif d.n_aware:
                how = "converted to" if timezone is not None else "read in their own zone,"
                notes.append(
                    f"{role}: {d.n_aware} value(s) carried a time zone or UTC offset "
                    f"(column {column!r}); {how} {d.zone} and made naive"
                )
            if is_numeric_dtype(s.dtype) and d.bad.any():
                notes.append(
                    f"{role}: column {column!r} holds numbers, which are not dates; "
                    "convert them (e.g. pd.to_datetime(..., unit=...)) before cleaning"
                )
        elif role in ("cost", "age"):
            out, bad, infinite = _coerce_number(s, kind=role)
            if role == "cost":
                bad_cost = bad
            else:
                bad_age = bad
                with np.errstate(invalid="ignore"):
                    masks[NEGATIVE_AGE] = np.asarray(out < 0, dtype=bool)
            if infinite:
                notes.append(
                    f"{role}: {infinite} value(s) of column {column!r} are not finite "
                    "(inf); set to missing and counted as unparseable"
                )
        elif role in CATEGORY_ROLES:
            out = _coerce_category(s)
        else:
            out = s
        cols[role] = out.rename(role)
    if "admission_date" in cols and "discharge_date" in cols:
        adm = cols["admission_date"].to_numpy()
        dis = cols["discharge_date"].to_numpy()
        masks[DISCHARGE_BEFORE_ADMISSION] = np.asarray(dis < adm, dtype=bool)  # NaT: False
        # a stay of more than 200 years has a typo in one of its dates (and would overflow
        # nanosecond arithmetic): compare whole days, which cannot overflow; only looked
        # at row by row when the data spans that long at all
        a_span, d_span = spans.get("admission_date", False), spans.get("discharge_date", False)
        if a_span is None or d_span is None:  # no admission or no discharge date at all
            long_ago = False
        elif a_span is False or d_span is False:  # not known: look row by row
            long_ago = True
        else:
            long_ago = d_span[1] - a_span[0] > _MAX_STAY_DAYS
        if long_ago:
            span = dis.astype("datetime64[D]") - adm.astype("datetime64[D]")
            with np.errstate(invalid="ignore"):
                too_long = span > np.timedelta64(_MAX_STAY_DAYS, "D")
            masks[DATE_OUT_OF_RANGE] |= np.asarray(too_long)
    for role, twin in filled.items():
        cols[role] = cols[twin].rename(role)
        notes.append(f"{role} filled from {twin} (the source has no {role} column)")
    ordered = {r: cols[r] for r in ROLES if r in cols}
    return _Coerced(ordered, masks, bad_cost, bad_age, notes, filled, placeholder, warn)


def _build_frame(columns: dict[str, pd.Series], index: pd.Index) -> pd.DataFrame:
    """Assemble the canonical frame; under copy-on-write, unchanged columns are not copied."""
    if not columns:
        return pd.DataFrame(index=index)
    # Series (not bare arrays) keep pandas' copy-on-write references to the input, so a
    # write to the result can never reach the caller's frame. Without copy-on-write
    # (pandas 2.x default) the data is copied instead.
    return pd.DataFrame(dict(columns), index=index, copy=not _cow_enabled())


def _reason_codes(masks: dict[str, np.ndarray], n: int) -> np.ndarray:
    """0 for a kept row, else 1 + the index of its first reason in REJECTION_REASONS."""
    code = np.zeros(n, dtype=np.int8)
    for k, reason in enumerate(REJECTION_REASONS, start=1):
        m = masks.get(reason)
        if m is not None:
            code[(code == 0) & m] = k
    return code


def _check_timezone(timezone: object) -> None:
    try:
        pd.Timestamp("2000-01-01", tz=timezone)
    except Exception as err:
        raise ArgumentError(
            f"timezone={timezone!r} is not a time zone pandas knows; use an IANA name such "
            "as 'UTC' or 'Europe/London'."
        ) from err


def _check_frame(df: object, func: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(f"{func}() expects a pandas DataFrame, got {type(df).__name__}.",
                                argument="df", value=df, allowed="pandas.DataFrame")


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class CleaningReport:
    """What :func:`standardize` did to a raw frame: rows kept, rejected and flagged.

    Parameters
    ----------
    n_input : int
        Rows in the raw frame.
    n_clean : int
        Rows in the clean frame.
    rejected : DataFrame
        The rejected raw rows, exactly as they were (original columns and index labels),
        plus a :attr:`reason_column` naming the first reason that fired.
    roles : Roles
        The column roles used (see :func:`hospitalytics.schema.resolve_roles`).
    counts : dict
        Rows per rejection reason (:data:`REJECTION_REASONS`) and per warning rule
        (:data:`WARNING_RULES`), zeros included. Warnings count clean rows only.
    ambiguous : dict
        ``{role: (candidate, ...)}`` for roles left out because several columns could fill
        them; pass ``columns={role: column}`` to choose.
    missing : tuple of str
        Roles absent from the clean frame that had no candidate column.
    filled : dict
        ``{role: source_role}`` for roles filled from another role (ward from department).
    notes : list of str
        Plain-language notes (time-zone conversions, filled roles, open stays ...).
    timezone : str
        The zone tz-aware values were converted to before being made naive.
    reason_column : str
        The name of the reason column of :attr:`rejected` (``"reason"``, or ``"reason_"``
        when the raw frame already has a ``reason`` column).

    Examples
    --------
    >>> import pandas as pd
    >>> from hospitalytics.clean import standardize
    >>> raw = pd.DataFrame({"admit_date": ["2024-01-05", "bad"], "cost": ["-5", "7"]})
    >>> report = standardize(raw)[1]
    >>> report.n_clean, report.counts["unparseable_admission_date"]
    (1, 1)
    >>> report.to_frame().query("rows > 0")
                             rule      kind  rows
    1  unparseable_admission_date  rejected     1
    8               negative_cost   warning     1
    """

    n_input: int
    n_clean: int
    rejected: pd.DataFrame
    roles: Roles
    counts: dict[str, int]
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    filled: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    timezone: str = "UTC"
    reason_column: str = "reason"

    @property
    def n_rejected(self) -> int:
        """Rows rejected (``n_input - n_clean``)."""
        return len(self.rejected)

    @property
    def rejected_counts(self) -> dict[str, int]:
        """Rows per rejection reason, zeros included."""
        return {r: self.counts[r] for r in REJECTION_REASONS}

    @property
    def warning_counts(self) -> dict[str, int]:
        """Clean rows per warning rule, zeros included."""
        return {r: self.counts[r] for r in WARNING_RULES}

    def to_frame(self) -> pd.DataFrame:
        """Return the counts as a tidy frame with columns ``rule``, ``kind``, ``rows``.

        Returns
        -------
        DataFrame
            One row per rejection reason (``kind="rejected"``) then per warning rule
            (``kind="warning"``), zeros included.

        Examples
        --------
        >>> import pandas as pd
        >>> from hospitalytics.clean import standardize
        >>> report = standardize(pd.DataFrame({"admission_date": ["2024-01-01"]}))[1]
        >>> report.to_frame().head(2)
                                 rule      kind  rows
        0      missing_admission_date  rejected     0
        1  unparseable_admission_date  rejected     0
        """
        rules = list(REJECTION_REASONS) + list(WARNING_RULES)
        kinds = ["rejected"] * len(REJECTION_REASONS) + ["warning"] * len(WARNING_RULES)
        return pd.DataFrame(
            {
                "rule": pd.Series(rules, dtype=object),
                "kind": pd.Series(kinds, dtype=object),
                "rows": np.array([self.counts[r] for r in rules], dtype=np.int64),
            }
        )

    def _role_lines(self) -> list[str]:
        lines = []
        for role in ROLES:
            if role in self.roles:
                lines.append(f"  {role:<21} <- {self.roles[role]!r}")
            elif role in self.filled:
                lines.append(f"  {role:<21} <- filled from {self.filled[role]}")
            elif role in self.ambiguous:
                cands = ", ".join(repr(c) for c in self.ambiguous[role])
                lines.append(f"  {role:<21} ambiguous, left out: {cands}")
            else:
                lines.append(f"  {role:<21} missing")
        return lines

    def __str__(self) -> str:
        lines = [
            f"CleaningReport: {self.n_input} input rows -> {self.n_clean} clean, "
            f"{self.n_rejected} rejected",
            "Rejected (first reason per row):",
        ]
        lines += [f"  {r:<28} {self.counts[r]}" for r in REJECTION_REASONS]
        lines.append("Warnings (rows kept):")
        lines += [f"  {r:<28} {self.counts[r]}" for r in WARNING_RULES]
        lines.append("Roles:")
        lines += self._role_lines()
        if self.notes:
            lines.append("Notes:")
            lines += [f"  - {note}" for note in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>CleaningReport</b>: {self.n_input} input rows &rarr; {self.n_clean} "
            f"clean, {self.n_rejected} rejected</p>"
        )
        roles = "<br>".join(escape(line.strip()) for line in self._role_lines())
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return (
            head
            + self.to_frame().to_html(index=False)
            + f"<p>{roles}</p>"
            + (f"<ul>{notes}</ul>" if notes else "")
        )


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def standardize(
    raw: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    *,
    dayfirst: bool = False,
    timezone: str | None = None,
    drop_duplicates: bool = True,
    open_placeholders: Iterable[object] | None = OPEN_PLACEHOLDERS,
) -> tuple[pd.DataFrame, CleaningReport]:
    """Clean a raw stay export into a canonical frame, and report every row set aside.

    Column roles are inferred (see :func:`hospitalytics.schema.resolve_roles`); only
    ``admission_date`` is required. Roles that are ambiguous are left out of the clean frame
    and listed in the report. Every input row ends up in exactly one place: the clean frame
    or ``report.rejected``. The rules are in the module documentation
    (:mod:`hospitalytics.clean`).

    Parameters
    ----------
    raw : DataFrame
        One row per stay, with any column names. It is never modified.
    columns : mapping, optional
        Explicit ``{role: column}`` entries; they win over inference. ``{role: None}``
        switches a role off.
    dayfirst : bool, default False
        Read ``05/01/2024`` as 5 January (True) or May 1st (False).
    timezone : str, optional
        The hospital's time zone (an IANA name such as ``"Europe/London"``). Values
        carrying a zone or offset are converted to it, then made naive. ``None``
        (default): a tz-aware column is read in its own zone, text with one UTC offset at
        that offset, and text mixing offsets is converted to UTC with a note saying so.
        A frame from :func:`hospitalytics.read` may carry the zone given there.
    drop_duplicates : bool, default True
        Reject duplicate rows (reason ``"duplicate"``): with a ``stay_id`` column, rows
        with the same stay id that are equal in every role column; without one, rows
        equal in every column of the source. The clean frame is marked
        (``clean.attrs["hospitalytics_standardized"]``) so that standardizing it again
        does not treat rows that only differed in dropped columns as duplicates:
        ``standardize(clean)[0]`` equals ``clean``.
    open_placeholders : iterable of date-like, optional
        Discharge dates that mean "still in hospital" (default
        :data:`OPEN_PLACEHOLDERS`); they become missing discharge dates and are counted
        under ``open_stay_placeholder``. ``None`` or ``()`` turns this off, so that such
        dates are rejected as ``date_out_of_range``.

    Returns
    -------
    clean : DataFrame
        Canonical columns (the resolved roles in :data:`~hospitalytics.schema.ROLES`
        order) and dtypes, with the raw index labels.
    report : CleaningReport
        Counts, rejected rows, roles used and notes.

    Raises
    ------
    SchemaError
        When ``admission_date`` is missing or ambiguous.
    ArgumentError
        When ``raw`` is not a DataFrame, ``timezone`` is unknown, ``open_placeholders``
        holds something that is not a date or ``columns`` names an unknown role.

    See Also
    --------
    prepare : the fast path the KPI functions use.

    Examples
    --------
    >>> import pandas as pd
    >>> from hospitalytics.clean import standardize
    >>> raw = pd.DataFrame({
    ...     "Date of Admission": ["2024-03-01T23:30:00-05:00", "05/01/2024", "", "x"],
    ...     "Discharge Date": ["2024-03-04T10:00:00Z", None, None, None],
    ...     "Unit": [" ICU ", "Ward 3", "ICU", "ICU"],
    ...     "Billing Amount": ["$32,963.07", "(120.00)", "5", "7"],
    ... })
    >>> clean, report = standardize(raw, dayfirst=True)
    >>> clean
           admission_date      discharge_date department    ward      cost
    0 2024-03-01 23:30:00 2024-03-04 10:00:00        ICU     ICU  32963.07
    1 2024-01-05 00:00:00                 NaT     Ward 3  Ward 3   -120.00
    >>> clean["ward"].cat.categories.tolist()
    ['ICU', 'Ward 3']
    >>> report.rejected_counts["missing_admission_date"], report.counts["negative_cost"]
    (1, 1)
    >>> print(report)  # doctest: +ELLIPSIS
    CleaningReport: 4 input rows -> 2 clean, 2 rejected
    ...
    """
    _check_frame(raw, "standardize")
    source = _source_attrs(raw)
    if timezone is None:
        timezone = source.get("timezone")
    if timezone is not None:
        _check_timezone(timezone)
    placeholders = _placeholder_days(open_placeholders)
    roles = resolve_roles(raw, columns)
    roles.require("admission_date", needed_by="standardize")
    n = len(raw)
    co = _coerce_frame(
        raw, roles, ROLES, dayfirst=dayfirst, timezone=timezone, placeholders=placeholders
    )
    notes = [str(note) for note in source.get("notes", ())] + list(co.notes)
    if drop_duplicates and n and raw.attrs.get(_STANDARDIZED_ATTR):
        drop_duplicates = False
        notes.append(
            "the input is the output of standardize: duplicate rows were already dropped on "
            "the raw columns, so equal canonical rows are distinct source rows and are kept "
            "(use DataFrame.drop_duplicates to drop them)"
        )
    elif drop_duplicates and n:
        co.masks[DUPLICATE] = _duplicated(raw, roles)
    code = _reason_codes(co.masks, n)
    keep = code == 0
    frame = _build_frame(co.columns, raw.index)
    all_kept = bool(keep.all())
    clean = frame if all_kept else frame.iloc[np.flatnonzero(keep)]
    clean.attrs[_STANDARDIZED_ATTR] = True

    reason_column = "reason"
    while reason_column in {str(c) for c in raw.columns}:
        reason_column += "_"
    rej_pos = np.flatnonzero(~keep)
    rejected = raw.iloc[rej_pos].copy()
    reasons = np.asarray(("",) + REJECTION_REASONS, dtype=object)[code[rej_pos]]
    rejected[reason_column] = pd.Series(reasons, index=rejected.index, dtype=object)

    counts = {r: int((code == k).sum()) for k, r in enumerate(REJECTION_REASONS, start=1)}
    counts.update(_warning_counts(co, clean, keep))
    if counts[DATE_OUT_OF_RANGE]:
        notes.append(
            f"{counts[DATE_OUT_OF_RANGE]} row(s) rejected as date_out_of_range: a date "
            f"outside {DATE_RANGE[0].date()} to {DATE_RANGE[1].date()} (a typo year such as "
            "1024 or 20245) or a stay of more than 200 years"
        )
    if counts[OPEN_STAY_PLACEHOLDER]:
        notes.append(_placeholder_note(counts[OPEN_STAY_PLACEHOLDER], placeholders))
    if "discharge_date" in clean:
        n_open = int(clean["discharge_date"].isna().sum())
        if n_open:
            notes.append(f"{n_open} stay(s) have no discharge date (still in hospital)")
    if not drop_duplicates and n and not raw.attrs.get(_STANDARDIZED_ATTR):
        n_dup = int(_duplicated(raw, roles).sum())
        if n_dup:
            notes.append(f"{n_dup} duplicate row(s) kept (drop_duplicates=False)")
    ambiguous = {r: c for r, c in roles.ambiguous.items()}
    missing = tuple(r for r in roles.missing if r not in co.filled)
    report = CleaningReport(
        n_input=n,
        n_clean=len(clean),
        rejected=rejected,
        roles=roles,
        counts=counts,
        ambiguous=ambiguous,
        missing=missing,
        filled=dict(co.filled),
        notes=notes,
        timezone=None if timezone is None else str(timezone),
        reason_column=reason_column,
    )
    return clean, report


def _duplicated(raw: pd.DataFrame, roles: Roles) -> np.ndarray:
    """Duplicate rows (the first of each group is kept).

    With a ``stay_id`` role: the same stay id and equal in every role column (and every
    candidate column of an ambiguous role): rows of one stay that differ in a ward or a
    date are ward segments, not duplicates. Without one: equal in every column of the
    frame (:func:`hospitalytics.read` adds a hash of the columns it did not keep when
    they decide).
    """
    frame = raw
    if "stay_id" in roles:
        keep = set(roles.mapping.values())
        keep |= {c for cands in roles.ambiguous.values() for c in cands}
        frame = raw[[c for c in raw.columns if str(c) in keep]]
    try:
        return frame.duplicated(keep="first").to_numpy(dtype=bool)
    except TypeError:  # unhashable cells (lists, dicts): compare their text
        return frame.astype(str).duplicated(keep="first").to_numpy(dtype=bool)


def _source_attrs(raw: pd.DataFrame) -> dict:
    """What :func:`hospitalytics.read` recorded about the file (notes, time zone)."""
    info = raw.attrs.get("hospitalytics")
    return info if isinstance(info, dict) else {}


def _placeholder_note(count: int, placeholders: np.ndarray) -> str:
    return (
        f"{count} discharge date(s) were 'still in hospital' placeholders (such as "
        f"{placeholders[0]}): read as open stays; open_placeholders=() rejects them instead"
    )


def _warning_counts(co: _Coerced, clean: pd.DataFrame, keep: np.ndarray) -> dict[str, int]:
    counts = dict.fromkeys(WARNING_RULES, 0)
    if "cost" in clean:
        counts[NEGATIVE_COST] = int((clean["cost"] < 0).sum())
    if "age" in clean:
        counts[AGE_OVER_120] = int((clean["age"] > 120).sum())
    if "admission_date" in clean and "discharge_date" in clean:
        counts[ZERO_LENGTH_STAY] = int((clean["discharge_date"] == clean["admission_date"]).sum())
    if co.placeholder is not None:
        counts[OPEN_STAY_PLACEHOLDER] = int(co.placeholder[keep].sum())
    if co.bad_cost is not None:
        counts[UNPARSEABLE_COST] = int(co.bad_cost[keep].sum())
    if co.bad_age is not None:
        counts[UNPARSEABLE_AGE] = int(co.bad_age[keep].sum())
    return counts


def prepare(
    df: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    needs: Iterable[str] = (),
    wants: Iterable[str] = (),
    needed_by: str | None = None,
    dayfirst: bool = False,
    timezone: str | None = None,
    open_placeholders: Iterable[object] | None = OPEN_PLACEHOLDERS,
) -> pd.DataFrame:
    """Return the canonical columns a KPI needs from any frame, raw or clean.

    The entrance of every KPI function. Roles are resolved as in :func:`standardize` and
    coerced with the same rules; ward is filled from department (and the reverse) where
    the source has only one. Rows that cannot be used (admission date missing or
    unparseable, discharge date unparseable or before admission, a date out of range,
    negative age) are left out with a :class:`~hospitalytics.errors.DataQualityWarning`
    that counts them; open-stay placeholders and text mixing UTC offsets are warned
    about too.
    Duplicates are *not* dropped. On a canonical frame (the output of
    :func:`standardize`) nothing is parsed and, pandas' copy-on-write permitting, nothing
    is copied.

    Parameters
    ----------
    df : DataFrame
        Raw or canonical stays; never modified.
    columns : mapping, optional
        Explicit ``{role: column}`` entries, as in :func:`standardize`.
    needs : iterable of str
        Roles the caller cannot work without (``admission_date`` always is).
    wants : iterable of str
        Roles included when they resolve; missing or ambiguous ones are skipped silently.
    needed_by : str, optional
        The caller's name, for the error message.
    dayfirst : bool, default False
        As in :func:`standardize`.
    timezone : str, optional
        As in :func:`standardize`.
    open_placeholders : iterable of date-like, optional
        As in :func:`standardize`.

    Returns
    -------
    DataFrame
        A new frame with canonical names and dtypes: ``admission_date``, then
        ``discharge_date`` whenever it resolves, and the needed and wanted roles; the index
        labels of ``df``. (``age`` is always checked for negative values, but only
        returned when asked for.)

    Raises
    ------
    SchemaError
        When a needed role is missing or ambiguous.
    ArgumentError
        When ``needs`` or ``wants`` names an unknown role.

    Warns
    -----
    DataQualityWarning
        When rows are left out, or cost/age values could not be parsed.

    Examples
    --------
    >>> import pandas as pd
    >>> from hospitalytics.clean import prepare
    >>> raw = pd.DataFrame({
    ...     "admittime": ["2024-01-01 08:00", "2024-01-02 09:30"],
    ...     "dischtime": ["2024-01-03 10:00", None],
    ...     "dept": ["Cardiology", "Surgery "],
    ... })
    >>> prepare(raw, needs=["ward"], needed_by="occupancy")
           admission_date      discharge_date  department        ward
    0 2024-01-01 08:00:00 2024-01-03 10:00:00  Cardiology  Cardiology
    1 2024-01-02 09:30:00                 NaT     Surgery     Surgery
    """
    _check_frame(df, "prepare")
    needs = tuple(needs)
    wants = tuple(wants)
    unknown = [r for r in (*needs, *wants) if r not in ROLES]
    if unknown:
        raise ArgumentError(f"unknown role(s) {unknown}; the roles are {list(ROLES)}.")
    if timezone is None:
        timezone = _source_attrs(df).get("timezone")
    if timezone is not None and timezone != "UTC":
        _check_timezone(timezone)
    placeholders = (
        _DEFAULT_DAYS if open_placeholders is OPEN_PLACEHOLDERS
        else _placeholder_days(open_placeholders)
    )
    roles = resolve_roles(df, columns)
    for role in ("admission_date", *needs):
        if role in roles:
            continue
        twin = _TWINS.get(role)
        if twin and _sources(roles, (role,))[1]:
            continue
        roles.require(role, needed_by=needed_by)
    asked = {"admission_date", "discharge_date", *needs, *wants}
    co = _coerce_frame(
        df, roles, asked | {"age"}, dayfirst=dayfirst, timezone=timezone,
        placeholders=placeholders,
    )
    if "age" not in asked:  # age decides usability (negative_age) but was not asked for
        co.columns.pop("age", None)
        co.bad_age = None
    n = len(df)
    frame = _build_frame(co.columns, df.index)
    problems = []
    if n and any(m is not None and m.any() for m in co.masks.values()):
        code = _reason_codes(co.masks, n)
        keep = code == 0
        frame = frame.iloc[np.flatnonzero(keep)]
        per = [
            f"{int((code == k).sum())} {r}"
            for k, r in enumerate(REJECTION_REASONS, start=1)
            if (code == k).any()
        ]
        problems.append(f"{int((~keep).sum())} of {n} rows left out ({', '.join(per)})")
    else:
        keep = None  # every row is usable
    for bad, rule in ((co.bad_cost, UNPARSEABLE_COST), (co.bad_age, UNPARSEABLE_AGE)):
        if bad is None:
            continue
        kept_bad = bad if keep is None else bad[keep]
        if kept_bad.any():
            problems.append(f"{int(kept_bad.sum())} {rule} value(s) set to missing")
    if co.placeholder is not None:
        kept = co.placeholder if keep is None else co.placeholder[keep]
        if kept.any():
            problems.append(_placeholder_note(int(kept.sum()), placeholders))
    problems += co.warnings
    if problems:
        who = f"{needed_by}: " if needed_by else ""
        warn(
            f"{who}{'; '.join(problems)}. Run hospitalytics.standardize(df) to inspect "
            "them (report.rejected) and fix or drop them explicitly."
        )
    return frame
