"""What a report publishes: protected values on its tables, and its data as JSON values.

Helpers of :func:`hospitalytics.report.build_report` and :func:`hospitalytics.report.payload`:
the privacy arguments, the protected values put on the tables and the KPI panel's mask,
the numbers withheld from the notes, and plain JSON values of the report's process
limits and forecast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._text import visible
from ..errors import ArgumentError
from .privacy import Privacy, Publication, parse_privacy
from .privacy._report import ReportCells

if TYPE_CHECKING:  # pragma: no cover
    from . import Report, Table

__all__ = [
    "PERIOD_COLUMNS",
    "VALUE_COLUMNS",
    "apply_protection",
    "forecast_payload",
    "jsonable",
    "privacy_arguments",
    "records",
    "spc_payload",
    "withhold_numbers",
]

VALUE_COLUMNS = ("period", "mtd", "previous_mtd", "change", "change_pct")
PERIOD_COLUMNS = ("period", "mtd", "previous_mtd")


def privacy_arguments(privacy: object, suppress: object) -> Privacy | None:
    """The method from ``privacy=`` and its alias ``suppress=N``."""
    method = parse_privacy(privacy)
    if suppress is None:
        return method
    if isinstance(suppress, bool) or not isinstance(suppress, (int, np.integer)) or (
            suppress < 1):
        raise ArgumentError(f"suppress must be a whole number of 1 or more, got {suppress!r}.",
                            argument="suppress", value=suppress)
    alias = parse_privacy(int(suppress))
    if method is not None and method != alias:
        raise ArgumentError(
            f"suppress={suppress!r} and privacy={method.spec!r} disagree; give one of them "
            f"(suppress=N is the same as privacy='suppress:N').",
            argument="suppress", value=suppress,
        )
    return alias


def apply_protection(pub: Publication, cells: ReportCells, summary: pd.DataFrame,
                     tables: dict[str, Table]) -> pd.DataFrame:
    """Put the protected values on the tables; return the KPI panel's mask."""
    shown = pub.display().to_numpy(dtype=object)
    hidden_cell = np.isin(pub.state.astype(str), ("primary", "secondary"))
    for key, t in tables.items():
        ids = cells.tables.get(key)
        frame = t.frame
        arr = (np.full(frame.shape, -1, dtype="int64") if ids is None
               else ids.to_numpy(dtype="int64"))
        known = arr >= 0  # a figure the pass does not know is withheld
        safe = np.where(known, arr, 0)
        hide = ~known | hidden_cell[safe]
        marks = np.where(known & hide, shown[safe], "")
        marks = np.where(~known, pub.privacy.withheld_marker, marks).astype(object)
        values = np.where(hide, np.nan, pub.published[safe])
        t.mask = pd.DataFrame(hide, index=frame.index, columns=frame.columns)
        t.shown = pd.DataFrame(values, index=frame.index, columns=frame.columns)
        t.marks = pd.DataFrame(marks, index=frame.index, columns=frame.columns)
    mask = pd.DataFrame(False, index=summary.index, columns=list(VALUE_COLUMNS))
    for kpi in summary.index:
        for col in PERIOD_COLUMNS:
            i = cells.summary.get((kpi, col))
            mask.at[kpi, col] = True if i is None else pub.hidden(i)
    hidden = mask["mtd"] | mask["previous_mtd"]
    mask["change"] = hidden
    mask["change_pct"] = hidden
    return mask


# Numbers in notes count stays or patients and have no relation the pass can check; under
# a privacy method they are withheld (ISO dates are kept).
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[,.]\d+)*(?!\w)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def withhold_numbers(note: str) -> str:
    """The note with its numbers written "n" (ISO dates kept), and a word saying so."""
    parts = []
    last = 0
    for m in _DATE.finditer(note):
        parts.append(_NUMBER.sub("n", note[last:m.start()]))
        parts.append(m.group())
        last = m.end()
    parts.append(_NUMBER.sub("n", note[last:]))
    text = "".join(parts)
    if text != note:
        text += " (numbers withheld: small-number protection)"
    return text



def jsonable(value: object) -> object:
    """A plain JSON value: numpy scalars unwrapped, NaN and infinities as None."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return value
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def records(frame: pd.DataFrame, index: str) -> list[dict[str, object]]:
    """Rows as dicts: the index under ``index`` (months as ``YYYY-MM``), dates as ISO."""
    out = []
    for key, row in frame.iterrows():
        rec: dict[str, object] = {index: key.strftime("%Y-%m") if isinstance(
            key, pd.Timestamp) else str(key)}
        for col, v in row.items():
            if isinstance(v, pd.Timestamp):
                v = v.strftime("%Y-%m-%d")
            elif v is pd.NaT:
                v = None
            rec[str(col)] = v
        out.append(rec)
    return out


def spc_payload(report: Report) -> dict[str, object] | None:
    """The process limits of the monthly admissions and the KPIs' latest-month signals."""
    sig = report.signals
    if sig is None:
        return None
    adm = None
    if sig.admissions is not None:
        cols = ["value", "mean", "lpl", "upl", "special_cause", "label"]
        adm = records(sig.admissions[cols].astype({"label": str}), "month")
    table = None
    if sig.table is not None:
        t = sig.table.astype({"label": object})
        t["period"] = [None if pd.isna(v) else f"{v:%Y-%m}" for v in t["period"]]
        t["label"] = [None if pd.isna(v) else str(v) for v in t["label"]]
        table = records(t, "kpi")
    return {"chart": "xmr", "months": "complete months only",
            "admissions": adm, "admissions_note": sig.note or None,
            "signals": table, "flagged": sig.flagged}


def forecast_payload(report: Report) -> dict[str, object] | None:
    """The next 4 weeks (expected admissions and beds in use), or why it is not given."""
    o = report.outlook
    if o is None:
        return None
    if o.table is None:
        return {"horizon_days": o.horizon, "note": visible(o.note)}
    daily = o.daily.copy() if o.daily is not None else pd.DataFrame()
    if "date" in daily:
        daily["date"] = [f"{d:%Y-%m-%d}" for d in daily["date"]]
    return {"horizon_days": o.horizon, "interval": "80%",
            "by": None if o.table.index.name == "group" else o.table.index.name,
            "groups": records(o.table, "group"),
            "daily_total": [{str(k): v for k, v in r.items()}
                            for r in daily.to_dict("records")]}
