"""hospitalytics.dask: every KPI over Dask partitions equals the pandas result."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")

from dask.delayed import Delayed  # noqa: E402

import hospitalytics as hp  # noqa: E402
import hospitalytics.dask as hd  # noqa: E402
from hospitalytics.datasets import load_sample, load_sample_beds, make_beds, make_stays  # noqa: E402
from hospitalytics.errors import (  # noqa: E402
    ArgumentError,
    DataQualityError,
    DataQualityWarning,
    SchemaError,
)

RTOL = 1e-12


# ------------------------------------------------------------------ data layouts
@pytest.fixture(scope="module")
def gen():
    # Open stays at the end; admissions sorted in time, so partitions split the timeline
    # and long stays cross partition boundaries.
    df = make_stays(6_000, seed=11, start="2024-01-01", end="2025-03-20")
    df.loc[df.sample(frac=0.02, random_state=1).index, "cost"] = np.nan
    return df


@pytest.fixture(scope="module")
def gen_beds(gen):
    return make_beds(gen)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _layouts(df):
    """The same stays as differently partitioned Dask frames."""
    by_ward = df.sort_values(["ward", "admission_date"], kind="stable")
    text = df.astype({c: "str" for c in ("department", "ward", "location", "treatment")})
    gap = np.arange(len(text)) % 97 == 0  # some missing labels: the "(missing)" group
    text.loc[gap, "ward"] = None
    text.loc[gap, "department"] = None
    return {
        # time-split partitions: stays cross partition boundaries
        "time": (df, dd.from_pandas(df, npartitions=5, sort=False)),
        # sorted by ward: most wards are missing from most partitions
        "by_ward": (by_ward, dd.from_pandas(by_ward, npartitions=7, sort=False)),
        # plain text labels: each partition has its own categories (combined by label)
        "text": (text, dd.from_pandas(text, npartitions=4, sort=False)),
    }


@pytest.fixture(scope="module", params=["time", "by_ward", "text"])
def layout(request, gen):
    return _layouts(gen)[request.param]


@pytest.fixture(scope="module")
def sample_layout(sample):
    return sample, dd.from_pandas(sample, npartitions=6, sort=False)


def assert_same(got, want):
    """Exact for ints, labels and dtypes; floating sums to a tight tolerance."""
    if isinstance(want, pd.DataFrame):
        assert isinstance(got, pd.DataFrame)
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=RTOL)
        assert got.attrs == want.attrs
    elif isinstance(want, pd.Series):
        assert isinstance(got, pd.Series)
        pd.testing.assert_series_equal(got, want, check_exact=False, rtol=RTOL)
    elif isinstance(want, float):
        assert type(got) is float
        if np.isnan(want):
            assert np.isnan(got)
        else:
            assert got == pytest.approx(want, rel=RTOL)
    else:
        assert type(got) is type(want)
        assert got == want


PERIODS = [
    {},
    {"mtd": True},
    {"start": "2024-06-01", "end": "2024-09-30"},
    {"as_of": "2024-11-15"},  # an explicit, earlier extract date: stays become open
    {"start": "2024-10-01", "as_of": "2024-11-15"},
    {"ytd": True, "as_of": "2025-02-10"},
]


# ----------------------------------------------------------------- the headline KPIs
LAZY_KPIS = ["admissions", "discharges", "alos", "bed_days", "average_daily_census"]


def _batched(df, ddf, calls):
    """Compare many KPI calls, computed on Dask in one scheduler run (``compute=False``)."""
    lazy = [getattr(ddf.hospital, kpi)(compute=False, **kw) for kpi, kw in calls]
    for (kpi, kw), got in zip(calls, dask.compute(*lazy), strict=True):
        assert_same(got, getattr(df.hospital, kpi)(**kw))


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: ",".join(p) or "all")
def test_scalar_kpis_equal_pandas(layout, period):
    df, ddf = layout
    _batched(df, ddf, [(kpi, period) for kpi in LAZY_KPIS])
    # treatment_cost warns about stays without cost: the same warning, once, in both
    want, warned = _recorded(df.hospital.treatment_cost, **period)
    got, warned_dask = _recorded(ddf.hospital.treatment_cost, **period)
    assert_same(got, want)
    assert warned_dask == warned


@pytest.mark.parametrize("by", ["ward", "department", "age_group", ["location", "treatment"]])
def test_grouped_kpis_equal_pandas(layout, by):
    df, ddf = layout
    period = {"start": "2024-03-01", "as_of": "2025-01-10", "by": by}
    _batched(df, ddf, [(kpi, period) for kpi in LAZY_KPIS])
    want, warned = _recorded(df.hospital.treatment_cost, **period)
    got, warned_dask = _recorded(ddf.hospital.treatment_cost, **period)
    assert_same(got, want)
    assert warned_dask == warned


@pytest.mark.parametrize("definitions", ["hcup", "oecd",
                                         hp.Definitions(los_unit="exact"),
                                         hp.Definitions(alos_basis="admissions",
                                                        day_case_bed_day=True)])
def test_definitions_hold(layout, definitions):
    df, ddf = layout
    kw = {"definitions": definitions}
    _batched(df, ddf, [("alos", {**kw, "by": "ward"}), ("bed_days", {**kw, "by": "ward"}),
                       ("alos", {**kw, "as_of": "2024-12-01"}),
                       ("census", {**kw, "start": "2025-01-01"})])


def test_census_equals_pandas(layout):
    df, ddf = layout
    _batched(df, ddf, [("census", {"by": by, **period})
                       for by in ("ward", None, "treatment") for period in PERIODS])


@pytest.mark.parametrize("period", PERIODS[:4], ids=lambda p: ",".join(p) or "all")
def test_occupancy_equals_pandas(layout, gen_beds, period):
    # (the "text" layout has stays without a ward: both engines name them in one warning)
    df, ddf = layout
    for kpi in ("occupancy_by_ward", "occupancy"):
        want, warned = _recorded(getattr(df.hospital, kpi), beds=gen_beds, **period)
        got, warned_dask = _recorded(getattr(ddf.hospital, kpi), beds=gen_beds, **period)
        assert_same(got, want)
        assert warned_dask == warned


def test_capacity_over_date_ranges(layout, gen_beds):
    df, ddf = layout
    table = gen_beds.assign(valid_from=pd.NaT, valid_to=pd.Timestamp("2024-08-31"))
    later = gen_beds.assign(beds=gen_beds["beds"] + 3, valid_from=pd.Timestamp("2024-10-01"),
                            valid_to=pd.NaT)
    dates = {"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]"}
    beds = pd.concat([table.astype(dates), later.astype(dates)], ignore_index=True)
    want, warned = _recorded(df.hospital.occupancy_by_ward, beds=beds)
    got, warned_dask = _recorded(ddf.hospital.occupancy_by_ward, beds=beds)
    assert_same(got, want)
    assert warned_dask == warned


@pytest.mark.parametrize("kwargs", [
    {},
    {"as_of": "2024-11-15"},
    {"start": "2024-07-01", "end": "2024-12-31", "definitions": "oecd"},
    {"start": "2024-02-01", "as_of": "2024-12-31"},  # explicit: one pass only
    {"start": "2025-06-01", "as_of": "2025-03-01"},  # after the as-of date: empty
], ids=["default", "as_of", "range", "explicit", "future"])
def test_summary_equals_pandas(layout, gen_beds, kwargs):
    df, ddf = layout
    want, warned = _recorded(df.hospital.summary, beds=gen_beds, **kwargs)
    got, warned_dask = _recorded(ddf.hospital.summary, beds=gen_beds, **kwargs)
    assert_same(got, want)
    assert warned_dask == warned


def test_summary_without_beds_or_patients(layout, gen_beds):
    df, ddf = layout
    assert_same(ddf.hospital.summary(), df.hospital.summary())
    no_ward = ["ward", "department"]
    want, warned = _recorded(df.drop(columns=no_ward).hospital.summary, beds=gen_beds)
    got, warned_dask = _recorded(ddf.drop(columns=no_ward).hospital.summary, beds=gen_beds)
    assert_same(got, want)
    assert warned_dask == warned != []
    no_pid = ddf.drop(columns=["patient_id", "cost"])
    want = df.drop(columns=["patient_id", "cost"]).hospital.summary()
    assert_same(no_pid.hospital.summary(), want)


def test_sample(sample_layout):
    df, ddf = sample_layout
    beds = load_sample_beds()
    assert_same(ddf.hospital.summary(beds), df.hospital.summary(beds))
    assert_same(ddf.hospital.admissions(mtd=True, by="department"),
                df.hospital.admissions(mtd=True, by="department"))
    assert_same(ddf.hospital.occupancy_by_ward(beds, mtd=True),
                df.hospital.occupancy_by_ward(beds, mtd=True))
    assert_same(ddf.hospital.census(ytd=True), df.hospital.census(ytd=True))


# -------------------------------------------------------------- edges and plumbing
# dask's Parquet writer and reader call DataFrame.set_index/reset_index(inplace=True),
# deprecated in pandas 3.1 (dask/dataframe/io/parquet/arrow.py); not ours to fix.
PARQUET_WRITE = pytest.mark.filterwarnings(
    r"ignore:The inplace keyword in DataFrame\.(set|reset)_index is deprecated"
)


@PARQUET_WRITE
def test_empty_partitions_and_parquet(tmp_path, gen, gen_beds):
    # Filtering leaves empty partitions; Parquet is the format the benchmark reads.
    ddf = dd.from_pandas(gen, npartitions=6, sort=False)
    cut = pd.Timestamp("2024-05-01")
    part = ddf[ddf["admission_date"] < cut]
    want = gen[gen["admission_date"] < cut]
    assert_same(part.hospital.summary(gen_beds), want.hospital.summary(gen_beds))
    assert_same(part.hospital.census(by="ward"), want.hospital.census(by="ward"))
    ddf.to_parquet(tmp_path / "stays")
    back = dd.read_parquet(tmp_path / "stays")
    assert_same(back.hospital.summary(gen_beds), gen.hospital.summary(gen_beds))
    assert_same(back.hospital.alos(by="ward"), gen.hospital.alos(by="ward"))
    assert back.hospital.census().equals(gen.hospital.census())


def test_raw_columns_inferred_and_mapped(gen):
    raw = gen.rename(columns={"admission_date": "admittime", "discharge_date": "dischtime",
                              "department": "dept", "cost": "Billing Amount"})
    raw = raw.drop(columns=["ward"])  # ward is filled from the department, as in pandas
    ddf = dd.from_pandas(raw, npartitions=4)
    cols = {"cost": "Billing Amount"}
    want, warned = _recorded(raw.hospital.treatment_cost, by="ward", columns=cols)
    got, warned_dask = _recorded(ddf.hospital.treatment_cost, by="ward", columns=cols)
    assert_same(got, want)
    assert warned_dask == warned
    assert_same(ddf.hospital.census(), raw.hospital.census())


def test_all_stays_open_and_empty_period(gen):
    df = gen.assign(discharge_date=pd.NaT)
    ddf = dd.from_pandas(df, npartitions=3)
    assert_same(ddf.hospital.alos(), df.hospital.alos())
    assert_same(ddf.hospital.bed_days(by="ward"), df.hospital.bed_days(by="ward"))
    assert_same(ddf.hospital.census(as_of="2023-06-01"), df.hospital.census(as_of="2023-06-01"))


def test_compute_false_is_one_delayed(layout):
    df, ddf = layout
    lazy = [ddf.hospital.admissions(compute=False), ddf.hospital.alos(by="ward", compute=False),
            ddf.hospital.summary(compute=False)]
    assert all(isinstance(x, Delayed) for x in lazy)
    adm, los, summ = dask.compute(*lazy)
    assert_same(adm, df.hospital.admissions())
    assert_same(los, df.hospital.alos(by="ward"))
    assert_same(summ, df.hospital.summary())


@PARQUET_WRITE
def test_lazy_graph_reads_each_partition_once_per_pass(tmp_path, gen):
    # The first pass (as-of date) and the main pass must not share partition reads, or
    # the scheduler would keep every partition in memory between the two passes.
    dd.from_pandas(gen, npartitions=4).to_parquet(tmp_path / "stays")
    lazy = dd.read_parquet(tmp_path / "stays").hospital.bed_days(compute=False)
    graph = dict(lazy.__dask_graph__())
    users: dict = {}
    for key in graph:
        for dep in dask.core.get_dependencies(graph, key):
            users.setdefault(dep, []).append(key)
    shared = [k for k, u in users.items() if len(u) > 1 and "_plan" not in str(k)]
    assert shared == []


def test_missing_cost_warns_once_with_the_total(gen):
    df = gen
    ddf = dd.from_pandas(df, npartitions=5)
    with pytest.warns(DataQualityWarning, match="have no cost") as rec:
        got = ddf.hospital.treatment_cost()
    assert len(rec) == 1
    with pytest.warns(DataQualityWarning) as rec_pd:
        want = df.hospital.treatment_cost()
    assert str(rec[0].message) == str(rec_pd[0].message)
    assert rec[0].filename == __file__  # points at the caller
    assert_same(got, want)


def test_wards_without_beds_warn_or_raise(layout, gen_beds):
    df, ddf = layout
    beds = gen_beds.iloc[2:]
    with pytest.warns(DataQualityWarning) as rec:
        got = ddf.hospital.occupancy_by_ward(beds)
    with pytest.warns(DataQualityWarning) as rec_pd:
        want = df.hospital.occupancy_by_ward(beds)
    assert [str(w.message) for w in rec] == [str(w.message) for w in rec_pd]
    assert_same(got, want)
    with pytest.raises(DataQualityError, match="without bed capacity"):
        ddf.hospital.occupancy(beds, strict=True)


def test_errors_as_in_pandas(gen):
    ddf = dd.from_pandas(gen.drop(columns=["discharge_date"]), npartitions=2)
    with pytest.raises(SchemaError):
        ddf.hospital.alos()
    with pytest.raises(ArgumentError, match="grouping role"):
        ddf.hospital.admissions(by="colour")
    with pytest.raises(ArgumentError, match="at most one"):
        ddf.hospital.admissions(mtd=True, ytd=True)
    with pytest.raises(ArgumentError, match="basis"):
        ddf.hospital.treatment_cost(basis="both")
    with pytest.raises(ArgumentError, match="dask DataFrame"):
        hd.admissions(gen)
    with pytest.raises(AttributeError, match="ddf.compute"):
        ddf.hospital.standardize()  # noqa: B018 - a pandas-only method
    with pytest.raises(AttributeError):
        ddf.hospital.no_such_kpi  # noqa: B018


def test_plain_import_does_not_import_dask():
    code = (
        "import sys, hospitalytics, pandas as pd;"
        "assert 'dask' not in sys.modules, 'dask imported';"
        "import hospitalytics.dask, dask.dataframe as dd;"
        "ddf = dd.from_pandas(hospitalytics.datasets.make_stays(50, seed=1), npartitions=2);"
        "assert isinstance(ddf.hospital, hospitalytics.dask.DaskHospitalAccessor)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _recorded(method, **kwargs):
    """Call a KPI and return its result and the messages of its DataQualityWarnings."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always", DataQualityWarning)
        out = method(**kwargs)
    return out, [str(w.message) for w in rec if issubclass(w.category, DataQualityWarning)]


