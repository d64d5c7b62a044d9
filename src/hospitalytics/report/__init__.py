"""The one-page KPI report: HTML, dashboard images and KPI data, with privacy built in.

:func:`build_report` reads and cleans an export, computes the KPI panel and the tables
behind the charts (every number from a :mod:`hospitalytics.kpis` function) and, when
asked, protects small numbers over everything the report publishes
(:mod:`hospitalytics.report.privacy`); :func:`write_report` writes it as a self-contained
HTML page,
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
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import kpis
from .._format import day_text, period_text
from .._text import visible
from .._version import __version__
from ..capacity import normalize_beds
from ..clean import CleaningReport, standardize
from ..definitions import Definitions, get_definitions
from ..errors import ArgumentError, DataQualityError, DataQualityWarning
from ..io import read
from ..periods import to_date
from ._analysis import Outlook, Signals, outlook, signals
from ._publish import (
    PERIOD_COLUMNS,
    VALUE_COLUMNS,
    apply_protection,
    forecast_payload,
    jsonable,
    privacy_arguments,
    spc_payload,
    withhold_numbers,
)
from .privacy import Privacy, Publication, neutralize_csv, protect
from .privacy._report import ReportCells, build_publication

__all__ = [
    "OUTPUT_FORMATS",
    "Report",
    "Table",
    "build_report",
    "payload",
    "summary_records",
    "to_json",
    "write_report",
]

#: File endings :func:`write_report` understands.
OUTPUT_FORMATS: tuple[str, ...] = (".html", ".htm", ".pdf", ".png", ".svg", ".json", ".csv")



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
        The numbers, as the KPI function returned them (index: the groups). Under a
        privacy method these are the true values: what is published is
        :meth:`published` (and :meth:`display`).
    kinds : dict
        Column -> how to format it (``"count"``, ``"money"``, ``"days"``, ``"pct"``,
        ``"float"``); the index is formatted with ``kinds.get("index")``.
    mask : DataFrame of bool, optional
        Cells hidden by the privacy method (small counts and the cells hidden with them).
    source : str
        The KPI function the numbers come from, for the caption.
    counts : tuple of str
        The columns counting people, stays or patient-days.
    linked : tuple of str
        Columns derived from the counts of their row (costs, means, shares).
    shown : DataFrame, optional
        The published values (rounded under ``hes``; NaN where hidden); None without
        privacy.
    marks : DataFrame, optional
        The marker of each hidden cell (``"<10"``, ``"*"``, ``"[c]"``), ``""`` elsewhere.
    """

    key: str
    title: str
    frame: pd.DataFrame
    kinds: dict[str, str]
    mask: pd.DataFrame | None = None
    source: str = ""
    counts: tuple[str, ...] = ()
    linked: tuple[str, ...] = ()
    shown: pd.DataFrame | None = field(default=None, repr=False)
    marks: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def n_hidden(self) -> int:
        """Number of cells hidden by the privacy method."""
        return 0 if self.mask is None else int(self.mask.to_numpy().sum())

    def published(self) -> pd.DataFrame:
        """The table as published: rounded under ``hes``, hidden cells NaN.

        Without privacy, a copy of :attr:`frame`. Columns with hidden cells become
        float; the index and column labels are those of :attr:`frame`.

        Returns
        -------
        DataFrame
            What a chart or a reader may see.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> rep = build_report(hp.datasets.load_sample(), privacy="hes")
        >>> int(rep.tables["by_department"].published().iloc[0, 0]) % 5
        0
        """
        if self.shown is None:
            return self.frame.copy()
        out = self.frame.copy()
        for c in out.columns:
            new = self.shown[c]
            old = out[c]
            same = np.array_equal(new.to_numpy(dtype="float64", na_value=np.nan),
                                  old.to_numpy(dtype="float64", na_value=np.nan),
                                  equal_nan=True)
            if same:
                continue
            if pd.api.types.is_integer_dtype(old.dtype) and not new.isna().any():
                out[c] = new.astype(old.dtype)
            else:
                out[c] = new.astype("float64")
        return out

    def display(self) -> pd.DataFrame:
        """The table as printed: published numbers, and markers in the hidden cells.

        Returns
        -------
        DataFrame
            Object columns where a cell is hidden.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> rep = build_report(hp.datasets.load_sample(), start="2025-12-14",
        ...                    privacy="suppress:30")
        >>> rep.tables["by_age_group"].display().loc["0-17", "admissions"]
        '<30'
        """
        out = self.published()
        if self.mask is None or self.marks is None:
            return out
        for c in out.columns:
            hide = self.mask[c].to_numpy()
            if hide.any():
                col = out[c].astype(object)
                if self.kinds.get(c) == "count":  # whole counts read as whole numbers
                    col = pd.Series([int(v) if isinstance(v, float) and v.is_integer()
                                     else v for v in col], index=col.index, dtype=object)
                col[hide] = self.marks[c].to_numpy()[hide]
                out[c] = col
        return out


