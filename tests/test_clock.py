"""Tests of the census by the clock (hospitalytics.clock and its kernels, _clock).

Hand-computed cases for the census at a clock time and its four boundary rules, the
hourly census against a brute-force evaluation of the definition on small Hypothesis
frames (the slow twin), daily presence by hand and against patientcounter's examples,
the profile against hospitalflow's, and the refusal of date-only data.

Peer fixtures transcribed here (cited by file and commit):

- hospitalflow (R, github.com/HorridTom/hospitalflow, commit cd54f4b2):
  ``tests/testthat/test_occupancy_hr.R`` (occupancy at an instant) and
  ``tests/testthat/test-plot_ed_arrival_occupancy_hour_of_day.R`` (average occupancy by
  hour of the day).
- patientcounter (R, github.com/johnmackintosh/patientcounter, commit 9cddc4d9):
  ``tests/testthat/test_outputs.R`` (patient 3 of the ``beds`` data by day) and
  ``data-raw/beds.R`` (the ``beds`` data: ten stays in four beds on 2020-01-01, UTC).
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import hospitalytics as hp
from hospitalytics._clock import (
    clock_grid,
    clock_label,
    distinct_ranges,
    instant_census,
    instant_slots,
    parse_at,
    parse_freq,
    weekday_sums,
)
from hospitalytics.accessor import HospitalAccessor
from hospitalytics.errors import ArgumentError, DataQualityError, DataQualityWarning

H = 3600 * 10**9
T = pd.Timestamp


def frame(adm, dis, **extra) -> pd.DataFrame:
    return pd.DataFrame({"admission_date": pd.to_datetime(adm),
                         "discharge_date": pd.to_datetime(dis), **extra})


# ------------------------------------------------------------------------ arguments
@pytest.mark.parametrize(("text", "hours"), [("08:00", 8), ("8:00", 8), ("00:00", 0),
                                             ("23:30", 23.5), ("07:30:36", 7.51)])
def test_parse_at(text, hours):
    assert parse_at(text) == round(hours * H)


def test_parse_at_other_types():
    assert parse_at(dt.time(8, 15)) == parse_at("08:15")
    assert parse_at(pd.Timedelta(hours=8)) == 8 * H
    assert parse_at(dt.timedelta(minutes=90)) == parse_at("01:30")


@pytest.mark.parametrize("bad", ["24:00", "8", "08:60", "8am", "", None, 8, "-01:00",
                                 pd.Timedelta(days=1), pd.Timedelta(hours=-1)])
def test_parse_at_rejects(bad):
    with pytest.raises(ArgumentError, match="is not a clock time.*'HH:MM'"):
        parse_at(bad)


def test_parse_at_rejects_zoned_time():
    with pytest.raises(ArgumentError, match="time zone"):
        parse_at(dt.time(8, tzinfo=dt.UTC))


@pytest.mark.parametrize(("freq", "minutes"), [("h", 60), ("15min", 15), ("30min", 30),
                                               ("4h", 240), ("D", 1440),
                                               (pd.Timedelta(minutes=20), 20)])
def test_parse_freq(freq, minutes):
    assert parse_freq(freq) == minutes * 60 * 10**9


@pytest.mark.parametrize("bad", ["7h", "W", "MS", "nonsense", "25h", "0h"])
def test_parse_freq_rejects(bad):
    with pytest.raises(ArgumentError, match=f"freq={bad!r}.*divide"):
        parse_freq(bad)


def test_clock_label_and_grid():
    assert clock_label(0) == "00:00" and clock_label(parse_at("13:05:09")) == "13:05:09"
    t0, n, per_day = clock_grid(10, 11, parse_at("09:00"), 8 * H)  # 01:00, 09:00, 17:00
    assert (t0 - 10 * 86400 * 10**9) // H == 1 and n == 6 and per_day == 3


# --------------------------------------------------------------------------- kernels
@pytest.mark.parametrize(("closed", "present"), [
    ("left", [1, 2]),        # t=10 (arrival), t=20; not t=30 (departure)
    ("right", [2, 3]),       # t=20, t=30 (departure); not the arrival
    ("both", [1, 2, 3]),     # hospitalflow: both ends
    ("neither", [2]),
])
def test_instant_slots_boundary_rules(closed, present):
    # one stay from t=10 to t=30, instants t = 0, 10, 20, 30, 40
    first, stop = instant_slots(np.array([10]), np.array([30]), 0, 10, 5, closed)
    assert list(range(max(first[0], 0), min(stop[0], 5))) == present


def test_instant_slots_between_instants_and_open():
    adm = np.array([11, 11, 5])
    dis = np.array([29, 19, np.iinfo("int64").min])  # 11-29; 11-19 (between instants); open
    for closed in ("left", "right", "both", "neither"):
        first, stop = instant_slots(adm, dis, 0, 10, 5, closed)
        assert first.tolist()[:2] == [2, 2] and stop.tolist()[:2] == [3, 2]
        assert first[2] == 1 and stop[2] >= 5  # open: through the last instant


def test_instant_census_groups_and_left_out():
    adm = np.array([0, 0, 15, 15])
    dis = np.array([100, 25, 16, 100])
    got = instant_census(adm, dis, np.array([0, 1, 1, -1]), 2, 0, 10, 4)  # t = 0..30
    assert got.tolist() == [[1, 1, 1, 1], [1, 1, 1, 0]]
    # chunking never changes the answer
    assert np.array_equal(instant_census(adm, dis, None, 1, 0, 10, 4, chunk=1),
                          instant_census(adm, dis, None, 1, 0, 10, 4))


def test_weekday_sums():
    m = np.arange(2 * 14 * 2).reshape(2, 28)  # 2 groups, 14 days from Thursday, 2 a day
    sums, days = weekday_sums(m, 0, 2)
    assert days.tolist() == [2] * 7
    # Thursday (w=3) is days 0 and 7: instants 0, 1 and 14, 15 of each group
    assert sums[0, 3].tolist() == [0 + 14, 1 + 15]
    assert sums[1, 3].tolist() == [28 + 42, 29 + 43]


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-5, 30), st.integers(0, 12)),
                max_size=25))
def test_distinct_ranges_against_sets(rows):
    keys = np.array([r[0] for r in rows], dtype="int64")
    start = np.array([r[1] for r in rows], dtype="int64")
    stop = start + np.array([r[2] for r in rows], dtype="int64")
    s, e = distinct_ranges(keys, start, stop)
    assert (e >= s).all()
    for key in set(keys.tolist()):
        sel = keys == key
        covered = set().union(*(range(a, b) for a, b in zip(start[sel], stop[sel],
                                                              strict=True)))
        pieces = [set(range(a, b)) for a, b in zip(s[sel], e[sel], strict=True)]
        assert sum(len(p) for p in pieces) == len(covered)  # each slot once
        assert set().union(*pieces) == covered


# --------------------------------------------------------------- census at a time
# A: 3 Mar 08:00 -> 5 Mar 08:00 (both ends exactly at the census instant)
# B: 3 Mar 09:00 -> 4 Mar 07:00 (overnight, between two 08:00 censuses)
# C: 4 Mar 20:00 -> open
# D: 4 Mar 07:00 -> 4 Mar 09:00 (a day case across 08:00)
BOUNDARY = frame(["2025-03-03 08:00", "2025-03-03 09:00", "2025-03-04 20:00",
                  "2025-03-04 07:00"],
                 ["2025-03-05 08:00", "2025-03-04 07:00", None, "2025-03-04 09:00"],
                 ward=["A", "B", "A", "B"])


@pytest.mark.parametrize(("closed", "expected"), [
    ("left", [1, 2, 1, 1]),     # A on 3, 4; D on 4; C on 5, 6
    ("both", [1, 2, 2, 1]),     # A also on 5 (its departure instant)
    ("right", [0, 2, 2, 1]),    # A from 4 through 5; not its arrival instant
    ("neither", [0, 2, 1, 1]),  # A on 4 only
])
def test_census_at_0800_by_hand(closed, expected):
    c = hp.census_at(BOUNDARY, "2025-03-03", "2025-03-06", at="08:00", closed=closed,
                     by=None, as_of="2025-03-06")
    assert c.index.name == "date"
    assert c.index.tolist() == list(pd.date_range("2025-03-03", "2025-03-06"))
    assert c["total"].tolist() == expected
    assert c.attrs == {"at": "08:00", "freq": None, "closed": closed}


def test_census_at_by_ward_and_midnight_census_differ():
    c = hp.census_at(BOUNDARY, "2025-03-03", "2025-03-06", at="08:00", as_of="2025-03-06")
    assert c.columns.tolist() == ["A", "B", "total"] and c.columns.name == "ward"
    assert c["A"].tolist() == [1, 1, 1, 1] and c["B"].tolist() == [0, 1, 0, 0]
    # the midnight census counts B (overnight) and not D (a day case)
    m = hp.census(BOUNDARY, "2025-03-03", "2025-03-06", as_of="2025-03-06")
    assert m["B"].tolist() == [1, 0, 0, 0]


def test_census_at_hourly_by_hand():
    c = hp.census_at(BOUNDARY, "2025-03-04", "2025-03-04", freq="h", by=None)
    assert c.index.name == "time" and len(c) == 24
    assert c.index[0] == T("2025-03-04 00:00") and c.index[-1] == T("2025-03-04 23:00")
    # 00-06h: A, B; 07h: A, D (B left at 07:00, D arrived); 08h: A, D; 09-19h: A;
    # 20-23h: A, C
    expected = [2] * 7 + [2, 2] + [1] * 11 + [2] * 4
    assert c["total"].tolist() == expected
    # a shifted grid: every 8 hours through 07:00
    s = hp.census_at(BOUNDARY, "2025-03-04", "2025-03-04", freq="8h", at="07:00", by=None)
    assert s.index.tolist() == [T("2025-03-04 07:00"), T("2025-03-04 15:00"),
                                T("2025-03-04 23:00")]
    assert s["total"].tolist() == [2, 1, 2]


def test_census_at_midnight_is_the_calendar_census_a_day_later():
    # no event exactly at midnight: the instant census at 00:00 on d + 1 is the calendar
    # midnight census of day d (the midnight that ends d), for every boundary rule
    df = hp.datasets.load_sample()
    events = pd.concat([df["admission_date"], df["discharge_date"]])
    at_midnight = events.notna() & (events == events.dt.normalize())
    assert at_midnight.any()  # the sample has a few: leave those stays out
    df = df[~at_midnight.groupby(level=0).any()].reset_index(drop=True)
    cal = hp.census(df, "2025-06-01", "2025-06-30", by="ward")
    for closed in ("left", "both"):
        at0 = hp.census_at(df, "2025-06-02", "2025-07-01", at="00:00", closed=closed)
        assert np.array_equal(at0.to_numpy(), cal.to_numpy())


def test_hospitalflow_occupancy_at_instants():
    # hospitalflow tests/testthat/test_occupancy_hr.R (commit cd54f4b2): three spells,
    # occupancy at 09:00 -> 0, 09:30 -> 1 (an arrival at the instant), 10:45 -> 2.
    df = frame(["2018-12-10 09:30", "2018-12-10 10:15", "2018-12-11 08:05"],
               ["2018-12-10 12:30", "2018-12-11 07:45", "2018-12-11 09:05"])
    got = [hp.census_at(df, "2018-12-10", "2018-12-10", at=t, closed="both",
                        by=None)["total"].iloc[0] for t in ("09:00", "09:30", "10:45")]
    assert got == [0, 1, 2]
    # our rule counts the arrival at 09:30 too
    assert hp.census_at(df, "2018-12-10", "2018-12-10", at="09:30",
                        by=None)["total"].iloc[0] == 1


def test_census_at_period_and_as_of():
    df = frame(["2025-03-01 10:00", "2025-03-05 10:00"], ["2025-03-10 10:00", None])
    # read as of 3 March: the second stay does not exist yet, the first is open
    c = hp.census_at(df, at="12:00", as_of="2025-03-03", by=None)
    assert c.index[0] == T("2025-03-01") and c.index[-1] == T("2025-03-03")
    assert c["total"].tolist() == [1, 1, 1]
    # unbounded: from the first admission date through the latest date in the data
    c = hp.census_at(df, at="12:00", by=None)
    assert len(c) == 10 and c["total"].iloc[-1] == 1 and c["total"].iloc[4] == 2
    # an empty period
    c = hp.census_at(df, "2025-04-01", "2025-04-02", at="12:00", by=None)
    assert c.empty


def test_census_at_argument_errors():
    with pytest.raises(ArgumentError, match="needs at=.*or freq="):
        hp.census_at(BOUNDARY)
    with pytest.raises(ArgumentError, match="closed='middle'.*left"):
        hp.census_at(BOUNDARY, at="08:00", closed="middle")
    with pytest.raises(ArgumentError, match="one grouping role"):
        hp.census_at(BOUNDARY, at="08:00", by=["ward", "department"])


# ----------------------------------------------------- the slow twin (Hypothesis)
EPOCH = T("2025-03-02")  # a Sunday
HALF = pd.Timedelta(minutes=30)


@st.composite
def lattice_stays(draw, max_rows: int = 14) -> pd.DataFrame:
    """Stays on a 30-minute lattice (many events exactly at the census instants)."""
    n = draw(st.integers(0, max_rows))
    adm, dis, ward, pid = [], [], [], []
    for _ in range(n):
        a = EPOCH + draw(st.integers(0, 10 * 48)) * HALF
        length = draw(st.one_of(st.none(), st.integers(0, 5 * 48)))
        adm.append(a)
        dis.append(None if length is None else a + length * HALF)
        ward.append(draw(st.one_of(st.sampled_from(["A", "B"]), st.none())))
        pid.append(draw(st.one_of(st.sampled_from(["P1", "P2", "P3"]), st.none())))
    return pd.DataFrame({
        "patient_id": pd.Series(pid, dtype=object),
        "admission_date": pd.to_datetime(pd.Series(adm, dtype=object)).astype(
            "datetime64[ns]"),
        "discharge_date": pd.to_datetime(pd.Series(dis, dtype=object)).astype(
            "datetime64[ns]"),
        "ward": pd.Series(ward, dtype=object),
    })


def date_only(df: pd.DataFrame) -> bool:
    def all_midnight(s):
        s = s.dropna()
        return len(s) > 0 and (s == s.dt.normalize()).all()
    return all_midnight(df["admission_date"]) or all_midnight(df["discharge_date"])


def brute_census(df, instants, closed, as_of):
    """The definition, evaluated for every (instant, stay) pair."""
    t = instants.to_numpy()[:, None]
    adm = df["admission_date"].to_numpy()[None, :]
    dis = df["discharge_date"].to_numpy()[None, :]
    end_of_as_of = np.datetime64(as_of.normalize() + pd.Timedelta(days=1))
    open_ = np.isnat(dis) | (dis >= end_of_as_of)  # not discharged by the as-of date
    after = adm <= t if closed in ("left", "both") else adm < t
    before = t < dis if closed in ("left", "neither") else t <= dis
    return after & (open_ | before)


@given(lattice_stays(), st.integers(-2, 12), st.integers(0, 6), st.integers(0, 16),
       st.sampled_from(["left", "right", "both", "neither"]),
       st.sampled_from(["h", "30min", "2h"]))
def test_census_at_against_brute_force(df, s, length, a, closed, freq):
    start = EPOCH + pd.Timedelta(days=s)
    end = start + pd.Timedelta(days=length)
    as_of = EPOCH + pd.Timedelta(days=a)
    if date_only(df):
        with pytest.raises(ArgumentError, match="midnight"):
            hp.census_at(df, start, end, freq=freq, as_of=as_of)
        return
    c = hp.census_at(df, start, end, freq=freq, closed=closed, as_of=as_of, by="ward")
    last = min(end, as_of)
    stop = last + pd.Timedelta(days=1)
    # (not inclusive="left": pandas 2.2 keeps the start when start == end)
    instants = pd.date_range(start, stop, freq=freq)
    instants = instants[instants < stop]
    assert c.index.equals(pd.DatetimeIndex(instants, name="time").as_unit("ns"))
    present = brute_census(df, instants, closed, as_of)
    assert c["total"].tolist() == present.sum(axis=1).tolist()
    for ward in ("A", "B"):
        if ward in c:
            sel = (df["ward"] == ward).to_numpy()
            assert c[ward].tolist() == present[:, sel].sum(axis=1).tolist()
    # the daily census at a clock time is that grid, read once a day
    d = hp.census_at(df, start, end, at="13:30", closed=closed, as_of=as_of, by=None)
    inst = pd.date_range(start, last, freq="D") + pd.Timedelta(hours=13.5)
    assert d["total"].tolist() == brute_census(df, inst, closed, as_of).sum(axis=1).tolist()


@given(lattice_stays(), st.sampled_from(["left", "both"]))
def test_profile_is_the_mean_of_the_hourly_census(df, closed):
    assume(not date_only(df) and len(df))
    start, end = EPOCH, EPOCH + pd.Timedelta(days=9)
    h = hp.census_at(df, start, end, freq="h", closed=closed, by=None, as_of=end)["total"]
    p = hp.occupancy_profile(df, start=start, end=end, closed=closed, as_of=end)
    expected = h.groupby([h.index.strftime("%H:%M"), h.index.day_of_week]).mean().unstack()
    assert np.allclose(p.to_numpy(), expected.to_numpy())


# -------------------------------------------------------------- occupancy profile
def test_hospitalflow_average_occupancy_by_hour():
    # hospitalflow tests/testthat/test-plot_ed_arrival_occupancy_hour_of_day.R (commit
    # cd54f4b2): hourly occupancy (closed intervals) over 10-11 December 2018, averaged
    # by hour of the day. 10 Dec 2018 was a Monday, 11 Dec a Tuesday.
    expected = [0.5] * 8 + [0, 0.5, 0.5, 1, 1] + [0.5] * 11
    df = frame(["2018-12-10 09:30", "2018-12-10 10:15", "2018-12-11 08:05"],
               ["2018-12-10 12:30", "2018-12-11 07:45", "2018-12-11 09:05"])
    p = hp.occupancy_profile(df, start="2018-12-10", end="2018-12-11", closed="both")
    assert p.index.tolist() == [f"{h:02d}:00" for h in range(24)]
    assert p[["Mon", "Tue"]].mean(axis=1).tolist() == expected
    assert p[["Wed", "Thu", "Fri", "Sat", "Sun"]].isna().all().all()  # no such day
    # hospitalflow's window starts at 01:00 on the 10th and ends at 00:00 on the 12th;
    # the same instants shifted by one hour give the same means
    h = hp.census_at(df, "2018-12-10", "2018-12-11", freq="h", closed="both", by=None)
    assert h["total"].groupby(h.index.hour).mean().tolist() == expected


def test_profile_with_beds_by_hand():
    # ward A: 2 beds through Wed 5 March, 4 beds from Thu 6 March; ward B: 1 bed
    beds = pd.DataFrame({"ward": ["A", "A", "B"], "beds": [2, 4, 1],
                         "valid_from": [None, "2025-03-06", None],
                         "valid_to": ["2025-03-05", None, None]})
    # Mon 3 - Sun 16 March (two weeks). A: one stay 3 Mar 10:00 -> 10 Mar 10:00;
    # B: one stay every Tuesday 09:00-17:00
    df = frame(["2025-03-03 10:00", "2025-03-04 09:00", "2025-03-11 09:00"],
               ["2025-03-10 10:00", "2025-03-04 17:00", "2025-03-11 17:00"],
               ward=["A", "B", "B"])
    two_weeks = {"start": "2025-03-03", "end": "2025-03-16", "as_of": "2025-03-16"}
    p = hp.occupancy_profile(df, beds, **two_weeks, tidy=True, by="ward")
    a = p[p["ward"] == "A"].set_index(["weekday", "time"])
    # Monday 12:00: A had its patient on 3 March (2 beds) and on 10 March (gone at 10:00,
    # 4 beds): census 1 + 0 over 2 + 4 beds
    assert a.loc[("Mon", "12:00"), "occupancy"] == pytest.approx(1 / 6)
    assert a.loc[("Mon", "12:00"), "census"] == pytest.approx(0.5)
    assert a.loc[("Mon", "12:00"), "beds"] == pytest.approx(3.0)
    assert a.loc[("Mon", "09:00"), "occupancy"] == pytest.approx(1 / 6)  # 10 March only
    assert a.loc[("Wed", "03:00"), "occupancy"] == pytest.approx(1 / 6)  # 5th: 1/2 beds
    assert a.loc[("Thu", "03:00"), "occupancy"] == pytest.approx(1 / 8)  # 6th, 13th: 4
    assert (a["days"] == 2).all()
    b = p[p["ward"] == "B"].set_index(["weekday", "time"])
    assert b.loc[("Tue", "09:00"), "occupancy"] == 1.0  # arrival at the instant counts
    assert b.loc[("Tue", "17:00"), "occupancy"] == 0.0  # departure at the instant: gone
    # pooled over the wards: the same sums over both wards' beds
    pooled = hp.occupancy_profile(df, beds, **two_weeks)
    assert pooled.loc["12:00", "Tue"] == pytest.approx((1 + 0 + 1 + 1) / (2 + 1 + 4 + 1))
    wide = hp.occupancy_profile(df, beds, **two_weeks, by="ward")
    assert wide.index.names == ["ward", "time"]
    assert wide.loc[("B", "10:00"), "Tue"] == 1.0


def test_profile_beds_per_group_of_wards():
    beds = {"A1": 2, "A2": 2, "B1": 1}
    df = frame(["2025-03-03 10:00", "2025-03-03 10:00", "2025-03-03 10:00"],
               ["2025-03-04 10:00", "2025-03-04 10:00", "2025-03-04 10:00"],
               ward=["A1", "A2", "B1"], department=["A", "A", "B"])
    p = hp.occupancy_profile(df, beds, by="department", start="2025-03-03",
                             end="2025-03-03")
    assert p.loc[("A", "12:00"), "Mon"] == 0.5 and p.loc[("B", "12:00"), "Mon"] == 1.0
    # a ward whose stays fall in two departments cannot give its beds to one
    two = df.assign(department=["A", "B", "B"], ward=["A1", "A1", "B1"])
    with pytest.raises(ArgumentError, match="ward 'A1'.*several department groups"):
        hp.occupancy_profile(two, beds, by="department")
    # a ward with beds and no stays: no department is known for it
    with pytest.warns(DataQualityWarning, match=r"wards \['A2'\] have beds but no stays"):
        hp.occupancy_profile(df[df["ward"] != "A2"], beds, by="department")


def test_profile_names_stays_without_beds():
    df = frame(["2025-03-03 10:00"] * 3, ["2025-03-04 10:00"] * 3, ward=["A", "Z", "Z"])
    with pytest.warns(DataQualityWarning, match=r"left out of the profile: Z \(2 stays\)"):
        p = hp.occupancy_profile(df, {"A": 1}, start="2025-03-03", end="2025-03-04")
    assert p.loc["12:00", "Mon"] == 1.0
    with pytest.raises(DataQualityError, match="Z"):
        hp.occupancy_profile(df, {"A": 1}, strict=True)
    # stays outside the period are not named
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hp.occupancy_profile(df, {"A": 1}, start="2025-04-01", end="2025-04-02")


def test_profile_freq_and_shape():
    df = hp.datasets.load_sample()
    p = hp.occupancy_profile(df, start="2025-11-03", end="2025-11-30", freq="30min")
    assert p.shape == (48, 7) and p.index[1] == "00:30"
    s = hp.occupancy_profile(df, start="2025-11-03", end="2025-11-30", freq="8h",
                             at="07:00")
    assert s.index.tolist() == ["07:00", "15:00", "23:00"]
    t = hp.occupancy_profile(df, start="2025-11-03", end="2025-11-30", tidy=True)
    assert t.columns.tolist() == ["weekday", "time", "census", "days"]
    assert t["weekday"].cat.ordered and (t["days"] == 4).all()
    assert len(t) == 24 * 7


# -------------------------------------------------------------------- daily presence
def test_daily_presence_by_hand():
    # a: Mon 14:00 -> Wed 10:00; b: Tue day case; c: Tue 23:00 -> open (as of Thu)
    df = frame(["2025-03-03 14:00", "2025-03-04 09:00", "2025-03-04 23:00"],
               ["2025-03-05 10:00", "2025-03-04 17:00", None], ward=["A", "B", "A"])
    p = hp.daily_presence(df, as_of="2025-03-06")
    assert p.columns.tolist() == ["total"]
    assert p["total"].tolist() == [1, 3, 2, 1]
    w = hp.daily_presence(df, by="ward", as_of="2025-03-06")
    assert w["A"].tolist() == [1, 2, 2, 1] and w["B"].tolist() == [0, 1, 0, 0]
    # the midnight census leaves out the discharge day and the day case
    assert hp.census(df, by=None, as_of="2025-03-06")["total"].tolist() == [1, 2, 1, 1]


def test_daily_presence_on_date_only_data():
    # dates only: the same count (admission and discharge day both included)
    df = frame(["2025-03-03", "2025-03-04"], ["2025-03-05", "2025-03-04"])
    assert hp.daily_presence(df)["total"].tolist() == [1, 2, 1]


def test_daily_presence_distinct_patients():
    # P1 discharged and readmitted on 4 March, moving from ward A to B; P2 in A
    df = frame(["2025-03-03 10:00", "2025-03-04 15:00", "2025-03-04 08:00"],
               ["2025-03-04 12:00", "2025-03-05 09:00", "2025-03-04 09:00"],
               patient_id=["P1", "P1", "P2"], ward=["A", "B", "A"])
    assert hp.daily_presence(df)["total"].tolist() == [1, 3, 1]
    pat = hp.daily_presence(df, count="patients")
    assert pat["total"].tolist() == [1, 2, 1]
    w = hp.daily_presence(df, count="patients", by="ward")
    # each ward counts P1; the total counts P1 once
    assert w["A"].tolist() == [1, 2, 0] and w["B"].tolist() == [0, 1, 1]
    assert w["total"].tolist() == [1, 2, 1]
    # rows without a patient id count as patients of their own
    anon = df.assign(patient_id=[None, None, "P2"])
    assert hp.daily_presence(anon, count="patients")["total"].tolist() == [1, 3, 1]
    with pytest.raises(ArgumentError, match="count='beds'"):
        hp.daily_presence(df, count="beds")
    with pytest.raises(hp.SchemaError):
        hp.daily_presence(df.drop(columns="patient_id"), count="patients")


@given(lattice_stays(), st.integers(-2, 12), st.integers(0, 6), st.integers(0, 16))
def test_daily_presence_against_brute_force(df, s, length, a):
    start = EPOCH + pd.Timedelta(days=s)
    end = start + pd.Timedelta(days=length)
    as_of = EPOCH + pd.Timedelta(days=a)
    p = hp.daily_presence(df, start, end, as_of=as_of, by="ward")
    days = pd.date_range(start, min(end, as_of), freq="D")
    assert p.index.equals(pd.DatetimeIndex(days, name="date").as_unit("ns"))
    end_of_as_of = as_of + pd.Timedelta(days=1)
    expected = {}
    for ward in ("A", "B", None):
        sel = df[df["ward"].isna()] if ward is None else df[df["ward"] == ward]
        counts = []
        for d in days:  # the definition, day by day and stay by stay
            n = 0
            for adm, dis in zip(sel["admission_date"], sel["discharge_date"], strict=True):
                if adm >= end_of_as_of:
                    continue
                last = as_of if pd.isna(dis) or dis >= end_of_as_of else dis.normalize()
                n += adm.normalize() <= d <= last
            counts.append(n)
        expected[ward] = counts
    for ward in ("A", "B"):
        if ward in p:
            assert p[ward].tolist() == expected[ward]
    assert p["total"].tolist() == [sum(x) for x in zip(*expected.values(), strict=True)]
    # presence = the midnight census + the day's discharges
    mid = hp.census(df, start, end, as_of=as_of, by=None)["total"]
    dis = df["discharge_date"]
    dis = dis[dis < end_of_as_of].dt.normalize().value_counts()
    assert (p["total"] - mid).tolist() == dis.reindex(days, fill_value=0).tolist()


def test_daily_presence_counts_a_stay_of_ward_segments_once():
    # stay S1 moves from ward A to ward B on Tuesday at 12:00; stay S2 is a day case in A
    df = frame(["2025-03-03 10:00", "2025-03-04 12:00", "2025-03-04 08:00"],
               ["2025-03-04 12:00", "2025-03-06 09:00", "2025-03-04 10:00"],
               stay_id=["S1", "S1", "S2"], patient_id=["P1", "P1", "P2"],
               ward=["A", "B", "A"])
    p = hp.daily_presence(df, by="ward")
    assert p["A"].tolist() == [1, 2, 0, 0]  # S1 and S2 in A on Tuesday
    assert p["B"].tolist() == [0, 1, 1, 1]
    assert p["total"].tolist() == [1, 2, 1, 1]  # S1 once on Tuesday
    # the instant census reads each segment in its own ward
    c = hp.census_at(df, "2025-03-04", "2025-03-04", at="12:00")
    assert c[["A", "B", "total"]].iloc[0].tolist() == [0, 1, 1]


def patientcounter_beds() -> pd.DataFrame:
    """patientcounter's ``beds`` data (data-raw/beds.R, commit 9cddc4d9), POSIXct UTC."""
    start = [1577867640, 1577872500, 1577874840, 1577898000, 1577868300, 1577891580,
             1577911308, 1577916780, 1577869500, 1577871000]
    end = [1577871240, 1577873724, 1577896440, 1577919600, 1577886300, 1577910444,
           1577915772, 1577922180, 1577871300, None]
    return pd.DataFrame({
        "bed": list("AAAABBBBCD"),
        "patient": ["Person1", "Person5", "Person9", "Person8", "Person2", "Person6",
                    "Person7", "Person10", "Person3", "Person4"],
        "start_time": pd.to_datetime(start, unit="s"),
        "end_time": pd.to_datetime(pd.Series(end, dtype="float64"), unit="s"),
    })


