"""The forecast chart: recent history, then the forecast with its intervals and the beds."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from .. import kpis
from .._format import fmt
from .._sweep import NS_PER_DAY
from ..analysis import admissions_series, forecast_admissions, forecast_census
from ..capacity import available_matrix, normalize_beds
from ..errors import ArgumentError
from ._base import (
    COLORS,
    check_definitions,
    count_axis,
    docstring,
    get_ax,
    label,
    style_axes,
)

__all__ = ["forecast"]

_CAPACITY = "#D55E00"  # vermillion (Okabe-Ito): the beds line


@docstring
def forecast(
    data: pd.DataFrame,
    *,
    kind: str = "census",
    group: str | None = None,
    by: str | None = None,
    beds=None,
    horizon: int = 28,
    history: int = 91,
    freq: str = "D",
    level: float | Sequence[float] = (80, 95),
    as_of=None,
    definitions=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Recent history, then the forecast with shaded intervals (and the beds as a line).

    The history is :func:`hospitalytics.census` (``kind="census"``) or
    :func:`hospitalytics.analysis.admissions_series` (``kind="admissions"``) over the last
    ``history`` days; the forecast is :func:`hospitalytics.forecast_census` or
    :func:`hospitalytics.forecast_admissions` from the as-of date, its expected value as a
    dashed line and each interval level as a band (the widest the lightest). With
    ``beds``, the capacity is drawn day by day over the whole chart and the subtitle
    gives the highest daily probability that the census exceeds it.

    Parameters
    ----------
    {data}
    kind : {"census", "admissions"}, default "census"
        Beds in use at midnight, or admissions.
    group : str, optional
        One group to draw (a ward name by default: see ``by``); ``None`` draws the whole
        hospital.
    by : str, optional
        The grouping role ``group`` belongs to; ``"ward"`` when a group is given.
    beds : dict, Series, DataFrame or number, optional
        Capacity (census only): beds per ward as for :mod:`hospitalytics.capacity`, or a
        number of beds for the whole hospital.
    horizon : int, default 28
        Periods to forecast.
    history : int, default 91
        Days of history to show before the as-of date.
    freq : {"D", "W"}, default "D"
        Days or weeks (admissions only).
    level : float or sequence of float, default (80, 95)
        Interval levels, in percent.
    as_of : date-like, optional
        The last day of history; defaults to the latest date in the data.
    definitions : str or Definitions, optional
        As for :func:`hospitalytics.forecast_census`: only ``day_case_bed_day`` matters
        (a same-day stay then occupies its day, in the history and the forecast alike).
        Admissions do not depend on it.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.
    {ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.plot` call of the forecast line.

    Returns
    -------
    {returns}

    Raises
    ------
    ArgumentError
        For an unknown ``kind`` or ``group``, or ``beds`` with ``kind="admissions"``.
    DataQualityError
        When the history is too short to forecast from.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics import plots
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> ax = plots.forecast(df, group="Medical 1", beds=beds)
    >>> ax = plots.forecast(df, kind="admissions", horizon=8, freq="W")
    >>> ax = plots.forecast(df, horizon=7, definitions=hp.Definitions(day_case_bed_day=True))
    """
    if kind not in ("census", "admissions"):
        raise ArgumentError(f"kind must be 'census' or 'admissions', got {kind!r}.",
                            argument="kind", value=kind)
    if kind == "admissions" and beds is not None:
        raise ArgumentError("beds= is for kind='census' (admissions have no capacity).",
                            argument="beds")
    if kind == "census" and freq != "D":
        raise ArgumentError("the census is forecast by day: use freq='D' with "
                            "kind='census'.")
    if group is not None and by is None:
        by = "ward"
    if group is None:
        by = None
    key = None if by is None else by
    if kind == "census":
        fc = forecast_census(data, horizon, beds=_group_beds(beds, key), by=key,
                             level=level, as_of=as_of, definitions=definitions,
                             columns=columns)
        past = kpis.census(data, by=key, as_of=as_of, definitions=definitions,
                           columns=columns)
    else:
        check_definitions(definitions)
        fc = forecast_admissions(data, horizon, freq=freq, by=key, level=level,
                                 as_of=as_of, columns=columns)
        past = admissions_series(data, freq=freq, by=key, as_of=as_of, columns=columns)
    if key is not None:
        names = [str(c) for c in past.columns if c != "total"]
        if str(group) not in names:
            raise ArgumentError(f"group={group!r} is not a {key} of the data; choose from "
                                f"{names}.",
                                argument="group", value=group)
        fc = fc[fc[key].astype(str) == str(group)]
        past = past[[c for c in past.columns if str(c) == str(group)][0]]
    else:
        past = past["total"]
    as_of_ts = fc.attrs.get("as_of", past.index[-1] if len(past) else None)
    past = past[past.index > as_of_ts - pd.Timedelta(days=history)]

    ax = get_ax(ax, (10, 4.5))
    style_axes(ax)
    what = "Beds in use at midnight" if kind == "census" else (
        "Admissions per day" if freq == "D" else "Admissions per week")
    x = pd.DatetimeIndex(fc["date"])
    bands = sorted({float(c.split("_", 1)[1]) for c in fc.columns if c.startswith("lower_")},
                   reverse=True)
    shades = np.linspace(0.18, 0.38, max(len(bands), 1))
    handles = []
    (hline,) = ax.plot(past.index, past.to_numpy(), color=COLORS["text"], linewidth=1.4,
                       label="Observed")
    handles.append(hline)
    for lv, alpha in zip(bands, shades, strict=False):
        name = f"{lv:g}"
        # the bands start at the last observation, so history and forecast join up
        xs = x.insert(0, past.index[-1]) if len(past) else x
        lo = fc[f"lower_{name}"].to_numpy(dtype="float64")
        hi = fc[f"upper_{name}"].to_numpy(dtype="float64")
        if len(past):
            lo = np.insert(lo, 0, past.iloc[-1])
            hi = np.insert(hi, 0, past.iloc[-1])
        ax.fill_between(xs, lo, hi, color=COLORS["admissions"], alpha=alpha, linewidth=0,
                        step=None)
        handles.append(Patch(color=COLORS["admissions"], alpha=alpha + 0.1,
                             label=f"{name}% interval"))
    mean = fc["forecast"].to_numpy(dtype="float64")
    xs = x.insert(0, past.index[-1]) if len(past) else x
    ys = np.insert(mean, 0, past.iloc[-1]) if len(past) else mean
    opts = {"color": COLORS["admissions"], "linewidth": 2.0, "linestyle": "--"} | kwargs
    (fline,) = ax.plot(xs, ys, label="Forecast (expected)", **opts)
    handles.insert(1, fline)
    subtitle = ""
    if kind == "census" and beds is not None:
        cap = _capacity(beds, key, group, past.index, x)
        if cap is not None:
            (cline,) = ax.plot(cap.index, cap.to_numpy(), color=_CAPACITY, linewidth=1.6,
                               drawstyle="steps-post", label="Beds available")
            handles.append(cline)
            p = fc["p_over_capacity"].to_numpy(dtype="float64")
            if np.isfinite(p).any():
                i = int(np.nanargmax(p))
                day = pd.Timestamp(x[i])
                subtitle = (f"Chance that demand exceeds the beds: at most "
                            f"{fmt(float(p[i]), 'pct_whole')} a day (highest on {day.day} "
                            f"{day:%b %Y})")
    if as_of_ts is not None:
        ax.axvline(as_of_ts, color=COLORS["muted"], linewidth=0.9, linestyle=":")
        ax.annotate(f"as of {as_of_ts.day} {as_of_ts:%b %Y}", xy=(as_of_ts, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(3, -3),
                    textcoords="offset points", ha="left", va="top", fontsize=8,
                    color=COLORS["muted"])
    ax.set_ylim(bottom=0, top=ax.get_ylim()[1] * 1.08)
    count_axis(ax.yaxis)
    ax.set_ylabel(what)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    where = "the whole hospital" if group is None else label(group)
    title = f"Forecast: {what.lower()}, {where}"
    ax.set_title(title, loc="left", fontweight="bold", pad=16 if subtitle else 6)
    if subtitle:
        ax.text(0.0, 1.015, subtitle, transform=ax.transAxes, ha="left", va="bottom",
                fontsize=9, color=COLORS["text"])
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=9)
    return ax


def _group_beds(beds, key):
    """The ``beds`` argument for the forecast (a number only means the whole hospital)."""
    if beds is None:
        return None
    if key is not None and np.isscalar(beds):
        raise ArgumentError("a number of beds is the whole hospital's; give beds per "
                            "ward (a dict, Series or DataFrame) to draw one ward.")
    return beds


def _capacity(beds, key, group, past_index, future_index) -> pd.Series | None:
    """Beds per day over the whole chart (history and forecast)."""
    days = past_index.append(future_index)
    if len(days) == 0:
        return None
    first = int(days[0].value // NS_PER_DAY)
    n = int(days[-1].value // NS_PER_DAY) - first + 1
    if np.isscalar(beds):
        values = np.full(n, float(beds))
    else:
        table = normalize_beds(beds)
        if key is None:
            wards = pd.Index(pd.unique(table["ward"]))
            values = available_matrix(table, wards, first, n).sum(axis=0)
        else:
            if str(group) not in set(table["ward"]):
                return None
            values = available_matrix(table, pd.Index([str(group)]), first, n)[0]
    index = pd.date_range(days[0], periods=n, freq="D")
    return pd.Series(values, index=index)
