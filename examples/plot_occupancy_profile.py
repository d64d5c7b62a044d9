"""
When are we full? Occupancy by time of day and weekday
======================================================

The midnight census hides the busiest hours: patients are admitted in the morning and
discharged in the afternoon, so the beds are fullest around midday. This heatmap takes
the census every hour of 2025 and averages it over the days of each weekday, against
the beds available at that time (:func:`hospitalytics.occupancy_profile`). The busiest
cell is outlined and named above the chart; the colour scale names the 85% target and
the 92% planning ceiling.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import occupancy_profile

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
# whole weeks, Monday 6 January to Sunday 14 December 2025
ax = occupancy_profile(df, beds=beds, start="2025-01-06", end="2025-12-14")

plt.show()
