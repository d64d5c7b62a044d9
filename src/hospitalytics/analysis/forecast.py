"""Forecasts of admissions and bed demand with honest uncertainty, and their backtests.

Three questions an administrator asks of the next weeks, each a function:

:func:`forecast_admissions`
    How many admissions per day (or week), with prediction intervals. A negative-binomial
    regression on the history up to the as-of date: weekday pattern, a smooth yearly cycle
    and a trend (see *Notes* of the function).
:func:`forecast_census`
    How many beds in use on each coming day, per ward, and, given the beds, the chance
    that demand exceeds them. The patients in hospital on the as-of date each stay on
    with a probability read from the length-of-stay survival curve *given the days they
    have already spent*; the admissions still to come are forecast and each stays for a
    length drawn from the same curve. A ward whose beds are managed (its census far
    steadier than independent stays would make it) is forecast from its own census.
:func:`backtest`
    How good those forecasts have been: rolling-origin evaluation against seasonal naive
    and the historical mean (MASE, RMSSE and the coverage of every interval).

and two helpers: :func:`admissions_series` (the series the admissions model learns from)
and :func:`forecast_outlook` (one row per ward for the next weeks: what a report shows).

The models need statsmodels, an optional dependency: ``pip install
"hospitalytics[forecast]"`` (the census of the patients already in hospital,
``forecast_census(..., arrivals=False)``, does not).

Conventions
-----------
* The **as-of date** ``T`` (default: the last date in the data) is the last day of
  history; forecasts cover ``T + 1 .. T + horizon``. Nothing after ``T`` is used: stays
  admitted later do not exist yet, discharges later have not happened.
* The census is the library's **midnight census** (:func:`hospitalytics.census`): a stay
  occupies day ``d`` when ``date(admission) <= d < date(discharge)``, so the forecast
  continues the observed ``hp.census(df, by="ward")`` series.
* Intervals come from simulation with a fixed seed (``seed=0``): the same call gives the
  same numbers. For counts, the bounds are whole numbers: the ``level`` interval is the
  pair of predictive quantiles ``(1 - level) / 2`` and ``(1 + level) / 2``, and holds *at
  least* that share of the predictive distribution (more where counts are small).

Examples
--------
>>> import hospitalytics as hp
>>> df = hp.datasets.load_sample()
>>> fc = hp.forecast_admissions(df, horizon=7)
>>> list(fc.columns)
['date', 'forecast', 'lower_80', 'upper_80', 'lower_95', 'upper_95']
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import fftconvolve

from .._frame import group_codes, setup
from .._sweep import NS_PER_DAY, Stays, occupied_census
from .._warn import caller_stacklevel
from ..capacity import available_matrix, normalize_beds
from ..definitions import Definitions, get_definitions
from ..errors import ArgumentError, DataQualityError, DataQualityWarning
from ._counts import (
    MIN_HISTORY_DAYS,
    CountFit,
    fit_counts,
    simulate_rates,
    statsmodels_api,
)
from ._survival import los_curves

__all__ = [
    "LOS_WINDOW_DAYS",
    "admissions_series",
    "backtest",
    "forecast_admissions",
    "forecast_census",
    "forecast_outlook",
]

#: The length-of-stay curves learn from the stays admitted in this many days before the
#: as-of date, and from every stay still in hospital then.
LOS_WINDOW_DAYS = 365

_FREQS = {"D": 1, "W": 7}
_MAX_HORIZON_DAYS = 366
_METHODS = ("model", "seasonal_naive", "mean")
_BASELINE_DAYS = 365  # the window of the baselines' history (their mean and their errors)
_SIM_CELLS = 2_000_000  # uniform draws per chunk in the current-patient simulation
#: A census is read as managed when its residuals vary less than this share of its mean.
_MANAGED_DISPERSION = 0.5
#: A census averaging fewer patients is never read as managed (too small to tell).
_MANAGED_MIN_CENSUS = 5
#: Days of history behind the managed-census check and its AR(1) fit.
_MANAGED_WINDOW = 365
#: Days of admissions before the window whose stays the managed-census check counts.
_MANAGED_LEAD = 365
#: A managed census needs this many past forecast-error paths of the whole horizon.
_MANAGED_PATHS = 28
#: Days over which the admissions' expected rate is averaged for a managed census's
#: seasonal change (the weekday pattern drops out; the yearly cycle and trend remain).
_SMOOTH = 28
#: Candidate smoothing weights of a managed census's level (1: the last census).
_GAINS = (0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)

Columns = Mapping[str, str] | None


# ----------------------------------------------------------------------------- inputs
@dataclass
class _Data:
    """The stays of one call, loaded once: arrays, group codes and labels."""

    stays: Stays
    codes: np.ndarray
    labels: pd.Index | None
    by: str | None
    first_day: int
    data_end: int

    @property
    def n_groups(self) -> int:
        return 1 if self.labels is None else len(self.labels)


def _load(df, *, by, as_of, columns, needed_by: str) -> tuple[_Data, int]:
    """Resolve roles and the as-of date once; return the data and the as-of day number."""
    if by is not None and not isinstance(by, str):
        raise ArgumentError(f"{needed_by} takes one grouping role in by= (or None), "
                            f"got {by!r}.")
    ctx = setup(df, as_of=as_of, columns=columns, by=by, needed_by=needed_by)
    st = ctx.stays
    if st.n == 0 or st.data_as_of is None:
        raise DataQualityError(f"{needed_by}: the frame has no stays to learn from.")
    as_of_day = int(st.as_of_day)
    if as_of_day > st.data_as_of:
        gap = as_of_day - int(st.data_as_of)
        warnings.warn(
            f"{needed_by}: as_of={_day_str(as_of_day)} is {gap} day(s) after the last "
            f"date in the data ({_day_str(st.data_as_of)}); those days are read as days "
            "without admissions. Leave as_of=None to forecast from the end of the data.",
            DataQualityWarning, stacklevel=caller_stacklevel())
    codes, labels = group_codes(ctx.frame, by)
    exists = st.exists
    first = int(st.adm_day[exists].min()) if exists.any() else as_of_day + 1
    data = _Data(st, codes, labels, by, first, int(st.data_as_of))
    return data, as_of_day


def _day_str(day: int) -> str:
    return str(pd.Timestamp(int(day) * NS_PER_DAY).date())


def _dates(days: np.ndarray) -> np.ndarray:
    return (np.asarray(days, dtype="int64") * NS_PER_DAY).view("datetime64[ns]")


def _check_freq(freq: str) -> int:
    if freq not in _FREQS:
        raise ArgumentError(
            f"freq must be 'D' (days) or 'W' (weeks of 7 days ending on the as-of date), "
            f"got {freq!r}.",
            argument="freq", value=freq,
        )
    return _FREQS[freq]


def _check_horizon(horizon, step: int, name: str = "horizon") -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral) or horizon < 1:
        raise ArgumentError(f"{name} must be a positive whole number of periods, "
                            f"got {horizon!r}.",
                            argument=name, value=horizon)
    if horizon * step > _MAX_HORIZON_DAYS:
        raise ArgumentError(
            f"{name}={horizon} periods of {step} day(s) is more than a year ahead; the "
            "models learn a weekday pattern, a yearly cycle and a trend, which say little "
            f"beyond that. Use at most {_MAX_HORIZON_DAYS // step}.",
            argument=name,
        )
    return int(horizon)


def _check_levels(level) -> list[float]:
    levels = [level] if isinstance(level, numbers.Real) else list(level)
    bad = [v for v in levels
           if isinstance(v, bool) or not isinstance(v, numbers.Real) or not 0 < v < 100]
    if not levels or bad:
        raise ArgumentError(
            f"level must be one or more percentages between 0 and 100, e.g. (80, 95); "
            f"got {level!r}.",
            argument="level", value=level,
        )
    return sorted({float(v) for v in levels})


def _check_sims(n_sims) -> int:
    if isinstance(n_sims, bool) or not isinstance(n_sims, numbers.Integral) or n_sims < 100:
        raise ArgumentError(f"n_sims must be a whole number of at least 100, got {n_sims!r}.",
                            argument="n_sims", value=n_sims)
    return int(n_sims)


def _check_managed(managed) -> None:
    if not (managed is True or managed is False
            or (isinstance(managed, str) and managed == "auto")):
        raise ArgumentError(f"managed must be True, False or 'auto', got {managed!r}.",
                            argument="managed", value=managed)


def _level_name(level: float) -> str:
    return f"{level:g}"


def _history_error(needed_by: str, data: _Data, as_of_day: int, need: int) -> None:
    have = as_of_day - data.first_day + 1
    if have >= need:
        return
    span = (f" (from {_day_str(data.first_day)} to {_day_str(as_of_day)})" if have > 0
            else f" before {_day_str(as_of_day)}")
    raise DataQualityError(
        f"{needed_by} needs at least {need} days of admissions before the as-of date to "
        f"learn from; the data has {max(have, 0)}{span}. Pass a longer extract, or a "
        "later as_of=."
    )


def _check_tail(needed_by: str, data: _Data, as_of_day: int) -> None:
    """Warn when the admissions stop well before the as-of date (a truncated extract).

    The as-of date defaults to the latest admission *or discharge*; when the extract's
    admissions end earlier, the days in between read as days without admissions and drag
    the forecast down. Warned when at least 7 such days would have held 5 admissions or
    more at the rate of the year before.
    """
    st = data.stays
    exists = st.exists
    if not exists.any():
        return
    last = int(st.adm_day[exists].max())
    gap = as_of_day - last
    if gap < 7:
        return
    lo = max(data.first_day, last - 364)
    rate = np.count_nonzero(exists & (st.adm_day >= lo)) / (last - lo + 1)
    if rate * gap >= 5:
        warnings.warn(
            f"{needed_by}: the last admission is on {_day_str(last)}, {gap} days before "
            f"the as-of date {_day_str(as_of_day)} (at {rate:.1f} admissions a day before "
            "that); those days are read as days without admissions. If the extract ends "
            f"earlier, pass as_of='{_day_str(last)}'.",
            DataQualityWarning, stacklevel=caller_stacklevel())


# ------------------------------------------------------------------------ the series
def _daily_counts(data: _Data, lo: int, hi: int) -> np.ndarray:
    """Admissions per group and day ``lo .. hi`` (stays existing at the as-of date)."""
    st = data.stays
    n = max(hi - lo + 1, 0)
    keep = st.exists & (st.adm_day >= lo) & (st.adm_day <= hi)
    flat = data.codes[keep] * n + (st.adm_day[keep] - lo)
    g = data.n_groups
    return np.bincount(flat, minlength=g * n)[: g * n].reshape(g, n)


def _periods(as_of_day: int, first_day: int, step: int) -> np.ndarray:
    """First days of the whole periods of ``step`` days ending on the as-of date."""
    n = max((as_of_day - first_day + 1) // step, 0)
    return as_of_day + 1 - step * np.arange(n, 0, -1, dtype="int64")


def _period_counts(data: _Data, starts: np.ndarray, step: int, as_of_day: int) -> np.ndarray:
    if starts.size == 0:
        return np.zeros((data.n_groups, 0), dtype="int64")
    daily = _daily_counts(data, int(starts[0]), as_of_day)
    return daily.reshape(data.n_groups, starts.size, step).sum(axis=2)


def _fits(data: _Data, as_of_day: int, step: int, sm) -> tuple[list[CountFit], np.ndarray]:
    """One count model per group (groups are few: the loop is over groups, not rows)."""
    starts = _periods(as_of_day, data.first_day, step)
    y = _period_counts(data, starts, step, as_of_day)
    return [fit_counts(y[g], starts, step, sm) for g in range(data.n_groups)], starts


def _admission_draws(data, as_of_day, horizon, step, n_sims, rng, sm, fits=None):
    """Future period starts, means ``(G, H)`` and count draws ``(G, n_sims, H)``."""
    if fits is None:
        fits, _ = _fits(data, as_of_day, step, sm)
    future = as_of_day + 1 + step * np.arange(horizon, dtype="int64")
    mean = np.empty((data.n_groups, horizon))
    draws = np.empty((data.n_groups, n_sims, horizon), dtype="int64")
    for g, fit in enumerate(fits):
        mean[g] = fit.mean(future, step)
        draws[g] = rng.poisson(simulate_rates(fit, future, step, n_sims, rng))
    return future, mean, draws


# ---------------------------------------------------------------------- the census
def _los_sample(data: _Data, as_of_day: int, defs: Definitions):
    """Durations (days), discharged flags and group codes of the stays the curves learn from.

    Stays admitted in the :data:`LOS_WINDOW_DAYS` before the as-of date, and every stay
    still in hospital then. A stay discharged by the as-of date has its length of stay in
    census days; an open one is censored at the days it has spent.
    """
    st = data.stays
    rows = np.flatnonzero(st.exists & ((st.adm_day > as_of_day - LOS_WINDOW_DAYS) | st.open))
    observed = st.discharged[rows]
    adm = st.adm_day[rows]
    dur = np.where(observed, st.dis_day[rows] - adm, as_of_day - adm)
    if defs.day_case_bed_day:  # a same-day stay then occupies its admission day
        dur = np.where(observed, np.maximum(dur, 1), dur)
    return np.maximum(dur, 0), observed, data.codes[rows]


def _bernoulli_census(p: np.ndarray, groups: np.ndarray, n_groups: int, n_sims: int, rng):
    """Census draws ``(G, n_sims, H)`` of patients each present on day ``k`` w.p. ``p[i, k]``.

    ``p`` falls with ``k`` (a patient who has left does not come back), so one uniform per
    patient and draw gives the number of days ``R`` the patient stays on: ``R = #{k :
    p[i, k] > u}``, found for all patients at once by one ``searchsorted`` over the rows
    laid end to end (row ``i`` shifted by ``2 i``). The census on day ``k`` is then the
    number of patients with ``R >= k``: a ``bincount`` and a reversed cumulative sum.
    """
    n, h = p.shape
    out = np.zeros((n_groups, n_sims, h), dtype="int64")
    if n == 0:
        return out
    offset = 2.0 * np.arange(n)
    flat = (offset[:, None] - p).ravel()
    base = np.arange(n, dtype="int64") * h
    width = h + 1
    chunk = max(1, _SIM_CELLS // n)
    for s0 in range(0, n_sims, chunk):  # bounded memory: loops over chunks of draws
        m = min(chunk, n_sims - s0)
        u = rng.random((m, n))
        stay = np.searchsorted(flat, offset[None, :] - u, side="left") - base[None, :]
        cell = (np.arange(m, dtype="int64")[:, None] * n_groups + groups[None, :]) * width
        counts = np.bincount((cell + stay).ravel(), minlength=m * n_groups * width)
        counts = counts.reshape(m, n_groups, width)
        present = np.cumsum(counts[:, :, ::-1], axis=2)[:, :, ::-1][:, :, 1:]
        out[:, s0:s0 + m, :] = present.transpose(1, 0, 2)
    return out


def _census_draws(data, as_of_day, horizon, defs, arrivals, n_sims, rng, sm, fits=None,
                  managed="auto"):
    """Expected census from current patients and from arrivals ``(G, H)``, and draws.

    With arrivals, the groups whose census is managed (see :func:`_managed_census`) get
    the managed forecast; their ``mean_arr`` is then what the beds freed are refilled
    with: the forecast minus the current patients still in.
    """
    st = data.stays
    g_count = data.n_groups
    dur, observed, codes = _los_sample(data, as_of_day, defs)
    if not observed.any():
        raise DataQualityError(
            "forecast_census: no stay was discharged by the as-of date "
            f"({_day_str(as_of_day)}), so the length of stay cannot be estimated. Pass a "
            "longer extract, or a later as_of=."
        )
    open_rows = np.flatnonzero(st.open)
    ages = as_of_day - st.adm_day[open_rows]
    grid = int(max(dur.max(), ages.max() if ages.size else 0)) + horizon + 2
    curves = los_curves(dur, observed, codes, g_count, grid)
    g_open = data.codes[open_rows]
    ks = np.arange(1, horizon + 1)
    now = curves.at(g_open, ages)
    later = curves.at(g_open[:, None], ages[:, None] + ks[None, :])
    p = np.divide(later, now[:, None], out=np.zeros_like(later), where=now[:, None] > 0)
    flat = (g_open[:, None] * horizon + np.arange(horizon)[None, :]).ravel()
    mean_cur = np.bincount(flat, weights=p.ravel(), minlength=g_count * horizon)
    mean_cur = mean_cur.reshape(g_count, horizon)
    draws = _bernoulli_census(p, g_open, g_count, n_sims, rng)
    mean_arr = np.zeros((g_count, horizon))
    if arrivals:
        if fits is None:
            fits, _ = _fits(data, as_of_day, 1, sm)
        future = as_of_day + 1 + np.arange(horizon, dtype="int64")
        lag = ks[None, :] - ks[:, None]  # census day k minus arrival day j
        for g, fit in enumerate(fits):
            thin = np.where(lag >= 0, curves.at(g, lag), 0.0)  # P(still in k - j days on)
            mean_arr[g] = fit.mean(future, 1) @ thin
            rates = simulate_rates(fit, future, 1, n_sims, rng) @ thin
            draws[g] += rng.poisson(rates)
        managed = _managed_census(data, as_of_day, horizon, defs, curves, fits, n_sims,
                                  rng, mode=managed)
        for g, (mean, sample) in managed.items():  # the managed groups: few, see above
            mean_arr[g] = mean - mean_cur[g]
            draws[g] = sample
    return mean_cur, mean_arr, draws, curves


def _level_forecast(recent: np.ndarray, base: np.ndarray, horizon: int, n_sims: int,
                    rng) -> tuple[np.ndarray, np.ndarray]:
    """A census's smoothed level moved by an expected seasonal change, with error paths.

    ``recent`` is the observed census (oldest first, ``n`` days to the as-of date) and
    ``base`` a smooth expected census over those days and the ``horizon`` after them.
    Made on day ``t``, the forecast of day ``t + k`` is the level ``l_t`` (simple
    exponential smoothing of ``recent``) plus the change ``base[t + k] - base[t]``. The
    smoothing weight is the one of :data:`_GAINS` whose forecasts ``1 .. horizon`` days
    ahead, made on the past days, had the smallest mean absolute error (a direct
    multi-step fit). The draws add to the forecast whole paths of those past errors
    (resampled, each centred on its lag's mean error): the spread, its growth with the
    horizon and its skew are the series' own (empirical prediction intervals, Williams &
    Goodman 1971; Lee & Scholtes 2014).

    Returns
    -------
    tuple of ndarray
        The forecast ``(H,)`` and whole-number draws ``(n_sims, H)``.
    """
    n = recent.size
    lags = np.arange(n)
    ahead = np.lib.stride_tricks.sliding_window_view(recent[1:], horizon)
    moves = np.lib.stride_tricks.sliding_window_view(base[1:n], horizon) - base[:n - horizon,
                                                                                None]
    best = None
    for gain in _GAINS:  # a few candidate weights, each vectorised over the days
        weights = gain * (1.0 - gain) ** lags
        level = np.convolve(recent, weights)[:n] + (1.0 - gain) ** (lags + 1) * recent[0]
        errors = ahead - level[:n - horizon, None] - moves
        score = np.abs(errors).mean()
        if best is None or score < best[0]:
            best = (score, level[-1], errors)
    _, last, errors = best
    mean = last + base[n:] - base[n - 1]
    picks = rng.integers(0, errors.shape[0], n_sims)
    paths = mean + (errors - errors.mean(axis=0))[picks]
    return mean, np.maximum(np.rint(paths), 0).astype("int64")


def _managed_census(data, as_of_day, horizon, defs, curves, fits, n_sims, rng, *, mode):
    """Forecasts ``{group: (mean (H,), draws (n_sims, H))}`` of the groups run managed.

    Independent stays (the model above, an infinite-server queue) make a census whose
    variance is at least its mean: Poisson for Poisson arrivals (the M/G/infinity
    census), more for over-dispersed ones. A bed-managed ward admits when a bed frees
    up, so its census holds near a planned level and varies far less. For each group,
    the census the model expects from the *fitted* admissions of every past day,
    ``m_t = sum_j mu_j S(t - j)``, is compared with the observed census ``c_t`` over
    the last :data:`_MANAGED_WINDOW` days: the group is managed when the residuals
    ``r_t = c_t - m_t`` vary less than :data:`_MANAGED_DISPERSION` times the mean of
    ``m_t`` and the census averages at least :data:`_MANAGED_MIN_CENSUS` patients
    (``mode="auto"``), or always (``True``) or never (``False``).

    A managed group's census is forecast from its own history by
    :func:`_level_forecast`: a smoothed level with the errors that forecast made over
    the same window. It needs at least :data:`_MANAGED_PATHS` past error paths of the
    whole horizon (``window - horizon``); with fewer, every group keeps the model above.
    """
    out = {}
    if mode is False:
        return out
    window = min(_MANAGED_WINDOW, as_of_day - data.first_day + 1)
    if window < MIN_HISTORY_DAYS or window - horizon < _MANAGED_PATHS:
        return out
    # the expected census of a day counts the admissions of the days before it: from
    # the data's first day, or enough days back for the length-of-stay curve to fall
    first = max(data.first_day, as_of_day + 1 - window - _MANAGED_LEAD)
    n_hist = as_of_day - first + 1
    census = occupied_census(data.stays, defs, data.codes, data.n_groups, first, n_hist)
    days = first + np.arange(n_hist + horizon, dtype="int64")
    half = _SMOOTH // 2
    for g, fit in enumerate(fits):  # a loop over groups (few)
        survival = curves.at(g, np.arange(days.size))
        if first > data.first_day:  # admissions before ``first``: the stays still in
            survival = np.where(np.arange(days.size) < _MANAGED_LEAD, survival, 0.0)
        expected = fftconvolve(fit.mean(days, 1), survival)
        recent = census[g, -window:].astype("float64")
        scale = expected[n_hist - window:n_hist].mean()
        spread = (recent - expected[n_hist - window:n_hist]).var()
        if scale <= 0 or (mode == "auto" and (spread >= _MANAGED_DISPERSION * scale
                                              or recent.mean() < _MANAGED_MIN_CENSUS)):
            continue
        # the expected census of smoothed admissions: the yearly cycle and the trend,
        # without the weekday pattern
        smooth = np.convolve(fit.mean(np.arange(days[0] - half, days[-1] + _SMOOTH - half),
                                      1), np.full(_SMOOTH, 1.0 / _SMOOTH), mode="valid")
        base = fftconvolve(smooth, survival)[: days.size]
        out[g] = _level_forecast(recent, base[n_hist - window:], horizon, n_sims, rng)
    return out


# ----------------------------------------------------------------------- outputs
def _quantiles(draws: np.ndarray, levels: Sequence[float]) -> dict[str, np.ndarray]:
    """Lower and upper bounds ``(G, H)`` per level from draws ``(G, n_sims, H)``."""
    out = {}
    for lv in levels:
        a = (1.0 - lv / 100.0) / 2.0
        lo = np.quantile(draws, a, axis=1, method="inverted_cdf")
        hi = np.quantile(draws, 1.0 - a, axis=1, method="inverted_cdf")
        out[f"lower_{_level_name(lv)}"] = lo
        out[f"upper_{_level_name(lv)}"] = hi
    return out


def _tidy(days: np.ndarray, data: _Data, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Rows by date, then group; one column per ``(G, H)`` array."""
    g_count, h = next(iter(values.values())).shape
    frame = {"date": np.repeat(_dates(days), g_count)}
    if data.labels is not None:
        frame[data.by] = np.tile(np.asarray(data.labels, dtype=object), h)
    for name, arr in values.items():
        frame[name] = np.asarray(arr).T.ravel()
    out = pd.DataFrame(frame)
    if data.labels is not None:
        out[data.by] = out[data.by].astype(pd.Index(list(data.labels)).dtype)
    return out


