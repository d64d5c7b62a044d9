"""The headline KPI cards: month to date against the previous month's same days."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from .. import kpis
from ..errors import ArgumentError
from ._base import (
    COLORS,
    docstring,
    fmt_count,
    fmt_money,
    fmt_pct,
    get_ax,
    settle_layout,
    warn_empty,
    wrap,
)

__all__ = ["DEFAULT_CARDS", "kpi_cards"]

#: The cards drawn by default, in order (those the data cannot support are skipped;
#: without beds, the average daily census stands in for occupancy).
DEFAULT_CARDS = ("admissions", "discharges", "treatment_cost", "alos", "occupancy",
                 "in_patients")


def _value(x: float, unit: str, currency: str) -> str:
    if x is None or np.isnan(x):
        return "–"
    if unit == "currency":
        return fmt_money(x, currency)
    if unit == "fraction":
        return fmt_pct(x, 1)
    if unit == "days":
        return f"{x:.1f} days"
    if unit in ("patients", "stays", "bed-days") and float(x).is_integer():
        return fmt_count(x)
    if unit == "patients":
        return f"{x:,.1f}"
    return f"{x:,.2f}" if abs(x) < 100 else fmt_count(x)


def _change(row: pd.Series, currency: str) -> str:
    ch, pct, unit = row["change"], row["change_pct"], row["unit"]
    if ch is None or np.isnan(ch):
        return "no comparison"
    arrow = "▲" if ch > 0 else "▼" if ch < 0 else "="
    if unit == "fraction":
        return f"{arrow} {abs(ch) * 100:.1f} pp"
    if unit == "currency":
        amount = fmt_money(abs(ch), currency)
    elif unit == "days":
        amount = f"{abs(ch):.1f} d"
    else:
        amount = _value(abs(ch), unit, currency)
    rel = "" if pct is None or np.isnan(pct) else f" ({pct:+.1%})"
    return f"{arrow} {amount}{rel}"


def _dates(described: str) -> str:
    """``"2025-12-01 to 2025-12-15 (as of ...)"`` -> ``"1–15 Dec 2025"``."""
    try:
        a, b = described.split(" (as of")[0].split(" to ")
        s, e = pd.Timestamp(a), pd.Timestamp(b)
    except (ValueError, TypeError):
        return described
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.day}–{e.day} {e:%b %Y}"
    return f"{s:%d %b %Y} – {e:%d %b %Y}"


@docstring
def kpi_cards(
    data: pd.DataFrame,
    *,
    beds=None,
    cards=None,
    currency: str = "",
    as_of=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """The headline KPIs month to date, each with its change against last month.

    One card per KPI from :func:`hospitalytics.summary`: the month-to-date value (large)
    and the change against the previous month's **same days** (day 1 to N against day 1
    to N), as an arrow, the absolute change and the relative change (percentage points
    for rates). Arrows are not coloured good or bad: whether up is good depends on the
    KPI.

    Parameters
    ----------
    {data}
    beds : dict, Series or DataFrame, optional
        Beds per ward; adds the occupancy card.
    cards : sequence of str, optional
        KPI names of :func:`hospitalytics.summary` to show, in order (default
        :data:`DEFAULT_CARDS`, keeping those the data supports).
    {currency}
    as_of : date-like, optional
        The extract date; defaults to the latest date in the data (never today).
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.
    {ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.text` calls of the headline values.

    Returns
    -------
    {returns}

    Raises
    ------
    {raises}

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import kpi_cards
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> ax = kpi_cards(df, beds=beds, currency="£")
    """
    table = kpis.summary(data, beds, as_of=as_of, columns=columns)
    if cards is None:
        names = [k for k in DEFAULT_CARDS if k in table.index]
        if "occupancy" not in table.index and "average_daily_census" in table.index:
            names.insert(min(4, len(names)), "average_daily_census")
    else:
        unknown = [k for k in cards if k not in table.index]
        if unknown:
            raise ArgumentError(
                f"cards {unknown} are not available for this data; choose from "
                f"{list(table.index)}."
            )
        names = list(cards)
    mtd, prev = _dates(table.attrs.get("mtd", "")), _dates(table.attrs.get("previous_mtd", ""))
    title = f"Month to date: {mtd}   ·   change vs {prev}"
    ax = get_ax(ax, (max(8.0, 2.3 * len(names)), 2.3))
    if table.loc["admissions", "period"] == 0:
        return warn_empty(ax, "kpi_cards", "no admissions in the data", "Key figures")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    n = len(names)
    gap, margin = 0.012, 0.004
    width = (1 - 2 * margin - gap * (n - 1)) / n
    ax.set_title(title, loc="left", fontsize=10, color=COLORS["muted"])
    w_pt, _h = settle_layout(ax)  # wrap the labels to the laid-out card width
    chars = max(int((width * w_pt - 10) / (0.56 * 9.5)), 8)
    for i, key in enumerate(names):
        row = table.loc[key]
        x0 = margin + i * (width + gap)
        ax.add_patch(FancyBboxPatch((x0, 0.02), width, 0.96,
                                    boxstyle="round,pad=0,rounding_size=0.03",
                                    transform=ax.transAxes, facecolor="#F5F7FA",
                                    edgecolor="#D0D7DE", linewidth=1, mutation_aspect=0.3))
        cx = x0 + width / 2
        ax.text(cx, 0.84, wrap(str(row["label"]), chars), ha="center", va="center",
                fontsize=9.5, color=COLORS["muted"], transform=ax.transAxes, linespacing=1.1)
        opts = {"fontsize": 19, "fontweight": "bold", "color": COLORS["text"]} | kwargs
        ax.text(cx, 0.52, _value(row["mtd"], row["unit"], currency), ha="center",
                va="center", transform=ax.transAxes, **opts)
        ax.text(cx, 0.2, _change(row, currency), ha="center", va="center", fontsize=9.5,
                color=COLORS["text"], transform=ax.transAxes)
    return ax
