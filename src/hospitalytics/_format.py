"""One home for showing numbers: charts, KPI cards, the report and the CLI format alike.

A private module with public names (as seaborn's ``_statistics``): :mod:`hospitalytics.plots`,
:mod:`hospitalytics.report` and :mod:`hospitalytics.cli` import from here, so one number is
written the same way everywhere ("£36.7M" on a card, on a bar label and in the CLI).

The contract
------------
:func:`fmt` ``(value, kind, *, currency="", missing="–") -> str``, by kind:

=================  ==================================  ================================
kind               example                             used for
=================  ==================================  ================================
``count``          ``8,000`` / ``36.4``                stays, patients, bed-days (one
                                                       decimal when not whole)
``money``          ``£36,661,440.23``                  tables: exact to the penny
``money_compact``  ``£36.7M``, ``£574k``, ``£950``     cards, bar labels, axes
``days``           ``4.61``                            ALOS, LOS (two decimals
                                                       everywhere)
``pct``            ``85.3%``                           fractions (``0.853``)
``pct_whole``      ``85%``                             only inside tiles and cells too
                                                       small for a decimal (the title
                                                       or legend gives the full figure)
``float``          ``1.23``                            other ratios (bed turnover)
``month``          ``2025-01``                         month labels
``text``           ``Ward 3``                          labels: ``str(value)``
=================  ==================================  ================================

Text is returned unchanged (a table cell may already say ``"<10"``); a missing value
(None, NaN, NaT, ``pd.NA``) gives ``missing``; infinities give ``∞`` / ``-∞``. Negative
values use the ASCII hyphen-minus, as Python prints them.

:func:`fmt_change` writes a change with an explicit sign (``+12``, ``−3``, ``±0``,
``+1.2 pp`` for fractions, ``−£183k``). :data:`UNIT_KIND` maps the units of
:func:`hospitalytics.summary` to kinds, and :func:`compact` gives the kind for cards and
charts (``money`` → ``money_compact``; the others are unchanged).

How the KPI cards read a change (:func:`verdict`, :data:`GOOD_DIRECTION`) and in which order
they are shown (:func:`card_order`) live here too: the HTML cards and the dashboard cards
use the same rules.

Examples
--------
>>> fmt(36_661_440.23, "money_compact", currency="£")
'£36.7M'
>>> fmt(4.6132, "days"), fmt(0.8531, "pct"), fmt(8000, "count")
('4.61', '85.3%', '8,000')
>>> fmt_change(-0.0126, "pct"), fmt_change(12, "count")
('−1.3 pp', '+12')
>>> verdict("alos", 4.2, 4.6), verdict("admissions", 155, 167)
('better', 'neutral')
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = [
    "GOOD_DIRECTION",
    "HEADLINE",
    "KINDS",
    "KPI_GROUPS",
    "OCCUPANCY_TARGET",
    "UNIT_KIND",
    "VERDICT_COLORS",
    "card_order",
    "compact",
    "fmt",
    "fmt_change",
    "is_missing",
    "verdict",
]

#: The kinds :func:`fmt` understands.
KINDS: tuple[str, ...] = ("count", "money", "money_compact", "days", "pct", "pct_whole",
                          "float", "month", "text")

#: How each unit of :func:`hospitalytics.summary` is shown.
UNIT_KIND: dict[str, str] = {
    "stays": "count",
    "patients": "count",
    "bed-days": "count",
    "currency": "money",
    "days": "days",
    "fraction": "pct",
    "discharges per bed": "float",
}


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and ``pd.NA``.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
        Whether the value stands for "no number".

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(0), is_missing("<10")
    (True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(value != value)  # NaN, NaT
    except TypeError:  # pd.NA raises on bool()
        return True


def compact(kind: str) -> str:
    """The kind used on cards and charts for a table kind (``money`` → ``money_compact``).

    Parameters
    ----------
    kind : str
        A kind of :data:`KINDS`.

    Returns
    -------
    str
        The compact kind.

    Examples
    --------
    >>> compact("money"), compact("days")
    ('money_compact', 'days')
    """
    return "money_compact" if kind == "money" else kind


def _money_compact(v: float, currency: str) -> str:
    sign = "-" if v < 0 else ""
    a = abs(v)
    # thresholds where the shorter form would round up to "1,000" of the smaller unit
    if a >= 999_950_000:
        text = f"{a / 1e9:,.1f}B"
    elif a >= 999_500:
        text = f"{a / 1e6:.1f}M"
    elif a >= 9_950:
        text = f"{a / 1e3:.0f}k"
    elif a >= 999.5:
        text = f"{a / 1e3:.1f}k"
    else:
        text = f"{a:.0f}"
    return f"{sign}{currency}{text}"


def fmt(value: object, kind: str, *, currency: str = "", missing: str = "–") -> str:
    """Format one number for display (see the table in the module docstring).

    Parameters
    ----------
    value : number, str or None
        The value; text is returned unchanged.
    kind : str
        One of :data:`KINDS`.
    currency : str, default ""
        Symbol put before money amounts (``"£"``); none by default.
    missing : str, default "–"
        What a missing value shows (the report passes its privacy marker).

    Returns
    -------
    str
        The text.

    Raises
    ------
    ValueError
        For an unknown ``kind``.

    Examples
    --------
    >>> fmt(573_573.22, "money", currency="€"), fmt(573_573.22, "money_compact")
    ('€573,573.22', '574k')
    >>> fmt(36.4667, "count"), fmt(None, "pct"), fmt(0.853, "pct_whole")
    ('36.5', '–', '85%')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown number kind {kind!r}; choose from {list(KINDS)}.")
    if isinstance(value, str):
        return value
    if is_missing(value):
        return missing
    if kind == "month":
        return str(value)[:7]
    if kind == "text":
        return str(value)
    v = float(value)  # type: ignore[arg-type]
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if kind == "count":
        return f"{v:,.0f}" if v == math.floor(v) else f"{v:,.1f}"
    if kind == "money":
        sign = "-" if v < 0 else ""
        return f"{sign}{currency}{abs(v):,.2f}"
    if kind == "money_compact":
        return _money_compact(v, currency)
    if kind == "pct":
        return f"{v * 100:.1f}%"
    if kind == "pct_whole":
        return f"{v * 100:.0f}%"
    return f"{v:,.2f}"  # days, float


