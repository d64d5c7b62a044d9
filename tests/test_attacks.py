"""The six attacks of issue 11, run on what one ``report --suppress 10`` publishes.

Each test builds a small hospital where the attack worked, writes the report the way a
user does (HTML, JSON, the summary text) and runs the attack on the files: arithmetic
on published numbers only. Every attack recovered a hidden count before small-number
protection covered the whole publication; now none does.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from hospitalytics import cli
from hospitalytics.report import build_report, write_report

N = 10


# ------------------------------------------------------------------------ reading
class _Tables(HTMLParser):
    """``{data-table: [[label, cell, ...], ...]}`` from the report's HTML."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("data-table")
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def number(text):
    """A published cell as a number, or None when it is hidden (a marker)."""
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        return None
    t = text.replace(",", "").replace("\u2212", "-").strip()
    try:
        return float(t)
    except ValueError:
        return None


def publish(frame, tmp_path, **kwargs):
    """What one run publishes: the HTML tables, the JSON and the summary text."""
    rep = build_report(frame, suppress=N, **kwargs)
    html = write_report(rep, tmp_path / "r.html").read_text(encoding="utf-8")
    data = json.loads(write_report(rep, tmp_path / "r.json").read_text(encoding="utf-8"))
    parser = _Tables()
    parser.feed(html)
    kpis = {k["kpi"]: k for k in data["kpis"]}
    return parser.tables, data, kpis, html


def column(tables, key, col):
    """A column of a report table: ``{row label: cell text}``."""
    rows = tables[key]
    head = rows[0]
    j = head.index(col)
    return {r[0]: r[j] for r in rows[1:]}


def stays(adm, dis=None, **cols):
    frame = pd.DataFrame({"admission_date": pd.to_datetime(adm)})
    if dis is not None:
        frame["discharge_date"] = pd.to_datetime(dis)
    for k, v in cols.items():
        frame[k] = v
    return frame


# ------------------------------------------------------------------------ attacks
def attack_zero_complement(tables, kpis):
    """A hidden cell is 1..N-1, or a complement; when the hidden cells of a line sum to
    less than N no complement is N or more, so (the empty 0-17 band of an adult unit
    being 0) the small count is the hidden sum."""
    col = column(tables, "by_age_group", "Admissions")
    total = number(kpis["admissions"]["period"])
    hidden = [k for k, v in col.items() if number(v) is None]
    if total is None or not hidden:
        return None
    s = total - sum(number(v) for v in col.values() if number(v) is not None)
    return s if 0 < s < N else None


def test_attack_1_zero_as_the_complement(tmp_path):
    ages = [30] * 30 + [50] * 40 + [70] * 25 + [80] * 20 + [90] * 3  # nobody under 18
    adm = [pd.Timestamp("2025-03-01") + pd.Timedelta(hours=5 * i) for i in range(len(ages))]
    frame = stays(adm, [a + pd.Timedelta(days=2) for a in adm], age=ages)
    tables, _, kpis, _ = publish(frame, tmp_path)
    assert number(kpis["admissions"]["period"]) == 118  # the total is published
    assert attack_zero_complement(tables, kpis) is None


def attack_linked_tables(tables, kpis):
    """Monthly table hides two months; the KPI panel's MTD is the last one."""
    col = column(tables, "monthly", "Admissions")
    total = number(kpis["admissions"]["period"])
    if total is None:
        return None
    unknown = [k for k, v in col.items() if number(v) is None]
    rest = total - sum(number(v) for v in col.values() if number(v) is not None)
    last = list(col)[-1]
    mtd = number(kpis["admissions"]["mtd"])
    if last in unknown and mtd is not None:
        unknown.remove(last)
        rest -= mtd
    return rest if len(unknown) == 1 else None


def test_attack_2_linked_tables(tmp_path):
    adm = ([pd.Timestamp("2025-09-01") + pd.Timedelta(hours=2.7 * i) for i in range(260)]
           + [pd.Timestamp("2025-10-10"), pd.Timestamp("2025-10-11"),
              pd.Timestamp("2025-10-12")]
           + [pd.Timestamp("2025-11-01") + pd.Timedelta(hours=8 * i) for i in range(12)])
    adm = [pd.Timestamp(a) + pd.Timedelta(minutes=i) for i, a in enumerate(adm)]
    frame = stays(adm, [a + pd.Timedelta(hours=20) for a in adm])
    tables, _, kpis, _ = publish(frame, tmp_path, as_of="2025-11-05")
    assert number(kpis["admissions"]["period"]) == 275
    assert attack_linked_tables(tables, kpis) is None


