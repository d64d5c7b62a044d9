"""The front door: recognise a standard export by its header and run its adapter.

:func:`hospitalytics.read` calls :func:`detect` on a file's column names; when they are
those of a MIMIC-IV ``admissions`` or ``transfers`` table, a Synthea ``encounters`` table or
an OMOP ``visit_occurrence`` or ``visit_detail`` table, :func:`adapt` turns the table into
canonical records with the adapter of its source and says, in plain notes, what was
recognised, what was used from tables found next to it and what was left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataQualityError
from ._common import join_keys, numeric, to_naive
from .mimic import DEFAULT_NON_BED_UNITS, from_mimic
from .omop import INPATIENT_VISIT_CONCEPTS, VISIT_CONCEPTS, from_omop
from .synthea import from_synthea

#: What ``encounters=`` may be: in-patient stays only, or every encounter of the table.
ENCOUNTER_CHOICES = ("inpatient", "all")


@dataclass(frozen=True)
class Export:
    """One standard table: how to recognise it, and what to call it in notes."""

    key: str
    label: str
    needs: tuple[str, ...]  # lower-case columns that must all be present
    one_of: tuple[str, ...] = ()  # at least one of these too
    not_with: tuple[str, ...] = ()  # and none of these
    reads: tuple[str, ...] = ()  # the columns the adapter uses (lower case)


EXPORTS: tuple[Export, ...] = (
    Export(
        "mimic_admissions", "a MIMIC-IV admissions table",
        ("subject_id", "hadm_id", "admittime", "dischtime"),
        reads=("subject_id", "hadm_id", "admittime", "dischtime", "admission_type",
               "discharge_location", "hospital_expire_flag"),
    ),
    Export(
        "mimic_transfers", "a MIMIC-IV transfers table",
        ("subject_id", "hadm_id", "careunit", "intime", "outtime"),
        reads=("subject_id", "hadm_id", "transfer_id", "eventtype", "careunit", "intime",
               "outtime"),
    ),
    Export(
        "synthea_encounters", "a Synthea encounters table",
        ("id", "start", "stop", "patient", "encounterclass"),
        reads=("id", "start", "stop", "patient", "organization", "encounterclass",
               "total_claim_cost"),
    ),
    Export(
        "omop_visit_detail", "an OMOP visit_detail table",
        ("visit_detail_id", "visit_occurrence_id", "person_id"),
        one_of=("visit_detail_start_date", "visit_detail_start_datetime"),
    ),
    Export(
        "omop_visit_occurrence", "an OMOP visit_occurrence table",
        ("visit_occurrence_id", "person_id", "visit_concept_id"),
        one_of=("visit_start_date", "visit_start_datetime"),
        not_with=("visit_detail_id",),
    ),
)


def detect(columns: Iterable[object]) -> Export | None:
    """Return the standard table whose columns these are (any case), or None.

    Examples
    --------
    >>> detect(["Id", "START", "STOP", "PATIENT", "ENCOUNTERCLASS"]).label
    'a Synthea encounters table'
    >>> detect(["admit_date", "ward"]) is None
    True
    """
    names = {str(c).strip().lower() for c in columns}
    for export in EXPORTS:
        if (
            all(n in names for n in export.needs)
            and (not export.one_of or any(n in names for n in export.one_of))
            and not any(n in names for n in export.not_with)
        ):
            return export
    return None


def wanted(export: Export, columns: Sequence[object]) -> list[object] | None:
    """The file's columns the adapter reads (None: every column)."""
    if not export.reads:
        return None
    return [c for c in columns if str(c).strip().lower() in export.reads]


#: ``sibling(stem, needed_columns)``: a table next to the file (or None), read raw.
Sibling = Callable[[str, Sequence[str]], "tuple[pd.DataFrame, str] | None"]


