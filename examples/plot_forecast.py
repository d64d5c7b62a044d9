"""
Forecast: beds in use over the next four weeks
==============================================

The midnight census of the last three months, then its forecast for the next 28 days:
the expected number of beds in use (dashed) with 80% and 95% intervals, against the beds
available. The patients already in hospital leave as the length-of-stay curve says,
given how long they have been in; new admissions arrive as the admissions forecast says.
The subtitle gives the highest daily chance that demand exceeds the beds. Needs the
optional statsmodels: ``pip install "hospitalytics[forecast]"``.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import forecast

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()

fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 8), layout="constrained")
forecast(df, beds=beds, ax=top)  # the whole hospital
forecast(df, group="Medical 1", beds=beds, ax=bottom)  # one ward

plt.show()
