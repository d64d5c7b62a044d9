"""Forecasts: the Kaplan-Meier kernel, the census of current patients and arrivals, the
admissions model, the backtest, the accessor methods and the chart.

Known answers come from hand-made stays (fixed lengths of stay: the census falls exactly
as the stays end), from hand-computed Kaplan-Meier tables, from statsmodels'
``SurvfuncRight``, from a brute-force product-limit twin and from an exact
Poisson-binomial distribution.
"""

from __future__ import annotations

import importlib.util
import inspect
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hospitalytics as hp
from hospitalytics.accessor import HospitalAccessor
from hospitalytics.analysis import _survival, forecast
from hospitalytics.errors import ArgumentError, DataQualityError, DataQualityWarning

needs_statsmodels = pytest.mark.skipif(
    importlib.util.find_spec("statsmodels") is None, reason="statsmodels not installed"
)


@pytest.fixture(scope="module")
def sample():
    return hp.datasets.load_sample()


@pytest.fixture(scope="module")
def beds():
    return hp.datasets.load_sample_beds()


def fixed_los_frame(los=5, n_done=60, ages=(0, 1, 2, 3), as_of="2025-04-10", ward=None,
                    lead=40):
    """``n_done`` discharged stays of exactly ``los`` days, one a day from ``n_done +
    lead`` days before the as-of date, then open stays of the given ages (days since
    admission) on the as-of date."""
    start = pd.Timestamp(as_of) - pd.Timedelta(days=n_done + lead)
    adm = start + pd.to_timedelta(np.arange(n_done), unit="D") + pd.Timedelta(hours=9)
    done = pd.DataFrame({"admission_date": adm, "discharge_date": adm + pd.Timedelta(days=los)})
    open_adm = pd.Timestamp(as_of) - pd.to_timedelta(list(ages), unit="D")
    still = pd.DataFrame({"admission_date": open_adm + pd.Timedelta(hours=10),
                          "discharge_date": pd.NaT})
    out = pd.concat([done, still], ignore_index=True)
    if ward is not None:
        out["ward"] = ward
    return out


def extract_at(df, as_of):
    """The frame as an extract taken at the end of ``as_of`` would have it."""
    limit = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    out = df[df["admission_date"] < limit].copy()
    out.loc[out["discharge_date"] >= limit, "discharge_date"] = pd.NaT
    return out


# ----------------------------------------------------------------------- Kaplan-Meier
def test_kaplan_meier_hand_example():
    # lengths 1, 1, 2, 4 and one censored at 3 (still in after 3 days):
    # t=1: 5 at risk, 2 out -> 3/5; t=2: 3 at risk, 1 out -> 2/5; t=3: 2 at risk, none
    # out (the censored one leaves the risk set after 3); t=4: 1 at risk, 1 out -> 0
    s = _survival.kaplan_meier(np.array([1, 1, 2, 3, 4]), np.array([1, 1, 1, 0, 1], bool))
    np.testing.assert_allclose(s, [1.0, 0.6, 0.4, 0.4, 0.0])


def test_kaplan_meier_ties_of_events_and_censoring():
    # at t=2 one discharge and one censoring: both are at risk at 2 (events first)
    s = _survival.kaplan_meier(np.array([2, 2, 3, 5]), np.array([1, 0, 1, 0], bool))
    # t=2: 4 at risk, 1 out -> 3/4; t=3: 2 at risk, 1 out -> 3/4 * 1/2 = 3/8
    np.testing.assert_allclose(s, [1, 1, 0.75, 0.375, 0.375, 0.375])


def test_event_table_counts():
    d, n = _survival.event_table(np.array([0, 0, 1, 3]), np.array([1, 0, 1, 1], bool),
                                 np.array([0, 1, 1, 0]), 2, 4)
    assert d.tolist() == [[1, 0, 0, 1], [0, 1, 0, 0]]
    assert n.tolist() == [[2, 1, 1, 1], [2, 1, 0, 0]]


def _slow_kaplan_meier(durations, observed):
    """The product-limit estimator written the obvious way, one time at a time."""
    out, s = [], 1.0
    for t in range(max(durations) + 1):
        at_risk = sum(1 for d in durations if d >= t)
        out_t = sum(1 for d, o in zip(durations, observed, strict=True) if d == t and o)
        if at_risk:
            s *= 1 - out_t / at_risk
        out.append(s)
    return out


