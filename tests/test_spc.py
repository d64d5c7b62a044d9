"""Tests of statistical process control (hospitalytics.analysis.spc and plots.spc_chart).

- series worked by hand (limits, screening, each rule, labels, assurance);
- cases transcribed from NHSRplotthedots' and qicharts2's own tests and reference
  outputs, each citing its file and commit;
- an obviously-correct slow twin of NHSRplotthedots' rules (its R functions transcribed
  loop for loop) against the vectorised rules on random series full of ties;
- properties: adding a constant shifts the mean and the limits and leaves the flags;
  scaling by a positive factor scales them; negating swaps the sides;
- kpi_spc and spc_signals against the public KPI functions; the plot through its artists.
"""

from __future__ import annotations

import importlib
import inspect
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from matplotlib.colors import to_rgba

import hospitalytics as hp
from hospitalytics.analysis import spc_signals
from hospitalytics.errors import ArgumentError, DataQualityWarning, SchemaError

# the module behind hospitalytics.analysis.spc (private: the function is public)
spc_mod = importlib.import_module("hospitalytics.analysis._spc")
FLAGS = ["outside", "shift", "trend", "two_in_three"]
SIDE = {"high": 1, "low": -1}

# Commits of the reference implementations the transcribed cases come from.
PTD = "nhs-r-community/NHSRplotthedots@050b07d7eacc011767532732f69b8fd7d6a28fd3"
QIC = "anhoej/qicharts2@1b9487ecb3938d25a8a04578464f960d3a064f64"