@dataclass
class Report:
    """Everything a report shows, computed once and written in any format.

    Build it with :func:`build_report`. The attribute ``data`` holds the clean stays for
    drawing the charts; it is never written out.

    Attributes
    ----------
    summary : DataFrame
        :func:`hospitalytics.summary` (the KPI panel), true values; what is published
        is :meth:`summary_published` (and :meth:`summary_display`).
    summary_mask : DataFrame of bool or None
        Cells of ``summary`` hidden by the privacy method.
    tables : dict of str to Table
        The tables behind the charts, in report order.
    cleaning : CleaningReport
        What :func:`hospitalytics.standardize` did; what is written out is
        :meth:`cleaning_counts`.
    definitions : Definitions
        The conventions used.
    source : str
        Where the data came from (a file name, or "bundled sample").
    privacy : Privacy or None
        The small-number protection method (``.method`` is ``"suppress"`` or ``"hes"``,
        ``.threshold`` the smallest count shown), or None.
    threshold : int or None
        ``privacy.threshold`` (kept for code written before ``privacy``).
    publication : Publication or None
        Every published figure and the relations between them, protected (for
        :func:`hospitalytics.report.privacy.audit`).
    omitted : list of str
        What could not be computed, and why.
    notes : list of str
        Data-quality notes raised while computing (under a privacy method, with their
        numbers withheld).
    currency : str
        Symbol put before money amounts (``""``: none, and "currency units").
    signals : Signals or None
        Process limits of the monthly admissions and the KPIs' latest-month signals
        (:mod:`hospitalytics.report._analysis`).
    outlook : Outlook or None
        The next 4 weeks (expected admissions and beds in use), or why not shown.
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
    privacy: Privacy | None = None
    publication: Publication | None = field(default=None, repr=False)
    cells: ReportCells | None = field(default=None, repr=False)
    currency: str = ""
    signals: Signals | None = field(default=None, repr=False)
    outlook: Outlook | None = field(default=None, repr=False)

    @property
    def period(self) -> dict[str, object]:
        """The as-of date and the three periods of the KPI panel (text and ISO dates)."""
        return dict(self.summary.attrs)

    @property
    def period_text(self) -> str:
        """The periods in words (:func:`hospitalytics._format.period_text`).

        For example ``"1 Oct 2023 – 15 Dec 2025 · month to date 1–15 Dec 2025 · as of 15 Dec
        2025"``.
        """
        return period_text(self.summary.attrs)

    def summary_published(self) -> pd.DataFrame:
        """The KPI panel as published: rounded under ``hes``, hidden cells NaN.

        ``change`` and ``change_pct`` are computed from the published month-to-date and
        previous values (NaN when either is hidden).

        Returns
        -------
        DataFrame
            Same rows and columns as :attr:`summary`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> rep = build_report(hp.datasets.load_sample(), privacy="hes")
        >>> rep.summary_published().loc["admissions", ["period", "mtd"]].astype(float).tolist()
        [53405.0, 1075.0]
        """
        out = self.summary.copy()
        pub, cells = self.publication, self.cells
        if pub is None or cells is None:
            return out
        for col in PERIOD_COLUMNS:
            values = []
            for kpi in out.index:
                i = cells.summary.get((kpi, col))
                values.append(np.nan if i is None or pub.hidden(i) else pub.published[i])
            out[col] = np.asarray(values, dtype="float64")
        out["change"] = out["mtd"] - out["previous_mtd"]
        with np.errstate(invalid="ignore", divide="ignore"):
            out["change_pct"] = np.where(out["previous_mtd"] != 0,
                                         out["change"] / out["previous_mtd"], np.nan)
        return out

    def summary_display(self) -> pd.DataFrame:
        """The KPI panel as printed: hidden cells hold their marker (object columns).

        Returns
        -------
        DataFrame
            Same rows and columns as :attr:`summary`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> rep = build_report(hp.datasets.load_sample(), start="2025-12-14",
        ...                    privacy="suppress:30")
        >>> rep.summary_display().loc["los_21plus", "period"]
        '<30'
        """
        out = self.summary_published()
        if self.summary_mask is None or self.privacy is None:
            return out
        marks = self._summary_marks()
        for c in VALUE_COLUMNS:
            hide = self.summary_mask[c].to_numpy()
            if hide.any():
                col = out[c].astype(object)
                col[hide] = marks[c].to_numpy()[hide]
                out[c] = col
        return out

    def _summary_marks(self) -> pd.DataFrame:
        pub, cells, p = self.publication, self.cells, self.privacy
        assert pub is not None and cells is not None and p is not None
        shown = pub.display()
        marks = pd.DataFrame("", index=self.summary.index, columns=list(VALUE_COLUMNS))
        for kpi in self.summary.index:
            for col in PERIOD_COLUMNS:
                i = cells.summary.get((kpi, col))
                if i is None:
                    marks.at[kpi, col] = p.withheld_marker
                elif pub.hidden(i):
                    marks.at[kpi, col] = shown.iat[i]
            for col in ("change", "change_pct"):  # a difference is not a small count
                hidden = marks.at[kpi, "mtd"] or marks.at[kpi, "previous_mtd"]
                marks.at[kpi, col] = p.withheld_marker if hidden else ""
        return marks

    def cleaning_counts(self) -> dict[str, object]:
        """The cleaning counts as published (markers where hidden, rounded under ``hes``).

        Returns
        -------
        dict
            ``rows_read``, ``rows_used``, ``rows_rejected``, ``rejected`` (per reason)
            and ``warnings`` (per rule).

        Examples
        --------
        >>> import hospitalytics as hp
        >>> build_report(hp.datasets.load_sample(), privacy="hes").cleaning_counts()[
        ...     "rows_read"]
        53405
        """
        c = self.cleaning
        pub, cells = self.publication, self.cells
        if pub is None or cells is None or self.privacy is None:
            return {"rows_read": c.n_input, "rows_used": c.n_clean,
                    "rows_rejected": c.n_rejected, "rejected": dict(c.rejected_counts),
                    "warnings": dict(c.warning_counts)}
        shown = pub.display()
        withheld = self.privacy.withheld_marker

        def value(name):
            i = cells.cleaning.get(name)
            return withheld if i is None else shown.iat[i]

        out: dict[str, object] = {k: value(k) for k in ("rows_read", "rows_used",
                                                         "rows_rejected")}
        out["rejected"] = {r: value(("rejected", r)) for r in c.rejected_counts}
        out["warnings"] = {r: value(("warning", r)) for r in c.warning_counts}
        return out


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
    dayfirst: bool | None = None,
    privacy: str | Privacy | None = None,
    suppress: int | None = None,
    source: str | None = None,
    progress: Callable[[str], None] | None = None,
    by: str | Sequence[str] | None = None,
    currency: str = "",
    forecast: bool = True,
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
    dayfirst : bool, optional
        Read ``05/01/2024`` as 5 January (True) or May 1st (False); None (default): the
        values decide, as in :func:`hospitalytics.standardize`.
    privacy : str or Privacy, optional
        Small-number protection over everything the report publishes: ``"suppress:N"``
        (hide counts below N, with secondary suppression) or ``"hes"`` (NHS Digital's
        HES rule: 1 to 7 shown as ``*``, other counts rounded to the nearest 5). See
        :mod:`hospitalytics.report.privacy`.
    suppress : int, optional
        The same as ``privacy="suppress:N"`` (kept for existing code).
    source : str, optional
        Name of the data source shown in the report (default: the file name).
    progress : callable, optional
        Called with a short message at each step (reading, cleaning, computing).
    by : str or sequence of str, optional
        The groupings of the volume tables and charts: ``"department"``,
        ``"location"``, ``"ward"`` (one or several). Default: department and location,
        those the data has.
    currency : str, default ""
        Symbol put before money amounts (``"£"``, ``"€"``, ``"$"``); without one, costs
        are plain numbers and chart axes say "currency units".
    forecast : bool, default True
        Add the "Next 4 weeks" section (expected admissions and beds in use, by ward,
        with the chance of running out of beds) when the report is read as of the last
        date in the data. It needs statsmodels (``pip install "hospitalytics[forecast]"``;
        without it the section says so) and is withheld under a privacy method.

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
    >>> rep.cleaning.n_input, rep.privacy.method, rep.threshold
    (53404, 'suppress', 10)
    """
    say = progress or (lambda message: None)
    if not isinstance(currency, str):
        raise ArgumentError(f"currency must be a symbol such as '£', got {currency!r}.",
                            argument="currency", value=currency)
    defs = get_definitions(definitions)
    s, e, a = (to_date(v, name=n) for v, n in ((start, "start"), (end, "end"),
                                                 (as_of, "as_of")))
    method = privacy_arguments(privacy, suppress)
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
    if method is not None and s is None:
        # the first admission's day is one patient's date (the header and the monthly
        # Days column would print it): a protected report starts on the 1st of its month
        s = pd.Timestamp(clean["admission_date"].min()).normalize().replace(day=1)
    period = dict(start=s, end=e, as_of=a)
    say("computing KPIs")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        summary = kpis.summary(clean, table, definitions=defs, **period)
        tables, aux = _tables(clean, table, defs, period, _volume_roles(by, has))
    _note_warnings(caught, notes)
    summary_mask = None
    publication = cells = None
    if method is not None:
        say(f"protecting small numbers ({method.spec})")
        publication, cells = build_publication(
            summary=summary, tables=tables, aux=aux, cleaning=cleaning, clean=clean,
            beds=table if "ward" in has else None, defs=defs, start=s, end=e)
        protect(publication, method)
        summary_mask = apply_protection(publication, cells, summary, tables)
        notes = [withhold_numbers(n) for n in notes]
    before = _as_of_before_data(clean, summary)
    if before and before not in notes:
        notes.append(before)
    rep = Report(
        summary=summary,
        summary_mask=summary_mask,
        tables=tables,
        cleaning=cleaning,
        definitions=defs,
        source=visible(source) if source else "data frame",  # a file name may carry U+202E
        data=clean,
        beds=table if (table is not None and "ward" in has) else None,
        start=s,
        end=e,
        as_of=a,
        threshold=None if method is None else method.threshold,
        omitted=omitted,
        notes=notes,
        privacy=method,
        publication=publication,
        cells=cells,
        currency=currency,
    )
    say("process limits")
    rep.signals = signals(rep, None if method is None else method.method)
    if forecast:
        say("forecasting the next 4 weeks")
    rep.outlook = outlook(rep, enabled=forecast)
    return rep


