"""Tests for hospitalytics.io.read."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from hospitalytics.errors import ArgumentError, DataQualityError, SchemaError
from hospitalytics.io import SUPPORTED_SUFFIXES, read

RAW = pd.DataFrame(
    {
        "Patient ID": ["p1", "p2", "p3"],
        "Date of Admission": ["2024-01-01", "2024-01-02", "2024-01-03"],
        "Discharge Date": ["2024-01-04", "2024-01-02", None],
        "Ward": ["Cardio", "Ortho", "Cardio"],
        "Billing Amount": [100.5, 20.0, 3.25],
        "Doctor": ["Smith", "Jones", "Smith"],
        "Room Number": [101, 102, 103],
    }
)
ROLE_COLUMNS = ["Patient ID", "Date of Admission", "Discharge Date", "Ward", "Billing Amount"]


def _check_role_read(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ROLE_COLUMNS
    assert isinstance(frame["Ward"].dtype, pd.CategoricalDtype)
    assert sorted(frame["Ward"].cat.categories) == ["Cardio", "Ortho"]
    assert frame["Ward"].tolist() == ["Cardio", "Ortho", "Cardio"]
    assert frame["Billing Amount"].tolist() == [100.5, 20.0, 3.25]
    assert frame["Date of Admission"].astype(str).tolist()[0].startswith("2024-01-01")


def test_csv_reads_only_role_columns(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    frame = read(path)
    _check_role_read(frame)
    assert frame.attrs["hospitalytics"] == {
        "source": str(path), "dayfirst": None, "notes": [], "timezone": None,
    }


def test_csv_str_path_and_usecols_none(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    frame = read(str(path), usecols=None)
    assert list(frame.columns) == list(RAW.columns)
    assert isinstance(frame["Ward"].dtype, pd.CategoricalDtype)
    assert not isinstance(frame["Doctor"].dtype, pd.CategoricalDtype)


def test_csv_usecols_list(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    frame = read(path, usecols=["Ward", "Doctor"])
    assert list(frame.columns) == ["Ward", "Doctor"]
    assert isinstance(frame["Ward"].dtype, pd.CategoricalDtype)
    with pytest.raises(SchemaError, match="Nope"):
        read(path, usecols=["Ward", "Nope"])


def test_gzip_csv(tmp_path):
    path = tmp_path / "stays.csv.gz"
    with gzip.open(path, "wt") as handle:
        RAW.to_csv(handle, index=False)
    _check_role_read(read(path))


@pytest.mark.parametrize("suffix", [".csv.bz2", ".csv.zip", ".csv.xz"])
def test_other_compressions(tmp_path, suffix):
    path = tmp_path / f"stays{suffix}"
    RAW.to_csv(path, index=False)  # pandas infers the compression from the name
    _check_role_read(read(path))


def test_tsv(tmp_path):
    path = tmp_path / "stays.tsv"
    RAW.to_csv(path, index=False, sep="\t")
    _check_role_read(read(path))


@pytest.mark.parametrize("sep", [",", "\t", ";", "|"])
def test_txt_sniffs_delimiter(tmp_path, sep):
    path = tmp_path / "stays.txt"
    RAW.to_csv(path, index=False, sep=sep)
    _check_role_read(read(path))


def test_user_sep_wins(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False, sep=";")
    _check_role_read(read(path, sep=";"))


def test_parquet_reads_only_role_columns(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "stays.parquet"
    RAW.to_parquet(path)
    frame = read(path)
    _check_role_read(frame)
    assert frame["Billing Amount"].dtype == "float64"


def test_parquet_pq_suffix_and_existing_category(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "stays.pq"
    RAW.astype({"Ward": "category"}).set_index("Patient ID").to_parquet(path)
    frame = read(path, usecols=None)
    assert "__index_level_0__" not in frame.columns
    assert isinstance(frame["Ward"].dtype, pd.CategoricalDtype)


def test_excel(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "stays.xlsx"
    RAW.to_excel(path, index=False, sheet_name="stays")
    frame = read(path)
    _check_role_read(frame)
    assert list(read(path, sheet_name="stays").columns) == ROLE_COLUMNS
    with pytest.raises(ArgumentError, match="one sheet"):
        read(path, sheet_name=None)


def test_ambiguous_candidates_are_all_read(tmp_path):
    path = tmp_path / "stays.csv"
    frame = pd.DataFrame(
        {
            "admit_date": ["2024-01-01"],
            "Medical Condition": ["Asthma"],
            "Admission Type": ["Urgent"],
            "Notes": ["x"],
        }
    )
    frame.to_csv(path, index=False)
    out = read(path)
    assert list(out.columns) == ["admit_date", "Medical Condition", "Admission Type"]
    assert isinstance(out["Medical Condition"].dtype, pd.CategoricalDtype)
    assert isinstance(out["Admission Type"].dtype, pd.CategoricalDtype)


def test_explicit_columns_read_even_if_not_alias(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    frame = read(path, columns={"location": "Doctor"})
    assert list(frame.columns) == [*ROLE_COLUMNS, "Doctor"]
    assert isinstance(frame["Doctor"].dtype, pd.CategoricalDtype)  # location is a category


def test_explicit_column_missing_from_file(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    with pytest.raises(SchemaError, match="Nope"):
        read(path, columns={"ward": "Nope"})
    with pytest.raises(ArgumentError, match="unknown role"):
        read(path, columns={"bed": "Ward"})


def test_user_dtype_merged(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    frame = read(path, dtype={"Patient ID": "category", "Ward": str})
    assert isinstance(frame["Patient ID"].dtype, pd.CategoricalDtype)
    assert not isinstance(frame["Ward"].dtype, pd.CategoricalDtype)


def test_no_role_column(tmp_path):
    path = tmp_path / "stuff.csv"
    pd.DataFrame({"a": [1], "b": [2]}).to_csv(path, index=False)
    with pytest.raises(SchemaError, match="usecols=None"):
        read(path)
    assert list(read(path, usecols=None).columns) == ["a", "b"]


def test_unknown_suffix(tmp_path):
    path = tmp_path / "stays.json"
    path.write_text("{}")
    with pytest.raises(ArgumentError, match=r"\.parquet") as info:
        read(path)
    assert all(s in str(info.value) for s in (".csv", ".tsv", ".xlsx", ".csv.gz"))
    with pytest.raises(ArgumentError):
        read(tmp_path / "stays.gz")


def test_supported_suffixes_listed():
    assert {".csv", ".csv.gz", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xls"} <= set(
        SUPPORTED_SUFFIXES
    )


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        read(tmp_path / "absent.csv")


def test_corrupt_parquet(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"this is not parquet")
    with pytest.raises(DataQualityError, match="could not read"):
        read(path)


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "bad.csv.gz"
    path.write_bytes(b"this is not gzip")
    with pytest.raises(DataQualityError, match="could not read"):
        read(path)


def test_corrupt_excel(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(DataQualityError, match="could not read"):
        read(path)


def test_corrupt_csv_body(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('admit_date,ward\n2024-01-01,A\n"2024-01-02,B\n')
    with pytest.raises(DataQualityError, match="could not read"):
        read(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataQualityError, match="empty.csv: the file is empty$"):
        read(path)


def test_bad_arguments(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    with pytest.raises(ArgumentError, match="usecols"):
        read(path, usecols="all")
    with pytest.raises(ArgumentError, match="dayfirst"):
        read(path, dayfirst="yes")
    with pytest.raises(ArgumentError, match="chunksize"):
        read(path, chunksize=10)
    assert read(path, dayfirst=True).attrs["hospitalytics"]["dayfirst"] is True


def test_nrows_passed_through(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    assert len(read(path, nrows=2)) == 2


# --------------------------------------------------------------------------------------
# Issue 10 / 16: what read() says about the file it is given
# --------------------------------------------------------------------------------------
import sys  # noqa: E402
import warnings  # noqa: E402

from hospitalytics.clean import standardize  # noqa: E402
from hospitalytics.errors import DataQualityWarning  # noqa: E402
from hospitalytics.io import ROW_HASH_COLUMN  # noqa: E402


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"admission_date,ward\n", "the file has a header but no rows"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file (or use --encoding)"),
])
def test_empty_header_only_and_binary_files(tmp_path, content, message):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(DataQualityError) as err:
        read(path)
    assert str(err.value) == f"{path}: {message}"


def test_empty_compressed_file_and_header_only_parquet(tmp_path):
    path = tmp_path / "data.csv.gz"
    with gzip.open(path, "wb"):
        pass
    with pytest.raises(DataQualityError, match="the file is empty$"):
        read(path)
    path = tmp_path / "data.parquet"
    RAW.iloc[:0].to_parquet(path)
    with pytest.raises(DataQualityError, match="the file has a header but no rows$"):
        read(path)


def test_windows_1252_file_is_read_with_a_note(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("admission_date,ward\n2024-01-01,Médecine\n2024-01-02,Café €\n"
                     .encode("cp1252"))
    with pytest.warns(DataQualityWarning, match="not UTF-8; read as Windows-1252") as caught:
        frame = read(path)
    assert frame["ward"].tolist() == ["Médecine", "Café €"]
    assert "--encoding" in str(caught[0].message)
    assert frame.attrs["hospitalytics"]["notes"] == [str(caught[0].message)]
    # the note reaches the cleaning report (and from there the report's notes)
    _, report = standardize(frame)
    assert report.notes[0] == str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read(path, encoding="latin-1")["ward"].tolist()[0] == "Médecine"


def test_non_utf8_after_the_sample_falls_back_too(tmp_path):
    path = tmp_path / "late.csv"
    body = "".join(f"2024-01-{1 + i % 28:02d},Ward A\n" for i in range(5000))
    path.write_bytes(("admission_date,ward\n" + body + "2024-02-01,Médecine\n")
                     .encode("latin-1"))
    assert path.stat().st_size > 65536
    with pytest.warns(DataQualityWarning, match="not UTF-8"):
        frame = read(path)
    assert frame["ward"].iloc[-1] == "Médecine" and len(frame) == 5001


def test_utf16_with_bom_is_text(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("admission_date,ward\n2024-01-01,Médecine\n".encode("utf-16"))
    assert read(path)["ward"].tolist() == ["Médecine"]


def test_excel_with_several_sheets_says_which_it_read(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        RAW.to_excel(writer, sheet_name="stays", index=False)
        RAW.head(1).to_excel(writer, sheet_name="2023", index=False)
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
    with pytest.warns(DataQualityWarning) as caught:
        frame = read(path)
    assert len(frame) == 3
    assert str(caught[0].message) == (
        "book.xlsx: read the first sheet, 'stays'; ignored the other 2 sheet(s): '2023', "
        "'notes'. Choose one with sheet_name= (--sheet NAME)"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read(path, sheet_name="2023")) == 1  # a chosen sheet: nothing to say
    with pytest.raises(ArgumentError, match="no sheet named 'Stays'; the sheets are 'stays'"):
        read(path, sheet_name="Stays")


def test_one_sheet_workbook_is_quiet(tmp_path):
    path = tmp_path / "one.xlsx"
    RAW.to_excel(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read(path)) == 3


def test_missing_excel_package_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "one.xlsx"
    RAW.to_excel(path, index=False)
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl -> ImportError
    with pytest.raises(ImportError, match=r'pip install "hospitalytics\[excel\]"'):
        read(path)
    with pytest.raises(ImportError, match=r"'xlrd'.*hospitalytics\[excel\]"):
        monkeypatch.setitem(sys.modules, "xlrd", None)
        (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
        read(tmp_path / "old.xls")


def test_rows_equal_in_role_columns_but_not_in_the_file_are_not_duplicates(tmp_path):
    path = tmp_path / "stays.csv"
    pd.DataFrame({
        "admission_date": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02"],
        "ward": ["A", "A", "A", "B"],
        "doctor": ["Smith", "Jones", "Jones", "Smith"],
    }).to_csv(path, index=False)
    frame = read(path)
    assert list(frame.columns) == ["admission_date", "ward", ROW_HASH_COLUMN]
    _, report = standardize(frame)
    # rows 0 and 1 differ in the doctor the file records: two stays; row 2 repeats row 1
    assert report.rejected_counts["duplicate"] == 1
    assert report.rejected.index.tolist() == [2]


def test_no_row_hash_when_the_other_columns_separate_nothing(tmp_path):
    path = tmp_path / "stays.csv"
    pd.DataFrame({"admission_date": ["2024-01-01", "2024-01-01"], "ward": ["A", "A"],
                  "doctor": ["Smith", "Smith"]}).to_csv(path, index=False)
    frame = read(path)
    assert list(frame.columns) == ["admission_date", "ward"]
    assert standardize(frame)[1].rejected_counts["duplicate"] == 1


def test_stay_id_is_always_read_and_decides(tmp_path):
    path = tmp_path / "visits.csv"
    pd.DataFrame({
        "encounter_id": [1, 2, 3, 3],
        "admission_date": ["2024-01-01"] * 4,
        "ward": ["A"] * 4,
        "doctor": ["x", "y", "z", "w"],
    }).to_csv(path, index=False)
    frame = read(path)
    assert list(frame.columns) == ["encounter_id", "admission_date", "ward"]
    _, report = standardize(frame)
    assert report.rejected.index.tolist() == [3]  # the same stay twice; 1 and 2 differ


def test_read_arguments_for_exports(tmp_path):
    path = tmp_path / "stays.csv"
    RAW.to_csv(path, index=False)
    with pytest.raises(ArgumentError, match="encounters must be 'inpatient'"):
        read(path, encounters="some")
    with pytest.raises(ArgumentError, match="detect must be True or False"):
        read(path, detect="yes")
    with pytest.raises(ArgumentError, match="timezone='Mars/Olympus'"):
        read(path, timezone="Mars/Olympus")
    assert read(path, timezone="Europe/London").attrs["hospitalytics"]["timezone"] == (
        "Europe/London")


def test_stay_id_is_read_with_a_usecols_list(tmp_path):
    path = tmp_path / "visits.csv"
    pd.DataFrame({"visit_id": [1, 2], "admit_date": ["2024-01-01"] * 2, "ward": ["A", "B"],
                  "doctor": ["x", "y"]}).to_csv(path, index=False)
    assert list(read(path, usecols=["admit_date", "doctor"]).columns) == [
        "visit_id", "admit_date", "doctor"]
