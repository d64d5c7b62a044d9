"""Statistical process control: XmR, p, u and c charts with the Making Data Count rules.

:func:`spc` turns a series (one value per period) into a tidy frame, one row per point:
the value, the centre line (``mean``), the lower and upper process limits (``lpl``,
``upl``), one flag per special-cause rule and a label per point. :func:`kpi_spc` builds
the series of a hospital KPI from the public KPI functions and charts it;
:func:`spc_signals` tells, for each KPI, whether its latest period is a special cause.

The calculations follow NHS England's *Making Data Count* (MDC) as implemented by the R
package NHSRplotthedots (XmR limits, outlier screening, the four rules and their order,
the assurance against a target) and qicharts2 (the limits of p, u and c charts and of
Laney's p' and u' charts). Where this module differs from them it says so.

Examples
--------
>>> import pandas as pd
>>> import hospitalytics as hp
>>> y = pd.Series([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1],
...               index=pd.date_range("2021-03-22", periods=18, freq="D"))
>>> res = hp.spc(y, improvement="up")
>>> res[["mean", "lpl", "upl"]].iloc[0].round(2).tolist()
[1.94, -0.72, 4.6]
>>> res["label"].iloc[4]
'special cause improving'
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .. import kpis
from .._frame import setup
from .._warn import caller_stacklevel
from ..errors import ArgumentError, DataQualityWarning, SchemaError
from ..kpis._readmissions import READMISSION_WANTS, warn_segment_shape
from ..kpis._summary import SUMMARY_ROWS
from ._spc_rules import limits, rules

__all__ = [
    "ASSURANCE",
    "CHARTS",
    "KPIS",
    "LABELS",
    "kpi_spc",
    "spc",
    "spc_signals",
]

#: The charts :func:`spc` draws limits for.
CHARTS = ("xmr", "p", "pp", "u", "up", "c")
#: The labels of a point, in the order of the ``label`` column's categories.
LABELS = ("common cause", "special cause improving", "special cause concerning",
          "special cause neutral")
#: The assurance of the latest limits against a target.
ASSURANCE = ("consistently met", "consistently failing", "hit and miss")
#: The KPIs :func:`kpi_spc` knows, with their chart and default improvement direction.
KPIS = {
    "admissions": {"chart": "xmr", "improvement": None, "unit": "count",
                   "title": "Admissions"},
    "alos": {"chart": "xmr", "improvement": "down", "unit": "days",
             "title": "Average length of stay (days)"},
    "readmission_rate": {"chart": "p", "improvement": "down", "unit": "fraction",
                         "title": SUMMARY_ROWS["readmission_rate_30d"][0]},
    "occupancy": {"chart": "xmr", "improvement": None, "unit": "fraction",
                  "title": "Bed occupancy"},
}

#: Segments with fewer points than this get a warning: their limits are trial limits
#: (NHSRplotthedots' threshold: it warns for groups of 12 points or fewer).
MIN_POINTS = 13

_IMPROVEMENT = {None: 0, "up": 1, "down": -1}
_ASSURED = {  # (improvement, where the target lies) -> assurance
    (1, "above"): "consistently failing", (1, "below"): "consistently met",
    (-1, "above"): "consistently met", (-1, "below"): "consistently failing",
}


# ------------------------------------------------------------------------ validation
def _as_series(values, name: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise ArgumentError(
            f"spc takes one series of values for {name}, got a DataFrame with columns "
            f"{list(values.columns)}; pass one column, e.g. frame[{str(values.columns[0])!r}]."
        )
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    return values


def _numeric(s: pd.Series, name: str) -> np.ndarray:
    if s.dtype == bool or not (pd.api.types.is_numeric_dtype(s.dtype)):
        raise ArgumentError(f"{name} must be numeric, got dtype {s.dtype}.", argument=name)
    arr = s.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~np.isfinite(arr)
    if bad.any():
        labels = [str(x) for x in s.index[bad][:5]]
        raise ArgumentError(
            f"{name} has {int(bad.sum())} missing or infinite value(s), at {labels}"
            f"{' ...' if bad.sum() > 5 else ''}. SPC needs a value for every period: fill "
            "them, or drop them knowingly (series.dropna()) and say so where the chart "
            "is shown."
        )
    return arr


def _check_index(index: pd.Index) -> None:
    if index.has_duplicates:
        dup = [str(x) for x in index[index.duplicated()][:5]]
        raise ArgumentError(f"the series' index has duplicate labels: {dup}. SPC needs one "
                            "value per period.")
    if not index.is_monotonic_increasing:
        raise ArgumentError("the series' index is not in increasing order; sort it first "
                            "(series.sort_index()): the rules read the points in time order.")


def _segment_starts(index: pd.Index, rebase) -> list[int]:
    """Positions where a new segment starts (0 first), from the rebase dates."""
    if rebase is None:
        return [0]
    dates = [rebase] if isinstance(rebase, (str, pd.Timestamp)) or not isinstance(
        rebase, Iterable) else list(rebase)
    starts = {0}
    for d in dates:
        if isinstance(index, pd.PeriodIndex):
            key = pd.Period(pd.Timestamp(d), freq=index.freq)
        elif isinstance(index, pd.DatetimeIndex):
            key = pd.Timestamp(d)
            if index.tz is not None and key.tz is None:
                key = key.tz_localize(index.tz)
        else:
            key = d
        try:
            pos = int(index.searchsorted(key, side="left"))
        except (TypeError, ValueError) as err:
            raise ArgumentError(
                f"rebase={d!r} cannot be compared with the series' index ({type(index).__name__}"
                f"); give dates with a DatetimeIndex or PeriodIndex.",
                argument="rebase", value=d,
            ) from err
        if pos <= 0 or pos >= len(index):
            raise ArgumentError(
                f"rebase date {d!r} does not fall after the first point ({index[0]}) and "
                f"on or before the last ({index[-1]}); a rebase starts a new segment at the "
                "first point on or after its date."
            )
        starts.add(pos)
    return sorted(starts)


def _assurance(lpl: float, upl: float, target, improvement: int) -> str | None:
    """Where the target lies against the latest limits (NHSRplotthedots' rule)."""
    if target is None or improvement == 0:
        return None
    if target > upl:
        return _ASSURED[(improvement, "above")]
    if target < lpl:
        return _ASSURED[(improvement, "below")]
    return "hit and miss"


# ------------------------------------------------------------------------------- spc
def spc(
    series,
    *,
    chart: str = "xmr",
    denominator=None,
    improvement: str | None = None,
    target: float | None = None,
    rebase=None,
    fix_after: int | None = None,
    screen_outliers: bool = True,
    shift_length: int = 7,
    trend_length: int = 7,
) -> pd.DataFrame:
    """Process limits, special-cause rules and labels of a series (SPC chart data).

    Each segment of the series (the whole series, or the stretches between ``rebase``
    dates) gets a centre line and process limits, computed from its own points (or its
    first ``fix_after`` points). Then the four *Making Data Count* rules are applied
    within each segment:

    ``outside``
        A point above the upper or below the lower process limit.
    ``shift``
        A run of ``shift_length`` (default 7) or more points on one side of the mean; a
        point exactly on the mean breaks the run.
    ``trend``
        A run of ``trend_length`` (default 7) or more points each higher (or each lower)
        than the one before; two equal neighbours break the run.
    ``two_in_three``
        Two of three consecutive points beyond two sigma (between the 2-sigma line and
        the process limit) with all three on the same side of the mean.

    Parameters
    ----------
    series : Series
        One value per period, in time order (a DatetimeIndex or PeriodIndex, or any
        increasing index). For ``"p"``/``"pp"``/``"u"``/``"up"`` the numerators
        (counts); for ``"c"`` the counts; for ``"xmr"`` any measure.
    chart : {"xmr", "p", "pp", "u", "up", "c"}, default "xmr"
        ``"xmr"``: individuals chart, limits at mean ± 2.66 × the mean moving range.
        ``"p"``: proportions ``series / denominator`` (limits
        ``p̄ ± 3√(p̄(1-p̄)/n)``, clipped to [0, 1]); ``"u"``: rates per unit
        (``ū ± 3√(ū/n)``, clipped at 0); ``"c"``: counts (``c̄ ± 3√c̄``, clipped at 0).
        ``"pp"``, ``"up"``: Laney's p' and u', which widen the p and u limits by the
        spread of the points' z-scores (for large denominators, where p and u limits
        are too tight).
    denominator : Series or array-like, optional
        Required for p, p', u and u' charts: the denominators (index stays, patient
        days), aligned with ``series`` (same index) and positive.
    improvement : {"up", "down"} or None, default None
        Which direction is better. With it, special causes are labelled improving or
        concerning; without it (None), neutral.
    target : float, optional
        A target for the assurance (needs ``improvement``): "consistently met" when the
        latest process limits are all on the good side of it, "consistently failing"
        when all on the bad side, "hit and miss" when the target lies between them.
    rebase : date-like or list of date-likes, optional
        Dates of process changes: a new segment (new limits, rules restarted) begins at
        the first point on or after each date (for a PeriodIndex, the period containing
        the date). Each date must fall after the first point and not after the last.
    fix_after : int, optional
        Compute each segment's limits from its first ``fix_after`` points only (at least
        12), then hold them (a baseline).
    screen_outliers : bool, default True
        Leave moving ranges of 3.267 × their mean or more out of the mean moving range
        (Nelson 1982), as NHSRplotthedots does by default. The MDC Excel tools do not
        screen (``False`` reproduces them). Applies to ``"xmr"``, ``"pp"`` and ``"up"``.
    shift_length, trend_length : int, default 7
        The run lengths, in points, of the shift and trend rules. MDC and
        NHSRplotthedots use 7 and 7; other conventions exist (Western Electric: 8 on
        one side; the Anhøj rules: longer runs for longer series).

    Returns
    -------
    DataFrame
        Indexed like ``series``, one row per point:

        ``value``
            The plotted value (``series / denominator`` for p and u charts).
        ``numerator``, ``denominator``
            For p, p', u and u' charts only.
        ``segment``
            0 for the first segment, 1 after the first rebase date, and so on.
        ``mean``, ``lpl``, ``upl``
            The centre line and the lower and upper process limits (per point for p and
            u charts, whose limits depend on the denominator).
        ``sigma``
            One sigma at that point (``(upl - mean) / 3`` before any clipping).
        ``outside``, ``shift``, ``trend``, ``two_in_three``
            The rule flags (bool), each independent of the others.
        ``special_cause``
            Any rule flags the point.
        ``side``
            ``"high"`` or ``"low"`` (categorical): where the special cause points, by
            MDC's precedence (outside, trend, two in three, shift); missing for common
            cause.
        ``label``
            ``"common cause"``, ``"special cause improving"``, ``"special cause
            concerning"`` or ``"special cause neutral"`` (categorical).

        ``attrs`` holds the chart's summary: ``"chart"``, ``"improvement"``,
        ``"target"``, ``"variation"`` (the label of the latest point, MDC's variation
        icon), ``"assurance"`` (one of :data:`ASSURANCE`, or None without a target or
        an improvement direction), ``"rebase"`` (the first label of each new segment)
        and the rule settings.

    Raises
    ------
    ArgumentError
        For an empty series, missing values, an unsorted or duplicated index, a
        segment of fewer than 2 points, a denominator missing or not positive, a
        target without an improvement direction, or a rebase date outside the series.

    Warns
    -----
    DataQualityWarning
        When a segment has 12 points or fewer: its limits are trial limits. When an
        XmR (or Laney) segment has no variation, its limits collapse onto the centre
        line; and when more than half of an XmR segment's moving ranges are 0 (values
        too coarse for their spread, Wheeler's "chunky data"), its limits are too tight.

    See Also
    --------
    kpi_spc : The same for a hospital KPI, built from a frame of stays.
    hospitalytics.plots.spc_chart : Draws the result.

    Notes
    -----
    A special cause says the process behaved differently from its own past, not why,
    and not that anything is wrong; see the user guide's SPC page. The points are
    assumed independent: autocorrelated series (daily census, occupancy) signal more
    often than the rules intend.

    Examples
    --------
    Making Data Count's XmR chart on NHSRplotthedots' example
    (``vignettes/deviations.Rmd``): the outlier is screened out of the limits.

    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> y = pd.Series([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1],
    ...               index=pd.date_range("2021-03-22", periods=18, freq="D"))
    >>> res = hp.spc(y, improvement="up", target=3)
    >>> row = res.iloc[4]
    >>> float(row["value"]), round(float(row["upl"]), 2), bool(row["outside"]), row["label"]
    (10.0, 4.6, True, 'special cause improving')
    >>> res.attrs["variation"], res.attrs["assurance"]
    ('common cause', 'hit and miss')

    A p-chart of readmissions among index stays:

    >>> idx = pd.period_range("2024-01", periods=14, freq="M")
    >>> readm = pd.Series([12, 9, 11, 10, 14, 8, 9, 12, 10, 11, 13, 9, 30, 10], index=idx)
    >>> stays = pd.Series(120, index=idx)
    >>> p = hp.spc(readm, chart="p", denominator=stays, improvement="down")
    >>> row = p.loc["2025-01"]
    >>> float(row["value"]), round(float(row["upl"]), 4), row["label"]
    (0.25, 0.1822, 'special cause concerning')
    """
    s = _as_series(series, "series")
    if chart not in CHARTS:
        raise ArgumentError(f"chart must be one of {list(CHARTS)}, got {chart!r}.",
                            argument="chart", value=chart)
    if improvement not in _IMPROVEMENT:
        raise ArgumentError(
            f"improvement must be 'up', 'down' or None (neutral), got {improvement!r}.",
            argument="improvement", value=improvement,
        )
    imp = _IMPROVEMENT[improvement]
    if target is not None:
        if isinstance(target, bool) or not isinstance(target, (int, float, np.number)) \
                or not math.isfinite(float(target)):
            raise ArgumentError(f"target must be a number, got {target!r}.",
                                argument="target", value=target)
        if imp == 0:
            raise ArgumentError(
                "target= needs improvement='up' or 'down': whether a target is met "
                "depends on which direction is better.",
                argument="target",
            )
        target = float(target)
    for name, val, least in (("shift_length", shift_length, 2),
                             ("trend_length", trend_length, 2),
                             ("fix_after", fix_after, 12)):
        if name == "fix_after" and val is None:
            continue
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < least:
            raise ArgumentError(f"{name} must be a whole number of at least {least}, "
                                f"got {val!r}.",
                                argument=name, value=val)
    if len(s) == 0:
        raise ArgumentError("spc got an empty series: there is nothing to chart.")
    _check_index(s.index)
    counts = chart in ("p", "pp", "u", "up")
    num = den = None
    if counts:
        if denominator is None:
            raise ArgumentError(
                f"a {chart!r} chart needs denominator= (e.g. the index stays or the "
                "patient-days of each period), aligned with the series."
            )
        d = _as_series(denominator, "denominator")
        if isinstance(denominator, pd.Series):
            if not d.index.equals(s.index):
                raise ArgumentError("denominator must have the same index as the series "
                                    "(the same periods, in the same order).",
                                    argument="denominator")
        elif len(d) != len(s):
            raise ArgumentError(f"denominator has {len(d)} values for {len(s)} points.")
        else:
            d.index = s.index
        num, den = _numeric(s, "series"), _numeric(d, "denominator")
        if (den <= 0).any():
            raise ArgumentError(
                "denominator must be positive; periods with none: "
                f"{[str(x) for x in s.index[den <= 0][:5]]}. A rate needs a denominator.",
                argument="denominator",
            )
        if (num < 0).any():
            raise ArgumentError(f"a {chart!r} chart counts events: the series must not be "
                                "negative.")
        if chart in ("p", "pp") and (num > den).any():
            raise ArgumentError(
                "a p chart's numerators cannot exceed their denominators; at "
                f"{[str(x) for x in s.index[num > den][:5]]}."
            )
        y = num / den
    else:
        if denominator is not None:
            raise ArgumentError(f"a {chart!r} chart takes no denominator; use 'p' or 'u' "
                                "for rates.")
        y = _numeric(s, "series")
        if chart == "c" and (y < 0).any():
            raise ArgumentError("a 'c' chart counts events: the series must not be "
                                "negative.")

    starts = _segment_starts(s.index, rebase)
    bounds = list(zip(starts, starts[1:] + [len(y)], strict=True))
    n = len(y)
    cols = {k: np.empty(n) for k in ("mean", "sigma", "lpl", "upl", "lo2", "hi2")}
    flags = {k: np.zeros(n, dtype=bool) for k in ("outside", "shift", "trend", "two_in_three")}
    side = np.zeros(n, dtype="int64")
    segment = np.zeros(n, dtype="int64")
    short, flat = [], []
    for k, (a, b) in enumerate(bounds):
        if b - a < 2:
            raise ArgumentError(
                f"segment {k} (from {s.index[a]}) has {b - a} point; SPC limits need at "
                "least 2 points per segment. Move or drop that rebase date."
            )
        if b - a < MIN_POINTS:
            short.append(f"{_fmt_label(s.index[a])} ({b - a} points)")
        seg = slice(a, b)
        base = slice(0, fix_after)
        lim = limits(chart, y[seg], None if num is None else num[seg],
                      None if den is None else den[seg], base, screen_outliers)
        for key, arr in zip(("mean", "sigma", "lpl", "upl", "lo2", "hi2"), lim, strict=True):
            cols[key][seg] = arr
        if chart in ("xmr", "pp", "up"):
            yb = y[seg][base]
            zero = np.count_nonzero(np.diff(yb) == 0)
            if not np.nanmax(lim[1], initial=0.0) > 0:
                flat.append(f"{_fmt_label(s.index[a])} (no variation: the limits collapse "
                            "onto the centre line, so any change signals)")
            elif chart == "xmr" and zero * 2 > len(yb) - 1:
                flat.append(f"{_fmt_label(s.index[a])} ({zero} of {len(yb) - 1} moving "
                            "ranges are 0: the values are too coarse for their spread, "
                            "so the limits are too tight)")
        out, sh, tr, two, sd = rules(y[seg], cols["mean"][seg], cols["lpl"][seg],
                                      cols["upl"][seg], cols["lo2"][seg], cols["hi2"][seg],
                                      shift_length=shift_length, trend_length=trend_length)
        flags["outside"][seg], flags["shift"][seg] = out, sh
        flags["trend"][seg], flags["two_in_three"][seg] = tr, two
        side[seg] = sd
        segment[seg] = k
    if short:
        warnings.warn(
            f"spc: segment(s) starting {', '.join(short)} have 12 points or fewer: their "
            "limits are trial limits that will move as points are added (MDC advises "
            "15-20 points or more).",
            DataQualityWarning, stacklevel=caller_stacklevel(),
        )

    if flat:
        warnings.warn(
            f"spc: segment(s) starting {'; '.join(flat)}. Record the values more finely "
            "(e.g. rates rather than rounded percentages), use a chart for counts "
            "(chart='c', 'p' or 'u'), or read the limits with care.",
            DataQualityWarning, stacklevel=caller_stacklevel(),
        )

    out = pd.DataFrame({"value": y}, index=s.index.copy())
    if counts:
        out["numerator"] = num
        out["denominator"] = den
    out["segment"] = segment
    for key in ("mean", "lpl", "upl", "sigma"):
        out[key] = cols[key]
    for key, arr in flags.items():
        out[key] = arr
    out["special_cause"] = side != 0
    out["side"] = pd.Categorical.from_codes(np.select([side > 0, side < 0], [0, 1], -1),
                                            categories=["high", "low"])
    code = np.where(side == 0, 0, 3 if imp == 0 else np.where(side * imp > 0, 1, 2))
    out["label"] = pd.Categorical.from_codes(code, categories=list(LABELS))
    out.attrs = {
        "chart": chart,
        "improvement": improvement,
        "target": target,
        "variation": LABELS[int(code[-1])],
        "assurance": _assurance(float(out["lpl"].iloc[-1]), float(out["upl"].iloc[-1]),
                                target, imp),
        "rebase": [s.index[a] for a in starts[1:]],
        "fix_after": fix_after,
        "screen_outliers": bool(screen_outliers),
        "shift_length": int(shift_length),
        "trend_length": int(trend_length),
    }
    return out


# ---------------------------------------------------------------------- KPI series
def _excluded(labels: pd.Index, mask: np.ndarray, reason: str) -> list[str]:
    return [f"{_fmt_label(x)}: {reason}" for x in labels[mask]]


def _fmt_label(x) -> str:
    if isinstance(x, pd.Timestamp):
        return f"{x:%Y-%m-%d}"
    return str(x)


def _kpi_series(df, kpi, *, freq, beds, start, end, as_of, window, partial, definitions,
                columns):
    """The KPI's series (and denominators), the periods left out and why."""
    if kpi not in KPIS:
        raise ArgumentError(f"kpi must be one of {list(KPIS)}, got {kpi!r}.",
                            argument="kpi", value=kpi)
    if freq not in ("M", "W"):
        raise ArgumentError(f"freq must be 'M' (months) or 'W' (weeks), got {freq!r}.",
                            argument="freq", value=freq)
    if freq == "W" and kpi != "admissions":
        raise ArgumentError(f"{kpi!r} is charted per month only (freq='M'); weekly charts "
                            "are available for 'admissions'.")
    if kpi == "occupancy" and beds is None:
        raise ArgumentError("the occupancy chart needs beds= (beds per ward; see "
                            "hospitalytics.capacity).")
    if freq == "W":
        return _weekly_admissions(df, start=start, end=end, as_of=as_of, partial=partial,
                                  columns=columns)
    m = kpis.monthly(df, beds if kpi == "occupancy" else None, start, end, as_of=as_of,
                     definitions=definitions, columns=columns)
    months = m.index
    excluded: list[str] = []
    keep = np.ones(len(m), dtype=bool)
    if not partial:
        part = (m["days"] < months.days_in_month).to_numpy()
        excluded += [f"{_fmt_label(x)}: partial month ({d} of {x.days_in_month} days)"
                     for x, d in zip(months[part], m["days"][part], strict=True)]
        keep &= ~part
    den = None
    if kpi == "admissions":
        values = m["admissions"].astype("float64")
    elif kpi in ("alos", "occupancy"):
        if kpi not in m.columns:  # alos without discharge dates
            raise SchemaError("discharge_date", found=[str(c) for c in df.columns],
                              needed_by="kpi_spc('alos')")
        values = m[kpi]
        miss = values.isna().to_numpy() & keep
        reason = "no discharges" if kpi == "alos" else "no beds available"
        excluded += _excluded(months, miss, reason)
        keep &= ~miss
        if not partial and start is None and keep.any():
            # the extract's first month misses the stays admitted before it: its census
            # and its discharges (so its ALOS) are understated, a false special cause
            first = np.flatnonzero(keep)[0]
            censored = np.zeros(len(m), dtype=bool)
            censored[first] = first == 0
            excluded += _excluded(months, censored, "first month of the data (stays "
                                  "admitted before it are missing)")
            keep &= ~censored
    else:  # readmission_rate: p-chart, index stays as denominators
        ctx = setup(df, start=start, end=end, as_of=as_of, columns=columns,
                    needs=("patient_id", "discharge_date"), wants=READMISSION_WANTS,
                    needed_by="kpi_spc('readmission_rate')")
        period_as_of = ctx.period.as_of
        # The monthly counts come from readmission_rate, once per month, on the stays
        # (ward segments collapsed once) with the patients as number codes: each call then
        # groups patients by their codes instead of hashing every id again.
        warn_segment_shape(ctx)  # once here, not once a month below
        ev = ctx.events()
        codes = ev.patient_codes()
        frame = ev.frame.assign(patient_id=pd.Categorical.from_codes(
            codes, categories=pd.RangeIndex(int(codes.max(initial=-1)) + 1)),
            stay_id=np.arange(len(ev.frame)))  # one row per stay from here on
        ends = months + pd.offsets.MonthEnd(0)
        late = np.asarray(ends + pd.Timedelta(days=window) > period_as_of) & keep
        if not partial:
            excluded += _excluded(months, late, f"follow-up incomplete ({window}-day window "
                                  f"runs past {period_as_of:%Y-%m-%d})")
            keep &= ~late
        counts = np.zeros((len(m), 2))  # index stays, readmitted
        for i in np.flatnonzero(keep):  # one call per month: a few dozen periods
            first = months[i]
            last = first + pd.offsets.MonthEnd(0)
            d = kpis.readmission_rate(frame, first, last, as_of=as_of, window=window,
                                      follow_up="partial", details=True)
            counts[i] = d["index_stays"], d["readmitted"]
        den = pd.Series(counts[:, 0], index=months)
        none = (den.to_numpy() == 0) & keep
        excluded += _excluded(months, none, "no index stays")
        keep &= ~none
        values = pd.Series(counts[:, 1], index=months)
    values = values[keep]
    if den is not None:
        den = den[keep]
    return values, den, excluded


def _monday(day: int) -> int:
    """The Monday starting the week of a day number (day 0, 1970-01-01, is a Thursday)."""
    return day - (day + 3) % 7


def _weekly_admissions(df, *, start, end, as_of, partial, columns):
    """Admissions per Monday-to-Sunday week, counted from the admission days."""
    ctx = setup(df, start=start, end=end, as_of=as_of, columns=columns,
                needed_by="kpi_spc")
    lo, hi = ctx.first_day, ctx.last_day
    st = ctx.stays
    day = st.adm_day
    mask = (day >= lo) & (day <= min(hi, st.as_of_day))  # as kpis.admissions counts them
    first_week, last_week = _monday(lo), _monday(hi)
    n_weeks = max((last_week - first_week) // 7 + 1, 0)
    counts = np.bincount((day[mask] - first_week) // 7, minlength=n_weeks)[:n_weeks]
    weeks = pd.DatetimeIndex(
        (first_week + 7 * np.arange(n_weeks)).astype("datetime64[D]").astype("datetime64[ns]"),
        name="week",
    )
    values = pd.Series(counts.astype("float64"), index=weeks)
    excluded: list[str] = []
    if not partial and n_weeks:
        part = np.zeros(n_weeks, dtype=bool)
        part[0] = lo > first_week
        part[-1] |= hi < last_week + 6
        excluded = _excluded(weeks, part, "partial week")
        values = values[~part]
    return values, None, excluded


def kpi_spc(
    df: pd.DataFrame,
    kpi: str,
    *,
    freq: str = "M",
    beds=None,
    start=None,
    end=None,
    as_of=None,
    improvement: str | None = "auto",
    target: float | None = None,
    rebase=None,
    partial: bool = False,
    window: int = 30,
    fix_after: int | None = None,
    screen_outliers: bool = True,
    shift_length: int = 7,
    trend_length: int = 7,
    definitions=None,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """SPC chart data of a hospital KPI, with the right chart for it.

    ============================  ==========  =======  ===========================
    ``kpi``                       ``freq``    chart    improvement (``"auto"``)
    ============================  ==========  =======  ===========================
    ``"admissions"``              "M" or "W"  XmR      None (neutral)
    ``"alos"``                    "M"         XmR      "down"
    ``"readmission_rate"``        "M"         p        "down"
    ``"occupancy"`` (needs beds)  "M"         XmR      None (neutral)
    ============================  ==========  =======  ===========================

    The monthly values are :func:`hospitalytics.monthly`'s (admissions, ALOS,
    occupancy); weekly admissions count the stays admitted in each Monday-to-Sunday week
    as :func:`hospitalytics.admissions` does. The readmission p-chart plots, per month,
    the index stays readmitted (:func:`hospitalytics.readmission_rate` × its index stays)
    over the index stays (the month's discharges).

    Periods that would mislead are left out, and listed in ``attrs["excluded"]`` with
    the reason: months or weeks only partly inside the data (unless ``partial=True``),
    months whose readmission follow-up window runs past the as-of date (unless
    ``partial=True``), and months with no value (no discharges for ALOS, no index stays,
    no beds available).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    kpi : {"admissions", "alos", "readmission_rate", "occupancy"}
        The KPI.
    freq : {"M", "W"}, default "M"
        Months, or weeks (admissions only).
    beds : dict, Series or DataFrame, optional
        Beds per ward; required for ``"occupancy"``.
    start, end, as_of : date-like, optional
        The period and the extract date, as for the KPIs.
    improvement : {"auto", "up", "down"} or None, default "auto"
        Which direction is better; ``"auto"`` uses the table above.
    target, rebase, fix_after, screen_outliers, shift_length, trend_length
        As for :func:`spc`.
    partial : bool, default False
        Keep the partial first and last periods (and readmission months whose follow-up
        is incomplete). Without ``start``, the ALOS and occupancy charts also leave out
        the data's first month: the stays admitted before the extract are missing from
        it, so its census and discharges are understated.
    window : int, default 30
        Readmission window in days.
    definitions : str or Definitions, optional
        Conventions for ALOS and bed-days.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.

    Returns
    -------
    DataFrame
        :func:`spc`'s frame, indexed by ``month`` (first day) or ``week`` (Monday), with
        ``attrs`` also holding ``"kpi"``, ``"freq"``, ``"unit"`` (``"count"``,
        ``"days"`` or ``"fraction"``), ``"title"`` and ``"excluded"``.

    Raises
    ------
    ArgumentError
        For an unknown KPI or frequency, occupancy without beds, or fewer than 2
        periods left to chart.
    SchemaError
        When a column the KPI needs is missing (discharge dates for ALOS, patient ids
        for readmissions, wards for occupancy).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> res = hp.kpi_spc(df, "admissions")
    >>> res.attrs["chart"], res.attrs["excluded"]
    ('xmr', ['2025-12-01: partial month (15 of 31 days)'])
    >>> res.index[[0, -1]].strftime("%Y-%m").tolist()
    ['2023-10', '2025-11']
    >>> rr = hp.kpi_spc(df, "readmission_rate")
    >>> rr.attrs["chart"], len(rr.attrs["excluded"])
    ('p', 2)
    """
    if improvement == "auto":
        improvement = KPIS[kpi]["improvement"] if kpi in KPIS else None
    values, den, excluded = _kpi_series(
        df, kpi, freq=freq, beds=beds, start=start, end=end, as_of=as_of, window=window,
        partial=partial, definitions=definitions, columns=columns,
    )
    if len(values) < 2:
        raise ArgumentError(
            f"kpi_spc({kpi!r}): {len(values)} complete period(s) to chart; SPC needs at "
            f"least 2 (and 15-20 for useful limits). Left out: {excluded or 'none'}."
        )
    spec = KPIS[kpi]
    res = spc(values, chart=spec["chart"], denominator=den, improvement=improvement,
              target=target, rebase=rebase, fix_after=fix_after,
              screen_outliers=screen_outliers, shift_length=shift_length,
              trend_length=trend_length)
    per = "week" if freq == "W" else "month"
    res.attrs.update({
        "kpi": kpi, "freq": freq, "unit": spec["unit"],
        "title": spec["title"] + (f" per {per}" if kpi == "admissions" else ""),
        "excluded": excluded,
    })
    return res


_RULE_NAMES = {"outside": "outside the limits", "trend": "trend", "two_in_three":
               "two of three near a limit", "shift": "shift"}


def spc_signals(
    df: pd.DataFrame,
    beds=None,
    *,
    start=None,
    end=None,
    as_of=None,
    definitions=None,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Which KPIs show a special cause in their latest complete month.

    Runs :func:`kpi_spc` monthly for admissions, ALOS, the readmission rate and (with
    beds) occupancy, and keeps each chart's latest point. A KPI the data cannot give
    (no discharge dates, no patient ids) or with fewer than 2 complete months gets a
    row with a ``note`` and no values, so the table always names every KPI it tried.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame, optional
        Beds per ward; adds occupancy.
    start, end, as_of, definitions, columns
        As for :func:`kpi_spc`.

    Returns
    -------
    DataFrame
        One row per KPI (index ``kpi``): ``chart``, ``period`` (the latest charted
        month), ``value``, ``mean``, ``lpl``, ``upl``, ``special_cause`` (bool),
        ``label``, ``rules`` (the rules flagging the point, e.g. ``"outside the limits,
        shift"``) and ``note``.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.analysis import spc_signals
    >>> sig = spc_signals(hp.datasets.load_sample(), hp.datasets.load_sample_beds())
    >>> sig.index.tolist()
    ['admissions', 'alos', 'readmission_rate', 'occupancy']
    >>> sig.loc["admissions", "period"].strftime("%Y-%m")
    '2025-11'
    """
    names = [k for k in KPIS if k != "occupancy" or beds is not None]
    rows = []
    for kpi in names:
        row = {"kpi": kpi, "chart": KPIS[kpi]["chart"], "period": pd.NaT, "value": np.nan,
               "mean": np.nan, "lpl": np.nan, "upl": np.nan, "special_cause": False,
               "label": None, "rules": "", "note": ""}
        try:
            values, den, excluded = _kpi_series(
                df, kpi, freq="M", beds=beds, start=start, end=end, as_of=as_of,
                window=30, partial=False, definitions=definitions, columns=columns,
            )
        except SchemaError as err:
            row["note"] = f"not available: needs a {err.role} column"
            rows.append(row)
            continue
        if len(values) < 2:
            row["note"] = f"{len(values)} complete month(s): too few to chart"
            rows.append(row)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            res = spc(values, chart=KPIS[kpi]["chart"], denominator=den,
                      improvement=KPIS[kpi]["improvement"])
        last = res.iloc[-1]
        fired = [name for key, name in _RULE_NAMES.items() if bool(last[key])]
        n_seg = int((res["segment"] == res["segment"].iloc[-1]).sum())
        row.update({
            "period": res.index[-1], "value": last["value"], "mean": last["mean"],
            "lpl": last["lpl"], "upl": last["upl"],
            "special_cause": bool(last["special_cause"]), "label": str(last["label"]),
            "rules": ", ".join(fired),
            "note": f"trial limits ({n_seg} points)" if n_seg < MIN_POINTS else "",
        })
        rows.append(row)
    out = pd.DataFrame(rows).set_index("kpi")
    out["label"] = pd.Categorical(out["label"], categories=list(LABELS))
    return out
