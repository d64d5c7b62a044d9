"""Charts of the hospital KPIs: the six standard charts, KPI cards and a dashboard.

Importing this subpackage imports matplotlib (and squarify); ``import hospitalytics``
does not. Every number drawn comes from a KPI function of :mod:`hospitalytics.kpis`;
this subpackage only formats (with :func:`hospitalytics._format.fmt`, as the report and
the CLI do) and draws.

:func:`occupancy_profile` draws the "when are we full" table of
:func:`hospitalytics.occupancy_profile` (occupancy by time of day and weekday).

:func:`forecast` draws the recent history and the forecast of the census or of the
admissions (:mod:`hospitalytics.analysis.forecast`) with their intervals.

Every chart has the shape ``chart(data, *, <options>, start=None, end=None, mtd=False,
qtd=False, ytd=False, as_of=None, definitions=None, columns=None, ax=None, **kwargs)
-> Axes``:

* ``data`` is the frame of stays; the rest is keyword-only, and the period and
  ``definitions`` arguments mean what they mean for the KPIs.
* ``ax=None`` creates a **new figure and Axes** (never the current axes); with an Axes
  given the chart draws into it. The two-measure charts (:func:`age_groups`,
  :func:`treatment_breakdown`) split that Axes into two panels sharing the category
  axis (its ``child_axes``).
* ``**kwargs`` go to the chart's main matplotlib call (named in each docstring).
* A period with nothing to draw warns (:class:`~hospitalytics.errors.DataQualityWarning`)
  and returns the Axes with a "No data" note; a missing column role raises
  :class:`~hospitalytics.errors.SchemaError`.
* Labels from the data are drawn literally (a ``$`` is not mathtext), without control or
  bidi characters, and shortened with "…" past 40 characters.

Each chart is a KPI call followed by a ``draw_<chart>(table, ...)`` function that draws
the KPI's result: call the ``draw_`` function to draw a table you already have (the
report draws its precomputed, privacy-protected tables this way).

The same charts are methods of ``df.hospital.plot``. The SPC chart, :func:`spc_chart`,
draws the frame of :func:`hospitalytics.kpi_spc` or :func:`hospitalytics.spc` instead:
``spc_chart(df.hospital.spc("alos"))``.

Examples
--------
>>> import hospitalytics as hp
>>> from hospitalytics import plots
>>> df = hp.datasets.load_sample()
>>> ax = plots.admission_trend(df)
>>> ax = df.hospital.plot.los_donut(mtd=True)
>>> ax = plots.draw_volume_by(hp.admissions(df, by="ward", ytd=True), by="ward")
"""

from ._accessor import PlotAccessor
from ._dashboard import DASHBOARD_TABLES, dashboard, draw_dashboard
from ._forecast import forecast
from .age import age_groups, draw_age_groups
from .cards import DEFAULT_CARDS, draw_kpi_cards, kpi_cards
from .los import draw_los_donut, los_donut
from .occupancy import (
    draw_occupancy_heatmap,
    draw_occupancy_treemap,
    occupancy_heatmap,
    occupancy_treemap,
)
from .profile import draw_occupancy_profile, occupancy_profile
from .spc import SPC_COLORS, spc_chart
from .treatment import draw_treatment_breakdown, treatment_breakdown
from .trend import admission_trend, draw_admission_trend
from .volume import draw_volume_by, volume_by

__all__ = [
    "DASHBOARD_TABLES",
    "DEFAULT_CARDS",
    "PlotAccessor",
    "SPC_COLORS",
    "admission_trend",
    "age_groups",
    "dashboard",
    "draw_admission_trend",
    "draw_age_groups",
    "draw_dashboard",
    "draw_kpi_cards",
    "draw_los_donut",
    "draw_occupancy_heatmap",
    "draw_occupancy_profile",
    "draw_occupancy_treemap",
    "draw_treatment_breakdown",
    "draw_volume_by",
    "forecast",
    "kpi_cards",
    "los_donut",
    "occupancy_heatmap",
    "occupancy_profile",
    "occupancy_treemap",
    "spc_chart",
    "treatment_breakdown",
    "volume_by",
]
