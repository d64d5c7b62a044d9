"""Hypothesis properties of the KPI engine on generated stays (tests/strategies.py).

Invariants, not examples: groups add up to the total, MTD never exceeds its month,
splitting the rows adds up, row order never matters, the daily census adds up to the
bed-days of the stays clipped to the period (brute force here), occupancy is never
negative, and the input frame is never modified.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hospitalytics as hp
from hospitalytics.definitions import Definitions
from hospitalytics.errors import DataQualityWarning

_spec = importlib.util.spec_from_file_location(
    "hospitalytics_test_strategies", Path(__file__).with_name("strategies.py")
)
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)

EPOCH = pd.Timestamp(strategies.STAY_EPOCH)
BEDS = {"A": 3, "B": 2, "C": 4}


@st.composite
def periods(draw):
    """``(start, end, as_of)``: a period inside or around the stays' window, with an
    as-of date somewhere from its start to well after the data."""
    s = draw(st.integers(-10, 80))
    e = s + draw(st.integers(0, 45))
    a = draw(st.integers(s, 110))
    day = pd.Timedelta(days=1)
    return EPOCH + s * day, EPOCH + e * day, EPOCH + a * day


@contextlib.contextmanager
def quiet():
    """Ignore the (expected) warnings about stays in wards without beds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        yield


def brute_force_bed_days(df: pd.DataFrame, lo, hi, as_of, *, day_case=False) -> int:
    """Midnight-census bed-days in [lo, hi] by expanding each stay day by day."""
    total = 0
    as_of = pd.Timestamp(as_of).normalize()
    for a, d in zip(df["admission_date"], df["discharge_date"], strict=True):
        a = a.normalize()
        if a > as_of:
            continue  # not admitted yet
        if pd.isna(d) or d.normalize() > as_of:
            stop = as_of + pd.Timedelta(days=1)  # open: through the as-of date
        else:
            stop = d.normalize()
            if day_case and stop == a:
                stop = a + pd.Timedelta(days=1)
        for x in pd.date_range(a, stop - pd.Timedelta(days=1), freq="D"):
            total += lo <= x <= hi
    return total


@given(strategies.canonical_stays(), periods())
def test_groups_add_up_to_the_total(df, period):
    start, end, as_of = period
    kw = {"start": start, "end": end, "as_of": as_of}
    for fn in (hp.admissions, hp.discharges, hp.treatment_cost, hp.bed_days):
        total = fn(df, **kw)
        by_ward = fn(df, **kw, by="ward")
        assert by_ward.sum() == pytest.approx(total)
        assert (by_ward >= 0).all()
    c = hp.census(df, **kw)
    assert (c.drop(columns="total").sum(axis=1) == c["total"]).all()
    d = hp.los_distribution(df, **kw, by="ward")
    assert int(d.to_numpy().sum()) == hp.discharges(df, **kw)
    # months add up to the period too
    m = hp.monthly(df, **kw)
    assert m["admissions"].sum() == hp.admissions(df, **kw)
    assert m["discharges"].sum() == hp.discharges(df, **kw)
    assert m["bed_days"].sum() == hp.bed_days(df, **kw)
    assert m["treatment_cost"].sum() == pytest.approx(hp.treatment_cost(df, **kw))


@given(strategies.canonical_stays(), st.integers(0, 100))
def test_mtd_never_exceeds_its_month(df, offset):
    as_of = EPOCH + pd.Timedelta(days=offset)
    month_start = as_of.replace(day=1)
    month_end = month_start + pd.offsets.MonthEnd(0)
    later = max(month_end, EPOCH + pd.Timedelta(days=120))
    for fn in (hp.admissions, hp.discharges, hp.treatment_cost, hp.bed_days):
        mtd = fn(df, mtd=True, as_of=as_of)
        month = fn(df, month_start, month_end, as_of=later)
        assert mtd <= month + 1e-9
    assert hp.admissions(df, mtd=True, as_of=as_of) <= hp.admissions(df, qtd=True, as_of=as_of)
    assert hp.admissions(df, qtd=True, as_of=as_of) <= hp.admissions(df, ytd=True, as_of=as_of)


