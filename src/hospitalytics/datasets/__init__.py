"""Sample data and synthetic stays for trying hospitalytics out.

:func:`load_sample` returns a bundled mid-size hospital (about 53,000 stays over two years
and a bit, 12 wards of 20-32 beds) and :func:`load_sample_beds` its ward capacities;
:func:`make_stays` generates stays at any size and :func:`make_beds` sizes wards for them.

Examples
--------
>>> from hospitalytics.datasets import make_beds, make_stays
>>> stays = make_stays(500, seed=1)
>>> beds = make_beds(stays)
>>> list(beds.columns)
['ward', 'beds']
"""

from __future__ import annotations

from ._sample import load_sample, load_sample_beds
from ._synthetic import make_beds, make_stays

__all__ = ["load_sample", "load_sample_beds", "make_beds", "make_stays"]
