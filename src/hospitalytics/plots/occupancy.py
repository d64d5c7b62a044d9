"""Chart 5: bed occupancy by ward, as a treemap and as a ward x month heatmap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import squarify
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable

from .. import kpis
from ._base import (
    COLORS,
    docstring,
    fmt_pct,
    get_ax,
    occupancy_cmap,
    occupancy_colorbar,
    settle_layout,
    text_color,
    warn_empty,
    wrap,
)

__all__ = ["occupancy_heatmap", "occupancy_treemap"]

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@docstring
def occupancy_treemap(
    data: pd.DataFrame,
    *,
    beds,
    start=None,
    end=None,
    mtd: bool = False,
    as_of=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Bed occupancy per ward as a treemap: tile area = beds, colour = occupancy.

    Each ward is a tile whose **area is proportional to its available bed-days** in the
    period (its beds, weighted by the days they were open) and whose colour is its
    occupancy (:func:`hospitalytics.occupancy_by_ward`). The colour scale is stepped and
    names the 85% (target) and 92% (NHS planning ceiling) levels; wards over 100% get
    the darkest colour. The title gives the pooled occupancy of all wards
    (:func:`hospitalytics.occupancy`). Tiles too small for a label are left unlabelled.

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
    table = kpis.occupancy_by_ward(data, beds, start, end, mtd=mtd, as_of=as_of,
                                   columns=columns)
    title = "Bed occupancy by ward"
    ax = get_ax(ax, (10, 6))
    table = table[table["available_bed_days"] > 0].sort_values(
        "available_bed_days", ascending=False, kind="stable")
    if table.empty or table["occupied_bed_days"].sum() == 0:
        return warn_empty(ax, "occupancy_treemap", "no occupied bed-days in the period",
                          title)
    pooled = kpis.occupancy(data, beds, start, end, mtd=mtd, as_of=as_of, columns=columns)
    cmap, norm = occupancy_cmap()
    occupancy_colorbar(ScalarMappable(norm=norm, cmap=cmap), ax)
    ax.set_title(f"{title} (all wards: {fmt_pct(pooled)})", loc="left", fontweight="bold")
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
    sizes = squarify.normalize_sizes(table["available_bed_days"].to_numpy(dtype=float),
                                     width, height)
    rects = squarify.squarify(sizes, 0.0, 0.0, width, height)
    occ = table["occupancy"].to_numpy(dtype=float)
    colors = cmap(norm(occ))
    opts = {"color": colors, "edgecolor": "white", "linewidth": 2, "align": "edge"} | kwargs
    bars = ax.bar([r["x"] for r in rects], [r["dy"] for r in rects],
                  width=[r["dx"] for r in rects], bottom=[r["y"] for r in rects], **opts)
    pts_per_unit = w_pt / width  # points per data unit (x and y alike)
    for r, ward, rate, color, patch in zip(rects, table.index, occ, colors, bars,
                                           strict=True):
        _tile_label(ax, r, str(ward), rate, color, pts_per_unit, patch)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    return ax


def _tile_label(ax, r, ward, rate, color, pts_per_unit, patch, fontsize=9):
    """Ward name and occupancy inside a tile, wrapped and shrunk to fit, or nothing.

    A tall narrow tile gets its label turned upright when it fits only that way; a tile
    too small for its name shows the percentage alone.
    """
    w_pt, h_pt = r["dx"] * pts_per_unit, r["dy"] * pts_per_unit
    fit = _fit_label(ward, rate, w_pt, h_pt, fontsize)
    rotation = 0
    if (fit is None or "\n" not in fit[0]) and h_pt > w_pt:
        upright = _fit_label(ward, rate, h_pt, w_pt, fontsize)
        if upright is not None and "\n" in upright[0]:
            fit, rotation = upright, 90
    if fit is None:
        return
    text, size = fit
    label = ax.text(r["x"] + r["dx"] / 2, r["y"] + r["dy"] / 2, text, ha="center",
                    va="center", fontsize=size, color=text_color(color), linespacing=1.15,
                    rotation=rotation, rotation_mode="anchor")
    label.set_clip_path(patch)  # never spills onto a neighbouring tile


def _fit_label(ward, rate, w_pt, h_pt, fontsize):
    """``(text, size)`` of the fullest label that fits a ``w_pt`` x ``h_pt`` box."""
    pct = fmt_pct(rate)
    for size in (fontsize, fontsize - 1.5, fontsize - 3):
        chars = int((w_pt - 6) / (0.6 * size))
        if chars < 3:
            continue
        name = wrap(ward, width=max(chars, 3))
        lines = name.split("\n")
        if max(len(x) for x in lines) <= chars and (len(lines) + 1) * size * 1.25 <= h_pt - 4:
            return f"{name}\n{pct}", size
    for size in (fontsize, fontsize - 1.5, fontsize - 3):
        if len(pct) * 0.6 * size <= w_pt - 4 and size * 1.3 <= h_pt - 4:
            return pct, size
    return None


@docstring
def occupancy_heatmap(
    data: pd.DataFrame,
    *,
    beds,
    annot: bool | None = None,
    start=None,
    end=None,
    mtd: bool = False,
    as_of=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Bed occupancy per ward and month, as a heatmap.

    Rows are wards, columns calendar months; the colour of a cell is the ward's
    occupancy in that month (:func:`hospitalytics.monthly_occupancy_by_ward`), on the
    same stepped scale as :func:`occupancy_treemap` with the 85% and 92% levels named.
    Grey cells had no bed available.

    Parameters
    ----------
    {data}
    {beds}
    annot : bool, optional
        Write the percentage in each cell; by default only when the grid is small
        enough to read (at most 15 months and 25 wards).
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
    tidy = kpis.monthly_occupancy_by_ward(data, beds, start, end, mtd=mtd, as_of=as_of,
                                          columns=columns)
    title = "Bed occupancy by ward and month"
    wards = pd.unique(tidy["ward"])
    grid = tidy.pivot(index="ward", columns="month", values="occupancy").reindex(wards)
    n_w, n_m = grid.shape
    ax = get_ax(ax, (max(6.0, 0.45 * n_m + 4), max(3.0, 0.32 * n_w + 1.5)))
    if tidy.empty or tidy["occupied_bed_days"].sum() == 0:
        return warn_empty(ax, "occupancy_heatmap", "no occupied bed-days in the period",
                          title)
    cmap, norm = occupancy_cmap()
    values = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    opts = {"cmap": cmap, "norm": norm, "edgecolors": "white", "linewidth": 0.5} | kwargs
    mesh = ax.pcolormesh(np.arange(n_m + 1), np.arange(n_w + 1), values, **opts)
    ax.set_ylim(n_w, 0)
    ax.set_yticks(np.arange(n_w) + 0.5, [str(w) for w in grid.index], fontsize=8)
    ax.set_xlabel("Month")
    ax.set_ylabel("Ward")
    occupancy_colorbar(mesh, ax)
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
        for i in range(n_w):
            for j in range(n_m):
                v = values[i, j]
                if v is np.ma.masked:
                    continue
                ax.text(j + 0.5, i + 0.5, f"{v:.0%}", ha="center", va="center", fontsize=7,
                        color=text_color(rgba[i, j]))
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
