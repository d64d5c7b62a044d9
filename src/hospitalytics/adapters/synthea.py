"""Synthea CSV export to canonical stay records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ._common import (
    as_category,
    assemble,
    check_frame,
    check_timezone,
    completed_years,
    find_column,
    lookup,
    numeric,
    to_naive,
)

__all__ = ["from_synthea"]

_ADAPTER = "from_synthea"


def from_synthea(
    encounters: pd.DataFrame,
    patients: pd.DataFrame | None = None,
    *,
    classes: Iterable[str] | str | None = None,
    timezone: Any = "UTC",
) -> pd.DataFrame:
    """Turn a Synthea ``encounters.csv`` (and ``patients.csv``) into canonical records.

    Parameters
    ----------
    encounters : DataFrame
        Synthea's ``encounters`` table. Needs ``Id``, ``START``, ``STOP`` and ``PATIENT``;
        ``ENCOUNTERCLASS``, ``TOTAL_CLAIM_COST`` and ``ORGANIZATION`` are used when
        present. Column names match in any case.
    patients : DataFrame, optional
        Synthea's ``patients`` table, for ``age``. Needs ``Id`` and ``BIRTHDATE``.
    classes : str or iterable of str, optional
        Keep only these encounter classes (``ENCOUNTERCLASS``, compared case-insensitively),
        e.g. ``["inpatient"]``. None keeps every class. Synthea records every contact
        (wellness, ambulatory, outpatient, urgent care, emergency, inpatient, SNF, hospice,
        virtual); the hospital-stay KPIs (ALOS, occupancy, census) usually want
        ``classes=["inpatient"]`` only: the Nebraska sample has 7,584 encounters, 49 of
        them inpatient.
    timezone : str or tzinfo, default "UTC"
        Synthea writes ``START``/``STOP`` in UTC (``2022-07-20T07:13:55Z``). They are
        converted to this zone and the zone is then dropped, giving naive local
        wall-clock times (timestamps without an offset are taken as UTC). This is the
        library's one rule for zoned timestamps: convert, then drop the zone.

    Returns
    -------
    DataFrame
        One row per encounter, in table order: ``patient_id`` (PATIENT),
        ``admission_date`` (START), ``discharge_date`` (STOP; NaT when missing),
        ``location`` (ORGANIZATION), ``treatment`` (ENCOUNTERCLASS), ``cost``
        (TOTAL_CLAIM_COST, float64), ``age`` (with ``patients``) and the extra column
        ``stay_id`` (Id). There is no ``department`` or ``ward``: Synthea does not
        record them.

    Raises
    ------
    SchemaError
        When a needed column is missing (``ENCOUNTERCLASS`` is needed by ``classes``).
    ArgumentError
        For an unknown ``timezone``.
    DataQualityError
        When a timestamp or cost cannot be parsed, or ``patients.Id`` repeats.

    Notes
    -----
    ``age`` is the number of whole years completed at ``START`` (local time, after the
    time zone conversion) since ``BIRTHDATE``: the birthday counts from its first
    moment; someone born on 29 February turns a year older on 1 March in non-leap years.
    Encounters of patients missing from ``patients`` get NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> encounters = pd.DataFrame({
    ...     "Id": ["e1", "e2", "e3"],
    ...     "START": ["2020-03-01T22:00:00Z", "2020-03-05T08:00:00Z", "2020-03-06T09:00:00Z"],
    ...     "STOP": ["2020-03-04T10:00:00Z", "2020-03-05T08:30:00Z", None],
    ...     "PATIENT": ["p1", "p1", "p2"],
    ...     "ORGANIZATION": ["o1", "o1", "o2"],
    ...     "ENCOUNTERCLASS": ["inpatient", "ambulatory", "inpatient"],
    ...     "TOTAL_CLAIM_COST": [9000.0, 120.5, 5000.0],
    ... })
    >>> patients = pd.DataFrame({"Id": ["p1", "p2"], "BIRTHDATE": ["1980-03-02", "2001-01-01"]})
    >>> stays = from_synthea(encounters, patients, classes=["inpatient"])
    >>> stays[["stay_id", "admission_date", "discharge_date", "cost", "age"]]
      stay_id      admission_date      discharge_date    cost   age
    0      e1 2020-03-01 22:00:00 2020-03-04 10:00:00  9000.0  39.0
    1      e3 2020-03-06 09:00:00                 NaT  5000.0  19.0
    >>> local = from_synthea(encounters, timezone="America/Chicago")
    >>> local["admission_date"].iloc[0]
    Timestamp('2020-03-01 16:00:00')
    """
    encounters = check_frame(encounters, "encounters", _ADAPTER)
    timezone = check_timezone(timezone, _ADAPTER)

    def col(name: str, role: str, required: bool = True):
        return find_column(
            encounters, name, table="encounters", adapter=_ADAPTER, role=role,
            required=required,
        )

    e_id = col("Id", "stay_id")
    e_start = col("START", "admission_date")
    e_stop = col("STOP", "discharge_date")
    e_patient = col("PATIENT", "patient_id")
    e_class = col("ENCOUNTERCLASS", "treatment", required=classes is not None)
    e_cost = col("TOTAL_CLAIM_COST", "cost", required=False)
    e_org = col("ORGANIZATION", "location", required=False)

    rows = encounters
    if classes is not None:
        wanted = {classes.lower()} if isinstance(classes, str) else {
            str(c).lower() for c in classes
        }
        values = encounters[e_class]
        keep_values = [v for v in values.dropna().unique() if str(v).lower() in wanted]
        rows = encounters.loc[values.isin(keep_values).to_numpy()]

    start = to_naive(rows[e_start], column=e_start, adapter=_ADAPTER, timezone=timezone)
    stop = to_naive(rows[e_stop], column=e_stop, adapter=_ADAPTER, timezone=timezone)
    age = None
    if patients is not None:
        patients = check_frame(patients, "patients", _ADAPTER)
        p_id = find_column(patients, "Id", table="patients", adapter=_ADAPTER,
                           role="patient_id")
        p_birth = find_column(patients, "BIRTHDATE", table="patients", adapter=_ADAPTER,
                              role="age")
        birth_text = lookup(rows[e_patient], patients, p_id, [p_birth],
                            table_name="patients", adapter=_ADAPTER)[p_birth]
        birth = to_naive(pd.Series(birth_text, index=rows.index), column=p_birth,
                         adapter=_ADAPTER)
        age = completed_years(birth.dt.year, birth.dt.month, birth.dt.day, start)
    return assemble({
        "patient_id": rows[e_patient],
        "admission_date": start,
        "discharge_date": stop,
        "location": None if e_org is None else as_category(rows[e_org]),
        "treatment": None if e_class is None else as_category(rows[e_class]),
        "cost": None if e_cost is None else numeric(rows[e_cost], column=e_cost,
                                                    adapter=_ADAPTER),
        "age": age,
        "stay_id": rows[e_id],
    })
