"""The ``DataFrame.hospital`` accessor: a thin, stateless layer over the plain functions.

Registered when :mod:`hospitalytics` is imported. Every method is one call into
:mod:`hospitalytics.kpis` (or :mod:`hospitalytics.clean`) with the frame as the first
argument, so ``df.hospital.alos(...)`` and ``hospitalytics.alos(df, ...)`` are the same
computation. Nothing is stored on the accessor: pandas 3 builds a new one on every access
(``df.hospital is df.hospital`` is False), so any state would be lost anyway.

Examples
--------
>>> import hospitalytics as hp
>>> df = hp.datasets.load_sample()
>>> df.hospital.admissions(mtd=True)
1074
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from . import clean, clock, kpis
from ._docs import doc_from
from .analysis import forecast, kpi_spc
from .definitions import Definitions
from .kpis._kernels import By, Columns

__all__ = ["HospitalAccessor"]


@pd.api.extensions.register_dataframe_accessor("hospital")
class HospitalAccessor:
    """Hospital KPIs on a DataFrame of stays: ``df.hospital.<kpi>(...)``.

    Parameters
    ----------
    pandas_obj : DataFrame
        The frame of stays (canonical or raw; raw column names are inferred, or mapped
        with ``columns=`` on each method).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> round(df.hospital.alos("2025-01-01", "2025-01-31"), 2)
    4.13
    """

    def __init__(self, pandas_obj: pd.DataFrame) -> None:
        if not isinstance(pandas_obj, pd.DataFrame):  # pragma: no cover - pandas ensures it
            raise AttributeError("the hospital accessor works on DataFrames only")
        self._df = pandas_obj

    @doc_from(clean.standardize)
    def standardize(self, columns=None, **kwargs: Any):
        """Clean the frame: see :func:`hospitalytics.standardize`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> clean, report = hp.datasets.load_sample().hospital.standardize()
        >>> report.n_rejected
        0
        """
        return clean.standardize(self._df, columns, **kwargs)

    @doc_from(kpis.admissions)
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
    ) -> int | pd.Series:
        """Stays admitted in the period: see :func:`hospitalytics.admissions`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> hp.datasets.load_sample().hospital.admissions(mtd=True)
        1074
        """
        return kpis.admissions(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by, columns=columns
        )

    @doc_from(kpis.discharges)
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
    ) -> int | pd.Series:
        """Stays discharged in the period: see :func:`hospitalytics.discharges`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> hp.datasets.load_sample().hospital.discharges("2025-01-01", "2025-01-31")
        2118
        """
        return kpis.discharges(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by, columns=columns
        )

    @doc_from(kpis.treatment_cost)
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
    ) -> float | pd.Series:
        """Total cost of the stays of the period: see :func:`hospitalytics.treatment_cost`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df = hp.datasets.load_sample()
        >>> round(df.hospital.treatment_cost("2025-01-01", "2025-01-31"))
        9347764
        """
        return kpis.treatment_cost(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by, basis=basis,
            columns=columns
        )

    @doc_from(kpis.alos)
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
    ) -> float | pd.Series:
        """Average length of stay in days: see :func:`hospitalytics.alos`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> round(hp.datasets.load_sample().hospital.alos("2025-01-01", "2025-01-31"), 2)
        4.13
        """
        return kpis.alos(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
            definitions=definitions, columns=columns
        )

    @doc_from(kpis.bed_days)
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
    ) -> int | pd.Series:
        """Occupied bed-days by the midnight census: see :func:`hospitalytics.bed_days`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> hp.datasets.load_sample().hospital.bed_days("2025-01-01", "2025-01-31")
        8450
        """
        return kpis.bed_days(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
            definitions=definitions, at=at, columns=columns
        )

    @doc_from(kpis.average_daily_census)
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
    ) -> float | pd.Series:
        """Bed-days / days: see :func:`hospitalytics.average_daily_census`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df = hp.datasets.load_sample()
        >>> round(df.hospital.average_daily_census("2025-01-01", "2025-01-31"), 2)
        272.58
        """
        return kpis.average_daily_census(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
            definitions=definitions, at=at, columns=columns
        )

    @doc_from(kpis.occupancy)
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
    ) -> float:
        """Pooled bed occupancy rate: see :func:`hospitalytics.occupancy`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
        >>> round(df.hospital.occupancy(beds, "2025-01-01", "2025-01-31"), 3)
        0.927
        """
        return kpis.occupancy(
            self._df, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
            definitions=definitions, strict=strict, at=at, columns=columns
        )

    @doc_from(kpis.occupancy_by_ward)
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
    ) -> pd.DataFrame:
        """Occupancy per ward: see :func:`hospitalytics.occupancy_by_ward`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
        >>> list(df.hospital.occupancy_by_ward(beds).columns)
        ['occupied_bed_days', 'available_bed_days', 'occupancy']
        """
        return kpis.occupancy_by_ward(
            self._df, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
            definitions=definitions, strict=strict, at=at, columns=columns
        )

    @doc_from(kpis.monthly_occupancy_by_ward)
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
    ) -> pd.DataFrame:
        """Occupancy per ward and month: see :func:`hospitalytics.monthly_occupancy_by_ward`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
        >>> len(df.hospital.monthly_occupancy_by_ward(beds, "2025-01-01", "2025-01-31"))
        12
        """
        return kpis.monthly_occupancy_by_ward(
            self._df, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
            definitions=definitions, strict=strict, columns=columns
        )

    @doc_from(kpis.bed_turnover)
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
    ) -> float:
        """Discharges per available bed: see :func:`hospitalytics.bed_turnover`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
        >>> round(df.hospital.bed_turnover(beds, "2025-01-01", "2025-01-31"), 2)
        7.2
        """
        return kpis.bed_turnover(
            self._df, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, columns=columns
        )

    @doc_from(kpis.bed_board)
    def bed_board(
        self,
        beds,
        *,
        as_of=None,
        strict: bool = False,
        columns: Columns = None,
    ) -> pd.DataFrame:
        """In-patients and free beds per ward: see :func:`hospitalytics.bed_board`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df, beds = hp.datasets.load_sample(), hp.datasets.load_sample_beds()
        >>> int(df.hospital.bed_board(beds).loc["total", "in_patients"])
        266
        """
        return kpis.bed_board(self._df, beds, as_of=as_of, strict=strict, columns=columns)

    @doc_from(kpis.census)
    def census(
        self,
        start=None,
        end=None,
        *,
        mtd: bool = False,
        qtd: bool = False,
        ytd: bool = False,
        as_of=None,
        by: By = "ward",
        definitions: str | Definitions | None = None,
        at=None,
        freq=None,
        closed: str = "left",
        columns: Columns = None,
    ) -> pd.DataFrame:
        """The daily midnight census per group: see :func:`hospitalytics.census`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> c = hp.datasets.load_sample().hospital.census("2025-01-01", "2025-01-07")
        >>> len(c)
        7
        """
        return kpis.census(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
            definitions=definitions, at=at, freq=freq, closed=closed, columns=columns
        )

    @doc_from(clock.census_at)
    def census_at(
        self,
        start=None,
        end=None,
        *,
        at=None,
        freq=None,
        closed: str = "left",
        mtd: bool = False,
        qtd: bool = False,
        ytd: bool = False,
        as_of=None,
        by: str | None = "ward",
        columns: Columns = None,
    ) -> pd.DataFrame:
        """The census at a clock time, or every hour: see :func:`hospitalytics.census_at`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> c = hp.datasets.load_sample().hospital.census_at("2025-12-01", "2025-12-07",
        ...                                                  at="08:00")
        >>> len(c)
        7
        """
        return clock.census_at(
            self._df, start, end, at=at, freq=freq, closed=closed, mtd=mtd, qtd=qtd, ytd=ytd,
            as_of=as_of, by=by, columns=columns
        )

    @doc_from(clock.occupancy_profile)
    def occupancy_profile(
        self,
        beds=None,
        *,
        by: str | None = None,
        start=None,
        end=None,
        mtd: bool = False,
        qtd: bool = False,
        ytd: bool = False,
        as_of=None,
        freq="h",
        at=None,
        closed: str = "left",
        strict: bool = False,
        tidy: bool = False,
        columns: Columns = None,
    ) -> pd.DataFrame:
        """Mean census or occupancy by hour and weekday: see :func:`hospitalytics.occupancy_profile`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> hp.datasets.load_sample().hospital.occupancy_profile().shape
        (24, 7)
        """  # noqa: E501
        return clock.occupancy_profile(
            self._df, beds, by=by, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd,
            as_of=as_of, freq=freq, at=at, closed=closed, strict=strict, tidy=tidy,
            columns=columns
        )

    @doc_from(clock.daily_presence)
    def daily_presence(
        self,
        start=None,
        end=None,
        *,
        by: str | None = None,
        count: str = "stays",
        mtd: bool = False,
        qtd: bool = False,
        ytd: bool = False,
        as_of=None,
        columns: Columns = None,
    ) -> pd.DataFrame:
        """Patients present at any time each day: see :func:`hospitalytics.daily_presence`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> len(hp.datasets.load_sample().hospital.daily_presence(mtd=True))
        15
        """
        return clock.daily_presence(
            self._df, start, end, by=by, count=count, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
            columns=columns
        )

    @doc_from(kpis.long_stays)
    def long_stays(
        self,
        thresholds: Sequence[int] = (7, 14, 21),
        *,
        as_of=None,
        by: By = None,
        columns: Columns = None,
    ) -> pd.Series | pd.DataFrame:
        """In-patients with long stays at the as-of date: see :func:`hospitalytics.long_stays`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> int(hp.datasets.load_sample().hospital.long_stays()["los_21plus"])
        26
        """
        return kpis.long_stays(self._df, thresholds, as_of=as_of, by=by, columns=columns)

    @doc_from(kpis.readmission_rate)
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
    ) -> float | pd.Series:
        """Crude readmission rate: see :func:`hospitalytics.readmission_rate`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> df = hp.datasets.load_sample()
        >>> round(df.hospital.readmission_rate("2025-01-01", "2025-06-30"), 3)
        0.057
        """
        return kpis.readmission_rate(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, window=window,
            follow_up=follow_up, exclude_dispositions=exclude_dispositions,
            exclude_planned=exclude_planned, details=details, columns=columns
        )

    @doc_from(kpis.monthly)
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
    ) -> pd.DataFrame:
        """Monthly KPIs: see :func:`hospitalytics.monthly`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> int(hp.datasets.load_sample().hospital.monthly().loc["2025-01-01", "admissions"])
        2115
        """
        return kpis.monthly(
            self._df, beds, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
            definitions=definitions, columns=columns
        )

    @doc_from(kpis.by_treatment)
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
    ) -> pd.DataFrame:
        """Volume and cost per treatment: see :func:`hospitalytics.by_treatment`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> "total_cost" in hp.datasets.load_sample().hospital.by_treatment()
        True
        """
        return kpis.by_treatment(
            self._df, start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, columns=columns
        )

    @doc_from(kpis.by_age_group)
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
    ) -> pd.DataFrame:
        """Admissions and cost per age band: see :func:`hospitalytics.by_age_group`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> hp.datasets.load_sample().hospital.by_age_group().index[0]
        '0-17'
        """
        return kpis.by_age_group(
            self._df, start, end, bins=bins, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
            columns=columns
        )

    @doc_from(kpis.los_distribution)
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
    ) -> pd.DataFrame | pd.Series:
        """Stays per LOS band: see :func:`hospitalytics.los_distribution`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> hp.datasets.load_sample().hospital.los_distribution().index[-1]
        '22+'
        """
        return kpis.los_distribution(
            self._df, start, end, bands=bands, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, by=by,
            columns=columns
        )

    @doc_from(kpis.summary)
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
    ) -> pd.DataFrame:
        """The KPI panel with MTD and change: see :func:`hospitalytics.summary`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> s = hp.datasets.load_sample().hospital.summary()
        >>> int(s.loc["admissions", "mtd"])
        1074
        """
        return kpis.summary(
            self._df, beds, start=start, end=end, as_of=as_of, definitions=definitions,
            strict=strict, columns=columns
        )

    @doc_from(kpi_spc)
    def spc(
        self,
        kpi: str,
        *,
        freq: str = "M",
        beds=None,
        start=None,
        end=None,
        as_of=None,
        improvement: str | None = "auto",
        target: float | None = None,
        rebase=None,
        partial: bool = False,
        window: int = 30,
        fix_after: int | None = None,
        screen_outliers: bool = True,
        shift_length: int = 7,
        trend_length: int = 7,
        definitions: str | Definitions | None = None,
        columns: Columns = None,
    ) -> pd.DataFrame:
        """SPC chart data of a KPI: see :func:`hospitalytics.kpi_spc`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> hp.datasets.load_sample().hospital.spc("admissions", freq="W").attrs["chart"]
        'xmr'
        """
        from .analysis import kpi_spc

        return kpi_spc(
            self._df, kpi, freq=freq, beds=beds, start=start, end=end, as_of=as_of,
            improvement=improvement, target=target, rebase=rebase, partial=partial,
            window=window, fix_after=fix_after, screen_outliers=screen_outliers,
            shift_length=shift_length, trend_length=trend_length, definitions=definitions,
            columns=columns,
        )

    @property
    def plot(self):
        """The charts, drawn from this frame: ``df.hospital.plot.<chart>(...)``.

        Loads :mod:`hospitalytics.plots` (and matplotlib) on first use.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> ax = hp.datasets.load_sample().hospital.plot.admission_trend()
        """
        from .plots import PlotAccessor

        return PlotAccessor(self._df)

    @doc_from(forecast.forecast_admissions)
    def forecast_admissions(
        self,
        horizon: int = 28,
        *,
        freq: str = "D",
        by: str | None = None,
        level: float | Sequence[float] = (80, 95),
        as_of=None,
        columns: Columns = None,
        n_sims: int = 2000,
        seed: int | None = 0,
    ) -> pd.DataFrame:
        """Admissions forecast with intervals: see :func:`hospitalytics.forecast_admissions`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> len(hp.datasets.load_sample().hospital.forecast_admissions(7))
        7
        """
        return forecast.forecast_admissions(
            self._df, horizon, freq=freq, by=by, level=level, as_of=as_of, columns=columns,
            n_sims=n_sims, seed=seed
        )

    @doc_from(forecast.forecast_census)
    def forecast_census(
        self,
        horizon: int = 28,
        *,
        beds=None,
        by: str | None = "ward",
        level: float | Sequence[float] = (80, 95),
        as_of=None,
        arrivals: bool = True,
        managed: bool | str = "auto",
        definitions: str | Definitions | None = None,
        columns: Columns = None,
        n_sims: int = 2000,
        seed: int | None = 0,
    ) -> pd.DataFrame:
        """Beds in use and the risk of running out: see :func:`hospitalytics.forecast_census`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> len(hp.datasets.load_sample().hospital.forecast_census(7, by=None))
        7
        """
        return forecast.forecast_census(
            self._df, horizon, beds=beds, by=by, level=level, as_of=as_of, arrivals=arrivals,
            managed=managed, definitions=definitions, columns=columns, n_sims=n_sims,
            seed=seed
        )

    @doc_from(forecast.backtest)
    def backtest(
        self,
        *,
        target: str = "admissions",
        horizon: int = 28,
        origins: int = 8,
        step: int | None = None,
        freq: str = "D",
        by: str | None = None,
        level: float | Sequence[float] = (80, 95),
        as_of=None,
        managed: bool | str = "auto",
        definitions: str | Definitions | None = None,
        columns: Columns = None,
        n_sims: int = 1000,
        seed: int | None = 0,
        details: bool = False,
    ) -> pd.DataFrame:
        """Rolling-origin accuracy of the forecasts: see :func:`hospitalytics.backtest`.

        Examples
        --------
        >>> import hospitalytics as hp
        >>> s = hp.datasets.load_sample().hospital.backtest(horizon=7, origins=1, n_sims=200)
        >>> s.index.tolist()
        ['model', 'seasonal_naive', 'mean']
        """
        return forecast.backtest(
            self._df, target=target, horizon=horizon, origins=origins, step=step, freq=freq,
            by=by, level=level, as_of=as_of, managed=managed, definitions=definitions,
            columns=columns, n_sims=n_sims, seed=seed, details=details
        )
