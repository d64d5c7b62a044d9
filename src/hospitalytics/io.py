"""Read stay records from CSV, Parquet and Excel files.

:func:`read` returns the *raw* frame: the file's own column names and values, with no
date parsing or renaming (that is the job of ``standardize``). It only saves work:
by default it reads just the columns that can fill a role of a stay record
(see :mod:`hospitalytics.schema`), and reads the category roles (department, ward,
location, treatment) straight into pandas ``category`` columns.

Examples
--------
>>> import os, tempfile
>>> import pandas as pd
>>> path = os.path.join(tempfile.mkdtemp(), "stays.csv")
>>> pd.DataFrame({"admit_date": ["2024-01-01"], "ward": ["A"], "note": ["x"]}).to_csv(
...     path, index=False
... )
>>> list(read(path).columns)
['admit_date', 'ward']
"""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ArgumentError, DataQualityError, SchemaError
from .schema import CATEGORY_ROLES, ROLES, resolve_roles

__all__ = ["SUPPORTED_SUFFIXES", "read"]

_CSV_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": None}
_PARQUET_SUFFIXES = (".parquet", ".pq")
_EXCEL_SUFFIXES = (".xlsx", ".xls")
_COMPRESSION_SUFFIXES = (".gz", ".bz2", ".zip", ".xz")

#: The file name endings :func:`read` understands (compressed text files may also end in
#: ``.gz``, ``.bz2``, ``.zip`` or ``.xz`` after the text suffix, e.g. ``stays.csv.gz``).
SUPPORTED_SUFFIXES: tuple[str, ...] = (
    *_CSV_SUFFIXES,
    *(s + c for s in _CSV_SUFFIXES for c in _COMPRESSION_SUFFIXES),
    *_PARQUET_SUFFIXES,
    *_EXCEL_SUFFIXES,
)

# Options that only make sense for the full read, not for the header-only read.
_BODY_ONLY_OPTIONS = frozenset(
    {"nrows", "usecols", "dtype", "converters", "skipfooter", "index_col", "parse_dates",
     "date_format", "chunksize", "iterator"}
)