def _as_of_before_data(clean: pd.DataFrame, summary: pd.DataFrame) -> str:
    """A note when the as-of date comes before the first admission: every figure is 0.

    Dates only (no count): it is added after the notes' numbers are withheld.
    """
    first = clean["admission_date"].min()
    as_of = pd.Timestamp(summary.attrs["as_of"])
    if pd.isna(first) or as_of >= pd.Timestamp(first).normalize():
        return ""
    return (f"nothing had been admitted yet on the as-of date, {day_text(as_of)}: the first "
            f"admission in the data is on {day_text(first)}, so every figure is 0; check "
            "the as-of date")


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
            volume: tuple[str, ...] = ("department",)) -> tuple[dict[str, Table], dict]:
    """The report's tables, and the data behind them they do not print."""
    has = set(clean.columns)
    s, e, a = period["start"], period["end"], period["as_of"]
    out: dict[str, Table] = {}
    aux: dict = {}

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
        aux["monthly_occupancy"] = mo
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
    return out, aux


# ---------------------------------------------------------------------------- output
def summary_records(report: Report) -> list[dict[str, object]]:
    """The KPI panel as published, as a list of plain dicts (hidden cells as markers).

    Parameters
    ----------
    report : Report
        A built report.

    Returns
    -------
    list of dict
        One dict per KPI: ``kpi``, ``label``, ``unit``, ``period``, ``mtd``,
        ``previous_mtd``, ``change``, ``change_pct``, ``convention``; missing and
        non-finite values are ``None``.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> rep = build_report(hp.datasets.load_sample())
    >>> summary_records(rep)[0]["kpi"], summary_records(rep)[0]["unit"]
    ('admissions', 'stays')
    """
    disp = report.summary_display().reset_index()
    return [{k: jsonable(v) for k, v in row.items()} for row in disp.to_dict("records")]


