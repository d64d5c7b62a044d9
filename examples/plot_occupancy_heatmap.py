"""
Bed occupancy by ward and month: heatmap
========================================

Occupancy of every ward in every month of 2025 on the same stepped colour scale as the
treemap, so that wards running above the 92% ceiling month after month stand out.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import occupancy_heatmap

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
ax = occupancy_heatmap(df, beds=beds, start="2025-01-01", end="2025-12-31")

out = Path(os.environ.get("HOSPITALYTICS_EXAMPLES_OUTPUT", Path(__file__).parent / "output"))
out.mkdir(parents=True, exist_ok=True)
ax.figure.savefig(out / "occupancy_heatmap.png", dpi=110)
plt.show()