def test_daily_presence_patientcounter_examples():
    beds = patientcounter_beds()
    cols = {"admission_date": "start_time", "discharge_date": "end_time",
            "patient_id": "patient", "ward": "bed"}
    # test_outputs.R: patient 3 of the beds data of that version, admitted 2020-01-01
    # 11:34 and discharged 2020-01-02 17:34, counts on 1 and 2 January (time_unit
    # '1 day'; N = 1, 1 in bed A, and in the total)
    p3 = frame(["2020-01-01 11:34"], ["2020-01-02 17:34"], bed=["A"], patient=[3])
    got = hp.daily_presence(p3, by="ward", columns={"ward": "bed", "patient_id": "patient"},
                            count="patients")
    assert got.index.tolist() == [T("2020-01-01"), T("2020-01-02")]
    assert got["A"].tolist() == [1, 1] and got["total"].tolist() == [1, 1]
    # the beds data by day: ten people, all on 1 January (Person4 still in)
    got = hp.daily_presence(beds, columns=cols, count="patients", by="ward")
    assert got.index.tolist() == [T("2020-01-01")]
    assert got.loc[T("2020-01-01")].tolist() == [4, 4, 1, 1, 10]


def test_patientcounter_hourly_totals_are_presence_in_the_hour():
    # patientcounter's README.md (commit 9cddc4d9; results = "total", time_unit =
    # "1 hour") counts, per hour, anyone present at any time in it: 2, 5, 4, 3, 3, 3 from
    # 08:00 UTC (printed an hour later, in the README's time zone). That is the census at
    # the start of the hour plus the arrivals after that instant during the hour (no
    # arrival falls exactly on the hour between 08:00 and 14:00 here).
    beds = patientcounter_beds()
    cols = {"admission_date": "start_time", "discharge_date": "end_time", "ward": "bed"}
    c = hp.census_at(beds, "2020-01-01", "2020-01-01", freq="h", by=None, columns=cols)
    hour = beds["start_time"].dt.floor("h")
    arrivals = hour.value_counts().reindex(c.index, fill_value=0)
    during = (c["total"] + arrivals.to_numpy())[T("2020-01-01 08:00"):T("2020-01-01 13:00")]
    assert during.tolist() == [2, 5, 4, 3, 3, 3]


