"""The cleaning report and standardize: every row kept or rejected with a reason.

Part of :mod:`hospitalytics.clean` (see its documentation for the rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pandas as pd

from ._clean_dates import placeholder_days
from ._clean_frame import (
    Coerced,
    build_frame,
    check_frame,
    check_timezone,
    coerce_frame,
    reason_codes,
    stay_notes,
)
from ._clean_rules import (
    AGE_OVER_120,
    DATE_OUT_OF_RANGE,
    DATE_PLACEHOLDERS,
    DATE_RANGE,
    DUPLICATE,
    NEGATIVE_COST,
    OPEN_PLACEHOLDERS,
    OPEN_STAY_PLACEHOLDER,
    PLACEHOLDER_DATE,
    REJECTION_REASONS,
    STANDARDIZED_ATTR,
    UNPARSEABLE_AGE,
    UNPARSEABLE_COST,
    WARNING_RULES,
    ZERO_LENGTH_STAY,
)
from .schema import ROLES, Roles, resolve_roles

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
    9               negative_cost   warning     1
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
    dayfirst: bool | None = None,
    timezone: str | None = None,
    drop_duplicates: bool = True,
    open_placeholders: Iterable[object] | None = OPEN_PLACEHOLDERS,
    date_placeholders: Iterable[object] | None = DATE_PLACEHOLDERS,
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
    dayfirst : bool, optional
        Read ``05/01/2024`` as 5 January (True) or May 1st (False). None (default): the
        values decide, over both date columns together -- ``13/01/2024`` can only be day
        first, ``01/13/2024`` only month first; when nothing decides, month first, with a
        note (dotted dates such as ``01.03.2024``: day first). See the module
        documentation. A frame from :func:`hospitalytics.read` may carry the flag given
        there.
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
    date_placeholders : iterable of date-like, optional
        Days that exports write when there is no date (default
        :data:`DATE_PLACEHOLDERS`: ``1900-01-01``, Excel's day 0, the Unix epoch ...).
        A date on one of them more than a year before the first real admission rejects
        its row as ``placeholder_date``. ``None`` or ``()`` turns this off.

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
    check_frame(raw, "standardize")
    source = source_attrs(raw)
    if timezone is None:
        timezone = source.get("timezone")
    if timezone is not None:
        check_timezone(timezone)
    dayfirst = check_dayfirst(dayfirst, source)
    placeholders = placeholder_days(open_placeholders)
    date_days = placeholder_days(date_placeholders, argument="date_placeholders")
    roles = resolve_roles(raw, columns)
    roles.require("admission_date", needed_by="standardize")
    n = len(raw)
    co = coerce_frame(
        raw, roles, ROLES, dayfirst=dayfirst, timezone=timezone, placeholders=placeholders,
        date_placeholders=date_days,
    )
    notes = [str(note) for note in source.get("notes", ())] + list(co.notes)
    if drop_duplicates and n and raw.attrs.get(STANDARDIZED_ATTR):
        drop_duplicates = False
        notes.append(
            "the input is the output of standardize: duplicate rows were already dropped on "
            "the raw columns, so equal canonical rows are distinct source rows and are kept "
            "(use DataFrame.drop_duplicates to drop them)"
        )
    elif drop_duplicates and n:
        co.masks[DUPLICATE] = _duplicated(raw, roles)
    code = reason_codes(co.masks, n)
    keep = code == 0
    frame = build_frame(co.columns, raw.index)
    all_kept = bool(keep.all())
    clean = frame if all_kept else frame.iloc[np.flatnonzero(keep)]
    clean.attrs[STANDARDIZED_ATTR] = True

    reason_column = "reason"
    while reason_column in {str(c) for c in raw.columns}:
        reason_column += "_"
    rej_pos = np.flatnonzero(~keep)
    rejected = raw.iloc[rej_pos].copy()
    reasons = np.asarray(("",) + REJECTION_REASONS, dtype=object)[code[rej_pos]]
    rejected[reason_column] = pd.Series(reasons, index=rejected.index, dtype=object)

    counts = {r: int((code == k).sum()) for k, r in enumerate(REJECTION_REASONS, start=1)}
    counts.update(_warning_counts(co, clean, keep))
    if not all_kept:
        notes.append(rejected_note(counts, n))
    if counts[PLACEHOLDER_DATE]:
        notes.append(placeholder_date_note(counts[PLACEHOLDER_DATE], co.date_placeholders))
    if counts[DATE_OUT_OF_RANGE]:
        notes.append(
            f"{counts[DATE_OUT_OF_RANGE]} row(s) rejected as date_out_of_range: a date "
            f"outside {DATE_RANGE[0].date()} to {DATE_RANGE[1].date()} (a typo year such as "
            "1024 or 20245) or a stay of more than 200 years"
        )
    if counts[OPEN_STAY_PLACEHOLDER]:
        notes.append(placeholder_note(counts[OPEN_STAY_PLACEHOLDER], placeholders))
    if "discharge_date" in clean:
        n_open = int(clean["discharge_date"].isna().sum())
        if n_open:
            notes.append(f"{n_open} stay(s) have no discharge date (still in hospital)")
    if counts[NEGATIVE_COST]:
        notes.append(negative_cost_note(counts[NEGATIVE_COST]))
    notes += stay_notes(clean)
    if not drop_duplicates and n and not raw.attrs.get(STANDARDIZED_ATTR):
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


def _duplicate_key(raw: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """The columns that decide duplicates (see :func:`_duplicated`)."""
    if "stay_id" not in roles:
        return raw
    keep = set(roles.mapping.values())
    keep |= {c for cands in roles.ambiguous.values() for c in cands}
    return raw[[c for c in raw.columns if str(c) in keep]]


def duplicated_rows(
    raw: pd.DataFrame, roles: Roles, parsed: Mapping[str, pd.Series] | None = None
) -> np.ndarray:
    """:func:`_duplicated`, cheaply: only rows equal in their ``parsed`` columns compared.

    Rows that are exact copies parse to the same values, so a quick look at the parsed
    columns (numbers, not text) finds the few rows worth comparing in full.
    """
    n = len(raw)
    if n < 2:
        return np.zeros(n, bool)
    if parsed:
        key = np.zeros(n, dtype=np.uint64)
        used = False
        for s in parsed.values():
            if isinstance(s.dtype, pd.CategoricalDtype):
                values = np.asarray(s.cat.codes, dtype=np.int64)
            elif pd.api.types.is_datetime64_dtype(s.dtype):
                values = s.to_numpy().view("int64")
            elif pd.api.types.is_float_dtype(s.dtype):
                values = s.to_numpy()
            else:
                continue
            # one number per row (a combined hash): equal rows get equal keys
            key = key * np.uint64(1000003) ^ pd.util.hash_array(values)
            used = True
        if used:
            maybe = pd.Series(key).duplicated(keep=False).to_numpy(dtype=bool)
            out = np.zeros(n, bool)
            if maybe.any():
                pos = np.flatnonzero(maybe)
                out[pos] = _duplicated(raw.iloc[pos], roles)
            return out
    return _duplicated(raw, roles)


def _duplicated(raw: pd.DataFrame, roles: Roles) -> np.ndarray:
    """Duplicate rows (the first of each group is kept).

    With a ``stay_id`` role: the same stay id and equal in every role column (and every
    candidate column of an ambiguous role): rows of one stay that differ in a ward or a
    date are ward segments, not duplicates. Without one: equal in every column of the
    frame (:func:`hospitalytics.read` adds a hash of the columns it did not keep when
    they decide).
    """
    frame = _duplicate_key(raw, roles)
    maybe = _duplicate_candidates(frame)
    if maybe is not None:  # only rows that share a key can be duplicates
        out = np.zeros(len(frame), dtype=bool)
        rows = np.flatnonzero(maybe)
        if len(rows):
            out[rows] = _exact_duplicated(frame.iloc[rows])
        return out
    return _exact_duplicated(frame)


def _exact_duplicated(frame: pd.DataFrame) -> np.ndarray:
    try:
        return frame.duplicated(keep="first").to_numpy(dtype=bool)
    except TypeError:  # unhashable cells (lists, dicts): compare their text
        return frame.astype(str).duplicated(keep="first").to_numpy(dtype=bool)


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _duplicate_candidates(frame: pd.DataFrame) -> np.ndarray | None:
    """Rows that share a key mixed from the frame's number-like columns (or None).

    Equal rows have equal keys, so a row whose key no other row has is no duplicate; only
    the others are compared in full. The key mixes datetimes, numbers (NaN and -0.0
    made one value) and categorical codes in one pass each, then one hash pass over it.
    None when no column can be mixed this way (nothing is gained).
    """
    if len(frame) < 2:
        return None
    key = None
    for _, col in frame.items():
        v = _key_bits(col)
        if v is None:
            continue
        key = v.copy() if key is None else key * _MIX + v
    if key is None:
        return None
    return pd.Series(key, copy=False).duplicated(keep=False).to_numpy(dtype=bool)


def _key_bits(col: pd.Series) -> np.ndarray | None:
    """A column's values as uint64 such that equal values give equal bits (or None)."""
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy().astype(np.uint64)
    if not isinstance(dtype, np.dtype):
        return None
    values = col.to_numpy()
    if dtype.kind in "mM":
        return values.view(np.int64).view(np.uint64)
    if dtype.kind in "iub":
        return values.astype(np.uint64)
    if dtype.kind == "f":
        v = values.astype(np.float64) + 0.0  # -0.0 -> 0.0
        v[np.isnan(v)] = np.nan  # one NaN
        return v.view(np.uint64)
    return None


