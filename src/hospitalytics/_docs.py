"""Docstrings of the ``DataFrame.hospital`` methods, built from their functions' docstrings.

Each accessor method is one call into a plain function (``df.hospital.alos(...)`` is
``hospitalytics.alos(df, ...)``), so its documentation is that function's: the same
summary, Parameters (less the frame itself), Returns, Raises, Notes and References, as
pandas' ``Series.str.*`` pages are. :func:`doc_from` builds it once, at import, so that
``help(df.hospital.alos)`` and the API pages show it and it cannot drift from the function.

Parameters written ``start, end, by ... / As for :func:`admissions`.`` are spelled out from
the function they point to, and bare cross-references (``:func:`admissions```) are
qualified (``:func:`hospitalytics.admissions```) so that they resolve on the accessor's
pages too. The method's own Examples (in the accessor form, run by the doctests) replace
the function's.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["doc_from"]

F = TypeVar("F", bound=Callable[..., Any])

_SECTION = re.compile(r"^([A-Z][A-Za-z ]+)\n(-{3,})[ \t]*$", re.MULTILINE)
_AS_FOR = re.compile(r"^\s*As for :func:`~?(?:hospitalytics\.)?([\w.]+)`\.?\s*(.*)$", re.DOTALL)
_ROLE = re.compile(r":(func|class|data|meth|attr|exc|obj):`(~?)([A-Za-z_]\w*)`")
#: numpydoc's order of the sections
_ORDER = ("Parameters", "Returns", "Yields", "Receives", "Other Parameters", "Raises",
          "Warns", "Warnings", "See Also", "Notes", "References", "Examples")


def _split(doc: str | None) -> tuple[str, dict[str, str]]:
    """Split a numpydoc docstring into its head (summary and extended) and sections."""
    text = inspect.cleandoc(doc or "")
    matches = list(_SECTION.finditer(text))
    head = text[: matches[0].start()] if matches else text
    sections: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        sections[m.group(1).strip()] = text[m.end():end].strip("\n").rstrip()
    return head.strip(), sections


def _entries(body: str) -> list[tuple[list[str], str, str]]:
    """Entries of a Parameters section: (names, the header line, the indented description)."""
    out: list[tuple[list[str], str, str]] = []
    for line in body.splitlines():
        if line and not line[0].isspace():
            names = [n.strip() for n in line.split(" : ")[0].split(",") if n.strip()]
            out.append((names, line, ""))
        elif out:
            names, header, desc = out[-1]
            out[-1] = (names, header, desc + line + "\n")
    return [(n, h, d.rstrip("\n")) for n, h, d in out]


def _module_of(func: Callable[..., Any]):
    return sys.modules[func.__module__]


@functools.cache
def _top_level_imports() -> frozenset[tuple[str, str]]:
    """``(submodule, name)`` of every ``from .submodule import name`` of the package.

    Read from ``hospitalytics/__init__.py`` itself: the docstrings are built while the
    package is still being imported, before its top-level names exist.
    """
    tree = ast.parse((Path(__file__).parent / "__init__.py").read_text(encoding="utf-8"))
    return frozenset(
        (node.module, alias.asname or alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        for alias in node.names
    )


def _public_name(module, name: str) -> str | None:
    """The documented dotted name of ``name`` as seen from ``module`` (None if unknown)."""
    if not hasattr(module, name):
        return None
    obj = getattr(module, name)
    owners = {module.__name__, getattr(obj, "__module__", None) or module.__name__}
    for owner in owners:
        parts = owner.split(".")[1:]  # "hospitalytics.analysis.forecast" -> analysis, forecast
        for i in range(len(parts), 0, -1):
            if (".".join(parts[:i]), name) in _top_level_imports():
                return f"hospitalytics.{name}"
    return f"{module.__name__}.{name}"


def _qualify(text: str, module) -> str:
    """Make bare cross-references (``:func:`admissions```) absolute."""

    def repl(m: re.Match[str]) -> str:
        role, tilde, name = m.groups()
        full = _public_name(module, name)
        if full is None:
            return m.group(0)
        return f":{role}:`~{full}`"

    return _ROLE.sub(repl, text)


def _see_also(body: str, module) -> str:
    """Qualify the bare names that start the lines of a See Also section."""

    def repl(m: re.Match[str]) -> str:
        return _public_name(module, m.group(1)) or m.group(1)

    return re.sub(r"^([A-Za-z_]\w*)(?=\s*(?::|,|$))", repl, body, flags=re.MULTILINE)


def _expand(entries, module, seen: frozenset[str] = frozenset()):
    """Spell out ``As for :func:`x`.`` entries from the docstring of ``x``."""
    out = []
    for names, header, desc in entries:
        m = _AS_FOR.match(desc)
        target = m and getattr(module, m.group(1).rsplit(".", 1)[-1], None)
        if not m or target is None or m.group(1) in seen or not callable(target):
            out.append((names, header, desc))
            continue
        extra = " ".join(m.group(2).split())
        _, sections = _split(target.__doc__)
        theirs = _expand(_entries(sections.get("Parameters", "")), _module_of(target),
                         seen | {m.group(1)})
        found: list[str] = []
        for their_names, their_header, their_desc in theirs:
            common = [n for n in their_names if n in names]
            if not common:
                continue
            if common != their_names:
                their_header = ", ".join(common) + (
                    " : " + their_header.split(" : ", 1)[1] if " : " in their_header else ""
                )
            if extra and not found:
                their_desc = f"{their_desc}\n    {extra}"
            out.append((common, their_header, their_desc))
            found += common
        rest = [n for n in names if n not in found]
        if rest:
            out.append((rest, ", ".join(rest), f"    As for :func:`{target.__name__}`."))
    return out


def doc_from(func: Callable[..., Any], *, frame: str | None = None) -> Callable[[F], F]:
    """Give an accessor method the full numpydoc docstring of the function it calls.

    Parameters
    ----------
    func : callable
        The plain function (``hospitalytics.alos``); its first parameter is the frame.
    frame : str, optional
        The name of the frame parameter to leave out; default: ``func``'s first.

    Returns
    -------
    callable
        A decorator that sets the method's ``__doc__`` and returns the method itself.

    Examples
    --------
    >>> def area(df, scale=1):
    ...     '''Area of the frame.
    ...
    ...     Parameters
    ...     ----------
    ...     df : DataFrame
    ...         The frame.
    ...     scale : int, default 1
    ...         A factor.
    ...
    ...     Returns
    ...     -------
    ...     int
    ...     '''
    ...     return df.size * scale
    >>> class Acc:
    ...     @doc_from(area)
    ...     def area(self, scale=1):
    ...         '''Area: see area.'''
    >>> "df :" in Acc.area.__doc__, "scale : int, default 1" in Acc.area.__doc__
    (False, True)
    """
    first = frame or next(iter(inspect.signature(func).parameters))
    module = _module_of(func)
    public = _public_name(module, func.__name__) or f"{module.__name__}.{func.__name__}"

    def decorate(method: F) -> F:
        f_head, f_sec = _split(func.__doc__)
        _, m_sec = _split(method.__doc__)
        params = inspect.signature(method).parameters
        accepted = set(params) - {"self"}
        if any(p.kind is p.VAR_KEYWORD for p in params.values()):  # (..., **kwargs)
            accepted |= set(inspect.signature(func).parameters)
        sections: dict[str, str] = {}
        for title, body in f_sec.items():
            if title in ("Parameters", "Other Parameters"):
                kept = []
                for names, header, desc in _expand(_entries(body), module):
                    keep = [n for n in names if n != first and n.lstrip("*") in accepted]
                    if not keep:
                        continue
                    if keep != names:
                        tail = header.split(" : ", 1)[1] if " : " in header else None
                        header = ", ".join(keep) + (f" : {tail}" if tail else "")
                    kept.append(f"{header}\n{desc}" if desc else header)
                if kept:
                    sections[title] = "\n".join(kept)
            elif title == "See Also":
                sections[title] = _see_also(body, module)
            elif title != "Examples":
                sections[title] = body
        see = f"{public} : The same, as a function taking the frame first."
        sections["See Also"] = see + ("\n" + sections["See Also"] if "See Also" in sections
                                      else "")
        examples = m_sec.get("Examples") or f_sec.get("Examples")
        if examples:
            sections["Examples"] = examples
        call = f"df.hospital.{method.__name__}(...)"
        parts = [
            f_head,
            textwrap.fill(
                f"This is :func:`{public}` on the frame: ``{call}`` is "
                f"``{public.replace('hospitalytics.', 'hp.', 1)}(df, ...)``.",
                width=88, break_long_words=False, break_on_hyphens=False,
            ),
        ]
        for title in _ORDER:
            if title in sections:
                parts.append(f"{title}\n{'-' * len(title)}\n{sections[title]}")
        method.__doc__ = _qualify("\n\n".join(parts) + "\n", module)
        return method

    return decorate