# ------------------------------------------------------------------ date-only data
def test_date_only_data_is_refused_naming_the_columns():
    raw = pd.DataFrame({"Date of Admission": ["2024-01-01", "2024-01-02"],
                        "Discharge Date": ["2024-01-05", "2024-01-03"],
                        "Room Number": ["101", "102"]})
    for call in (lambda: hp.census_at(raw, at="08:00", by=None),
                 lambda: hp.occupancy_profile(raw)):
        with pytest.raises(ArgumentError) as err:
            call()
        msg = str(err.value)
        assert "'Date of Admission' (admission_date)" in msg
        assert "'Discharge Date' (discharge_date)" in msg
        assert "dates only" in msg and "at=None" in msg and "daily_presence" in msg
    # daily presence reads dates: it works
    assert hp.daily_presence(raw)["total"].tolist() == [1, 2, 2, 1, 1]


def test_only_the_date_only_column_is_named():
    df = frame(["2024-01-01 10:00", "2024-01-02 11:00"], ["2024-01-05", None])
    with pytest.raises(ArgumentError, match=r"column 'discharge_date' is at midnight"):
        hp.census_at(df, freq="h", by=None)
    # open stays only, timed admissions: fine
    ok = frame(["2024-01-01 10:00"], [None])
    assert hp.census_at(ok, at="12:00", by=None)["total"].tolist() == [1]


