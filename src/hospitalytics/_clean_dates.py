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
    DATE_PLACEHOLDERS,
    DATE_RANGE,
    DATEISH_RE,
    DT_DTYPE,
    OPEN_PLACEHOLDERS,
    regex_mask,
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


# d/m/y and m/d/y dates never reach a parser as they are (the parsers swap day and month
# cell by cell when a value does not fit the order asked for): they are rewritten as
# year-month-day text first, in the order the column's values decide (see decide_order).
_DATE_FORMATS = (
    "ISO8601",
    "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
    "mixed",
)


def placeholder_days(
    placeholders: Iterable[object] | None, argument: str = "open_placeholders"
) -> np.ndarray:
    """Validate ``open_placeholders`` (or ``argument``) and return ``datetime64[D]`` days."""
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
            example = "'9999-12-31'" if argument == "open_placeholders" else "'1900-01-01'"
            raise ArgumentError(
                f"{argument} must be dates such as {example} (ISO text, "
                f"datetime.date or numpy.datetime64), got {p!r}.",
                argument=argument, value=p,
            ) from err
        days.append(day)
    return np.array(days, dtype="datetime64[D]")


NO_DAYS = np.array([], dtype="datetime64[D]")
DEFAULT_DAYS = placeholder_days(OPEN_PLACEHOLDERS)
DEFAULT_DATE_DAYS = placeholder_days(DATE_PLACEHOLDERS)
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


# --------------------------------------------------------------------------------------
# Day first or month first: decided per column pair from the values themselves
# --------------------------------------------------------------------------------------

# two fields of 1-2 digits, then the year (4-6 digits, or 2), then an optional time
_DMY_HINT = r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d"
_DMY_RE = r"^(\d{1,2})([/.\-])(\d{1,2})[/.\-](\d{4,6}|\d{2})((?:[\sT].*)?)$"
_DMY_RE_NAMED = (
    r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})[/.\-](?P<y>\d{4,6}|\d{2})"
    r"(?P<rest>(?:[\sT].*)?)$"
)


@dataclass
class DateParts:
    """The ``d/m/y``-shaped values of one text column, split into their fields."""

    pos: np.ndarray  # positions in the column
    first: np.ndarray  # the first field (int64)
    second: np.ndarray  # the second field
    dotted: np.ndarray  # written with dots (01.03.2024)
    year: pd.Series  # the year text (2 or 4-6 digits)
    rest: pd.Series  # what follows the date (" 13:20", "T08:00:00Z" or "")
    text: pd.Series  # the values as written


def date_parts(text: pd.Series, todo: np.ndarray) -> DateParts | None:
    """Split the ``05/01/2024``-shaped values among ``text[todo]``; None if there is none."""
    pos = np.flatnonzero(todo)
    if not pos.size:
        return None
    sub = text.iloc[pos]
    hint = regex_mask(sub, _DMY_HINT, match=True)
    if not hint.any():
        return None
    sub, pos = sub[hint], pos[hint]
    found = _extract_dmy(sub)
    if found is None:
        return None
    ok, first, second, dotted, year, rest = found
    if not ok.any():
        return None
    sub, pos = sub[ok], pos[ok]
    return DateParts(
        pos=pos, first=first, second=second, dotted=dotted,
        year=pd.Series(year, index=sub.index, dtype=object),
        rest=pd.Series(rest, index=sub.index, dtype=object),
        text=sub,
    )


