"""Admissions per day (or week) and their negative-binomial regression (private).

The model behind :func:`hospitalytics.analysis.forecast.forecast_admissions`, one fit per
series (per group). For a series of counts ``y_t`` (admissions on day, or in week, ``t``):

``log E[y_t] = b0 + weekday_t + sum_k (a_k sin(2 pi k s_t) + c_k cos(2 pi k s_t)) + g t``

with ``s_t`` the position of ``t`` in its calendar year, ``k = 1 .. HARMONICS`` (a smooth
yearly cycle: winter pressure), six weekday indicators (daily series only) and a linear
trend ``g`` per year. ``Var(y_t) = mu_t + alpha mu_t^2`` (negative binomial, NB2): counts of
admissions are more variable than Poisson. The regression is a generalized linear model
fitted by statsmodels (IRLS); ``alpha`` is the moment estimate of Cameron & Trivedi
(``sum(((y - mu)^2 - y) / mu^2) / (n - p)`` after a Poisson fit, floored at 0).

What is fitted depends on how much history there is (see the constants):

* at least :data:`YEARLY_MIN_DAYS` days: the full model, on the last
  :data:`FIT_WINDOW_DAYS` days (older history may describe another hospital);
* less: weekday pattern and level only, from the last :data:`LOCAL_LEVEL_DAYS` days
  (a year is needed before a yearly cycle or a trend can be told apart);
* fewer than :data:`SPARSE_COUNT` admissions in that window: a constant rate, with the
  Jeffreys gamma posterior ``Gamma(count + 1/2, days)`` for its uncertainty;
* no admission at all: zero.

Predictive draws combine parameter uncertainty (coefficients drawn from their estimated
normal distribution) with the negative-binomial noise, written as a Poisson whose rate
is gamma-distributed: :func:`simulate_rates` returns the rates, so that the census model
can thin them by length of stay before drawing the Poisson counts.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FIT_WINDOW_DAYS",
    "HARMONICS",
    "LOCAL_LEVEL_DAYS",
    "MIN_HISTORY_DAYS",
    "SPARSE_COUNT",
    "YEARLY_MIN_DAYS",
    "CountFit",
    "design",
    "fit_counts",
    "simulate_rates",
    "statsmodels_api",
]

#: The shortest history a forecast accepts, in days (eight weeks).
MIN_HISTORY_DAYS = 56
#: History needed before the yearly cycle and the trend are fitted, in days.
YEARLY_MIN_DAYS = 365
#: With less than a year of history, the level is learnt from this many recent days.
LOCAL_LEVEL_DAYS = 84
#: The full model learns from at most this many recent days (two years: measured against
#: three by backtest, as good or better, and quicker to follow a change of level).
FIT_WINDOW_DAYS = 731
#: Below this many admissions in the fitting window, a series gets a constant rate.
SPARSE_COUNT = 30
#: Sine-cosine pairs of the yearly cycle.
HARMONICS = 2

_ETA_MAX = 30.0  # exp(30) admissions a day: a bound that keeps exp() finite, never reached


def statsmodels_api(needed_by: str):
    """Import ``statsmodels.api`` lazily, naming the extra to install when it is missing."""
    try:
        import statsmodels.api as sm
    except ImportError as err:  # pragma: no cover - statsmodels is in the test environment
        raise ImportError(
            f"{needed_by} needs statsmodels, an optional dependency of hospitalytics: "
            'pip install "hospitalytics[forecast]"'
        ) from err
    return sm


def _year_phase(days: np.ndarray) -> np.ndarray:
    """Position of each day in its calendar year, in ``[0, 1)``."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    doy = (d - d.astype("datetime64[Y]").astype("datetime64[D]")).astype("int64")
    return doy / 365.25


