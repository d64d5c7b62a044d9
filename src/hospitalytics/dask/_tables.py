"""Breakdowns, snapshots and readmissions on Dask frames: one scheduler call each.

Each function has the arguments of its pandas namesake plus ``compute=``, and runs the
KPI's spec from :mod:`hospitalytics.kpis` (see :mod:`hospitalytics.dask`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dask.dataframe as dd
import pandas as pd

from .._frame import DEFAULT_AGE_BINS, validate_bins
from ..capacity import normalize_beds
from ..definitions import Definitions
from ..kpis._beds import (
    BED_BOARD,
    BED_TURNOVER,
    MONTHLY_OCCUPANCY_BY_WARD,
)
from ..kpis._breakdowns import BY_AGE_GROUP, BY_TREATMENT, MONTHLY, monthly_needs
from ..kpis._kernels import DEFAULT_LOS_BANDS, By, Columns
from ..kpis._los import LONG_STAYS, LOS_DISTRIBUTION
from ..kpis._readmissions import READMISSION_RATE, ReadmissionRules, readmission_needs
from ._scheduler import run_spec

__all__ = [
    "bed_board",
    "bed_turnover",
    "by_age_group",
    "by_treatment",
    "long_stays",
    "los_distribution",
    "monthly",
    "monthly_occupancy_by_ward",
    "readmission_rate",
]


def bed_turnover(
    ddf: dd.DataFrame,
    beds,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Columns = None,
    compute: bool = True,
):
    """Discharges per available bed: :func:`hospitalytics.bed_turnover` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward.
    start, end, mtd, qtd, ytd, as_of, columns, compute
        As for :func:`admissions`.

    Returns
    -------
    float or Delayed
        Discharges per bed in the period.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> beds = hp.datasets.make_beds(df)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> got = hd.bed_turnover(ddf, beds, "2025-01-01", "2025-03-31")
    >>> abs(got - hp.bed_turnover(df, beds, "2025-01-01", "2025-03-31")) < 1e-12
    True
    """
    return run_spec(ddf, BED_TURNOVER, columns=columns, start=start, end=end, mtd=mtd,
                    qtd=qtd, ytd=ytd, as_of=as_of, compute=compute, beds=normalize_beds(beds))


def monthly_occupancy_by_ward(
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
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """Occupancy per ward and month: :func:`hospitalytics.monthly_occupancy_by_ward` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward.
    start, end, mtd, qtd, ytd, as_of, definitions, strict, columns, compute
        As for :func:`occupancy_by_ward`.

    Returns
    -------
    DataFrame or Delayed
        The tidy table of the pandas function.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> beds = hp.datasets.make_beds(df)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> pd.testing.assert_frame_equal(hd.monthly_occupancy_by_ward(ddf, beds, ytd=True),
    ...                               hp.monthly_occupancy_by_ward(df, beds, ytd=True))
    """
    return run_spec(ddf, MONTHLY_OCCUPANCY_BY_WARD, columns=columns, definitions=definitions,
                    start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                    compute=compute, beds=normalize_beds(beds), strict=strict)


def bed_board(
    ddf: dd.DataFrame,
    beds,
    *,
    as_of=None,
    strict: bool = False,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """The bed board at the end of the as-of date: :func:`hospitalytics.bed_board` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds : dict, Series or DataFrame
        Beds per ward.
    as_of, strict, columns
        As for :func:`hospitalytics.bed_board`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    DataFrame or Delayed
        In-patients, free beds and occupancy per ward, and a ``"total"`` row.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> beds = hp.datasets.make_beds(df)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> pd.testing.assert_frame_equal(hd.bed_board(ddf, beds), hp.bed_board(df, beds))
    """
    return run_spec(ddf, BED_BOARD, columns=columns, definitions="who", as_of=as_of,
                    compute=compute, beds=normalize_beds(beds), strict=strict)


def long_stays(
    ddf: dd.DataFrame,
    thresholds: Sequence[int] = (7, 14, 21),
    *,
    as_of=None,
    by: By = None,
    columns: Columns = None,
    compute: bool = True,
):
    """In-patients with long stays so far: :func:`hospitalytics.long_stays` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    thresholds, as_of, by, columns
        As for :func:`hospitalytics.long_stays`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    Series or DataFrame or Delayed
        Counts per threshold (a column per threshold with ``by``).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> hd.long_stays(ddf).equals(hp.long_stays(df))
    True
    """
    return run_spec(ddf, LONG_STAYS, columns=columns, by=by, as_of=as_of, compute=compute,
                    thresholds=tuple(int(t) for t in thresholds))


def los_distribution(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    bands: Sequence[int] | None = None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    by: By = None,
    columns: Columns = None,
    compute: bool = True,
):
    """Stays per LOS band: :func:`hospitalytics.los_distribution` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    start, end, bands, mtd, qtd, ytd, as_of, by, columns
        As for :func:`hospitalytics.los_distribution`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    DataFrame or Delayed
        Stays and share per band (counts per group with ``by``).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> pd.testing.assert_frame_equal(hd.los_distribution(ddf, by="ward"),
    ...                               hp.los_distribution(df, by="ward"))
    """
    edges = validate_bins(bands, name="bands", default=DEFAULT_LOS_BANDS)
    return run_spec(ddf, LOS_DISTRIBUTION, columns=columns, by=by, start=start, end=end,
                    mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, compute=compute,
                    bands=tuple(edges))


def readmission_rate(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    window: int = 30,
    follow_up: str = "complete",
    exclude_dispositions: bool | str | Mapping = True,
    exclude_planned: bool | Sequence = False,
    details: bool = False,
    columns: Columns = None,
    compute: bool = True,
):
    """The readmission rate: :func:`hospitalytics.readmission_rate` on Dask.

    The stays are shuffled by patient so that each partition holds whole patients.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays with a patient id.
    start, end, mtd, qtd, ytd, as_of, window, follow_up, exclude_dispositions
        As for :func:`hospitalytics.readmission_rate`.
    exclude_planned, details, columns
        As for :func:`hospitalytics.readmission_rate`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    float or Series or Delayed
        The rate, or its counts with ``details=True``.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> hd.readmission_rate(ddf, ytd=True) == hp.readmission_rate(df, ytd=True)
    True
    """
    rules = ReadmissionRules.of(window, follow_up, exclude_dispositions, exclude_planned)
    return run_spec(ddf, READMISSION_RATE, columns=columns, needs=readmission_needs(rules),
                    start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                    compute=compute, rules=rules, details=details)


def monthly(
    ddf: dd.DataFrame,
    beds=None,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    definitions: str | Definitions | None = None,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """Monthly KPIs in one pass: :func:`hospitalytics.monthly` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays, one row each.
    beds, start, end, mtd, qtd, ytd, as_of, definitions, columns
        As for :func:`hospitalytics.monthly`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    DataFrame or Delayed
        One row per month.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> pd.testing.assert_frame_equal(hd.monthly(ddf), hp.monthly(df))
    """
    table = None if beds is None else normalize_beds(beds)
    return run_spec(ddf, MONTHLY, columns=columns, needs=monthly_needs(table),
                    definitions=definitions, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd,
                    as_of=as_of, compute=compute, beds=table)


def by_treatment(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """Volume and cost per treatment: :func:`hospitalytics.by_treatment` on Dask.

    With patient ids the stays are shuffled by patient, so that distinct patients are
    counted once per treatment across partitions.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays with a treatment.
    start, end, mtd, qtd, ytd, as_of, columns, compute
        As for :func:`admissions`.

    Returns
    -------
    DataFrame or Delayed
        Admissions, patients and cost per treatment, largest first.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> pd.testing.assert_frame_equal(hd.by_treatment(ddf), hp.by_treatment(df))
    """
    return run_spec(ddf, BY_TREATMENT, columns=columns, by="treatment", start=start, end=end,
                    mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, compute=compute)


def by_age_group(
    ddf: dd.DataFrame,
    start=None,
    end=None,
    *,
    bins: Sequence[float] | None = None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Columns = None,
    compute: bool = True,
) -> pd.DataFrame:
    """Volume and cost per age band: :func:`hospitalytics.by_age_group` on Dask.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Stays with an age.
    start, end, bins, mtd, qtd, ytd, as_of, columns
        As for :func:`hospitalytics.by_age_group`.
    compute : bool, default True
        Return the result; ``False`` returns one ``Delayed`` that computes to it.

    Returns
    -------
    DataFrame or Delayed
        Admissions, patients and cost per age band.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import hospitalytics as hp
    >>> import hospitalytics.dask as hd
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> pd.testing.assert_frame_equal(hd.by_age_group(ddf), hp.by_age_group(df))
    """
    edges = validate_bins(bins, name="bins", default=DEFAULT_AGE_BINS)
    return run_spec(ddf, BY_AGE_GROUP, columns=columns, by="age_group", start=start, end=end,
                    mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, compute=compute,
                    age_bins=tuple(edges))
