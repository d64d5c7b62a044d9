"""Shared entrance of every KPI: load a frame once, resolve the period, build groups.

Private: the public functions in :mod:`hospitalytics.kpis` and
:mod:`hospitalytics.census` call :func:`setup` at their entrance, so that a raw frame
(inferred on the fly) and a canonical frame take the same path.

Stays and segments
------------------
A frame of ward movements has several rows per stay, with one ``stay_id``. The census,
bed-days and occupancy read every row (each segment occupies a bed in its own ward);
the event KPIs (admissions, discharges, cost, LOS, readmissions) read one row per stay,
from :meth:`Context.events`, which collapses the segments of each stay once per call
(:func:`collapse_stays`) and only when some stay id repeats.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .census import NS_PER_DAY, Stays
from .clean import normalize_labels, prepare
from .errors import ArgumentError
from .periods import Period, resolve_period

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))

MISSING_LABEL = "(missing)"
GROUP_ROLES = ("department", "ward", "location", "treatment", "age_group")

#: Default age bands: lower edges in years (right-open), after AHRQ HCUP's groups.
DEFAULT_AGE_BINS: tuple[int, ...] = (0, 18, 45, 65, 75, 85)


def caller_stacklevel() -> int:
    """Stacklevel of the first frame outside the package, for ``warnings.warn``.

    Called from the function that warns, it points the warning at the user's line
    whether the KPI was called directly, through another KPI or through the accessor.
    """
    frame = inspect.currentframe()
    level = 0
    try:
        while frame is not None:
            path = os.path.abspath(frame.f_code.co_filename)
            if not path.startswith(_PKG_DIR + os.sep):
                break
            frame = frame.f_back
            level += 1
    finally:
        del frame
    # level 0 is this helper, 1 the function that warns (stacklevel=1), and so on
    return max(level, 1)


def age_labels(bins: Sequence[float]) -> list[str]:
    """Labels ``"0-17"``, ..., ``"85+"`` for lower-edge age bins."""
    labels = []
    for lo, hi in zip(bins, list(bins[1:]) + [None], strict=True):
        if hi is None:
            labels.append(f"{lo:g}+")
        else:
            labels.append(f"{lo:g}-{hi - 1:g}")
    return labels


def validate_bins(bins: Sequence[float] | None, *, name: str, default: Sequence[float]):
    """Check bin edges: increasing numbers starting at 0."""
    edges = list(default if bins is None else bins)
    if len(edges) == 0:
        raise ArgumentError(f"{name} must list at least one lower edge, e.g. {list(default)}.")
    arr = np.asarray(edges, dtype="float64")
    if np.isnan(arr).any() or (np.diff(arr) <= 0).any() or arr[0] != 0:
        raise ArgumentError(
            f"{name} must be strictly increasing lower edges starting at 0, e.g. "
            f"{list(default)}; got {edges}."
        )
    return edges


@dataclass
class Context:
    """A loaded frame, its stays arrays and the resolved period.

    ``discharge_frame`` is the frame whose labels a stay carries on its discharge side
    (its last segment's ward, disposition ...); for a frame of stays it is ``frame``.
    ``cost_conflicts`` marks the stays whose segments carry different costs.
    """

    frame: pd.DataFrame
    stays: Stays
    period: Period
    cache: dict = field(default_factory=dict)
    dis_frame: pd.DataFrame | None = None
    cost_conflicts: np.ndarray | None = None

    @property
    def discharge_frame(self) -> pd.DataFrame:
        """Labels of each stay's discharge side (its last segment)."""
        return self.frame if self.dis_frame is None else self.dis_frame

    def events(self) -> Context:
        """One row per stay: this context, or its segments collapsed by ``stay_id``.

        Computed once per context (cached); the collapsed stays are read as of the same
        date and period.
        """
        if "events" not in self.cache:
            key = stay_keys(self.frame)
            if key is None:
                self.cache["events"] = self
            else:
                frame, dis_frame, conflicts = collapse_stays(self.frame, self.stays, key)
                stays = Stays(frame)
                if self.stays.as_of_day is not None:
                    stays.set_as_of(self.stays.as_of_day)
                ev = Context(frame=frame, stays=stays, period=self.period,
                             dis_frame=dis_frame, cost_conflicts=conflicts)
                ev.cache["events"] = ev
                self.cache["events"] = ev
        return self.cache["events"]

    @property
    def first_day(self) -> int:
        """Day number of the period's first day (the first admission when unbounded)."""
        if self.period.start is not None:
            return int(self.period.start.value // NS_PER_DAY)
        exists = self.stays.exists
        if self.stays.n == 0 or not exists.any():
            return self.last_day + 1
        return int(self.stays.adm_day[exists].min())

    @property
    def last_day(self) -> int:
        """Day number of the period's last day."""
        return int(self.period.end.value // NS_PER_DAY)

    def day_bounds(self, period: Period | None = None) -> tuple[int, int]:
        """``(first_day, last_day)`` of a period (this context's by default)."""
        if period is None or period is self.period:
            return self.first_day, self.last_day
        last = int(period.end.value // NS_PER_DAY)
        if period.start is None:
            return self.first_day, last
        return int(period.start.value // NS_PER_DAY), last


def setup(
    df: pd.DataFrame,
    *,
    start=None,
    end=None,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    columns: Mapping[str, str] | None = None,
    needs: Sequence[str] = (),
    wants: Sequence[str] = (),
    by: str | Sequence[str] | None = None,
    needed_by: str | None = None,
) -> Context:
    """Load ``df`` (roles resolved, dtypes canonical), read as of a date, with its period."""
    if not isinstance(df, pd.DataFrame):
        raise ArgumentError(
            f"{needed_by or 'this function'} takes a pandas DataFrame of stays, "
            f"got {type(df).__name__}."
        )
    needs = list(needs)
    for key in _by_keys(by):
        if key not in GROUP_ROLES:
            raise ArgumentError(
                f"by={key!r} is not a grouping role; choose from {list(GROUP_ROLES)}."
            )
        role = "age" if key == "age_group" else key
        if role not in needs:
            needs.append(role)
    frame = prepare(df, columns=columns, needs=needs, wants=wants, needed_by=needed_by)
    stays = Stays(frame)
    data_as_of = None
    if stays.data_as_of is not None:
        data_as_of = pd.Timestamp(stays.data_as_of * NS_PER_DAY)
    elif as_of is None and end is None:
        data_as_of = pd.Timestamp.today().normalize()  # empty data: any date reads 0
    period = resolve_period(
        start, end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of, data_as_of=data_as_of
    )
    stays.set_as_of(int(period.as_of.value // NS_PER_DAY))
    return Context(frame=frame, stays=stays, period=period)


def _by_keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _key_codes(frame: pd.DataFrame, key: str, age_bins=None) -> tuple[np.ndarray, list]:
    """Codes (-1 for missing) and labels of one grouping key."""
    if key == "age_group":
        bins = validate_bins(age_bins, name="bins", default=DEFAULT_AGE_BINS)
        labels = age_labels(bins)
        age = frame["age"].to_numpy(dtype="float64", na_value=np.nan)
        codes = np.searchsorted(np.asarray(bins, dtype="float64"), age, side="right") - 1
        codes = np.where(np.isnan(age) | (age < bins[0]), -1, codes)
        return codes.astype("int64"), labels
    col = frame[key]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    return col.cat.codes.to_numpy().astype("int64"), [str(c) for c in col.cat.categories]


def group_codes(
    frame: pd.DataFrame, by: str | Sequence[str] | None, *, age_bins=None
) -> tuple[np.ndarray, pd.Index | None]:
    """Group code per row and the group labels (index named after ``by``).

    Missing values form a ``"(missing)"`` group, added only when present, so the groups
    always add up to the total and no row is dropped silently.
    """
    keys = _by_keys(by)
    if not keys:
        return np.zeros(len(frame), dtype="int64"), None
    parts = [_key_codes(frame, k, age_bins) for k in keys]
    if len(keys) == 1:
        codes, labels = parts[0]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(labels), codes)
            labels = labels + [MISSING_LABEL]
        return codes, pd.Index(labels, name=keys[0], dtype=object)
    # Mixed-radix code per row in each key's category order, "(missing)" last in each key,
    # then keep the combinations present (sorted by that code, so the order matches the
    # single-key order).
    combined = np.zeros(len(frame), dtype="int64")
    for codes, labels in parts:
        size = len(labels) + 1
        combined = combined * size + np.where(codes < 0, len(labels), codes)
    uniques, inverse = np.unique(combined, return_inverse=True)
    levels = []
    rest = uniques
    for _codes, labels in reversed(parts):
        size = len(labels) + 1
        lab = np.asarray(labels + [MISSING_LABEL], dtype=object)
        levels.append(lab[rest % size])
        rest = rest // size
    mi = pd.MultiIndex.from_arrays(list(reversed(levels)), names=keys)
    return inverse.reshape(-1).astype("int64"), mi


# --------------------------------------------------------------------- ids and stays
def id_codes(values: pd.Series) -> np.ndarray:
    """Integer code per row of an id column (-1 for a missing id).

    Ids are compared as :func:`hospitalytics.clean.normalize_labels` writes them, so
    ``7``, ``7.0``, ``"7"`` and ``" 7 "`` are one id -- as Dask, which turns object
    columns into strings, sees them -- and pandas and Dask agree. Numeric columns are
    compared as numbers (no text is built); other columns per distinct value, never per
    row.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    codes = np.asarray(codes, dtype="int64")
    dtype = getattr(values, "dtype", None)
    if dtype is not None and pd.api.types.is_numeric_dtype(dtype) and not (
        pd.api.types.is_bool_dtype(dtype)
    ):
        return codes
    if len(uniques) == 0:
        return codes
    labels = normalize_labels(pd.Index(uniques))
    lab_codes, _ = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    lab_codes = np.asarray(lab_codes, dtype="int64")
    return np.where(codes >= 0, lab_codes[np.maximum(codes, 0)], -1)


def stay_keys(frame: pd.DataFrame) -> np.ndarray | None:
    """Stay code per row when some stay has several rows, else None (rows are stays).

    A stay is identified by its ``stay_id`` within its patient (``patient_id`` when the
    frame has it), so stay ids numbered per patient work too. A row without a stay id is
    a stay of its own. The common case, unique stay ids, is one hash pass.
    """
    if "stay_id" not in frame.columns or len(frame) < 2:
        return None
    sid = frame["stay_id"]
    numeric = pd.api.types.is_numeric_dtype(sid.dtype) and not (
        pd.api.types.is_bool_dtype(sid.dtype)
    )
    if numeric and sid.is_unique:
        return None
    codes = id_codes(sid)
    if "patient_id" in frame.columns:
        pid = id_codes(frame["patient_id"])
        width = int(codes.max(initial=-1)) + 2
        codes = np.where(codes >= 0, (pid + 1) * width + codes, -1)
    missing = codes < 0
    if missing.any():  # each row without a stay id is its own stay
        codes = codes.copy()
        codes[missing] = int(codes.max(initial=-1)) + 1 + np.arange(int(missing.sum()))
    key, uniques = pd.factorize(codes)
    if len(uniques) == len(frame):
        return None
    return np.asarray(key, dtype="int64")


_NAT = np.iinfo("int64").min
_OPEN = np.iinfo("int64").max


def collapse_stays(frame: pd.DataFrame, segments: Stays, key: np.ndarray):
    """One row per stay from its segments (rows sharing ``key``): sorts, no row loops.

    - admission: the earliest segment admission; the stay carries its **first**
      segment's labels (ward, department, treatment, age, admission method ...);
    - discharge: the latest segment discharge, and **open** when any segment is open
      (a patient still in a bed is still in hospital, as the census counts them);
      ``discharge_frame`` holds the **last** segment's labels (the segment with the
      latest discharge: the discharging ward, the disposition);
    - cost: counted once, the first non-missing cost in segment order; stays whose
      segments carry different costs are flagged.

    ``segments`` holds the frame's timestamps (:class:`~hospitalytics.census.Stays`).
    Returns ``(stays, discharge_side, cost_conflicts)``.
    """
    n = len(frame)
    adm, dis = segments.adm_ns, segments.dis_ns
    dis_hi = np.where(dis == _NAT, _OPEN, dis)
    order = np.lexsort((dis_hi, adm, key))  # stay, then admission (stable: row order)
    k = key[order]
    change = np.ones(n, dtype=bool)
    change[1:] = k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    first = order[starts]
    # the last segment: latest discharge (open latest), then latest admission, row order
    order_last = np.lexsort((adm, dis_hi, key))
    ends = np.append(starts[1:], n) - 1
    last = order_last[ends]
    stay_dis = dis_hi[last]
    stay_dis = np.where(stay_dis == _OPEN, _NAT, stay_dis)
    changes: dict[str, object] = {}
    if "discharge_date" in frame.columns:
        changes["discharge_date"] = pd.Series(
            stay_dis.view("datetime64[ns]"), index=frame.index[first]
        )
    conflicts = None
    if "cost" in frame.columns:
        cost, conflicts = _stay_costs(frame["cost"], order, starts)
        changes["cost"] = pd.Series(cost, index=frame.index[first])
    dis_side = frame.take(last)
    if "discharge_disposition" in frame.columns:
        changes["discharge_disposition"] = pd.Series(
            dis_side["discharge_disposition"].array, index=frame.index[first]
        )
    stays = frame.take(first).assign(**changes)
    return stays, dis_side, conflicts


def _stay_costs(cost: pd.Series, order: np.ndarray, starts: np.ndarray):
    """Cost per stay (first non-missing in segment order) and the stays whose differ."""
    c = cost.to_numpy(dtype="float64", na_value=np.nan)[order]
    n = len(c)
    pos = np.where(np.isnan(c), n, np.arange(n))
    first = np.minimum.reduceat(pos, starts) if n else pos
    value = np.where(first < n, c[np.minimum(first, max(n - 1, 0))], np.nan)
    with np.errstate(invalid="ignore"):
        hi = np.fmax.reduceat(c, starts) if n else c
        lo = np.fmin.reduceat(c, starts) if n else c
    conflicts = ~np.isnan(hi) & (hi != lo)
    return value, conflicts

