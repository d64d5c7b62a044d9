"""``df.hospital.plot``: the charts drawn from the accessor's frame."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._dashboard import dashboard
from ._forecast import forecast
from .age import age_groups
from .cards import kpi_cards
from .los import los_donut
from .occupancy import occupancy_heatmap, occupancy_treemap
from .profile import occupancy_profile
from .treatment import treatment_breakdown
from .trend import admission_trend
from .volume import volume_by

__all__ = ["PlotAccessor"]


class PlotAccessor:
    """The charts of :mod:`hospitalytics.plots`, reachable as ``df.hospital.plot.<chart>``.

    Stateless: keeps the frame and forwards every call to the plain function of the
    same name. Each method has the function's own signature after ``data`` (checked by
    a test), so editors and the docs show every option.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> ax = df.hospital.plot.volume_by(by="location", ytd=True)
    >>> ax = df.hospital.plot.occupancy_treemap(beds=hp.datasets.load_sample_beds())
    """

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    def admission_trend(self, *, kind: str = "line", discharges: bool | None = None,
                        overlay: bool = False, spc: bool = False, start=None, end=None,
                        mtd: bool = False, qtd: bool = False, ytd: bool = False, as_of=None,
                        definitions=None, columns=None, ax: Axes | None = None,
                        **kwargs) -> Axes:
        """Monthly admissions and discharges: see :func:`hospitalytics.plots.admission_trend`."""  # noqa: E501
        return admission_trend(self._df, kind=kind, discharges=discharges, overlay=overlay,
                               spc=spc, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd,
                               as_of=as_of, definitions=definitions, columns=columns, ax=ax,
                               **kwargs)

    def volume_by(self, *, by: str = "department", measure: str = "admissions",
                  top: int | None = 12, start=None, end=None, mtd: bool = False,
                  qtd: bool = False, ytd: bool = False, as_of=None, definitions=None,
                  columns=None, ax: Axes | None = None, **kwargs) -> Axes:
        """Admissions per group as sorted bars: see :func:`hospitalytics.plots.volume_by`."""
        return volume_by(self._df, by=by, measure=measure, top=top, start=start, end=end,
                         mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, definitions=definitions,
                         columns=columns, ax=ax, **kwargs)

    def los_donut(self, *, bands=None, start=None, end=None, mtd: bool = False,
                  qtd: bool = False, ytd: bool = False, as_of=None, definitions=None,
                  columns=None, ax: Axes | None = None, **kwargs) -> Axes:
        """Length-of-stay bands as a donut: see :func:`hospitalytics.plots.los_donut`."""
        return los_donut(self._df, bands=bands, start=start, end=end, mtd=mtd, qtd=qtd,
                         ytd=ytd, as_of=as_of, definitions=definitions, columns=columns,
                         ax=ax, **kwargs)

    def age_groups(self, *, bins=None, cost: str = "total_cost", currency: str = "",
                   start=None, end=None, mtd: bool = False, qtd: bool = False,
                   ytd: bool = False, as_of=None, definitions=None, columns=None,
                   ax: Axes | None = None, **kwargs) -> Axes:
        """Admissions and cost per age band: see :func:`hospitalytics.plots.age_groups`."""
        return age_groups(self._df, bins=bins, cost=cost, currency=currency, start=start,
                          end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                          definitions=definitions, columns=columns, ax=ax, **kwargs)

    def occupancy_treemap(self, *, beds, start=None, end=None, mtd: bool = False,
                          qtd: bool = False, ytd: bool = False, as_of=None,
                          definitions=None, columns=None, ax: Axes | None = None,
                          **kwargs) -> Axes:
        """Occupancy per ward: see :func:`hospitalytics.plots.occupancy_treemap`."""
        return occupancy_treemap(self._df, beds=beds, start=start, end=end, mtd=mtd,
                                 qtd=qtd, ytd=ytd, as_of=as_of, definitions=definitions,
                                 columns=columns, ax=ax, **kwargs)

    def occupancy_heatmap(self, *, beds, annot: bool | None = None, start=None, end=None,
                          mtd: bool = False, qtd: bool = False, ytd: bool = False,
                          as_of=None, definitions=None, columns=None,
                          ax: Axes | None = None, **kwargs) -> Axes:
        """Occupancy per ward and month: see :func:`hospitalytics.plots.occupancy_heatmap`."""
        return occupancy_heatmap(self._df, beds=beds, annot=annot, start=start, end=end,
                                 mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                                 definitions=definitions, columns=columns, ax=ax, **kwargs)

    def occupancy_profile(self, *, beds=None, freq="h", at=None, closed: str = "left",
                          annot: bool | None = None, start=None, end=None, mtd: bool = False,
                          qtd: bool = False, ytd: bool = False, as_of=None,
                          definitions=None, columns=None, ax: Axes | None = None,
                          **kwargs) -> Axes:
        """When are we full, by hour and weekday: see :func:`hospitalytics.plots.occupancy_profile`."""  # noqa: E501
        return occupancy_profile(self._df, beds=beds, freq=freq, at=at, closed=closed,
                                 annot=annot, start=start, end=end, mtd=mtd, qtd=qtd,
                                 ytd=ytd, as_of=as_of, definitions=definitions,
                                 columns=columns, ax=ax, **kwargs)

    def treatment_breakdown(self, *, top: int | None = 12, sort: str = "admissions",
                            currency: str = "", start=None, end=None, mtd: bool = False,
                            qtd: bool = False, ytd: bool = False, as_of=None,
                            definitions=None, columns=None, ax: Axes | None = None,
                            **kwargs) -> Axes:
        """Volume and cost per treatment: see :func:`hospitalytics.plots.treatment_breakdown`."""  # noqa: E501
        return treatment_breakdown(self._df, top=top, sort=sort, currency=currency,
                                   start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd,
                                   as_of=as_of, definitions=definitions, columns=columns,
                                   ax=ax, **kwargs)

    def kpi_cards(self, *, beds=None, cards: Sequence[str] | str | None = None,
                  currency: str = "", start=None, end=None, mtd: bool = False,
                  qtd: bool = False, ytd: bool = False, as_of=None, definitions=None,
                  columns=None, ax: Axes | None = None, **kwargs) -> Axes:
        """The headline KPI cards: see :func:`hospitalytics.plots.kpi_cards`."""
        return kpi_cards(self._df, beds=beds, cards=cards, currency=currency, start=start,
                         end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                         definitions=definitions, columns=columns, ax=ax, **kwargs)

    def dashboard(self, *, beds=None, by: str = "department", currency: str = "",
                  top: int | None = 12, title: str = "Hospital activity", start=None,
                  end=None, mtd: bool = False, qtd: bool = False, ytd: bool = False,
                  as_of=None, definitions=None, columns=None,
                  figsize: tuple[float, float] = (16, 22)) -> Figure:
        """Cards and the six charts on one page: see :func:`hospitalytics.plots.dashboard`."""
        return dashboard(self._df, beds=beds, by=by, currency=currency, top=top, title=title,
                         start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                         definitions=definitions, columns=columns, figsize=figsize)

    def forecast(self, *, kind: str = "census", group: str | None = None,
                 by: str | None = None, beds=None, horizon: int = 28, history: int = 91,
                 freq: str = "D", level: float | Sequence[float] = (80, 95), as_of=None,
                 definitions=None, columns=None, ax: Axes | None = None,
                 **kwargs) -> Axes:
        """History and forecast with intervals: see :func:`hospitalytics.plots.forecast`."""
        return forecast(self._df, kind=kind, group=group, by=by, beds=beds, horizon=horizon,
                        history=history, freq=freq, level=level, as_of=as_of,
                        definitions=definitions, columns=columns, ax=ax, **kwargs)