def _extract_dmy(sub: pd.Series) -> tuple[np.ndarray, ...] | None:
    """Split ``sub`` by :data:`_DMY_RE` (every row; ``ok`` says which matched).

    Returns the matched mask, then the matched rows' first and second fields (int64), the
    dotted mask, the year and the rest (object arrays). Arrow's regex engine does it in
    one vectorised pass; pandas' ``str.extract`` (the fallback) goes value by value in
    Python, several times slower.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a core dependency
        pa = None
    if pa is not None:
        arr = pa.array(sub.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        st = pc.extract_regex(arr, _DMY_RE_NAMED)
        ok = st.is_valid().to_numpy(zero_copy_only=False).astype(bool)
        st = st.filter(pa.array(ok))
        a, sep, b, y, rest = st.flatten()
        return (
            ok,
            pc.cast(a, pa.int64()).to_numpy(zero_copy_only=False),
            pc.cast(b, pa.int64()).to_numpy(zero_copy_only=False),
            pc.equal(sep, ".").to_numpy(zero_copy_only=False).astype(bool),
            y.to_numpy(zero_copy_only=False).astype(object),
            rest.to_numpy(zero_copy_only=False).astype(object),
        )
    ex = sub.str.extract(_DMY_RE)  # pragma: no cover
    ok = ex[0].notna().to_numpy(dtype=bool)  # pragma: no cover
    ex = ex[ok]  # pragma: no cover
    return (  # pragma: no cover
        ok,
        pd.to_numeric(ex[0]).to_numpy(dtype="int64"),
        pd.to_numeric(ex[2]).to_numpy(dtype="int64"),
        (ex[1] == ".").to_numpy(dtype=bool),
        ex[3].to_numpy(dtype=object),
        ex[4].fillna("").to_numpy(dtype=object),
    )


@dataclass
class DateOrder:
    """How the ``d/m/y``-shaped dates of a frame are read, and why."""

    dayfirst: bool = False  # the order the values are read in
    how: str = "none"  # none, given, day, month, same, ambiguous, dotted, inconsistent
    day_example: str = ""  # a value only day/month/year can read (13/01/2024)
    month_example: str = ""  # a value only month/day/year can read (01/13/2024)
    ambiguous_example: str = ""  # a value either order can read (05/01/2024)
    n_ambiguous: int = 0
    n_refused: int = 0  # values the order given cannot read (``how == "given"``)

    @property
    def per_cell(self) -> bool:
        """Inconsistent data: each value in the only order it allows; the others refused."""
        return self.how == "inconsistent"


def decide_order(parts: list[DateParts | None], dayfirst: bool | None) -> DateOrder:
    """Decide day-first or month-first for the ``d/m/y`` dates of one or more columns.

    ``dayfirst`` True or False wins (``how="given"``, counting the values it cannot
    read). Otherwise the values decide: a first field above 12 can only be a day, a
    second field above 12 only a day too. Day evidence alone: day first; month evidence
    alone: month first; both: inconsistent (each value is read in the only order it
    allows and the ambiguous ones are refused); neither: ambiguous, read month first --
    except dotted dates (``01.03.2024``), which are written day first.
    """
    found = [p for p in parts if p is not None]
    if not found:
        return DateOrder(dayfirst=bool(dayfirst), how="none")
    first = np.concatenate([p.first for p in found])
    second = np.concatenate([p.second for p in found])
    dotted = np.concatenate([p.dotted for p in found])
    text = pd.concat([p.text.astype(object) for p in found], ignore_index=True)
    day_only = (first > 12) & (second <= 12)
    month_only = (second > 12) & (first <= 12)
    either = (first <= 12) & (second <= 12) & (first != second) & (first > 0) & (second > 0)

    def example(mask: np.ndarray) -> str:
        return str(text.iloc[int(np.argmax(mask))]) if mask.any() else ""

    order = DateOrder(
        day_example=example(day_only), month_example=example(month_only),
        ambiguous_example=example(either), n_ambiguous=int(either.sum()),
    )
    if dayfirst is not None:
        order.dayfirst, order.how = bool(dayfirst), "given"
        order.n_refused = int((month_only if dayfirst else day_only).sum())
    elif day_only.any() and month_only.any():
        order.how = "inconsistent"
    elif day_only.any():
        order.dayfirst, order.how = True, "day"
    elif month_only.any():
        order.how = "month"
    elif not either.any():
        order.how = "same"  # 01/01/2024, 12/12/2024: both orders read the same date
    elif dotted[either].all():
        order.dayfirst, order.how = True, "dotted"
    else:
        order.how = "ambiguous"
    return order


def _rewrite_dmy(text: pd.Series, parts: DateParts, order: DateOrder) -> tuple[pd.Series,
                                                                               np.ndarray]:
    """Rewrite ``d/m/y`` values as ``Y-M-D`` text in the order decided.

    Returns the text and the positions of the values the order cannot read (a month above
    12, or, in inconsistent data, a value either order could read): those are unparseable.
    """
    a, b = parts.first, parts.second
    if order.per_cell:
        day = np.where(a > 12, a, b)
        month = np.where(a > 12, b, a)
        refused = (a <= 12) & (b <= 12) & (a != b)
    else:
        day, month = (a, b) if order.dayfirst else (b, a)
        refused = np.zeros(len(a), bool)
    refused |= (month > 12) | (month < 1)
    year = parts.year.to_numpy(dtype=object)
    short = (parts.year.str.len() == 2).to_numpy(dtype=bool)
    if short.any():  # two-digit years as strptime's %y reads them: 69-99 -> 19xx
        yy = pd.to_numeric(parts.year[short]).to_numpy(dtype="int64")
        year = year.copy()
        year[short] = np.where(yy >= 69, 1900 + yy, 2000 + yy).astype(str)
    keep = ~refused
    iso = _iso_text(year[keep], month[keep], day[keep],
                    parts.rest.to_numpy(dtype=object)[keep])
    out = text.copy()
    if keep.any():
        out.iloc[parts.pos[keep]] = iso.to_numpy(dtype=object)
    return out, parts.pos[refused]


def _iso_text(year: np.ndarray, month: np.ndarray, day: np.ndarray,
              rest: np.ndarray) -> pd.Series:
    """``year-MM-DD`` + ``rest`` as an object Series (Arrow's string kernels when there)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a core dependency
        return (
            pd.Series(year, dtype=object)
            + "-" + pd.Series(month.astype(str), dtype=object).str.zfill(2)
            + "-" + pd.Series(day.astype(str), dtype=object).str.zfill(2)
            + pd.Series(rest, dtype=object)
        )

    def two(v: np.ndarray):
        return pc.utf8_lpad(pc.cast(pa.array(v, type=pa.int64()), pa.string()), 2, "0")

    joined = pc.binary_join_element_wise(
        pa.array(year, type=pa.string()), two(month), two(day), "-")
    joined = pc.binary_join_element_wise(joined, pa.array(rest, type=pa.string()), "")
    return pd.Series(joined.to_numpy(zero_copy_only=False), dtype=object)


def _columns_label(columns: list[str]) -> str:
    return " and ".join(repr(c) for c in columns)


def order_notes(order: DateOrder, columns: list[str]) -> tuple[list[str], list[str]]:
    """The notes a date-order decision deserves, and those the KPIs must warn about.

    Returns ``(notes, warnings)``; every warning is also a note.
    """
    where = f"dates in {_columns_label(columns)}"
    how = order.how
    if how == "given" and order.n_refused:
        flag = "dayfirst=True (--dayfirst)" if order.dayfirst else "dayfirst=False"
        other = order.month_example if order.dayfirst else order.day_example
        shape = "month/day/year" if order.dayfirst else "day/month/year"
        text = (
            f"{where}: read with {flag}, but {order.n_refused} date(s) such as {other!r} "
            f"only make sense as {shape}; rejected as unparseable. Check the "
            "dayfirst= setting (--dayfirst / --monthfirst), or leave it out to let the "
            "values decide"
        )
        return [text], [text]
    if how == "day":
        text = (
            f"{where}: read as day/month/year because values such as "
            f"{order.day_example!r} only make sense that way"
            + (f" ({order.ambiguous_example!r} is "
               f"{_spell(order.ambiguous_example, True)})" if order.ambiguous_example else "")
        )
        return [text], [text]
    if how == "month":
        return [
            f"{where}: read as month/day/year because values such as "
            f"{order.month_example!r} only make sense that way"
        ], []
    if how == "dotted":
        text = (
            f"{where}: nothing in the data tells day from month ({order.n_ambiguous} "
            f"date(s) such as {order.ambiguous_example!r} could be either); dotted dates "
            "are written day first, so they were read as day.month.year "
            f"({order.ambiguous_example!r} is {_spell(order.ambiguous_example, True)}); "
            "dayfirst=False (--monthfirst) reads them month first"
        )
        return [text], [text]
    if how == "ambiguous":
        text = (
            f"{where}: the order of day and month is ambiguous (no value such as "
            f"13/01/2024 or 01/13/2024 decides it): {order.n_ambiguous} date(s) such as "
            f"{order.ambiguous_example!r} were read month first, the default "
            f"({_spell(order.ambiguous_example, False)}); if they are day first, pass "
            "dayfirst=True (--dayfirst), or dayfirst=False (--monthfirst) to confirm"
        )
        return [text], [text]
    if how == "inconsistent":
        text = (
            f"{where}: the dates mix day/month/year (such as {order.day_example!r}) and "
            f"month/day/year (such as {order.month_example!r}); each was read in the "
            "only order it allows, and the rows of the "
            f"{order.n_ambiguous} date(s) that could be read either way (such as "
            f"{order.ambiguous_example!r}) were rejected as unparseable. Give the order "
            "with dayfirst=True or False (--dayfirst / --monthfirst) to read them all one way"
        )
        if not order.n_ambiguous:
            text = text.split("; each")[0] + "; each was read in the only order it allows"
        return [text], [text]
    return [], []


def _spell(value: str, dayfirst: bool) -> str:
    """``'05/01/2024'`` -> ``'5 January 2024'`` in the order given (for the notes)."""
    m = pd.Series([value]).str.extract(_DMY_RE)
    try:
        a, b, y = int(m.iloc[0, 0]), int(m.iloc[0, 2]), int(m.iloc[0, 3])
        day, month = (a, b) if dayfirst else (b, a)
        if y < 100:
            y += 1900 if y >= 69 else 2000
        return f"{day} {_dt.date(2000, month, 1):%B} {y}"
    except (TypeError, ValueError):
        return value


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
    on_placeholder_day: np.ndarray | None = None  # on a DATE_PLACEHOLDERS day (any time)
    n_serial: int = 0  # numbers read as Excel serial dates


#: Numbers in this range, in a date column, are read as Excel serial dates (days since
#: 1899-12-30): 20000 is 4 October 1954, 80000 is 10 January 2119.
EXCEL_SERIAL_RANGE = (20000, 80000)
_EXCEL_EPOCH = "1899-12-30"


def _excel_serials(s: pd.Series) -> pd.Series | None:
    """A numeric column of Excel serial dates as datetimes, or None if it is not one."""
    if not (pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype)):
        return None
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    finite = np.isfinite(values)
    if not finite.any() or np.isinf(values).any():
        return None
    v = values[finite]
    lo, hi = EXCEL_SERIAL_RANGE
    if v.min() < lo or v.max() > hi:
        return None
    dates = pd.to_datetime(values, unit="D", origin=_EXCEL_EPOCH).round("s")
    return pd.Series(np.asarray(dates, dtype=DT_DTYPE), index=s.index, name=s.name)


