"""The ``DataFrame.hospital`` methods carry the full numpydoc of their functions.

``help(df.hospital.alos)`` and the API pages show Parameters and Returns, built at import
by :func:`hospitalytics._docs.doc_from` from the plain function's docstring. The built
pages are checked when a docs build is at hand (``docs/_build/html``, as ``.ci/run`` makes
it before the pandas 2.2 run, or the folder named by ``HOSPITALYTICS_DOCS_HTML``).
"""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path

import pytest

import hospitalytics as hp
from hospitalytics._docs import doc_from

ROOT = Path(__file__).resolve().parents[1]
METHODS = sorted(
    n for n, v in vars(hp.HospitalAccessor).items()
    if not n.startswith("_") and inspect.isfunction(v)
)


def _documented_names(doc: str, section: str) -> set[str]:
    body = doc.split(f"{section}\n{'-' * len(section)}\n", 1)[1]
    body = re.split(r"\n\n[A-Z][A-Za-z ]+\n-{3,}\n", body, maxsplit=1)[0]
    names: set[str] = set()
    for line in body.splitlines():
        if line and not line[0].isspace():
            names |= {n.strip() for n in line.split(" : ")[0].split(",")}
    return names


def test_there_are_accessor_methods():
    assert len(METHODS) >= 21 and "alos" in METHODS and "plot" not in METHODS


@pytest.mark.parametrize("name", METHODS)
def test_accessor_method_has_the_full_numpydoc(name):
    method = getattr(hp.HospitalAccessor, name)
    doc = method.__doc__
    assert "Parameters\n----------\n" in doc, name
    assert "Returns\n-------\n" in doc, name
    assert "Examples\n--------\n>>> " in doc, name
    params = [
        p.name for p in inspect.signature(method).parameters.values()
        if p.name != "self" and p.kind is not p.VAR_KEYWORD
    ]
    documented = _documented_names(doc, "Parameters")
    assert set(params) <= documented, f"{name}: undocumented {set(params) - documented}"
    # the frame is the accessor's own: never a parameter of the method
    assert not documented & {"df", "raw", "stays"}, name
    # the function is named, as the place the same computation lives
    assert re.search(r":func:`~?hospitalytics\.[\w.]+`", doc), name


def test_help_shows_the_parameters():
    df = hp.datasets.load_sample().head(5)
    doc = df.hospital.alos.__doc__
    assert "definitions : str or Definitions" in doc
    assert "Returns\n-------\nfloat or Series" in doc


@pytest.mark.parametrize("name", METHODS)
def test_accessor_docstring_is_valid_numpydoc(name):
    docscrape = pytest.importorskip("numpydoc.docscrape")
    doc = docscrape.FunctionDoc(getattr(hp.HospitalAccessor, name))
    assert doc["Parameters"] and doc["Returns"], name
    assert doc["Summary"], name


def _admissions(df, start=None, end=None, *, by=None):
    """Count admissions.

    Parameters
    ----------
    df : DataFrame
        The stays.
    start, end : date-like, optional
        The period.
    by : str, optional
        Grouping role.

    Returns
    -------
    int
        The count.

    See Also
    --------
    _alos : the mean length.
    """


def _alos(df, start=None, end=None, *, by=None, scale=1):
    """Average length of stay.

    Parameters
    ----------
    df : DataFrame
        The stays.
    start, end, by
        As for :func:`_admissions`. Period bounds are inclusive.
    scale : int, default 1
        See :func:`_admissions` and :func:`not_a_name`.

    Returns
    -------
    float
        Days.

    Examples
    --------
    >>> 1 + 1
    2
    """


def test_doc_from_spells_out_as_for_entries_and_qualifies_names():
    class Acc:
        @doc_from(_alos)
        def alos(self, start=None, end=None, *, by=None):
            """Short form.

            Examples
            --------
            >>> "accessor form"
            'accessor form'
            """

    doc = Acc.alos.__doc__
    assert doc.startswith("Average length of stay.\n")
    assert "df :" not in doc
    # spelled out from _admissions, with the extra sentence kept once
    spelled = "start, end : date-like, optional\n    The period.\n    Period bounds are inclusive."
    assert spelled in doc
    assert "by : str, optional\n    Grouping role." in doc
    # scale is not a parameter of the method: left out
    assert "scale" not in doc
    assert "Returns\n-------\nfloat\n    Days." in doc
    # the method's own examples replace the function's
    assert "'accessor form'" in doc and ">>> 1 + 1" not in doc
    assert f"{_alos.__module__}._alos : The same, as a function taking the frame first." in doc


def test_doc_from_qualifies_bare_references():
    class Acc:
        @doc_from(_alos)
        def alos(self, start=None, end=None, *, by=None, scale=1):
            """Short form."""

    doc = Acc.alos.__doc__
    # names of the function's module made absolute, unknown ones left alone
    assert f"See :func:`~{_alos.__module__}._admissions` and :func:`not_a_name`." in doc


def test_doc_from_keeps_kwargs_parameters():
    class Acc:
        @doc_from(_alos)
        def alos(self, **kwargs):
            """Short form."""

    doc = Acc.alos.__doc__
    assert "scale : int, default 1" in doc and "start, end" in doc
    assert "Examples\n--------\n>>> 1 + 1\n2" in doc  # the function's, when the method has none


def _docs_html() -> Path | None:
    for candidate in (os.environ.get("HOSPITALYTICS_DOCS_HTML"), ROOT / "docs/_build/html"):
        if candidate and (Path(candidate) / "api" / "accessor.html").is_file():
            return Path(candidate)
    return None


@pytest.mark.parametrize("name", METHODS)
def test_built_accessor_page_shows_parameters_and_returns(name):
    html = _docs_html()
    if html is None:
        pytest.skip("no docs build at hand (docs/_build/html)")
    page = html / "api" / "generated" / f"pandas.DataFrame.hospital.{name}.html"
    text = page.read_text(encoding="utf-8")
    assert ">Parameters<" in text and ">Returns<" in text, page
    assert ">Examples<" in text, page
