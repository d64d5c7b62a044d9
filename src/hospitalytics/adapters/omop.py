"""OMOP CDM (v5.3/5.4) ``visit_occurrence`` to canonical stay records."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import ArgumentError, DataQualityError
from ._common import (
    as_category,
    assemble,
    categorical_from_codes,
    check_frame,
    check_level,
    completed_years,
    find_column,
    join_keys,
    lookup,
    numeric,
    to_naive,
)

__all__ = ["INPATIENT_VISIT_CONCEPTS", "VISIT_CONCEPTS", "from_omop"]

#: Labels of the standard OMOP visit concepts (their names in the OHDSI vocabulary);
#: other concept ids become ``"Other (concept <id>)"``.
VISIT_CONCEPTS: dict[int, str] = {
    9201: "Inpatient Visit",
    9202: "Outpatient Visit",
    9203: "Emergency Room Visit",
    262: "Emergency Room and Inpatient Visit",
    8717: "Inpatient Hospital",
}

#: The visit concepts that are hospital stays (an in-patient bed): ``9201`` Inpatient
#: Visit, ``262`` Emergency Room and Inpatient Visit and ``8717`` Inpatient Hospital (the
#: place-of-service concept older CDM builds use). :func:`hospitalytics.read` keeps these
#: visits of a raw OMOP table by default.
INPATIENT_VISIT_CONCEPTS: tuple[int, ...] = (9201, 262, 8717)

_ADAPTER = "from_omop"


def from_omop(
    visit_occurrence: pd.DataFrame,
    person: pd.DataFrame | None = None,
    visit_detail: pd.DataFrame | None = None,
    *,
    level: str = "stay",
    visit_concepts: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Turn OMOP CDM ``visit_occurrence`` (and ``person``, ``visit_detail``) into records.

    Parameters
    ----------
    visit_occurrence : DataFrame
        The ``visit_occurrence`` table. Needs ``visit_occurrence_id``, ``person_id``, a
        start (``visit_start_datetime`` or ``visit_start_date``) and an end
        (``visit_end_datetime`` or ``visit_end_date``); uses ``visit_concept_id`` and
        ``care_site_id`` when present. Column names match in any case (CDM exports come
        in lower or upper case).
    person : DataFrame, optional
        The ``person`` table, for ``age``. Needs ``person_id`` and ``year_of_birth``;
        uses ``month_of_birth`` and ``day_of_birth`` when present.
    visit_detail : DataFrame, optional
        The ``visit_detail`` table. Needs ``visit_detail_id``, ``visit_occurrence_id``,
        a start and an end (``visit_detail_start_datetime``/``_date``, ...) and
        ``care_site_id``, the ward. Required for ``level="segment"``.
    level : {"stay", "segment"}, default "stay"
        ``"stay"``: one row per visit. ``"segment"``: one row per ``visit_detail`` (the
        frame for ward census and occupancy).
    visit_concepts : iterable of int, optional
        Keep only the visits with these ``visit_concept_id`` values (and their details),
        e.g. :data:`INPATIENT_VISIT_CONCEPTS` for the hospital stays. None keeps every
        visit. Needs ``visit_concept_id``.

    Returns
    -------
    DataFrame
        ``level="stay"``: one row per visit, in table order: ``patient_id`` (person_id),
        ``admission_date`` and ``discharge_date``, ``ward`` (the ``care_site_id`` of the
        earliest detail of the visit, only with a ``visit_detail`` whose care sites are
        filled), ``location`` (care_site_id, left out when it is empty throughout),
        ``treatment`` (visit_concept_id labelled by :data:`VISIT_CONCEPTS`), ``age``
        (with ``person``) and the extra column ``stay_id`` (visit_occurrence_id).

        ``level="segment"``: one row per visit detail of a known visit, ordered by visit
        then start: ``patient_id``, ``admission_date`` and ``discharge_date`` of the
        detail, ``ward`` (its care_site_id; NaN where missing), ``treatment`` and ``age``
        of the visit, and the extra columns ``stay_id`` and ``visit_detail_id``.

    Raises
    ------
    SchemaError
        When a needed column is missing.
    ArgumentError
        For a bad ``level``, or ``level="segment"`` without ``visit_detail``.
    DataQualityError
        With ``level="segment"`` when no detail has a ``care_site_id`` (no ward can be
        known), when ``person_id`` repeats in ``person``, or when a value cannot be
        parsed.

    Notes
    -----
    *Dates.* The datetime columns are used and, row by row, the date columns where the
    datetime is missing (a date alone means midnight). Many CDM builds (Eunomia's
    Synthea27Nj among them) fill the datetimes with midnight, so stays last whole days
    and a same-day visit lasts 0 hours.

    *Age* is the number of whole years completed at the visit start since the birth
    date made of ``year_of_birth``, ``month_of_birth`` and ``day_of_birth``. Where the
    month is missing only the years are subtracted (year of visit - year of birth, the
    usual OHDSI approximation); where only the day is missing the months are compared.

    *Eunomia Synthea27Nj* (OMOP 5.4): ``care_site_id`` is empty in ``visit_occurrence``
    and ``visit_detail`` and the ``care_site`` table has no rows, so there is no
    ``location`` or ``ward`` and ``level="segment"`` raises. Its ``visit_detail`` copies
    ``visit_occurrence`` one to one.

    Examples
    --------
    >>> import pandas as pd
    >>> visits = pd.DataFrame({
    ...     "VISIT_OCCURRENCE_ID": [1, 2, 3],
    ...     "PERSON_ID": [7, 7, 8],
    ...     "VISIT_CONCEPT_ID": [9201, 9202, 581478],
    ...     "VISIT_START_DATE": ["2020-01-01", "2020-02-01", "2020-03-01"],
    ...     "VISIT_START_DATETIME": ["2020-01-01 10:00:00", None, None],
    ...     "VISIT_END_DATE": ["2020-01-04", "2020-02-01", "2020-03-01"],
    ...     "VISIT_END_DATETIME": ["2020-01-04 12:00:00", None, None],
    ... })
    >>> person = pd.DataFrame({
    ...     "person_id": [7, 8], "year_of_birth": [1950, 1990],
    ...     "month_of_birth": [1, None], "day_of_birth": [15, None],
    ... })
    >>> stays = from_omop(visits, person)
    >>> stays[["patient_id", "admission_date", "treatment", "age"]]
       patient_id      admission_date               treatment   age
    0           7 2020-01-01 10:00:00         Inpatient Visit  69.0
    1           7 2020-02-01 00:00:00        Outpatient Visit  70.0
    2           8 2020-03-01 00:00:00  Other (concept 581478)  30.0
    >>> from_omop(visits, visit_concepts=INPATIENT_VISIT_CONCEPTS)["stay_id"].tolist()
    [1]
    """
    visit_occurrence = check_frame(visit_occurrence, "visit_occurrence", _ADAPTER)
    level = check_level(level, _ADAPTER)
    if level == "segment" and visit_detail is None:
        raise ArgumentError(
            f"{_ADAPTER}: level='segment' builds one row per ward segment from the "
            "visit_detail table; pass visit_detail=<visit_detail DataFrame>."
        )
    v = visit_occurrence

    def col(name: str, role: str, required: bool = True):
        return find_column(
            v, name, table="visit_occurrence", adapter=_ADAPTER, role=role, required=required
        )

    v_id = col("visit_occurrence_id", "stay_id")
    v_person = col("person_id", "patient_id")
    v_concept = col("visit_concept_id", "treatment", required=visit_concepts is not None)
    v_site = col("care_site_id", "location", required=False)
    if visit_concepts is not None:
        wanted = {int(c) for c in visit_concepts}
        ids = numeric(v[v_concept], column=v_concept, adapter=_ADAPTER)
        v = v.loc[ids.isin(wanted).to_numpy()]
    start = _start_or_end(v, "visit_start", "admission_date", "visit_occurrence")
    end = _start_or_end(v, "visit_end", "discharge_date", "visit_occurrence")

    treatment = None if v_concept is None else _visit_labels(v[v_concept], v_concept)
    location = None
    if v_site is not None and v[v_site].notna().any():
        location = as_category(v[v_site])
    age = None
    if person is not None:
        age = _ages(v[v_person], start, check_frame(person, "person", _ADAPTER))

    detail = None
    if visit_detail is not None:
        detail = _details(check_frame(visit_detail, "visit_detail", _ADAPTER), v[v_id],
                          required=level == "segment")

    if level == "stay":
        ward = None
        if detail is not None:
            first = detail.drop_duplicates("pos")
            text = pd.Series(first["ward"].to_numpy(), index=first["pos"].to_numpy())
            ward = as_category(text.reindex(np.arange(len(v))))
        return assemble({
            "patient_id": v[v_person],
            "admission_date": start,
            "discharge_date": end,
            "ward": ward,
            "location": location,
            "treatment": treatment,
            "age": age,
            "stay_id": v[v_id],
        })

    assert detail is not None  # level == "segment" made it required
    pos = detail["pos"].to_numpy()
    return assemble({
        "patient_id": v[v_person].iloc[pos],
        "admission_date": detail["start"],
        "discharge_date": detail["end"],
        "ward": as_category(detail["ward"]),
        "treatment": None if treatment is None else treatment.take(pos),
        "age": None if age is None else pd.Series(age).iloc[pos],
        "stay_id": v[v_id].iloc[pos],
        "visit_detail_id": detail["visit_detail_id"],
    })


