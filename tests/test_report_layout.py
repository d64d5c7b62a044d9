"""The report as an administrator reads it (issues 14, 15 and 16).

- the real dates everywhere (HTML header, JSON, terminal summary, dashboard), never
  "the first record";
- cards coloured by what a change means (the shared card rules), grouped, headline first;
- table details: "Length of stay", a currency option, occupancy over 100% explained,
  the readmission rate's open follow-up window said in words;
- the as-of date before the data noted by ``build_report`` itself; notes shown visibly;
- process limits on the monthly admissions and the latest-month signals, from the
  published table under a privacy method;
- the "Next 4 weeks" section: the outlook by ward, switchable, withheld under privacy,
  and explained without statsmodels.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import cli
from hospitalytics._format import (
    OCCUPANCY_OVER_NOTE,
    VERDICT_COLORS,
    card_order,
    card_texts,
    verdict,
)
from hospitalytics.report import build_report, payload, to_json, write_report
from hospitalytics.report._analysis import MIN_MONTHLY, SIGNAL_MEANING, table_signals
from hospitalytics.report._charts import HES_NOTE
from hospitalytics.report.html import render_html

HEADER = "1 Oct 2023 – 15 Dec 2025 · month to date 1–15 Dec 2025 · as of 15 Dec 2025"


@pytest.fixture(scope="module")
def sample():
    return hp.datasets.load_sample(), hp.datasets.load_sample_beds()


@pytest.fixture(scope="module")
def report(sample):
    return build_report(*sample)


@pytest.fixture(scope="module")
def page(report):
    return render_html(report, charts=False)


def cards_of(page: str) -> dict[str, dict[str, str]]:
    """``{kpi: {"verdict", "group", "value", "mtd", "previous", "change", "color"}}``."""
    out = {}
    for group, body in re.findall(r'data-group="([^"]+)">(.*?)</div></div></div>', page):
        for verdict_, kpi, card in re.findall(
                r'<div class="card" data-verdict="([^"]+)" data-kpi="([^"]+)">(.*?)'
                r'(?=<div class="card"|$)', body + "</div>"):
            grab = {k: re.search(rf'data-col="{k}"[^>]*>([^<]*)<', card).group(1)
                    for k in ("period", "mtd", "previous_mtd", "change")}
            color = re.search(r'style="color:(#[0-9A-Fa-f]{6})"', card).group(1)
            out[kpi] = {"verdict": verdict_, "group": group, **grab, "color": color}
    return out


def section(page: str, table: str) -> str:
    return page.split(f'data-table="{table}"', 1)[1].split("</table>", 1)[0]


# ------------------------------------------------------------------------------ dates
def test_the_real_dates_are_shown_everywhere(report, page, sample, capsys):
    attrs = report.summary.attrs
    assert (attrs["start"], attrs["end"], attrs["mtd_start"], attrs["previous_mtd_end"]) \
        == ("2023-10-01", "2025-12-15", "2025-12-01", "2025-11-15")
    assert attrs["period"] == "2023-10-01 to 2025-12-15 (as of 2025-12-15)"
    assert report.period_text == HEADER
    assert '<p class="period" data-start="2023-10-01" data-end="2025-12-15"' in page
    assert HEADER in page and "first record" not in page
    data = json.loads(to_json(report))
    assert data["period_text"] == HEADER
    assert (data["start"], data["end"], data["as_of"]) == ("2023-10-01", "2025-12-15",
                                                            "2025-12-15")
    assert cli.main(["summary", "--sample"]) == 0
    out = capsys.readouterr().out
    assert f"Period: {HEADER}\n" in out and "first record" not in out
    pytest.importorskip("matplotlib")
    from hospitalytics.report._charts import dashboard_figure

    fig = dashboard_figure(report)
    titles = [a.get_title(loc="left") for a in fig.axes]
    assert "Period: 1 Oct 2023 – 15 Dec 2025 · month to date 1–15 Dec 2025 vs 1–15 Nov " \
        "2025 · as of 15 Dec 2025" in titles
    assert not any("first record" in t for t in [*titles, fig.get_suptitle()])


def test_a_bounded_period_and_an_as_of_before_the_data(sample):
    df, beds = sample
    s = hp.summary(df, beds, start="2025-01-01", end="2025-06-30")
    assert (s.attrs["start"], s.attrs["end"]) == ("2025-01-01", "2025-06-30")
    # before the first admission the period has no first day: "up to", never "first record"
    rep = build_report(df, as_of="2020-01-01", forecast=False)
    assert rep.period_text.startswith("up to 1 Jan 2020 · month to date 1 Jan 2020")
    # the note is build_report's own, not only the command line's
    assert ("nothing had been admitted yet on the as-of date, 1 Jan 2020: the first "
            "admission in the data is on 1 Oct 2023, so every figure is 0") in " ".join(
        rep.notes)
    # its dates survive the privacy pass, which withholds the numbers of other notes
    hidden = build_report(df, as_of="2020-01-01", privacy="suppress:10", forecast=False)
    assert any(n.startswith("nothing had been admitted yet on the as-of date, 1 Jan 2020")
               for n in hidden.notes)


# ------------------------------------------------------------------------------ cards
def test_cards_follow_the_card_rules(report, page):
    cards = cards_of(page)
    order = card_order(report.summary.index)
    assert list(cards) == [k for _, names in order for k in names]
    assert [g for g, _ in order][:1] == ["headline"] and len(cards) == 13
    assert [k for k, c in cards.items() if c["group"] == "headline"] == [
        "admissions", "discharges", "treatment_cost", "alos", "occupancy"]
    s = report.summary
    # by hand: ALOS 3.97 this month against 4.09 is better; 82 stays of 7+ days against 96
    # is better; admissions have no good direction; occupancy 89.9% is farther from 85%
    # than 88.6% was: worse
    assert s.loc["alos", "mtd"] < s.loc["alos", "previous_mtd"]
    assert cards["alos"]["verdict"] == "better" and cards["alos"]["change"].endswith("better")
    assert cards["alos"]["color"] == VERDICT_COLORS["better"] == "#0072B2"
    assert cards["los_7plus"]["verdict"] == "better"
    assert s.loc["occupancy", "previous_mtd"] < s.loc["occupancy", "mtd"] < 0.92
    assert cards["occupancy"]["verdict"] == "worse"
    assert cards["occupancy"]["color"] == VERDICT_COLORS["worse"] == "#B34A00"
    assert cards["admissions"]["verdict"] == "neutral"
    assert "better" not in cards["admissions"]["change"]
    for kpi, c in cards.items():  # the HTML and the dashboard share one card text
        row = report.summary_display().loc[kpi]
        t = card_texts(kpi, row, attrs=s.attrs)
        assert (c["period"], c["change"], c["verdict"]) == (
            t["value"], t["change"], t["verdict"]), kpi
        if kpi != "readmission_rate_30d":  # its month to date is missing: neutral
            assert t["verdict"] == verdict(kpi, row["mtd"], row["previous_mtd"]), kpi


def test_the_dashboard_cards_say_the_same(report):
    pytest.importorskip("matplotlib")
    from hospitalytics import plots

    ax = plots.draw_kpi_cards(report.summary_display(), cards="all")
    shown = [t.get_text() for t in ax.texts]
    t = card_texts("alos", report.summary_display().loc["alos"])
    assert t["change"] in shown and t["change"].endswith(" better")
    # the readmission card says why its month to date is empty
    assert "MTD window open · prev. 6.9%" in shown and "follow-up not complete" in shown


# ----------------------------------------------------------------------- table details
def test_length_of_stay_heading_and_sorted_department(page, report):
    body = page.split('data-table="los_distribution"', 1)[1].split("</thead>", 1)[0]
    assert ">Length of stay</th>" in body and "Los band" not in page
    dept = report.tables["by_department"].frame["admissions"]
    assert dept.is_monotonic_decreasing


def test_currency_option(sample, tmp_path, capsys):
    plain = render_html(build_report(*sample, forecast=False), charts=False)
    assert "£" not in plain and "Costs in the currency of the data (no symbol" in plain
    rep = build_report(*sample, currency="£", forecast=False)
    html = render_html(rep, charts=False)
    treat = section(html, "by_treatment")
    cost = hp.by_treatment(sample[0]).loc["Surgery", "total_cost"]
    assert f"<td>£{cost:,.2f}</td>" in treat
    assert "Costs in £." in html
    assert re.search(r'data-kpi="treatment_cost">.*?data-col="period">£254\.8M<', html)
    assert json.loads(to_json(rep))["currency"] == "£"
    out = tmp_path / "c.html"
    assert cli.main(["report", "--sample", "--currency", "£", "--no-forecast", "-o",
                     str(out)]) == 0
    capsys.readouterr()
    assert "£254.8M" in out.read_text(encoding="utf-8")
    with pytest.raises(hp.errors.ArgumentError, match="currency"):
        build_report(*sample, currency=1)


def test_occupancy_over_100_percent_is_explained(sample, page, capsys, tmp_path):
    # the sample runs at 75-98% a month per ward: no value over 100%, no note
    assert "over 100%" not in page
    assert cli.main(["summary", "--sample"]) == 0
    assert "over 100%" not in capsys.readouterr().out
    # the same stays with 15% fewer beds in every ward: 88.6% in November becomes 104%
    df, beds = sample
    tight = beds.assign(beds=(beds["beds"] * 0.85).round().astype("int64"))
    report = build_report(df, tight, forecast=False)
    s = report.summary
    assert s.loc["occupancy", "previous_mtd"] > 1  # shown on its card
    tight_page = render_html(report, charts=False)
    head = tight_page.split("Charts and the tables behind them", 1)[0]
    assert "Bed occupancy over 100%: more patients than staffed beds" in head
    caption = tight_page.split('id="monthly_occupancy_by_ward"', 1)[1].split(
        "</div></div></div>")[0]
    assert OCCUPANCY_OVER_NOTE in caption  # cells over 100% in the heatmap's table
    ward = tight_page.split('id="occupancy_by_ward"', 1)[1].split("</div></div></div>")[0]
    assert report.tables["occupancy_by_ward"].frame["occupancy"].max() > 1
    assert OCCUPANCY_OVER_NOTE in ward
    tight.to_csv(tmp_path / "beds.csv", index=False)
    assert cli.main(["summary", "--sample", "--beds", str(tmp_path / "beds.csv")]) == 0
    assert "Bed occupancy over 100%" in capsys.readouterr().out


def test_the_readmission_month_to_date_says_window_open(report, page, sample, capsys):
    s = report.summary
    assert s.loc["readmission_rate_30d", "label"] == "30-day readmission rate"
    assert "(crude)" not in page
    # by hand: a discharge on 1 Dec 2025 has its 30-day window closed on 31 Dec, after
    # the as-of date (15 Dec); one on 1 Nov closed on 1 Dec: the previous month is known
    assert s.attrs["follow_up_open"] == ["mtd"]
    assert np.isnan(s.loc["readmission_rate_30d", "mtd"])
    cards = cards_of(page)
    assert cards["readmission_rate_30d"]["mtd"] == "window open"
    assert cards["readmission_rate_30d"]["change"] == "follow-up not complete"
    row = re.search(r'<tr data-kpi="readmission_rate_30d">(.*?)</tr>',
                    page.split('data-table="summary"', 1)[1]).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells == ["6.0%", "window open", "6.9%", "window open", "window open"]
    assert cli.main(["summary", "--sample"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines()
                if x.startswith("30-day readmission rate"))
    assert re.search(r"6\.0%\s+window open\s+6\.9%\s+window open$", line), line
    # as of 31 Dec the December discharges of the 1st have had their 30 days
    late = hp.summary(*sample, as_of="2025-12-31")
    assert late.attrs["follow_up_open"] == []


# --------------------------------------------------------------------- notes, captions
def test_notes_show_control_characters_visibly(sample, tmp_path):
    df, beds = sample
    df = df.copy()
    df["ward"] = df["ward"].cat.rename_categories({"Medical 1": "Ward\u202eA"})
    beds = beds[beds["ward"] != "Medical 1"]
    rep = build_report(df, beds, forecast=False)
    assert any("\u202e" in n for n in rep.notes)  # the true text is kept
    html = render_html(rep, charts=False)
    notes = html.split('id="notes"', 1)[1]
    assert "Ward[U+202E]A" in notes and "\u202e" not in notes
    data = payload(rep)
    assert any("Ward[U+202E]A" in n for n in data["notes"])
    assert not any("\u202e" in n for n in data["notes"] + data["omitted"])


def test_chart_captions_are_printed_under_the_images(sample):
    pytest.importorskip("matplotlib")
    rep = build_report(*sample, privacy="hes", forecast=False)
    html = render_html(rep, charts=True)
    captions = re.findall(r'<p class="caption chart-caption">([^<]*)</p>', html)
    drawn = html.count('<img src="data:image/png')
    assert drawn >= 6 and len(captions) == drawn
    assert set(captions) == {f"Drawn from the published values. {HES_NOTE}"}


def test_the_format_shim_is_gone():
    assert importlib.util.find_spec("hospitalytics.report._format") is None
    source = Path(cli.__file__).read_text(encoding="utf-8")
    assert "report._format" not in source and "from ._format import" in source


# ------------------------------------------------------------------------------- SPC
def _xmr(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and limits by hand: mean +/- 2.66 x the mean moving range, after dropping
    moving ranges of 3.267 x their mean or more."""
    mr = np.abs(np.diff(values))
    mr = mr[mr < 3.267 * mr.mean()]
    m = values.mean()
    return m, m - 2.66 * mr.mean(), m + 2.66 * mr.mean()