def _placeholder_day(values: np.ndarray, days: np.ndarray) -> np.ndarray | None:
    """Where a datetime64 array falls on one of ``days`` (None: nowhere, checked cheaply)."""
    if not days.size or not len(values):
        return None
    ints = values.view("int64")
    nat = np.iinfo("int64").min
    low = np.min(ints, where=ints != nat, initial=np.iinfo("int64").max)
    unit = np.datetime_data(values.dtype)[0]
    if low > (days.max() + 1).astype(f"datetime64[{unit}]").astype("int64"):
        return None  # every date after the last placeholder day: the usual case
    hit = np.isin(values.astype("datetime64[D]"), days) & (ints != nat)
    return hit if hit.any() else None


def coerce_dates(
    s: pd.Series,
    *,
    dayfirst: bool | None,
    timezone: object,
    placeholders: np.ndarray,
    date_placeholders: np.ndarray = NO_DAYS,
    order: DateOrder | None = None,
    pre: tuple[pd.Series, np.ndarray, DateParts | None] | None = None,
) -> _Dates:
    """Coerce a date column to naive datetimes on the hospital's wall clock.

    ``timezone=None``: a tz-aware dtype is read in its own zone; strings with one UTC
    offset are read at that offset; strings mixing offsets are converted to UTC (and
    ``mixed`` says so). With a ``timezone``, every zoned value is converted to it. Dates
    outside :data:`DATE_RANGE` become NaT, flagged as placeholders (open stays) or out of
    range; they never reach a nanosecond conversion. ``d/m/y`` text is read in ``order``
    (decided by :func:`decide_order` from this column alone when not given; ``pre`` is
    what :func:`text_columns` found). Numbers are dates only when they all look like
    Excel serial dates (:data:`EXCEL_SERIAL_RANGE`). ``on_placeholder_day`` flags the
    values on a ``date_placeholders`` day, for the frame to judge.
    """
    n = len(s)
    dtype = s.dtype
    no = np.zeros(n, bool)
    if isinstance(dtype, pd.ArrowDtype) and dtype.kind == "M":  # pyarrow timestamps
        tz = getattr(dtype.pyarrow_dtype, "tz", None)
        unit = np.datetime_data(dtype.numpy_dtype)[0]
        s = s.astype(pd.DatetimeTZDtype(unit, tz) if tz else np.dtype(f"datetime64[{unit}]"))
        dtype = s.dtype
    n_aware, zone, n_serial = 0, "", 0
    if isinstance(dtype, pd.DatetimeTZDtype):
        n_aware = int(s.notna().sum())
        if timezone is None:
            zone = str(dtype.tz)
            s = s.dt.tz_localize(None)  # the wall clock of its own zone
        else:
            zone = str(timezone)
            s = s.dt.tz_convert(timezone).dt.tz_localize(None)
        dtype = s.dtype
    if is_numeric_dtype(dtype) or is_bool_dtype(dtype):
        serial = _excel_serials(s)
        if serial is None:
            missing = s.isna().to_numpy(dtype=bool)
            out = pd.Series(pd.NaT, index=s.index, dtype=DT_DTYPE, name=s.name)
            return _Dates(out, missing, ~missing, no, no)
        n_serial = int(serial.notna().sum())
        s, dtype = serial, serial.dtype
    if pd.api.types.is_datetime64_dtype(dtype):
        values = s.to_numpy()
        on_day = _placeholder_day(values, date_placeholders)
        out, placeholder, span = _range_masks(values, placeholders)
        missing = s.isna().to_numpy(dtype=bool)
        if out is None or placeholder is None:  # all in range: nothing to change
            return _Dates(s, missing, no, no, no, n_aware, zone, span=span,
                          on_placeholder_day=on_day, n_serial=n_serial)
        if out.any() or placeholder.any():
            values = values.copy()
            values[out | placeholder] = np.datetime64("NaT")
            s = pd.Series(values, index=s.index, name=s.name)
            if s.dtype != DT_DTYPE:
                s = s.astype(DT_DTYPE)
        return _Dates(s, missing & ~out & ~placeholder, no, out, placeholder, n_aware, zone,
                      span=span, on_placeholder_day=on_day, n_serial=n_serial)
    text, missing, parts = pre if pre is not None else text_column(s)
    values = np.full(n, np.datetime64("NaT"), dtype=DT_DTYPE)
    todo = ~missing
    bad = np.zeros(n, bool)
    if order is None:
        order = decide_order([parts], dayfirst)
    if parts is not None:
        text, refused = _rewrite_dmy(text, parts, order)
        bad[refused] = True
        todo &= ~bad
    aware = todo & regex_mask(text, AWARE_RE)
    for subset, utc in ((todo & ~aware, False), (aware, True)):
        remaining = np.flatnonzero(subset)
        for fmt in _DATE_FORMATS:
            if not remaining.size:
                break
            sub = text.iloc[remaining]
            if fmt == "mixed":
                dateish = regex_mask(sub, DATEISH_RE)
                yearfirst = regex_mask(sub, r"\d{4}", match=True) & dateish
                ok_pos = []
                for mask, dfirst in ((yearfirst, False), (dateish & ~yearfirst,
                                                          order.dayfirst)):
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
            res = _parse_pass(sub, fmt, dayfirst=order.dayfirst, utc=utc)
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
        o, p = _unrepresentable(text.iloc[pos], dayfirst=order.dayfirst,
                                placeholders=placeholders)
        out[pos[o]] = True
        placeholder[pos[p]] = True
        bad &= ~out & ~placeholder
    on_day = _placeholder_day(values, date_placeholders)
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
        n_aware, zone, mixed, on_placeholder_day=on_day,
    )  # the span is not known: zone shifts came after the range check


def text_column(s: pd.Series) -> tuple[pd.Series, np.ndarray, DateParts | None] | None:
    """A text date column as ``(text, missing, d/m/y parts)``; None for other dtypes."""
    text, missing = text_values(s)
    return text, missing, date_parts(text, ~missing)


def is_text_dates(s: pd.Series) -> bool:
    """Whether a date column is text (parsed by :func:`coerce_dates`' text passes)."""
    dtype = s.dtype
    if isinstance(dtype, pd.ArrowDtype) and dtype.kind == "M":
        return False
    return not (
        isinstance(dtype, pd.DatetimeTZDtype)
        or pd.api.types.is_datetime64_dtype(dtype)
        or is_numeric_dtype(dtype)
        or is_bool_dtype(dtype)
    )


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