@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=60))
def test_kaplan_meier_matches_the_slow_twin(pairs):
    durations = [d for d, _ in pairs]
    observed = [o for _, o in pairs]
    fast = _survival.kaplan_meier(np.array(durations), np.array(observed, dtype=bool))
    np.testing.assert_allclose(fast, _slow_kaplan_meier(durations, observed), atol=1e-12)


@needs_statsmodels
def test_kaplan_meier_matches_statsmodels():
    from statsmodels.duration.survfunc import SurvfuncRight

    rng = np.random.default_rng(7)
    los = rng.geometric(0.2, 400) - 1
    censor = rng.integers(0, 25, 400)
    durations = np.minimum(los, censor)
    observed = los <= censor
    ours = _survival.kaplan_meier(durations, observed)
    sf = SurvfuncRight(durations, observed.astype(int))
    # statsmodels gives S just after each event time; S is flat in between
    idx = np.searchsorted(sf.surv_times, np.arange(ours.size), side="right") - 1
    theirs = np.where(idx >= 0, sf.surv_prob[np.maximum(idx, 0)], 1.0)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_los_curves_pool_small_groups_and_use_their_own_otherwise():
    rng = np.random.default_rng(1)
    big = rng.integers(1, 10, 80)
    small = np.full(10, 30)  # ten very long stays: too few for a curve of their own
    dur = np.concatenate([big, small])
    codes = np.array([0] * 80 + [1] * 10)
    c = _survival.los_curves(dur, np.ones(90, bool), codes, 2, 40, min_stays=50,
                             min_at_risk=1)
    assert c.own.tolist() == [True, False] and c.n_stays.tolist() == [80, 10]
    own = _survival.kaplan_meier(big, np.ones(80, bool))
    pooled = _survival.kaplan_meier(dur, np.ones(90, bool))
    assert c.survival.shape == (2, 40)
    np.testing.assert_allclose(c.survival[0][: own.size], own)
    assert (c.survival[0][own.size:] == 0).all()
    np.testing.assert_allclose(c.survival[1][: pooled.size], pooled)


def test_los_curves_constant_hazard_tail():
    # 30 stays of 1 day, then a tail of 5 stays at risk from t=2 (fewer than min_at_risk
    # = 10): 2 discharges at t=3 and 1 at t=6; 2 censored at t=8.
    dur = np.array([1] * 30 + [3, 3, 6, 8, 8])
    obs = np.array([True] * 33 + [False, False])
    c = _survival.los_curves(dur, obs, np.zeros(35, int), 1, 12, min_stays=1, min_at_risk=10)
    # tail from t=2: discharges 3, days at risk 5 + 5 + 3 + 3 + 3 + 2 + 2 = 23 (t = 2..8)
    h = 3 / 23
    s1 = 5 / 35
    expected = [1.0, s1] + [s1 * (1 - h) ** k for k in range(1, 11)]
    np.testing.assert_allclose(c.survival[0], expected)


# --------------------------------------------------------------- current patients
def test_census_falls_exactly_as_fixed_stays_end():
    # every stay lasts 5 days; patients admitted 0..3 days before the as-of date leave
    # on days 5, 4, 3 and 2 after it: the census is 4, 3, 2, 1, 0, 0, exactly
    df = fixed_los_frame()
    fc = hp.forecast_census(df, 6, by=None, as_of="2025-04-10", arrivals=False, n_sims=200)
    assert fc["forecast"].tolist() == [4, 3, 2, 1, 0, 0]
    for col in ("lower_80", "upper_80", "lower_95", "upper_95", "current_patients"):
        assert fc[col].tolist() == [4, 3, 2, 1, 0, 0], col
    assert fc["new_admissions"].tolist() == [0.0] * 6
    assert hp.census(df, by=None, as_of="2025-04-10")["total"].iloc[-1] == 4


def test_census_by_ward_with_two_fixed_lengths():
    a = fixed_los_frame(los=3, ages=(0, 2), ward="A")
    b = fixed_los_frame(los=6, ages=(1, 4, 5), ward="B")
    df = pd.concat([a, b], ignore_index=True)
    fc = hp.forecast_census(df, 5, as_of="2025-04-10", arrivals=False, n_sims=200)
    wide = fc.pivot(index="date", columns="ward", values="forecast")
    # a patient of age a with a stay of L days is in on day T + k while a + k < L.
    # A (3 days): age 0 on days 1-2, age 2 already on its last night
    # B (6 days): age 1 on days 1-4, age 4 on day 1, age 5 on its last night
    assert wide["A"].tolist() == [1, 1, 0, 0, 0]
    assert wide["B"].tolist() == [2, 1, 1, 1, 0]


