"""
Admissions and cost by age group
================================

Admissions (left panel) and total treatment cost (right panel) per age band in 2025:
two panels sharing the age axis, each on its own scale, each bar labelled with its value.
Without a cost column the chart draws the admissions panel alone.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import age_groups

df = hp.datasets.load_sample()
ax = age_groups(df, currency="£", start="2025-01-01", end="2025-12-31")

plt.show()
