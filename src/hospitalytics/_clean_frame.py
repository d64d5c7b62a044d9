"""Frame-level coercion shared by standardize and prepare: roles to canonical columns.

Part of :mod:`hospitalytics.clean` (see its documentation for the rules).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_numeric_dtype,
)

from ._clean_dates import (
    EXCEL_SERIAL_RANGE,
    MAX_STAY_DAYS,
    NO_DAYS,
    coerce_dates,
    decide_order,
    is_text_dates,
    order_notes,
    text_column,
)
from ._clean_numbers import coerce_category, coerce_number
from ._clean_rules import (
    DATE_OUT_OF_RANGE,
    DISCHARGE_BEFORE_ADMISSION,
    LONG_STAY_DAYS,
    MISSING_ADMISSION_DATE,
    NEGATIVE_AGE,
    PLACEHOLDER_DATE,
    REJECTION_REASONS,
    UNPARSEABLE_ADMISSION_DATE,
    UNPARSEABLE_DISCHARGE_DATE,
    cow_enabled,
)
from .errors import ArgumentError, ArgumentTypeError
from .schema import CATEGORY_ROLES, ROLES, Roles

# --------------------------------------------------------------------------------------
# Frame-level coercion
# --------------------------------------------------------------------------------------


@dataclass
class Coerced:
    columns: dict[str, pd.Series]
    masks: dict[str, np.ndarray]  # rejection reason -> rows where it fires
    bad_cost: np.ndarray | None
    bad_age: np.ndarray | None
    notes: list[str]
    filled: dict[str, str]
    placeholder: np.ndarray | None = None  # discharge placeholders read as open stays
    warnings: list[str] = field(default_factory=list)  # notes prepare() must warn about
    date_placeholders: tuple[str, ...] = ()  # the "no date" placeholders found (rejected)
    parsed: bool = False  # some date column was text or numbers (the raw path)


TWINS = {"ward": "department", "department": "ward"}


def sources(roles: Roles, include: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Map each included role to its source column, filling ward <-> department."""
    src: dict[str, str] = {}
    filled: dict[str, str] = {}
    for role in include:
        if role in roles:
            src[role] = roles[role]
    for role, twin in TWINS.items():
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


def _column(raw: pd.DataFrame, label: dict[str, object], column: str, role: str) -> pd.Series:
    s = raw[label[column]]
    if isinstance(s, pd.DataFrame):
        raise ArgumentError(
            f"column {column!r} (role {role!r}) appears more than once in the frame; "
            "give the columns unique names."
        )
    return s


_DATE_ROLES = ("admission_date", "discharge_date")