def _start_or_end(frame: pd.DataFrame, stem: str, role: str, table: str) -> pd.Series:
    """Datetime column, completed row by row from the date column."""
    dt_col = find_column(frame, f"{stem}_datetime", table=table, adapter=_ADAPTER,
                         role=role, required=False)
    d_col = find_column(frame, f"{stem}_date", table=table, adapter=_ADAPTER, role=role,
                        required=dt_col is None)
    if dt_col is None:
        return to_naive(frame[d_col], column=d_col, adapter=_ADAPTER)
    values = to_naive(frame[dt_col], column=dt_col, adapter=_ADAPTER)
    if d_col is not None and values.isna().any():
        dates = to_naive(frame[d_col], column=d_col, adapter=_ADAPTER)
        values = values.where(values.notna(), dates.astype(values.dtype))
    return values


def _visit_labels(concepts: pd.Series, column: object) -> pd.Categorical:
    ids = numeric(concepts, column=column, adapter=_ADAPTER).astype("Int64")
    codes, uniques = pd.factorize(ids)
    labels = [VISIT_CONCEPTS.get(int(u), f"Other (concept {int(u)})") for u in uniques]
    return categorical_from_codes(codes, labels)


def _ages(persons: pd.Series, start: pd.Series, person: pd.DataFrame) -> np.ndarray:
    def col(name: str, required: bool = True):
        return find_column(person, name, table="person", adapter=_ADAPTER, role="age",
                           required=required)

    p_id = find_column(person, "person_id", table="person", adapter=_ADAPTER,
                       role="patient_id")
    p_year = col("year_of_birth")
    p_month = col("month_of_birth", required=False)
    p_day = col("day_of_birth", required=False)
    wanted = [c for c in (p_year, p_month, p_day) if c is not None]
    found = lookup(persons, person, p_id, wanted, table_name="person", adapter=_ADAPTER)

    def part(c):
        return None if c is None else numeric(found[c], column=c, adapter=_ADAPTER)

    return completed_years(part(p_year), part(p_month), part(p_day), start)


