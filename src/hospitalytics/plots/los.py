"""Chart 3: the length-of-stay distribution as a donut over the LOS bands."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import kpis
from .._format import fmt
from ._base import (
    check_definitions,
    docstring,
    get_ax,
    label,
    text_color,
    warn_empty,
)

__all__ = ["draw_los_donut", "los_donut", "los_donut_table"]


def _band_name(band: str) -> str:
    if band == "0":
        return "0 nights (same day)"
    if band == "1":
        return "1 night"
    return f"{band.replace('-', '–')} nights"


def los_donut_table(data: pd.DataFrame, *, bands=None, start=None, end=None,
                    mtd: bool = False, qtd: bool = False, ytd: bool = False, as_of=None,
                    definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`los_donut` draws: :func:`hospitalytics.los_distribution`."""
    check_definitions(definitions)
    return kpis.los_distribution(data, start, end, bands=bands, mtd=mtd, qtd=qtd, ytd=ytd,
                                 as_of=as_of, columns=columns)


@docstring
def los_donut(
    data: pd.DataFrame,
    *,
    bands=None,
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
    """Share of discharged stays per length-of-stay band, as a donut.

    The wedges are :func:`hospitalytics.los_distribution`'s ``stays`` per band (LOS in
    nights, default bands 0, 1, 2, 3, 4-7, 8-14, 15-21, 22+), going clockwise from the
    top; wedges of 4% or more carry their share, and the legend lists every band with
    its share and count. The centre shows the number of discharged stays. Drawn by
    :func:`draw_los_donut`.

    Parameters
    ----------
    {data}
    bands : sequence of int, optional
        Lower edges of the bands in nights (see :func:`hospitalytics.los_distribution`).
    {period}
    {ax}
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.pie`.

    Returns
    -------
    {returns}

    Raises
    ------
    {raises}

    Notes
    -----
    {empty}
    The bands count nights whatever the ``definitions``: it is accepted (and checked) so
    that every chart takes the same options.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import los_donut
    >>> ax = los_donut(hp.datasets.load_sample(), start="2025-01-01")
    """
    dist = los_donut_table(data, bands=bands, start=start, end=end, mtd=mtd, qtd=qtd,
                           ytd=ytd, as_of=as_of, definitions=definitions, columns=columns)
    return draw_los_donut(dist, ax=ax, **kwargs)


@docstring
def draw_los_donut(
    table: pd.DataFrame,
    *,
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`los_donut` from a length-of-stay distribution already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.los_distribution`'s result: indexed by band, with ``stays``
        and optionally ``share`` (computed from ``stays`` when absent).
    {missing}
    {table_ax}
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.pie`.

    Returns
    -------
    {returns}

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_los_donut
    >>> d = hp.los_distribution(hp.datasets.load_sample(), bands=[0, 1, 4, 8])
    >>> ax = draw_los_donut(d)
    """
    title = "Length of stay of discharged patients (nights)"
    ax = get_ax(ax, (8, 4.8))
    stays = pd.to_numeric(table["stays"], errors="coerce").to_numpy(dtype="float64")
    total = np.nansum(stays)
    if total == 0:
        return warn_empty(ax, "los_donut", "no discharges in the period", title)
    if "share" in table.columns:
        shares = pd.to_numeric(table["share"], errors="coerce").to_numpy(dtype="float64")
    else:
        shares = stays / total
    n = len(table)
    colors = [mpl.colormaps["viridis_r"](x) for x in np.linspace(0.05, 0.95, n)]
    # Bands not published (a table under small-number protection): the total is the one
    # the shares were computed over, and a grey wedge holds the hidden stays, so that the
    # centre, the wedges and the legend's shares agree.
    hidden = 0.0
    known = np.isfinite(stays) & np.isfinite(shares) & (shares > 0)
    if np.isnan(stays).any() and known.any():
        over = float(np.median(stays[known] / shares[known]))
        if over > total + 0.5:
            hidden, total = over - total, over
    opts = {"colors": colors + (["#d9d9d9"] if hidden else []), "startangle": 90,
            "counterclock": False,
            "wedgeprops": {"width": 0.42, "edgecolor": "white", "linewidth": 1.5}} | kwargs
    sizes = np.nan_to_num(stays)
    wedges, *_ = ax.pie(np.r_[sizes, [hidden]] if hidden else sizes, **opts)
    grey = list(wedges[n:])
    wedges = wedges[:n]
    for wedge, color in zip(wedges, colors, strict=True):
        share = (wedge.theta2 - wedge.theta1) / 360
        if share >= 0.04:
            angle = np.deg2rad((wedge.theta1 + wedge.theta2) / 2)
            r = 1 - 0.42 / 2
            ax.text(r * np.cos(angle), r * np.sin(angle), fmt(share, "pct_whole"),
                    ha="center", va="center", fontsize=9, color=text_color(color),
                    fontweight="bold")
    ax.text(0, 0.08, fmt(total, "count"), ha="center", va="center", fontsize=16,
            fontweight="bold")
    ax.text(0, -0.14, "discharged\nstays", ha="center", va="center", fontsize=9,
            color="#555555")
    labels = [f"{label(_band_name(str(b)))}: {fmt(c, 'count', missing=missing)}"
              if np.isnan(c) else  # a hidden band: its count's marker, no share
              f"{label(_band_name(str(b)))}: {fmt(s, 'pct', missing=missing)} "
              f"({fmt(c, 'count', missing=missing)})"
              for b, s, c in zip(table.index, shares, stays, strict=True)]
    if grey:
        labels.append(f"hidden bands: {fmt(hidden / total, 'pct')} ({fmt(hidden, 'count')})")
    # the legend lives inside the Axes, right of the donut: no outside decoration that
    # would widen a layout column shared with other charts
    ax.legend(list(wedges) + grey, labels, title="Length of stay", loc="center right",
              frameon=False, fontsize=9, title_fontsize=9)
    ax.set_xlim(-1.08, 3.5)
    ax.set_ylim(-1.1, 1.1)
    ax.set_aspect("equal")
    ax.set_anchor("C")
    ax.set_title(title, loc="left", fontweight="bold")
    return ax
