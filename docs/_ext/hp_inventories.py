"""Small intersphinx inventories of Python, pandas, numpy and matplotlib, made offline.

The documentation links names such as :class:`pandas.DataFrame` or
:meth:`matplotlib.axes.Axes.barh` to the official sites. Sphinx's intersphinx needs each
site's ``objects.inv`` for that, which would mean the network at every build; the build
must work offline (CI and a user's clone alike). So the handful of names these pages
use are listed here, each with its page on the official site, and written as
``objects.inv`` files (the format Sphinx reads) into ``docs/generated/intersphinx/`` at
build time. A name missing here is simply shown unlinked; add it below (the URL of its
page on the site) to link it. ``tests/test_docs.py`` checks the inventories load.

With ``HOSPITALYTICS_DOCS_INTERSPHINX=1`` the real inventories are fetched first (network
needed) and these are the fallback.
"""

from __future__ import annotations

import zlib
from pathlib import Path

#: project: (base URL, version label, entries). An entry is
#: (name, "domain:role", uri relative to the base; "$" stands for the name).
INVENTORIES: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "python": ("https://docs.python.org/3/", "3", [
        ("str", "py:class", "library/stdtypes.html#$"),
        ("int", "py:class", "library/functions.html#$"),
        ("float", "py:class", "library/functions.html#$"),
        ("bool", "py:class", "library/functions.html#$"),
        ("object", "py:class", "library/functions.html#$"),
        ("callable", "py:function", "library/functions.html#$"),
        ("dict", "py:class", "library/stdtypes.html#$"),
        ("list", "py:class", "library/stdtypes.html#$"),
        ("tuple", "py:class", "library/stdtypes.html#$"),
        ("frozenset", "py:class", "library/stdtypes.html#$"),
        ("None", "py:data", "library/constants.html#$"),
        ("True", "py:data", "library/constants.html#$"),
        ("False", "py:data", "library/constants.html#$"),
        ("Exception", "py:exception", "library/exceptions.html#$"),
        ("ValueError", "py:exception", "library/exceptions.html#$"),
        ("TypeError", "py:exception", "library/exceptions.html#$"),
        ("KeyError", "py:exception", "library/exceptions.html#$"),
        ("ImportError", "py:exception", "library/exceptions.html#$"),
        ("FileNotFoundError", "py:exception", "library/exceptions.html#$"),
        ("UnicodeDecodeError", "py:exception", "library/exceptions.html#$"),
        ("Warning", "py:exception", "library/exceptions.html#$"),
        ("UserWarning", "py:exception", "library/exceptions.html#$"),
        ("datetime.date", "py:class", "library/datetime.html#$"),
        ("datetime.datetime", "py:class", "library/datetime.html#$"),
        ("datetime.tzinfo", "py:class", "library/datetime.html#$"),
        ("zoneinfo.ZoneInfo", "py:class", "library/zoneinfo.html#$"),
        ("pathlib.Path", "py:class", "library/pathlib.html#$"),
        ("os.PathLike", "py:class", "library/os.html#$"),
        ("warnings.filterwarnings", "py:function", "library/warnings.html#$"),
        ("warnings.catch_warnings", "py:class", "library/warnings.html#$"),
        ("collections.abc.Mapping", "py:class", "library/collections.abc.html#$"),
        ("collections.abc.Sequence", "py:class", "library/collections.abc.html#$"),
        ("collections.abc.Iterable", "py:class", "library/collections.abc.html#$"),
        ("help", "py:function", "library/functions.html#$"),
        ("path-like object", "std:term", "glossary.html#term-path-like-object"),
        ("mapping", "std:term", "glossary.html#term-mapping"),
        ("sequence", "std:term", "glossary.html#term-sequence"),
        ("iterable", "std:term", "glossary.html#term-iterable"),
        ("callable", "std:term", "glossary.html#term-callable"),
    ]),
    "pandas": ("https://pandas.pydata.org/docs/", "stable", [
        (f"pandas.{name}", role, "reference/api/pandas.{}.html#$".format(name))
        for name, role in [
            ("DataFrame", "py:class"),
            ("Series", "py:class"),
            ("Index", "py:class"),
            ("DatetimeIndex", "py:class"),
            ("PeriodIndex", "py:class"),
            ("MultiIndex", "py:class"),
            ("Categorical", "py:class"),
            ("CategoricalDtype", "py:class"),
            ("Timestamp", "py:class"),
            ("Timedelta", "py:class"),
            ("Period", "py:class"),
            ("NA", "py:data"),
            ("NaT", "py:data"),
            ("read_csv", "py:function"),
            ("read_parquet", "py:function"),
            ("read_excel", "py:function"),
            ("to_datetime", "py:function"),
            ("DataFrame.attrs", "py:property"),
            ("DataFrame.to_csv", "py:method"),
            ("DataFrame.groupby", "py:method"),
            ("DataFrame.plot", "py:method"),
            ("Series.str", "py:attribute"),
            ("api.extensions.register_dataframe_accessor", "py:function"),
        ]
    ]),
    "numpy": ("https://numpy.org/doc/stable/", "stable", [
        ("numpy.ndarray", "py:class", "reference/generated/numpy.ndarray.html#$"),
        ("numpy.datetime64", "py:class", "reference/arrays.scalars.html#$"),
        ("numpy.int64", "py:class", "reference/arrays.scalars.html#$"),
        ("numpy.float64", "py:class", "reference/arrays.scalars.html#$"),
        ("numpy.nan", "py:data", "reference/constants.html#$"),
        ("numpy.random.default_rng", "py:function", "reference/random/generator.html#$"),
        ("numpy.random.Generator", "py:class", "reference/random/generator.html#$"),
        ("array_like", "std:term", "glossary.html#term-array_like"),
        ("arrays.scalars", "std:label", "reference/arrays.scalars.html#arrays-scalars"),
    ]),
    "matplotlib": ("https://matplotlib.org/stable/", "stable", [
        ("matplotlib.axes.Axes", "py:class", "api/axes_api.html#$"),
        *[
            (f"matplotlib.axes.Axes.{m}", "py:method", f"api/_as_gen/matplotlib.axes.Axes.{m}.html#$")
            for m in ("plot", "bar", "barh", "text", "pie", "pcolormesh", "fill_between",
                      "axhline", "legend", "imshow")
        ],
        ("matplotlib.figure.Figure", "py:class",
         "api/_as_gen/matplotlib.figure.Figure.html#$"),
        ("matplotlib.figure.Figure.savefig", "py:method",
         "api/_as_gen/matplotlib.figure.Figure.html#$"),
        ("matplotlib.pyplot.subplots", "py:function",
         "api/_as_gen/matplotlib.pyplot.subplots.html#$"),
        ("matplotlib.pyplot.show", "py:function", "api/_as_gen/matplotlib.pyplot.show.html#$"),
        ("matplotlib.pyplot.close", "py:function",
         "api/_as_gen/matplotlib.pyplot.close.html#$"),
        ("matplotlib.colors.Colormap", "py:class",
         "api/_as_gen/matplotlib.colors.Colormap.html#$"),
    ]),
}


def inventory_bytes(project: str) -> bytes:
    """The ``objects.inv`` file (format version 2) of one project of :data:`INVENTORIES`."""
    _, version, entries = INVENTORIES[project]
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in entries)
    return header.encode() + zlib.compress(lines.encode())


def write_inventories(folder: Path) -> dict[str, tuple[str, str]]:
    """Write every inventory into ``folder``; return ``{project: (base URL, file)}``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for project, (base, _, _) in INVENTORIES.items():
        path = folder / f"{project}.inv"
        data = inventory_bytes(project)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        out[project] = (base, str(path))
    return out
