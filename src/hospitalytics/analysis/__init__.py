"""Analyses built on the KPI series: statistical process control (SPC).

Nothing here computes a KPI: the series come from the public KPI functions of
:mod:`hospitalytics.kpis`, and this subpackage only analyses them. Importing it does not
import matplotlib; the charts are in :mod:`hospitalytics.plots`.

Examples
--------
>>> import hospitalytics as hp
>>> res = hp.kpi_spc(hp.datasets.load_sample(), "alos")
>>> res.attrs["variation"]
'common cause'
"""

from ._spc import ASSURANCE, CHARTS, KPIS, LABELS, kpi_spc, spc, spc_signals

__all__ = [
    "ASSURANCE",
    "CHARTS",
    "KPIS",
    "LABELS",
    "kpi_spc",
    "spc",
    "spc_signals",
]
