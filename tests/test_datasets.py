"""Tests of hospitalytics.datasets: the bundled sample, make_stays and make_beds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hospitalytics.datasets as ds
from hospitalytics.datasets import load_sample, load_sample_beds, make_beds, make_stays
from hospitalytics.datasets._build_sample import DATA, PLAN, build
from hospitalytics.errors import ArgumentError, SchemaError
from hospitalytics.schema import CATEGORY_ROLES, CORE_ROLES

DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return load_sample()


@pytest.fixture(scope="module")
def sample_beds() -> pd.DataFrame:
    return load_sample_beds()


@pytest.fixture(scope="module")
def sample_census(sample) -> tuple[pd.Series, int]:
    """Occupied bed-days per ward of the sample, by expanding each stay into its nights."""
    adm = sample["admission_date"].dt.normalize()
    last = max(adm.max(), sample["discharge_date"].max().normalize())
    stop = sample["discharge_date"].dt.normalize().fillna(last + DAY)
    nights = (stop - adm).dt.days.clip(lower=0).to_numpy()
    row = np.repeat(np.arange(len(sample)), nights)  # one row per occupied night
    day = adm.to_numpy()[row] + (np.arange(len(row)) - np.repeat(nights.cumsum() - nights,
                                                                  nights)) * DAY
    assert (day <= last).all()
    counts = pd.Series(sample["ward"].to_numpy()[row]).astype(str).value_counts()
    return counts.astype("float64"), (last - adm.min()).days + 1


def los_days(stays: pd.DataFrame) -> pd.Series:
    """Calendar-day LOS of the discharged stays."""
    closed = stays[stays["discharge_date"].notna()]
    return (
        closed["discharge_date"].dt.normalize() - closed["admission_date"].dt.normalize()
    ).dt.days


def brute_force_census(stays: pd.DataFrame) -> tuple[pd.Series, int]:
    """Occupied bed-days per ward by expanding every stay into its census days."""
    adm = stays["admission_date"].dt.normalize()
    last = max(stays["admission_date"].max(), stays["discharge_date"].max()).normalize()
    span = (last - adm.min()).days + 1
    counts: dict[str, int] = {}
    for ward, a, d in zip(stays["ward"], adm, stays["discharge_date"], strict=True):
        stop = last + DAY if pd.isna(d) else d.normalize()
        days = pd.date_range(a, stop - DAY, freq="D")  # a <= day < stop
        counts[str(ward)] = counts.get(str(ward), 0) + len(days)
    return pd.Series(counts, dtype="float64"), span


def check_canonical(stays: pd.DataFrame) -> None:
    assert list(stays.columns) == list(CORE_ROLES)
    assert isinstance(stays.index, pd.RangeIndex)
    assert stays.index.start == 0 and stays.index.step == 1
    assert stays["admission_date"].dtype == "datetime64[ns]"
    assert stays["discharge_date"].dtype == "datetime64[ns]"
    for col in (c for c in CATEGORY_ROLES if c in CORE_ROLES):
        assert isinstance(stays[col].dtype, pd.CategoricalDtype), col
        assert all(isinstance(c, str) for c in stays[col].cat.categories), col
    assert stays["cost"].dtype == "float64"
    assert stays["age"].dtype == "float64"
    pid = stays["patient_id"]
    assert pd.api.types.is_string_dtype(pid.dtype)
    assert not isinstance(pid.dtype, pd.CategoricalDtype)
    assert pid.dtype == pd.Series(["P000001"]).dtype  # the default text dtype
    assert all(isinstance(x, str) for x in pid)
    assert pid.str.fullmatch(r"P\d{6,}").all()


# ----------------------------------------------------------------------- public API


def test_all_is_sorted_and_complete():
    assert ds.__all__ == sorted(ds.__all__)
    assert ds.__all__ == ["load_sample", "load_sample_beds", "make_beds", "make_stays"]
    for name in ds.__all__:
        assert callable(getattr(ds, name))
        assert "Examples" in getattr(ds, name).__doc__


# ----------------------------------------------------------------------- the sample


def test_sample_is_canonical(sample):
    check_canonical(sample)


def test_sample_dtypes_match_make_stays(sample):
    pd.testing.assert_series_equal(sample.dtypes, make_stays(20, seed=3).dtypes)
    for col in (c for c in CATEGORY_ROLES if c in CORE_ROLES):
        assert sample[col].dtype == make_stays(5)[col].dtype


@pytest.mark.slow
def test_sample_is_what_the_build_script_makes(tmp_path):
    # the build is deterministic: it rewrites the bundled files byte for byte
    stays, beds = build(tmp_path)
    for name in ("sample_stays.csv.gz", "sample_beds.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    pd.testing.assert_frame_equal(load_sample(), stays)
    pd.testing.assert_frame_equal(load_sample_beds(), beds)
    assert (DATA / "sample_stays.csv.gz").stat().st_size <= 1_500_000  # a light wheel


def test_sample_size_and_span(sample):
    assert 50_000 <= len(sample) <= 57_000  # a mid-size hospital: ~24,000 a year
    adm = sample["admission_date"]
    assert adm.min().normalize() == pd.Timestamp("2023-10-01")
    assert adm.max().normalize() == pd.Timestamp("2025-12-15")  # mid-month: MTD is partial
    assert (adm.max() - adm.min()).days >= 2 * 365
    months = adm.dt.to_period("M").unique()
    assert len(months) == 27  # every month from 2023-10 through 2025-12 has admissions
    assert 22_000 <= (adm.dt.year == 2024).sum() <= 26_000  # a full calendar year
    assert (sample["discharge_date"].dropna() <= pd.Timestamp("2025-12-16")).all()


def test_sample_structure(sample):
    assert sample["department"].nunique() >= 6
    assert sample["location"].nunique() >= 2
    assert sample["treatment"].nunique() >= 8
    assert sample["ward"].nunique() >= sample["department"].nunique()
    per_ward = sample.groupby("ward", observed=True)[["department", "location"]].nunique()
    assert (per_ward == 1).all().all()  # each ward: one department, one location
    wards_per_dept = sample.groupby("department", observed=True)["ward"].nunique()
    assert wards_per_dept.between(1, 3).all()
    assert not sample.isna().drop(columns="discharge_date").any().any()


def test_sample_ages_and_case_mix(sample):
    age = sample["age"]
    assert age.between(0, 100).all()
    assert (age == age.round()).all()
    by_dept = sample.groupby("department", observed=True)["age"]
    assert by_dept.max()["Paediatrics"] < 18
    assert by_dept.min()["Obstetrics"] >= 16 and by_dept.max()["Obstetrics"] <= 50
    assert by_dept.median()["General Medicine"] > 65
    maternity = sample[sample["treatment"] == "Maternity care"]
    assert (maternity["department"] == "Obstetrics").all()
    chemo = sample[sample["treatment"] == "Chemotherapy"]
    assert (chemo["department"] == "Oncology").mean() > 0.8


def test_sample_stays(sample):
    closed = sample[sample["discharge_date"].notna()]
    assert (closed["discharge_date"] >= closed["admission_date"]).all()
    los = los_days(sample)
    assert 0.15 <= (los == 0).mean() <= 0.25  # same-day stays
    same_day = closed[los == 0]
    hours = (same_day["discharge_date"] - same_day["admission_date"]).dt.total_seconds() / 3600
    assert hours.median() > 1
    assert (los > 21).sum() >= 20
    assert (los > 60).sum() >= 1
    # still in hospital: about 90% of the 294 beds
    assert 220 <= sample["discharge_date"].isna().sum() <= 290


def test_sample_timestamps_and_costs(sample):
    for col in ("admission_date", "discharge_date"):
        ts = sample[col].dropna()
        assert (ts.dt.second == 0).all()
        assert ts.dt.hour.nunique() >= 12  # real times of day, not midnights
    assert (sample["cost"] > 0).all()
    assert np.allclose(sample["cost"], sample["cost"].round(2))
    by_treatment = sample.groupby("treatment", observed=True)["cost"].median()
    assert by_treatment["Intensive care"] > by_treatment["Observation"] * 5
    assert by_treatment["Surgery"] > by_treatment["Medication"]


def test_sample_winter_has_more_admissions_than_summer(sample):
    adm = sample["admission_date"]
    full = sample[(adm >= "2024-01-01") & (adm < "2025-12-01")]
    per_day = full.groupby(full["admission_date"].dt.normalize()).size()
    per_day = per_day.reindex(pd.date_range("2024-01-01", "2025-11-30"), fill_value=0)
    winter = per_day[per_day.index.month.isin([12, 1, 2])].mean()
    summer = per_day[per_day.index.month.isin([6, 7, 8])].mean()
    assert winter > 1.08 * summer  # bed-managed: admissions follow the beds' winter peak
    weekday = per_day[per_day.index.day_of_week < 5].mean()
    weekend = per_day[per_day.index.day_of_week >= 5].mean()
    assert weekday > weekend


def test_sample_has_readmissions(sample):
    s = sample.sort_values(["patient_id", "admission_date"])
    nxt = s.groupby("patient_id")["admission_date"].shift(-1)
    gap = nxt - s["discharge_date"]
    assert (gap.dropna() > pd.Timedelta(0)).all()  # a patient's stays never overlap
    rate = (gap <= pd.Timedelta(days=30)).sum() / s["discharge_date"].notna().sum()
    assert 0.05 <= rate <= 0.10
    assert sample["patient_id"].nunique() < len(sample)


def test_sample_beds(sample, sample_beds, sample_census):
    assert list(sample_beds.columns) == ["ward", "beds"]
    assert sample_beds["beds"].dtype == "int64"
    assert pd.api.types.is_string_dtype(sample_beds["ward"].dtype)
    assert list(sample_beds["ward"]) == list(sample["ward"].cat.categories)
    assert sample_beds["beds"].between(20, 35).all()  # real wards, not 2-5 beds
    assert dict(zip(sample_beds["ward"], sample_beds["beds"], strict=True)) == {
        ward: plan[0] for ward, plan in PLAN.items()
    }
    bed_days, span = sample_census
    occupancy = bed_days / (sample_beds.set_index("ward")["beds"] * span)
    assert occupancy.between(0.78, 0.93).all(), occupancy
    assert occupancy.idxmax() == "Elderly Care"
    pooled = bed_days.sum() / (sample_beds["beds"].sum() * span)
    assert 0.83 <= pooled <= 0.89


def plain_monthly_ward_occupancy(stays: pd.DataFrame, beds: pd.DataFrame) -> pd.DataFrame:
    """Monthly occupancy per ward (midnight census), by plain pandas: ward x month."""
    adm = stays["admission_date"].dt.normalize()
    last = adm.max()
    dis = stays["discharge_date"].dt.normalize().fillna(last + DAY)
    days = pd.date_range(adm.min(), last, freq="D")
    # +1 on the admission day, -1 on the discharge day, summed per ward and day
    moves = pd.concat([
        pd.DataFrame({"ward": stays["ward"], "day": adm, "n": 1}),
        pd.DataFrame({"ward": stays["ward"], "day": dis, "n": -1}),
    ])
    census = (
        moves.pivot_table(index="day", columns="ward", values="n", aggfunc="sum",
                          observed=True)
        .reindex(days, fill_value=0).fillna(0).cumsum()
    )
    per_month = census.groupby(census.index.to_period("M")).mean()
    return per_month / beds.set_index("ward")["beds"]


def test_sample_monthly_ward_occupancy_is_realistic(sample, sample_beds):
    import hospitalytics as hp

    plain = plain_monthly_ward_occupancy(sample, sample_beds)
    lib = hp.monthly_occupancy_by_ward(sample, sample_beds).pivot(
        index="month", columns="ward", values="occupancy")
    lib.index = lib.index.to_period("M")
    np.testing.assert_allclose(lib[plain.columns].to_numpy(), plain.to_numpy(), rtol=1e-12)
    # the first month of the extract has only the patients admitted since 1 October 2023
    first = plain.loc["2023-10"]
    assert first.between(0.6, 0.76).all()
    rest = plain.loc["2023-11":]
    assert rest.min().min() >= 0.75 and rest.max().max() <= 0.98, rest.agg(["min", "max"])
    months = rest.index.month
    winter = rest[months.isin([12, 1, 2])].mean()
    summer = rest[months.isin([6, 7, 8])].mean()
    assert (winter > summer + 0.03).all()  # every ward has a winter peak
    assert (winter > summer + 0.09).sum() >= 6  # the acute wards a strong one


def test_sample_headline_figures_by_plain_pandas(sample, sample_beds, sample_census):
    # the README tour's figures, recomputed without hospitalytics' kernels
    import hospitalytics as hp

    as_of = pd.Timestamp("2025-12-15")
    adm = sample["admission_date"].dt.normalize()
    dis = sample["discharge_date"].dt.normalize()
    mtd = int(adm.between("2025-12-01", as_of).sum())
    assert mtd == hp.admissions(sample, mtd=True) == 1074
    closed = dis.notna() & (dis <= as_of)
    los = (dis[closed] - adm[closed]).dt.days.clip(lower=1)  # WHO: same-day stay = 1 day
    assert round(los.mean(), 2) == round(hp.alos(sample), 2) == 4.04
    bed_days, span = sample_census
    assert span == 807  # 1 Oct 2023 to 15 Dec 2025
    assert bed_days.sum() == hp.bed_days(sample)
    occupancy = bed_days.sum() / (sample_beds["beds"].sum() * span)
    assert occupancy == pytest.approx(hp.occupancy(sample, sample_beds), rel=1e-12)
    assert round(occupancy, 3) == 0.863
    assert int(sample["discharge_date"].isna().sum()) == 266  # in-patients at the as-of date


# ----------------------------------------------------------------------- make_stays


@pytest.mark.parametrize("n", [0, 1, 1000])
def test_make_stays_rows_and_ranges(n):
    stays = make_stays(n, seed=11, start="2024-03-01", end="2024-06-30")
    assert len(stays) == n
    check_canonical(stays)
    adm, disc = stays["admission_date"], stays["discharge_date"]
    assert (adm >= pd.Timestamp("2024-03-01")).all()
    assert (adm < pd.Timestamp("2024-07-01")).all()
    assert (disc.dropna() < pd.Timestamp("2024-07-01")).all()
    assert (disc.dropna() >= adm[disc.notna()]).all()
    assert stays["age"].between(0, 100).all()
    assert (stays["cost"] > 0).all()
    assert adm.is_monotonic_increasing
    assert not stays.drop(columns="discharge_date").isna().any().any()


def test_make_stays_is_deterministic():
    a = make_stays(2_000, seed=5)
    pd.testing.assert_frame_equal(a, make_stays(2_000, seed=5))
    assert not a.equals(make_stays(2_000, seed=6))


def test_make_stays_open_at_end():
    kw = {"seed": 2, "start": "2025-01-01", "end": "2025-03-31"}
    open_ = make_stays(3_000, open_at_end=True, **kw)
    closed = make_stays(3_000, open_at_end=False, **kw)
    end = pd.Timestamp("2025-04-01")
    assert closed["discharge_date"].notna().all()
    after = closed["discharge_date"] >= end
    assert after.any()
    assert (open_["discharge_date"].isna() == after).all()
    pd.testing.assert_frame_equal(
        open_.drop(columns="discharge_date"), closed.drop(columns="discharge_date")
    )


def test_make_stays_same_day_admissions_on_end_date_stay_in():
    stays = make_stays(500, seed=1, start="2025-06-01", end="2025-06-01")
    assert (stays["admission_date"].dt.normalize() == pd.Timestamp("2025-06-01")).all()
    same_day = stays["discharge_date"].notna()
    assert 0.1 < same_day.mean() < 0.4
    assert (stays.loc[same_day, "discharge_date"] < pd.Timestamp("2025-06-02")).all()


def test_make_stays_structure_and_realism():
    stays = make_stays(50_000, seed=9)
    per_ward = stays.groupby("ward", observed=True)[["department", "location"]].nunique()
    assert (per_ward == 1).all().all()
    los = los_days(stays)
    assert 0.15 <= (los == 0).mean() <= 0.25
    assert (los > 60).any()
    months = stays["admission_date"].dt.month
    assert months.isin([12, 1, 2]).sum() > 1.15 * months.isin([6, 7, 8]).sum()
    ids = stays["patient_id"]
    assert 0.85 < ids.nunique() / len(ids) < 0.95


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((-1,), {}),
        ((1.5,), {}),
        ((True,), {}),
        ((10,), {"start": "2025-01-02", "end": "2025-01-01"}),
        ((10,), {"start": "not a date"}),
        ((10,), {"end": pd.Timestamp("2025-01-01", tz="UTC")}),
    ],
)
def test_make_stays_rejects_bad_arguments(args, kwargs):
    with pytest.raises(ArgumentError):
        make_stays(*args, **kwargs)


def test_make_stays_occupancy_at_scale():
    stays = make_stays(1_000_000, seed=4)
    beds = make_beds(stays)
    adm = stays["admission_date"].to_numpy().astype("datetime64[D]").view("int64")
    disc = stays["discharge_date"].to_numpy().astype("datetime64[D]")
    last = max(adm.max(), disc[~np.isnat(disc)].view("int64").max())
    disc = np.where(np.isnat(disc), last + 1, disc.view("int64"))
    span = last - adm.min() + 1
    bed_days = pd.Series(disc - adm).groupby(stays["ward"].to_numpy()).sum()
    occupancy = bed_days / (beds.set_index("ward")["beds"] * span)
    assert occupancy.between(0.75, 0.95).all(), occupancy
    assert len(beds) == stays["ward"].nunique()


# ----------------------------------------------------------------------- make_beds


def test_make_beds_matches_brute_force():
    stays = make_stays(200, seed=21, start="2025-01-01", end="2025-03-31")
    assert stays["discharge_date"].isna().any()
    bed_days, span = brute_force_census(stays)
    for target in (0.85, 0.6, 1.2):
        beds = make_beds(stays, target_occupancy=target).set_index("ward")["beds"]
        expected = np.maximum(np.floor(bed_days / span / target + 0.5), 1).astype("int64")
        pd.testing.assert_series_equal(
            beds.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
        )


def test_make_beds_small_example():
    stays = pd.DataFrame(
        {
            "ward": ["A", "A", "B", "C"],
            "admission_date": pd.to_datetime(
                ["2025-01-01 10:00", "2025-01-03 23:00", "2025-01-01 08:00", "2025-01-02 09:00"]
            ),
            "discharge_date": pd.to_datetime(
                ["2025-01-11 09:00", None, "2025-01-01 15:00", "2025-01-04 09:00"]
            ),
        }
    )
    # span 2025-01-01 .. 2025-01-11 = 11 days; A: 10 + 9 = 19 bed-days, B: 0, C: 2
    beds = make_beds(stays, target_occupancy={"A": 0.5})
    assert beds.to_dict("list") == {"ward": ["A", "B", "C"], "beds": [3, 1, 1]}
    assert make_beds(stays).to_dict("list")["beds"] == [2, 1, 1]


def test_make_beds_keeps_category_order_and_accepts_aliases():
    stays = make_stays(300, seed=8).rename(
        columns={"admission_date": "Admit Date", "discharge_date": "dischtime"}
    )
    beds = make_beds(stays)
    cats = [w for w in stays["ward"].cat.categories if w in set(stays["ward"])]
    assert list(beds["ward"]) == cats
    assert beds["beds"].dtype == "int64"


def test_make_beds_empty_and_errors():
    empty = make_stays(0)
    beds = make_beds(empty)
    assert list(beds.columns) == ["ward", "beds"] and len(beds) == 0
    stays = make_stays(50, seed=1)
    for bad in (0, -0.5, float("nan"), "85%", {"Cardio A": 0}):
        with pytest.raises(ArgumentError):
            make_beds(stays, target_occupancy=bad)
    with pytest.raises(ArgumentError, match="datetimes"):
        make_beds(stays.assign(admission_date=stays["admission_date"].astype(str)))
    with pytest.raises(SchemaError):
        make_beds(stays.drop(columns="ward"))


def test_make_beds_timezone_aware_dates():
    stays = make_stays(300, seed=3)
    aware = stays.assign(
        admission_date=stays["admission_date"].dt.tz_localize("Europe/London"),
        discharge_date=stays["discharge_date"].dt.tz_localize(
            "Europe/London", nonexistent="shift_forward", ambiguous="NaT"
        ),
    )
    assert len(make_beds(aware)) == len(make_beds(stays))
