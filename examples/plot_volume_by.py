"""
Admissions by department
========================

Admissions per department in 2025, as sorted bars labelled with their counts. ``by=``
switches to wards or locations; ``top=`` groups a long tail into one "Other" bar.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import volume_by

df = hp.datasets.load_sample()
ax = volume_by(df, by="department", start="2025-01-01", end="2025-12-31")

out = Path(os.environ.get("HOSPITALYTICS_EXAMPLES_OUTPUT", Path(__file__).parent / "output"))
out.mkdir(parents=True, exist_ok=True)
ax.figure.savefig(out / "volume_by.png", dpi=110)
plt.show()