@given(strategies.canonical_stays(), periods(), st.data())
def test_splitting_the_rows_adds_up(df, period, data):
    start, end, as_of = period
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=len(df), max_size=len(df))),
                    dtype=bool)
    one, two = df[mask], df[~mask]
    kw = {"start": start, "end": end, "as_of": as_of}  # a fixed as-of date for all three
    for fn in (hp.admissions, hp.discharges, hp.treatment_cost, hp.bed_days):
        assert fn(one, **kw) + fn(two, **kw) == pytest.approx(fn(df, **kw))
    day_case = Definitions(day_case_bed_day=True)
    assert hp.bed_days(one, **kw, definitions=day_case) + hp.bed_days(
        two, **kw, definitions=day_case) == hp.bed_days(df, **kw, definitions=day_case)
    c1 = hp.census(one, **kw, by=None)["total"]
    c2 = hp.census(two, **kw, by=None)["total"]
    assert (c1 + c2).equals(hp.census(df, **kw, by=None)["total"])


@given(strategies.canonical_stays(), periods(), st.randoms(use_true_random=False))
def test_row_order_never_matters(df, period, rnd):
    start, end, as_of = period
    order = list(range(len(df)))
    rnd.shuffle(order)
    shuffled = df.iloc[order]
    kw = {"start": start, "end": end, "as_of": as_of}
    for fn in (hp.admissions, hp.discharges, hp.treatment_cost, hp.bed_days):
        pd.testing.assert_series_equal(fn(shuffled, **kw, by="ward"), fn(df, **kw, by="ward"))
    for defs in ("who", "hcup", "oecd"):
        a, b = hp.alos(shuffled, **kw, definitions=defs), hp.alos(df, **kw, definitions=defs)
        assert a == pytest.approx(b, nan_ok=True)
    pd.testing.assert_frame_equal(hp.census(shuffled, **kw), hp.census(df, **kw))
    with quiet():  # back-to-back rows in other wards may look like ward segments
        assert hp.readmission_rate(shuffled, **kw) == pytest.approx(
            hp.readmission_rate(df, **kw), nan_ok=True)
        pd.testing.assert_frame_equal(hp.occupancy_by_ward(shuffled, BEDS, **kw),
                                      hp.occupancy_by_ward(df, BEDS, **kw))


@given(strategies.canonical_stays(max_rows=12), periods(), st.booleans())
def test_census_adds_up_to_brute_force_bed_days(df, period, day_case):
    start, end, as_of = period
    defs = Definitions(day_case_bed_day=day_case)
    c = hp.census(df, start, end, as_of=as_of, by=None, definitions=defs)
    hi = min(end, as_of)
    assert len(c) == (hi - start).days + 1
    expected = brute_force_bed_days(df, start, hi, as_of, day_case=day_case)
    assert int(c["total"].sum()) == expected
    assert hp.bed_days(df, start, end, as_of=as_of, definitions=defs) == expected
    # average daily census is the same bed-days over the days of the period
    adc = hp.average_daily_census(df, start, end, as_of=as_of, definitions=defs)
    assert adc == pytest.approx(expected / len(c))


@given(strategies.canonical_stays(), periods())
def test_occupancy_is_never_negative(df, period):
    start, end, as_of = period
    with quiet():
        rate = hp.occupancy(df, BEDS, start, end, as_of=as_of)
        by_ward = hp.occupancy_by_ward(df, BEDS, start, end, as_of=as_of)
        board = hp.bed_board(df, BEDS, as_of=as_of)
    assert rate >= 0
    assert (by_ward["occupancy"] >= 0).all()
    assert (by_ward["occupied_bed_days"] <= hp.bed_days(df, start, end, as_of=as_of)).all()
    assert (board["in_patients"] >= 0).all()


@given(strategies.canonical_stays(), periods())
def test_alos_is_between_the_extremes(df, period):
    start, end, as_of = period
    who = hp.alos(df, start, end, as_of=as_of)
    hcup = hp.alos(df, start, end, as_of=as_of, definitions="hcup")
    if np.isnan(who):
        assert np.isnan(hcup)
    else:
        assert hcup <= who <= 26  # who only raises same-day stays from 0 to 1
        assert who >= 1


@given(strategies.canonical_stays(), periods())
def test_input_is_never_mutated(df, period):
    start, end, as_of = period
    before = copy.deepcopy(df)
    kw = {"start": start, "end": end, "as_of": as_of}
    hp.admissions(df, **kw, by="ward")
    hp.treatment_cost(df, **kw)
    hp.alos(df, **kw, definitions="oecd")
    hp.census(df, **kw)
    hp.monthly(df, **kw)
    hp.los_distribution(df, **kw)
    with quiet():
        hp.readmission_rate(df, **kw)
        hp.summary(df, BEDS, as_of=as_of)
        hp.occupancy_by_ward(df, BEDS, **kw)
        hp.bed_board(df, BEDS, as_of=as_of)
    pd.testing.assert_frame_equal(df, before)
    assert list(df.index) == list(before.index)

