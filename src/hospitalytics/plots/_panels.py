"""Two measures per category as small multiples: one panel per measure, one shared axis.

Used by :func:`~hospitalytics.plots.age_groups` and
:func:`~hospitalytics.plots.treatment_breakdown`: admissions (stays) and cost (money) are
different units, so each gets its own panel and scale, side by side and sharing the
category axis (as seaborn's facets would), instead of twin axes whose bars look
comparable when they are not. Each bar carries its value at its end; the panels never
overlap, so neither do the labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from .._format import fmt
from .._text import escape_mathtext
from ._base import COLORS, count_axis, money_formatter, style_axes

#: Gap between the two panels, as a fraction of the Axes' width.
PANEL_GAP = 0.07


@dataclass
class Measure:
    """One panel: values per category, how to write them, the axis label, the colours."""

    values: np.ndarray
    kind: str  # a kind of hospitalytics._format.fmt
    xlabel: str
    color: str
    other_color: str
    currency: str = ""


def panels(ax: Axes, n: int) -> list[Axes]:
    """``n`` panels (1 or 2) in ``ax``: ``ax`` itself, or two insets sharing the y axis.

    With two, ``ax`` becomes a frame without axes that keeps the title, and the panels
    are its ``child_axes`` (left: the first measure).
    """
    if n == 1:
        return [ax]
    ax.set_axis_off()
    width = (1 - PANEL_GAP) / 2
    left = ax.inset_axes([0, 0, width, 1])
    right = ax.inset_axes([width + PANEL_GAP, 0, width, 1], sharey=left)
    right.tick_params(axis="y", labelleft=False, length=0)
    return [left, right]


def paired_bars(ax: Axes, names: list[str], measures: list[Measure], *, other: list[bool],
                category: str, missing: str, kwargs: dict) -> list[Axes]:
    """Horizontal bars per category, one panel per measure; returns the panels."""
    n = len(names)
    y = np.arange(n)
    drawn = panels(ax, len(measures))
    for panel, m in zip(drawn, measures, strict=True):
        style_axes(panel, grid="x")
        values = np.asarray(m.values, dtype="float64")
        colors = [m.other_color if o else m.color for o in other]
        bars = panel.barh(y, np.nan_to_num(values), **({"color": colors, "height": 0.7}
                                                        | kwargs))
        labels = [fmt(v, m.kind, currency=m.currency, missing=missing) for v in values]
        if m.kind == "money_compact":
            labels = [escape_mathtext(t) for t in labels]
        panel.bar_label(bars, labels=labels, padding=3, fontsize=8, color=COLORS["text"])
        top = np.nanmax(values) if np.isfinite(values).any() else 0
        panel.set_xlim(0, max(top, 1) * 1.28)  # room for the value labels
        if m.kind == "count":
            count_axis(panel.xaxis)
        else:
            panel.xaxis.set_major_formatter(money_formatter(m.currency))
        panel.xaxis.get_major_locator().set_params(nbins=4)
        panel.set_xlabel(m.xlabel, color=m.color)
    first = drawn[0]
    first.set_yticks(y, names)
    first.set_ylim(n - 0.5, -0.5)  # first category on top
    first.set_ylabel(category)
    return drawn
