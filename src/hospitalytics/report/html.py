"""The self-contained HTML page of a report.

One file, no network: inline CSS, charts embedded as base64 PNG, no JavaScript (a
Content-Security-Policy forbids scripts and remote content). Every piece of text that comes
from the data (ward, department and treatment names, file names) is HTML-escaped, so a
ward called ``<script>alert(1)</script>`` is shown as text. The page holds aggregates only:
no patient-level row and no identifier.

Examples
--------
>>> import hospitalytics as hp
>>> from hospitalytics.report import build_report
>>> page = render_html(build_report(hp.datasets.load_sample()), charts=False)
>>> page.startswith("<!DOCTYPE html>"), "<script" in page
(True, False)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._format import (
    OCCUPANCY_OVER_NOTE,
    UNIT_KIND,
    VERDICT_COLORS,
    card_order,
    card_texts,
    day_text,
    fmt,
    fmt_change,
    is_missing,
    missing_text,
    span_text,
)
from .._text import visible
from .._version import __version__
from ..kpis._summary import SUMMARY_ROWS
from ._analysis import SIGNAL_MEANING

if TYPE_CHECKING:  # pragma: no cover
    from . import Report, Table

__all__ = ["render_html"]

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,
sans-serif;color:#1f2933;background:#f4f6f8}
main{max-width:1280px;margin:0 auto;padding:24px 32px 48px}
header{background:#12355b;color:#fff;padding:20px 32px}
header .inner{max-width:1280px;margin:0 auto}
header h1{margin:0 0 4px;font-size:24px;font-weight:650}
header p{margin:2px 0;color:#d6e2ef}
header p.period{font-size:16px;color:#fff;margin:4px 0}
h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:2px solid #d9e2ec}
h3{font-size:15px;margin:0 0 8px}
.banner{background:#fff4d6;border:1px solid #f0c36d;border-radius:6px;padding:10px 14px;
margin:16px 0}
.group-name{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:#52606d;
margin:14px 0 6px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:12px}
@media (max-width:1100px){.cards{grid-template-columns:repeat(auto-fill,minmax(210px,1fr))}}
.card{background:#fff;border-radius:8px;padding:14px 16px;
box-shadow:0 1px 3px rgba(16,42,67,.12);border-top:4px solid #9aa5b1}
.card[data-verdict=better]{border-top-color:#0072B2}
.card[data-verdict=worse]{border-top-color:#B34A00}
.card .label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#52606d}
.card .value{font-size:26px;font-weight:700;margin:4px 0 2px;
font-variant-numeric:tabular-nums}
.card .sub{font-size:12.5px;color:#52606d;font-variant-numeric:tabular-nums}
.card .change{font-size:13px;margin-top:4px;font-variant-numeric:tabular-nums}
.better{color:#0072B2;font-weight:600}.worse{color:#B34A00;font-weight:600}
.neutral,.same{color:#555555}
.note{font-size:12.5px;color:#52606d;margin:8px 0 0}
.signals li.flag{font-weight:600}
thead th{white-space:normal;vertical-align:bottom}
table[data-table=forecast] thead th{max-width:150px}
tr.total th,tr.total td{font-weight:700}
.section{background:#fff;border-radius:8px;padding:16px 18px;margin:0 0 16px;
box-shadow:0 1px 3px rgba(16,42,67,.12)}
.chart img{max-width:100%;height:auto;display:block;margin:0 auto 8px}
.pair{display:grid;grid-template-columns:minmax(0,1.7fr) minmax(0,1fr);gap:24px;
align-items:center}
.stack .tbl{margin-top:8px}
.caption{font-size:12.5px;color:#52606d;margin:4px 0 10px}
.withheld{padding:18px;border:1px dashed #9aa5b1;border-radius:6px;color:#52606d;
background:#f8fafc}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid #e4e7eb;text-align:right;white-space:nowrap}
th{background:#f0f4f8;font-weight:600}
th:first-child,td:first-child{text-align:left}
th.text,td.text{text-align:left;white-space:normal;min-width:220px}
tbody tr:nth-child(even){background:#fafbfc}
td.hidden{color:#8a5a00;font-style:italic}
details summary{cursor:pointer;color:#12355b;font-weight:600;margin:6px 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{font-weight:600;color:#52606d}dd{margin:0}
ul{margin:6px 0;padding-left:20px}
footer{color:#7b8794;font-size:12px;margin-top:32px}
"""

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _cell(value: object, kind: str, hidden: bool, currency: str = "") -> str:
    if hidden:
        return f'<td class="hidden" title="hidden: small-number protection">{_e(value)}</td>'
    return f"<td>{_e(fmt(value, kind, currency=currency))}</td>"


