"""Chart 1: the monthly admission trend (with discharges), showing seasonality."""

from __future__ import annotations

import warnings

import matplotlib as mpl
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import kpis
from ..errors import ArgumentError, DataQualityWarning, SchemaError
from ._base import (
    COLORS,
    OKABE_ITO,
    count_axis,
    docstring,
    get_ax,
    settle_layout,
    style_axes,
    warn_empty,
)

__all__ = ["admission_trend", "admission_trend_table", "draw_admission_trend"]

_LIMIT = "#555555"  # mean and process limits, as spc_chart draws them
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _check_kind(kind: str) -> None:
    if kind not in ("line", "area"):
        raise ArgumentError(f"kind must be 'line' or 'area', got {kind!r}.",
                            argument="kind", value=kind)


def admission_trend_table(data: pd.DataFrame, *, start=None, end=None, mtd: bool = False,
                          qtd: bool = False, ytd: bool = False, as_of=None,
                          definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`admission_trend` draws: :func:`hospitalytics.monthly`."""
    return kpis.monthly(data, None, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                        definitions=definitions, columns=columns)


@docstring
def admission_trend(
    data: pd.DataFrame,
    *,
    kind: str = "line",
    discharges: bool | None = None,
    overlay: bool = False,
    spc: bool = False,
    start=None,
    end=None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions=None,
    columns=None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Monthly admissions (and discharges) over time, with the years marked.

    The numbers are :func:`hospitalytics.monthly`'s ``admissions`` and ``discharges``
    (stays admitted, or discharged, in each calendar month), drawn by
    :func:`draw_admission_trend`.

    Seasonality is shown in one of two ways:

    * ``overlay=False`` (default): one continuous monthly series; each calendar year is
      a shaded band named at the top, so peaks can be compared across years while the
      long-run trend stays visible.
    * ``overlay=True``: one line per year over January to December (discharges dashed,
      in the year's colour), to compare the same months of different years directly.

    Months only partly inside the period (the first and last months of an extract) are
    drawn with hollow markers: their counts cover fewer days and are not a drop.

    With ``spc=True`` the admissions get their process limits (statistical process
    control, NHS England's *Making Data Count*): an XmR chart of the complete months
    (:func:`hospitalytics.spc`), drawn as the mean, dashed limits, and the special-cause
    months coloured as in :func:`spc_chart`. Partial months are left out of the limits.

    Parameters
    ----------
    {data}
    kind : {"line", "area"}, default "line"
        Lines, or admissions as a filled area (discharges stay a line).
    discharges : bool, optional
        Draw discharges too. ``None`` (default) draws them when the data has discharge
        dates; ``True`` requires them.
    overlay : bool, default False
        One line per calendar year over Jan-Dec instead of one continuous series.
    spc : bool, default False
        Draw the process limits of the monthly admissions (not with ``overlay=True``).
    {period}
    {ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.plot` call of the admissions line
        (:meth:`~matplotlib.axes.Axes.fill_between` with ``kind="area"``).

    Returns
    -------
    {returns}

    Raises
    ------
    {raises}

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import admission_trend
    >>> ax = admission_trend(hp.datasets.load_sample())
    >>> ax = admission_trend(hp.datasets.load_sample(), overlay=True, kind="area")
    >>> ax = admission_trend(hp.datasets.load_sample(), spc=True)
    """
    _check_kind(kind)
    m = admission_trend_table(data, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd,
                              as_of=as_of, definitions=definitions, columns=columns)
    if discharges and "discharges" not in m.columns:
        raise SchemaError("discharge_date", found=[str(c) for c in data.columns],
                          needed_by="admission_trend(discharges=True)")
    return draw_admission_trend(m, kind=kind, discharges=discharges, overlay=overlay,
                                spc=spc, ax=ax, **kwargs)


@docstring
def draw_admission_trend(
    table: pd.DataFrame,
    *,
    kind: str = "line",
    discharges: bool | None = None,
    overlay: bool = False,
    spc: bool | pd.DataFrame | None = False,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`admission_trend` from a monthly table already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.monthly`'s result (indexed by month): ``admissions``,
        optionally ``discharges`` and ``days`` (the days of each month inside the
        period, which mark the partial months).
    kind : {"line", "area"}, default "line"
        Lines, or admissions as a filled area.
    discharges : bool, optional
        Draw discharges too (``None``: when the table has them).
    overlay : bool, default False
        One line per calendar year over Jan-Dec.
    spc : bool or DataFrame, default False
        Process limits of the admissions: ``True`` computes the XmR chart of the
        table's complete months (:func:`hospitalytics.spc`); a frame returned by
        :func:`hospitalytics.spc` (indexed by month) is drawn as it is (the report passes
        the one it computed from its published table). Not with ``overlay=True``.
    {table_ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.plot` call of the admissions line.

    Returns
    -------
    {returns}

    Raises
    ------
    SchemaError
        With ``discharges=True`` when the table has no ``discharges`` column.
    ArgumentError
        For ``spc`` with ``overlay=True``, or an ``spc`` frame that is not one.

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_admission_trend
    >>> m = hp.monthly(hp.datasets.load_sample(), start="2025-01-01")
    >>> ax = draw_admission_trend(m, discharges=False)
    >>> ax = draw_admission_trend(hp.monthly(hp.datasets.load_sample()), spc=True)
    """
    _check_kind(kind)
    use_spc = spc is not None and not (isinstance(spc, bool) and not spc)
    if use_spc and overlay:
        raise ArgumentError("spc= draws process limits on the continuous series; use "
                            "overlay=False.", argument="spc", value=spc)
    m = table
    has_dis = "discharges" in m.columns
    if discharges and not has_dis:
        raise SchemaError("discharge_date", found=[str(c) for c in m.columns],
                          needed_by="draw_admission_trend(discharges=True)")
    show_dis = has_dis if discharges is None else bool(discharges and has_dis)
    title = "Monthly admissions" + (" and discharges" if show_dis else "")
    ax = get_ax(ax, (11, 4.5) if not overlay else (9, 4.5))
    total = np.nansum(m["admissions"].to_numpy(dtype="float64")) if len(m) else 0
    if show_dis and len(m):
        total += np.nansum(m["discharges"].to_numpy(dtype="float64"))
    if m.empty or total == 0:
        return warn_empty(ax, "admission_trend", "no admissions in the period", title)
    if not isinstance(m.index, pd.DatetimeIndex):
        m = m.set_axis(pd.DatetimeIndex(pd.to_datetime(m.index.astype(str))), axis=0)

    style_axes(ax)
    if "days" in m.columns:
        partial = (m["days"].to_numpy() < m.index.days_in_month.to_numpy())
    else:
        partial = np.zeros(len(m), dtype=bool)
    if overlay:
        _draw_overlay(ax, m, partial, kind=kind, show_dis=show_dis, kwargs=kwargs)
    else:
        limits = None
        if use_spc:
            limits = _spc_frame(m, partial) if isinstance(spc, bool) else _check_spc(spc)
        _draw_continuous(ax, m, partial, kind=kind, show_dis=show_dis, kwargs=kwargs,
                         limits=limits)
    ax.set_ylabel("Stays per month")
    count_axis(ax.yaxis)
    ax.set_ylim(bottom=0, top=ax.get_ylim()[1] * (1.12 if not overlay else 1.05))
    ax.set_title(title, loc="left", fontweight="bold")
    return ax


def _spc_frame(m: pd.DataFrame, partial: np.ndarray) -> pd.DataFrame | None:
    """XmR of the complete months' admissions (None with fewer than 2)."""
    from ..analysis import spc

    full = ~partial & np.isfinite(m["admissions"].to_numpy(dtype="float64"))
    if int(full.sum()) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # trial limits
        return spc(m["admissions"][full].astype("float64"), chart="xmr")


def _check_spc(frame) -> pd.DataFrame:
    needed = ("mean", "lpl", "upl", "label", "segment")
    if not isinstance(frame, pd.DataFrame) or any(c not in frame.columns for c in needed):
        raise ArgumentError(
            "spc must be True or the frame returned by hospitalytics.spc (columns "
            f"{list(needed)}).", argument="spc", value=type(frame).__name__)
    index = frame.index
    if isinstance(index, pd.PeriodIndex):
        index = index.to_timestamp()
    return frame.set_axis(pd.DatetimeIndex(pd.to_datetime(index)), axis=0)


def _draw_limits(ax, res: pd.DataFrame, handles: list) -> None:
    """Mean and process limits per segment, special-cause months coloured (spc_chart's)."""
    from .spc import SPC_COLORS

    months = pd.DatetimeIndex(res.index)
    seg = res["segment"].to_numpy()
    for k in np.unique(seg):
        sel = seg == k
        lo = months[sel][0]
        hi = months[sel][-1] + pd.offsets.MonthEnd(1) + pd.Timedelta(days=1)
        row = res[sel].iloc[-1]
        ax.hlines(float(row["mean"]), lo, hi, color=_LIMIT, linewidth=1.2, zorder=1)
        for col in ("lpl", "upl"):
            v = float(row[col])
            if np.isfinite(v) and v > 0:
                ax.hlines(v, lo, hi, color=_LIMIT, linewidth=1.0, linestyle=(0, (4, 3)),
                          zorder=1)
    handles.append(Line2D([], [], color=_LIMIT, linewidth=1.2, label="Mean"))
    handles.append(Line2D([], [], color=_LIMIT, linewidth=1.0, linestyle=(0, (4, 3)),
                          label="Process limits"))
    labels = res["label"].astype(str).to_numpy()
    x = months + pd.Timedelta(days=14)
    y = res["value"].to_numpy(dtype="float64")
    for lab, color in SPC_COLORS.items():
        sel = labels == lab
        if lab == "common cause" or not sel.any():
            continue
        ax.scatter(x[sel], y[sel], s=60, color=color, edgecolors="white", linewidths=0.8,
                   zorder=4)
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7,
                              color=color, label=lab[0].upper() + lab[1:]))