def _read_errors() -> tuple[type[BaseException], ...]:
    """Exception types that mean "this file cannot be read" (not a bug, not a bad call)."""
    errors: list[type[BaseException]] = [
        ValueError, OSError, EOFError, KeyError, IndexError, zipfile.BadZipFile,
    ]
    try:  # pragma: no branch - optional dependencies
        import pyarrow as pa

        errors.append(pa.ArrowException)
    except ImportError:  # pragma: no cover
        pass
    try:
        from openpyxl.utils.exceptions import InvalidFileException

        errors.append(InvalidFileException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def _file_kind(path: Path) -> tuple[str, str | None]:
    """Return ``(kind, separator)`` for a path, from its suffixes."""
    name = path.name.lower()
    stem = name
    for comp in _COMPRESSION_SUFFIXES:
        if name.endswith(comp):
            stem = name[: -len(comp)]
            break
    for suffix, sep in _CSV_SUFFIXES.items():
        if stem.endswith(suffix):
            return "csv", sep
    if stem == name:  # binary formats are never compressed on top
        if name.endswith(_PARQUET_SUFFIXES):
            return "parquet", None
        if name.endswith(_EXCEL_SUFFIXES):
            return "excel", None
    raise ArgumentError(
        f"cannot tell the format of {str(path)!r} from its name. Supported file endings: "
        f"{', '.join(SUPPORTED_SUFFIXES)}. Rename the file, or read it with pandas and pass "
        "the DataFrame on."
    )


def _wanted_columns(
    names: Sequence[Hashable],
    columns: Mapping[str, str] | None,
    usecols: object,
) -> tuple[list[Hashable] | None, list[Hashable]]:
    """Pick the columns to read and those to read as categories.

    Returns ``(usecols, category_columns)``; ``usecols`` is None for "all columns".
    """
    labels = {str(n): n for n in names}
    roles = resolve_roles(list(labels), columns)
    category_cols: list[str] = [roles[r] for r in CATEGORY_ROLES if r in roles]
    category_cols += [
        c
        for r in CATEGORY_ROLES
        for c in roles.ambiguous.get(r, ())
        if c not in roles.mapping.values()
    ]
    explicit = [str(c) for c in (columns or {}).values() if c is not None]
    if usecols is None:
        wanted = None
    elif isinstance(usecols, str):
        if usecols != "roles":
            raise ArgumentError(
                f"usecols must be 'roles', None or a list of column names, got {usecols!r}."
            )
        picked = set(roles.mapping.values()) | set(explicit)
        picked |= {c for cands in roles.ambiguous.values() for c in cands}
        if not picked:
            raise SchemaError(
                "admission_date",
                found=list(labels),
                message=(
                    f"none of the columns {list(labels)} fills a role of a stay record "
                    f"(roles: {list(ROLES)}). Name them with columns={{role: column}}, "
                    "or pass usecols=None to read every column."
                ),
            )
        wanted = [labels[c] for c in labels if c in picked]  # keep the file's order
    else:
        if not isinstance(usecols, Iterable):
            raise ArgumentError(
                f"usecols must be 'roles', None or a list of column names, got {usecols!r}."
            )
        picked = {str(c) for c in usecols} | set(explicit)
        absent = sorted(picked - set(labels))
        if absent:
            raise SchemaError(
                str(absent[0]),
                found=list(labels),
                message=(
                    f"usecols names column(s) {absent} that the file does not have. "
                    f"Columns in the file: {list(labels)}."
                ),
            )
        wanted = [labels[c] for c in labels if c in picked]
    if wanted is not None:
        keep = {str(c) for c in wanted}
        category_cols = [c for c in category_cols if c in keep]
    return wanted, [labels[c] for c in category_cols]


def _sniff_delimiter(path: Path, options: Mapping[str, Any]) -> str:
    """Guess the delimiter of a text file among comma, tab, semicolon and pipe."""
    name = path.name.lower()
    encoding = options.get("encoding") or "utf-8"
    if name.endswith(".gz"):
        import gzip

        handle = gzip.open(path, "rt", encoding=encoding, errors="replace")
    elif name.endswith(".bz2"):
        import bz2

        handle = bz2.open(path, "rt", encoding=encoding, errors="replace")
    elif name.endswith(".xz"):
        import lzma

        handle = lzma.open(path, "rt", encoding=encoding, errors="replace")
    elif name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
            raw = archive.read(members[0])[:65536] if members else b""
        return _sniff_text(raw.decode(encoding, errors="replace"))
    else:
        handle = open(path, encoding=encoding, errors="replace")
    with handle:
        return _sniff_text(handle.read(65536))


def _sniff_text(sample: str) -> str:
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of the sample may be cut in half
    try:
        return csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _header_kwargs(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k not in _BODY_ONLY_OPTIONS}


def _read_csv(
    path: Path, sep: str | None, columns, usecols, kwargs: dict[str, Any]
) -> pd.DataFrame:
    options = dict(kwargs)
    if "sep" not in options and "delimiter" not in options:
        options["sep"] = sep if sep is not None else _sniff_delimiter(path, options)
    header = pd.read_csv(path, nrows=0, **_header_kwargs(options))
    wanted, categories = _wanted_columns(list(header.columns), columns, usecols)
    dtype = {c: "category" for c in categories}
    user_dtype = options.pop("dtype", None)
    if isinstance(user_dtype, Mapping):
        dtype.update(user_dtype)
    elif user_dtype is not None:
        dtype = user_dtype
    if wanted is not None:
        options["usecols"] = wanted
    return pd.read_csv(path, dtype=dtype, **options)


def _read_parquet(path: Path, columns, usecols, kwargs: dict[str, Any]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    names = [n for n in schema.names if not n.startswith("__index_level_")]
    wanted, categories = _wanted_columns(names, columns, usecols)
    options = dict(kwargs)
    if wanted is not None:
        options["columns"] = wanted
    frame = pd.read_parquet(path, **options)
    return _as_categories(frame, categories)


def _read_excel(
    path: Path, sheet_name, columns, usecols, kwargs: dict[str, Any]
) -> pd.DataFrame:
    if sheet_name is None or isinstance(sheet_name, list):
        raise ArgumentError(
            f"read reads one sheet at a time; got sheet_name={sheet_name!r}. Pass a sheet "
            "name or position (0 is the first sheet)."
        )
    header = pd.read_excel(path, sheet_name=sheet_name, nrows=0, **_header_kwargs(kwargs))
    wanted, categories = _wanted_columns(list(header.columns), columns, usecols)
    options = dict(kwargs)
    if wanted is not None:
        options["usecols"] = wanted
    frame = pd.read_excel(path, sheet_name=sheet_name, **options)
    return _as_categories(frame, categories)


def _as_categories(frame: pd.DataFrame, categories: Iterable[Hashable]) -> pd.DataFrame:
    todo = [c for c in categories if c in frame.columns]
    todo = [c for c in todo if not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not todo:
        return frame
    return frame.astype(dict.fromkeys(todo, "category"))


def read(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    usecols: str | Sequence[str] | None = "roles",
    dayfirst: bool = False,
    sheet_name: str | int = 0,
    **kwargs: Any,
) -> pd.DataFrame:
    """Read a file of stay records into a raw DataFrame.

    The format comes from the file name: ``.csv``, ``.tsv`` (tab-separated) and ``.txt``
    (delimiter sniffed among comma, tab, semicolon and pipe) are text, optionally
    compressed (``.gz``, ``.bz2``, ``.zip``, ``.xz`` after the text suffix, e.g.
    ``stays.csv.gz``); ``.parquet`` and ``.pq`` are Parquet (needs pyarrow); ``.xlsx`` and
    ``.xls`` are Excel (``.xlsx`` needs openpyxl, legacy ``.xls`` needs xlrd).

    The frame is returned *raw*: original column names, dates left as the file stores
    them (text in CSV). Clean it with ``standardize`` before computing KPIs.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    columns : mapping, optional
        Explicit ``{role: column}`` entries, as in
        :func:`~hospitalytics.schema.resolve_roles`. Every column named here is read,
        whether or not its name is a known alias.
    usecols : {"roles"}, list of str or None, default "roles"
        Which columns to read. ``"roles"`` reads the header (or the Parquet schema) first
        and keeps only the columns that resolve to a role, the candidates of ambiguous
        roles (so a later ``columns=`` mapping can still pick one) and the columns named
        in ``columns``. ``None`` reads every column; a list reads those columns (plus the
        ones in ``columns``).
    dayfirst : bool, default False
        Whether day-first dates (``03/04/2024`` = 3 April) are expected. ``read`` never
        parses dates; the flag is recorded in ``frame.attrs["hospitalytics"]`` for the
        cleaning step.
    sheet_name : str or int, default 0
        The Excel sheet to read (name or position); ignored for other formats.
    **kwargs
        Passed to :func:`pandas.read_csv`, :func:`pandas.read_parquet` or
        :func:`pandas.read_excel` (for example ``encoding="latin-1"`` or ``sep=";"``). A
        ``dtype`` mapping is merged over the category dtypes.

    Returns
    -------
    DataFrame
        The raw records. The columns that fill the category roles (department, ward,
        location, treatment, and the candidates for them) have ``category`` dtype.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ArgumentError
        When the file name has an unsupported ending, or an argument is invalid.
    SchemaError
        When ``columns`` or ``usecols`` name a column the file lacks, or (with
        ``usecols="roles"``) no column fills any role.
    DataQualityError
        When the file exists but cannot be parsed (corrupt, empty or not the format its
        name says).

    See Also
    --------
    hospitalytics.schema.resolve_roles : How column names are matched to roles.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> path = os.path.join(tempfile.mkdtemp(), "stays.csv")
    >>> pd.DataFrame({
    ...     "Date of Admission": ["2024-01-01", "2024-01-03"],
    ...     "Discharge Date": ["2024-01-04", "2024-01-05"],
    ...     "Ward": ["Cardio", "Ortho"],
    ...     "Doctor": ["Smith", "Jones"],
    ... }).to_csv(path, index=False)
    >>> raw = read(path)
    >>> list(raw.columns)
    ['Date of Admission', 'Discharge Date', 'Ward']
    >>> str(raw["Ward"].dtype), list(raw["Ward"].cat.categories)
    ('category', ['Cardio', 'Ortho'])
    >>> list(read(path, usecols=None).columns)
    ['Date of Admission', 'Discharge Date', 'Ward', 'Doctor']
    >>> list(read(path, columns={"location": "Doctor"}).columns)
    ['Date of Admission', 'Discharge Date', 'Ward', 'Doctor']
    """
    if not isinstance(dayfirst, bool):
        raise ArgumentError(f"dayfirst must be True or False, got {dayfirst!r}.")
    for option in ("chunksize", "iterator"):
        if kwargs.get(option):
            raise ArgumentError(
                f"read returns one DataFrame and does not support {option}=; use "
                "hospitalytics.dask for files larger than memory."
            )
    path = Path(os.fspath(path))
    kind, sep = _file_kind(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {str(path)!r} (looked in {os.getcwd()!r}).")
    try:
        if kind == "csv":
            frame = _read_csv(path, sep, columns, usecols, kwargs)
        elif kind == "parquet":
            frame = _read_parquet(path, columns, usecols, kwargs)
        else:
            frame = _read_excel(path, sheet_name, columns, usecols, kwargs)
    except (ArgumentError, SchemaError, ImportError, FileNotFoundError):
        raise
    except _read_errors() as exc:
        raise DataQualityError(f"could not read {str(path)!r}: {exc}") from exc
    frame.attrs["hospitalytics"] = {"source": str(path), "dayfirst": dayfirst}
    return frame
