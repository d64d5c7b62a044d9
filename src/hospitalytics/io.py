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

import codecs
import csv
import os
import warnings
import zipfile
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ._optional import import_optional
from ._warn import warn
from .adapters import _front
from .adapters._front import ENCOUNTER_CHOICES
from .errors import (
    ArgumentError,
    DataQualityError,
    DataQualityWarning,
    HospitalyticsError,
    SchemaError,
)
from .schema import CATEGORY_ROLES, ROLES, resolve_roles

__all__ = ["ROW_HASH_COLUMN", "SUPPORTED_SUFFIXES", "read"]

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
                f"usecols must be 'roles', None or a list of column names, got {usecols!r}.",
                argument="usecols", value=usecols,
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
                f"usecols must be 'roles', None or a list of column names, got {usecols!r}.",
                argument="usecols", value=usecols,
            )
        picked = {str(c) for c in usecols} | set(explicit)
        absent = sorted(picked - set(labels))
        if "stay_id" in roles:  # the stay id is always read: it decides duplicates
            picked.add(roles["stay_id"])
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


def _open_text_bytes(path: Path) -> bytes:
    """The first 64 KiB of the file's (decompressed) content."""
    name = path.name.lower()
    if name.endswith(".gz"):
        import gzip

        with gzip.open(path, "rb") as handle:
            return handle.read(_SAMPLE)
    if name.endswith(".bz2"):
        import bz2

        with bz2.open(path, "rb") as handle:
            return handle.read(_SAMPLE)
    if name.endswith(".xz"):
        import lzma

        with lzma.open(path, "rb") as handle:
            return handle.read(_SAMPLE)
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
            if not members:
                return b""
            with archive.open(members[0]) as handle:
                return handle.read(_SAMPLE)
    with open(path, "rb") as handle:
        return handle.read(_SAMPLE)


_SAMPLE = 65536
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
#: Tried in order when a file is not UTF-8: Windows-1252 (Excel's "CSV" on Windows, a
#: superset of Latin-1's printable characters), then Latin-1, which decodes any byte.
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def _is_binary(sample: bytes) -> bool:
    """NUL bytes, or many control characters: not a text file in an 8-bit encoding."""
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 8), *range(14, 27),
                                                       *range(28, 32)))
    return controls > 0.05 * len(sample)


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=False)  # a character cut at the end is fine
    except UnicodeDecodeError:
        return False
    return True


def _text_encoding(path: Path, options: dict[str, Any], notes: list[str]) -> None:
    """Check a text file is not empty or binary; pick its encoding when none was given.

    Sets ``options["encoding"]``; a fallback from UTF-8 adds a note.
    """
    sample = _open_text_bytes(path)
    if not sample.strip():
        raise DataQualityError(f"{path}: the file is empty")
    if options.get("encoding"):
        return
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            options["encoding"] = encoding
            return
    if _is_binary(sample):
        raise DataQualityError(f"{path}: not a text file (or use --encoding)")
    if _decodes(sample, "utf-8"):
        options["encoding"] = "utf-8"
        return
    _fall_back(path, options, notes)


def _fall_back(path: Path, options: dict[str, Any], notes: list[str]) -> None:
    sample = _open_text_bytes(path)
    for encoding in _FALLBACK_ENCODINGS:
        if _decodes(sample, encoding):
            break
    options["encoding"] = encoding
    notes.append(
        f"{path.name}: not UTF-8; read as {_ENCODING_NAMES[encoding]}. If accented "
        f"letters look wrong, give the encoding: encoding='...' (--encoding on the "
        "command line)"
    )


_ENCODING_NAMES = {"cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1 (ISO-8859-1)"}


def _sniff_delimiter(path: Path, options: Mapping[str, Any]) -> str:
    """Guess the delimiter of a text file among comma, tab, semicolon and pipe."""
    encoding = options.get("encoding") or "utf-8"
    return _sniff_text(_open_text_bytes(path).decode(encoding, errors="replace"))


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