def test_current_patients_use_the_time_already_spent():
    # half the stays last 2 days, half 10: a patient already in for 3 days is one of the
    # long ones and stays on; a new one leaves after 2 days with probability about 1/2
    df = fixed_los_frame(los=2, n_done=60, ages=(), as_of="2025-04-10")
    long = fixed_los_frame(los=10, n_done=60, ages=(0, 3), as_of="2025-04-10")
    df = pd.concat([df, long], ignore_index=True)
    fc = hp.forecast_census(df, 8, by=None, as_of="2025-04-10", arrivals=False, n_sims=200)
    # Kaplan-Meier: 122 stays at risk at t=0 (the age-0 patient censored there), 121 at
    # t=1 and t=2, when the 60 short stays end: S(2) = 61/121, then flat until 10.
    # Age 3 (a long stay for sure): in on days 1-6. Age 0: S(1) = 1, then 61/121.
    r = 61 / 121
    expected = [2.0] + [1 + r] * 5 + [r, r]
    np.testing.assert_allclose(fc["current_patients"], expected)


def _poisson_binomial(p):
    pmf = np.array([1.0])
    for q in p:  # the slow, exact convolution
        pmf = np.convolve(pmf, [1 - q, q])
    return pmf


def test_bernoulli_census_matches_the_exact_poisson_binomial():
    p_day = np.array([0.9, 0.7, 0.5, 0.5, 0.2, 0.05])
    p = np.column_stack([p_day, p_day * 0.5, p_day * 0.2])
    draws = forecast._bernoulli_census(p, np.zeros(6, int), 1, 40_000,
                                       np.random.default_rng(3))
    for k in range(3):
        exact = np.cumsum(_poisson_binomial(p[:, k]))
        observed = np.array([(draws[0, :, k] <= x).mean() for x in range(exact.size)])
        assert np.abs(observed - exact).max() < 0.01, k
    # deterministic patients are exact
    sure = forecast._bernoulli_census(np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
                                      np.array([0, 1]), 2, 100, np.random.default_rng(0))
    assert sure[0].tolist() == [[1, 1, 0]] * 100 and sure[1].tolist() == [[1, 0, 0]] * 100


def test_input_frame_is_not_modified():
    df = fixed_los_frame()
    before = df.copy()
    hp.forecast_census(df, 3, by=None, arrivals=False, n_sims=100)
    pd.testing.assert_frame_equal(df, before)


# ---------------------------------------------------------------------- capacity
def test_more_beds_never_raise_the_chance_of_exceeding_them(sample):
    p = np.array([
        hp.forecast_census(sample, 10, by=None, beds=b, arrivals=False, n_sims=300)[
            "p_over_capacity"].to_numpy()
        for b in range(0, 45, 3)
    ])
    assert (np.diff(p, axis=0) <= 0).all()
    assert (p[0] == 1).all() or p[0].min() > 0.9  # no bed at all: always over


@needs_statsmodels
def test_capacity_probability_agrees_with_the_bounds(sample, beds):
    fc = hp.forecast_census(sample, 14, beds=beds, n_sims=500)
    assert (fc["p_over_capacity"].between(0, 1)).all()
    # with as many beds as the upper 95% bound, at most 2.5% of futures exceed them
    top = hp.forecast_census(sample, 14, by=None, beds=10_000, n_sims=500)
    assert (top["p_over_capacity"] == 0).all()
    total = hp.forecast_census(sample, 14, by=None, n_sims=500)
    for day in (0, 6, 13):  # beds = the upper 95% bound: at most 2.5% of futures above
        p = hp.forecast_census(sample, 14, by=None, beds=int(total["upper_95"].iloc[day]),
                               n_sims=500)
        assert p["p_over_capacity"].iloc[day] <= 0.025


def test_beds_naming_unknown_and_missing_wards_warn():
    df = pd.concat([fixed_los_frame(ward="A"), fixed_los_frame(ward="B")], ignore_index=True)
    with pytest.warns(DataQualityWarning, match=r"no beds were given for ward \['B'\].*"
                      r"beds names \['Z'\]"):
        fc = hp.forecast_census(df, 3, beds={"A": 3, "Z": 9}, arrivals=False, n_sims=100)
    assert fc.loc[fc["ward"] == "B", "p_over_capacity"].isna().all()
    assert fc.loc[fc["ward"] == "A", "beds"].tolist() == [3.0] * 3


