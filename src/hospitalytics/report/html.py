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

import pandas as pd

from .._version import __version__
from ._format import UNIT_KIND, fmt, fmt_change

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
h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:2px solid #d9e2ec}
h3{font-size:15px;margin:0 0 8px}
.banner{background:#fff4d6;border:1px solid #f0c36d;border-radius:6px;padding:10px 14px;
margin:16px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:14px 16px;
box-shadow:0 1px 3px rgba(16,42,67,.12);border-top:4px solid #2f80ed}
.card .label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#52606d}
.card .value{font-size:26px;font-weight:700;margin:4px 0 2px;
font-variant-numeric:tabular-nums}
.card .sub{font-size:12.5px;color:#52606d;font-variant-numeric:tabular-nums}
.up{color:#1b7f3b}.down{color:#b42318}
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


def _cell(value: object, kind: str, hidden: bool) -> str:
    if hidden:
        return f'<td class="hidden" title="hidden: small-number protection">{_e(value)}</td>'
    return f"<td>{_e(fmt(value, kind))}</td>"


_HEADINGS = {
    "days": "Days", "admissions": "Admissions", "discharges": "Discharges",
    "treatment_cost": "Treatment cost", "alos": "ALOS (days)", "bed_days": "Bed-days",
    "available_bed_days": "Available bed-days", "occupancy": "Occupancy",
    "occupied_bed_days": "Occupied bed-days", "patients": "Patients",
    "total_cost": "Total cost", "mean_cost": "Mean cost", "stays": "Stays", "share": "Share",
}


def table_html(table: Table) -> str:
    """Render one report table as published: text escaped, hidden cells as their marker."""
    frame = table.display()
    index_kind = table.kinds.get("index", "text")
    index_name = frame.index.name or ""
    head = "".join(
        f'<th scope="col">{_e(_HEADINGS.get(str(c), c))}</th>' for c in frame.columns
    )
    rows = []
    mask = table.mask
    for i, (label, row) in enumerate(frame.iterrows()):
        cells = [f'<th scope="row">{_e(fmt(label, index_kind))}</th>']
        for j, c in enumerate(frame.columns):
            hidden = bool(mask.iat[i, j]) if mask is not None else False
            cells.append(_cell(row[c], table.kinds.get(c, "float"), hidden))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    heading = _e(str(index_name).replace("_", " ").capitalize())
    return (
        f'<div class="scroll"><table data-table="{_e(table.key)}"><thead><tr>'
        f'<th scope="col">{heading}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


_WIDE = frozenset({"monthly", "monthly_occupancy_by_ward"})



def _section(table: Table, chart, report: Report) -> str:
    """One chart with the table behind it: side by side, or stacked for wide charts."""
    if chart is not None and chart.png:
        fig = f'<img src="{chart.data_uri}" alt="{_e(chart.title)}">'
        if report.privacy is not None and report.privacy.method == "hes":
            fig += ('<p class="caption">Drawn from the published values: counts rounded to '
                    'the nearest 5, counts from 1 to 7 left out.</p>')
    elif chart is not None:
        fig = f'<div class="withheld">{_e(chart.note)}</div>'
    else:
        fig = ""
    caption = f"Numbers from {table.source}."
    p = report.privacy
    if p is not None and p.method == "hes":
        caption += " Counts rounded to the nearest 5; * = 1 to 7."
    if table.n_hidden:
        caption += f" {table.n_hidden} cell(s) hidden by small-number protection."
    tbl = table_html(table)
    wide = table.key in _WIDE or len(table.frame) > 16 or table.frame.shape[1] > 6
    if wide:
        tbl = (f"<details><summary>Table behind the chart ({len(table.frame)} rows)</summary>"
               f"{tbl}</details>")
    drawn = chart is not None and bool(chart.png)
    layout = "pair" if drawn and not wide and table.frame.shape[1] <= 2 else "stack"
    return (
        f'<div class="section chart" id="{_e(table.key)}"><h3>{_e(table.title)}</h3>'
        f'<div class="{layout}"><div class="fig">{fig}</div>'
        f'<div class="tbl">{tbl}<p class="caption">{_e(caption)}</p></div></div></div>'
    )


def _card(kind: str) -> str:
    return "money_compact" if kind == "money" else kind


def _cards(report: Report) -> str:
    disp = report.summary_display()
    out = []
    for kpi, row in disp.iterrows():
        kind = UNIT_KIND.get(str(row["unit"]), "float")
        change = row["change"]
        cls = ""
        if not isinstance(change, str) and pd.notna(change) and change != 0:
            cls = "up" if change > 0 else "down"
        out.append(
            f'<div class="card" data-kpi="{_e(kpi)}">'
            f'<div class="label">{_e(row["label"])}</div>'
            f'<div class="value" data-col="period">{_e(fmt(row["period"], _card(kind)))}</div>'
            f'<div class="sub">Month to date <b data-col="mtd">{_e(fmt(row["mtd"], _card(kind)))}'
            f'</b> · previous <span data-col="previous_mtd">'
            f'{_e(fmt(row["previous_mtd"], _card(kind)))}</span>'
            f' · <span class="{cls}" data-col="change">'
            f"{_e(fmt_change(change, _card(kind)))}</span>"
            "</div></div>"
        )
    return f'<div class="cards">{"".join(out)}</div>'


def _summary_table(report: Report) -> str:
    disp = report.summary_display()
    rows = []
    for kpi, row in disp.iterrows():
        kind = UNIT_KIND.get(str(row["unit"]), "float")
        pct = row["change_pct"]
        pct_text = pct if isinstance(pct, str) else (
            "–" if pd.isna(pct) else f"{pct * 100:+.1f}%".replace("-", "−"))
        rows.append(
            f'<tr data-kpi="{_e(kpi)}"><th scope="row">{_e(row["label"])}</th>'
            f"<td>{_e(fmt(row['period'], kind))}</td><td>{_e(fmt(row['mtd'], kind))}</td>"
            f"<td>{_e(fmt(row['previous_mtd'], kind))}</td>"
            f"<td>{_e(fmt_change(row['change'], kind))}</td><td>{_e(pct_text)}</td>"
            f'<td class="text">{_e(row["convention"])}</td></tr>'
        )
    return (
        '<div class="scroll"><table data-table="summary"><thead><tr><th>KPI</th>'
        "<th>Period</th><th>Month to date</th><th>Previous month, same days</th>"
        "<th>Change</th><th>Change %</th><th class=\"text\">Convention</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


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
    attrs = report.period
    defs = report.definitions
    drawn = {}
    if charts:
        from ._charts import draw_charts

        drawn = {c.table: c for c in draw_charts(report, progress=progress)}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Hospital KPI report: {_e(report.source)}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<header><div class="inner"><h1>Hospital KPI report</h1>',
        f"<p>Source: <b>{_e(report.source)}</b> · period {_e(attrs.get('period', ''))}</p>",
        f"<p>As of <b>{_e(attrs.get('as_of', ''))}</b> · definitions "
        f"<b>{_e(defs.name)}</b> · month to date {_e(attrs.get('mtd', ''))}</p>",
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
    parts.append(
        f'<p class="caption">Big number: the whole period ({_e(attrs.get("period", ""))}). '
        f"Month to date: {_e(attrs.get('mtd', ''))}; previous: the same days of the "
        f"previous month ({_e(attrs.get('previous_mtd', ''))}).</p>"
    )
    parts.append("<h2>Charts and the tables behind them</h2>")
    for key, table in report.tables.items():
        parts.append(_section(table, drawn.get(key), report))
    parts.append("<h2>KPI panel</h2>")
    parts.append(f'<div class="section">{_summary_table(report)}</div>')
    parts.append("<h2>Definitions and data</h2>")
    parts.append(
        '<div class="section" id="definitions"><h3>Definitions used</h3><dl>'
        f"<dt>Preset</dt><dd>{_e(defs.name)}</dd>"
        f"<dt>Conventions</dt><dd>{_e(defs.label())}</dd>"
        f"<dt>Description</dt><dd>{_e(defs.description or '–')}</dd>"
        f"<dt>Period</dt><dd>{_e(attrs.get('period', ''))}</dd>"
        f"<dt>As of</dt><dd>{_e(attrs.get('as_of', ''))}</dd>"
        "<dt>Bed-days</dt><dd>midnight census: a stay occupies a bed on each day from its "
        "admission date up to (not including) its discharge date</dd>"
        "</dl></div>"
    )
    parts.append(_cleaning(report))
    if report.omitted:
        items = "".join(f"<li>{_e(x)}</li>" for x in report.omitted)
        parts.append(
            '<div class="section" id="omitted"><h3>Left out</h3><p class="caption">'
            f"What this data cannot support, and why.</p><ul>{items}</ul></div>"
        )
    if report.notes:
        items = "".join(f"<li>{_e(x)}</li>" for x in report.notes)
        parts.append(f'<div class="section" id="notes"><h3>Notes</h3><ul>{items}</ul></div>')
    today = _dt.date.today().isoformat()
    parts.append(
        f"<footer>Made with hospitalytics {_e(__version__)} on {today}. Aggregates only: "
        "this report holds no patient-level rows or identifiers.</footer></main></body></html>"
    )
    return "\n".join(parts)