def attacks_on_notes_and_census(data, kpis):
    """In-patients hidden, but a note counts the open stays; with a one-day MTD, the
    MTD bed-days and average daily census are the in-patients."""
    found = []
    if number(kpis["in_patients"]["period"]) is None:
        for note in data["notes"]:
            m = re.search(r"(\d+) stay\(s\) have no discharge date", note)
            if m:
                found.append(int(m.group(1)))
    if number(kpis["in_patients"]["mtd"]) is None:
        for k in ("bed_days", "average_daily_census"):
            v = number(kpis[k]["mtd"])
            if v is not None and 0 < v < N:
                found.append(v)
    return found


def test_attack_3_notes_and_derived_figures(tmp_path):
    adm = [pd.Timestamp("2025-10-01") + pd.Timedelta(hours=15 * i) for i in range(40)]
    dis = [a + pd.Timedelta(days=1) for a in adm]
    adm += [pd.Timestamp("2025-10-20"), pd.Timestamp("2025-10-22"), pd.Timestamp("2025-10-25")]
    dis += [pd.NaT] * 3  # still in hospital
    frame = stays(adm, dis, ward="A")
    _, data, kpis, _ = publish(frame, tmp_path, as_of="2025-11-01")  # a one-day MTD
    assert kpis["in_patients"]["period"] == "<10"
    assert attacks_on_notes_and_census(data, kpis) == []
    assert any("no discharge date" in n for n in data["notes"])  # the words stay


def attack_cleaning_counts(kpis, rows_used):
    if number(kpis["admissions"]["period"]) is None and number(rows_used) is not None:
        return number(rows_used)
    return None


def test_attack_4_cleaning_counts(tmp_path, capsys):
    adm = [f"2025-05-{d:02d}" for d in (2, 4, 6, 9, 12, 15, 20)] + ["", "not a date"]
    frame = pd.DataFrame({"admission_date": adm,
                          "discharge_date": [f"2025-05-{d:02d}" for d in
                                             (3, 5, 8, 10, 13, 17, 22)] + ["", ""]})
    tables, data, kpis, _ = publish(frame, tmp_path)
    assert kpis["admissions"]["period"] == "<10"
    cleaning = {r[0]: r[1] for r in tables["cleaning"]}
    assert attack_cleaning_counts(kpis, cleaning["Rows used"]) is None  # HTML
    assert attack_cleaning_counts(kpis, data["cleaning"]["rows_clean"]) is None  # JSON
    path = tmp_path / "stays.csv"
    frame.to_csv(path, index=False)
    assert cli.main(["summary", str(path), "--suppress", str(N)]) == 0
    text = capsys.readouterr().out
    used = re.search(r"used ([^,]+),", text).group(1)
    assert attack_cleaning_counts(kpis, used) is None  # the summary text


def attack_columns(tables, kpis):
    """Patients <= admissions: a hidden row whose patients are shown bounds its
    admissions from below, and so the other hidden rows from above."""
    adm = column(tables, "by_treatment", "Admissions")
    pat = column(tables, "by_treatment", "Patients")
    total = number(kpis["admissions"]["period"])
    hidden = [k for k, v in adm.items() if number(v) is None]
    if total is None or len(hidden) < 2:
        return None
    s = total - sum(number(v) for v in adm.values() if number(v) is not None)
    low = {k: max(1.0, number(pat[k]) or 1.0) for k in hidden}
    for k in hidden:
        hi = s - sum(low[j] for j in hidden if j != k)
        if hi - low[k] + 1 < N:
            return (low[k], hi)
    return None