def _details(detail: pd.DataFrame, visit_ids: pd.Series, *, required: bool) -> pd.DataFrame:
    """Visit details of known visits, sorted by visit then start (None if unusable)."""
    table = "visit_detail"
    d_id = find_column(detail, "visit_detail_id", table=table, adapter=_ADAPTER,
                       role="visit_detail_id")
    d_visit = find_column(detail, "visit_occurrence_id", table=table, adapter=_ADAPTER,
                          role="stay_id")
    d_site = find_column(detail, "care_site_id", table=table, adapter=_ADAPTER, role="ward",
                         required=required)
    if d_site is None or detail[d_site].isna().all():
        if required:
            raise DataQualityError(
                f"{_ADAPTER}: visit_detail.care_site_id is empty in all {len(detail)} rows, "
                "so no visit detail can be placed in a ward and level='segment' cannot be "
                "built. Use level='stay', or fill care_site_id (the ward) in visit_detail."
            )
        return None
    left, right = join_keys(detail[d_visit], visit_ids)
    if right.duplicated().any():
        raise DataQualityError(
            f"{_ADAPTER}: visit_occurrence.visit_occurrence_id is not unique (e.g. "
            f"{visit_ids[right.duplicated()].iloc[0]!r}); details cannot be matched to visits."
        )
    pos = pd.Index(right).get_indexer(left)
    known = (pos >= 0) & left.notna().to_numpy()
    rows = detail.loc[known]
    out = pd.DataFrame({
        "pos": pos[known],
        "start": _start_or_end(rows, "visit_detail_start", "admission_date", table)
        .to_numpy(),
        "end": _start_or_end(rows, "visit_detail_end", "discharge_date", table).to_numpy(),
        "ward": rows[d_site].to_numpy(),
        "visit_detail_id": rows[d_id].to_numpy(),
    })
    return out.sort_values(["pos", "start"], kind="mergesort", na_position="last",
                           ignore_index=True)
