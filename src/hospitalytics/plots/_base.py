"""Shared pieces of the charts: the ``ax`` rule, docstring parts, formatters, colours.

The rule for ``ax`` (used by every chart in :mod:`hospitalytics.plots`)
-------------------------------------------------------------------------
``ax=None``
    A **new figure** with one Axes is created, sized for the chart (never the current
    axes: a chart does not draw over whatever was plotted last).
``ax=<Axes>``
    The chart is drawn into that Axes and nothing else of the figure is touched. The
    two-measure charts (:func:`~hospitalytics.plots.age_groups`,
    :func:`~hospitalytics.plots.treatment_breakdown`) split that Axes into two panels
    (its ``child_axes``: admissions, then cost) sharing the category axis, so bars in
    different units never share a scale.

Either way the chart returns the Axes it drew into (for the two-panel charts, the one
holding the title, whose ``child_axes`` are the panels).

Numbers are written by :func:`hospitalytics._format.fmt` and labels from the data pass
through :func:`hospitalytics._text.chart_label` (literal text, no control characters,
at most :data:`~hospitalytics._text.LABEL_MAX` characters).
"""

from __future__ import annotations

import re
import textwrap
import warnings
from collections.abc import Callable

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgb
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .._format import OCCUPANCY_OVER_NOTE, day_text, fmt, span_text
from .._frame import setup
from .._text import LABEL_MAX, escape_mathtext, shorten, visible
from .._warn import caller_stacklevel
from ..definitions import get_definitions
from ..errors import DataQualityWarning

__all__ = [
    "COLORS",
    "OCCUPANCY_CEILING",
    "OCCUPANCY_OVER_NOTE",
    "OCCUPANCY_TARGET",
    "day_text",
    "docstring",
    "label",
    "span_text",
]

# --------------------------------------------------------------------------- colours
#: Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008), by role.
COLORS = {
    "admissions": "#0072B2",  # blue
    "discharges": "#D55E00",  # vermillion
    "cost": "#009E73",  # bluish green
    "other": "#999999",  # grey for the "Other" group
    "text": "#222222",
    "muted": "#666666",
    "grid": "#DDDDDD",
}
#: Okabe-Ito in order, for categorical series (years in the overlay trend).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]

#: Reference occupancy levels: 85% (NAO / Royal Colleges), 92% (NHS planning ceiling).
OCCUPANCY_TARGET = 0.85
OCCUPANCY_CEILING = 0.92
#: Colour bands of occupancy (fractions); the last band is open (over 100%).
OCCUPANCY_BOUNDS = (0.0, 0.60, 0.75, OCCUPANCY_TARGET, OCCUPANCY_CEILING, 1.0, 1.2)


def occupancy_cmap() -> tuple[ListedColormap, BoundaryNorm]:
    """Stepped yellow-to-red colour scale (ordered by lightness: colour-blind safe)."""
    base = mpl.colormaps["YlOrRd"]
    n = len(OCCUPANCY_BOUNDS) - 1
    colors = [base(x) for x in np.linspace(0.08, 0.92, n)]
    cmap = ListedColormap(colors, name="hospitalytics_occupancy")
    cmap = cmap.with_extremes(over="#49006a", bad="#f0f0f0")
    norm = BoundaryNorm(OCCUPANCY_BOUNDS, cmap.N)  # over 120%: the "over" colour
    return cmap, norm


