"""Charts of the hospital KPIs: the six standard charts, KPI cards and a dashboard.

Importing this subpackage imports matplotlib (and squarify); ``import hospitalytics``
does not. Every number drawn comes from a KPI function of :mod:`hospitalytics.kpis`;
this subpackage only formats (percentages, money, thousands separators) and draws.

:func:`forecast` draws the recent history and the forecast of the census or of the
admissions (:mod:`hospitalytics.analysis.forecast`) with their intervals.

Every chart has the shape ``chart(data, *, <options>, start=None, end=None, mtd=False,
as_of=None, columns=None, ax=None, **kwargs) -> Axes``:

* ``data`` is the frame of stays; the rest is keyword-only.
* ``ax=None`` creates a **new figure and Axes** (never the current axes); with an Axes
  given the chart draws into it. The two-measure charts (:func:`age_groups`,
  :func:`treatment_breakdown`) put their cost measure on a twin axis of that Axes.
* ``**kwargs`` go to the chart's main matplotlib call (named in each docstring).
* A period with nothing to draw warns (:class:`~hospitalytics.errors.DataQualityWarning`)
  and returns the Axes with a "No data" note; a missing column role raises
  :class:`~hospitalytics.errors.SchemaError`.

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
"""

from ._accessor import PlotAccessor
from .age import age_groups
from .cards import DEFAULT_CARDS, kpi_cards
from .dashboard import dashboard
from .forecast import forecast
from .los import los_donut
from .occupancy import occupancy_heatmap, occupancy_treemap
from .spc import SPC_COLORS, spc_chart
from .treatment import treatment_breakdown
from .trend import admission_trend
from .volume import volume_by

__all__ = [
    "DEFAULT_CARDS",
    "PlotAccessor",
    "SPC_COLORS",
    "admission_trend",
    "age_groups",
    "dashboard",
    "forecast",
    "kpi_cards",
    "los_donut",
    "occupancy_heatmap",
    "occupancy_treemap",
    "spc_chart",
    "treatment_breakdown",
    "volume_by",
]