def test_time_varying_beds_are_read_day_by_day():
    df = fixed_los_frame(ward="A")
    table = pd.DataFrame({"ward": ["A", "A"], "beds": [1, 5],
                          "valid_from": [None, "2025-04-13"], "valid_to": ["2025-04-12", None]})
    fc = hp.forecast_census(df, 4, beds=table, as_of="2025-04-10", arrivals=False, n_sims=100)
    assert fc["beds"].tolist() == [1, 1, 5, 5]
    # census 4, 3, 2, 1 against 1, 1, 5, 5 beds
    assert fc["p_over_capacity"].tolist() == [1.0, 1.0, 0.0, 0.0]


def test_a_number_of_beds_needs_by_none():
    with pytest.raises(ArgumentError, match="single number is the whole hospital"):
        hp.forecast_census(fixed_los_frame(ward="A"), 3, beds=10, arrivals=False)


# ------------------------------------------------------------------------ arrivals
@needs_statsmodels
def test_arrivals_are_thinned_by_the_length_of_stay():
    # every stay lasts exactly 2 days: an admission is in the census on its day and the
    # next, so the census from arrivals on day k is admissions(k) + admissions(k - 1)
    rng = np.random.default_rng(2)
    days = pd.date_range("2024-01-01", "2025-03-31")
    n = rng.poisson(6, days.size)
    adm = np.repeat(days.to_numpy(), n) + np.timedelta64(8, "h")
    df = pd.DataFrame({"admission_date": adm, "discharge_date": adm + np.timedelta64(2, "D")})
    df = extract_at(df, "2025-03-31")
    fa = hp.forecast_admissions(df, 10, n_sims=200)["forecast"].to_numpy()
    fc = hp.forecast_census(df, 10, by=None, n_sims=200)
    expected = fa + np.concatenate([[0.0], fa[:-1]])
    np.testing.assert_allclose(fc["new_admissions"], expected, rtol=1e-9)
    # the patients in on the as-of date: admitted that day (stay 1 more day) or before
    assert fc["current_patients"].iloc[0] == pytest.approx(n[-1])
    assert (fc["current_patients"].iloc[1:] == 0).all()


@needs_statsmodels
def test_as_of_reads_the_data_as_an_extract_of_that_day(sample):
    cut = "2025-06-30"
    a = hp.forecast_census(sample, 7, as_of=cut, n_sims=200)
    b = hp.forecast_census(extract_at(sample, cut), 7, n_sims=200)
    pd.testing.assert_frame_equal(a, b)
    assert str(a["date"].iloc[0].date()) == "2025-07-01"
    fa = hp.forecast_admissions(sample, 7, as_of=cut, by="ward", n_sims=200)
    fb = hp.forecast_admissions(extract_at(sample, cut), 7, by="ward", n_sims=200)
    pd.testing.assert_frame_equal(fa, fb)


@needs_statsmodels
def test_outlook_census_now_is_the_observed_census(sample, beds):
    out = forecast.forecast_outlook(sample, beds, horizon=7, n_sims=200)
    observed = hp.census(sample).iloc[-1]
    assert out.loc["total", "census_now"] == observed["total"]
    for ward in ("Medical 1", "Maternity"):
        assert out.loc[ward, "census_now"] == observed[ward]
    assert out.loc["total", "beds"] == beds["beds"].sum()
    fa = hp.forecast_admissions(sample, 7, n_sims=200)
    assert out.loc["total", "admissions"] == pytest.approx(fa["forecast"].sum())
    assert (out["admissions_lower"] <= out["admissions"]).all()
    assert (out["admissions"] <= out["admissions_upper"]).all()
    assert out["days_at_risk"].between(0, 7).all()


# ------------------------------------------------------------------- admissions
@needs_statsmodels
def test_admissions_forecast_shape_and_bounds(sample):
    fc = hp.forecast_admissions(sample, 21, level=(50, 80, 99), n_sims=500)
    assert list(fc.columns) == ["date", "forecast", "lower_50", "upper_50", "lower_80",
                                "upper_80", "lower_99", "upper_99"]
    assert fc["date"].diff().dropna().eq(pd.Timedelta(days=1)).all()
    assert (fc["lower_99"] <= fc["lower_80"]).all() and (fc["lower_80"] <= fc["lower_50"]).all()
    assert (fc["upper_50"] <= fc["upper_80"]).all() and (fc["upper_80"] <= fc["upper_99"]).all()
    assert fc.attrs["as_of"] == pd.Timestamp("2025-12-15")
    by = hp.forecast_admissions(sample, 7, by="ward", n_sims=200)
    assert len(by) == 7 * 12 and by["ward"].iloc[:12].tolist() == list(
        sample["ward"].cat.categories)


