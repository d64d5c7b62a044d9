"""Tests of the DataFrame.hospital accessor (after xarray's tests/test_extensions.py)."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import kpis
from hospitalytics.accessor import HospitalAccessor
from hospitalytics.errors import DataQualityWarning

KPI_FUNCTIONS = sorted(n for n in kpis.__all__ if inspect.isfunction(getattr(kpis, n)))

# Arguments per KPI for the same-result check (beds where the KPI needs them).
NEEDS_BEDS = {"occupancy", "occupancy_by_ward", "monthly_occupancy_by_ward", "bed_turnover",
              "bed_board"}


@pytest.fixture(scope="module")
def sample():
    return hp.datasets.load_sample()


@pytest.fixture(scope="module")
def beds():
    return hp.datasets.load_sample_beds()


def test_registered():
    assert "hospital" in pd.DataFrame._accessors
    assert pd.DataFrame.hospital is HospitalAccessor
    assert isinstance(pd.DataFrame().hospital, HospitalAccessor)


def test_series_has_no_hospital_accessor():
    assert not hasattr(pd.Series([1.0]), "hospital")


def test_no_state_kept(sample):
    # pandas 3 builds a new accessor on every access; nothing may rely on caching it
    a, b = sample.hospital, sample.hospital
    assert a._df is sample and b._df is sample
    assert set(vars(a)) == {"_df"}
    a.admissions(mtd=True)
    assert set(vars(a)) == {"_df"}


def test_no_methods_injected_on_dataframe():
    for name in KPI_FUNCTIONS:
        assert not hasattr(pd.DataFrame, name), name


@pytest.mark.parametrize("name", KPI_FUNCTIONS)
def test_every_kpi_has_a_method(name):
    method = getattr(HospitalAccessor, name, None)
    assert method is not None, f"df.hospital.{name} is missing"
    assert inspect.getdoc(method), f"df.hospital.{name} has no docstring"
    assert f"hospitalytics.{name}" in inspect.getdoc(method)
    # written out explicitly: the same parameters as the function (after the frame)
    fn_params = list(inspect.signature(getattr(kpis, name)).parameters.values())[1:]
    m_params = list(inspect.signature(method).parameters.values())[1:]
    assert [(p.name, p.kind, p.default) for p in m_params] == [
        (p.name, p.kind, p.default) for p in fn_params
    ]


def _call(target, name, beds):
    args = (beds,) if name in NEEDS_BEDS else ()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        if name in ("summary", "monthly"):
            return target(beds)
        if name in ("long_stays", "bed_board"):
            return target(*args)
        return target(*args, "2025-01-01", "2025-03-31")


@pytest.mark.parametrize("name", KPI_FUNCTIONS)
def test_method_gives_the_function_result(sample, beds, name):
    via_accessor = _call(getattr(sample.hospital, name), name, beds)
    via_function = _call(lambda *a, **k: getattr(kpis, name)(sample, *a, **k), name, beds)
    if isinstance(via_function, pd.DataFrame):
        pd.testing.assert_frame_equal(via_accessor, via_function)
    elif isinstance(via_function, pd.Series):
        pd.testing.assert_series_equal(via_accessor, via_function)
    else:
        assert via_accessor == pytest.approx(via_function, nan_ok=True)


def test_keywords_pass_through(sample):
    got = sample.hospital.alos("2025-01-01", "2025-03-31", by="ward", definitions="oecd")
    pd.testing.assert_series_equal(
        got, hp.alos(sample, "2025-01-01", "2025-03-31", by="ward", definitions="oecd")
    )


def test_class_docstring():
    assert inspect.getdoc(HospitalAccessor)


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_does_not_load_plotting_libraries():
    _run("import hospitalytics, sys; "
         "assert 'matplotlib' not in sys.modules, 'matplotlib'; "
         "assert 'seaborn' not in sys.modules, 'seaborn'")


def test_import_does_not_load_dask():
    _run("import hospitalytics, sys; assert 'dask' not in sys.modules")


def test_accessor_works_without_plotting(sample):
    _run("import hospitalytics as hp, sys; df = hp.datasets.load_sample(); "
         "df.hospital.summary(); assert 'matplotlib' not in sys.modules")