# -------------------------------------------------------------- the rest of the API
def test_inputs_are_not_mutated():
    df = BOUNDARY.copy()
    before = df.copy()
    hp.census_at(df, at="08:00")
    hp.occupancy_profile(df, {"A": 2, "B": 2})
    hp.daily_presence(df, by="ward")
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize("name", ["census_at", "occupancy_profile", "daily_presence"])
def test_accessor_methods(name):
    method = getattr(HospitalAccessor, name)
    assert f"hospitalytics.{name}" in method.__doc__
    import inspect

    fn_params = list(inspect.signature(getattr(hp, name)).parameters.values())[1:]
    m_params = list(inspect.signature(method).parameters.values())[1:]
    assert [(p.name, p.kind, p.default) for p in m_params] == [
        (p.name, p.kind, p.default) for p in fn_params]
    df = hp.datasets.load_sample()
    kw = {"at": "08:00"} if name == "census_at" else {}
    kw["start"], kw["end"] = "2025-11-03", "2025-11-30"
    pd.testing.assert_frame_equal(getattr(df.hospital, name)(**kw), getattr(hp, name)(df, **kw))


# ------------------------------------------------------------------------- the chart
def test_plot_cells_are_the_profile():
    import matplotlib.pyplot as plt
    from matplotlib.collections import QuadMesh

    from hospitalytics import plots

    df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    kw = {"start": "2025-01-06", "end": "2025-12-14"}
    table = hp.occupancy_profile(df, beds, **kw)
    ax = plots.occupancy_profile(df, beds=beds, **kw)
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(7, 24),
                               table.T.to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table.columns)
    # the busiest cell is outlined and named
    w, t = np.unravel_index(np.nanargmax(table.T.to_numpy()), (7, 24))
    outline = [p for p in ax.patches if not p.get_fill()]
    assert len(outline) == 1 and outline[0].get_xy() == (t, w)
    peak = table.T.to_numpy()[w, t]
    note = " ".join(t.get_text() for t in ax.texts)
    assert f"Busiest: {['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][w]}" in note
    assert f"at {table.index[t]} ({peak:.1%}) · 6 Jan 2025 – 14 Dec 2025" in note
    assert f"{table.iloc[0, 0]:.0%}" in note  # cells annotated
    assert table.attrs["measure"] == "occupancy" and table.attrs["start"] == "2025-01-06"
    # drawn from the table alone (one group of a by= table)
    by_loc = hp.occupancy_profile(df, by="location", **kw)
    ax = plots.draw_occupancy_profile(by_loc.loc["North Campus"])
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(7, 24),
                               by_loc.loc["North Campus"].T.to_numpy())
    assert "patients" in " ".join(t.get_text() for t in ax.texts)
    # into a given Axes, kwargs to pcolormesh, through the accessor
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4))
    ax = df.hospital.plot.occupancy_profile(ax=right, edgecolors="black", **kw)
    assert ax is right and not left.has_data()
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(7, 24),
                               hp.occupancy_profile(df, **kw).T.to_numpy())


