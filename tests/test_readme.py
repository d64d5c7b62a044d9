"""The README's tour output is real: its ``>>>`` lines run against the bundled sample."""

from __future__ import annotations

import doctest
from pathlib import Path

import hospitalytics as hp

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_tour_output_is_what_the_library_prints():
    globs = {
        "hp": hp,
        "df": hp.datasets.load_sample(),
        "beds": hp.datasets.load_sample_beds(),
    }
    result = doctest.testfile(
        str(README),
        module_relative=False,
        globs=globs,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert result.attempted >= 4
    assert result.failed == 0


def test_readme_names_the_two_set_up_commands():
    text = README.read_text()
    assert "hospitalytics report --sample -o report.html" in text
    assert '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest' in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert '.venv/bin/pip install -q -e ".[test]" && .venv/bin/python -m pytest' in ci
