"""
Admissions by department
========================

Admissions per department in 2025, as sorted bars labelled with their counts. ``by=``
switches to wards or locations; ``top=`` groups a long tail into one "Other" bar.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import volume_by

df = hp.datasets.load_sample()
ax = volume_by(df, by="department", start="2025-01-01", end="2025-12-31")

plt.show()
