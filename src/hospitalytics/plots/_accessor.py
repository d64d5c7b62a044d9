"""``df.hospital.plot``: the charts drawn from the accessor's frame."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .age import age_groups
from .cards import kpi_cards
from .dashboard import dashboard
from .forecast import forecast
from .los import los_donut
from .occupancy import occupancy_heatmap, occupancy_treemap
from .treatment import treatment_breakdown
from .trend import admission_trend
from .volume import volume_by

__all__ = ["PlotAccessor"]


class PlotAccessor:
    """The charts of :mod:`hospitalytics.plots`, reachable as ``df.hospital.plot.<chart>``.

    Stateless: keeps the frame and forwards every call, keyword arguments unchanged, to
    the plain function of the same name.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> ax = hp.datasets.load_sample().hospital.plot.volume_by(by="location")
    """

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    def admission_trend(self, **kwargs: Any) -> Axes:
        """Monthly admissions and discharges: see :func:`hospitalytics.plots.admission_trend`."""  # noqa: E501
        return admission_trend(self._df, **kwargs)

    def volume_by(self, **kwargs: Any) -> Axes:
        """Admissions per group as sorted bars: see :func:`hospitalytics.plots.volume_by`."""
        return volume_by(self._df, **kwargs)

    def los_donut(self, **kwargs: Any) -> Axes:
        """Length-of-stay bands as a donut: see :func:`hospitalytics.plots.los_donut`."""
        return los_donut(self._df, **kwargs)

    def age_groups(self, **kwargs: Any) -> Axes:
        """Admissions and cost per age band: see :func:`hospitalytics.plots.age_groups`."""
        return age_groups(self._df, **kwargs)

    def occupancy_treemap(self, beds, **kwargs: Any) -> Axes:
        """Occupancy per ward: see :func:`hospitalytics.plots.occupancy_treemap`."""
        return occupancy_treemap(self._df, beds=beds, **kwargs)

    def occupancy_heatmap(self, beds, **kwargs: Any) -> Axes:
        """Occupancy per ward and month: see :func:`hospitalytics.plots.occupancy_heatmap`."""
        return occupancy_heatmap(self._df, beds=beds, **kwargs)

    def treatment_breakdown(self, **kwargs: Any) -> Axes:
        """Volume and cost per treatment: see :func:`hospitalytics.plots.treatment_breakdown`."""  # noqa: E501
        return treatment_breakdown(self._df, **kwargs)

    def kpi_cards(self, **kwargs: Any) -> Axes:
        """Headline KPIs month to date: see :func:`hospitalytics.plots.kpi_cards`."""
        return kpi_cards(self._df, **kwargs)

    def dashboard(self, beds=None, **kwargs: Any) -> Figure:
        """Cards and the six charts on one page: see :func:`hospitalytics.plots.dashboard`."""
        return dashboard(self._df, beds, **kwargs)

    def forecast(self, **kwargs: Any) -> Axes:
        """History and forecast with intervals: see :func:`hospitalytics.plots.forecast`."""
        return forecast(self._df, **kwargs)
