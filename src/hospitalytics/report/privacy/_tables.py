"""One table on its own: small-count suppression, and spreadsheet-safe CSV.

:func:`suppress` hides small counts in any KPI table:

1. **Primary suppression**: every count cell with ``0 < value < threshold`` is hidden
   (zeros stay visible, as NHS Digital and ONS publish them: a zero is not a person).
2. **Complementary suppression**: a line (a column, and for cross-tables a row too) whose
   total can be worked out must not let its hidden cells be worked out either. With h
   hidden cells summing to S, each of them is somewhere in ``[1, S - h + 1]``; while a
   line has a single hidden cell, or that range holds fewer than ``threshold`` values,
   the smallest visible non-zero cell of the line is hidden too (never a zero: a hidden
   zero protects nothing, since a reader may know it is zero). This repeats until every
   line is covered. In a table of several count columns that are not a cross-table
   (admissions and patients), a row hidden in one is hidden in all, since one bounds the
   other.
   Complements carry the same ``"<N"`` marker as the small counts, on purpose: a distinct
   marker would tell the reader which hidden cell is the small one. So ``"<N"`` reads
   "hidden: below N, or hidden with one that is".
3. **Linked values**: in tables that are not cross-tables, values derived from the counts
   of a row (costs, means, shares) are hidden on the rows whose counts are hidden.

These rules protect a table against its own totals only. A report publishes much more
(other tables, KPI panel, cleaning counts), which is why
:func:`hospitalytics.report.build_report` protects the whole publication at once.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"admissions": [120, 3, 45, 60]}, index=list("ABCD"))
>>> suppress(t, 10)
  admissions
A        120
B        <10
C        <10
D         60
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api.types import is_integer_dtype, is_numeric_dtype, is_string_dtype

from ...errors import ArgumentError

__all__ = [
    "neutralize_csv",
    "neutralize_value",
    "suppress",
    "suppression_marker",
    "suppression_mask",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def suppression_marker(threshold: int) -> str:
    """The text shown instead of a hidden count: ``"<N"``.

    Parameters
    ----------
    threshold : int
        The suppression threshold.

    Returns
    -------
    str
        ``"<N"``.

    Examples
    --------
    >>> suppression_marker(10)
    '<10'
    """
    return f"<{int(threshold)}"


def _check_threshold(threshold: object) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)):
        raise ArgumentError(f"threshold must be a whole number, got {threshold!r}.")
    if threshold < 1:
        raise ArgumentError(f"threshold must be 1 or more, got {threshold}.")
    return int(threshold)


def _as_frame(table: pd.DataFrame | pd.Series) -> pd.DataFrame:
    if isinstance(table, pd.Series):
        return table.to_frame(name=table.name if table.name is not None else "count")
    if isinstance(table, pd.DataFrame):
        return table
    raise ArgumentError(
        f"suppress takes a DataFrame or a Series, got {type(table).__name__}."
    )


def _count_columns(frame: pd.DataFrame, columns: Sequence[str] | None) -> list:
    if columns is None:
        return [c for c in frame.columns if is_integer_dtype(frame[c].dtype)
                and not pd.api.types.is_bool_dtype(frame[c].dtype)]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ArgumentError(
            f"columns {missing} are not in the table; it has {list(frame.columns)}."
        )
    bad = [c for c in columns if not is_numeric_dtype(frame[c].dtype)]
    if bad:
        raise ArgumentError(f"count columns must be numeric; {bad} are not.")
    return list(columns)


def _complete(values: np.ndarray, mask: np.ndarray, rows: bool, threshold: int,
              zeros: bool) -> np.ndarray:
    """Grow ``mask`` until every line's hidden cells protect each other.

    A line (a column, and a row when ``rows``) whose total can be worked out needs, when
    it has hidden cells, enough hidden between them that none can be narrowed to fewer
    than ``threshold`` values: with h hidden cells summing to S (each at least 1 when
    zeros are never hidden), each lies in ``[1, S - h + 1]``, so ``S - h + 1 >= threshold``
    (``S + 1 >= threshold`` when zeros may be hidden). While a line falls short, its
    smallest visible non-zero cell is hidden too (a zero never protects anything).
    """
    mask = mask.copy()
    # Candidates for complementary suppression: the smallest visible non-zero cell.
    order_key = np.where(np.isnan(values) | (values == 0), np.inf, values)
    vals = np.nan_to_num(values)
    axes = (0, 1) if rows else (0,)
    changed = True
    while changed:
        changed = False
        for axis in axes:
            n_lines = mask.shape[1 - axis]
            for line in range(n_lines):
                sel = (slice(None), line) if axis == 0 else (line, slice(None))
                line_mask = mask[sel]
                h = int(line_mask.sum())
                if h == 0:
                    continue
                total = float(vals[sel][line_mask].sum())
                spread = total + 1 if zeros else total - h + 1
                if h >= 2 and spread >= threshold:
                    continue
                key = np.where(line_mask | np.isinf(order_key[sel]), np.inf, order_key[sel])
                if np.isinf(key).all():
                    continue  # nothing left to hide with it
                pick = int(np.argmin(key))
                if axis == 0:
                    mask[pick, line] = True
                else:
                    mask[line, pick] = True
                changed = True
    return mask


def suppression_mask(
    table: pd.DataFrame | pd.Series,
    threshold: int,
    *,
    columns: Sequence[str] | None = None,
    crosstab: bool | None = None,
    linked: Sequence[str] | Literal["auto"] | None = "auto",
    zeros: bool = False,
) -> pd.DataFrame:
    """Which cells of a table to hide: small counts and their complements.

    Parameters
    ----------
    table : DataFrame or Series
        A KPI table (rows are groups). A Series is treated as a one-column table.
    threshold : int
        Counts below it are hidden (``0 < count < threshold``; see ``zeros``).
    columns : sequence of str, optional
        The count columns (people or stays). Default: the integer columns.
    crosstab : bool, optional
        Whether the count columns are parts of one whole (a group by band table, such as
        ``los_distribution(by="ward")``), so row totals can be worked out as well as column
        totals. Default: True when every column of the table is a count column and there
        are at least two.
    linked : sequence of str, "auto" or None, default "auto"
        Columns hidden on every row where a count is hidden (costs, means, shares derived
        from the counts). ``"auto"``: every other numeric column when the table is not a
        cross-table; ``None``: none.
    zeros : bool, default False
        Hide zero counts too (by default a zero is shown, and never used as a
        complement).

    Returns
    -------
    DataFrame of bool
        Same shape, index and columns as the table (one column for a Series); True where
        the cell is to be hidden.

    Raises
    ------
    ArgumentError
        For a threshold below 1, unknown or non-numeric count columns.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"stays": [12, 2, 30], "mean_cost": [900.0, 1500.0, 700.0]},
    ...                  index=["x", "y", "z"])
    >>> suppression_mask(t, 5)
       stays  mean_cost
    x   True       True
    y   True       True
    z  False      False
    """
    threshold = _check_threshold(threshold)
    frame = _as_frame(table)
    counts = _count_columns(frame, columns)
    if crosstab is None:
        crosstab = len(counts) >= 2 and len(counts) == frame.shape[1]
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    if not counts or frame.empty:
        return mask
    values = frame[counts].to_numpy(dtype="float64", na_value=np.nan)
    low = values < threshold
    primary = low if zeros else low & (values != 0)
    primary &= ~np.isnan(values)
    if crosstab:
        grown = _complete(values, primary, True, threshold, zeros)
    else:
        # Counts of one row bound each other (patients <= admissions): a row hidden in
        # one count column is hidden in all of them, and the columns are completed again.
        grown = primary.copy()
        while True:
            grown = np.column_stack(
                [_complete(values[:, [j]], grown[:, [j]], False, threshold, zeros)[:, 0]
                 for j in range(len(counts))]
            )
            rows_hidden = grown.any(axis=1)
            linked_rows = grown | (rows_hidden[:, None] & ~np.isnan(values))
            if (linked_rows == grown).all():
                break
            grown = linked_rows
    mask.loc[:, counts] = grown
    if linked == "auto":
        linked = (
            [] if crosstab else
            [c for c in frame.columns if c not in counts and is_numeric_dtype(frame[c].dtype)]
        )
    if linked:
        missing = [c for c in linked if c not in frame.columns]
        if missing:
            raise ArgumentError(
                f"linked columns {missing} are not in the table; it has {list(frame.columns)}."
            )
        rows = grown.any(axis=1)
        for c in linked:
            mask[c] = mask[c].to_numpy() | rows
    return mask


def suppress(
    table: pd.DataFrame | pd.Series,
    threshold: int,
    *,
    columns: Sequence[str] | None = None,
    crosstab: bool | None = None,
    linked: Sequence[str] | Literal["auto"] | None = "auto",
    zeros: bool = False,
    marker: str | None = None,
) -> pd.DataFrame | pd.Series:
    """Hide small counts in a KPI table, with complementary suppression.

    Counts with ``0 < count < threshold`` are replaced by ``"<N"``; then, wherever a
    column (or, in a cross-table, a row) would let its total minus the visible cells
    narrow a hidden count to fewer than ``threshold`` values, the smallest visible
    non-zero cell of that line is hidden too. Costs, means and shares of the rows with
    hidden counts are hidden as well (see ``linked``). This protects the table against
    its own totals; a whole report is protected by
    :func:`hospitalytics.report.build_report` with ``privacy="suppress:N"``.

    Parameters
    ----------
    table : DataFrame or Series
        Any KPI table, for example ``hp.by_treatment(df)`` or ``hp.admissions(df,
        by="ward")``.
    threshold : int
        The smallest count that may be shown.
    columns, crosstab, linked, zeros
        As for :func:`suppression_mask`.
    marker : str, optional
        The text put in hidden cells; default ``"<N"``.

    Returns
    -------
    DataFrame or Series
        A copy of the table (a Series for a Series); columns with hidden cells become
        ``object`` columns holding the marker.

    See Also
    --------
    suppression_mask : The cells hidden, as a boolean frame.

    Examples
    --------
    A cell of 3 is hidden, and so is the next smallest of its column (45), or the column
    total would give the 3 back:

    >>> import pandas as pd
    >>> t = pd.DataFrame({"admissions": [120, 3, 45, 60]}, index=list("ABCD"))
    >>> suppress(t, 10)["admissions"].tolist()
    [120, '<10', '<10', 60]

    In a cross-table, rows are totals too:

    >>> x = pd.DataFrame({"ward 1": [20, 4, 30], "ward 2": [25, 50, 35]},
    ...                  index=["0", "1-3", "4+"])
    >>> suppress(x, 5)
        ward 1 ward 2
    0       <5     <5
    1-3     <5     <5
    4+      30     35
    """
    mask = suppression_mask(
        table, threshold, columns=columns, crosstab=crosstab, linked=linked, zeros=zeros
    )
    text = suppression_marker(threshold) if marker is None else str(marker)
    frame = _as_frame(table).copy()
    for c in frame.columns:
        hide = mask[c].to_numpy()
        if hide.any():
            col = frame[c].astype(object)
            col[hide] = text
            frame[c] = col
    if isinstance(table, pd.Series):
        out = frame.iloc[:, 0]
        out.name = table.name
        return out
    return frame


def neutralize_value(value: object) -> object:
    """Make one cell safe for a spreadsheet: text starting with ``= + - @`` gets a ``'``.

    Numbers (and text that is a plain number, such as ``"-12.5"``) are returned as they are.

    Parameters
    ----------
    value : object
        A cell value.

    Returns
    -------
    object
        The value, or ``"'" + value`` for dangerous text.

    Examples
    --------
    >>> neutralize_value("=SUM(A1:A9)")
    "'=SUM(A1:A9)"
    >>> neutralize_value(-5), neutralize_value("-5"), neutralize_value("-x")
    (-5, '-5', "'-x")
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if _PLAIN_NUMBER.match(value.strip()):
            return value
        return "'" + value
    return value


def neutralize_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Neutralise formula injection in a table about to be written as CSV.

    Text cells (and text index labels) starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return get a leading ``'`` so spreadsheets show them as text instead of running
    them. Numeric columns are left numeric (a negative number stays a number).

    Parameters
    ----------
    frame : DataFrame
        The table.

    Returns
    -------
    DataFrame
        A copy with text cells and labels neutralised.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"ward": ["=1+1", "A"], "change": [-3, 4]})
    >>> neutralize_csv(t).to_csv(index=False).splitlines()
    ['ward,change', "'=1+1,-3", 'A,4']
    """
    out = frame.copy()
    for c in out.columns:
        s = out[c]
        if is_numeric_dtype(s.dtype) and not is_string_dtype(s.dtype):
            continue
        out[c] = s.astype(object).map(neutralize_value)
    out.columns = _neutral_index(out.columns)
    out.index = _neutral_index(out.index)
    return out


def _neutral_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(neutralize_value(v) for v in t) for t in index], names=index.names
        )
    if is_numeric_dtype(index.dtype) or isinstance(index, pd.DatetimeIndex):
        return index
    return pd.Index([neutralize_value(v) for v in index], name=index.name, dtype=object)
