"""
Headline KPI cards
==================

The five headline KPIs from :func:`hospitalytics.summary`: the figure for the period
(here the year to date, with the HCUP length-of-stay convention), the month to date
against the same days of the previous month (day 1 to N against day 1 to N), and the
change, coloured by what it means: blue "better", orange "worse", grey where neither
direction is good in itself. ``cards="all"`` draws all thirteen, grouped.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import kpi_cards

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
ax = kpi_cards(df, beds=beds, currency="£", ytd=True, definitions="hcup")

plt.show()
