"""Standard exports through the front door: read() recognises them and runs the adapters.

Hand-made miniature exports first (they run everywhere), then the public datasets in
``../shared/data`` (skipped when absent): raw Synthea gives its 49 in-patient stays, raw
OMOP visits are labelled, never bare concept ids, and the MIMIC-IV demo loads whole.
"""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import cli
from hospitalytics.adapters import VISIT_CONCEPTS, from_mimic, from_omop, from_synthea
from hospitalytics.errors import DataQualityWarning

T = pd.Timestamp


def read_noted(path, **kwargs) -> tuple[pd.DataFrame, list[str]]:
    """read() and the lines of the one warning it gave."""
    with pytest.warns(DataQualityWarning) as caught:
        frame = hp.read(path, **kwargs)
    assert len(caught) == 1
    lines = str(caught[0].message).splitlines()
    assert frame.attrs["hospitalytics"]["notes"] == lines
    return frame, lines


# ---------------------------------------------------------------------- hand-made
ENCOUNTERS = pd.DataFrame({
    "Id": ["e1", "e2", "e3", "e4"],
    "START": ["2020-03-01T22:00:00Z", "2020-03-05T08:00:00Z", "2020-03-06T09:00:00Z",
              "2020-03-07T09:00:00Z"],
    "STOP": ["2020-03-04T10:00:00Z", "2020-03-05T08:30:00Z", "2020-03-09T09:00:00Z",
             "2020-03-07T10:00:00Z"],
    "PATIENT": ["p1", "p1", "p2", "p2"],
    "ORGANIZATION": ["o1", "o1", "o2", "o2"],
    "PROVIDER": ["d1", "d1", "d2", "d2"],
    "ENCOUNTERCLASS": ["inpatient", "wellness", "inpatient", "ambulatory"],
    "DESCRIPTION": ["a", "b", "c", "d"],
    "TOTAL_CLAIM_COST": [9000.0, 120.5, 5000.0, 80.0],
})
PATIENTS = pd.DataFrame({"Id": ["p1", "p2"], "BIRTHDATE": ["1980-03-02", "2001-01-01"]})


def test_synthea_export_is_recognised_and_in_patients_kept(tmp_path):
    ENCOUNTERS.to_csv(tmp_path / "encounters.csv", index=False)
    PATIENTS.to_csv(tmp_path / "patients.csv", index=False)
    frame, notes = read_noted(tmp_path / "encounters.csv")
    expected = from_synthea(ENCOUNTERS, PATIENTS, classes=["inpatient"])
    pd.testing.assert_frame_equal(frame, expected, check_categorical=False)
    assert frame["stay_id"].tolist() == ["e1", "e3"]
    assert frame["age"].tolist() == [39.0, 19.0]
    assert notes[0].startswith("encounters.csv: recognised a Synthea encounters table and "
                               "read it through its adapter: kept the 2 in-patient "
                               "encounters")
    assert notes[1] == ("encounters.csv: left out 2 other encounters (wellness 1, "
                        "ambulatory 1); encounters='all' (--all-encounters) keeps them all")
    assert notes[2] == "encounters.csv: ages from patients.csv (Synthea patients) next to it"
    every, notes = read_noted(tmp_path / "encounters.csv", encounters="all")
    assert len(every) == 4 and "kept all 4 encounters" in notes[0]
    local, _ = read_noted(tmp_path / "encounters.csv", timezone="America/Chicago")
    assert local["admission_date"].iloc[0] == T("2020-03-01 16:00")


def test_detection_can_be_turned_off_and_usecols_none_reads_raw(tmp_path):
    path = tmp_path / "encounters.csv"
    ENCOUNTERS.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raw = hp.read(path, usecols=None)
        assert list(raw.columns) == list(ENCOUNTERS.columns) and len(raw) == 4
        assert len(hp.read(path, detect=False)) == 4
        # an explicit columns= mapping means "I name the roles": no adapter either
        assert "START" in hp.read(path, columns={"admission_date": "START"}).columns


