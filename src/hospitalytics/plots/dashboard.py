"""The one-page dashboard: KPI cards and the six standard charts in one Figure."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ..errors import SchemaError
from ._base import COLORS, docstring, period_note
from .age import age_groups
from .cards import kpi_cards
from .los import los_donut
from .occupancy import occupancy_heatmap, occupancy_treemap
from .treatment import treatment_breakdown
from .trend import admission_trend
from .volume import volume_by

__all__ = ["dashboard"]

_MOSAIC = [
    ["cards", "cards"],
    ["trend", "trend"],
    ["volume", "los"],
    ["age", "treatment"],
    ["treemap", "heatmap"],
]


@docstring
def dashboard(
    df: pd.DataFrame,
    beds=None,
    *,
    by: str = "department",
    currency: str = "",
    top: int | None = 12,
    title: str = "Hospital activity",
    start=None,
    end=None,
    mtd: bool = False,
    as_of=None,
    columns=None,
    figsize: tuple[float, float] = (16, 22),
) -> Figure:
    """One page with the KPI cards and all six charts, ready for ``savefig``.

    From top to bottom: the KPI cards (month to date as of ``as_of``), the monthly
    admission trend, volume by ``by`` beside the length-of-stay donut, age groups beside
    the treatment breakdown, and the occupancy treemap beside the ward x month heatmap.
    A panel whose data is missing (no beds, no cost, no age column...) says so instead
    of failing, as :func:`hospitalytics.summary` leaves out the KPIs the data cannot
    support; the single chart functions raise :class:`~hospitalytics.errors.SchemaError`.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame, optional
        Beds per ward; without it the occupancy panels say so.
    by : str, default "department"
        Grouping of the volume chart (``"department"``, ``"ward"``, ``"location"``).
    {currency}
    {top}
    title : str, default "Hospital activity"
        The page title (the period is added under it).
    {period}
    figsize : tuple of float, default (16, 22)
        Page size in inches.

    Returns
    -------
    Figure
        The figure; save it with ``fig.savefig("dashboard.pdf")`` (PNG, SVG, PDF...).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import dashboard
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> fig = dashboard(df, beds, currency="£")
    >>> len(fig.axes) >= 9
    True
    """
    fig = plt.figure(figsize=figsize, layout="constrained")
    axes = fig.subplot_mosaic(_MOSAIC, height_ratios=[0.42, 0.9, 1.0, 1.0, 1.1])
    period = {"start": start, "end": end, "mtd": mtd, "as_of": as_of, "columns": columns}
    panels = [
        ("cards", lambda ax: kpi_cards(df, beds=beds, currency=currency, as_of=as_of,
                                       columns=columns, ax=ax)),
        ("trend", lambda ax: admission_trend(df, ax=ax, **period)),
        ("volume", lambda ax: volume_by(df, by=by, top=top, ax=ax, **period)),
        ("los", lambda ax: los_donut(df, ax=ax, **period)),
        ("age", lambda ax: age_groups(df, currency=currency, ax=ax, **period)),
        ("treatment", lambda ax: treatment_breakdown(df, currency=currency, top=top, ax=ax,
                                                     **period)),
        # last: these two fit their labels to the laid-out size of their panel
        ("heatmap", lambda ax: occupancy_heatmap(df, beds=beds, ax=ax, **period)),
        ("treemap", lambda ax: occupancy_treemap(df, beds=beds, ax=ax, **period)),
    ]
    note = period_note(df, **period)
    fig.suptitle(f"{title}: {note}", x=0.01, ha="left", fontsize=18, fontweight="bold")
    fig.get_layout_engine().set(h_pad=0.1, hspace=0.05, wspace=0.05)
    for name, draw in panels:
        ax = axes[name]
        if name in ("treemap", "heatmap") and beds is None:
            _unavailable(ax, "Bed occupancy", "pass beds= to show occupancy by ward")
            continue
        try:
            draw(ax)
        except SchemaError as err:
            _unavailable(ax, _TITLES[name], f"the data has no {err.role!r} column")
    return fig


_TITLES = {
    "cards": "Key figures",
    "trend": "Monthly admissions",
    "volume": "Volume",
    "los": "Length of stay",
    "age": "Age groups",
    "treatment": "Treatments",
    "treemap": "Bed occupancy",
    "heatmap": "Bed occupancy by month",
}


def _unavailable(ax, title: str, why: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ax.cla()
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontweight="bold")
    ax.text(0.5, 0.5, f"Not available: {why}", transform=ax.transAxes, ha="center",
            va="center", color=COLORS["muted"])
