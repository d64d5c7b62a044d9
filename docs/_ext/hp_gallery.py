"""Helpers for the sphinx-gallery configuration (kept out of conf.py so it pickles)."""

from __future__ import annotations

from pathlib import Path

#: The reading order of the gallery: the trend first, the dashboard last.
ORDER = (
    "plot_admission_trend.py",
    "plot_admission_seasonality.py",
    "plot_volume_by.py",
    "plot_los_donut.py",
    "plot_age_groups.py",
    "plot_treatment_breakdown.py",
    "plot_occupancy_treemap.py",
    "plot_occupancy_heatmap.py",
    "plot_kpi_cards.py",
    "plot_dashboard.py",
)


class ChartOrder:
    """Sort key for ``within_subsection_order``: :data:`ORDER`, then new files by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        name = Path(filename).name
        rank = ORDER.index(name) if name in ORDER else len(ORDER)
        return (rank, name)

    def __repr__(self):  # sphinx-gallery puts the key in its config hash
        return f"{type(self).__name__}()"