def test_omop_export_is_recognised_with_labels(tmp_path):
    visits = pd.DataFrame({
        "visit_occurrence_id": [1, 2, 3],
        "person_id": [7, 7, 8],
        "visit_concept_id": [9201, 9202, 262],
        "visit_start_date": ["2020-01-01", "2020-02-01", "2020-03-01"],
        "visit_end_date": ["2020-01-04", "2020-02-01", "2020-03-02"],
    })
    path = tmp_path / "VISIT_OCCURRENCE.csv"
    visits.to_csv(path, index=False)
    frame, notes = read_noted(path)
    assert frame["stay_id"].tolist() == [1, 3]
    assert frame["treatment"].tolist() == ["Inpatient Visit",
                                           "Emergency Room and Inpatient Visit"]
    assert "kept the 2 in-patient visits (Inpatient Visit 1, Emergency Room and Inpatient " \
           "Visit 1)" in notes[0]
    assert notes[1] == ("VISIT_OCCURRENCE.csv: left out 1 other visit (Outpatient Visit 1); "
                        "encounters='all' (--all-encounters) keeps them all")
    every, _ = read_noted(path, encounters="all")
    assert every["treatment"].tolist() == ["Inpatient Visit", "Outpatient Visit",
                                           "Emergency Room and Inpatient Visit"]


def test_omop_visit_detail_gives_ward_segments(tmp_path):
    detail = pd.DataFrame({
        "visit_detail_id": [11, 12, 21],
        "visit_occurrence_id": [1, 1, 2],
        "person_id": [7, 7, 7],
        "visit_detail_concept_id": [9201, 9201, 9202],
        "visit_detail_start_datetime": ["2020-01-01 10:00:00", "2020-01-02 08:00:00",
                                        "2020-02-01 09:00:00"],
        "visit_detail_end_datetime": ["2020-01-02 08:00:00", "2020-01-04 12:00:00",
                                      "2020-02-01 10:00:00"],
        "care_site_id": [10, 20, 30],
    })
    path = tmp_path / "visit_detail.csv"
    detail.to_csv(path, index=False)
    frame, notes = read_noted(path)
    assert frame["visit_detail_id"].tolist() == [11, 12]
    assert frame["stay_id"].tolist() == [1, 1] and frame["ward"].tolist() == ["10", "20"]
    assert "2 ward segments of 1 visit (visit types from visit_detail_concept_id" in notes[0]
    assert "left out 1 visit_detail row of visits that are not in-patient stays" in notes[1]


def test_mimic_transfers_alone_make_segments_of_their_stays(tmp_path):
    transfers = pd.DataFrame({
        "subject_id": [1, 1, 1, 1, 2],
        "hadm_id": [100.0, 100.0, 100.0, 100.0, None],
        "transfer_id": [1, 2, 3, 4, 5],
        "eventtype": ["ED", "admit", "transfer", "discharge", "ED"],
        "careunit": ["Emergency Department", "Medicine", "MICU", None,
                     "Emergency Department"],
        "intime": ["2150-01-01 05:00:00", "2150-01-01 08:00:00", "2150-01-03 08:00:00",
                   "2150-01-05 10:00:00", "2150-02-01 00:00:00"],
        "outtime": ["2150-01-01 08:00:00", "2150-01-03 08:00:00", "2150-01-05 10:00:00",
                    None, "2150-02-01 03:00:00"],
    })
    path = tmp_path / "transfers.csv"
    transfers.to_csv(path, index=False)
    frame, notes = read_noted(path)
    assert frame["ward"].tolist() == ["Medicine", "MICU"]
    assert frame["stay_id"].tolist() == [100, 100]
    assert "5 rows gave 2 ward segments of 1 stay (the stays are built from the transfers" \
           in notes[0]
    assert notes[1] == (
        "transfers.csv: left out 1 row without hadm_id (not a stay); 1 discharge event (no "
        "ward); 1 row in units that are not bed wards (Emergency Department 1); "
        "encounters='all' (--all-encounters) keeps every unit"
    )


