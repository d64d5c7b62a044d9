"""
Length-of-stay distribution
===========================

Discharged stays of 2025 per length-of-stay band (nights), as a donut with the share of
each band. The bands are :func:`hospitalytics.los_distribution`'s defaults.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import los_donut

df = hp.datasets.load_sample()
ax = los_donut(df, start="2025-01-01", end="2025-12-31")

out = Path(os.environ.get("HOSPITALYTICS_EXAMPLES_OUTPUT", Path(__file__).parent / "output"))
out.mkdir(parents=True, exist_ok=True)
ax.figure.savefig(out / "los_donut.png", dpi=110)
plt.show()