def adapt(
    export: Export,
    table: pd.DataFrame,
    *,
    name: str,
    encounters: str,
    timezone: Any,
    sibling: Sibling,
) -> tuple[pd.DataFrame, list[str]]:
    """Turn a recognised table into canonical records; return them and the notes."""
    run = {
        "mimic_admissions": _mimic_admissions,
        "mimic_transfers": _mimic_transfers,
        "synthea_encounters": _synthea,
        "omop_visit_occurrence": _omop_visits,
        "omop_visit_detail": _omop_details,
    }[export.key]
    frame, notes = run(table, encounters=encounters, timezone=timezone, sibling=sibling)
    head = f"{name}: recognised {export.label} and read it through its adapter"
    return frame, [f"{head}: {notes[0]}", *(f"{name}: {note}" for note in notes[1:])]


_SINGULAR = {"stays": "stay", "rows": "row", "segments": "segment", "events": "event",
             "encounters": "encounter", "visits": "visit"}


def _count(n: int, what: str) -> str:
    """``"1 row without ..."``, ``"2 rows without ..."``: ``what`` is in the plural."""
    if n == 1:
        words = what.split(" ")
        for i, word in enumerate(words):
            if word in _SINGULAR:
                words[i] = _SINGULAR[word]
                break
        what = " ".join(words)
    return f"{n:,} {what}"


def _breakdown(values: pd.Series) -> str:
    counts = values.astype(object).fillna("(none)").value_counts()
    return ", ".join(f"{k} {v:,}" for k, v in counts.items())


def _ages_note(found: tuple[pd.DataFrame, str] | None, what: str) -> list[str]:
    if found is None:
        return []
    return [f"ages from {found[1]} ({what}) next to it"]


def _col(frame: pd.DataFrame, name: str) -> object | None:
    for c in frame.columns:
        if str(c).strip().lower() == name:
            return c
    return None


# ------------------------------------------------------------------------------ MIMIC
_MIMIC_PATIENTS = ("subject_id", "anchor_age", "anchor_year")


def _mimic_admissions(table, *, encounters, timezone, sibling):
    patients = sibling("patients", _MIMIC_PATIENTS)
    out = from_mimic(table, patients=None if patients is None else patients[0])
    notes = [f"{_count(len(out), 'hospital stays')}, one row each"]
    return out, notes + _ages_note(patients, "MIMIC-IV patients")


def _mimic_transfers(table, *, encounters, timezone, sibling):
    admissions = sibling("admissions", ("subject_id", "hadm_id", "admittime", "dischtime"))
    patients = sibling("patients", _MIMIC_PATIENTS)
    excluded = () if encounters == "all" else DEFAULT_NON_BED_UNITS
    hadm, unit, event = (_col(table, c) for c in ("hadm_id", "careunit", "eventtype"))
    no_stay = table[hadm].isna().to_numpy()
    is_discharge = np.zeros(len(table), bool)
    if event is not None:
        is_discharge = table[event].astype(object).str.lower().eq("discharge").to_numpy()
    units = table[unit].astype(object)
    non_bed = units.isin(list(excluded)).to_numpy() & ~no_stay & ~is_discharge
    if admissions is None:
        adm = _stays_from_transfers(table)
        source = "the stays are built from the transfers themselves"
    else:
        adm = admissions[0]
        source = f"the stays come from {admissions[1]} next to it"
    out = from_mimic(adm, table, None if patients is None else patients[0],
                     level="segment", exclude_units=excluded)
    stays = out["stay_id"].nunique() if len(out) else 0
    dropped = []
    if no_stay.any():
        dropped.append(_count(int(no_stay.sum()), "rows without hadm_id (not a stay)"))
    if is_discharge.any():
        dropped.append(_count(int(is_discharge.sum()), "discharge events (no ward)"))
    if non_bed.any():
        dropped.append(
            _count(int(non_bed.sum()), f"rows in units that are not bed wards "
                   f"({_breakdown(units[non_bed])})")
        )
    rest = len(table) - len(out) - int(no_stay.sum() + is_discharge.sum() + non_bed.sum())
    if rest > 0:
        dropped.append(_count(rest, "rows of stays not in the admissions table or with no "
                                    "care unit"))
    notes = [
        f"{_count(len(table), 'rows')} gave {_count(len(out), 'ward segments')} of "
        f"{_count(stays, 'stays')} ({source}; stay_id is hadm_id)"
    ]
    if dropped:
        tail = "" if encounters == "all" or not non_bed.any() else (
            "; encounters='all' (--all-encounters) keeps every unit")
        notes.append(f"left out {'; '.join(dropped)}{tail}")
    return out, notes + _ages_note(patients, "MIMIC-IV patients")


