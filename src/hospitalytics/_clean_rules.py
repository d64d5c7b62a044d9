"""The cleaning rules: rejection reasons, warning rules, date range, null tokens.

Part of :mod:`hospitalytics.clean` (see its documentation for the rules).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import (
    infer_dtype,
    is_object_dtype,
    is_string_dtype,
)

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
#: Rejection reason: a date that is a known "no date" placeholder (see
#: :data:`DATE_PLACEHOLDERS`) lying more than a year before the earliest real admission.
PLACEHOLDER_DATE = "placeholder_date"
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
    PLACEHOLDER_DATE,
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

#: Dates that exports write when there is no date: ``1900-01-01`` (the smallest date of
#: many systems), ``1899-12-30`` and ``1899-12-31`` (Excel's day 0), ``1800-01-01`` and
#: ``1970-01-01`` (the Unix epoch). An admission or discharge date on one of these days
#: (at any time) that lies more than a year before the earliest admission that is not one
#: of them rejects its row as ``placeholder_date``; near the other admissions it is kept
#: (a real stay on 1 January 1970 in an extract of 1969-1971). Change them with
#: ``standardize(..., date_placeholders=[...])``; ``()`` turns the rule off.
DATE_PLACEHOLDERS: tuple[str, ...] = (
    "1900-01-01", "1899-12-30", "1899-12-31", "1800-01-01", "1970-01-01",
)

#: A stay longer than this many days is worth a look (a typo year?): it is kept, and a
#: note counts such stays and names the longest. Long-stay psychiatric and rehabilitation
#: patients exist, so this is never a rejection.
LONG_STAY_DAYS = 365

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

NULL_TOKENS = frozenset(
    {
        "", "na", "NA", "N/A", "n/a", "N/a", "nan", "NaN", "NAN", "nat", "NaT", "NAT",
        "null", "NULL", "Null", "none", "None", "NONE", "-", "--", "?",
    }
)
# A zone designator after a time: Z, UTC, GMT or a numeric offset.
AWARE_RE = r":\d{2}(?:[.,]\d+)?\s*(?:[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
# Strings worth handing to the slow "mixed" parser: a 4-digit year or a d/m/yy date.
DATEISH_RE = r"\d{4}|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\b"
CURRENCY_RE = (
    r"[$£€¥₹₩₽¢]|^(?:USD|EUR|GBP|CHF|JPY|INR|CAD|AUD|NZD|SEK|NOK|DKK|US|AU|CA)"
    r"|(?:USD|EUR|GBP|CHF|JPY|INR|CAD|AUD|NZD|SEK|NOK|DKK)$"
)
#: Key of ``DataFrame.attrs`` marking the output of :func:`standardize`.
STANDARDIZED_ATTR = "hospitalytics_standardized"
DT_DTYPE = pd.to_datetime(pd.Series(["2024-01-01"])).dtype  # what this pandas gives
COW = int(pd.__version__.split(".")[0]) >= 3


def cow_enabled() -> bool:
    if COW:
        return True
    return pd.get_option("mode.copy_on_write") is True  # pragma: no cover - pandas 2.x


# --------------------------------------------------------------------------------------
# Column coercions (shared by standardize and prepare)
# --------------------------------------------------------------------------------------


def is_textlike(dtype: object) -> bool:
    return is_object_dtype(dtype) or (
        is_string_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
    )


def regex_mask(text: pd.Series, pattern: str, *, match: bool = False) -> np.ndarray:
    """Where ``text`` contains (or, with ``match``, starts with) ``pattern``; nulls: False.

    Arrow-backed text is searched by Arrow's own regex engine, several times faster than
    pandas' ``str.contains`` on it (which goes value by value in Python here). ``pattern``
    must mean the same in Python's ``re`` and in RE2 (no look-arounds, no back-references).
    """
    if match:
        pattern = f"^(?:{pattern})"
    dtype = text.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            found = pc.match_substring_regex(pa.array(text.array), pattern)
            return pc.fill_null(found, False).to_numpy(zero_copy_only=False).astype(bool)
        except (ImportError, TypeError, ValueError, NotImplementedError):  # pragma: no cover
            pass
    return text.str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)


def text_values(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return stripped strings and the mask of missing (null or null-like) values."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if not is_textlike(s.dtype) or infer_dtype(s, skipna=True) not in ("string", "empty"):
        s = s.astype("string")
    t = s.str.strip()
    missing = t.isna().to_numpy(dtype=bool) | t.isin(NULL_TOKENS).to_numpy(dtype=bool)
    return t, missing