def test_process_limits_of_the_monthly_admissions(sample, report):
    m = hp.monthly(*sample)
    full = m["days"].to_numpy() == m.index.days_in_month.to_numpy()
    assert not full[-1] and full[:-1].all()  # December 2025 is partial: left out
    res = report.signals.admissions
    values = m["admissions"].to_numpy(dtype="float64")[full]
    np.testing.assert_array_equal(res["value"].to_numpy(), values)
    mean, lpl, upl = _xmr(values)
    assert res["mean"].iloc[0] == pytest.approx(mean)
    assert res["lpl"].iloc[0] == pytest.approx(lpl)
    assert res["upl"].iloc[0] == pytest.approx(upl)
    # the library's own route gives the same chart
    lib = hp.kpi_spc(sample[0], "admissions")
    np.testing.assert_allclose(lib[["mean", "lpl", "upl"]].to_numpy(),
                               res[["mean", "lpl", "upl"]].to_numpy())
    assert (lib["label"].astype(str).to_numpy() == res["label"].astype(str).to_numpy()).all()


def test_the_trend_chart_draws_the_reports_limits(report, monkeypatch):
    pytest.importorskip("matplotlib")
    from hospitalytics import plots
    from hospitalytics.report._charts import draw_charts

    seen = {}
    real = plots.draw_admission_trend

    def spy(table, *args, **kwargs):
        seen.update(kwargs)
        ax = real(table, *args, **kwargs)
        seen["ax"] = ax
        return ax

    monkeypatch.setattr(plots, "draw_admission_trend", spy)
    draw_charts(report)
    assert seen["spc"] is report.signals.admissions
    legend = [t.get_text() for t in seen["ax"].get_legend().get_texts()]
    assert {"Mean", "Process limits"} <= set(legend)
    flagged = report.signals.admissions["label"].astype(str) != "common cause"
    if flagged.any():
        assert "Special cause neutral" in legend


