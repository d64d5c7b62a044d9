"""Chart 6: patient volume and total cost per treatment type, in two panels."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from .. import kpis
from ..errors import ArgumentError
from ._base import (
    COLORS,
    LABEL_WRAP,
    check_definitions,
    cost_unit,
    docstring,
    get_ax,
    label,
    warn_empty,
)
from ._groups import is_other, top_with_other
from ._panels import Measure, paired_bars

__all__ = ["draw_treatment_breakdown", "treatment_breakdown", "treatment_breakdown_table"]


def _check_sort(sort: str) -> None:
    if sort not in ("admissions", "total_cost"):
        raise ArgumentError(f"sort must be 'admissions' or 'total_cost', got {sort!r}.",
                            argument="sort", value=sort)


def treatment_breakdown_table(data: pd.DataFrame, *, start=None, end=None,
                              mtd: bool = False, qtd: bool = False, ytd: bool = False,
                              as_of=None, definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`treatment_breakdown` draws: :func:`hospitalytics.by_treatment`."""
    check_definitions(definitions)
    return kpis.by_treatment(data, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                             columns=columns)


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
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Admissions and total cost per treatment type, as two panels sharing one axis.

    The left panel has the admissions per treatment (blue, in stays), the right panel
    the total cost (green, in money), each on its own scale and each bar labelled with
    its value. The numbers are :func:`hospitalytics.by_treatment`'s ``admissions`` and
    ``total_cost``; the smaller treatments beyond ``top`` are summed into one grey
    "Other" row. Without a cost column, only the admissions panel is drawn. Drawn by
    :func:`draw_treatment_breakdown`.

    Parameters
    ----------
    {data}
    {top}
    sort : {"admissions", "total_cost"}, default "admissions"
        Order of the treatments, largest first (``"total_cost"`` needs costs).
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
        When the data has no treatment column.

    Notes
    -----
    {empty}
    The counts do not depend on ``definitions``; it is accepted (and checked) so that
    every chart takes the same options.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import treatment_breakdown
    >>> ax = treatment_breakdown(hp.datasets.load_sample(), currency="£", top=5)
    """
    _check_sort(sort)
    table = treatment_breakdown_table(data, start=start, end=end, mtd=mtd, qtd=qtd,
                                      ytd=ytd, as_of=as_of, definitions=definitions,
                                      columns=columns)
    return draw_treatment_breakdown(table, top=top, sort=sort, currency=currency, ax=ax,
                                    **kwargs)


@docstring
def draw_treatment_breakdown(
    table: pd.DataFrame,
    *,
    top: int | None = 12,
    sort: str = "admissions",
    currency: str = "",
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`treatment_breakdown` from a table already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.by_treatment`'s result: indexed by treatment, with
        ``admissions`` and, when the data had costs, ``total_cost``.
    {top}
    sort : {"admissions", "total_cost"}, default "admissions"
        Order of the treatments, largest first.
    {currency}
    {missing}
    {ax_panels}
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes
        The Axes drawn into (with cost: the frame whose ``child_axes`` are the panels).

    Raises
    ------
    ArgumentError
        For ``sort="total_cost"`` on a table without costs.

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_treatment_breakdown
    >>> t = hp.by_treatment(hp.datasets.load_sample(), mtd=True)
    >>> ax = draw_treatment_breakdown(t, sort="total_cost", top=4, currency="€")
    """
    _check_sort(sort)
    with_cost = "total_cost" in table.columns
    if sort == "total_cost" and not with_cost:
        raise ArgumentError("sort='total_cost' needs costs; this table has none "
                            f"(columns {list(table.columns)}). Use sort='admissions'.",
                            argument="sort")
    cols = ["admissions", "total_cost"] if with_cost else ["admissions"]
    numbers = table[cols].apply(pd.to_numeric, errors="coerce").astype("float64")
    numbers = top_with_other(numbers, top, sort_by=sort)
    title = ("Admissions and total cost by treatment" if with_cost
             else "Admissions by treatment")
    n = len(numbers)
    ax = get_ax(ax, (10, max(3.0, 0.4 * n + 1.6)))
    if n == 0 or numbers["admissions"].sum() == 0:
        return warn_empty(ax, "treatment_breakdown", "no admissions in the period", title)
    measures = [Measure(numbers["admissions"].to_numpy(), "count", "Admissions (stays)",
                        COLORS["admissions"], COLORS["other"])]
    if with_cost:
        measures.append(Measure(numbers["total_cost"].to_numpy(), "money_compact",
                                f"Total cost ({cost_unit(currency)})", COLORS["cost"],
                                "#BBBBBB", currency))
    paired_bars(ax, [label(i, LABEL_WRAP) for i in numbers.index], measures,
                other=is_other(numbers.index), category="Treatment", missing=missing,
                kwargs=kwargs)
    ax.set_title(title, loc="left", fontweight="bold")
    return ax
