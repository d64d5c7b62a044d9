"""Hand-computed tests of every KPI in hospitalytics.kpis.

Every expected value is worked out in a comment from tiny frames written here. Dates are
in 2025 (February has 28 days). The midnight census rule: a stay occupies a bed on day d
when date(admission) <= d < date(discharge); open stays through the as-of date.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics import kpis
from hospitalytics.definitions import Definitions
from hospitalytics.errors import ArgumentError, DataQualityError, DataQualityWarning

MARCH = ("2025-03-01", "2025-03-31")


def stays_frame() -> pd.DataFrame:
    """Six stays around March 2025 (date-only).

    s1 P1 A  Feb 25 -> Mar 03   began before March: LOS 6; March bed-days Mar 1, 2 = 2
    s2 P2 A  Mar 05 -> Mar 05   same-day: LOS 1 (who) / 0 (hcup); 0 bed-days
    s3 P1 B  Mar 10 -> Mar 14   LOS 4; bed-days Mar 10..13 = 4
    s4 P3 B  Mar 28 -> Apr 04   LOS 7; March bed-days Mar 28..31 = 4; April Apr 1..3 = 3
    s5 P4 -  Mar 30 -> open     no ward; open through the as-of date (Apr 4): Mar 30..Apr 4
    s6 P5 C  Apr 02 -> Apr 03   LOS 1; bed-day Apr 2

    The latest date in the data is Apr 4 (s4's discharge): the default as-of date.
    """
    return pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P1", "P3", "P4", "P5"],
            "admission_date": pd.to_datetime(
                ["2025-02-25", "2025-03-05", "2025-03-10", "2025-03-28", "2025-03-30",
                 "2025-04-02"]
            ),
            "discharge_date": pd.to_datetime(
                ["2025-03-03", "2025-03-05", "2025-03-14", "2025-04-04", None, "2025-04-03"]
            ),
            "ward": ["A", "A", "B", "B", None, "C"],
            "location": ["North", "North", "South", "South", "North", None],
            "treatment": ["Medical", "Day case", "Surgical", "Surgical", "Medical", "Medical"],
            "cost": [100.0, 50.0, 200.0, 300.0, 400.0, 80.0],
            "age": [30.0, 70.0, 10.0, 50.0, np.nan, 90.0],
        }
    )


def timed_frame() -> pd.DataFrame:
    """The same six stays with times of day (calendar dates unchanged)."""
    df = stays_frame()
    df["admission_date"] = pd.to_datetime(
        ["2025-02-25 22:00", "2025-03-05 09:00", "2025-03-10 23:30", "2025-03-28 12:00",
         "2025-03-30 01:00", "2025-04-02 10:00"]
    )
    df["discharge_date"] = pd.to_datetime(
        ["2025-03-03 08:00", "2025-03-05 15:00", "2025-03-14 00:30", "2025-04-04 12:00",
         None, "2025-04-03 10:00"]
    )
    return df


BEDS = {"A": 2, "B": 3, "D": 1}  # D has beds and no stays; C has stays and no beds


@pytest.fixture
def df() -> pd.DataFrame:
    return stays_frame()


def as_dict(series: pd.Series) -> dict:
    return {str(k): v for k, v in series.items()}


# ------------------------------------------------------------------ admissions
class TestAdmissions:
    def test_period(self, df):
        # admitted in March: s2, s3, s4, s5 (s1 began in February)
        assert hp.admissions(df, *MARCH) == 4
        assert isinstance(hp.admissions(df, *MARCH), int)

    def test_unbounded_is_everything_through_as_of(self, df):
        assert hp.admissions(df) == 6

    def test_start_only_and_end_only(self, df):
        assert hp.admissions(df, start="2025-03-29") == 2  # s5 (Mar 30), s6 (Apr 2)
        assert hp.admissions(df, end="2025-03-05") == 2  # s1, s2

    def test_bounds_are_inclusive_dates(self, df):
        # a timestamp end with a time of day still means the whole day
        assert hp.admissions(df, "2025-03-05", pd.Timestamp("2025-03-05 00:00")) == 1
        assert hp.admissions(df, "2025-03-10", "2025-03-10") == 1

    def test_by_ward_with_missing_group(self, df):
        # A: s2; B: s3, s4; C: none in March (kept as 0); (missing): s5
        out = hp.admissions(df, *MARCH, by="ward")
        assert as_dict(out) == {"A": 1, "B": 2, "C": 0, "(missing)": 1}
        assert out.index.name == "ward"
        assert out.name == "admissions"
        assert out.sum() == hp.admissions(df, *MARCH)

    def test_by_two_keys(self, df):
        # (ward, location): (A, North) s2, (B, South) s3 s4, ((missing), North) s5
        out = hp.admissions(df, *MARCH, by=["ward", "location"])
        assert out.index.names == ["ward", "location"]
        got = {k: v for k, v in out.items() if v}
        assert got == {("A", "North"): 1, ("B", "South"): 2, ("(missing)", "North"): 1}
        assert out.sum() == 4

    def test_by_missing_label_sorts_last_for_two_keys(self, df):
        out = hp.admissions(df, by=["ward", "location"])
        assert out.index[-1][0] == "(missing)" or out.index[-1][1] == "(missing)"
        assert [k[0] for k in out.index] == sorted(
            [k[0] for k in out.index], key=lambda w: (w == "(missing)", w)
        )

    def test_by_unknown_role(self, df):
        with pytest.raises(ArgumentError, match="grouping role"):
            hp.admissions(df, by="colour")

    def test_mtd_qtd_ytd(self, df):
        # as of Apr 4 (latest date): MTD = QTD = Apr 1..4 -> s6; YTD = Jan 1..Apr 4 -> all
        assert hp.admissions(df, mtd=True) == 1
        assert hp.admissions(df, qtd=True) == 1
        assert hp.admissions(df, ytd=True) == 6
        # as of Mar 31: MTD = March -> 4; QTD = YTD = Jan 1..Mar 31 -> 5
        assert hp.admissions(df, mtd=True, as_of="2025-03-31") == 4
        assert hp.admissions(df, qtd=True, as_of="2025-03-31") == 5

    def test_mtd_with_start_is_an_error(self, df):
        with pytest.raises(ArgumentError):
            hp.admissions(df, "2025-03-01", mtd=True)
        with pytest.raises(ArgumentError):
            hp.admissions(df, mtd=True, ytd=True)

    def test_explicit_as_of_earlier_than_data(self, df):
        # as of Mar 12, stays admitted later (s4, s5, s6) do not exist yet
        assert hp.admissions(df, as_of="2025-03-12") == 3
        # a period reaching past the as-of date stops at it
        assert hp.admissions(df, *MARCH, as_of="2025-03-12") == 2

    def test_empty_period(self, df):
        assert hp.admissions(df, "2025-01-01", "2025-01-31") == 0
        assert as_dict(hp.admissions(df, "2025-01-01", "2025-01-31", by="ward")) == {
            "A": 0, "B": 0, "C": 0, "(missing)": 0,
        }

    def test_empty_frame(self, df):
        empty = df.iloc[:0]
        assert hp.admissions(empty, as_of="2025-03-01") == 0
        assert hp.admissions(empty) == 0

    def test_raw_frame_with_string_dates(self, df):
        raw = pd.DataFrame(
            {
                "Date of Admission": df["admission_date"].dt.strftime("%Y-%m-%d"),
                "Discharge Date": df["discharge_date"].dt.strftime("%Y-%m-%d"),
                "Ward": df["ward"],
            }
        )
        assert hp.admissions(raw, *MARCH) == 4
        assert hp.discharges(raw, *MARCH) == 3

    def test_not_a_frame(self):
        with pytest.raises(ArgumentError, match="DataFrame"):
            hp.admissions([1, 2, 3])


# ------------------------------------------------------------------ discharges
class TestDischarges:
    def test_period(self, df):
        # discharged in March: s1 (Mar 3), s2 (Mar 5), s3 (Mar 14)
        assert hp.discharges(df, *MARCH) == 3

    def test_open_stays_never_discharge(self, df):
        # all: s1, s2, s3, s4, s6 (s5 is open)
        assert hp.discharges(df) == 5

    def test_by_ward(self, df):
        out = hp.discharges(df, *MARCH, by="ward")
        assert as_dict(out) == {"A": 2, "B": 1, "C": 0, "(missing)": 0}

    def test_as_of_discharges_after_it_have_not_happened(self, df):
        # as of Mar 12: s1 and s2 discharged; s3 (Mar 14) is still in hospital
        assert hp.discharges(df, *MARCH, as_of="2025-03-12") == 2
        assert hp.discharges(df, *MARCH, as_of="2025-03-14") == 3

    def test_mtd(self, df):
        # as of Apr 4: Apr 1..4 -> s4 (Apr 4), s6 (Apr 3)
        assert hp.discharges(df, mtd=True) == 2

    def test_empty_period(self, df):
        assert hp.discharges(df, "2025-01-01", "2025-01-31") == 0


# ----------------------------------------------------------------- cost
class TestTreatmentCost:
    def test_admission_basis(self, df):
        # s2 + s3 + s4 + s5 = 50 + 200 + 300 + 400
        assert hp.treatment_cost(df, *MARCH) == pytest.approx(950.0)

    def test_discharge_basis(self, df):
        # s1 + s2 + s3 = 100 + 50 + 200
        assert hp.treatment_cost(df, *MARCH, basis="discharge") == pytest.approx(350.0)

    def test_by_ward(self, df):
        out = hp.treatment_cost(df, *MARCH, by="ward")
        assert as_dict(out) == {"A": 50.0, "B": 500.0, "C": 0.0, "(missing)": 400.0}

    def test_bad_basis(self, df):
        with pytest.raises(ArgumentError, match="basis"):
            hp.treatment_cost(df, basis="admitted")

    def test_missing_cost_warns_and_is_left_out(self, df):
        df.loc[2, "cost"] = np.nan  # s3
        with pytest.warns(DataQualityWarning, match="1 stay") as rec:
            total = hp.treatment_cost(df, *MARCH)
        assert total == pytest.approx(750.0)
        assert rec[0].filename == __file__  # the warning points at the caller

    def test_empty_period(self, df):
        assert hp.treatment_cost(df, "2025-01-01", "2025-01-31") == 0.0


# ------------------------------------------------------------------ ALOS
class TestAlos:
    def test_who_default(self, df):
        # discharged in March: s1 6, s2 same-day = 1, s3 4 -> 11 / 3
        assert hp.alos(df, *MARCH) == pytest.approx(11 / 3)
        assert hp.alos(df, *MARCH, definitions="who") == pytest.approx(11 / 3)

    def test_hcup_same_day_is_zero(self, df):
        # 6 + 0 + 4 = 10 over 3
        assert hp.alos(df, *MARCH, definitions="hcup") == pytest.approx(10 / 3)

    def test_oecd_excludes_same_day(self, df):
        # s1 6, s3 4 -> 5
        assert hp.alos(df, *MARCH, definitions="oecd") == pytest.approx(5.0)

    def test_exclude_same_day_with_who_los(self, df):
        defs = Definitions(exclude_same_day=True)
        assert hp.alos(df, *MARCH, definitions=defs) == pytest.approx(5.0)

    def test_admissions_basis(self, df):
        # admitted in March and discharged by the as-of date (Apr 4): s2 1, s3 4, s4 7 -> 4
        defs = Definitions(alos_basis="admissions")
        assert hp.alos(df, *MARCH, definitions=defs) == pytest.approx(4.0)
        # as of Mar 31, s4 is still open and has no LOS: (1 + 4) / 2
        assert hp.alos(df, *MARCH, definitions=defs, as_of="2025-03-31") == pytest.approx(2.5)

    def test_exact_on_date_only_data(self, df):
        # exact days from midnights: 6, 0, 4
        defs = Definitions(los_unit="exact")
        assert hp.alos(df, *MARCH, definitions=defs) == pytest.approx(10 / 3)

    def test_timed_calendar_matches_date_only(self):
        # calendar LOS ignores the time of day: still 6, 1, 4
        assert hp.alos(timed_frame(), *MARCH) == pytest.approx(11 / 3)

    def test_timed_exact(self):
        # s1 Feb 25 22:00 -> Mar 3 08:00 = 6 d - 14 h = 5 + 10/24
        # s2 09:00 -> 15:00 = 0.25; s3 Mar 10 23:30 -> Mar 14 00:30 = 3 + 1/24
        defs = Definitions(los_unit="exact")
        expected = (5 + 10 / 24 + 0.25 + 3 + 1 / 24) / 3
        assert hp.alos(timed_frame(), *MARCH, definitions=defs) == pytest.approx(expected)

    def test_by_ward(self, df):
        # A: s1 6, s2 1 -> 3.5; B: s3 4; C and (missing): nothing discharged -> NaN
        out = hp.alos(df, *MARCH, by="ward")
        assert out["A"] == pytest.approx(3.5)
        assert out["B"] == pytest.approx(4.0)
        assert math.isnan(out["C"]) and math.isnan(out["(missing)"])

    def test_as_of_earlier(self, df):
        # as of Mar 12: s1 6 and s2 1 discharged -> 3.5
        assert hp.alos(df, *MARCH, as_of="2025-03-12") == pytest.approx(3.5)

    def test_empty_period_is_nan_without_warning(self, df):
        assert math.isnan(hp.alos(df, "2025-01-01", "2025-01-31"))
        out = hp.alos(df, "2025-01-01", "2025-01-31", by="ward")
        assert out.isna().all()

    def test_only_same_day_stays_under_oecd_is_nan(self, df):
        assert math.isnan(hp.alos(df, "2025-03-05", "2025-03-05", definitions="oecd"))

    def test_unknown_preset(self, df):
        with pytest.raises(ArgumentError, match="preset"):
            hp.alos(df, definitions="nhs")


# --------------------------------------------------------- bed-days and census
class TestBedDays:
    def test_march(self, df):
        # s1 2 (Mar 1, 2: began before March), s2 0, s3 4, s4 4, s5 2 (Mar 30, 31)
        assert hp.bed_days(df, *MARCH) == 12

    def test_day_case_bed_day(self, df):
        # s2 adds one day-case bed-day
        defs = Definitions(day_case_bed_day=True)
        assert hp.bed_days(df, *MARCH, definitions=defs) == 13

    def test_by_ward(self, df):
        out = hp.bed_days(df, *MARCH, by="ward")
        assert as_dict(out) == {"A": 2, "B": 8, "C": 0, "(missing)": 2}

    def test_whole_span(self, df):
        # s1 6, s2 0, s3 4, s4 7, s5 6 (Mar 30..Apr 4), s6 1
        assert hp.bed_days(df) == 24

    def test_as_of_earlier(self, df):
        # as of Mar 12: s1 2 in March, s3 open Mar 10..12 = 3
        assert hp.bed_days(df, *MARCH, as_of="2025-03-12") == 5

    def test_timed_data_same_as_date_only(self):
        assert hp.bed_days(timed_frame(), *MARCH) == 12

    def test_average_daily_census(self, df):
        assert hp.average_daily_census(df, *MARCH) == pytest.approx(12 / 31)
        out = hp.average_daily_census(df, *MARCH, by="ward")
        assert out["B"] == pytest.approx(8 / 31)

    def test_empty_period(self, df):
        assert hp.bed_days(df, "2025-01-01", "2025-01-31") == 0
        assert hp.average_daily_census(df, "2025-01-01", "2025-01-31") == 0.0


class TestCensus:
    def test_index_columns_and_total(self, df):
        c = hp.census(df, *MARCH)
        assert isinstance(c.index, pd.DatetimeIndex)
        assert c.index.name == "date"
        assert len(c) == 31
        assert c.index[0] == pd.Timestamp("2025-03-01")
        assert c.index[-1] == pd.Timestamp("2025-03-31")
        assert [str(x) for x in c.columns] == ["A", "B", "C", "(missing)", "total"]
        assert (c.drop(columns="total").sum(axis=1) == c["total"]).all()
        assert int(c["total"].sum()) == 12

    def test_days(self, df):
        t = hp.census(df, *MARCH)["total"]
        # Mar 1: s1; Mar 3: s1 gone (discharge day not counted); Mar 5: s2 never at midnight
        assert t["2025-03-01"] == 1 and t["2025-03-02"] == 1 and t["2025-03-03"] == 0
        assert t["2025-03-05"] == 0
        # s3 Mar 10..13
        assert t["2025-03-10"] == 1 and t["2025-03-13"] == 1 and t["2025-03-14"] == 0
        # s4 from Mar 28, s5 from Mar 30
        assert t["2025-03-29"] == 1 and t["2025-03-30"] == 2 and t["2025-03-31"] == 2

    def test_unbounded_runs_first_admission_to_as_of(self, df):
        c = hp.census(df, by=None)
        # Feb 25 .. Apr 4 = 4 + 31 + 4 days
        assert list(c.columns) == ["total"]
        assert c.index[0] == pd.Timestamp("2025-02-25")
        assert c.index[-1] == pd.Timestamp("2025-04-04")
        assert len(c) == 39
        # Apr 2: s4, s5, s6; Apr 3: s4, s5; Apr 4: only s5 (open)
        assert c["total"]["2025-04-02"] == 3
        assert c["total"]["2025-04-03"] == 2
        assert c["total"]["2025-04-04"] == 1
        assert int(c["total"].sum()) == 24

    def test_by_location(self, df):
        c = hp.census(df, *MARCH, by="location")
        # North: s1 (2) + s5 (2); South: s3 (4) + s4 (4)
        assert int(c["North"].sum()) == 4 and int(c["South"].sum()) == 8

    def test_day_case_bed_day(self, df):
        c = hp.census(df, *MARCH, definitions=Definitions(day_case_bed_day=True))
        assert c["total"]["2025-03-05"] == 1

    def test_as_of_earlier(self, df):
        c = hp.census(df, *MARCH, as_of="2025-03-12")
        assert c.index[-1] == pd.Timestamp("2025-03-12")
        assert c["B"]["2025-03-12"] == 1  # s3 is open on Mar 12

    def test_empty_period(self, df):
        c = hp.census(df, "2025-01-01", "2025-01-31")
        assert len(c) == 31 and int(c.to_numpy().sum()) == 0

    def test_two_keys_rejected(self, df):
        with pytest.raises(ArgumentError):
            hp.census(df, by=["ward", "location"])


# ------------------------------------------------------------------ occupancy
class TestOccupancy:
    def test_by_ward_constant_beds(self, df):
        # March, 31 days. A: 2 beds -> 62, occupied 2 (s1). B: 3 beds -> 93, occupied 8.
        # D: 1 bed, no stays -> 0 / 31. s5 (no ward, 2 bed-days) is left out with a warning.
        with pytest.warns(DataQualityWarning, match=r"\(missing\) \(2 bed-days\)") as rec:
            out = hp.occupancy_by_ward(df, BEDS, *MARCH)
        assert rec[0].filename == __file__
        assert list(out.columns) == ["occupied_bed_days", "available_bed_days", "occupancy"]
        assert list(out.index) == ["A", "B", "D"]
        assert out["occupied_bed_days"].tolist() == [2, 8, 0]
        assert out["available_bed_days"].tolist() == [62, 93, 31]
        assert out["occupancy"].tolist() == pytest.approx([2 / 62, 8 / 93, 0.0])

    def test_pooled(self, df):
        # pooled: (2 + 8 + 0) / (62 + 93 + 31), not the mean of ward rates
        with pytest.warns(DataQualityWarning):
            assert hp.occupancy(df, BEDS, *MARCH) == pytest.approx(10 / 186)

    def test_beds_as_series_and_frame(self, df):
        series = pd.Series(BEDS)
        frame = pd.DataFrame({"ward": list(BEDS), "beds": list(BEDS.values())})
        with pytest.warns(DataQualityWarning):
            a = hp.occupancy(df, series, *MARCH)
        with pytest.warns(DataQualityWarning):
            b = hp.occupancy(df, frame, *MARCH)
        assert a == pytest.approx(10 / 186) and b == pytest.approx(10 / 186)

    def test_wards_without_beds_are_named(self, df):
        # April 1..4: C has s6 on Apr 2 (1 bed-day); no ward: s5 Apr 1..4 (4)
        with pytest.warns(DataQualityWarning) as rec:
            hp.occupancy(df, BEDS, "2025-04-01", "2025-04-04")
        msg = str(rec[0].message)
        assert "C (1 bed-days)" in msg and "(missing) (4 bed-days)" in msg

    def test_strict_raises(self, df):
        with pytest.raises(DataQualityError, match="C"):
            hp.occupancy(df, BEDS, "2025-04-01", "2025-04-04", strict=True)
        with pytest.raises(DataQualityError):
            hp.occupancy_by_ward(df, BEDS, *MARCH, strict=True)

    def test_no_warning_when_all_wards_have_beds(self, df):
        df = df[df["ward"].notna()]
        out = hp.occupancy_by_ward(df, {"A": 2, "B": 3, "C": 1}, *MARCH)
        assert out["occupied_bed_days"].sum() == 10

    def test_time_varying_capacity(self, df):
        # B: 3 beds through Mar 15, 5 beds from Mar 16: 3*15 + 5*16 = 125
        # E opens Mar 20 with 2 beds: Mar 20..31 = 12 days -> 24; no stays -> 0
        # A: 2 beds, open-ended -> 62
        beds = pd.DataFrame(
            {
                "ward": ["A", "B", "B", "E"],
                "beds": [2, 3, 5, 2],
                "valid_from": [None, None, "2025-03-16", "2025-03-20"],
                "valid_to": [None, "2025-03-15", None, None],
            }
        )
        with pytest.warns(DataQualityWarning):
            out = hp.occupancy_by_ward(df, beds, *MARCH)
        assert out["available_bed_days"].to_dict() == {"A": 62.0, "B": 125.0, "E": 24.0}
        assert out["occupied_bed_days"].to_dict() == {"A": 2.0, "B": 8.0, "E": 0.0}
        with pytest.warns(DataQualityWarning):
            assert hp.occupancy(df, beds, *MARCH) == pytest.approx(10 / 211)

    def test_ward_closed_for_the_whole_period(self, df):
        # a ward valid only in January has no available beds in March: NaN rate
        beds = pd.DataFrame(
            {"ward": ["A", "B"], "beds": [2, 3], "valid_to": ["2025-01-31", None]}
        )
        with pytest.warns(DataQualityWarning):
            out = hp.occupancy_by_ward(df, beds, *MARCH)
        assert out.loc["A", "available_bed_days"] == 0
        assert math.isnan(out.loc["A", "occupancy"])

    def test_over_capacity_is_not_clipped(self, df):
        # ward B with 1 bed on Mar 30..31: s4 on both days plus an escalation stay
        # (Mar 29 -> Apr 1) on both days = 4 occupied over 2 available -> 2.0
        extra = pd.DataFrame(
            {"admission_date": pd.to_datetime(["2025-03-29"]),
             "discharge_date": pd.to_datetime(["2025-04-01"]), "ward": ["B"]}
        )
        both = pd.concat([df.loc[df["ward"] == "B", ["admission_date", "discharge_date",
                                                      "ward"]], extra], ignore_index=True)
        assert hp.occupancy(both, {"B": 1}, "2025-03-30", "2025-03-31") == pytest.approx(2.0)

    def test_empty_period(self, df):
        # January: 0 occupied of 2 * 31 available
        only_a = df[df["ward"] == "A"]
        assert hp.occupancy(only_a, {"A": 2}, "2025-01-01", "2025-01-31") == 0.0

    def test_no_beds_available_is_nan(self, df):
        only_a = df[df["ward"] == "A"]
        with pytest.warns(DataQualityWarning, match=r"A \[no beds in the period\]"):
            assert math.isnan(hp.occupancy(only_a, {"A": 0}, *MARCH))

    def test_bad_beds(self, df):
        with pytest.raises(ArgumentError):
            hp.occupancy(df, [1, 2, 3])
        with pytest.raises(ArgumentError, match="non-negative"):
            hp.occupancy(df, {"A": -1})


class TestBedTurnover:
    def test_march(self, df):
        # discharges from wards with beds: s1, s2 (A), s3 (B) = 3; average beds 186/31 = 6
        assert hp.bed_turnover(df, BEDS, *MARCH) == pytest.approx(0.5)

    def test_time_varying(self, df):
        # average beds: (2*31 + 3*15 + 5*16) / 31 = 187/31
        beds = pd.DataFrame(
            {"ward": ["A", "B", "B"], "beds": [2, 3, 5],
             "valid_from": [None, None, "2025-03-16"], "valid_to": [None, "2025-03-15", None]}
        )
        assert hp.bed_turnover(df, beds, *MARCH) == pytest.approx(3 / (187 / 31))


# ------------------------------------------------------------------ snapshots
class TestBedBoard:
    def test_as_of_mid_march(self, df):
        # end of Mar 12: s3 in B is the only in-patient (s1 left Mar 3, s2 same day)
        board = hp.bed_board(df, BEDS, as_of="2025-03-12")
        assert list(board.index) == ["A", "B", "D", "total"]
        assert board["beds"].tolist() == [2, 3, 1, 6]
        assert board["in_patients"].tolist() == [0, 1, 0, 1]
        assert board["free_beds"].tolist() == [2, 2, 1, 5]
        assert board["occupancy"].tolist() == pytest.approx([0, 1 / 3, 0, 1 / 6])

    def test_in_patient_without_capacity_warns(self, df):
        # end of Mar 31: s4 in B, s5 with no ward (left out, named)
        with pytest.warns(DataQualityWarning, match="missing"):
            board = hp.bed_board(df, BEDS, as_of="2025-03-31")
        assert board.loc["B", "in_patients"] == 1
        assert board.loc["total", "in_patients"] == 1
        with pytest.raises(DataQualityError):
            hp.bed_board(df, BEDS, as_of="2025-03-31", strict=True)

    def test_discharged_on_as_of_is_gone(self, df):
        # end of Mar 14: s3 discharged that day -> B empty
        board = hp.bed_board(df, BEDS, as_of="2025-03-14")
        assert board.loc["B", "in_patients"] == 0

    def test_capacity_on_the_as_of_date(self, df):
        beds = pd.DataFrame(
            {"ward": ["B", "B"], "beds": [3, 5],
             "valid_from": [None, "2025-03-16"], "valid_to": ["2025-03-15", None]}
        )
        assert hp.bed_board(df, beds, as_of="2025-03-12").loc["B", "beds"] == 3
        assert hp.bed_board(df[df["ward"] == "B"], beds,
                            as_of="2025-03-31").loc["B", "beds"] == 5


class TestLongStays:
    def long_frame(self) -> pd.DataFrame:
        # as of the end of Mar 31 (LOS so far = midnights, as bed-days count them:
        # as-of - admission + 1): L1 admitted Mar 1 (31 days so far), L2 Mar 15 (17),
        # L3 Mar 24 (8), L4 Mar 25 (7), L5 Mar 1 -> Mar 31 discharged (not an in-patient),
        # all open else.
        return pd.DataFrame(
            {
                "admission_date": pd.to_datetime(
                    ["2025-03-01", "2025-03-15", "2025-03-24", "2025-03-25", "2025-03-01"]
                ),
                "discharge_date": pd.to_datetime([None, None, None, None, "2025-03-31"]),
                "ward": ["A", "A", "B", "B", "A"],
            }
        )

    def test_default_thresholds(self):
        out = hp.long_stays(self.long_frame())
        # 7+: L1, L2, L3, L4; 14+: L1, L2; 21+: L1
        assert out.to_dict() == {"los_7plus": 4, "los_14plus": 2, "los_21plus": 1}

    def test_by_ward(self):
        out = hp.long_stays(self.long_frame(), by="ward")
        assert out.loc["A"].tolist() == [2, 2, 1]
        assert out.loc["B"].tolist() == [2, 0, 0]

    def test_as_of_earlier(self):
        # as of Mar 20: L1 (20 days), L2 (6); L3, L4 not admitted yet; L5 still in (20)
        out = hp.long_stays(self.long_frame(), (6, 20, 21), as_of="2025-03-20")
        assert out.to_dict() == {"los_6plus": 3, "los_20plus": 2, "los_21plus": 0}

    def test_main_frame(self, df):
        # as of Apr 4 only s5 (admitted Mar 30: 6 days at the end of Apr 4) is in hospital
        assert hp.long_stays(df, (6, 7)).to_dict() == {"los_6plus": 1, "los_7plus": 0}

    def test_agrees_with_bed_days(self):
        # For each open stay, the LOS so far is exactly the bed-days it has accrued through
        # the as-of date: it is a long stay for threshold t iff its bed-days >= t.
        frame = self.long_frame()
        for i in range(4):  # the open stays
            one = frame.iloc[[i]]
            days = hp.bed_days(one, as_of="2025-03-31")
            got = hp.long_stays(one, (days, days + 1), as_of="2025-03-31")
            assert got.tolist() == [1, 0], (i, days)


class TestReadmissions:
    def patients(self) -> pd.DataFrame:
        # P1: a Jan 1-5, b Jan 20-22 (15 days after a: readmission), c Mar 1-2 (38 after b)
        # P2: Jan 10 same-day, then Feb 9-12 (30 days later: inside the window)
        # P3: Jan 3-15 with a concurrent stay Jan 5-6 (not a readmission of either)
        # P4: Jan 25-31, then Mar 2-3 (30 days: Jan has 31, Feb 28)
        rows = [
            ("P1", "2025-01-01", "2025-01-05"),
            ("P1", "2025-01-20", "2025-01-22"),
            ("P1", "2025-03-01", "2025-03-02"),
            ("P2", "2025-01-10", "2025-01-10"),
            ("P2", "2025-02-09", "2025-02-12"),
            ("P3", "2025-01-03", "2025-01-15"),
            ("P3", "2025-01-05", "2025-01-06"),
            ("P4", "2025-01-25", "2025-01-31"),
            ("P4", "2025-03-02", "2025-03-03"),
        ]
        frame = pd.DataFrame(rows, columns=["patient_id", "admission_date", "discharge_date"])
        frame["admission_date"] = pd.to_datetime(frame["admission_date"])
        frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
        return frame.sample(frac=1.0, random_state=3)  # order must not matter

    def test_january(self):
        # index stays discharged in January: P1a, P1b, P2, P3 x2, P4 = 6
        # readmitted: P1a (15 d), P2 (30 d), P4 (30 d) -> 3 / 6
        assert hp.readmission_rate(self.patients(), "2025-01-01", "2025-01-31") == 0.5

    def test_window(self):
        # window 29: P2 and P4 fall out -> 1 / 6
        rate = hp.readmission_rate(self.patients(), "2025-01-01", "2025-01-31", window=29)
        assert rate == pytest.approx(1 / 6)

    def test_as_of_readmission_not_yet_happened(self):
        # as of Feb 20, P4's Mar 2 admission does not exist yet. With partial follow-up
        # every January discharge is an index stay: P1a, P2 readmitted -> 2 / 6
        rate = hp.readmission_rate(self.patients(), "2025-01-01", "2025-01-31",
                                   as_of="2025-02-20", follow_up="partial")
        assert rate == pytest.approx(2 / 6)
        # by default only the windows closed by Feb 20 (discharged by Jan 21): P1a, P2,
        # P3 x2; P1b (Jan 22) and P4 (Jan 31) are left out -> 2 / 4
        d = hp.readmission_rate(self.patients(), "2025-01-01", "2025-01-31",
                                as_of="2025-02-20", details=True)
        assert d[["discharges", "excluded_open_window", "index_stays", "readmitted"]
                 ].tolist() == [6, 2, 4, 2]
        assert d["rate"] == pytest.approx(2 / 4)

    def test_no_index_stays_is_nan(self):
        assert math.isnan(hp.readmission_rate(self.patients(), "2025-04-01", "2025-04-01",
                                              as_of="2025-04-01"))

    @pytest.mark.parametrize("order", [[0, 1], [1, 0]])
    def test_same_admission_time_is_not_a_readmission_in_any_row_order(self, order):
        # Q: X Jan 1 same-day and Y Jan 1 -> Jan 5, both admitted at the same moment:
        # neither begins after the other, so neither is a readmission (2 index stays)
        tie = pd.DataFrame({
            "patient_id": ["Q", "Q"],
            "admission_date": pd.to_datetime(["2025-01-01", "2025-01-01"]),
            "discharge_date": pd.to_datetime(["2025-01-01", "2025-01-05"]),
        }).iloc[order]
        assert hp.readmission_rate(tie, "2025-01-01", "2025-01-31", as_of="2025-03-01") == 0.0
        # timed: X 08:00-10:00, Y from 14:00 the same day is a readmission (gap 0 days)
        timed = pd.DataFrame({
            "patient_id": ["Q", "Q"],
            "admission_date": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 14:00"]),
            "discharge_date": pd.to_datetime(["2025-01-01 10:00", "2025-01-05 09:00"]),
        }).iloc[order]
        assert hp.readmission_rate(timed, "2025-01-01", "2025-01-31", as_of="2025-03-01") == 0.5

    def test_needs_patient_id(self, df):
        with pytest.raises(hp.SchemaError):
            hp.readmission_rate(df.drop(columns="patient_id"))


# ------------------------------------------------------------------ breakdowns
class TestMonthly:
    def test_columns_and_values(self, df):
        m = hp.monthly(df)
        # unbounded: Feb 25 (first admission) .. Apr 4 (as-of date)
        assert list(m.index) == [pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01"),
                                 pd.Timestamp("2025-04-01")]
        assert m.index.name == "month"
        assert m["days"].tolist() == [4, 31, 4]
        assert m["admissions"].tolist() == [1, 4, 1]
        assert m["discharges"].tolist() == [0, 3, 2]
        assert m["treatment_cost"].tolist() == pytest.approx([100, 950, 80])
        # ALOS: Feb no discharge; Mar 11/3; Apr s4 7 and s6 1 -> 4
        assert math.isnan(m["alos"].iloc[0])
        assert m["alos"].iloc[1:].tolist() == pytest.approx([11 / 3, 4.0])
        # bed-days: Feb s1 Feb 25..28 = 4; Mar 12; Apr s4 3 + s5 4 + s6 1 = 8
        assert m["bed_days"].tolist() == [4, 12, 8]

    def test_with_beds(self, df):
        with pytest.warns(DataQualityWarning):
            m = hp.monthly(df, BEDS)
        # available: 6 beds x (4, 31, 4) days; occupied in wards with beds: Feb A 4,
        # Mar A 2 + B 8, Apr B 3 (s4 Apr 1..3)
        assert m["available_bed_days"].tolist() == [24, 186, 24]
        assert m["occupancy"].tolist() == pytest.approx([4 / 24, 10 / 186, 3 / 24])

    def test_hcup(self, df):
        m = hp.monthly(df, definitions="hcup")
        assert m.loc["2025-03-01", "alos"] == pytest.approx(10 / 3)
        assert m.loc["2025-04-01", "alos"] == pytest.approx(4.0)  # s4 7, s6 1

    def test_period(self, df):
        m = hp.monthly(df, start="2025-03-15", end="2025-03-31")
        # one partial month: 17 days; admissions s4, s5; discharge s3 (Mar 14) is outside
        assert len(m) == 1
        assert m["days"].tolist() == [17]
        assert m["admissions"].tolist() == [2]
        assert m["discharges"].tolist() == [0]


class TestByTreatment:
    def test_march(self, df):
        # admitted in March: s2 Day case (P2, 50), s3 Surgical (P1, 200),
        # s4 Surgical (P3, 300), s5 Medical (P4, 400)
        t = hp.by_treatment(df, *MARCH)
        assert list(t.columns) == ["admissions", "patients", "total_cost", "mean_cost"]
        assert list(t.index)[0] == "Surgical"  # sorted by admissions
        assert t.loc["Surgical"].tolist() == [2, 2, 500.0, 250.0]
        assert t.loc["Medical"].tolist() == [1, 1, 400.0, 400.0]
        assert t.loc["Day case"].tolist() == [1, 1, 50.0, 50.0]

    def test_patients_are_distinct(self, df):
        # the whole span: Medical s1 (P1), s5 (P4), s6 (P5) -> 3 admissions, 3 patients;
        # Surgical s3 (P1), s4 (P3). Make s6 P1 too: Medical patients P1, P4 -> 2
        df.loc[5, "patient_id"] = "P1"
        t = hp.by_treatment(df)
        assert t.loc["Medical", "admissions"] == 3
        assert t.loc["Medical", "patients"] == 2


class TestByAgeGroup:
    def test_default_bands(self, df):
        # March admissions: s2 70, s3 10, s4 50, s5 no age
        a = hp.by_age_group(df, *MARCH)
        assert list(a.index) == ["0-17", "18-44", "45-64", "65-74", "75-84", "85+",
                                 "(missing)"]
        assert a["admissions"].tolist() == [1, 0, 1, 1, 0, 0, 1]
        assert a["total_cost"].tolist() == [200, 0, 300, 50, 0, 0, 400]

    def test_custom_bins(self, df):
        a = hp.by_age_group(df, *MARCH, bins=[0, 40])
        assert a["admissions"].to_dict() == {"0-39": 1, "40+": 2, "(missing)": 1}

    def test_edges(self, df):
        # ages 17 and 18 on either side of the 18 edge; 85 is in 85+
        df["age"] = [17.0, 18.0, 85.0, 0.0, 44.0, 45.0]
        a = hp.by_age_group(df)
        assert a["admissions"].to_dict() == {"0-17": 2, "18-44": 2, "45-64": 1, "65-74": 0,
                                             "75-84": 0, "85+": 1}

    @pytest.mark.parametrize("bins", [[10, 20], [0, 20, 10], []])
    def test_bad_bins(self, df, bins):
        with pytest.raises(ArgumentError):
            hp.by_age_group(df, bins=bins)


class TestLosDistribution:
    def test_default_bands(self, df):
        # discharged stays (all): nights s1 6, s2 0, s3 4, s4 7, s6 1
        d = hp.los_distribution(df)
        assert list(d.index) == ["0", "1", "2", "3", "4-7", "8-14", "15-21", "22+"]
        assert d.index.name == "los_band"
        assert d["stays"].tolist() == [1, 1, 0, 0, 3, 0, 0, 0]
        assert d["share"].tolist() == pytest.approx([0.2, 0.2, 0, 0, 0.6, 0, 0, 0])

    def test_custom_bands(self, df):
        d = hp.los_distribution(df, bands=[0, 2, 5])
        assert d["stays"].to_dict() == {"0-1": 2, "2-4": 1, "5+": 2}

    def test_by_ward(self, df):
        d = hp.los_distribution(df, by="ward")
        # A: s1 (6), s2 (0); B: s3 (4), s4 (7); C: s6 (1)
        # s5 has no ward: a "(missing)" column, 0 here (still open)
        assert d.loc["4-7"].to_dict() == {"A": 1, "B": 2, "C": 0, "(missing)": 0}
        assert d.loc["0"].to_dict() == {"A": 1, "B": 0, "C": 0, "(missing)": 0}

    def test_empty_period(self, df):
        d = hp.los_distribution(df, "2025-01-01", "2025-01-31")
        assert d["stays"].sum() == 0 and d["share"].isna().all()


# ------------------------------------------------------------------ summary
class TestSummary:
    ROWS = ["admissions", "discharges", "treatment_cost", "alos", "bed_days",
            "average_daily_census", "occupancy", "bed_turnover", "in_patients",
            "los_7plus", "los_14plus", "los_21plus", "readmission_rate_30d"]

    def test_shape(self, df):
        with pytest.warns(DataQualityWarning):
            s = hp.summary(df, BEDS, as_of="2025-03-31")
        assert list(s.index) == self.ROWS
        assert s.index.name == "kpi"
        assert list(s.columns) == ["label", "unit", "period", "mtd", "previous_mtd", "change",
                                   "change_pct", "convention"]
        assert s.attrs["as_of"] == "2025-03-31"
        assert s.attrs["mtd"].startswith("2025-03-01 to 2025-03-31")
        # as of Mar 31 the previous month's same days are Feb 1..28 (not Feb 1..31)
        assert s.attrs["previous_mtd"].startswith("2025-02-01 to 2025-02-28")
        assert s.attrs["definitions"].startswith("who")
        assert s.loc["alos", "convention"].startswith("who")

    def test_values(self, df):
        with pytest.warns(DataQualityWarning):
            s = hp.summary(df, BEDS, as_of="2025-03-31")
        # period: Feb 25 .. Mar 31; mtd: March; previous: Feb 1..28
        assert s.loc["admissions", ["period", "mtd", "previous_mtd"]].tolist() == [5, 4, 1]
        assert s.loc["admissions", "change"] == 3
        assert s.loc["admissions", "change_pct"] == pytest.approx(3.0)
        assert s.loc["discharges", ["mtd", "previous_mtd"]].tolist() == [3, 0]
        assert math.isnan(s.loc["discharges", "change_pct"])  # previous is 0
        assert s.loc["treatment_cost", ["mtd", "previous_mtd"]].tolist() == [950, 100]
        assert s.loc["alos", "mtd"] == pytest.approx(11 / 3)
        assert math.isnan(s.loc["alos", "previous_mtd"])
        # bed-days: March 12; Feb 1..28: s1 Feb 25..28 = 4; period 16
        assert s.loc["bed_days", ["period", "mtd", "previous_mtd"]].tolist() == [16, 12, 4]
        assert s.loc["average_daily_census", "mtd"] == pytest.approx(12 / 31)
        assert s.loc["average_daily_census", "previous_mtd"] == pytest.approx(4 / 28)
        # occupancy: March 10 / 186; February 4 / (6 * 28)
        assert s.loc["occupancy", "mtd"] == pytest.approx(10 / 186)
        assert s.loc["occupancy", "previous_mtd"] == pytest.approx(4 / 168)
        assert s.loc["bed_turnover", "mtd"] == pytest.approx(0.5)
        assert s.loc["bed_turnover", "previous_mtd"] == 0.0
        # in-patients at the end of Mar 31: s4, s5; at the end of Feb 28: s1
        assert s.loc["in_patients", ["mtd", "previous_mtd"]].tolist() == [2, 1]
        assert s.loc["los_7plus", "mtd"] == 0
        # readmissions: March's discharges (s1 Mar 3, s2 Mar 5, s3 Mar 14) have open 30-day
        # windows as of Mar 31, so no index stay yet: NaN, not a rate of 0
        assert math.isnan(s.loc["readmission_rate_30d", "mtd"])
        assert math.isnan(s.loc["readmission_rate_30d", "previous_mtd"])
        assert "window closed" in s.loc["readmission_rate_30d", "convention"]
        # once the windows have closed (as of Apr 14): s1 (P1 back on Mar 10), s2, s3 -> 1/3
        later = hp.summary(df, as_of="2025-04-14")
        assert later.loc["readmission_rate_30d", "previous_mtd"] == pytest.approx(1 / 3)

    def test_mid_month_compares_same_days(self, df):
        # as of Mar 12: mtd Mar 1..12, previous Feb 1..12 (nothing then)
        s = hp.summary(df, as_of="2025-03-12")
        assert s.loc["admissions", ["mtd", "previous_mtd"]].tolist() == [2, 0]
        assert s.loc["discharges", "mtd"] == 2
        assert "occupancy" not in s.index  # no beds given
        assert s.attrs["previous_mtd"].startswith("2025-02-01 to 2025-02-12")

    def test_warns_about_wards_without_beds(self, df):
        with pytest.warns(DataQualityWarning, match="missing"):
            hp.summary(df, BEDS, as_of="2025-03-31")

    def test_lean_frame_leaves_out_what_it_cannot_compute(self, df):
        s = hp.summary(df[["admission_date"]])
        assert "admissions" in s.index
        assert "discharges" not in s.index and "treatment_cost" not in s.index

    def test_definitions(self, df):
        s = hp.summary(df, as_of="2025-03-31", definitions="oecd")
        assert s.loc["alos", "mtd"] == pytest.approx(5.0)
        assert s.attrs["definitions"].startswith("oecd")


class TestNoMutation:
    def test_functions_leave_the_frame_alone(self, df):
        before = df.copy(deep=True)
        hp.admissions(df, by="ward")
        hp.alos(df)
        hp.census(df)
        hp.summary(df)
        hp.by_age_group(df)
        pd.testing.assert_frame_equal(df, before)


def test_all_public_kpis_listed():
    funcs = [n for n in kpis.__all__ if callable(getattr(kpis, n))]
    for name in funcs:
        assert name in hp.__all__, name
        assert getattr(hp, name) is getattr(kpis, name)


def test_summary_strict(df):
    with pytest.raises(DataQualityError):
        hp.summary(df, BEDS, as_of="2025-03-31", strict=True)


def test_period_after_the_as_of_date_is_empty_not_an_error():
    df = pd.DataFrame(
        {
            "admission_date": pd.to_datetime(["2025-01-01", "2025-01-10"]),
            "discharge_date": pd.to_datetime(["2025-01-05", None]),
            "ward": pd.Categorical(["A", "A"]),
        }
    )
    # Data ends on 2025-01-10: February has not happened yet in this extract.
    assert hp.admissions(df, "2025-02-01", "2025-02-28") == 0
    assert np.isnan(hp.alos(df, "2025-02-01", "2025-02-28"))
    assert hp.bed_days(df, "2025-02-01", "2025-02-28") == 0
    assert np.isnan(hp.occupancy(df, {"A": 2}, "2025-02-01", "2025-02-28"))
    assert hp.census(df, "2025-02-01", "2025-02-28").empty
    # A period whose own end is before its start is a mistake, and says so.
    with pytest.raises(hp.ArgumentError, match="starts after it ends"):
        hp.admissions(df, "2025-01-20", "2025-01-10")


def test_summary_with_beds_but_no_ward_warns_instead_of_dropping_occupancy():
    df = pd.DataFrame(
        {
            "admission_date": pd.to_datetime(["2025-01-01", "2025-01-10"]),
            "discharge_date": pd.to_datetime(["2025-01-05", None]),
        }
    )
    with pytest.warns(hp.DataQualityWarning, match="no ward"):
        out = hp.summary(df, {"A": 2})
    assert "occupancy" not in out.index
    assert out.loc["admissions", "period"] == 2


def test_monthly_breakdowns_take_the_period_flags():
    df = hp.datasets.load_sample()
    beds = hp.datasets.load_sample_beds()
    m = hp.monthly(df, mtd=True)
    # The sample ends on 2025-12-15: month to date is 1-15 December, one partial month.
    assert list(m.index) == [pd.Timestamp("2025-12-01")]
    assert m["days"].tolist() == [15]
    assert m["admissions"].iloc[0] == hp.admissions(df, mtd=True)
    w = hp.monthly_occupancy_by_ward(df, beds, qtd=True)
    assert sorted(w["month"].unique()) == list(pd.to_datetime(["2025-10-01", "2025-11-01",
                                                               "2025-12-01"]))
    assert w["occupied_bed_days"].sum() == hp.occupancy_by_ward(df, beds, qtd=True)[
        "occupied_bed_days"].sum()
