"""Analyses built on the KPI series: statistical process control (SPC) and forecasts.

Nothing here computes a KPI: the series come from the public KPI functions of
:mod:`hospitalytics.kpis` (and the census kernels), and this subpackage only analyses
them. Importing it does not import matplotlib; the charts are in
:mod:`hospitalytics.plots`.

- SPC: :func:`spc`, :func:`kpi_spc` and :func:`spc_signals`.
- Forecasts (:mod:`hospitalytics.analysis.forecast`): :func:`forecast_admissions`,
  :func:`forecast_census`, :func:`backtest`, :func:`forecast_outlook` and
  :func:`admissions_series`. They need the optional statsmodels
  (``pip install "hospitalytics[forecast]"``), imported only when a forecast is made.

Examples
--------
>>> import hospitalytics as hp
>>> res = hp.kpi_spc(hp.datasets.load_sample(), "alos")
>>> res.attrs["variation"]
'common cause'
"""

from ._spc import ASSURANCE, CHARTS, KPIS, LABELS, kpi_spc, spc, spc_signals
from .forecast import (
    admissions_series,
    backtest,
    forecast_admissions,
    forecast_census,
    forecast_outlook,
)

__all__ = [
    "ASSURANCE",
    "CHARTS",
    "KPIS",
    "LABELS",
    "admissions_series",
    "backtest",
    "forecast_admissions",
    "forecast_census",
    "forecast_outlook",
    "kpi_spc",
    "spc",
    "spc_signals",
]
