"""
Admissions and cost by age group
================================

Admissions (left axis) and total treatment cost (right axis) per age band in 2025, as
paired bars on twin axes, each bar labelled with its value.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import age_groups

df = hp.datasets.load_sample()
ax = age_groups(df, currency="£", start="2025-01-01", end="2025-12-31")

out = Path(os.environ.get("HOSPITALYTICS_EXAMPLES_OUTPUT", Path(__file__).parent / "output"))
out.mkdir(parents=True, exist_ok=True)
ax.figure.savefig(out / "age_groups.png", dpi=110)
plt.show()