def test_signals_of_the_latest_month(report, sample, page):
    sig = report.signals.table
    lib = hp.analysis.spc_signals(*sample)
    pd.testing.assert_frame_equal(sig, lib)
    assert "Process signals in the latest month" in page and SIGNAL_MEANING in page
    flagged = [k for k in sig.index if sig.loc[k, "special_cause"]]
    if not flagged:
        assert "No KPI shows a special-cause signal" in page
    # the published-table route agrees with the library on the KPIs the table has
    table = table_signals(report.tables["monthly"], beds=True, privacy=None,
                          first_is_data_start=True)
    for kpi in ("admissions", "alos", "occupancy"):
        for col in ("value", "mean", "lpl", "upl"):
            assert table.loc[kpi, col] == pytest.approx(lib.loc[kpi, col]), (kpi, col)
        assert table.loc[kpi, "label"] == lib.loc[kpi, "label"]
        assert table.loc[kpi, "rules"] == lib.loc[kpi, "rules"]
    data = json.loads(to_json(report))["spc"]
    assert [r["kpi"] for r in data["signals"]] == list(sig.index)
    assert len(data["admissions"]) == len(report.signals.admissions)


def test_signals_under_hes_come_from_the_published_table(sample):
    rep = build_report(*sample, privacy="hes", forecast=False)
    monthly = rep.tables["monthly"].published()
    full = monthly["days"].to_numpy() == pd.DatetimeIndex(
        monthly.index).days_in_month.to_numpy()
    values = monthly["admissions"].to_numpy(dtype="float64")[full]
    assert (values % 5 == 0).all()  # rounded to the nearest 5
    res = rep.signals.admissions
    np.testing.assert_array_equal(res["value"].to_numpy(), values)
    assert res["mean"].iloc[0] == pytest.approx(_xmr(values)[0])
    sig = rep.signals.table
    assert "withheld" in sig.loc["readmission_rate", "note"]
    assert np.isnan(sig.loc["readmission_rate", "value"])
    assert sig.loc["admissions", "value"] == values[-1]
    # the figures of the published report are those the protection pass checked
    from hospitalytics.report.privacy import audit

    assert audit(rep).ok


