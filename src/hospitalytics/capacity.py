"""Bed capacity: beds per ward, optionally valid over date ranges.

``beds`` arguments accept

* a dict ``{ward: beds}`` or a Series indexed by ward (capacity constant in time), or
* a DataFrame with columns ``ward`` and ``beds`` and, optionally, ``valid_from`` and
  ``valid_to`` (inclusive dates; a missing value leaves that side open). Several rows for
  one ward describe capacity that changes as wards open, close or have beds blocked; their
  date ranges must not overlap.

Available bed-days on a day are the beds valid on that day; a ward with no valid row on a
day has no available beds that day.

Examples
--------
>>> normalize_beds({"Ward A": 20, "Ward B": 10})
     ward  beds valid_from valid_to
0  Ward A  20.0        NaT      NaT
1  Ward B  10.0        NaT      NaT
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import ArgumentError, ArgumentTypeError

__all__ = ["available_matrix", "beds_on", "normalize_beds"]

_NS_PER_DAY = 86_400 * 10**9


def normalize_beds(beds: object) -> pd.DataFrame:
    """Validate a bed-capacity argument and return it as a tidy table.

    Parameters
    ----------
    beds : dict, Series or DataFrame
        See the module documentation.

    Returns
    -------
    DataFrame
        Columns ``ward`` (str), ``beds`` (float), ``valid_from`` and ``valid_to``
        (datetime64, NaT when open-ended), sorted by ward and ``valid_from``.

    Raises
    ------
    ArgumentError
        When the argument has the wrong shape, beds are negative or not numbers, or two
        rows for one ward overlap in time.

    Examples
    --------
    >>> table = pd.DataFrame({"ward": ["A", "A"], "beds": [20, 24],
    ...                       "valid_from": [None, "2025-03-01"],
    ...                       "valid_to": ["2025-02-28", None]})
    >>> normalize_beds(table)[["ward", "beds"]].values.tolist()
    [['A', 20.0], ['A', 24.0]]
    """
    if isinstance(beds, Mapping):
        table = pd.DataFrame({"ward": list(beds.keys()), "beds": list(beds.values())})
    elif isinstance(beds, pd.Series):
        table = pd.DataFrame({"ward": beds.index.to_numpy(), "beds": beds.to_numpy()})
    elif isinstance(beds, pd.DataFrame):
        cols = {str(c).strip().lower(): c for c in beds.columns}
        if "ward" not in cols or "beds" not in cols:
            raise ArgumentError(
                "a beds DataFrame needs columns 'ward' and 'beds' (and optionally "
                f"'valid_from', 'valid_to'); it has {list(beds.columns)}."
            )
        table = pd.DataFrame(
            {
                "ward": beds[cols["ward"]].to_numpy(),
                "beds": beds[cols["beds"]].to_numpy(),
            }
        )
        for side in ("valid_from", "valid_to"):
            if side in cols:
                table[side] = beds[cols[side]].to_numpy()
    else:
        raise ArgumentTypeError(
            "beds must be a dict {ward: beds}, a Series indexed by ward, or a DataFrame "
            f"with 'ward' and 'beds' columns; got {type(beds).__name__}.",
            argument="beds", value=beds, allowed=("dict", "Series", "DataFrame"),
        )
    for side in ("valid_from", "valid_to"):
        if side not in table:
            table[side] = pd.NaT
        try:
            col = pd.to_datetime(table[side], errors="raise")
        except (ValueError, TypeError) as exc:
            raise ArgumentError(f"beds {side} has values that are not dates: {exc}") from exc
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_localize(None)
        table[side] = col.dt.normalize().astype("datetime64[ns]")
    if table["ward"].isna().any():
        raise ArgumentError("beds has a row without a ward name.")
    table["ward"] = table["ward"].astype(str).str.strip()
    numeric = pd.to_numeric(table["beds"], errors="coerce")
    bad = numeric.isna() | (numeric < 0)
    if bad.any():
        wards = table.loc[bad, "ward"].tolist()
        raise ArgumentError(
            f"beds must be non-negative numbers; wards {wards} have "
            f"{table.loc[bad, 'beds'].tolist()}.",
            argument="beds",
        )
    table["beds"] = numeric.astype("float64")
    both = table["valid_from"].notna() & table["valid_to"].notna()
    inverted = both & (table["valid_to"] < table["valid_from"])
    if inverted.any():
        raise ArgumentError(
            f"beds rows end before they start for wards {table.loc[inverted, 'ward'].tolist()}."
        )
    table = table.sort_values(["ward", "valid_from"], na_position="first", kind="stable")
    table = table.reset_index(drop=True)
    nat = np.iinfo("int64").min
    lo = table["valid_from"].to_numpy("datetime64[ns]").view("int64")
    hi = table["valid_to"].to_numpy("datetime64[ns]").view("int64")
    hi = np.where(hi == nat, np.iinfo("int64").max, hi)
    prev_hi = np.concatenate([[nat], hi[:-1]])
    same = table["ward"].eq(table["ward"].shift()).to_numpy()
    overlap = pd.Series(same & (lo <= prev_hi), index=table.index)
    if overlap.any():
        raise ArgumentError(
            "beds rows overlap in time for ward(s) "
            f"{sorted(set(table.loc[overlap, 'ward']))}: give each ward non-overlapping "
            "valid_from/valid_to ranges."
        )
    return table[["ward", "beds", "valid_from", "valid_to"]]


def available_matrix(
    table: pd.DataFrame, wards: pd.Index, first_day: int, n_days: int
) -> np.ndarray:
    """Available beds per ward and day, as a ``(len(wards), n_days)`` float array.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`normalize_beds`.
    wards : Index
        The ward order of the rows of the result (wards not in ``table`` get 0).
    first_day : int
        The first day, as days since 1970-01-01.
    n_days : int
        Number of days.

    Returns
    -------
    numpy.ndarray
        ``out[i, j]`` is the beds of ``wards[i]`` on day ``first_day + j``.

    Examples
    --------
    >>> t = normalize_beds(pd.DataFrame({"ward": ["A", "A"], "beds": [2, 3],
    ...     "valid_from": [None, "1970-01-04"], "valid_to": ["1970-01-02", None]}))
    >>> available_matrix(t, pd.Index(["A"]), 0, 4).tolist()
    [[2.0, 2.0, 0.0, 3.0]]
    """
    n_days = max(int(n_days), 0)
    out = np.zeros((len(wards), n_days + 1), dtype="float64")
    if len(table) == 0 or n_days == 0 or len(wards) == 0:
        return out[:, :n_days]
    idx = wards.get_indexer(table["ward"])
    lo_ns = table["valid_from"].to_numpy("datetime64[ns]").view("int64")
    hi_ns = table["valid_to"].to_numpy("datetime64[ns]").view("int64")
    nat = np.iinfo("int64").min
    lo = np.where(lo_ns == nat, first_day, lo_ns // _NS_PER_DAY)
    hi = np.where(hi_ns == nat, first_day + n_days, hi_ns // _NS_PER_DAY + 1)
    lo = np.clip(lo - first_day, 0, n_days)
    hi = np.clip(hi - first_day, 0, n_days)
    keep = (idx >= 0) & (hi > lo)
    b = table["beds"].to_numpy()
    np.add.at(out, (idx[keep], lo[keep]), b[keep])
    np.add.at(out, (idx[keep], hi[keep]), -b[keep])
    return np.cumsum(out, axis=1)[:, :n_days]


def beds_on(table: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Beds per ward valid on one day.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`normalize_beds`.
    day : Timestamp
        The day.

    Returns
    -------
    Series
        Beds indexed by ward (every ward of the table; 0 where no row is valid).

    Examples
    --------
    >>> beds_on(normalize_beds({"A": 5}), pd.Timestamp("2025-01-01")).to_dict()
    {'A': 5.0}
    """
    day = pd.Timestamp(day).normalize()
    valid = (table["valid_from"].isna() | (table["valid_from"] <= day)) & (
        table["valid_to"].isna() | (table["valid_to"] >= day)
    )
    wards = pd.Index(pd.unique(table["ward"]), name="ward")
    out = table.loc[valid].groupby("ward", sort=False)["beds"].sum()
    return out.reindex(wards, fill_value=0.0).rename("beds")
