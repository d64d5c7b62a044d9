"""Helpers shared by the adapters: column lookup, dates, categories, ages, assembly."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ArgumentError, ArgumentTypeError, DataQualityError, SchemaError
from ..schema import ROLES

LEVELS = ("stay", "segment")


def check_frame(obj: object, name: str, adapter: str) -> pd.DataFrame:
    """Raise a clear error unless ``obj`` is a DataFrame."""
    if not isinstance(obj, pd.DataFrame):
        raise ArgumentTypeError(
            f"{adapter}: {name} must be a pandas DataFrame (as read from the {name} table), "
            f"got {type(obj).__name__}.",
            argument=name, value=obj, allowed="pandas.DataFrame",
        )
    return obj


def check_level(level: object, adapter: str) -> str:
    """Validate the ``level=`` argument."""
    if level not in LEVELS:
        raise ArgumentError(
            f"{adapter}: level must be 'stay' (one row per stay) or 'segment' (one row per "
            f"ward segment), got {level!r}."
        )
    return str(level)


def find_column(
    frame: pd.DataFrame,
    names: str | Sequence[str],
    *,
    table: str,
    adapter: str,
    role: str,
    required: bool = True,
) -> Hashable | None:
    """Return the label of the first column named like one of ``names`` (any case).

    Raises :class:`SchemaError` naming the table, the column and the columns found when
    ``required`` and none matches; returns None otherwise.
    """
    wanted = [names] if isinstance(names, str) else list(names)
    by_lower: dict[str, Hashable] = {}
    for col in frame.columns:
        by_lower.setdefault(str(col).lower(), col)
    for name in wanted:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    if not required:
        return None
    found = [str(c) for c in frame.columns]
    options = " or ".join(repr(n) for n in wanted)
    raise SchemaError(
        role,
        found=found,
        needed_by=adapter,
        message=(
            f"{adapter} needs column {options} in the {table} table (it gives {role!r}), "
            f"matched case-insensitively. Columns in {table}: {found}. Pass the {table} "
            "table as exported by the source, or rename the column."
        ),
    )


def to_naive(
    values: pd.Series, *, column: object, adapter: str, timezone: Any = None
) -> pd.Series:
    """Parse timestamps to naive ``datetime64``.

    With ``timezone``: values are read as UTC when they carry no offset, converted to
    ``timezone`` and the zone dropped (local wall-clock time). Without: offset-aware
    values are converted to UTC and the zone dropped; naive values are kept as they are.
    """
    try:
        if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
            values.dtype
        ):
            parsed = values
            if timezone is not None and parsed.dt.tz is None:
                parsed = parsed.dt.tz_localize("UTC")
        elif timezone is not None:
            parsed = pd.to_datetime(values, utc=True, format="ISO8601")
        else:
            parsed = pd.to_datetime(values, format="ISO8601")
    except (ValueError, TypeError, OverflowError) as exc:
        raise DataQualityError(
            f"{adapter}: column {str(column)!r} holds values that are not timestamps "
            f"({exc}). Pass the column as exported by the source (ISO 8601 text or datetimes)."
        ) from exc
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_convert(timezone if timezone is not None else "UTC")
        parsed = parsed.dt.tz_localize(None)
    return parsed


def check_timezone(timezone: Any, adapter: str) -> Any:
    """Validate a time zone name (or tzinfo) early, with a clear error."""
    if timezone is None:
        return "UTC"
    try:
        pd.Timestamp("2000-01-01", tz="UTC").tz_convert(timezone)
    except Exception as exc:  # pytz/zoneinfo raise various types for unknown zones
        raise ArgumentError(
            f"{adapter}: timezone must be a time zone name such as 'UTC' or "
            f"'America/Chicago', got {timezone!r} ({exc})."
        ) from exc
    return timezone


def _label(value: object) -> str:
    """Text label of a category value (``3.0`` -> ``"3"``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def as_category(values: pd.Series | np.ndarray) -> pd.Categorical:
    """Return ``values`` as a categorical with sorted text categories (NA kept as NA)."""
    series = pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.cat.remove_unused_categories()
        codes = series.cat.codes.to_numpy()
        uniques = list(series.cat.categories)
    else:
        codes, uniques_index = pd.factorize(series)
        uniques = list(uniques_index)
    return categorical_from_codes(codes, [_label(u) for u in uniques])


def categorical_from_codes(codes: np.ndarray, labels: Sequence[str]) -> pd.Categorical:
    """Build a categorical from codes and (possibly repeated) labels, sorted categories."""
    cats = sorted(set(labels))
    where = {lab: i for i, lab in enumerate(cats)}
    remap = np.array([where[lab] for lab in labels] + [-1], dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    return pd.Categorical.from_codes(remap[codes], categories=cats)


def numeric(values: pd.Series, *, column: object, adapter: str) -> pd.Series:
    """Convert to float64, raising DataQualityError on non-numeric text."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # e.g. read by hospitalytics.io.read
        values = values.astype(object)
    try:
        return pd.to_numeric(values).astype("float64")
    except (ValueError, TypeError) as exc:
        raise DataQualityError(
            f"{adapter}: column {str(column)!r} holds non-numeric values ({exc})."
        ) from exc


def lookup(
    keys: pd.Series,
    table: pd.DataFrame,
    key_column: Hashable,
    value_columns: Sequence[Hashable],
    *,
    table_name: str,
    adapter: str,
) -> pd.DataFrame:
    """Look up ``value_columns`` of ``table`` for each key (NaN where absent).

    Keys are matched after :func:`join_keys`; duplicated keys in ``table`` are an error.
    """
    left, right = join_keys(keys, table[key_column])
    if right.duplicated().any():
        dup = right[right.duplicated()].iloc[0]
        raise DataQualityError(
            f"{adapter}: {table_name}.{key_column} is not unique (e.g. {dup!r}); each key "
            f"must appear once in {table_name}."
        )
    pos = pd.Index(right).get_indexer(left)
    out = {}
    for col in value_columns:
        vals = table[col].reset_index(drop=True)
        taken = vals.reindex(pos)  # -1 -> NaN
        out[col] = taken.to_numpy()
    return pd.DataFrame(out, index=keys.index)


def join_keys(left: pd.Series, right: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Bring two key columns to one comparable dtype (ids read as float vs int vs text)."""
    num_l = pd.api.types.is_numeric_dtype(left.dtype)
    num_r = pd.api.types.is_numeric_dtype(right.dtype)
    if num_l and num_r:
        return left.astype("float64"), right.astype("float64")
    if num_l or num_r:
        conv_l = pd.to_numeric(left, errors="coerce") if not num_l else left
        conv_r = pd.to_numeric(right, errors="coerce") if not num_r else right
        return conv_l.astype("float64"), conv_r.astype("float64")
    return left.astype(object), right.astype(object)


def completed_years(
    birth_year: pd.Series | np.ndarray,
    birth_month: pd.Series | np.ndarray | None,
    birth_day: pd.Series | np.ndarray | None,
    at: pd.Series,
) -> np.ndarray:
    """Whole years completed at ``at`` by someone born on (year, month, day).

    A missing month means only the year is known: age = year(at) - birth year. A missing
    day compares months only. Someone born on 29 February turns a year older on
    1 March in non-leap years. NaN where the birth year or ``at`` is missing.
    """
    year = np.asarray(at.dt.year, dtype="float64")
    month = np.asarray(at.dt.month, dtype="float64")
    day = np.asarray(at.dt.day, dtype="float64")
    by = np.asarray(birth_year, dtype="float64")
    bm = np.full_like(by, np.nan) if birth_month is None else np.asarray(birth_month, "float64")
    bd = np.full_like(by, np.nan) if birth_day is None else np.asarray(birth_day, "float64")
    with np.errstate(invalid="ignore"):
        before = (month < bm) | ((month == bm) & (day < bd))  # NaN compares False
    return year - by - before.astype("float64")


def assemble(columns: Mapping[str, Any]) -> pd.DataFrame:
    """Build the canonical frame: roles in canonical order, then the extra columns.

    Entries that are None are left out; Series lose their index (the result has a
    RangeIndex).
    """
    data = {
        k: v.reset_index(drop=True) if isinstance(v, pd.Series) else v
        for k, v in columns.items()
        if v is not None
    }
    order = [r for r in ROLES if r in data] + [k for k in data if k not in ROLES]
    return pd.DataFrame({k: data[k] for k in order})