def occupancy_colorbar(mappable, ax: Axes, *, over: bool = False):
    """Colour bar of occupancy under the chart, with the 85% and 92% levels named on it.

    Horizontal and below the Axes, so that it never widens a layout column shared with
    other charts; the two reference levels are drawn as black lines on the bar. With
    ``over`` (some value above 100%), the label carries :data:`OCCUPANCY_OVER_NOTE`.
    """
    cbar = ax.figure.colorbar(mappable, ax=ax, location="bottom", spacing="uniform",
                              extend="max", fraction=0.06, pad=0.03, shrink=0.9,
                              aspect=40)
    labels = []
    for b in OCCUPANCY_BOUNDS:
        text = f"{b:.0%}"
        if b == OCCUPANCY_TARGET:
            text += "\ntarget"
        elif b == OCCUPANCY_CEILING:
            text += "\nceiling"
        labels.append(text)
    cbar.set_ticks(OCCUPANCY_BOUNDS, labels=labels)
    cbar.ax.tick_params(labelsize=8)
    for level in (OCCUPANCY_TARGET, OCCUPANCY_CEILING):
        cbar.ax.axvline(level, color="black", linewidth=1.5)
    text = "Bed occupancy: occupied ÷ available bed-days"
    if over:
        text += "\n" + wrap(OCCUPANCY_OVER_NOTE, 72)
    cbar.set_label(text, fontsize=9)
    cbar.outline.set_linewidth(0.5)
    return cbar


def text_color(rgb) -> str:
    """Black or white, whichever reads better on a background colour."""
    r, g, b = to_rgb(rgb)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


# ------------------------------------------------------------------------ formatters
def count_formatter() -> FuncFormatter:
    """Tick formatter with thousands separators."""
    return FuncFormatter(lambda x, _pos: fmt(x, "count"))


def count_axis(axis) -> None:
    """Whole-number ticks with thousands separators on a count axis (no ``0, 0, 1, 1``)."""
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(count_formatter())


def money_formatter(currency: str) -> FuncFormatter:
    """Tick formatter for money (compact, with the currency symbol)."""
    return FuncFormatter(lambda x, _pos: escape_mathtext(fmt(x, "money_compact",
                                                             currency=currency)))


def cost_unit(currency: str) -> str:
    """The unit shown in axis labels: the symbol, or "currency units" without one."""
    return escape_mathtext(visible(currency)) if currency else "currency units"


#: Category labels on an axis wrap onto lines of this many characters (two at most).
LABEL_WRAP = 24


def label(text: object, width: int | None = None, max_chars: int = LABEL_MAX, *,
          break_words: bool = True) -> str:
    """A category label from the data, ready to draw: see :func:`~hospitalytics._text.chart_label`.

    Shortened to ``max_chars`` with an ellipsis; with ``width``, wrapped onto lines of
    that many characters first (words longer than a line are cut unless
    ``break_words=False``). The escaping of ``$`` comes last, so it never counts.
    """
    s = shorten(visible(text), max_chars)
    if width is not None:
        lines = textwrap.wrap(s, width=width, break_long_words=break_words,
                              break_on_hyphens=True)
        s = "\n".join(lines) or s
    return escape_mathtext(s)


