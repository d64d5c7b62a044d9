"""
Treatment breakdown: volume and cost
====================================

Admissions (left panel) and total cost (right panel) per treatment type in 2025, on
two panels sharing the treatment axis. Surgery is not the most frequent treatment but is
the most expensive in total.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import treatment_breakdown

df = hp.datasets.load_sample()
ax = treatment_breakdown(df, currency="£", start="2025-01-01", end="2025-12-31")

plt.show()
