"""Costs, ages and labels: number parsing and the one label normalisation.

Part of :mod:`hospitalytics.clean` (see its documentation for the rules).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from pandas.api.types import (
    infer_dtype,
    is_bool_dtype,
    is_numeric_dtype,
)

from ._clean_rules import COW, CURRENCY_RE, NULL_TOKENS, is_textlike, text_values


def coerce_number(
    s: pd.Series, *, kind: str
) -> tuple[pd.Series, np.ndarray, int, list[str]]:
    """Coerce a cost or age column to float64.

    Returns the values, the unparseable mask (text that is not a number, and non-finite
    values such as ``inf``, both set to NaN), how many values were non-finite, and notes
    on what was inferred (a decimal comma, top-coded ages).
    """
    n = len(s)
    dtype = s.dtype
    if (is_numeric_dtype(dtype) or is_bool_dtype(dtype)) and not isinstance(
        dtype, pd.CategoricalDtype
    ):
        if dtype != np.float64:
            s = s.astype("float64")
        values = s.to_numpy()
        infinite = np.isinf(values)
        if infinite.any():
            values = np.where(infinite, np.nan, values)
            s = pd.Series(values, index=s.index, name=s.name)
        return s, infinite, int(infinite.sum()), []
    text, missing = text_values(s)
    notes: list[str] = []
    comma = False
    if kind == "cost":
        comma, notes = _decimal_comma(text, missing)
    if comma:  # every value goes through the clean-up, read with a decimal comma
        first = np.full(n, np.nan)
    else:  # plain numbers first (fast); only what fails goes through the clean-up
        first = np.asarray(pd.to_numeric(text, errors="coerce").astype("float64"),
                           dtype="float64")
    infinite = int((np.isinf(first) & ~missing).sum())
    todo = np.flatnonzero(~missing & ~np.isfinite(first))
    if not todo.size:
        values = first.copy()
        values[missing] = np.nan
        return pd.Series(values, index=s.index, name=s.name), np.zeros(n, bool), 0, notes
    rest, rest_bad, more = _parse_number_text(text.iloc[todo], kind=kind, comma=comma)
    values = first.copy()
    values[todo] = rest
    values[missing] = np.nan
    bad = np.zeros(n, bool)
    bad[todo] = rest_bad
    return pd.Series(values, index=s.index, name=s.name), bad, infinite, notes + more


_SEPARATORS = r"[\s\u00a0\u202f'’]"
# a decimal comma: 1.234,50 or 12,5; a decimal point: 1,234.50, 12.5 or 0.1234
_COMMA_DECIMAL = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d{1,2}"
_POINT_DECIMAL = r"[+-]?(?:\d{1,3}(?:,\d{3})+\.\d+|\d*\.(?:\d{1,2}|\d{4,}))"
_DOT_GROUPS = r"[+-]?\d{1,3}(?:\.\d{3})+"


def _bare(text: pd.Series) -> pd.Series:
    """Cost text without brackets, currency and digit-group spaces."""
    t = text.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    t = t.str.replace(_SEPARATORS, "", regex=True).str.replace("\u2212", "-", regex=False)
    return t.str.replace(CURRENCY_RE, "", regex=True)


def _decimal_comma(text: pd.Series, missing: np.ndarray) -> tuple[bool, list[str]]:
    """Whether a cost column writes a decimal comma (1.234,50), and the notes to say so.

    The column decides, not each value: with values such as ``1.234,50`` or ``800,00``
    and none such as ``1,234.50`` or ``12.5``, ``2.500`` is two thousand five hundred.
    """
    has_comma = text.str.contains(",", regex=False, na=False).to_numpy(dtype=bool) & ~missing
    if not has_comma.any():
        return False, []
    t = _bare(text[~missing])
    comma = t.str.fullmatch(_COMMA_DECIMAL, na=False).to_numpy(dtype=bool)
    if not comma.any():
        return False, []
    point = t.str.fullmatch(_POINT_DECIMAL, na=False).to_numpy(dtype=bool)
    name = f"column {text.name!r}" if text.name is not None else "the column"
    first = str(text[~missing].iloc[int(np.argmax(comma))])
    if point.any():
        other = str(text[~missing].iloc[int(np.argmax(point))])
        return False, [
            f"cost: {name} mixes a decimal comma (such as {first!r}) and a decimal point "
            f"(such as {other!r}); each value was read by its own shape. Check the export"
        ]
    groups = t.str.fullmatch(_DOT_GROUPS, na=False).to_numpy(dtype=bool)
    text_groups = ""
    if groups.any():
        g = str(text[~missing].iloc[int(np.argmax(groups))])
        value = float(_bare(pd.Series([g])).str.replace(".", "", regex=False).iloc[0])
        text_groups = (f"; {int(groups.sum())} value(s) such as {g!r} have dots between "
                       f"groups of thousands and were read that way ({value:,.0f})")
    return True, [
        f"cost: {name} writes a decimal comma (values such as {first!r}): every value was "
        f"read with ',' as the decimal mark and '.' between thousands{text_groups}"
    ]


def _parse_number_text(
    t: pd.Series, *, kind: str, comma: bool = False
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Parse cost/age strings that are not plain numbers; return values, bad mask, notes."""
    n = len(t)
    notes: list[str] = []
    if kind == "cost":
        neg = t.str.fullmatch(r"\(.*\)", na=False).to_numpy(dtype=bool)
        t = _bare(t)
        if comma:
            dec = pd.Series(True, index=t.index)
        else:
            dec = t.str.fullmatch(_COMMA_DECIMAL, na=False)
        t = t.where(
            ~dec, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        )
        t = t.where(dec, t.str.replace(",", "", regex=False))
        num = pd.to_numeric(t, errors="coerce")
    else:
        neg = np.zeros(n, bool)
        t = t.str.replace(
            r"\s*(?:y|yr|yrs|year|years)\.?$", "", regex=True, flags=re.IGNORECASE
        )
        num = pd.to_numeric(t, errors="coerce")
        num, notes = _coded_ages(t, num)
    values = np.asarray(num.astype("float64"), dtype="float64").copy()
    values[~np.isfinite(values)] = np.nan
    values = np.where(neg, -np.abs(values), values)
    return values, np.isnan(values), notes