@needs_statsmodels
def test_admissions_model_learns_the_weekday_pattern():
    # make_stays draws admission days with weekday weights (Monday 1.12 ... Sunday 0.78)
    df = hp.datasets.make_stays(30_000, seed=4, start="2023-01-01", end="2025-12-31")
    fc = hp.forecast_admissions(df, 28, n_sims=200)
    by_day = fc.groupby(fc["date"].dt.day_of_week)["forecast"].mean()
    from hospitalytics.datasets._hospital import WEEKDAYS

    assert by_day[0] / by_day[6] == pytest.approx(WEEKDAYS[0] / WEEKDAYS[6], rel=0.08)
    assert by_day[2] / by_day[5] == pytest.approx(WEEKDAYS[2] / WEEKDAYS[5], rel=0.08)


@needs_statsmodels
def test_weekly_series_and_forecast(sample):
    s = forecast.admissions_series(sample, freq="W")
    assert s.index[-1] == pd.Timestamp("2025-12-09")  # the week ending on the as-of date
    daily = forecast.admissions_series(sample)
    assert s["total"].iloc[-1] == daily["total"].iloc[-7:].sum()
    fc = hp.forecast_admissions(sample, 4, freq="W", n_sims=200)
    assert fc["date"].tolist() == list(pd.date_range("2025-12-16", periods=4, freq="7D"))
    assert fc["forecast"].between(400, 560).all()  # the last year: 397-522 a week


def test_admissions_series_by_group_adds_up(sample):
    s = forecast.admissions_series(sample, by="department")
    assert (s.drop(columns="total").sum(axis=1) == s["total"]).all()
    assert s["total"].sum() == hp.admissions(sample)


@needs_statsmodels
def test_sparse_and_empty_groups_get_constant_or_zero_forecasts():
    df = fixed_los_frame(n_done=200, ward="big")
    few = fixed_los_frame(n_done=10, ages=(), ward="few")
    df = pd.concat([df, few], ignore_index=True)
    df["ward"] = pd.Categorical(df["ward"], categories=["big", "few", "none"])
    fc = hp.forecast_admissions(df, 5, by="ward", n_sims=200)
    none = fc[fc["ward"] == "none"]
    assert (none[["forecast", "lower_95", "upper_95"]] == 0).all().all()
    # fewer than 30 admissions: a constant rate, 10 in the last 84 days (under a year of
    # history, the level is learnt from the last 12 weeks)
    few_rate = fc.loc[fc["ward"] == "few", "forecast"]
    assert few_rate.tolist() == pytest.approx([10 / 84] * 5)


# ------------------------------------------------------------------------- errors
@needs_statsmodels
def test_too_short_history_names_what_is_needed():
    df = fixed_los_frame(n_done=20, lead=11)  # admissions over 32 days
    with pytest.raises(DataQualityError,
                       match=r"at least 56 days of admissions.*has 32 \(from 2025-03-10"):
        hp.forecast_admissions(df)
    with pytest.raises(DataQualityError, match="at least 56 days"):
        hp.forecast_census(df, by=None)
    # the patients already in need no history of admissions
    assert len(hp.forecast_census(df, 3, by=None, arrivals=False, n_sims=100)) == 3