def test_plot_empty_period_warns_at_the_caller():
    from hospitalytics import plots

    df = hp.datasets.load_sample()
    with pytest.warns(DataQualityWarning, match="empty") as record:
        ax = plots.occupancy_profile(df, start="2020-01-01", end="2020-01-31")
    assert "No data" in " ".join(t.get_text() for t in ax.texts)
    assert record[0].filename == __file__


def test_plot_refuses_date_only_data():
    from hospitalytics import plots

    df = frame(["2025-03-03", "2025-03-04"], ["2025-03-05", "2025-03-06"])
    with pytest.raises(ArgumentError, match="dates only"):
        plots.occupancy_profile(df)


# ------------------------------------------------------ at= on the census KPIs
def test_kpis_at_a_clock_time_are_the_census_at_that_time():
    df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
    kw = {"start": "2025-01-01", "end": "2025-01-31"}
    at8 = hp.census_at(df, **kw, at="08:00")
    pd.testing.assert_frame_equal(hp.census(df, **kw, at="08:00"), at8)
    pd.testing.assert_frame_equal(hp.census(df, **kw, freq="h", by=None),
                                  hp.census_at(df, **kw, freq="h", by=None))
    assert hp.bed_days(df, **kw, at="08:00") == at8["total"].sum()
    by_loc = hp.bed_days(df, **kw, at="08:00", by="location")
    assert by_loc.to_dict() == hp.census_at(df, **kw, at="08:00", by="location").drop(
        columns="total").sum().to_dict()
    assert hp.average_daily_census(df, **kw, at="08:00") == pytest.approx(
        at8["total"].mean())
    # occupancy: the 08:00 census in the wards with beds over their available bed-days
    occ = hp.occupancy_by_ward(df, beds, **kw, at="08:00")
    wards = occ.index
    assert occ["occupied_bed_days"].tolist() == at8[wards].sum().tolist()
    pd.testing.assert_series_equal(occ["available_bed_days"],
                                   hp.occupancy_by_ward(df, beds, **kw)["available_bed_days"])
    assert hp.occupancy(df, beds, **kw, at="08:00") == pytest.approx(
        at8[wards].sum().sum() / occ["available_bed_days"].sum())
    # the midnight census is the default and is unchanged
    assert hp.bed_days(df, **kw) == 8450 and hp.bed_days(df, **kw, at=None) == 8450
    # the accessor passes at= through
    assert df.hospital.occupancy(beds, **kw, at="08:00") == hp.occupancy(df, beds, **kw,
                                                                         at="08:00")


