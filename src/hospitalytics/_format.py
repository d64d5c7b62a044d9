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
use the same rules. So do the dates of a report (:func:`day_text`, :func:`span_text`,
:func:`period_text`: "1 Oct 2023 – 15 Dec 2025 · month to date 1–15 Dec 2025 · as of 15 Dec
2025") and what a missing KPI cell says (:func:`missing_text`: "window open" for a
readmission rate whose follow-up windows have not closed).

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
    "FOLLOW_UP_OPEN",
    "GOOD_DIRECTION",
    "HEADLINE",
    "KINDS",
    "KPI_GROUPS",
    "OCCUPANCY_OVER_NOTE",
    "OCCUPANCY_TARGET",
    "UNIT_KIND",
    "VERDICT_COLORS",
    "card_order",
    "card_texts",
    "compact",
    "day_text",
    "fmt",
    "fmt_change",
    "is_missing",
    "missing_text",
    "period_text",
    "span_text",
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

#: What an occupancy over 100% means (under the occupancy charts and in the report).
OCCUPANCY_OVER_NOTE = ("Values over 100%: more patients than staffed beds — escalation beds, "
                       "trolleys, or out-of-date capacity figures.")

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


# ------------------------------------------------------------------------ dates
def _day(value: object):
    """A date from a Timestamp, a ``datetime.date`` or an ISO string."""
    import datetime as _dt

    if isinstance(value, str):
        return _dt.date.fromisoformat(value[:10])
    return value


def day_text(value: object) -> str:
    """A date as a reader writes it: ``"1 Oct 2023"``.

    Parameters
    ----------
    value : Timestamp, date or str
        The date (an ISO string is read).

    Returns
    -------
    str
        Day, abbreviated month and year.

    Examples
    --------
    >>> day_text("2023-10-01")
    '1 Oct 2023'
    """
    d = _day(value)
    return f"{d.day} {d:%b %Y}"


def span_text(start: object, end: object) -> str:
    """A span of days: ``"1–15 Dec 2025"``, ``"1 Oct 2023 – 15 Dec 2025"``.

    Parameters
    ----------
    start : Timestamp, date, str or None
        The first day (``None``: no first day, written "up to ...").
    end : Timestamp, date or str
        The last day (inclusive).

    Returns
    -------
    str
        The span, as short as it stays unambiguous.

    Examples
    --------
    >>> span_text("2025-12-01", "2025-12-15"), span_text("2023-10-01", "2025-12-15")
    ('1–15 Dec 2025', '1 Oct 2023 – 15 Dec 2025')
    >>> span_text(None, "2025-12-15"), span_text("2025-12-15", "2025-12-15")
    ('up to 15 Dec 2025', '15 Dec 2025')
    """
    b = _day(end)
    if start is None:
        return f"up to {day_text(b)}"
    a = _day(start)
    if a == b:
        return day_text(b)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%b %Y}"
    return f"{day_text(a)} – {day_text(b)}"


def period_text(attrs: dict, *, previous: bool = False) -> str:
    """The periods of a KPI panel in words, from its ``attrs`` (report headers, titles).

    Parameters
    ----------
    attrs : dict
        :func:`hospitalytics.summary`'s ``attrs`` (``start``, ``end``, ``mtd_start``,
        ``mtd_end``, ``as_of``; ``previous_mtd_start`` and ``previous_mtd_end``).
    previous : bool, default False
        Name the previous month's same days too.

    Returns
    -------
    str
        ``"1 Oct 2023 – 15 Dec 2025 · month to date 1–15 Dec 2025 · as of 15 Dec 2025"``
        (empty when ``attrs`` has no dates).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> period_text(hp.summary(hp.datasets.load_sample()).attrs)
    '1 Oct 2023 – 15 Dec 2025 · month to date 1–15 Dec 2025 · as of 15 Dec 2025'
    """
    if not attrs.get("end"):
        return ""
    parts = [span_text(attrs.get("start"), attrs["end"])]
    if attrs.get("mtd_end"):
        mtd = f"month to date {span_text(attrs.get('mtd_start'), attrs['mtd_end'])}"
        if previous and attrs.get("previous_mtd_end"):
            mtd += (" vs "
                    f"{span_text(attrs.get('previous_mtd_start'), attrs['previous_mtd_end'])}")
        parts.append(mtd)
    if attrs.get("as_of"):
        parts.append(f"as of {day_text(attrs['as_of'])}")
    return " · ".join(parts)


#: What a KPI panel cell shows instead of a dash when its value is missing by rule.
FOLLOW_UP_OPEN = "window open"


