"""Chart 2: volume by department, ward, location or treatment (sorted bars)."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from .. import kpis
from ..errors import ArgumentError
from ._base import COLORS, count_axis, docstring, fmt_count, get_ax, style_axes, warn_empty
from ._groups import OTHER_PREFIX, top_with_other

__all__ = ["volume_by"]

_MEASURES = {"admissions": kpis.admissions, "discharges": kpis.discharges}
_BY_LABEL = {"department": "Department", "ward": "Ward", "location": "Location",
             "treatment": "Treatment", "age_group": "Age group"}


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
    as_of=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Admissions (or discharges) per department, ward or location, as sorted bars.

    Horizontal bars, largest on top, each labelled with its count; the numbers are
    :func:`hospitalytics.admissions` (or :func:`hospitalytics.discharges`) with ``by=``.

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

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import volume_by
    >>> ax = volume_by(hp.datasets.load_sample(), by="location", mtd=True)
    """
    if measure not in _MEASURES:
        raise ArgumentError(f"measure must be one of {list(_MEASURES)}, got {measure!r}.")
    counts = _MEASURES[measure](data, start, end, mtd=mtd, as_of=as_of, by=by,
                                columns=columns)
    table = top_with_other(counts.to_frame("n"), top, sort_by="n")
    label = _BY_LABEL.get(by, str(by).replace("_", " ").capitalize())
    title = f"{measure.capitalize()} by {label.lower()}"
    n = len(table)
    ax = get_ax(ax, (8, max(2.5, 0.32 * n + 1.2)))
    if n == 0 or table["n"].sum() == 0:
        return warn_empty(ax, "volume_by", f"no {measure} in the period", title)
    style_axes(ax, grid="x")
    names = [str(i) for i in table.index]
    colors = [COLORS["other"] if s.startswith(f"{OTHER_PREFIX} (") else COLORS["admissions"]
              for s in names]
    opts = {"color": colors, "height": 0.7} | kwargs
    bars = ax.barh(range(n), table["n"].to_numpy(), **opts)
    ax.bar_label(bars, labels=[fmt_count(v) for v in table["n"]], padding=3, fontsize=9)
    ax.set_yticks(range(n), names)
    ax.set_ylim(n - 0.5, -0.5)  # largest on top
    ax.set_xlim(0, table["n"].max() * 1.15)
    count_axis(ax.xaxis)
    ax.set_xlabel(f"{measure.capitalize()} (stays)")
    ax.set_ylabel(label)
    ax.set_title(title, loc="left", fontweight="bold")
    return ax
