"""Run every example script of examples/ and check that it draws its figure."""

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
def test_example_runs_and_draws_a_figure(script, tmp_path, monkeypatch):
    # sphinx-gallery captures the figures the example leaves open (no file saving needed)
    import matplotlib.pyplot as plt

    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setattr(sys, "argv", [str(script)])
    doc = script.read_text(encoding="utf-8").split('"""')[1].strip().splitlines()
    assert len(doc) >= 3 and set(doc[1]) == {"="} and len(doc[1]) >= len(doc[0])  # RST title
    plt.close("all")
    runpy.run_path(str(script), run_name="__main__")
    figures = [plt.figure(n) for n in plt.get_fignums()]
    assert figures
    for i, fig in enumerate(figures):
        fig.savefig(tmp_path / f"figure{i}.png")
        assert (tmp_path / f"figure{i}.png").stat().st_size > 10_000
