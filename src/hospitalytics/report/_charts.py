"""The report's charts, drawn from the report's own tables (:mod:`hospitalytics.plots` only here).

The wiring is explicit: :data:`WIRING` says, for each table of the report, which chart
draws it and with which arguments (no signature introspection). Every chart draws the
table the report already computed (``report.tables[key]``), never the stays again: the
KPIs are computed once, with the report's period and definitions, and a chart shows
exactly the numbers of the table beside it.

Privacy (``report.privacy``, or ``report.threshold`` for the older small-count option):

* none: a chart draws ``table.frame``;
* ``"suppress"``: a chart whose table has hidden cells is withheld (its counts could be
  read off the bars); the others draw ``table.frame``;
* ``"hes"`` (NHS HES/ECDS rule): a chart draws ``table.published()`` (counts rounded to
  the nearest 5, counts 1-7 shown as ``*``) and carries :data:`HES_NOTE` under it;
* any other method: the chart is withheld.

The dashboard image (:func:`save_dashboard`) follows the same rules panel by panel, and
its cards show the KPI panel as the HTML cards do (``report.summary_display()``).

The monthly trend carries the process limits the report computed from the table it draws
(``report.signals.admissions``). The forecast chart of the "Next 4 weeks" section
(:func:`draw_forecast_chart`) is the exception to "tables only": a forecast models the
stays, and the section is withheld under any privacy method.
"""

from __future__ import annotations

import base64
import importlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ArgumentError, DataQualityWarning, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from . import Report, Table

__all__ = ["HES_NOTE", "WIRING", "Chart", "Wire", "dashboard_figure", "draw_charts",
           "draw_forecast_chart", "privacy_method", "save_dashboard"]

#: The note under a chart drawn from values published under the NHS HES rule.
HES_NOTE = "Values rounded to the nearest 5 (NHS HES rule); counts 1-7 shown as *."


@dataclass(frozen=True)
class Options:
    """What the report passes to every draw call besides the table.

    ``spc`` is the report's XmR frame of the monthly admissions
    (``report.signals.admissions``, computed from the published table), or None.
    """

    currency: str = ""
    top: int | None = 12
    missing: str = "–"
    spc: Any = None


@dataclass(frozen=True)
class Wire:
    """One row of the wiring: a report table, the chart that draws it, and the call."""

    table: str
    chart: str
    title: str
    draw: Callable[[Any, pd.DataFrame, Options], Any]


def _volume(role: str) -> Callable[[Any, pd.DataFrame, Options], Any]:
    return lambda plots, frame, o: plots.draw_volume_by(
        frame, by=role, measure="admissions", top=o.top, missing=o.missing)


#: Report table ↔ chart ↔ draw call, in report order. ``draw(plots, frame, options)``.
WIRING: tuple[Wire, ...] = (
    Wire("monthly", "admission_trend", "Monthly admissions and discharges",
         lambda plots, frame, o: plots.draw_admission_trend(
             frame, spc=o.spc if o.spc is not None else False)),
    Wire("by_department", "volume_by", "Admissions by department", _volume("department")),
    Wire("by_location", "volume_by", "Admissions by location", _volume("location")),
    Wire("by_ward", "volume_by", "Admissions by ward", _volume("ward")),
    Wire("los_distribution", "los_donut", "Length of stay",
         lambda plots, frame, o: plots.draw_los_donut(frame, missing=o.missing)),
    Wire("by_age_group", "age_groups", "Age groups",
         lambda plots, frame, o: plots.draw_age_groups(frame, currency=o.currency,
                                                       missing=o.missing)),
    Wire("occupancy_by_ward", "occupancy_treemap", "Bed occupancy by ward",
         lambda plots, frame, o: plots.draw_occupancy_treemap(frame, missing=o.missing)),
    Wire("monthly_occupancy_by_ward", "occupancy_heatmap", "Monthly bed occupancy by ward",
         lambda plots, frame, o: plots.draw_occupancy_heatmap(frame, missing=o.missing)),
    Wire("by_treatment", "treatment_breakdown", "Treatments: volume and cost",
         lambda plots, frame, o: plots.draw_treatment_breakdown(
             frame, currency=o.currency, top=o.top, missing=o.missing)),
)
_BY_TABLES = ("by_department", "by_location", "by_ward")


@dataclass
class Chart:
    """One drawn chart (``png`` is None when it could not be drawn; ``note`` says why).

    ``caption`` is a line to show under a drawn chart (the privacy rule it follows): the
    HTML page prints it under the image, as text.
    """

    table: str
    title: str
    png: bytes | None
    note: str = ""
    caption: str = ""

    @property
    def data_uri(self) -> str:
        """The PNG as a ``data:`` URI."""
        return "data:image/png;base64," + base64.b64encode(self.png or b"").decode("ascii")


def _plots():
    try:
        return importlib.import_module("hospitalytics.plots")
    except ImportError:
        return None


