"""Grouping a long tail of categories into one "Other" row (for bar charts)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..errors import ArgumentError

OTHER_PREFIX = "Other"


def top_with_other(table: pd.DataFrame, top: int | None, *, sort_by: str) -> pd.DataFrame:
    """The ``top`` largest rows by ``sort_by`` and the sum of the others as one row.

    The rows are KPI results per group; the "Other" row is their sum (counts and totals
    add up, so the bars still add up to the KPI's total). Rows of a ``"(missing)"`` group
    with nothing in them are dropped. Missing values (NaN) sort last.
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ArgumentError(f"top must be a positive whole number or None, got {top!r}.",
                            argument="top", value=top)
    t = table.sort_values(sort_by, ascending=False, kind="stable")
    if "(missing)" in t.index and t.loc["(missing)", sort_by] == 0:
        t = t.drop(index="(missing)")
    if top is None or len(t) <= top + 1:
        return t
    head, tail = t.iloc[:top], t.iloc[top:]
    other = tail.sum(numeric_only=True).to_frame(f"{OTHER_PREFIX} ({len(tail)})").T
    return pd.concat([head, other])


def is_other(index: Iterable[object]) -> list[bool]:
    """Which rows are the "Other (n)" row of :func:`top_with_other`."""
    return [isinstance(i, str) and i.startswith(f"{OTHER_PREFIX} (") and i.endswith(")")
            for i in index]
