"""MIMIC-IV (``hosp`` module) to canonical stay records."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import ArgumentError, DataQualityError
from ._common import (
    as_category,
    assemble,
    check_frame,
    check_level,
    find_column,
    join_keys,
    lookup,
    numeric,
    to_naive,
)

__all__ = ["DEFAULT_NON_BED_UNITS", "from_mimic"]

#: Care units of MIMIC-IV ``transfers`` that are not bed wards, left out of ward
#: segments by default. In the MIMIC-IV demo (v2.2) they are:
#:
#: - ``"Emergency Department"``: every ``ED`` event (236 rows, 54 of them with no
#:   ``hadm_id``); the time before admission, not an in-patient bed.
#: - ``"Emergency Department Observation"``: ED observation bays (26 rows, median stay
#:   26 minutes); 23 admissions pass only through it and are discharged from the ED.
#: - ``"Discharge Lounge"``: patients waiting for transport after leaving their ward bed
#:   (36 rows); counting them would inflate ward occupancy at the end of the stay.
#: - ``"Unknown"``: one 36-hour segment whose unit was not recorded; no ward capacity can
#:   be set for it.
#:
#: ``"PACU"`` (post-anaesthesia recovery, sometimes overnight) and ``"Observation"`` are
#: kept as bed units. Pass ``exclude_units=()`` to keep every unit.
DEFAULT_NON_BED_UNITS: tuple[str, ...] = (
    "Discharge Lounge",
    "Emergency Department",
    "Emergency Department Observation",
    "Unknown",
)

_ADAPTER = "from_mimic"


def from_mimic(
    admissions: pd.DataFrame,
    transfers: pd.DataFrame | None = None,
    patients: pd.DataFrame | None = None,
    *,
    level: str = "stay",
    exclude_units: Iterable[str] | None = DEFAULT_NON_BED_UNITS,
) -> pd.DataFrame:
    """Turn MIMIC-IV ``hosp`` tables into canonical stay (or ward-segment) records.

    Parameters
    ----------
    admissions : DataFrame
        The ``hosp/admissions`` table (one row per hospital stay). Needs ``subject_id``,
        ``hadm_id``, ``admittime`` and ``dischtime``; ``admission_type`` becomes
        ``treatment`` and ``discharge_location`` (with ``hospital_expire_flag``)
        ``discharge_disposition`` when present. Column names match in any case.
    transfers : DataFrame, optional
        The ``hosp/transfers`` table (ward movements). Needs ``hadm_id``, ``careunit``,
        ``intime`` and ``outtime``; uses ``eventtype`` and ``transfer_id`` when present.
        Required for ``level="segment"``.
    patients : DataFrame, optional
        The ``hosp/patients`` table, for ``age``. Needs ``subject_id``, ``anchor_age`` and
        ``anchor_year``.
    level : {"stay", "segment"}, default "stay"
        ``"stay"``: one row per admission. ``"segment"``: one row per ward segment (a
        transfer into a bed unit), the frame for ward census and occupancy, where each
        segment occupies a bed in its own ward.
    exclude_units : iterable of str, default DEFAULT_NON_BED_UNITS
        Care units that are not bed wards (matched exactly); their rows are never
        segments and never the ward of a stay. See :data:`DEFAULT_NON_BED_UNITS`.

    Returns
    -------
    DataFrame
        ``level="stay"``: ``patient_id`` (subject_id), ``admission_date`` (admittime),
        ``discharge_date`` (dischtime), ``department`` and ``ward`` (the first bed ward
        of the stay, only with ``transfers``; NaN for a stay that never reached a bed
        ward), ``treatment`` (admission_type), ``age`` (with ``patients``), ``stay_id``
        (hadm_id) and ``discharge_disposition`` (discharge_location; ``"DIED"`` where
        ``hospital_expire_flag`` is 1 and no location was recorded), in the order of
        ``admissions``.

        ``level="segment"``: one row per bed-unit segment, ordered by stay then
        ``intime``: ``patient_id``, ``admission_date`` (intime), ``discharge_date``
        (outtime; NaT for a segment still open), ``department`` and ``ward`` (careunit),
        ``treatment``, ``age``, ``stay_id`` and ``discharge_disposition`` of the stay, and
        the extra column ``transfer_id``.

        There is no ``cost`` (MIMIC has none) and no ``location`` (one hospital).

    Raises
    ------
    SchemaError
        When a needed column is missing from a table.
    ArgumentError
        For a bad ``level``, or ``level="segment"`` without ``transfers``.
    DataQualityError
        When ``hadm_id`` repeats in ``admissions`` or ``subject_id`` in ``patients``, or
        a timestamp column cannot be parsed.

    Notes
    -----
    *Transfers.* Rows with ``eventtype == "discharge"`` mark the moment of discharge and
    have no care unit and no ``outtime``: they are not segments. Rows without ``hadm_id``
    (54 in the demo, all ``Emergency Department`` visits that did not become an admission)
    belong to no stay and are dropped, as are segments of stays that are not in
    ``admissions`` (so a filtered ``admissions`` filters the segments too). A non-discharge
    row with no ``outtime`` is kept as an open segment (NaT); the demo has none. Stays
    whose every unit is excluded (23 in the demo, discharged from ED observation) have no
    segment and, at stay level, a missing ward. The ward of a stay is its earliest bed
    segment by ``intime`` (ties keep the table order). ``department`` repeats ``ward``:
    MIMIC's care units are the finest organisational unit it records.

    *Age.* MIMIC-IV shifts every date of a patient by one random offset into 2110-2201
    and publishes ``anchor_age``, the age in the shifted year ``anchor_year``. Age at
    admission is therefore ``anchor_age + (year(admittime) - anchor_year)``, exact to
    within a year. ``anchor_age`` is capped at 91 for patients over 89, so their ages
    are lower bounds.

    Examples
    --------
    >>> import pandas as pd
    >>> admissions = pd.DataFrame({
    ...     "subject_id": [1, 2],
    ...     "hadm_id": [10, 20],
    ...     "admittime": ["2150-01-01 08:00:00", "2150-01-02 09:00:00"],
    ...     "dischtime": ["2150-01-05 10:00:00", "2150-01-02 17:00:00"],
    ...     "admission_type": ["URGENT", "EW EMER."],
    ... })
    >>> patients = pd.DataFrame(
    ...     {"subject_id": [1, 2], "anchor_age": [60, 30], "anchor_year": [2148, 2150]}
    ... )
    >>> from_mimic(admissions, patients=patients)[["patient_id", "treatment", "age"]]
       patient_id treatment   age
    0           1    URGENT  62.0
    1           2  EW EMER.  30.0
    >>> transfers = pd.DataFrame({
    ...     "hadm_id": [10.0, 10.0, 10.0, None],
    ...     "eventtype": ["ED", "admit", "discharge", "ED"],
    ...     "careunit": ["Emergency Department", "Medicine", None, "Emergency Department"],
    ...     "intime": ["2150-01-01 06:00:00", "2150-01-01 08:00:00",
    ...                "2150-01-05 10:00:00", "2150-01-03 01:00:00"],
    ...     "outtime": ["2150-01-01 08:00:00", "2150-01-05 10:00:00", None,
    ...                 "2150-01-03 04:00:00"],
    ... })
    >>> from_mimic(admissions, transfers)["ward"].tolist()
    ['Medicine', nan]
    >>> seg = from_mimic(admissions, transfers, level="segment")
    >>> seg[["stay_id", "ward", "admission_date", "discharge_date"]]
       stay_id      ward      admission_date      discharge_date
    0       10  Medicine 2150-01-01 08:00:00 2150-01-05 10:00:00
    """
    admissions = check_frame(admissions, "admissions", _ADAPTER)
    level = check_level(level, _ADAPTER)
    if level == "segment" and transfers is None:
        raise ArgumentError(
            f"{_ADAPTER}: level='segment' builds one row per ward segment from the "
            "transfers table; pass transfers=<hosp/transfers DataFrame>."
        )
    excluded = _excluded(exclude_units)

    def col(name: str, role: str, required: bool = True):
        return find_column(
            admissions, name, table="admissions", adapter=_ADAPTER, role=role,
            required=required,
        )

    a_subject = col("subject_id", "patient_id")
    a_hadm = col("hadm_id", "stay_id")
    a_admit = col("admittime", "admission_date")
    a_disch = col("dischtime", "discharge_date")
    a_type = col("admission_type", "treatment", required=False)
    a_where = col("discharge_location", "discharge_disposition", required=False)
    a_died = col("hospital_expire_flag", "discharge_disposition", required=False)
    if admissions[a_hadm].duplicated().any():
        dup = admissions.loc[admissions[a_hadm].duplicated(), a_hadm].iloc[0]
        raise DataQualityError(
            f"{_ADAPTER}: admissions.hadm_id is not unique (e.g. {dup!r}); pass one row per "
            "hospital stay."
        )

    admit = to_naive(admissions[a_admit], column=a_admit, adapter=_ADAPTER)
    disch = to_naive(admissions[a_disch], column=a_disch, adapter=_ADAPTER)
    treatment = as_category(admissions[a_type]) if a_type is not None else None
    disposition = _disposition(admissions, a_where, a_died)
    age = None
    if patients is not None:
        age = _ages(admissions[a_subject], admit, check_frame(patients, "patients", _ADAPTER))

    stays = {
        "patient_id": admissions[a_subject],
        "admission_date": admit,
        "discharge_date": disch,
        "treatment": treatment,
        "age": age,
        "stay_id": admissions[a_hadm],
        "discharge_disposition": disposition,
    }
    if transfers is None:
        return assemble(stays)

    seg = _bed_segments(check_frame(transfers, "transfers", _ADAPTER), admissions[a_hadm],
                        excluded)
    if level == "stay":
        first = seg.drop_duplicates("pos")  # seg is sorted by stay, then intime
        ward_text = pd.Series(first["unit"].to_numpy(), index=first["pos"].to_numpy())
        ward_text = ward_text.reindex(np.arange(len(admissions)))
        ward = as_category(ward_text)
        stays["department"] = ward
        stays["ward"] = ward.copy()
        return assemble(stays)

    pos = seg["pos"].to_numpy()
    ward = as_category(seg["unit"])
    return assemble({
        "patient_id": admissions[a_subject].iloc[pos],
        "admission_date": seg["intime"],
        "discharge_date": seg["outtime"],
        "department": ward,
        "ward": ward.copy(),
        "treatment": None if treatment is None else treatment.take(pos),
        "age": None if age is None else pd.Series(age).iloc[pos],
        "stay_id": admissions[a_hadm].iloc[pos],
        "discharge_disposition": None if disposition is None else disposition.take(pos),
        "transfer_id": seg["transfer_id"] if "transfer_id" in seg else None,
    })


def _disposition(admissions: pd.DataFrame, where, died) -> pd.Categorical | None:
    """Return ``discharge_location``, ``"DIED"`` where only the expire flag says so.

    None when the table has neither column.
    """
    if where is None and died is None:
        return None
    text = (admissions[where].astype(object) if where is not None
            else pd.Series(np.nan, index=admissions.index, dtype=object))
    if died is not None:
        flag = numeric(admissions[died], column=died, adapter=_ADAPTER).to_numpy() == 1
        text = text.where(~(flag & text.isna().to_numpy()), "DIED")
    return as_category(text)


def _excluded(exclude_units: Iterable[str] | None) -> list[str]:
    if exclude_units is None:
        return []
    if isinstance(exclude_units, str):
        return [exclude_units]
    return [str(u) for u in exclude_units]


def _ages(subject: pd.Series, admit: pd.Series, patients: pd.DataFrame) -> pd.Series:
    def col(name: str):
        return find_column(patients, name, table="patients", adapter=_ADAPTER, role="age")

    p_subject, p_age, p_year = col("subject_id"), col("anchor_age"), col("anchor_year")
    found = lookup(subject, patients, p_subject, [p_age, p_year], table_name="patients",
                   adapter=_ADAPTER)
    anchor_age = numeric(found[p_age], column=p_age, adapter=_ADAPTER)
    anchor_year = numeric(found[p_year], column=p_year, adapter=_ADAPTER)
    years = admit.dt.year.astype("float64")
    return (anchor_age + (years - anchor_year)).astype("float64")


def _bed_segments(
    transfers: pd.DataFrame, stay_ids: pd.Series, excluded: list[str]
) -> pd.DataFrame:
    """Bed-unit segments of the stays in ``stay_ids``, sorted by stay then intime.

    Columns: ``pos`` (row position of the stay in admissions), ``unit``, ``intime``,
    ``outtime`` and ``transfer_id`` when the table has it.
    """
    def col(name: str, role: str, required: bool = True):
        return find_column(
            transfers, name, table="transfers", adapter=_ADAPTER, role=role,
            required=required,
        )

    t_hadm = col("hadm_id", "stay_id")
    t_unit = col("careunit", "ward")
    t_in = col("intime", "admission_date")
    t_out = col("outtime", "discharge_date")
    t_event = col("eventtype", "ward", required=False)
    t_id = col("transfer_id", "ward", required=False)

    units = transfers[t_unit]
    keep = transfers[t_hadm].notna().to_numpy() & units.notna().to_numpy()
    keep &= ~units.isin(excluded).to_numpy()
    if t_event is not None:
        events = transfers[t_event]
        discharge = [e for e in events.dropna().unique() if str(e).lower() == "discharge"]
        keep &= ~events.isin(discharge).to_numpy()
    rows = transfers.loc[keep]
    left, right = join_keys(rows[t_hadm], stay_ids)
    pos = pd.Index(right).get_indexer(left)
    known = pos >= 0
    rows = rows.loc[known]
    seg = pd.DataFrame({
        "pos": pos[known],
        "unit": rows[t_unit].to_numpy(),
        "intime": to_naive(rows[t_in], column=t_in, adapter=_ADAPTER).to_numpy(),
        "outtime": to_naive(rows[t_out], column=t_out, adapter=_ADAPTER).to_numpy(),
    })
    if t_id is not None:
        seg["transfer_id"] = rows[t_id].to_numpy()
    return seg.sort_values(["pos", "intime"], kind="mergesort", na_position="last",
                           ignore_index=True)
