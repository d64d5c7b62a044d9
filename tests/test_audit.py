"""The privacy auditor, and audits of real reports: no protected cell can be recovered.

The auditor (linear programming over everything a report publishes) is tested on
hand-made publications where the attacker's interval is known, on publications made
leaky on purpose, then run on the sample's report, on small hospitals made up by
Hypothesis and on the MIMIC-IV demo's report, for both methods.
"""

from __future__ import annotations

import builtins
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hospitalytics as hp
from hospitalytics.errors import ArgumentError
from hospitalytics.report import build_report
from hospitalytics.report.privacy import (
    Publication,
    attacker_bounds,
    audit,
    hes_round,
    parse_privacy,
    protect,
)
from hospitalytics.report.privacy._report import check

pytest.importorskip("scipy")

METHODS = ["suppress:10", "hes"]


def line(values, total=None):
    """A publication with one total and its parts."""
    pub = Publication()
    t = pub.add("total", sum(values) if total is None else total)
    parts = [pub.add(f"p{i}", v) for i, v in enumerate(values)]
    pub.sums(t, parts)
    return pub


# ------------------------------------------------------------ hand-computed intervals
def test_two_hidden_cells_of_a_line():
    pub = protect(line([3, 45, 120]), "suppress:10")
    res = audit(pub, exact=True, integer=True)
    rows = res.intervals.set_index("key")
    # p0 + p1 = 48, each at least 1
    assert rows.loc["p0", ["lo", "hi"]].tolist() == [1.0, 47.0]
    assert rows.loc["p1", ["lo", "hi"]].tolist() == [1.0, 47.0]
    assert res.ok and list(rows.index) == ["p0", "p1"]


def test_zero_is_never_the_complement():
    pub = protect(line([0, 3, 57]), "suppress:10")
    assert pub.display().tolist() == [60, 0, "<10", "<10"]


def test_two_small_cells_need_a_large_one():
    # 3 + 4 = 7 < 10: with only those two hidden, each is narrowed to [1, 6]
    pub = protect(line([3, 4, 50, 70]), "suppress:10")
    assert pub.display().tolist() == [127, "<10", "<10", "<10", 70]
    assert audit(pub, integer=True).ok


def test_a_leaky_publication_is_caught():
    pub = protect(line([3, 45, 120]), "suppress:10")
    pub.state[2] = "shown"  # show the complement: the small count is total - visible
    res = audit(pub, exact=True)
    assert not res.ok
    narrow = res.narrow.set_index("key")
    assert narrow.loc["p0", ["lo", "hi"]].tolist() == [3.0, 3.0]


def test_zero_complement_leak_is_caught():
    # the pre-fix rule: hide 3 and the zero next to it; the hidden cells sum to 3 < 10
    pub = protect(line([0, 3, 57]), "suppress:10")
    pub.state[1] = "secondary"
    pub.state[3] = "shown"
    # the zero is hidden, so "a hidden count is 1 or more" no longer holds for it: the
    # publication breaks the method, and the auditor says so instead of a false interval
    with pytest.raises(RuntimeError, match="outside the attacker's interval"):
        audit(pub, exact=True)


def test_rate_times_denominator():
    pub = Publication()
    dis = pub.add("discharges", 41)
    readm = pub.add("readmissions", 1, shown=False)
    rate = pub.add("rate", 1 / 41, kind="ratio")
    pub.at_most(readm, dis)
    pub.ratio(rate, readm, dis)
    protect(pub, "suppress:10")
    assert pub.display().tolist()[2] == "withheld"  # 1 readmission: the rate is hidden
    pub.state[2] = "shown"  # publish it anyway
    lo, hi = attacker_bounds(pub)
    assert (lo[readm], hi[readm]) == (1.0, 1.0)


def test_hes_rounding_and_bands():
    assert [hes_round(v) for v in (0, 7, 8, 12, 13, 17, 18)] == [0, 5, 10, 10, 15, 15, 20]
    # 16 -> 15 and 8 -> 10: 15 means 13..17 and 10 + 10 means 16..24, so each part
    # would be narrowed to 8..9 inside its band 8..12 (and the total to 16..17): the
    # total is withheld instead, as [c]
    pub = protect(line([8, 8]), "hes")
    assert pub.display().tolist() == ["[c]", 10, 10]
    res = audit(pub, exact=True).intervals.set_index("key")
    assert res.loc["total", ["lo", "hi"]].tolist() == [16.0, 24.0]
    assert res.loc["p0", ["lo", "hi"]].tolist() == [8.0, 12.0]
    # the same line published the plain HES way is caught by the auditor
    pub.state[0] = "rounded"
    narrow = audit(pub, exact=True).narrow.set_index("key")
    assert narrow.loc["p0", ["lo", "hi"]].tolist() == [8.0, 9.0]