_HEADINGS = {
    "days": "Days", "admissions": "Admissions", "discharges": "Discharges",
    "treatment_cost": "Treatment cost", "alos": "ALOS (days)", "bed_days": "Bed-days",
    "available_bed_days": "Available bed-days", "occupancy": "Occupancy",
    "occupied_bed_days": "Occupied bed-days", "patients": "Patients",
    "total_cost": "Total cost", "mean_cost": "Mean cost", "stays": "Stays", "share": "Share",
}
#: Headings of the tables' first column (their index), where the name is not enough.
_INDEX_HEADINGS = {"los_band": "Length of stay", "age_group": "Age group"}


def _over_100(table: Table) -> bool:
    """Whether a published occupancy (a ``pct`` cell) of the table is over 100%."""
    frame = table.published()
    for c in frame.columns:
        if table.kinds.get(c) == "pct" and c != "share":
            v = pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype="float64")
            if (v[np.isfinite(v)] > 1.0).any():
                return True
    return False


def table_html(table: Table, currency: str = "") -> str:
    """Render one report table as published: text escaped, hidden cells as their marker."""
    frame = table.display()
    index_kind = table.kinds.get("index", "text")
    index_name = str(frame.index.name or "")
    head = "".join(
        f'<th scope="col">{_e(visible(str(_HEADINGS.get(str(c), c))))}</th>'
        for c in frame.columns
    )
    rows = []
    mask = table.mask
    for i, (label, row) in enumerate(frame.iterrows()):
        # labels may come from the beds file (not cleaned): no control or bidi characters
        cells = [f'<th scope="row">{_e(visible(fmt(label, index_kind)))}</th>']
        for j, c in enumerate(frame.columns):
            hidden = bool(mask.iat[i, j]) if mask is not None else False
            cells.append(_cell(row[c], table.kinds.get(c, "float"), hidden, currency))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    heading = _e(_INDEX_HEADINGS.get(index_name,
                                     index_name.replace("_", " ").capitalize()))
    return (
        f'<div class="scroll"><table data-table="{_e(table.key)}"><thead><tr>'
        f'<th scope="col">{heading}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


_WIDE = frozenset({"monthly", "monthly_occupancy_by_ward"})


def _figure(chart, report: Report) -> str:
    """A drawn chart with its caption under it, or the note saying why it is not drawn."""
    if chart is None:
        return ""
    if not chart.png:
        return f'<div class="withheld">{_e(chart.note)}</div>'
    fig = f'<img src="{chart.data_uri}" alt="{_e(chart.title)}">'
    if chart.caption:
        lead = "Drawn from the published values. " if report.privacy is not None else ""
        fig += f'<p class="caption chart-caption">{_e(lead + chart.caption)}</p>'
    return fig


def _drawn(chart) -> bool:
    """Whether a chart was drawn (not withheld)."""
    return chart is not None and bool(chart.png)


def _section(table: Table, chart, report: Report, extra: str = "") -> str:
    """One chart with the table behind it: side by side, or stacked for wide charts."""
    fig = _figure(chart, report)
    caption = f"Numbers from {table.source}."
    p = report.privacy
    if p is not None and p.method == "hes":
        caption += " Counts rounded to the nearest 5; * = 1 to 7."
    if table.n_hidden:
        caption += f" {table.n_hidden} cell(s) hidden by small-number protection."
    if any(table.kinds.get(c) == "money" for c in table.frame.columns):
        caption += (f" Costs in {report.currency}." if report.currency else
                    " Costs in the currency of the data (no symbol given).")
    if _over_100(table):
        caption += f" {OCCUPANCY_OVER_NOTE}"
    sig = report.signals
    if table.key == "monthly" and _drawn(chart) and sig is not None and (
            sig.admissions is not None):
        n = len(sig.admissions)
        caption += (f" On the chart: the mean and the process limits (dashed) of the "
                    f"monthly admissions, from the {n} complete months (XmR chart; a "
                    "partial month is left out); coloured points are special-cause months.")
    tbl = table_html(table, report.currency)
    wide = table.key in _WIDE or len(table.frame) > 16 or table.frame.shape[1] > 6
    if wide:
        tbl = (f"<details><summary>Table behind the chart ({len(table.frame)} rows)</summary>"
               f"{tbl}</details>")
    drawn = chart is not None and bool(chart.png)
    layout = "pair" if drawn and not wide and table.frame.shape[1] <= 2 else "stack"
    return (
        f'<div class="section chart" id="{_e(table.key)}"><h3>{_e(table.title)}</h3>'
        f'<div class="{layout}"><div class="fig">{fig}</div>'
        f'<div class="tbl">{tbl}<p class="caption">{_e(caption)}</p></div></div>'
        f"{extra}</div>"
    )


_GROUP_NAMES = {"headline": "Headline", "activity": "Activity", "flow": "Patient flow",
                "capacity": "Capacity", "quality": "Quality", "other": "Other"}


def _card(kpi: str, row: pd.Series, report: Report) -> str:
    attrs = report.summary.attrs
    missing = "–"
    t = card_texts(kpi, row, report.currency, missing, attrs)
    word = t["verdict"]
    return (
        f'<div class="card" data-verdict="{_e(word)}" data-kpi="{_e(kpi)}">'
        f'<div class="label">{_e(t["label"])}</div>'
        f'<div class="value" data-col="period">{_e(t["value"])}</div>'
        f'<div class="sub">Month to date <b data-col="mtd">{_e(t["mtd_value"])}</b>'
        f' · previous <span data-col="previous_mtd">{_e(t["previous_value"])}</span></div>'
        f'<div class="change {_e(word)}" data-col="change" '
        f'style="color:{VERDICT_COLORS[word]}">{_e(t["change"])}</div>'
        "</div>"
    )


def _occupancy_over(report: Report) -> bool:
    """Whether an occupancy shown in the KPI panel is over 100%."""
    if "occupancy" not in report.summary.index:
        return False
    row = report.summary_published().loc["occupancy", ["period", "mtd", "previous_mtd"]]
    v = pd.to_numeric(row, errors="coerce").to_numpy(dtype="float64")
    return bool((v[np.isfinite(v)] > 1.0).any())


def _cards(report: Report) -> str:
    disp = report.summary_display()
    out = []
    for group, names in card_order(disp.index):
        cards = "".join(_card(k, disp.loc[k], report) for k in names)
        out.append(f'<div class="group" data-group="{_e(group)}">'
                   f'<h3 class="group-name">{_e(_GROUP_NAMES.get(group, group))}</h3>'
                   f'<div class="cards">{cards}</div></div>')
    return "".join(out)


def _pct_text(pct: object) -> str:
    if isinstance(pct, str):
        return pct
    return "–" if is_missing(pct) else f"{float(pct) * 100:+.1f}%".replace("-", "−")


def _summary_table(report: Report) -> str:
    disp = report.summary_display()
    attrs = report.summary.attrs
    cur = report.currency
    rows = []
    for kpi, row in disp.iterrows():
        kind = UNIT_KIND.get(str(row["unit"]), "float")

        def show(col: str, _kpi=str(kpi), _row=row, _kind=kind) -> str:
            v = _row[col]
            miss = missing_text(_kpi, col, attrs)
            if col in ("change",):
                return fmt_change(v, _kind, currency=cur, missing=miss)
            if col == "change_pct":
                return miss if is_missing(v) else _pct_text(v)
            return fmt(v, _kind, currency=cur, missing=miss)

        rows.append(
            f'<tr data-kpi="{_e(kpi)}"><th scope="row">{_e(row["label"])}</th>'
            + "".join(f"<td>{_e(show(c))}</td>" for c in ("period", "mtd", "previous_mtd",
                                                            "change", "change_pct"))
            + f'<td class="text">{_e(row["convention"])}</td></tr>'
        )
    return (
        '<div class="scroll"><table data-table="summary"><thead><tr><th>KPI</th>'
        "<th>Period</th><th>Month to date</th><th>Previous month, same days</th>"
        "<th>Change</th><th>Change %</th><th class=\"text\">Convention</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _panel_notes(report: Report) -> str:
    """Footnotes of the cards and the panel: occupancy over 100%, open follow-up."""
    notes = []
    if _occupancy_over(report):
        notes.append(f"Bed occupancy over 100%: {OCCUPANCY_OVER_NOTE.split(': ', 1)[1]}")
    attrs = report.summary.attrs
    if "readmission_rate_30d" in report.summary.index and attrs.get("follow_up_open"):
        spans = []
        for col in attrs["follow_up_open"]:
            prefix = "" if col == "period" else f"{col}_"
            if attrs.get(f"{prefix}end"):
                spans.append(span_text(attrs.get(f"{prefix}start"), attrs[f"{prefix}end"]))
        when = f" ({', '.join(spans)})" if spans else ""
        notes.append(
            f"Readmission rate: window open{when}. A discharge counts once its 30-day "
            "follow-up window has closed by the as-of date; no discharge of that span "
            "has had 30 days of follow-up yet."
        )
    return "".join(f'<p class="note">{_e(n)}</p>' for n in notes)


#: The KPIs of the signals table, labelled as in the KPI panel.
_SIGNAL_NAMES = {k: SUMMARY_ROWS[row][0] for k, row in (
    ("admissions", "admissions"), ("alos", "alos"),
    ("readmission_rate", "readmission_rate_30d"), ("occupancy", "occupancy"))}
_SIGNAL_KINDS = {"admissions": "count", "alos": "days", "readmission_rate": "pct",
                 "occupancy": "pct"}


def _signals(report: Report) -> str:
    """The KPIs with a special cause in their latest complete month, and the table."""
    sig = report.signals
    if sig is None:
        return ""
    if sig.table is None:
        return (f'<div class="signals" id="signals"><p class="note">{_e(sig.note)}</p>'
                "</div>") if sig.note else ""
    t = sig.table
    flagged = sig.flagged
    if flagged:
        items = []
        for k in flagged:
            r = t.loc[k]
            kind = _SIGNAL_KINDS.get(k, "float")
            items.append(
                f'<li class="flag">{_e(_SIGNAL_NAMES.get(k, k))}, '
                f"{_e(f'{r.period:%b %Y}')}: {_e(fmt(r.value, kind))} "
                f"({_e(str(r.label))}: {_e(r.rules)})</li>")
        lead = f"<ul>{''.join(items)}</ul>"
    else:
        lead = ("<p>No KPI shows a special-cause signal in its latest complete month: "
                "the variation is common cause.</p>")
    rows = []
    for k, r in t.iterrows():
        kind = _SIGNAL_KINDS.get(str(k), "float")
        if pd.isna(r["period"]):
            rows.append(f'<tr data-kpi="{_e(k)}"><th scope="row">'
                        f"{_e(_SIGNAL_NAMES.get(str(k), k))}</th>"
                        f'<td colspan="4" class="text">{_e(visible(r["note"]))}</td></tr>')
            continue
        limits = f"{fmt(max(r['lpl'], 0.0), kind)} – {fmt(r['upl'], kind)}"
        what = str(r["label"]) + (f" ({r['rules']})" if r["rules"] else "")
        if r["note"]:
            what += f"; {r['note']}"
        rows.append(
            f'<tr data-kpi="{_e(k)}"><th scope="row">{_e(_SIGNAL_NAMES.get(str(k), k))}</th>'
            f"<td>{_e(f'{r.period:%b %Y}')}</td><td>{_e(fmt(r['value'], kind))}</td>"
            f"<td>{_e(fmt(r['mean'], kind))}</td><td>{_e(limits)}</td>"
            f'<td class="text">{_e(what)}</td></tr>')
    table = (
        '<div class="scroll"><table data-table="signals"><thead><tr><th>KPI</th>'
        "<th>Latest complete month</th><th>Value</th><th>Mean</th><th>Process limits</th>"
        '<th class="text">Variation</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>")
    how = ("Limits from the complete months of the period (XmR chart; p chart for the "
           "readmission rate), as hospitalytics.analysis.spc_signals.")
    if report.privacy is not None:
        how = ("Limits from the complete months as published in the monthly table "
               "(small-number protection), as hospitalytics.analysis.spc_signals.")
    note = f'<p class="note">{_e(sig.note)}</p>' if sig.note else ""
    return (
        '<div class="signals" id="signals"><h3 style="margin-top:16px">Process signals '
        f"in the latest month</h3>{lead}{table}"
        f'<p class="caption">{_e(SIGNAL_MEANING)} {_e(how)}</p>{note}</div>'
    )


def _int(v: object) -> str:
    return "–" if is_missing(v) else f"{float(v):,.0f}"


def _outlook(report: Report, charts: bool) -> str:
    """The "Next 4 weeks" section, or the note saying why it is not shown."""
    o = report.outlook
    if o is None:
        return ""
    head = '<h2 id="next-4-weeks">Next 4 weeks</h2>'
    if o.table is None:
        return (f'{head}<div class="section" id="forecast"><div class="withheld">'
                f"Forecast not shown: {_e(visible(o.note))}</div></div>")
    t = o.table
    beds = "beds" in t.columns
    total, wards = t.iloc[:1], t.iloc[1:]
    if beds and len(wards):
        wards = wards.sort_values("p_over_capacity_max", ascending=False, kind="stable")
    cols = ["Expected admissions (80% interval)", "In hospital now",
            "Expected beds in use (average)", "Busiest day (80% upper bound)"]
    if beds:
        cols += ["Beds", "Highest daily chance of needing more beds",
                 f"Days with a 10%+ chance (of {o.horizon})"]
    rows = []
    for name, r in pd.concat([total, wards]).iterrows():
        label = "Whole hospital" if name == "total" else str(name)
        cells = [f"{_int(r['admissions'])} ({_int(r['admissions_lower'])}–"
                 f"{_int(r['admissions_upper'])})", _int(r["census_now"]),
                 f"{float(r['census_mean']):,.1f}", _int(r["census_peak"])]
        if beds:
            p = r["p_over_capacity_max"]
            cells += [_int(r["beds"]), "–" if is_missing(p) else fmt(p, "pct_whole"),
                      _int(r["days_at_risk"]) if not is_missing(p) else "–"]
        row_class = ' class="total"' if name == "total" else ""
        rows.append(f"<tr{row_class}><th scope=\"row\">{_e(label)}</th>"
                    + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    group = (t.index.name or "group").replace("_", " ").capitalize()
    table = (f'<div class="scroll"><table data-table="forecast"><thead><tr>'
             f"<th>{_e(group if group != 'Group' else '')}</th>"
             + "".join(f"<th>{_e(c)}</th>" for c in cols)
             + f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    first = pd.Timestamp(report.summary.attrs["as_of"]) + pd.Timedelta(days=1)
    last = first + pd.Timedelta(days=o.horizon - 1)
    caption = (
        f"{span_text(first, last)}, from the data up to {day_text(first - pd.Timedelta(days=1))}"
        " (hospitalytics.analysis.forecast_outlook). Admissions: a model of the daily "
        "admissions (weekday pattern, yearly cycle, trend). Beds in use at midnight: the "
        "patients in hospital now, each staying on as the length-of-stay curve says for "
        "the days already spent, plus the expected admissions. An 80% interval holds the "
        "outcome about 4 times in 5: plan for the range, not the middle."
    )
    if beds:
        caption += (" The chance of needing more beds is the highest over the days "
                    "ahead that the census exceeds the beds given.")
    fig = ""
    if charts:
        from ._charts import draw_forecast_chart

        fig = _figure(draw_forecast_chart(report), report)
    return (f'{head}<div class="section chart" id="forecast"><h3>Expected admissions and '
            f'beds in use</h3><div class="fig">{fig}</div>{table}'
            f'<p class="caption">{_e(caption)}</p></div>')


def _count(value: object) -> str:
    return _e(fmt(value, "count"))


def _cleaning(report: Report) -> str:
    c = report.cleaning
    counts = report.cleaning_counts()
    rows = [("Rows read", counts["rows_read"]), ("Rows used", counts["rows_used"]),
            ("Rows rejected", counts["rows_rejected"])]
    body = "".join(
        f'<tr data-count="{_e(k.lower().replace(" ", "_"))}"><th scope="row">{_e(k)}</th>'
        f"<td>{_count(v)}</td></tr>"
        for k, v in rows
    )
    rej = "".join(
        f'<tr data-reason="{_e(r)}"><th scope="row">{_e(r.replace("_", " "))}</th>'
        f"<td>{_count(n)}</td></tr>"
        for r, n in counts["rejected"].items()
    )
    warn = "".join(
        f'<tr data-warning="{_e(r)}"><th scope="row">{_e(r.replace("_", " "))}</th>'
        f"<td>{_count(n)}</td></tr>"
        for r, n in counts["warnings"].items()
    )
    roles = "".join(
        f"<li><b>{_e(role)}</b> ← column {_e(col)}</li>" for role, col in c.roles.mapping.items()
    )
    filled = "".join(f"<li><b>{_e(r)}</b> filled from {_e(s)}</li>"
                     for r, s in c.filled.items())
    return (
        '<div class="section" id="cleaning"><h3>Cleaning report</h3>'
        '<p class="caption">The input was cleaned with hospitalytics.standardize: every row '
        "read is either used or rejected for the first reason that applies; warnings count "
        "rows that were kept.</p>"
        '<div style="display:flex;gap:32px;flex-wrap:wrap;align-items:flex-start">'
        f'<table data-table="cleaning"><tbody>{body}</tbody></table>'
        f'<table data-table="rejected"><thead><tr><th>Rejected: reason</th><th>Rows</th>'
        f"</tr></thead><tbody>{rej}</tbody></table>"
        f'<table data-table="warnings"><thead><tr><th>Warning (rows kept)</th><th>Rows</th>'
        f"</tr></thead><tbody>{warn}</tbody></table></div>"
        + (f"<h3 style='margin-top:14px'>Columns used</h3><ul>{roles}{filled}</ul>"
           if roles or filled else "")
        + "</div>"
    )


def render_html(
    report: Report,
    *,
    charts: bool = True,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Render a report as one self-contained HTML page.

    Parameters
    ----------
    report : Report
        From :func:`hospitalytics.report.build_report`.
    charts : bool, default True
        Draw and embed the charts (needs matplotlib; off, only tables are shown).
    progress : callable, optional
        Called with a short message while drawing.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.report import build_report
    >>> rep = build_report(hp.datasets.load_sample(), privacy="suppress:10")
    >>> "Counts below 10 are hidden" in render_html(rep, charts=False)
    True
    """
    attrs = report.summary.attrs
    defs = report.definitions
    drawn = {}
    if charts:
        from ._charts import draw_charts

        drawn = {c.table: c for c in draw_charts(report, progress=progress)}
    when = report.period_text
    dates = " ".join(f'data-{k.replace("_", "-")}="{_e(attrs[k])}"'
                     for k in ("start", "end", "mtd_start", "mtd_end", "as_of")
                     if attrs.get(k))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Hospital KPI report: {_e(report.source)}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<header><div class="inner"><h1>Hospital KPI report</h1>',
        f'<p class="period" {dates}>{_e(when)}</p>',
        f"<p>Source: <b>{_e(report.source)}</b> · definitions <b>{_e(defs.name)}</b></p>",
        "</div></header><main>",
    ]
    p = report.privacy
    if p is not None:
        title = ("Small-count suppression applied." if p.method == "suppress" else
                 "Small numbers protected (NHS Digital HES rule).")
        parts.append(
            f'<div class="banner" id="suppression"><b>{_e(title)}</b> {_e(p.describe())} '
            "Notes keep their words but not their numbers, and charts show only what the "
            "tables publish.</div>"
        )
    parts.append("<h2>Key figures</h2>")
    parts.append(_cards(report))
    prev = ""
    if attrs.get("previous_mtd_end"):
        prev = f" ({span_text(attrs.get('previous_mtd_start'), attrs['previous_mtd_end'])})"
    big = span_text(attrs.get("start"), attrs["end"]) if attrs.get("end") else ""
    mtd = (span_text(attrs.get("mtd_start"), attrs["mtd_end"]) if attrs.get("mtd_end")
           else "")
    parts.append(
        f'<p class="caption">Big number: the whole period ({_e(big)}). Month to date: '
        f"{_e(mtd)}; previous: the same days of the previous month{_e(prev)}. Colours "
        "and words say whether a change is better (blue) or worse (orange) where the KPI "
        "has a good direction (shorter stays, fewer readmissions, occupancy nearer "
        "85%); grey where it depends.</p>"
    )
    parts.append(_panel_notes(report))
    parts.append("<h2>Charts and the tables behind them</h2>")
    for key, table in report.tables.items():
        extra = _signals(report) if key == "monthly" else ""
        parts.append(_section(table, drawn.get(key), report, extra))
    parts.append(_outlook(report, charts))
    parts.append("<h2>KPI panel</h2>")
    parts.append(f'<div class="section">{_summary_table(report)}{_panel_notes(report)}'
                 "</div>")
    parts.append("<h2>Definitions and data</h2>")
    parts.append(
        '<div class="section" id="definitions"><h3>Definitions used</h3><dl>'
        f"<dt>Preset</dt><dd>{_e(defs.name)}</dd>"
        f"<dt>Conventions</dt><dd>{_e(defs.label())}</dd>"
        f"<dt>Description</dt><dd>{_e(defs.description or '–')}</dd>"
        f"<dt>Period</dt><dd>{_e(big)}</dd>"
        f"<dt>As of</dt><dd>{_e(day_text(attrs['as_of']) if attrs.get('as_of') else '')}"
        "</dd>"
        "<dt>Bed-days</dt><dd>midnight census: a stay occupies a bed on each day from its "
        "admission date up to (not including) its discharge date</dd>"
        "</dl></div>"
    )
    parts.append(_cleaning(report))
    if report.omitted:
        items = "".join(f"<li>{_e(visible(x))}</li>" for x in report.omitted)
        parts.append(
            '<div class="section" id="omitted"><h3>Left out</h3><p class="caption">'
            f"What this data cannot support, and why.</p><ul>{items}</ul></div>"
        )
    if report.notes:
        items = "".join(f"<li>{_e(visible(x))}</li>" for x in report.notes)
        parts.append(f'<div class="section" id="notes"><h3>Notes</h3><ul>{items}</ul></div>')
    today = _dt.date.today().isoformat()
    parts.append(
        f"<footer>Made with hospitalytics {_e(__version__)} on {today}. Aggregates only: "
        "this report holds no patient-level rows or identifiers.</footer></main></body></html>"
    )
    return "\n".join(parts)
