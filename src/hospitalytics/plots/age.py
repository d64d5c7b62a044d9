"""Chart 4: admissions and treatment cost per age band (paired bars, twin axes)."""

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

__all__ = ["age_groups"]

_COST = {"total_cost": "Total treatment cost", "mean_cost": "Mean cost per stay"}


@docstring
def age_groups(
    data: pd.DataFrame,
    *,
    bins=None,
    cost: str = "total_cost",
    currency: str = "",
    start=None,
    end=None,
    mtd: bool = False,
    as_of=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Admissions and treatment cost per age band, as paired bars on twin y axes.

    Each band has two bars: admissions (left bar, blue, left axis in stays) and cost
    (right bar, green, right axis in money). Both axes start at zero; each bar is
    labelled with its value. The numbers are :func:`hospitalytics.by_age_group`'s.

    Parameters
    ----------
    {data}
    bins : sequence of numbers, optional
        Lower edges of the age bands in years (default 0-17, 18-44, 45-64, 65-74, 75-84,
        85+; see :func:`hospitalytics.by_age_group`).
    cost : {"total_cost", "mean_cost"}, default "total_cost"
        Total cost of the band's stays, or the mean cost per stay.
    {currency}
    {period}
    {ax_twin}
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.bar` calls.

    Returns
    -------
    Axes
        The Axes with the admissions bars (the cost bars are on its twin).

    Raises
    ------
    SchemaError
        When the data has no age or no cost column.

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import age_groups
    >>> ax = age_groups(hp.datasets.load_sample(), currency="£")
    """
    if cost not in _COST:
        raise ArgumentError(f"cost must be one of {list(_COST)}, got {cost!r}.")
    table = kpis.by_age_group(data, start, end, bins=bins, mtd=mtd, as_of=as_of,
                              columns=columns)
    if cost not in table.columns:
        raise SchemaError("cost", found=[str(c) for c in data.columns], needed_by="age_groups")
    if "(missing)" in table.index and table.loc["(missing)", "admissions"] == 0:
        table = table.drop(index="(missing)")
    title = "Admissions and treatment cost by age group"
    ax = get_ax(ax, (9, 4.8))
    if table["admissions"].sum() == 0:
        return warn_empty(ax, "age_groups", "no admissions in the period", title)
    _paired_bars(ax, table, cost=cost, currency=currency, kwargs=kwargs)
    ax.set_xlabel("Age group (years, at admission)")
    ax.set_title(title, loc="left", fontweight="bold")
    return ax


def _paired_bars(ax, table, *, cost, currency, kwargs):
    n = len(table)
    x = np.arange(n)
    w = 0.38
    adm = table["admissions"].to_numpy()
    money = np.nan_to_num(table[cost].to_numpy(dtype="float64"))
    style_axes(ax)
    b1 = ax.bar(x - w / 2, adm, w, **({"color": COLORS["admissions"]} | kwargs))
    ax2 = ax.twinx()
    b2 = ax2.bar(x + w / 2, money, w, **({"color": COLORS["cost"]} | kwargs))
    ax.bar_label(b1, labels=[fmt_count(v) for v in adm], padding=2, fontsize=8,
                 color=COLORS["admissions"])
    ax2.bar_label(b2, labels=[fmt_money(v, currency) for v in money], padding=2, fontsize=8,
                  color=COLORS["cost"])
    ax.set_xticks(x, [str(i) for i in table.index])
    ax.set_ylim(0, max(adm.max(), 1) * 1.15)
    ax2.set_ylim(0, max(money.max(), 1) * 1.15)
    count_axis(ax.yaxis)
    ax2.yaxis.set_major_formatter(money_formatter(currency))
    # no legend (it could hide a bar): each axis names its bars, in their colour
    ax.set_ylabel("Admissions (stays) · blue bars", color=COLORS["admissions"])
    ax2.set_ylabel(f"{_COST[cost]} ({cost_unit(currency)}) · green bars",
                   color=COLORS["cost"])
    ax.tick_params(axis="y", colors=COLORS["admissions"])
    ax2.tick_params(axis="y", colors=COLORS["cost"])
    ax2.spines["top"].set_visible(False)
