"""KPI specs: each KPI written once, run by pandas (one chunk, or threads) and by Dask.

Part of the engine's contract (public names in a private module; see
:doc:`/architecture`). A :class:`Spec` is the shape of Dask's own
``Aggregation(chunk, agg, finalize)``:

``chunk(ctx, plan)``
    What one chunk of rows contributes: a **partial** -- numbers, numpy arrays,
    :class:`Labeled` values per group label, or dicts of these. ``ctx`` is a
    :class:`~hospitalytics._frame.Context` over the chunk's rows (``ctx.events()`` gives
    one row per stay); ``plan`` is what every chunk shares (the period, its day bounds,
    the definitions, the grouping and the options).
``combine(a, b)``
    How two partials add up; :func:`combine` by default (numbers and arrays add, labelled
    values add by label, dicts key by key).
``warn(total, plan)``
    The warnings, issued once over the combined partial (optional).
``finalize(total, plan)``
    The result, labelled as the pandas function returns it; it never warns, so that a
    composition (the summary, a monthly table) can reuse it.

:func:`run` is the pandas scheduler (the whole frame as one chunk, or row chunks in
threads); :mod:`hospitalytics.dask` maps ``chunk`` over partitions and reduces with
``combine``. Nothing about a scheduler leaks into a KPI's definition.

Examples
--------
>>> import hospitalytics as hp
>>> from hospitalytics.kpis._counts import ADMISSIONS
>>> from hospitalytics.kpis._specs import Plan, run
>>> from hospitalytics._frame import setup
>>> ctx = setup(hp.datasets.load_sample(), start="2025-01-01", end="2025-01-31")
>>> run(ADMISSIONS, ctx, Plan.of(ctx, "admissions"))
2115
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._frame import MISSING_LABEL, Context, by_keys, group_codes, key_codes
from .._sweep import NS_PER_DAY, Stays
from ..definitions import Definitions, get_definitions
from ..periods import Period

__all__ = [
    "Labeled",
    "Plan",
    "Spec",
    "by_keys",
    "combine",
    "combine_all",
    "finish",
    "groups",
    "grouped",
    "labels_index",
    "aligned",
    "row_chunks",
    "run",
]


# ------------------------------------------------------------------ partials
@dataclass
class Labeled:
    """Values per group label (first axis), combined across chunks by label.

    ``orders`` holds, per grouping key, the key's labels in the chunk's category order
    (``"(missing)"`` excluded), or None once two chunks disagree on it.

    Examples
    --------
    >>> import numpy as np
    >>> a = Labeled(["A", "B"], np.array([1, 2]))
    >>> b = Labeled(["B", "C"], np.array([10, 20]))
    >>> c = combine(a, b)
    >>> c.labels, c.values.tolist()
    (['A', 'B', 'C'], [1, 12, 20])
    """

    labels: list
    values: np.ndarray
    orders: tuple = ()


def _key_orders(frame: pd.DataFrame, by: Any, labels: pd.Index, age_bins=None) -> tuple:
    keys = by_keys(by)
    if len(keys) == 1:
        return (tuple(x for x in labels if x != MISSING_LABEL),)
    return tuple(tuple(key_codes(frame, k, age_bins)[1]) for k in keys)


def groups(frame: pd.DataFrame, by: Any, *, age_bins=None, compact: bool = False):
    """Group codes of ``frame``'s rows, the labels, and a maker of :class:`Labeled` partials.

    Returns ``(codes, labels, labeled)``, all three None when ``by`` is None.
    ``compact=True`` may return a categorical's own small integer codes (for kernels
    that only count by them: never multiply them in their own dtype).
    """
    if by is None:  # no codes are built for the total
        return None, None, None
    codes, labels = group_codes(frame, by, age_bins=age_bins, compact=compact)
    orders = _key_orders(frame, by, labels, age_bins)

    def labeled(values: np.ndarray) -> Labeled:
        return Labeled(list(labels), values, orders)

    return codes, labels, labeled


def _combine_order(a: tuple | None, b: tuple | None) -> tuple | None:
    if a == ():  # a chunk without real labels has no say on the order
        return b
    if b == ():
        return a
    return a if a == b else None


def _combine_orders(a: tuple, b: tuple) -> tuple:
    if not a or not b:
        return a or b
    return tuple(_combine_order(x, y) for x, y in zip(a, b, strict=True))


def combine(a: Any, b: Any) -> Any:
    """Add two partials of the same shape (dicts, numbers, arrays, :class:`Labeled`).

    A ``(min, max)`` tuple combines as the smaller minimum and the larger maximum (None
    for an empty chunk).

    Examples
    --------
    >>> combine({"n": 1, "days": (3, 9)}, {"n": 2, "days": (1, None)})
    {'n': 3, 'days': (1, 9)}
    """
    if isinstance(a, dict):
        return {k: combine(a[k], b[k]) if k in b else a[k] for k in a} | {
            k: v for k, v in b.items() if k not in a
        }
    if isinstance(a, Labeled):
        orders = _combine_orders(a.orders, b.orders)
        if a.labels == b.labels:
            return Labeled(a.labels, a.values + b.values, orders)
        pos = {lab: i for i, lab in enumerate(a.labels)}
        labels = a.labels + [lab for lab in b.labels if lab not in pos]
        pos = {lab: i for i, lab in enumerate(labels)}
        dtype = np.result_type(a.values, b.values)
        values = np.zeros((len(labels), *a.values.shape[1:]), dtype=dtype)
        values[: len(a.labels)] += a.values
        values[[pos[lab] for lab in b.labels]] += b.values
        return Labeled(labels, values, orders)
    if isinstance(a, tuple):  # (min, max) of day numbers, None when a chunk is empty
        lo = [x for x in (a[0], b[0]) if x is not None]
        hi = [x for x in (a[1], b[1]) if x is not None]
        return (min(lo) if lo else None, max(hi) if hi else None)
    return a + b


def combine_all(parts: Sequence[Any], how: Callable[[Any, Any], Any] = combine) -> Any:
    """Combine partials left to right with ``how``."""
    out = parts[0]
    for p in parts[1:]:
        out = how(out, p)
    return out


def labels_index(part: Labeled, keys: list[str]) -> pd.Index:
    """The group labels of a combined partial, in the order pandas gives them.

    Per key: the categories' order when every chunk has the same categories (known
    categories), the sorted labels otherwise, ``"(missing)"`` last. One key lists every
    category; several keys list the combinations present, ordered key by key.
    """
    orders = part.orders or (None,) * len(keys)
    if len(keys) == 1:
        real = [x for x in part.labels if x != MISSING_LABEL]
        labs = list(orders[0]) if orders[0] is not None else sorted(real)
        if len(labs) < len(part.labels):
            labs.append(MISSING_LABEL)
        return pd.Index(labs, name=keys[0], dtype=object)
    ranks = []
    for i, order in enumerate(orders):
        if order is None:
            order = sorted({t[i] for t in part.labels if t[i] != MISSING_LABEL})
        rank = {lab: j for j, lab in enumerate(order)}
        rank[MISSING_LABEL] = len(order)
        ranks.append(rank)
    combos = sorted(part.labels, key=lambda t: tuple(r[x] for r, x in zip(ranks, t, strict=True)))
    arrays = [np.asarray([t[i] for t in combos], dtype=object) for i in range(len(keys))]
    return pd.MultiIndex.from_arrays(arrays, names=keys)


def aligned(part: Labeled, index: pd.Index) -> np.ndarray:
    """The values of ``part`` in the order of ``index`` (labels absent from it: zero)."""
    if len(index) == 0:
        return part.values[:0]
    pos = {lab: i for i, lab in enumerate(part.labels)}
    out = np.zeros((len(index), *part.values.shape[1:]), dtype=part.values.dtype)
    for j, lab in enumerate(index):
        i = pos.get(lab)
        if i is not None:
            out[j] = part.values[i]
    return out


def grouped(part: Labeled | Any, by: Any, *, name: str, dtype: str):
    """The combined per-group Series (or the total as it is when ``by`` is None)."""
    if by is None:
        return part
    index = labels_index(part, by_keys(by))
    return pd.Series(aligned(part, index).astype(dtype), index=index, name=name)


# --------------------------------------------------------------------- plans and specs
@dataclass(frozen=True)
class Plan:
    """What every chunk of one KPI call shares.

    ``lo`` and ``hi`` are the first and last day numbers of the period over the whole
    data (an unbounded period starts at the first admission on or before the as-of
    date), so a chunk's partial never depends on which rows it holds.
    """

    name: str
    period: Period
    lo: int
    hi: int
    defs: Definitions = dataclasses.field(default_factory=get_definitions)
    by: Any = None
    options: tuple = ()  # ((key, value), ...): hashable, so Dask can carry the plan

    @property
    def n_days(self) -> int:
        """Days in ``[lo, hi]`` (0 when empty)."""
        return max(self.hi - self.lo + 1, 0)

    @property
    def as_of_day(self) -> int:
        """Day number of the as-of date."""
        return int(self.period.as_of.value // NS_PER_DAY)

    def option(self, key: str, default: Any = None) -> Any:
        """A KPI-specific option (``basis``, ``beds``, ``strict`` ...)."""
        return dict(self.options).get(key, default)

    def with_period(self, period: Period, lo: int, hi: int) -> Plan:
        """The same plan over another period (a composition's columns)."""
        return dataclasses.replace(self, period=period, lo=lo, hi=hi)

    def with_options(self, **options: Any) -> Plan:
        """The same plan with options replaced or added."""
        merged = dict(self.options) | options
        return dataclasses.replace(self, options=tuple(merged.items()))

    @classmethod
    def of(cls, ctx: Context, name: str, *, definitions: Definitions | None = None,
           by: Any = None, **options: Any) -> Plan:
        """The plan of a pandas call: the context's period and day bounds."""
        if isinstance(by, list):
            by = tuple(by)
        return cls(name=name, period=ctx.period, lo=ctx.first_day, hi=ctx.last_day,
                   defs=definitions if definitions is not None else get_definitions(),
                   by=by, options=tuple(options.items()))


def _no_warning(total: Any, plan: Plan) -> None:
    return None


@dataclass(frozen=True)
class Spec:
    """One KPI, written once: roles, partial per chunk, combination, warnings, result.

    Attributes
    ----------
    name : str
        The KPI's name (the pandas function's).
    chunk : callable
        ``chunk(ctx, plan) -> partial`` over one chunk of rows.
    finalize : callable
        ``finalize(total, plan) -> result``; never warns.
    warn : callable
        ``warn(total, plan)``: the warnings (or errors, with ``strict``), once.
    combine : callable
        ``combine(a, b) -> partial``; :func:`combine` by default.
    needs, wants : tuple of str
        Roles the KPI cannot do without, and roles it reads when present.
    events : bool
        Reads one row per stay (segments sharing a ``stay_id`` collapsed): a chunk must
        hold every segment of its stays.
    patients : bool
        Needs each patient's stays together in one chunk (readmissions, distinct
        patients).
    first_day : bool
        Its result depends on the first day of an unbounded period (census, occupancy).
    """

    name: str
    chunk: Callable[[Context, Plan], Any]
    finalize: Callable[[Any, Plan], Any]
    warn: Callable[[Any, Plan], None] = _no_warning
    combine: Callable[[Any, Any], Any] = combine
    needs: tuple = ()
    wants: tuple = ()
    events: bool = False
    patients: bool = False
    first_day: bool = False


def finish(spec: Spec, total: Any, plan: Plan) -> Any:
    """Warn once over the combined partial, then return the result."""
    spec.warn(total, plan)
    return spec.finalize(total, plan)


def row_chunks(ctx: Context, n: int) -> list[Context]:
    """Split a context's rows into ``n`` contiguous chunks read as of the same date.

    Only for rows that are stays with no patient kept together: callers check
    :attr:`Spec.events` and :attr:`Spec.patients` first (see :func:`run`).
    """
    size = max(-(-len(ctx.frame) // max(n, 1)), 1)
    out = []
    for i in range(0, max(len(ctx.frame), 1), size):
        frame = ctx.frame.iloc[i : i + size]
        stays = Stays(frame)
        stays.set_as_of(ctx.stays.as_of_day)
        out.append(Context(frame=frame, stays=stays, period=ctx.period))
    return out


def _splittable(spec: Spec, ctx: Context) -> bool:
    if spec.patients and "patient_id" in ctx.frame.columns:
        return False
    return not (spec.events and "stay_id" in ctx.frame.columns)


def run(spec: Spec, ctx: Context, plan: Plan, *, threads: int = 1) -> Any:
    """Run a spec on a pandas context: one chunk, or ``threads`` row chunks in threads.

    Row chunks are used only when the spec allows them on this data (no stay id to
    collapse, no patient to keep together); numpy releases the GIL in the kernels, so
    chunks can run side by side. The result is the same either way.

    Parameters
    ----------
    spec : Spec
        The KPI.
    ctx : Context
        The prepared frame, read as of the period's as-of date.
    plan : Plan
        The period, bounds and options.
    threads : int, default 1
        Row chunks to run in threads.

    Returns
    -------
    object
        The KPI's result.
    """
    if threads <= 1 or len(ctx.frame) < 2 * threads or not _splittable(spec, ctx):
        return finish(spec, spec.chunk(ctx, plan), plan)
    chunks = row_chunks(ctx, threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(lambda c: spec.chunk(c, plan), chunks))
    return finish(spec, combine_all(parts, spec.combine), plan)
