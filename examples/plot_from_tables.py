"""
Charts from tables you already have
===================================

Every chart is a KPI call followed by a ``draw_<chart>`` function that draws the KPI's
result. Call the ``draw_`` functions to draw tables computed once (as the report does),
or tables you changed: here the admissions per location year to date, next to the
length-of-stay distribution of the same period.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import draw_los_donut, draw_volume_by

df = hp.datasets.load_sample()
by_location = hp.admissions(df, by="location", ytd=True)
los = hp.los_distribution(df, ytd=True)

fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.5), layout="constrained")
draw_volume_by(by_location, by="location", ax=left)
draw_los_donut(los, ax=right)

plt.show()
