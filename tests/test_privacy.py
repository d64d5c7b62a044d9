"""Small-number protection: single tables, whole reports (suppress and hes), strict JSON,
CSV formula neutralising."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hospitalytics as hp
from hospitalytics import cli
from hospitalytics.errors import ArgumentError
from hospitalytics.report import (
    _charts,
    build_report,
    payload,
    summary_records,
    to_json,
    write_report,
)
from hospitalytics.report.html import render_html
from hospitalytics.report.privacy import (
    hes_round,
    neutralize_csv,
    neutralize_value,
    parse_privacy,
    suppress,
    suppression_mask,
)


# ------------------------------------------------------------------ hand-computed
def test_single_column_hides_small_and_next_smallest():
    t = pd.DataFrame({"admissions": [120, 3, 45, 60]}, index=list("ABCD"))
    out = suppress(t, 10)
    assert out["admissions"].tolist() == [120, "<10", "<10", 60]


def test_two_small_cells_need_no_complement():
    t = pd.DataFrame({"admissions": [120, 3, 4, 60]}, index=list("ABCD"))
    assert suppress(t, 5)["admissions"].tolist() == [120, "<5", "<5", 60]


def test_zeros_stay_visible_and_are_never_complements():
    # a hidden zero protects nothing: a reader who knows the cell is empty (no children
    # on an adult ward) takes the hidden sum for the small count
    t = pd.DataFrame({"n": [0, 2, 50, 70]})
    assert suppress(t, 5)["n"].tolist() == [0, "<5", "<5", 70]
    assert suppress(pd.DataFrame({"n": [0, 8, 50]}), 5)["n"].tolist() == [0, 8, 50]
    # zeros=True hides the 0, and its complement (8) carries the same marker on purpose:
    # a different one would tell the reader which cell is the small one
    assert suppress(pd.DataFrame({"n": [0, 8, 50]}), 5, zeros=True)["n"].tolist() == [
        "<5", "<5", 50
    ]


def test_crosstab_rows_and_columns():
    # ward 1 / 1-3 = 4 is small. Column ward 1 -> hide 20 (smallest visible);
    # row 1-3 -> hide 50; row 0 now has one hidden -> hide 25; all lines then have 0 or 2.
    x = pd.DataFrame({"ward 1": [20, 4, 30], "ward 2": [25, 50, 35]}, index=["0", "1-3", "4+"])
    mask = suppression_mask(x, 5)
    expected = pd.DataFrame(
        {"ward 1": [True, True, False], "ward 2": [True, True, False]}, index=x.index
    )
    pd.testing.assert_frame_equal(mask, expected)
    assert suppress(x, 5).loc["4+"].tolist() == [30, 35]


def test_crosstab_cascade():
    # 3x3 with one small cell in the middle: the cascade hides a 2x2 block.
    x = pd.DataFrame([[50, 60, 70], [80, 2, 90], [100, 110, 120]], columns=list("abc"))
    mask = suppression_mask(x, 5).to_numpy()
    assert mask.sum() == 4
    assert mask[1, 1] and mask[0, 1] and mask[1, 0] and mask[0, 0]


def test_linked_columns_hidden_with_their_counts():
    t = pd.DataFrame(
        {"admissions": [500, 2, 40], "patients": [450, 2, 35],
         "total_cost": [1e6, 3000.0, 8e4], "mean_cost": [2000.0, 1500.0, 2000.0]},
        index=["Medication", "Dialysis", "Surgery"],
    )
    out = suppress(t, 10)
    assert out.loc["Dialysis"].tolist() == ["<10"] * 4
    assert out.loc["Surgery"].tolist() == ["<10"] * 4  # complement of the column
    assert out.loc["Medication", "total_cost"] == 1e6
    # linked=None leaves costs alone
    assert suppress(t, 10, linked=None).loc["Dialysis", "mean_cost"] == 1500.0


def test_series_and_kpi_tables():
    df = hp.datasets.load_sample()
    s = hp.admissions(df, "2025-12-01", "2025-12-15", by="ward")
    out = suppress(s, 12)
    assert isinstance(out, pd.Series) and out.name == s.name
    hidden = out.map(lambda v: isinstance(v, str))
    assert (s[~hidden] >= 12).all() | (s[~hidden] == 0).all()
    assert hidden.sum() != 1
    t = hp.by_treatment(df, "2025-12-01", "2025-12-15")
    out = suppress(t, 10)
    assert list(out.columns) == list(t.columns)


def test_bad_arguments():
    t = pd.DataFrame({"n": [1, 2]})
    with pytest.raises(ArgumentError):
        suppress(t, 0)
    with pytest.raises(ArgumentError):
        suppress(t, 2.5)
    with pytest.raises(ArgumentError, match="not in the table"):
        suppress(t, 5, columns=["x"])
    with pytest.raises(ArgumentError):
        suppress([1, 2], 5)


def test_no_counts_no_change():
    t = pd.DataFrame({"occupancy": [0.5, 0.9]})
    pd.testing.assert_frame_equal(suppress(t, 10), t)


# ------------------------------------------------------------------ property
def _lines(mask: np.ndarray, crosstab: bool):
    yield from (mask[:, j] for j in range(mask.shape[1]))
    if crosstab:
        yield from (mask[i, :] for i in range(mask.shape[0]))


@given(
    cells=st.integers(1, 6).flatmap(
        lambda ncol: st.lists(
            st.lists(st.integers(0, 40), min_size=ncol, max_size=ncol), min_size=2, max_size=8
        )
    ),
    threshold=st.integers(1, 15),
)
def test_no_hidden_cell_recoverable_from_totals(cells, threshold):
    frame = pd.DataFrame(cells, columns=[f"c{j}" for j in range(len(cells[0]))])
    crosstab = frame.shape[1] >= 2
    mask = suppression_mask(frame, threshold).to_numpy()
    values = frame.to_numpy()
    # every small non-zero count is hidden, and no zero
    assert mask[(values > 0) & (values < threshold)].all()
    assert not mask[values == 0].any()
    # in every line (column, or row of a cross-table) the hidden cells protect each other:
    # with h hidden summing to S, each lies anywhere in [1, S - h + 1], at least
    # `threshold` values; unless no visible non-zero cell is left to hide (then the line's
    # total is itself the small count, and not this table's to hide)
    for line_mask, line_values in zip(_lines(mask, crosstab), _lines(values, crosstab),
                                      strict=True):
        h = int(line_mask.sum())
        if h == 0:
            continue
        s = int(line_values[line_mask].sum())
        if h < 2 or s - h + 1 < threshold:
            assert not ((line_values > 0) & ~line_mask).any()
    # the display never shows a small non-zero count
    shown = suppress(frame, threshold).to_numpy()
    for v in shown[~mask]:
        assert v == 0 or v >= threshold


# ------------------------------------------------------------------ CSV
@pytest.mark.parametrize(
    "value,expected",
    [("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("-12.5", "-12.5"), ("+3", "+3"), ("ward A", "ward A"), (-4, -4),
     (2.5, 2.5), (None, None)],
)
def test_neutralize_value(value, expected):
    assert neutralize_value(value) == expected


def test_neutralize_csv_keeps_numbers_numeric():
    t = pd.DataFrame({"ward": ["=HYPERLINK(\"http://x\")", "@a", "B"], "change": [-3, 4, -1.5]},
                     index=pd.Index(["-lbl", "ok", "+z"], name="g"))
    out = neutralize_csv(t)
    assert out["ward"].tolist() == ["'=HYPERLINK(\"http://x\")", "'@a", "B"]
    assert out["change"].dtype.kind == "f" and out["change"].tolist() == [-3, 4, -1.5]
    assert list(out.index) == ["'-lbl", "ok", "'+z"]
    text = out.to_csv()
    assert "\n'-lbl,\"'=HYPERLINK" in text and ",-3.0\n" in text


# ------------------------------------------------------------ the report's privacy


def _strict(text):
    """Parse JSON refusing NaN and Infinity (RFC 8259)."""
    def bad(token):
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=bad)


@pytest.mark.parametrize("method", [None, pytest.param("suppress:10", marks=pytest.mark.slow),
                                    "hes"])
def test_json_is_strict_with_an_infinite_cost(method, tmp_path):
    df = hp.datasets.load_sample().head(300).copy()
    df.loc[df.index[5], "cost"] = np.inf
    rep = build_report(df, privacy=method)
    data = _strict(to_json(rep))
    assert data["kpis"][0]["kpi"] == "admissions"
    _strict(write_report(rep, tmp_path / "k.json").read_text(encoding="utf-8"))
    assert payload(rep)["hospitalytics_version"] == hp.__version__


def test_cli_json_is_strict_with_an_infinite_cost(tmp_path, capsys):
    df = hp.datasets.load_sample().head(200).copy()
    df["cost"] = df["cost"].astype(object)
    df.loc[df.index[3], "cost"] = "inf"
    path = tmp_path / "stays.csv"
    df.to_csv(path, index=False)
    assert cli.main(["summary", str(path), "--format", "json"]) == 0
    _strict(capsys.readouterr().out)


def test_privacy_and_its_suppress_alias():
    df = hp.datasets.load_sample()
    rep = build_report(df, suppress=10)
    assert rep.privacy == parse_privacy("suppress:10") and rep.threshold == 10
    assert build_report(df, suppress=10, privacy="suppress:10").privacy.threshold == 10
    with pytest.raises(ArgumentError, match="disagree"):
        build_report(df, suppress=10, privacy="hes")
    with pytest.raises(ArgumentError, match="whole number"):
        build_report(df, suppress=True)
    with pytest.raises(ArgumentError, match="suppress:N"):
        build_report(df, privacy="round:5")
    assert build_report(df).privacy is None


def test_hes_report_publishes_rounded_counts_and_stars():
    rep = build_report(hp.datasets.load_sample(), hp.datasets.load_sample_beds(),
                       start="2025-11-01", privacy="hes")
    assert rep.privacy.method == "hes" and rep.threshold == 8
    for key, table in rep.tables.items():
        shown, display = table.published(), table.display()
        for col in table.counts:
            values = shown[col].dropna()
            assert (values % 5 == 0).all(), key
            hidden = table.mask[col]
            assert shown[col][hidden].isna().all()
            assert set(display[col][hidden]) <= {"*", "[c]"}
    panel = rep.summary_published()
    for kpi in ("admissions", "discharges", "bed_days", "in_patients"):
        for col in ("period", "mtd", "previous_mtd"):
            v = panel.at[kpi, col]
            assert np.isnan(v) or v % 5 == 0
    # the change is computed from what is published
    adm = panel.loc["admissions"]
    assert adm["change"] == adm["mtd"] - adm["previous_mtd"]
    # ALOS from the rounded total length of stay and the rounded stays
    pub = rep.publication
    days = pub.values[pub.id(("alos_los", "period"))]
    n = pub.values[pub.id(("alos_n", "period"))]
    assert days / n == pytest.approx(rep.summary.at["alos", "period"])
    assert panel.at["alos", "period"] == pytest.approx(hes_round(days) / hes_round(n))


def test_suppress_report_hides_and_marks():
    # 14-15 Dec 2025: admissions by age group 14, 31, 32, 32, 21, 13; 26 in-patients with
    # LOS 21+ days
    rep = build_report(hp.datasets.load_sample(), start="2025-12-14", privacy="suppress:30")
    t = rep.tables["by_age_group"]
    shown, display = t.published(), t.display()
    assert t.n_hidden == int(t.mask.to_numpy().sum()) > 0
    assert shown[t.mask].isna().all().all()
    # counts read "<30"; costs and means (not counts) read "withheld"
    def marks(cols):
        return set(display[cols].to_numpy()[t.mask[cols].to_numpy()])

    assert marks(["admissions", "patients"]) == {"<30"}
    assert marks(["total_cost", "mean_cost"]) == {"withheld"}
    visible = shown["admissions"].dropna()
    assert len(visible) > 0 and ((visible == 0) | (visible >= 30)).all()
    records = {r["kpi"]: r for r in summary_records(rep)}
    assert records["los_21plus"]["period"] == "<30"


def test_notes_keep_their_words_not_their_numbers():
    rep = build_report(hp.datasets.load_sample(), privacy="suppress:10")
    note = next(n for n in rep.notes if "discharge date" in n)
    assert not re.search(r"\d", note.replace("2025-12-15", ""))
    assert note.startswith("n stay(s) have no discharge date")
    plain = build_report(hp.datasets.load_sample())
    assert any(n.startswith("266 stay(s)") for n in plain.notes)


def test_cleaning_counts_follow_the_rule():
    raw = pd.DataFrame({"admission_date": [f"2025-01-0{d}" for d in range(1, 10)] + [""],
                        "ward": list("AB") * 5})
    counts = build_report(raw, privacy="suppress:5").cleaning_counts()
    assert counts["rejected"]["missing_admission_date"] == "<5"
    assert counts["rejected"]["duplicate"] == 0
    assert build_report(raw).cleaning_counts()["rows_rejected"] == 1
    hes = build_report(raw, privacy="hes").cleaning_counts()
    assert hes["rows_read"] in (10, "[c]") and hes["rows_rejected"] == "*"


def test_html_under_hes():
    rep = build_report(hp.datasets.load_sample(), privacy="hes")
    page = render_html(rep, charts=True)
    assert "NHS Digital" in page and "rounded to the nearest 5" in page
    # the charts draw the published (rounded) tables, and say so under the chart
    assert "<img" in page and "Drawn from the published values" in page


def test_dashboard_image_under_hes(tmp_path, monkeypatch):
    rep = build_report(hp.datasets.load_sample(), privacy="hes")
    seen = {}
    real = _charts.dashboard_figure

    def spy(report):
        seen["cards"] = report.summary_display()
        seen["tables"] = {k: t.published() for k, t in report.tables.items()}
        return real(report)

    monkeypatch.setattr(_charts, "dashboard_figure", spy)
    out = write_report(rep, tmp_path / "d.png")
    assert out.stat().st_size > 10_000
    assert seen["cards"].at["admissions", "mtd"] % 5 == 0
    assert (seen["tables"]["by_department"]["admissions"] % 5 == 0).all()


def test_html_tables_show_only_published_values():
    rep = build_report(hp.datasets.load_sample(), hp.datasets.load_sample_beds(),
                       start="2025-11-20", privacy="suppress:10")
    page = render_html(rep, charts=False)
    for key, table in rep.tables.items():
        body = page.split(f'data-table="{key}"', 1)[1].split("</table>", 1)[0]
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", body)
        display = table.display().to_numpy().ravel()
        assert len(cells) == len(display)
        for text, value in zip(cells, display, strict=True):
            if isinstance(value, str):
                assert text == value.replace("<", "&lt;")
            elif not (isinstance(value, float) and np.isnan(value)):
                assert text != "" and text != "&lt;10"


def test_cli_privacy_option(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["report", "--sample", "--privacy", "hes", "-o", "k.json"]) == 0
    data = _strict((tmp_path / "k.json").read_text(encoding="utf-8"))
    assert data["privacy"]["method"] == "hes" and data["privacy"]["marker"] == "*"
    adm = next(k for k in data["kpis"] if k["kpi"] == "admissions")
    assert adm["period"] % 5 == 0
    assert cli.main(["summary", "--sample", "--privacy", "suppress:10"]) == 0
    out = capsys.readouterr().out
    assert "Counts below 10 are hidden" in out and "<10" in out
    assert cli.main(["summary", "--sample", "--privacy", "suppress:ten"]) == 1
    assert "suppress:N" in capsys.readouterr().err
    assert cli.main(["summary", "--sample", "--privacy", "hes", "--suppress", "10"]) == 1
    assert "disagree" in capsys.readouterr().err


def test_a_table_the_pass_does_not_know_is_withheld(monkeypatch):
    import hospitalytics.report as report

    real = report._tables

    def with_extra(*args):
        tables, aux = real(*args)
        frame = pd.DataFrame({"admissions": [40, 3]}, index=["Ward A", "Ward B"])
        tables["by_ward"] = report.Table("by_ward", "Admissions by ward", frame,
                                         {"admissions": "count"}, counts=("admissions",))
        return tables, aux

    monkeypatch.setattr(report, "_tables", with_extra)
    rep = build_report(hp.datasets.load_sample(), privacy="suppress:10")
    assert rep.tables["by_ward"].display()["admissions"].tolist() == ["<10", "<10"]
    assert rep.tables["by_ward"].published()["admissions"].isna().all()


def test_a_rate_over_an_unpublished_denominator_is_withheld(monkeypatch):
    import hospitalytics.report as report

    real = report.kpis.summary

    def odd_rate(*args, **kwargs):
        out = real(*args, **kwargs)
        out.loc["readmission_rate_30d", "period"] = 0.123456  # not k / discharges
        return out

    monkeypatch.setattr(report.kpis, "summary", odd_rate)
    rep = build_report(hp.datasets.load_sample(), privacy="suppress:10")
    assert rep.summary_display().at["readmission_rate_30d", "period"] == "withheld"


# ------------------------------------------------------ markers, cleaning counts, CLI
def _probe_hospital():
    """60 stays over three months in three wards, three still in hospital."""
    rng = np.random.default_rng(7)
    adm = (pd.Timestamp("2024-01-02") + pd.to_timedelta(rng.integers(0, 85, 60), "D")
           + pd.Timedelta(hours=10))
    dis = pd.Series(adm.normalize() + pd.to_timedelta(rng.integers(0, 8, 60), "D")
                    + pd.Timedelta(hours=15))
    dis.iloc[:3] = pd.NaT
    return pd.DataFrame({"patient_id": np.arange(60) % 45, "admission_date": adm,
                         "discharge_date": dis,
                         "ward": np.array(["Ward A", "Ward B", "ICU"])[np.arange(60) % 3],
                         "department": np.where(np.arange(60) % 4 == 0, "Medicine",
                                                "Surgery")})


@pytest.mark.parametrize("method", ["suppress:10", "hes"])
def test_hidden_rates_and_means_read_withheld(method):
    """A rate, mean or share is not a count: hidden, it reads "withheld" (never "<10",
    which reads as a value, nor HES "*", which means a count from 1 to 7)."""
    rep = build_report(_probe_hospital(), privacy=method)
    p = rep.privacy
    seen = set()
    for t in rep.tables.values():
        shown = t.display()
        for c in shown.columns:
            if t.kinds.get(c) in ("pct", "days", "money"):
                marks = {v for v in shown[c] if isinstance(v, str)}
                assert marks <= {"withheld"}, (t.key, c, marks)
                seen |= marks
    disp = rep.summary_display()
    for kpi in ("alos", "average_daily_census", "occupancy", "readmission_rate_30d"):
        if kpi in disp.index:
            marks = {v for v in disp.loc[kpi, ["period", "mtd", "previous_mtd"]]
                     if isinstance(v, str)}
            assert marks <= {"withheld", "window open"}, (kpi, marks)
    assert "withheld" in seen
    assert p.marker in {v for t in rep.tables.values() for v in
                        t.display().to_numpy().ravel() if isinstance(v, str)}


def test_rows_read_is_never_below_rows_used():
    """Rows read >= rows used: a hidden rows read beside a published rows used >= 10
    reads "withheld", not "<10"."""
    frame = _probe_hospital()
    frame = pd.concat([frame, frame.iloc[:2].assign(admission_date="not a date")])
    rep = build_report(frame, privacy="suppress:10")
    c = rep.cleaning_counts()
    # 2 rows rejected (hidden), so rows read (62) is hidden with them
    assert (c["rows_read"], c["rows_rejected"]) == ("withheld", "<10")
    assert c["rows_used"] in (60, "withheld")  # which one the pass hides may vary


def test_cli_success_line_has_no_exact_count_under_privacy(tmp_path):
    path = tmp_path / "stays.csv"
    _probe_hospital().to_csv(path, index=False)
    out = tmp_path / "r.json"
    res = subprocess_cli("report", str(path), "--privacy", "suppress:10", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "60 stays" not in res.stdout
    assert "small numbers protected (suppress:10)" in res.stdout
    res = subprocess_cli("report", str(path), "-o", str(out))
    assert "60 stays" in res.stdout


def subprocess_cli(*args):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-m", "hospitalytics", *args], capture_output=True,
                          text=True, env=env, check=False)


def test_bidi_ward_names_from_the_beds_file_are_written_out(tmp_path):
    frame = _probe_hospital()
    evil = "Cost $5 to $10 \u202eevil"
    frame["ward"] = frame["ward"].replace("Ward B", evil)
    beds = pd.DataFrame({"ward": ["Ward A", evil, "ICU"], "beds": [4, 3, 1]})
    html = render_html(build_report(frame, beds, privacy="hes"))
    assert "\u202e" not in html
    assert "Cost $5 to $10 [U+202E]evil" in html


def test_hes_donut_centre_wedges_and_legend_agree():
    """Hidden bands: the centre is the total the shares were computed over (55, not the
    40 drawn), each wedge is its published share, a grey wedge holds the hidden stays."""
    import matplotlib.pyplot as plt

    from hospitalytics.plots import draw_los_donut

    table = pd.DataFrame({"stays": [np.nan, np.nan, 10.0, 30.0],
                          "share": [np.nan, np.nan, 10 / 55, 30 / 55]},
                         index=pd.Index(["0", "1", "2", "3-7"], name="los_band"))
    ax = draw_los_donut(table, missing="*")
    try:
        texts = [t.get_text() for t in ax.texts]
        assert "55" in texts and "40" not in texts
        wedges = [p for p in ax.patches if hasattr(p, "theta1")]
        spans = [round((w.theta2 - w.theta1) / 360, 4) for w in wedges]
        assert spans == [0.0, 0.0, round(10 / 55, 4), round(30 / 55, 4), round(15 / 55, 4)]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[0].endswith(": *") and legend[-1] == "hidden bands: 27.3% (15)"
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("method", ["suppress:10", "hes"])
def test_first_admission_day_is_not_published(method, tmp_path):
    """The default period starts on the first admission's day (2 Jan here); protected,
    it starts on the 1st of that month, so neither the header nor the Days column of
    the monthly table tells the day."""
    frame = _probe_hospital()
    assert frame["admission_date"].min().normalize() == pd.Timestamp("2024-01-02")
    plain = build_report(frame)
    assert plain.tables["monthly"].frame["days"].iloc[0] == 30
    rep = build_report(frame, privacy=method)
    assert rep.tables["monthly"].frame["days"].iloc[0] == 31
    html = write_report(rep, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "2 Jan 2024" not in html and "1 Jan 2024" in html
