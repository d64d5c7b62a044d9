"""One home for numbers and labels: hospitalytics._format and hospitalytics._text.

The same number must read the same on a chart, a KPI card, the HTML report and the CLI
("£36.7M" everywhere, not "36.66M" here and "£36.7M" there); labels from the data are
drawn literally, without control characters, and shortened on charts only.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib import cbook

import hospitalytics as hp
from hospitalytics import cli
from hospitalytics._format import (
    GOOD_DIRECTION,
    KINDS,
    KPI_GROUPS,
    UNIT_KIND,
    card_order,
    compact,
    fmt,
    fmt_change,
    is_missing,
    verdict,
)
from hospitalytics._text import BIDI_CONTROLS, chart_label, shorten, visible
from hospitalytics.report import build_report
from hospitalytics.report.html import render_html


# ------------------------------------------------------------------------ the contract
@pytest.mark.parametrize(("value", "kind", "text"), [
    (8000, "count", "8,000"),
    (36.4667, "count", "36.5"),
    (36_661_440.23, "money", "36,661,440.23"),
    (36_661_440.23, "money_compact", "36.7M"),
    (573_573.22, "money_compact", "574k"),
    (1_234, "money_compact", "1.2k"),
    (950, "money_compact", "950"),
    (999_600, "money_compact", "1.0M"),  # never "1000k"
    (9_970, "money_compact", "10k"),
    (999_960_000, "money_compact", "1.0B"),
    (-2_500_000, "money_compact", "-2.5M"),
    (4.6132, "days", "4.61"),
    (0.8531, "pct", "85.3%"),
    (0.8531, "pct_whole", "85%"),
    (173.1304, "float", "173.13"),
    (pd.Timestamp("2025-01-01"), "month", "2025-01"),
    ("Ward 3", "text", "Ward 3"),
    (3, "text", "3"),
    (math.inf, "count", "∞"),
])
def test_fmt_contract(value, kind, text):
    assert fmt(value, kind) == text


def test_fmt_currency_text_and_missing():
    assert fmt(36_661_440.23, "money_compact", currency="£") == "£36.7M"
    assert fmt(-2_500_000, "money_compact", currency="£") == "-£2.5M"
    assert fmt(12.5, "money", currency="€") == "€12.50"
    assert fmt("<10", "count") == "<10"  # a cell that is already text
    for missing in (None, float("nan"), np.nan, pd.NaT, pd.NA):
        assert fmt(missing, "pct") == "–"
        assert fmt(missing, "count", missing="*") == "*"
        assert is_missing(missing)
    assert not is_missing(0) and not is_missing("")
    with pytest.raises(ValueError, match="unknown number kind"):
        fmt(1, "percent")


def test_fmt_change():
    assert fmt_change(12, "count") == "+12"
    assert fmt_change(-3, "count") == "−3"
    assert fmt_change(0, "count") == "±0"
    assert fmt_change(-0.1261, "pct") == "−12.6 pp"
    assert fmt_change(-182_681.01, "money_compact", currency="£") == "−£183k"
    assert fmt_change(0.500962, "days") == "+0.50"
    assert fmt_change(None, "count") == "–" and fmt_change("<10", "count") == "<10"


def test_every_summary_unit_has_a_kind_and_compact_kinds():
    s = hp.summary(hp.datasets.load_sample(), hp.datasets.load_sample_beds())
    assert set(s["unit"]) <= set(UNIT_KIND)
    assert set(UNIT_KIND.values()) <= set(KINDS)
    assert compact("money") == "money_compact" and compact("pct") == "pct"


# --------------------------------------------------------- one number, one way, everywhere
@pytest.fixture(scope="module")
def report():
    return build_report(hp.datasets.load_sample(), hp.datasets.load_sample_beds())


def test_html_cards_and_chart_cards_write_each_number_the_same_way(report):
    pytest.importorskip("matplotlib")
    from hospitalytics.plots.cards import card_texts

    html = render_html(report, charts=False)
    for kpi, row in report.summary.iterrows():
        card = re.search(rf'data-kpi="{kpi}">.*?data-col="period">([^<]*)<', html).group(1)
        drawn = card_texts(kpi, row)["value"]
        assert drawn == card, kpi  # one text: "4.01 days" on both cards
    cost = report.summary.loc["treatment_cost", "period"]
    assert fmt(cost, "money_compact") == "254.8M"  # one decimal on every card


def test_cli_summary_and_html_table_write_each_number_the_same_way(report, capsys):
    assert cli.main(["summary", "--sample"]) == 0
    out = capsys.readouterr().out
    html = render_html(report, charts=False)
    for kpi, row in report.summary.iterrows():
        kind = UNIT_KIND[row["unit"]]
        text = fmt(row["period"], kind)
        assert re.search(rf"^{re.escape(row['label'])}\s+{re.escape(text)}\s", out, re.M), kpi
        assert f"<td>{text}</td>" in html, kpi


# ---------------------------------------------------------------------- what a change means
def test_verdict_follows_the_good_direction():
    assert verdict("alos", 4.2, 4.6) == "better"
    assert verdict("alos", 4.6, 4.2) == "worse"
    assert verdict("readmission_rate_30d", 0.07, 0.05) == "worse"
    assert verdict("los_21plus", 3, 6) == "better"
    assert verdict("admissions", 10, 20) == "neutral"
    assert verdict("treatment_cost", 10, 20) == "neutral"
    assert verdict("alos", 4.2, 4.2) == "same"
    assert verdict("alos", float("nan"), 4.2) == "neutral"
    assert verdict("alos", "<10", 4.2) == "neutral"
    assert verdict("no_such_kpi", 1, 2) == "neutral"
    # occupancy: nearer the 85% target is better, from either side
    assert verdict("occupancy", 0.90, 1.03) == "better"
    assert verdict("occupancy", 0.95, 0.88) == "worse"
    assert verdict("occupancy", 0.80, 0.70) == "better"
    assert verdict("occupancy", 0.70, 0.84) == "worse"


def test_card_order_groups_every_summary_kpi_with_the_headline_first():
    assert set(GOOD_DIRECTION) == {k for names in KPI_GROUPS.values() for k in names}
    s = hp.summary(hp.datasets.load_sample(), hp.datasets.load_sample_beds())
    order = card_order(s.index)
    assert [g for g, _ in order] == ["headline", "flow", "capacity", "quality"]
    assert order[0][1] == ["admissions", "discharges", "treatment_cost", "alos", "occupancy"]
    flat = [k for _, names in order for k in names]
    assert sorted(flat) == sorted(s.index)  # every KPI once
    assert card_order(["admissions", "average_daily_census", "new_kpi"]) == [
        ("headline", ["admissions", "average_daily_census"]), ("other", ["new_kpi"])]


# ------------------------------------------------------------------------------ labels
def test_visible_writes_out_controls_and_bidi():
    assert visible("Ward\u202eA") == "Ward[U+202E]A"
    assert visible("a\x00b\x1bc\x7f") == "a[U+0000]b[U+001B]c[U+007F]"
    assert visible("line\nbreak\ttab\u2028sep") == "line break tab sep"
    for ch in BIDI_CONTROLS:
        assert ch not in visible(f"x{ch}y")
    assert visible("Médecine générale 内科") == "Médecine générale 内科"  # letters kept
    assert visible(3) == "3"


def test_shorten_and_chart_label():
    assert shorten("abc", 4) == "abc"
    assert shorten("abcdef", 4) == "abc…"
    assert len(shorten("x" * 1_000_000)) == 40
    assert shorten("cafe\u0301 au lait", 5) == "caf…"  # never splits an accent off
    assert shorten("cafe\u0301 au lait", 6) == "cafe\u0301…"
    label = chart_label("Cost $5 to $10")
    assert label == r"Cost \$5 to \$10"
    assert not cbook.is_math_text(label)
    assert not cbook.is_math_text(chart_label(r"$\frac{1}{$"))
    assert chart_label("y" * 100, None) == "y" * 100