def _small_hospital(counts: list[int]) -> pd.DataFrame:
    """One stay a day for ``counts[i]`` days of month i (2024), two nights each."""
    days = []
    for i, n in enumerate(counts):
        first = pd.Timestamp(2024, i + 1, 1)
        days += list(pd.date_range(first, periods=n, freq="D"))
    adm = pd.DatetimeIndex(days) + pd.Timedelta(hours=10)
    return pd.DataFrame({"patient_id": np.arange(len(adm)), "admission_date": adm,
                         "discharge_date": adm + pd.Timedelta(days=2)})


def test_signals_under_suppress_are_withheld_with_hidden_months():
    df = _small_hospital([25, 28, 4, 26, 27, 25, 12])
    rep = build_report(df, privacy="suppress:10", forecast=False)
    assert rep.tables["monthly"].mask["admissions"].any()
    assert rep.signals.admissions is None and "withheld" in rep.signals.note
    assert "withheld" in rep.signals.table.loc["admissions", "note"]
    html = render_html(rep, charts=False)
    assert "withheld" in html.split('id="signals"', 1)[1]


def test_too_few_admissions_a_month_for_limits():
    df = _small_hospital([3, 2, 4, 3, 2, 3, 2])
    rep = build_report(df, forecast=False)
    assert rep.signals.admissions is None and rep.signals.table is None
    assert f"at least {MIN_MONTHLY} a month" in rep.signals.note
    assert rep.signals.note in render_html(rep, charts=False)


