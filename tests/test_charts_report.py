"""The report's charts: an explicit wiring, drawn from the report's tables, privacy-aware.

- every table of the report has a row in ``WIRING`` (no signature introspection);
- a chart draws the table the report computed (with its period and definitions), never
  the stays again: the number on a card is the summary's;
- privacy: "suppress" withholds a chart whose table hides cells; "hes" draws the
  published (rounded) table with a note; anything else withholds;
- hostile labels (mathtext, a megabyte, bidi overrides) never stop a report.
"""

from __future__ import annotations

import re
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import cli
from hospitalytics._format import fmt
from hospitalytics.errors import ArgumentError, DataQualityWarning
from hospitalytics.report import _charts, build_report, write_report
from hospitalytics.report._charts import HES_NOTE, WIRING, dashboard_figure, draw_charts

pytest.importorskip("matplotlib")
from hospitalytics import plots  # noqa: E402


@pytest.fixture(scope="module")
def sample():
    return hp.datasets.load_sample(), hp.datasets.load_sample_beds()


@pytest.fixture(scope="module")
def report(sample):
    return build_report(*sample)


def texts(fig) -> list[str]:
    return [t.get_text() for a in fig.axes for t in [*a.texts, *[x for c in a.child_axes
                                                                 for x in c.texts]]]


# ------------------------------------------------------------------------- the wiring
def test_every_report_table_has_a_chart_in_the_wiring(report):
    wired = {w.table for w in WIRING}
    assert set(report.tables) <= wired
    assert {w.chart for w in WIRING} <= set(plots.__all__)
    source = Path(_charts.__file__).read_text(encoding="utf-8")
    assert "import inspect" not in source and "signature(" not in source
    assert not hasattr(_charts, "_call") and not hasattr(_charts, "_accepts_suppress")


def test_charts_draw_the_report_tables_not_the_stays(sample, monkeypatch):
    rep = build_report(*sample)
    rep.data = None  # a chart that went back to the stays would fail
    seen = []
    for name in {f"draw_{wire.chart}" for wire in WIRING}:
        real = getattr(plots, name)

        def spy(table, *args, _real=real, **kwargs):
            seen.append(table)
            return _real(table, *args, **kwargs)

        monkeypatch.setattr(plots, name, spy)
    charts = draw_charts(rep)
    assert [c.table for c in charts] == list(rep.tables)
    assert all(c.png and c.png[:4] == b"\x89PNG" for c in charts), [c.note for c in charts]
    assert len(seen) == len(rep.tables)
    for (key, table), drawn in zip(rep.tables.items(), seen, strict=True):
        assert drawn is table.frame, key


def test_the_card_draws_the_reports_alos_under_hcup(sample):
    rep = build_report(*sample, definitions="hcup")
    who = hp.summary(*sample)
    alos = rep.summary.loc["alos", "period"]
    assert alos == pytest.approx(hp.summary(*sample, definitions="hcup").loc["alos", "period"])
    assert fmt(alos, "days") != fmt(who.loc["alos", "period"], "days")
    fig = dashboard_figure(rep)
    shown = texts(fig)
    assert f"{fmt(alos, 'days')} days" in shown
    assert f"{fmt(who.loc['alos', 'period'], 'days')} days" not in shown
    # every card shows the summary's own numbers
    for kpi in ("admissions", "occupancy", "treatment_cost"):
        kind = "money_compact" if kpi == "treatment_cost" else (
            "pct" if kpi == "occupancy" else "count")
        assert fmt(rep.summary.loc[kpi, "period"], kind) in shown, kpi


