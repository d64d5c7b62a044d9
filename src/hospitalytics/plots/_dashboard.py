"""The one-page dashboard: KPI cards and the six standard charts in one Figure."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from .._text import chart_label
from ..errors import ArgumentError, SchemaError
from ._base import COLORS, docstring, span_text
from .age import age_groups_table, draw_age_groups
from .cards import draw_kpi_cards, kpi_cards_table, period_dates
from .los import draw_los_donut, los_donut_table
from .occupancy import (
    draw_occupancy_heatmap,
    draw_occupancy_treemap,
    occupancy_heatmap_table,
    occupancy_treemap_table,
)
from .treatment import draw_treatment_breakdown, treatment_breakdown_table
from .trend import admission_trend_table, draw_admission_trend
from .volume import draw_volume_by, volume_by_table

__all__ = ["DASHBOARD_TABLES", "dashboard", "draw_dashboard"]

_MOSAIC = [
    ["cards", "cards"],
    ["trend", "trend"],
    ["volume", "los"],
    ["age", "treatment"],
    ["treemap", "heatmap"],
]

#: The tables :func:`draw_dashboard` reads, by key (the report's table names); the
#: volume panel reads ``"by_<by>"``.
DASHBOARD_TABLES = ("summary", "monthly", "by_department", "los_distribution",
                    "by_age_group", "by_treatment", "occupancy_by_ward",
                    "monthly_occupancy_by_ward")

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


@docstring
def dashboard(
    data: pd.DataFrame,
    *,
    beds=None,
    by: str = "department",
    currency: str = "",
    top: int | None = 12,
    title: str = "Hospital activity",
    start=None,
    end=None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions=None,
    columns=None,
    figsize: tuple[float, float] = (16, 22),
) -> Figure:
    """One page with the KPI cards and all six charts, ready for ``savefig``.

    From top to bottom: the headline KPI cards (the period figure, month to date and
    its change), the monthly admission trend, volume by ``by`` beside the
    length-of-stay donut, age groups beside the treatment breakdown, and the occupancy
    treemap beside the ward x month heatmap. Every panel reads the same period and
    ``definitions``. A panel whose data is missing (no beds, no age column...) says so
    instead of failing, as :func:`hospitalytics.summary` leaves out the KPIs the data
    cannot support; the single chart functions raise
    :class:`~hospitalytics.errors.SchemaError`. The tables are computed once, then
    drawn by :func:`draw_dashboard`.

    Parameters
    ----------
    {data}
    beds : dict, Series or DataFrame, optional
        Beds per ward; without it the occupancy panels say so.
    by : str, default "department"
        Grouping of the volume chart (``"department"``, ``"ward"``, ``"location"``).
    {currency}
    {top}
    title : str, default "Hospital activity"
        The page title (the period is added after it).
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
    >>> fig = dashboard(df, beds=beds, currency="£", definitions="hcup")
    >>> len(fig.axes) >= 9
    True
    """
    period = {"start": start, "end": end, "mtd": mtd, "qtd": qtd, "ytd": ytd,
              "as_of": as_of, "definitions": definitions, "columns": columns}
    no_beds = "pass beds= to show occupancy by ward"
    computes: dict[str, Callable[[], object]] = {
        "summary": lambda: kpi_cards_table(data, beds=beds, **period),
        "monthly": lambda: admission_trend_table(data, **period),
        f"by_{by}": lambda: volume_by_table(data, by=by, **period),
        "los_distribution": lambda: los_donut_table(data, **period),
        "by_age_group": lambda: age_groups_table(data, **period),
        "by_treatment": lambda: treatment_breakdown_table(data, **period),
        "occupancy_by_ward": lambda: (no_beds if beds is None else
                                      occupancy_treemap_table(data, beds=beds, **period)),
        "monthly_occupancy_by_ward": lambda: (no_beds if beds is None else
                                              occupancy_heatmap_table(data, beds=beds,
                                                                      **period)),
    }
    tables: dict[str, object] = {}
    for key, compute in computes.items():
        try:
            tables[key] = compute()
        except SchemaError as err:
            tables[key] = f"the data has no {err.role!r} column"
    return draw_dashboard(tables, by=by, currency=currency, top=top, title=title,
                          figsize=figsize)


def period_of(tables: Mapping[str, object]) -> str:
    """``"1 Oct 2023 – 15 Dec 2025"``: the period of the summary's ``attrs``.

    The summary names the first day of an unbounded period (the first admission); a
    panel without it (only ``"the first record"``) has it read from the monthly table
    (the days of its first month inside the period).
    """
    summary = tables.get("summary")
    dates = period_dates(getattr(summary, "attrs", {}) or {})
    if not dates.get("end"):
        return ""
    start, end = dates.get("start"), pd.Timestamp(dates["end"])
    monthly = tables.get("monthly")
    if start is None and isinstance(monthly, pd.DataFrame) and len(monthly) \
            and "days" in monthly.columns:
        first = pd.Timestamp(str(monthly.index[0]))
        month_end = min(first + pd.offsets.MonthEnd(0), end)
        start = month_end - pd.Timedelta(days=int(monthly["days"].iloc[0]) - 1)
    return span_text(start, end)


def draw_dashboard(
    tables: Mapping[str, object],
    *,
    by: str = "department",
    currency: str = "",
    top: int | None = 12,
    title: str = "Hospital activity",
    missing: str = "–",
    footnote: str = "",
    figsize: tuple[float, float] = (16, 22),
) -> Figure:
    """Draw :func:`dashboard` from tables already computed (the report's tables).

    Parameters
    ----------
    tables : mapping of str to DataFrame, Series or str
        The KPI results by key (:data:`DASHBOARD_TABLES`): ``"summary"``
        (:func:`hospitalytics.summary`), ``"monthly"``, ``"by_<by>"`` (counts per group),
        ``"los_distribution"``, ``"by_age_group"``, ``"by_treatment"``,
        ``"occupancy_by_ward"`` and ``"monthly_occupancy_by_ward"``. A text instead of a
        table says why the panel is not available ("the data has no 'age' column"); a
        missing key leaves the panel with "Not available". ``"monthly_spc"``, optional:
        the process limits of the monthly admissions (:func:`hospitalytics.spc`), drawn
        on the trend.
    by : str, default "department"
        The grouping of the volume panel.
    currency : str, default ""
        Symbol put before money amounts.
    top : int or None, default 12
        Groups shown in the volume and treatment panels before "Other".
    title : str, default "Hospital activity"
        The page title (the period of the summary is added after it).
    missing : str, default "–"
        Label of a value the tables do not give (NaN), e.g. a cell hidden by a privacy
        rule.
    footnote : str, default ""
        A line under the page (e.g. the privacy rule applied).
    figsize : tuple of float, default (16, 22)
        Page size in inches.

    Returns
    -------
    Figure
        The figure.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_dashboard
    >>> df = hp.datasets.load_sample()
    >>> tables = {"summary": hp.summary(df), "monthly": hp.monthly(df),
    ...           "by_location": hp.admissions(df, by="location")}
    >>> fig = draw_dashboard(tables, by="location")
    """
    spc = tables.get("monthly_spc")
    spc = spc if isinstance(spc, pd.DataFrame) else None
    fig = plt.figure(figsize=figsize, layout="constrained")
    axes = fig.subplot_mosaic(_MOSAIC, height_ratios=[0.5, 0.9, 1.0, 1.0, 1.1])
    panels = [
        ("cards", "summary", lambda t, ax: draw_kpi_cards(t, currency=currency,
                                                          missing=missing, ax=ax)),
        ("trend", "monthly", lambda t, ax: draw_admission_trend(
            t, spc=spc if spc is not None else False, ax=ax)),
        ("volume", f"by_{by}", lambda t, ax: draw_volume_by(t, by=by, top=top,
                                                            missing=missing, ax=ax)),
        ("los", "los_distribution", lambda t, ax: draw_los_donut(t, missing=missing, ax=ax)),
        ("age", "by_age_group", lambda t, ax: draw_age_groups(t, currency=currency,
                                                              missing=missing, ax=ax)),
        ("treatment", "by_treatment",
         lambda t, ax: draw_treatment_breakdown(t, currency=currency, top=top,
                                                missing=missing, ax=ax)),
        # last: these two fit their labels to the laid-out size of their panel
        ("heatmap", "monthly_occupancy_by_ward",
         lambda t, ax: draw_occupancy_heatmap(t, missing=missing, ax=ax)),
        ("treemap", "occupancy_by_ward",
         lambda t, ax: draw_occupancy_treemap(t, missing=missing, ax=ax)),
    ]
    note = period_of(tables)
    heading = f"{chart_label(title, None)}: {note}" if note else chart_label(title, None)
    fig.suptitle(heading, x=0.01, ha="left", fontsize=18, fontweight="bold")
    if footnote:
        fig.supxlabel(chart_label(footnote, None), x=0.01, ha="left", fontsize=10,
                      color=COLORS["muted"])
    fig.get_layout_engine().set(h_pad=0.1, hspace=0.05, wspace=0.05)
    for name, key, draw in panels:
        ax = axes[name]
        table = tables.get(key)
        if isinstance(table, str):
            _unavailable(ax, _TITLES[name], table)
            continue
        if table is None:
            _unavailable(ax, _TITLES[name], f"no {key.replace('_', ' ')} table")
            continue
        try:
            draw(table, ax)
        except (SchemaError, ArgumentError, KeyError) as err:
            _unavailable(ax, _TITLES[name], _reason(err))
    return fig


def _reason(err: Exception) -> str:
    if isinstance(err, SchemaError):
        return f"the data has no {err.role!r} column"
    if isinstance(err, KeyError):
        return f"the table has no {err.args[0]!r} column"
    return str(err)


def _unavailable(ax, title: str, why: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ax.cla()
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontweight="bold")
    ax.text(0.5, 0.5, f"Not available: {chart_label(why, 120)}", transform=ax.transAxes,
            ha="center", va="center", color=COLORS["muted"])
