"""Cheap checks of the documentation sources (the Sphinx build itself runs in CI).

- the KPI definitions page names every preset and every official body it must cover;
- the API reference lists every public name of every public module, and every method of
  the ``DataFrame.hospital`` accessor as ``DataFrame.hospital.<method>``;
- the generated pieces (alias table, presets, changelog) are well-formed
  reStructuredText (checked with docutils when it is installed);
- the README quotes the docs build command.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

import hospitalytics
from hospitalytics.definitions import PRESETS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
hp_pages = importlib.import_module("hp_pages")

API_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in (DOCS / "api").glob("*.rst"))

PUBLIC_MODULES = [
    "hospitalytics",
    "hospitalytics.adapters",
    "hospitalytics.analysis",
    "hospitalytics.analysis.forecast",
    "hospitalytics.capacity",
    "hospitalytics._sweep",
    "hospitalytics.clean",
    "hospitalytics.cli",
    "hospitalytics.dask",
    "hospitalytics.datasets",
    "hospitalytics.definitions",
    "hospitalytics.errors",
    "hospitalytics.io",
    "hospitalytics.kpis",
    "hospitalytics.periods",
    "hospitalytics.plots",
    "hospitalytics.report",
    "hospitalytics.report.privacy",
    "hospitalytics.schema",
]


def _documented(name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\b|\.{re.escape(name)}\b", API_TEXT) is not None


def test_definitions_page_names_every_preset_and_body():
    text = (DOCS / "kpi_definitions.rst").read_text(encoding="utf-8")
    for preset in PRESETS:
        assert f'"{preset}"' in text, preset
    for body in ("WHO", "OECD", "Eurostat", "HCUP", "CMS", "ResDAC", "AIHW", "KH03", "HES",
                 "SitRep", "I02040"):
        assert body in text, body
    for kpi in ("Length of stay", "Average length of stay", "midnight census",
                "Bed occupancy", "Average daily census", "Bed turnover", "Long stays",
                "readmission"):
        assert kpi in text, kpi


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_api_reference_lists_every_public_name(module):
    if module == "hospitalytics.dask":
        pytest.importorskip("dask.dataframe")
    mod = importlib.import_module(module)
    missing = [
        name for name in getattr(mod, "__all__", [])
        if not name.startswith("__")
        and not isinstance(getattr(mod, name), type(hospitalytics))  # submodules
        and not _documented(name)
    ]
    assert missing == [], f"{module}: not in docs/api/*.rst: {missing}"


def test_api_reference_lists_every_accessor_method():
    methods = [n for n in dir(hospitalytics.HospitalAccessor) if not n.startswith("_")]
    text = (DOCS / "api" / "accessor.rst").read_text(encoding="utf-8")
    missing = [m for m in methods if f"DataFrame.hospital.{m}\n" not in text]
    assert missing == []


def _rst_problems(text: str) -> list[str]:
    docutils_core = pytest.importorskip("docutils.core")
    import io

    stream = io.StringIO()
    docutils_core.publish_doctree(
        text, settings_overrides={"warning_stream": stream, "report_level": 2,
                                  "halt_level": 5},
    )
    return [line for line in stream.getvalue().splitlines() if line.strip()]


def test_generated_pages_are_valid_rst():
    for text in (hp_pages.aliases_rst(), hp_pages.presets_rst(), hp_pages.changelog_rst()):
        assert _rst_problems(text) == []


def test_changelog_conversion(tmp_path):
    md = tmp_path / "CHANGELOG.md"
    md.write_text(
        "# Changelog\n\nIntro with a [link](https://example.org).\n\n## [Unreleased]\n\n"
        "### Added\n- `df.hospital` accessor, `summary()`s panel and\n  a `*args` wrapped line.\n"
        "- **Bold** and snake_case_words.\n",
        encoding="utf-8",
    )
    rst = hp_pages.changelog_rst(md)
    assert rst.startswith("Changelog\n=========")
    assert "``df.hospital``" in rst and "``*args``" in rst
    assert "`link <https://example.org>`__" in rst
    assert _rst_problems(rst) == []


def test_readme_quotes_the_docs_build_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "sphinx-build -W -b html docs docs/_build/html" in readme


# --------------------------------------------------------------------- offline intersphinx
hp_inventories = importlib.import_module("hp_inventories")
OFFICIAL = {"python": "https://docs.python.org/3/", "pandas": "https://pandas.pydata.org/docs/",
            "numpy": "https://numpy.org/doc/stable/",
            "matplotlib": "https://matplotlib.org/stable/"}


@pytest.mark.parametrize("project", sorted(OFFICIAL))
def test_bundled_inventory_loads_and_points_at_the_official_site(project, tmp_path):
    base, _, entries = hp_inventories.INVENTORIES[project]
    assert base == OFFICIAL[project]
    files = hp_inventories.write_inventories(tmp_path)
    assert files[project] == (base, str(tmp_path / f"{project}.inv"))
    inventory = pytest.importorskip("sphinx.util.inventory")
    with open(files[project][1], "rb") as f:
        loaded = inventory.InventoryFile.load(f, base, lambda b, u: b + u)
    table = loaded.data if hasattr(loaded, "data") else loaded  # Sphinx >= 8.2 / older
    for name, role, uri in entries:
        item = table[role][name]
        url = item[2] if isinstance(item, tuple) else item.uri
        assert url.startswith(base) and " " not in url, (name, url)
        if "$" in uri:
            assert url.endswith("#" + name), url


def test_docs_link_the_types_they_name():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("conf.py"))
    for alias in ('"DataFrame": "pandas.DataFrame"', '"Axes": "matplotlib.axes.Axes"',
                  '"ndarray": "numpy.ndarray"'):
        assert alias in text
    names = {e[0] for _, _, entries in hp_inventories.INVENTORIES.values() for e in entries}
    assert {"pandas.DataFrame", "pandas.Series", "matplotlib.axes.Axes",
            "matplotlib.figure.Figure", "numpy.ndarray", "pathlib.Path"} <= names


# --------------------------------------------------------------------- the built site
def _built_site() -> Path | None:
    import os

    for candidate in (os.environ.get("HOSPITALYTICS_DOCS_HTML"), ROOT / "docs/_build/html"):
        if candidate and (Path(candidate) / "index.html").is_file():
            return Path(candidate)
    return None


CHARTS = ["admission_trend", "volume_by", "los_donut", "age_groups", "occupancy_treemap",
          "occupancy_heatmap", "treatment_breakdown", "spc_chart", "forecast", "kpi_cards",
          "dashboard"]


@pytest.mark.parametrize("chart", CHARTS)
def test_built_chart_page_shows_the_chart(chart):
    site = _built_site()
    if site is None:
        pytest.skip("no docs build at hand (docs/_build/html)")
    page = (site / "api" / "generated" / f"hospitalytics.plots.{chart}.html").read_text(
        encoding="utf-8")
    images = re.findall(r'<img [^>]*src="([^"]*sphx_glr_plot_\w+_001\.png)"', page)
    assert images, chart
    assert (site / "api" / "generated" / images[0]).resolve().is_file(), images[0]


def test_built_site_has_the_new_pages_and_the_copy_button():
    site = _built_site()
    if site is None:
        pytest.skip("no docs build at hand (docs/_build/html)")
    for page in ("why.html", "faq.html", "errors.html", "cookbook/real_exports.html"):
        assert (site / page).is_file(), page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "copybutton" in index
    errors = (site / "errors.html").read_text(encoding="utf-8")
    for cls in ("SchemaError", "DataQualityError", "ArgumentError", "DataQualityWarning"):
        assert f"hospitalytics.errors.{cls}" in errors or f"{cls}:" in errors, cls