def _beds_matrix(beds, data: _Data, first_day: int, horizon: int) -> np.ndarray | None:
    """Beds per group and future day (NaN where no capacity was given for a group)."""
    if beds is None:
        return None
    if isinstance(beds, numbers.Real) and not isinstance(beds, bool):
        if data.labels is not None:
            raise ArgumentError(
                f"with by={data.by!r}, beds must give each {data.by}'s beds (a dict, "
                "Series or DataFrame, see hospitalytics.capacity); a single number is "
                "the whole hospital's beds, for by=None."
            )
        if beds < 0 or not np.isfinite(beds):
            raise ArgumentError(f"beds must be a non-negative number, got {beds!r}.",
                                argument="beds", value=beds)
        return np.full((1, horizon), float(beds))
    table = normalize_beds(beds)
    if data.labels is None:
        wards = pd.Index(pd.unique(table["ward"]))
        return available_matrix(table, wards, first_day, horizon).sum(axis=0, keepdims=True)
    labels = pd.Index([str(x) for x in data.labels])
    out = available_matrix(table, labels, first_day, horizon)
    known = labels.isin(table["ward"])
    out[~known] = np.nan
    missing = [lab for lab, k in zip(labels, known, strict=True) if not k]
    unknown = sorted(set(table["ward"]) - set(labels))
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"no beds were given for {data.by} {missing}: their chance of "
                         "exceeding capacity is left empty (NaN)")
        if unknown:
            parts.append(f"beds names {unknown}, which no stay has as its {data.by}: "
                         "they are not forecast")
        warnings.warn("; ".join(parts) + ". Check the names in beds=.", DataQualityWarning,
                      stacklevel=caller_stacklevel())
    return out


