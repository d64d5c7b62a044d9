"""hospitalytics: hospital operations analytics for pandas.

One row per hospital stay in a DataFrame in; the standard management KPIs (admissions,
discharges, treatment cost, average length of stay, bed occupancy and more) out, by the
official definitions, for any period, month-to-date, and by department, ward, treatment or
age group. Importing the package registers the ``DataFrame.hospital`` accessor; it does
not import matplotlib (:mod:`hospitalytics.plots` does, when used).

Examples
--------
>>> import hospitalytics as hp
>>> df = hp.datasets.load_sample()
>>> df.hospital.admissions(mtd=True)
1074
"""

import sys as _sys

from . import (
    _sweep,
    adapters,
    analysis,
    clock,
    datasets,
    definitions,
    errors,
    kpis,
    periods,
    schema,
)
from ._version import __version__
from .accessor import HospitalAccessor
from .analysis import backtest, forecast_admissions, forecast_census, kpi_spc, spc
from .clean import CleaningReport, standardize
from .clock import census_at, daily_presence, occupancy_profile
from .definitions import Definitions
from .errors import (
    ArgumentError,
    ArgumentTypeError,
    DataQualityError,
    DataQualityWarning,
    HospitalyticsError,
    SchemaError,
)
from .io import read
from .kpis import (
    admissions,
    alos,
    average_daily_census,
    bed_board,
    bed_days,
    bed_turnover,
    by_age_group,
    by_treatment,
    census,
    discharges,
    long_stays,
    los_distribution,
    monthly,
    monthly_occupancy_by_ward,
    occupancy,
    occupancy_by_ward,
    readmission_rate,
    summary,
    treatment_cost,
)

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "CleaningReport",
    "DataQualityError",
    "DataQualityWarning",
    "Definitions",
    "HospitalAccessor",
    "HospitalyticsError",
    "SchemaError",
    "__version__",
    "adapters",
    "admissions",
    "alos",
    "analysis",
    "average_daily_census",
    "backtest",
    "bed_board",
    "bed_days",
    "bed_turnover",
    "by_age_group",
    "by_treatment",
    "census",
    "census_at",
    "clock",
    "daily_presence",
    "datasets",
    "definitions",
    "discharges",
    "errors",
    "forecast_admissions",
    "forecast_census",
    "kpi_spc",
    "kpis",
    "long_stays",
    "los_distribution",
    "monthly",
    "monthly_occupancy_by_ward",
    "occupancy",
    "occupancy_by_ward",
    "occupancy_profile",
    "periods",
    "read",
    "readmission_rate",
    "schema",
    "spc",
    "standardize",
    "summary",
    "treatment_cost",
]

# The module of the event-sweep kernels was hospitalytics.census until the function took
# that name: keep "from hospitalytics.census import Stays" working (deprecated).
_sys.modules.setdefault(__name__ + ".census", _sweep.LegacyCensusModule(__name__ + ".census"))
