"""
Seasonality: one line per year
==============================

The same monthly admissions, one line per calendar year over January to December
(discharges dashed), to compare the same months of different years directly. An area
version is one argument away: ``kind="area"``.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import admission_trend

df = hp.datasets.load_sample()
ax = admission_trend(df, overlay=True)

plt.show()