def _coded_ages(t: pd.Series, num: pd.Series) -> tuple[pd.Series, list[str]]:
    """Top-coded and bottom-coded ages: ``85+``, ``90 and over``, ``>89``, ``>=90``, ``<1``.

    A top-coded age is read as its lower bound (``85+`` and ``>84`` are 85), so it lands
    in the top age band; ``<1`` is read as 0.
    """
    plus = t.str.extract(
        r"^(\d+)\s*(?:\+|(?:and|or)\s+(?:over|above|older)|plus)$", flags=re.IGNORECASE
    )[0]
    above = t.str.extract(r"^>\s*(\d+)$")[0]
    at_least = t.str.extract(r"^(?:>=|≥)\s*(\d+)$")[0]
    under_one = t.str.fullmatch(r"<\s*1", na=False)
    top = (
        pd.to_numeric(plus, errors="coerce")
        .fillna(pd.to_numeric(at_least, errors="coerce"))
        .fillna(pd.to_numeric(above, errors="coerce") + 1)
    )
    is_top = top.notna().to_numpy(dtype=bool)
    is_under = under_one.to_numpy(dtype=bool)
    if not is_top.any() and not is_under.any():
        return num, []
    num = num.astype("float64").where(~top.notna(), top).where(~under_one, 0.0)
    notes = []
    if is_top.any():
        example = str(t[is_top].iloc[0])
        notes.append(
            f"age: {int(is_top.sum())} value(s) were top-coded (such as {example!r}): read "
            f"as their lower bound ({top[is_top].iloc[0]:g})"
        )
    if is_under.any():
        notes.append(f"age: {int(is_under.sum())} value(s) '<1' (under one year) read as 0")
    return num, notes


def _labels(uniques: pd.Index) -> np.ndarray:
    """Clean category labels: stripped strings, integral floats as ints, nulls as None."""
    if len(uniques) and is_textlike(uniques.dtype) and infer_dtype(uniques) == "string":
        lab = np.asarray(_whole_number_text(uniques.str.strip()), dtype=object)
    elif pd.api.types.is_integer_dtype(uniques.dtype):
        lab = np.asarray(uniques.astype(str), dtype=object)
    elif is_numeric_dtype(uniques.dtype) and not is_bool_dtype(uniques.dtype):
        vals = np.asarray(uniques, dtype="float64")  # per unique value, never per row
        lab = np.array(
            [str(int(v)) if np.isfinite(v) and v == int(v) else str(v) for v in vals], object
        )
    else:  # mixed objects: per unique value, never per row
        lab = np.array([_label_text(v) for v in uniques], dtype=object)
    lab = lab.astype(object)
    lab[pd.Index(lab).isin(NULL_TOKENS)] = None
    return lab


