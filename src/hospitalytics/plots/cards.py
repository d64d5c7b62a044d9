"""The KPI cards: the period figure, month to date against the previous month's same days."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from .. import kpis
from .._format import card_order, card_texts, period_text
from .._text import escape_mathtext
from ..errors import ArgumentError
from ._base import (
    COLORS,
    docstring,
    get_ax,
    resolve,
    settle_layout,
    warn_empty,
    wrap,
)

__all__ = ["DEFAULT_CARDS", "draw_kpi_cards", "kpi_cards", "kpi_cards_table"]

#: The cards drawn by default: the five headline KPIs, in order (those the data cannot
#: support are skipped; without beds, the average daily census stands in for
#: occupancy). ``cards="all"`` draws every KPI of the summary, grouped (activity, flow,
#: capacity, quality) after the headline row.
DEFAULT_CARDS = ("admissions", "discharges", "treatment_cost", "alos", "occupancy")

def kpi_cards_table(data: pd.DataFrame, *, beds=None, start=None, end=None,
                    mtd: bool = False, qtd: bool = False, ytd: bool = False, as_of=None,
                    definitions=None, columns=None) -> pd.DataFrame:
    """The table :func:`kpi_cards` draws: :func:`hospitalytics.summary` for the period.

    ``mtd``/``qtd``/``ytd`` set the period (the big figure) as for the KPIs; the month to
    date and its comparison always follow the as-of date.
    """
    if mtd or qtd or ytd:
        p = resolve(data, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                    columns=columns)
        start, end, as_of = p.start, p.end, p.as_of
    return kpis.summary(data, beds, start=start, end=end, as_of=as_of,
                        definitions=definitions, columns=columns)


@docstring
def kpi_cards(
    data: pd.DataFrame,
    *,
    beds=None,
    cards: Sequence[str] | str | None = None,
    currency: str = "",
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
    """The headline KPIs: the period figure, month to date, and how it moved.

    One card per KPI of :func:`hospitalytics.summary`: the figure for the whole period
    (large), the month to date and the previous month's **same days** (day 1 to N
    against day 1 to N), and the change as an arrow, the absolute change and the
    relative change (percentage points for rates). The change is coloured by what it
    means, not by its direction, and says so in words: "better" (blue) or "worse"
    (orange) for KPIs with a good direction (ALOS, long stays and readmissions down;
    occupancy closer to the 85% target), grey for neutral ones (admissions, discharges,
    cost). Drawn by :func:`draw_kpi_cards`.

    Parameters
    ----------
    {data}
    beds : dict, Series or DataFrame, optional
        Beds per ward; adds the occupancy card.
    cards : sequence of str or "all", optional
        KPI names of :func:`hospitalytics.summary` to show, in order (default
        :data:`DEFAULT_CARDS`, keeping those the data supports; ``"all"``: every KPI,
        grouped, one row per group).
    {currency}
    {period}
    {ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.text` calls of the headline values.

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
    >>> from hospitalytics.plots import kpi_cards
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> ax = kpi_cards(df, beds=beds, currency="£", ytd=True, definitions="hcup")
    """
    table = kpi_cards_table(data, beds=beds, start=start, end=end, mtd=mtd, qtd=qtd,
                            ytd=ytd, as_of=as_of, definitions=definitions, columns=columns)
    return draw_kpi_cards(table, cards=cards, currency=currency, ax=ax, **kwargs)


def _names(table: pd.DataFrame, cards) -> list[list[str]]:
    """Rows of card names."""
    groups = card_order(table.index)
    if cards is None:
        head = groups[0][1] if groups and groups[0][0] == "headline" else []
        return [head]
    if isinstance(cards, str):
        if cards != "all":
            raise ArgumentError(f"cards must be a list of KPI names or 'all', got {cards!r}.",
                                argument="cards", value=cards)
        return [names for _, names in groups]
    unknown = [k for k in cards if k not in table.index]
    if unknown:
        raise ArgumentError(
            f"cards {unknown} are not available for this data; choose from "
            f"{list(table.index)}."
        )
    return [list(cards)]


def _described(text: str) -> tuple[str | None, str] | None:
    """``(start, end)`` ISO dates of a period description ("2025-01-01 to 2025-01-31 ...")."""
    try:
        a, b = text.split(" (as of")[0].split(" to ")
        return (None if a == "the first record" else str(pd.Timestamp(a).date()),
                str(pd.Timestamp(b).date()))
    except (ValueError, TypeError, AttributeError):
        return None


def period_dates(attrs: dict) -> dict:
    """The ISO dates of a KPI panel's periods (``start``, ``end``, ``mtd_start`` ...).

    Read from the ``attrs`` of :func:`hospitalytics.summary`; a panel made before they
    were there (only the descriptions) has them parsed from its descriptions.
    """
    out = dict(attrs)
    for key in ("period", "mtd", "previous_mtd"):
        prefix = "" if key == "period" else f"{key}_"
        if f"{prefix}end" not in out:
            got = _described(attrs.get(key, ""))
            if got is not None:
                out[f"{prefix}start"], out[f"{prefix}end"] = got
    return out


def _period_title(attrs: dict) -> str:
    text = period_text(period_dates(attrs), previous=True)
    return f"Period: {text}" if text else ""


@docstring
def draw_kpi_cards(
    table: pd.DataFrame,
    *,
    cards: Sequence[str] | str | None = None,
    currency: str = "",
    missing: str = "–",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Draw :func:`kpi_cards` from a KPI panel already computed.

    Parameters
    ----------
    table : DataFrame
        :func:`hospitalytics.summary`'s result (``label``, ``unit``, ``period``, ``mtd``,
        ``previous_mtd``, ``change``, ``change_pct``; its ``attrs`` name the periods).
        A cell may hold text (e.g. ``"<10"`` from suppression): it is shown as it is.
    cards : sequence of str or "all", optional
        KPI names to show, in order (default :data:`DEFAULT_CARDS`; ``"all"``: every
        KPI, grouped, one row per group).
    {currency}
    {missing}
    {table_ax}
    **kwargs
        Passed to the :meth:`~matplotlib.axes.Axes.text` calls of the headline values.

    Returns
    -------
    {returns}

    Raises
    ------
    ArgumentError
        For a card the table does not have.

    Notes
    -----
    {empty}

    Examples
    --------
    >>> import hospitalytics as hp
    >>> from hospitalytics.plots import draw_kpi_cards
    >>> s = hp.summary(hp.datasets.load_sample(), definitions="oecd")
    >>> ax = draw_kpi_cards(s, cards="all")
    """
    rows = [r for r in _names(table, cards) if r]
    ncols = max((len(r) for r in rows), default=1)
    ax = get_ax(ax, (max(8.0, 2.6 * ncols), 2.5 * max(len(rows), 1)))
    adm = table["period"].get("admissions") if "admissions" in table.index else None
    if not rows or (adm is not None and not isinstance(adm, str) and adm == 0):
        return warn_empty(ax, "kpi_cards", "no admissions in the data", "Key figures")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(_period_title(table.attrs), loc="left", fontsize=10, color=COLORS["muted"])
    gap, margin = 0.012, 0.004
    width = (1 - 2 * margin - gap * (ncols - 1)) / ncols
    row_h = 1 / len(rows)
    w_pt, h_pt = settle_layout(ax)  # wrap the labels to the laid-out card width
    chars = max(int((width * w_pt - 10) / (0.56 * 9.5)), 8)
    pad = min(0.02, 6 / max(h_pt, 1))
    for r, names in enumerate(rows):
        y0 = 1 - (r + 1) * row_h
        for i, key in enumerate(names):
            t = card_texts(key, table.loc[key], currency, missing, table.attrs)
            x0 = margin + i * (width + gap)
            ax.add_patch(FancyBboxPatch((x0, y0 + pad), width, row_h - 2 * pad,
                                        boxstyle="round,pad=0,rounding_size=0.03",
                                        transform=ax.transAxes, facecolor="#F5F7FA",
                                        edgecolor="#D0D7DE", linewidth=1,
                                        mutation_aspect=0.3 * len(rows)))
            cx = x0 + width / 2

            def at(frac: float, _y0=y0) -> float:
                return _y0 + frac * row_h

            ax.text(cx, at(0.84), wrap(t["label"], chars), ha="center", va="center",
                    fontsize=9.5, color=COLORS["muted"], transform=ax.transAxes,
                    linespacing=1.1)
            opts = {"fontsize": 18, "fontweight": "bold", "color": COLORS["text"]} | kwargs
            ax.text(cx, at(0.58), escape_mathtext(t["value"]), ha="center", va="center",
                    transform=ax.transAxes, **opts)
            ax.text(cx, at(0.34), escape_mathtext(t["mtd"]), ha="center", va="center",
                    fontsize=8.5, color=COLORS["muted"], transform=ax.transAxes)
            ax.text(cx, at(0.15), escape_mathtext(t["change"]), ha="center", va="center",
                    fontsize=9.5, color=t["color"], transform=ax.transAxes,
                    fontweight="bold" if t["verdict"] in ("better", "worse") else "normal")
    return ax

