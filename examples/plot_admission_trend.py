"""
Monthly admission trend
=======================

Admissions and discharges per calendar month over the whole extract, with each year
shaded and named so that winter peaks can be compared from one year to the next. Months
only partly inside the extract are drawn hollow. The numbers are
:func:`hospitalytics.monthly`'s.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import admission_trend

df = hp.datasets.load_sample()
ax = admission_trend(df)

plt.show()
