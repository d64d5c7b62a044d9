"""The report's look ahead and its process limits: SPC signals and the next 4 weeks.

Two sections of the report that analyse the KPIs rather than count them:

* **Process limits** (:class:`Signals`): an XmR chart of the monthly admissions (the
  report's monthly table, complete months only: a partial month has fewer days and is
  not a drop), and, for each KPI :func:`hospitalytics.analysis.spc_signals` knows,
  whether its latest complete month is a special cause. Both are left out (with a note)
  when the complete months average fewer than :data:`MIN_MONTHLY` admissions.
* **The next 4 weeks** (:class:`Outlook`): :func:`hospitalytics.analysis.forecast_outlook`
  by ward, with the hospital's row from the same :func:`hospitalytics.forecast_census`
  call that draws the forecast chart (so the table and the chart agree).

Privacy
-------
Under a privacy method, the limits and the signals are computed from the **published**
monthly table (:meth:`Table.published() <hospitalytics.report.Table.published>`: rounded
under ``hes``): they are functions of figures the report already prints, and reveal
nothing more. A KPI whose published months have a hidden cell, and the readmission rate
(whose monthly rates the report does not publish), are withheld. The forecast starts
from the exact number of patients in each ward on the as-of date and learns from daily
counts the protection pass does not cover: under any privacy method the section is
withheld.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import DataQualityError, DataQualityWarning, HospitalyticsError

if TYPE_CHECKING:  # pragma: no cover
    from . import Report, Table

__all__ = ["HORIZON", "MIN_MONTHLY", "Outlook", "Signals", "admissions_spc", "outlook",
           "signals"]

#: Days the "next 4 weeks" section looks ahead.
HORIZON = 28
#: Fewest admissions per complete month (on average) for the report's process limits:
#: below it most months hold a handful of stays, and limits from such counts flag noise.
MIN_MONTHLY = 10
#: Simulated futures behind the ward rows of the outlook (the hospital row uses the
#: chart's own call, with :func:`hospitalytics.forecast_census`'s default).
WARD_SIMS = 1000

#: What a special-cause signal means, in one line (under the signals of the report).
SIGNAL_MEANING = (
    "A special-cause signal means the latest month is unlikely to be routine variation "
    "(a point outside the process limits, 7 points in a row on one side of the mean, 7 "
    "rising or falling, or 2 of 3 near a limit): look for its cause. No signal does not "
    "prove nothing changed; limits from fewer than 13 months are trial limits."
)

_SPC_KPIS = ("admissions", "alos", "readmission_rate", "occupancy")


@dataclass
class Signals:
    """The report's process limits: the admissions chart and the latest-month signals.

    Attributes
    ----------
    admissions : DataFrame or None
        :func:`hospitalytics.spc` of the monthly admissions (complete months), drawn on
        the trend chart; None when withheld or too short (``note`` says why).
    table : DataFrame or None
        One row per KPI, as :func:`hospitalytics.analysis.spc_signals`.
    note : str
        Why the admissions limits are not drawn (empty when they are).
    """

    admissions: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    note: str = ""

    @property
    def flagged(self) -> list[str]:
        """The KPIs with a special cause in their latest month."""
        if self.table is None:
            return []
        return [str(k) for k, v in self.table["special_cause"].items() if bool(v)]


@dataclass
class Outlook:
    """The next 4 weeks: expected admissions and beds in use, by ward and in total.

    Attributes
    ----------
    table : DataFrame or None
        :func:`hospitalytics.analysis.forecast_outlook` (``"total"`` first, then the
        wards); None when the section is not shown (``note`` says why).
    daily : DataFrame or None
        :func:`hospitalytics.forecast_census` of the whole hospital (the chart's).
    note : str
        Why the section is not shown, or how to get it.
    horizon : int
        Days ahead.
    """

    table: pd.DataFrame | None = None
    daily: pd.DataFrame | None = field(default=None, repr=False)
    note: str = ""
    horizon: int = HORIZON


# --------------------------------------------------------------------------- SPC
def _complete(table: Table, frame: pd.DataFrame) -> np.ndarray:
    """Whether each month of the monthly table is whole (all its days in the period)."""
    months = pd.DatetimeIndex(pd.to_datetime(frame.index.astype(str)))
    days = table.frame["days"].to_numpy(dtype="int64")
    return days >= months.days_in_month.to_numpy()


def _spc(series: pd.Series, improvement: str | None) -> tuple[pd.DataFrame, str]:
    """XmR chart data of a monthly series, and "trial limits (n points)" when short."""
    from ..analysis import spc

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)  # said in the note below
        res = spc(series, chart="xmr", improvement=improvement)
    notes = [f"trial limits ({len(series)} points)"] if len(series) < 13 else []
    if any("limits collapse" in str(w.message) or "too coarse" in str(w.message)
           for w in caught):
        notes.append("limits too tight: the values barely vary")
    return res, "; ".join(notes)


def admissions_spc(table: Table, privacy: str | None) -> tuple[pd.DataFrame | None, str]:
    """XmR of the monthly admissions the report publishes (complete months only).

    Returns the :func:`hospitalytics.spc` frame (index: month starts), or None and why.
    """
    frame = table.published() if privacy is not None else table.frame
    months = pd.DatetimeIndex(pd.to_datetime(frame.index.astype(str)), name="month")
    full = _complete(table, frame)
    values = frame["admissions"].to_numpy(dtype="float64")
    if privacy is not None and table.mask is not None:
        hidden = table.mask["admissions"].to_numpy()[full]
        if hidden.any():
            return None, ("process limits withheld: some monthly admissions are hidden by "
                          "small-number protection")
    if int(full.sum()) < 2:
        return None, (f"process limits not drawn: {int(full.sum())} complete month(s), "
                      "at least 2 are needed")
    series = pd.Series(values[full], index=months[full])
    return _spc(series, None)[0], ""


#: The rules of :func:`hospitalytics.spc`, named as
#: :func:`~hospitalytics.analysis.spc_signals` names them (a test checks they agree).
RULE_NAMES = {"outside": "outside the limits", "trend": "trend",
              "two_in_three": "two of three near a limit", "shift": "shift"}


def _row(kpi: str, res: pd.DataFrame | None, note: str) -> dict:
    row = {"kpi": kpi, "chart": "p" if kpi == "readmission_rate" else "xmr",
           "period": pd.NaT, "value": np.nan, "mean": np.nan, "lpl": np.nan, "upl": np.nan,
           "special_cause": False, "label": None, "rules": "", "note": note}
    if res is not None:
        last = res.iloc[-1]
        row.update({
            "period": res.index[-1], "value": float(last["value"]),
            "mean": float(last["mean"]), "lpl": float(last["lpl"]),
            "upl": float(last["upl"]), "special_cause": bool(last["special_cause"]),
            "label": str(last["label"]),
            "rules": ", ".join(name for key, name in RULE_NAMES.items() if bool(last[key])),
        })
    return row


def table_signals(table: Table, *, beds: bool, privacy: str | None,
                  first_is_data_start: bool = False) -> pd.DataFrame:
    """:func:`~hospitalytics.analysis.spc_signals` from the monthly table as published.

    Admissions, ALOS and (with beds) occupancy from their published complete months; the
    readmission rate, whose monthly rates the report does not publish, is withheld. When
    the table starts with the data (no ``start``), ALOS and occupancy leave out its first
    month, as :func:`~hospitalytics.kpi_spc` does (stays admitted before are missing).
    """
    from ..analysis import KPIS, LABELS

    frame = table.published() if privacy is not None else table.frame
    months = pd.DatetimeIndex(pd.to_datetime(frame.index.astype(str)), name="month")
    full = _complete(table, frame)
    rows = []
    for kpi in _SPC_KPIS:
        if kpi == "occupancy" and not beds:
            continue
        if kpi == "readmission_rate":
            rows.append(_row(kpi, None, "withheld: its monthly rates are not published "
                                        "(small-number protection)"))
            continue
        if kpi not in frame.columns:
            role = "discharge_date" if kpi == "alos" else "ward"
            rows.append(_row(kpi, None, f"not available: needs a {role} column"))
            continue
        keep = full.copy()
        if privacy is not None and table.mask is not None and table.mask[kpi].to_numpy()[
                keep].any():
            rows.append(_row(kpi, None, "withheld: some months are hidden by small-number "
                                        "protection"))
            continue
        values = frame[kpi].to_numpy(dtype="float64")
        keep &= np.isfinite(values)
        if first_is_data_start and kpi in ("alos", "occupancy") and len(keep) and keep[0]:
            keep[0] = False
        if int(keep.sum()) < 2:
            rows.append(_row(kpi, None, f"{int(keep.sum())} complete month(s): too few "
                                        "to chart"))
            continue
        res, note = _spc(pd.Series(values[keep], index=months[keep]),
                         KPIS[kpi]["improvement"])
        rows.append(_row(kpi, res, note))
    out = pd.DataFrame(rows).set_index("kpi")
    out["label"] = pd.Categorical(out["label"], categories=list(LABELS))
    return out


def _monthly_mean(table: Table, privacy: str | None) -> float:
    """Mean admissions per complete month, as published (NaN without one)."""
    frame = table.published() if privacy is not None else table.frame
    v = frame["admissions"].to_numpy(dtype="float64")[_complete(table, frame)]
    v = v[np.isfinite(v)]
    return float(v.mean()) if len(v) else float("nan")


def signals(report: Report, privacy: str | None) -> Signals:
    """The process limits and signals of a report (see the module docstring)."""
    table = report.tables.get("monthly")
    if table is None or "admissions" not in table.frame or not len(table.frame):
        return Signals(note="process limits not drawn: no monthly table")
    mean = _monthly_mean(table, privacy)
    if not mean >= MIN_MONTHLY:
        per = "no complete month" if not np.isfinite(mean) else f"{mean:.1f} a month"
        return Signals(note=(
            f"process limits not drawn: too few admissions ({per}; at least "
            f"{MIN_MONTHLY} a month are needed) for monthly limits to tell a signal from "
            "noise"))
    adm, note = admissions_spc(table, privacy)
    if privacy is None:
        from ..analysis import spc_signals

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            sig = spc_signals(report.data, report.beds, start=report.start, end=report.end,
                              as_of=report.as_of, definitions=report.definitions)
    else:
        sig = table_signals(table, beds=report.beds is not None, privacy=privacy,
                            first_is_data_start=report.start is None)
    return Signals(admissions=adm, table=sig, note=note)


# ---------------------------------------------------------------------- forecast
def _data_as_of(clean: pd.DataFrame) -> pd.Timestamp | None:
    from .._frame import setup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return setup(clean, needed_by="build_report").period.as_of


def outlook(report: Report, *, enabled: bool = True) -> Outlook:
    """The "next 4 weeks" section of a report, or why it is not shown."""
    if not enabled:
        return Outlook(note="switched off (forecast=False, --no-forecast)")
    if report.privacy is not None:
        return Outlook(note=(
            "withheld under small-number protection: the forecast starts from the exact "
            "number of patients in each ward on the as-of date, which the protection does "
            "not cover"))
    last = _data_as_of(report.data)
    as_of = report.as_of if report.as_of is not None else last
    if last is None or as_of is None or as_of != last:
        from .._format import day_text

        when = "" if last is None else f" ({day_text(last)})"
        return Outlook(note=(
            f"shown only when the report is read as of the last date in the data{when}; "
            f"this report is as of {day_text(as_of) if as_of is not None else 'another day'}"))
    from ..analysis import forecast_census, forecast_outlook

    by = "ward" if "ward" in report.data.columns else None
    beds = report.beds if by is not None else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            table = forecast_outlook(report.data, beds, horizon=HORIZON, by=by,
                                     as_of=as_of, definitions=report.definitions,
                                     n_sims=WARD_SIMS)
            # the hospital's row: the very call plots.forecast makes for the chart
            daily = forecast_census(report.data, HORIZON, beds=beds, by=None, as_of=as_of,
                                    definitions=report.definitions)
    except ImportError as err:
        return Outlook(note=str(err))
    except (DataQualityError, HospitalyticsError) as err:
        return Outlook(note=f"not available: {err}")
    lv = "80"
    row = {"census_mean": float(daily["forecast"].mean()),
           "census_peak": float(daily[f"upper_{lv}"].max())}
    if "p_over_capacity" in daily and "p_over_capacity_max" in table:
        p = daily["p_over_capacity"].to_numpy(dtype="float64")
        row["p_over_capacity_max"] = float(np.nanmax(p)) if np.isfinite(p).any() else np.nan
        row["days_at_risk"] = int((p >= 0.1).sum())
    for k, v in row.items():
        table.loc["total", k] = v
    return Outlook(table=table, daily=daily)