def _stays_from_transfers(table: pd.DataFrame) -> pd.DataFrame:
    """An admissions table made from transfers: each hadm_id's first intime, last outtime."""
    subject, hadm, intime, outtime = (
        _col(table, c) for c in ("subject_id", "hadm_id", "intime", "outtime")
    )
    rows = table.loc[table[hadm].notna()]
    start = to_naive(rows[intime], column=intime, adapter="read")
    end = to_naive(rows[outtime], column=outtime, adapter="read")
    key = rows[hadm].to_numpy()
    grouped = pd.DataFrame({"hadm_id": key, "subject_id": rows[subject].to_numpy(),
                            "admittime": start.to_numpy(), "dischtime": end.to_numpy()})
    g = grouped.groupby("hadm_id", sort=False)
    out = pd.DataFrame({
        "subject_id": g["subject_id"].first(),
        "admittime": g["admittime"].min(),
        "dischtime": g["dischtime"].max(),
    })
    return out.rename_axis("hadm_id").reset_index()


# ---------------------------------------------------------------------------- Synthea
def _synthea(table, *, encounters, timezone, sibling):
    patients = sibling("patients", ("id", "birthdate"))
    classes = None if encounters == "all" else ["inpatient"]
    out = from_synthea(table, None if patients is None else patients[0], classes=classes,
                       timezone="UTC" if timezone is None else timezone)
    kind = _col(table, "encounterclass")
    zone = ("times in UTC, as Synthea writes them (timezone= converts them to the "
            "hospital's zone)" if timezone is None else f"times converted from UTC to {timezone}")
    if classes is None:
        notes = [f"kept all {_count(len(out), 'encounters')} ({_breakdown(table[kind])}); "
                 + zone]
    else:
        other = table[kind].astype(object).str.lower().ne("inpatient").to_numpy()
        notes = [f"kept the {_count(len(out), 'in-patient encounters')}; {zone}"]
        if other.any():
            notes.append(
                f"left out {_count(int(other.sum()), 'other encounters')} "
                f"({_breakdown(table[kind][other])}); encounters='all' (--all-encounters) "
                "keeps them all"
            )
    return out, notes + _ages_note(patients, "Synthea patients")


# ------------------------------------------------------------------------------- OMOP
_PERSON = ("person_id", "year_of_birth")


def _visit_labels(concepts: pd.Series) -> pd.Series:
    ids = numeric(concepts, column="visit_concept_id", adapter="read").astype("Int64")
    return ids.map(lambda c: VISIT_CONCEPTS.get(int(c), f"Other (concept {int(c)})"),
                   na_action="ignore")


def _omop_visits(table, *, encounters, timezone, sibling):
    person = sibling("person", _PERSON)
    keep = None if encounters == "all" else INPATIENT_VISIT_CONCEPTS
    out = from_omop(table, None if person is None else person[0], visit_concepts=keep)
    labels = _visit_labels(table[_col(table, "visit_concept_id")])
    if keep is None:
        notes = [f"kept all {_count(len(out), 'visits')} ({_breakdown(labels)})"]
    else:
        inpatient = labels.isin([VISIT_CONCEPTS[c] for c in keep]).to_numpy()
        notes = [f"kept the {_count(len(out), 'in-patient visits')} "
                 f"({_breakdown(labels[inpatient]) or 'none'})"]
        if (~inpatient).any():
            notes.append(
                f"left out {_count(int((~inpatient).sum()), 'other visits')} "
                f"({_breakdown(labels[~inpatient])}); encounters='all' (--all-encounters) "
                "keeps them all"
            )
    return out, notes + _ages_note(person, "OMOP person")


