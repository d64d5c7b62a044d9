"""The one-page KPI report: HTML, dashboard images and KPI data, with privacy built in.

:func:`build_report` reads and cleans an export, computes the KPI panel and the tables
behind the charts (every number from a :mod:`hospitalytics.kpis` function) and applies
small-count suppression; :func:`write_report` writes it as a self-contained HTML page,
a dashboard image (``.pdf``, ``.png``, ``.svg``) or the KPI summary as data (``.json``,
``.csv``). The report never holds patient-level rows in its output: only aggregates,
the cleaning counts and the definitions used.

Examples
--------
>>> import hospitalytics as hp
>>> from hospitalytics.report import build_report
>>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
>>> rep = build_report(df, beds)
>>> bool(rep.summary.loc["admissions", "mtd"] == hp.summary(df, beds).loc["admissions", "mtd"])
True
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import kpis
from .._version import __version__
from ..capacity import normalize_beds
from ..clean import CleaningReport, standardize
from ..definitions import Definitions, get_definitions
from ..errors import ArgumentError, DataQualityError, DataQualityWarning
from ..io import read
from ..periods import to_date
from .privacy import neutralize_csv, suppression_marker, suppression_mask

__all__ = [
    "OUTPUT_FORMATS",
    "Report",
    "Table",
    "build_report",
    "summary_records",
    "write_report",
]

#: File endings :func:`write_report` understands.
OUTPUT_FORMATS: tuple[str, ...] = (".html", ".htm", ".pdf", ".png", ".svg", ".json", ".csv")

# Summary rows counting people or stays (suppressed below the threshold), and the rows
# derived from them (hidden with them).
_COUNT_ROWS = ("admissions", "discharges", "in_patients", "los_7plus", "los_14plus",
               "los_21plus")
_DERIVED_ROWS = {
    "treatment_cost": "admissions",
    "alos": "discharges",
    "readmission_rate_30d": "discharges",
    "bed_turnover": "discharges",
}
_VALUE_COLUMNS = ("period", "mtd", "previous_mtd", "change", "change_pct")


@dataclass
class Table:
    """One table of the report (the data behind a chart).

    Parameters
    ----------
    key : str
        Short name (``"monthly"``, ``"by_treatment"`` ...).
    title : str
        Heading shown in the report.
    frame : DataFrame
        The numbers, as the KPI function returned them (index: the groups).
    kinds : dict
        Column -> how to format it (``"count"``, ``"money"``, ``"days"``, ``"pct"``,
        ``"float"``); the index is formatted with ``kinds.get("index")``.
    mask : DataFrame of bool, optional
        Cells hidden by suppression.
    source : str
        The KPI function the numbers come from, for the caption.
    counts : tuple of str
        The columns counting people or stays (suppressed below the threshold).
    linked : tuple of str
        Columns hidden on the rows whose counts are hidden (costs, means, shares).
    """

    key: str
    title: str
    frame: pd.DataFrame
    kinds: dict[str, str]
    mask: pd.DataFrame | None = None
    source: str = ""
    counts: tuple[str, ...] = ()
    linked: tuple[str, ...] = ()

    @property
    def n_hidden(self) -> int:
        """Number of cells hidden by suppression."""
        return 0 if self.mask is None else int(self.mask.to_numpy().sum())


@dataclass
class Report:
    """Everything a report shows, computed once and written in any format.

    Build it with :func:`build_report`. The attribute ``data`` holds the clean stays for
    drawing the charts; it is never written out.

    Attributes
    ----------
    summary : DataFrame
        :func:`hospitalytics.summary` (the KPI panel).
    summary_mask : DataFrame of bool or None
        Cells of ``summary`` hidden by suppression.
    tables : dict of str to Table
        The tables behind the charts, in report order.
    cleaning : CleaningReport
        What :func:`hospitalytics.standardize` did (only its counts are written out).
    definitions : Definitions
        The conventions used.
    source : str
        Where the data came from (a file name, or "bundled sample").
    threshold : int or None
        The suppression threshold, or None when suppression is off.
    omitted : list of str
        What could not be computed, and why.
    notes : list of str
        Data-quality notes raised while computing.
    """

    summary: pd.DataFrame
    summary_mask: pd.DataFrame | None
    tables: dict[str, Table]
    cleaning: CleaningReport
    definitions: Definitions
    source: str
    data: pd.DataFrame = field(repr=False)
    beds: pd.DataFrame | None = field(default=None, repr=False)
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    as_of: pd.Timestamp | None = None
    threshold: int | None = None
    omitted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def period(self) -> dict[str, str]:
        """The as-of date and the three periods of the KPI panel, as text."""
        return dict(self.summary.attrs)

    def summary_display(self) -> pd.DataFrame:
        """The KPI panel with hidden cells replaced by ``"<N"`` (object columns)."""
        out = self.summary.copy()
        if self.summary_mask is None:
            return out
        marker = suppression_marker(self.threshold or 0)
        for c in _VALUE_COLUMNS:
            if c in out and self.summary_mask[c].any():
                col = out[c].astype(object)
                col[self.summary_mask[c].to_numpy()] = marker
                out[c] = col
        return out


def _summary_mask(summary: pd.DataFrame, threshold: int) -> pd.DataFrame:
    mask = pd.DataFrame(False, index=summary.index, columns=list(_VALUE_COLUMNS))
    for col in ("period", "mtd", "previous_mtd"):
        for kpi in _COUNT_ROWS:
            if kpi in summary.index:
                v = summary.at[kpi, col]
                mask.at[kpi, col] = bool(0 < v < threshold)
        for kpi, base in _DERIVED_ROWS.items():
            if kpi in summary.index and base in summary.index:
                v = summary.at[base, col]
                mask.at[kpi, col] = bool(0 < v < threshold)
    hidden = mask["mtd"] | mask["previous_mtd"]
    mask["change"] = hidden
    mask["change_pct"] = hidden
    return mask


def _note_warnings(caught: list[warnings.WarningMessage], notes: list[str]) -> None:
    for w in caught:
        if issubclass(w.category, DataQualityWarning):
            text = str(w.message)
            if text not in notes:
                notes.append(text)
        else:  # not ours to swallow
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _load_beds(beds: object) -> pd.DataFrame | None:
    if beds is None:
        return None
    if isinstance(beds, (str, os.PathLike)):
        path = Path(beds)
        if not path.exists():
            raise FileNotFoundError(f"no such beds file: {str(path)!r}.")
        try:
            beds = pd.read_csv(path)
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            raise ArgumentError(f"could not read beds file {str(path)!r}: {exc}") from exc
    return normalize_beds(beds)


def build_report(
    data: pd.DataFrame | str | os.PathLike[str],
    beds: object = None,
    *,
    start=None,
    end=None,
    as_of=None,
    definitions: str | Definitions | None = None,
    columns: Mapping[str, str] | None = None,
    dayfirst: bool = False,
    suppress: int | None = None,
    source: str | None = None,
    progress: Callable[[str], None] | None = None,
    by: str | Sequence[str] | None = None,
) -> Report:
    """Compute everything the report shows: KPI panel, tables, cleaning counts.

    Parameters
    ----------
    data : DataFrame, str or path-like
        Stays (raw or canonical), or a file for :func:`hospitalytics.read`. The data is
        always run through :func:`hospitalytics.standardize`; its counts go in the report.
    beds : dict, Series, DataFrame, str or path-like, optional
        Beds per ward, or a CSV file with ``ward,beds[,valid_from,valid_to]``. Without
        beds, occupancy is left out (and the report says so).
    start, end, as_of : date-like, optional
        The period (inclusive) and the extract date, as for the KPIs.
    definitions : str or Definitions, optional
        ``"who"`` (default), ``"hcup"``, ``"oecd"`` or a :class:`Definitions`.
    columns : mapping, optional
        Explicit ``{role: column}`` entries.
    dayfirst : bool, default False
        Read ``05/01/2024`` as 5 January.
    suppress : int, optional
        Hide counts below this threshold (with complementary suppression, see
        :func:`hospitalytics.report.privacy.suppress`).
    source : str, optional
        Name of the data source shown in the report (default: the file name).
    progress : callable, optional
        Called with a short message at each step (reading, cleaning, computing).
    by : str or sequence of str, optional
        The groupings of the volume tables and charts: ``"department"``,
        ``"location"``, ``"ward"`` (one or several). Default: department and location,
        those the data has.

    Returns
    -------
    Report
        The report, ready for :func:`write_report`.

    Raises
    ------
    FileNotFoundError
        When the input or beds file does not exist.
    SchemaError
        When no admission date column can be found (the message names the ``columns=``
        / ``--column`` that fixes it).
    ArgumentError
        For bad dates, an unknown preset, a bad threshold or bad beds.
    DataQualityError
        When a file cannot be read or no row has a usable admission date.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> rep = build_report(hp.datasets.load_sample(), hp.datasets.load_sample_beds(),
    ...                    start="2025-01-01", end="2025-06-30", suppress=10)
    >>> rep.summary.attrs["period"]
    '2025-01-01 to 2025-06-30 (as of 2025-12-15)'
    >>> list(rep.tables)  # doctest: +NORMALIZE_WHITESPACE
    ['monthly', 'by_department', 'by_location', 'los_distribution', 'by_age_group',
     'occupancy_by_ward', 'monthly_occupancy_by_ward', 'by_treatment']
    >>> rep.cleaning.n_input, rep.threshold
    (8000, 10)
    """
    say = progress or (lambda message: None)
    defs = get_definitions(definitions)
    s, e, a = (to_date(v, name=n) for v, n in ((start, "start"), (end, "end"),
                                                 (as_of, "as_of")))
    if suppress is not None and (
        isinstance(suppress, bool) or not isinstance(suppress, (int, np.integer))
        or suppress < 1
    ):
        raise ArgumentError(f"suppress must be a whole number of 1 or more, got {suppress!r}.")
    table = _load_beds(beds)
    if isinstance(data, (str, os.PathLike)):
        say(f"reading {os.fspath(data)}")
        source = source or Path(os.fspath(data)).name
        raw = read(data, columns=columns, dayfirst=dayfirst)
    elif isinstance(data, pd.DataFrame):
        raw = data
    else:
        raise ArgumentError(
            f"data must be a DataFrame or a file path, got {type(data).__name__}."
        )
    say(f"cleaning {len(raw):,} rows")
    clean, cleaning = standardize(raw, columns, dayfirst=dayfirst)
    if clean.empty:
        raise DataQualityError(
            f"no usable rows: all {cleaning.n_input} rows were rejected "
            f"({', '.join(f'{k}: {v}' for k, v in cleaning.rejected_counts.items() if v)}); "
            "check the date columns (--dayfirst?) or name them with --column."
        )
    notes: list[str] = list(cleaning.notes)
    omitted: list[str] = []
    has = set(clean.columns)
    if table is not None and "ward" not in has:
        omitted.append("Bed occupancy: the data has no ward (or department) column.")
    if table is None:
        omitted.append("Bed occupancy and bed turnover: no bed capacities were given "
                       "(--beds FILE).")
    for role, what in (("cost", "Treatment cost"), ("discharge_date", "Discharges, ALOS and "
                       "length-of-stay distribution"), ("age", "Age groups"),
                       ("treatment", "Treatment breakdown"),
                       ("patient_id", "Distinct patients and readmission rate"),
                       ("department", "Admissions by department")):
        if role in has:
            continue
        candidates = cleaning.roles.ambiguous.get(role)
        if candidates:
            names = " or ".join(repr(c) for c in candidates)
            omitted.append(
                f"{what}: {len(candidates)} columns could be the {role.replace('_', ' ')} "
                f"({names}); name one with --column {role}=NAME."
            )
        else:
            omitted.append(f"{what}: the data has no {role.replace('_', ' ')} column.")
    period = dict(start=s, end=e, as_of=a)
    say("computing KPIs")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        summary = kpis.summary(clean, table, definitions=defs, **period)
        tables = _tables(clean, table, defs, period, _volume_roles(by, has))
    _note_warnings(caught, notes)
    summary_mask = None
    if suppress is not None:
        summary_mask = _summary_mask(summary, int(suppress))
        for t in tables.values():
            if t.counts:
                t.mask = suppression_mask(t.frame, int(suppress), columns=list(t.counts),
                                          crosstab=False, linked=list(t.linked))
    return Report(
        summary=summary,
        summary_mask=summary_mask,
        tables=tables,
        cleaning=cleaning,
        definitions=defs,
        source=source or "data frame",
        data=clean,
        beds=table if (table is not None and "ward" in has) else None,
        start=s,
        end=e,
        as_of=a,
        threshold=None if suppress is None else int(suppress),
        omitted=omitted,
        notes=notes,
    )


def _people(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    return {
        "counts": tuple(c for c in ("admissions", "patients") if c in frame),
        "linked": tuple(c for c in ("total_cost", "mean_cost") if c in frame),
    }


_VOLUME_ROLES = ("department", "location", "ward")


def _volume_roles(by: str | Sequence[str] | None, has: set[str]) -> tuple[str, ...]:
    """The groupings of the volume tables: ``by`` (checked), or department and location."""
    if by is None:
        return tuple(r for r in ("department", "location") if r in has)
    roles = (by,) if isinstance(by, str) else tuple(by)
    bad = [r for r in roles if r not in _VOLUME_ROLES]
    if bad or not roles:
        raise ArgumentError(f"by must be one or more of {list(_VOLUME_ROLES)}, got {by!r}.")
    return tuple(dict.fromkeys(roles))


def _tables(clean: pd.DataFrame, beds, defs: Definitions, period: dict,
            volume: tuple[str, ...] = ("department",)) -> dict[str, Table]:
    has = set(clean.columns)
    s, e, a = period["start"], period["end"], period["as_of"]
    out: dict[str, Table] = {}

    m = kpis.monthly(clean, beds if "ward" in has else None, s, e, as_of=a, definitions=defs)
    m.index.name = "month"
    kinds = {"index": "month", "days": "count", "admissions": "count", "discharges": "count",
             "treatment_cost": "money", "alos": "days", "bed_days": "count",
             "available_bed_days": "count", "occupancy": "pct"}
    out["monthly"] = Table("monthly", "Monthly activity", m,
                           {k: v for k, v in kinds.items() if k == "index" or k in m},
                           source="hospitalytics.monthly",
                           counts=tuple(c for c in ("admissions", "discharges") if c in m),
                           linked=tuple(c for c in ("treatment_cost", "alos") if c in m))
    for role in volume:
        if role not in has:
            continue
        adm = kpis.admissions(clean, s, e, as_of=a, by=role)
        frame = adm.sort_values(ascending=False, kind="stable").to_frame("admissions")
        out[f"by_{role}"] = Table(f"by_{role}", f"Admissions by {role}", frame,
                                  {"admissions": "count"},
                                  source=f'hospitalytics.admissions(by="{role}")',
                                  counts=("admissions",))
    if "discharge_date" in has:
        d = kpis.los_distribution(clean, s, e, as_of=a)
        out["los_distribution"] = Table(
            "los_distribution", "Length of stay (nights) of the stays discharged", d,
            {"stays": "count", "share": "pct"}, source="hospitalytics.los_distribution",
            counts=("stays",), linked=("share",))
    money = {"admissions": "count", "patients": "count", "total_cost": "money",
             "mean_cost": "money"}
    if "age" in has:
        g = kpis.by_age_group(clean, s, e, as_of=a)
        out["by_age_group"] = Table("by_age_group", "Admissions by age group", g,
                                    {k: v for k, v in money.items() if k in g},
                                    source="hospitalytics.by_age_group", **_people(g))
    if beds is not None and "ward" in has:
        o = kpis.occupancy_by_ward(clean, beds, s, e, as_of=a, definitions=defs)
        out["occupancy_by_ward"] = Table(
            "occupancy_by_ward", "Bed occupancy by ward", o,
            {"occupied_bed_days": "count", "available_bed_days": "count", "occupancy": "pct"},
            source="hospitalytics.occupancy_by_ward")
        mo = kpis.monthly_occupancy_by_ward(clean, beds, s, e, as_of=a, definitions=defs)
        if len(mo):
            pivot = mo.pivot(index="ward", columns="month", values="occupancy")
            pivot.columns = [f"{pd.Timestamp(c):%Y-%m}" for c in pivot.columns]
            out["monthly_occupancy_by_ward"] = Table(
                "monthly_occupancy_by_ward", "Monthly bed occupancy by ward", pivot,
                dict.fromkeys(pivot.columns, "pct"),
                source="hospitalytics.monthly_occupancy_by_ward")
    if "treatment" in has:
        t = kpis.by_treatment(clean, s, e, as_of=a)
        out["by_treatment"] = Table("by_treatment", "Volume and cost by treatment", t,
                                    {k: v for k, v in money.items() if k in t},
                                    source="hospitalytics.by_treatment", **_people(t))
    return out


# ---------------------------------------------------------------------------- output
def _jsonable(value: object) -> object:
    if isinstance(value, str):
        return value
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def summary_records(report: Report) -> list[dict[str, object]]:
    """The KPI panel as a list of plain dicts (hidden cells as ``"<N"``).

    Parameters
    ----------
    report : Report
        A built report.

    Returns
    -------
    list of dict
        One dict per KPI: ``kpi``, ``label``, ``unit``, ``period``, ``mtd``,
        ``previous_mtd``, ``change``, ``change_pct``, ``convention``; missing values
        are ``None``.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> rep = build_report(hp.datasets.load_sample())
    >>> summary_records(rep)[0]["kpi"], summary_records(rep)[0]["unit"]
    ('admissions', 'stays')
    """
    disp = report.summary_display().reset_index()
    return [{k: _jsonable(v) for k, v in row.items()} for row in disp.to_dict("records")]


def _payload(report: Report) -> dict[str, object]:
    c = report.cleaning
    return {
        "hospitalytics_version": __version__,
        "source": report.source,
        **report.period,
        "definitions": {"name": report.definitions.name, "label": report.definitions.label(),
                        "description": report.definitions.description},
        "suppression": None if report.threshold is None else {
            "threshold": report.threshold,
            "rule": "counts below the threshold hidden as '<N', with complementary "
                    "suppression",
        },
        "kpis": summary_records(report),
        "cleaning": {"rows_read": c.n_input, "rows_clean": c.n_clean,
                     "rows_rejected": c.n_rejected, "rejected": c.rejected_counts,
                     "warnings": c.warning_counts},
        "omitted": list(report.omitted),
        "notes": list(report.notes),
    }


def _write_csv(report: Report, path: Path) -> None:
    table = pd.DataFrame(summary_records(report))
    neutralize_csv(table).to_csv(path, index=False)


def write_report(
    report: Report,
    path: str | os.PathLike[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write a report; the format comes from the file name.

    ``.html``/``.htm``: one self-contained page (KPI cards, charts embedded as PNG,
    the tables behind them, definitions, cleaning counts, suppression note).
    ``.pdf``/``.png``/``.svg``: the dashboard figure of :mod:`hospitalytics.plots`.
    ``.json``/``.csv``: the KPI panel as data (CSV cells are neutralised against
    formula injection).

    Parameters
    ----------
    report : Report
        From :func:`build_report`.
    path : str or path-like
        The output file.
    progress : callable, optional
        Called with a short message while drawing.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ArgumentError
        For an unsupported file ending, or a dashboard image asked for with suppression
        on while the dashboard cannot hide small counts.

    Examples
    --------
    >>> import os, tempfile, json
    >>> import hospitalytics as hp
    >>> rep = build_report(hp.datasets.load_sample())
    >>> out = write_report(rep, os.path.join(tempfile.mkdtemp(), "kpis.json"))
    >>> json.loads(out.read_text())["kpis"][0]["label"]
    'Admissions'
    """
    path = Path(os.fspath(path))
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise ArgumentError(
            f"cannot write {path.name!r}: the output must end in one of "
            f"{', '.join(OUTPUT_FORMATS)}."
        )
    if suffix == ".json":
        path.write_text(json.dumps(_payload(report), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    elif suffix == ".csv":
        _write_csv(report, path)
    elif suffix in (".html", ".htm"):
        from .html import render_html

        path.write_text(render_html(report, progress=progress), encoding="utf-8")
    else:
        from ._charts import save_dashboard

        save_dashboard(report, path, progress=progress)
    return path