# ------------------------------------------------- labels and ids: one normalisation
def _mixed_labels() -> pd.DataFrame:
    # ward 3 and 3.0 (and the text "3.0") in different partitions; patient 7 and "7"
    return pd.DataFrame({
        "patient_id": pd.array([7, 8, 9, "7", 8, " 9"], dtype=object),
        "admission_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03",
                                          "2025-01-10", "2025-01-12", "2025-01-20"]),
        "discharge_date": pd.to_datetime(["2025-01-05", "2025-01-04", "2025-01-06",
                                          "2025-01-12", "2025-01-15", "2025-01-22"]),
        "ward": pd.array([3, "A", "B", 3.0, "A", "3.0"], dtype=object),
        "cost": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })


@pytest.mark.parametrize("convert_string", [True, False])
def test_object_labels_and_ids_equal_pandas(convert_string):
    df = _mixed_labels()
    with dask.config.set({"dataframe.convert-string": convert_string}):
        ddf = dd.from_pandas(df, npartitions=2, sort=False)
        got = ddf.hospital.bed_days(by="ward")
        # one ward "3" in both engines (4 + 2 + 2 bed-days), as pandas always had it
        assert got.to_dict() == {"3": 8, "A": 5, "B": 3}
        assert_same(got, df.hospital.bed_days(by="ward"))
        assert_same(ddf.hospital.census(), df.hospital.census())
        assert_same(ddf.hospital.alos(by="ward"), df.hospital.alos(by="ward"))
        summ = ddf.hospital.summary(as_of="2025-03-31")
    want = df.hospital.summary(as_of="2025-03-31")
    assert_same(summ, want)
    # patient 7 and "7" (and 9 and " 9") are one patient in both engines: 7 is back 5
    # days after leaving, 8 after 8 days, 9 after 14 days -> 3 of the 6 index stays
    assert want.loc["readmission_rate_30d", "period"] == pytest.approx(3 / 6)


