"""
Headline KPI cards
==================

The five headline KPIs from :func:`hospitalytics.summary`: the figure for the period
(here the year to date, with the HCUP length-of-stay convention), the month to date
against the same days of the previous month (day 1 to N against day 1 to N), and the
change, coloured by what it means: blue "better", orange "worse", grey where neither
direction is good in itself. ``cards="all"`` draws all thirteen, grouped.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import kpi_cards

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
ax = kpi_cards(df, beds=beds, currency="£", ytd=True, definitions="hcup")

out = Path(os.environ.get("HOSPITALYTICS_EXAMPLES_OUTPUT", Path(__file__).parent / "output"))
out.mkdir(parents=True, exist_ok=True)
ax.figure.savefig(out / "kpi_cards.png", dpi=110)
plt.show()
