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

The generators live in ``docs/_ext/hp_pages.py`` (checked by ``tests/test_docs.py``); the
directives that run the pages' examples at build time in ``docs/_ext/hp_run.py``.

Links to the Python, pandas, numpy and matplotlib docs (intersphinx) come from small
inventories written at build time by ``docs/_ext/hp_inventories.py``, so the build needs no
network; with ``HOSPITALYTICS_DOCS_INTERSPHINX=1`` the sites' full inventories are tried
first (network needed), those small ones being the fallback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import sphinx_autosummary_accessors  # noqa: E402
from sphinx.util import logging as sphinx_logging  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Document the checkout's own code, even if another version is installed.
sys.path.insert(0, str(ROOT / "src"))
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
)

import hospitalytics  # noqa: E402  (registers DataFrame.hospital)
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
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
    "hp_run",  # docs/_ext/hp_run.py: runs the examples of the pages at build time
    "hp_charts",  # docs/_ext/hp_charts.py: each chart's picture on its API page
]

# -- intersphinx: offline inventories (docs/_ext/hp_inventories.py) ------------------------
import hp_inventories  # noqa: E402

_online = os.environ.get("HOSPITALYTICS_DOCS_INTERSPHINX") == "1"
intersphinx_mapping = {
    project: (base, (None, local) if _online else local)
    for project, (base, local) in hp_inventories.write_inventories(
        GENERATED / "intersphinx"
    ).items()
}
intersphinx_timeout = 10

# -- the public datasets of the cookbook (docs/cookbook/real_exports.rst) -----------------
# CI has them next to the repository; a user's clone does not: the page then shows its
# code without output, and says so.
hospitalytics_shared_data = os.environ.get(
    "HOSPITALYTICS_SHARED_DATA", str(ROOT.parent / "shared" / "data")
)

# -- copy button: copies the code without the prompts and the output ----------------------
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_remove_prompts = True
copybutton_exclude = ".linenos, .gp, .go"

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
numpydoc_xref_param_type = True  # types in Parameters/Returns link to their pages
numpydoc_xref_ignore = "all"  # ... only the names below
numpydoc_xref_aliases = {
    "DataFrame": "pandas.DataFrame",
    "Series": "pandas.Series",
    "Index": "pandas.Index",
    "PeriodIndex": "pandas.PeriodIndex",
    "Timestamp": "pandas.Timestamp",
    "Axes": "matplotlib.axes.Axes",
    "matplotlib.axes.Axes": "matplotlib.axes.Axes",
    "Figure": "matplotlib.figure.Figure",
    "ndarray": "numpy.ndarray",
    "numpy.ndarray": "numpy.ndarray",
    "numpy.datetime64": "numpy.datetime64",
    **{name: f":class:`python:{name}`" for name in (
        "str", "int", "float", "bool", "dict", "list", "tuple", "frozenset", "object")},
    "None": ":data:`python:None`",
    "callable": ":term:`python:callable`",
    "mapping": ":term:`python:mapping`",
    "sequence": ":term:`python:sequence`",
    "iterable": ":term:`python:iterable`",
    "path-like": ":term:`python:path-like object`",
    "Path": "pathlib.Path",
    "tzinfo": "datetime.tzinfo",
    "date": "datetime.date",
    "datetime": "datetime.datetime",
    "Definitions": "hospitalytics.definitions.Definitions",
    "CleaningReport": "hospitalytics.clean.CleaningReport",
    "Report": "hospitalytics.report.Report",
    "Roles": "hospitalytics.schema.Roles",
    "Stays": "hospitalytics._sweep.Stays",
    "Period": "hospitalytics.periods.Period",
    "HospitalyticsError": "hospitalytics.errors.HospitalyticsError",
    "SchemaError": "hospitalytics.errors.SchemaError",
    "DataQualityError": "hospitalytics.errors.DataQualityError",
    "ArgumentError": "hospitalytics.errors.ArgumentError",
    "DataQualityWarning": "hospitalytics.errors.DataQualityWarning",
    **{name: f":exc:`python:{name}`" for name in (
        "ImportError", "FileNotFoundError", "ValueError")},
}

# -- sphinx-gallery ------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"(__init__|/_)[^/]*\.py$",
    "within_subsection_order": "hp_gallery.ChartOrder",
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
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
    # backreferences: which example uses which function (the "Gallery examples using"
    # lists of the API pages, and the chart pictures of docs/_ext/hp_charts.py)
    "doc_module": ("hospitalytics",),
    "backreferences_dir": "generated/backreferences",
    "exclude_implicit_doc": {r"hospitalytics\.datasets\..*"},
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
                 "changelog": [], "faq": [], "errors": [], "why": []}


# ------------------------------------------------------------------------------------------
# Pages generated from the code
# ------------------------------------------------------------------------------------------
def _write(name: str, text: str) -> None:
    """Write a generated file only when its text changed (keeps incremental builds quick)."""
    GENERATED.mkdir(exist_ok=True)
    path = GENERATED / name
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


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


def _generate(app) -> None:
    import hp_pages

    _write("aliases.rst", hp_pages.aliases_rst())
    _write("presets.rst", hp_pages.presets_rst())
    _write("changelog.rst", hp_pages.changelog_rst())
    _cli_help()


def setup(app):
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True}