def coerce_frame(
    raw: pd.DataFrame,
    roles: Roles,
    include: Iterable[str],
    *,
    dayfirst: bool | None,
    timezone: object,
    placeholders: np.ndarray,
    date_placeholders: np.ndarray = NO_DAYS,
) -> Coerced:
    include = [r for r in ROLES if r in set(include)]
    src, filled = sources(roles, include)
    label = _lookup(raw)
    n = len(raw)
    cols: dict[str, pd.Series] = {}
    notes: list[str] = []
    warn: list[str] = []
    masks = {r: np.zeros(n, bool) for r in REJECTION_REASONS}
    bad_cost = bad_age = placeholder = None
    spans: dict[str, tuple[int, int] | None | bool] = {}
    # d/m/y text is read day first or month first as both date columns together decide
    pre = {}
    for role in _DATE_ROLES:
        if role in src:
            s = _column(raw, label, src[role], role)
            if is_text_dates(s):
                pre[role] = text_column(s)
    order = decide_order([p[2] for p in pre.values()], dayfirst)
    o_notes, o_warn = order_notes(order, [src[r] for r, p in pre.items() if p[2] is not None])
    notes += o_notes
    warn += o_warn
    on_day: dict[str, np.ndarray] = {}
    for role, column in src.items():
        s = _column(raw, label, column, role)
        if role in _DATE_ROLES:
            is_discharge = role == "discharge_date"
            d = coerce_dates(
                s, dayfirst=dayfirst, timezone=timezone,
                placeholders=placeholders if is_discharge else NO_DAYS,
                date_placeholders=date_placeholders, order=order, pre=pre.get(role),
            )
            out = d.values
            spans[role] = d.span
            if d.on_placeholder_day is not None:
                on_day[role] = d.on_placeholder_day
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
            if d.n_serial:
                text = _serial_note(role, column, s, out)
                notes.append(text)
                warn.append(text)
            elif is_numeric_dtype(s.dtype) and d.bad.any():
                notes.append(_numbers_note(role, column, s))
        elif role in ("cost", "age"):
            out, bad, infinite, found = coerce_number(s, kind=role)
            notes += found
            warn += found
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
            out = coerce_category(s)
        else:
            out = s
        cols[role] = out.rename(role)
    found_days: tuple[str, ...] = ()
    if on_day:
        masks[PLACEHOLDER_DATE], found_days = _placeholder_rows(cols, on_day, n)
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
            long_ago = d_span[1] - a_span[0] > MAX_STAY_DAYS
        if long_ago:
            span = dis.astype("datetime64[D]") - adm.astype("datetime64[D]")
            with np.errstate(invalid="ignore"):
                too_long = span > np.timedelta64(MAX_STAY_DAYS, "D")
            masks[DATE_OUT_OF_RANGE] |= np.asarray(too_long)
    for role, twin in filled.items():
        cols[role] = cols[twin].rename(role)
        notes.append(f"{role} filled from {twin} (the source has no {role} column)")
    ordered = {r: cols[r] for r in ROLES if r in cols}
    parsed = any(
        not pd.api.types.is_datetime64_any_dtype(_column(raw, label, src[r], r).dtype)
        for r in _DATE_ROLES if r in src
    )
    return Coerced(ordered, masks, bad_cost, bad_age, notes, filled, placeholder, warn,
                   found_days, parsed)


_YEAR = np.timedelta64(365, "D")


