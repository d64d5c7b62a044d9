"""The headline KPIs and the panel on Dask frames: one call into the scheduler each.

Each function has the arguments of its pandas namesake plus ``compute=``, and runs the
KPI's spec from :mod:`hospitalytics.kpis` (see :mod:`hospitalytics.dask`).
"""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd

from ..capacity import normalize_beds
from ..definitions import Definitions
from ..kpis._beds import (
    AVERAGE_DAILY_CENSUS,
    BED_DAYS,
    CENSUS,
    OCCUPANCY,
    OCCUPANCY_BY_WARD,
    check_census_by,
)
from ..kpis._counts import ADMISSIONS, DISCHARGES, TREATMENT_COST, check_basis, cost_needs
from ..kpis._kernels import By, Columns
from ..kpis._los import ALOS
from ..kpis._summary import SUMMARY
from ._scheduler import pandas_only, run_spec

__all__ = [
    "admissions",
    "alos",
    "average_daily_census",
    "bed_days",
    "census",
    "discharges",
    "occupancy",
    "occupancy_by_ward",
    "summary",
    "treatment_cost",
]


def admissions(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Count the stays admitted in a period: :func:`hospitalytics.admissions` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each (canonical or raw, as for the pandas function).
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`hospitalytics.admissions`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    int or Series or Delayed
        The count, or counts indexed by the groups (a Delayed with ``compute=False``).

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.admissions(ddf, by="ward")
    ward
    A    3
    B    2
    Name: admissions, dtype: int64
    >>> hd.admissions(ddf, mtd=True, compute=False).compute()
    5
    """
    return run_spec(ddf, ADMISSIONS, columns=columns, by=by, start=start, end=end, mtd=mtd,
                    qtd=qtd, ytd=ytd, as_of=as_of, compute=compute)


def discharges(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Count the stays discharged in a period: :func:`hospitalytics.discharges` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.

    Returns
    -------
    int or Series or Delayed
        The count, or counts indexed by the groups.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.discharges(ddf, "2025-03-01", "2025-03-07")
    2
    """
    return run_spec(ddf, DISCHARGES, columns=columns, by=by, start=start, end=end, mtd=mtd,
                    qtd=qtd, ytd=ytd, as_of=as_of, compute=compute)


def treatment_cost(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    basis: str = "admission",
    columns: Columns = None,
    compute: bool = True,
):
    """Total treatment cost of a period: :func:`hospitalytics.treatment_cost` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.
    basis : {"admission", "discharge"}, default "admission"
        Cost of the stays admitted, or discharged, in the period.

    Returns
    -------
    float or Series or Delayed
        The total cost, or totals per group.

    Warns
    -----
    DataQualityWarning
        Once, with the number of stays of the period without a cost.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.treatment_cost(ddf, by="ward")
    ward
    A    2400.0
    B    1250.0
    Name: treatment_cost, dtype: float64
    """
    check_basis(basis)
    return run_spec(ddf, TREATMENT_COST, columns=columns, needs=cost_needs(basis), by=by,
                    start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                    compute=compute, basis=basis)


def alos(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Average length of stay in days: :func:`hospitalytics.alos` on Dask.

    Combines the sums and counts of the lengths of stay of each partition and divides
    once at the end.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        The conventions (default ``"who"``).

    Returns
    -------
    float or Series or Delayed
        ALOS in days, or per group (NaN where nothing is counted).

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.alos(ddf), hd.alos(ddf, definitions="hcup")
    (2.0, 1.75)
    """
    return run_spec(ddf, ALOS, columns=columns, by=by, definitions=definitions, start=start,
                    end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, compute=compute)


def bed_days(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    at=None,
    columns: Columns = None,
    compute: bool = True,
):
    """Occupied bed-days by the midnight census: :func:`hospitalytics.bed_days` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns, compute
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here.
    at : None
        The census by the clock is pandas-only: leave it unset.

    Returns
    -------
    int or Series or Delayed
        Bed-days, or per group.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.bed_days(ddf)
    15
    """
    pandas_only("bed_days", at=at)
    return run_spec(ddf, BED_DAYS, columns=columns, by=by, definitions=definitions,
                    start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                    compute=compute)


def average_daily_census(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    definitions: str | Definitions | None = None,
    at=None,
    columns: Columns = None,
    compute: bool = True,
):
    """Bed-days / days in the period: :func:`hospitalytics.average_daily_census` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, definitions, columns, compute
        As for :func:`bed_days`.
    at : None
        The census by the clock is pandas-only: leave it unset.

    Returns
    -------
    float or Series or Delayed
        Patients per day on average.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.average_daily_census(ddf, "2025-03-01", "2025-03-10")
    1.5
    """
    pandas_only("average_daily_census", at=at)
    return run_spec(ddf, AVERAGE_DAILY_CENSUS, columns=columns, by=by, definitions=definitions,
                    start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                    compute=compute)


def census(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: str | None = "ward",
    definitions: str | Definitions | None = None,
    at=None,
    freq=None,
    closed: str = "left",
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """The daily midnight census per group: :func:`hospitalytics.census` on Dask.

    Each partition runs the engine's event sweep into a ``groups x days`` matrix; the
    matrices are added by group label.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, columns, compute
        As for :func:`admissions`.
    by : str or None, default "ward"
        One grouping role, or None for the total only.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here.
    at, freq, closed
        The census by the clock is pandas-only (:func:`hospitalytics.census`): leave
        them unset.

    Returns
    -------
    DataFrame or Delayed
        Indexed by date, one column per group and a ``"total"`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.census(ddf, "2025-03-01", "2025-03-05")
    ward        A  B  total
    date
    2025-03-01  1  0      1
    2025-03-02  1  0      1
    2025-03-03  2  0      2
    2025-03-04  1  0      1
    2025-03-05  1  1      2
    """
    check_census_by(by)
    pandas_only("census", at=at, freq=freq)
    return run_spec(ddf, CENSUS, columns=columns, by=by, definitions=definitions, start=start,
                    end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, compute=compute)


def occupancy_by_ward(
    ddf: dd.DataFrame,
    beds,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions: str | Definitions | None = None,
    strict: bool = False,
    at=None,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """Bed occupancy per ward: :func:`hospitalytics.occupancy_by_ward` on Dask.

    Partitions add their occupied bed-days per capacity ward; available bed-days come from
    ``beds`` once.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward, optionally with ``valid_from``/``valid_to``.
    start, end, mtd, qtd, ytd, as_of, columns, compute
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        Only ``day_case_bed_day`` matters here.
    strict : bool, default False
        Raise instead of warning about stays in wards without capacity.
    at : None
        The census by the clock is pandas-only: leave it unset.

    Returns
    -------
    DataFrame or Delayed
        Indexed by ward: ``occupied_bed_days``, ``available_bed_days``, ``occupancy``.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.occupancy_by_ward(ddf, {"A": 2, "B": 1})
          occupied_bed_days  available_bed_days  occupancy
    ward
    A                  12.0                20.0        0.6
    B                   3.0                10.0        0.3
    """
    pandas_only("occupancy_by_ward", at=at)
    return run_spec(ddf, OCCUPANCY_BY_WARD, columns=columns, definitions=definitions,
                    start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                    compute=compute, beds=normalize_beds(beds), strict=strict)


def occupancy(
    ddf: dd.DataFrame,
    beds,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions: str | Definitions | None = None,
    strict: bool = False,
    at=None,
    columns: Columns = None,
    compute: bool = True,
):
    """Pooled bed occupancy rate: :func:`hospitalytics.occupancy` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward.
    start, end, mtd, qtd, ytd, as_of, definitions, strict, columns, compute
        As for :func:`occupancy_by_ward`.
    at : None
        The census by the clock is pandas-only: leave it unset.

    Returns
    -------
    float or Delayed
        Occupied over available bed-days (0.85 means 85%); NaN without beds.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> hd.occupancy(ddf, {"A": 2, "B": 1}, "2025-03-01", "2025-03-10")
    0.5
    """
    pandas_only("occupancy", at=at)
    return run_spec(ddf, OCCUPANCY, columns=columns, definitions=definitions, start=start,
                    end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, compute=compute,
                    beds=normalize_beds(beds), strict=strict)


def summary(
    ddf: dd.DataFrame,
    beds=None,
    *,
    start=None,
    end=None,
    as_of=None,
    definitions: str | Definitions | None = None,
    strict: bool = False,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """The KPI panel (period, MTD, previous month's same days): :func:`hospitalytics.summary`.

    One pass over the partitions computes every KPI for the three periods (after the first
    pass that finds the as-of date, unless ``as_of`` and ``start`` are given). When the data
    has patient ids and discharge dates, that pass runs over the stays shuffled by patient
    so that the 30-day readmission rate sees each patient's stays together.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame, optional
        Beds per ward; adds occupancy and bed turnover.
    start, end, as_of, definitions, strict, columns
        As for :func:`hospitalytics.summary`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    DataFrame or Delayed
        The same table as :func:`hospitalytics.summary`, ``attrs`` included.

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> import hospitalytics.dask as hd
    >>> stays = pd.DataFrame({
    ...     "admission_date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03",
    ...                                       "2025-03-05", "2025-03-09"]),
    ...     "discharge_date": pd.to_datetime(["2025-03-04", "2025-03-02", None,
    ...                                       "2025-03-08", "2025-03-10"]),
    ...     "ward": ["A", "B", "A", "B", "A"],
    ...     "cost": [1200.0, 300.0, 800.0, 950.0, 400.0]})
    >>> ddf = dd.from_pandas(stays, npartitions=2)
    >>> s = hd.summary(ddf, {"A": 2, "B": 1})
    >>> s.loc[["admissions", "alos", "occupancy"], "period"].tolist()
    [5.0, 2.0, 0.5]
    """
    table = None if beds is None else normalize_beds(beds)
    return run_spec(ddf, SUMMARY, columns=columns, definitions=definitions, start=start,
                    end=end, as_of=as_of, compute=compute, beds=table, strict=strict)