def _draw_continuous(ax, m, partial, *, kind, show_dis, kwargs, limits=None):
    x = m.index + pd.Timedelta(days=14)  # mid-month: year boundaries fall between points
    adm = m["admissions"].to_numpy()
    handles = []
    if kind == "area":
        opts = {"color": COLORS["admissions"], "alpha": 0.3, "linewidth": 0} | kwargs
        ax.fill_between(x, 0, adm, label="Admissions", **opts)
        ax.plot(x, adm, color=opts["color"], linewidth=1.5)
        handles.append(Line2D([], [], color=opts["color"], linewidth=6, alpha=0.4,
                              label="Admissions"))
    else:
        opts = {"color": COLORS["admissions"], "marker": "o" if len(x) <= 60 else None,
                "markersize": 3.5, "linewidth": 1.8 if len(x) <= 120 else 1.0} | kwargs
        (line,) = ax.plot(x, adm, label="Admissions", **opts)
        handles.append(line)
    if show_dis:
        (dl,) = ax.plot(x, m["discharges"].to_numpy(), color=COLORS["discharges"],
                        linestyle="--", marker="s" if len(x) <= 60 else None, markersize=3,
                        linewidth=1.5 if len(x) <= 120 else 0.8,
                        label="Discharges")
        handles.append(dl)
    if partial.any():
        ax.plot(x[partial], adm[partial], linestyle="none", marker="o", markersize=7,
                markerfacecolor="white", markeredgecolor=COLORS["admissions"], zorder=3)
        if show_dis:
            ax.plot(x[partial], m["discharges"].to_numpy()[partial], linestyle="none",
                    marker="s", markersize=6, markerfacecolor="white",
                    markeredgecolor=COLORS["discharges"], zorder=3)
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7,
                              markerfacecolor="white", markeredgecolor=COLORS["muted"],
                              label="Partial month (fewer days)"))
    if limits is not None:
        _draw_limits(ax, limits, handles)
    months = m.index
    lo, hi = months[0], months[-1] + pd.offsets.MonthEnd(1) + pd.Timedelta(days=1)
    ax.set_xlim(lo, hi)
    w_pt, _h = settle_layout(ax)
    years = sorted(set(months.year))
    pt_per_year = w_pt * 365.25 / max((hi - lo).days, 1)
    if pt_per_year >= 40:
        _year_bands(ax, years, lo, hi, pt_per_day=pt_per_year / 365.25)
        pt_per_month = pt_per_year / 12
        step = next((k for k in (1, 2, 3, 4, 6) if k * pt_per_month >= 26), 12)
        ticks = [t for t in months if (t.month - 1) % step == 0] or list(months[:1])
        ax.set_xticks([t + pd.Timedelta(days=14) for t in ticks],
                      [_MONTHS[t.month - 1] if step < 12 else str(t.year) for t in ticks])
        ax.set_xlabel("Month")
    else:  # decades of data (MIMIC-style shifted dates): years only, no bands
        k = next((k for k in (1, 2, 5, 10, 20, 50, 100) if k * pt_per_year >= 34), 200)
        first = (years[0] + k - 1) // k * k
        ticks = [pd.Timestamp(year=y, month=1, day=1) for y in range(first, years[-1] + 1, k)]
        ax.set_xticks(ticks, [str(t.year) for t in ticks])
        ax.set_xlabel("Year")
    if limits is None:
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0),
                  frameon=False, ncols=len(handles), fontsize=9, borderaxespad=0.2)
    else:  # too many entries for the line of the title: under the chart
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16),
                  frameon=False, ncols=min(len(handles), 7), fontsize=9, borderaxespad=0.2)