# ------------------------------------------------------------------ the public API
def admissions_series(
    df: pd.DataFrame,
    *,
    freq: str = "D",
    by: str | None = None,
    as_of=None,
    columns: Columns = None,
) -> pd.DataFrame:
    """Admissions per day (or week), the series :func:`forecast_admissions` learns from.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each (raw column names are inferred, or mapped with ``columns=``).
    freq : {"D", "W"}, default "D"
        Days, or weeks of 7 days that end on the as-of date (the first, incomplete week
        of the data is left out).
    by : str, optional
        One grouping role (``"ward"``, ``"department"``...): a column per group.
    as_of : date-like, optional
        The last day of the series; defaults to the last date in the data.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping.

    Returns
    -------
    DataFrame
        Indexed by the first day of each period (``"date"``), from the first admission
        through the as-of date; an int column per group (with ``by``) and ``"total"``.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> s = hp.analysis.admissions_series(hp.datasets.load_sample())
    >>> int(s["total"].sum()) == hp.admissions(hp.datasets.load_sample())
    True
    """
    step = _check_freq(freq)
    data, as_of_day = _load(df, by=by, as_of=as_of, columns=columns,
                            needed_by="admissions_series")
    starts = _periods(as_of_day, data.first_day, step)
    y = _period_counts(data, starts, step, as_of_day)
    index = pd.DatetimeIndex(_dates(starts), name="date")
    if data.labels is None:
        return pd.DataFrame({"total": y[0]}, index=index)
    out = pd.DataFrame(y.T, index=index, columns=data.labels)
    out["total"] = y.sum(axis=0)
    out.columns.name = by
    return out


