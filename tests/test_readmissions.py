"""Readmissions: closed follow-up windows, disposition and planned-admission rules.

Values by hand on small frames; the MIMIC-IV demo's brute-force check lives in
``test_census.py``.
"""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics.definitions import classify_dispositions, planned_admissions
from hospitalytics.errors import ArgumentError, DataQualityWarning, SchemaError


def stays(disposition=None, method=None) -> pd.DataFrame:
    """Five patients, each an index stay in January and (for four) a return within 30 days.

    A Jan 2-5, back Jan 20     (15 days)
    B Jan 3-6, back Jan 25     (19 days)
    C Jan 4-8, back Jan 28     (20 days)
    D Jan 5-9, back Feb 1      (23 days)
    E Jan 25-27, none          (its window closes Feb 26)
    """
    rows = [
        ("A", "2025-01-02", "2025-01-05"), ("A", "2025-01-20", "2025-01-21"),
        ("B", "2025-01-03", "2025-01-06"), ("B", "2025-01-25", "2025-01-26"),
        ("C", "2025-01-04", "2025-01-08"), ("C", "2025-01-28", "2025-01-29"),
        ("D", "2025-01-05", "2025-01-09"), ("D", "2025-02-01", "2025-02-02"),
        ("E", "2025-01-25", "2025-01-27"),
    ]
    df = pd.DataFrame(rows, columns=["patient_id", "admission_date", "discharge_date"])
    for col in ("admission_date", "discharge_date"):
        df[col] = pd.to_datetime(df[col])
    if disposition is not None:
        df["discharge_disposition"] = disposition
    if method is not None:
        df["admission_method"] = method
    return df


INDEX = ("2025-01-01", "2025-01-10")  # the four index stays A..D
LATER = {"as_of": "2025-04-30"}


class TestFollowUp:
    def test_complete_windows_by_default(self):
        df = stays()
        # as of Feb 5: windows closed for discharges by Jan 6 (A, B); C, D left out
        d = hp.readmission_rate(df, *INDEX, as_of="2025-02-05", details=True)
        assert d[["discharges", "excluded_open_window", "index_stays", "readmitted"]
                 ].tolist() == [4, 2, 2, 2]
        assert d["rate"] == 1.0
        # as of Jan 30 no window has closed; the old reading counted the open windows as
        # "not readmitted" (D's return on Feb 1 has not happened yet): 3 / 4
        assert math.isnan(hp.readmission_rate(df, *INDEX, as_of="2025-01-30"))
        partial = hp.readmission_rate(df, *INDEX, as_of="2025-01-30", follow_up="partial")
        assert partial == pytest.approx(3 / 4)
        assert hp.readmission_rate(df, *INDEX, **LATER) == 1.0

    def test_nothing_closed_is_nan_not_zero(self):
        assert math.isnan(hp.readmission_rate(stays(), *INDEX, as_of="2025-01-20"))

    def test_window_end_on_the_as_of_date_counts(self):
        # E discharged Jan 27: its 30-day window ends Feb 26
        df = stays()
        e = ("2025-01-27", "2025-01-27")
        assert hp.readmission_rate(df, *e, as_of="2025-02-26", details=True)["index_stays"] == 1
        assert hp.readmission_rate(df, *e, as_of="2025-02-25", details=True)["index_stays"] == 0

    def test_summary_compares_like_with_like(self):
        df = hp.datasets.load_sample()
        s = hp.summary(df)  # as of Dec 15: December's windows are all open
        row = s.loc["readmission_rate_30d"]
        assert math.isnan(row["mtd"]) and math.isnan(row["change_pct"])  # was 3.0% vs 6.5%
        assert row["previous_mtd"] == pytest.approx(
            hp.readmission_rate(df, "2025-11-01", "2025-11-15"))
        # at a month's end both columns have closed windows and follow the same rule
        s = hp.summary(df, as_of="2025-10-31")
        assert s.loc["readmission_rate_30d", "mtd"] == pytest.approx(
            hp.readmission_rate(df, "2025-10-01", "2025-10-31", as_of="2025-10-31"))
        assert s.loc["readmission_rate_30d", "previous_mtd"] == pytest.approx(
            hp.readmission_rate(df, "2025-09-01", "2025-09-30", as_of="2025-10-31"))


