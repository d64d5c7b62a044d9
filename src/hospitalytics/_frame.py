"""Shared entrance of every KPI: load a frame once, resolve the period, build groups.

Private: the public functions in :mod:`hospitalytics.kpis` and
:mod:`hospitalytics.analysis` call :func:`setup` at their entrance, so that a raw frame
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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._clean_numbers import labels_are_normal, normalize_labels
from ._clean_prepare import prepare_frame
from ._scan import ROWS, text_numbers
from ._sweep import NS_PER_DAY, Stays
from .errors import ArgumentError, ArgumentTypeError
from .periods import Period, resolve_period

MISSING_LABEL = "(missing)"
GROUP_ROLES = ("department", "ward", "location", "treatment", "age_group")

#: Default age bands: lower edges in years (right-open), after AHRQ HCUP's groups.
DEFAULT_AGE_BINS: tuple[int, ...] = (0, 18, 45, 65, 75, 85)


def age_labels(bins: Sequence[float]) -> list[str]:
    """Labels ``"0-17"``, ..., ``"85+"`` for lower-edge age bins."""
    labels = []
    for lo, hi in zip(bins, list(bins[1:]) + [None], strict=True):
        if hi is None:
            labels.append(f"{lo:g}+")
        else:
            labels.append(f"{lo:g}-{hi - 1:g}")
    return labels


def age_codes(age: np.ndarray, bins: Sequence[float], dtype: str = "int64") -> np.ndarray:
    """The band of each age (-1: missing, or below the first edge), block by block.

    Whole-number edges (the usual case) band ``floor(age)`` through a lookup table;
    other edges by binary search.
    """
    edges = np.asarray(bins, dtype="float64")
    out = np.empty(len(age), dtype=dtype)
    whole = bool((edges == np.floor(edges)).all()) and edges[-1] < 1 << 16
    top = int(edges[-1]) if whole else 0
    table = np.searchsorted(edges, np.arange(top + 1), side="right") - 1 if whole else None
    for i in range(0, len(age), ROWS):
        a = age[i : i + ROWS]
        bad = np.isnan(a) | (a < edges[0])
        if whole:
            idx = np.floor(np.clip(a, 0, top), out=np.empty(len(a)))
            idx[bad] = 0
            codes = table[idx.astype(np.int64)]
        else:
            codes = np.searchsorted(edges, a, side="right") - 1
        codes[bad] = -1
        out[i : i + ROWS] = codes
    return out


def validate_bins(bins: Sequence[float] | None, *, name: str, default: Sequence[float]):
    """Check bin edges: increasing numbers starting at 0."""
    edges = list(default if bins is None else bins)
    if len(edges) == 0:
        raise ArgumentError(f"{name} must list at least one lower edge, e.g. {list(default)}.",
                            argument=name, value=bins, allowed="increasing lower edges from 0")
    arr = np.asarray(edges, dtype="float64")
    if np.isnan(arr).any() or (np.diff(arr) <= 0).any() or arr[0] != 0:
        raise ArgumentError(
            f"{name} must be strictly increasing lower edges starting at 0, e.g. "
            f"{list(default)}; got {edges}.",
            argument=name, value=bins, allowed="increasing lower edges from 0",
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
            patients = self.patient_codes if "patient_id" in self.frame.columns else None
            keys = stay_keys(self.frame, patients)
            if keys is None:
                self.cache["events"] = self
            else:
                frame, dis_frame, conflicts, first = collapse_stays(self.frame, self.stays,
                                                                    keys)
                stays = Stays(frame)
                if self.stays.as_of_day is not None:
                    stays.set_as_of(self.stays.as_of_day)
                ev = Context(frame=frame, stays=stays, period=self.period,
                             dis_frame=dis_frame, cost_conflicts=conflicts)
                ev.cache["events"] = ev
                if patients is not None:  # computed once, for the readmissions
                    ev.cache["patient_codes"] = patients()[first]
                self.cache["events"] = ev
        return self.cache["events"]

    def patient_codes(self) -> np.ndarray:
        """Patient code per row (-1 for a missing id; gaps allowed), as :func:`id_codes`."""
        if "patient_codes" not in self.cache:
            self.cache["patient_codes"] = id_codes(self.frame["patient_id"], dense=False)
        return self.cache["patient_codes"]

    @property
    def first_day(self) -> int:
        """Day number of the period's first day (the first admission when unbounded)."""
        if self.period.start is not None:
            return int(self.period.start.value // NS_PER_DAY)
        st = self.stays
        if st.n == 0:
            return self.last_day + 1
        if st.all_exist:
            return int(st.adm_min // NS_PER_DAY)
        exists = st.exists
        if not exists.any():
            return self.last_day + 1
        return int(st.adm_ns[exists].min() // NS_PER_DAY)

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
        raise ArgumentTypeError(
            f"{needed_by or 'this function'} takes a pandas DataFrame of stays, "
            f"got {type(df).__name__}.",
            argument="df", value=df, allowed="pandas.DataFrame",
        )
    needs = list(needs)
    for key in by_keys(by):
        if key not in GROUP_ROLES:
            raise ArgumentError(
                f"by={key!r} is not a grouping role; choose from {list(GROUP_ROLES)}.",
                argument="by", value=key, allowed=GROUP_ROLES,
            )
        role = "age" if key == "age_group" else key
        if role not in needs:
            needs.append(role)
    frame, facts = prepare_frame(df, columns=columns, needs=needs, wants=wants,
                                 needed_by=needed_by)
    stays = Stays(frame, facts)
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


def by_keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def key_codes(frame: pd.DataFrame, key: str, age_bins=None, *,
              compact: bool = False) -> tuple[np.ndarray, list]:
    """Codes (-1 for missing) and labels of one grouping key.

    ``compact=True`` keeps a categorical's own small integer codes (int8 for up to 127
    categories) instead of int64: for kernels that only count by them.
    """
    if key == "age_group":
        bins = validate_bins(age_bins, name="bins", default=DEFAULT_AGE_BINS)
        labels = age_labels(bins)
        age = frame["age"].to_numpy(dtype="float64", na_value=np.nan)
        small = compact and len(labels) < 127
        return age_codes(age, bins, "int8" if small else "int64"), labels
    col = frame[key]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    codes = col.cat.codes.to_numpy()
    return codes if compact else codes.astype("int64"), [str(c) for c in col.cat.categories]


def group_codes(
    frame: pd.DataFrame, by: str | Sequence[str] | None, *, age_bins=None,
    compact: bool = False,
) -> tuple[np.ndarray, pd.Index | None]:
    """Group code per row and the group labels (index named after ``by``).

    Missing values form a ``"(missing)"`` group, added only when present, so the groups
    always add up to the total and no row is dropped silently. ``compact=True``: one
    categorical key keeps its small integer codes (see :func:`key_codes`).
    """
    keys = by_keys(by)
    if not keys:
        return np.zeros(len(frame), dtype="int64"), None
    parts = [key_codes(frame, k, age_bins, compact=compact and len(keys) == 1)
             for k in keys]
    if len(keys) == 1:
        codes, labels = parts[0]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(labels), codes.astype("int64"))
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
def id_codes(values: pd.Series, *, dense: bool = True) -> np.ndarray:
    """Integer code per row of an id column (-1 for a missing id).

    Ids are compared as :func:`hospitalytics.clean.normalize_labels` writes them, so
    ``7``, ``7.0``, ``"7"`` and ``" 7 "`` are one id -- as Dask, which turns object
    columns into strings, sees them -- and pandas and Dask agree. Numeric columns are
    compared as numbers (no text is built); other columns per distinct value, never per
    row.

    ``dense=True`` numbers the distinct ids ``0 .. k-1``. ``dense=False`` allows gaps:
    codes in ``0 .. r-1`` with ``r`` at most a few times the rows, which integer ids
    (and text ids of one width made of a prefix and digits, ``"P0000123"``) give without
    hashing anything: their number less the smallest.
    """
    if not dense:
        numbers = _id_numbers(values)
        if numbers is not None:
            lo, hi = int(numbers.min()), int(numbers.max())
            if hi - lo < 4 * len(numbers) + 1024:
                return offset_codes(numbers, lo, hi)
            codes, _ = pd.factorize(numbers)  # wide numbers: hashed, as numbers
            return np.asarray(codes, dtype="int64")
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.CategoricalDtype):  # the categories are the distinct values
        codes = np.asarray(values.cat.codes, dtype="int64")
        uniques = dtype.categories
        if _is_number(uniques.dtype):
            return codes
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        codes = np.asarray(codes, dtype="int64")
        if dtype is not None and _is_number(dtype):
            return codes
    uniques = pd.Index(uniques)
    if len(uniques) == 0 or labels_are_normal(uniques):
        return codes
    labels = normalize_labels(uniques)
    lab_codes, _ = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    lab_codes = np.asarray(lab_codes, dtype="int64")
    return np.where(codes >= 0, lab_codes[np.maximum(codes, 0)], -1)


def offset_codes(numbers: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """``numbers - lo`` in int32 when ``hi - lo`` fits (half the memory), else int64.

    Block by block, so no int64 temporary of the whole length is made. Callers that do
    arithmetic with the codes cast them to int64 first.
    """
    dtype = np.int32 if hi - lo < np.iinfo(np.int32).max else np.int64
    out = np.empty(len(numbers), dtype=dtype)
    for i in range(0, len(numbers), ROWS):
        np.subtract(numbers[i : i + ROWS], lo, out=out[i : i + ROWS], casting="unsafe")
    return out


def _id_numbers(values: pd.Series) -> np.ndarray | None:
    """Integer ids as they are, or text ids of one shape as numbers (None otherwise)."""
    if len(values) == 0:
        return None
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        if dtype.kind == "u" and dtype.itemsize == 8:
            return None
        return values.to_numpy().astype("int64", copy=False)
    if pd.api.types.is_string_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return text_numbers(values)
    return None


def _is_number(dtype) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def stay_keys(frame: pd.DataFrame, patients=None) -> tuple[np.ndarray, int] | None:
    """Stay code per row when some stay has several rows, else None (rows are stays).

    A stay is identified by its ``stay_id`` within its patient (``patients()`` gives the
    patient codes, when the frame has patient ids), so stay ids numbered per patient work
    too. A row without a stay id is a stay of its own. The common case, unique stay ids,
    is one hash pass.

    Returns ``(codes 0 .. k-1, k)``.
    """
    if "stay_id" not in frame.columns or len(frame) < 2:
        return None
    sid = frame["stay_id"]
    numeric = pd.api.types.is_numeric_dtype(sid.dtype) and not (
        pd.api.types.is_bool_dtype(sid.dtype)
    )
    if numeric and sid.dtype.kind in "iu":
        ids = sid.to_numpy()
        if bool((ids[1:] > ids[:-1]).all()):  # increasing integers: unique, no hashing
            return None
    if sid.is_unique and (numeric or labels_are_normal(pd.Index(sid.array))):
        return None  # one hash pass: every stay id is distinct, also once normalised
    codes = id_codes(sid)
    if (codes >= 0).all() and int(codes.max(initial=-1)) + 1 == len(codes):
        return None  # distinct once normalised (codes are 0 .. k-1)
    if patients is not None:
        pid = patients().astype("int64", copy=False)
        width = int(codes.max(initial=-1)) + 2
        codes = np.where(codes >= 0, (pid + 1) * width + codes, -1)
    missing = codes < 0
    if missing.any():  # each row without a stay id is its own stay
        codes = codes.copy()
        codes[missing] = int(codes.max(initial=-1)) + 1 + np.arange(int(missing.sum()))
    key, uniques = pd.factorize(codes)
    if len(uniques) == len(frame):
        return None
    return np.asarray(key, dtype="int64"), len(uniques)


_NAT = np.iinfo("int64").min
_OPEN = np.iinfo("int64").max


def _pick(key: np.ndarray, k: int, ranks: list[np.ndarray], mask: np.ndarray | None = None,
          *, last: bool = False) -> np.ndarray:
    """Row per group with the smallest ``ranks`` (compared in turn), ties to the first row.

    ``last=True``: the largest ranks, ties to the last row. Rows outside ``mask`` are not
    candidates; a group without a candidate gets ``-1``. Linear passes, no sort.
    """
    n = len(key)
    cand = np.ones(n, dtype=bool) if mask is None else mask.copy()
    reduce = np.maximum if last else np.minimum
    for rank in ranks:
        best = np.full(k, np.iinfo("int64").min if last else np.iinfo("int64").max,
                       dtype="int64")
        reduce.at(best, key[cand], rank[cand])
        cand &= rank == best[key]
    rows = np.full(k, -1 if last else n, dtype="int64")
    reduce.at(rows, key[cand], np.flatnonzero(cand))
    return np.where(rows == n, -1, rows)


def collapse_stays(frame: pd.DataFrame, segments: Stays, keys: tuple):
    """One row per stay from its segments (rows sharing a key): linear passes, no loops.

    - admission: the earliest segment admission; the stay carries this **first**
      segment's labels (ward, department, treatment, age, admission method ...); ties go
      to the earlier discharge, then to the first row;
    - discharge: the latest segment discharge, and **open** when any segment is open
      (a patient still in a bed is still in hospital, as the census counts them);
      ``discharge_frame`` holds the **last** segment's labels (the latest discharge, then
      the latest admission, then the last row: the discharging ward, the disposition);
    - cost: counted once, that of the earliest segment with a cost (by admission, then
      row); stays whose segments carry different costs are flagged.

    ``segments`` holds the frame's timestamps (:class:`~hospitalytics._sweep.Stays`);
    ``keys`` is what :func:`stay_keys` returned.
    Returns ``(stays, discharge_side, cost_conflicts, first)``, ``first`` the row of
    each stay's first segment.
    """
    key, k = keys
    adm, dis = segments.adm_ns, segments.dis_ns
    dis_hi = np.where(dis == _NAT, _OPEN, dis)
    first = _pick(key, k, [adm, dis_hi])
    last = _pick(key, k, [dis_hi, adm], last=True)
    changes: dict[str, object] = {}
    index = frame.index[first]
    if "discharge_date" in frame.columns:
        stay_dis = dis_hi[last]
        stay_dis = np.where(stay_dis == _OPEN, _NAT, stay_dis)
        changes["discharge_date"] = pd.Series(stay_dis.view("datetime64[ns]"), index=index)
    conflicts = None
    if "cost" in frame.columns:
        cost = frame["cost"].to_numpy(dtype="float64", na_value=np.nan)
        has = ~np.isnan(cost)
        row = _pick(key, k, [adm], has)
        changes["cost"] = pd.Series(np.where(row >= 0, cost[np.maximum(row, 0)], np.nan),
                                    index=index)
        hi = np.full(k, -np.inf)
        lo = np.full(k, np.inf)
        np.maximum.at(hi, key[has], cost[has])
        np.minimum.at(lo, key[has], cost[has])
        conflicts = hi > lo
    dis_side = frame.take(last)
    if "discharge_disposition" in frame.columns:
        changes["discharge_disposition"] = pd.Series(
            dis_side["discharge_disposition"].array, index=index
        )
    stays = frame.take(first).assign(**changes)
    return stays, dis_side, conflicts, first
