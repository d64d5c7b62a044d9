"""Messy real-world exports: each trap gives the right number or a word on every path.

The paths are the Python call (a warning or an exception), ``hospitalytics summary``
(stderr) and the report's notes. Values are worked out by hand in the comments.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import read, standardize
from hospitalytics.errors import ArgumentError, DataQualityWarning
from hospitalytics.report import build_report

SRC = str(Path(hp.__file__).resolve().parent.parent)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, "-m", "hospitalytics", *args], cwd=cwd, capture_output=True,
        text=True, env=env, timeout=300,
    )


def report_notes(raw: pd.DataFrame, **kwargs) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        rep = build_report(raw, **kwargs)
    return "\n".join(rep.notes)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


# --------------------------------------------------------------------------------------
# 1. Day first or month first: the values decide
# --------------------------------------------------------------------------------------

UK = pd.DataFrame({
    "admission_date": ["05/01/2024", "13/01/2024", "02/02/2024"],
    "discharge_date": ["06/01/2024", "14/01/2024", "03/02/2024"],
    "ward": ["A", "A", "B"],
})


def test_uk_dates_are_read_day_first_when_a_value_decides():
    clean, report = standardize(UK)
    assert report.n_rejected == 0
    # 05/01/2024 is 5 January (13/01/2024 can only be day first), not May 1st
    assert clean["admission_date"].tolist() == [
        pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-13"), pd.Timestamp("2024-02-02")]
    assert any("read as day/month/year" in n and "'13/01/2024'" in n for n in report.notes)
    # the KPI on the raw frame: the same dates, and a warning that says so
    with pytest.warns(DataQualityWarning, match="read as day/month/year"):
        assert hp.alos(UK) == 1.0  # every stay: 1 night
    assert "read as day/month/year" in report_notes(UK)


def test_ambiguous_dates_warn_and_say_how_to_force_the_order():
    raw = pd.DataFrame({"admission_date": ["03/04/2024", "05/04/2024"],
                        "discharge_date": ["04/04/2024", "06/04/2024"]})
    clean, report = standardize(raw)
    assert clean["admission_date"].iloc[0] == pd.Timestamp("2024-03-04")  # month first
    note = next(n for n in report.notes if "ambiguous" in n)
    assert "dayfirst=True (--dayfirst)" in note and "4 March 2024" in note
    with pytest.warns(DataQualityWarning, match="ambiguous"):
        hp.admissions(raw)
    clean, report = standardize(raw, dayfirst=True)  # forced: 3 April, no note
    assert clean["admission_date"].iloc[0] == pd.Timestamp("2024-04-03")
    assert not any("ambiguous" in n for n in report.notes)


def test_dayfirst_given_against_the_values_rejects_with_a_word():
    clean, report = standardize(UK, dayfirst=False)
    assert report.counts["unparseable_admission_date"] == 1  # 13/01/2024
    assert any("only make sense as day/month/year" in n for n in report.notes)


def test_dayfirst_must_be_a_bool_or_none():
    with pytest.raises(ArgumentError, match="dayfirst"):
        standardize(UK, dayfirst="yes")


def test_cli_summary_reads_uk_dates_and_says_so(tmp_path):
    UK.to_csv(tmp_path / "uk.csv", index=False)
    res = run("summary", "uk.csv", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "read as day/month/year" in res.stderr
    res = run("summary", "uk.csv", "--monthfirst", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "only make sense as day/month/year" in res.stderr


# --------------------------------------------------------------------------------------
# 2. A decimal comma in costs
# --------------------------------------------------------------------------------------

EU = pd.DataFrame({
    "admission_date": ["2024-03-01", "2024-03-02", "2024-03-04"],
    "discharge_date": ["2024-03-03", "2024-03-05", "2024-03-05"],
    "cost": ["2.500", "1.234,50", "800,00"],
})


def test_decimal_comma_costs():
    clean, report = standardize(EU)
    assert clean["cost"].tolist() == [2500.0, 1234.5, 800.0]
    assert any("decimal comma" in n for n in report.notes)
    with pytest.warns(DataQualityWarning, match="decimal comma"):
        assert hp.treatment_cost(EU) == pytest.approx(4534.5)
    assert "decimal comma" in report_notes(EU)


def test_semicolon_csv_with_decimal_comma_through_the_cli(tmp_path):
    write(tmp_path / "eu.csv",
          "admission_date;discharge_date;ward;cost\n"
          "01.03.2024;03.03.2024;A;2.500\n"
          "02.03.2024;05.03.2024;A;1.234,50\n")
    with pytest.warns(DataQualityWarning, match="separated by ';'"):
        raw = read(tmp_path / "eu.csv")
    assert list(raw.columns) == ["admission_date", "discharge_date", "ward", "cost"]
    res = run("summary", "eu.csv", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "separated by ';'" in res.stderr and "decimal comma" in res.stderr
    assert "dotted dates are written day first" in res.stderr
    # --sep given: no guess, no note
    res = run("summary", "eu.csv", "--sep", ";", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "separated by" not in res.stderr


# --------------------------------------------------------------------------------------
# 3. Placeholder dates, future dates, very long stays
# --------------------------------------------------------------------------------------

def placeholder_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "admission_date": ["1900-01-01", "2024-01-02", "2024-01-03", "1899-12-30",
                           "2024-01-05"],
        "discharge_date": ["2024-01-04", "2024-01-04", "2024-01-06", "2024-01-06",
                           "2024-01-06"],
    })


def test_placeholder_admission_dates_are_rejected_with_their_own_reason():
    raw = placeholder_frame()
    clean, report = standardize(raw)
    assert report.counts["placeholder_date"] == 2
    assert set(report.rejected.index) == {0, 3} and list(clean.index) == [1, 2, 4]
    assert any("rejected as placeholder_date" in n and "1900-01-01" in n
               for n in report.notes)
    # ALOS over the three real stays: (2 + 3 + 1) / 3 = 2
    with pytest.warns(DataQualityWarning, match="placeholder_date"):
        assert hp.alos(raw) == 2.0
    assert "placeholder_date" in report_notes(raw)
    clean, report = standardize(raw, date_placeholders=())  # switched off: 1900 is kept
    assert 0 in clean.index and report.counts["placeholder_date"] == 0


def test_a_real_date_near_the_others_is_not_a_placeholder():
    raw = pd.DataFrame({"admission_date": ["1970-01-01", "1969-12-20"],
                        "discharge_date": ["1970-01-03", "1969-12-22"]})
    clean, report = standardize(raw)
    assert report.n_clean == 2


def test_future_dates_and_long_stays_are_noted():
    raw = pd.DataFrame({
        "admission_date": ["2024-02-12", "2024-02-16"],
        "discharge_date": ["2042-02-16", "2024-02-18"],  # a typo year
    })
    clean, report = standardize(raw)
    assert report.n_clean == 2  # kept: a word, not a rejection
    assert any("lie in the future" in n and "2042-02-16" in n for n in report.notes)
    assert any("1 stay(s) last over a year" in n for n in report.notes)
    with pytest.warns(DataQualityWarning, match="lie in the future"):
        hp.admissions(raw)
    assert "last over a year" in report_notes(raw)


def test_cli_summary_names_placeholder_dates(tmp_path):
    placeholder_frame().to_csv(tmp_path / "p.csv", index=False)
    res = run("summary", "p.csv", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "placeholder_date (2)" in res.stderr  # the reasons, listed
    assert "rejected as placeholder_date" in res.stderr


# --------------------------------------------------------------------------------------
# 4. Negative costs; 6. exact duplicate rows on the raw path
# --------------------------------------------------------------------------------------

def test_negative_costs_are_noted_and_warned():
    raw = pd.DataFrame({"admission_date": ["2024-01-01", "2024-01-02"],
                        "discharge_date": ["2024-01-03", "2024-01-03"],
                        "cost": [-100.0, 300.0]})
    clean, report = standardize(raw)
    assert report.counts["negative_cost"] == 1
    assert any("1 stay(s) have a negative cost" in n for n in report.notes)
    with pytest.warns(DataQualityWarning, match="negative cost"):
        assert hp.treatment_cost(raw) == 200.0  # kept: -100 + 300
    assert "negative cost" in report_notes(raw)


def test_exact_duplicate_rows_warn_on_the_raw_path():
    raw = pd.DataFrame({"patient_id": [1, 1, 2, 2],
                        "admission_date": ["2024-01-01", "2024-01-01", "2024-01-02",
                                           "2024-01-02"],
                        "discharge_date": ["2024-01-03"] * 2 + ["2024-01-04"] * 2,
                        "note": ["x", "y", "z", "z"]})
    with pytest.warns(DataQualityWarning, match="1 row.s. are exact copies"):
        assert hp.admissions(raw) == 4  # counted as given on the raw path
    clean, report = standardize(raw)
    assert report.counts["duplicate"] == 1 and list(clean.index) == [0, 1, 2]


# --------------------------------------------------------------------------------------
# 5 and 7. Reading options: encoding, separator, sheets, Excel serial dates
# --------------------------------------------------------------------------------------

def test_unknown_encoding_is_a_clear_error(tmp_path):
    UK.to_csv(tmp_path / "uk.csv", index=False)
    with pytest.raises(ArgumentError, match="unknown encoding 'nope'"):
        read(tmp_path / "uk.csv", encoding="nope")
    res = run("summary", "uk.csv", "--encoding", "nope", cwd=tmp_path)
    assert res.returncode == 1
    assert "unknown encoding 'nope'" in res.stderr and "Traceback" not in res.stderr


def test_sheet_on_a_text_file_is_a_clear_error(tmp_path):
    UK.to_csv(tmp_path / "uk.csv", index=False)
    with pytest.raises(ArgumentError, match="for Excel workbooks"):
        read(tmp_path / "uk.csv", sheet_name="Stays")
    res = run("summary", "uk.csv", "--sheet", "Stays", cwd=tmp_path)
    assert res.returncode == 1 and "for Excel workbooks" in res.stderr
    assert "Traceback" not in res.stderr


def test_excel_sheet_error_lists_the_sheets_and_serial_dates_are_read(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"about": ["export"]}).to_excel(xl, sheet_name="Info", index=False)
        pd.DataFrame({"admission_date": [45295, 45296],  # Excel serials: 4, 5 Jan 2024
                      "discharge_date": [45297, 45297]}).to_excel(
            xl, sheet_name="Stays", index=False)
    with pytest.raises(Exception, match="'Info', 'Stays'"):
        read(path, sheet_name="Nope")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        raw = read(path, sheet_name="Stays")
    clean, report = standardize(raw)
    assert clean["admission_date"].tolist() == [pd.Timestamp("2024-01-04"),
                                                pd.Timestamp("2024-01-05")]
    assert any("Excel serial dates" in n and "45295 is 2024-01-04" in n
               for n in report.notes)


# --------------------------------------------------------------------------------------
# 8. Top-coded ages
# --------------------------------------------------------------------------------------

def test_top_coded_ages_read_as_their_lower_bound_with_a_note():
    raw = pd.DataFrame({"admission_date": ["2024-01-01"] * 5,
                        "discharge_date": ["2024-01-02"] * 5,
                        "patient_id": [1, 2, 3, 4, 5],
                        "age": ["85+", "<1", "90 and over", ">89", "40"]})
    clean, report = standardize(raw)
    assert clean["age"].tolist() == [85.0, 0.0, 90.0, 90.0, 40.0]
    assert report.counts["unparseable_age"] == 0
    assert any("3 value(s) were top-coded" in n for n in report.notes)
    assert any("'<1'" in n for n in report.notes)
    with pytest.warns(DataQualityWarning, match="top-coded"):
        groups = hp.by_age_group(raw)
    assert int(groups["admissions"].sum()) == 5
    assert "top-coded" in report_notes(raw)


# --------------------------------------------------------------------------------------
# 9. Rejection reasons in the notes; 10. control characters in the file name
# --------------------------------------------------------------------------------------

def test_rejection_reasons_are_listed_in_the_notes():
    raw = pd.DataFrame({"admission_date": ["2024-01-05", None, "2024-01-01"],
                        "discharge_date": ["2024-01-01", "2024-01-02", "2024-01-02"]})
    _, report = standardize(raw)
    note = next(n for n in report.notes if "row(s) rejected:" in n)
    assert note.startswith("2 of 3 row(s) rejected: missing_admission_date (1), "
                           "discharge_before_admission (1)")
    assert "discharge_before_admission (1)" in report_notes(raw)


def test_bidi_characters_in_the_file_name_are_shown_visibly(tmp_path):
    name = "evil\u202egnp.csv"
    UK.to_csv(tmp_path / name, index=False)
    res = run("summary", name, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "\u202e" not in res.stdout + res.stderr
    assert "evil[U+202E]gnp.csv" in res.stdout
    res = run("report", name, "-o", "r.html", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "\u202e" not in html and "evil[U+202E]gnp.csv" in html
