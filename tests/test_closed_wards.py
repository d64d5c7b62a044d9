"""A ward with patients but no beds in the period is left out of pooled occupancy, with a word.

By hand: wards A (4 beds) and B (0 beds), two patients each from 1 to 11 January 2024.
Over 1-10 January each ward has 20 occupied bed-days (midnight census); A has 40 available.
B's patients have no beds they could fill: counting them against A's beds would say 100%.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics.errors import DataQualityError, DataQualityWarning

BEDS = {"A": 4, "B": 0}


@pytest.fixture
def stays() -> pd.DataFrame:
    return pd.DataFrame({
        "patient_id": [1, 2, 3, 4],
        "admission_date": pd.to_datetime(["2024-01-01"] * 4),
        "discharge_date": pd.to_datetime(["2024-01-11"] * 4),
        "ward": ["A", "A", "B", "B"],
    })


def test_pooled_occupancy_leaves_out_a_ward_with_no_beds(stays):
    with pytest.warns(DataQualityWarning, match=r"B \[no beds in the period\] \(20 bed-days\)"):
        occ = hp.occupancy(stays, BEDS, "2024-01-01", "2024-01-10")
    assert occ == pytest.approx(20 / 40)
    with pytest.warns(DataQualityWarning, match="no beds in the period"):
        table = hp.occupancy_by_ward(stays, BEDS, "2024-01-01", "2024-01-10")
    assert table.loc["A", "occupancy"] == pytest.approx(0.5)
    assert table.loc["B", "occupied_bed_days"] == 20  # shown, never dropped
    assert pd.isna(table.loc["B", "occupancy"])
    with pytest.raises(DataQualityError, match="no beds in the period"):
        hp.occupancy(stays, BEDS, "2024-01-01", "2024-01-10", strict=True)


def test_summary_and_monthly_agree_with_occupancy(stays):
    with pytest.warns(DataQualityWarning, match="no beds in the period"):
        s = hp.summary(stays, beds=BEDS, start="2024-01-01", end="2024-01-10",
                       as_of="2024-01-10")
    assert s.loc["occupancy", "period"] == pytest.approx(0.5)
    with pytest.warns(DataQualityWarning, match="no beds in the period"):
        m = hp.monthly(stays, beds=BEDS, start="2024-01-01", end="2024-01-10")
    assert m["occupancy"].iloc[0] == pytest.approx(0.5)
    assert m["bed_days"].iloc[0] == 40  # every bed-day still counted as a bed-day


def test_a_ward_with_beds_is_pooled_as_before(stays):
    with pytest.warns(DataQualityWarning, match="no beds") as rec:
        hp.occupancy(stays, {"A": 4, "B": 0}, "2024-01-01", "2024-01-10")
    assert len(rec) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        occ = hp.occupancy(stays, {"A": 4, "B": 4}, "2024-01-01", "2024-01-10")
    assert occ == pytest.approx(40 / 80)