def test_hes_star_and_band_requirements():
    pub = Publication()
    pub.add("small", 3)
    pub.add("big", 18)
    protect(pub, "hes")
    res = audit(pub, exact=True).intervals.set_index("key")
    assert res.loc["small", "published"] == "*" and res.loc["small", "lo"] == 1.0
    assert res.loc["small", "hi"] == 7.0
    assert res.loc["big", "published"] == 20 and res.loc["big", "requirement"] == (
        "covers 18..22")


def test_amounts_hidden_with_their_counts():
    pub = Publication()
    t = pub.add("admissions", 160)
    c = pub.add("cost", 9000.0, kind="amount")
    rows = [(3, 500.0), (45, 2500.0), (112, 6000.0)]
    adm = [pub.add(("adm", i), n) for i, (n, _) in enumerate(rows)]
    cost = [pub.add(("cost", i), v, kind="amount", base=a)
            for i, ((_, v), a) in enumerate(zip(rows, adm, strict=True))]
    pub.sums(t, adm)
    pub.sums(c, cost)
    protect(pub, "suppress:10")
    shown = pub.display().tolist()
    assert shown[5:] == ["withheld", "withheld", 6000.0]  # costs are not counts
    assert audit(pub).ok


def test_audit_needs_a_protected_publication():
    with pytest.raises(ArgumentError, match="protected Publication"):
        audit(line([1, 2]))


def test_audit_without_scipy_names_the_extra(monkeypatch):
    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name.startswith("scipy"):
            raise ImportError("no scipy")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ImportError, match=r"hospitalytics\[privacy\]"):
        audit(protect(line([3, 45]), "suppress:10"))


def test_parse_privacy():
    assert parse_privacy("suppress:10").threshold == 10
    assert parse_privacy(" HES ").method == "hes"
    assert parse_privacy("hes").threshold == 8
    for bad in ("suppress", "suppress:x", "suppress:0", "round", 2.5, True):
        with pytest.raises(ArgumentError):
            parse_privacy(bad)


# ----------------------------------------------------------------- real reports
def _audit_report(rep, integer=None):
    """The model holds for the true values, and no protected cell is narrow."""
    assert check(rep.publication) == []
    if integer is None:  # exact integer programming is cheap under suppress
        integer = rep.privacy.method == "suppress"
    res = audit(rep, integer=integer)
    assert res.ok, res.narrow[["key", "value", "published", "lo", "hi", "requirement"]]
    return res


@pytest.mark.parametrize("method", METHODS)
def test_sample_report(method):
    rep = build_report(hp.datasets.load_sample(), hp.datasets.load_sample_beds(),
                       privacy=method)
    res = _audit_report(rep)
    assert len(res.intervals) > 0


@pytest.mark.parametrize("method", METHODS)
def test_sample_report_short_period(method):
    # one month and a half: few months, small MTD, many small cells
    rep = build_report(hp.datasets.load_sample(), hp.datasets.load_sample_beds(),
                       start="2025-11-01", as_of="2025-12-02", privacy=method)
    _audit_report(rep)


@pytest.mark.realdata
@pytest.mark.parametrize("method", METHODS)
def test_mimic_demo_report(method, shared_data):
    from hospitalytics.adapters import from_mimic

    folder = shared_data / "mimic-iv-demo" / "hosp"
    if not folder.is_dir():
        pytest.skip("MIMIC-IV demo not available")
    stays = from_mimic(pd.read_csv(folder / "admissions.csv.gz"),
                       pd.read_csv(folder / "transfers.csv.gz"),
                       pd.read_csv(folder / "patients.csv.gz"))
    rep = build_report(stays, privacy=method)
    _audit_report(rep, integer=False)  # 1,100 months: the linear relaxation


