"""
Statistical process control: bed occupancy against its process limits
======================================================================

Monthly bed occupancy of the sample hospital on an XmR chart in the NHS *Making Data
Count* style: the mean, dashed process limits, common-cause months grey, special causes
blue (improving, here lower occupancy) or orange (concerning), and the 85% target
dash-dotted. The subtitle says in words whether the latest month is a special cause and
whether the target will be met. The numbers are :func:`hospitalytics.kpi_spc`'s.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp
from hospitalytics.plots import spc_chart

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
res = hp.kpi_spc(df, "occupancy", beds=beds, improvement="down", target=0.85)
ax = spc_chart(res)

plt.show()