# ------------------------------------------------------------------------- next 4 weeks
def test_next_four_weeks(report, sample, page):
    pytest.importorskip("statsmodels")
    t = report.outlook.table
    assert t.index[0] == "total" and set(t.index[1:]) == set(sample[1]["ward"])
    # the patients in hospital now: the KPI panel's in-patients, and the wards add up
    assert t.loc["total", "census_now"] == report.summary.loc["in_patients", "period"]
    assert t["census_now"].iloc[1:].sum() == t.loc["total", "census_now"]
    assert t.loc["total", "beds"] == sample[1]["beds"].sum()
    assert (t["admissions_lower"] <= t["admissions"]).all()
    assert (t["admissions"] <= t["admissions_upper"]).all()
    body = section(page, "forecast")
    assert "Whole hospital" in body and body.count("<tr") == len(t) + 1
    daily = report.outlook.daily
    assert len(daily) == 28 and daily["date"].iloc[0] == pd.Timestamp("2025-12-16")
    data = json.loads(to_json(report))["forecast"]
    assert data["groups"][0]["group"] == "total" and len(data["daily_total"]) == 28


def test_the_forecast_chart_and_table_agree(report):
    pytest.importorskip("statsmodels")
    pytest.importorskip("matplotlib")
    from hospitalytics.report._charts import draw_forecast_chart

    chart = draw_forecast_chart(report)
    assert chart.png[:4] == b"\x89PNG"
    from hospitalytics import plots

    ax = plots.forecast(report.data, beds=report.beds)
    subtitle = next(t.get_text() for t in ax.texts if t.get_text().startswith("Chance"))
    p = report.outlook.table.loc["total", "p_over_capacity_max"]
    assert f"at most {round(p * 100):.0f}% a day" in subtitle


