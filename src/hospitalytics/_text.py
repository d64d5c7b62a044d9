r"""Text from the data made safe to show: chart labels and report notes.

A private module with public names, shared by :mod:`hospitalytics.plots` and the report.
Ward, department and treatment names come from the user's export and can hold anything:

* control characters and Unicode bidirectional overrides (U+202E turns ``"Ward A"`` into
  text that reads backwards, and can disguise one name as another): :func:`visible`
  writes each one out as ``[U+202E]``, and turns line breaks and tabs into spaces;
* a name of a megabyte: :func:`shorten` cuts a label to :data:`LABEL_MAX` characters with
  an ellipsis (tables keep the full text; only charts shorten);
* a ``$``, which matplotlib reads as the start of mathtext (``"Cost $5 to $10"`` is drawn
  as "Cost 5to10", and ``"$\frac{1}{$"`` raises): :func:`chart_label` escapes it so the
  text is drawn literally.

The report's notes (HTML and JSON) should pass data-derived text through :func:`visible`;
charts use :func:`chart_label`.

Examples
--------
>>> visible("Ward\u202eA\nnorth")
'Ward[U+202E]A north'
>>> shorten("Paediatric intensive care unit", 14)
'Paediatric in…'
>>> chart_label("Cost $5 to $10")
'Cost \\$5 to \\$10'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["BIDI_CONTROLS", "LABEL_MAX", "chart_label", "escape_mathtext", "shorten",
           "visible"]

#: The longest label a chart draws, in characters (longer ones end in "…").
LABEL_MAX = 40

#: Unicode bidirectional formatting characters (marks, embeddings, overrides, isolates).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")

_SPACES = frozenset("\t\n\r\x0b\x0c\x85\u2028\u2029")
# candidates for replacement: C0/C1 controls, DEL, bidi, line/paragraph separators
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\u2028\u2029]")


def _replace(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _SPACES:
        return " "
    return f"[U+{ord(ch):04X}]"


def visible(text: object) -> str:
    r"""The text with control and bidi characters written out, line breaks as spaces.

    Parameters
    ----------
    text : object
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        Control characters (C0, C1, DEL) and bidirectional formatting characters
        (:data:`BIDI_CONTROLS`) appear as ``[U+XXXX]``; tabs, line and paragraph breaks
        become spaces. Everything else is kept, including letters of every script.

    Examples
    --------
    >>> visible("A\x00B\tC")
    'A[U+0000]B C'
    """
    s = str(text)
    return _SUSPECT.sub(_replace, s) if _SUSPECT.search(s) else s


def shorten(text: str, max_chars: int = LABEL_MAX) -> str:
    """Cut text to ``max_chars`` characters, ending in "…" when it was longer.

    Parameters
    ----------
    text : str
        The text.
    max_chars : int, default LABEL_MAX
        The most characters returned (at least 2).

    Returns
    -------
    str
        The text, or its first ``max_chars - 1`` characters and "…" (never cutting a
        combining accent from its letter).

    Examples
    --------
    >>> shorten("abcdef", 4)
    'abc…'
    """
    max_chars = max(int(max_chars), 2)
    if len(text) <= max_chars:
        return text
    cut = max_chars - 1
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut].rstrip() + "…"


def escape_mathtext(text: str) -> str:
    r"""Escape ``$`` so matplotlib draws the text literally, never as mathtext.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        Every ``$`` written as ``\$`` (matplotlib shows ``\$`` as a plain dollar sign).

    Examples
    --------
    >>> escape_mathtext("$x$")
    '\\$x\\$'
    """
    return text.replace("$", r"\$")


def chart_label(text: object, max_chars: int | None = LABEL_MAX) -> str:
    """A label from the data, ready for matplotlib: visible, short and literal.

    Parameters
    ----------
    text : object
        A ward, department, treatment or other name.
    max_chars : int or None, default LABEL_MAX
        Shorten to this many characters (``None``: keep the whole text).

    Returns
    -------
    str
        :func:`visible`, then :func:`shorten`, then :func:`escape_mathtext`.

    Examples
    --------
    >>> chart_label("x" * 100, 10)
    'xxxxxxxxx…'
    """
    s = visible(text)
    if max_chars is not None:
        s = shorten(s, max_chars)
    return escape_mathtext(s)