# ----------------------------------------------------------------- ward segments
def _split(stays: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Each stay as 1-3 back-to-back segments in other wards, rows shuffled (no loops)."""
    rng = np.random.default_rng(seed)
    n = len(stays)
    k = rng.integers(1, 4, n)
    k[stays["discharge_date"].isna().to_numpy()] = 1
    rows = np.repeat(np.arange(n), k)
    j = np.arange(len(rows)) - np.repeat(np.cumsum(k) - k, k)
    kk = k[rows]
    seg = stays.iloc[rows].reset_index(drop=True)
    adm = seg["admission_date"].to_numpy().astype("datetime64[ns]").view("int64")
    dis = seg["discharge_date"].to_numpy().astype("datetime64[ns]").view("int64")
    dur = np.where(kk > 1, dis - adm, 0)
    start = adm + dur // kk * j
    stop = np.where(j == kk - 1, dis, adm + dur // kk * (j + 1))
    seg["admission_date"] = start.view("datetime64[ns]")
    seg["discharge_date"] = pd.Series(stop.view("datetime64[ns]")).where(
        seg["discharge_date"].notna())
    cats = seg["ward"].cat.categories
    seg["ward"] = pd.Categorical.from_codes((seg["ward"].cat.codes + j) % len(cats), cats)
    seg["stay_id"] = rows
    return seg.sample(frac=1.0, random_state=seed).reset_index(drop=True)


@pytest.fixture(scope="module")
def segments(gen):
    seg = _split(gen.iloc[:2_000], seed=5)
    assert seg["stay_id"].nunique() == 2_000 < len(seg)
    return seg


@pytest.mark.parametrize("period", PERIODS[:4], ids=lambda p: ",".join(p) or "all")
def test_segments_equal_pandas(gen, segments, period):
    df, ddf = segments, dd.from_pandas(segments, npartitions=4, sort=False)
    calls = [("admissions", {**period, "by": "ward"}), ("discharges", {**period, "by": "ward"}),
             ("alos", {**period, "by": "ward"}), ("alos", period),
             ("bed_days", {**period, "by": "ward"})]
    _batched(df, ddf, calls)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # the costs missing on purpose
        for basis in ("admission", "discharge"):
            assert_same(ddf.hospital.treatment_cost(**period, by="ward", basis=basis),
                        df.hospital.treatment_cost(**period, by="ward", basis=basis))
    # the stays they were cut from give the same events (first admission, last discharge)
    stays = gen.iloc[:2_000]
    assert hp.admissions(df, **period, by="ward").equals(hp.admissions(stays, **period,
                                                                       by="ward"))
    assert hp.discharges(df, **period) == hp.discharges(stays, **period)
    assert hp.alos(df, **period) == pytest.approx(hp.alos(stays, **period), nan_ok=True)


def test_segments_summary_equal_pandas(gen, segments, gen_beds):
    ddf = dd.from_pandas(segments, npartitions=5, sort=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        got, want = ddf.hospital.summary(gen_beds), segments.hospital.summary(gen_beds)
    assert_same(got, want)
    stays = gen.iloc[:2_000]
    assert want.loc["admissions", "period"] == hp.admissions(stays, as_of=want.attrs["as_of"])
    assert want.loc["readmission_rate_30d", "period"] == pytest.approx(
        hp.readmission_rate(stays, as_of=want.attrs["as_of"]))


def test_segments_with_text_stay_ids_equal_pandas(segments):
    # stay ids as text, with spellings the engine reads as one id, spread over partitions
    df = segments.drop(columns="patient_id")
    ids = df["stay_id"].astype(str)
    odd = np.arange(len(df)) % 3 == 0
    df["stay_id"] = ids.where(~odd, ids + ".0").where(np.arange(len(df)) % 3 != 1, " " + ids)
    ddf = dd.from_pandas(df, npartitions=4, sort=False)
    assert hp.admissions(df) == 2_000
    assert_same(ddf.hospital.admissions(by="ward"), df.hospital.admissions(by="ward"))
    assert_same(ddf.hospital.alos(), df.hospital.alos())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        assert_same(ddf.hospital.summary(), df.hospital.summary())


def test_segment_warnings_as_in_pandas():
    from tests.test_segments import segments as seg_frame

    seg = seg_frame()
    seg.loc[1, "cost"] = 500.0  # a stay whose segments disagree on the cost
    ddf = dd.from_pandas(seg, npartitions=2, sort=False)
    got, got_msgs = _recorded(ddf.hospital.summary)
    want, want_msgs = _recorded(seg.hospital.summary)
    assert_same(got, want)
    assert sorted(got_msgs) == sorted(want_msgs) and any("different costs" in m
                                                         for m in want_msgs)
    no_id = seg.drop(columns="stay_id")
    got, got_msgs = _recorded(dd.from_pandas(no_id, npartitions=2).hospital.summary)
    want, want_msgs = _recorded(no_id.hospital.summary)
    assert_same(got, want)
    assert sorted(got_msgs) == sorted(want_msgs)
    assert any("look like ward segments" in m for m in want_msgs)


def test_readmission_rules_equal_pandas():
    from tests.test_readmissions import TestDispositions, stays

    df = stays(disposition=TestDispositions.VALUES)
    ddf = dd.from_pandas(df, npartitions=3, sort=False)
    assert_same(ddf.hospital.summary(as_of="2025-04-30"), df.hospital.summary(as_of="2025-04-30"))
    codes = stays(disposition=["4", "1", "2", "1", "1", "1", "1", "1", "1"])
    got, got_msgs = _recorded(dd.from_pandas(codes, npartitions=3).hospital.summary)
    want, want_msgs = _recorded(codes.hospital.summary)
    assert_same(got, want)
    assert got_msgs == want_msgs and "bare codes" in want_msgs[0]


@pytest.mark.realdata
def test_mimic_segments_equal_pandas(shared_data):
    from hospitalytics.adapters import from_mimic

    hosp = shared_data / "mimic-iv-demo" / "hosp"
    if not (hosp / "transfers.csv.gz").exists():
        pytest.skip("MIMIC-IV demo not available")
    seg = from_mimic(pd.read_csv(hosp / "admissions.csv.gz"),
                     pd.read_csv(hosp / "transfers.csv.gz"), level="segment")
    ddf = dd.from_pandas(seg, npartitions=4, sort=False)
    assert_same(ddf.hospital.admissions(), 252)
    assert_same(ddf.hospital.alos(by="ward"), seg.hospital.alos(by="ward"))
    assert_same(ddf.hospital.summary(), seg.hospital.summary())


# --------------------------------------------- the KPIs that moved onto specs (issue 12)
NEW_KPIS = [
    ("monthly", lambda beds: {}),
    ("monthly", lambda beds: {"beds": beds}),
    ("by_treatment", lambda beds: {}),
    ("by_age_group", lambda beds: {"bins": [0, 40, 80]}),
    ("los_distribution", lambda beds: {}),
    ("los_distribution", lambda beds: {"by": "ward"}),
    ("long_stays", lambda beds: {"by": "department"}),
    ("bed_board", lambda beds: {"beds": beds}),
    ("bed_turnover", lambda beds: {"beds": beds}),
    ("monthly_occupancy_by_ward", lambda beds: {"beds": beds}),
    ("readmission_rate", lambda beds: {"details": True}),
]


@pytest.mark.parametrize("period", [{}, {"start": "2024-06-01", "end": "2024-09-30"},
                                    {"as_of": "2024-11-15"}],
                         ids=lambda p: ",".join(p) or "all")
def test_spec_kpis_equal_pandas(layout, gen_beds, period):
    df, ddf = layout
    for kpi, kwargs in NEW_KPIS:
        kw = dict(kwargs(gen_beds))
        if kpi in ("long_stays", "bed_board"):
            kw.update({k: v for k, v in period.items() if k == "as_of"})
        else:
            kw.update(period)
        want, warned = _recorded(getattr(df.hospital, kpi), **kw)
        got, warned_dask = _recorded(getattr(ddf.hospital, kpi), **kw)
        assert_same(got, want)
        assert warned_dask == warned, kpi


def test_spec_kpis_with_segments_equal_pandas(segments, gen_beds):
    # stays of several segments: each stay's segments meet in one partition (shuffle)
    df, ddf = segments, dd.from_pandas(segments, npartitions=4, sort=False)
    for kpi, kwargs in NEW_KPIS:
        kw = kwargs(gen_beds)
        want, warned = _recorded(getattr(df.hospital, kpi), **kw)
        got, warned_dask = _recorded(getattr(ddf.hospital, kpi), **kw)
        assert_same(got, want)
        assert warned_dask == warned, kpi


def test_by_treatment_counts_patients_across_partitions():
    # one patient's stays in two partitions: counted once per treatment, as pandas does
    df = pd.DataFrame({
        "admission_date": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-09",
                                          "2025-01-12"]),
        "discharge_date": pd.to_datetime(["2025-01-02", "2025-01-06", "2025-01-10",
                                          "2025-01-13"]),
        "patient_id": ["p1", "p2", "p1", "p1"],
        "treatment": ["Surgery", "Surgery", "Surgery", "Medicine"],
    })
    ddf = dd.from_pandas(df, npartitions=2, sort=False)
    got = ddf.hospital.by_treatment()
    assert got.loc["Surgery", "admissions"] == 3
    assert got.loc["Surgery", "patients"] == 2  # p1 twice, p2 once
    assert got.loc["Medicine", "patients"] == 1
    assert_same(got, df.hospital.by_treatment())


def _params(fn, skip=1):
    return [(p.name, p.kind, p.default) for p in
            list(inspect.signature(fn).parameters.values())[skip:]]


def test_every_pandas_kpi_is_on_dask_with_the_same_signature():
    for name in hp.kpis.__all__:
        fn = getattr(hp.kpis, name)
        if not inspect.isfunction(fn):
            continue
        dask_fn = getattr(hd, name)
        method = getattr(hd.DaskHospitalAccessor, name)
        compute = ("compute", inspect.Parameter.KEYWORD_ONLY, True)
        # the functions: the pandas parameters after the frame, plus compute=
        assert _params(dask_fn) == [*_params(fn), compute], name
        # the accessor methods: written out, the pandas accessor's parameters plus compute=
        assert _params(method) == [*_params(getattr(hp.HospitalAccessor, name)), compute], name
        assert f":func:`{name}`" in inspect.getdoc(method), name
        assert "Examples" in inspect.getdoc(dask_fn), name


def test_dask_accessor_is_stateless(gen):
    ddf = dd.from_pandas(gen.iloc[:200], npartitions=2)
    acc = ddf.hospital
    acc.admissions()
    assert set(vars(acc)) == {"_ddf"}
