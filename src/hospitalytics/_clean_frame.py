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

from ._clean_dates import MAX_STAY_DAYS, NO_DAYS, coerce_dates
from ._clean_numbers import coerce_category, coerce_number
from ._clean_rules import (
    DATE_OUT_OF_RANGE,
    DISCHARGE_BEFORE_ADMISSION,
    MISSING_ADMISSION_DATE,
    NEGATIVE_AGE,
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


def coerce_frame(
    raw: pd.DataFrame,
    roles: Roles,
    include: Iterable[str],
    *,
    dayfirst: bool,
    timezone: object,
    placeholders: np.ndarray,
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
    for role, column in src.items():
        s = raw[label[column]]
        if isinstance(s, pd.DataFrame):
            raise ArgumentError(
                f"column {column!r} (role {role!r}) appears more than once in the frame; "
                "give the columns unique names."
            )
        if role in ("admission_date", "discharge_date"):
            is_discharge = role == "discharge_date"
            d = coerce_dates(
                s, dayfirst=dayfirst, timezone=timezone,
                placeholders=placeholders if is_discharge else NO_DAYS,
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
            out, bad, infinite = coerce_number(s, kind=role)
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
    return Coerced(ordered, masks, bad_cost, bad_age, notes, filled, placeholder, warn)


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
