"""Chart 3: the length-of-stay distribution as a donut over the LOS bands."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import kpis
from ._base import docstring, fmt_count, fmt_pct, get_ax, text_color, warn_empty

__all__ = ["los_donut"]


def _band_name(band: str) -> str:
    if band == "0":
        return "0 nights (same day)"
    if band == "1":
        return "1 night"
    return f"{band.replace('-', '–')} nights"


@docstring
def los_donut(
    data: pd.DataFrame,
    *,
    bands=None,
    start=None,
    end=None,
    mtd: bool = False,
    as_of=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Share of discharged stays per length-of-stay band, as a donut.

    The wedges are :func:`hospitalytics.los_distribution`'s ``stays`` per band (LOS in
    nights, default bands 0, 1, 2, 3, 4-7, 8-14, 15-21, 22+), going clockwise from the
    top; wedges of 4% or more carry their share, and the legend lists every band with
    its share and count. The centre shows the number of discharged stays.

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

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import los_donut
    >>> ax = los_donut(hp.datasets.load_sample(), start="2025-01-01")
    """
    dist = kpis.los_distribution(data, start, end, bands=bands, mtd=mtd, as_of=as_of,
                                 columns=columns)
    title = "Length of stay of discharged patients (nights)"
    ax = get_ax(ax, (8, 4.8))
    total = int(dist["stays"].sum())
    if total == 0:
        return warn_empty(ax, "los_donut", "no discharges in the period", title)
    n = len(dist)
    colors = [mpl.colormaps["viridis_r"](x) for x in np.linspace(0.05, 0.95, n)]
    opts = {"colors": colors, "startangle": 90, "counterclock": False,
            "wedgeprops": {"width": 0.42, "edgecolor": "white", "linewidth": 1.5}} | kwargs
    wedges, *_ = ax.pie(dist["stays"].to_numpy(), **opts)
    for wedge, share, color in zip(wedges, dist["share"], colors, strict=True):
        if share >= 0.04:
            angle = np.deg2rad((wedge.theta1 + wedge.theta2) / 2)
            r = 1 - 0.42 / 2
            ax.text(r * np.cos(angle), r * np.sin(angle), fmt_pct(share), ha="center",
                    va="center", fontsize=9, color=text_color(color), fontweight="bold")
    ax.text(0, 0.08, fmt_count(total), ha="center", va="center", fontsize=16,
            fontweight="bold")
    ax.text(0, -0.14, "discharged\nstays", ha="center", va="center", fontsize=9,
            color="#555555")
    labels = [f"{_band_name(str(b))}: {fmt_pct(s, 1)} ({fmt_count(c)})"
              for b, s, c in zip(dist.index, dist["share"], dist["stays"], strict=True)]
    # the legend lives inside the Axes, right of the donut: no outside decoration that
    # would widen a layout column shared with other charts
    ax.legend(wedges, labels, title="Length of stay", loc="center right",
              frameon=False, fontsize=9, title_fontsize=9)
    ax.set_xlim(-1.08, 3.5)
    ax.set_ylim(-1.1, 1.1)
    ax.set_aspect("equal")
    ax.set_anchor("C")
    ax.set_title(title, loc="left", fontweight="bold")
    return ax