def test_kpis_at_by_hand_and_on_date_only_data():
    # ward A, 2 beds: a stay 3 Mar 10:00 -> 4 Mar 20:00 and one 4 Mar 09:00 -> 13:00
    df = frame(["2025-03-03 10:00", "2025-03-04 09:00"], ["2025-03-04 20:00",
                                                          "2025-03-04 13:00"], ward=["A", "A"])
    kw = {"start": "2025-03-03", "end": "2025-03-04"}
    assert hp.bed_days(df, **kw) == 1                 # midnight: the night of the 3rd
    assert hp.bed_days(df, **kw, at="12:00") == 3     # noon: 1 on the 3rd, 2 on the 4th
    assert hp.occupancy(df, {"A": 2}, **kw, at="12:00") == 0.75
    assert hp.average_daily_census(df, **kw, at="09:00") == 1.0  # 0, then 2 (arrival)
    with pytest.warns(DataQualityWarning, match=r"Z \(1 bed-days\)"):
        hp.occupancy_by_ward(df.assign(ward=["A", "Z"]), {"A": 2}, **kw, at="12:00")
    dates = frame(["2025-03-03", "2025-03-04"], ["2025-03-05", "2025-03-04"], ward=["A", "A"])
    for call in (lambda: hp.bed_days(dates, at="08:00"),
                 lambda: hp.occupancy(dates, {"A": 2}, at="08:00"),
                 lambda: hp.census(dates, freq="h")):
        with pytest.raises(ArgumentError, match="dates only"):
            call()
    assert hp.bed_days(dates) == 2  # the midnight census reads dates
