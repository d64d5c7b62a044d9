"""
Monthly admission trend
=======================

Admissions and discharges per calendar month over the whole extract, with each year
shaded and named so that winter peaks can be compared from one year to the next. Months
only partly inside the extract are drawn hollow. The numbers are
:func:`hospitalytics.monthly`'s.
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import admission_trend

df = hp.datasets.load_sample()
ax = admission_trend(df)

out = Path(os.environ.get("HOSPITALYTICS_EXAMPLES_OUTPUT", Path(__file__).parent / "output"))
out.mkdir(parents=True, exist_ok=True)
ax.figure.savefig(out / "admission_trend.png", dpi=110)
plt.show()
