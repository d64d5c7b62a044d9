"""The fast paths of issue 13 give the numbers of the general paths.

Each fast path (the one-pass check of a canonical frame, binary searches on rows in
admission order, patient ids read as numbers, the sort over repeat patients only) is
compared with the general route on the same data: the same frame shuffled (no longer in
admission order), or with its ids in a shape that must be hashed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hospitalytics as hp
from hospitalytics._clean_prepare import prepare_frame
from hospitalytics._frame import id_codes
from hospitalytics._scan import NAT, between, scan_columns, text_numbers
from hospitalytics.errors import DataQualityWarning


@pytest.fixture(scope="module")
def stays() -> pd.DataFrame:
    return hp.datasets.make_stays(3000, seed=3, start="2024-01-01", end="2024-12-31")


@pytest.fixture(scope="module")
def beds(stays) -> pd.DataFrame:
    return hp.datasets.make_beds(stays)


# ------------------------------------------------------------------ the one-pass check
def test_scan_finds_what_numpy_finds():
    adm = np.array([5, 1, 3, 9], dtype="int64")
    dis = np.array([6, NAT, 3, 12], dtype="int64")
    facts = scan_columns(adm, dis, rows=2)
    assert (facts.adm_min, facts.adm_max, facts.dis_max) == (1, 9, 12)
    assert not facts.adm_sorted and facts.has_open
    sorted_facts = scan_columns(np.sort(adm), np.array([6, 6, 9, 12]), rows=3)
    assert sorted_facts.adm_sorted and not sorted_facts.has_open


@pytest.mark.parametrize("breach", ["missing_admission", "before_admission", "inf_cost",
                                    "negative_age"])
def test_scan_hands_any_breach_to_the_full_rules(breach):
    adm = np.array([1, 2, 3], dtype="int64")
    dis = np.array([2, 3, 4], dtype="int64")
    cost = np.array([1.0, np.nan, 2.0])
    age = np.array([3.0, 40.0, np.nan])
    if breach == "missing_admission":
        adm[1] = NAT
    elif breach == "before_admission":
        dis[2] = 2
    elif breach == "inf_cost":
        cost[0] = np.inf
    else:
        age[1] = -1.0
    assert scan_columns(adm, dis, [cost, age], [age], rows=2) is None
    assert scan_columns(np.array([1, 2, 3]), np.array([2, 3, 4]), [np.array([1.0, 2, 3])],
                        rows=2) is not None


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=40),
       st.integers(-60, 60), st.integers(-60, 60))
def test_between_is_the_comparison(values, lo, hi):
    v = np.array(values, dtype="int64")
    assert between(v, lo, hi, rows=7).tolist() == ((v >= lo) & (v < hi)).tolist()


def test_prepare_fast_path_keeps_the_frame_and_reads_its_dates(stays):
    frame, facts = prepare_frame(stays, wants=["cost", "ward"])
    assert facts is not None and facts.adm_sorted
    assert facts.adm_min == stays["admission_date"].min().value
    assert facts.dis_max == stays["discharge_date"].max().value
    pd.testing.assert_series_equal(frame["cost"], stays["cost"])


@pytest.mark.parametrize("change", ["negative_age", "discharge_before", "typo_year",
                                    "placeholder"])
def test_a_bad_row_in_a_canonical_frame_still_leaves_with_a_warning(stays, change):
    df = stays.head(50).copy()
    if change == "negative_age":
        df.loc[3, "age"] = -2.0
    elif change == "discharge_before":
        df.loc[3, "discharge_date"] = df.loc[3, "admission_date"] - pd.Timedelta(days=2)
    elif change == "typo_year":
        df.loc[3, "discharge_date"] = pd.Timestamp("2254-01-01")
    else:
        df.loc[3, "discharge_date"] = pd.Timestamp("2262-01-01")  # far future, not a date
    with pytest.warns(DataQualityWarning, match="1 of 50 rows left out"):
        frame, facts = prepare_frame(df, wants=["age"])
    assert facts is None and 3 not in frame.index and len(frame) == 49


def test_a_placeholder_inside_the_range_takes_the_full_path(stays):
    df = stays.head(20).copy()
    df.loc[4, "discharge_date"] = pd.Timestamp("2200-01-01")
    with pytest.warns(DataQualityWarning, match="placeholders"):
        frame = hp.clean.prepare(df, open_placeholders=["2200-01-01"])
    assert pd.isna(frame.loc[4, "discharge_date"])


# ------------------------------------------------------------------ ids as numbers
@pytest.mark.parametrize(("ids", "numbers"), [
    (["P0042", "P0007", "P0042"], [42, 7, 42]),
    (["0001", "1000", "0001"], [1, 1000, 1]),
    (["MRN-9", "MRN-1"], [9, 1]),
])
def test_text_ids_of_one_shape_are_their_numbers(ids, numbers):
    s = pd.Series(ids, dtype="string[pyarrow]")
    assert text_numbers(s).tolist() == numbers


@pytest.mark.parametrize("ids", [["P1", "P12"], ["P01", "Q01"], ["P0x", "P01"],
                                 ["P01", None], ["ABC", "ABD"]])
def test_other_text_ids_are_left_to_factorize(ids):
    assert text_numbers(pd.Series(ids, dtype="string[pyarrow]")) is None


@given(st.lists(st.integers(0, 30), min_size=1, max_size=30), st.sampled_from(["int", "text"]))
def test_sparse_id_codes_group_the_rows_as_factorize_does(values, kind):
    s = (pd.Series(values, dtype="int64") if kind == "int"
         else pd.Series([f"P{v:04d}" for v in values], dtype="string[pyarrow]"))
    sparse = id_codes(s, dense=False)
    dense = id_codes(s)
    assert sparse.min() >= 0
    # the same rows share a code in both
    assert (sparse[:, None] == sparse[None, :]).tolist() == (
        dense[:, None] == dense[None, :]).tolist()


# ------------------------------------------------------------------ same numbers
def _hashed_ids(df: pd.DataFrame) -> pd.DataFrame:
    """The same patients with ids that no fast path reads (of different widths)."""
    out = df.copy()
    out["patient_id"] = "pat-" + out["patient_id"].str.lstrip("P0").astype(object)
    return out


CALLS = {
    "by_treatment": lambda df, beds: df.hospital.by_treatment(),
    "by_age_group": lambda df, beds: df.hospital.by_age_group("2024-03-01", "2024-10-31"),
    "readmission": lambda df, beds: df.hospital.readmission_rate(details=True),
    "summary": lambda df, beds: df.hospital.summary(beds),
    "monthly": lambda df, beds: df.hospital.monthly(beds),
    "monthly_as_of": lambda df, beds: df.hospital.monthly(None, "2024-02-10", "2024-09-20",
                                                          as_of="2024-08-15"),
    "discharges": lambda df, beds: df.hospital.discharges("2024-02-10", "2024-09-20",
                                                          by="ward"),
    "cost": lambda df, beds: df.hospital.treatment_cost("2024-02-10", "2024-09-20",
                                                        as_of="2024-08-15"),
    "census": lambda df, beds: df.hospital.census(by="ward"),
    "occupancy": lambda df, beds: df.hospital.occupancy_by_ward(beds, "2024-03-01",
                                                                "2024-06-30"),
    "alos": lambda df, beds: df.hospital.alos("2024-02-01", "2024-11-30", by="ward"),
    "long_stays": lambda df, beds: df.hospital.long_stays(by="ward"),
    "los_bands": lambda df, beds: df.hospital.los_distribution(by="department"),
    "bed_board": lambda df, beds: df.hospital.bed_board(beds),
    "admissions": lambda df, beds: df.hospital.admissions("2024-03-03", "2024-07-09",
                                                          by="location"),
}


def _equal(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a.sort_index(), b.sort_index(), check_exact=False,
                                      rtol=1e-12)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=False, rtol=1e-12)
    else:
        assert a == pytest.approx(b, rel=1e-12, nan_ok=True)


@pytest.mark.parametrize("call", list(CALLS))
def test_fast_paths_give_the_general_numbers(stays, beds, call):
    """Sorted rows with fixed-width ids against shuffled rows with ids to hash."""
    fast = CALLS[call](stays, beds)
    shuffled = _hashed_ids(stays).sample(frac=1.0, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        slow = CALLS[call](shuffled, beds)
    _equal(fast, slow)


def test_readmissions_with_ties_and_missing_ids_in_either_order():
    adm = pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-05", "2024-01-05",
                          "2024-02-01", "2024-01-03"])
    df = pd.DataFrame({
        "patient_id": pd.Series(["A01", "A01", "A01", "B02", "A01", None], dtype=object),
        "admission_date": adm,
        "discharge_date": adm + pd.Timedelta(days=1),
    })
    rate = hp.readmission_rate(df, details=True, follow_up="partial")
    # A01: 01-01 (x2) -> next 01-05 within 30 days; 01-05 -> 02-01 (27 days); 02-01 none
    assert rate["index_stays"] == 6 and rate["readmitted"] == 3
    back = hp.readmission_rate(df.iloc[::-1], details=True, follow_up="partial")
    assert back["readmitted"] == rate["readmitted"]


# ------------------------------------------------------------------ duplicates
def test_duplicates_found_through_the_key_are_pandas_duplicates():
    from hospitalytics._clean_report import _duplicated
    from hospitalytics.schema import resolve_roles

    rng = np.random.default_rng(5)
    n = 400
    df = pd.DataFrame({
        "patient_id": pd.Series(rng.choice(["A", "B", "C"], n), dtype="str"),
        "admission_date": pd.to_datetime("2024-01-01")
        + pd.to_timedelta(rng.integers(0, 5, n), unit="D"),
        "cost": rng.choice([0.0, -0.0, 1.5, np.nan], n),
        "ward": pd.Categorical(rng.choice(["W1", "W2"], n)),
        "age": rng.integers(0, 3, n),
    })
    expected = df.duplicated(keep="first").to_numpy()
    assert 0 < expected.sum() < n
    assert _duplicated(df, resolve_roles(df)).tolist() == expected.tolist()


def test_text_ids_over_several_arrow_chunks():
    import pyarrow as pa

    chunked = pa.chunked_array([["P01", "P02"], [], ["P03", "P01"]])
    s = pd.Series(pd.arrays.ArrowStringArray(chunked))
    assert text_numbers(s).tolist() == [1, 2, 3, 1]
    other = pa.chunked_array([["P01", "P02"], ["Q03"]])
    assert text_numbers(pd.Series(pd.arrays.ArrowStringArray(other))) is None


def test_census_over_blocks_first_mostly_gone_then_full():
    # Regression: the group-offset buffer was sized on the first block read; a first block
    # mostly discharged before the window (a few rows kept) and then a full block broke
    # the census by group at 10^6 stays. Compared with the one-shot census_matrix.
    from hospitalytics._scan import ROWS
    from hospitalytics._sweep import Stays, census_matrix, occupied_census
    from hospitalytics.definitions import get_definitions

    n = 2 * ROWS + 5
    rng = np.random.default_rng(1)
    adm_day = np.sort(rng.integers(0, 100, n))
    adm_day[ROWS:] += 200  # second and third blocks: admitted inside the window
    los = rng.integers(0, 20, n)
    adm = pd.to_datetime(adm_day, unit="D") + pd.to_timedelta(rng.integers(0, 1440, n),
                                                               unit="min")
    dis = adm + pd.to_timedelta(los, unit="D")
    df = pd.DataFrame({"admission_date": adm, "discharge_date": dis})
    st_ = Stays(df)
    st_.set_as_of(400)
    codes = rng.integers(-1, 3, n)
    first, n_days = 110, 250  # the first block: nearly every stay gone before day 110
    got = occupied_census(st_, get_definitions(), codes, 3, first, n_days)
    start = adm_day.astype("int64")
    stop = start + los
    if get_definitions().day_case_bed_day:  # a same-day stay: one bed-day
        stop = np.where(los == 0, start + 1, stop)
    want = census_matrix(start, stop, codes, 3, first, n_days)
    np.testing.assert_array_equal(got, want)
    assert want.sum() > 0


def test_a_placeholder_admission_date_in_a_canonical_frame_takes_the_full_path():
    # 1970-01-01 (a "no date" placeholder) long before the real admissions: rejected as
    # placeholder_date, as on the raw path, not kept by the one-pass check.
    df = pd.DataFrame({
        "admission_date": pd.to_datetime(["1970-01-01", "2024-01-01", "2024-02-01"]),
        "discharge_date": pd.to_datetime(["1970-01-03", "2024-01-05", "2024-02-02"]),
    })
    with pytest.warns(DataQualityWarning, match="placeholder_date"):
        frame, facts = prepare_frame(df)
    assert facts is None
    assert frame.index.tolist() == [1, 2]
