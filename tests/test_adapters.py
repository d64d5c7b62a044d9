"""Tests for hospitalytics.adapters: hand-made frames, then the public sample datasets."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hospitalytics.adapters import (
    DEFAULT_NON_BED_UNITS,
    INPATIENT_VISIT_CONCEPTS,
    VISIT_CONCEPTS,
    from_mimic,
    from_omop,
    from_synthea,
)
from hospitalytics.errors import ArgumentError, DataQualityError, SchemaError
from hospitalytics.schema import ROLES

T = pd.Timestamp


def _canonical_order(frame: pd.DataFrame) -> None:
    roles = [c for c in frame.columns if c in ROLES]
    assert roles == [r for r in ROLES if r in roles]
    assert list(frame.columns[: len(roles)]) == roles
    for col in ("admission_date", "discharge_date"):
        assert pd.api.types.is_datetime64_dtype(frame[col].dtype)  # naive
    for col in ("department", "ward", "location", "treatment"):
        if col in frame:
            assert isinstance(frame[col].dtype, pd.CategoricalDtype)
            assert all(isinstance(c, str) for c in frame[col].cat.categories)
    for col in ("cost", "age"):
        if col in frame:
            assert frame[col].dtype == "float64"
    assert isinstance(frame.index, pd.RangeIndex)


# --------------------------------------------------------------------------- MIMIC


@pytest.fixture
def mimic():
    admissions = pd.DataFrame(
        {
            "subject_id": [1, 1, 2],
            "hadm_id": [100, 101, 200],
            "admittime": ["2150-01-01 08:00:00", "2151-06-01 12:00:00", "2160-03-10 00:30:00"],
            "dischtime": ["2150-01-05 10:00:00", "2151-06-03 12:00:00", "2160-03-10 05:00:00"],
            "admission_type": ["URGENT", "ELECTIVE", "EW EMER."],
            "insurance": ["Medicare", "Medicare", "Other"],
        }
    )
    transfers = pd.DataFrame(  # deliberately out of time order
        {
            "subject_id": [1, 1, 1, 1, 1, 1, 2, 2, 3, 4],
            "hadm_id": [100.0, 100.0, 101.0, 100.0, 100.0, 100.0, 200.0, 200.0, np.nan,
                        999.0],
            "transfer_id": [3, 1, 6, 2, 4, 5, 7, 8, 9, 10],
            "eventtype": ["transfer", "ED", "admit", "admit", "transfer", "discharge", "ED",
                          "admit", "ED", "admit"],
            "careunit": ["MICU", "Emergency Department", "Cardiology", "Medicine",
                         "Discharge Lounge", None, "Emergency Department",
                         "Emergency Department Observation", "Emergency Department",
                         "Medicine"],
            "intime": ["2150-01-03 08:00:00", "2150-01-01 05:00:00", "2151-06-01 12:00:00",
                       "2150-01-01 08:00:00", "2150-01-05 08:00:00", "2150-01-05 10:00:00",
                       "2160-03-09 20:00:00", "2160-03-10 00:30:00", "2170-01-01 00:00:00",
                       "2170-01-01 00:00:00"],
            "outtime": ["2150-01-05 08:00:00", "2150-01-01 08:00:00", None,
                        "2150-01-03 08:00:00", "2150-01-05 10:00:00", None,
                        "2160-03-10 00:30:00", "2160-03-10 05:00:00", "2170-01-01 03:00:00",
                        "2170-01-02 00:00:00"],
        }
    )
    patients = pd.DataFrame(
        {"subject_id": [2, 1], "anchor_age": [91, 50], "anchor_year": [2160, 2149]}
    )
    return admissions, transfers, patients


def test_mimic_stays_without_transfers(mimic):
    admissions, _, patients = mimic
    out = from_mimic(admissions, patients=patients)
    _canonical_order(out)
    assert list(out.columns) == [
        "patient_id", "admission_date", "discharge_date", "treatment", "age", "stay_id",
    ]
    assert out["patient_id"].tolist() == [1, 1, 2]
    assert out["stay_id"].tolist() == [100, 101, 200]
    assert out["admission_date"].tolist() == [
        T("2150-01-01 08:00"), T("2151-06-01 12:00"), T("2160-03-10 00:30"),
    ]
    assert out["discharge_date"].tolist() == [
        T("2150-01-05 10:00"), T("2151-06-03 12:00"), T("2160-03-10 05:00"),
    ]
    assert out["treatment"].tolist() == ["URGENT", "ELECTIVE", "EW EMER."]
    # 50 in 2149 -> 51 in 2150, 52 in 2151; 91 in 2160 stays 91
    assert out["age"].tolist() == [51.0, 52.0, 91.0]
    assert "cost" not in out and "location" not in out


def test_mimic_stays_with_transfers(mimic):
    admissions, transfers, patients = mimic
    out = from_mimic(admissions, transfers, patients)
    _canonical_order(out)
    assert list(out.columns) == [
        "patient_id", "admission_date", "discharge_date", "department", "ward",
        "treatment", "age", "stay_id",
    ]
    # first bed ward; stay 200 only passed through the ED -> no ward
    assert out["ward"].tolist()[:2] == ["Medicine", "Cardiology"]
    assert pd.isna(out["ward"].iloc[2])
    assert out["department"].tolist()[:2] == ["Medicine", "Cardiology"]


def test_mimic_segments(mimic):
    admissions, transfers, patients = mimic
    out = from_mimic(admissions, transfers, patients, level="segment")
    _canonical_order(out)
    assert list(out.columns) == [
        "patient_id", "admission_date", "discharge_date", "department", "ward",
        "treatment", "age", "stay_id", "transfer_id",
    ]
    expected = pd.DataFrame(
        {
            "stay_id": [100, 100, 101],
            "transfer_id": [2, 3, 6],
            "ward": ["Medicine", "MICU", "Cardiology"],
            "admission_date": [T("2150-01-01 08:00"), T("2150-01-03 08:00"),
                               T("2151-06-01 12:00")],
            "discharge_date": [T("2150-01-03 08:00"), T("2150-01-05 08:00"), pd.NaT],
            "treatment": ["URGENT", "URGENT", "ELECTIVE"],
            "age": [51.0, 51.0, 52.0],
            "patient_id": [1, 1, 1],
        }
    )
    for col in expected:
        got = out[col].astype(object) if col in ("ward", "treatment") else out[col]
        assert got.tolist() == expected[col].tolist(), col
    assert out["department"].tolist() == out["ward"].tolist()


def test_mimic_segments_keep_every_unit(mimic):
    admissions, transfers, _ = mimic
    out = from_mimic(admissions, transfers, level="segment", exclude_units=())
    # everything but the discharge event, the hadm-less ED visit and the unknown stay
    assert out["transfer_id"].tolist() == [1, 2, 3, 4, 6, 7, 8]
    stays = from_mimic(admissions, transfers, exclude_units=None)
    assert stays["ward"].tolist() == ["Emergency Department", "Cardiology",
                                      "Emergency Department"]


def test_mimic_filtered_admissions_filter_segments(mimic):
    admissions, transfers, _ = mimic
    out = from_mimic(admissions.iloc[[1]], transfers, level="segment")
    assert out["stay_id"].tolist() == [101]


def test_mimic_does_not_mutate(mimic):
    copies = [f.copy(deep=True) for f in mimic]
    from_mimic(*mimic)
    from_mimic(*mimic, level="segment")
    for before, after in zip(copies, mimic, strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_mimic_upper_case_and_datetime_input(mimic):
    admissions, transfers, patients = mimic
    upper = admissions.rename(columns=str.upper).assign(
        ADMITTIME=lambda d: pd.to_datetime(d["ADMITTIME"]),
    )
    out = from_mimic(upper, transfers.rename(columns=str.upper), patients, level="segment")
    assert len(out) == 3


def test_mimic_errors(mimic):
    admissions, transfers, patients = mimic
    with pytest.raises(SchemaError, match="admittime") as info:
        from_mimic(admissions.drop(columns="admittime"))
    assert info.value.role == "admission_date"
    assert "hadm_id" in info.value.found
    with pytest.raises(SchemaError, match="careunit"):
        from_mimic(admissions, transfers.drop(columns="careunit"))
    with pytest.raises(SchemaError, match="anchor_year"):
        from_mimic(admissions, patients=patients.drop(columns="anchor_year"))
    with pytest.raises(ArgumentError, match="transfers"):
        from_mimic(admissions, level="segment")
    with pytest.raises(ArgumentError, match="level"):
        from_mimic(admissions, transfers, level="ward")
    with pytest.raises(ArgumentError, match="DataFrame"):
        from_mimic("admissions.csv")
    with pytest.raises(DataQualityError, match="not unique"):
        from_mimic(pd.concat([admissions, admissions.iloc[[0]]]))
    with pytest.raises(DataQualityError, match="not unique"):
        from_mimic(admissions, patients=pd.concat([patients, patients]))
    with pytest.raises(DataQualityError, match="admittime"):
        from_mimic(admissions.assign(admittime="yesterday"))


def test_mimic_missing_admission_type_leaves_treatment_out(mimic):
    admissions, _, _ = mimic
    out = from_mimic(admissions.drop(columns="admission_type"))
    assert "treatment" not in out


def test_default_non_bed_units():
    assert set(DEFAULT_NON_BED_UNITS) == {
        "Emergency Department", "Emergency Department Observation", "Discharge Lounge",
        "Unknown",
    }


# --------------------------------------------------------------------------- Synthea


@pytest.fixture
def synthea():
    encounters = pd.DataFrame(
        {
            "Id": ["e1", "e2", "e3", "e4", "e5"],
            "START": ["2020-03-01T22:00:00Z", "2020-03-05T08:00:00Z", "2021-02-28T12:00:00Z",
                      "2021-03-01T00:30:00Z", "2020-06-01T10:00:00Z"],
            "STOP": ["2020-03-04T10:00:00Z", "2020-03-05T08:30:00Z", "2021-03-02T12:00:00Z",
                     None, "2020-06-01T11:00:00Z"],
            "PATIENT": ["p1", "p1", "p2", "p2", "p9"],
            "ORGANIZATION": ["o1", "o1", "o2", "o2", "o1"],
            "PROVIDER": ["d1", "d1", "d2", "d2", "d1"],
            "ENCOUNTERCLASS": ["inpatient", "ambulatory", "inpatient", "emergency",
                               "Inpatient"],
            "TOTAL_CLAIM_COST": [9000.0, 120.5, 5000.25, 800.0, 10.0],
        }
    )
    patients = pd.DataFrame(
        {"Id": ["p1", "p2"], "BIRTHDATE": ["1980-03-02", "2000-02-29"], "GENDER": ["F", "M"]}
    )
    return encounters, patients


def test_synthea_all_classes(synthea):
    encounters, patients = synthea
    out = from_synthea(encounters, patients)
    _canonical_order(out)
    assert list(out.columns) == [
        "patient_id", "admission_date", "discharge_date", "location", "treatment", "cost",
        "age", "stay_id",
    ]
    assert out["stay_id"].tolist() == ["e1", "e2", "e3", "e4", "e5"]
    assert out["patient_id"].tolist() == ["p1", "p1", "p2", "p2", "p9"]
    assert out["admission_date"].iloc[0] == T("2020-03-01 22:00")
    assert out["discharge_date"].iloc[0] == T("2020-03-04 10:00")
    assert pd.isna(out["discharge_date"].iloc[3])
    assert out["cost"].tolist() == [9000.0, 120.5, 5000.25, 800.0, 10.0]
    assert out["location"].tolist() == ["o1", "o1", "o2", "o2", "o1"]
    # p1 born 1980-03-02: 39 on 2020-03-01 (day before birthday), 40 on 2020-03-05;
    # p2 born 29 Feb 2000: still 20 on 28 Feb 2021, 21 on 1 March; p9 unknown
    np.testing.assert_array_equal(out["age"].to_numpy(), [39.0, 40.0, 20.0, 21.0, np.nan])


def test_synthea_classes_filter(synthea):
    encounters, patients = synthea
    out = from_synthea(encounters, patients, classes=["inpatient"])
    assert out["stay_id"].tolist() == ["e1", "e3", "e5"]  # case-insensitive
    assert from_synthea(encounters, classes="EMERGENCY")["stay_id"].tolist() == ["e4"]
    assert len(from_synthea(encounters, classes=[])) == 0


def test_synthea_timezone(synthea):
    encounters, patients = synthea
    out = from_synthea(encounters, patients, timezone="America/Chicago")
    assert out["admission_date"].iloc[0] == T("2020-03-01 16:00")  # CST = UTC-6
    assert out["admission_date"].iloc[4] == T("2020-06-01 05:00")  # CDT = UTC-5
    assert out["admission_date"].dt.tz is None
    # local START of e4 is 28 Feb 2021 18:30: p2 has not had the birthday yet
    assert out["age"].iloc[3] == 20.0
    with pytest.raises(ArgumentError, match="timezone"):
        from_synthea(encounters, timezone="Mars/Olympus")


def test_synthea_does_not_mutate(synthea):
    encounters, patients = synthea
    copies = encounters.copy(deep=True), patients.copy(deep=True)
    from_synthea(encounters, patients, classes=["inpatient"], timezone="Europe/Paris")
    pd.testing.assert_frame_equal(copies[0], encounters)
    pd.testing.assert_frame_equal(copies[1], patients)


def test_synthea_errors(synthea):
    encounters, patients = synthea
    with pytest.raises(SchemaError, match="START"):
        from_synthea(encounters.drop(columns="START"))
    with pytest.raises(SchemaError, match="ENCOUNTERCLASS"):
        from_synthea(encounters.drop(columns="ENCOUNTERCLASS"), classes=["inpatient"])
    with pytest.raises(SchemaError, match="BIRTHDATE"):
        from_synthea(encounters, patients.drop(columns="BIRTHDATE"))
    with pytest.raises(DataQualityError, match="TOTAL_CLAIM_COST"):
        from_synthea(encounters.assign(TOTAL_CLAIM_COST="lots"))
    optional = from_synthea(encounters.drop(columns=["ENCOUNTERCLASS", "TOTAL_CLAIM_COST"]))
    assert "treatment" not in optional and "cost" not in optional


# --------------------------------------------------------------------------- OMOP


@pytest.fixture
def omop():
    visits = pd.DataFrame(
        {
            "VISIT_OCCURRENCE_ID": [1, 2, 3, 4],
            "PERSON_ID": [7, 7, 8, 9],
            "VISIT_CONCEPT_ID": [9201, 9202, 262, 581478],
            "VISIT_START_DATE": ["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"],
            "VISIT_START_DATETIME": ["2020-01-01 10:00:00", None, "2020-03-01 23:00:00",
                                     None],
            "VISIT_END_DATE": ["2020-01-04", "2020-02-01", "2020-03-03", None],
            "VISIT_END_DATETIME": ["2020-01-04 12:00:00", None, None, None],
            "CARE_SITE_ID": [np.nan, np.nan, np.nan, np.nan],
        }
    )
    person = pd.DataFrame(
        {
            "person_id": [9, 8, 7],
            "year_of_birth": [2000, 1990, 1950],
            "month_of_birth": [4.0, 3.0, np.nan],
            "day_of_birth": [np.nan, 2.0, np.nan],
        }
    )
    detail = pd.DataFrame(
        {
            "visit_detail_id": [11, 12, 13, 31],
            "visit_occurrence_id": [1, 1, 1, 3],
            "person_id": [7, 7, 7, 8],
            "visit_detail_start_datetime": ["2020-01-02 08:00:00", "2020-01-01 10:00:00",
                                            "2020-01-03 09:00:00", "2020-03-01 23:00:00"],
            "visit_detail_end_datetime": ["2020-01-03 09:00:00", "2020-01-02 08:00:00",
                                          "2020-01-04 12:00:00", "2020-03-03 00:00:00"],
            "care_site_id": [20.0, 10.0, np.nan, 30.0],
        }
    )
    return visits, person, detail


def test_omop_stays(omop):
    visits, person, _ = omop
    out = from_omop(visits, person)
    _canonical_order(out)
    assert list(out.columns) == [
        "patient_id", "admission_date", "discharge_date", "treatment", "age", "stay_id",
    ]  # care_site_id is empty: no location
    assert out["stay_id"].tolist() == [1, 2, 3, 4]
    assert out["admission_date"].tolist() == [
        T("2020-01-01 10:00"), T("2020-02-01"), T("2020-03-01 23:00"), T("2020-04-01"),
    ]
    assert out["discharge_date"].tolist()[:3] == [
        T("2020-01-04 12:00"), T("2020-02-01"), T("2020-03-03"),
    ]
    assert pd.isna(out["discharge_date"].iloc[3])
    assert out["treatment"].tolist() == [
        "Inpatient Visit", "Outpatient Visit", "Emergency Room and Inpatient Visit",
        "Other (concept 581478)",
    ]
    # 7: year only -> 2020-1950; 8: born 1990-03-02, visit 2020-03-01 -> 29;
    # 9: born April 2000 (no day), visit 2020-04-01 -> months equal -> 20
    assert out["age"].tolist() == [70.0, 70.0, 29.0, 20.0]


def test_omop_location_when_filled(omop):
    visits, _, _ = omop
    out = from_omop(visits.assign(CARE_SITE_ID=[5.0, 5.0, 6.0, np.nan]))
    assert out["location"].tolist()[:3] == ["5", "5", "6"]
    assert pd.isna(out["location"].iloc[3])


def test_omop_segments(omop):
    visits, person, detail = omop
    out = from_omop(visits, person, detail, level="segment")
    _canonical_order(out)
    assert list(out.columns) == [
        "patient_id", "admission_date", "discharge_date", "ward", "treatment", "age",
        "stay_id", "visit_detail_id",
    ]
    assert out["visit_detail_id"].tolist() == [12, 11, 13, 31]  # by visit, then start
    assert out["ward"].tolist()[:2] == ["10", "20"]
    assert pd.isna(out["ward"].iloc[2])
    assert out["ward"].iloc[3] == "30"
    assert out["admission_date"].iloc[0] == T("2020-01-01 10:00")
    assert out["discharge_date"].iloc[3] == T("2020-03-03")
    assert out["treatment"].tolist() == (
        ["Inpatient Visit"] * 3 + ["Emergency Room and Inpatient Visit"]
    )
    assert out["age"].tolist() == [70.0, 70.0, 70.0, 29.0]
    assert out["patient_id"].tolist() == [7, 7, 7, 8]

    stays = from_omop(visits, person, detail)
    assert stays["ward"].tolist()[0] == "10"  # earliest detail of visit 1
    assert stays["ward"].isna().tolist() == [False, True, False, True]


def test_omop_unusable_detail(omop):
    visits, _, detail = omop
    empty = detail.assign(care_site_id=np.nan)
    with pytest.raises(DataQualityError, match="care_site_id is empty"):
        from_omop(visits, visit_detail=empty, level="segment")
    assert "ward" not in from_omop(visits, visit_detail=empty)
    with pytest.raises(ArgumentError, match="visit_detail"):
        from_omop(visits, level="segment")


def test_omop_does_not_mutate(omop):
    copies = [f.copy(deep=True) for f in omop]
    from_omop(*omop, level="segment")
    for before, after in zip(copies, omop, strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_omop_errors(omop):
    visits, person, _ = omop
    with pytest.raises(SchemaError, match="visit_start"):
        from_omop(visits.drop(columns=["VISIT_START_DATE", "VISIT_START_DATETIME"]))
    with pytest.raises(SchemaError, match="person_id"):
        from_omop(visits.drop(columns="PERSON_ID"))
    with pytest.raises(SchemaError, match="year_of_birth"):
        from_omop(visits, person.drop(columns="year_of_birth"))
    only_dates = from_omop(visits.drop(columns=["VISIT_START_DATETIME"]))
    assert only_dates["admission_date"].iloc[0] == T("2020-01-01")


def test_visit_concepts():
    assert VISIT_CONCEPTS[9201] == "Inpatient Visit"
    assert VISIT_CONCEPTS[9203] == "Emergency Room Visit"


# --------------------------------------------------------------------------- real data

DATA = Path(
    os.environ.get(
        "HOSPITALYTICS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)


def _dataset(name: str) -> Path:
    folder = DATA / name
    if not folder.is_dir():
        pytest.skip(f"public dataset {name} not found in {DATA}")
    return folder


@pytest.fixture(scope="module")
def mimic_demo():
    folder = _dataset("mimic-iv-demo") / "hosp"
    return tuple(
        pd.read_csv(folder / f"{t}.csv.gz") for t in ("admissions", "transfers", "patients")
    )


@pytest.mark.realdata
def test_mimic_demo_stays(mimic_demo):
    admissions, transfers, patients = mimic_demo
    stays = from_mimic(admissions, transfers, patients)
    _canonical_order(stays)
    assert len(stays) == 275
    assert stays["stay_id"].is_unique
    assert stays["admission_date"].min().year >= 2110
    # by hand: 10004235 was 47 in anchor year 2196, admitted in 2196 -> 47;
    # 10018081 was 79 in 2133 -> 80 for the 2134 stay, 79 for the 2133 one;
    # 10020640 is capped at 91 (over 89) in 2153 and admitted in 2153 -> 91
    age = stays.set_index("stay_id")["age"]
    assert age[24181354] == 47.0
    assert age[23983182] == 80.0
    assert age[21027282] == 79.0
    assert age[27984218] == 91.0
    # the first bed ward of 24181354 is the CCU (it came through the ED)
    assert stays.set_index("stay_id").loc[24181354, "ward"] == "Coronary Care Unit (CCU)"
    # 23 stays never leave the ED observation unit: no bed ward
    assert stays["ward"].isna().sum() == 23


@pytest.mark.realdata
def test_mimic_demo_segments_against_independent_count(mimic_demo):
    admissions, transfers, patients = mimic_demo
    seg = from_mimic(admissions, transfers, patients, level="segment")
    _canonical_order(seg)

    # an independent route: filter the raw table with plain boolean logic
    raw = transfers.copy()
    bed = (
        (raw["eventtype"] != "discharge")
        & raw["hadm_id"].notna()
        & ~raw["careunit"].isin(
            ["Emergency Department", "Emergency Department Observation",
             "Discharge Lounge", "Unknown"]
        )
    )
    raw = raw[bed]
    assert len(seg) == len(raw) == 616
    assert set(seg["transfer_id"]) == set(raw["transfer_id"])
    assert seg["discharge_date"].notna().all()  # no open segment in the demo

    hours_raw = (
        (pd.to_datetime(raw["outtime"]) - pd.to_datetime(raw["intime"]))
        .dt.total_seconds()
        .groupby(raw["careunit"])
        .sum()
        / 3600
    )
    hours_seg = (
        (seg["discharge_date"] - seg["admission_date"])
        .dt.total_seconds()
        .groupby(seg["ward"].astype(object))
        .sum()
        / 3600
    )
    pd.testing.assert_series_equal(
        hours_seg.sort_index(), hours_raw.sort_index(), check_names=False
    )
    # every segment belongs to a stay of its patient, with that stay's age and treatment
    stays = from_mimic(admissions, patients=patients).set_index("stay_id")
    joined = stays.loc[seg["stay_id"]]
    assert (joined["patient_id"].to_numpy() == seg["patient_id"].to_numpy()).all()
    np.testing.assert_array_equal(joined["age"].to_numpy(), seg["age"].to_numpy())
    assert joined["treatment"].astype(object).tolist() == seg["treatment"].astype(
        object
    ).tolist()
    # the 54 transfers without hadm_id are all ED visits, and none is a segment
    no_stay = transfers[transfers["hadm_id"].isna()]
    assert len(no_stay) == 54
    assert set(no_stay["careunit"]) == {"Emergency Department"}


@pytest.mark.realdata
def test_synthea_ne():
    folder = _dataset("synthea-ne")
    encounters = pd.read_csv(folder / "encounters.csv")
    patients = pd.read_csv(folder / "patients.csv")
    out = from_synthea(encounters, patients)
    _canonical_order(out)
    assert len(out) == 7584
    assert out["cost"].sum() == pytest.approx(encounters["TOTAL_CLAIM_COST"].sum())
    assert out["age"].notna().all() and (out["age"] >= 0).all()
    inpatient = from_synthea(encounters, patients, classes=["inpatient"])
    assert len(inpatient) == 49
    assert set(inpatient["treatment"].astype(object)) == {"inpatient"}
    # by hand: born 1945-06-02, inpatient from 1978-12-12 -> 33;
    # born 1987-01-15, inpatient from 2022-11-24 -> 35
    age = inpatient.set_index("stay_id")["age"]
    assert age["80dd9764-4b2d-f089-2074-7b22e2b92116"] == 33.0
    assert age["272cdcfd-058a-88cf-0006-dc3cc506d5e5"] == 35.0


@pytest.mark.realdata
def test_omop_synthea27nj():
    folder = _dataset("omop-synthea27nj")
    visits = pd.read_csv(folder / "VISIT_OCCURRENCE.csv")
    person = pd.read_csv(folder / "PERSON.csv")
    detail = pd.read_csv(folder / "VISIT_DETAIL.csv")
    out = from_omop(visits, person, detail)
    _canonical_order(out)
    assert len(out) == 1791
    assert "location" not in out and "ward" not in out  # care sites are empty
    expected = visits["visit_concept_id"].map(VISIT_CONCEPTS).value_counts()
    pd.testing.assert_series_equal(
        out["treatment"].astype(object).value_counts().sort_index(),
        expected.sort_index(),
        check_names=False,
        check_index_type=False,
    )
    assert expected.to_dict() == {"Outpatient Visit": 1722, "Emergency Room Visit": 56,
                                "Inpatient Visit": 13}
    assert out["age"].notna().all()
    with pytest.raises(DataQualityError, match="care_site_id"):
        from_omop(visits, person, detail, level="segment")


def test_adapters_accept_category_inputs(omop, mimic, synthea):
    """Frames read by hospitalytics.io.read have category columns for category roles."""
    visits, person, _ = omop
    as_read = visits.assign(
        VISIT_CONCEPT_ID=visits["VISIT_CONCEPT_ID"].astype(str).astype("category")
    )
    assert from_omop(as_read, person)["treatment"].tolist() == (
        from_omop(visits, person)["treatment"].tolist()
    )
    admissions, transfers, _ = mimic
    cat_transfers = transfers.astype({"careunit": "category", "eventtype": "category"})
    assert len(from_mimic(admissions, cat_transfers, level="segment")) == 3
    encounters, _ = synthea
    cat_enc = encounters.astype({"ENCOUNTERCLASS": "category", "ORGANIZATION": "category"})
    assert len(from_synthea(cat_enc, classes=["inpatient"])) == 3


# ----------------------------------------------------------------- issue 10 additions
def test_omop_visit_concepts_keeps_the_in_patient_visits(omop):
    visits, person, detail = omop
    out = from_omop(visits, person, visit_concepts=INPATIENT_VISIT_CONCEPTS)
    assert out["stay_id"].tolist() == [1, 3]  # 9201 and 262; not 9202 or 581478
    assert out["treatment"].tolist() == ["Inpatient Visit",
                                         "Emergency Room and Inpatient Visit"]
    assert out["age"].tolist() == [70.0, 29.0]
    seg = from_omop(visits, person, detail, level="segment", visit_concepts=[262])
    assert seg["visit_detail_id"].tolist() == [31]
    with pytest.raises(SchemaError, match="VISIT_CONCEPT_ID|visit_concept_id"):
        from_omop(visits.drop(columns="VISIT_CONCEPT_ID"), visit_concepts=[9201])


def test_visit_concepts_are_the_vocabulary_names():
    assert VISIT_CONCEPTS[9201] == "Inpatient Visit"
    assert VISIT_CONCEPTS[9202] == "Outpatient Visit"
    assert VISIT_CONCEPTS[262] == "Emergency Room and Inpatient Visit"
    assert set(INPATIENT_VISIT_CONCEPTS) == {9201, 262, 8717}


def test_mimic_discharge_disposition(mimic):
    admissions, transfers, _ = mimic
    admissions = admissions.assign(
        discharge_location=["HOME", None, "SKILLED NURSING FACILITY"],
        hospital_expire_flag=[0, 1, 0],
    )
    stays = from_mimic(admissions)
    _canonical_order(stays)
    assert stays["discharge_disposition"].tolist() == ["HOME", "DIED",
                                                       "SKILLED NURSING FACILITY"]
    assert list(stays.columns)[-2:] == ["stay_id", "discharge_disposition"]
    seg = from_mimic(admissions, transfers, level="segment")
    # segments carry their stay's disposition: Medicine and MICU (stay 100), Cardiology (101)
    assert seg.set_index("transfer_id")["discharge_disposition"].to_dict() == {
        2: "HOME", 3: "HOME", 6: "DIED",
    }