def fmt_change(value: object, kind: str, *, currency: str = "", missing: str = "–") -> str:
    """Format a change with its sign: ``+12``, ``−3``, ``±0``, ``+1.2 pp``, ``−£183k``.

    Parameters
    ----------
    value : number, str or None
        The change (current minus previous); text is returned unchanged.
    kind : str
        The kind of the figure that changed (fractions change in percentage points).
    currency : str, default ""
        Symbol for money amounts.
    missing : str, default "–"
        What a missing value shows.

    Returns
    -------
    str
        The text, with a typographic minus (U+2212) for falls.

    Examples
    --------
    >>> fmt_change(-182_681.01, "money_compact", currency="£"), fmt_change(0, "count")
    ('−£183k', '±0')
    """
    if isinstance(value, str):
        return value
    if is_missing(value):
        return missing
    v = float(value)  # type: ignore[arg-type]
    sign = "+" if v > 0 else ("−" if v < 0 else "±")
    if kind in ("pct", "pct_whole"):
        return f"{sign}{abs(v) * 100:.1f} pp"
    return sign + fmt(abs(v), kind, currency=currency, missing=missing)


# ------------------------------------------------------------------ what a change means
#: The occupancy the cards judge against: 85% (NAO / Royal Colleges).
OCCUPANCY_TARGET = 0.85

#: Which way is good for each KPI of :func:`hospitalytics.summary`: ``"down"``, ``"up"``,
#: ``"target"`` (closer to :data:`OCCUPANCY_TARGET` is better), or ``None`` where it
#: depends (more admissions may be demand or good access: neutral).
GOOD_DIRECTION: dict[str, str | None] = {
    "admissions": None,
    "discharges": None,
    "treatment_cost": None,  # follows activity: neutral
    "alos": "down",
    "bed_days": None,
    "average_daily_census": None,
    "occupancy": "target",  # too full is unsafe, too empty is waste
    "bed_turnover": None,
    "in_patients": None,
    "los_7plus": "down",  # "stranded" patients (NHS UEC SitRep)
    "los_14plus": "down",
    "los_21plus": "down",
    "readmission_rate_30d": "down",
}

