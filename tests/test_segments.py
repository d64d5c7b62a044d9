"""Ward segments: one frame of ward movements gives the stay KPIs and the ward occupancy.

Rows sharing a ``stay_id`` (within their patient) are segments of one stay. The event
KPIs count each stay once (first admission, last discharge, cost once); the census,
bed-days and occupancy read every segment in its own ward. Data shaped like segments
without a stay id is named in a warning. Checked on hand-made frames (values by hand) and
on the MIMIC-IV demo against an independent ``groupby`` collapse.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics.errors import DataQualityWarning


def segments() -> pd.DataFrame:
    """Three stays, five rows.

    P1 stay 10: A Mar 1 08:00 -> B Mar 3 10:00 -> C Mar 5 09:00 -> discharged Mar 8 11:00
               (three back-to-back segments; cost 900 repeated on each row)
    P2 stay 20: A Mar 2 12:00 -> Mar 4 12:00 (one segment, cost 100)
    P1 stay 11: B Mar 20 09:00 -> Mar 22 15:00 (readmission 12 days after stay 10, cost 50)
    """
    return pd.DataFrame({
        "patient_id": ["P1", "P1", "P1", "P2", "P1"],
        "stay_id": [10, 10, 10, 20, 11],
        "admission_date": pd.to_datetime(["2025-03-01 08:00", "2025-03-03 10:00",
                                          "2025-03-05 09:00", "2025-03-02 12:00",
                                          "2025-03-20 09:00"]),
        "discharge_date": pd.to_datetime(["2025-03-03 10:00", "2025-03-05 09:00",
                                          "2025-03-08 11:00", "2025-03-04 12:00",
                                          "2025-03-22 15:00"]),
        "ward": ["A", "B", "C", "A", "B"],
        "treatment": ["Medical", "Medical", "Medical", "Surgical", "Medical"],
        "cost": [900.0, 900.0, 900.0, 100.0, 50.0],
        "age": [70.0, 70.0, 70.0, 40.0, 70.0],
    })


MARCH = ("2025-03-01", "2025-03-31")
AS_OF = {"as_of": "2025-05-31"}  # every 30-day window has closed


def shuffled(df: pd.DataFrame) -> pd.DataFrame:
    return df.sample(frac=1.0, random_state=7)


class TestEventKPIsCountStays:
    def test_admissions_and_discharges(self):
        df = shuffled(segments())
        assert hp.admissions(df, *MARCH) == 3  # not 5
        assert hp.discharges(df, *MARCH) == 3
        # a stay is admitted in its first segment's ward, discharged from its last one's
        assert hp.admissions(df, *MARCH, by="ward").to_dict() == {"A": 2, "B": 1, "C": 0}
        assert hp.discharges(df, *MARCH, by="ward").to_dict() == {"A": 1, "B": 1, "C": 1}

    def test_cost_counted_once(self):
        df = shuffled(segments())
        assert hp.treatment_cost(df, *MARCH) == 900 + 100 + 50  # not 2750
        by = hp.treatment_cost(df, *MARCH, by="ward", basis="discharge")
        assert by.to_dict() == {"A": 100.0, "B": 50.0, "C": 900.0}

    def test_alos_over_whole_stays(self):
        # stay 10: Mar 1 -> Mar 8 = 7 days; stay 20: 2; stay 11: 2 -> 11 / 3
        df = shuffled(segments())
        assert hp.alos(df, *MARCH) == pytest.approx(11 / 3)
        assert hp.alos(df, *MARCH, by="ward")["C"] == pytest.approx(7.0)
        hours = (7 * 24 + 3) / 24 + 2 + (2 * 24 + 6) / 24
        assert hp.alos(df, *MARCH, definitions=hp.Definitions(los_unit="exact")) == (
            pytest.approx(hours / 3))

    def test_readmissions_are_between_stays_not_segments(self):
        df = shuffled(segments())
        # index stays 10, 20, 11: stay 10 readmitted by stay 11 (12 days) -> 1 / 3
        assert hp.readmission_rate(df, *MARCH, **AS_OF) == pytest.approx(1 / 3)

    def test_los_distribution_and_breakdowns(self):
        df = shuffled(segments())
        d = hp.los_distribution(df, *MARCH)
        assert d["stays"].to_dict() == {"0": 0, "1": 0, "2": 2, "3": 0, "4-7": 1, "8-14": 0,
                                        "15-21": 0, "22+": 0}
        t = hp.by_treatment(df, *MARCH)
        assert t.loc["Medical", ["admissions", "patients"]].tolist() == [2, 1]
        assert t.loc["Medical", "total_cost"] == 950.0
        a = hp.by_age_group(df, *MARCH)
        assert a.loc["65-74", "admissions"] == 2

    def test_monthly(self):
        m = hp.monthly(shuffled(segments()), None, *MARCH)
        assert m[["admissions", "discharges"]].iloc[0].tolist() == [3, 3]
        assert m["treatment_cost"].iloc[0] == 1050.0
        assert m["alos"].iloc[0] == pytest.approx(11 / 3)
        # bed-days from the segments: stay 10 Mar 1..7 (7), stay 20 Mar 2..3 (2),
        # stay 11 Mar 20..21 (2)
        assert m["bed_days"].iloc[0] == 11

    def test_census_and_occupancy_use_every_segment(self):
        df = shuffled(segments())
        # A: stay 10 Mar 1, 2; stay 20 Mar 2, 3 -> 4; B: Mar 3, 4 and Mar 20, 21 -> 4;
        # C: Mar 5, 6, 7 -> 3
        assert hp.bed_days(df, *MARCH, by="ward").to_dict() == {"A": 4, "B": 4, "C": 3}
        c = hp.census(df, "2025-03-01", "2025-03-05")
        assert c["A"].tolist() == [1, 2, 1, 0, 0]
        assert c["B"].tolist() == [0, 0, 1, 1, 0]
        assert c["C"].tolist() == [0, 0, 0, 0, 1]
        occ = hp.occupancy_by_ward(df, {"A": 1, "B": 1, "C": 1}, *MARCH)
        assert occ["occupied_bed_days"].tolist() == [4.0, 4.0, 3.0]

    def test_summary_gives_both(self):
        s = hp.summary(shuffled(segments()), {"A": 1, "B": 1, "C": 1}, **AS_OF)
        assert s.loc["admissions", "period"] == 3
        assert s.loc["treatment_cost", "period"] == 1050.0
        assert s.loc["alos", "period"] == pytest.approx(11 / 3)
        assert s.loc["bed_days", "period"] == 11
        assert s.loc["readmission_rate_30d", "period"] == pytest.approx(1 / 3)
        assert s.loc["bed_turnover", "period"] > 0

    def test_unique_stay_ids_change_nothing(self):
        stays = hp.datasets.load_sample()
        with_ids = stays.assign(stay_id=np.arange(len(stays)))
        pd.testing.assert_frame_equal(hp.summary(with_ids), hp.summary(stays))
        pd.testing.assert_series_equal(hp.alos(with_ids, by="ward"), hp.alos(stays, by="ward"))

    def test_input_not_mutated(self):
        df = segments()
        before = df.copy()
        hp.summary(df)
        hp.treatment_cost(df)
        pd.testing.assert_frame_equal(df, before)


class TestStayRules:
    def test_open_segment_keeps_the_stay_open(self):
        df = segments()
        df.loc[2, "discharge_date"] = pd.NaT  # still in ward C
        assert hp.discharges(df, *MARCH) == 2
        assert hp.alos(df, *MARCH) == pytest.approx(2.0)
        # in hospital since Mar 1, in ward C now: 31 days at the end of Mar 31
        ls = hp.long_stays(df, (31, 32), as_of="2025-03-31", by="ward")
        assert ls.loc["C"].tolist() == [1, 0]
        assert ls.loc["A"].tolist() == [0, 0]

    def test_stay_ids_are_per_patient(self):
        # visit numbers restart for each patient: P1's visit 1 and P2's visit 1 are two stays
        df = segments().assign(stay_id=[1, 1, 1, 1, 2])
        assert hp.admissions(df, *MARCH) == 3

    def test_stay_ids_compared_as_text(self):
        # 10, "10" and " 10.0" are one stay (as Dask, which makes object columns text, sees)
        df = segments().assign(stay_id=pd.array([10, "10", " 10.0", 20, 11], dtype=object))
        assert hp.admissions(df, *MARCH) == 3

    def test_missing_stay_id_is_a_stay_of_its_own(self):
        df = segments().assign(stay_id=[10.0, 10.0, 10.0, np.nan, np.nan])
        assert hp.admissions(df, *MARCH) == 3

    def test_segments_with_different_costs_warn(self):
        df = segments()
        df.loc[1, "cost"] = 500.0
        with pytest.warns(DataQualityWarning, match="1 stay.*different costs.*first segment"):
            total = hp.treatment_cost(df, *MARCH)
        assert total == 900 + 100 + 50
        with pytest.warns(DataQualityWarning, match="different costs"):
            hp.summary(df)

    def test_cost_on_the_first_segment_only(self):
        df = segments()
        df.loc[[1, 2], "cost"] = np.nan  # the stay's total on its first segment
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert hp.treatment_cost(df, *MARCH) == 1050.0


class TestSegmentShapeWithoutStayId:
    def test_warns_with_cause_and_fix(self):
        df = segments().drop(columns="stay_id")
        with pytest.warns(DataQualityWarning, match=r"look like ward segments.*'stay_id'"):
            hp.readmission_rate(df, *MARCH, **AS_OF)
        with pytest.warns(DataQualityWarning, match="ward segments"):
            hp.summary(df)

    def test_reaches_the_report_notes(self):
        from hospitalytics.report import build_report

        rep = build_report(segments().drop(columns="stay_id"))
        assert any("look like ward segments" in n for n in rep.notes)

    def test_stays_and_dates_alone_do_not_warn(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            hp.summary(segments())  # the stay id declares the segments
            hp.summary(hp.datasets.load_sample())
            dates = segments().drop(columns="stay_id")
            for col in ("admission_date", "discharge_date"):
                dates[col] = dates[col].dt.normalize()
            hp.readmission_rate(dates, **AS_OF)  # same-day readmissions look the same


# --------------------------------------------------------------------- MIMIC-IV demo
@pytest.fixture
def mimic(shared_data):
    from hospitalytics.adapters import from_mimic

    hosp = shared_data / "mimic-iv-demo" / "hosp"
    if not (hosp / "transfers.csv.gz").exists():
        pytest.skip("MIMIC-IV demo not available")
    tables = [pd.read_csv(hosp / f"{t}.csv.gz") for t in ("admissions", "transfers",
                                                           "patients")]
    return from_mimic(*tables), from_mimic(*tables, level="segment")


def _collapse(seg: pd.DataFrame) -> pd.DataFrame:
    """An independent route: one row per stay by a pandas groupby."""
    first = seg.sort_values(["stay_id", "admission_date"]).groupby("stay_id").first()
    last = seg.sort_values(["stay_id", "discharge_date"]).groupby("stay_id").last()
    out = seg.groupby("stay_id").agg(admission_date=("admission_date", "min"),
                                     discharge_date=("discharge_date", "max"))
    out["patient_id"] = first["patient_id"]
    out["ward"] = first["ward"]
    if "discharge_disposition" in seg:  # MIMIC's discharge_location, the stay's
        out["discharge_disposition"] = last["discharge_disposition"]
    return out.reset_index()


@pytest.mark.realdata
def test_mimic_segments_give_the_stays(mimic):
    stays, seg = mimic
    assert len(seg) == 616 and seg["stay_id"].nunique() == 252
    ref = _collapse(seg)
    # 252 of the 275 stays reached a bed ward (23 never left the ED observation units)
    reached = stays[stays["stay_id"].isin(seg["stay_id"])]
    assert hp.admissions(seg) == hp.admissions(ref) == len(reached) == 252
    assert hp.discharges(seg) == 252
    assert hp.alos(seg) == pytest.approx(hp.alos(ref))
    assert hp.readmission_rate(seg) == pytest.approx(hp.readmission_rate(ref))
    # the stays' own readmission rate: the same patients, the same next admissions
    crude = {"follow_up": "partial", "exclude_dispositions": False}
    assert hp.readmission_rate(seg, **crude) == pytest.approx(
        hp.readmission_rate(reached, **crude))
    # counted as stays, the segments gave 616 admissions and a 67% readmission rate
    with pytest.warns(DataQualityWarning, match="217 of 616 rows look like ward segments"):
        assert hp.readmission_rate(seg.drop(columns="stay_id"), **crude) > 0.6


@pytest.mark.realdata
def test_mimic_segments_give_the_ward_occupancy(mimic):
    _, seg = mimic
    lo, hi = pd.Timestamp("2150-01-01"), pd.Timestamp("2159-12-31")
    days = pd.date_range(lo, hi, freq="D")
    a, d = seg["admission_date"].dt.normalize(), seg["discharge_date"].dt.normalize()
    ward = seg["ward"].astype(str)
    beds = dict.fromkeys(sorted(ward.unique()), 2)
    occ = hp.occupancy_by_ward(seg, beds, lo, hi)
    for w in ("Medicine", "Medical Intensive Care Unit (MICU)"):
        mine = ward == w
        # bed-days = Σ over segments of the days in [lo, hi] with date(adm) <= day < date(dis)
        expected = int(((d[mine].clip(upper=hi + pd.Timedelta(days=1))
                         - a[mine].clip(lower=lo)).dt.days.clip(lower=0)).sum())
        assert expected > 0
        assert occ.loc[w, "occupied_bed_days"] == expected
        assert occ.loc[w, "available_bed_days"] == 2 * len(days)
    # one frame, both answers: the panel counts stays and reads occupancy from segments
    s = hp.summary(seg, beds)
    assert s.loc["admissions", "period"] == 252
    assert s.loc["bed_days", "period"] == hp.bed_days(seg)
    assert not math.isnan(s.loc["occupancy", "period"])