def payload(report: Report) -> dict[str, object]:
    """Everything the JSON output holds, as plain Python data.

    The KPI panel (:func:`summary_records`), the privacy method, the cleaning counts
    (:meth:`Report.cleaning_counts`), what was left out and the notes: all as
    published. Non-finite numbers are ``None``.

    Parameters
    ----------
    report : Report
        A built report.

    Returns
    -------
    dict
        JSON-ready data.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> data = payload(build_report(hp.datasets.load_sample(), privacy="hes"))
    >>> data["privacy"]["method"], data["cleaning"]["rows_read"]
    ('hes', 53405)
    """
    cleaning = report.cleaning_counts()
    p = report.privacy
    return jsonable({
        "hospitalytics_version": __version__,
        "source": report.source,
        **report.period,
        "period_text": report.period_text,
        "currency": report.currency or None,
        "definitions": {"name": report.definitions.name, "label": report.definitions.label(),
                        "description": report.definitions.description},
        "privacy": None if p is None else {
            "method": p.method, "threshold": p.threshold, "marker": p.marker,
            "withheld_marker": p.secondary_marker,
            "withheld_rate_marker": p.withheld_marker, "rule": p.describe(),
        },
        "suppression": None if p is None else {"threshold": p.threshold, "rule": p.describe()},
        "kpis": summary_records(report),
        "cleaning": {"rows_read": cleaning["rows_read"], "rows_clean": cleaning["rows_used"],
                     "rows_rejected": cleaning["rows_rejected"],
                     "rejected": cleaning["rejected"], "warnings": cleaning["warnings"]},
        "spc": spc_payload(report),
        "forecast": forecast_payload(report),
        "omitted": [visible(x) for x in report.omitted],
        "notes": [visible(x) for x in report.notes],
    })


