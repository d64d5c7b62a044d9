"""Chart 5: bed occupancy by ward, as a treemap and as a ward x month heatmap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import squarify
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable

from .. import kpis
from .._format import fmt
from ._base import (
    COLORS,
    LABEL_WRAP,
    docstring,
    get_ax,
    label,
    occupancy_cmap,
    occupancy_colorbar,
    settle_layout,
    text_color,
    warn_empty,
)

__all__ = ["draw_occupancy_heatmap", "draw_occupancy_treemap", "occupancy_heatmap",
           "occupancy_heatmap_table", "occupancy_treemap", "occupancy_treemap_table"]

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def occupancy_treemap_table(data: pd.DataFrame, *, beds, start=None, end=None,
                            mtd: bool = False, qtd: bool = False, ytd: bool = False,
                            as_of=None, definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`occupancy_treemap` draws: :func:`hospitalytics.occupancy_by_ward`."""
    return kpis.occupancy_by_ward(data, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd,
                                  as_of=as_of, definitions=definitions, columns=columns)


@docstring
def occupancy_treemap(
    data: pd.DataFrame,
    *,
    beds,
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
    """Bed occupancy per ward as a treemap: tile area = beds, colour = occupancy.

    Each ward is a tile whose **area is proportional to its available bed-days** in the
    period (its beds, weighted by the days they were open) and whose colour is its
    occupancy (:func:`hospitalytics.occupancy_by_ward`). The colour scale is stepped and
    names the 85% (target) and 92% (NHS planning ceiling) levels; wards over 100% get
    the darkest colour, and a footnote under the scale says what such values mean. The
    title gives the pooled occupancy of all wards (Σ occupied ÷ Σ available bed-days,
    as :func:`hospitalytics.occupancy`). Tiles too small for a label are left
    unlabelled. Drawn by :func:`draw_occupancy_treemap`.

    Parameters
    ----------
    {data}
    {beds}
    {period}
    {ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.bar` call that draws the tiles.

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
    >>> from hospitalytics.plots import occupancy_treemap
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> ax = occupancy_treemap(df, beds=beds, start="2025-01-01", end="2025-03-31")
    """
    table = occupancy_treemap_table(data, beds=beds, start=start, end=end, mtd=mtd, qtd=qtd,
                                    ytd=ytd, as_of=as_of, definitions=definitions,
                                    columns=columns)
    return draw_occupancy_treemap(table, ax=ax, **kwargs)


@docstring
def draw_occupancy_treemap(
    table: pd.DataFrame,
    *,
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`occupancy_treemap` from a table already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.occupancy_by_ward`'s result: indexed by ward, with
        ``occupied_bed_days``, ``available_bed_days`` and ``occupancy``.
    {missing}
    {table_ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.bar` call that draws the tiles.

    Returns
    -------
    {returns}

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_occupancy_treemap
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> ax = draw_occupancy_treemap(hp.occupancy_by_ward(df, beds, mtd=True))
    """
    title = "Bed occupancy by ward"
    ax = get_ax(ax, (10, 6))
    numbers = table[["occupied_bed_days", "available_bed_days", "occupancy"]].apply(
        pd.to_numeric, errors="coerce").astype("float64")
    occupied = numbers["occupied_bed_days"].sum()
    available = numbers["available_bed_days"].sum()
    numbers = numbers[numbers["available_bed_days"] > 0].sort_values(
        "available_bed_days", ascending=False, kind="stable")
    if numbers.empty or occupied == 0:
        return warn_empty(ax, "occupancy_treemap", "no occupied bed-days in the period",
                          title)
    pooled = occupied / available if available else np.nan
    occ = numbers["occupancy"].to_numpy()
    cmap, norm = occupancy_cmap()
    over = bool(np.nanmax(occ, initial=0) > 1 or pooled > 1)
    occupancy_colorbar(ScalarMappable(norm=norm, cmap=cmap), ax, over=over)
    ax.set_title(f"{title} (all wards: {fmt(pooled, 'pct', missing=missing)})", loc="left",
                 fontweight="bold")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("Tile area: available bed-days (beds × days open) · colour: occupancy",
                  fontsize=8, color=COLORS["muted"])
    # lay the tiles out in a box with the Axes' final proportions, so squares look square
    w_pt, h_pt = settle_layout(ax)
    height = 100.0
    width = height * w_pt / h_pt
    sizes = squarify.normalize_sizes(numbers["available_bed_days"].to_numpy(), width,
                                     height)
    rects = squarify.squarify(sizes, 0.0, 0.0, width, height)
    colors = cmap(norm(np.ma.masked_invalid(occ)))
    opts = {"color": colors, "edgecolor": "white", "linewidth": 2, "align": "edge"} | kwargs
    bars = ax.bar([r["x"] for r in rects], [r["dy"] for r in rects],
                  width=[r["dx"] for r in rects], bottom=[r["y"] for r in rects], **opts)
    pts_per_unit = w_pt / width  # points per data unit (x and y alike)
    for r, ward, rate, color, patch in zip(rects, numbers.index, occ, colors, bars,
                                           strict=True):
        _tile_label(ax, r, str(ward), fmt(rate, "pct_whole", missing=missing), color,
                    pts_per_unit, patch)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    return ax


def _tile_label(ax, r, ward, pct, color, pts_per_unit, patch, fontsize=9):
    """Ward name and occupancy inside a tile, wrapped and shrunk to fit, or nothing.

    A tall narrow tile gets its label turned upright when it fits only that way; a tile
    too small for its name shows the percentage alone.
    """
    w_pt, h_pt = r["dx"] * pts_per_unit, r["dy"] * pts_per_unit
    fit = _fit_label(ward, pct, w_pt, h_pt, fontsize)
    rotation = 0
    if (fit is None or "\n" not in fit[0]) and h_pt > w_pt:
        upright = _fit_label(ward, pct, h_pt, w_pt, fontsize)
        if upright is not None and "\n" in upright[0]:
            fit, rotation = upright, 90
    if fit is None:
        return
    text, size = fit
    drawn = ax.text(r["x"] + r["dx"] / 2, r["y"] + r["dy"] / 2, text, ha="center",
                    va="center", fontsize=size, color=text_color(color), linespacing=1.15,
                    rotation=rotation, rotation_mode="anchor")
    drawn.set_clip_path(patch)  # never spills onto a neighbouring tile


def _fit_label(ward, pct, w_pt, h_pt, fontsize):
    """``(text, size)`` of the fullest label that fits a ``w_pt`` x ``h_pt`` box.

    The ward name is made safe (:func:`~hospitalytics.plots._base.label`): shortened
    with an ellipsis, wrapped, and escaped so that it is drawn literally.
    """
    for size in (fontsize, fontsize - 1.5, fontsize - 3):
        chars = int((w_pt - 6) / (0.6 * size))
        if chars < 3:
            continue
        name = label(ward, width=max(chars, 3), break_words=False)
        lines = name.replace("\\$", "$").split("\n")
        if max(len(x) for x in lines) <= chars and (len(lines) + 1) * size * 1.25 <= h_pt - 4:
            return f"{name}\n{pct}", size
    for size in (fontsize, fontsize - 1.5, fontsize - 3):
        if len(pct) * 0.6 * size <= w_pt - 4 and size * 1.3 <= h_pt - 4:
            return pct, size
    return None


def occupancy_heatmap_table(data: pd.DataFrame, *, beds, start=None, end=None,
                            mtd: bool = False, qtd: bool = False, ytd: bool = False,
                            as_of=None, definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`occupancy_heatmap` draws: :func:`hospitalytics.monthly_occupancy_by_ward`."""  # noqa: E501
    return kpis.monthly_occupancy_by_ward(data, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd,
                                          as_of=as_of, definitions=definitions,
                                          columns=columns)


@docstring
def occupancy_heatmap(
    data: pd.DataFrame,
    *,
    beds,
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
    """Bed occupancy per ward and month, as a heatmap.

    Rows are wards, columns calendar months; the colour of a cell is the ward's
    occupancy in that month (:func:`hospitalytics.monthly_occupancy_by_ward`), on the
    same stepped scale as :func:`occupancy_treemap` with the 85% and 92% levels named
    (and the same footnote when a cell is over 100%). Grey cells had no bed available.
    Drawn by :func:`draw_occupancy_heatmap`.

    Parameters
    ----------
    {data}
    {beds}
    annot : bool, optional
        Write the percentage in each cell; by default only when the cells are big
        enough to read.
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

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import occupancy_heatmap
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> ax = occupancy_heatmap(df, beds=beds, start="2025-01-01")
    """
    tidy = occupancy_heatmap_table(data, beds=beds, start=start, end=end, mtd=mtd, qtd=qtd,
                                   ytd=ytd, as_of=as_of, definitions=definitions,
                                   columns=columns)
    return draw_occupancy_heatmap(tidy, annot=annot, ax=ax, **kwargs)


def _grid(table: pd.DataFrame) -> pd.DataFrame:
    """Ward x month occupancy from the tidy KPI result, or a grid as it is."""
    if {"ward", "month", "occupancy"} <= set(table.columns):
        wards = pd.unique(table["ward"])
        grid = table.pivot(index="ward", columns="month", values="occupancy").reindex(wards)
    else:
        grid = table
    grid = grid.apply(pd.to_numeric, errors="coerce").astype("float64")
    grid.columns = pd.DatetimeIndex(pd.to_datetime([str(c) for c in grid.columns]))
    return grid


@docstring
def draw_occupancy_heatmap(
    table: pd.DataFrame,
    *,
    annot: bool | None = None,
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`occupancy_heatmap` from a table already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.monthly_occupancy_by_ward`'s tidy result (``ward``,
        ``month``, ``occupancy`` ...), or the ward x month grid of occupancy (index:
        wards; columns: months, as dates or ``"YYYY-MM"``), as the report's table.
    annot : bool, optional
        Write the percentage in each cell; by default only when the cells are big
        enough to read.
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
    >>> from hospitalytics.plots import draw_occupancy_heatmap
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> tidy = hp.monthly_occupancy_by_ward(df, beds, start="2025-07-01")
    >>> ax = draw_occupancy_heatmap(tidy)
    """
    title = "Bed occupancy by ward and month"
    grid = _grid(table)
    n_w, n_m = grid.shape
    ax = get_ax(ax, (max(6.0, 0.45 * n_m + 4), max(4.2, 0.32 * n_w + 2.2)))
    values = np.ma.masked_invalid(grid.to_numpy())
    if grid.size == 0 or not (values.filled(0) > 0).any():
        return warn_empty(ax, "occupancy_heatmap", "no occupied bed-days in the period",
                          title)
    cmap, norm = occupancy_cmap()
    opts = {"cmap": cmap, "norm": norm, "edgecolors": "white", "linewidth": 0.5} | kwargs
    mesh = ax.pcolormesh(np.arange(n_m + 1), np.arange(n_w + 1), values, **opts)
    ax.set_ylim(n_w, 0)
    ax.set_yticks(np.arange(n_w) + 0.5, [label(w, LABEL_WRAP) for w in grid.index],
                  fontsize=8)
    ax.set_xlabel("Month")
    ax.set_ylabel("Ward")
    occupancy_colorbar(mesh, ax, over=bool(values.filled(0).max() > 1))
    ax.set_title(title, loc="left", fontweight="bold")
    months = pd.DatetimeIndex(grid.columns)
    ticks, labels = month_ticks(months, 2)
    ax.set_xticks([j + 0.5 for j in ticks], labels, fontsize=8)
    w_pt, h_pt = settle_layout(ax)
    cell_w, cell_h = w_pt / n_m, h_pt / n_w
    ticks, labels = month_ticks(months, cell_w)
    ax.set_xticks([j + 0.5 for j in ticks], labels, fontsize=8)
    if annot is None:
        annot = cell_w >= 24 and cell_h >= 10
    if annot:
        rgba = cmap(norm(values.filled(np.nan)))
        for i, j in zip(*np.nonzero(~np.ma.getmaskarray(values)), strict=True):
            ax.text(j + 0.5, i + 0.5, fmt(values[i, j], "pct_whole", missing=missing),
                    ha="center", va="center", fontsize=7, color=text_color(rgba[i, j]))
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return ax


def month_ticks(months: pd.DatetimeIndex, cell_pt: float) -> tuple[list[int], list[str]]:
    """Positions and labels of month ticks that do not collide.

    Every month when a cell is wide enough for a label (``cell_pt`` points), else every
    2nd, 3rd, 4th, 6th or 12th month (on Jan, ...); the year is written under the first
    tick and under each change of year.
    """
    need = 22.0  # points for "Sep" at 8 pt and a gap
    step = next((k for k in (1, 2, 3, 4, 6) if k * cell_pt >= need), 12)
    ticks = [j for j, t in enumerate(months) if (t.month - 1) % step == 0]
    if not ticks or ticks[0] >= 2:
        ticks.insert(0, 0)
    labels, last_year = [], None
    for j in ticks:
        t = months[j]
        name = _MONTHS[t.month - 1]
        labels.append(name if t.year == last_year else f"{name}\n{t.year}")
        last_year = t.year
    return ticks, labels
