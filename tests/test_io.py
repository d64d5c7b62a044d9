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
        "source": str(path), "dayfirst": False, "notes": [], "timezone": None,
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
