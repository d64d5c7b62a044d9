"""The SPC chart in the Making Data Count style: points coloured by their label."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from .._format import fmt
from ..analysis import LABELS
from ..errors import ArgumentError, ArgumentTypeError
from ._base import COLORS, OKABE_ITO, docstring, get_ax, label, style_axes, warn_empty

__all__ = ["SPC_COLORS", "spc_chart"]

#: Point colours per label (Okabe-Ito): grey common cause, blue improving, orange
#: concerning, reddish purple neutral, as Making Data Count's grey / blue / orange /
#: purple.
SPC_COLORS = {
    "common cause": COLORS["other"],
    "special cause improving": OKABE_ITO[0],
    "special cause concerning": OKABE_ITO[1],
    "special cause neutral": OKABE_ITO[3],
}
_LINE = "#555555"
_NEEDED = ("value", "mean", "lpl", "upl", "label", "segment")


def _x(index: pd.Index):
    """Positions on the x axis, and whether they are dates."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp(), True
    if isinstance(index, pd.DatetimeIndex):
        return index, True
    if pd.api.types.is_numeric_dtype(index.dtype):
        return index.to_numpy(dtype="float64"), False
    return np.arange(len(index), dtype="float64"), False


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return fmt(value, "pct")
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _summary_text(data: pd.DataFrame, *, percent: bool = False) -> str:
    """The variation and assurance of an SPC frame in words, for the chart's subtitle."""
    attrs = data.attrs
    variation = attrs.get("variation", str(data["label"].iloc[-1]))
    text = f"Variation: {variation} (latest point)"
    target = attrs.get("target")
    if target is not None:
        assurance = attrs.get("assurance") or "not assessed"
        text += f"  ·  Assurance: {assurance} (target {_fmt(target, percent)})"
    return text


@docstring
def spc_chart(
    data: pd.DataFrame,
    *,
    title: str | None = None,
    percent: bool | None = None,
    summary: bool = True,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """An SPC chart: the values, the mean, dashed process limits, points by label.

    Draws a frame returned by :func:`hospitalytics.spc` or :func:`hospitalytics.kpi_spc`
    in the NHS England *Making Data Count* style: common-cause points grey,
    special-cause improving blue, concerning orange and neutral purple; the mean a solid
    line and the process limits dashed, each segment (between rebase dates) with its own
    lines; the target, when there is one, dash-dotted. The subtitle says in words the
    variation of the latest point and the assurance against the target; periods left
    out of the chart (``attrs["excluded"]``) are named under it.

    Parameters
    ----------
    data : DataFrame
        The SPC frame (from :func:`hospitalytics.spc` or :func:`hospitalytics.kpi_spc`).
    title : str, optional
        The title; defaults to the KPI's (``attrs["title"]``) or "SPC chart".
    percent : bool, optional
        Show the values as percentages. ``None`` (default): for p charts and KPIs in
        fractions (occupancy, readmission rate).
    summary : bool, default True
        Write the variation and assurance under the title.
    {ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.plot` call of the line joining the
        values.

    Returns
    -------
    {returns}

    Raises
    ------
    ArgumentError
        When ``data`` is not an SPC frame (its columns are named in the message).

    Notes
    -----
    An empty frame warns with a :class:`~hospitalytics.errors.DataQualityWarning` and
    returns the Axes with a "No data" note.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import spc_chart
    >>> df = hp.datasets.load_sample()
    >>> ax = spc_chart(hp.kpi_spc(df, "alos", target=4.5))
    >>> ax.get_title(loc="left")
    'Average length of stay (days)'
    """
    if not isinstance(data, pd.DataFrame) or any(c not in data.columns for c in _NEEDED):
        found = list(data.columns) if isinstance(data, pd.DataFrame) else type(data).__name__
        error = ArgumentError if isinstance(data, pd.DataFrame) else ArgumentTypeError
        raise error(
            f"spc_chart draws the frame returned by hospitalytics.spc or kpi_spc (columns "
            f"{list(_NEEDED)}); got {found}. Compute it first, e.g. "
            "spc_chart(hp.kpi_spc(df, 'admissions')).",
            argument="data", value=data, allowed=tuple(_NEEDED),
        )
    attrs = data.attrs
    title = title or (label(attrs["title"], max_chars=120) if attrs.get("title") else
                      "SPC chart")
    ax = get_ax(ax, (10, 4.6))
    if data.empty:
        return warn_empty(ax, "spc_chart", "the SPC frame has no points", title)
    if percent is None:
        percent = attrs.get("unit") == "fraction" or attrs.get("chart") in ("p", "pp")
    style_axes(ax)
    x, dates = _x(data.index)
    xs = np.asarray(x)
    y = data["value"].to_numpy(dtype="float64")
    opts = {"color": "#9A9A9A", "linewidth": 1.3, "zorder": 2} | kwargs
    segments = data["segment"].to_numpy()
    bounds = np.flatnonzero(np.diff(segments)) + 1
    for a, b in zip(np.r_[0, bounds], np.r_[bounds, len(data)], strict=True):
        sl = slice(int(a), int(b))
        ax.plot(x[sl], y[sl], **opts)
        ax.plot(x[sl], data["mean"].to_numpy()[sl], color=_LINE, linewidth=1.4,
                drawstyle="steps-mid", zorder=1)
        for col in ("lpl", "upl"):
            ax.plot(x[sl], data[col].to_numpy()[sl], color=_LINE, linewidth=1.1,
                    linestyle=(0, (4, 3)), drawstyle="steps-mid", zorder=1)
    for start in xs[bounds]:
        ax.axvline(start, color=COLORS["grid"], linewidth=1.0, zorder=0)
    labels = data["label"].astype(str).to_numpy()
    handles = []
    for lab in LABELS:
        sel = labels == lab
        if lab != "common cause" and not sel.any():
            continue
        color = SPC_COLORS[lab]
        ax.scatter(x[sel], y[sel], s=30 if lab == "common cause" else 42, color=color,
                   edgecolors="white", linewidths=0.6, zorder=3)
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7,
                              color=color, label=lab[0].upper() + lab[1:]))
    handles.append(Line2D([], [], color=_LINE, linewidth=1.4, label="Mean"))
    handles.append(Line2D([], [], color=_LINE, linewidth=1.1, linestyle=(0, (4, 3)),
                          label="Process limits"))
    target = attrs.get("target")
    if target is not None:
        ax.axhline(target, color=COLORS["text"], linewidth=1.2, linestyle="-.", zorder=1)
        handles.append(Line2D([], [], color=COLORS["text"], linewidth=1.2, linestyle="-.",
                              label="Target"))
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
    if not dates:
        if not pd.api.types.is_numeric_dtype(data.index.dtype):
            step = max(len(data) // 12, 1)
            ax.set_xticks(xs[::step], [str(v) for v in data.index[::step]])
    ax.set_title(title, loc="left", fontweight="bold", pad=24 if summary else 6)
    if summary:
        ax.text(0.0, 1.015, _summary_text(data, percent=percent), transform=ax.transAxes,
                ha="left", va="bottom", fontsize=9.5, color=COLORS["text"])
    excluded = attrs.get("excluded")
    if excluded:
        shown = "; ".join(excluded[:3]) + (f"; and {len(excluded) - 3} more"
                                           if len(excluded) > 3 else "")
        ax.annotate(f"Not charted: {shown}", xy=(0.0, 0.0), xycoords="axes fraction",
                    xytext=(0, -30), textcoords="offset points", ha="left", va="top",
                    fontsize=8, color=COLORS["muted"])
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=8.5)
    return ax