def to_json(report: Report) -> str:
    """The report's JSON output: strict RFC 8259 JSON (never NaN or Infinity).

    Parameters
    ----------
    report : Report
        A built report.

    Returns
    -------
    str
        The JSON text, indented, ending with a newline.

    Examples
    --------
    >>> import json
    >>> import hospitalytics as hp
    >>> json.loads(to_json(build_report(hp.datasets.load_sample())))["kpis"][0]["label"]
    'Admissions'
    """
    return json.dumps(payload(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


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
    the tables behind them, the process signals, the next 4 weeks, definitions, cleaning
    counts, privacy note).
    ``.pdf``/``.png``/``.svg``: the dashboard figure of :mod:`hospitalytics.plots`.
    ``.json``: the KPI panel, the process limits and the forecast as data (strict JSON,
    see :func:`to_json`); ``.csv``: the KPI panel (cells neutralised against formula
    injection). Under a privacy method every format writes the published values only:
    the dashboard is drawn panel by panel from the published tables (a panel whose table
    hides cells under ``suppress`` says it is withheld; under ``hes`` the panels draw the
    rounded values and the page carries the rule), and its cards show the KPI panel as
    published.

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
        For an unsupported file ending, or a dashboard image when matplotlib is not
        installed.

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
        path.write_text(to_json(report), encoding="utf-8")
    elif suffix == ".csv":
        _write_csv(report, path)
    elif suffix in (".html", ".htm"):
        from .html import render_html

        path.write_text(render_html(report, progress=progress), encoding="utf-8")
    else:
        from ._charts import save_dashboard

        save_dashboard(report, path, progress=progress)
    return path
