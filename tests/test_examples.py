"""Run every example script of examples/ and check that it saves its PNG."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("plot_*.py"))


def test_there_is_an_example_per_chart():
    names = {p.stem for p in EXAMPLES}
    for chart in ("admission_trend", "volume_by", "los_donut", "age_groups",
                  "occupancy_treemap", "occupancy_heatmap", "treatment_breakdown",
                  "kpi_cards", "dashboard"):
        assert f"plot_{chart}" in names


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs_and_saves_a_png(script, tmp_path, monkeypatch):
    monkeypatch.setenv("HOSPITALYTICS_EXAMPLES_OUTPUT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setattr(sys, "argv", [str(script)])
    doc = script.read_text(encoding="utf-8").split('"""')[1].strip().splitlines()
    assert len(doc) >= 3 and set(doc[1]) == {"="} and len(doc[1]) >= len(doc[0])  # RST title
    runpy.run_path(str(script), run_name="__main__")
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 10_000
