"""Counts and cost: admissions, discharges, treatment cost."""

from __future__ import annotations

import pandas as pd

from .._frame import Context, setup
from ..errors import ArgumentError
from ._kernels import (
    STAY_ROLES,
    By,
    Columns,
    admitted,
    cost_array,
    cost_checks,
    cost_conflicts,
    count_partial,
    discharged,
    discharged_count,
    masked_sum,
    sum_partial,
    warn_cost,
)
from ._specs import Plan, Spec, grouped, run

__all__ = [
    "ADMISSIONS",
    "DISCHARGES",
    "TREATMENT_COST",
    "admissions",
    "check_basis",
    "cost_needs",
    "discharges",
    "treatment_cost",
]


# --------------------------------------------------------------------------- specs
def _admissions_chunk(ctx: Context, plan: Plan):
    ev = ctx.events()
    return count_partial(admitted(ev, plan.period), ev.frame, plan.by)


def _discharges_chunk(ctx: Context, plan: Plan):
    ev = ctx.events()
    if plan.by is None:
        return discharged_count(ev, plan.period)
    return count_partial(discharged(ev, plan.period), ev.discharge_frame, plan.by)


def _count_final(name: str):
    def finalize(total, plan: Plan):
        return grouped(total, plan.by, name=name, dtype="int64")

    return finalize


#: Stays admitted in the period (each stay of several segments once, at its first).
ADMISSIONS = Spec("admissions", _admissions_chunk, _count_final("admissions"),
                  wants=STAY_ROLES, events=True)
#: Stays discharged in the period (each stay once, at its last segment).
DISCHARGES = Spec("discharges", _discharges_chunk, _count_final("discharges"),
                  needs=("discharge_date",), wants=STAY_ROLES, events=True)

BASES = ("admission", "discharge")


def check_basis(basis: str) -> None:
    """Raise ``ArgumentError`` unless ``basis`` is ``"admission"`` or ``"discharge"``."""
    if basis not in BASES:
        raise ArgumentError(f"basis must be 'admission' or 'discharge', got {basis!r}.",
                            argument="basis", value=basis, allowed=BASES)


def cost_needs(basis: str) -> tuple[str, ...]:
    """The roles a treatment cost on ``basis`` cannot do without."""
    return ("cost",) if basis == "admission" else ("cost", "discharge_date")


def _cost_chunk(ctx: Context, plan: Plan) -> dict:
    ev = ctx.events()
    if plan.option("basis", "admission") == "admission":
        mask, side = admitted(ev, plan.period), ev.frame
    else:
        mask, side = discharged(ev, plan.period), ev.discharge_frame
    cost = cost_array(ev)
    if plan.by is None:  # one blocked pass: the sum and the stays without a cost
        total, missing = masked_sum(cost, mask)
        return {"cost": total, "missing": missing, "conflicts": cost_conflicts(ev, mask)}
    return {"cost": sum_partial(mask, cost, side, plan.by), **cost_checks(ev, mask, cost)}


#: Cost of the stays admitted (or discharged, ``basis="discharge"``) in the period.
TREATMENT_COST = Spec(
    "treatment_cost", _cost_chunk,
    lambda total, plan: grouped(total["cost"], plan.by, name="treatment_cost", dtype="float64"),
    warn=lambda total, plan: warn_cost(total),
    needs=("cost",), wants=STAY_ROLES, events=True,
)


# ------------------------------------------------------------------- headline KPIs
def admissions(
    df: pd.DataFrame,
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
    """Count the stays admitted in a period.

    A stay counts when its admission date falls between ``start`` and ``end`` (inclusive).
    A frame of ward segments with a ``stay_id`` counts each stay once, at its first
    segment's admission and in its first segment's groups (see :ref:`segments`).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end : date-like, optional
        Inclusive calendar dates (``None``: no bound).
    mtd, qtd, ytd : bool, default False
        Month-, quarter- or year-to-date through the as-of date.
    as_of : date-like, optional
        Extract date; defaults to the latest date in the data.
    by : str or list of str, optional
        Grouping role(s): ``"department"``, ``"ward"``, ``"location"``, ``"treatment"``
        or ``"age_group"``.
    columns : mapping, optional
        Explicit ``{role: column}`` mapping for frames with other column names.

    Returns
    -------
    int or Series
        The count, or counts indexed by the groups.

    Raises
    ------
    SchemaError
        When no admission date column (or the ``by`` role) can be found.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> hp.admissions(df, mtd=True)
    1074
    >>> hp.admissions(df, "2025-01-01", "2025-01-31", by="location")
    location
    North Campus          832
    South Campus          994
    Riverside Hospital    289
    Name: admissions, dtype: int64
    """
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, by=by, wants=ADMISSIONS.wants, needed_by="admissions")
    return run(ADMISSIONS, ctx, Plan.of(ctx, "admissions", by=by))


def discharges(
    df: pd.DataFrame,
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
    """Count the stays discharged in a period (deaths included: a death ends a stay).

    Segments of one stay (rows sharing a ``stay_id``) count once, at the stay's last
    discharge and in its last segment's groups (the discharging ward).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`admissions`.

    Returns
    -------
    int or Series
        The count, or counts indexed by the groups.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> hp.discharges(hp.datasets.load_sample(), "2025-01-01", "2025-01-31")
    2118
    """
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=DISCHARGES.needs, by=by, wants=DISCHARGES.wants,
                needed_by="discharges")
    return run(DISCHARGES, ctx, Plan.of(ctx, "discharges", by=by))


def treatment_cost(
    df: pd.DataFrame,
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
    """Total treatment cost of the stays admitted (or discharged) in a period.

    Stays without a cost are left out of the total and counted in a
    :class:`~hospitalytics.errors.DataQualityWarning`. Segments of one stay (rows sharing
    a ``stay_id``) count the stay's cost once: the first segment's cost (see
    :ref:`segments`).

    Parameters
    ----------
    df : DataFrame
        Stays, one row each.
    start, end, mtd, qtd, ytd, as_of, by, columns
        As for :func:`admissions`.
    basis : {"admission", "discharge"}, default "admission"
        Count the cost of stays admitted in the period, or of stays discharged in it.

    Returns
    -------
    float or Series
        The total cost (in the data's currency units), or totals per group.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> round(hp.treatment_cost(hp.datasets.load_sample(), "2025-01-01", "2025-01-31"))
    9347764
    """
    check_basis(basis)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=cost_needs(basis), by=by, wants=TREATMENT_COST.wants,
                needed_by="treatment_cost")
    return run(TREATMENT_COST, ctx, Plan.of(ctx, "treatment_cost", by=by, basis=basis))
