"""
One-page dashboard
==================

The KPI cards and the six standard charts on one page, through the accessor
(``df.hospital.plot.dashboard``). Every panel reads the same period and definitions
(here 2025 under HCUP's length-of-stay convention). The figure saves as PNG, SVG or PDF
alike.
"""

import matplotlib.pyplot as plt

import hospitalytics as hp

df = hp.datasets.load_sample()
beds = hp.datasets.load_sample_beds()
fig = df.hospital.plot.dashboard(beds=beds, currency="£", start="2025-01-01",
                                 definitions="hcup")

plt.show()
