"""The README's picture of the report is what the report draws now.

``docs/_ext/make_readme_image.py --check`` recomputes the picture's fingerprint (the
sample's data and the report's KPI panel), redraws it and compares the size; pixels are
not compared, as they change with the matplotlib version. When this fails, run
``python docs/_ext/make_readme_image.py`` and commit ``docs/_static/report.png``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "_ext" / "make_readme_image.py"


def _load():
    spec = importlib.util.spec_from_file_location("make_readme_image", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SCRIPT = _load()


def _script():
    return _SCRIPT  # one module, so the picture is redrawn once per test run


def test_readme_shows_the_picture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/_static/report.png)" in readme
    picture = ROOT / "docs" / "_static" / "report.png"
    assert 20_000 < picture.stat().st_size < 300_000


@pytest.mark.slow
def test_readme_picture_is_current():
    problems = _script().check()
    assert problems == [], (
        f"{problems}: run python docs/_ext/make_readme_image.py and commit the picture"
    )


def test_check_notices_a_stale_picture(tmp_path):
    pytest.importorskip("PIL")
    from PIL import Image, PngImagePlugin

    script = _script()
    stale = tmp_path / "report.png"
    info = PngImagePlugin.PngInfo()
    info.add_text(script.KEY, "0000000000000000")
    Image.new("RGB", (script.WIDTH, 400), "white").save(stale, pnginfo=info)
    problems = script.check(stale)
    assert any("shows other data" in p for p in problems)
    assert any("the report now draws" in p for p in problems)
    assert script.check(tmp_path / "missing.png") == [f"{tmp_path / 'missing.png'} is missing"]
