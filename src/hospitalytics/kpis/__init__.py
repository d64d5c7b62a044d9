"""The KPIs: admissions, discharges, treatment cost, ALOS, bed-days, occupancy and more.

Every function takes a frame of stays first (canonical, or raw with column names that can
be inferred or mapped with ``columns=``) and returns pandas objects or Python scalars. The
same period arguments everywhere:

``start``, ``end``
    Inclusive calendar dates; ``None`` puts no bound on that side.
``mtd``, ``qtd``, ``ytd``
    Month-, quarter- or year-to-date through the as-of date.
``as_of``
    The extract date; defaults to the latest admission or discharge date in the data,
    never to today. Stays admitted after it do not exist yet, discharges after it have not
    happened (those stays are open and occupy beds through the as-of date).
``by``
    A grouping role (``"department"``, ``"ward"``, ``"location"``, ``"treatment"``,
    ``"age_group"``) or a list of them: the result is then a Series indexed by the groups,
    with every category of the data (zeros included) and a ``"(missing)"`` group for rows
    with no value, so groups always add up to the total.

A frame of ward segments (several rows per stay, sharing a ``stay_id`` within their
patient) gives both answers: the event KPIs (admissions, discharges, cost, LOS,
readmissions, breakdowns) count each stay once, from its first admission to its last
discharge; the census, bed-days and occupancy read every segment in its own ward (see
:ref:`segments`).

Conventions follow :mod:`hospitalytics.definitions` (default preset ``"who"``: calendar
days, a same-day stay counts as 1 day, ALOS per discharge). Bed-days and occupancy use the
midnight census: a stay occupies a bed on each day ``d`` with ``date(admission) <= d <
date(discharge)``; a same-day stay adds no bed-day unless ``day_case_bed_day`` is set.

The package is split by concern: counts and cost (``_counts``), length of stay
(``_los``), census, bed-days and occupancy (``_beds``), readmissions
(``_readmissions``), breakdowns (``_breakdowns``) and the KPI panel (``_summary``), over
shared kernels (``_kernels``); see :doc:`/architecture`.

Examples
--------
>>> import hospitalytics as hp
>>> df = hp.datasets.load_sample()
>>> hp.admissions(df, "2025-01-01", "2025-01-31")
2115
"""

from __future__ import annotations

from ._beds import (
    average_daily_census,
    bed_board,
    bed_days,
    bed_turnover,
    census,
    monthly_occupancy_by_ward,
    occupancy,
    occupancy_by_ward,
)
from ._breakdowns import by_age_group, by_treatment, monthly
from ._counts import admissions, discharges, treatment_cost
from ._kernels import DEFAULT_LOS_BANDS
from ._los import alos, long_stays, los_distribution
from ._readmissions import readmission_rate
from ._summary import summary

__all__ = [
    "DEFAULT_LOS_BANDS",
    "admissions",
    "alos",
    "average_daily_census",
    "bed_board",
    "bed_days",
    "bed_turnover",
    "by_age_group",
    "by_treatment",
    "census",
    "discharges",
    "long_stays",
    "los_distribution",
    "monthly",
    "monthly_occupancy_by_ward",
    "occupancy",
    "occupancy_by_ward",
    "readmission_rate",
    "summary",
    "treatment_cost",
]
