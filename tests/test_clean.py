"""Tests of hospitalytics.clean: standardize, CleaningReport and prepare."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import gzip
import importlib.util
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as tm
import pytest
from hypothesis import HealthCheck, given, settings

from hospitalytics.clean import (
    REJECTION_REASONS,
    WARNING_RULES,
    CleaningReport,
    prepare,
    standardize,
)
from hospitalytics.errors import ArgumentError, DataQualityWarning, SchemaError
from hospitalytics.schema import ROLES

_spec = importlib.util.spec_from_file_location(
    "hospitalytics_test_strategies", Path(__file__).with_name("strategies.py")
)
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)

T = pd.Timestamp


def ts_list(series):
    return [None if pd.isna(v) else pd.Timestamp(v) for v in series]


def reasons(report):
    return dict(zip(report.rejected.index, report.rejected[report.reason_column], strict=True))


# --------------------------------------------------------------------------------------
# Rejection reasons, one by one
# --------------------------------------------------------------------------------------


def test_missing_admission_date_null_empty_and_null_like():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-01-01", None, "", "   ", "NA", np.nan],
            "discharge_date": ["2024-01-02"] * 6,
        },
        dtype=object,
    )
    clean, report = standardize(raw)
    assert list(clean.index) == [0]
    assert reasons(report) == dict.fromkeys([1, 2, 3, 4, 5], "missing_admission_date")
    assert report.counts["missing_admission_date"] == 5


def test_unparseable_admission_date():
    raw = pd.DataFrame({"admit_date": ["2024-01-01", "not a date", "2024-13-45", "31/31/2024"]})
    clean, report = standardize(raw)
    assert list(clean.index) == [0]
    assert reasons(report) == dict.fromkeys([1, 2, 3], "unparseable_admission_date")


def test_unparseable_discharge_date_but_null_discharge_is_an_open_stay():
    raw = pd.DataFrame(
        {
            "admittime": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"],
            "dischtime": ["2024-01-03", None, "", "tomorrow"],
        }
    )
    clean, report = standardize(raw)
    assert list(clean.index) == [0, 1, 2]
    assert ts_list(clean["discharge_date"]) == [T("2024-01-03"), None, None]
    assert reasons(report) == {3: "unparseable_discharge_date"}
    assert any("2 stay(s) have no discharge date" in note for note in report.notes)


def test_discharge_before_admission_to_the_minute():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-01-05 10:00", "2024-01-05 10:00", "2024-01-05 10:00"],
            "discharge_date": ["2024-01-05 09:59", "2024-01-05 10:00", "2024-01-04"],
        }
    )
    clean, report = standardize(raw)
    assert list(clean.index) == [1]
    assert reasons(report) == {0: "discharge_before_admission", 2: "discharge_before_admission"}
    assert report.counts["zero_length_stay"] == 1


def test_negative_age_is_rejected():
    raw = pd.DataFrame({"admission_date": ["2024-01-01"] * 3, "age": [30, -1, 0]})
    clean, report = standardize(raw)
    assert clean["age"].tolist() == [30.0, 0.0]
    assert reasons(report) == {1: "negative_age"}


def test_duplicates_first_kept_and_option_to_keep_them():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"],
            "Id": ["a", "a", "b", "a"],
        }
    )
    clean, report = standardize(raw)
    assert list(clean.index) == [0, 2]
    assert reasons(report) == {1: "duplicate", 3: "duplicate"}
    clean, report = standardize(raw, drop_duplicates=False)
    assert list(clean.index) == [0, 1, 2, 3]
    assert report.counts["duplicate"] == 0
    assert any("2 duplicate row(s) kept" in note for note in report.notes)


def test_one_reason_per_row_first_rule_wins():
    raw = pd.DataFrame(
        {
            "admission_date": [None, "junk", "2024-01-05", "2024-01-05", None],
            "discharge_date": ["junk", "junk", "junk", "2024-01-01", "junk"],
            "age": [-3, -3, -3, -3, -3],
        }
    )
    clean, report = standardize(raw)
    assert clean.empty
    assert reasons(report) == {
        0: "missing_admission_date",
        1: "unparseable_admission_date",
        2: "unparseable_discharge_date",
        3: "discharge_before_admission",
        4: "missing_admission_date",  # a duplicate of row 0, but the date rule comes first
    }
    assert sum(report.rejected_counts.values()) == 5


def test_rejected_rows_are_the_raw_rows_with_a_reason():
    raw = pd.DataFrame(
        {"Date of Admission": ["2024-01-01", "bad"], "Billing Amount": ["$1,000.00", "$5"]},
        index=["x", "y"],
    )
    _, report = standardize(raw)
    expected = raw.loc[["y"]].assign(reason="unparseable_admission_date")
    tm.assert_frame_equal(report.rejected, expected, check_dtype=False)
    assert report.rejected["Billing Amount"].iloc[0] == "$5"  # untouched raw value


def test_reason_column_does_not_clobber_a_raw_reason_column():
    raw = pd.DataFrame({"admission_date": ["2024-01-01", None], "reason": ["chest pain", "fall"]})
    _, report = standardize(raw)
    assert report.reason_column == "reason_"
    assert report.rejected["reason"].tolist() == ["fall"]
    assert report.rejected["reason_"].tolist() == ["missing_admission_date"]


# --------------------------------------------------------------------------------------
# Warning rules
# --------------------------------------------------------------------------------------


def test_warning_rules_are_counted_and_rows_kept():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-01-01 08:00"] * 5 + [None],
            "discharge_date": ["2024-01-01 08:00", "2024-01-02", None, None, None, None],
            "cost": ["-20", "(5.00)", "free", "10", "12", "-1"],
            "age": ["121", "40", "30", "old", "120", "150"],
        }
    )
    clean, report = standardize(raw)
    assert len(clean) == 5
    assert report.warning_counts == {
        "open_stay_placeholder": 0,
        "negative_cost": 2,  # -20 and (5.00); the rejected row's -1 is not counted
        "zero_length_stay": 1,
        "age_over_120": 1,  # 121; 120 is not over 120; 150 is on a rejected row
        "unparseable_cost": 1,
        "unparseable_age": 1,
    }
    assert clean["cost"].tolist()[:2] == [-20.0, -5.0]
    assert np.isnan(clean.loc[2, "cost"]) and np.isnan(clean.loc[3, "age"])


def test_counts_have_every_rule_with_zeros():
    clean, report = standardize(pd.DataFrame({"admission_date": ["2024-01-01"]}))
    assert list(report.counts) == list(REJECTION_REASONS) + list(WARNING_RULES)
    assert set(report.counts.values()) == {0}


# --------------------------------------------------------------------------------------
# Dates and time zones
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-01-05", "2024-01-05 00:00"),
        ("2024-01-05 13:20:00", "2024-01-05 13:20"),
        ("2024-01-05T13:20:00", "2024-01-05 13:20"),
        ("2024-01-05T13:20:00Z", "2024-01-05 13:20"),
        ("2024-01-05T13:20:00+01:00", "2024-01-05 13:20"),  # one offset: its own clock
        ("2024-03-01T23:30:00-05:00", "2024-03-01 23:30"),
        ("2024-01-05 13:20:00 UTC", "2024-01-05 13:20"),
        ("05/01/2024", "2024-05-01 00:00"),
        ("05/01/2024 13:20", "2024-05-01 13:20"),
        ("2024/01/05", "2024-01-05 00:00"),
        ("5 Jan 2024", "2024-01-05 00:00"),
    ],
)
def test_date_formats_month_first_default(text, expected):
    clean, _ = standardize(pd.DataFrame({"admission_date": [text]}))
    assert clean["admission_date"].iloc[0] == T(expected)
    assert clean["admission_date"].dtype.kind == "M"
    assert getattr(clean["admission_date"].dtype, "tz", None) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("05/01/2024", "2024-01-05"),
        ("25/12/2024 08:00:00", "2024-12-25 08:00"),
        ("2024/01/05", "2024-01-05"),  # year first stays year first
        ("2024-02-03", "2024-02-03"),
        ("05.01.2024", "2024-01-05"),
    ],
)
def test_date_formats_dayfirst(text, expected):
    clean, _ = standardize(pd.DataFrame({"admission_date": [text]}), dayfirst=True)
    assert clean["admission_date"].iloc[0] == T(expected)


def test_mixed_formats_in_one_column():
    raw = pd.DataFrame(
        {
            "admission_date": [
                "2024-01-05",
                "01/06/2024",
                "2024-01-07T10:00:00Z",
                "2024-01-08T10:00:00+02:00",
                "January 9, 2024",
                "2024-01-10 06:15",
            ]
        }
    )
    clean, report = standardize(raw)
    assert ts_list(clean["admission_date"]) == [
        T("2024-01-05"),
        T("2024-01-06"),
        T("2024-01-07 10:00"),
        T("2024-01-08 08:00"),
        T("2024-01-09"),
        T("2024-01-10 06:15"),
    ]
    assert report.n_clean == 6
    # Z and +02:00 are two offsets: no single zone, so UTC, and the note asks for a zone
    note = next(n for n in report.notes if "mixes UTC offsets" in n)
    assert "(UTC+00:00, UTC+02:00)" in note and "2 value(s) were converted to UTC" in note
    assert "timezone=" in note


def test_timezone_rule_converts_to_the_given_zone_then_naive():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-03-01T23:30:00-05:00", "2024-07-01T12:00:00Z"],
            "discharge_date": ["2024-03-05 10:00", None],  # naive: kept as wall-clock
        }
    )
    clean, report = standardize(raw, timezone="Europe/London")
    assert ts_list(clean["admission_date"]) == [T("2024-03-02 04:30"), T("2024-07-01 13:00")]
    assert ts_list(clean["discharge_date"]) == [T("2024-03-05 10:00"), None]
    assert report.timezone == "Europe/London"


def test_tz_aware_dtype_is_read_in_its_own_zone_and_made_naive():
    aware = pd.Series(pd.to_datetime(["2024-03-01 23:30"])).dt.tz_localize("America/New_York")
    raw = pd.DataFrame({"admission_date": aware, "discharge_date": aware + pd.Timedelta("2h")})
    clean, report = standardize(raw)
    assert clean["admission_date"].dtype.kind == "M"
    assert clean["admission_date"].iloc[0] == T("2024-03-01 23:30")  # New York's clock
    assert clean["discharge_date"].iloc[0] == T("2024-03-02 01:30")
    # comparing with naive timestamps later must not raise
    assert (clean["admission_date"] < T("2025-01-01")).all()
    assert "read in their own zone, America/New_York and made naive" in str(report)
    # an explicit zone converts to it
    clean, report = standardize(raw, timezone="UTC")
    assert clean["admission_date"].iloc[0] == T("2024-03-02 04:30")
    assert "converted to UTC and made naive" in str(report)


def test_column_mixing_offsets_and_naive_values():
    raw = pd.DataFrame(
        {
            "admission_date": [
                "2024-01-01T00:00:00+05:00", "2024-01-01T00:00:00-05:00", "2024-01-01",
            ]
        }
    )
    clean, _ = standardize(raw)
    assert ts_list(clean["admission_date"]) == [
        T("2023-12-31 19:00"),
        T("2024-01-01 05:00"),
        T("2024-01-01"),
    ]


def test_datetime_and_object_datetime_columns_pass_or_parse():
    naive = pd.to_datetime(pd.Series(["2024-01-01", None]))
    raw = pd.DataFrame(
        {
            "admission_date": pd.Series(
                [dt.datetime(2024, 1, 2, 3, 4), pd.Timestamp("2024-01-03")], dtype=object
            ),
            "discharge_date": naive.iloc[[1, 1]].reset_index(drop=True),
        }
    )
    clean, _ = standardize(raw)
    assert ts_list(clean["admission_date"]) == [T("2024-01-02 03:04"), T("2024-01-03")]
    assert clean["discharge_date"].isna().all()


def test_numbers_in_a_date_column_are_unparseable_but_all_nan_is_fine():
    raw = pd.DataFrame(
        {"admission_date": ["2024-01-01", "2024-01-02"], "discharge_date": [np.nan, 20240103.0]}
    )
    clean, report = standardize(raw)
    assert list(clean.index) == [0]
    assert reasons(report) == {1: "unparseable_discharge_date"}
    raw = pd.DataFrame({"admission_date": ["2024-01-01"], "discharge_date": [np.nan]})
    clean, report = standardize(raw)
    assert report.n_clean == 1 and clean["discharge_date"].dtype.kind == "M"


# --------------------------------------------------------------------------------------
# Costs, ages, labels
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("$32,963.07", 32963.07),
        ("32963.07", 32963.07),
        ("£1 200,50", 1200.50),
        ("1.200,50 €", 1200.50),
        ("12,5", 12.5),
        ("1,200", 1200.0),
        ("(123.00)", -123.0),
        ("-$45.10", -45.10),
        ("USD 1,000", 1000.0),
        ("1 000 000", 1_000_000.0),
        ("  7 ", 7.0),
    ],
)
def test_cost_strings(text, expected):
    clean, report = standardize(pd.DataFrame({"admission_date": ["2024-01-01"], "cost": [text]}))
    assert clean["cost"].iloc[0] == pytest.approx(expected)
    assert clean["cost"].dtype == np.float64
    assert report.counts["unparseable_cost"] == 0


@pytest.mark.parametrize("text", ["free", "12abc", "inf", "$"])
def test_cost_unparseable_is_nan_and_counted(text):
    clean, report = standardize(pd.DataFrame({"admission_date": ["2024-01-01"], "cost": [text]}))
    assert np.isnan(clean["cost"].iloc[0])
    assert report.counts["unparseable_cost"] == 1


def test_cost_and_age_numbers_pass_through():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-01-01", "2024-01-02"],
            "cost": pd.array([10, None], dtype="Int64"),
            "age": np.array([40, 50], dtype=np.int32),
        }
    )
    clean, _ = standardize(raw)
    assert clean["cost"].dtype == np.float64 and clean["age"].dtype == np.float64
    assert clean["cost"].iloc[0] == 10.0 and np.isnan(clean["cost"].iloc[1])
    assert clean["age"].tolist() == [40.0, 50.0]


def test_age_strings():
    raw = pd.DataFrame(
        {"admission_date": ["2024-01-01"] * 4, "age": ["45", " 3 years", "70y", "?"]}
    )
    clean, report = standardize(raw)
    assert clean["age"].iloc[:3].tolist() == [45.0, 3.0, 70.0]
    assert np.isnan(clean["age"].iloc[3])
    assert report.counts["unparseable_age"] == 0  # "?" is a null token, not an error


def test_labels_are_trimmed_string_categories():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-01-01"] * 5,
            "Department": [" ICU", "ICU ", "", None, "Surgery"],
            "care_site_id": [3.0, np.nan, 3.0, 12.0, 12.5],
        }
    )
    clean, _ = standardize(raw)
    dep = clean["department"]
    assert isinstance(dep.dtype, pd.CategoricalDtype)
    assert list(dep.cat.categories) == ["ICU", "Surgery"]
    assert dep.tolist()[:2] == ["ICU", "ICU"] and dep.isna().tolist()[2:4] == [True, True]
    assert clean["location"].astype(object).tolist()[:1] == ["3"]
    assert list(clean["location"].cat.categories) == ["12", "12.5", "3"]


def test_dirty_categorical_input_is_cleaned():
    dep = pd.Series([" ICU", "ICU", "n/a"], dtype="category")
    clean, _ = standardize(pd.DataFrame({"admission_date": ["2024-01-01"] * 3, "ward": dep}))
    assert list(clean["ward"].cat.categories) == ["ICU"]
    assert clean["ward"].tolist()[:2] == ["ICU", "ICU"] and pd.isna(clean["ward"].iloc[2])


def test_ward_filled_from_department_and_back():
    raw = pd.DataFrame({"admission_date": ["2024-01-01"], "dept": ["Cardiology"]})
    clean, report = standardize(raw)
    assert list(clean.columns) == ["admission_date", "department", "ward"]
    assert clean["ward"].tolist() == ["Cardiology"]
    assert report.filled == {"ward": "department"}
    assert "ward" not in report.missing
    assert "ward filled from department (the source has no ward column)" in report.notes

    raw = pd.DataFrame({"admission_date": ["2024-01-01"], "careunit": ["MICU"]})
    clean, report = standardize(raw)
    assert clean["department"].tolist() == ["MICU"]
    assert report.filled == {"department": "ward"}

    clean, report = standardize(raw, columns={"department": None})
    assert "department" not in clean and report.filled == {}


def test_patient_id_is_kept_as_is():
    raw = pd.DataFrame({"admission_date": ["2024-01-01"] * 2, "subject_id": [10004235, 7]})
    clean, _ = standardize(raw)
    assert clean["patient_id"].dtype == np.int64
    assert clean["patient_id"].tolist() == [10004235, 7]


# --------------------------------------------------------------------------------------
# Frame-level behaviour
# --------------------------------------------------------------------------------------


def kaggle_frame():
    return pd.DataFrame(
        {
            "Name": ["Bobby JacksOn", "LesLie TErRy", "DaNnY sMitH", "andrEw waTtS"],
            "Age": [30, 62, 76, 28],
            "Gender": ["Male", "Male", "Female", "Female"],
            "Medical Condition": ["Cancer", "Obesity", "Obesity", "Diabetes"],
            "Date of Admission": ["2024-01-31", "2019-08-20", "2022-09-22", "2020-11-18"],
            "Doctor": ["Matthew Smith", "Samantha Davies", "Tiffany Mitchell", "Kevin Wells"],
            "Hospital": ["Sons and Miller", "Kim Inc", "Cook PLC", "Hernandez Rogers and Vang,"],
            "Insurance Provider": ["Blue Cross", "Medicare", "Aetna", "Medicare"],
            "Billing Amount": [18856.281305978155, 33643.327286577885, 27955.096078842456, -502.5],
            "Room Number": [328, 265, 205, 450],
            "Admission Type": ["Urgent", "Emergency", "Emergency", "Elective"],
            "Discharge Date": ["2024-02-02", "2019-08-26", "2022-10-07", "2020-12-18"],
            "Medication": ["Paracetamol", "Ibuprofen", "Aspirin", "Ibuprofen"],
        }
    )


def test_kaggle_columns_treatment_ambiguous_is_reported_not_raised():
    clean, report = standardize(kaggle_frame())
    assert list(clean.columns) == [
        "admission_date", "discharge_date", "location", "cost", "age",
    ]
    assert report.ambiguous == {"treatment": ("Medical Condition", "Admission Type")}
    assert set(report.missing) == {
        "patient_id", "department", "ward", "stay_id", "admission_method",
        "discharge_disposition",
    }
    assert report.n_clean == 4 and report.counts["negative_cost"] == 1
    assert clean["discharge_date"].iloc[3] == T("2020-12-18")
    assert clean["location"].iloc[3] == "Hernandez Rogers and Vang,"
    text = str(report)
    assert "treatment" in text and "ambiguous" in text and "'Medical Condition'" in text
    clean, report = standardize(kaggle_frame(), {"treatment": "Admission Type"})
    assert clean["treatment"].tolist() == ["Urgent", "Emergency", "Emergency", "Elective"]


def test_columns_in_canonical_order_and_index_kept():
    raw = pd.DataFrame(
        {
            "cost": [1.0, 2.0],
            "ward": ["A", "B"],
            "admission_date": ["2024-01-01", "2024-01-02"],
            "patient_id": ["p1", "p2"],
        },
        index=pd.Index([17, 4], name="row"),
    )
    clean, _ = standardize(raw)
    assert list(clean.columns) == ["patient_id", "admission_date", "department", "ward", "cost"]
    tm.assert_index_equal(clean.index, raw.index)


def test_empty_frame():
    raw = pd.DataFrame({"admission_date": pd.Series([], dtype=object), "cost": []})
    clean, report = standardize(raw)
    assert len(clean) == 0 and len(report.rejected) == 0
    assert report.n_input == 0 and clean["admission_date"].dtype.kind == "M"
    assert "reason" in report.rejected
    assert report.to_frame()["rows"].sum() == 0


def test_raw_is_never_modified():
    raw = kaggle_frame()
    raw.loc[1, "Date of Admission"] = None
    raw["Billing Amount"] = raw["Billing Amount"].map(lambda x: f"${x:,.2f}")
    before = copy.deepcopy(raw)
    clean, report = standardize(raw)
    tm.assert_frame_equal(raw, before)
    clean.loc[clean.index[0], "cost"] = -1.0
    report.rejected.iloc[0, 0] = "changed"
    tm.assert_frame_equal(raw, before)


def test_idempotent_on_clean_output_even_with_equal_canonical_rows():
    raw = pd.DataFrame(
        {
            "source_row": [1, 2, 3],  # distinct source rows that look equal once cleaned
            "admission_date": ["2024-01-01", "2024-01-01", "2024-01-01 "],
            "Department": ["ICU", " ICU", "ICU"],
        }
    )
    clean, report = standardize(raw)
    assert report.n_clean == 3
    again, report2 = standardize(clean)
    tm.assert_frame_equal(again, clean)
    assert report2.n_clean == 3 and report2.counts["duplicate"] == 0
    # a frame built by hand is de-duplicated as usual
    assert standardize(clean.reset_index(drop=True).copy().pipe(_strip_attrs))[1].n_clean == 1


def _strip_attrs(frame):
    frame.attrs = {}
    return frame


def test_schema_errors_and_argument_errors():
    with pytest.raises(SchemaError) as err:
        standardize(pd.DataFrame({"cost": [1]}))
    assert err.value.role == "admission_date"
    with pytest.raises(SchemaError, match="ambiguous"):
        standardize(pd.DataFrame({"admit_date": ["2024-01-01"], "admitted": ["2024-01-01"]}))
    with pytest.raises(ArgumentError, match="time zone"):
        standardize(pd.DataFrame({"admission_date": ["2024-01-01"]}), timezone="Mars/Olympus")
    with pytest.raises(ArgumentError, match="DataFrame"):
        standardize([{"admission_date": "2024-01-01"}])
    with pytest.raises(ArgumentError, match="unknown role"):
        standardize(pd.DataFrame({"admission_date": ["2024-01-01"]}), columns={"bed": "x"})


def test_duplicate_index_labels():
    raw = pd.DataFrame(
        {"admission_date": ["2024-01-01", None, "2024-01-03", "2024-01-01"], "ward": list("ABCA")},
        index=[5, 5, 6, 5],
    )
    clean, report = standardize(raw)
    assert list(clean.index) == [5, 6] and clean["ward"].tolist() == ["A", "C"]
    assert list(report.rejected.index) == [5, 5]
    assert report.rejected["reason"].tolist() == ["missing_admission_date", "duplicate"]


def test_pyarrow_and_nullable_dtypes():
    pa = pytest.importorskip("pyarrow")
    raw = pd.DataFrame(
        {
            "patient_id": pd.array(["x", "y"], dtype="string[pyarrow]"),
            "admission_date": pd.Series(pd.to_datetime(["2024-01-01 10:00", None])).astype(
                "timestamp[ns][pyarrow]"
            ),
            "discharge_date": pd.Series(
                pd.to_datetime(["2024-01-02T10:00:00+01:00", None], utc=True)
            ).astype(pd.ArrowDtype(pa.timestamp("us", tz="UTC"))),
            "cost": pd.array(["1.5", None], dtype="string[pyarrow]"),
            "ward": pd.array(["A ", None], dtype="string"),
            "age": pd.array([3, None], dtype="Int64"),
        }
    )
    clean, report = standardize(raw)
    assert list(clean.index) == [0] and reasons(report) == {1: "missing_admission_date"}
    assert clean["admission_date"].dtype.kind == "M" and clean["discharge_date"].dtype.kind == "M"
    assert clean["discharge_date"].iloc[0] == T("2024-01-02 09:00")
    assert clean["cost"].dtype == np.float64 and clean["cost"].iloc[0] == 1.5
    assert clean["age"].dtype == np.float64 and clean["ward"].tolist() == ["A"]


def test_non_string_column_labels():
    raw = pd.DataFrame({0: ["x"], "admission_date": ["2024-01-02"]})
    clean, report = standardize(raw)
    assert clean["admission_date"].iloc[0] == T("2024-01-02")


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


def test_report_str_to_frame_and_html():
    raw = pd.DataFrame(
        {
            "Date of Admission": ["2024-01-01", None, "2024-01-01"],
            "Billing Amount": [-5.0, 1.0, -5.0],
        }
    )
    _, report = standardize(raw)
    assert isinstance(report, CleaningReport)
    assert report.n_input == 3 and report.n_clean == 1 and report.n_rejected == 2
    text = str(report)
    assert text.splitlines()[0] == "CleaningReport: 3 input rows -> 1 clean, 2 rejected"
    assert "  missing_admission_date       1" in text
    assert "  duplicate                    1" in text
    assert "  negative_cost                1" in text
    assert "admission_date        <- 'Date of Admission'" in text
    frame = report.to_frame()
    assert list(frame.columns) == ["rule", "kind", "rows"]
    assert len(frame) == len(REJECTION_REASONS) + len(WARNING_RULES)
    assert frame.groupby("kind")["rows"].sum().to_dict() == {"rejected": 2, "warning": 1}
    assert frame.set_index("rule").loc["duplicate", "rows"] == 1
    assert repr(report) == text
    assert report != standardize(raw)[1]  # compared by identity, never by frame contents
    html = report._repr_html_()
    assert "<table" in html and "negative_cost" in html


# --------------------------------------------------------------------------------------
# prepare
# --------------------------------------------------------------------------------------


def canonical_frame(n=5):
    raw = pd.DataFrame(
        {
            "patient_id": [f"p{i}" for i in range(n)],
            "admission_date": pd.date_range("2024-01-01", periods=n, freq="D"),
            "discharge_date": pd.date_range("2024-01-03", periods=n, freq="D"),
            "department": pd.Categorical(["ICU", "Surgery"] * (n // 2) + ["ICU"] * (n % 2)),
            "cost": np.arange(n, dtype=float),
        }
    )
    return standardize(raw)[0]


def test_prepare_on_canonical_frame_is_cheap_and_silent():
    clean = canonical_frame()
    out = prepare(clean, needs=["ward"], wants=["cost"])
    assert out is not clean
    assert list(out.columns) == ["admission_date", "discharge_date", "ward", "cost"]
    tm.assert_series_equal(out["cost"], clean["cost"])
    tm.assert_series_equal(out["ward"], clean["ward"])
    if int(pd.__version__.split(".")[0]) >= 3:  # copy-on-write: no data copied
        assert np.shares_memory(out["cost"].to_numpy(), clean["cost"].to_numpy())
    out.loc[0, "cost"] = 99.0  # writing to the result never reaches the input
    assert clean.loc[0, "cost"] == 0.0


def test_prepare_raw_frame_same_values_as_standardize():
    raw = kaggle_frame()
    with pytest.warns(DataQualityWarning, match="1 stay.s. have a negative cost"):
        out = prepare(raw, needs=["cost"], wants=["location", "treatment"])
    clean, _ = standardize(raw)
    assert "treatment" not in out  # ambiguous, only wanted: skipped silently
    tm.assert_frame_equal(out, clean[out.columns], check_flags=False)


def test_prepare_needs_missing_or_ambiguous_raises_with_needed_by():
    with pytest.raises(SchemaError, match="by_treatment") as err:
        prepare(kaggle_frame(), needs=["treatment"], needed_by="by_treatment")
    assert err.value.candidates == ["Medical Condition", "Admission Type"]
    with pytest.raises(SchemaError, match="occupancy"):
        prepare(pd.DataFrame({"admit_date": ["x"]}), needs=["ward"], needed_by="occupancy")
    with pytest.raises(SchemaError):
        prepare(pd.DataFrame({"cost": [1.0]}))
    with pytest.raises(ArgumentError, match="unknown role"):
        prepare(canonical_frame(), wants=["bed"])


def test_prepare_excludes_unusable_rows_with_a_warning_at_the_caller():
    raw = pd.DataFrame(
        {
            "admission_date": ["2024-01-01", None, "bad"] + ["2024-01-05"] * 3,
            "discharge_date": ["2024-01-02", None, None, "2024-01-01", None, None],
        }
    )
    before = raw.copy()
    with pytest.warns(DataQualityWarning, match=r"3 of 6 rows left out") as rec:
        out = prepare(raw, needed_by="admissions")
    assert list(out.index) == [0, 4, 5]  # duplicates are not dropped
    message = str(rec[0].message)
    assert message.startswith("admissions: ")
    assert "1 missing_admission_date" in message and "1 discharge_before_admission" in message
    assert "hospitalytics.standardize(df)" in message
    assert rec[0].filename == __file__
    tm.assert_frame_equal(raw, before)


def test_prepare_stacklevel_through_a_library_function():
    from hospitalytics import clean as clean_module

    def kpi(df):  # stands for a KPI function; defined here so it is "user code"
        return clean_module.prepare(df)

    raw = pd.DataFrame({"admission_date": [None, "2024-01-01"]})
    with pytest.warns(DataQualityWarning) as rec:
        kpi(raw)
    assert rec[0].filename == __file__


def test_prepare_warns_on_unparseable_cost():
    raw = pd.DataFrame({"admission_date": ["2024-01-01", "2024-01-02"], "cost": ["5", "free"]})
    with pytest.warns(DataQualityWarning, match="1 unparseable_cost value"):
        out = prepare(raw, wants=["cost"])
    assert len(out) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = prepare(raw)  # cost not asked for: not parsed, no warning
    assert "cost" not in out


def test_prepare_checks_age_but_returns_it_only_when_asked():
    raw = pd.DataFrame({"admission_date": ["2024-01-01", "2024-01-02"], "age": ["-4", "old"]})
    with pytest.warns(DataQualityWarning, match=r"1 of 2 rows left out \(1 negative_age\)") as rec:
        out = prepare(raw)
    assert list(out.columns) == ["admission_date"] and list(out.index) == [1]
    assert "unparseable_age" not in str(rec[0].message)  # age not asked for: not reported
    with pytest.warns(DataQualityWarning, match="1 unparseable_age value"):
        out = prepare(raw, wants=["age"])
    assert list(out.columns) == ["admission_date", "age"]


def test_prepare_empty_frame():
    out = prepare(pd.DataFrame({"admission_date": pd.Series([], dtype=object)}))
    assert len(out) == 0 and out["admission_date"].dtype.kind == "M"


# --------------------------------------------------------------------------------------
# Real data (skipped when ../shared/data is absent)
# --------------------------------------------------------------------------------------

SHARED = Path(
    os.environ.get(
        "HOSPITALYTICS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)


def shared(relpath):
    path = SHARED / relpath
    if not path.exists():
        pytest.skip(f"{path} is absent (set HOSPITALYTICS_SHARED_DATA)")
    return path


def read_rows(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.realdata
def test_mimic_admissions():
    path = shared("mimic-iv-demo/hosp/admissions.csv.gz")
    rows = read_rows(path)
    clean, report = standardize(pd.read_csv(path))
    assert dict(report.roles) == {
        "patient_id": "subject_id",
        "admission_date": "admittime",
        "discharge_date": "dischtime",
        "treatment": "admission_type",
        "stay_id": "hadm_id",
        "discharge_disposition": "discharge_location",
    }
    assert len(clean) + len(report.rejected) == len(rows) == 275
    fmt = "%Y-%m-%d %H:%M:%S"
    before = sum(
        dt.datetime.strptime(r["dischtime"], fmt) < dt.datetime.strptime(r["admittime"], fmt)
        for r in rows
        if r["dischtime"]
    )
    assert report.counts["discharge_before_admission"] == before
    assert int(clean["discharge_date"].isna().sum()) == sum(not r["dischtime"] for r in rows)
    assert clean["admission_date"].min() == min(
        dt.datetime.strptime(r["admittime"], fmt) for r in rows
    )
    assert set(clean["treatment"].cat.categories) == {r["admission_type"] for r in rows}


@pytest.mark.realdata
def test_synthea_encounters():
    path = shared("synthea-ne/encounters.csv")
    rows = read_rows(path)
    clean, report = standardize(pd.read_csv(path))
    assert report.roles["admission_date"] == "START"
    assert report.roles["discharge_date"] == "STOP"
    assert report.roles["cost"] == "TOTAL_CLAIM_COST"
    assert report.roles["treatment"] == "ENCOUNTERCLASS"
    assert len(clean) + len(report.rejected) == len(rows) == 7584
    assert int(clean["discharge_date"].isna().sum()) == sum(not r["STOP"] for r in rows)
    assert (clean["treatment"] == "inpatient").sum() == sum(
        r["ENCOUNTERCLASS"] == "inpatient" for r in rows
    )
    first = rows[0]
    expect = dt.datetime.strptime(first["START"], "%Y-%m-%dT%H:%M:%SZ")
    assert clean["admission_date"].iloc[0] == expect  # Z -> UTC -> naive
    assert clean["cost"].sum() == pytest.approx(sum(float(r["TOTAL_CLAIM_COST"]) for r in rows))
    assert any("made naive" in n for n in report.notes)


@pytest.mark.realdata
def test_omop_visit_occurrence_and_idempotence():
    path = shared("omop-synthea27nj/VISIT_OCCURRENCE.csv")
    rows = read_rows(path)
    clean, report = standardize(pd.read_csv(path))
    assert report.roles["admission_date"] == "visit_start_datetime"
    assert report.roles["discharge_date"] == "visit_end_datetime"
    assert report.roles["treatment"] == "visit_concept_id"
    assert len(clean) + len(report.rejected) == len(rows) == 1791
    assert list(clean["treatment"].cat.categories) == sorted(
        {r["visit_concept_id"] for r in rows}
    )
    assert (clean["treatment"] == "9201").sum() == sum(
        r["visit_concept_id"] == "9201" for r in rows
    )
    assert report.counts["zero_length_stay"] == sum(
        r["visit_start_datetime"] == r["visit_end_datetime"] for r in rows
    )
    again, report2 = standardize(clean)
    tm.assert_frame_equal(again, clean)
    assert report2.n_rejected == 0


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


@given(strategies.messy_frames())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_property_nothing_lost_and_raw_untouched(raw):
    before = copy.deepcopy(raw)
    clean, report = standardize(raw)
    tm.assert_frame_equal(raw, before)
    assert len(clean) + len(report.rejected) == len(raw) == report.n_input
    assert sorted(list(clean.index) + list(report.rejected.index)) == sorted(raw.index)
    assert not set(clean.index) & set(report.rejected.index)
    tm.assert_frame_equal(
        report.rejected.drop(columns="reason"), raw.loc[report.rejected.index]
    )
    assert set(report.rejected["reason"]) <= set(REJECTION_REASONS)
    assert sum(report.rejected_counts.values()) == len(report.rejected)
    assert list(clean.columns) == [c for c in ROLES if c in clean.columns]
    assert clean["admission_date"].notna().all()
    if "discharge_date" in clean:
        assert not (clean["discharge_date"] < clean["admission_date"]).any()


@given(strategies.messy_frames())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_property_idempotent(raw):
    clean, _ = standardize(raw)
    again, report = standardize(clean)
    tm.assert_frame_equal(again, clean)
    assert report.n_rejected == 0


@given(strategies.messy_frames())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_property_prepare_agrees_with_standardize(raw):
    clean, report = standardize(raw, drop_duplicates=False)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        out = prepare(raw, wants=ROLES)
    assert all(issubclass(w.category, DataQualityWarning) for w in rec)
    left_out = (report.n_rejected > 0 or report.counts["unparseable_cost"] > 0
                or report.counts["unparseable_age"] > 0)
    if left_out:
        assert rec
    elif rec:  # the raw path also warns about what standardize only notes
        message = str(rec[0].message)
        noted = ("exact copies", "negative cost", "dates in", "decimal comma", "future",
                 "over a year", "top-coded", "'<1'", "serial")
        assert any(word in message for word in noted), message
    tm.assert_frame_equal(out, clean, check_flags=False)


# --------------------------------------------------------------------------------------
# Issue 10: dates out of range and open-stay placeholders
# --------------------------------------------------------------------------------------


def identity_holds(raw, clean, report):
    """Every raw row is either clean or rejected, never both, never lost."""
    assert len(clean) + len(report.rejected) == len(raw)
    assert sorted(list(clean.index) + list(report.rejected.index)) == sorted(raw.index)


def test_open_stay_placeholders_become_open_stays_and_are_counted():
    raw = pd.DataFrame({
        "admission_date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04",
                           "2024-01-05"],
        "discharge_date": ["9999-12-31", "2999-12-31", "9999-01-01", "9999-12-31 23:59:59",
                           "2024-01-07"],
    })
    clean, report = standardize(raw)
    identity_holds(raw, clean, report)
    assert report.n_clean == 5
    assert clean["discharge_date"].isna().tolist() == [True, True, True, True, False]
    assert report.counts["open_stay_placeholder"] == 4
    assert report.counts["date_out_of_range"] == 0
    assert any("4 discharge date(s) were 'still in hospital' placeholders" in n
               for n in report.notes)
    assert any("5 stay(s)" in n or "4 stay(s) have no discharge date" in n
               for n in report.notes)


@pytest.mark.parametrize("unit", ["s", "us"])
def test_placeholders_and_typos_in_datetime_columns_never_overflow(unit):
    adm = pd.Series(["2024-01-01", "1024-05-01", "2024-01-03"], dtype=f"datetime64[{unit}]")
    dis = pd.Series(["9999-12-31", "2024-01-03", "2024-01-05"], dtype=f"datetime64[{unit}]")
    raw = pd.DataFrame({"admission_date": adm, "discharge_date": dis})
    clean, report = standardize(raw)
    identity_holds(raw, clean, report)
    assert list(clean.index) == [0, 2]
    assert pd.isna(clean["discharge_date"].iloc[0])
    assert reasons(report) == {1: "date_out_of_range"}
    assert report.counts["open_stay_placeholder"] == 1
    with pytest.warns(DataQualityWarning, match="1 date_out_of_range"):
        assert hp_alos(raw) == 2.0  # only the stay of 3 to 5 January is discharged


def hp_alos(frame):
    import hospitalytics as hp

    return hp.alos(frame)


def test_typo_years_are_rejected_as_date_out_of_range_and_kpis_do_not_overflow():
    import hospitalytics as hp

    raw = pd.DataFrame({
        "admission_date": ["2024-01-01", "1024-01-05", "2024-01-06", "20245-01-07",
                           "1899-12-31", "2024-01-09", "12/31/20245", "2260-01-01"],
        "discharge_date": ["2024-01-04", "2024-01-06", "20245-01-09", None, None,
                           "2024-01-10", None, None],
        "cost": [100.0] * 8,
    })
    clean, report = standardize(raw)
    identity_holds(raw, clean, report)
    assert list(clean.index) == [0, 5]
    assert set(reasons(report).values()) == {"date_out_of_range", "placeholder_date"}
    assert report.counts["date_out_of_range"] == 5
    assert reasons(report)[4] == "placeholder_date"  # 1899-12-31: Excel's day 0
    note = next(n for n in report.notes if "rejected as date_out_of_range" in n)
    assert "1900-01-01 to 2250-12-31" in note
    # the engine on the raw frame: a warning, no overflow, the right numbers
    with pytest.warns(DataQualityWarning, match="5 date_out_of_range"):
        assert hp.alos(raw) == 2.0  # (3 + 1) / 2
    with pytest.warns(DataQualityWarning, match="date_out_of_range"):
        monthly = hp.monthly(raw)
    assert monthly["admissions"].sum() == 2
    with pytest.warns(DataQualityWarning, match="date_out_of_range"):
        bands = hp.los_distribution(raw)
    assert int(bands["stays"].sum()) == 2


def test_date_out_of_range_comes_before_discharge_before_admission():
    assert (REJECTION_REASONS.index("date_out_of_range")
            < REJECTION_REASONS.index("discharge_before_admission"))
    raw = pd.DataFrame({"admission_date": ["2024-01-05"], "discharge_date": ["1024-01-01"]})
    assert reasons(standardize(raw)[1]) == {0: "date_out_of_range"}


def test_a_stay_of_more_than_200_years_is_out_of_range():
    raw = pd.DataFrame({"admission_date": ["1901-01-01", "1950-01-01"],
                        "discharge_date": ["2249-01-01", "2024-01-01"]})
    clean, report = standardize(raw)
    assert reasons(report) == {0: "date_out_of_range"} and list(clean.index) == [1]


def test_mimic_shifted_dates_are_in_range():
    raw = pd.DataFrame({"admission_date": ["2110-01-01", "2201-12-31 23:00"],
                        "discharge_date": ["2110-01-03", "2202-01-02"]})
    clean, report = standardize(raw)
    assert report.n_clean == 2 and report.counts["date_out_of_range"] == 0


def test_open_placeholders_are_configurable():
    raw = pd.DataFrame({"admission_date": ["2024-01-01", "2024-01-02"],
                        "discharge_date": ["9999-12-31", "2099-12-31"]})
    _, report = standardize(raw, open_placeholders=())
    assert reasons(report) == {0: "date_out_of_range"}  # 2099 is in range: a real date
    clean, report = standardize(raw, open_placeholders=["2099-12-31", dt.date(9999, 12, 31)])
    assert clean["discharge_date"].isna().all() and report.counts["open_stay_placeholder"] == 2
    with pytest.raises(ArgumentError, match="open_placeholders"):
        standardize(raw, open_placeholders=[3])
    with pytest.warns(DataQualityWarning, match="placeholders") as caught:
        out = prepare(raw, open_placeholders=["2099-12-31"], needed_by="test")
    assert "1 date_out_of_range" in str(caught[0].message)  # 9999-12-31 is not one now
    assert list(out.index) == [1] and out["discharge_date"].isna().all()


def test_placeholder_admission_date_is_out_of_range():
    raw = pd.DataFrame({"admission_date": ["9999-12-31"], "discharge_date": [None]})
    assert reasons(standardize(raw)[1]) == {0: "date_out_of_range"}


def test_prepare_warns_about_placeholders_and_out_of_range():
    raw = pd.DataFrame({"admission_date": ["2024-01-01", "1024-01-01"],
                        "discharge_date": ["9999-12-31", None]})
    with pytest.warns(DataQualityWarning) as caught:
        out = prepare(raw, needed_by="alos")
    text = str(caught[0].message)
    assert "1 of 2 rows left out (1 date_out_of_range)" in text
    assert "1 discharge date(s) were 'still in hospital' placeholders" in text
    assert list(out.index) == [0] and pd.isna(out["discharge_date"].iloc[0])


# --------------------------------------------------------------------------------------
# Issue 10: non-finite costs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [
    [np.inf, -np.inf, 5.0],
    ["inf", "-inf", "5"],
    ["Infinity", "-Infinity", "$5"],
])
def test_non_finite_costs_are_missing_counted_and_noted(values):
    import hospitalytics as hp

    raw = pd.DataFrame({"admission_date": ["2024-01-01", "2024-01-02", "2024-01-03"],
                        "discharge_date": ["2024-01-02", "2024-01-03", "2024-01-04"],
                        "cost": values})
    clean, report = standardize(raw)
    assert clean["cost"].isna().tolist() == [True, True, False]
    assert clean["cost"].iloc[2] == 5.0
    assert report.counts["unparseable_cost"] == 2
    with pytest.warns(DataQualityWarning) as caught:
        assert hp.treatment_cost(raw) == 5.0
    assert any("2 unparseable_cost value(s) set to missing" in str(w.message) for w in caught)
    if isinstance(values[0], float):
        assert any("2 value(s) of column 'cost' are not finite" in n for n in report.notes)


# --------------------------------------------------------------------------------------
# Issue 10: the hospital's wall clock
# --------------------------------------------------------------------------------------


def london_stay():
    adm = pd.Series(pd.to_datetime(["2024-06-01 00:30"])).dt.tz_localize("Europe/London")
    dis = pd.Series(pd.to_datetime(["2024-06-03 10:00"])).dt.tz_localize("Europe/London")
    return pd.DataFrame({"admission_date": adm, "discharge_date": dis, "ward": ["A"]})


def test_a_london_admission_at_0030_bst_stays_on_1_june():
    import hospitalytics as hp

    raw = london_stay()
    clean, report = standardize(raw)
    assert clean["admission_date"].iloc[0] == T("2024-06-01 00:30")
    assert hp.alos(raw) == 2.0  # 1 to 3 June; UTC would make it 31 May, ALOS 3
    census = hp.census(raw, start="2024-05-31", end="2024-06-02")
    assert census["total"].tolist() == [0, 1, 1]  # not in hospital at the end of 31 May
    assert "read in their own zone, Europe/London" in " ".join(report.notes)


def test_text_with_mixed_offsets_uses_the_named_zone_or_utc_with_a_note():
    raw = pd.DataFrame({
        "admission_date": ["2024-06-01T00:30:00+01:00", "2024-01-10T00:30:00+00:00"],
        "discharge_date": ["2024-06-03T10:00:00+01:00", "2024-01-12T10:00:00+00:00"],
    })
    clean, _ = standardize(raw, timezone="Europe/London")
    assert ts_list(clean["admission_date"]) == [T("2024-06-01 00:30"), T("2024-01-10 00:30")]
    clean, report = standardize(raw)
    assert ts_list(clean["admission_date"]) == [T("2024-05-31 23:30"), T("2024-01-10 00:30")]
    note = next(n for n in report.notes if n.startswith("admission_date"))
    assert "mixes UTC offsets (UTC+00:00, UTC+01:00)" in note
    assert "converted to UTC" in note and "timezone='Europe/London'" in note
    assert report.timezone is None
    with pytest.warns(DataQualityWarning, match="mixes UTC offsets"):
        prepare(raw, needed_by="alos")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prepare(raw, timezone="Europe/London")  # a zone was named: nothing to say


def test_text_with_one_offset_is_read_at_that_offset():
    raw = pd.DataFrame({"admission_date": ["2024-06-01T00:30:00+01:00",
                                           "2024-06-02T08:00:00+01:00"]})
    clean, report = standardize(raw)
    assert ts_list(clean["admission_date"]) == [T("2024-06-01 00:30"), T("2024-06-02 08:00")]
    assert "read in their own zone, UTC+01:00" in " ".join(report.notes)


# --------------------------------------------------------------------------------------
# Issue 10: what counts as a duplicate
# --------------------------------------------------------------------------------------


def test_stay_id_decides_duplicates():
    raw = pd.DataFrame({
        "hadm_id": [1, 1, 1, 2, 3],
        "admission_date": ["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-01",
                           "2024-01-01"],
        "discharge_date": ["2024-01-02", "2024-01-05", "2024-01-05", "2024-01-02",
                           "2024-01-02"],
        "ward": ["A", "B", "B", "A", "A"],
        "note": ["x", "y", "z", "x", "x"],
    })
    clean, report = standardize(raw)
    # rows 0 and 1: two ward segments of stay 1; row 2 repeats row 1's stay, ward and dates
    # (a different note does not make it another segment); rows 3 and 4 differ in stay id
    assert reasons(report) == {2: "duplicate"}
    assert list(clean.index) == [0, 1, 3, 4]


def test_without_stay_id_every_column_decides():
    raw = pd.DataFrame({
        "admission_date": ["2024-01-01", "2024-01-01", "2024-01-01"],
        "ward": ["A", "A", "A"],
        "doctor": ["Smith", "Jones", "Jones"],
    })
    clean, report = standardize(raw)
    assert reasons(report) == {2: "duplicate"}


# --------------------------------------------------------------------------------------
# Issue 10: the words reach the report (HTML and JSON notes)
# --------------------------------------------------------------------------------------


def test_cleaning_notes_reach_the_report():
    from hospitalytics.report import build_report
    from hospitalytics.report import payload as report_payload
    from hospitalytics.report.html import render_html

    raw = pd.DataFrame({
        "admission_date": ["2024-01-01", "2024-01-02", "1024-01-03", "2024-01-04T00:30+01:00",
                           "2024-06-04T00:30+00:00"],
        "discharge_date": ["9999-12-31", "2024-01-05", "2024-01-04", None, None],
        "cost": [1.0, np.inf, 2.0, 3.0, 4.0],
    })
    rep = build_report(raw)
    payload = report_payload(rep)
    html = render_html(rep, charts=False)
    for needle in ("'still in hospital' placeholders", "date_out_of_range",
                   "are not finite (inf)", "mixes UTC offsets"):
        assert any(needle in n for n in payload["notes"]), needle
        assert needle.replace("'", "&#x27;") in html or needle in html, needle
