"""hospitalytics.dask: every KPI over Dask partitions equals the pandas result."""

from __future__ import annotations

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
    shared = [k for k, u in users.items() if len(u) > 1 and "_window" not in str(k)]
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
        ddf.hospital.by_treatment()  # noqa: B018 - a pandas-only method
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
