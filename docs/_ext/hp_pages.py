"""Pieces of the documentation generated from the code and from CHANGELOG.md.

Pure Python (no Sphinx import), so that the test suite can check them too
(``tests/test_docs.py``). ``docs/conf.py`` writes their output into ``docs/generated/``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def aliases_rst() -> str:
    from hospitalytics.schema import ALIASES, ROLES

    lines = [
        ".. list-table:: Column names recognised for each role (matched ignoring case, "
        "spaces and punctuation)",
        "   :header-rows: 1",
        "   :widths: 18 82",
        "   :class: alias-table",
        "",
        "   * - Role",
        "     - Recognised column names",
    ]
    for role in ROLES:
        names = ", ".join(f"``{a}``" for a in ALIASES[role])
        lines += [f"   * - ``{role}``", f"     - {names}"]
    return "\n".join(lines) + "\n"


def presets_rst() -> str:
    """The presets side by side: one row per field, one column per preset."""
    from hospitalytics.definitions import DEFAULT_PRESET, PRESETS

    fields = ["los_unit", "same_day_los", "exclude_same_day", "alos_basis",
              "day_case_bed_day"]
    names = list(PRESETS)
    head = [f"``{n!r}``" + (" (default)" if n == DEFAULT_PRESET else "") for n in names]
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :stub-columns: 1",
        "   :class: preset-table",
        "",
        "   * - Field",
        *[f"     - {h}" for h in head],
    ]
    for f in fields:
        lines.append(f"   * - ``{f}``")
        lines += [f"     - ``{getattr(PRESETS[n], f)!r}``" for n in names]
    lines.append("   * - Who counts this way")
    lines += [f"     - {PRESETS[n].description}" for n in names]
    return "\n".join(lines) + "\n"


# -- CHANGELOG.md -> reStructuredText ------------------------------------------------------
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _inline(text: str) -> str:
    """Convert the inline Markdown of one block (code, links, bold) to reStructuredText."""
    parts: list[str] = []
    pos = 0
    for m in _CODE.finditer(text):
        before = text[pos:m.start()]
        parts.append(_inline_plain(before))
        gap_before = "\\ " if before and (before[-1].isalnum() or before[-1] in "([") else ""
        after = text[m.end():m.end() + 1]
        gap_after = "\\ " if after and after.isalnum() else ""
        parts.append(f"{gap_before}``{m.group(1)}``{gap_after}")
        pos = m.end()
    parts.append(_inline_plain(text[pos:]))
    return "".join(parts)


def _inline_plain(text: str) -> str:
    text = text.replace("\\", "\\\\")
    bolds: list[str] = []

    def keep_bold(m: re.Match) -> str:
        bolds.append(m.group(1))
        return f"\0B{len(bolds) - 1}\0"

    links: list[tuple[str, str]] = []

    def keep_link(m: re.Match) -> str:
        links.append((m.group(1), m.group(2)))
        return f"\0L{len(links) - 1}\0"

    text = _LINK.sub(keep_link, text)
    text = _BOLD.sub(keep_bold, text)
    text = re.sub(r"([*_|`])", r"\\\1", text)
    text = re.sub(r"\0B(\d+)\0", lambda m: f"**{bolds[int(m.group(1))]}**", text)
    text = re.sub(r"\0L(\d+)\0",
                  lambda m: "`{} <{}>`__".format(*links[int(m.group(1))]), text)
    return text


def changelog_rst(path: Path | None = None) -> str:
    """CHANGELOG.md (Keep a Changelog: headings, bullets, paragraphs) as reStructuredText."""
    src = (path or ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    underline = {1: "=", 2: "-", 3: "~", 4: "^"}
    blocks: list[tuple[str, int, str]] = []  # (kind, depth, text)
    for line in src:
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        bullet = re.match(r"^(\s*)[-*+]\s+(.*)$", line)
        if heading:
            blocks.append(("heading", len(heading.group(1)), heading.group(2).strip()))
        elif bullet:
            blocks.append(("bullet", len(bullet.group(1)) // 2, bullet.group(2).strip()))
        elif not line.strip():
            blocks.append(("blank", 0, ""))
        elif blocks and blocks[-1][0] in ("bullet", "para"):
            kind, depth, text = blocks[-1]
            blocks[-1] = (kind, depth, f"{text} {line.strip()}")
        else:
            blocks.append(("para", 0, line.strip()))
    out: list[str] = []
    for kind, depth, text in blocks:
        if kind == "heading":
            title = "Changelog" if depth == 1 else _inline(text)
            out += ["", title, underline[depth] * max(len(title), 3), ""]
        elif kind == "bullet":
            if out and out[-1] and not out[-1].lstrip().startswith("- "):
                out.append("")
            out.append("  " * depth + "- " + _inline(text))
        elif kind == "para":
            out += ["", _inline(text), ""]
        else:
            out.append("")
    text = "\n".join(out).strip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)