def test_the_forecast_can_be_switched_off_and_is_withheld_under_privacy(sample, tmp_path,
                                                                       capsys):
    off = build_report(*sample, forecast=False)
    assert off.outlook.table is None and "switched off" in off.outlook.note
    out = tmp_path / "r.html"
    assert cli.main(["report", "--sample", "--no-forecast", "-o", str(out)]) == 0
    capsys.readouterr()
    html = out.read_text(encoding="utf-8")
    assert 'data-table="forecast"' not in html and "Forecast not shown: switched off" in html
    private = build_report(*sample, privacy="hes")
    assert private.outlook.table is None and "withheld" in private.outlook.note
    data = payload(private)["forecast"]
    assert "groups" not in data and "withheld" in data["note"]
    assert 'data-table="forecast"' not in render_html(private, charts=False)
    # read as of an earlier day, the data holds the future: no forecast from the past
    early = build_report(*sample, as_of="2025-06-30")
    assert early.outlook.table is None
    assert "last date in the data (15 Dec 2025)" in early.outlook.note


def test_without_statsmodels_the_section_says_how_to_get_it(sample, monkeypatch):
    monkeypatch.setitem(sys.modules, "statsmodels.api", None)
    rep = build_report(*sample)
    assert rep.outlook.table is None
    assert 'pip install "hospitalytics[forecast]"' in rep.outlook.note
    html = render_html(rep, charts=False)
    assert "Forecast not shown" in html and "hospitalytics[forecast]" in html


# ------------------------------------------------------------------------------ browser
def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    pytest.skip("no headless Chromium on PATH (apt-get install -y chromium)")


@pytest.mark.browser
@pytest.mark.slow
def test_no_table_scrolls_sideways_at_1400_pixels(report, tmp_path):
    binary = _chromium()
    html = write_report(report, tmp_path / "r.html").read_text(encoding="utf-8")
    # a copy that measures itself: the report forbids scripts, so the copy drops the CSP
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe = probe.replace("</body>", (
        "<script>document.body.setAttribute('data-clipped', Array.from("
        "document.querySelectorAll('.scroll')).filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.querySelector('table').dataset.table).join(','))</script></body>"))
    (tmp_path / "probe.html").write_text(probe, encoding="utf-8")
    profile = tmp_path / "profile"
    res = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--no-first-run", f"--user-data-dir={profile}",
         "--window-size=1400,3000", "--dump-dom", (tmp_path / "probe.html").as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'data-clipped="([^"]*)"', res.stdout)
    assert found, res.stderr[-500:]
    clipped = [t for t in found.group(1).split(",") if t]
    # the wide monthly tables fold into <details>; nothing else may scroll
    assert not [t for t in clipped if t in ("by_treatment", "by_age_group", "summary",
                                            "forecast", "signals", "occupancy_by_ward")], \
        clipped


def test_a_special_cause_in_the_latest_month_is_listed():
    df = _small_hospital([20, 21, 19, 20, 22, 20, 21, 19, 20, 31])
    rep = build_report(df, forecast=False)
    lib = hp.analysis.spc_signals(df)
    # by hand: mean 213 / 10 = 21.3; moving ranges 1 2 1 2 2 1 2 1 11, mean 23 / 9 = 2.56;
    # 11 >= 3.267 x 2.56 = 8.35 is screened out: 12 / 8 = 1.5; upper limit
    # 21.3 + 2.66 x 1.5 = 25.29 < 31
    mean, _, upl = _xmr(np.array([20, 21, 19, 20, 22, 20, 21, 19, 20, 31], dtype=float))
    assert (mean, upl) == (pytest.approx(21.3), pytest.approx(25.29))
    sig = rep.signals.table
    assert sig.loc["admissions", "upl"] == pytest.approx(upl)
    assert sig.loc["admissions", "rules"] == lib.loc["admissions", "rules"] \
        == "outside the limits"
    table = table_signals(rep.tables["monthly"], beds=False, privacy=None)
    assert table.loc["admissions", "rules"] == "outside the limits"
    assert table.loc["admissions", "note"] == lib.loc["admissions", "note"] \
        == "trial limits (10 points)"
    assert rep.signals.flagged == ["admissions"]
    html = render_html(rep, charts=False)
    assert re.search(r'<li class="flag">Admissions, Oct 2024: 31 \(special cause neutral: '
                     r"outside the limits\)</li>", html)