def _year_bands(ax, years, lo, hi, *, pt_per_day):
    """Alternate shading per calendar year, a line at each new year, the year on top."""
    trans = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    for i, year in enumerate(years):
        a = max(pd.Timestamp(year=year, month=1, day=1), lo)
        b = min(pd.Timestamp(year=year + 1, month=1, day=1), hi)
        if i % 2 == 1:
            ax.axvspan(a, b, color="#F2F2F2", zorder=0, linewidth=0)
        if i > 0:
            ax.axvline(a, color="#BBBBBB", linewidth=0.8, zorder=0)
        if (b - a).days * pt_per_day >= 32:  # room for the year's name
            ax.text(a + (b - a) / 2, 0.98, str(year), transform=trans, ha="center",
                    va="top", fontsize=10, fontweight="bold", color=COLORS["muted"])


def _draw_overlay(ax, m, partial, *, kind, show_dis, kwargs):
    years = sorted(set(m.index.year))
    if len(years) > len(OKABE_ITO):
        palette = [tuple(c) for c in mpl.colormaps["viridis"](np.linspace(0, 0.9, len(years)))]
    else:
        palette = OKABE_ITO[: len(years)]
    handles = []
    for year, color in zip(years, palette, strict=True):
        sel = (m.index.year == year)
        sub = m[sel]
        x = sub.index.month.to_numpy()
        adm = sub["admissions"].to_numpy()
        if kind == "area":
            opts = {"color": color, "alpha": 0.18, "linewidth": 0} | kwargs
            ax.fill_between(x, 0, adm, **opts)
            ax.plot(x, adm, color=color, linewidth=1.8, label=str(year))
        else:
            opts = {"color": color, "marker": "o", "markersize": 3.5, "linewidth": 1.8} | kwargs
            ax.plot(x, adm, label=str(year), **opts)
        handles.append(Line2D([], [], color=color, linewidth=2.5, label=str(year)))
        if show_dis:
            ax.plot(x, sub["discharges"].to_numpy(), color=color, linestyle="--",
                    linewidth=1.2, alpha=0.9)
        p = partial[sel]
        if p.any():
            ax.plot(x[p], adm[p], linestyle="none", marker="o", markersize=7,
                    markerfacecolor="white", markeredgecolor=color, zorder=3)
    handles.append(Line2D([], [], color=COLORS["muted"], linewidth=1.8, label="Admissions"))
    if show_dis:
        handles.append(Line2D([], [], color=COLORS["muted"], linestyle="--", linewidth=1.2,
                              label="Discharges"))
    if partial.any():
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7,
                              markerfacecolor="white", markeredgecolor=COLORS["muted"],
                              label="Partial month"))
    ax.set_xticks(range(1, 13), _MONTHS)
    ax.set_xlim(0.6, 12.4)
    ax.set_xlabel("Month of the year")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=9)
