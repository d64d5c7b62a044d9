"""Column roles: what each column of a stay record means, and how names are inferred.

A stay record (one row per hospital stay) has the roles in :data:`ROLES`; the canonical
column names are the role names. A frame with other column names works without
configuration where the names are unambiguous: each role has an alias list drawn from real
exports (Kaggle-style, MIMIC-IV, Synthea, OMOP and common spellings), matched
case-, space- and punctuation-insensitively. An explicit ``columns=`` mapping always wins.

Resolution rules, in order, for each role:

1. an explicit ``columns={role: column}`` entry;
2. a column whose name is exactly the canonical role name;
3. the alias matches; where a source has both a date and a datetime column for the role
   (OMOP's ``visit_start_date`` and ``visit_start_datetime``), the datetime wins; two or
   more other candidates are never guessed between: the role is *ambiguous*.

A missing or ambiguous role only matters to the KPIs that need it; they raise
:class:`~hospitalytics.errors.SchemaError`, which names the role, the columns found, the
candidates and the ``columns=`` call that fixes it.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame(columns=["Date of Admission", "Discharge Date", "Billing Amount"])
>>> roles = resolve_roles(raw)
>>> roles["admission_date"], roles["cost"]
('Date of Admission', 'Billing Amount')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import ArgumentError, SchemaError

__all__ = [
    "ALIASES",
    "CATEGORY_ROLES",
    "CORE_ROLES",
    "DATE_ROLES",
    "ROLES",
    "Roles",
    "normalize_name",
    "resolve_roles",
]

#: The roles of a stay record, in canonical column order.
#:
#: ``stay_id`` identifies one hospital stay (a spell); a frame of ward movements has
#: several rows with the same ``stay_id``. ``admission_method`` (emergency, elective, ...)
#: and ``discharge_disposition`` (home, died, transferred, ...) qualify readmissions.
ROLES: tuple[str, ...] = (
    "patient_id",
    "admission_date",
    "discharge_date",
    "department",
    "ward",
    "location",
    "treatment",
    "cost",
    "age",
    "stay_id",
    "admission_method",
    "discharge_disposition",
)

#: The roles of the bundled sample and of :func:`hospitalytics.datasets.make_stays`.
CORE_ROLES: tuple[str, ...] = (
    "patient_id",
    "admission_date",
    "discharge_date",
    "department",
    "ward",
    "location",
    "treatment",
    "cost",
    "age",
)

#: Roles holding timestamps.
DATE_ROLES: tuple[str, ...] = ("admission_date", "discharge_date")

#: Roles stored as categoricals in a canonical frame.
CATEGORY_ROLES: tuple[str, ...] = (
    "department", "ward", "location", "treatment", "admission_method", "discharge_disposition",
)

#: Alias lists per role (compared after :func:`normalize_name`).
ALIASES: dict[str, tuple[str, ...]] = {
    "patient_id": (
        "patient_id", "patientid", "patient", "patient_number", "patient_nbr", "patient_no",
        "subject_id", "person_id", "mrn", "medical_record_number", "pat_id", "pid",
        "id_patient", "patient_key",
    ),
    "stay_id": (
        "stay_id", "hadm_id", "visit_occurrence_id", "visit_id", "visit_number", "visit_no",
        "encounter_id", "encounterid", "encounter", "encounter_number", "encounter_no",
        "spell_id", "spell_number", "spell_no", "hospital_spell_id", "hospital_spell_number",
        "admission_id", "admission_number", "admission_no", "adm_id", "pat_enc_csn_id",
        "csn", "inpatient_id", "hospitalization_id", "hospitalisation_id",
    ),
    "admission_date": (
        "admission_date", "date_of_admission", "admission_datetime", "admission_time",
        "admission_timestamp", "admit_date", "admit_datetime", "admit_time", "admittime",
        "admitted", "admitted_at", "admitted_on", "adm_date", "date_admitted", "admission",
        "start", "start_date", "visit_start_date", "visit_start_datetime", "intime",
        "episode_start_date", "episode_start",
    ),
    "discharge_date": (
        "discharge_date", "date_of_discharge", "discharge_datetime", "discharge_time",
        "discharge_timestamp", "disch_date", "dischtime", "discharged", "discharged_at",
        "discharged_on", "dis_date", "date_discharged", "discharge", "separation_date",
        "stop", "end", "end_date", "visit_end_date", "visit_end_datetime", "outtime",
        "episode_end_date", "episode_end",
    ),
    "department": (
        "department", "dept", "department_name", "dept_name", "departement", "specialty",
        "speciality", "specialty_name", "service", "curr_service", "clinical_service",
        "division", "clinic", "directorate",
    ),
    "ward": (
        "ward", "ward_name", "ward_id", "unit", "unit_name", "careunit", "care_unit",
        "nursing_unit", "first_careunit", "bed_unit",
    ),
    "location": (
        "location", "site", "site_name", "hospital", "hospital_name", "facility",
        "facility_name", "campus", "organization", "care_site", "care_site_id",
        "care_site_name", "provider_name",
    ),
    "treatment": (
        "treatment", "treatment_type", "treatment_name", "type_of_treatment", "procedure",
        "procedure_type", "medical_condition", "condition", "diagnosis_group",
        "admission_type", "encounterclass", "encounter_class", "encounter_type",
        "visit_type", "visit_concept_id", "care_type", "drg_type",
    ),
    "cost": (
        "cost", "total_cost", "treatment_cost", "cost_of_treatment", "billing_amount",
        "billed_amount", "bill_amount", "charges", "total_charges", "charge", "amount",
        "total_amount", "total_claim_cost", "claim_cost", "price", "costs", "cost_usd",
        "cost_gbp", "cost_eur",
    ),
    "age": (
        "age", "age_years", "patient_age", "age_at_admission", "age_on_admission",
        "admission_age", "anchor_age", "age_yrs",
    ),
    "admission_method": (
        "admission_method", "admimeth", "method_of_admission", "adm_method",
        "admission_method_code", "admission_category", "admission_urgency",
    ),
    "discharge_disposition": (
        "discharge_disposition", "disposition", "discharge_location", "discharge_destination",
        "discharge_dest", "disdest", "disch_disp", "discharge_status", "discharged_to",
        "discharged_to_concept_id", "discharge_to_concept_id", "dispuniform",
        "discharge_method", "dismeth", "separation_mode", "mode_of_separation",
    ),
}


def normalize_name(name: object) -> str:
    """Normalise a column name for alias matching.

    Lower-cases the name and drops everything but letters and digits, so that
    ``"Date of Admission"``, ``"date_of_admission"`` and ``"DATE-OF-ADMISSION"`` compare
    equal.

    Parameters
    ----------
    name : object
        A column label.

    Returns
    -------
    str
        The normalised name.

    Examples
    --------
    >>> normalize_name("Date of Admission")
    'dateofadmission'
    >>> normalize_name("TOTAL_CLAIM_COST")
    'totalclaimcost'
    """
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


_NORMALIZED_ALIASES: dict[str, frozenset[str]] = {
    role: frozenset(normalize_name(a) for a in aliases) for role, aliases in ALIASES.items()
}


@dataclass(frozen=True)
class Roles(Mapping[str, str]):
    """The outcome of resolving the column roles of one frame.

    Behaves as a read-only mapping ``{role: column}`` of the roles that were resolved.
    Unresolved roles are kept in :attr:`missing` and :attr:`ambiguous`; :meth:`require`
    raises the :class:`~hospitalytics.errors.SchemaError` that explains them.

    Parameters
    ----------
    mapping : dict
        ``{role: column}`` for the resolved roles.
    found : tuple of str
        The frame's columns.
    ambiguous : dict
        ``{role: (candidate, ...)}`` for roles with two or more candidates.
    explicit : frozenset
        Roles given by the caller's ``columns=``.

    Examples
    --------
    >>> roles = resolve_roles(["admit_date", "dept"])
    >>> dict(roles)
    {'admission_date': 'admit_date', 'department': 'dept'}
    >>> roles.missing[:4]
    ('patient_id', 'discharge_date', 'ward', 'location')
    """

    mapping: dict[str, str]
    found: tuple[str, ...]
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    explicit: frozenset[str] = frozenset()

    def __getitem__(self, role: str) -> str:
        return self.mapping[role]

    def __iter__(self):
        return iter(self.mapping)

    def __len__(self) -> int:
        return len(self.mapping)

    @property
    def missing(self) -> tuple[str, ...]:
        """Roles with no candidate column at all."""
        return tuple(r for r in ROLES if r not in self.mapping and r not in self.ambiguous)

    def require(self, role: str, *, needed_by: str | None = None) -> str:
        """Return the column that fills ``role``, or raise a helpful SchemaError.

        Parameters
        ----------
        role : str
            One of :data:`ROLES`.
        needed_by : str, optional
            The KPI or function that needs the role, named in the error.

        Returns
        -------
        str
            The column name.

        Raises
        ------
        SchemaError
            When the role is missing or ambiguous.

        Examples
        --------
        >>> resolve_roles(["admittime"]).require("admission_date")
        'admittime'
        """
        if role in self.mapping:
            return self.mapping[role]
        raise SchemaError(
            role,
            found=self.found,
            candidates=self.ambiguous.get(role, ()),
            needed_by=needed_by,
        )


def _prefer_datetime(candidates: list[str]) -> list[str]:
    """Drop a date column whose datetime twin is also a candidate."""
    norm = {c: normalize_name(c) for c in candidates}
    keep = []
    for c in candidates:
        n = norm[c]
        twin = False
        if n.endswith("date"):
            stem = n[: -len("date")]
            twin = any(norm[o] in (stem + "datetime", stem + "time") for o in candidates if o != c)
        if not twin:
            keep.append(c)
    return keep


def resolve_roles(
    frame_or_columns: object, columns: Mapping[str, str] | None = None
) -> Roles:
    """Find the column that fills each role of a stay record.

    Parameters
    ----------
    frame_or_columns : DataFrame or iterable of str
        The frame (or just its column labels).
    columns : mapping, optional
        Explicit ``{role: column}`` entries; they always win over inference.

    Returns
    -------
    Roles
        The resolved mapping, with the missing and ambiguous roles.

    Raises
    ------
    ArgumentError
        When ``columns`` names an unknown role.
    SchemaError
        When ``columns`` names a column the frame does not have.

    Examples
    --------
    >>> roles = resolve_roles(["visit_start_date", "visit_start_datetime", "person_id"])
    >>> roles["admission_date"], roles["patient_id"]
    ('visit_start_datetime', 'person_id')
    >>> kaggle = ["Date of Admission", "Medical Condition", "Admission Type"]
    >>> resolve_roles(kaggle).ambiguous
    {'treatment': ('Medical Condition', 'Admission Type')}
    >>> resolve_roles(kaggle, columns={"treatment": "Admission Type"})["treatment"]
    'Admission Type'
    """
    cols: Iterable[object] = getattr(frame_or_columns, "columns", frame_or_columns)
    found = tuple(str(c) for c in cols)
    columns = dict(columns or {})
    unknown = [r for r in columns if r not in ROLES]
    if unknown:
        raise ArgumentError(
            f"columns= names unknown role(s) {unknown}; the roles are {list(ROLES)}. "
            "Map each role to a column of your frame, e.g. "
            "columns={'admission_date': 'Date of Admission'}."
        )
    mapping: dict[str, str] = {}
    for role, col in columns.items():
        if col is None:
            continue
        if str(col) not in found:
            raise SchemaError(
                role,
                found=found,
                message=(
                    f"columns= maps role {role!r} to column {col!r}, which the frame does not "
                    f"have. Columns in the frame: {list(found)}."
                ),
            )
        mapping[role] = str(col)
    used = set(mapping.values())
    ambiguous: dict[str, tuple[str, ...]] = {}
    for role in ROLES:
        if role in mapping or role in columns:  # columns={role: None} switches a role off
            continue
        free = [c for c in found if c not in used]
        exact = [c for c in free if c == role]
        if exact:
            mapping[role] = exact[0]
            used.add(exact[0])
            continue
        cands = [c for c in free if normalize_name(c) in _NORMALIZED_ALIASES[role]]
        cands = _prefer_datetime(cands)
        if len(cands) == 1:
            mapping[role] = cands[0]
            used.add(cands[0])
        elif len(cands) > 1:
            ambiguous[role] = tuple(cands)
    return Roles(
        mapping=mapping, found=found, ambiguous=ambiguous, explicit=frozenset(columns)
    )
