"""Chart 6: patient volume and total cost per treatment type, side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import kpis
from ..errors import ArgumentError, SchemaError
from ._base import (
    COLORS,
    cost_unit,
    count_axis,
    docstring,
    fmt_count,
    fmt_money,
    get_ax,
    money_formatter,
    style_axes,
    warn_empty,
)
from ._groups import OTHER_PREFIX, top_with_other

__all__ = ["treatment_breakdown"]


@docstring
def treatment_breakdown(
    data: pd.DataFrame,
    *,
    top: int | None = 12,
    sort: str = "admissions",
    currency: str = "",
    start=None,
    end=None,
    mtd: bool = False,
    as_of=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Admissions and total cost per treatment type, as paired horizontal bars.

    Each treatment has two bars: admissions (upper bar, blue, bottom axis in stays) and
    total cost (lower bar, green, top axis in money), each labelled with its value. The
    numbers are :func:`hospitalytics.by_treatment`'s ``admissions`` and ``total_cost``;
    the smaller treatments beyond ``top`` are summed into one "Other" pair.

    Parameters
    ----------
    {data}
    {top}
    sort : {"admissions", "total_cost"}, default "admissions"
        Order of the treatments, largest first.
    {currency}
    {period}
    {ax_twin}
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes
        The Axes with the admissions bars (the cost bars are on its twin).

    Raises
    ------
    SchemaError
        When the data has no treatment or no cost column (count treatments without
        costs with ``volume_by(data, by="treatment")``).

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import treatment_breakdown
    >>> ax = treatment_breakdown(hp.datasets.load_sample(), currency="£", top=5)
    """
    if sort not in ("admissions", "total_cost"):
        raise ArgumentError(f"sort must be 'admissions' or 'total_cost', got {sort!r}.")
    table = kpis.by_treatment(data, start, end, mtd=mtd, as_of=as_of, columns=columns)
    if "total_cost" not in table.columns:
        raise SchemaError("cost", found=[str(c) for c in data.columns],
                          needed_by="treatment_breakdown")
    table = top_with_other(table[["admissions", "total_cost"]], top, sort_by=sort)
    title = "Admissions and total cost by treatment"
    n = len(table)
    ax = get_ax(ax, (9, max(3.0, 0.5 * n + 1.6)))
    if n == 0 or table["admissions"].sum() == 0:
        return warn_empty(ax, "treatment_breakdown", "no admissions in the period", title)
    y = np.arange(n)
    h = 0.4
    adm = table["admissions"].to_numpy()
    money = np.nan_to_num(table["total_cost"].to_numpy(dtype="float64"))
    names = [str(i) for i in table.index]
    is_other = [s.startswith(f"{OTHER_PREFIX} (") for s in names]
    style_axes(ax, grid="x")
    c1 = [COLORS["other"] if o else COLORS["admissions"] for o in is_other]
    c2 = ["#BBBBBB" if o else COLORS["cost"] for o in is_other]
    b1 = ax.barh(y - h / 2, adm, h, **({"color": c1} | kwargs))
    ax2 = ax.twiny()
    b2 = ax2.barh(y + h / 2, money, h, **({"color": c2} | kwargs))
    ax.bar_label(b1, labels=[fmt_count(v) for v in adm], padding=3, fontsize=8,
                 color=COLORS["admissions"])
    ax2.bar_label(b2, labels=[fmt_money(v, currency) for v in money], padding=3, fontsize=8,
                  color=COLORS["cost"])
    ax.set_yticks(y, names)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, max(adm.max(), 1) * 1.18)
    ax2.set_xlim(0, max(money.max(), 1) * 1.18)
    count_axis(ax.xaxis)
    ax2.xaxis.set_major_formatter(money_formatter(currency))
    # no legend (it could hide a bar): each axis names its bars, in their colour
    ax.set_xlabel("Admissions (stays) · blue bars", color=COLORS["admissions"])
    ax2.set_xlabel(f"Total cost ({cost_unit(currency)}) · green bars", color=COLORS["cost"])
    ax.tick_params(axis="x", colors=COLORS["admissions"])
    ax2.tick_params(axis="x", colors=COLORS["cost"])
    ax2.spines["right"].set_visible(False)
    ax2.grid(False)
    ax.set_ylabel("Treatment")
    ax.set_title(title, loc="left", fontweight="bold")
    return ax
