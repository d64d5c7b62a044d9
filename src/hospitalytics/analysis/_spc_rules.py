"""SPC limits and the Making Data Count rules over one segment (arrays in, arrays out).

:func:`hospitalytics.analysis.spc` splits a series into segments and calls these.
"""

from __future__ import annotations

import math

import numpy as np

#: XmR limits: mean +/- 2.66 x the mean moving range (3 / d2 with d2 = 1.128, rounded to
#: 2.66 as NHSRplotthedots and the MDC tools do).
XMR_LIMIT = 2.66
#: Moving ranges at or above 3.267 x their mean (D4 for ranges of two) are screened out.
MR_SCREEN = 3.267
#: d2 for ranges of two: sigma = mean moving range / 1.128 (Laney's sigma_z).
D2 = 1.128


# --------------------------------------------------------------------------- limits
def _screened_mean(mr: np.ndarray, screen: bool) -> float:
    """Mean moving range, after screening out the ranges >= 3.267 x the mean (Nelson)."""
    if len(mr) == 0:
        return float("nan")
    amr = float(mr.mean())
    if screen and amr > 0:
        amr = float(mr[mr < MR_SCREEN * amr].mean())
    return amr


def limits(chart: str, y: np.ndarray, num: np.ndarray | None, den: np.ndarray | None,
            base: slice, screen: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                 np.ndarray, np.ndarray, np.ndarray]:
    """Centre line, sigma, the 3-sigma and the 2-sigma limits of one segment."""
    n = len(y)
    if chart == "xmr":
        yb = y[base]
        cl = float(yb.mean())
        amr = _screened_mean(np.abs(np.diff(yb)), screen)
        half, near = XMR_LIMIT * amr, 2 * (XMR_LIMIT / 3) * amr
        mean = np.full(n, cl)
        return (mean, np.full(n, XMR_LIMIT / 3 * amr), mean - half, mean + half,
                mean - near, mean + near)
    if chart == "c":
        cl = float(y[base].mean())
        sigma = np.full(n, math.sqrt(cl))
    else:
        cl = float(num[base].sum() / den[base].sum())
        var = cl * (1 - cl) if chart in ("p", "pp") else cl
        sigma = np.sqrt(var / den)
        if chart in ("pp", "up"):  # Laney: scale by the spread of the z-scores
            sb = sigma[base]
            z = np.divide(y[base] - cl, sb, out=np.zeros_like(sb), where=sb > 0)
            amr = _screened_mean(np.abs(np.diff(z)), screen)
            sigma = sigma * (amr / D2)
    mean = np.full(n, cl)
    lo = np.maximum(mean - 3 * sigma, 0.0)
    hi = mean + 3 * sigma
    lo2 = np.maximum(mean - 2 * sigma, 0.0)
    hi2 = mean + 2 * sigma
    if chart in ("p", "pp"):
        hi, hi2 = np.minimum(hi, 1.0), np.minimum(hi2, 1.0)
    return mean, sigma, lo, hi, lo2, hi2


# ---------------------------------------------------------------------------- rules
def _run_lengths(keys: np.ndarray) -> np.ndarray:
    """Length of the maximal run of equal keys each element belongs to."""
    if len(keys) == 0:
        return np.zeros(0, dtype="int64")
    change = np.ones(len(keys), dtype=bool)
    change[1:] = keys[1:] != keys[:-1]
    run = np.cumsum(change) - 1
    return np.bincount(run)[run]


def rules(y, mean, lo, hi, lo2, hi2, *, shift_length: int, trend_length: int):
    """The four Making Data Count rules over one segment; returns the flags and sides.

    Follows NHSRplotthedots (R/ptd_calculate_point_type.R): a point on the mean breaks a
    run, equal neighbours break a trend, and only points between the 2-sigma and the
    3-sigma limits count towards "two of three" (all three points on one side).
    """
    n = len(y)
    rel = np.sign(y - mean).astype("int64")
    outside = (y > hi) | (y < lo)
    # a run of shift_length points or more on one side of the mean
    shift = (rel != 0) & (_run_lengths(rel) >= shift_length)
    # a run of trend_length points or more, each higher (lower) than the one before
    d = np.sign(np.diff(y)).astype("int64")
    in_trend = (d != 0) & (_run_lengths(d) >= trend_length - 1)  # per step i -> i+1
    right = np.append(in_trend, False)  # the step after the point is part of a trend
    left = np.insert(in_trend, 0, False)  # the step before it is
    trend = left | right
    step_after = np.append(d, 0)
    step_before = np.insert(d, 0, 0)
    # a point shared by two trends (a peak) takes the later one's direction, as in
    # NHSRplotthedots; unlike it, a point followed by a tie keeps its own trend's direction
    trend_side = np.where(right, step_after, np.where(left, step_before, 0))
    # two of three points beyond 2 sigma (but inside the limits), all three on one side
    close = ~outside & ((y > hi2) | (y < lo2))
    two = np.zeros(n, dtype=bool)
    if n >= 3:
        c = close.astype("int64")
        win = ((c[:-2] + c[1:-1] + c[2:]) >= 2) & (np.abs(rel[:-2] + rel[1:-1] + rel[2:]) == 3)
        hit = np.zeros(n + 4, dtype=bool)  # window j covers points j, j+1, j+2
        hit[2:n] |= win
        member = hit[2:n + 2] | hit[1:n + 1] | hit[0:n]
        two = close & member
    # the side of each point's special cause, by MDC's precedence
    side = np.select([outside, trend, two, shift], [rel, trend_side, rel, rel], 0)
    return outside, shift, trend, two, side