def test_attack_5_columns_bound_each_other(tmp_path):
    rows = ([("X", f"x{i}") for i in range(14)] + [("X", "x0")]      # 15 stays, 14 people
            + [("Y", f"y{i}") for i in range(3)]                       # 3 stays
            + [("Z", f"z{i % 12}") for i in range(40)]                 # 40 stays, 12 people
            + [("W", f"w{i}") for i in range(100)])                    # 100 stays
    adm = [pd.Timestamp("2025-02-01") + pd.Timedelta(hours=3 * i) for i in range(len(rows))]
    frame = stays(adm, [a + pd.Timedelta(days=1) for a in adm],
                  treatment=[r[0] for r in rows], patient_id=[r[1] for r in rows])
    tables, _, kpis, _ = publish(frame, tmp_path)
    assert number(kpis["admissions"]["period"]) == 158
    assert attack_columns(tables, kpis) is None


def attack_rate(kpis):
    rate = number(kpis["readmission_rate_30d"]["period"])
    dis = number(kpis["discharges"]["period"])
    if rate is None or dis is None:
        return None
    n = rate * dis
    return round(n) if 0 < round(n) < N and abs(n - round(n)) < 1e-6 else None


def test_attack_6_rate_times_denominator(tmp_path):
    adm = [pd.Timestamp("2025-06-01") + pd.Timedelta(hours=12 * i) for i in range(41)]
    dis = [a + pd.Timedelta(hours=6) for a in adm]
    pid = [f"p{i}" for i in range(41)]
    pid[30] = "p0"  # p0 comes back 15 days later: one readmission
    frame = stays(adm, dis, patient_id=pid)
    _, _, kpis, _ = publish(frame, tmp_path, as_of="2025-06-30")
    assert number(kpis["discharges"]["period"]) == 41
    assert attack_rate(kpis) is None


def _age_unit():
    ages = [30] * 30 + [50] * 40 + [70] * 25 + [80] * 20 + [90] * 3
    adm = [pd.Timestamp("2025-03-01") + pd.Timedelta(hours=5 * i) for i in range(len(ages))]
    return stays(adm, [a + pd.Timedelta(days=2) for a in adm], age=ages,
                 patient_id=np.arange(len(ages)) % 90)


def test_the_attacks_through_privacy_suppress(tmp_path):
    """``privacy="suppress:10"`` is the same method as ``suppress=10``."""
    rep = build_report(_age_unit(), privacy="suppress:10")
    data = json.loads(write_report(rep, tmp_path / "r.json").read_text(encoding="utf-8"))
    parser = _Tables()
    parser.feed(write_report(rep, tmp_path / "r.html").read_text(encoding="utf-8"))
    kpis = {k["kpi"]: k for k in data["kpis"]}
    assert attack_zero_complement(parser.tables, kpis) is None
    assert attack_linked_tables(parser.tables, kpis) is None
    assert attack_rate(kpis) is None
    assert attacks_on_notes_and_census(data, kpis) == []


def test_hes_on_the_adult_unit():
    """Under the HES rule the 3 over-85s are a ``*`` that no published figure pins."""
    pytest.importorskip("scipy")
    from hospitalytics.report.privacy import audit

    rep = build_report(_age_unit(), privacy="hes")
    shown = rep.tables["by_age_group"].display()["admissions"]
    assert shown["85+"] == "*" and shown["0-17"] == 0
    assert {v % 5 for v in shown if not isinstance(v, str)} == {0}
    res = audit(rep, integer=True, exact=True)
    keys = res.intervals["key"].tolist()
    star = res.intervals.iloc[keys.index(("table", "by_age_group", "85+", "admissions"))]
    assert star["hi"] - star["lo"] >= 1 and res.ok


# ------------------------------------------------------- stocks, flows and LOS bands
def attack_stock_and_flow(tables, kpis):
    """With no one in hospital before the first admission, the in-patients at the
    period's end are its admissions minus its discharges (KPI panel, or the monthly
    table's columns summed)."""
    if number(kpis["in_patients"]["period"]) is not None:
        return None
    adm, dis = number(kpis["admissions"]["period"]), number(kpis["discharges"]["period"])
    if adm is None or dis is None:
        monthly_adm = column(tables, "monthly", "Admissions").values()
        monthly_dis = column(tables, "monthly", "Discharges").values()
        if any(number(v) is None for v in [*monthly_adm, *monthly_dis]):
            return None
        adm = sum(number(v) for v in monthly_adm)
        dis = sum(number(v) for v in monthly_dis)
    n = adm - dis
    return n if 0 < n < N else None