def _omop_details(table, *, encounters, timezone, sibling):
    person = sibling("person", _PERSON)
    visits = sibling("visit_occurrence", ("visit_occurrence_id", "person_id",
                                          "visit_concept_id"))
    keep = None if encounters == "all" else INPATIENT_VISIT_CONCEPTS
    if visits is None:
        vo = _visits_from_details(table)
        source = "visit types from visit_detail_concept_id"
    else:
        vo = visits[0]
        source = f"visit types from {visits[1]} next to it"
    site = _col(table, "care_site_id")
    has_wards = site is not None and table[site].notna().any()
    person_table = None if person is None else person[0]
    if has_wards:
        out = from_omop(vo, person_table, table, level="segment", visit_concepts=keep)
        visits = _count(out["stay_id"].nunique(), "visits")
        shape = f"{_count(len(out), 'ward segments')} of {visits}"
    else:
        with_detail = vo[_col(vo, "visit_occurrence_id")].isin(
            table[_col(table, "visit_occurrence_id")]
        )
        out = from_omop(vo.loc[with_detail.to_numpy()], person_table, visit_concepts=keep)
        shape = (f"{_count(len(out), 'visits')}, one row each: care_site_id (the ward) is "
                 "empty in every row, so no ward segments can be built")
    notes = [f"{shape} ({source}; stay_id is visit_occurrence_id)"]
    if keep is not None:
        labels = _visit_labels(vo[_col(vo, "visit_concept_id")])
        ids, kept_ids = join_keys(
            table[_col(table, "visit_occurrence_id")],
            vo[_col(vo, "visit_occurrence_id")].loc[labels.isin(
                [VISIT_CONCEPTS[c] for c in keep]).to_numpy()],
        )
        other = ~ids.isin(kept_ids).to_numpy()
        if other.any():
            notes.append(
                f"left out {_count(int(other.sum()), 'visit_detail rows')} of visits that "
                "are not in-patient stays; encounters='all' (--all-encounters) keeps them all"
            )
    return out, notes + _ages_note(person, "OMOP person")


def _visits_from_details(table: pd.DataFrame) -> pd.DataFrame:
    """A visit_occurrence table made from visit_detail (first start, last end per visit)."""
    vid, pid = _col(table, "visit_occurrence_id"), _col(table, "person_id")
    concept = _col(table, "visit_detail_concept_id")
    if concept is None:
        raise DataQualityError(
            "read: the visit_detail table has no visit_detail_concept_id and no "
            "visit_occurrence table lies next to it, so in-patient visits cannot be told "
            "apart; read it with encounters='all', or put visit_occurrence.csv beside it."
        )
    starts = [_col(table, c) for c in ("visit_detail_start_datetime", "visit_detail_start_date")]
    ends = [_col(table, c) for c in ("visit_detail_end_datetime", "visit_detail_end_date")]
    start = _first_dates(table, starts)
    end = _first_dates(table, ends)
    rows = pd.DataFrame({"visit_occurrence_id": table[vid].to_numpy(),
                         "person_id": table[pid].to_numpy(),
                         "visit_concept_id": table[concept].to_numpy(),
                         "start": start.to_numpy(), "end": end.to_numpy()})
    rows = rows.loc[rows["visit_occurrence_id"].notna()]
    g = rows.groupby("visit_occurrence_id", sort=False)
    out = pd.DataFrame({
        "person_id": g["person_id"].first(),
        "visit_concept_id": g["visit_concept_id"].first(),
        "visit_start_datetime": g["start"].min(),
        "visit_end_datetime": g["end"].max(),
    })
    return out.rename_axis("visit_occurrence_id").reset_index()


def _first_dates(table: pd.DataFrame, columns: list[object | None]) -> pd.Series:
    values = None
    for c in columns:
        if c is None:
            continue
        parsed = to_naive(table[c], column=c, adapter="read")
        values = parsed if values is None else values.where(values.notna(), parsed)
    if values is None:
        return pd.Series(pd.NaT, index=table.index)
    return values
