"""The bundled sample hospital: :func:`load_sample` and :func:`load_sample_beds`."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from ..schema import CORE_ROLES
from ._synthetic import DEPARTMENT_DTYPE, LOCATION_DTYPE, TREATMENT_DTYPE, WARD_DTYPE

__all__ = ["SAMPLE_BEDS_FILE", "SAMPLE_STAYS_FILE", "load_sample", "load_sample_beds"]

#: File names of the bundled sample inside ``hospitalytics/datasets/data``.
SAMPLE_STAYS_FILE = "sample_stays.csv.gz"
SAMPLE_BEDS_FILE = "sample_beds.csv"

#: The timestamp format of the sample CSV (minutes; an empty field is a ``NaT``).
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M"

_CATEGORIES = {
    "department": DEPARTMENT_DTYPE,
    "ward": WARD_DTYPE,
    "location": LOCATION_DTYPE,
    "treatment": TREATMENT_DTYPE,
}


def _data_file(name: str):
    return resources.files("hospitalytics.datasets").joinpath("data", name)


def load_sample() -> pd.DataFrame:
    """Load the bundled sample: about 53,000 stays of a fictional mid-size hospital.

    The stays were made by :func:`make_stays` and admitted by a simulated bed manager (see
    ``_build_sample.py``): admissions from 2023-10-01 through 2025-12-15 (the extract
    date, so December 2025 is a partial month) in 8 departments, 12 wards of 20-32 beds
    and 3 locations, with 9 treatment types. Monthly ward occupancy runs from about 75% in
    summer to 97% in winter (lower in October 2023, the first month of the extract, which
    has no patients admitted before it). They include
    same-day stays, stays of more than 21 and 60 days, stays still open on 2025-12-15
    (``NaT`` discharge) and patients readmitted within 30 days. Timestamps are to the
    minute, costs to the cent. Capacities: :func:`load_sample_beds`.

    Returns
    -------
    DataFrame
        The canonical frame: ``patient_id`` (text), ``admission_date`` and
        ``discharge_date`` (``datetime64[ns]``), ``department``, ``ward``, ``location``
        and ``treatment`` (categoricals), ``cost`` and ``age`` (float64).

    See Also
    --------
    load_sample_beds : Beds per ward of the sample hospital.
    make_stays : Synthetic stays at any size.

    Examples
    --------
    >>> from hospitalytics.datasets import load_sample
    >>> stays = load_sample()
    >>> len(stays)
    53404
    >>> str(stays["admission_date"].min().date()), str(stays["admission_date"].max().date())
    ('2023-10-01', '2025-12-15')
    >>> int(stays["discharge_date"].isna().sum()) > 0  # still in hospital at the extract
    True
    """
    with resources.as_file(_data_file(SAMPLE_STAYS_FILE)) as path:
        raw = pd.read_csv(
            path,
            compression="gzip",
            dtype={
                "patient_id": str,
                "admission_date": str,
                "discharge_date": str,
                "department": str,
                "ward": str,
                "location": str,
                "treatment": str,
                "cost": "float64",
                "age": "float64",
            },
            keep_default_na=False,
            na_values={"discharge_date": [""]},
        )
    out = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    out["patient_id"] = raw["patient_id"]
    for col in ("admission_date", "discharge_date"):
        out[col] = pd.to_datetime(raw[col], format=TIMESTAMP_FORMAT).astype("datetime64[ns]")
    for col, dtype in _CATEGORIES.items():
        out[col] = pd.Categorical(raw[col], dtype=dtype)
    out["cost"] = raw["cost"]
    out["age"] = raw["age"]
    return out[list(CORE_ROLES)]


def load_sample_beds() -> pd.DataFrame:
    """Load the beds per ward of the sample hospital returned by :func:`load_sample`.

    Twelve wards of 20 to 32 beds, 294 in all. Admissions were managed to fill them to a
    planned occupancy with a winter peak: Elderly Care runs hot (above the 92% planning
    ceiling most of the year), Maternity, Ortho Elective and the Paediatric Ward cooler
    (about 80%).

    Returns
    -------
    DataFrame
        Columns ``ward`` (text) and ``beds`` (int64), one row per ward of the sample.

    See Also
    --------
    load_sample : The sample's stays.
    make_beds : Capacities sized for any synthetic stays.

    Examples
    --------
    >>> from hospitalytics.datasets import load_sample, load_sample_beds
    >>> beds = load_sample_beds()
    >>> list(beds.columns)
    ['ward', 'beds']
    >>> set(beds["ward"]) == set(load_sample()["ward"].cat.categories)
    True
    """
    with resources.as_file(_data_file(SAMPLE_BEDS_FILE)) as path:
        beds = pd.read_csv(path, dtype={"ward": str, "beds": "int64"})
    return beds[["ward", "beds"]]
