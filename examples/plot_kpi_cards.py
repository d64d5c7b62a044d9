"""
Headline KPI cards
==================

The headline KPIs month to date, each with its change against the same days of the
previous month (day 1 to N against day 1 to N), from :func:`hospitalytics.summary`.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import kpi_cards

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
ax = kpi_cards(df, beds=beds, currency="£")

out = Path(os.environ.get("HOSPITALYTICS_EXAMPLES_OUTPUT", Path(__file__).parent / "output"))
out.mkdir(parents=True, exist_ok=True)
ax.figure.savefig(out / "kpi_cards.png", dpi=110)
plt.show()
