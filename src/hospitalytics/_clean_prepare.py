"""prepare: the fast entrance of every KPI (canonical columns, unusable rows out).

Part of :mod:`hospitalytics.clean` (see its documentation for the rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ._clean_dates import (
    DEFAULT_DATE_DAYS,
    DEFAULT_DAYS,
    HIGH_DAY,
    LOW_DAY,
    MAX_STAY_DAYS,
    placeholder_days,
)
from ._clean_frame import (
    TWINS,
    build_frame,
    check_frame,
    check_timezone,
    coerce_frame,
    reason_codes,
    sources,
    stay_notes,
)
from ._clean_numbers import clean_categories
from ._clean_report import (
    check_dayfirst,
    duplicated_rows,
    negative_cost_note,
    placeholder_date_note,
    placeholder_note,
    source_attrs,
)
from ._clean_rules import (
    DATE_PLACEHOLDERS,
    OPEN_PLACEHOLDERS,
    PLACEHOLDER_DATE,
    REJECTION_REASONS,
    UNPARSEABLE_AGE,
    UNPARSEABLE_COST,
)
from ._scan import NAT, Facts, scan_columns
from ._warn import warn
from .errors import ArgumentError
from .schema import CATEGORY_ROLES, ROLES, resolve_roles

NS_PER_DAY_INT = 86_400 * 10**9


def prepare(
    df: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    needs: Iterable[str] = (),
    wants: Iterable[str] = (),
    needed_by: str | None = None,
    dayfirst: bool | None = None,
    timezone: str | None = None,
    open_placeholders: Iterable[object] | None = OPEN_PLACEHOLDERS,
    date_placeholders: Iterable[object] | None = DATE_PLACEHOLDERS,
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

    On a raw frame (dates stored as text or numbers, which must be parsed anyway) it
    also warns about what :func:`standardize` would note: rows that are exact copies of
    another row (counted, not dropped), negative costs (when ``cost`` is asked for),
    dates in the future and stays of over a year, and what it inferred (the order of day
    and month, a decimal comma, Excel serial dates, top-coded ages). On a canonical frame
    these checks are skipped, as they cost time on every call: run :func:`standardize`
    once to see them.

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
    dayfirst : bool, optional
        As in :func:`standardize` (None: the values decide).
    timezone : str, optional
        As in :func:`standardize`.
    open_placeholders : iterable of date-like, optional
        As in :func:`standardize`.
    date_placeholders : iterable of date-like, optional
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
    return prepare_frame(df, columns=columns, needs=needs, wants=wants, needed_by=needed_by,
                         dayfirst=dayfirst, timezone=timezone,
                         open_placeholders=open_placeholders,
                         date_placeholders=date_placeholders)[0]


def prepare_frame(
    df: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    needs: Iterable[str] = (),
    wants: Iterable[str] = (),
    needed_by: str | None = None,
    dayfirst: bool | None = None,
    timezone: str | None = None,
    open_placeholders: Iterable[object] | None = OPEN_PLACEHOLDERS,
    date_placeholders: Iterable[object] | None = DATE_PLACEHOLDERS,
) -> tuple[pd.DataFrame, Facts | None]:
    """:func:`prepare`, and the :class:`~hospitalytics._scan.Facts` of its fast path.

    On a frame whose columns already have the canonical dtypes, one blocked pass checks
    every rule (:func:`~hospitalytics._scan.scan_columns`); when no row breaks one, the
    frame is assembled as it is and the facts (earliest and latest dates, admission
    order) come back in nanoseconds, so the KPIs need not read the dates again. Anything
    else goes through the full coercions, and the facts are None.
    """
    check_frame(df, "prepare")
    needs = tuple(needs)
    wants = tuple(wants)
    unknown = [r for r in (*needs, *wants) if r not in ROLES]
    if unknown:
        raise ArgumentError(f"unknown role(s) {unknown}; the roles are {list(ROLES)}.")
    source = source_attrs(df)
    if timezone is None:
        timezone = source.get("timezone")
    if timezone is not None and timezone != "UTC":
        check_timezone(timezone)
    dayfirst = check_dayfirst(dayfirst, source)
    placeholders = (
        DEFAULT_DAYS if open_placeholders is OPEN_PLACEHOLDERS
        else placeholder_days(open_placeholders)
    )
    date_days = (
        DEFAULT_DATE_DAYS if date_placeholders is DATE_PLACEHOLDERS
        else placeholder_days(date_placeholders, argument="date_placeholders")
    )
    roles = resolve_roles(df, columns)
    for role in ("admission_date", *needs):
        if role in roles:
            continue
        twin = TWINS.get(role)
        if twin and sources(roles, (role,))[1]:
            continue
        roles.require(role, needed_by=needed_by)
    asked = {"admission_date", "discharge_date", *needs, *wants}
    fast = _canonical(df, roles, asked, placeholders, date_days)
    if fast is not None:
        return fast
    co = coerce_frame(
        df, roles, asked | {"age"}, dayfirst=dayfirst, timezone=timezone,
        placeholders=placeholders, date_placeholders=date_days,
    )
    if "age" not in asked:  # age decides usability (negative_age) but was not asked for
        co.columns.pop("age", None)
        co.bad_age = None
    n = len(df)
    frame = build_frame(co.columns, df.index)
    problems = []
    if n and any(m is not None and m.any() for m in co.masks.values()):
        code = reason_codes(co.masks, n)
        keep = code == 0
        frame = frame.iloc[np.flatnonzero(keep)]
        per = [
            f"{int((code == k).sum())} {r}"
            for k, r in enumerate(REJECTION_REASONS, start=1)
            if (code == k).any()
        ]
        problems.append(f"{int((~keep).sum())} of {n} rows left out ({', '.join(per)})")
        n_placeholder = int((code == REJECTION_REASONS.index(PLACEHOLDER_DATE) + 1).sum())
        if n_placeholder:
            problems.append(placeholder_date_note(n_placeholder, co.date_placeholders))
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
            problems.append(placeholder_note(int(kept.sum()), placeholders))
    if "age" not in asked:  # what was inferred about ages matters only when they are used
        co.warnings = [w for w in co.warnings if not w.startswith("age:")]
    problems += co.warnings
    if co.parsed and n:  # the raw path: what standardize would note
        problems += _raw_checks(df, roles, frame, asked, co.columns)
    if problems:
        who = f"{needed_by}: " if needed_by else ""
        tail = (
            "Run hospitalytics.standardize(df) to inspect them (report.rejected) and fix "
            "or drop them explicitly." if keep is not None
            else "hospitalytics.standardize(df) gives the whole cleaning report."
        )
        warn(f"{who}{'; '.join(problems)}. {tail}")
    return frame, None


def _raw_checks(
    df: pd.DataFrame, roles, frame: pd.DataFrame, asked: set[str], parsed
) -> list[str]:
    """Duplicates, negative costs, future dates and long stays of a raw frame's kept rows."""
    found = []
    n_dup = int(duplicated_rows(df, roles, parsed).sum())
    if n_dup:
        found.append(
            f"{n_dup} row(s) are exact copies of another row and are counted (run "
            "hospitalytics.standardize(df) to drop them)"
        )
    if "cost" in asked and "cost" in frame:
        n_neg = int((frame["cost"] < 0).sum())
        if n_neg:
            found.append(negative_cost_note(n_neg))
    found += stay_notes(frame)
    return found



