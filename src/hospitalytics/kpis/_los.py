"""Length of stay: ALOS, the LOS distribution, long stays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._frame import Context, by_keys, setup, validate_bins
from .._scan import ROWS
from .._sweep import NS_PER_DAY
from ..definitions import (
    Definitions,
    get_definitions,
)
from ._kernels import (
    DEFAULT_LOS_BANDS,
    STAY_ROLES,
    By,
    Columns,
    alos_partial,
    alos_side,
    band_labels,
    discharged,
    long_stay_partial,
    mean_final,
)
from ._specs import Plan, Spec, aligned, grouped, groups, labels_index, run

__all__ = [
    "ALOS",
    "LONG_STAYS",
    "LOS_DISTRIBUTION",
    "alos",
    "long_stays",
    "los_distribution",
]



# --------------------------------------------------------------------------- specs
def _alos_chunk(ctx: Context, plan: Plan) -> dict:
    ev = ctx.events()
    return alos_partial(ev, plan.defs, plan.period, alos_side(ev, plan.defs), plan.by)


#: Average length of stay: sums and counts of LOS, divided once at the end.
ALOS = Spec("alos", _alos_chunk, lambda total, plan: mean_final(total, plan.by, name="alos"),
            needs=("discharge_date",), wants=STAY_ROLES, events=True)


def _long_stays_chunk(ctx: Context, plan: Plan) -> dict:
    ev = ctx.events()
    return long_stay_partial(ev, plan.hi, plan.option("thresholds"), ev.discharge_frame,
                             plan.by)


def _long_stays_final(total: dict, plan: Plan):
    data = {k: grouped(v, plan.by, name=k, dtype="int64") for k, v in total.items()}
    if plan.by is None:
        return pd.Series(data, name="long_stays", dtype="int64")
    return pd.DataFrame(data)


#: In-patients at the end of the as-of date with a LOS so far of 7, 14, 21+ days.
LONG_STAYS = Spec("long_stays", _long_stays_chunk, _long_stays_final, wants=STAY_ROLES,
                  events=True)


def _los_distribution_chunk(ctx: Context, plan: Plan):
    ev = ctx.events()
    edges = plan.option("bands")
    mask = discharged(ev, plan.period)
    st = ev.stays
    codes, labels, labeled = groups(ev.discharge_frame, plan.by)
    n_bands = len(edges)
    size = n_bands * (1 if labels is None else len(labels))
    flat = np.zeros(size, dtype="int64")
    bounds = np.asarray(edges, dtype="float64")
    # nights are whole numbers >= 0: a lookup table of the band of 0, 1 ... cap nights
    cap = int(min(np.ceil(bounds[-1]), 1 << 20))
    table = np.searchsorted(bounds, np.arange(cap + 1), side="right") - 1
    for i in range(0, st.n, ROWS):  # block by block: nights, band, count
        m = mask[i : i + ROWS]
        if not m.any():
            continue
        dis = st.dis_ns[i : i + ROWS][m] // NS_PER_DAY
        nights = dis - st.adm_ns[i : i + ROWS][m] // NS_PER_DAY
        if cap == int(np.ceil(bounds[-1])):
            band = table[np.minimum(nights, cap, out=nights)]
        else:  # edges too far apart for a table
            band = np.searchsorted(bounds, nights, side="right") - 1
        if labels is not None:
            band += codes[i : i + ROWS][m].astype("int64") * n_bands
        flat += np.bincount(band, minlength=size)
    if labels is None:
        return flat
    return labeled(flat.reshape(len(labels), n_bands))


def _los_distribution_final(total, plan: Plan):
    edges = plan.option("bands")
    labels = pd.Index(band_labels(edges), name="los_band")
    if plan.by is None:
        counts = total
        n = counts.sum()
        share = counts / n if n else np.full(len(labels), np.nan)
        return pd.DataFrame({"stays": counts, "share": share}, index=labels)
    glabels = labels_index(total, by_keys(plan.by))
    return pd.DataFrame(aligned(total, glabels).T, index=labels, columns=glabels)


#: Stays discharged in the period per LOS band (nights), in total or per group.
LOS_DISTRIBUTION = Spec("los_distribution", _los_distribution_chunk, _los_distribution_final,
                        needs=("discharge_date",), wants=STAY_ROLES, events=True)


def alos(
    df: pd.DataFrame,
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
    """Average length of stay in days.

    By the default preset ``"who"``: the mean calendar-day LOS (discharge date minus
    admission date, a same-day stay counting as 1 day) of the stays **discharged** in the
    period. ``"hcup"`` counts same-day stays as 0 days; ``"oecd"`` leaves them out
    (in-patients only). Stays still open have no LOS and are not counted. An empty period
    gives NaN. Segments of one stay (rows sharing a ``stay_id``) make one stay, from the
    first admission to the last discharge, grouped by its last segment (by its first with
    ``alos_basis="admissions"``).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`admissions`.
    definitions : str or Definitions, optional
        The conventions (see :mod:`hospitalytics.definitions`); default ``"who"``.

    Returns
    -------
    float or Series
        ALOS in days, or per group.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> round(hp.alos(df, "2025-01-01", "2025-01-31"), 2)
    4.13
    >>> round(hp.alos(df, "2025-01-01", "2025-01-31", definitions="oecd"), 2)
    5.03
    """
    defs = get_definitions(definitions)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=ALOS.needs, by=by, wants=ALOS.wants, needed_by="alos")
    return run(ALOS, ctx, Plan.of(ctx, "alos", definitions=defs, by=by))


def long_stays(
    df: pd.DataFrame,
    thresholds: Sequence[int] = (7, 14, 21),
    *,
    as_of=None,
    by: By = None,
    columns: Columns = None,
) -> pd.Series | pd.DataFrame:
    """In-patients at the end of the as-of date who have stayed at least 7, 14 or 21 days.

    The NHS UEC SitRep "long stays" (stranded, super-stranded patients). The length of
    stay so far, at the end of the as-of date, counts the midnights spent, as the census
    and :func:`bed_days` do: ``as_of - date(admission) + 1`` days (a patient admitted on
    the as-of date has 1 day at its midnight). It is the LOS the stay would have if the
    patient left the next day. A stay of several ward segments (rows sharing a
    ``stay_id``) counts from its first admission, in its current (last) segment's groups.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    thresholds : sequence of int, default (7, 14, 21)
        Day thresholds.
    as_of : date-like, optional
        Defaults to the latest date in the data.
    by : str or list of str, optional
        Grouping role(s).
    columns : mapping, optional
        Explicit ``{role: column}`` mapping.

    Returns
    -------
    Series or DataFrame
        Counts indexed by ``"los_7plus"``, ... (a DataFrame with a column per threshold
        when ``by`` is given).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> hp.long_stays(hp.datasets.load_sample()).to_dict()
    {'los_7plus': 82, 'los_14plus': 34, 'los_21plus': 26}
    """
    ctx = setup(df, as_of=as_of, columns=columns, by=by, wants=LONG_STAYS.wants,
                needed_by="long_stays")
    plan = Plan.of(ctx, "long_stays", by=by, thresholds=tuple(int(t) for t in thresholds))
    return run(LONG_STAYS, ctx, plan)


def los_distribution(
    df: pd.DataFrame,
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
    """Stays per length-of-stay band, for the stays discharged in the period.

    LOS here is counted in **nights** (discharge date minus admission date), so the
    ``"0"`` band holds the same-day stays whatever the ALOS convention; this is the
    banding of the NHS/Strategy Unit LOS groups.

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.
    bands : sequence of int, optional
        Lower edges in nights starting at 0; default ``(0, 1, 2, 3, 4, 8, 15, 22)``:
        0, 1, 2, 3, 4-7, 8-14, 15-21, 22+.
    by : str, optional
        One grouping role: a column of counts per group.

    Returns
    -------
    DataFrame
        Indexed by band (``"los_band"``): ``stays`` and ``share`` (of all discharged
        stays in the period); with ``by``, one column of counts per group instead.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> d = hp.los_distribution(hp.datasets.load_sample(), "2025-01-01", "2025-12-31")
    >>> list(d.index)
    ['0', '1', '2', '3', '4-7', '8-14', '15-21', '22+']
    """
    edges = validate_bins(bands, name="bands", default=DEFAULT_LOS_BANDS)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=LOS_DISTRIBUTION.needs, by=by,
                wants=LOS_DISTRIBUTION.wants, needed_by="los_distribution")
    return run(LOS_DISTRIBUTION, ctx, Plan.of(ctx, "los_distribution", by=by,
                                              bands=tuple(edges)))
