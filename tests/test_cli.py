"""The ``hospitalytics`` command: outputs, numbers against the library, errors, privacy.

Subprocess runs (each imports pandas and matplotlib: 2-5 s) are kept to a few; the error
paths and options run ``cli.main`` in-process, which is the same code without the start-up.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import cli
from hospitalytics.report import build_report
from hospitalytics.report.html import render_html

SAMPLE_KPIS = ("admissions", "discharges", "treatment_cost", "alos", "bed_days", "occupancy")


# ----------------------------------------------------------------------------- helpers
def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "hospitalytics", *args], cwd=cwd, capture_output=True,
        text=True, env=env, timeout=300,
    )


class Tables(HTMLParser):
    """Collect every ``<table data-table=...>`` as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self._table = a["data-table"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> dict[str, dict[str, list[str]]]:
    """``{table: {row label: [cells...]}}`` (header rows keyed by their first cell)."""
    p = Tables()
    p.feed(html)
    return {name: {r[0]: r[1:] for r in rows if r} for name, rows in p.tables.items()}


def number(text: str) -> float:
    """Parse a number shown in the report: ``1,234``, ``85.3%``, ``−12``."""
    t = text.replace(",", "").replace("−", "-").replace("+", "").strip()
    if t.endswith("%"):
        return float(t[:-1]) / 100
    return float(t)


def without_images(html: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)


def assert_no_ids(html: str, ids) -> None:
    words = set(re.findall(r"[A-Za-z0-9_\-]+", without_images(html)))
    # small integer ids (OMOP person_id 1, 2, ...) are indistinguishable from counts
    ids = {str(i) for i in ids if not (str(i).isdigit() and len(str(i)) < 6)}
    leaked = words & ids
    assert not leaked, f"patient ids in the report: {sorted(leaked)[:5]}"


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hospitalytics: error: "), err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------------- the sample
@pytest.fixture(scope="module")
def sample_html(tmp_path_factory) -> str:
    d = tmp_path_factory.mktemp("sample")
    res = run("report", "--sample", "-o", "report.html", cwd=d)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""  # not a terminal: no progress
    return (d / "report.html").read_text(encoding="utf-8")


def test_sample_report_numbers_match_library(sample_html):
    df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    tables = tables_of(sample_html)
    summary = hp.summary(df, beds)
    shown = tables["summary"]
    for kpi in SAMPLE_KPIS:
        label = summary.loc[kpi, "label"]
        for i, col in enumerate(("period", "mtd", "previous_mtd")):
            assert number(shown[label][i]) == pytest.approx(
                summary.loc[kpi, col], rel=5e-3, abs=5e-3
            ), (kpi, col)
    by_dept = hp.admissions(df, by="department")
    dept = tables["by_department"]
    assert {k: number(v[0]) for k, v in dept.items() if k != "Department"} == {
        str(k): float(v) for k, v in by_dept.items()
    }
    treat = hp.by_treatment(df)
    for name, row in treat.iterrows():
        assert number(tables["by_treatment"][str(name)][0]) == row["admissions"]
        assert number(tables["by_treatment"][str(name)][2]) == pytest.approx(
            row["total_cost"], abs=0.01)
    occ = hp.occupancy_by_ward(df, beds)
    for ward, row in occ.iterrows():
        assert number(tables["occupancy_by_ward"][ward][2]) == pytest.approx(
            row["occupancy"], abs=5e-4)


def test_sample_report_is_self_contained(sample_html):
    assert sample_html.count("data:image/png;base64,") >= 6
    assert "<script" not in sample_html.lower()
    assert not re.search(r"""(src|href)=["']https?:""", sample_html)
    assert "Definitions used" in sample_html and hp.definitions.PRESETS["who"].description \
        in sample_html
    cleaning = tables_of(sample_html)["cleaning"]
    assert number(cleaning["Rows read"][0]) == 53_404
    assert_no_ids(sample_html, hp.datasets.load_sample()["patient_id"].unique())


# ------------------------------------------------------------------------ messy CSV
MESSY_HEADER = ["Date of Admission", "Discharge Date", "Ward", "Department", "Billing Amount",
                "Age", "Patient ID"]
XSS = "<script>alert(1)</script>"


def messy_rows() -> list[list[str]]:
    rows = [
        ["2024-01-05", "2024-01-07", XSS, XSS, "$1,200.50", "45", "PX1001"],
        ["01/15/2024", "01/18/2024", "Ward B", "Surgery", "£300", "60", "PX1002"],
        ["15 Jan 2024", "2024-01-20 10:00", "Ward B", "Surgery", "1 200,50", "70", "PX1003"],
        ["01/15/2024", "01/18/2024", "Ward B", "Surgery", "£300", "60", "PX1002"],  # dup
        ["", "2024-01-10", "Ward B", "Surgery", "10", "50", "PX1004"],
        ["not a date", "2024-01-10", "Ward B", "Surgery", "10", "50", "PX1005"],
        ["2024-02-10", "2024-02-01", "Ward B", "Surgery", "10", "50", "PX1006"],
        ["2024-02-11", "garbage", "Ward B", "Surgery", "10", "50", "PX1007"],
        ["2024-02-12", "2024-02-14", "Ward B", "Surgery", "10", "-5", "PX1008"],
        ["2024-02-13", "2024-02-15", "Ward B", "Surgery", "(50.00)", "50", "PX1009"],
    ]
    for i in range(40):
        day = 1 + i % 28
        rows.append([f"2024-{1 + i % 3:02d}-{day:02d} 08:00", f"2024-{1 + i % 3:02d}-"
                     f"{min(day + 2, 28):02d} 12:00", "Ward A" if i % 2 else "Ward B",
                     "Medicine", f"USD {100 + i}.00", str(20 + i), f"PX2{i:03d}"])
    return rows


@pytest.fixture
def messy_csv(tmp_path) -> Path:
    path = tmp_path / "messy.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(MESSY_HEADER)
        w.writerows(messy_rows())
    return path


def test_messy_csv_report_shows_cleaning_and_escapes(messy_csv, tmp_path):
    res = run("report", str(messy_csv), "-o", "messy.html", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "messy.html").read_text(encoding="utf-8")
    tables = tables_of(html)
    assert number(tables["cleaning"]["Rows read"][0]) == 50
    assert number(tables["cleaning"]["Rows rejected"][0]) == 6
    rejected = {k: number(v[0]) for k, v in tables["rejected"].items() if v and k[0].islower()}
    assert rejected == {
        "missing admission date": 1, "unparseable admission date": 1,
        "unparseable discharge date": 1, "placeholder date": 0, "date out of range": 0,
        "discharge before admission": 1, "negative age": 1, "duplicate": 1,
    }
    assert number(tables["warnings"]["negative cost"][0]) == 1
    # the ward name from the data is text, never markup
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert_no_ids(html, [r[6] for r in messy_rows()])
    # the numbers are the library's on the cleaned data
    clean, _ = hp.standardize(pd.read_csv(messy_csv, dtype=str, keep_default_na=False))
    summary = hp.summary(clean)
    assert number(tables["summary"]["Admissions"][0]) == summary.loc["admissions", "period"]
    assert number(tables["summary"]["Treatment cost"][0]) == pytest.approx(
        summary.loc["treatment_cost", "period"], abs=0.01)


def test_messy_csv_json_with_suppression(messy_csv, tmp_path):
    res = run("report", str(messy_csv), "-o", "kpis.json", "--suppress", "20", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    data = json.loads((tmp_path / "kpis.json").read_text(encoding="utf-8"))
    assert data["suppression"]["threshold"] == 20
    kpis = {k["kpi"]: k for k in data["kpis"]}
    # MTD counts of this small file are below 20: hidden, and the change with them
    assert kpis["admissions"]["mtd"] == "<20"
    assert kpis["admissions"]["change"] == "withheld"  # a difference is not a count
    assert kpis["treatment_cost"]["mtd"] == "withheld"  # a cost over few stays is hidden too
    # 44 admissions; hidden with the small MTD counts since the stock-flow relations
    # (in-patients = admissions - discharges) tie them together
    assert kpis["admissions"]["period"] in (44, "<20")
    # cleaning counts follow the same rule: 1 duplicate is a small count
    assert data["cleaning"]["rejected"]["duplicate"] == "<20"
    assert not any("PX" in json.dumps(v) for v in data.values())


def test_summary_csv_is_numeric_and_neutral(tmp_path):
    res = run("summary", "--sample", "--format", "csv", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    frame = pd.read_csv(io.StringIO(res.stdout))
    assert frame["kpi"].iloc[0] == "admissions"
    assert frame["change"].dtype.kind == "f" and (frame["change"] < 0).any()
    assert not frame["label"].str.startswith("'").any()


# ---------------------------------------------------------------------- real exports
REAL = {
    "mimic": "mimic-iv-demo/hosp/admissions.csv.gz",
    "synthea": "synthea-ne/encounters.csv",
    "omop": "omop-synthea27nj/VISIT_OCCURRENCE.csv",
}
RECOGNISED = {
    "mimic": "a MIMIC-IV admissions table",
    "synthea": "a Synthea encounters table",
    "omop": "an OMOP visit_occurrence table",
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_exports(shared_data, tmp_path, name):
    path = shared_data / REAL[name]
    if not path.exists():
        pytest.skip(f"{path} is absent")
    res = run("report", str(path), "-o", "real.html", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "real.html").read_text(encoding="utf-8")
    tables = tables_of(html)
    with pytest.warns(hp.DataQualityWarning, match="recognised"):
        raw = hp.read(path)
    clean, report = hp.standardize(raw)
    stays = {"mimic": 275, "synthea": 49, "omop": 13}[name]  # in-patient stays
    assert report.n_clean == stays
    assert res.stdout.startswith(f"wrote real.html: {stays} stays, ")
    assert f"recognised {RECOGNISED[name]}" in html
    summary = hp.summary(clean)
    assert number(tables["cleaning"]["Rows read"][0]) == report.n_input
    assert number(tables["summary"]["Admissions"][0]) == summary.loc["admissions", "period"]
    assert number(tables["summary"]["Average length of stay"][0]) == pytest.approx(
        summary.loc["alos", "period"], abs=5e-3)
    # no beds, no wards: occupancy is left out and the report says so
    assert "Left out" in html and "no bed capacities" in html
    assert "occupancy_by_ward" not in tables
    if "patient_id" in clean:
        assert_no_ids(html, clean["patient_id"].astype(str).unique())


# ------------------------------------------------------------------------ in-process
def test_progress_only_on_a_terminal(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli.main(["report", "--sample", "-o", str(tmp_path / "r.html")]) == 0
    err = capsys.readouterr().err
    for step in ("loading", "cleaning", "computing", "drawing", "wrote"):
        assert step in err


def test_outputs_by_extension(tmp_path, capsys):
    for ext in ("json", "csv", "png"):
        out = tmp_path / f"out.{ext}"
        assert cli.main(["report", "--sample", "-o", str(out)]) == 0, capsys.readouterr().err
        assert out.stat().st_size > 500
    assert (tmp_path / "out.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "out.json").read_text())["definitions"]["name"] == "who"


def test_summary_table_and_json(capsys):
    assert cli.main(["summary", "--sample", "--definitions", "hcup", "--as-of",
                     "2025-06-30"]) == 0
    out = capsys.readouterr().out
    assert "Average length of stay" in out and "hcup" in out
    assert "Period: 1 Oct 2023 – 30 Jun 2025 · month to date 1–30 Jun 2025 · as of 30 Jun " \
        "2025" in out
    assert "Prev. MTD: 1–30 May 2025" in out
    assert cli.main(["summary", "--sample", "--format", "json", "--start", "2025-01-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = hp.summary(hp.datasets.load_sample(), hp.datasets.load_sample_beds(),
                          start="2025-01-01")
    assert data["kpis"][0]["period"] == expected.loc["admissions", "period"]


def test_help_documents_every_option(capsys):
    assert cli.main(["report", "--help"]) == 0
    text = capsys.readouterr().out
    for opt in ("--output", "--sample", "--beds", "--as-of", "--start", "--end", "--column",
                "--definitions", "--suppress", "--dayfirst", "examples:"):
        assert opt in text
    assert cli.main(["summary", "--help"]) == 0
    assert "--format" in capsys.readouterr().out
    assert cli.main(["--version"]) == 0
    assert hp.__version__ in capsys.readouterr().out


def test_suppressed_html_and_beds_file(tmp_path, capsys):
    beds = tmp_path / "beds.csv"
    hp.datasets.load_sample_beds().to_csv(beds, index=False)
    out = tmp_path / "r.html"
    assert cli.main(["report", "--sample", "--beds", str(beds), "--start", "2025-12-01",
                     "--suppress", "100", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Small-count suppression applied" in html and "below 100" in html
    tables = tables_of(html)
    shown = [v[0] for k, v in tables["by_department"].items() if k != "Department"]
    # 1-15 Dec 2025: Cardiology 74 and Paediatrics 92 admissions, the others 119 to 219
    assert "&lt;100" not in shown and "<100" in shown
    assert shown.count("<100") != 1  # complementary suppression
    for v in shown:
        assert v == "<100" or number(v) >= 100 or number(v) == 0
    capsys.readouterr()


ERRORS = [
    (["report", "missing.csv"], "no such file"),
    (["report", "--sample", "--start", "notadate"], "not a date"),
    (["report", "--sample", "--start", "2025-05-01", "--end", "2025-04-01"], "starts after"),
    (["report", "--sample", "--column", "admission_date"], "ROLE=NAME"),
    (["report", "--sample", "--column", "colour=x"], "unknown role"),
    (["report", "--sample", "--definitions", "nhs"], "unknown definitions preset"),
    (["report", "--sample", "-o", "report.docx"], "must end in one of"),
    (["report", "--sample", "--suppress", "0"], "suppress"),
    (["report", "--sample", "--beds", "nobeds.csv"], "no such beds file"),
]


@pytest.mark.parametrize("argv,message", ERRORS, ids=[" ".join(a[1:]) for a, _ in ERRORS])
def test_errors_exit_1_with_one_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 1
    line = one_line_error(capsys.readouterr().err)
    assert message in line


def test_file_errors(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.parquet").write_text("not parquet")
    assert cli.main(["report", "broken.parquet"]) == 1
    assert "broken.parquet" in one_line_error(capsys.readouterr().err)
    (tmp_path / "nodates.csv").write_text("foo,bar\n1,2\n")
    assert cli.main(["summary", "nodates.csv"]) == 1
    assert "--column" in one_line_error(capsys.readouterr().err)
    (tmp_path / "two.csv").write_text("admit_date,admission_time,ward\n2024-01-01,"
                                      "2024-01-01,A\n")
    assert cli.main(["summary", "two.csv"]) == 1
    line = one_line_error(capsys.readouterr().err)
    assert "ambiguous" in line and "--column admission_date=" in line
    assert cli.main(["summary", "two.csv", "--column", "admission_date=admit_date"]) == 0
    capsys.readouterr()
    (tmp_path / "baddates.csv").write_text("admission_date,ward\nsoon,A\nlater,B\n")
    assert cli.main(["summary", "baddates.csv"]) == 1
    assert "no usable rows" in one_line_error(capsys.readouterr().err)
    (tmp_path / "beds.csv").write_text("ward,beds\nA,-3\n")
    assert cli.main(["summary", "--sample", "--beds", "beds.csv"]) == 1
    assert "non-negative" in one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("argv", [[], ["report", "--bogus"], ["report", "--suppress", "x"],
                                  ["summary", "--format", "xml"]])
def test_usage_errors_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_missing_file_in_a_real_process(tmp_path):
    res = run("report", "nope.csv", cwd=tmp_path)
    assert res.returncode == 1
    assert "nope.csv" in one_line_error(res.stderr)
    res = run("report", "--nope", cwd=tmp_path)
    assert res.returncode == 2


@pytest.mark.slow
def test_library_report_escapes_and_hides_ids():
    df = hp.datasets.load_sample().head(300).copy()
    df["treatment"] = df["treatment"].cat.add_categories([XSS])
    df.loc[df.index[:50], "treatment"] = XSS
    df["department"] = df["department"].cat.rename_categories(
        {df["department"].cat.categories[0]: '"><img src=x onerror=alert(1)>'})
    html = render_html(build_report(df, suppress=5), charts=False)
    assert XSS not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert_no_ids(html, df["patient_id"].unique())


def test_ambiguous_role_is_named_with_its_fix(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kaggle.csv").write_text(
        "Date of Admission,Discharge Date,Medical Condition,Admission Type\n"
        "2024-01-05,2024-01-09,Asthma,Urgent\n"
        "2024-01-06,2024-01-06,Cancer,Elective\n"
    )
    assert cli.main(["summary", "kaggle.csv"]) == 0
    err = capsys.readouterr().err  # what the report leaves out goes to stderr
    assert ("hospitalytics: left out: Treatment breakdown: 2 columns could be the treatment "
            "('Medical Condition' or 'Admission Type')") in err
    assert "--column treatment=NAME" in err
    assert cli.main(["summary", "kaggle.csv", "--column", "treatment=Admission Type"]) == 0
    assert "could be the treatment" not in capsys.readouterr().err


# ------------------------------------------------------------- issue 10 / 11 / 16
def write_stays(path: Path, rows: list[str], header: str = "admission_date,discharge_date,"
                "ward,cost") -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


STAYS = ["2024-01-01,2024-01-03,A,100", "2024-01-02,2024-01-05,B,200",
         "2024-01-04,,A,50"]


@pytest.mark.parametrize("output", ["stays.csv", "./stays.csv", "link.csv", "sub/../stays.csv"])
def test_report_refuses_to_overwrite_its_input(tmp_path, capsys, monkeypatch, output):
    monkeypatch.chdir(tmp_path)
    write_stays(tmp_path / "stays.csv", STAYS)
    (tmp_path / "link.csv").symlink_to(tmp_path / "stays.csv")
    (tmp_path / "sub").mkdir()
    before = (tmp_path / "stays.csv").read_bytes()
    assert cli.main(["report", "stays.csv", "-o", output]) == 1
    line = one_line_error(capsys.readouterr().err)
    assert f"refusing to write {output!r}: it is the input ('stays.csv')" in line
    assert (tmp_path / "stays.csv").read_bytes() == before


def test_report_refuses_to_overwrite_the_beds_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_stays(tmp_path / "stays.csv", STAYS)
    (tmp_path / "beds.csv").write_text("ward,beds\nA,2\nB,2\n")
    assert cli.main(["report", "stays.csv", "--beds", "beds.csv", "-o",
                     str(tmp_path / "beds.csv")]) == 1
    assert "it is the beds file ('beds.csv')" in one_line_error(capsys.readouterr().err)
    assert cli.main(["report", "--sample", "--beds", "beds.csv", "-o", "beds.csv"]) == 1
    assert "it is the beds file" in one_line_error(capsys.readouterr().err)
    assert (tmp_path / "beds.csv").read_text() == "ward,beds\nA,2\nB,2\n"


def test_same_file_is_case_blind_where_the_disk_is(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    write_stays(tmp_path / "Export.csv", STAYS)
    # a case-insensitive disk (macOS, Windows) says the two names are one file
    monkeypatch.setattr(os.path, "exists", lambda p: True)
    monkeypatch.setattr(os.path, "samefile", lambda a, b: a.lower() == b.lower())
    assert cli._same_file("export.csv", "Export.csv")


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"admission_date,ward\n", "the file has a header but no rows"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00", "not a text file (or use --encoding)"),
])
def test_file_messages_are_exact(tmp_path, capsys, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_bytes(content)
    for command in ("report", "summary"):
        assert cli.main([command, "data.csv"]) == 1
        assert one_line_error(capsys.readouterr().err) == (
            f"hospitalytics: error: data.csv: {message}")


def test_encoding_fallback_and_option(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "latin.csv").write_bytes(
        "admission_date,discharge_date,ward\n2024-01-01,2024-01-02,Médecine\n"
        "2024-01-02,2024-01-04,Cardiologie\n".encode("cp1252"))
    assert cli.main(["summary", "latin.csv"]) == 0
    err = capsys.readouterr().err
    assert ("hospitalytics: note: latin.csv: not UTF-8; read as Windows-1252 (cp1252)"
            in err)
    assert cli.main(["report", "latin.csv", "-o", "r.json"]) == 0
    capsys.readouterr()
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert any("not UTF-8" in n for n in data["notes"])
    assert cli.main(["summary", "latin.csv", "--encoding", "latin-1"]) == 0
    assert "not UTF-8" not in capsys.readouterr().err


def test_excel_sheets(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = pd.DataFrame({"admission_date": ["2024-01-01", "2024-01-02"],
                          "discharge_date": ["2024-01-03", "2024-01-04"]})
    with pd.ExcelWriter(tmp_path / "book.xlsx") as writer:
        first.to_excel(writer, sheet_name="2024", index=False)
        first.head(1).to_excel(writer, sheet_name="2023", index=False)
    assert cli.main(["summary", "book.xlsx", "--format", "json"]) == 0
    res = capsys.readouterr()
    assert json.loads(res.out)["kpis"][0]["period"] == 2
    assert ("hospitalytics: note: book.xlsx: read the first sheet, '2024'; ignored the other "
            "1 sheet(s): '2023'. Choose one with sheet_name= (--sheet NAME)") in res.err
    assert cli.main(["summary", "book.xlsx", "--sheet", "2023", "--format", "json"]) == 0
    res = capsys.readouterr()
    assert json.loads(res.out)["kpis"][0]["period"] == 1 and "ignored" not in res.err
    assert cli.main(["summary", "book.xlsx", "--sheet", "2022"]) == 1
    assert "no sheet named '2022'" in one_line_error(capsys.readouterr().err)


def test_as_of_before_the_data_is_noted(capsys):
    assert cli.main(["summary", "--sample", "--as-of", "2020-01-01"]) == 0
    err = capsys.readouterr().err
    assert ("hospitalytics: note: nothing had been admitted yet on the as-of date, 1 Jan "
            "2020: the first admission in the data is on 1 Oct 2023") in err


def test_as_of_out_of_range_is_a_one_line_error(capsys):
    assert cli.main(["summary", "--sample", "--as-of", "9999-12-31"]) == 1
    line = one_line_error(capsys.readouterr().err)
    assert "--as-of='9999-12-31' is outside the supported dates, 1900-01-01 to 2250-12-31" in line
    assert cli.main(["report", "--sample", "--start", "1024-01-01"]) == 1
    assert "--start='1024-01-01' is outside" in one_line_error(capsys.readouterr().err)


def test_summary_prints_notes_and_omissions_on_stderr(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_stays(tmp_path / "stays.csv", [*STAYS, "2024-01-05,9999-12-31,A,-20",
                                         "1024-01-06,2024-01-07,B,10",
                                         "2024-01-07,2024-01-08,B,inf"])
    (tmp_path / "beds.csv").write_text("ward,beds\nA,2\nBB,2\n")  # a typo: B is not BB
    assert cli.main(["summary", "stays.csv", "--beds", "beds.csv", "--format", "json"]) == 0
    res = capsys.readouterr()
    data = json.loads(res.out)  # stdout stays pure JSON
    notes = [line.removeprefix("hospitalytics: note: ") for line in res.err.splitlines()
             if line.startswith("hospitalytics: note: ")]
    assert notes == data["notes"]
    text = " ".join(notes)
    assert "1 discharge date(s) were 'still in hospital' placeholders" in text
    assert "1 row(s) rejected as date_out_of_range" in text
    assert "are not finite (inf)" in text
    assert "wards without bed capacity are left out of occupancy: B (4 bed-days)" in text
    assert "hospitalytics: left out: Age groups: the data has no age column." in res.err
    kpis = {k["kpi"]: k for k in data["kpis"]}
    assert kpis["treatment_cost"]["period"] == 100 + 200 + 50 - 20  # inf left out
    assert data["cleaning"]["rejected"]["date_out_of_range"] == 1


def test_timezone_option(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_stays(tmp_path / "london.csv", [
        "2024-06-01T00:30:00+01:00,2024-06-03T10:00:00+01:00,A,1",
        "2024-01-10T00:30:00+00:00,2024-01-12T10:00:00+00:00,A,1",
    ])
    assert cli.main(["summary", "london.csv", "--format", "json"]) == 0
    res = capsys.readouterr()
    assert "mixes UTC offsets" in res.err and "--timezone" in res.err
    assert cli.main(["summary", "london.csv", "--timezone", "Europe/London", "--format",
                     "json", "--start", "2024-06-01"]) == 0
    res = capsys.readouterr()
    kpis = {k["kpi"]: k for k in json.loads(res.out)["kpis"]}
    assert kpis["admissions"]["period"] == 1  # on 1 June, the hospital's clock
    assert kpis["alos"]["period"] == 2.0
    assert "mixes UTC offsets" not in res.err


def test_success_line_on_stdout(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert cli.main(["report", "--sample", "-o", str(out)]) == 0
    res = capsys.readouterr()
    assert res.out.startswith(f"wrote {out}: 53,404 stays, 1 Oct 2023 to 15 Dec 2025, "
                              "as of 15 Dec 2025")
    assert res.out.count("\n") == 1 and res.err == ""
    assert cli.main(["report", "--sample", "--start", "2025-01-01", "--end", "2025-06-30",
                     "-o", str(tmp_path / "h1.json")]) == 0
    assert "1 Jan 2025 to 30 Jun 2025, as of 15 Dec 2025" in capsys.readouterr().out