_DATES = ("admission_date", "discharge_date")


def _canonical(df: pd.DataFrame, roles, asked: set, placeholders: np.ndarray,
               date_days: np.ndarray) -> tuple[pd.DataFrame, Facts] | None:
    """The fast path of :func:`prepare_frame`: canonical dtypes, every row usable.

    None when a column needs coercing or some row breaks a rule (the full path then
    finds which, and says so).
    """
    include = [r for r in ROLES if r in asked | {"age"}]
    src, filled = sources(roles, include)
    if "admission_date" not in src:
        return None
    label = {str(c): c for c in df.columns}
    cols: dict[str, pd.Series] = {}
    unit = None
    for role, column in src.items():
        s = df[label[column]]
        if isinstance(s, pd.DataFrame):
            return None
        dtype = s.dtype
        if role in _DATES:
            if not (isinstance(dtype, np.dtype) and dtype.kind == "M"):
                return None
            if unit is None:
                unit = dtype
            elif dtype != unit:
                return None
        elif role in ("cost", "age"):
            if dtype != np.float64 or not isinstance(dtype, np.dtype):
                return None
        elif role in CATEGORY_ROLES:
            if not isinstance(dtype, pd.CategoricalDtype) or not clean_categories(
                    dtype.categories):
                return None
        cols[role] = s
    per = int(np.timedelta64(1, np.datetime_data(unit)[0]) // np.timedelta64(1, "ns"))
    lo = int(LOW_DAY.astype(unit).astype("int64"))
    hi = int((HIGH_DAY + 1).astype(unit).astype("int64"))
    if placeholders.size and bool(((placeholders >= LOW_DAY)
                                   & (placeholders <= HIGH_DAY)).any()):
        return None  # a placeholder inside the range: the full path finds it
    adm = cols["admission_date"].to_numpy().view("int64")
    dis = cols["discharge_date"].to_numpy().view("int64") if "discharge_date" in cols else None
    floats = {r: cols[r].to_numpy() for r in ("cost", "age") if r in cols}
    nonneg = [floats["age"]] if "age" in floats else []
    facts = scan_columns(adm, dis, list(floats.values()), nonneg)
    if facts is None or facts.adm_min < lo or facts.adm_max >= hi or facts.dis_max >= hi:
        return None
    if date_days.size and facts.adm_min < int(
            (date_days.max() + 1).astype(unit).astype("int64")):
        return None  # a date on a "no date" placeholder day may be here: the full path
    if facts.dis_max != NAT:
        per_day = NS_PER_DAY_INT // per
        if facts.dis_max // per_day - facts.adm_min // per_day > MAX_STAY_DAYS:
            return None  # perhaps a stay of more than 200 years: the full rules look
    if "age" not in asked:
        cols.pop("age", None)
    for role, twin in filled.items():
        cols[role] = cols[twin]
    ordered = {r: cols[r].rename(r) for r in ROLES if r in cols}
    return build_frame(ordered, df.index), facts.to_ns(per)
