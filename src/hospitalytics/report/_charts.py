"""Drawing the report's charts with :mod:`hospitalytics.plots` (imported only here)."""

from __future__ import annotations

import base64
import importlib
import inspect
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ArgumentError, DataQualityWarning, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from . import Report

__all__ = ["CHARTS", "Chart", "draw_charts", "save_dashboard"]

#: (table behind the chart, plot function, heading), in report order.
CHARTS: tuple[tuple[str, str, str], ...] = (
    ("monthly", "admission_trend", "Monthly admissions and discharges"),
    ("by_department", "volume_by", "Admissions by department"),
    ("los_distribution", "los_donut", "Length of stay"),
    ("by_age_group", "age_groups", "Age groups"),
    ("occupancy_by_ward", "occupancy_treemap", "Bed occupancy by ward"),
    ("monthly_occupancy_by_ward", "occupancy_heatmap", "Monthly bed occupancy by ward"),
    ("by_treatment", "treatment_breakdown", "Treatments: volume and cost"),
)
_EXTRA = {"volume_by": {"by": "department"}}
# Without costs, the treatment chart falls back to the volume bars.
_FALLBACK = {"treatment_breakdown": ("volume_by", {"by": "treatment"})}


@dataclass
class Chart:
    """One drawn chart (``png`` is None when it could not be drawn; ``note`` says why)."""

    table: str
    title: str
    png: bytes | None
    note: str = ""

    @property
    def data_uri(self) -> str:
        """The PNG as a ``data:`` URI."""
        return "data:image/png;base64," + base64.b64encode(self.png or b"").decode("ascii")


def _plots():
    try:
        return importlib.import_module("hospitalytics.plots")
    except ImportError:
        return None


def _call(func: Callable, report: Report, **extra):
    """Call a plot function with the report's data and the options it accepts."""
    params = inspect.signature(func).parameters
    options = {
        "beds": report.beds,
        "start": report.start,
        "end": report.end,
        "as_of": report.as_of,
        "definitions": report.definitions,
        **extra,
    }
    if report.threshold is not None:
        options["suppress"] = report.threshold
    kwargs = {k: v for k, v in options.items() if k in params}
    return func(report.data, **kwargs)


def _accepts_suppress(func: Callable) -> bool:
    return "suppress" in inspect.signature(func).parameters


def draw_charts(report: Report, progress: Callable[[str], None] | None = None) -> list[Chart]:
    """Draw every chart whose table the report has; PNG bytes at 110 dpi."""
    plots = _plots()
    charts: list[Chart] = []
    for key, name, title in CHARTS:
        table = report.tables.get(key)
        if table is None:
            continue
        func = getattr(plots, name, None) if plots is not None else None
        if func is None:
            charts.append(Chart(key, title, None,
                                f"chart not available (hospitalytics.plots.{name} is missing)"))
            continue
        if table.n_hidden and not _accepts_suppress(func):
            charts.append(Chart(
                key, title, None,
                f"chart withheld: it would show counts below {report.threshold} "
                "(small-count suppression); see the table, where they are hidden",
            ))
            continue
        if progress:
            progress(f"drawing {name}")
        import matplotlib.pyplot as plt

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataQualityWarning)
                ax = _call(func, report, **_EXTRA.get(name, {}))
        except SchemaError as exc:
            fallback = _FALLBACK.get(name)
            if fallback is None or not hasattr(plots, fallback[0]):
                charts.append(Chart(key, title, None,
                                    f"chart not drawn: the data has no {exc.role} column"))
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataQualityWarning)
                ax = _call(getattr(plots, fallback[0]), report, **fallback[1])
        except ArgumentError as exc:
            charts.append(Chart(key, title, None, f"chart not drawn: {exc}"))
            continue
        fig = ax.figure if hasattr(ax, "figure") else ax
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", facecolor="white")
        plt.close(fig)
        charts.append(Chart(key, title, buf.getvalue()))
    return charts


def save_dashboard(report: Report, path: Path,
                   progress: Callable[[str], None] | None = None) -> None:
    """Save :func:`hospitalytics.plots.dashboard` for the report to ``path``."""
    plots = _plots()
    if plots is None or not hasattr(plots, "dashboard"):
        raise ArgumentError(
            f"cannot write {path.name!r}: hospitalytics.plots.dashboard is not available; "
            "write an .html report instead."
        )
    func = plots.dashboard
    hidden = report.summary_mask is not None and bool(report.summary_mask.to_numpy().any())
    hidden = hidden or any(t.n_hidden for t in report.tables.values())
    if hidden and not _accepts_suppress(func):
        raise ArgumentError(
            f"cannot write {path.name!r} with --suppress {report.threshold}: some counts are "
            "below the threshold and the dashboard image cannot hide them; write an .html "
            "report (or .json/.csv) instead."
        )
    if progress:
        progress("drawing the dashboard")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        fig = _call(func, report)
    fig = getattr(fig, "figure", fig)
    fig.savefig(path, dpi=150, bbox_inches="tight", facecolor="white")
    plt.close(fig)