class TestDispositions:
    VALUES = ["DIED", None, "ACUTE HOSPITAL", None, "AGAINST ADVICE", None, "HOME", None,
              "HOME"]

    def test_mimic_words_leave_index_stays_out(self):
        df = stays(disposition=self.VALUES)
        d = hp.readmission_rate(df, *INDEX, **LATER, details=True)
        assert d[["excluded_died", "excluded_acute_transfer", "excluded_self_discharge",
                  "index_stays", "readmitted"]].tolist() == [1, 1, 1, 1, 1]
        assert hp.readmission_rate(df, *INDEX, **LATER, exclude_dispositions=False,
                                   details=True)["index_stays"] == 4

    def test_column_aliases(self):
        df = stays(disposition=self.VALUES).rename(
            columns={"discharge_disposition": "discharge_location"})
        assert hp.readmission_rate(df, *INDEX, **LATER, details=True)["index_stays"] == 1

    def test_omop_concepts(self):
        omop = [4216643, 0, 8717, 0, 4021968, 0, 8536, 0, 8536]
        df = stays(disposition=omop)
        assert hp.readmission_rate(df, *INDEX, **LATER, details=True)["index_stays"] == 1

    def test_bare_codes_need_their_list(self):
        dismeth = ["4", "1", "2", "1", "1", "1", "1", "1", "1"]
        df = stays(disposition=dismeth)
        with pytest.warns(DataQualityWarning, match=r"bare codes \(1, 2, 4\).*hes_dismeth"):
            d = hp.readmission_rate(df, *INDEX, **LATER, details=True)
        assert d["index_stays"] == 4  # nothing guessed
        d = hp.readmission_rate(df, *INDEX, **LATER, exclude_dispositions="hes_dismeth",
                                details=True)
        # A's index stay died (4), B's self-discharged (2)
        assert d[["excluded_died", "excluded_self_discharge", "index_stays"]].tolist() == [
            1, 1, 2]
        with pytest.warns(DataQualityWarning, match="bare codes"):
            hp.summary(df)

    def test_own_mapping(self):
        df = stays(disposition=["verstorben", None, "verlegt", None, None, None, None, None,
                                None])
        d = hp.readmission_rate(df, *INDEX, **LATER, details=True,
                                exclude_dispositions={"verstorben": "died",
                                                      "verlegt": "acute_transfer"})
        assert d[["excluded_died", "excluded_acute_transfer", "index_stays"]].tolist() == [
            1, 1, 2]

    def test_summary_leaves_them_out(self):
        df = stays(disposition=self.VALUES)
        s = hp.summary(df, **LATER)
        assert s.loc["readmission_rate_30d", "period"] == pytest.approx(
            hp.readmission_rate(df, **LATER))
        assert "deaths, acute transfers" in s.loc["readmission_rate_30d", "convention"]

    def test_vocabulary(self):
        got = classify_dispositions(["Dead/Expired", "Left against medical advice", "HOME",
                                     "transferred to another hospital", None])
        assert got.isna().tolist() == [False, False, True, False, True]
        assert got.dropna().tolist() == ["died", "self_discharge", "acute_transfer"]
        assert classify_dispositions(["02", "07", "20", "01"], "ub04").tolist()[:3] == [
            "acute_transfer", "self_discharge", "died"]


