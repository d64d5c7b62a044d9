"""Chart 4: admissions and treatment cost per age band (two panels, one age axis)."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from .. import kpis
from ..errors import ArgumentError
from ._base import COLORS, check_definitions, cost_unit, docstring, get_ax, warn_empty
from ._panels import Measure, paired_bars

__all__ = ["age_groups", "age_groups_table", "draw_age_groups"]

_COST = {"total_cost": "Total treatment cost", "mean_cost": "Mean cost per stay"}


def _check_cost(cost: str) -> None:
    if cost not in _COST:
        raise ArgumentError(f"cost must be one of {list(_COST)}, got {cost!r}.",
                            argument="cost", value=cost)


def age_groups_table(data: pd.DataFrame, *, bins=None, start=None, end=None,
                     mtd: bool = False, qtd: bool = False, ytd: bool = False, as_of=None,
                     definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`age_groups` draws: :func:`hospitalytics.by_age_group`."""
    check_definitions(definitions)
    return kpis.by_age_group(data, start, end, bins=bins, mtd=mtd, qtd=qtd, ytd=ytd,
                             as_of=as_of, columns=columns)


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
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Admissions and treatment cost per age band, as two panels sharing the age axis.

    The left panel has the admissions per band (blue, in stays), the right panel the
    cost (green, in money), each with its own scale starting at zero and each bar
    labelled with its value. Without a cost column, only the admissions panel is drawn.
    The numbers are :func:`hospitalytics.by_age_group`'s, drawn by
    :func:`draw_age_groups`.

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
    {ax_panels}
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes
        The Axes drawn into (with cost: the frame holding the title, whose
        ``child_axes`` are the two panels).

    Raises
    ------
    SchemaError
        When the data has no age column.

    Notes
    -----
    {empty}
    The counts do not depend on ``definitions``; it is accepted (and checked) so that
    every chart takes the same options.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import age_groups
    >>> ax = age_groups(hp.datasets.load_sample(), currency="£")
    >>> [panel.get_xlabel() for panel in ax.child_axes]
    ['Admissions (stays)', 'Total treatment cost (£)']
    """
    _check_cost(cost)
    table = age_groups_table(data, bins=bins, start=start, end=end, mtd=mtd, qtd=qtd,
                             ytd=ytd, as_of=as_of, definitions=definitions, columns=columns)
    return draw_age_groups(table, cost=cost, currency=currency, ax=ax, **kwargs)


@docstring
def draw_age_groups(
    table: pd.DataFrame,
    *,
    cost: str = "total_cost",
    currency: str = "",
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`age_groups` from a table already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.by_age_group`'s result: indexed by age band, with
        ``admissions`` and, when the data had costs, ``total_cost`` and ``mean_cost``.
    cost : {"total_cost", "mean_cost"}, default "total_cost"
        The cost measure of the right panel (left out when the table has no costs).
    {currency}
    {missing}
    {ax_panels}
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes
        The Axes drawn into (with cost: the frame whose ``child_axes`` are the panels).

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_age_groups
    >>> table = hp.by_age_group(hp.datasets.load_sample(), bins=[0, 65])
    >>> ax = draw_age_groups(table[["admissions"]])  # admissions only
    >>> ax.get_xlabel()
    'Admissions (stays)'
    """
    _check_cost(cost)
    adm = pd.to_numeric(table["admissions"], errors="coerce")
    if "(missing)" in table.index and adm.get("(missing)") == 0:
        table, adm = table.drop(index="(missing)"), adm.drop(index="(missing)")
    with_cost = cost in table.columns
    title = ("Admissions and treatment cost by age group" if with_cost
             else "Admissions by age group")
    ax = get_ax(ax, (10, 4.2))
    if adm.sum() == 0:
        return warn_empty(ax, "age_groups", "no admissions in the period", title)
    measures = [Measure(adm.to_numpy(dtype="float64"), "count", "Admissions (stays)",
                        COLORS["admissions"], COLORS["other"])]
    if with_cost:
        money = pd.to_numeric(table[cost], errors="coerce").to_numpy(dtype="float64")
        measures.append(Measure(money, "money_compact",
                                f"{_COST[cost]} ({cost_unit(currency)})", COLORS["cost"],
                                COLORS["other"], currency))
    paired_bars(ax, [str(i) for i in table.index], measures, other=[False] * len(table),
                category="Age group (years, at admission)", missing=missing, kwargs=kwargs)
    ax.set_title(title, loc="left", fontweight="bold")
    return ax
