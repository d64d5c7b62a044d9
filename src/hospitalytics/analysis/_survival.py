"""Length-of-stay survival curves in whole days: a vectorised Kaplan-Meier (private).

Lengths of stay are counted in **calendar days** as the census counts them: a stay admitted
on day ``a`` and discharged on day ``d`` occupies the midnight census on days
``a <= day < d``, so its length is ``L = d - a`` (0 for a same-day stay). The survival
function ``S(t) = P(L > t)`` is then the probability that a stay is still in the census
``t`` days after its admission day: ``S(0)`` is the share of stays that stay overnight.

A stay still in hospital at the as-of date ``T`` (admitted on day ``a``) is *censored*:
all we know is ``L > T - a``. The Kaplan-Meier estimator (Kaplan & Meier 1958) uses both
kinds: with ``d(t)`` discharges at length ``t`` and ``n(t)`` stays at risk (length
``>= t``, or censored at ``>= t``), the hazard is ``h(t) = d(t) / n(t)`` and
``S(t) = prod_{s <= t} (1 - h(s))``. A stay censored at ``c`` is at risk at ``0..c``
(the usual convention: at a tie, discharges come before censoring).

Two refinements keep the curves usable for forecasting:

* **Tail.** Where fewer than ``min_at_risk`` stays remain at risk, the day-by-day hazard is
  noise; from the first such day on, a constant hazard is used, estimated from every
  stay in that tail as discharges divided by the days at risk (the maximum-likelihood
  estimate of an exponential tail). The curve is then defined for every length, so a
  patient who has already stayed longer than anyone discharged still gets a probability.
* **Pooling.** A group (a ward, a treatment) with fewer than ``min_stays`` stays uses the
  curve of all stays pooled.

Everything is computed with ``bincount`` and cumulative sums and products over a
``groups x days`` grid; no loop runs over stays.

Examples
--------
>>> import numpy as np
>>> km = kaplan_meier(np.array([1, 2, 2, 3]), np.array([True, True, False, True]))
>>> [round(float(x), 4) for x in km[:4]]
[1.0, 0.75, 0.5, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "MIN_AT_RISK",
    "MIN_STAYS",
    "LosCurves",
    "event_table",
    "kaplan_meier",
    "los_curves",
]

#: A group needs at least this many stays to get its own curve (else: the pooled curve).
MIN_STAYS = 50
#: Below this many stays at risk, the hazard is a constant fitted to the whole tail.
MIN_AT_RISK = 20


def event_table(
    durations: np.ndarray,
    observed: np.ndarray,
    codes: np.ndarray | None = None,
    n_groups: int = 1,
    n_days: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Discharges and stays at risk per group and length of stay.

    Parameters
    ----------
    durations : ndarray of int
        Length of stay in days (discharged) or days already spent (censored), ``>= 0``.
    observed : ndarray of bool
        True for a discharge, False for a stay still in hospital (censored).
    codes : ndarray of int, optional
        Group code per stay (``0 .. n_groups - 1``); ``None`` for one group.
    n_groups : int, default 1
        Number of groups.
    n_days : int, optional
        Width of the grid (lengths ``0 .. n_days - 1``); default ``max(durations) + 1``.

    Returns
    -------
    tuple of ndarray
        ``(events, at_risk)``, each of shape ``(n_groups, n_days)``.

    Examples
    --------
    >>> d, n = event_table(np.array([0, 2, 2]), np.array([True, True, False]))
    >>> d.tolist(), n.tolist()
    ([[1, 0, 1]], [[3, 2, 2]])
    """
    durations = np.asarray(durations, dtype="int64")
    observed = np.asarray(observed, dtype=bool)
    if n_days is None:
        n_days = int(durations.max()) + 1 if durations.size else 1
    codes = np.zeros(durations.size, dtype="int64") if codes is None else np.asarray(codes)
    flat = codes.astype("int64") * n_days + np.minimum(durations, n_days - 1)
    size = n_groups * n_days
    events = np.bincount(flat[observed], minlength=size).reshape(n_groups, n_days)
    leaving = np.bincount(flat, minlength=size).reshape(n_groups, n_days)
    at_risk = np.cumsum(leaving[:, ::-1], axis=1)[:, ::-1]
    return events, at_risk


def kaplan_meier(durations: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """The plain Kaplan-Meier survival ``S(t) = P(L > t)`` on whole days.

    Parameters
    ----------
    durations : ndarray of int
        Length of stay (discharged) or days spent so far (censored), in whole days.
    observed : ndarray of bool
        True for a discharge.

    Returns
    -------
    ndarray of float64
        ``S(t)`` for ``t = 0 .. max(durations)``.

    Examples
    --------
    Five stays of 1, 1, 2 and 4 days and one still in after 3 days:

    >>> s = kaplan_meier(np.array([1, 1, 2, 3, 4]), np.array([1, 1, 1, 0, 1], bool))
    >>> [round(float(x), 3) for x in s]
    [1.0, 0.6, 0.4, 0.4, 0.0]
    """
    events, at_risk = event_table(durations, observed)
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, events / np.maximum(at_risk, 1), 0.0)
    return np.cumprod(1.0 - hazard[0])


