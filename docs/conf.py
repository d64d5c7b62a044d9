"""Sphinx configuration for the hospitalytics documentation.

Build (warnings are errors), from the repository root::

    .venv/bin/pip install -e ".[docs]"
    .venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html

The build needs no network. A few pages are partly generated here, at build time, from
the code itself so that they cannot drift from it (all into the git-ignored
``docs/generated/``):

* ``aliases.rst``: the column-name aliases of :data:`hospitalytics.schema.ALIASES`;
* ``presets.rst``: the fields of the definition presets (:data:`PRESETS`);
* ``cli_*.txt``: the ``--help`` text of the ``hospitalytics`` command and its
  sub-commands, produced by running it;
* ``changelog.rst``: ``CHANGELOG.md`` converted to reStructuredText.

Links to the pandas, numpy and matplotlib docs (intersphinx) need the network, so they
are off by default; set ``HOSPITALYTICS_DOCS_INTERSPHINX=1`` to turn them on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import sphinx_autosummary_accessors  # noqa: E402
from sphinx.util import logging as sphinx_logging  # noqa: E402

import hospitalytics  # noqa: E402  (registers DataFrame.hospital)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATED = HERE / "generated"
logger = sphinx_logging.getLogger("hospitalytics.docs")
sys.path.insert(0, str(HERE / "_ext"))

# -- Project -------------------------------------------------------------------------------
project = "hospitalytics"
author = "The hospitalytics developers"
copyright = "The hospitalytics developers (MIT licence)"
release = hospitalytics.__version__
version = ".".join(release.split(".")[:2])

# -- General -------------------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_autosummary_accessors",
    "sphinx_gallery.gen_gallery",
    "hp_run",  # docs/_ext/hp_run.py: runs the examples of the pages at build time
]
if os.environ.get("HOSPITALYTICS_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "pandas": ("https://pandas.pydata.org/docs", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "matplotlib": ("https://matplotlib.org/stable", None),
    }

templates_path = ["_templates", sphinx_autosummary_accessors.templates_path]
exclude_patterns = [
    "_build",
    "generated/*.rst",  # included by other pages, not pages of their own
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "**/sg_execution_times.rst",
]
root_doc = "index"
default_role = "literal"
highlight_language = "text"  # bare :: blocks are formulas and output; code says python
smartquotes = True
today_fmt = "%Y-%m-%d"

# -- autodoc / autosummary / numpydoc ------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"  # the numpydoc Parameters sections carry the types
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False
numpydoc_xref_param_type = False

# -- sphinx-gallery ------------------------------------------------------------------------
# The examples save their figure too; while the docs are built, into the build folder.
os.environ.setdefault("HOSPITALYTICS_EXAMPLES_OUTPUT",
                      str(HERE / "_build" / "examples_output"))
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"(__init__|/_)[^/]*\.py$",
    "within_subsection_order": "hp_gallery.ChartOrder",
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib", "hp_gallery.example_file"),
    "reset_modules_order": "both",
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_memory": False,
    "show_signature": False,
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "capture_repr": ("_repr_html_", "__repr__"),
    "matplotlib_animations": False,
    "plot_gallery": "True",
    "min_reported_time": 1e9,  # no timing boxes on the pages
}

# -- HTML ----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"hospitalytics {release}"
html_static_path = ["_static"]
html_css_files = ["hospitalytics.css"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "header_links_before_dropdown": 7,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc"],
    "use_edit_page_button": False,
}
html_context = {"default_mode": "light"}
html_sidebars = {"index": [], "getting_started": [], "kpi_definitions": [], "cli": [],
                 "changelog": []}


# ------------------------------------------------------------------------------------------
# Pages generated from the code
# ------------------------------------------------------------------------------------------
def _write(name: str, text: str) -> None:
    """Write a generated file only when its text changed (keeps incremental builds quick)."""
    GENERATED.mkdir(exist_ok=True)
    path = GENERATED / name
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _aliases_rst() -> str:
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


def _presets_rst() -> str:
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


def _cli_help() -> None:
    """Run ``python -m hospitalytics [cmd] --help`` and keep the text for the CLI page."""
    env = dict(os.environ, COLUMNS="88", NO_COLOR="1", PYTHON_COLORS="0", TERM="dumb")
    for cmd in ("", "report", "summary"):
        args = [sys.executable, "-m", "hospitalytics", *([cmd] if cmd else []), "--help"]
        name = f"cli_{cmd or 'main'}.txt"
        try:
            proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120,
                                  cwd=ROOT)
        except (OSError, subprocess.TimeoutExpired) as exc:  # pragma: no cover
            proc = None
            err = str(exc)
        else:
            err = proc.stderr.strip()
        if proc is None or proc.returncode != 0 or not proc.stdout.strip():
            logger.warning("could not get the help of %r for the CLI page: %s",
                           " ".join(args[1:]), err.splitlines()[-1:] if err else "no output")
            _write(name, f"(the help of 'hospitalytics {cmd}' could not be generated)\n")
            continue
        _write(name, proc.stdout.rstrip() + "\n")


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


def _changelog_rst() -> str:
    """CHANGELOG.md (Keep a Changelog: headings, bullets, paragraphs) as reStructuredText."""
    src = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
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


def _generate(app) -> None:
    _write("aliases.rst", _aliases_rst())
    _write("presets.rst", _presets_rst())
    _write("changelog.rst", _changelog_rst())
    _cli_help()


def setup(app):
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True}

