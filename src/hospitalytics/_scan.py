"""Chunked numpy passes: what one read of a column (or two) can tell, in bounded memory.

Private: :func:`hospitalytics.clean.prepare` checks a canonical frame's dates, ages and
costs in :func:`scan_columns` (one pass instead of one pass per rule), and the KPI
kernels build their period masks with :func:`between`. Every pass works on blocks of
:data:`ROWS` rows, so its temporaries stay in the processor's cache and never grow with
the frame.

Examples
--------
>>> import numpy as np
>>> adm = np.array([1, 2, 2, 5])
>>> facts = scan_columns(adm, np.array([3, 2, NAT, 9]))
>>> facts.adm_sorted, facts.adm_min, facts.adm_max, facts.dis_max, facts.has_open
(True, 1, 5, 9, True)
>>> between(adm, 2, 5).tolist()
[False, True, True, False]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["NAT", "ROWS", "Facts", "between", "count_between", "scan_columns",
           "text_numbers"]

#: The int64 value of NaT.
NAT = np.iinfo("int64").min
#: Rows per block: a block of int64 is 1 MiB, so a few of them stay in the L2 cache.
ROWS = 1 << 17


@dataclass(frozen=True)
class Facts:
    """What one pass learnt about a frame's admission and discharge timestamps.

    In the columns' own unit (int64 values; NaT is :data:`NAT`).

    Attributes
    ----------
    adm_min, adm_max : int
        The earliest and latest admission (every admission is present).
    dis_max : int
        The latest discharge; :data:`NAT` when no row has one.
    adm_sorted : bool
        The rows are in admission order (ties allowed).
    has_open : bool
        Some row has no discharge.
    """

    adm_min: int
    adm_max: int
    dis_max: int
    adm_sorted: bool
    has_open: bool

    def to_ns(self, per: int) -> Facts:
        """The same facts in nanoseconds, from a unit of ``per`` nanoseconds."""
        if per == 1:
            return self

        def ns(v: int) -> int:
            return v if v == NAT else v * per

        return Facts(ns(self.adm_min), ns(self.adm_max), ns(self.dis_max), self.adm_sorted,
                     self.has_open)


def scan_columns(
    adm: np.ndarray,
    dis: np.ndarray | None,
    finite: Sequence[np.ndarray] = (),
    nonnegative: Sequence[np.ndarray] = (),
    *,
    rows: int = ROWS,
) -> Facts | None:
    """Check a canonical frame's columns in one blocked pass.

    Parameters
    ----------
    adm : ndarray of int64
        Admission timestamps (NaT: :data:`NAT`).
    dis : ndarray of int64 or None
        Discharge timestamps in the same unit (NaT: still in hospital).
    finite : sequence of ndarray of float64
        Columns that must hold no infinity (NaN is fine).
    nonnegative : sequence of ndarray of float64
        Columns (among ``finite``) that must hold no negative value.
    rows : int, optional
        Rows per block.

    Returns
    -------
    Facts or None
        The facts; None when some row breaks a rule (a missing admission, a discharge
        before its admission, an infinite value, a negative one), so that the caller
        applies the full rules, row by row.
    """
    n = len(adm)
    if n == 0:
        return None
    floats = [(v, any(v is w for w in nonnegative)) for v in finite]
    buf = np.empty(rows, dtype=bool)
    srt = True
    prev = NAT
    lo_min = hi_max = None  # over the blocks read unsorted
    dis_max = NAT
    has_open = False
    for i in range(0, n, rows):
        x = adm[i : i + rows]
        m = len(x)
        b = buf[:m]
        if srt:
            srt = bool(x[0] >= prev) and bool(
                np.greater_equal(x[1:], x[:-1], out=buf[: m - 1]).all())
            if not srt and i:  # the blocks before were sorted: their ends are min and max
                lo_min, hi_max = int(adm[0]), int(prev)
            prev = int(x[-1])
        if not srt:
            lo, hi = int(x.min()), int(x.max())
            lo_min = lo if lo_min is None else min(lo_min, lo)
            hi_max = hi if hi_max is None else max(hi_max, hi)
        if dis is not None:
            y = dis[i : i + rows]
            dis_max = max(dis_max, int(y.max()))
            if np.less(y, x, out=b).any():  # NaT (the int64 minimum) or a real one
                nat = y == NAT
                if (b & ~nat).any():
                    return None
                has_open = has_open or bool(nat.any())
        for v, nonneg in floats:
            z = v[i : i + rows]
            top = np.fmax.reduce(z)
            if top == np.inf:
                return None
            low = np.fmin.reduce(z)
            if low == -np.inf or (nonneg and low < 0):
                return None
    if srt:
        lo_min, hi_max = int(adm[0]), int(adm[-1])
    if lo_min == NAT:
        return None
    if dis is None:
        has_open = True
    return Facts(lo_min, hi_max, dis_max, srt, has_open)


def between(values: np.ndarray, lo: int | None, hi: int | None, *,
            rows: int = ROWS) -> np.ndarray:
    """``lo <= values < hi`` as a boolean mask, block by block (``None``: no bound).

    The int64 minimum (NaT) is never inside.
    """
    n = len(values)
    out = np.empty(n, dtype=bool)
    lo = NAT + 1 if lo is None else max(int(lo), NAT + 1)
    tmp = np.empty(min(rows, max(n, 1)), dtype=bool)
    for i in range(0, n, rows):
        v = values[i : i + rows]
        o = out[i : i + rows]
        np.greater_equal(v, lo, out=o)
        if hi is not None:
            o &= np.less(v, hi, out=tmp[: len(v)])
    return out


def count_between(values: np.ndarray, lo: int | None, hi: int | None, *,
                  rows: int = ROWS) -> int:
    """How many values :func:`between` would mark, without the mask."""
    lo = NAT + 1 if lo is None else max(int(lo), NAT + 1)
    n = 0
    tmp = np.empty(min(rows, max(len(values), 1)), dtype=bool)
    tmp2 = np.empty_like(tmp)
    for i in range(0, len(values), rows):
        v = values[i : i + rows]
        o = np.greater_equal(v, lo, out=tmp[: len(v)])
        if hi is not None:
            o &= np.less(v, hi, out=tmp2[: len(v)])
        n += int(np.count_nonzero(o))
    return n


def text_numbers(values) -> np.ndarray | None:
    """Text ids of one width, a constant prefix and digits (``"P0000123"``) as integers.

    Read straight from the Arrow buffers of pandas' Arrow-backed strings, block by
    block: two such ids are equal exactly when their numbers are (the width is fixed, so
    leading zeros cannot differ). None for any other column (nulls, other shapes, object
    strings), which the caller factorises instead.

    Parameters
    ----------
    values : Series
        The id column.

    Returns
    -------
    ndarray of int64 or None
        The number of each id.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(["P0042", "P0007", "P0042"], dtype="string[pyarrow]")
    >>> text_numbers(s).tolist()
    [42, 7, 42]
    >>> text_numbers(pd.Series(["P1", "P12"], dtype="string[pyarrow]")) is None
    True
    """
    arrow = getattr(values.array, "__arrow_array__", None)
    if arrow is None or len(values) == 0:
        return None
    import pyarrow as pa

    arr = arrow()
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    out = np.empty(len(values), dtype=np.int64)
    shape = None  # (width, prefix) of the first chunk: every chunk must have it
    pos = 0
    for chunk in chunks:
        if len(chunk) == 0:
            continue
        shape = _chunk_numbers(chunk, shape, out[pos : pos + len(chunk)])
        if shape is None:
            return None
        pos += len(chunk)
    return out


def _chunk_numbers(arr, shape, out: np.ndarray):
    """Fill ``out`` with the numbers of one Arrow string chunk; its (width, prefix) or None."""
    import pyarrow as pa

    if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    n = len(arr)
    _, off_buf, data_buf = arr.buffers()
    off_type = "int64" if pa.types.is_large_string(arr.type) else "int32"
    offsets = np.frombuffer(off_buf, dtype=off_type)[arr.offset : arr.offset + n + 1]
    start = int(offsets[0])
    width = int(offsets[1]) - start
    if width <= 0 or int(offsets[-1]) - start != width * n:
        return None
    for i in range(0, n + 1, ROWS):  # every id of the same width
        block = offsets[i : i + ROWS + 1]
        if len(block) > 1 and not (np.diff(block) == width).all():
            return None
    data = np.frombuffer(data_buf, dtype=np.uint8)[start : start + width * n].reshape(n, width)
    first = data[0]
    digit = (first >= 48) & (first <= 57)
    k = int(np.argmax(digit)) if digit.any() else width  # the prefix: up to the first digit
    if width - k == 0 or width - k > 18 or not digit[k:].all():
        return None
    if shape is not None and shape != (width, first[:k].tobytes()):
        return None
    for i in range(0, n, ROWS):
        block = data[i : i + ROWS]
        if k and not (block[:, :k] == first[:k]).all():
            return None
        digits = block[:, k:] - np.uint8(48)  # wraps for a non-digit
        if (digits > 9).any():
            return None
        acc = digits[:, 0].astype(np.int64)
        for j in range(1, width - k):
            acc *= 10
            acc += digits[:, j]
        out[i : i + ROWS] = acc
    return width, first[:k].tobytes()