def forecast_admissions(
    df: pd.DataFrame,
    horizon: int = 28,
    *,
    freq: str = "D",
    by: str | None = None,
    level: float | Sequence[float] = (80, 95),
    as_of=None,
    columns: Columns = None,
    n_sims: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Forecast admissions per day (or week), with prediction intervals.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each (raw column names are inferred, or mapped with ``columns=``).
    horizon : int, default 28
        Number of periods to forecast (days, or weeks with ``freq="W"``), at most a year.
    freq : {"D", "W"}, default "D"
        Days, or weeks of 7 days counted from the day after the as-of date.
    by : str, optional
        One grouping role (``"ward"``, ``"department"``, ``"treatment"``...): one model
        per group.
    level : float or sequence of float, default (80, 95)
        Coverage of the prediction intervals, in percent.
    as_of : date-like, optional
        The last day of history; defaults to the last date in the data.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping.
    n_sims : int, default 2000
        Simulated futures behind the intervals.
    seed : int or None, default 0
        Seed of the simulation (fixed: the same call gives the same intervals).

    Returns
    -------
    DataFrame
        One row per period (and group): ``date`` (the first day of the period), the group
        column (with ``by``), ``forecast`` (the expected admissions), and ``lower_<level>``
        and ``upper_<level>`` for each level (whole numbers).

    Raises
    ------
    DataQualityError
        When there are fewer than 56 days of admissions before the as-of date.
    ArgumentError
        For a bad ``horizon``, ``freq``, ``level`` or an ``as_of`` after the data.
    ImportError
        When statsmodels is not installed (``pip install "hospitalytics[forecast]"``).

    See Also
    --------
    forecast_census : Beds in use, from the patients in hospital and the arrivals.
    backtest : How accurate these forecasts have been on the same data.

    Notes
    -----
    For each series, a negative-binomial regression (a generalized linear model fitted by
    statsmodels) of the admissions per period on

    * six weekday indicators (daily series),
    * two sine-cosine pairs of the day of the year (a smooth yearly cycle), and
    * a linear trend,

    learnt from the last two years before the as-of date. The yearly cycle and the trend
    need a year of history; with less (at least 8 weeks), the model learns the weekday
    pattern and the level of the last 12 weeks. A series with fewer than 30 admissions in
    that window gets a constant rate, and one without any a forecast of 0.

    ``forecast`` is the model's mean. The intervals come from ``n_sims`` simulated futures
    that draw both the coefficients (from their estimated sampling distribution) and
    negative-binomial counts, so they widen with the trend's uncertainty. They are whole
    numbers and hold at least ``level`` percent of the predictive distribution.

    The model knows nothing of bank holidays, strikes, epidemics or a new service: it
    extrapolates the past. See the user guide's page on forecasting for how to read it,
    and :func:`backtest` for its track record on your data.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> fc = hp.forecast_admissions(df, horizon=14)
    >>> len(fc), str(fc["date"].iloc[0].date())
    (14, '2025-12-16')
    >>> bool((fc["lower_95"] <= fc["lower_80"]).all() and
    ...      (fc["lower_80"] <= fc["forecast"]).all() and
    ...      (fc["forecast"] <= fc["upper_80"]).all())
    True
    >>> weekly = hp.forecast_admissions(df, 4, freq="W", by="department")
    >>> weekly.shape
    (32, 7)
    """
    step = _check_freq(freq)
    horizon = _check_horizon(horizon, step)
    levels = _check_levels(level)
    n_sims = _check_sims(n_sims)
    data, as_of_day = _load(df, by=by, as_of=as_of, columns=columns,
                            needed_by="forecast_admissions")
    _history_error("forecast_admissions", data, as_of_day, max(MIN_HISTORY_DAYS, step * 8))
    _check_tail("forecast_admissions", data, as_of_day)
    sm = statsmodels_api("forecast_admissions")
    rng = np.random.default_rng(seed)
    future, mean, draws = _admission_draws(data, as_of_day, horizon, step, n_sims, rng, sm)
    out = _tidy(future, data, {"forecast": mean, **_quantiles(draws, levels)})
    out.attrs["as_of"] = pd.Timestamp(as_of_day * NS_PER_DAY)
    return out


def forecast_census(
    df: pd.DataFrame,
    horizon: int = 28,
    *,
    beds=None,
    by: str | None = "ward",
    level: float | Sequence[float] = (80, 95),
    as_of=None,
    arrivals: bool = True,
    managed: bool | str = "auto",
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    n_sims: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Forecast the daily midnight census per ward, and the chance of running out of beds.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each (raw column names are inferred, or mapped with ``columns=``).
    horizon : int, default 28
        Number of days to forecast (at most 366).
    beds : dict, Series, DataFrame or number, optional
        Beds per group (see :mod:`hospitalytics.capacity`; ``valid_from``/``valid_to``
        ranges are honoured day by day), or, with ``by=None``, the hospital's total beds.
        With beds, the result has ``beds`` and ``p_over_capacity`` columns.
    by : str or None, default "ward"
        One grouping role; ``None`` for the whole hospital.
    level : float or sequence of float, default (80, 95)
        Coverage of the prediction intervals, in percent.
    as_of : date-like, optional
        The last day of history; defaults to the last date in the data.
    arrivals : bool, default True
        Include the patients still to be admitted. ``False`` forecasts only how many of
        the patients in hospital on the as-of date are still in (no statsmodels needed).
    managed : bool or "auto", default "auto"
        How to forecast a group whose beds are managed (admitted only when a bed is
        free, so the census holds near a planned level). ``"auto"``: a group whose
        census over the last year varied less than half as much as independent stays
        would make it is forecast from its own census (see *Notes*); ``True``: every
        group so; ``False``: none (the two-part model throughout). Only with arrivals.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters (a same-day stay then occupies its day).
    columns : mapping, optional
        Explicit ``{role: column}`` mapping.
    n_sims : int, default 2000
        Simulated futures behind the intervals and probabilities.
    seed : int or None, default 0
        Seed of the simulation (fixed: the same call gives the same numbers).

    Returns
    -------
    DataFrame
        One row per day (and group): ``date``, the group column (with ``by``),
        ``forecast`` (the expected census), ``lower_<level>`` and ``upper_<level>``
        (whole numbers), ``current_patients`` and ``new_admissions`` (the two parts of
        the forecast), and with ``beds`` the ``beds`` of that day and
        ``p_over_capacity``, the probability that the census exceeds them.

    Raises
    ------
    DataQualityError
        When no stay was discharged by the as-of date (no length of stay to learn from),
        or, with arrivals, when there are fewer than 56 days of admissions before it.
    ArgumentError
        For a bad ``horizon``, ``level``, ``beds`` or an ``as_of`` after the data.
    ImportError
        With arrivals, when statsmodels is not installed.

    Warns
    -----
    DataQualityWarning
        When ``beds`` misses some groups of the data (their probability is NaN) or names
        groups the data does not have.

    See Also
    --------
    forecast_admissions : The arrivals part on its own.
    hospitalytics.census : The observed census this forecast continues.

    Notes
    -----
    The census on a future day ``T + k`` is the sum of two parts (Littig & Isken 2007;
    Davis & Fard 2018; the same split as the NHS's *patientflow* models at UCLH):

    1. **Patients in hospital on the as-of date** ``T``. A patient admitted on day ``a``
       has already occupied ``T - a + 1`` midnights, so their length of stay ``L``
       (in census days) is more than ``T - a``. They are still in on day ``T + k`` with
       probability ``S(T - a + k) / S(T - a)``, where ``S(t) = P(L > t)`` is the
       length-of-stay survival curve of their group. Their count is a sum of these
       Bernoulli variables (a long stayer is *more* likely to stay on than a new
       patient when the curve has a long tail, which a mean length of stay ignores).
    2. **Patients still to be admitted**: the admissions forecast of
       :func:`forecast_admissions` per group and day; an admission on day ``T + j`` is in
       on day ``T + k`` with probability ``S(k - j)``. Thinned this way, the arrivals are
       Poisson given the simulated rate.

    ``S`` is a Kaplan-Meier estimate (Kaplan & Meier 1958) from the stays admitted in
    the year before ``T`` and every stay still open then, which are right-censored at the
    days they have spent (so the long stays still in hospital are not lost: ignoring them
    would understate the length of stay). Each group has its own curve when it has at
    least 50 such stays, else the pooled curve; where fewer than 20 stays remain at
    risk, the tail is a constant hazard fitted to that tail (discharges per day at risk).

    The expected census is exact (sum of the probabilities and thinned means). The
    intervals and ``p_over_capacity`` come from ``n_sims`` simulated futures with a
    fixed seed, vectorised over patients, days and draws: the census exceeds capacity
    when it is *more than* the beds. Groups are forecast independently.

    **Managed beds.** The two parts assume that stays come and go independently (an
    infinite-server queue): the census then varies at least as much as a Poisson count
    (its variance is at least its mean). A ward whose bed manager admits only when a
    bed is free holds its census near a planned level, far steadier than that, and
    the two-part model's intervals are far too wide for it (and its point forecast
    forgets the ward's current level within one length of stay). With
    ``managed="auto"``, a group whose census over the last year averaged at least 5
    patients and varied around the two-part model's expectation (from the fitted
    admissions of every past day) by less than half that expectation's mean is read
    as managed and forecast from its
    own census instead: its smoothed level (simple exponential smoothing, the weight
    chosen by the in-sample error over the horizon), moved by the change in census
    that the fitted admissions' yearly cycle and trend (averaged over 28 days) would
    make, with the errors that same forecast made over the last year (centred) as its
    spread (empirical prediction intervals: Williams & Goodman 1971; Lee & Scholtes
    2014). ``current_patients`` keeps the
    patients of the as-of date still expected in; ``new_admissions`` is then the rest
    of the forecast (the freed beds refilled). Such a forecast says what the managers
    will let happen, not the demand: the admissions turned away are not in the data.
    It needs a year of census (at least 56 days, and 28 more than the horizon); with
    less the two-part model is used.

    References: S. J. Littig and M. W. Isken, "Short term hospital occupancy
    prediction", *Health Care Management Science* 10 (2007) 47-66; S. Davis and N. Fard,
    "Theoretical bounds and approximation of the probability mass function of future
    hospital bed demand", *Health Care Management Science* (2018),
    doi:10.1007/s10729-018-9461-7; E. L. Kaplan and P. Meier, "Nonparametric estimation
    from incomplete observations", *JASA* 53 (1958) 457-481; W. H. Williams and M. L.
    Goodman, "A simple method for the construction of empirical confidence limits for
    economic forecasts", *JASA* 66 (1971) 752-754; Y. S. Lee and S. Scholtes, "Empirical
    prediction intervals revisited", *International Journal of Forecasting* 30 (2014)
    217-234.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> fc = hp.forecast_census(df, 14, beds=beds)
    >>> fc.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['date', 'ward', 'forecast', 'lower_80', 'upper_80', 'lower_95', 'upper_95',
     'current_patients', 'new_admissions', 'beds', 'p_over_capacity']
    >>> total = hp.forecast_census(df, 7, by=None, arrivals=False)
    >>> int(total["upper_95"].iloc[0]) <= int(hp.census(df, by=None)["total"].iloc[-1])
    True
    """
    horizon = _check_horizon(horizon, 1)
    levels = _check_levels(level)
    n_sims = _check_sims(n_sims)
    _check_managed(managed)
    defs = get_definitions(definitions)
    data, as_of_day = _load(df, by=by, as_of=as_of, columns=columns,
                            needed_by="forecast_census")
    cap = _beds_matrix(beds, data, as_of_day + 1, horizon)
    sm = None
    if arrivals:
        _history_error("forecast_census", data, as_of_day, MIN_HISTORY_DAYS)
        _check_tail("forecast_census", data, as_of_day)
        sm = statsmodels_api("forecast_census")
    rng = np.random.default_rng(seed)
    mean_cur, mean_arr, draws, _curves = _census_draws(data, as_of_day, horizon, defs,
                                                       arrivals, n_sims, rng, sm,
                                                       managed=managed)
    values = {"forecast": mean_cur + mean_arr, **_quantiles(draws, levels),
              "current_patients": mean_cur, "new_admissions": mean_arr}
    if cap is not None:
        values["beds"] = cap
        over = (draws > cap[:, None, :]).mean(axis=1)
        values["p_over_capacity"] = np.where(np.isnan(cap), np.nan, over)
    future = as_of_day + 1 + np.arange(horizon, dtype="int64")
    out = _tidy(future, data, values)
    out.attrs["as_of"] = pd.Timestamp(as_of_day * NS_PER_DAY)
    return out


def forecast_outlook(
    df: pd.DataFrame,
    beds=None,
    *,
    horizon: int = 28,
    by: str | None = "ward",
    level: float = 80,
    as_of=None,
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    n_sims: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """The next weeks at a glance: admissions, beds in use and the risk of running out.

    One row for the whole hospital (``"total"``), then one per group: what a report's
    "next 4 weeks" section shows.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame, optional
        Beds per ward (see :mod:`hospitalytics.capacity`); the total row uses their sum.
    horizon : int, default 28
        Days ahead.
    by : str or None, default "ward"
        The grouping of the rows after the total (``None``: the total only).
    level : float, default 80
        Coverage of the interval of the admissions total, in percent.
    as_of, definitions, columns, n_sims, seed
        As for :func:`forecast_census`.

    Returns
    -------
    DataFrame
        Indexed by group (``"total"`` first): ``admissions`` (expected over the horizon)
        with ``admissions_lower``/``admissions_upper`` (the ``level`` interval of that
        total), ``census_now`` (the census on the as-of date), ``census_mean`` (the mean
        expected census over the horizon), ``census_peak`` (the highest daily upper
        bound at ``level``), and with beds: ``beds`` (the fewest over the horizon),
        ``p_over_capacity_max`` (the highest daily probability of exceeding them) and
        ``days_at_risk`` (days on which that probability is 10% or more).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    >>> out = hp.analysis.forecast_outlook(df, beds, horizon=7)
    >>> out.index[0], len(out) == 1 + df["ward"].nunique()
    ('total', True)
    """
    horizon = _check_horizon(horizon, 1)
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise ArgumentError(f"level must be one percentage, e.g. 80; got {level!r}.",
                            argument="level", value=level)
    (lv,) = _check_levels(level)
    n_sims = _check_sims(n_sims)
    defs = get_definitions(definitions)
    sm = statsmodels_api("forecast_outlook")
    rows = []
    for group_by in ([None] if by is None else [None, by]):
        data, as_of_day = _load(df, by=group_by, as_of=as_of, columns=columns,
                                needed_by="forecast_outlook")
        _history_error("forecast_outlook", data, as_of_day, MIN_HISTORY_DAYS)
        if group_by is None:
            _check_tail("forecast_outlook", data, as_of_day)
        cap = _beds_matrix(beds, data, as_of_day + 1, horizon)
        rng = np.random.default_rng(seed)
        fits, _ = _fits(data, as_of_day, 1, sm)
        _, adm_mean, adm_draws = _admission_draws(data, as_of_day, horizon, 1, n_sims,
                                                  rng, sm, fits)
        mean_cur, mean_arr, draws, _ = _census_draws(data, as_of_day, horizon, defs, True,
                                                     n_sims, rng, sm, fits)
        a = (1.0 - lv / 100.0) / 2.0
        totals = adm_draws.sum(axis=2)
        now = np.bincount(data.codes[data.stays.open], minlength=data.n_groups)
        frame = {
            "admissions": adm_mean.sum(axis=1),
            "admissions_lower": np.quantile(totals, a, axis=1, method="inverted_cdf"),
            "admissions_upper": np.quantile(totals, 1 - a, axis=1, method="inverted_cdf"),
            "census_now": now[: data.n_groups],
            "census_mean": (mean_cur + mean_arr).mean(axis=1),
            "census_peak": np.quantile(draws, 1 - a, axis=1, method="inverted_cdf").max(
                axis=1),
        }
        if cap is not None:
            over = np.where(np.isnan(cap), np.nan, (draws > cap[:, None, :]).mean(axis=1))
            frame["beds"] = np.nanmin(np.where(np.isnan(cap), np.inf, cap), axis=1)
            frame["beds"] = np.where(np.isinf(frame["beds"]), np.nan, frame["beds"])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: NaN
                frame["p_over_capacity_max"] = np.nanmax(over, axis=1)
            frame["days_at_risk"] = (over >= 0.1).sum(axis=1)
        index = (pd.Index(["total"]) if data.labels is None
                 else pd.Index([str(x) for x in data.labels]))
        rows.append(pd.DataFrame(frame, index=index))
    out = pd.concat(rows)
    out.index.name = by if by is not None else "group"
    return out


# ------------------------------------------------------------------------ backtest
def _seasonal_naive(hist: np.ndarray, horizon: int, m: int, window: int):
    """Point forecasts ``(G, H)`` and a sample ``(G, n, H)`` of seasonal naive.

    The forecast of step ``k`` repeats the value ``m * ceil(k / m)`` periods back; its
    sample adds the history's errors of that same lag (the last ``window`` periods).
    """
    g, n = hist.shape
    k = np.arange(1, horizon + 1)
    lag = m * np.ceil(k / m).astype("int64")
    point = hist[:, n + k - 1 - lag]
    lags = np.unique(lag)
    size = max(min(window, n - int(lags.max())), 1)
    errors = {int(L): (hist[:, L:] - hist[:, :-L])[:, -size:] for L in lags}
    sample = np.stack([errors[int(L)] for L in lag], axis=2)  # (G, size, H)
    return point.astype("float64"), np.maximum(point[:, None, :] + sample, 0)


def _scaled_errors(actual, point, hist, m, window):
    """MASE and RMSSE of one origin per series (NaN where the scale is 0).

    The scale is the error of seasonal naive over the last ``window`` periods of history
    (not the whole history: an extract reaching back decades would scale by its empty
    early years).
    """
    diff = (hist[:, m:] - hist[:, :-m])[:, -window:]
    mae_scale = np.abs(diff).mean(axis=1)
    mse_scale = (diff.astype("float64") ** 2).mean(axis=1)
    err = actual - point
    with np.errstate(invalid="ignore", divide="ignore"):
        mase = np.where(mae_scale > 0, np.abs(err).mean(axis=1) / mae_scale, np.nan)
        rmsse = np.where(mse_scale > 0, np.sqrt((err**2).mean(axis=1) / mse_scale), np.nan)
    return mase, rmsse


def _pit_coverage(sample: np.ndarray, actual: np.ndarray, level: float) -> np.ndarray:
    """Randomised-PIT coverage ``(G, H)`` of the central ``level`` interval.

    For counts, the probability integral transform is drawn uniformly between
    ``F(y - 1)`` and ``F(y)`` (Czado, Gneiting & Held 2009); this returns the chance that
    it falls in ``[a, 1 - a]``, which averages to ``level`` for a calibrated forecast.
    """
    a = (1.0 - level / 100.0) / 2.0
    below = (sample < actual[:, None, :]).mean(axis=1)  # F(y - 1) for integer data
    upto = (sample <= actual[:, None, :]).mean(axis=1)  # F(y)
    width = upto - below
    inside = np.clip(np.minimum(upto, 1 - a) - np.maximum(below, a), 0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(width > 0, inside / np.where(width > 0, width, 1),
                        ((upto >= a) & (upto <= 1 - a)).astype("float64"))


def backtest(
    df: pd.DataFrame,
    *,
    target: str = "admissions",
    horizon: int = 28,
    origins: int = 8,
    step: int | None = None,
    freq: str = "D",
    by: str | None = None,
    level: float | Sequence[float] = (80, 95),
    as_of=None,
    managed: bool | str = "auto",
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    n_sims: int = 1000,
    seed: int | None = 0,
    details: bool = False,
) -> pd.DataFrame:
    """Rolling-origin evaluation of the forecasts against two baselines.

    The data is cut at ``origins`` as-of dates, ``step`` periods apart, the last one
    ``horizon`` periods before the end of the data. At each cut the model forecasts the
    next ``horizon`` periods from the history before it (nothing after the cut is seen:
    stays admitted later do not exist, discharges later have not happened), and so do

    * **seasonal naive**: the same weekday last week (for weekly series: last week);
    * **mean**: the mean of the last year of history,

    whose intervals are the empirical quantiles of their own past errors (seasonal naive)
    or of the past values (mean). The forecasts are then compared with what happened.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    target : {"admissions", "census"}, default "admissions"
        What to forecast: :func:`forecast_admissions` or :func:`forecast_census`.
    horizon : int, default 28
        Periods ahead at each origin.
    origins : int, default 8
        Number of forecast origins.
    step : int, optional
        Periods between origins; defaults to ``horizon`` (windows that do not overlap).
    freq : {"D", "W"}, default "D"
        Days or weeks (admissions only; the census is daily).
    by : str, optional
        One grouping role: every group is a series, and the scores average over them.
    level : float or sequence of float, default (80, 95)
        Interval levels to score, in percent.
    as_of : date-like, optional
        The end of the data used (defaults to its last date).
    managed, definitions, columns
        As for :func:`forecast_census` (``managed`` matters for the census only).
    n_sims : int, default 1000
        Simulated futures per origin.
    seed : int or None, default 0
        Seed of the simulation.
    details : bool, default False
        Return every forecast instead of the scores: one row per origin, period, group
        and method with ``actual``, ``forecast`` and the bounds.

    Returns
    -------
    DataFrame
        Indexed by method (``"model"``, ``"seasonal_naive"``, ``"mean"``): ``mase`` and
        ``rmsse`` (errors scaled by the in-sample error of seasonal naive over the last
        year, averaged over origins and series; below 1 beats seasonal naive on the
        history),
        ``coverage_<level>`` (share of outcomes inside the interval) and
        ``pit_coverage_<level>`` (the same for a randomised probability integral
        transform, which discounts the extra coverage that whole-number bounds give small
        counts), and ``origins``, ``series`` and ``forecasts`` (how many were scored).

    Raises
    ------
    DataQualityError
        When the data is too short for the first origin to have 56 days of history.
    ArgumentError
        For a bad ``target``, ``horizon``, ``origins``, ``step``, ``freq`` or ``level``.

    Notes
    -----
    MASE (Hyndman & Koehler 2006) divides the mean absolute error over the horizon by
    the mean absolute error of the one-season-back forecast on the last year of history
    before the origin; RMSSE (the
    M5 competition's measure) does the same with squared errors and suits mean
    forecasts. The model's point forecast is a mean, which squared errors reward; MAE
    rewards medians, so on sparse series (around one admission a day) the flat mean
    baseline can score a lower MASE.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> scores = hp.backtest(df, horizon=14, origins=2, n_sims=200)
    >>> scores.index.tolist()
    ['model', 'seasonal_naive', 'mean']
    >>> bool(scores.loc["model", "mase"] < scores.loc["seasonal_naive", "mase"])
    True
    """
    if target not in ("admissions", "census"):
        raise ArgumentError(f"target must be 'admissions' or 'census', got {target!r}.",
                            argument="target", value=target)
    period = _check_freq(freq)
    if target == "census" and period != 1:
        raise ArgumentError("the census is forecast by day: use freq='D' with "
                            "target='census'.")
    horizon = _check_horizon(horizon, period)
    step = horizon if step is None else _check_horizon(step, period, "step")
    if isinstance(origins, bool) or not isinstance(origins, numbers.Integral) or origins < 1:
        raise ArgumentError(f"origins must be a positive whole number, got {origins!r}.",
                            argument="origins", value=origins)
    levels = _check_levels(level)
    n_sims = _check_sims(n_sims)
    _check_managed(managed)
    defs = get_definitions(definitions)
    data, end_day = _load(df, by=by, as_of=as_of, columns=columns, needed_by="backtest")
    cuts = end_day - horizon * period - step * period * np.arange(origins - 1, -1, -1)
    have = int(cuts[0]) - data.first_day + 1
    if have < MIN_HISTORY_DAYS:
        need = MIN_HISTORY_DAYS + end_day - int(cuts[0])
        raise DataQualityError(
            f"backtest with {origins} origin(s) {step * period} days apart and a "
            f"{horizon * period}-day horizon needs at least {need} days of admissions "
            f"before the end of the data; it has {end_day - data.first_day + 1} (from "
            f"{_day_str(data.first_day)} to {_day_str(end_day)}). Use fewer origins=, a "
            "shorter horizon= or step=, or a longer extract."
        )
    _check_tail("backtest", data, end_day)
    sm = statsmodels_api("backtest")
    rng = np.random.default_rng(seed)
    m = 7 if period == 1 else 1
    # the observed series, read once at the end of the data (the past does not change)
    if target == "admissions":
        starts = _periods(end_day, data.first_day, period)
        series = _period_counts(data, starts, period, end_day)
    else:
        starts = np.arange(data.first_day, end_day + 1, dtype="int64")
        series = occupied_census(data.stays, defs, data.codes, data.n_groups,
                                 data.first_day, starts.size)
    scores = {name: {"mase": [], "rmsse": [], "n": 0} for name in _METHODS}
    for name in _METHODS:
        for lv in levels:
            scores[name][f"c{lv}"] = []
            scores[name][f"p{lv}"] = []
    rows = []
    for cut in cuts:  # a loop over the origins (few), each one vectorised
        cut = int(cut)
        n_hist = int(np.searchsorted(starts, cut + 1))  # periods ending on or before cut
        hist = series[:, :n_hist]
        actual = series[:, n_hist:n_hist + horizon]
        data.stays.set_as_of(cut)
        if target == "admissions":
            _, point, sample = _admission_draws(data, cut, horizon, period, n_sims, rng, sm)
        else:
            cur, arr, sample, _ = _census_draws(data, cut, horizon, defs, True, n_sims,
                                                rng, sm, managed=managed)
            point = cur + arr
        forecasts = {"model": (point, sample)}
        forecasts["seasonal_naive"] = _seasonal_naive(hist, horizon, m,
                                                      _BASELINE_DAYS // period)
        recent = hist[:, -(_BASELINE_DAYS // period):]
        forecasts["mean"] = (np.repeat(recent.mean(axis=1, keepdims=True), horizon, axis=1),
                             np.repeat(recent[:, :, None], horizon, axis=2))
        days = starts[n_hist:n_hist + horizon]
        for name, (pt, smp) in forecasts.items():
            mase, rmsse = _scaled_errors(actual, pt, hist, m, _BASELINE_DAYS // period)
            sc = scores[name]
            sc["mase"].append(mase)
            sc["rmsse"].append(rmsse)
            sc["n"] += actual.size
            bounds = _quantiles(smp, levels)
            for lv in levels:
                lo = bounds[f"lower_{_level_name(lv)}"]
                hi = bounds[f"upper_{_level_name(lv)}"]
                sc[f"c{lv}"].append(((actual >= lo) & (actual <= hi)).ravel())
                sc[f"p{lv}"].append(_pit_coverage(smp, actual, lv).ravel())
            if details:
                part = _tidy(days, data, {"actual": actual, "forecast": pt, **bounds})
                part.insert(0, "method", name)
                part.insert(0, "origin", pd.Timestamp(cut * NS_PER_DAY))
                rows.append(part)
    data.stays.set_as_of(end_day)
    if details:
        return pd.concat(rows, ignore_index=True)
    table = {}
    for name in _METHODS:
        sc = scores[name]
        row = {"mase": float(np.nanmean(np.concatenate(sc["mase"]))),
               "rmsse": float(np.nanmean(np.concatenate(sc["rmsse"])))}
        for lv in levels:
            row[f"coverage_{_level_name(lv)}"] = float(np.concatenate(sc[f"c{lv}"]).mean())
        for lv in levels:
            row[f"pit_coverage_{_level_name(lv)}"] = float(
                np.concatenate(sc[f"p{lv}"]).mean())
        row.update(origins=len(cuts), series=data.n_groups, forecasts=sc["n"])
        table[name] = row
    out = pd.DataFrame.from_dict(table, orient="index")
    out.index.name = "method"
    return out