def quiet_spc(values, **kwargs):
    """spc without the short-segment warning (for the short transcribed vectors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return hp.spc(pd.Series(values, dtype="float64"), **kwargs)


def days(n, start="2020-01-02"):
    return pd.date_range(start, periods=n, freq="D")


@pytest.fixture(scope="module")
def sample():
    return hp.datasets.load_sample()


@pytest.fixture(scope="module")
def beds():
    return hp.datasets.load_sample_beds()


# --------------------------------------------------------------------- worked by hand
def test_xmr_by_hand_screening_outside_and_shift():
    # 10, 12 alternating (12 points), then 34.
    y = pd.Series([10, 12] * 6 + [34], index=pd.period_range("2024-01", periods=13, freq="M"))
    res = hp.spc(y, improvement="down")
    # mean = (6*10 + 6*12 + 34) / 13 = 166/13
    mean = 166 / 13
    # 12 moving ranges: eleven of 2 and |34 - 12| = 22; mean 44/12 = 3.667; 22 >= 3.267 *
    # 3.667 = 11.98 is screened out, leaving eleven 2s: mean moving range 2.
    assert res["mean"].to_numpy() == pytest.approx(np.full(13, mean))
    assert res["upl"].iloc[0] == pytest.approx(mean + 2.66 * 2)
    assert res["lpl"].iloc[0] == pytest.approx(mean - 2.66 * 2)
    assert res["sigma"].iloc[0] == pytest.approx(2.66 / 3 * 2)
    # 34 > upl (18.09): outside, high. The first 12 points are all below the mean (12.77):
    # a run of 12 on one side. No trend, and nothing between 2 and 3 sigma (9.22-16.32).
    assert res["outside"].tolist() == [False] * 12 + [True]
    assert res["shift"].tolist() == [True] * 12 + [False]
    assert not res["trend"].any() and not res["two_in_three"].any()
    assert res["side"].astype(str).tolist() == ["low"] * 12 + ["high"]
    # lower is better: the low run is improving, the high point concerning
    assert res["label"].astype(str).tolist() == (["special cause improving"] * 12
                                                 + ["special cause concerning"])
    assert res.attrs["variation"] == "special cause concerning"
    assert res.index.equals(y.index)


@pytest.mark.parametrize(("target", "improvement", "expected"), [
    (15, "down", "hit and miss"),  # lpl 7.45 < 15 < upl 18.09
    (20, "down", "consistently met"),  # every value the process gives is below 20
    (5, "down", "consistently failing"),
    (20, "up", "consistently failing"),
    (5, "up", "consistently met"),
])
def test_assurance_by_hand(target, improvement, expected):
    y = pd.Series([10, 12] * 6 + [34], dtype="float64")
    res = hp.spc(y, improvement=improvement, target=target)
    assert res.attrs["assurance"] == expected
    assert res.attrs["target"] == target


def test_trend_by_hand():
    y = [10, 18, 10, 18, 10, 11, 12, 13, 14, 15, 16, 17, 10, 18]
    res = hp.spc(pd.Series(y, dtype="float64"), improvement="up")
    # mean 192/14; moving ranges 8,8,8,8,1,1,1,1,1,1,1,7,8: mean 54/13, none screened
    assert res["mean"].iloc[0] == pytest.approx(192 / 14)
    assert res["upl"].iloc[0] == pytest.approx(192 / 14 + 2.66 * 54 / 13)
    # 10, 11, ..., 17: eight points each higher than the one before
    assert res["trend"].tolist() == [False] * 4 + [True] * 8 + [False] * 2
    assert not res["shift"].any() and not res["outside"].any()
    assert res["label"].astype(str).tolist() == (
        ["common cause"] * 4 + ["special cause improving"] * 8 + ["common cause"] * 2
    )


def test_two_in_three_by_hand():
    # Limits fixed on the first 12 points (10, 11 alternating): mean 10.5, moving range 1,
    # upl 13.16, 2-sigma line 10.5 + 2 * 2.66/3 = 12.27. Then 12.5, 11, 12.5: all three
    # above the mean, two of them between 2 and 3 sigma.
    y = pd.Series([10, 11] * 6 + [12.5, 11, 12.5])
    res = hp.spc(y, fix_after=12, improvement="up")
    assert res["mean"].iloc[-1] == pytest.approx(10.5)
    assert res["upl"].iloc[-1] == pytest.approx(10.5 + 2.66)
    assert res["two_in_three"].tolist() == [False] * 12 + [True, False, True]
    assert res["label"].astype(str).tolist()[-3:] == [
        "special cause improving", "common cause", "special cause improving"]
    # the same three points alone, without two beyond 2 sigma: nothing
    res2 = hp.spc(pd.Series([10, 11] * 6 + [12.5, 11, 12.0]), fix_after=12)
    assert not res2["two_in_three"].any()


def test_point_on_the_mean_breaks_a_shift():
    # mean 1: seven points above, but one of them exactly on the mean
    y = [2, 2, 2, 1, 2, 2, 2] + [0] * 7 + [2]
    res = quiet_spc(y)
    assert res["mean"].iloc[0] == 1
    assert not res["shift"].iloc[:7].any()
    assert res["shift"].iloc[7:14].all()  # seven zeros below


@pytest.mark.parametrize(("length", "shift", "trend"), [
    (5, [True] * 14 + [False], True),
    (8, [False] * 6 + [True] * 8 + [False], False),
])
def test_run_lengths_are_parameters(length, shift, trend):
    # mean -2/15: six points above it, eight below, then 0 above it again
    res = quiet_spc([1] * 6 + [-1] * 8 + [0], shift_length=length)
    assert res["mean"].iloc[0] == pytest.approx(-2 / 15)
    assert res["shift"].tolist() == shift
    # 0, 1, ..., 5: a run of six points rising
    assert quiet_spc(range(6), trend_length=length)["trend"].all() == trend


def test_p_chart_by_hand():
    idx = pd.period_range("2024-01", periods=14, freq="M")
    readm = pd.Series([12, 9, 11, 10, 14, 8, 9, 12, 10, 11, 13, 9, 30, 10], index=idx)
    n = pd.Series([120] * 13 + [60], index=idx)
    res = hp.spc(readm, chart="p", denominator=n, improvement="down")
    p = 168 / 1620  # pooled: sum of numerators over sum of denominators
    assert res["mean"].iloc[0] == pytest.approx(p)
    assert res["upl"].iloc[0] == pytest.approx(p + 3 * math.sqrt(p * (1 - p) / 120))
    assert res["upl"].iloc[-1] == pytest.approx(p + 3 * math.sqrt(p * (1 - p) / 60))
    assert res["lpl"].iloc[-1] == 0  # p - 3 sigma < 0: clipped
    assert res["value"].iloc[12] == 0.25 and res["outside"].iloc[12]
    assert res.loc["2025-01", "label"] == "special cause concerning"
    assert res["numerator"].tolist() == readm.tolist()
    assert res["denominator"].tolist() == n.tolist()


def test_u_and_c_charts_by_hand():
    y = pd.Series([3, 5, 2, 4, 6, 3, 4, 5, 2, 3, 4, 6, 3, 14], dtype="float64")
    c = hp.spc(y, chart="c")
    cbar = 64 / 14
    assert c["mean"].iloc[0] == pytest.approx(cbar)
    assert c["upl"].iloc[0] == pytest.approx(cbar + 3 * math.sqrt(cbar))
    assert c["lpl"].iloc[0] == 0  # 4.57 - 6.41 < 0
    assert c["outside"].tolist() == [False] * 13 + [True]
    bed_days = pd.Series([100.0] * 13 + [400.0])
    u = hp.spc(y, chart="u", denominator=bed_days)
    ubar = 64 / 1700
    assert u["mean"].iloc[0] == pytest.approx(ubar)
    assert u["upl"].iloc[-1] == pytest.approx(ubar + 3 * math.sqrt(ubar / 400))
    assert u["value"].iloc[-1] == pytest.approx(14 / 400)
    assert not u["outside"].iloc[-1]  # 14 per 400 bed-days is no outlier


def test_laney_prime_charts_against_the_formula():
    # Laney (2002), as in qicharts2's qic.pp/qic.up: z_i = (p_i - p) / sigma_i, sigma_z =
    # mean |z_i - z_{i-1}| / 1.128, limits p +/- 3 sigma_i sigma_z.
    num = [310, 280, 330, 295, 350, 270, 305, 320, 290, 340, 300, 315, 285, 360]
    den = [3000, 2900, 3100, 3050, 3200, 2800, 3000, 3100, 2950, 3150, 3000, 3050, 2900,
           3300]
    pbar = sum(num) / sum(den)
    sig = [math.sqrt(pbar * (1 - pbar) / n) for n in den]
    z = [(a / n - pbar) / s for a, n, s in zip(num, den, sig, strict=True)]
    mr = [abs(z[i] - z[i - 1]) for i in range(1, len(z))]
    sigma_z = sum(mr) / len(mr) / 1.128
    res = hp.spc(pd.Series(num), chart="pp", denominator=den, screen_outliers=False)
    assert res["upl"].tolist() == pytest.approx(
        [pbar + 3 * s * sigma_z for s in sig])
    assert res["sigma"].tolist() == pytest.approx([s * sigma_z for s in sig])
    up = hp.spc(pd.Series(num), chart="up", denominator=den, screen_outliers=False)
    sig_u = [math.sqrt(pbar / n) for n in den]
    zu = [(a / n - pbar) / s for a, n, s in zip(num, den, sig_u, strict=True)]
    sz = sum(abs(zu[i] - zu[i - 1]) for i in range(1, len(zu))) / (len(zu) - 1) / 1.128
    assert up["upl"].tolist() == pytest.approx([pbar + 3 * s * sz for s in sig_u])


def test_rebase_gives_each_segment_its_own_limits():
    rng = np.random.default_rng(7)
    idx = pd.date_range("2023-01-01", periods=30, freq="MS")
    y = pd.Series(np.r_[rng.normal(50, 5, 15), rng.normal(70, 5, 15)], index=idx)
    res = hp.spc(y, rebase="2024-04-01")
    assert res["segment"].tolist() == [0] * 15 + [1] * 15
    for seg, part in ((0, y.iloc[:15]), (1, y.iloc[15:])):
        alone = hp.spc(part)
        got = res[res["segment"] == seg]
        for col in ["mean", "lpl", "upl", *FLAGS]:
            assert got[col].tolist() == pytest.approx(alone[col].tolist()), col
    assert res.attrs["rebase"] == [pd.Timestamp("2024-04-01")]
    # a date between two points starts the segment at the next point
    assert hp.spc(y, rebase=["2024-03-15"])["segment"].tolist() == [0] * 15 + [1] * 15
    # with a PeriodIndex, the period containing the date
    yp = y.copy()
    yp.index = idx.to_period("M")
    assert hp.spc(yp, rebase="2024-04-20")["segment"].tolist() == [0] * 15 + [1] * 15


@pytest.mark.parametrize("date", ["2022-06-01", "2023-01-01", "2030-01-01"])
def test_rebase_outside_the_series_is_an_error(date):
    y = pd.Series(np.arange(20.0), index=pd.date_range("2023-01-01", periods=20, freq="MS"))
    with pytest.raises(ArgumentError, match="rebase date"):
        hp.spc(y, rebase=[date])


def test_a_one_point_segment_is_an_error():
    y = pd.Series(np.arange(20.0), index=pd.date_range("2023-01-01", periods=20, freq="MS"))
    with pytest.raises(ArgumentError, match="at least 2 points"):
        hp.spc(y, rebase=["2024-08-01"])


def test_fix_after_holds_the_baseline_limits():
    y = pd.Series(np.r_[np.tile([10.0, 12.0, 11.0], 5), [20.0, 21.0, 22.0]])
    res = hp.spc(y, fix_after=12)
    base = quiet_spc(y.iloc[:12])
    assert res["mean"].tolist() == pytest.approx([base["mean"].iloc[0]] * 18)
    assert res["upl"].tolist() == pytest.approx([base["upl"].iloc[0]] * 18)
    assert res["outside"].iloc[15:].all()
    with pytest.raises(ArgumentError, match="fix_after"):
        hp.spc(y, fix_after=6)


def test_short_segments_warn_as_trial_limits():
    with pytest.warns(DataQualityWarning, match="trial limits") as rec:
        hp.spc(pd.Series(np.arange(12.0)))
    assert rec[0].filename == __file__  # attributed to the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hp.spc(pd.Series(np.arange(13.0)))


def test_collapsed_and_chunky_limits_warn():
    flat = pd.Series([5.0] * 14 + [5.1], index=pd.period_range("2024-01", periods=15, freq="M"))
    with pytest.warns(DataQualityWarning, match="no variation") as rec:
        res = hp.spc(flat)
    assert rec[0].filename == __file__
    # the limits sit on the mean (5 + 0.1/15), so the last point is "outside"
    assert float(res["upl"].iloc[0]) == pytest.approx(5 + 0.1 / 15)
    assert bool(res["outside"].iloc[-1])
    # 8 of the 14 moving ranges are 0: chunky data (Wheeler)
    chunky = pd.Series([80.0] * 5 + [81.0, 80.0] * 2 + [80.0] * 4 + [81.0, 80.0])
    with pytest.warns(DataQualityWarning, match="8 of 14 moving ranges are 0"):
        hp.spc(chunky)
    # a count chart of the same values does not warn: its sigma comes from the mean
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hp.spc(flat.round(), chart="c")
        hp.spc(pd.Series([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1.0]))


def test_index_kept_and_input_not_mutated():
    for idx in (pd.date_range("2024-01-01", periods=15, freq="W-MON", name="week"),
                pd.period_range("2024-01", periods=15, freq="M", name="month"),
                pd.RangeIndex(15, name="n")):
        y = pd.Series(np.arange(15.0) % 4, index=idx, name="v")
        before = y.copy()
        res = hp.spc(y)
        assert res.index.equals(idx) and res.index.name == idx.name
        pd.testing.assert_series_equal(y, before)
    res = hp.spc(list(np.arange(15.0) % 4))
    assert res.index.equals(pd.RangeIndex(15))


def test_columns_and_dtypes():
    res = hp.spc(pd.Series(np.arange(15.0) % 4))
    assert res.columns.tolist() == ["value", "segment", "mean", "lpl", "upl", "sigma",
                                    *FLAGS, "special_cause", "side", "label"]
    assert res["label"].cat.categories.tolist() == list(hp.analysis.LABELS)
    assert res["side"].cat.categories.tolist() == ["high", "low"]
    assert res["special_cause"].tolist() == res[FLAGS].any(axis=1).tolist()
    p = hp.spc(pd.Series([1, 2] * 7), chart="p", denominator=[10] * 14)
    assert p.columns[:3].tolist() == ["value", "numerator", "denominator"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"series": pd.Series([], dtype="float64")}, "empty"),
    ({"series": pd.Series([1.0, np.nan, 2.0])}, "missing or infinite"),
    ({"series": pd.Series([1.0, 2.0], index=[2, 1])}, "increasing order"),
    ({"series": pd.Series([1.0, 2.0], index=[1, 1])}, "duplicate"),
    ({"series": pd.Series(["a", "b"])}, "numeric"),
    ({"series": pd.DataFrame({"a": [1.0]})}, "one series"),
    ({"chart": "x"}, "chart must be"),
    ({"improvement": "increase"}, "improvement must be"),
    ({"target": 3}, "needs improvement"),
    ({"target": "high", "improvement": "up"}, "target must be a number"),
    ({"shift_length": 1}, "shift_length"),
    ({"chart": "p"}, "needs denominator"),
    ({"chart": "xmr", "denominator": [1] * 4}, "takes no denominator"),
    ({"chart": "p", "denominator": [1, 1, 1]}, "3 values for 4 points"),
    ({"chart": "p", "denominator": pd.Series([5] * 4, index=[9, 8, 7, 6])}, "same index"),
    ({"chart": "u", "denominator": [5, 0, 5, 5]}, "positive"),
    ({"chart": "p", "denominator": [1, 1, 1, 1]}, "cannot exceed"),
    ({"series": pd.Series([1.0, -2.0, 3.0, 4.0]), "chart": "c"}, "not be negative"),
])
def test_bad_input_is_a_clear_error(kwargs, match):
    kwargs = {"series": pd.Series([1.0, 2.0, 3.0, 4.0])} | kwargs
    with pytest.raises(ArgumentError, match=match):
        hp.spc(kwargs.pop("series"), **kwargs)


# ------------------------------------------------- transcribed from NHSRplotthedots
# set.seed(123); rnorm(20) in R (the values NHSRplotthedots' tests use; the snapshot
# below prints the first four, and its limits pin the rest).
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499,
             0.46091621, -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383,
             0.40077145, 0.11068272, -0.55584113, 1.78691314, 0.49785048, -1.96661716,
             0.70135590, -0.47279141]


def test_nhsrplotthedots_spc_standard_snapshot():
    # tests/testthat/test-ptd_spc_standard.R "it returns expected values" and its
    # snapshot tests/testthat/_snaps/ptd_spc_standard.md, at PTD: r1, r2 (y[15] = 10,
    # screened), r3 (the same, screen_outliers = FALSE).
    x = pd.date_range("2020-01-02", periods=20, freq="D")
    r1 = hp.spc(pd.Series(RNORM_123, index=x))
    assert r1["mean"].iloc[0] == pytest.approx(0.1416238, abs=1e-7)
    assert r1["lpl"].iloc[0] == pytest.approx(-3.01138, abs=1e-5)
    assert r1["upl"].iloc[0] == pytest.approx(3.294627, abs=1e-6)
    rel = np.sign(r1["value"] - r1["mean"]).astype(int).tolist()
    assert rel[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    # summary snapshot (_snaps/ptd_spc.md): 20 points, all common cause
    assert (r1["label"] == "common cause").all()
    y2 = list(RNORM_123)
    y2[14] = 10
    r2 = hp.spc(pd.Series(y2, index=x))
    assert r2["mean"].iloc[0] == pytest.approx(0.6694159, abs=1e-7)
    assert r2["lpl"].iloc[0] == pytest.approx(-2.383666, abs=1e-6)
    assert r2["upl"].iloc[0] == pytest.approx(3.722497, abs=1e-6)
    r3 = hp.spc(pd.Series(y2, index=x), screen_outliers=False)
    assert r3["lpl"].iloc[0] == pytest.approx(-4.596625, abs=1e-6)
    assert r3["upl"].iloc[0] == pytest.approx(5.935457, abs=1e-6)
    rel2 = np.sign(r2["value"] - r2["mean"]).astype(int).tolist()
    assert rel2[:14] == [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]


def test_nhsrplotthedots_two_groups_of_ten():
    # tests/testthat/test-ptd_spc.R summary() with facet = rep(c(0, 1), each = 10) and its
    # snapshot _snaps/ptd_spc.md at PTD: mean/lpl/upl 0.0746/-2.60/2.75 and
    # 0.209/-3.28/3.70. A rebase at the 11th point gives each half the same limits.
    x = pd.date_range("2020-01-02", periods=20, freq="D")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        res = hp.spc(pd.Series(RNORM_123, index=x), rebase=[x[10]])
    first, second = res.iloc[0], res.iloc[-1]
    assert round(first["mean"], 4) == 0.0746
    assert (round(first["lpl"], 2), round(first["upl"], 2)) == (-2.60, 2.75)
    assert round(second["mean"], 3) == 0.209
    assert (round(second["lpl"], 2), round(second["upl"], 2)) == (-3.28, 3.70)


def test_nhsrplotthedots_deviations_vignette():
    # vignettes/deviations.Rmd at PTD: UPL 4.6, mean 1.94, LPL -0.72 (screened, default);
    # UPL 6.95, LPL -3.06 with screen_outliers = FALSE (the MDC Excel tools); the fifth
    # point is the one special cause (improvement, direction "increase").
    y = pd.Series([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1],
                  index=pd.date_range("2021-03-22", periods=18, freq="D"))
    res = hp.spc(y, improvement="up")
    assert [round(res[c].iloc[0], 2) for c in ("upl", "mean", "lpl")] == [4.6, 1.94, -0.72]
    assert res["label"].astype(str).tolist() == (
        ["common cause"] * 4 + ["special cause improving"] + ["common cause"] * 13)
    excel = hp.spc(y, improvement="up", screen_outliers=False)
    assert [round(excel[c].iloc[0], 2) for c in ("upl", "mean", "lpl")] == [6.95, 1.94, -3.06]


def test_nhsrplotthedots_two_in_three_needs_one_side():
    # tests/testthat/test-ptd_spc_standard.R "it only reports special cause for 2of3 points
    # close to the limits when they are on the same side of the mean", at PTD.
    y = np.array([1.0, -1.0] * 8)
    y[14], y[15] = 5.5, -5.5
    res = hp.spc(pd.Series(y, index=days(16, "2020-01-02")))
    assert res["label"].astype(str).tolist()[-2:] == ["common cause", "common cause"]


@pytest.mark.parametrize(("y", "expected"), [
    # tests/testthat/test-ptd_calculate_point_type.R, ptd_seven_point_trend() and
    # ptd_part_of_seven_trend(), at PTD: the points part of a 7-point trend
    (list(range(1, 7)), [0] * 6),
    ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
    (list(range(1, 8)), [1] * 7),
    ([2, *range(1, 8), 3], [0] + [1] * 7 + [0]),
    (list(range(7, 0, -1)), [1] * 7),
    ([2, *range(7, 0, -1), 3], [0] + [1] * 7 + [0]),
])
def test_nhsrplotthedots_seven_point_trend(y, expected):
    assert quiet_spc(y)["trend"].astype(int).tolist() == expected


@pytest.mark.parametrize(("rel", "expected"), [
    # ptd_seven_point_one_side_mean() composed with ptd_part_of_seven_trend(), at PTD
    ([1] * 6 + [-1], [0] * 7),
    ([1] * 8 + [-1], [1] * 8 + [0]),
    ([-1] * 8 + [1], [1] * 8 + [0]),
])
def test_nhsrplotthedots_seven_points_one_side(rel, expected):
    # values +/-1 around a mean that lies strictly between them
    assert quiet_spc(rel)["shift"].astype(int).tolist() == expected


@pytest.mark.parametrize(("improvement", "expected"), [
    # tests/testthat/test-ptd_calculate_assurance_type.R at PTD: limits (1, 3), (5, 7),
    # (1, 5) against target 4
    ("up", ["consistently failing", "consistently met", "hit and miss"]),
    ("down", ["consistently met", "consistently failing", "hit and miss"]),
    (None, [None, None, None]),
])
def test_nhsrplotthedots_assurance(improvement, expected):
    imp = {"up": 1, "down": -1, None: 0}[improvement]
    got = [spc_mod._assurance(lo, hi, 4, imp) for lo, hi in ((1, 3), (5, 7), (1, 5))]
    assert got == expected


# ------------------------------------------------------ transcribed from qicharts2
# Data: qicharts2 R/sysdata.rda (Montgomery's tables 7.4, 7.10 and 7.8); expected values:
# the reference outputs of tests/testthat/test_montgomery.R, at QIC.
MONTGOMERY_7_4 = {
    "size": [100, 80, 80, 100, 110, 110, 100, 100, 90, 90, 110, 120, 120, 120, 110, 80, 80,
             80, 90, 100, 100, 100, 100, 90, 90],
    "count": [12, 8, 6, 9, 10, 12, 11, 16, 10, 6, 20, 15, 9, 8, 6, 8, 10, 7, 5, 8, 5, 8, 10,
              6, 9],
}


def test_qicharts2_p_chart_table_7_4():
    # tbl_7.4_1.rds: qic(sample, count, size, data = tbl_07.04, chart = 'p')
    res = hp.spc(pd.Series(MONTGOMERY_7_4["count"]), chart="p",
                 denominator=MONTGOMERY_7_4["size"])
    assert res["mean"].iloc[0] == pytest.approx(0.09551020408163265, rel=1e-12)
    expected = {80: (0.0, 0.19409342051458195), 90: (0.0025650562804066107,
                                                     0.18845535188285867),
                100: (0.007334694727773067, 0.18368571343549223),
                110: (0.011438154625052752, 0.17958225353821256),
                120: (0.01501734492727154, 0.17600306323599374)}
    for n, lpl, upl in zip(res["denominator"], res["lpl"], res["upl"], strict=True):
        assert (lpl, upl) == pytest.approx(expected[int(n)], rel=1e-9, abs=1e-12)
    # sigma.signal: sample 11 only
    assert np.flatnonzero(res["outside"]).tolist() == [10]


def test_qicharts2_u_chart_example_7_4():
    # ex_7.4_1.rds: qic(sample, count, size, data = tbl_07.10, chart = 'u')
    count = [2, 3, 8, 1, 1, 4, 1, 4, 5, 1, 8, 2, 4, 3, 4, 1, 8, 3, 7, 4]
    res = hp.spc(pd.Series(count), chart="u", denominator=[50] * 20)
    assert res["mean"].iloc[0] == pytest.approx(0.074)
    assert res["upl"].tolist() == pytest.approx([0.1894123043700281] * 20, rel=1e-12)
    assert (res["lpl"] == 0).all()
    assert not res["outside"].any()


def test_qicharts2_c_chart_example_7_3():
    # ex_7.3_3.rds: qic(sample, count, data = tbl_07.08, chart = 'c', exclude = c(6, 20),
    # freeze = 26): the centre line from samples 1-26 without 6 and 20. Here: the series
    # without those two samples, limits fixed on its first 24 points.
    count = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39,
             30, 24, 16, 19, 17, 15, 16, 18, 12, 15, 24, 21, 28, 20, 25, 19, 18, 21, 16, 22,
             19, 12, 14, 9, 16, 21]
    kept = [c for i, c in enumerate(count) if i not in (5, 19)]
    res = hp.spc(pd.Series(kept), chart="c", fix_after=24)
    assert res["mean"].iloc[0] == pytest.approx(19.666666666666668, rel=1e-12)
    assert res["lpl"].iloc[0] == pytest.approx(6.3625319710165975, rel=1e-12)
    assert res["upl"].iloc[0] == pytest.approx(32.970801362316735, rel=1e-12)
    # the two excluded samples are the ones qicharts2 flags (sigma.signal): outside
    assert count[5] < res["lpl"].iloc[0] and count[19] > res["upl"].iloc[0]
    assert not res["outside"].any()


# -------------------------------------------- slow twin of NHSRplotthedots' rules
def _twin_labels(y, mean, lpl, upl, sigma, improvement):
    """NHSRplotthedots' R/ptd_calculate_point_type.R (at PTD), loop for loop.

    One documented difference: a point in a trend takes the direction of the latest
    7-point trend window that contains it (the R code takes the next step's direction
    whenever the next point is also in a trend, which is wrong after a tie or a drop
    between two trends).
    """
    n = len(y)
    sgn = lambda v: (v > 0) - (v < 0)  # noqa: E731
    rtm = [sgn(y[i] - mean[i]) for i in range(n)]
    outside = [y[i] > upl[i] or y[i] < lpl[i] for i in range(n)]
    # the 2-sigma lines (XmR: mean +/- 2 * (2.66 / 3) * mean moving range)
    nl = [mean[i] - 2 * sigma[i] for i in range(n)]
    nu = [mean[i] + 2 * sigma[i] for i in range(n)]
    close = [int(not outside[i] and (y[i] < nl[i] or y[i] > nu[i])) for i in range(n)]

    def part_of_seven(v):
        vp = list(v) + [0] * 6
        return [int(any(abs(vp[i + k]) == 1 for k in range(7))) for i in range(n)]

    one_side = []
    vp = [0] * 6 + rtm
    for i in range(n):
        j = i + 6
        one_side.append(int(all(vp[j] == vp[j - k] for k in range(1, 7)) and vp[j] != 0))
    trend_end = [0] * n
    for i in range(6, n):
        d = [sgn(y[i - k] - y[i - k - 1]) for k in range(6)]
        trend_end[i] = 1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0
    part_trend = part_of_seven(trend_end)
    part_shift = part_of_seven(one_side)
    cp, rp = [0, 0] + close + [0, 0], [0, 0] + rtm + [0, 0]
    two = []
    for i in range(n):
        hit = any(sum(cp[i + a:i + a + 3]) >= 2 and abs(sum(rp[i + a:i + a + 3])) == 3
                  for a in range(3))
        two.append(int(hit and close[i] == 1))
    labels, sides = [], []
    for i in range(n):
        if outside[i]:
            side = rtm[i]
        elif part_trend[i]:
            ends = [j for j in range(i, min(i + 7, n)) if trend_end[j] != 0]
            side = trend_end[max(ends)]
        elif two[i]:
            side = rtm[i]
        elif part_shift[i]:
            side = rtm[i]
        else:
            side = 0
        sides.append(side)
        if side == 0:
            labels.append("common cause")
        elif improvement == 0:
            labels.append("special cause neutral")
        else:
            labels.append("special cause improving" if side * improvement > 0
                          else "special cause concerning")
    flags = {"outside": outside, "trend": [bool(x) for x in part_trend],
             "two_in_three": [bool(x) for x in two], "shift": [bool(x) for x in part_shift]}
    return labels, sides, flags


def _twin_limits(y, screen=True):
    mean = sum(y) / len(y)
    mr = [abs(y[i] - y[i - 1]) for i in range(1, len(y))]
    amr = sum(mr) / len(mr)
    if screen and amr > 0:
        kept = [r for r in mr if r < 3.267 * amr]
        amr = sum(kept) / len(kept)
    return mean, mean - 2.66 * amr, mean + 2.66 * amr


small_series = st.lists(st.integers(0, 6), min_size=2, max_size=40)


@given(y=small_series, imp=st.sampled_from([None, "up", "down"]),
       screen=st.booleans())
def test_rules_match_the_slow_twin(y, imp, screen):
    res = quiet_spc(y, improvement=imp, screen_outliers=screen)
    mean, lpl, upl = _twin_limits([float(v) for v in y], screen)
    assert res["mean"].iloc[0] == pytest.approx(mean)
    assert res["lpl"].iloc[0] == pytest.approx(lpl)
    assert res["upl"].iloc[0] == pytest.approx(upl)
    assert res["sigma"].iloc[0] == pytest.approx((upl - mean) / 3)
    labels, sides, flags = _twin_labels([float(v) for v in y], res["mean"].tolist(),
                                        res["lpl"].tolist(), res["upl"].tolist(),
                                        res["sigma"].tolist(),
                                        {None: 0, "up": 1, "down": -1}[imp])
    assert res["label"].astype(str).tolist() == labels
    assert [SIDE.get(s, 0) for s in res["side"].tolist()] == sides
    for key, want in flags.items():
        assert res[key].tolist() == want, key


@given(y=st.lists(st.integers(1, 60), min_size=2, max_size=30),
       n=st.lists(st.integers(60, 200), min_size=30, max_size=30))
def test_p_chart_rules_match_the_slow_twin(y, n):
    n = n[:len(y)]
    res = quiet_spc(y, chart="p", denominator=n, improvement="down")
    p = sum(y) / sum(n)
    for i, (a, b) in enumerate(zip(y, n, strict=True)):
        s = math.sqrt(p * (1 - p) / b)
        assert res["upl"].iloc[i] == pytest.approx(min(p + 3 * s, 1.0))
        assert res["lpl"].iloc[i] == pytest.approx(max(p - 3 * s, 0.0))
        assert res["value"].iloc[i] == pytest.approx(a / b)
    # clipping the limits at 0 and 1 changes no flag: a proportion is never below 0 or
    # above 1, so the twin reads the clipped limits and the unclipped sigma
    labels, _sides, flags = _twin_labels(res["value"].tolist(), res["mean"].tolist(),
                                         res["lpl"].tolist(), res["upl"].tolist(),
                                         res["sigma"].tolist(), -1)
    assert res["label"].astype(str).tolist() == labels
    for key, want in flags.items():
        assert res[key].tolist() == want, key


def test_trend_direction_after_a_tie_is_its_own():
    # Two rising trends of 3 joined by a tie (4, 5, 6 | 6, 7, 8) inside wide limits.
    # NHSRplotthedots labels the first 6 "decreasing" (it takes the sign of the next
    # step, 0, as the point's direction); that point belongs to a rising trend only.
    y = [0, 10, 0, 10, 0, 10, 4, 5, 6, 6, 7, 8, 0, 10, 0]
    res = quiet_spc(y, trend_length=3, improvement="up")
    assert res["trend"].tolist() == [False] * 6 + [True] * 6 + [False] * 3
    assert not res[["outside", "shift", "two_in_three"]].any().any()
    assert res["side"].iloc[6:12].tolist() == ["high"] * 6
    assert (res["label"].iloc[6:12] == "special cause improving").all()


def test_a_peak_between_two_trends_takes_the_later_direction():
    # 4, 5, 6 rising then 6, 5, 4, 0 falling share the 6: as in NHSRplotthedots, a shared
    # point takes the direction of the trend that follows it.
    y = [0, 10, 0, 10, 0, 10, 4, 5, 6, 5, 4, 0, 10, 0, 10]
    res = quiet_spc(y, trend_length=3, improvement="up")
    assert res["trend"].tolist() == [False] * 6 + [True] * 6 + [False] * 3
    assert not res[["outside", "shift", "two_in_three"]].any().any()
    assert res["side"].iloc[6:12].tolist() == ["high", "high", "low", "low", "low", "low"]


# ----------------------------------------------------------------------- properties
def _clear_of_lines(res, eps=1e-6):
    """No point within eps of a limit or a 2-sigma line, nor near (but off) the mean.

    Integer series shifted by integers (or scaled by the factors used) sit exactly on
    the mean in both versions or in neither; a point a rounding error away from a limit
    could fall on either side of it, so such draws are skipped.
    """
    v = res["value"].to_numpy()
    scale = max(1.0, float(np.abs(v).max()))
    gap = np.abs(v - res["mean"].to_numpy())
    if ((gap > 0) & (gap < eps * scale)).any():
        return False
    m, s = res["mean"].to_numpy(), res["sigma"].to_numpy()
    for line in (res["lpl"].to_numpy(), res["upl"].to_numpy(), m - 2 * s, m + 2 * s):
        if (np.abs(v - line) < eps * scale).any():
            return False
    return True


@given(y=st.lists(st.integers(-50, 50), min_size=3, max_size=30),
       c=st.integers(-1000, 1000))
def test_adding_a_constant_shifts_mean_and_limits_and_keeps_flags(y, c):
    a = quiet_spc(y)
    b = quiet_spc([v + c for v in y])
    assume(_clear_of_lines(a) and _clear_of_lines(b))
    for col in ("mean", "lpl", "upl"):
        assert b[col].to_numpy() == pytest.approx(a[col].to_numpy() + c, abs=1e-9)
    assert b["sigma"].to_numpy() == pytest.approx(a["sigma"].to_numpy(), abs=1e-9)
    for col in [*FLAGS, "side", "label"]:
        assert b[col].tolist() == a[col].tolist(), col


@given(y=st.lists(st.integers(-50, 50), min_size=3, max_size=30),
       k=st.sampled_from([0.25, 0.5, 3.0, 7.0, 1000.0]))
def test_scaling_scales_mean_and_limits_and_keeps_flags(y, k):
    a = quiet_spc(y)
    b = quiet_spc([v * k for v in y])
    assume(_clear_of_lines(a) and _clear_of_lines(b))
    for col in ("mean", "lpl", "upl", "sigma"):
        assert b[col].to_numpy() == pytest.approx(a[col].to_numpy() * k, abs=1e-9)
    for col in [*FLAGS, "side", "label"]:
        assert b[col].tolist() == a[col].tolist(), col


@given(y=st.lists(st.integers(-50, 50), min_size=3, max_size=30))
def test_negating_swaps_sides_and_limits(y):
    a = quiet_spc(y, improvement="up")
    b = quiet_spc([-v for v in y], improvement="down")
    assume(_clear_of_lines(a) and _clear_of_lines(b))
    assert b["lpl"].to_numpy() == pytest.approx(-a["upl"].to_numpy(), abs=1e-9)
    for col in FLAGS:
        assert b[col].tolist() == a[col].tolist(), col
    assert [SIDE.get(s, 0) for s in b["side"]] == [-SIDE.get(s, 0) for s in a["side"]]
    assert b["label"].tolist() == a["label"].tolist()  # better is still better


def test_order_matters():
    # not a property: the same values in another order are another process
    y = [1, 2, 3, 4, 5, 6, 7, 4, 4, 4, 4, 4, 4, 4]
    assert quiet_spc(y)["trend"].any()
    assert not quiet_spc(sorted(y, key=lambda v: (v % 2, v)))["trend"].any()


# ----------------------------------------------------------------------- kpi_spc
def test_kpi_spc_admissions_monthly_are_monthly(sample):
    res = hp.kpi_spc(sample, "admissions")
    m = hp.monthly(sample)
    full = m[m["days"] == m.index.days_in_month]
    assert res["value"].tolist() == full["admissions"].astype(float).tolist()
    assert res.index.equals(full.index)
    assert res.attrs["excluded"] == ["2025-12-01: partial month (15 of 31 days)"]
    assert res.attrs["kpi"] == "admissions" and res.attrs["chart"] == "xmr"
    assert res.attrs["improvement"] is None and res.attrs["unit"] == "count"
    assert len(hp.kpi_spc(sample, "admissions", partial=True)) == len(m)


def test_kpi_spc_weekly_admissions_against_the_kpi(sample):
    res = hp.kpi_spc(sample, "admissions", freq="W")
    assert res.index.name == "week" and (res.index.day_of_week == 0).all()
    for week in res.index[[0, 10, 50, -1]]:
        sunday = week + pd.Timedelta(days=6)
        assert res.loc[week, "value"] == hp.admissions(sample, week, sunday)
    everything = hp.kpi_spc(sample, "admissions", freq="W", partial=True)
    assert everything["value"].sum() == hp.admissions(sample)
    assert len(everything) == len(res) + 2  # the partial first and last weeks
    assert [e.split(":")[1].strip() for e in res.attrs["excluded"]] == ["partial week"] * 2
    # a period starting on a Monday and ending on a Sunday has no partial week
    sub = hp.kpi_spc(sample, "admissions", freq="W", start="2024-01-01", end="2024-06-30")
    assert sub.attrs["excluded"] == [] and len(sub) == 26


def test_kpi_spc_alos_and_occupancy_are_monthly(sample, beds):
    m = hp.monthly(sample, beds)
    # complete months, less the data's first (Oct 2023: the stays admitted before the
    # extract are missing, so its census and discharges are understated)
    full = m[m["days"] == m.index.days_in_month].iloc[1:]
    assert m.index[0] == pd.Timestamp("2023-10-01")
    alos = hp.kpi_spc(sample, "alos")
    assert alos["value"].tolist() == pytest.approx(full["alos"].tolist())
    assert any("2023-10-01: first month of the data" in e for e in alos.attrs["excluded"])
    later = hp.kpi_spc(sample, "alos", start="2023-10-01")  # an explicit start keeps it
    assert later.index[0] == pd.Timestamp("2023-10-01")
    assert alos.attrs["improvement"] == "down"
    occ = hp.kpi_spc(sample, "occupancy", beds=beds)
    assert occ["value"].tolist() == pytest.approx(full["occupancy"].tolist())
    assert occ.attrs["unit"] == "fraction"
    with pytest.raises(ArgumentError, match="needs beds"):
        hp.kpi_spc(sample, "occupancy")


def test_kpi_spc_readmissions_are_a_p_chart_of_index_stays(sample):
    res = hp.kpi_spc(sample, "readmission_rate")
    assert res.attrs["chart"] == "p" and res.attrs["improvement"] == "down"
    m = hp.monthly(sample)
    for month in res.index[[0, 12, -1]]:
        end = month + pd.offsets.MonthEnd(0)
        rate = hp.readmission_rate(sample, month, end)
        assert res.loc[month, "denominator"] == m.loc[month, "discharges"]
        assert res.loc[month, "value"] == pytest.approx(rate)
    # as of 15 Dec 2025, November's 30-day follow-up is not over: left out, and said so
    assert res.index[-1] == pd.Timestamp("2025-10-01")
    assert any("2025-11-01: follow-up incomplete" in e for e in res.attrs["excluded"])
    shorter = hp.kpi_spc(sample, "readmission_rate", window=7)
    assert shorter.index[-1] == pd.Timestamp("2025-11-01")


def test_kpi_spc_passes_the_spc_options(sample):
    res = hp.kpi_spc(sample, "alos", improvement="up", target=4.5, rebase=["2024-11-01"],
                     shift_length=6, start="2023-10-01")
    alone = hp.spc(res["value"], improvement="up", target=4.5, rebase=["2024-11-01"],
                   shift_length=6)
    assert res["segment"].tolist() == [0] * 13 + [1] * 13
    for col in ["mean", "upl", *FLAGS, "label"]:
        assert res[col].tolist() == alone[col].tolist()
    assert res.attrs["assurance"] == alone.attrs["assurance"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kpi": "cost"}, "kpi must be"),
    ({"kpi": "alos", "freq": "W"}, "per month only"),
    ({"kpi": "admissions", "freq": "D"}, "freq must be"),
    ({"kpi": "admissions", "start": "2025-11-01"}, "complete period"),
])
def test_kpi_spc_bad_arguments(sample, kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        hp.kpi_spc(sample, **kwargs)


def test_kpi_spc_missing_columns_are_schema_errors(sample):
    with pytest.raises(SchemaError, match="patient_id"):
        hp.kpi_spc(sample.drop(columns="patient_id"), "readmission_rate")
    with pytest.raises(SchemaError, match="discharge_date"):
        hp.kpi_spc(sample.drop(columns="discharge_date"), "alos")


def test_accessor_spc_is_kpi_spc(sample):
    fn = list(inspect.signature(hp.kpi_spc).parameters.values())[1:]
    meth = list(inspect.signature(hp.HospitalAccessor.spc).parameters.values())[1:]
    assert [(p.name, p.kind, p.default) for p in meth] == [
        (p.name, p.kind, p.default) for p in fn]
    assert "hospitalytics.kpi_spc" in inspect.getdoc(hp.HospitalAccessor.spc)
    pd.testing.assert_frame_equal(sample.hospital.spc("alos"), hp.kpi_spc(sample, "alos"))


# ---------------------------------------------------------------------- spc_signals
def _stays_per_month(counts, start="2023-01-01"):
    """One-night stays: counts[i] admissions spread over month i (from start)."""
    rows = []
    for i, n in enumerate(counts):
        month = pd.Timestamp(start) + pd.DateOffset(months=i)
        dim = month.days_in_month
        for k in range(n):
            adm = month + pd.Timedelta(days=k % dim, hours=10)
            rows.append((adm, adm + pd.Timedelta(days=1)))
    return pd.DataFrame(rows, columns=["admission_date", "discharge_date"])


def test_spc_signals_flags_a_spike_in_the_latest_month():
    counts = [40, 44, 41, 43, 39, 42, 40, 45, 41, 43, 40, 42, 44, 41, 43, 42, 120]
    df = _stays_per_month(counts)
    sig = spc_signals(df)
    assert sig.index.tolist() == ["admissions", "alos", "readmission_rate"]
    adm = sig.loc["admissions"]
    # the last discharge, on 1 June 2024, makes June a partial month: left out
    assert adm["period"] == pd.Timestamp("2024-05-01")
    assert adm["value"] == 120 and adm["special_cause"]
    assert adm["label"] == "special cause neutral" and adm["rules"] == "outside the limits"
    assert not sig.loc["alos", "special_cause"]  # every stay is one night
    assert sig.loc["readmission_rate", "note"].startswith("not available")
    assert np.isnan(sig.loc["readmission_rate", "value"])


def test_spc_signals_sample(sample, beds):
    sig = spc_signals(sample, beds)
    assert sig.index.tolist() == ["admissions", "alos", "readmission_rate", "occupancy"]
    for kpi in sig.index:
        res = hp.kpi_spc(sample, kpi, beds=beds if kpi == "occupancy" else None)
        assert sig.loc[kpi, "period"] == res.index[-1]
        assert sig.loc[kpi, "value"] == pytest.approx(res["value"].iloc[-1])
        assert sig.loc[kpi, "label"] == res["label"].iloc[-1]
    assert sig["label"].cat.categories.tolist() == list(hp.analysis.LABELS)


def test_spc_signals_too_few_months():
    sig = spc_signals(_stays_per_month([10, 10]))
    assert "too few" in sig.loc["admissions", "note"]


# ---------------------------------------------------------------------------- plot
def _plot_frame():
    y = pd.Series([10, 12] * 6 + [34], index=pd.date_range("2024-01-01", periods=13,
                                                           freq="MS"))
    return hp.spc(y, improvement="down", target=15)


def test_spc_chart_draws_points_by_label():
    from hospitalytics import plots

    res = _plot_frame()
    ax = plots.spc_chart(res)
    colours = {}
    for coll in ax.collections:
        offsets, fcs = coll.get_offsets(), coll.get_facecolors()
        fcs = np.repeat(fcs, len(offsets), axis=0) if len(fcs) == 1 else fcs
        for xy, fc in zip(offsets, fcs, strict=True):
            colours[round(float(xy[1]), 6)] = tuple(np.round(fc, 4))
    blue = tuple(np.round(to_rgba(plots.SPC_COLORS["special cause improving"]), 4))
    orange = tuple(np.round(to_rgba(plots.SPC_COLORS["special cause concerning"]), 4))
    assert colours[34.0] == orange and colours[10.0] == blue and colours[12.0] == blue
    assert sum(len(c.get_offsets()) for c in ax.collections) == 13
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert sorted(round(float(ln.get_ydata()[0]), 6) for ln in dashed) == sorted(
        round(float(res[c].iloc[0]), 6) for c in ("lpl", "upl"))
    assert any(ln.get_linestyle() == "-." and ln.get_ydata()[0] == 15 for ln in ax.get_lines())
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Variation: special cause concerning" in texts
    assert "Assurance: hit and miss (target 15)" in texts
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Common cause", "Special cause improving", "Special cause concerning",
                      "Mean", "Process limits", "Target"]


def test_spc_chart_segments_and_percent(sample):
    from hospitalytics import plots

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        res = hp.kpi_spc(sample, "readmission_rate", rebase=["2024-10-01"])
    ax = plots.spc_chart(res)
    assert ax.get_title(loc="left") == "30-day readmission rate"
    assert ax.yaxis.get_major_formatter().__class__.__name__ == "PercentFormatter"
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 4  # two limits per segment
    # per-point limits: the upper limit line follows the denominators
    upper = max(dashed[:2], key=lambda ln: float(np.mean(ln.get_ydata())))
    assert np.asarray(upper.get_ydata()).tolist() == pytest.approx(
        res["upl"].iloc[:12].tolist())
    assert "Not charted" in " ".join(t.get_text() for t in ax.texts)


def test_spc_chart_empty_and_wrong_input():
    from hospitalytics import plots

    res = _plot_frame().iloc[:0]
    with pytest.warns(DataQualityWarning, match="spc_chart"):
        ax = plots.spc_chart(res)
    assert "No data" in ax.texts[0].get_text()
    with pytest.raises(ArgumentError, match="hospitalytics.spc or kpi_spc"):
        plots.spc_chart(pd.DataFrame({"admissions": [1, 2]}))


def test_report_notes_collapsed_limits():
    from hospitalytics.report._analysis import _spc

    months = pd.period_range("2024-01", periods=15, freq="M")
    _, note = _spc(pd.Series([40.0] * 14 + [41.0], index=months), None)
    assert note == "limits too tight: the values barely vary"
    _, note = _spc(pd.Series(np.arange(12.0), index=months[:12]), None)
    assert note == "trial limits (12 points)"