class TestPlanned:
    METHODS = ["EW EMER.", "ELECTIVE", "URGENT", "URGENT", "URGENT", "11", "URGENT", "X",
               "URGENT"]

    def test_planned_readmissions_left_out(self):
        df = stays(method=self.METHODS)
        # A's return is ELECTIVE, C's return is HES code 11 (waiting list)
        d = hp.readmission_rate(df, *INDEX, **LATER, exclude_planned=True, details=True)
        assert d[["index_stays", "readmitted", "excluded_planned"]].tolist() == [4, 2, 2]
        assert hp.readmission_rate(df, *INDEX, **LATER) == 1.0  # off by default
        d = hp.readmission_rate(df, *INDEX, **LATER, exclude_planned=["X"], details=True)
        assert d[["readmitted", "excluded_planned"]].tolist() == [3, 1]  # D's return

    def test_needs_an_admission_method(self):
        with pytest.raises(SchemaError, match="admission_method"):
            hp.readmission_rate(stays(), exclude_planned=True)

    def test_vocabulary(self):
        got = planned_admissions(["ELECTIVE", "SURGICAL SAME DAY ADMISSION", "EW EMER.", 12,
                                  "Booked", None])
        assert got.tolist() == [True, True, False, True, True, False]


@pytest.mark.parametrize("kwargs", [
    {"window": -1}, {"window": 2.5}, {"follow_up": "all"},
    {"exclude_dispositions": "hes"}, {"exclude_dispositions": {"x": "gone"}},
    {"exclude_planned": "ELECTIVE"},
])
def test_bad_options_are_named(kwargs):
    with pytest.raises(ArgumentError, match=next(iter(kwargs)).split("_")[0]):
        hp.readmission_rate(stays(), **kwargs)


def test_default_is_unchanged_on_closed_history():
    # every window closed: the CMS rule and the old crude rule agree without dispositions
    df = hp.datasets.load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert hp.readmission_rate(df, "2025-01-01", "2025-06-30") == pytest.approx(
            hp.readmission_rate(df, "2025-01-01", "2025-06-30", follow_up="partial"))


def test_the_gap_is_in_calendar_days_whatever_the_clock_times():
    """Documented rule: same day as the index discharge counts (gap 0); a day before does not."""
    df = pd.DataFrame({
        "patient_id": [1, 1, 2, 2],
        "admission_date": pd.to_datetime(["2024-01-01 09:00", "2024-01-05 08:00",
                                          "2024-01-01 09:00", "2024-01-04 08:00"]),
        "discharge_date": pd.to_datetime(["2024-01-05 14:00", "2024-01-08 10:00",
                                          "2024-01-05 14:00", "2024-01-09 10:00"]),
    })
    d = hp.readmission_rate(df, "2024-01-05", "2024-01-05", as_of="2024-03-31",
                            details=True)
    # patient 1: next admission at 08:00 on the discharge day (before the 14:00 discharge)
    # counts; patient 2: next admission a day before the discharge date (concurrent) does not
    assert int(d["index_stays"]) == 2
    assert int(d["readmitted"]) == 1


def test_a_segment_without_its_stay_id_is_named():
    """A row missing its stay id, back to back with its stay's other segment: warned."""
    df = pd.DataFrame({
        "patient_id": [1, 1, 2, 2],
        "stay_id": ["s1", None, "s2", "s2"],
        "admission_date": pd.to_datetime(["2024-01-01 08:00", "2024-01-03 10:00",
                                          "2024-01-01 08:00", "2024-01-03 10:00"]),
        "discharge_date": pd.to_datetime(["2024-01-03 10:00", "2024-01-05 00:00",
                                          "2024-01-03 10:00", "2024-01-05 00:00"]),
        "ward": ["A", "B", "A", "B"],
    })
    with pytest.warns(DataQualityWarning, match=r"1 row\(s\) without a stay id"):
        d = hp.readmission_rate(df, "2024-01-01", "2024-01-31", as_of="2024-03-31",
                                details=True)
    # patient 1's unlabelled segment is a stay of its own (a 0-minute readmission): said
    assert int(d["index_stays"]) == 3 and int(d["readmitted"]) == 1
    df.loc[1, "stay_id"] = "s1"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = hp.readmission_rate(df, "2024-01-01", "2024-01-31", as_of="2024-03-31",
                                details=True)
    assert int(d["index_stays"]) == 2 and int(d["readmitted"]) == 0