def _still_in():
    """43 stays in March 2024, three of them still in hospital on the 31st."""
    rng = np.random.default_rng(1)
    adm = (pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 20, 43), "D")
           + pd.Timedelta(hours=9))
    dis = pd.Series(adm.normalize() + pd.to_timedelta(rng.integers(1, 5, 43), "D")
                    + pd.Timedelta(hours=10))
    dis.iloc[:3] = pd.NaT
    return stays(adm, dis, ward="A", patient_id=np.arange(43))


def test_attack_7_stock_and_flow(tmp_path):
    tables, _, kpis, _ = publish(_still_in(), tmp_path, as_of="2024-03-31")
    assert kpis["in_patients"]["period"] == "<10"  # 3 still in
    assert attack_stock_and_flow(tables, kpis) is None


def attack_los_bands(tables, kpis):
    """Hidden one-night-count LOS bands from the band total and the ALOS: every
    assignment of the hidden bands that gives the published discharges and ALOS total
    (a same-day stay counts one day); a hidden small band with one possible value is
    recovered."""
    col = column(tables, "los_distribution", "Stays")
    dis, alos = number(kpis["discharges"]["period"]), number(kpis["alos"]["period"])
    if dis is None or alos is None:
        return None
    hidden = [k for k, v in col.items() if number(v) is None]
    if not hidden or not all(k.isdigit() for k in hidden):
        return None
    shown = {k: number(v) for k, v in col.items() if number(v) is not None}
    if any(not k.isdigit() and v for k, v in shown.items()):
        return None  # stays in a range band: their days are unknown
    shown = {k: v for k, v in shown.items() if k.isdigit()}

    def days(k):
        return max(int(k), 1)

    left = dis - sum(shown.values())
    left_days = round(alos * dis) - sum(days(k) * v for k, v in shown.items())
    found = set()
    grid = np.array(np.meshgrid(*[np.arange(int(left) + 1)] * len(hidden))).reshape(
        len(hidden), -1).T
    for sol in grid:
        total_days = sum(days(k) * x for k, x in zip(hidden, sol, strict=True))
        if sol.sum() == left and total_days == left_days:
            found.add(tuple(int(x) for x in sol))
    for j, k in enumerate(hidden):
        values = {s[j] for s in found}
        if len(values) == 1 and 0 < next(iter(values)) < N:
            return k, next(iter(values))
    return None


def test_attack_8_los_bands_and_alos(tmp_path):
    """30 same-day stays, 3 of one night, 20 of two, 12 of three: the ALOS
    (109 days / 65) and the bands' total pinned the 3 once the 1- and 3-night bands
    were hidden together."""
    rng = np.random.default_rng(0)
    nights = [0] * 30 + [1] * 3 + [2] * 20 + [3] * 12
    adm = (pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 25, 65), "D")
           + pd.Timedelta(hours=9))
    dis = adm.normalize() + pd.to_timedelta(nights, "D") + pd.Timedelta(hours=15)
    frame = stays(adm, dis, ward="Day Unit", patient_id=np.arange(65))
    tables, _, kpis, _ = publish(frame, tmp_path)
    assert number(kpis["discharges"]["period"]) == 65
    assert column(tables, "los_distribution", "Stays")["1"] == "<10"
    assert attack_los_bands(tables, kpis) is None


@pytest.mark.parametrize("compact", [False, True])
def test_attack_7_stock_and_flow_on_a_long_axis(tmp_path, monkeypatch, compact):
    """Over a long time axis (hundreds of months) the flows are tied compactly: the
    attack fails there too, and the audit finds nothing narrow."""
    pytest.importorskip("scipy")
    from hospitalytics.report.privacy import _flows, audit

    if compact:
        monkeypatch.setattr(_flows, "LONG_AXIS", 0)
    frame = _still_in()
    tables, _, kpis, _ = publish(frame, tmp_path, as_of="2024-03-31")
    assert attack_stock_and_flow(tables, kpis) is None
    rep = build_report(frame, suppress=N, as_of="2024-03-31")
    assert any("segments" in s for s in rep.publication.skipped) == compact
    assert audit(rep, integer=True).ok