def test_cli_dashboard_with_definitions(tmp_path):
    out = tmp_path / "d.png"
    assert cli.main(["report", "--sample", "--definitions", "hcup", "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"


# ---------------------------------------------------------------------------- privacy
def test_suppress_withholds_charts_with_hidden_cells(sample):
    rep = build_report(*sample, start="2025-12-01", suppress=20)
    hidden = {k for k, t in rep.tables.items() if t.n_hidden}
    assert hidden and hidden != set(rep.tables)
    charts = {c.table: c for c in draw_charts(rep)}
    for key in rep.tables:
        if key in hidden:
            assert charts[key].png is None
            assert "withheld" in charts[key].note and "below 20" in charts[key].note
        else:
            assert charts[key].png
    # the dashboard follows the same rule panel by panel, and its cards show "<30"
    fig = dashboard_figure(rep)
    shown = texts(fig)
    assert sum(t.startswith("Not available: withheld") for t in shown) == len(
        hidden & {"monthly", "by_department", "los_distribution", "by_age_group",
                  "by_treatment", "occupancy_by_ward", "monthly_occupancy_by_ward"})
    headline = ["admissions", "discharges", "treatment_cost", "alos", "occupancy"]
    hidden_cards = rep.summary_mask.loc[headline].to_numpy().any()
    assert any("<30" in t for t in shown) == hidden_cards


def _hes(frame: pd.DataFrame, counts) -> pd.DataFrame:
    """The NHS HES rule on ``counts`` columns: 1-7 as "*", others to the nearest 5."""
    out = frame.astype({c: object for c in counts})
    for c in counts:
        v = frame[c].to_numpy(dtype="float64")
        out[c] = [("*" if 0 < x <= 7 else float(5 * np.round(x / 5))) for x in v]
    return out


def test_hes_draws_the_published_table_with_a_note(sample, monkeypatch):
    df, beds = sample
    small = df.copy()
    small["department"] = small["department"].cat.add_categories(["Tiny unit"])
    small.loc[small.index[:3], "department"] = "Tiny unit"  # 3 admissions: shown as *
    rep = build_report(small, beds)
    rep.privacy = types.SimpleNamespace(method="hes")
    for t in rep.tables.values():
        t.published = (lambda t=t: _hes(t.frame, t.counts))
    drawn = {}
    real_png = _charts._png

    def capture(fig, caption=""):
        png = real_png(fig, caption)
        drawn[fig.axes[0].get_title(loc="left")] = (
            [x.get_text() for a in fig.axes for x in a.texts],
            [x.get_text() for x in fig.texts])
        return png

    monkeypatch.setattr(_charts, "_png", capture)
    charts = {c.table: c for c in draw_charts(rep)}
    assert all(c.png for c in charts.values())
    assert {c.caption for c in charts.values() if rep.tables[c.table].counts} == {HES_NOTE}
    labels, notes = drawn["Admissions by department"]
    assert notes == []  # the caption is the page's text under the image, not pixels
    assert "*" in labels  # the tiny unit
    counts = rep.tables["by_department"].frame["admissions"]
    assert fmt(5 * round(counts.max() / 5), "count") in labels
    assert fmt(counts.max(), "count") not in labels or counts.max() % 5 == 0
    fig = dashboard_figure(rep)
    assert fig.get_supxlabel() == HES_NOTE


def test_hes_without_published_tables_and_unknown_methods_withhold(report):
    rep = build_report(hp.datasets.load_sample())
    rep.privacy = "hes"
    for t in rep.tables.values():
        t.published = None  # a table with no published (rounded) form
    assert all(c.png is None and "published" in c.note for c in draw_charts(rep))
    rep.privacy = "k-anonymity"
    assert all(c.png is None and "unknown privacy method" in c.note for c in draw_charts(rep))
    assert _charts.privacy_method(types.SimpleNamespace(privacy="suppress:10")) == "suppress"
    assert _charts.privacy_method(types.SimpleNamespace(privacy=None, threshold=5)) \
        == "suppress"
    assert _charts.privacy_method(types.SimpleNamespace(privacy=None, threshold=None)) is None


def test_draw_functions_label_missing_values(sample):
    counts = pd.Series({"A": 120.0, "B": np.nan, "C": 40.0})
    ax = plots.draw_volume_by(counts, missing="*")
    assert [t.get_text() for t in ax.texts] == ["120", "40", "*"]
    assert [p.get_width() for p in ax.patches] == [120, 40, 0]


# ------------------------------------------------------------------------- volume by
def test_report_draws_volume_by_location_too(report):
    assert list(report.tables)[:3] == ["monthly", "by_department", "by_location"]
    loc = report.tables["by_location"]
    expected = hp.admissions(hp.datasets.load_sample(), by="location")
    assert loc.frame["admissions"].to_dict() == expected.to_dict()
    assert loc.title == "Admissions by location"
    # the tables are sorted like their charts: largest first
    dept = report.tables["by_department"].frame["admissions"]
    assert dept.is_monotonic_decreasing
    ax = plots.draw_volume_by(report.tables["by_department"].frame)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(dept.index)


def test_build_report_by(sample):
    rep = build_report(*sample, by="ward")
    assert [k for k in rep.tables if k.startswith("by_") and k not in (
        "by_age_group", "by_treatment")] == ["by_ward"]
    rep = build_report(sample[0], by=["location", "department"])
    assert "by_location" in rep.tables and "by_department" in rep.tables
    with pytest.raises(ArgumentError, match="by must be"):
        build_report(sample[0], by="treatment")


def test_cli_by_flag(tmp_path):
    out = tmp_path / "r.html"
    assert cli.main(["report", "--sample", "--by", "ward", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert 'data-table="by_ward"' in html and 'data-table="by_department"' not in html
    assert re.search(r'id="by_ward".*?data:image/png', html, re.S)


# ---------------------------------------------------------------------- hostile labels
HOSTILE = ["Cost $5 to $10", "$\\frac{1}{$", "Ward\u202eevil", "W" * 1_000_000]


def test_hostile_ward_names_never_stop_a_report(tmp_path):
    n = len(HOSTILE)
    names = np.repeat(np.array(HOSTILE, dtype=object), 20)  # not "<U1000000"
    days = pd.date_range("2025-01-01", periods=20, freq="3D")
    df = pd.DataFrame({
        "admission_date": np.tile(days, n),
        "discharge_date": np.tile(days + pd.Timedelta(days=2), n),
        "ward": names,
        "department": names,
        "treatment": names,
        "cost": 100.0,
        "age": 50,
    })
    beds = {w: 3 for w in HOSTILE}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        rep = build_report(df, beds)
        charts = draw_charts(rep)
    assert all(c.png for c in charts), [c.note for c in charts]
    out = write_report(rep, tmp_path / "r.html")
    assert out.stat().st_size > 1_000_000  # the tables keep the full name
    ax = plots.draw_volume_by(rep.tables["by_department"].frame, top=None)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert r"Cost \$5 to \$10" in labels
    assert r"\$\frac{1}{\$" in labels
    assert "Ward[U+202E]evil" in labels
    assert "W" * 24 + "\n" + "W" * 15 + "…" in labels  # shortened, then wrapped
    assert max(len(line) for x in labels for line in x.split("\n")) <= 24
    # the charts above rendered (no mathtext parse error, no "Image size too large");
    # so does the dashboard
    fig = dashboard_figure(rep)
    fig.savefig(tmp_path / "d.png", dpi=40)
