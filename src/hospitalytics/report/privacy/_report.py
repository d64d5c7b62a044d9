"""The publication of a report: every figure it prints and how the figures are related.

Used by :func:`hospitalytics.report.build_report`. The relations are the ones an
attacker can use:

- a period is the sum of its months; the month-to-date and the previous month's same
  days are parts of their months (the time axis is cut into segments at every boundary
  of the period, the months, the MTD and the previous MTD: each published figure over a
  span of days is the sum of its segments);
- the rows of a breakdown (departments, treatments, age groups, LOS bands, wards) add
  up to the period's figure; patients <= admissions;
- in-patients at a date <= the bed-days of the segment holding that date (equal for a
  one-day segment); long stays <= in-patients; occupied bed-days of the wards with beds
  <= all bed-days;
- rates and means: average daily census = bed-days / days, occupancy = occupied /
  available bed-days, turnover = discharges from the wards with beds / beds,
  readmission rate = readmissions / discharges, ALOS = total length of stay / stays,
  mean cost = total cost / stays with a cost, share = stays / all stays;
- the cleaning counts: rows read = used + rejected, rejected = sum of the reasons,
  rows used = admissions over the whole data, each warning count <= rows used.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ... import kpis
from ..._frame import setup
from ...errors import HospitalyticsError
from ...periods import previous_month_same_days, resolve_period
from ._flows import add_flows
from ._model import Publication

__all__ = ["ReportCells", "build_publication"]

_COLS = ("period", "mtd", "previous_mtd")
_PRIORITY = {"period": 4, "mtd": 3, "previous_mtd": 3}
_DAY = pd.Timedelta(days=1)


@dataclass
class ReportCells:
    """Where each printed figure of a report lives in its :class:`Publication`."""

    summary: dict = field(default_factory=dict)  # (kpi, col) -> id
    tables: dict = field(default_factory=dict)  # key -> DataFrame of ids (-1: not a cell)
    cleaning: dict = field(default_factory=dict)  # name -> id


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


class _Axis:
    """The time axis cut into segments; figures over spans of days are sums of segments."""

    def __init__(self, bounds: list[pd.Timestamp]):
        self.bounds = sorted(set(bounds))  # segment k: [bounds[k-1], bounds[k]) (k=0: -inf)
        self._pos = {b: i for i, b in enumerate(self.bounds)}

    def segments(self, first: pd.Timestamp, last: pd.Timestamp) -> list[int]:
        """Segments covering days ``first..last`` (which must fall on boundaries)."""
        lo = self._pos[first]
        hi = self._pos[last + _DAY]
        return list(range(lo + 1, hi + 1))

    def of_days(self, days: np.ndarray) -> np.ndarray:
        """The segment of each day (datetime64[D])."""
        edges = np.array([np.datetime64(b.date(), "D") for b in self.bounds])
        return np.searchsorted(edges, days, side="right")

    def span(self, k: int) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        b = self.bounds
        first = b[k - 1] if k >= 1 else None
        last = b[k] - _DAY if k < len(b) else None
        return first, last


class _Builder:
    def __init__(self, pub: Publication, axis: _Axis, clean: pd.DataFrame, as_of, defs,
                 beds):
        self.pub = pub
        self.axis = axis
        self.clean = clean
        self.as_of = as_of
        self.defs = defs
        self.beds = beds
        self.atoms: dict[tuple[str, int], int] = {}
        self.known: dict[tuple[str, int], float] = {}
        self.spans: dict[str, list] = {}
        self._alos_seg: tuple[np.ndarray, np.ndarray] | None = None
        self.per_segment: dict[str, np.ndarray] = {}  # measures given segment by segment
        # One row per stay (ward segments collapsed by stay_id, as the KPIs count them).
        self.stays = _quiet(lambda: setup(
            clean, as_of=as_of, wants=("discharge_date", "stay_id", "patient_id")
        ).events().frame)

    # values of one measure over a span of days (only for segments no table gives)
    def value(self, measure: str, first, last) -> float:
        c, a = self.clean, self.as_of
        if measure == "admissions":
            if first is not None and first > a:
                return float(len(c)) - kpis.admissions(c, as_of=a)
            return float(kpis.admissions(c, first, last, as_of=a))
        if measure == "discharges":
            return float(kpis.discharges(c, first, last, as_of=a))
        if measure == "cost":
            return float(_quiet(kpis.treatment_cost, c, first, last, as_of=a))
        if measure == "bed_days":
            return float(kpis.bed_days(c, first, last, as_of=a, definitions=self.defs))
        if measure == "occupied":
            t = _quiet(kpis.occupancy_by_ward, c, self.beds, first, last, as_of=a,
                       definitions=self.defs)
            return float(t["occupied_bed_days"].sum())
        if measure == "unbedded":
            return self.value("bed_days", first, last) - self.value("occupied", first, last)
        if measure in self.per_segment:
            per = self.per_segment[measure]
            ks = range(len(per)) if first is None and last is None else (
                self._open_segments(first, last))
            return float(sum(per[k] for k in ks))
        if measure in ("alos_n", "alos_los"):
            per = self._alos_segments()[0 if measure == "alos_n" else 1]
            if first is None or last is None:
                n, los = alos_parts(self.stays, first, last, a, self.defs)
                return float(n if measure == "alos_n" else los)
            return float(sum(per[k] for k in self.axis.segments(first, last)))
        raise KeyError(measure)

    def _open_segments(self, first, last) -> list[int]:
        """Segments of ``first..last`` where either end may be open (None)."""
        n = len(self.axis.bounds)
        lo = 0 if first is None else self.axis._pos[first] + 1
        hi = n if last is None else self.axis._pos[last + _DAY]
        return list(range(lo, hi + 1))

    def _alos_segments(self) -> tuple[np.ndarray, np.ndarray]:
        """Stays in the ALOS and their total length of stay, per segment (one pass)."""
        if self._alos_seg is None:
            size = len(self.axis.bounds) + 1
            if "discharge_date" in self.clean:
                key, los = _alos_selection(self.stays, self.as_of, self.defs)
                seg = self.axis.of_days(key)
            else:
                seg, los = np.array([], dtype="int64"), np.array([], dtype="float64")
            self._alos_seg = (np.bincount(seg, minlength=size).astype("float64"),
                              np.bincount(seg, weights=los, minlength=size))
        return self._alos_seg

    def whole(self, measure: str) -> bool | None:
        """Total length of stay is fractional with exact (hours) LOS."""
        if measure == "alos_los":
            return self.defs.los_unit != "exact"
        return None

    def atom(self, measure: str, k: int) -> int:
        key = (measure, k)
        if key not in self.atoms:
            if key in self.known:
                v = self.known[key]
            else:
                first, last = self.axis.span(k)
                v = self.value(measure, first, last)
            kind = "amount" if measure == "cost" else "count"
            self.atoms[key] = self.pub.add(("segment", measure, k), v, kind=kind,
                                           shown=False, whole=self.whole(measure))
        return self.atoms[key]

    def over(self, cell: int, measure: str, first, last, why: str) -> None:
        """``cell`` = the sum of ``measure`` over the segments of ``first..last``."""
        segs = self.axis.segments(first, last)
        self.spans.setdefault(measure, []).append((cell, frozenset(segs)))
        if len(segs) == 1 and (measure, segs[0]) not in self.atoms:
            self.atoms[(measure, segs[0])] = cell  # the cell is the segment itself
            return
        self.pub.sums(cell, [self.atom(measure, k) for k in segs], why=why)

    def split(self, bed_days: int, occupied: int, first, last) -> None:
        """Bed-days = those in wards with beds + those elsewhere (both additive in time)."""
        pub = self.pub
        u = pub.add(("unbedded", len(pub)), pub.values[bed_days] - pub.values[occupied],
                    shown=False)
        pub.relate([(bed_days, 1.0), (occupied, -1.0), (u, -1.0)], 0.0, 0.0,
                   "bed-days = in wards with beds + elsewhere")
        self.over(u, "unbedded", first, last, "bed-days outside the wards with beds")

    def nest(self) -> None:
        """For spans inside other spans: the larger = the smaller + the segments between.

        Implied by the segment sums already, but spelled out so that bound propagation
        sees them as directly as linear programming does.
        """
        for measure, spans in self.spans.items():
            spans = sorted(set(spans), key=lambda cs: len(cs[1]))
            for i, (small, s_segs) in enumerate(spans):
                if len(s_segs) < 2:
                    continue  # a one-segment span is a term of the larger span's sum
                for big, b_segs in spans[i + 1:]:
                    if small == big or not s_segs < b_segs:
                        continue
                    rest = [self.atom(measure, k) for k in sorted(b_segs - s_segs)]
                    self.pub.relate([(big, 1.0), (small, -1.0)] + [(r, -1.0) for r in rest],
                                    0.0, 0.0, f"{measure}: a span holds a shorter one")

    def teach(self, measure: str, first, last, value: float) -> None:
        """Record a known value for a one-segment span (saves recomputing it)."""
        segs = self.axis.segments(first, last)
        if len(segs) == 1:
            self.known[(measure, segs[0])] = float(value)


def _alos_base(pub: Publication, defs, n: int, dis: int | None, adm: int) -> None:
    """The stays in an ALOS are its discharges (or admissions), or some of them."""
    base = dis if defs.alos_basis == "discharges" else adm
    if base is None:
        return
    if defs.alos_basis == "discharges" and not defs.exclude_same_day:
        pub.equal(n, base, "the ALOS is over every discharge")
    else:
        pub.at_most(n, base, "stays in the ALOS <= their base")


def _alos_selection(clean: pd.DataFrame, as_of, defs):
    """The stays an ALOS can count (any span), their key day and length of stay."""
    a = np.datetime64(pd.Timestamp(as_of).date(), "D")
    adm = clean["admission_date"].to_numpy().astype("datetime64[ns]")
    dis = clean["discharge_date"].to_numpy().astype("datetime64[ns]")
    adm_d, dis_d = adm.astype("datetime64[D]"), dis.astype("datetime64[D]")
    mask = ~np.isnat(dis) & (dis_d <= a)
    if defs.alos_basis != "discharges":
        mask &= adm_d <= a
    if defs.exclude_same_day:
        mask &= dis_d != adm_d
    key = (dis_d if defs.alos_basis == "discharges" else adm_d)[mask]
    if defs.los_unit == "exact":
        los = (dis[mask] - adm[mask]) / np.timedelta64(1, "D")
    else:
        los = (dis_d[mask] - adm_d[mask]).astype("int64").astype("float64")
        if defs.same_day_los:
            los[los == 0] = float(defs.same_day_los)
    return key, los


def alos_parts(clean: pd.DataFrame, first, last, as_of, defs) -> tuple[int, float]:
    """Stays in an ALOS over ``first..last`` and their total length of stay, per ``defs``.

    The same selection as :func:`hospitalytics.alos`: stays discharged in the span (or,
    with ``alos_basis="admissions"``, admitted in it and discharged by the as-of date),
    same-day stays left out when the definitions say so.
    """
    if "discharge_date" not in clean:
        return 0, 0.0
    key, los = _alos_selection(clean, as_of, defs)
    mask = np.ones(len(key), dtype=bool)
    if first is not None:
        mask &= key >= np.datetime64(pd.Timestamp(first).date(), "D")
    if last is not None:
        mask &= key <= np.datetime64(pd.Timestamp(last).date(), "D")
    return int(mask.sum()), float(los[mask].sum())


def build_publication(
    *,
    summary: pd.DataFrame,
    tables: dict,
    aux: dict,
    cleaning,
    clean: pd.DataFrame,
    beds: pd.DataFrame | None,
    defs,
    start,
    end,
) -> tuple[Publication, ReportCells]:
    """Every figure a report prints, as a :class:`Publication`, and where each one is.

    Parameters
    ----------
    summary : DataFrame
        The KPI panel.
    tables : dict of str to Table
        The report's tables.
    aux : dict
        Data behind the tables that they do not print (``"monthly_occupancy"``: the tidy
        ward-month frame).
    cleaning : CleaningReport
        The cleaning counts.
    clean : DataFrame
        The clean stays.
    beds : DataFrame or None
        The beds table, when occupancy is reported.
    defs : Definitions
        The conventions in force.
    start, end : Timestamp or None
        The period asked for.

    Returns
    -------
    tuple
        ``(publication, cells)``.
    """
    pub = Publication()
    cells = ReportCells()
    a = pd.Timestamp(summary.attrs["as_of"])
    per = resolve_period(start, end, as_of=a)
    p0 = per.start if per.start is not None else (
        pd.Timestamp(clean["admission_date"].min()).normalize())
    p0 = min(p0, per.end + _DAY)  # an empty period
    spans = {
        "period": (p0, per.end),
        "mtd": (a.replace(day=1), a),
        "previous_mtd": (previous_month_same_days(a).start, previous_month_same_days(a).end),
    }
    monthly = tables.get("monthly")
    month_spans: dict = {}
    if monthly is not None:
        for m, days in monthly.frame["days"].items():
            first = max(pd.Timestamp(m), p0)
            month_spans[m] = (first, first + pd.Timedelta(days=int(days) - 1))
    bounds = [a + _DAY]
    for f, last in list(spans.values()) + list(month_spans.values()):
        if f <= last:
            bounds += [f, last + _DAY]
    axis = _Axis(bounds)
    b = _Builder(pub, axis, clean, a, defs, beds)
    has = set(summary.index)

    # Known segment values from the monthly table (whole rows).
    if monthly is not None:
        f = monthly.frame
        for m, (first, last) in month_spans.items():
            for col, measure in (("admissions", "admissions"), ("discharges", "discharges"),
                                 ("treatment_cost", "cost"), ("bed_days", "bed_days")):
                if col in f:
                    b.teach(measure, first, last, f.at[m, col])
            if "occupancy" in f and "available_bed_days" in f:
                occ = f.at[m, "occupancy"] * f.at[m, "available_bed_days"]
                if np.isfinite(occ):
                    b.teach("occupied", first, last, round(occ))
                    if "bed_days" in f:
                        b.teach("unbedded", first, last, f.at[m, "bed_days"] - round(occ))

    # ---------------------------------------------------------------- KPI panel
    def scell(kpi, col, kind="count", **kw):
        v = summary.at[kpi, col]
        i = pub.add(("summary", kpi, col), v, kind=kind, priority=_PRIORITY[col], **kw)
        cells.summary[(kpi, col)] = i
        return i

    snapshot: dict = {}
    los_bands = None
    for col in _COLS:
        first, last = spans[col]
        if first > last:
            continue
        n_days = (last - first).days + 1
        adm = scell("admissions", col)
        b.over(adm, "admissions", first, last, f"admissions {col} = its days")
        dis = None
        if "discharges" in has:
            dis = scell("discharges", col)
            b.over(dis, "discharges", first, last, f"discharges {col} = its days")
        if "treatment_cost" in has:
            cost = scell("treatment_cost", col, kind="amount", base=adm)
            b.over(cost, "cost", first, last, f"cost {col} = its days")
        if "alos" in has:
            r = scell("alos", col, kind="ratio")
            n = pub.add(("alos_n", col), b.value("alos_n", first, last), shown=False)
            los = pub.add(("alos_los", col), b.value("alos_los", first, last),
                          shown=False, whole=b.whole("alos_los"))
            b.over(n, "alos_n", first, last, f"ALOS stays {col}")
            b.over(los, "alos_los", first, last, f"ALOS days {col}")
            pub.ratio(r, los, n, from_parts=True)
            _alos_base(pub, defs, n, dis, adm)
        bd = None
        if "bed_days" in has:
            bd = scell("bed_days", col)
            b.over(bd, "bed_days", first, last, f"bed-days {col} = its days")
        if "average_daily_census" in has and bd is not None:
            r = scell("average_daily_census", col, kind="ratio")
            pub.ratio(r, bd, float(n_days), individuals=-1, from_parts=True)
        if "occupancy" in has:
            occ_t = _quiet(kpis.occupancy_by_ward, clean, beds, first, last, as_of=a,
                           definitions=defs)
            avail = float(occ_t["available_bed_days"].sum())
            occ = pub.add(("occupied", col), float(occ_t["occupied_bed_days"].sum()),
                          shown=False)
            b.over(occ, "occupied", first, last, f"occupied bed-days {col}")
            r = scell("occupancy", col, kind="ratio")
            pub.ratio(r, occ, avail, individuals=-1, from_parts=True)
            if bd is not None:
                b.split(bd, occ, first, last)
            if "bed_turnover" in has and dis is not None:
                r = scell("bed_turnover", col, kind="ratio")
                t = summary.at["bed_turnover", col]
                beds_avg = avail / n_days if n_days else float("nan")
                dis_b = round(t * beds_avg) if np.isfinite(t) and np.isfinite(beds_avg) else 0
                h = pub.add(("discharges_bedded", col), dis_b, shown=False)
                pub.at_most(h, dis, "discharges from wards with beds <= discharges")
                pub.ratio(r, h, beds_avg, individuals=-1, from_parts=True)
        if "in_patients" in has:
            ip = scell("in_patients", col)
            prev = snapshot.get(last)
            if prev is not None:
                pub.equal(ip, prev["in_patients"], "in-patients on the same day")
            snapshot.setdefault(last, {"in_patients": ip})
            if bd is not None:
                seg = axis.segments(first, last)[-1]
                s_first, s_last = axis.span(seg)
                census = b.atom("bed_days", seg)
                if s_first == s_last and not defs.day_case_bed_day:
                    pub.equal(ip, census, "in-patients = bed-days of a one-day span")
                else:
                    pub.at_most(ip, census, "in-patients <= bed-days of the span")
            longer = ip
            for k in ("los_7plus", "los_14plus", "los_21plus"):
                if k in has:
                    c = scell(k, col)
                    pub.at_most(c, longer, f"{k} <= the in-patients it is part of")
                    if prev is not None and k in prev:
                        pub.equal(c, prev[k], f"{k} on the same day")
                    snapshot[last].setdefault(k, c)
                    longer = c
        if "readmission_rate_30d" in has and dis is not None:
            r = scell("readmission_rate_30d", col, kind="ratio")
            rate = summary.at["readmission_rate_30d", col]
            counts = _readmission_counts(clean, first, last, a)
            if counts is None or not _same(rate, counts):
                # the counts behind the panel's rate are not those of
                # hospitalytics.readmission_rate: it cannot be checked, so it is withheld
                pub.withhold(r)
            else:
                index = pub.add(("index_stays", col), counts["index_stays"], shown=False)
                h = pub.add(("readmissions", col), counts["readmitted"], shown=False)
                pub.at_most(index, dis, "index stays <= discharges")
                pub.at_most(h, index, "readmitted <= index stays")
                pub.ratio(r, h, index, from_parts=True)

    def period_cell(kpi):
        return cells.summary.get((kpi, "period"))

    # ------------------------------------------------------------------ tables
    for key, table in tables.items():
        frame = table.frame
        grid = np.full(frame.shape, -1, dtype="int64")
        cells.tables[key] = pd.DataFrame(grid, index=frame.index, columns=frame.columns,
                                         copy=False)
        rpos = {r: i for i, r in enumerate(frame.index)}
        cpos = {c: j for j, c in enumerate(frame.columns)}
        colvals = [frame.iloc[:, j].to_numpy(dtype="float64", na_value=np.nan)
                   for j in range(frame.shape[1])]

        def tcell(row, col, kind="count", _key=key, _grid=grid, _r=rpos, _c=cpos,
                  _v=colvals, **kw):
            r, c = _r[row], _c[col]
            i = pub.add(("table", _key, row, col), _v[c][r], kind=kind, **kw)
            _grid[r, c] = i
            return i

        if key == "monthly":
            for m, (first, last) in month_spans.items():
                tcell(m, "days", kind="constant")
                adm = tcell(m, "admissions")
                b.over(adm, "admissions", first, last, "monthly admissions")
                dis = None
                if "discharges" in frame:
                    dis = tcell(m, "discharges")
                    b.over(dis, "discharges", first, last, "monthly discharges")
                if "treatment_cost" in frame:
                    c = tcell(m, "treatment_cost", kind="amount", base=adm)
                    b.over(c, "cost", first, last, "monthly cost")
                if "alos" in frame:
                    r = tcell(m, "alos", kind="ratio")
                    n = b.atom("alos_n", axis.segments(first, last)[0]) if len(
                        axis.segments(first, last)) == 1 else None
                    if n is None:
                        n = pub.add(("alos_n", key, m), b.value("alos_n", first, last),
                                    shown=False)
                        b.over(n, "alos_n", first, last, "monthly ALOS stays")
                    los = pub.add(("alos_los", key, m), b.value("alos_los", first, last),
                                  shown=False, whole=b.whole("alos_los"))
                    b.over(los, "alos_los", first, last, "monthly ALOS days")
                    pub.ratio(r, los, n, from_parts=True)
                    _alos_base(pub, defs, n, dis, adm)
                bd = None
                if "bed_days" in frame:
                    bd = tcell(m, "bed_days")
                    b.over(bd, "bed_days", first, last, "monthly bed-days")
                if "available_bed_days" in frame:
                    tcell(m, "available_bed_days", kind="constant")
                if "occupancy" in frame:
                    r = tcell(m, "occupancy", kind="ratio")
                    avail = float(frame.at[m, "available_bed_days"])
                    occ_v = frame.at[m, "occupancy"] * avail if avail else 0.0
                    occ = pub.add(("occupied", key, m), round(occ_v) if np.isfinite(occ_v)
                                  else 0.0, shown=False)
                    b.over(occ, "occupied", first, last, "monthly occupied bed-days")
                    pub.ratio(r, occ, avail, individuals=-1, from_parts=True)
                    if bd is not None:
                        b.split(bd, occ, first, last)
        elif key in ("by_treatment", "by_age_group") or (
                key.startswith("by_") and list(frame.columns) == ["admissions"]):
            adm_cells = [tcell(g, "admissions") for g in frame.index]
            if period_cell("admissions") is not None:
                pub.sums(period_cell("admissions"), adm_cells,
                         why=f"{key}: the groups add up to the admissions")
            if "patients" in frame:
                for g, adm in zip(frame.index, adm_cells, strict=True):
                    pub.at_most(tcell(g, "patients"), adm, "patients <= admissions")
            if "total_cost" in frame:
                costs = [tcell(g, "total_cost", kind="amount", base=adm)
                         for g, adm in zip(frame.index, adm_cells, strict=True)]
                if period_cell("treatment_cost") is not None:
                    pub.sums(period_cell("treatment_cost"), costs,
                             why=f"{key}: the group costs add up to the cost")
                if "mean_cost" in frame:
                    for g, adm, cost in zip(frame.index, adm_cells, costs, strict=True):
                        r = tcell(g, "mean_cost", kind="ratio")
                        n = _with_cost(frame, g)
                        if n == frame.at[g, "admissions"]:
                            pub.ratio(r, cost, adm, from_parts=True)
                        else:
                            h = pub.add(("with_cost", key, g), n, shown=False)
                            pub.at_most(h, adm, "stays with a cost <= admissions")
                            gap = frame.at[g, "admissions"] - n
                            g_cell = pub.add(("without_cost", key, g), gap, shown=False)
                            pub.relate([(adm, 1.0), (h, -1.0), (g_cell, -1.0)], 0.0, 0.0,
                                       "stays without a cost")
                            pub.ratio(r, cost, h, from_parts=True)
        elif key == "los_distribution":
            stays = [tcell(g, "stays") for g in frame.index]
            total = period_cell("discharges")
            if total is not None:
                pub.sums(total, stays, why="LOS bands add up to the discharges")
            else:
                total = pub.add(("los_total",), float(frame["stays"].sum()), shown=False)
                pub.sums(total, stays, why="LOS bands add up")
            for g, s in zip(frame.index, stays, strict=True):
                r = tcell(g, "share", kind="ratio")
                pub.ratio(r, s, total, from_parts=True)
            if spans["period"][0] <= spans["period"][1]:
                los_bands = (dict(zip(frame.index, stays, strict=True)), *spans["period"])
        elif key == "occupancy_by_ward":
            occ = []
            for w in frame.index:
                o = tcell(w, "occupied_bed_days")
                occ.append(o)
                tcell(w, "available_bed_days", kind="constant")
                r = tcell(w, "occupancy", kind="ratio")
                pub.ratio(r, o, float(frame.at[w, "available_bed_days"]), individuals=-1,
                          from_parts=True)
            if ("occupied", "period") in pub:
                pub.sums(pub.id(("occupied", "period")), occ,
                         why="the wards add up to the occupied bed-days")
        elif key == "monthly_occupancy_by_ward":
            tidy = aux.get("monthly_occupancy")
            if tidy is None:
                continue
            tidy = tidy.assign(col=[f"{pd.Timestamp(m):%Y-%m}" for m in tidy["month"]])
            by_ward: dict = {}
            by_month: dict = {}
            for rec in tidy.itertuples(index=False):
                if rec.ward not in frame.index or rec.col not in frame.columns:
                    continue
                h = pub.add(("occupied", key, rec.ward, rec.col), rec.occupied_bed_days,
                            shown=False)
                r = tcell(rec.ward, rec.col, kind="ratio")
                pub.ratio(r, h, float(rec.available_bed_days), individuals=-1,
                          from_parts=True)
                by_ward.setdefault(rec.ward, []).append(h)
                by_month.setdefault(rec.col, []).append(h)
            ward_ids = cells.tables.get("occupancy_by_ward")
            for w, hs in by_ward.items():
                if ward_ids is not None and w in ward_ids.index:
                    pub.sums(int(ward_ids.at[w, "occupied_bed_days"]), hs,
                             why="a ward's months add up to its bed-days")
            for m in month_spans:
                col = f"{pd.Timestamp(m):%Y-%m}"
                if ("occupied", "monthly", m) in pub and col in by_month:
                    pub.sums(pub.id(("occupied", "monthly", m)), by_month[col],
                             why="a month's wards add up to its bed-days")
        # A table this pass does not know has no cells: its relations to the other
        # figures are unknown, so all of it is withheld.

    # ----------------------------------------------------------------- cleaning
    c = cleaning

    def ccell(name, v, priority=0):
        i = pub.add(("cleaning", *name) if isinstance(name, tuple) else ("cleaning", name),
                    v, priority=priority)
        cells.cleaning[name] = i
        return i

    read = ccell("rows_read", c.n_input)
    used = ccell("rows_used", c.n_clean, priority=2)  # tied to the admissions
    rejected = ccell("rows_rejected", c.n_rejected)
    pub.sums(read, [used, rejected], why="rows read = used + rejected")
    reasons = [ccell(("rejected", r), n) for r, n in c.rejected_counts.items()]
    pub.sums(rejected, reasons, why="rejected rows = the sum of their reasons")
    everything = list(range(len(axis.bounds) + 1))
    n_stays = len(b.stays)
    if n_stays == c.n_clean:
        b.spans.setdefault("admissions", []).append((used, frozenset(everything)))
        pub.sums(used, [b.atom("admissions", k) for k in everything],
                 why="rows used = admissions over the whole data")
    else:  # ward segments: several rows per stay
        pub.sums(used, [b.atom("admissions", k) for k in everything], exact=False,
                 why="rows used (segments) >= admissions over the whole data")
    snapshots = [(v["in_patients"], day, {int(k.removeprefix("los_").removesuffix("plus")):
                                          v[k] for k in v if k.startswith("los_")})
                 for day, v in snapshot.items()]
    add_flows(b, snapshots=snapshots, bands=los_bands, bed_days="bed_days" in has)
    b.nest()
    for r, n in c.warning_counts.items():
        pub.at_most(ccell(("warning", r), n), used, "rows with a warning <= rows used")
    return pub, cells


def _readmission_counts(clean: pd.DataFrame, first, last, as_of) -> dict | None:
    """Index stays and readmitted ones behind the panel's rate (the same default rules)."""
    try:
        d = _quiet(kpis.readmission_rate, clean, first, last, as_of=as_of, details=True)
    except HospitalyticsError:  # no counts: the rate is withheld
        return None
    return {"index_stays": int(d["index_stays"]), "readmitted": int(d["readmitted"])}


