"""Column roles: inference on real export headers, explicit mapping, every SchemaError path."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics.errors import ArgumentError, SchemaError
from hospitalytics.schema import CORE_ROLES, normalize_name, resolve_roles

KAGGLE = [
    "Name", "Age", "Gender", "Blood Type", "Medical Condition", "Date of Admission", "Doctor",
    "Hospital", "Insurance Provider", "Billing Amount", "Room Number", "Admission Type",
    "Discharge Date", "Medication", "Test Results",
]


def _header(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as fh:
        return fh.readline().strip().split(",")


def test_normalize_name_ignores_case_space_and_punctuation():
    assert normalize_name("Date of Admission") == normalize_name("date_of-ADMISSION")
    assert normalize_name(" Billing Amount ($) ") == "billingamount"


def test_kaggle_style_export():
    roles = resolve_roles(KAGGLE)
    assert dict(roles) == {
        "admission_date": "Date of Admission",
        "discharge_date": "Discharge Date",
        "location": "Hospital",
        "cost": "Billing Amount",
        "age": "Age",
    }
    # Two genuine candidates for the treatment: never guessed between.
    assert roles.ambiguous == {"treatment": ("Medical Condition", "Admission Type")}
    assert "patient_id" in roles.missing


def test_ambiguous_role_only_matters_to_the_kpis_that_need_it():
    raw = pd.DataFrame(
        {
            "Date of Admission": ["2024-01-01", "2024-01-02"],
            "Discharge Date": ["2024-01-03", "2024-01-02"],
            "Medical Condition": ["Asthma", "Cancer"],
            "Admission Type": ["Urgent", "Elective"],
        }
    )
    assert hp.admissions(raw) == 2
    with pytest.raises(SchemaError) as info:
        hp.by_treatment(raw)
    err = info.value
    assert err.role == "treatment"
    assert err.candidates == ["Medical Condition", "Admission Type"]
    assert err.needed_by == "by_treatment"
    assert "Medical Condition" in str(err) and "Date of Admission" in str(err)
    assert "columns={'treatment': 'Medical Condition'}" in str(err)
    assert "--column 'treatment=Medical Condition'" in str(err)
    fixed = hp.by_treatment(raw, columns={"treatment": "Admission Type"})
    assert fixed["admissions"].to_dict() == {"Elective": 1, "Urgent": 1}


def test_missing_role_error_names_role_columns_and_fix():
    frame = pd.DataFrame({"when": ["2024-01-01"], "amount_due": ["1"]})
    with pytest.raises(SchemaError) as info:
        hp.admissions(frame)
    err = info.value
    assert err.role == "admission_date"
    assert err.found == ["when", "amount_due"]
    assert err.candidates == []
    assert "not found" in str(err)
    assert "columns={'admission_date': '<your column>'}" in str(err)
    assert hp.admissions(frame, columns={"admission_date": "when"}) == 1


def test_missing_role_needed_by_a_kpi():
    frame = pd.DataFrame({"admission_date": ["2024-01-01"]})
    with pytest.raises(SchemaError, match=r"'cost' \(needed by treatment_cost\)"):
        hp.treatment_cost(frame)


def test_explicit_mapping_to_absent_column_and_unknown_role():
    with pytest.raises(SchemaError, match="does not have") as info:
        resolve_roles(["a", "b"], columns={"admission_date": "c"})
    assert info.value.role == "admission_date"
    with pytest.raises(ArgumentError, match="unknown role"):
        resolve_roles(["a"], columns={"admit": "a"})


def test_schema_error_is_a_key_error_and_a_hospitalytics_error():
    err = SchemaError("ward", found=["x"])
    assert isinstance(err, KeyError) and isinstance(err, hp.HospitalyticsError)
    assert str(err).startswith("column role 'ward'")  # not quoted like a KeyError


def test_explicit_mapping_wins_over_inference_and_frees_the_column():
    roles = resolve_roles(["admit_date", "start"], columns={"admission_date": "start"})
    assert roles["admission_date"] == "start"
    # The alias column that lost is not reused for another role.
    assert "admit_date" not in roles.values()


def test_exact_canonical_name_wins_over_aliases():
    roles = resolve_roles(["ward", "unit", "admission_date", "admittime"])
    assert roles["ward"] == "ward"
    assert roles["admission_date"] == "admission_date"


def test_switching_a_role_off():
    roles = resolve_roles(["admit_date", "dept"], columns={"department": None})
    assert "department" not in roles


def test_common_spellings():
    roles = resolve_roles(["admit_date", "disch_date", "dept", "treatment_type", "total_cost",
                           "patient_nbr", "site", "patient_age", "ward_name"])
    assert dict(roles) == {
        "patient_id": "patient_nbr", "admission_date": "admit_date",
        "discharge_date": "disch_date", "department": "dept", "ward": "ward_name",
        "location": "site", "treatment": "treatment_type", "cost": "total_cost",
        "age": "patient_age",
    }


def test_sample_is_canonical():
    roles = resolve_roles(hp.datasets.load_sample())
    assert dict(roles) == {r: r for r in CORE_ROLES}


@pytest.mark.realdata
def test_mimic_iv_headers(shared_data):
    adm = resolve_roles(_header(shared_data / "mimic-iv-demo/hosp/admissions.csv.gz"))
    assert adm["admission_date"] == "admittime"
    assert adm["discharge_date"] == "dischtime"
    assert adm["patient_id"] == "subject_id"
    assert adm["treatment"] == "admission_type"
    transfers = resolve_roles(_header(shared_data / "mimic-iv-demo/hosp/transfers.csv.gz"))
    assert transfers["ward"] == "careunit"
    assert transfers["admission_date"] == "intime"
    assert transfers["discharge_date"] == "outtime"


@pytest.mark.realdata
def test_synthea_headers(shared_data):
    roles = resolve_roles(_header(shared_data / "synthea-ne/encounters.csv"))
    assert dict(roles) == {
        "patient_id": "PATIENT", "admission_date": "START", "discharge_date": "STOP",
        "location": "ORGANIZATION", "treatment": "ENCOUNTERCLASS", "cost": "TOTAL_CLAIM_COST",
    }


@pytest.mark.realdata
def test_omop_headers_datetime_wins_over_date(shared_data):
    roles = resolve_roles(_header(shared_data / "omop-synthea27nj/VISIT_OCCURRENCE.csv"))
    assert roles["admission_date"] == "visit_start_datetime"
    assert roles["discharge_date"] == "visit_end_datetime"
    assert roles["patient_id"] == "person_id"
    assert roles["treatment"] == "visit_concept_id"
    assert roles["location"] == "care_site_id"