def wrap(text: str, width: int = 18) -> str:
    """Wrap fixed text (not from the data) onto lines of ``width`` characters."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=False,
                          break_on_hyphens=True)
    return "\n".join(lines) or str(text)


def check_definitions(definitions) -> None:
    """Validate ``definitions=`` for charts whose numbers do not depend on it."""
    get_definitions(definitions)


# ------------------------------------------------------------------------ the ax rule
def get_ax(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """Apply the ``ax`` rule: a new figure and Axes when ``ax`` is None."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def style_axes(ax: Axes, *, grid: str | None = "y") -> None:
    """Light, uncluttered axes: no top/right spines, a faint grid behind the data."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if grid:
        ax.grid(axis=grid, color=COLORS["grid"], linewidth=0.8)
        ax.set_axisbelow(True)


# ---------------------------------------------------------------------- empty data
def warn_empty(ax: Axes, chart: str, what: str, title: str) -> Axes:
    """Warn that there is nothing to draw, leave a note in the Axes and return it.

    The warning is a :class:`~hospitalytics.errors.DataQualityWarning` attributed to the
    caller's line (the first frame outside the package).
    """
    warnings.warn(
        f"{chart}: {what}; the chart is empty. Check start=, end= and as_of=, or the data.",
        DataQualityWarning,
        stacklevel=caller_stacklevel(),
    )
    ax.set_title(title, loc="left", fontweight="bold")
    ax.text(0.5, 0.5, f"No data\n({what})", transform=ax.transAxes, ha="center",
            va="center", color=COLORS["muted"])
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def resolve(data, *, start=None, end=None, mtd: bool = False, qtd: bool = False,
            ytd: bool = False, as_of=None, columns=None):
    """The period the KPIs read for these arguments (the KPIs' own resolution)."""
    return setup(data, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                 columns=columns, needed_by="plots").period




def settle_layout(ax: Axes) -> tuple[float, float]:
    """Run the figure's layout engine now and return the Axes' size in points.

    Charts that fit text to their own geometry (treemap tiles, heatmap cells) call this
    after adding their decorations, so the fit is computed on (nearly) the final size.
    """
    try:
        fig = ax.get_figure(root=True)
    except TypeError:  # matplotlib < 3.10
        fig = ax.figure
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    pos = ax.get_position()
    fw, fh = fig.get_size_inches()
    return max(pos.width * fw * 72, 1.0), max(pos.height * fh * 72, 1.0)


# --------------------------------------------------------------------- docstrings
_PARAMS = {
    "data": """\
data : DataFrame
    Stays, one row each: canonical column names, or names the library infers (or
    maps with ``columns=``).""",
    "period": """\
start, end : date-like, optional
    Inclusive calendar dates of the period (``None``: no bound), as for the KPIs.
mtd, qtd, ytd : bool, default False
    Month, quarter or year to date through the as-of date (at most one, and not with
    ``start``/``end``).
as_of : date-like, optional
    The extract date; defaults to the latest date in the data (never today).
definitions : str or Definitions, optional
    Conventions for LOS, ALOS and bed-days (``"who"`` by default, ``"hcup"``,
    ``"oecd"`` or a :class:`~hospitalytics.Definitions`), as for the KPIs.
columns : mapping, optional
    Explicit ``{role: column}`` mapping for frames with other column names.""",
    "missing": """\
missing : str, default "–"
    Label of a value the table does not give (NaN): a cell hidden by a privacy rule
    (the report passes ``"*"`` under the NHS HES rule).""",
    "beds": """\
beds : dict, Series or DataFrame
    Beds per ward, optionally with ``valid_from``/``valid_to`` ranges (see
    :mod:`hospitalytics.capacity`).""",
    "currency": """\
currency : str, default ""
    Symbol put before money amounts (``"£"``, ``"€"``, ``"$"``); without one, axis
    labels say "currency units".""",
    "top": """\
top : int or None, default 12
    Show the ``top`` largest groups and sum the rest into one ``"Other (n)"`` bar
    (``None`` shows every group).""",
    "ax": """\
ax : matplotlib.axes.Axes, optional
    Axes to draw into. ``None`` (default) creates a new figure and Axes; a chart
    never draws into the current axes implicitly.""",
    "ax_panels": """\
ax : matplotlib.axes.Axes, optional
    Axes to draw into. ``None`` (default) creates a new figure and Axes. With a cost
    measure the Axes is split into two panels sharing the category axis (its
    ``child_axes``: admissions, then cost), so the chart stays in its place in the
    figure and bars in different units never share a scale.""",
    "table_ax": """\
ax : matplotlib.axes.Axes, optional
    Axes to draw into. ``None`` (default) creates a new figure and Axes.""",
    "returns": """\
Axes
    The Axes drawn into.""",
    "raises": """\
SchemaError
    When a column role the chart needs is missing from ``data``.""",
    "empty": """\
An empty period (nothing to draw) warns with a
:class:`~hospitalytics.errors.DataQualityWarning` and returns the Axes with a
"No data" note.""",
}

_SLOT = re.compile(r"^(?P<indent>[ \t]*)\{(?P<name>\w+)\}[ \t]*$", re.MULTILINE)


def docstring(func: Callable) -> Callable:
    """Fill ``{data}``, ``{period}``, ``{ax}``... lines of a docstring with shared pieces.

    A piece replaces a line holding only its slot, indented like that line (so the
    result is right whether or not the interpreter dedents docstrings).
    """
    if func.__doc__:
        func.__doc__ = _SLOT.sub(
            lambda m: textwrap.indent(_PARAMS[m["name"]], m["indent"]), func.__doc__
        )
    return func
