"""Chart 2: volume by department, ward, location or treatment (sorted bars)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import kpis
from .._format import fmt
from ..errors import ArgumentError
from ._base import (
    COLORS,
    LABEL_WRAP,
    check_definitions,
    count_axis,
    docstring,
    get_ax,
    label,
    style_axes,
    warn_empty,
)
from ._groups import is_other, top_with_other

__all__ = ["draw_volume_by", "volume_by", "volume_by_table"]

_MEASURES = {"admissions": kpis.admissions, "discharges": kpis.discharges}
_BY_LABEL = {"department": "Department", "ward": "Ward", "location": "Location",
             "treatment": "Treatment", "age_group": "Age group"}


def _check_measure(measure: str) -> None:
    if measure not in _MEASURES:
        raise ArgumentError(f"measure must be one of {list(_MEASURES)}, got {measure!r}.",
                            argument="measure", value=measure)


def volume_by_table(data: pd.DataFrame, *, by: str = "department",
                    measure: str = "admissions", start=None, end=None, mtd: bool = False,
                    qtd: bool = False, ytd: bool = False, as_of=None, definitions=None,
                    columns=None) -> pd.Series:
    """The counts :func:`volume_by` draws: :func:`hospitalytics.admissions` with ``by=``."""
    _check_measure(measure)
    check_definitions(definitions)
    return _MEASURES[measure](data, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                              by=by, columns=columns)


@docstring
def volume_by(
    data: pd.DataFrame,
    *,
    by: str = "department",
    measure: str = "admissions",
    top: int | None = 12,
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
    """Admissions (or discharges) per department, ward or location, as sorted bars.

    Horizontal bars, largest on top, each labelled with its count; the numbers are
    :func:`hospitalytics.admissions` (or :func:`hospitalytics.discharges`) with ``by=``,
    drawn by :func:`draw_volume_by`.

    Parameters
    ----------
    {data}
    by : str, default "department"
        The grouping role: ``"department"``, ``"ward"``, ``"location"``,
        ``"treatment"`` or ``"age_group"``.
    measure : {"admissions", "discharges"}, default "admissions"
        What to count.
    {top}
    {period}
    {ax}
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    {returns}

    Raises
    ------
    {raises}

    Notes
    -----
    {empty}
    The counts do not depend on ``definitions``; it is accepted (and checked) so that
    every chart takes the same options.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import volume_by
    >>> ax = volume_by(hp.datasets.load_sample(), by="location", mtd=True)
    """
    counts = volume_by_table(data, by=by, measure=measure, start=start, end=end, mtd=mtd,
                             qtd=qtd, ytd=ytd, as_of=as_of, definitions=definitions,
                             columns=columns)
    return draw_volume_by(counts, by=by, measure=measure, top=top, ax=ax, **kwargs)


@docstring
def draw_volume_by(
    table: pd.Series | pd.DataFrame,
    *,
    by: str = "department",
    measure: str = "admissions",
    top: int | None = 12,
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`volume_by` from counts already computed.

    Parameters
    ----------
    table : Series or DataFrame
        Counts per group, as :func:`hospitalytics.admissions` (or
        :func:`~hospitalytics.discharges`) return them with ``by=``; or a frame with a
        ``measure`` column (the report's ``by_department`` table).
    by : str, default "department"
        The grouping the counts are by (names the axis and the title).
    measure : {"admissions", "discharges"}, default "admissions"
        What was counted.
    {top}
    {missing}
    {table_ax}
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    {returns}

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_volume_by
    >>> counts = hp.admissions(hp.datasets.load_sample(), by="ward")
    >>> ax = draw_volume_by(counts, by="ward", top=5)
    """
    _check_measure(measure)
    if isinstance(table, pd.DataFrame):
        if measure in table.columns:
            table = table[measure]
        elif table.shape[1] == 1:
            table = table.iloc[:, 0]
        else:
            raise ArgumentError(
                f"draw_volume_by needs a Series of counts or a frame with a {measure!r} "
                f"column; got columns {list(table.columns)}."
            )
    counts = pd.to_numeric(pd.Series(table), errors="coerce").astype("float64")
    frame = top_with_other(counts.to_frame("n"), top, sort_by="n")
    name = _BY_LABEL.get(by, str(by).replace("_", " ").capitalize())
    title = f"{measure.capitalize()} by {name.lower()}"
    n = len(frame)
    ax = get_ax(ax, (8, max(2.5, 0.32 * n + 1.2)))
    values = frame["n"].to_numpy(dtype="float64")
    if n == 0 or np.nansum(values) == 0:
        return warn_empty(ax, "volume_by", f"no {measure} in the period", title)
    style_axes(ax, grid="x")
    colors = [COLORS["other"] if o else COLORS["admissions"] for o in is_other(frame.index)]
    opts = {"color": colors, "height": 0.7} | kwargs
    bars = ax.barh(range(n), np.nan_to_num(values), **opts)
    ax.bar_label(bars, labels=[fmt(v, "count", missing=missing) for v in values], padding=3,
                 fontsize=9)
    ax.set_yticks(range(n), [label(i, LABEL_WRAP) for i in frame.index])
    ax.set_ylim(n - 0.5, -0.5)  # largest on top
    ax.set_xlim(0, max(np.nanmax(values), 1) * 1.15)
    count_axis(ax.xaxis)
    ax.set_xlabel(f"{measure.capitalize()} (stays)")
    ax.set_ylabel(name)
    ax.set_title(title, loc="left", fontweight="bold")
    return ax