# ------------------------------------------------------------ small hospitals
@st.composite
def small_hospitals(draw):
    """A few wards, a few dozen stays over a few months, readmissions and open stays."""
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(6, 45))
    n_wards = draw(st.integers(1, 4))
    days = draw(st.integers(20, 120))
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    adm = start + pd.to_timedelta(rng.integers(0, days, n), "D") + pd.to_timedelta(
        rng.integers(0, 24, n), "h")
    los = rng.integers(0, 15, n)
    dis = pd.Series(adm + pd.to_timedelta(los, "D") + pd.to_timedelta(
        rng.integers(0, 12, n), "h"))
    dis[rng.random(n) < 0.15] = pd.NaT
    wards = [f"Ward {w}" for w in "ABCD"[:n_wards]]
    frame = pd.DataFrame({
        "patient_id": rng.integers(0, max(2, n // 2), n),
        "admission_date": adm,
        "discharge_date": dis,
        "ward": rng.choice(wards, n),
        "department": rng.choice(["Medicine", "Surgery"], n),
        "treatment": rng.choice(["Surgery", "Medication", "Observation"], n),
        "age": rng.integers(0, 100, n).astype("float64"),
        "cost": np.where(rng.random(n) < 0.1, np.nan, rng.gamma(2.0, 900.0, n).round(2)),
    })
    beds = {w: int(rng.integers(2, 9)) for w in wards}
    last = max(frame["admission_date"].max(), frame["discharge_date"].max())
    as_of = draw(st.sampled_from([None, (last - pd.Timedelta(days=3)).normalize()]))
    return frame, beds, as_of


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(hospital=small_hospitals(), method=st.sampled_from(["suppress:5", "suppress:10",
                                                           "hes"]))
def test_small_hospitals(hospital, method):
    frame, beds, as_of = hospital
    rep = build_report(frame, beds, as_of=as_of, privacy=method)
    _audit_report(rep)
    # what is shown is never a small count
    p = rep.privacy
    shown = rep.publication.display()
    for i, v in shown.items():
        if rep.publication.kinds[i] == "count" and rep.publication.shown[i] and not (
                isinstance(v, str)):
            assert v == 0 or v >= p.threshold
            if p.method == "hes":
                assert v % 5 == 0


def _fifteen_stays() -> pd.DataFrame:
    """Three stays in two wards, five times over (15 stays, January-February 2024)."""
    return pd.DataFrame({
        "admission_date": pd.to_datetime(["2024-01-03", "2024-01-09", "2024-02-01"] * 5),
        "discharge_date": pd.to_datetime(["2024-01-05", "2024-01-19", "2024-02-04"] * 5),
        "ward": ["A", "B", "A"] * 5,
    })


def test_integer_audit_on_a_small_hes_report():
    rep = build_report(_fifteen_stays(), {"A": 4, "B": 2}, privacy="hes")
    res = audit(rep, integer=True)
    assert res.ok and res.integer
    assert not math.isnan(res.intervals["lo"].iloc[0])


def test_an_integer_audit_out_of_time_falls_back_to_the_relaxation():
    rep = build_report(_fifteen_stays(), {"A": 4, "B": 2}, privacy="suppress:5")
    linear = audit(rep, exact=True).intervals
    spent = audit(rep, integer=True, exact=True, time_limit=0).intervals
    # no time for whole numbers: every bound is the linear relaxation's (sound, as wide)
    pd.testing.assert_frame_equal(spent[["key", "lo", "hi"]], linear[["key", "lo", "hi"]])
    whole = audit(rep, integer=True, exact=True).intervals
    assert (whole["lo"].to_numpy() >= linear["lo"].to_numpy() - 1e-9).all()
    assert (whole["hi"].to_numpy() <= linear["hi"].to_numpy() + 1e-9).all()


@pytest.mark.parametrize("method", METHODS)
def test_ward_segments_with_a_stay_id(method):
    """Segments of one stay: the KPIs count stays, the census every segment."""
    rng = np.random.default_rng(7)
    rows = []
    for stay in range(40):
        adm = pd.Timestamp("2024-03-01") + pd.Timedelta(hours=int(rng.integers(0, 24 * 50)))
        mid = adm + pd.Timedelta(days=int(rng.integers(1, 4)))
        end = mid + pd.Timedelta(days=int(rng.integers(0, 5)))
        pid = f"p{stay % 30}"
        rows.append((stay, pid, adm, mid, "A"))
        if rng.random() < 0.6:  # moved to ward B
            rows.append((stay, pid, mid, end, "B"))
    frame = pd.DataFrame(rows, columns=["stay_id", "patient_id", "admission_date",
                                        "discharge_date", "ward"])
    rep = build_report(frame, {"A": 6, "B": 4}, privacy=method)
    assert rep.cleaning.n_clean > int(rep.summary.at["admissions", "period"])
    _audit_report(rep)
