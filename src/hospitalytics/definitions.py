"""Definitions: the conventions where the official bodies disagree, as explicit options.

Length of stay (LOS) and average length of stay (ALOS) are not defined the same way by
everyone (see the KPI definitions page of the documentation):

* AHRQ HCUP counts a same-day stay (admitted and discharged on one calendar date) as
  **0 days**; WHO-Europe HFA, AIHW and CMS/ResDAC count it as **1 day**.
* OECD/Eurostat ALOS covers **in-patients only**: same-day stays are left out.
* WHO's ALOS divides by the **discharges** of the period (the usual basis); some
  publications use the **admissions** of the period instead.
* Bed-days follow the **midnight census** (NHS KH03 overnight beds): a stay occupies a bed
  on each calendar day ``d`` with ``date(admission) <= d < date(discharge)``; a same-day
  stay is never present at a midnight and adds no bed-day, unless ``day_case_bed_day`` is
  set (a day-case bed-day, as KH03 counts day-only beds).

A :class:`Definitions` object fixes one choice for each; three presets name the common
combinations. Every KPI taking ``definitions=`` accepts a preset name, a ``Definitions``
object, or ``None`` for the default preset ``"who"``.

Readmissions have conventions of their own (see
:func:`hospitalytics.readmission_rate`): which index stays count and which readmissions.
The vocabularies behind them live here: :func:`classify_dispositions` reads a discharge
disposition (MIMIC-IV, OMOP, HES, UB-04 or plain text) as a death, a transfer to another
acute hospital or a self-discharge; :func:`planned_admissions` reads an admission method
as planned or not.

Examples
--------
>>> get_definitions("hcup").same_day_los
0
>>> get_definitions(None).name
'who'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from .errors import ArgumentError, ArgumentTypeError

__all__ = [
    "DEFAULT_PRESET",
    "DISPOSITION_CODES",
    "DISPOSITION_EXCLUSIONS",
    "DISPOSITION_TEXT",
    "PLANNED_CODES",
    "PLANNED_TEXT",
    "PRESETS",
    "Definitions",
    "classify_dispositions",
    "get_definitions",
    "planned_admissions",
]


@dataclass(frozen=True)
class Definitions:
    """One set of conventions for length of stay, ALOS and bed-days.

    Parameters
    ----------
    name : str, default "custom"
        A short name shown in results (``"who"``, ``"hcup"``, ``"oecd"`` for the presets).
    los_unit : {"calendar", "exact"}, default "calendar"
        ``"calendar"``: LOS is the discharge date minus the admission date in whole days
        (midnights); ``"exact"``: fractional days from the timestamps (hours / 24).
    same_day_los : {0, 1}, default 1
        The LOS given to a same-day stay under ``los_unit="calendar"`` (ignored for
        ``"exact"``, where the hours speak for themselves).
    exclude_same_day : bool, default False
        Leave same-day stays out of ALOS (in-patients only, as OECD/Eurostat and NHS HES).
    alos_basis : {"discharges", "admissions"}, default "discharges"
        Which stays make up an ALOS for a period: those discharged in it (WHO, OECD), or
        those admitted in it and discharged by the as-of date.
    day_case_bed_day : bool, default False
        Count a same-day stay as one occupied bed-day on its date in the census,
        bed-days and occupancy (off: the overnight midnight census never sees it).
    description : str, default ""
        Who uses this convention, shown in reports.

    Examples
    --------
    >>> d = Definitions(los_unit="exact", name="exact-hours")
    >>> d.los_unit, d.same_day_los
    ('exact', 1)
    >>> get_definitions("oecd").exclude_same_day
    True
    """

    name: str = "custom"
    los_unit: Literal["calendar", "exact"] = "calendar"
    same_day_los: int = 1
    exclude_same_day: bool = False
    alos_basis: Literal["discharges", "admissions"] = "discharges"
    day_case_bed_day: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if self.los_unit not in ("calendar", "exact"):
            raise ArgumentError(
                f"los_unit must be 'calendar' or 'exact', got {self.los_unit!r}.",
                argument="los_unit", value=self.los_unit,
            )
        if self.same_day_los not in (0, 1):
            raise ArgumentError(f"same_day_los must be 0 or 1, got {self.same_day_los!r}.",
                                argument="same_day_los", value=self.same_day_los)
        if self.alos_basis not in ("discharges", "admissions"):
            raise ArgumentError(
                f"alos_basis must be 'discharges' or 'admissions', got {self.alos_basis!r}.",
                argument="alos_basis", value=self.alos_basis,
            )

    def label(self) -> str:
        """Describe the convention in one line, for results and reports.

        Returns
        -------
        str
            For example ``"who: calendar days, same-day stay = 1 day, per discharge"``.

        Examples
        --------
        >>> print(get_definitions("hcup").label())
        hcup: calendar days, same-day stay = 0 days, same-day stays included, per discharge
        """
        if self.los_unit == "exact":
            unit = "exact fractional days"
        else:
            unit = f"calendar days, same-day stay = {self.same_day_los} day" + (
                "" if self.same_day_los == 1 else "s"
            )
        same = "same-day stays excluded" if self.exclude_same_day else "same-day stays included"
        basis = "per discharge" if self.alos_basis == "discharges" else "per admission"
        return f"{self.name}: {unit}, {same}, {basis}"

    def replace(self, **changes: object) -> Definitions:
        """Return a copy with some fields changed (the name becomes ``custom``).

        Parameters
        ----------
        **changes
            Field values to change.

        Returns
        -------
        Definitions
            The new definitions.

        Examples
        --------
        >>> get_definitions("who").replace(los_unit="exact").name
        'who+custom'
        """
        name = changes.pop("name", None) or f"{self.name}+custom"
        return replace(self, name=name, **changes)


#: The named presets.
PRESETS: dict[str, Definitions] = {
    "who": Definitions(
        name="who",
        los_unit="calendar",
        same_day_los=1,
        exclude_same_day=False,
        alos_basis="discharges",
        description=(
            "WHO-Europe HFA, AIHW and CMS/ResDAC: calendar days, a same-day stay counts as "
            "1 day, ALOS over the discharges of the period."
        ),
    ),
    "hcup": Definitions(
        name="hcup",
        los_unit="calendar",
        same_day_los=0,
        exclude_same_day=False,
        alos_basis="discharges",
        description=(
            "AHRQ HCUP (NIS): calendar days, a same-day stay counts as 0 days, ALOS over "
            "the discharges of the period."
        ),
    ),
    "oecd": Definitions(
        name="oecd",
        los_unit="calendar",
        same_day_los=0,
        exclude_same_day=True,
        alos_basis="discharges",
        description=(
            "OECD/Eurostat: in-patients only (same-day stays excluded from ALOS), bed-days "
            "(nights) divided by the discharges of the period."
        ),
    ),
}

#: The preset used when ``definitions=None``.
DEFAULT_PRESET = "who"


def get_definitions(definitions: str | Definitions | None = None) -> Definitions:
    """Turn a preset name, a :class:`Definitions` or ``None`` into a ``Definitions``.

    Parameters
    ----------
    definitions : str, Definitions or None
        ``None`` for the default (``"who"``), a preset name (``"who"``, ``"hcup"``,
        ``"oecd"``, case-insensitive) or a ``Definitions`` object.

    Returns
    -------
    Definitions
        The conventions to use.

    Raises
    ------
    ArgumentError
        For an unknown preset name or another type.

    Examples
    --------
    >>> get_definitions("HCUP").name
    'hcup'
    """
    if definitions is None:
        return PRESETS[DEFAULT_PRESET]
    if isinstance(definitions, Definitions):
        return definitions
    if isinstance(definitions, str):
        key = definitions.strip().lower()
        if key in PRESETS:
            return PRESETS[key]
        raise ArgumentError(
            f"unknown definitions preset {definitions!r}; choose one of {sorted(PRESETS)} "
            "or pass a hospitalytics.Definitions object.",
            argument="definitions", value=definitions, allowed=tuple(sorted(PRESETS)),
        )
    raise ArgumentTypeError(
        "definitions must be a preset name, a hospitalytics.Definitions object or None, "
        f"got {type(definitions).__name__}.",
        argument="definitions", value=definitions, allowed=("str", "Definitions", "None"),
    )


# ---------------------------------------------------------------- readmission vocabularies
#: The discharge dispositions that leave an index stay out of a readmission rate (CMS's
#: hospital-wide measure and the Tuva project): the patient died, was transferred to
#: another acute hospital (the stay continues there), or discharged themself against
#: medical advice.
DISPOSITION_EXCLUSIONS: tuple[str, ...] = ("died", "acute_transfer", "self_discharge")

#: Text dispositions, compared lower-case with punctuation read as spaces
#: (``"DEAD/EXPIRED"`` reads ``"dead expired"``). MIMIC-IV's ``discharge_location``
#: (``DIED``, ``ACUTE HOSPITAL``, ``AGAINST ADVICE``), the names of the OMOP concepts,
#: FHIR's ``discharge-disposition`` codes (``exp``, ``aadvice``) and common spellings.
DISPOSITION_TEXT: dict[str, tuple[str, ...]] = {
    "died": (
        "died", "dead", "death", "deceased", "expired", "dead expired", "patient died",
        "died in hospital", "death in hospital", "in hospital death", "exp",
    ),
    "acute_transfer": (
        "acute hospital", "acute transfer", "transfer to acute hospital",
        "transferred to acute hospital", "transfer to another acute hospital",
        "transferred to another acute hospital", "transfer to another hospital",
        "transferred to another hospital", "other acute hospital", "acute care hospital",
        "short term hospital", "short term general hospital", "inpatient hospital",
    ),
    "self_discharge": (
        "against advice", "against medical advice", "left against medical advice",
        "discharged against medical advice", "left against advice", "ama", "lama", "dama",
        "left ama", "aadvice", "self discharge", "self discharged",
        "self discharge against medical advice",
        "patient self discharge against medical advice",
    ),
}

#: Coded dispositions per code list: ``{list: {code: category}}``.
#:
#: ``"omop"``: OMOP ``discharged_to_concept_id`` (4216643 *Patient died*, 8717
#: *Inpatient Hospital*, 4021968 *Patient self-discharge against medical advice*), read
#: without being asked, since these ids cannot be mistaken for another list's codes.
#: ``"hes_dismeth"``: NHS HES discharge method (2 self-discharged, 4 died, 5 stillbirth).
#: ``"hes_disdest"``: NHS HES discharge destination (79 died; 51 and 52 another NHS
#: hospital provider's general or maternity ward, 87 a non-NHS hospital).
#: ``"ub04"``: the NUBC/UB-04 patient discharge status of US claims, as the Tuva project
#: reads it (02 short-term general hospital, 07 left against medical advice, 20 expired;
#: 40-42 expired, on hospice claims).
DISPOSITION_CODES: dict[str, dict[str, str]] = {
    "omop": {"4216643": "died", "8717": "acute_transfer", "4021968": "self_discharge"},
    "hes_dismeth": {"2": "self_discharge", "4": "died", "5": "died"},
    "hes_disdest": {
        "79": "died", "51": "acute_transfer", "52": "acute_transfer", "87": "acute_transfer",
    },
    "ub04": {
        "2": "acute_transfer", "02": "acute_transfer", "7": "self_discharge",
        "07": "self_discharge", "20": "died", "40": "died", "41": "died", "42": "died",
    },
}

#: Planned admission methods, as text (MIMIC-IV ``admission_type`` ``ELECTIVE`` and
#: ``SURGICAL SAME DAY ADMISSION``; common spellings), compared as for
#: :data:`DISPOSITION_TEXT`.
PLANNED_TEXT: tuple[str, ...] = (
    "elective", "planned", "booked", "scheduled", "waiting list", "elective admission",
    "planned admission", "booked admission", "scheduled admission", "elective waiting list",
    "surgical same day admission",
)

#: Planned admission methods as codes: NHS HES ``ADMIMETH`` 11 (waiting list), 12
#: (booked) and 13 (planned).
PLANNED_CODES: tuple[str, ...] = ("11", "12", "13")

_SPACES = re.compile(r"[^0-9a-z]+")


def _text_key(value: object) -> str:
    return _SPACES.sub(" ", str(value).lower()).strip()


def _code_list(vocabulary: str | Mapping) -> dict[str, str]:
    """The ``{code or text: category}`` entries a vocabulary adds to the text list."""
    if isinstance(vocabulary, Mapping):
        out = {}
        for key, cat in vocabulary.items():
            if cat is not None and cat not in DISPOSITION_EXCLUSIONS:
                raise ArgumentError(
                    f"disposition mapping: {key!r} maps to {cat!r}; the categories are "
                    f"{list(DISPOSITION_EXCLUSIONS)} (or None for a disposition that stays)."
                )
            out[_text_key(key)] = cat
        return out
    name = str(vocabulary).strip().lower()
    if name == "auto":
        return dict(DISPOSITION_CODES["omop"])
    if name not in DISPOSITION_CODES:
        raise ArgumentError(
            f"unknown disposition code list {vocabulary!r}; choose 'auto' or one of "
            f"{sorted(DISPOSITION_CODES)}, or pass a {{value: category}} mapping."
        )
    return dict(DISPOSITION_CODES[name])


def classify_dispositions(values: Iterable, vocabulary: str | Mapping = "auto") -> pd.Series:
    """Read discharge dispositions as a death, an acute transfer or a self-discharge.

    Text is matched against :data:`DISPOSITION_TEXT` (lower-case, punctuation as spaces);
    codes against one list of :data:`DISPOSITION_CODES`. ``"auto"`` reads text and OMOP
    concept ids; bare HES or UB-04 codes mean different things in different lists (``2``
    is a self-discharge in HES DISMETH and a transfer in UB-04), so they are read only when
    their list is named.

    Parameters
    ----------
    values : iterable
        Dispositions (text or codes).
    vocabulary : str or mapping, default "auto"
        ``"auto"``, ``"omop"``, ``"hes_dismeth"``, ``"hes_disdest"``, ``"ub04"``, or a
        ``{value: category}`` mapping (categories ``"died"``, ``"acute_transfer"``,
        ``"self_discharge"``, or ``None``), which takes precedence over the text list.

    Returns
    -------
    Series
        ``"died"``, ``"acute_transfer"``, ``"self_discharge"`` or missing per value.

    Examples
    --------
    >>> classify_dispositions(["DIED", "HOME", "AGAINST ADVICE", "ACUTE HOSPITAL"]).tolist()
    ['died', nan, 'self_discharge', 'acute_transfer']
    >>> classify_dispositions([4216643, 8536]).tolist()
    ['died', nan]
    >>> classify_dispositions(["2", "4", "19"], "hes_dismeth").tolist()
    ['self_discharge', 'died', nan]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    table = {t: cat for cat, texts in DISPOSITION_TEXT.items() for t in texts}
    table.update(_code_list(vocabulary))
    found = np.array([table.get(_text_key(u)) for u in _unique_text(uniques)], dtype=object)
    out = np.where(codes >= 0, found[codes] if len(found) else None, None)
    return pd.Series(pd.array(out, dtype="object"), index=series.index,
                     dtype=object).where(pd.notna(out), np.nan)


