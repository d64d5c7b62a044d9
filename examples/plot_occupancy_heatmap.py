"""
Bed occupancy by ward and month: heatmap
========================================

Occupancy of every ward in every month of 2025 on the same stepped colour scale as the
treemap, so that wards running above the 92% ceiling month after month stand out.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import occupancy_heatmap

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
ax = occupancy_heatmap(df, beds=beds, start="2025-01-01", end="2025-12-31")

plt.show()
