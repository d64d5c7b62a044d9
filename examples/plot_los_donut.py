"""
Length-of-stay distribution
===========================

Discharged stays of 2025 per length-of-stay band (nights), as a donut with the share of
each band. The bands are :func:`hospitalytics.los_distribution`'s defaults.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import los_donut

df = hp.datasets.load_sample()
ax = los_donut(df, start="2025-01-01", end="2025-12-31")

plt.show()