def _unique_text(uniques: pd.Index) -> list[str]:
    """Text of each distinct value; whole numbers without a fraction (``4.0`` -> ``4``)."""
    out = []
    for u in uniques:
        if isinstance(u, float | np.floating) and np.isfinite(u) and u == int(u):
            u = int(u)
        out.append(str(u))
    return out


def bare_codes(values: Iterable) -> list[str]:
    """List the short numeric codes (1 or 2 digits, not ``0``) among dispositions.

    Such codes mean different things in HES DISMETH, HES DISDEST and UB-04, so
    ``vocabulary="auto"`` cannot read them; the KPIs warn and ask for the list's name.

    Parameters
    ----------
    values : iterable
        Dispositions.

    Returns
    -------
    list of str
        The distinct bare codes, shortest first.

    Examples
    --------
    >>> bare_codes(["HOME", 4, "19", 0, 4216643])
    ['4', '19']
    """
    texts = _unique_text(pd.Index(pd.unique(pd.Series(list(values), dtype=object).dropna())))
    return sorted({t.strip() for t in texts if re.fullmatch(r"\s*0?[1-9]\d?\s*", t)
                   and t.strip() not in ("0", "00")}, key=lambda t: (len(t), t))


def planned_admissions(values: Iterable, planned: bool | Iterable = True) -> pd.Series:
    """Read admission methods as planned (elective, booked, waiting list) or not.

    Parameters
    ----------
    values : iterable
        Admission methods (text or codes).
    planned : True or iterable, default True
        ``True``: the documented vocabulary, :data:`PLANNED_TEXT` and
        :data:`PLANNED_CODES`; or the values that are planned in your data.

    Returns
    -------
    Series of bool
        True where the admission was planned.

    Examples
    --------
    >>> planned_admissions(["ELECTIVE", "EW EMER.", "URGENT", 11]).tolist()
    [True, False, False, True]
    >>> planned_admissions(["P", "E"], planned=["P"]).tolist()
    [True, False]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if planned is True:
        keys = set(PLANNED_TEXT) | set(PLANNED_CODES)
    elif planned is False or planned is None or isinstance(planned, str | bytes):
        raise ArgumentError(
            "planned must be True (the documented vocabulary) or a list of the admission "
            f"methods that are planned, got {planned!r}.",
            argument="planned", value=planned,
        )
    else:
        keys = {_text_key(v) for v in _unique_text(pd.Index(list(planned), dtype=object))}
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    hit = np.array([_text_key(u) in keys for u in _unique_text(uniques)], dtype=bool)
    out = np.where(codes >= 0, hit[codes] if len(hit) else False, False)
    return pd.Series(out, index=series.index, dtype=bool)
