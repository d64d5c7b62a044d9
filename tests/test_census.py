"""Tests of the census kernels (hospitalytics.census) and of the KPIs on MIMIC-IV demo data.

The MIMIC-IV demo admissions are checked against independent computations in plain
pandas/Python written here (not the library's kernels).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics._sweep import NS_PER_DAY, Stays, census_matrix, clipped_days
from hospitalytics.definitions import Definitions, get_definitions


def day(s: str) -> int:
    return int(pd.Timestamp(s).value // NS_PER_DAY)


# ------------------------------------------------------------------ kernels
def test_clipped_days():
    # [0, 10) in [3, 8) -> 5; [5, 6) -> 1; [9, 12) -> 0; empty [4, 4) -> 0
    got = clipped_days(np.array([0, 5, 9, 4]), np.array([10, 6, 12, 4]), 3, 8)
    assert got.tolist() == [5, 1, 0, 0]


def test_census_matrix_against_brute_force():
    rng = np.random.default_rng(7)
    start = rng.integers(-5, 30, size=200)
    stop = start + rng.integers(0, 15, size=200)
    codes = rng.integers(-1, 3, size=200)  # -1 is left out
    got = census_matrix(start, stop, codes, 3, 0, 25)
    expected = np.zeros((3, 25), dtype=int)
    for s, e, c in zip(start, stop, codes, strict=True):
        if c < 0:
            continue
        for d in range(max(s, 0), min(e, 25)):
            expected[c, d] += 1
    assert got.shape == (3, 25)
    assert np.array_equal(got, expected)


def test_census_matrix_empty():
    assert census_matrix(np.array([1]), np.array([3]), np.array([0]), 1, 0, 0).shape == (1, 0)
    none = np.array([], dtype="int64")
    assert census_matrix(none, none, none, 2, 0, 3).tolist() == [[0, 0, 0], [0, 0, 0]]


# ------------------------------------------------------------------ Stays
def stays(adm, dis) -> Stays:
    return Stays(pd.DataFrame({"admission_date": pd.to_datetime(adm),
                               "discharge_date": pd.to_datetime(dis)}))


def test_stays_as_of_reading():
    # a: Mar 1 -> Mar 5; b: Mar 3 -> Mar 10; c: Mar 8 -> open; d: Mar 4 same day
    st = stays(["2025-03-01", "2025-03-03", "2025-03-08", "2025-03-04"],
               ["2025-03-05", "2025-03-10", None, "2025-03-04"])
    assert st.data_as_of == day("2025-03-10")
    st.set_as_of(day("2025-03-06"))
    assert st.exists.tolist() == [True, True, False, True]
    assert st.discharged.tolist() == [True, False, False, True]
    assert st.open.tolist() == [False, True, False, False]
    assert st.same_day.tolist() == [False, False, False, True]
    start, stop = st.occupied(get_definitions("who"))
    # a occupies Mar 1..4; b is open through Mar 6; c does not exist; d nothing
    assert (stop - start).tolist() == [4, 4, 0, 0]
    start, stop = st.occupied(Definitions(day_case_bed_day=True))
    assert (stop - start).tolist() == [4, 4, 0, 1]
    # reading again as of the end of the data: everything happened
    st.set_as_of(st.data_as_of)
    assert st.exists.all() and st.discharged.tolist() == [True, True, False, True]


def test_stays_los():
    st = stays(["2025-03-01 22:00", "2025-03-04 08:00", "2025-03-08 00:00"],
               ["2025-03-03 06:00", "2025-03-04 20:00", None])
    st.set_as_of(st.data_as_of)
    who = st.los(get_definitions("who"))
    assert who[:2].tolist() == [2.0, 1.0] and np.isnan(who[2])
    assert st.los(get_definitions("hcup"))[:2].tolist() == [2.0, 0.0]
    exact = st.los(Definitions(los_unit="exact"))
    assert exact[:2] == pytest.approx([1 + 8 / 24, 0.5])


def test_stays_without_discharge_column():
    st = Stays(pd.DataFrame({"admission_date": pd.to_datetime(["2025-03-01"])}))
    st.set_as_of(day("2025-03-03"))
    assert st.open.tolist() == [True]
    start, stop = st.occupied(get_definitions())
    assert (stop - start).tolist() == [3]


def test_pre_epoch_dates():
    # day numbers before 1970 must floor, not truncate towards zero
    df = pd.DataFrame({"admission_date": pd.to_datetime(["1969-12-30 10:00"]),
                       "discharge_date": pd.to_datetime(["1970-01-02 09:00"])})
    assert hp.bed_days(df) == 3
    assert hp.alos(df) == 3.0


# ------------------------------------------------------------------ MIMIC-IV demo
@pytest.fixture
def mimic(shared_data):
    path = shared_data / "mimic-iv-demo" / "hosp" / "admissions.csv.gz"
    if not path.exists():
        pytest.skip(f"{path} not available")
    return pd.read_csv(path)


def _independent(raw: pd.DataFrame):
    adm = pd.to_datetime(raw["admittime"])
    dis = pd.to_datetime(raw["dischtime"])
    nights = (dis.dt.normalize() - adm.dt.normalize()).dt.days
    return adm, dis, nights


@pytest.mark.realdata
def test_mimic_counts_and_alos_per_year(mimic):
    adm, dis, nights = _independent(mimic)
    los_who = nights.where(nights > 0, 1)  # same-day stays count 1 day
    for year in (2130, 2148, 2150, 2177):
        start, end = f"{year}-01-01", f"{year}-12-31"
        in_adm = adm.dt.year == year
        in_dis = dis.dt.year == year
        assert hp.admissions(mimic, start, end) == int(in_adm.sum())
        assert hp.discharges(mimic, start, end) == int(in_dis.sum())
        expected = los_who[in_dis].mean() if in_dis.any() else np.nan
        assert hp.alos(mimic, start, end) == pytest.approx(expected, nan_ok=True)
        hcup = nights[in_dis].mean() if in_dis.any() else np.nan
        assert hp.alos(mimic, start, end, definitions="hcup") == pytest.approx(hcup,
                                                                               nan_ok=True)
        exact = ((dis - adm).dt.total_seconds() / 86400)[in_dis].mean()
        got = hp.alos(mimic, start, end, definitions=Definitions(los_unit="exact"))
        assert got == pytest.approx(exact, nan_ok=True)
    # the whole data, read as of its latest date (2201): every stay admitted and discharged
    assert hp.admissions(mimic) == len(mimic)
    assert hp.discharges(mimic) == int(dis.notna().sum())
    assert hp.alos(mimic) == pytest.approx(los_who.mean())


@pytest.mark.realdata
def test_mimic_as_of_is_the_data_not_today(mimic):
    adm, dis, _ = _independent(mimic)
    latest = max(adm.max(), dis.max()).normalize()
    s = hp.summary(mimic)
    assert s.attrs["as_of"] == str(latest.date())
    month = latest.replace(day=1)
    assert hp.admissions(mimic, mtd=True) == int(((adm >= month) & (adm < latest +
                                                                     pd.Timedelta(days=1))).sum())


@pytest.mark.realdata
def test_mimic_daily_census_brute_force(mimic):
    adm, dis, _ = _independent(mimic)
    lo, hi = pd.Timestamp("2147-01-01"), pd.Timestamp("2148-12-31")
    got = hp.census(mimic, lo, hi, by=None)["total"]
    days = pd.date_range(lo, hi, freq="D")
    a, d = adm.dt.normalize(), dis.dt.normalize()
    expected = [int(((a <= x) & (x < d)).sum()) for x in days]
    assert got.index.equals(pd.DatetimeIndex(days, name="date")) or list(got.index) == list(days)
    assert got.tolist() == expected
    assert sum(expected) > 0  # the window is not empty
    assert hp.bed_days(mimic, lo, hi) == sum(expected)


@pytest.mark.realdata
def test_mimic_as_of_mid_data(mimic):
    # read as an extract taken at the end of 2148-06-30: later admissions do not exist,
    # later discharges have not happened (those stays are open through the as-of date)
    adm, dis, _ = _independent(mimic)
    as_of = pd.Timestamp("2148-06-30")
    a, d = adm.dt.normalize(), dis.dt.normalize()
    exists = a <= as_of
    assert hp.admissions(mimic, as_of=as_of) == int(exists.sum())
    assert hp.discharges(mimic, as_of=as_of) == int((d <= as_of).sum())
    lo = pd.Timestamp("2148-06-01")
    stop = d.where(d <= as_of, as_of + pd.Timedelta(days=1))
    expected = sum(int(((a <= x) & (x < stop) & exists).sum())
                   for x in pd.date_range(lo, as_of))
    assert hp.bed_days(mimic, lo, as_of, as_of=as_of) == expected


@pytest.mark.realdata
def test_mimic_readmissions(mimic):
    adm, dis, _ = _independent(mimic)
    frame = pd.DataFrame({"pid": mimic["subject_id"], "adm": adm, "dis": dis})
    start, end = pd.Timestamp("2130-01-01"), pd.Timestamp("2160-12-31")
    index = frame[(frame["dis"].dt.normalize() >= start) & (frame["dis"].dt.normalize() <= end)]
    readmitted = 0
    for row in index.itertuples():
        later = frame[(frame["pid"] == row.pid) & (frame["adm"] > row.adm)]
        if len(later):
            nxt = later["adm"].min().normalize()
            gap = (nxt - row.dis.normalize()).days
            readmitted += 0 <= gap <= 30
    expected = readmitted / len(index)
    crude = {"follow_up": "partial", "exclude_dispositions": False}
    assert hp.readmission_rate(mimic, start, end, **crude) == pytest.approx(expected)
    # by default (as CMS): only index stays whose 30-day window closed by the as-of date
    # (the latest date in the data), and none that ended in death, a transfer to another
    # acute hospital or a self-discharge (MIMIC's discharge_location)
    as_of = max(adm.max(), dis.max()).normalize()
    gone = mimic["discharge_location"].isin(["DIED", "ACUTE HOSPITAL", "AGAINST ADVICE"])
    frame["gone"] = gone
    index = frame[(frame["dis"].dt.normalize() >= start) & (frame["dis"].dt.normalize() <= end)
                  & (frame["dis"].dt.normalize() + pd.Timedelta(days=30) <= as_of)
                  & ~frame["gone"]]
    readmitted = 0
    for row in index.itertuples():
        later = frame[(frame["pid"] == row.pid) & (frame["adm"] > row.adm)]
        if len(later):
            gap = (later["adm"].min().normalize() - row.dis.normalize()).days
            readmitted += 0 <= gap <= 30
    assert 0 < len(index) < len(frame)
    assert hp.readmission_rate(mimic, start, end) == pytest.approx(readmitted / len(index))
    d = hp.readmission_rate(mimic, start, end, details=True)
    assert d["index_stays"] == len(index)
    in_period = (dis.dt.normalize() >= start) & (dis.dt.normalize() <= end)
    assert d["excluded_died"] == int((in_period & (mimic["discharge_location"] == "DIED")).sum())