def privacy_method(report: Report) -> str | None:
    """The privacy method of a report: None, ``"suppress"``, ``"hes"`` (or another name).

    Reads ``report.privacy`` (None, a name such as ``"hes"`` or ``"suppress:10"``, or an
    object with a ``method`` attribute); without it, a suppression ``threshold`` means
    ``"suppress"``.
    """
    p = getattr(report, "privacy", None)
    if p is not None:
        method = getattr(p, "method", p)
        if isinstance(method, str) and method.strip():
            return method.split(":", 1)[0].strip().lower()
        return "unknown"
    return "suppress" if getattr(report, "threshold", None) is not None else None


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """Published cells as numbers: markers such as ``"*"`` become NaN (drawn as missing)."""
    out = frame.copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]):
            out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def _frame_for(table: Table, method: str | None, report: Report) -> tuple[Any, str]:
    """``(frame, caption)`` to draw, or ``(None, why it is withheld)``."""
    if method is None:
        return table.frame, ""
    if method == "suppress":
        if table.n_hidden:
            threshold = getattr(report, "threshold", None)
            below = f"below {threshold} " if threshold else ""
            return None, (f"chart withheld: it would show counts {below}(small-count "
                          "suppression); see the table, where they are hidden")
        return table.frame, ""
    if method == "hes":
        published = getattr(table, "published", None)
        if published is None:
            return None, "chart withheld: the table has no published (rounded) form"
        return _numeric(published()), HES_NOTE
    return None, f"chart withheld: unknown privacy method {method!r}"


def _options(report: Report, method: str | None) -> Options:
    sig = getattr(report, "signals", None)
    return Options(currency=str(getattr(report, "currency", "") or ""),
                   missing="*" if method == "hes" else "–",
                   spc=getattr(sig, "admissions", None))


def _png(fig, caption: str = "") -> bytes:
    """The figure as PNG bytes; ``caption`` is for the page, which prints it under it."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buf.getvalue()


def draw_charts(report: Report, progress: Callable[[str], None] | None = None) -> list[Chart]:
    """Draw the chart of every report table in :data:`WIRING`; PNG bytes at 110 dpi.

    Each chart draws the report's table (the privacy rules of the module docstring
    apply); nothing is recomputed from the stays.
    """
    plots = _plots()
    method = privacy_method(report)
    options = _options(report, method)
    charts: list[Chart] = []
    for wire in WIRING:
        table = report.tables.get(wire.table)
        if table is None:
            continue
        if plots is None:
            charts.append(Chart(wire.table, wire.title, None,
                                "chart not available (matplotlib is not installed)"))
            continue
        frame, caption = _frame_for(table, method, report)
        if frame is None:
            charts.append(Chart(wire.table, wire.title, None, caption))
            continue
        if progress:
            progress(f"drawing {wire.chart} ({wire.table})")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataQualityWarning)
                ax = wire.draw(plots, frame, options)
        except (SchemaError, ArgumentError, KeyError) as exc:
            charts.append(Chart(wire.table, wire.title, None, f"chart not drawn: {exc}"))
            continue
        charts.append(Chart(wire.table, wire.title, _png(ax.figure, caption), caption=caption))
    return charts


def draw_forecast_chart(report: Report) -> Chart | None:
    """The chart of the "Next 4 weeks" section: :func:`hospitalytics.plots.forecast`.

    The one chart drawn from the stays rather than a table: a forecast is a model of
    them. It is drawn only when the report has an outlook (never under a privacy
    method), with the arguments of the outlook's hospital row, so the chance of
    exceeding the beds in its subtitle is the table's. None when there is no outlook.
    """
    o = getattr(report, "outlook", None)
    if o is None or o.table is None:
        return None
    plots = _plots()
    title = "Beds in use: the next 4 weeks"
    if plots is None:
        return Chart("forecast", title, None,
                     "chart not available (matplotlib is not installed)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        ax = plots.forecast(report.data, beds=report.beds, horizon=o.horizon,
                            as_of=report.as_of)
    return Chart("forecast", title, _png(ax.figure))


def dashboard_figure(report: Report) -> Figure:
    """The dashboard of a report, drawn from its tables and KPI panel.

    The cards show ``report.summary_display()`` (hidden cells as the HTML cards show
    them); each panel follows the chart rules of the module docstring (a withheld panel
    says so).
    """
    plots = _plots()
    if plots is None:
        raise ArgumentError("cannot draw the dashboard: matplotlib is not installed; "
                            "write an .html report instead.")
    method = privacy_method(report)
    options = _options(report, method)
    tables: dict[str, object] = {"summary": report.summary_display()}
    for key, table in report.tables.items():
        frame, why = _frame_for(table, method, report)
        tables[key] = frame if frame is not None else why.removeprefix("chart ")
    if options.spc is not None and isinstance(tables.get("monthly"), pd.DataFrame):
        tables["monthly_spc"] = options.spc
    by = next((k.removeprefix("by_") for k in _BY_TABLES if k in report.tables), "department")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return plots.draw_dashboard(tables, by=by, currency=options.currency,
                                    missing=options.missing,
                                    footnote=HES_NOTE if method == "hes" else "")


def save_dashboard(report: Report, path: Path,
                   progress: Callable[[str], None] | None = None) -> None:
    """Save the report's dashboard (:func:`dashboard_figure`) to ``path``."""
    import matplotlib.pyplot as plt

    if progress:
        progress("drawing the dashboard")
    fig = dashboard_figure(report)
    fig.savefig(path, dpi=150, bbox_inches="tight", facecolor="white")
    plt.close(fig)
