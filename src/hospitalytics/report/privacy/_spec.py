"""The two protection methods and how they are named: ``suppress:N`` and ``hes``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ...errors import ArgumentError

__all__ = ["HES_ROUNDING", "HES_THRESHOLD", "WITHHELD", "Privacy", "hes_round",
           "parse_privacy"]

#: Counts from 1 to ``HES_THRESHOLD - 1`` are shown as ``*`` under the ``hes`` method.
HES_THRESHOLD = 8
#: Every other count is rounded to a multiple of this under the ``hes`` method.
HES_ROUNDING = 5
#: What a hidden rate, mean, share or cost shows (under both methods).
WITHHELD = "withheld"

HES_SOURCE = (
    "https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/"
    "hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-"
    "ecds-from-september-2018"
)


@dataclass(frozen=True)
class Privacy:
    """A small-number protection method and its threshold.

    Build it with :func:`parse_privacy` (``"suppress:10"``, ``"hes"``).

    Parameters
    ----------
    method : {"suppress", "hes"}
        ``"suppress"``: counts from 1 to ``threshold - 1`` are hidden as ``"<N"``, and
        other cells with them so that none can be worked out (secondary suppression).
        ``"hes"``: NHS Digital's rule for HES and ECDS: counts from 1 to 7 are shown as
        ``*``, every other count is rounded to the nearest 5.
    threshold : int
        The smallest count shown as it is (suppress: N; hes: 8).

    Examples
    --------
    >>> p = parse_privacy("suppress:10")
    >>> p.method, p.threshold, p.marker
    ('suppress', 10, '<10')
    >>> parse_privacy("hes").marker
    '*'
    """

    method: Literal["suppress", "hes"]
    threshold: int

    @property
    def rounding(self) -> int:
        """Published counts are multiples of this (5 under ``hes``, else 1)."""
        return HES_ROUNDING if self.method == "hes" else 1

    @property
    def marker(self) -> str:
        """The text shown for a small count (``"<N"`` or ``"*"``)."""
        return "*" if self.method == "hes" else f"<{self.threshold}"

    @property
    def secondary_marker(self) -> str:
        """The text shown for a count hidden to protect another one.

        Under ``suppress`` it is the same ``"<N"`` on purpose (a distinct marker would
        tell which hidden cell is the small one). Under ``hes``, ``*`` keeps its HES
        meaning (a count from 1 to 7) and a withheld count reads ``"[c]"``.
        """
        return "[c]" if self.method == "hes" else self.marker

    @property
    def withheld_marker(self) -> str:
        """The text shown for a hidden rate, mean, share or cost: ``"withheld"``.

        These are not counts, so neither ``"<N"`` (it would read as a value below N) nor
        ``*`` (a count from 1 to 7) fits them. The marker is the same whatever the reason
        (a small count behind it, or secondary protection), so it tells nothing about
        which hidden count is the small one.
        """
        return WITHHELD

    @property
    def spec(self) -> str:
        """The method as the command line writes it (``"suppress:10"``, ``"hes"``)."""
        return "hes" if self.method == "hes" else f"suppress:{self.threshold}"

    def is_small(self, value: float) -> bool:
        """Whether a count is small (hidden by the primary rule): ``0 < value < threshold``."""
        return bool(0 < value < self.threshold)

    def publish_count(self, value: float) -> float:
        """The count as published when it is shown (rounded under ``hes``)."""
        return hes_round(value) if self.method == "hes" else float(value)

    def describe(self) -> str:
        """One paragraph saying what was done, for the report's banner and notes."""
        if self.method == "hes":
            return (
                "Small numbers are protected by NHS Digital's HES/ECDS rule: counts from 1 "
                "to 7 are shown as \u201c*\u201d, every other count is rounded to the nearest "
                "5 (totals are rounded from their unrounded values, so they need not equal "
                "the sum of the rounded parts); rates and means of two published counts "
                "are computed from the rounded counts. \u201c[c]\u201d marks a count "
                "withheld so that no \u201c*\u201d or rounded count can be worked out from "
                "the others; a rate, mean or cost from 1 to 7 individuals, or from a "
                "withheld count, reads \u201cwithheld\u201d."
            )
        n = self.threshold
        return (
            f"Counts below {n} are hidden and shown as \u201c<{n}\u201d, with secondary "
            f"suppression: other cells are hidden with them (never zeros) so that no hidden "
            f"count can be worked out, even to within {n}, from anything this output "
            f"publishes. \u201c<{n}\u201d means: below {n}, or hidden with one that is. "
            f"Rates and means from fewer than {n} individuals, and the costs and means of "
            "hidden counts, are hidden too. \u201cwithheld\u201d marks a hidden figure "
            f"that is not a small count: a rate, mean or cost, or a count the published "
            f"figures already put at {n} or more."
        )


def hes_round(value: float) -> float:
    """Round a count to the nearest 5 (HES rule); halves go up, 0 stays 0.

    Parameters
    ----------
    value : float
        A count (0 or more).

    Returns
    -------
    float
        The nearest multiple of 5.

    Examples
    --------
    >>> [hes_round(v) for v in (0, 8, 12, 13, 1002)]
    [0.0, 10.0, 10.0, 15.0, 1000.0]
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    return float(np.floor(float(value) / HES_ROUNDING + 0.5) * HES_ROUNDING)


def parse_privacy(spec: object) -> Privacy | None:
    """Read a protection method: ``"suppress:N"``, ``"hes"``, a threshold, or None.

    Parameters
    ----------
    spec : str, int, Privacy or None
        ``"suppress:10"`` (hide counts below 10), ``"hes"`` (NHS Digital's HES rule),
        a whole number N (the same as ``"suppress:N"``), a :class:`Privacy`, or None
        for no protection.

    Returns
    -------
    Privacy or None
        The method.

    Raises
    ------
    ArgumentError
        For anything else, with the forms that are understood.

    Examples
    --------
    >>> parse_privacy("suppress:5")
    Privacy(method='suppress', threshold=5)
    >>> parse_privacy(11).spec
    'suppress:11'
    >>> parse_privacy(None) is None
    True
    """
    if spec is None or isinstance(spec, Privacy):
        return spec
    forms = "write 'suppress:N' (N a whole number of 1 or more, e.g. 'suppress:10') or 'hes'"
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        return _suppress(int(spec), forms)
    if not isinstance(spec, str):
        raise ArgumentError(f"privacy must be a text such as 'suppress:10' or 'hes', "
                            f"got {type(spec).__name__}; {forms}.", **_arg(spec))
    text = spec.strip().lower()
    if text == "hes":
        return Privacy("hes", HES_THRESHOLD)
    method, sep, arg = text.partition(":")
    if method.strip() == "suppress" and sep:
        try:
            n = int(arg.strip())
        except ValueError:
            raise ArgumentError(f"privacy {spec!r}: {arg.strip()!r} is not a whole number; "
                                f"{forms}.", **_arg(spec)) from None
        return _suppress(n, forms)
    if method.strip() == "suppress":
        raise ArgumentError(f"privacy {spec!r} needs a threshold; {forms}.", **_arg(spec))
    raise ArgumentError(f"unknown privacy method {spec!r}; {forms}.", **_arg(spec))


def _arg(spec: object) -> dict:
    return {"argument": "privacy", "value": spec, "allowed": ("suppress:N", "hes")}


def _suppress(n: int, forms: str) -> Privacy:
    if n < 1:
        raise ArgumentError(f"the suppression threshold must be 1 or more, got {n}; {forms}.",
                            **_arg(n))
    return Privacy("suppress", n)