def _label_text(v: object) -> str:
    if isinstance(v, float | np.floating) and np.isfinite(v) and v == int(v):
        return str(int(v))  # 3.0 -> "3", as in a float column
    return _WHOLE.sub(r"\1", str(v).strip())


# A whole number written with a zero fraction ("3.0", as str(3.0) and Dask's string
# conversion of a float write it): the label is the whole number, as for a float 3.0.
_WHOLE = re.compile(r"^([+-]?\d+)\.0+$")


def _whole_number_text(text: pd.Index) -> pd.Index:
    maybe = text.str.endswith("0") & text.str.contains(".", regex=False)
    if not maybe.any():
        return text
    return text.str.replace(_WHOLE.pattern, r"\1", regex=True)  # text: arrow-native


def normalize_labels(uniques: pd.Index) -> np.ndarray:
    """Return the one text form of labels and ids shared by every engine.

    Strings are stripped; whole numbers read ``"3"`` whether stored as ``3``, ``3.0`` or
    the text ``"3.0"``; null-like values (``""``, ``"NA"``, ``"nan"`` ...) become ``None``.
    Works per unique value, never per row. :func:`prepare` builds category labels with it,
    and the KPI engine compares patient and stay ids through it, so pandas and Dask (which
    converts object columns to strings) see the same labels and the same ids.

    Parameters
    ----------
    uniques : Index
        Distinct values.

    Returns
    -------
    ndarray of object
        One label (or ``None``) per value.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_labels(pd.Index([3, 3.5, " A ", "7.0", "n/a"], dtype=object)).tolist()
    ['3', '3.5', 'A', '7', None]
    """
    return _labels(uniques)


def labels_are_normal(uniques: pd.Index) -> bool:
    """Tell whether :func:`normalize_labels` would leave these distinct values as they are.

    True for clean text (strings, stripped, no null-like token, no ``"3.0"``): the fast
    path that lets the engine compare such ids without building new labels.

    Parameters
    ----------
    uniques : Index
        Distinct values.

    Returns
    -------
    bool
        Whether the values are already in their normal form.

    Examples
    --------
    >>> import pandas as pd
    >>> labels_are_normal(pd.Index(["A", "B"])), labels_are_normal(pd.Index(["A "]))
    (True, False)
    """
    return _clean_categories(uniques)


def clean_categories(cats: pd.Index) -> bool:
    """Tell whether a categorical's categories are clean labels (see :func:`coerce_category`)."""
    return _clean_categories(cats)


def _clean_categories(cats: pd.Index) -> bool:
    return (
        is_textlike(cats.dtype)
        and (len(cats) == 0 or infer_dtype(cats) == "string")
        and bool((cats.str.strip() == cats).all())
        and not bool(cats.isin(NULL_TOKENS).any())
        and _whole_number_text(cats).equals(cats)
    )


def coerce_category(s: pd.Series) -> pd.Series:
    """Coerce a label column to a categorical with clean string categories."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        if _clean_categories(cats):
            return s
        codes = np.asarray(s.cat.codes, dtype=np.int64)
    else:
        codes, cats = pd.factorize(s, use_na_sentinel=True)
        cats = pd.Index(cats)
    labels = _labels(cats)
    lab_codes, new_cats = pd.factorize(labels, use_na_sentinel=True)
    new_cats = np.asarray(new_cats, dtype=object)
    order = np.argsort(new_cats, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    mapping = np.where(lab_codes >= 0, rank[lab_codes] if len(rank) else -1, -1)
    final = np.where(codes >= 0, mapping[codes] if len(mapping) else -1, -1)
    categories = pd.Index(list(new_cats[order]), dtype=object)
    if COW:
        categories = categories.astype("str")
    cat = pd.Categorical.from_codes(final, categories=categories)
    return pd.Series(cat, index=s.index, name=s.name)