def missing_text(kpi: str, column: str, attrs: dict, missing: str = "–") -> str:
    """What a missing cell of the KPI panel shows: why it is missing, when known.

    Parameters
    ----------
    kpi : str
        The KPI (the panel's index).
    column : str
        ``"period"``, ``"mtd"``, ``"previous_mtd"``, ``"change"`` or ``"change_pct"``.
    attrs : dict
        The panel's ``attrs`` (``follow_up_open``: the columns whose readmission rate
        waits for its follow-up windows to close).
    missing : str, default "–"
        What other missing cells show.

    Returns
    -------
    str
        :data:`FOLLOW_UP_OPEN` for a readmission rate whose windows are all still open
        (and its changes), else ``missing``.

    Examples
    --------
    >>> missing_text("readmission_rate_30d", "mtd", {"follow_up_open": ["mtd"]})
    'window open'
    >>> missing_text("alos", "mtd", {"follow_up_open": ["mtd"]})
    '–'
    """
    if not kpi.startswith("readmission_rate"):
        return missing
    open_cols = set(attrs.get("follow_up_open") or ())
    if column in ("change", "change_pct"):
        return FOLLOW_UP_OPEN if open_cols & {"mtd", "previous_mtd"} else missing
    return FOLLOW_UP_OPEN if column in open_cols else missing


# --------------------------------------------------------------------------- cards
_ARROW = {"up": "▲", "down": "▼", "flat": "="}


def _relative(pct: object) -> str:
    if is_missing(pct) or isinstance(pct, str):
        return ""
    return f" ({float(pct) * 100:+.1f}%)".replace("-", "−")


def card_texts(kpi: str, row, currency: str = "", missing: str = "–",
               attrs: dict | None = None) -> dict[str, str]:
    """The texts and colour of one KPI card (the HTML cards and the dashboard's alike).

    Parameters
    ----------
    kpi : str
        The KPI (a row name of :func:`hospitalytics.summary`).
    row : Series or mapping
        Its row: ``label``, ``unit``, ``period``, ``mtd``, ``previous_mtd``, ``change``,
        ``change_pct`` (a cell may hold a privacy marker such as ``"<10"``).
    currency : str, default ""
        Symbol for money amounts.
    missing : str, default "–"
        What a missing value shows.
    attrs : dict, optional
        The panel's ``attrs``: why a value is missing where a rule makes it so
        (:func:`missing_text`).

    Returns
    -------
    dict of str
        ``label``, ``value`` (the period), ``mtd_value``, ``previous_value``, ``mtd``
        (``"MTD x · prev. y"``), ``change`` (arrow, change, relative change and the
        verdict's word), ``verdict`` (:func:`verdict`) and ``color``
        (:data:`VERDICT_COLORS`).

    Examples
    --------
    >>> row = {"label": "Average length of stay", "unit": "days", "period": 4.01,
    ...        "mtd": 4.55, "previous_mtd": 4.05, "change": 0.5, "change_pct": 0.1235}
    >>> t = card_texts("alos", row)
    >>> t["value"], t["change"], t["color"]
    ('4.01 days', '▲ +0.50 (+12.3%) worse', '#B34A00')
    """
    kind = compact(UNIT_KIND.get(str(row["unit"]), "float"))
    suffix = " days" if kind == "days" else ""
    attrs = attrs or {}

    def value(v: object, col: str) -> str:
        if isinstance(v, str) or is_missing(v):
            return fmt(v, kind, missing=missing_text(kpi, col, attrs, missing))
        return fmt(v, kind, currency=currency) + suffix

    change = row["change"]
    if isinstance(change, str):
        change_text, word = change, "neutral"
    elif is_missing(change):
        word = "neutral"
        change_text = ("follow-up not complete"
                       if missing_text(kpi, "change", attrs, "") == FOLLOW_UP_OPEN
                       else "no comparison")
    else:
        ch = float(change)  # type: ignore[arg-type]
        arrow = _ARROW["up" if ch > 0 else "down" if ch < 0 else "flat"]
        rel = "" if kind in ("pct", "pct_whole") else _relative(row["change_pct"])
        word = verdict(kpi, row["mtd"], row["previous_mtd"])
        change_text = f"{arrow} {fmt_change(ch, kind, currency=currency)}{rel}"
        if word in ("better", "worse"):
            change_text += f" {word}"
    mtd, prev = value(row["mtd"], "mtd"), value(row["previous_mtd"], "previous_mtd")
    return {
        "label": str(row["label"]),
        "value": value(row["period"], "period"),
        "mtd_value": mtd,
        "previous_value": prev,
        "mtd": f"MTD {mtd} · prev. {prev}",
        "change": change_text,
        "verdict": word,
        "color": VERDICT_COLORS[word],
    }