def _same(rate: float, counts: dict) -> bool:
    n = counts["index_stays"]
    if not np.isfinite(rate):
        return n == 0
    return n > 0 and abs(counts["readmitted"] / n - rate) <= 1e-9 * (1 + abs(rate))


def _with_cost(frame: pd.DataFrame, g) -> int:
    """Stays with a cost in a group: total cost / mean cost (the breakdowns' own rule)."""
    total, mean = frame.at[g, "total_cost"], frame.at[g, "mean_cost"]
    if not np.isfinite(mean):
        return 0
    if mean == 0:
        return int(frame.at[g, "admissions"])
    return int(round(total / mean))


def check(pub: Publication, *, tol: float = 1e-6) -> list[str]:
    """Relations the true values break (a wrong relation would mislead the audit).

    Parameters
    ----------
    pub : Publication
        Any publication.
    tol : float, default 1e-6
        Relative tolerance.

    Returns
    -------
    list of str
        One line per broken relation or ratio (empty when all hold).
    """
    v = np.asarray(pub.values, dtype="float64")
    bad = []
    for ids, coefs, lo, hi, why in pub.relations:
        if not np.isfinite(v[ids]).all():
            continue  # a figure without a value: nothing to hold
        s = float(np.dot(coefs, v[ids]))
        scale = tol * (1 + float(np.abs(coefs * np.nan_to_num(v[ids])).sum()))
        if s < lo - scale or s > hi + scale:
            keys = [pub.keys[i] for i in ids]
            bad.append(f"{why}: {s} not in [{lo}, {hi}] over {keys}")
    for i, r in pub.ratios.items():
        den = r.den_const if r.den < 0 else v[r.den]
        if not np.isfinite(v[i]) or not den:
            continue
        if abs(v[r.num] - v[i] * den) > tol * (1 + abs(v[r.num])) + 1e-6 * abs(den):
            bad.append(f"ratio {pub.keys[i]}: {v[r.num]} / {den} != {v[i]}")
    return bad

