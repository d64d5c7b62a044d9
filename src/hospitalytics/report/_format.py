"""Number formatting shared by the HTML report and the terminal summary."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["UNIT_KIND", "fmt", "fmt_change"]

#: How each unit of :func:`hospitalytics.summary` is shown.
UNIT_KIND = {
    "stays": "count",
    "patients": "count",
    "bed-days": "count",
    "currency": "money",
    "days": "days",
    "fraction": "pct",
    "discharges per bed": "float",
}


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(np.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return False


def fmt(value: object, kind: str) -> str:
    """Format one number for display; text is returned as it is, missing as ``–``.

    Kinds: ``count`` 1,234; ``money`` 1,234.56; ``days`` 4.21; ``pct`` 85.3%;
    ``float`` 1.23; ``month`` 2025-01; ``money_compact`` 36.66M.
    """
    if isinstance(value, str):
        return value
    if _missing(value):
        return "–"
    if kind == "month":
        return str(value)[:7]
    v = float(value)  # type: ignore[arg-type]
    if kind == "count":
        return f"{v:,.0f}" if v == math.floor(v) else f"{v:,.1f}"
    if kind == "money":
        return f"{v:,.2f}"
    if kind == "money_compact":
        for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(v) >= div:
                return f"{v / div:,.2f}{suffix}"
        return f"{v:,.0f}"
    if kind == "days":
        return f"{v:,.2f}"
    if kind == "pct":
        return f"{v * 100:.1f}%"
    return f"{v:,.2f}"


def fmt_change(value: object, kind: str) -> str:
    """Format a change with its sign (percentage points for fractions)."""
    if isinstance(value, str):
        return value
    if _missing(value):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    sign = "+" if v > 0 else ("−" if v < 0 else "±")
    if kind == "pct":
        return f"{sign}{abs(v) * 100:.1f} pp"
    return sign + fmt(abs(v), kind)