def test_report_of_a_raw_synthea_export_counts_in_patients(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ENCOUNTERS.to_csv("encounters.csv", index=False)
    assert cli.main(["report", "encounters.csv", "-o", "r.json"]) == 0
    out = capsys.readouterr().out
    assert out == ("wrote r.json: 2 stays, 1 Mar 2020 to 9 Mar 2020, as of 9 Mar 2020 "
                   "(2 notes in the report)\n")
    import json

    data = json.loads(Path("r.json").read_text())
    kpis = {k["kpi"]: k for k in data["kpis"]}
    assert kpis["admissions"]["period"] == 2
    assert any("left out 2 other encounters" in n for n in data["notes"])
    assert cli.main(["report", "encounters.csv", "--all-encounters", "-o", "all.json"]) == 0
    assert "wrote all.json: 4 stays" in capsys.readouterr().out
    assert cli.main(["report", "encounters.csv", "--no-detect", "-o", "raw.json"]) == 0
    assert "wrote raw.json: 4 stays" in capsys.readouterr().out


def test_pyarrow_is_a_core_dependency():
    meta = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    deps = [d.split(">")[0].split("=")[0].strip() for d in meta["project"]["dependencies"]]
    assert "pyarrow" in deps
    extras = meta["project"]["optional-dependencies"]
    assert any(d.startswith("pyarrow") for d in extras["parquet"])  # kept as an alias
    assert {d.split(">")[0] for d in extras["excel"]} == {"openpyxl", "xlrd"}


# --------------------------------------------------------------------- real files
@pytest.mark.realdata
def test_raw_synthea_gives_the_49_in_patient_stays(shared_data):
    path = shared_data / "synthea-ne" / "encounters.csv"
    frame, notes = read_noted(path)
    encounters = pd.read_csv(path)
    patients = pd.read_csv(shared_data / "synthea-ne" / "patients.csv")
    expected = from_synthea(encounters, patients, classes=["inpatient"])
    assert len(frame) == 49 == (encounters["ENCOUNTERCLASS"] == "inpatient").sum()
    pd.testing.assert_frame_equal(frame, expected, check_categorical=False)
    assert "left out 7,535 other encounters (ambulatory 3,171, wellness 2,366" in notes[1]
    clean, report = hp.standardize(frame)
    assert report.n_clean == 49 and report.n_rejected == 0
    assert notes == report.notes[: len(notes)]  # the notes reach the cleaning report
    assert hp.admissions(frame) == 49


@pytest.mark.realdata
def test_raw_omop_visits_are_labelled_and_in_patient(shared_data):
    folder = shared_data / "omop-synthea27nj"
    frame, notes = read_noted(folder / "VISIT_OCCURRENCE.csv")
    assert len(frame) == 13
    assert set(frame["treatment"].astype(str)) == {"Inpatient Visit"}
    assert frame["age"].notna().all()  # PERSON.csv next to it
    every, _ = read_noted(folder / "VISIT_OCCURRENCE.csv", encounters="all")
    visits = pd.read_csv(folder / "VISIT_OCCURRENCE.csv")
    assert len(every) == len(visits) == 1791
    labels = set(every["treatment"].astype(str))
    assert labels == {"Inpatient Visit", "Outpatient Visit", "Emergency Room Visit"}
    assert not any(label.isdigit() for label in labels)  # never bare concept ids
    assert hp.standardize(every)[1].rejected_counts["duplicate"] == 0  # 1,791 distinct
    detail, notes = read_noted(folder / "VISIT_DETAIL.csv")
    assert sorted(detail["stay_id"]) == sorted(frame["stay_id"])
    assert "care_site_id (the ward) is empty in every row" in notes[0]
    expected = from_omop(visits, pd.read_csv(folder / "PERSON.csv"),
                         visit_concepts=[9201, 262, 8717])
    assert VISIT_CONCEPTS[9201] in set(expected["treatment"].astype(str))
    pd.testing.assert_frame_equal(frame, expected, check_categorical=False)


@pytest.mark.realdata
def test_mimic_demo_loads_whole(shared_data):
    hosp = shared_data / "mimic-iv-demo" / "hosp"
    stays, notes = read_noted(hosp / "admissions.csv.gz")
    clean, report = hp.standardize(stays)
    assert report.n_input == report.n_clean == 275  # dates of 2110-2201 are in range
    assert report.counts["date_out_of_range"] == 0
    assert stays["age"].notna().all() and "patients.csv.gz" in notes[-1]
    segments, notes = read_noted(hosp / "transfers.csv.gz")
    admissions = pd.read_csv(hosp / "admissions.csv.gz")
    transfers = pd.read_csv(hosp / "transfers.csv.gz")
    expected = from_mimic(admissions, transfers, pd.read_csv(hosp / "patients.csv.gz"),
                          level="segment")
    pd.testing.assert_frame_equal(segments, expected, check_categorical=False)
    assert len(segments) == 616 and segments["stay_id"].nunique() == 252
    assert "54 rows without hadm_id" in notes[1] and "275 discharge events" in notes[1]
    _, report = hp.standardize(segments)
    assert report.n_clean == 616  # segments of one stay are not duplicates
