"""When are we full: the census or occupancy by time of day and weekday, as a heatmap."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .. import clock
from .._format import fmt
from ._base import (
    COLORS,
    OCCUPANCY_OVER_NOTE,
    check_definitions,
    docstring,
    get_ax,
    occupancy_cmap,
    occupancy_colorbar,
    settle_layout,
    span_text,
    text_color,
    warn_empty,
    wrap,
)

__all__ = ["draw_occupancy_profile", "occupancy_profile", "occupancy_profile_table"]

_WEEKDAY_NAMES = {"Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
                  "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}


def occupancy_profile_table(data: pd.DataFrame, *, beds=None, freq="h", at=None,
                            closed: str = "left", start=None, end=None, mtd: bool = False,
                            qtd: bool = False, ytd: bool = False, as_of=None,
                            definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`occupancy_profile` draws: :func:`hospitalytics.occupancy_profile`."""
    check_definitions(definitions)
    return clock.occupancy_profile(data, beds, start=start, end=end, mtd=mtd, qtd=qtd,
                                   ytd=ytd, as_of=as_of, freq=freq, at=at, closed=closed,
                                   columns=columns)


@docstring
def occupancy_profile(
    data: pd.DataFrame,
    *,
    beds=None,
    freq="h",
    at=None,
    closed: str = "left",
    annot: bool | None = None,
    start=None,
    end=None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """When are we full: occupancy (or the mean census) by time of day and weekday.

    A heatmap of :func:`hospitalytics.occupancy_profile`: weekdays down (Monday on top),
    times of day across. Given ``beds``, the colour is the occupancy at that time on that
    weekday, on the stepped scale of :func:`occupancy_heatmap` with the 85% (target)
    and 92% (NHS planning ceiling) levels named; without beds, it is the mean number of
    patients in hospital. The busiest cell is outlined and named above the chart. Drawn
    by :func:`draw_occupancy_profile`.

    Parameters
    ----------
    {data}
    beds : dict, Series or DataFrame, optional
        Beds per ward, optionally with ``valid_from``/``valid_to`` ranges (see
        :mod:`hospitalytics.capacity`). Without beds the chart shows the mean census.
    freq : str, default "h"
        The census step: a frequency that divides a day (``"30min"``, ``"4h"`` ...).
    at : str, optional
        A clock time the grid passes through (``freq="8h", at="07:00"``).
    closed : {"left", "right", "both", "neither"}, default "left"
        The boundary rule at the census instants (see :func:`hospitalytics.census_at`).
    annot : bool, optional
        Write the value in each cell; by default when the cells are big enough to read.
    {period}
    {ax}
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.pcolormesh`.

    Returns
    -------
    {returns}

    Raises
    ------
    {raises}
    ArgumentError
        When the data holds dates only (a census at a clock time needs times).

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import occupancy_profile
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> ax = occupancy_profile(df, beds=beds, start="2025-01-06", end="2025-12-14")
    """
    table = occupancy_profile_table(data, beds=beds, freq=freq, at=at, closed=closed,
                                    start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd,
                                    as_of=as_of, definitions=definitions, columns=columns)
    return draw_occupancy_profile(table, annot=annot, ax=ax, **kwargs)


@docstring
def draw_occupancy_profile(
    table: pd.DataFrame,
    *,
    measure: str | None = None,
    annot: bool | None = None,
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`occupancy_profile` from a table already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.occupancy_profile`'s wide table (times of day down,
        weekdays across; one group of it with ``by=``).
    measure : {"occupancy", "census"}, optional
        What the values are; by default the table's ``attrs["measure"]`` (``"census"``
        when it has none).
    annot : bool, optional
        Write the value in each cell; by default when the cells are big enough to read.
    {missing}
    {table_ax}
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.pcolormesh`.

    Returns
    -------
    {returns}

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_occupancy_profile
    >>> df = hp.datasets.load_sample()
    >>> table = hp.occupancy_profile(df, by="location", start="2025-11-03", end="2025-11-30")
    >>> ax = draw_occupancy_profile(table.loc["North Campus"])
    """
    measure = measure or table.attrs.get("measure", "census")
    with_beds = measure == "occupancy"
    title = ("When are we full? Bed occupancy by time of day and weekday" if with_beds
             else "Patients in hospital by time of day and weekday")
    grid = table.T.apply(pd.to_numeric, errors="coerce").astype("float64")  # days x times
    n_w, n_t = grid.shape
    ax = get_ax(ax, (min(max(7.0, 0.36 * n_t + 2.5), 13.0), 4.6))
    values = np.ma.masked_invalid(grid.to_numpy())
    if grid.size == 0 or not (values.filled(0) > 0).any():
        return warn_empty(ax, "occupancy_profile", "no patients in hospital in the period",
                          title)
    if with_beds:
        cmap, norm = occupancy_cmap()
    else:  # the colours span the values seen; the bar under the chart gives the scale
        cmap = mpl.colormaps["YlGnBu"].with_extremes(bad="#f0f0f0")
        lo, hi = float(values.min()), float(values.max())
        norm = Normalize(vmin=lo if hi > lo else 0.0, vmax=hi)
    opts = {"cmap": cmap, "norm": norm, "edgecolors": "white", "linewidth": 0.5} | kwargs
    mesh = ax.pcolormesh(np.arange(n_t + 1), np.arange(n_w + 1), values, **opts)
    ax.set_ylim(n_w, 0)
    ax.set_yticks(np.arange(n_w) + 0.5, [str(d) for d in grid.index], fontsize=8)
    ax.set_xlabel("Time of day (the census taken at that time)")
    if with_beds:
        over = bool(values.filled(0).max() > 1)
        cbar = occupancy_colorbar(mesh, ax, over=over)
        text = "Bed occupancy: patients in hospital ÷ beds, at that time"
        cbar.set_label(text + ("\n" + wrap(OCCUPANCY_OVER_NOTE, 72) if over else ""),
                       fontsize=9)
    else:
        cbar = ax.figure.colorbar(mesh, ax=ax, location="bottom", fraction=0.06, pad=0.03,
                                  shrink=0.9, aspect=40)
        cbar.set_label("Patients in hospital (mean census)", fontsize=9)
        cbar.ax.tick_params(labelsize=8)
        cbar.outline.set_linewidth(0.5)
    w, t = np.unravel_index(int(np.argmax(values.filled(-np.inf))), values.shape)
    peak = float(values[w, t])
    shown = fmt(peak, "pct") if with_beds else f"{fmt(peak, 'count')} patients"
    day = _WEEKDAY_NAMES.get(str(grid.index[w]), str(grid.index[w]))
    ax.add_patch(Rectangle((t, w), 1, 1, fill=False, edgecolor="black", linewidth=1.8,
                           zorder=3))
    ax.set_title(title, loc="left", fontweight="bold", pad=20)
    note = f"Busiest: {day}s at {grid.columns[t]} ({shown})"
    if table.attrs.get("start") and table.attrs.get("end"):
        span = span_text(pd.Timestamp(table.attrs["start"]), pd.Timestamp(table.attrs["end"]))
        note += f" · {span}"
    ax.annotate(note, xy=(0, 1), xycoords="axes fraction", xytext=(0, 5),
                textcoords="offset points", ha="left", va="bottom", fontsize=9,
                color=COLORS["muted"])
    w_pt, h_pt = settle_layout(ax)
    cell_w, cell_h = w_pt / n_t, h_pt / n_w
    every = next((k for k in (1, 2, 3, 4, 6, 8, 12, 24, 48, 96) if k * cell_w >= 30),
                 max(n_t, 1))
    ticks = list(range(0, n_t, every))
    ax.set_xticks([j + 0.5 for j in ticks], [str(grid.columns[j]) for j in ticks],
                  fontsize=8)
    if annot is None:
        annot = cell_w >= 22 and cell_h >= 10
    if annot:
        rgba = cmap(norm(values.filled(np.nan)))
        for i, j in zip(*np.nonzero(~np.ma.getmaskarray(values)), strict=True):
            v = float(values[i, j])
            text = (fmt(v, "pct_whole", missing=missing) if with_beds
                    else fmt(round(v), "count", missing=missing))
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=6.5,
                    color=text_color(rgba[i, j]))
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return ax
