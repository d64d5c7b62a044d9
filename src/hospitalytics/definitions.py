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

Examples
--------
>>> get_definitions("hcup").same_day_los
0
>>> get_definitions(None).name
'who'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from .errors import ArgumentError

__all__ = ["DEFAULT_PRESET", "PRESETS", "Definitions", "get_definitions"]


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
                f"los_unit must be 'calendar' or 'exact', got {self.los_unit!r}."
            )
        if self.same_day_los not in (0, 1):
            raise ArgumentError(f"same_day_los must be 0 or 1, got {self.same_day_los!r}.")
        if self.alos_basis not in ("discharges", "admissions"):
            raise ArgumentError(
                f"alos_basis must be 'discharges' or 'admissions', got {self.alos_basis!r}."
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
            "or pass a hospitalytics.Definitions object."
        )
    raise ArgumentError(
        "definitions must be a preset name, a hospitalytics.Definitions object or None, "
        f"got {type(definitions).__name__}."
    )
