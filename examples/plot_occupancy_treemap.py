"""
Bed occupancy by ward: treemap
==============================

One tile per ward: its area is the ward's available bed-days, its colour the ward's
occupancy over the last quarter, on a stepped scale that names the 85% target and the
92% NHS planning ceiling.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import occupancy_treemap

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
ax = occupancy_treemap(df, beds=beds, start="2025-09-01", end="2025-11-30")

plt.show()
