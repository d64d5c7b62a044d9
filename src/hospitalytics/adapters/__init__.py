"""Adapters from standard clinical data models to canonical stay records.

Each adapter takes the tables of one source, as DataFrames read with pandas (or
:func:`hospitalytics.io.read` with ``usecols=None``), and returns a canonical frame: the
columns ``patient_id``, ``admission_date``, ``discharge_date``, ``department``, ``ward``,
``location``, ``treatment``, ``cost`` and ``age`` (those the source has, in that order),
then source keys such as ``stay_id``. Dates are naive ``datetime64`` (NaT discharge = still
in hospital), the category roles are ``category`` columns with text categories, ``cost``
and ``age`` are float64. Inputs are never modified.

- :func:`from_mimic`: MIMIC-IV ``hosp/admissions``, ``transfers``, ``patients``; stays or
  ward segments.
- :func:`from_synthea`: Synthea ``encounters.csv`` and ``patients.csv``.
- :func:`from_omop`: OMOP CDM ``visit_occurrence``, ``person``, ``visit_detail``.

:func:`hospitalytics.read` recognises these tables by their header and runs them through
their adapter itself (see :doc:`/user_guide/real_exports`).

Examples
--------
>>> import pandas as pd
>>> from hospitalytics.adapters import from_synthea
>>> enc = pd.DataFrame({"Id": ["e1"], "START": ["2020-01-01T10:00:00Z"],
...                     "STOP": ["2020-01-03T10:00:00Z"], "PATIENT": ["p1"]})
>>> list(from_synthea(enc).columns)
['patient_id', 'admission_date', 'discharge_date', 'stay_id']
"""

from .mimic import DEFAULT_NON_BED_UNITS, from_mimic
from .omop import INPATIENT_VISIT_CONCEPTS, VISIT_CONCEPTS, from_omop
from .synthea import from_synthea

__all__ = [
    "DEFAULT_NON_BED_UNITS",
    "INPATIENT_VISIT_CONCEPTS",
    "VISIT_CONCEPTS",
    "from_mimic",
    "from_omop",
    "from_synthea",
]