def test_no_discharge_means_no_length_of_stay():
    df = pd.DataFrame({"admission_date": pd.to_datetime(["2025-01-01", "2025-01-02"]),
                       "discharge_date": pd.NaT})
    with pytest.raises(DataQualityError, match="no stay was discharged"):
        hp.forecast_census(df, by=None, arrivals=False)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"horizon": 0}, "horizon must be a positive whole number"),
    ({"horizon": 400}, "more than a year ahead"),
    ({"level": 100}, "between 0 and 100"),
    ({"level": ()}, "between 0 and 100"),
    ({"n_sims": 10}, "at least 100"),
    ({"by": ["ward", "department"]}, "one grouping role"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        hp.forecast_census(fixed_los_frame(ward="A"), **{"arrivals": False} | kwargs)


@needs_statsmodels
def test_bad_freq_and_target(sample):
    with pytest.raises(ArgumentError, match="freq must be 'D'"):
        hp.forecast_admissions(sample, freq="M")
    with pytest.raises(ArgumentError, match="target must be"):
        hp.backtest(sample, target="beds")
    with pytest.raises(ArgumentError, match="by day"):
        hp.backtest(sample, target="census", freq="W")


def test_as_of_after_the_data_warns():
    df = fixed_los_frame(ages=(1, 2))
    with pytest.warns(DataQualityWarning, match="1 day.* after the last date"):
        hp.forecast_census(df, 2, by=None, as_of="2025-04-10", arrivals=False, n_sims=100)


@needs_statsmodels
def test_admissions_that_stop_before_the_as_of_date_warn(sample):
    # a long stay discharged a month after the last admission moves the as-of date
    late = pd.DataFrame({"admission_date": [pd.Timestamp("2025-11-01")],
                         "discharge_date": [pd.Timestamp("2026-01-20")]})
    df = pd.concat([sample[["admission_date", "discharge_date"]], late], ignore_index=True)
    with pytest.warns(DataQualityWarning, match=r"last admission is on 2025-12-15, 36 days "
                      r"before the as-of date 2026-01-20.*as_of='2025-12-15'"):
        hp.forecast_admissions(df, 7, n_sims=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hp.forecast_admissions(df, 7, as_of="2025-12-15", n_sims=100)


def test_import_does_not_load_statsmodels():
    code = ("import sys, hospitalytics, hospitalytics.analysis; "
            "sys.exit(1 if 'statsmodels' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_missing_statsmodels_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "statsmodels.api", None)
    df = fixed_los_frame(n_done=80)
    with pytest.raises(ImportError, match=r'pip install "hospitalytics\[forecast\]"'):
        hp.forecast_admissions(df)
    assert len(hp.forecast_census(df, 2, by=None, arrivals=False, n_sims=100)) == 2


# ------------------------------------------------------------------------ backtest
def test_seasonal_naive_repeats_the_last_week():
    hist = np.arange(21)[None, :]
    point, sample = forecast._seasonal_naive(hist, 10, 7, 365)
    assert point[0].tolist() == [14, 15, 16, 17, 18, 19, 20, 14, 15, 16]
    # errors of a lag of 7 on a straight line are all 7; of 14 all 14
    assert set(np.unique(sample[0, :, :7] - point[0, :7])) == {7}
    assert set(np.unique(sample[0, :, 7:] - point[0, 7:])) == {14}


def test_pit_coverage_of_a_calibrated_discrete_forecast():
    # outcomes drawn from the forecast distribution itself: coverage averages the level
    rng = np.random.default_rng(5)
    sample = rng.poisson(1.5, (1, 4000, 1))
    actual = rng.poisson(1.5, (1, 3000))
    cover = np.concatenate([forecast._pit_coverage(sample, actual[:, [i]], 80).ravel()
                            for i in range(actual.shape[1])])
    assert cover.mean() == pytest.approx(0.8, abs=0.02)


@needs_statsmodels
def test_backtest_scores_and_details(sample):
    scores = hp.backtest(sample, horizon=14, origins=2, n_sims=200)
    assert scores.columns.tolist() == ["mase", "rmsse", "coverage_80", "coverage_95",
                                       "pit_coverage_80", "pit_coverage_95", "origins",
                                       "series", "forecasts"]
    assert scores["forecasts"].tolist() == [28, 28, 28]
    rows = hp.backtest(sample, horizon=14, origins=2, n_sims=200, details=True)
    assert len(rows) == 3 * 28
    model = rows[rows["method"] == "model"]
    actual = forecast.admissions_series(sample)["total"]
    assert model["actual"].tolist() == actual.loc[model["date"]].tolist()
    # the scores are the means of the rows
    hits = (model["actual"] >= model["lower_80"]) & (model["actual"] <= model["upper_80"])
    assert scores.loc["model", "coverage_80"] == pytest.approx(hits.mean())
    naive = rows[rows["method"] == "seasonal_naive"]
    assert naive["forecast"].tolist() == actual.shift(7).loc[naive["date"]].tolist()[:7] + \
        actual.shift(14).loc[naive["date"]].tolist()[7:14] + \
        actual.shift(7).loc[naive["date"]].tolist()[14:21] + \
        actual.shift(14).loc[naive["date"]].tolist()[21:]


@needs_statsmodels
def test_backtest_census_target(sample):
    rows = hp.backtest(sample, target="census", by="ward", horizon=7, origins=1, n_sims=200,
                       details=True)
    observed = hp.census(sample)
    model = rows[rows["method"] == "model"]
    for ward in ("Medical 1", "Cardio A"):
        part = model[model["ward"] == ward]
        assert part["actual"].tolist() == observed.loc[part["date"], ward].tolist()


@needs_statsmodels
def test_backtest_too_short_says_how_much_is_needed(sample):
    with pytest.raises(DataQualityError, match=r"needs at least \d+ days.*fewer origins"):
        hp.backtest(sample, horizon=28, origins=40)


# ------------------------------------------------------------------------ accessor
def test_forecast_names_are_exported():
    # changing the public surface must be deliberate: these names are pinned
    assert {"forecast_admissions", "forecast_census", "backtest"} <= set(hp.__all__)
    assert {"admissions_series", "backtest", "forecast_admissions", "forecast_census",
            "forecast_outlook"} <= set(hp.analysis.__all__)
    assert hp.forecast_census is forecast.forecast_census



@pytest.mark.parametrize("name", ["forecast_admissions", "forecast_census", "backtest"])
def test_accessor_methods_mirror_the_functions(name):
    fn = getattr(hp, name)
    method = getattr(HospitalAccessor, name)
    assert f"hospitalytics.{name}" in inspect.getdoc(method)
    fn_params = list(inspect.signature(fn).parameters.values())[1:]
    m_params = list(inspect.signature(method).parameters.values())[1:]
    assert [(p.name, p.kind, p.default) for p in m_params] == [
        (p.name, p.kind, p.default) for p in fn_params
    ]


def test_accessor_gives_the_same_result():
    df = fixed_los_frame()
    pd.testing.assert_frame_equal(
        df.hospital.forecast_census(4, by=None, arrivals=False, n_sims=100),
        hp.forecast_census(df, 4, by=None, arrivals=False, n_sims=100),
    )


# --------------------------------------------------------------------------- chart
@needs_statsmodels
def test_forecast_chart_draws_history_bands_and_beds(sample, beds):
    from hospitalytics import plots

    ax = plots.forecast(sample, group="Medical 1", beds=beds, horizon=14, history=30)
    observed = ax.get_lines()[0]
    census = hp.census(sample)["Medical 1"]
    assert list(observed.get_ydata()) == census.iloc[-30:].tolist()
    fc = hp.forecast_census(sample, 14, beds=beds)
    fc = fc[fc["ward"] == "Medical 1"]
    line = ax.get_lines()[1]
    np.testing.assert_allclose(line.get_ydata()[1:], fc["forecast"])
    assert len(ax.collections) == 2  # the 95% and 80% bands
    cap = [ln for ln in ax.get_lines() if ln.get_label() == "Beds available"][0]
    medical_beds = beds.set_index("ward").loc["Medical 1", "beds"]
    assert set(cap.get_ydata()) == {medical_beds}
    texts = " ".join(t.get_text() for t in ax.texts)
    top = fc["p_over_capacity"].max()
    assert f"at most {top:.0%} a day" in texts
    with pytest.raises(ArgumentError, match="not a ward of the data"):
        plots.forecast(sample, group="Nowhere")


@needs_statsmodels
def test_forecast_chart_of_admissions_and_the_plot_accessor(sample):
    from hospitalytics import plots

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = sample.hospital.plot.forecast(kind="admissions", horizon=7, level=80)
    assert len(ax.collections) == 1
    assert ax.get_ylabel() == "Admissions per day"
    with pytest.raises(ArgumentError, match="beds= is for kind='census'"):
        plots.forecast(sample, kind="admissions", beds={"A": 1})


def test_forecast_chart_honours_definitions():
    """A same-day stay occupies its day only under day_case_bed_day: the history shows it."""
    from hospitalytics import plots

    days = pd.date_range("2024-01-01", periods=90, freq="D")
    df = pd.DataFrame({
        "patient_id": np.arange(180),
        "admission_date": np.r_[days, days],
        # one two-night stay and one same-day stay a day
        "discharge_date": np.r_[days + pd.Timedelta(days=2), days],
    })
    ax = plots.forecast(df, horizon=7, history=10, as_of="2024-03-20")
    observed = ax.lines[0].get_ydata()
    ax2 = plots.forecast(df, horizon=7, history=10, as_of="2024-03-20",
                         definitions=hp.Definitions(day_case_bed_day=True))
    observed2 = ax2.lines[0].get_ydata()
    # by hand: two two-night stays in at each midnight; the same-day stay adds one
    assert observed[-1] == 2
    assert observed2[-1] == 3
    with pytest.raises(ArgumentError, match="definitions"):
        plots.forecast(df, kind="admissions", horizon=7, definitions="nonsense")


# ------------------------------------------------------------------ managed beds
def test_level_forecast_of_a_constant_census_is_exact():
    mean, draws = forecast._level_forecast(np.full(120, 17.0), np.zeros(130), 10, 300,
                                           np.random.default_rng(0))
    assert mean.tolist() == [17.0] * 10
    assert (draws == 17).all()
    # an expected seasonal change (here +0.5 a day) moves the forecast by as much, and
    # the past errors are counted against the forecast it moved
    base = 0.5 * np.arange(130)
    mean, draws = forecast._level_forecast(17.0 + base[:120], base, 10, 300,
                                           np.random.default_rng(0))
    np.testing.assert_allclose(mean, 17.0 + base[120:])
    assert (draws == np.rint(17.0 + base[120:])).all()


def test_level_forecast_of_a_step_counts_the_paths_across_it():
    # 60 days at 10, then 40 at 14: the last census (gain 1) has the smallest in-sample
    # error; its 5-day error paths from day t are 4 where the step falls in t+1 .. t+k
    # (k of the 95 paths at lag k) and 0 elsewhere; centred, they add 4 - 4k/95 or
    # -4k/95 (less than half a patient) to the forecast, 14
    recent = np.r_[np.full(60, 10.0), np.full(40, 14.0)]
    mean, draws = forecast._level_forecast(recent, np.zeros(105), 5, 2000,
                                           np.random.default_rng(1))
    k = np.arange(1, 6)
    assert mean.tolist() == [14.0] * 5
    assert set(np.unique(draws)) == {14, 18}
    np.testing.assert_allclose((draws == 18).mean(axis=0), k / 95, atol=0.02)


@needs_statsmodels
def test_managed_wards_get_the_level_forecast_and_independent_ones_do_not(sample):
    # the sample's wards are bed-managed: their census varies far less than independent
    # stays make it; forced off, the two-part model's 80% band is several times wider
    auto = hp.forecast_census(sample, 14, n_sims=300)
    off = hp.forecast_census(sample, 14, n_sims=300, managed=False)
    width = {name: (f["upper_80"] - f["lower_80"]).mean() for name, f in
             (("auto", auto), ("off", off))}
    assert width["auto"] * 2 < width["off"]
    np.testing.assert_allclose(auto["current_patients"], off["current_patients"])
    np.testing.assert_allclose(auto["forecast"],
                               auto["current_patients"] + auto["new_admissions"])
    # stays drawn independently (make_stays) are not managed: "auto" changes nothing
    free = hp.datasets.make_stays(4000, seed=2, start="2023-01-01", end="2024-12-31")
    pd.testing.assert_frame_equal(hp.forecast_census(free, 14, n_sims=200),
                                  hp.forecast_census(free, 14, n_sims=200, managed=False))
    assert not hp.forecast_census(free, 14, n_sims=200, managed=True).equals(
        hp.forecast_census(free, 14, n_sims=200, managed=False))


@needs_statsmodels
def test_managed_census_backtest_beats_seasonal_naive_with_calibrated_bands(sample):
    # the two-part model on the bed-managed sample: MASE 1.6 by ward against 1.2 for
    # seasonal naive, and bands holding every outcome
    s = hp.backtest(sample, target="census", by="ward", origins=3, n_sims=300)
    assert s.loc["model", "mase"] < s.loc["seasonal_naive", "mase"]
    assert 0.7 < s.loc["model", "pit_coverage_80"] < 0.9
    assert s.loc["model", "coverage_95"] < 0.99


@needs_statsmodels
def test_more_beds_never_raise_the_chance_of_exceeding_them_when_managed(sample):
    p = np.array([hp.forecast_census(sample, 7, by=None, beds=b, n_sims=200)[
        "p_over_capacity"].to_numpy() for b in range(240, 300, 6)])
    assert (np.diff(p, axis=0) <= 0).all() and p[0].max() > 0.5 and p[-1].max() < 0.5


def test_managed_must_be_true_false_or_auto():
    with pytest.raises(ArgumentError, match="managed must be True, False or 'auto'"):
        hp.forecast_census(fixed_los_frame(), 3, by=None, managed="yes")