#: Colour-blind-safe colours of a verdict (Okabe-Ito blue and vermillion, darkened for
#: text contrast on white; grey for neutral). Never the only cue: the cards also write
#: an arrow and the word.
VERDICT_COLORS: dict[str, str] = {
    "better": "#0072B2",
    "worse": "#B34A00",
    "same": "#555555",
    "neutral": "#555555",
}


def verdict(kpi: str, current: object, previous: object) -> str:
    """Whether a KPI moved the good way: ``"better"``, ``"worse"``, ``"same"`` or ``"neutral"``.

    Parameters
    ----------
    kpi : str
        A KPI name of :func:`hospitalytics.summary` (unknown names are neutral).
    current, previous : number
        The two figures compared (month to date and the previous month's same days).

    Returns
    -------
    str
        ``"neutral"`` for KPIs without a good direction (:data:`GOOD_DIRECTION`) or when a
        figure is missing; ``"same"`` when nothing moved.

    Examples
    --------
    >>> verdict("readmission_rate_30d", 0.03, 0.065)
    'better'
    >>> verdict("occupancy", 0.90, 1.03), verdict("occupancy", 0.70, 0.84)
    ('better', 'worse')
    """
    good = GOOD_DIRECTION.get(kpi)
    if good is None or is_missing(current) or is_missing(previous):
        return "neutral"
    if isinstance(current, str) or isinstance(previous, str):
        return "neutral"
    c, p = float(current), float(previous)  # type: ignore[arg-type]
    if good == "target":
        c, p = -abs(c - OCCUPANCY_TARGET), -abs(p - OCCUPANCY_TARGET)
    elif good == "down":
        c, p = -c, -p
    if math.isclose(c, p, rel_tol=1e-12, abs_tol=1e-12):
        return "same"
    return "better" if c > p else "worse"


# --------------------------------------------------------------------- card order
#: The headline KPIs, shown first (average daily census stands in for occupancy
#: when there are no beds).
HEADLINE: tuple[str, ...] = ("admissions", "discharges", "treatment_cost", "alos",
                             "occupancy")

#: The KPIs of :func:`hospitalytics.summary` by group, in display order.
KPI_GROUPS: dict[str, tuple[str, ...]] = {
    "activity": ("admissions", "discharges", "treatment_cost"),
    "flow": ("alos", "in_patients", "los_7plus", "los_14plus", "los_21plus"),
    "capacity": ("occupancy", "average_daily_census", "bed_days", "bed_turnover"),
    "quality": ("readmission_rate_30d",),
}


def card_order(available: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The cards to show, as ``[(group, [kpi, ...]), ...]``: the headline first.

    Parameters
    ----------
    available : iterable of str
        The KPIs the summary has (its index).

    Returns
    -------
    list of (str, list of str)
        ``("headline", [...])`` then ``"activity"``, ``"flow"``, ``"capacity"``,
        ``"quality"`` with the KPIs not already shown; empty groups are left out, and
        KPIs of no group come last under ``"other"``.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> s = hp.summary(hp.datasets.load_sample())
    >>> card_order(s.index)[0]
    ('headline', ['admissions', 'discharges', 'treatment_cost', 'alos', 'average_daily_census'])
    """
    have = list(dict.fromkeys(available))
    head = [k for k in HEADLINE if k in have]
    if "occupancy" not in have and "average_daily_census" in have:
        head.append("average_daily_census")
    out = [("headline", head)] if head else []
    shown = set(head)
    for group, names in KPI_GROUPS.items():
        rest = [k for k in names if k in have and k not in shown]
        if rest:
            out.append((group, rest))
            shown.update(rest)
    other = [k for k in have if k not in shown]
    if other:
        out.append(("other", other))
    return out