def source_attrs(raw: pd.DataFrame) -> dict:
    """What :func:`hospitalytics.read` recorded about the file (notes, time zone)."""
    info = raw.attrs.get("hospitalytics")
    return info if isinstance(info, dict) else {}


def check_dayfirst(dayfirst: object, source: dict) -> bool | None:
    """Validate ``dayfirst`` (None: the one :func:`hospitalytics.read` recorded, if any)."""
    if dayfirst is None:
        dayfirst = source.get("dayfirst")
    if dayfirst is not None and not isinstance(dayfirst, bool | np.bool_):
        from .errors import ArgumentError

        raise ArgumentError(
            f"dayfirst must be True, False or None (let the values decide), got "
            f"{dayfirst!r}.", argument="dayfirst", value=dayfirst,
        )
    return None if dayfirst is None else bool(dayfirst)


def rejected_note(counts: dict[str, int], n: int) -> str:
    """``3 of 60 rows rejected: discharge_before_admission (2), duplicate (1)``."""
    per = [f"{r} ({counts[r]})" for r in REJECTION_REASONS if counts[r]]
    total = sum(counts[r] for r in REJECTION_REASONS)
    return (f"{total} of {n} row(s) rejected: {', '.join(per)}; they are listed in "
            "report.rejected with their reason")


def negative_cost_note(count: int) -> str:
    return (f"{count} stay(s) have a negative cost (refunds or adjustments?); totals "
            "include them")


def placeholder_date_note(count: int, days: tuple[str, ...]) -> str:
    shown = ", ".join(days) if days else "a placeholder day"
    return (
        f"{count} row(s) rejected as placeholder_date: a date on {shown}, the value "
        "exports write when there is no date, more than a year before the first real "
        "admission; date_placeholders=() keeps them"
    )


def placeholder_note(count: int, placeholders: np.ndarray) -> str:
    return (
        f"{count} discharge date(s) were 'still in hospital' placeholders (such as "
        f"{placeholders[0]}): read as open stays; open_placeholders=() rejects them instead"
    )


def _warning_counts(co: Coerced, clean: pd.DataFrame, keep: np.ndarray) -> dict[str, int]:
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
