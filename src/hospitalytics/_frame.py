"""Shared entrance of every KPI: load a frame once, resolve the period, build groups.

Private: the public functions in :mod:`hospitalytics.kpis` and
:mod:`hospitalytics.census` call :func:`setup` at their entrance, so that a raw frame
(inferred on the fly) and a canonical frame take the same path.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .census import NS_PER_DAY, Stays
from .clean import prepare
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
    """A loaded frame, its stays arrays and the resolved period."""

    frame: pd.DataFrame
    stays: Stays
    period: Period
    cache: dict = field(default_factory=dict)

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