@dataclass
class LosCurves:
    """Survival curves per group on a grid of whole days, with their provenance.

    Attributes
    ----------
    survival : ndarray, shape (n_groups, n_days)
        ``S_g(t) = P(L > t)`` for ``t = 0 .. n_days - 1``.
    own : ndarray of bool, shape (n_groups,)
        True where the group has its own curve, False where it uses the pooled one.
    n_stays : ndarray of int, shape (n_groups,)
        Stays behind each group's estimate (discharged and censored).
    """

    survival: np.ndarray
    own: np.ndarray
    n_stays: np.ndarray

    def at(self, group: np.ndarray | int, t: np.ndarray) -> np.ndarray:
        """``S_group(t)``, with ``t`` clipped to the grid (the grid covers every use).

        Parameters
        ----------
        group : int or ndarray of int
            Group code(s), broadcast against ``t``.
        t : ndarray of int
            Lengths of stay in days (negative values read as 0).

        Returns
        -------
        ndarray of float64
            The survival probabilities.
        """
        t = np.clip(t, 0, self.survival.shape[1] - 1)
        return self.survival[group, t]


def _curves(events: np.ndarray, at_risk: np.ndarray, n_days: int, min_at_risk: int):
    """Survival per row from event tables, with a constant-hazard tail (see module)."""
    width = events.shape[1]
    tail = at_risk < min_at_risk
    # the tail starts at the first day with too few at risk (and stays: at_risk only falls)
    start = np.where(tail.any(axis=1), tail.argmax(axis=1), width)
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, events / np.maximum(at_risk, 1), 0.0)
    cols = np.arange(width)
    in_tail = cols[None, :] >= start[:, None]
    tail_events = np.where(in_tail, events, 0).sum(axis=1)
    tail_exposure = np.where(in_tail, at_risk, 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        tail_hazard = np.where(tail_exposure > 0, tail_events / np.maximum(tail_exposure, 1),
                               0.0)
    full = np.empty((events.shape[0], n_days))
    full[:, :width] = np.where(in_tail, tail_hazard[:, None], hazard)
    full[:, width:] = tail_hazard[:, None]
    return np.cumprod(1.0 - full, axis=1)


def los_curves(
    durations: np.ndarray,
    observed: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    n_days: int,
    *,
    min_stays: int = MIN_STAYS,
    min_at_risk: int = MIN_AT_RISK,
) -> LosCurves:
    """Survival curves per group with a pooled fallback and a constant-hazard tail.

    Parameters
    ----------
    durations : ndarray of int
        Length of stay (discharged) or days spent so far (censored), in whole days.
    observed : ndarray of bool
        True for a discharge, False for a stay still in hospital.
    codes : ndarray of int
        Group code per stay (``0 .. n_groups - 1``).
    n_groups : int
        Number of groups.
    n_days : int
        Length of the grid: curves are returned for ``t = 0 .. n_days - 1`` at least, and
        up to the longest duration (beyond the longest stay the tail hazard continues).
    min_stays : int, default :data:`MIN_STAYS`
        Groups with fewer stays use the pooled curve.
    min_at_risk : int, default :data:`MIN_AT_RISK`
        Where fewer stays are at risk, a constant tail hazard takes over.

    Returns
    -------
    LosCurves
        The curves, which groups have their own, and the stays behind each.

    Examples
    --------
    Sixty stays of exactly 3 days: every curve is 1, 1, 1, then 0.

    >>> c = los_curves(np.full(60, 3), np.ones(60, bool), np.zeros(60, int), 1, 6)
    >>> c.survival[0].tolist()
    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    """
    durations = np.maximum(np.asarray(durations, dtype="int64"), 0)
    width = int(durations.max()) + 1 if durations.size else 1
    n_days = max(int(n_days), width)
    events, at_risk = event_table(durations, observed, codes, n_groups, width)
    pooled = _curves(events.sum(axis=0, keepdims=True), at_risk.sum(axis=0, keepdims=True),
                     n_days, min_at_risk)
    n_stays = np.bincount(np.asarray(codes, dtype="int64"), minlength=n_groups)[:n_groups]
    own = n_stays >= min_stays
    survival = np.repeat(pooled, n_groups, axis=0)
    if own.any():
        survival[own] = _curves(events[own], at_risk[own], n_days, min_at_risk)
    return LosCurves(survival=survival, own=own, n_stays=n_stays)