class _Table:
    """One table of a file: its header, and its body read column by column."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def header(self) -> list[Hashable]:  # pragma: no cover - abstract
        raise NotImplementedError

    def read(self, usecols: list[Hashable] | None, categories: Iterable[Hashable]) -> pd.DataFrame:
        raise NotImplementedError  # pragma: no cover - abstract

    def close(self) -> None:
        """Release the file (a workbook stays open between the header and the body)."""


class _Csv(_Table):
    def __init__(self, path: Path, sep: str | None, kwargs: dict[str, Any], notes: list[str]):
        super().__init__(path)
        self.notes = notes
        self.options = dict(kwargs)
        self.auto = "encoding" not in self.options  # ours to choose (and to change)
        _text_encoding(path, self.options, notes)
        if "sep" not in self.options and "delimiter" not in self.options:
            if sep is None:
                sep = _sniff_delimiter(path, self.options)
            elif sep == ",":  # a .csv file from a decimal-comma locale: ';' between fields
                sniffed = _sniff_delimiter(path, self.options)
                if sniffed != "," and "," not in self._first_line():
                    notes.append(
                        f"{path.name}: the fields are separated by {sniffed!r}, not commas; "
                        f"read that way (sep= or --sep gives the separator)"
                    )
                    sep = sniffed
            self.options["sep"] = sep

    def _first_line(self) -> str:
        encoding = self.options.get("encoding") or "utf-8"
        text = _open_text_bytes(self.path).decode(encoding, errors="replace")
        return text.splitlines()[0] if text else ""

    def _read_csv(self, **options: Any) -> pd.DataFrame:
        try:
            return pd.read_csv(self.path, **options)
        except UnicodeDecodeError:
            if not (self.auto and self.options["encoding"] == "utf-8"):
                raise
        _fall_back(self.path, self.options, self.notes)  # not UTF-8 after the sample
        options["encoding"] = self.options["encoding"]
        return pd.read_csv(self.path, **options)

    def header(self) -> list[Hashable]:
        try:
            head = self._read_csv(nrows=0, **_header_kwargs(self.options))
        except pd.errors.EmptyDataError as exc:
            raise DataQualityError(f"{self.path}: the file is empty") from exc
        return list(head.columns)

    def read(self, usecols, categories) -> pd.DataFrame:
        options = dict(self.options)
        dtype: Any = {c: "category" for c in categories}
        user_dtype = options.pop("dtype", None)
        if isinstance(user_dtype, Mapping):
            dtype.update(user_dtype)
        elif user_dtype is not None:
            dtype = user_dtype
        if usecols is not None:
            options["usecols"] = usecols
        return self._read_csv(dtype=dtype, **options)


class _Parquet(_Table):
    def __init__(self, path: Path, kwargs: dict[str, Any]) -> None:
        super().__init__(path)
        self.options = dict(kwargs)
        self._pq = import_optional("pyarrow.parquet", extra="parquet",
                                   purpose="reading Parquet files")

    def header(self) -> list[Hashable]:
        schema = self._pq.read_schema(self.path)
        return [n for n in schema.names if not n.startswith("__index_level_")]

    def read(self, usecols, categories) -> pd.DataFrame:
        options = dict(self.options)
        if usecols is not None:
            options["columns"] = usecols
        return _as_categories(pd.read_parquet(self.path, **options), categories)


class _Excel(_Table):
    def __init__(self, path: Path, sheet_name, kwargs: dict[str, Any], notes: list[str]):
        super().__init__(path)
        if sheet_name is None or isinstance(sheet_name, list):
            raise ArgumentError(
                f"read reads one sheet at a time; got sheet_name={sheet_name!r}. Pass a "
                "sheet name or position (0 is the first sheet)."
            )
        self.options = dict(kwargs)
        package = "xlrd" if path.name.lower().endswith(".xls") else "openpyxl"
        import_optional(package, purpose="reading Excel workbooks")
        self.book = pd.ExcelFile(path)
        try:
            self._choose(sheet_name, notes)
        except BaseException:
            self.book.close()
            raise

    def _choose(self, sheet_name, notes: list[str]) -> None:
        path = self.path
        names = [str(s) for s in self.book.sheet_names]
        if isinstance(sheet_name, str):
            if sheet_name not in names:
                raise ArgumentError(
                    f"{path}: no sheet named {sheet_name!r}; the sheets are "
                    f"{', '.join(repr(s) for s in names)} (--sheet NAME chooses one)."
                )
        elif not 0 <= int(sheet_name) < len(names):
            raise ArgumentError(
                f"{path}: sheet_name={sheet_name!r}, but the workbook has {len(names)} "
                f"sheet(s): {', '.join(repr(s) for s in names)}."
            )
        self.sheet = sheet_name
        chosen = sheet_name if isinstance(sheet_name, str) else names[int(sheet_name)]
        others = [s for s in names if s != chosen]
        if others and sheet_name == 0:
            notes.append(
                f"{path.name}: read the first sheet, {chosen!r}; ignored the other "
                f"{len(others)} sheet(s): {', '.join(repr(s) for s in others)}. Choose "
                "one with sheet_name= (--sheet NAME)"
            )

    def header(self) -> list[Hashable]:
        head = pd.read_excel(self.book, sheet_name=self.sheet, nrows=0,
                             **_header_kwargs(self.options))
        if not len(head.columns):
            raise DataQualityError(f"{self.path}: the file is empty")
        return list(head.columns)

    def read(self, usecols, categories) -> pd.DataFrame:
        options = dict(self.options)
        if usecols is not None:
            options["usecols"] = usecols
        frame = pd.read_excel(self.book, sheet_name=self.sheet, **options)
        return _as_categories(frame, categories)

    def close(self) -> None:
        self.book.close()


def _as_categories(frame: pd.DataFrame, categories: Iterable[Hashable]) -> pd.DataFrame:
    todo = [c for c in categories if c in frame.columns]
    todo = [c for c in todo if not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not todo:
        return frame
    return frame.astype(dict.fromkeys(todo, "category"))


#: Name of the column :func:`read` adds when the columns it leaves out decide which rows
#: are duplicates (a hash of those columns; see :func:`read`).
ROW_HASH_COLUMN = "_source_row_hash"


def _with_row_hash(
    table: _Table, frame: pd.DataFrame, names: Sequence[Hashable], wanted: Sequence[Hashable]
) -> pd.DataFrame:
    """Add a hash of the unread columns where they tell apart rows equal in the read ones."""
    rest = [c for c in names if c not in set(wanted)]
    if not rest or len(frame) < 2:
        return frame
    try:
        equal = frame.duplicated(keep=False)
    except TypeError:  # pragma: no cover - unhashable cells cannot come from a file
        return frame
    if not equal.any():
        return frame
    others = table.read(rest, ())
    key = pd.util.hash_pandas_object(others, index=False).to_numpy()
    keyed = frame.assign(**{ROW_HASH_COLUMN: key})
    if keyed.duplicated(keep=False).equals(equal):
        return frame  # the other columns separate nothing
    return keyed


def _sibling_reader(path: Path, kwargs: Mapping[str, Any]):
    """``sibling(stem, needed)``: the table called ``stem`` next to ``path``, or None."""
    folder = path.parent
    try:
        listing = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    except OSError:  # pragma: no cover - an unreadable folder
        listing = {}

    def sibling(stem: str, needed: Sequence[str]):
        for suffix in (".csv", ".csv.gz", ".parquet", ".tsv", ".csv.zip", ".csv.bz2",
                       ".csv.xz"):
            candidate = listing.get(stem + suffix)
            if candidate is None or candidate == path:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DataQualityWarning)
                    frame = read(candidate, usecols=None, detect=False,
                                 encoding=kwargs.get("encoding"))
            except (HospitalyticsError, OSError, ValueError):
                return None
            names = {str(c).strip().lower() for c in frame.columns}
            if all(n in names for n in needed):
                return frame, candidate.name
            return None
        return None

    return sibling


def read(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    usecols: str | Sequence[str] | None = "roles",
    dayfirst: bool | None = None,
    sheet_name: str | int = 0,
    detect: bool = True,
    encounters: str = "inpatient",
    timezone: str | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Read a file of stay records into a raw DataFrame.

    The format comes from the file name: ``.csv``, ``.tsv`` (tab-separated) and ``.txt``
    (delimiter sniffed among comma, tab, semicolon and pipe) are text, optionally
    compressed (``.gz``, ``.bz2``, ``.zip``, ``.xz`` after the text suffix, e.g.
    ``stays.csv.gz``); ``.parquet`` and ``.pq`` are Parquet; ``.xlsx`` and ``.xls`` are
    Excel (``.xlsx`` needs openpyxl, legacy ``.xls`` needs xlrd: ``pip install
    "hospitalytics[excel]"``).

    The frame is returned *raw*: original column names, dates left as the file stores
    them (text in CSV). Clean it with ``standardize`` before computing KPIs.

    **Standard exports.** A raw MIMIC-IV ``admissions`` or ``transfers`` table, a Synthea
    ``encounters`` table or an OMOP ``visit_occurrence`` or ``visit_detail`` table is
    recognised by its header and read through its adapter
    (:mod:`hospitalytics.adapters`): the result is a canonical frame. Synthea and OMOP
    keep their in-patient encounters only (``encounters="all"`` keeps every one). A
    ``patients``/``person`` table next to the file gives the ages. What was recognised,
    used and left out is said in a :class:`~hospitalytics.errors.DataQualityWarning`
    and kept in ``frame.attrs["hospitalytics"]["notes"]``, which
    :func:`~hospitalytics.standardize` copies into its report.

    **Text files.** An empty file, a binary file and a file that is not UTF-8 are told
    apart: the first two raise :class:`~hospitalytics.errors.DataQualityError` ("the file
    is empty", "not a text file (or use --encoding)"); the last is read as
    Windows-1252 (or Latin-1) with a note, unless ``encoding=`` is given. A file with a
    header but no rows raises too ("the file has a header but no rows").

    **Duplicates.** With ``usecols="roles"`` only the role columns are kept, but rows
    must only count as duplicates when they are equal in *every* column of the file (or,
    with a ``stay_id``, have the same stay id). So when rows agree on the kept columns
    but differ in the others, a column ``_source_row_hash`` (a hash of the others) is
    added to keep them apart; ``standardize`` then judges duplicates on it too.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    columns : mapping, optional
        Explicit ``{role: column}`` entries, as in
        :func:`~hospitalytics.schema.resolve_roles`. Every column named here is read,
        whether or not its name is a known alias. (The table is then read as it is, never
        through an adapter.)
    usecols : {"roles"}, list of str or None, default "roles"
        Which columns to read. ``"roles"`` reads the header (or the Parquet schema) first
        and keeps only the columns that resolve to a role, the candidates of ambiguous
        roles (so a later ``columns=`` mapping can still pick one) and the columns named
        in ``columns``. ``None`` reads every column as it is (never through an adapter);
        a list reads those columns (plus the ones in ``columns``, and the ``stay_id``
        column, which is always read).
    dayfirst : bool, optional
        Whether day-first dates (``03/04/2024`` = 3 April) are expected; None (default):
        the values decide when the frame is cleaned. ``read`` never
        parses dates; the flag is recorded in ``frame.attrs["hospitalytics"]`` for the
        cleaning step.
    sheet_name : str or int, default 0
        The Excel sheet to read (name or position); ignored for other formats. When the
        workbook has other sheets, the first is read and a note names the others.
    detect : bool, default True
        Recognise standard exports (MIMIC-IV, Synthea, OMOP) by their header and read
        them through their adapter. ``False`` reads every file as it is.
    encounters : {"inpatient", "all"}, default "inpatient"
        For recognised Synthea and OMOP tables: keep the in-patient encounters (hospital
        stays) or every encounter; for MIMIC-IV transfers, ``"all"`` also keeps the units
        that are not bed wards.
    timezone : str, optional
        The hospital's time zone (e.g. ``"Europe/London"``): Synthea's UTC times are
        converted to it, and it is recorded for ``standardize``, which converts zoned
        dates to it. None: see the time-zone rule in :mod:`hospitalytics.clean`.
    **kwargs
        Passed to :func:`pandas.read_csv`, :func:`pandas.read_parquet` or
        :func:`pandas.read_excel` (for example ``encoding="latin-1"`` or ``sep=";"``). A
        ``dtype`` mapping is merged over the category dtypes.

    Returns
    -------
    DataFrame
        The raw records (or, for a recognised export, canonical ones). The columns that
        fill the category roles (department, ward, location, treatment, and the candidates
        for them) have ``category`` dtype.

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
        When the file exists but cannot be parsed (corrupt, empty, binary, only a header,
        or not the format its name says).
    ImportError
        When an optional package the format needs is missing (the message names the
        ``pip install "hospitalytics[...]"`` that adds it).

    Warns
    -----
    DataQualityWarning
        When a standard export was recognised, a text file was not UTF-8, or a workbook's
        other sheets were ignored (one warning, a line per note).

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

    A Synthea export is recognised by its header:

    >>> import warnings
    >>> path = os.path.join(tempfile.mkdtemp(), "encounters.csv")
    >>> pd.DataFrame({
    ...     "Id": ["e1", "e2"], "PATIENT": ["p1", "p1"],
    ...     "START": ["2020-03-01T22:00:00Z", "2020-03-05T08:00:00Z"],
    ...     "STOP": ["2020-03-04T10:00:00Z", "2020-03-05T08:30:00Z"],
    ...     "ENCOUNTERCLASS": ["inpatient", "wellness"],
    ... }).to_csv(path, index=False)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     stays = read(path)
    >>> stays[["stay_id", "admission_date", "treatment"]]
      stay_id      admission_date  treatment
    0      e1 2020-03-01 22:00:00  inpatient
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    encounters.csv: recognised a Synthea encounters table and read it through its adapter:
    kept the 1 in-patient encounter; times in UTC, as Synthea writes them (timezone=
    converts them to the hospital's zone)
    encounters.csv: left out 1 other encounter (wellness 1); encounters='all'
    (--all-encounters) keeps them all
    """
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise ArgumentError(f"dayfirst must be True, False or None, got {dayfirst!r}.",
                            argument="dayfirst", value=dayfirst)
    if not isinstance(detect, bool):
        raise ArgumentError(f"detect must be True or False, got {detect!r}.",
                            argument="detect", value=detect)
    if encounters not in ENCOUNTER_CHOICES:
        raise ArgumentError(
            f"encounters must be 'inpatient' (hospital stays only) or 'all', got "
            f"{encounters!r}.",
            argument="encounters", value=encounters,
        )
    if timezone is not None:
        try:
            pd.Timestamp("2000-01-01", tz=timezone)
        except Exception as err:
            raise ArgumentError(
                f"timezone={timezone!r} is not a time zone pandas knows; use an IANA name "
                "such as 'UTC' or 'Europe/London'.",
                argument="timezone", value=timezone,
            ) from err
    for option in ("chunksize", "iterator"):
        if kwargs.get(option):
            raise ArgumentError(
                f"read returns one DataFrame and does not support {option}=; use "
                "hospitalytics.dask for files larger than memory."
            )
    path = Path(os.fspath(path))
    kind, sep = _file_kind(path)
    if kind != "excel" and not (isinstance(sheet_name, int) and sheet_name == 0):
        raise ArgumentError(
            f"sheet_name={sheet_name!r} (--sheet) is for Excel workbooks, but "
            f"{path.name!r} is a {'text' if kind == 'csv' else kind} file; leave it out.",
            argument="sheet_name", value=sheet_name,
        )
    if kwargs.get("encoding") is not None:
        try:
            codecs.lookup(kwargs["encoding"])
        except (LookupError, TypeError) as err:
            raise ArgumentError(
                f"unknown encoding {kwargs['encoding']!r} (--encoding); give one Python "
                "knows, such as 'utf-8', 'cp1252' (Windows), 'latin-1' or 'utf-16'.",
                argument="encoding", value=kwargs["encoding"],
            ) from err
    for option in ("sep", "delimiter"):
        value = kwargs.get(option)
        if value is not None and not (isinstance(value, str) and value):
            raise ArgumentError(
                f"{option}={value!r} (--sep) must be the field separator, such as ';' or "
                "'\\t'.", argument=option, value=value,
            )
    if not path.exists():
        raise FileNotFoundError(f"no such file: {str(path)!r} (looked in {os.getcwd()!r}).")
    if kwargs.get("encoding") is None:
        kwargs.pop("encoding", None)
    notes: list[str] = []
    table: _Table | None = None
    try:
        if kind == "csv":
            table = _Csv(path, sep, kwargs, notes)
        elif kind == "parquet":
            table = _Parquet(path, kwargs)
        else:
            table = _Excel(path, sheet_name, kwargs, notes)
        names = table.header()
        export = None
        if detect and columns is None and isinstance(usecols, str) and usecols == "roles":
            export = _front.detect(names)
        if export is not None:
            raw = table.read(_front.wanted(export, names), ())
            _check_rows(raw, path)
            frame, found = _front.adapt(
                export, raw, name=path.name, encounters=encounters, timezone=timezone,
                sibling=_sibling_reader(path, kwargs),
            )
            notes += found
        else:
            wanted, categories = _wanted_columns(names, columns, usecols)
            frame = table.read(wanted, categories)
            _check_rows(frame, path)
            if wanted is not None and isinstance(usecols, str):
                roles = resolve_roles(frame, columns)
                if "stay_id" not in roles:
                    frame = _with_row_hash(table, frame, names, wanted)
    except (ArgumentError, SchemaError, ImportError, FileNotFoundError, DataQualityError):
        raise
    except pd.errors.EmptyDataError as exc:
        raise DataQualityError(f"{path}: the file is empty") from exc
    except UnicodeDecodeError as exc:
        raise DataQualityError(
            f"could not read {str(path)!r}: it is not in the encoding given ({exc.encoding}); "
            "not a text file (or use --encoding)"
        ) from exc
    except _read_errors() as exc:
        raise DataQualityError(f"could not read {str(path)!r}: {exc}") from exc
    finally:
        if table is not None:
            table.close()
    frame.attrs["hospitalytics"] = {
        "source": str(path), "dayfirst": dayfirst, "notes": list(notes),
        "timezone": timezone,
    }
    if notes:  # one warning, one line per note
        warn("\n".join(notes))
    return frame


def _check_rows(frame: pd.DataFrame, path: Path) -> None:
    if not len(frame):
        raise DataQualityError(f"{path}: the file has a header but no rows")
