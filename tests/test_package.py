"""The package surface: version, exported names, typing marker, lightness of import."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pandas as pd

import hospitalytics

EXPECTED_ALL = sorted(hospitalytics.__all__)


def test_all_is_sorted_and_complete():
    assert hospitalytics.__all__ == sorted(hospitalytics.__all__, key=str)
    for name in hospitalytics.__all__:
        assert hasattr(hospitalytics, name), name


def test_exported_members_are_pinned():
    # Changing the public surface must be a deliberate act: update this list with it.
    assert set(hospitalytics.__all__) >= {
        "admissions", "alos", "census", "discharges", "occupancy", "occupancy_by_ward",
        "summary", "treatment_cost", "standardize", "read", "Definitions", "SchemaError",
        "HospitalyticsError", "DataQualityWarning", "monthly", "by_treatment",
        "by_age_group", "los_distribution", "datasets", "__version__",
    }


def test_version_single_source():
    from hospitalytics import _version

    assert hospitalytics.__version__ == _version.__version__
    assert hospitalytics.__version__.count(".") >= 2


def test_py_typed_is_shipped():
    assert resources.files("hospitalytics").joinpath("py.typed").is_file()


def test_accessor_is_registered_on_import():
    assert "hospital" in dir(pd.DataFrame)


def test_import_is_light():
    code = (
        "import sys, hospitalytics, pandas as pd;"
        "pd.DataFrame({'admission_date': ['2025-01-01']}).hospital.admissions();"
        "heavy = [m for m in ('matplotlib', 'seaborn', 'squarify', 'dask') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_names_the_public_datasets_not_a_folder_outside_the_repository():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "../shared/data/README.md" not in readme
    for source in ("doi.org/10.13026/07hj-2a80", "ODbL", "synthetichealth/synthea",
                   "Apache-2.0", "OHDSI/EunomiaDatasets", "Synthea27Nj"):
        assert source in readme, source
    # the "Your data" section names every input the library reads
    section = readme.split("## Your data", 1)[1].split("\n## ", 1)[0]
    for kind in ("CSV", "Parquet", "Excel", "MIMIC-IV", "Synthea", "OMOP",
                 "from_mimic(", "from_synthea(", "from_omop("):
        assert kind in section, kind
