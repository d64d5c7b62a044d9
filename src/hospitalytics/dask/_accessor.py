"""``ddf.hospital``: the KPIs on a Dask DataFrame, with explicit signatures.

Each method is written out (no forwarding), with the parameters of the pandas accessor's
method plus ``compute=``; ``tests/test_dask.py`` checks that parity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dask.dataframe as dd
import pandas as pd

from ..definitions import Definitions
from ..kpis._kernels import By, Columns
from ._functions import (
    admissions,
    alos,
    average_daily_census,
    bed_days,
    census,
    discharges,
    occupancy,
    occupancy_by_ward,
    summary,
    treatment_cost,
)
from ._tables import (
    bed_board,
    bed_turnover,
    by_age_group,
    by_treatment,
    long_stays,
    los_distribution,
    monthly,
    monthly_occupancy_by_ward,
    readmission_rate,
)

__all__ = ["DaskHospitalAccessor"]


@dd.extensions.register_dataframe_accessor("hospital")
class DaskHospitalAccessor:
    """Hospital KPIs on a Dask DataFrame of stays: ``ddf.hospital.<kpi>(...)``.

    Registered by ``import hospitalytics.dask``. Each method is one call into the
    functions of :mod:`hospitalytics.dask`, with the explicit arguments of the pandas
    accessor plus ``compute=`` (see the module's laziness rule). Every KPI of the pandas
    accessor is here; plots, cleaning and the SPC and forecasting analyses are not
    partial-aggregate KPIs: use them on a pandas frame.

    Parameters
    ----------
    dask_obj : dask.dataframe.DataFrame
        The frame of stays.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import hospitalytics as hp
    >>> df = hp.datasets.make_stays(500, seed=1)
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> ddf.hospital.bed_days("2025-01-01", "2025-01-31") == df.hospital.bed_days(
    ...     "2025-01-01", "2025-01-31")
    True
    """

    def __init__(self, dask_obj: dd.DataFrame) -> None:
        self._ddf = dask_obj

    def admissions(
        self,
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
        """Stays admitted in the period: see :func:`admissions`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.admissions(mtd=True)
        >>> want = df.hospital.admissions(mtd=True)
        >>> got == want
        True
        """
        return admissions(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
                          columns=columns, compute=compute)

    def alos(
        self,
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
        """Average length of stay in days: see :func:`alos`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.alos(by="ward")
        >>> want = df.hospital.alos(by="ward")
        >>> pd.testing.assert_series_equal(got, want)
        """
        return alos(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
                    definitions=definitions, columns=columns, compute=compute)

    def average_daily_census(
        self,
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
        """Bed-days / days: see :func:`average_daily_census`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.average_daily_census(mtd=True)
        >>> want = df.hospital.average_daily_census(mtd=True)
        >>> abs(got - want) < 1e-9
        True
        """
        return average_daily_census(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                                    by=by, definitions=definitions, columns=columns,
                                    at=at, compute=compute)

    def bed_board(
        self,
        beds,
        *,
        as_of=None,
        strict: bool = False,
        columns: Columns = None,
        compute: bool = True,
    ) -> pd.DataFrame:
        """The bed board at the end of the as-of date: see :func:`bed_board`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.bed_board(beds)
        >>> want = df.hospital.bed_board(beds)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return bed_board(self._ddf, beds, as_of=as_of, strict=strict, columns=columns,
                         compute=compute)

    def bed_days(
        self,
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
        """Occupied bed-days by the midnight census: see :func:`bed_days`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.bed_days(ytd=True)
        >>> want = df.hospital.bed_days(ytd=True)
        >>> got == want
        True
        """
        return bed_days(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
                        definitions=definitions, columns=columns, at=at, compute=compute)

    def bed_turnover(
        self,
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
        """Discharges per available bed: see :func:`bed_turnover`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.bed_turnover(beds, ytd=True)
        >>> want = df.hospital.bed_turnover(beds, ytd=True)
        >>> abs(got - want) < 1e-12
        True
        """
        return bed_turnover(self._ddf, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                            columns=columns, compute=compute)

    def by_age_group(
        self,
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
        """Volume and cost per age band: see :func:`by_age_group`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.by_age_group(ytd=True)
        >>> want = df.hospital.by_age_group(ytd=True)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return by_age_group(self._ddf, start, end, bins=bins, mtd=mtd, qtd=qtd, ytd=ytd,
                            as_of=as_of, columns=columns, compute=compute)

    def by_treatment(
        self,
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
        """Volume and cost per treatment: see :func:`by_treatment`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.by_treatment(ytd=True)
        >>> want = df.hospital.by_treatment(ytd=True)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return by_treatment(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                            columns=columns, compute=compute)

    def census(
        self,
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
        """The daily midnight census per group: see :func:`census`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.census("2025-01-01", "2025-01-07")
        >>> want = df.hospital.census("2025-01-01", "2025-01-07")
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return census(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
                      definitions=definitions, at=at, freq=freq, closed=closed, columns=columns,
                      compute=compute)

    def discharges(
        self,
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
        """Stays discharged in the period: see :func:`discharges`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.discharges("2025-01-01", "2025-01-31")
        >>> want = df.hospital.discharges("2025-01-01", "2025-01-31")
        >>> got == want
        True
        """
        return discharges(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
                          columns=columns, compute=compute)

    def long_stays(
        self,
        thresholds: Sequence[int] = (7, 14, 21),
        *,
        as_of=None,
        by: By = None,
        columns: Columns = None,
        compute: bool = True,
    ):
        """In-patients with long stays so far: see :func:`long_stays`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.long_stays()
        >>> want = df.hospital.long_stays()
        >>> pd.testing.assert_series_equal(got, want)
        """
        return long_stays(self._ddf, thresholds, as_of=as_of, by=by, columns=columns,
                          compute=compute)

    def los_distribution(
        self,
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
        """Stays per LOS band: see :func:`los_distribution`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.los_distribution(ytd=True)
        >>> want = df.hospital.los_distribution(ytd=True)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return los_distribution(self._ddf, start, end, bands=bands, mtd=mtd, qtd=qtd, ytd=ytd,
                                as_of=as_of, by=by, columns=columns, compute=compute)

    def monthly(
        self,
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
        """Monthly KPIs in one pass: see :func:`monthly`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.monthly(beds)
        >>> want = df.hospital.monthly(beds)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return monthly(self._ddf, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                       definitions=definitions, columns=columns, compute=compute)

    def monthly_occupancy_by_ward(
        self,
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
        """Occupancy per ward and month: see :func:`monthly_occupancy_by_ward`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.monthly_occupancy_by_ward(beds, ytd=True)
        >>> want = df.hospital.monthly_occupancy_by_ward(beds, ytd=True)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return monthly_occupancy_by_ward(self._ddf, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd,
                                         as_of=as_of, definitions=definitions, strict=strict,
                                         columns=columns, compute=compute)

    def occupancy(
        self,
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
        """Pooled bed occupancy rate: see :func:`occupancy`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.occupancy(beds, "2025-01-01", "2025-01-31")
        >>> want = df.hospital.occupancy(beds, "2025-01-01", "2025-01-31")
        >>> abs(got - want) < 1e-9
        True
        """
        return occupancy(self._ddf, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                         definitions=definitions, strict=strict, at=at, columns=columns,
                         compute=compute)

    def occupancy_by_ward(
        self,
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
        """Occupancy per ward: see :func:`occupancy_by_ward`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.occupancy_by_ward(beds, mtd=True)
        >>> want = df.hospital.occupancy_by_ward(beds, mtd=True)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return occupancy_by_ward(self._ddf, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd,
                                 as_of=as_of, definitions=definitions, strict=strict,
                                 columns=columns, at=at, compute=compute)

    def readmission_rate(
        self,
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
        """The readmission rate: see :func:`readmission_rate`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.readmission_rate(ytd=True)
        >>> want = df.hospital.readmission_rate(ytd=True)
        >>> abs(got - want) < 1e-12
        True
        """
        return readmission_rate(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                                window=window, follow_up=follow_up,
                                exclude_dispositions=exclude_dispositions,
                                exclude_planned=exclude_planned, details=details, columns=columns,
                                compute=compute)

    def summary(
        self,
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
        """The KPI panel with MTD and change: see :func:`summary`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> beds = hp.datasets.make_beds(df)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.summary(beds)
        >>> want = df.hospital.summary(beds)
        >>> pd.testing.assert_frame_equal(got, want)
        """
        return summary(self._ddf, beds, start=start, end=end, as_of=as_of, definitions=definitions,
                       strict=strict, columns=columns, compute=compute)

    def treatment_cost(
        self,
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
        """Total cost of the stays of the period: see :func:`treatment_cost`.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> import hospitalytics as hp
        >>> df = hp.datasets.make_stays(500, seed=1)
        >>> ddf = dd.from_pandas(df, npartitions=3)
        >>> got = ddf.hospital.treatment_cost(by="department")
        >>> want = df.hospital.treatment_cost(by="department")
        >>> pd.testing.assert_series_equal(got, want)
        """
        return treatment_cost(self._ddf, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
                              basis=basis, columns=columns, compute=compute)

    def __getattr__(self, name: str):
        if not name.startswith("_") and hasattr(pd.DataFrame().hospital, name):
            raise AttributeError(
                f"ddf.hospital.{name} is not available on Dask DataFrames (it is not a "
                f"partial-aggregate KPI); compute a pandas frame first, e.g. "
                f"ddf.compute().hospital.{name}(...), or select rows before computing."
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