def _placeholder_rows(
    cols: dict[str, pd.Series], on_day: dict[str, np.ndarray], n: int
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Rows with a date on a "no date" placeholder day far before the real admissions.

    Far: more than a year before the earliest admission that is not on such a day (or
    there is no such admission at all). Returns the rows and the days found, as text.
    """
    adm = cols["admission_date"].to_numpy().astype("datetime64[D]")
    real = ~np.isnat(adm) & ~on_day.get("admission_date", np.zeros(n, bool))
    first = adm[real].min() if real.any() else None
    rows = np.zeros(n, bool)
    days: set[str] = set()
    for role, hit in on_day.items():
        values = cols[role].to_numpy().astype("datetime64[D]")
        far = hit.copy()
        if first is not None:
            with np.errstate(invalid="ignore"):
                far &= np.isnat(values) | (values < first - _YEAR)
        if far.any():
            rows |= far
            days |= {str(v) for v in np.unique(values[far & ~np.isnat(values)])}
            if (far & np.isnat(values)).any():  # outside DATE_RANGE: 1899-12-30 ...
                days.add("a placeholder day before 1900")
    return rows, tuple(sorted(days))


def _serial_note(role: str, column: str, s: pd.Series, out: pd.Series) -> str:
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    i = int(np.argmax(np.isfinite(values)))
    lo, hi = EXCEL_SERIAL_RANGE
    return (
        f"{role}: column {column!r} holds numbers between {lo:,} and {hi:,}: read as Excel "
        f"serial dates (days since 1899-12-30; {values[i]:g} is "
        f"{pd.Timestamp(out.iloc[i]):%Y-%m-%d}). If they are not dates, name the right "
        "column with columns={role: column} (--column)"
    )


def _numbers_note(role: str, column: str, s: pd.Series) -> str:
    return (
        f"{role}: column {column!r} holds numbers, which are not dates (only numbers "
        f"between {EXCEL_SERIAL_RANGE[0]:,} and {EXCEL_SERIAL_RANGE[1]:,} are read, as "
        "Excel serial dates). Convert them before cleaning: "
        f"pd.to_datetime(df[{column!r}], unit='s') for Unix seconds, or "
        f"pd.to_datetime(df[{column!r}].astype(str), format='%Y%m%d') for 20240105"
    )


def stay_notes(frame: pd.DataFrame, today: pd.Timestamp | None = None) -> list[str]:
    """Notes on kept stays worth a look: dates in the future, stays over a year.

    ``frame`` is canonical (``admission_date``, maybe ``discharge_date``). A date after
    today is only noted when the data also has dates up to today (a date-shifted extract
    such as MIMIC-IV lies wholly in the future and says nothing about typos).
    """
    if "admission_date" not in frame or not len(frame):
        return []
    notes = []
    adm = frame["admission_date"]
    dis = frame["discharge_date"] if "discharge_date" in frame else None
    now = (pd.Timestamp.today() if today is None else pd.Timestamp(today)).normalize()
    tomorrow = now + pd.Timedelta(days=1)
    dates = [("admission", adm)] + ([("discharge", dis)] if dis is not None else [])
    future = [(what, s[s >= tomorrow]) for what, s in dates]
    n_future = sum(len(f) for _, f in future)
    if n_future and any(bool((s < tomorrow).any()) for _, s in dates):
        shown = sorted(
            ((v, what, label) for what, f in future for label, v in f.items()),
            key=lambda t: t[0], reverse=True,
        )[:3]
        listed = ", ".join(f"{what} {v:%Y-%m-%d} (row {label!r})" for v, what, label in shown)
        latest = shown[0][0]
        notes.append(
            f"{n_future} date(s) lie in the future (after today, {now:%Y-%m-%d}): "
            f"{listed}. Without as_of= the data is read as of its latest date, "
            f"{latest:%Y-%m-%d}, so open stays would count until then; check for typo years "
            "and fix them, or give the extract date with as_of= (--as-of)"
        )
    if dis is not None:
        los = (dis - adm).to_numpy()
        with np.errstate(invalid="ignore"):
            long = los > np.timedelta64(LONG_STAY_DAYS, "D")  # NaT: False
        if long.any():
            j = int(np.argmax(np.where(long, los.view("int64"), -1)))
            notes.append(
                f"{int(long.sum())} stay(s) last over a year (longest: admitted "
                f"{adm.iloc[j]:%Y-%m-%d}, discharged {dis.iloc[j]:%Y-%m-%d}, row "
                f"{frame.index[j]!r}); check for typo years. They are kept: long-stay "
                "patients exist"
            )
    return notes


def build_frame(columns: dict[str, pd.Series], index: pd.Index) -> pd.DataFrame:
    """Assemble the canonical frame; under copy-on-write, unchanged columns are not copied."""
    if not columns:
        return pd.DataFrame(index=index)
    # Series (not bare arrays) keep pandas' copy-on-write references to the input, so a
    # write to the result can never reach the caller's frame. Without copy-on-write
    # (pandas 2.x default) the data is copied instead.
    return pd.DataFrame(dict(columns), index=index, copy=not cow_enabled())


def reason_codes(masks: dict[str, np.ndarray], n: int) -> np.ndarray:
    """0 for a kept row, else 1 + the index of its first reason in REJECTION_REASONS."""
    code = np.zeros(n, dtype=np.int8)
    for k, reason in enumerate(REJECTION_REASONS, start=1):
        m = masks.get(reason)
        if m is not None:
            code[(code == 0) & m] = k
    return code


def check_timezone(timezone: object) -> None:
    try:
        pd.Timestamp("2000-01-01", tz=timezone)
    except Exception as err:
        raise ArgumentError(
            f"timezone={timezone!r} is not a time zone pandas knows; use an IANA name such "
            "as 'UTC' or 'Europe/London'.",
            argument="timezone", value=timezone,
        ) from err


def check_frame(df: object, func: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ArgumentTypeError(f"{func}() expects a pandas DataFrame, got {type(df).__name__}.",
                                argument="df", value=df, allowed="pandas.DataFrame")