def design(
    days: np.ndarray,
    step: int,
    *,
    t0: int,
    weekday: bool,
    yearly: bool,
    trend: bool,
) -> np.ndarray:
    """The regression matrix for periods starting on ``days`` (day numbers) of ``step`` days.

    Parameters
    ----------
    days : ndarray of int
        First day of each period (days since 1970-01-01).
    step : int
        Days per period (1 or 7).
    t0 : int
        Day number where the trend is 0.
    weekday, yearly, trend : bool
        Which terms to include (an intercept always is).

    Returns
    -------
    ndarray of float64
        One row per period.

    Examples
    --------
    >>> design(np.array([0, 1]), 1, t0=0, weekday=True, yearly=False, trend=True).shape
    (2, 8)
    """
    days = np.asarray(days, dtype="int64")
    cols = [np.ones(days.size)]
    if weekday:
        dow = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
        cols += [(dow == k).astype("float64") for k in range(1, 7)]
    if yearly:
        phase = _year_phase(days + (step - 1) // 2)
        for k in range(1, HARMONICS + 1):
            cols += [np.sin(2 * np.pi * k * phase), np.cos(2 * np.pi * k * phase)]
    if trend:
        cols.append((days - t0) / 365.25)
    return np.column_stack(cols)


@dataclass
class CountFit:
    """A fitted count model for one series.

    Attributes
    ----------
    kind : str
        ``"seasonal"`` (weekday, yearly cycle and trend), ``"local"`` (weekday and level
        from the recent weeks), ``"constant"`` (a rate) or ``"zero"``.
    params, cov : ndarray or None
        Coefficients and their covariance (``"seasonal"`` and ``"local"``).
    alpha : float
        Negative-binomial dispersion (0: Poisson).
    terms : dict
        The arguments of :func:`design` the coefficients belong to.
    count, exposure : float
        Admissions and periods behind a ``"constant"`` rate.
    """

    kind: str
    params: np.ndarray | None = None
    cov: np.ndarray | None = None
    alpha: float = 0.0
    terms: dict | None = None
    count: float = 0.0
    exposure: float = 1.0

    def mean(self, days: np.ndarray, step: int) -> np.ndarray:
        """The point forecast (the fitted mean) for periods starting on ``days``."""
        days = np.asarray(days, dtype="int64")
        if self.kind == "zero":
            return np.zeros(days.size)
        if self.kind == "constant":
            return np.full(days.size, self.count / self.exposure)
        eta = design(days, step, **self.terms) @ self.params
        return np.exp(np.minimum(eta, _ETA_MAX))


def fit_counts(y: np.ndarray, days: np.ndarray, step: int, sm) -> CountFit:
    """Fit the model of the module to one series (see the module for the rules).

    Parameters
    ----------
    y : ndarray
        Admissions per period, oldest first, ending at the as-of date.
    days : ndarray of int
        First day of each period.
    step : int
        Days per period (1 or 7).
    sm : module
        ``statsmodels.api``.

    Returns
    -------
    CountFit
        The fitted model.
    """
    y = np.asarray(y, dtype="float64")
    days = np.asarray(days, dtype="int64")
    span = y.size * step
    yearly = span >= YEARLY_MIN_DAYS
    keep = (FIT_WINDOW_DAYS if yearly else LOCAL_LEVEL_DAYS) // step
    y, days = y[-keep:], days[-keep:]
    total = float(y.sum())
    if total == 0:
        return CountFit("zero")
    if total < SPARSE_COUNT:
        return CountFit("constant", count=total, exposure=float(y.size))
    terms = {"t0": int(days[-1]), "weekday": step == 1, "yearly": yearly, "trend": yearly}
    x = design(days, step, **terms)
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    with warnings.catch_warnings(), np.errstate(over="ignore", divide="ignore",
                                                invalid="ignore"):
        # a series whose weekday is always empty (a ward closed at weekends) has a
        # coefficient heading to -inf: IRLS stops near it (a forecast of ~0 that day) and
        # says so; a fit that is not finite falls back to a constant rate below
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        res = sm.GLM(y, x, family=sm.families.Poisson()).fit()
        mu = res.mu
        n, p = x.shape
        alpha = float(np.sum(((y - mu) ** 2 - y) / mu**2) / max(n - p, 1))
        alpha = max(alpha, 0.0)
        if alpha > 1e-6:
            res = sm.GLM(y, x, family=sm.families.NegativeBinomial(alpha=alpha)).fit()
        else:
            alpha = 0.0
        params = np.asarray(res.params, dtype="float64")
        cov = np.asarray(res.cov_params(), dtype="float64")
    if not (np.isfinite(params).all() and np.isfinite(cov).all()):
        return CountFit("constant", count=total, exposure=float(y.size))
    kind = "seasonal" if yearly else "local"
    return CountFit(kind, params=params, cov=cov, alpha=alpha, terms=terms)


def _normal_draws(mean: np.ndarray, cov: np.ndarray, n: int, rng) -> np.ndarray:
    """Draws from N(mean, cov) by the symmetric square root (tolerates a singular cov)."""
    w, v = np.linalg.eigh((cov + cov.T) / 2)
    root = v * np.sqrt(np.clip(w, 0.0, None))
    return mean + rng.standard_normal((n, mean.size)) @ root.T


def simulate_rates(
    fit: CountFit, days: np.ndarray, step: int, n_sims: int, rng: np.random.Generator
) -> np.ndarray:
    """Draws of the Poisson rate of each future period, shape ``(n_sims, len(days))``.

    Counts drawn as ``rng.poisson(rates)`` follow the model's predictive distribution:
    negative binomial around the mean, widened by the uncertainty of the coefficients.

    Parameters
    ----------
    fit : CountFit
        The fitted model.
    days : ndarray of int
        First day of each future period.
    step : int
        Days per period.
    n_sims : int
        Number of draws.
    rng : numpy.random.Generator
        The random source.

    Returns
    -------
    ndarray of float64
        Rates per draw and period.
    """
    days = np.asarray(days, dtype="int64")
    h = days.size
    if fit.kind == "zero":
        return np.zeros((n_sims, h))
    if fit.kind == "constant":
        rate = rng.gamma(fit.count + 0.5, 1.0 / fit.exposure, size=(n_sims, 1))
        return np.repeat(rate, h, axis=1)
    x = design(days, step, **fit.terms)
    beta = _normal_draws(fit.params, fit.cov, n_sims, rng)
    mu = np.exp(np.minimum(beta @ x.T, _ETA_MAX))
    if fit.alpha > 0:
        shape = 1.0 / fit.alpha
        return rng.gamma(shape, 1.0, size=mu.shape) * (mu / shape)
    return mu
