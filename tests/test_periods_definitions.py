"""Tests of hospitalytics.periods and hospitalytics.definitions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import hospitalytics as hp
from hospitalytics.definitions import PRESETS, Definitions, get_definitions
from hospitalytics.errors import ArgumentError
from hospitalytics.periods import Period, previous_month_same_days, resolve_period, to_date

T = pd.Timestamp


# ------------------------------------------------------------------ to_date
@pytest.mark.parametrize(
    "value",
    ["2025-03-10", "2025-03-10 14:30", dt.date(2025, 3, 10), dt.datetime(2025, 3, 10, 23, 59),
     T("2025-03-10 08:00"), np.datetime64("2025-03-10T05:00"),
     T("2025-03-10 23:00", tz="Europe/London")],
)
def test_to_date_drops_time(value):
    assert to_date(value) == T("2025-03-10")


def test_to_date_none_and_errors():
    assert to_date(None) is None
    with pytest.raises(ArgumentError, match="not a date"):
        to_date("yesterday-ish", name="start")
    with pytest.raises(ArgumentError, match="NaT"):
        to_date(pd.NaT)


# ------------------------------------------------------------------ resolve_period
class TestResolvePeriod:
    def test_explicit(self):
        p = resolve_period("2025-01-01", "2025-01-31", as_of="2025-06-30")
        assert (p.start, p.end, p.as_of) == (T("2025-01-01"), T("2025-01-31"), T("2025-06-30"))
        assert p.days == 31
        assert p.end_exclusive == T("2025-02-01")

    def test_as_of_defaults_to_data(self):
        p = resolve_period(data_as_of="2110-05-04")
        assert p.start is None and p.end == T("2110-05-04") and p.as_of == T("2110-05-04")
        assert p.days is None

    def test_end_never_past_as_of(self):
        assert resolve_period(end="2026-01-01", as_of="2025-06-30").end == T("2025-06-30")

    def test_no_as_of_anywhere_uses_end(self):
        assert resolve_period(end="2025-01-31").as_of == T("2025-01-31")
        with pytest.raises(ArgumentError, match="as-of"):
            resolve_period()

    @pytest.mark.parametrize(
        "flag, as_of, start",
        [
            ("mtd", "2025-03-10", "2025-03-01"),
            ("mtd", "2025-03-01", "2025-03-01"),
            ("qtd", "2025-05-05", "2025-04-01"),
            ("qtd", "2025-12-31", "2025-10-01"),
            ("qtd", "2025-01-01", "2025-01-01"),
            ("ytd", "2025-05-05", "2025-01-01"),
        ],
    )
    def test_to_date_flags(self, flag, as_of, start):
        p = resolve_period(**{flag: True}, as_of=as_of)
        assert p.start == T(start) and p.end == T(as_of) and p.label == flag

    def test_flag_errors(self):
        with pytest.raises(ArgumentError, match="at most one"):
            resolve_period(mtd=True, qtd=True, as_of="2025-01-01")
        with pytest.raises(ArgumentError, match="do not combine"):
            resolve_period("2025-01-01", mtd=True, as_of="2025-01-05")

    def test_start_after_end(self):
        with pytest.raises(ArgumentError, match="starts after it ends"):
            resolve_period("2025-02-01", "2025-01-01", as_of="2025-12-31")

    def test_describe(self):
        p = resolve_period(mtd=True, as_of="2025-03-10")
        assert p.describe() == "2025-03-01 to 2025-03-10 (as of 2025-03-10)"
        assert "first record" in resolve_period(as_of="2025-03-10").describe()

    def test_period_days_single_day(self):
        assert Period(T("2025-01-01"), T("2025-01-01"), T("2025-01-01")).days == 1


# ------------------------------------------------------------------ previous month
@pytest.mark.parametrize(
    "as_of, start, end",
    [
        ("2025-03-10", "2025-02-01", "2025-02-10"),
        ("2025-03-31", "2025-02-01", "2025-02-28"),  # day 1-31 against all 28 days
        ("2024-03-31", "2024-02-01", "2024-02-29"),  # leap year
        ("2025-03-29", "2025-02-01", "2025-02-28"),
        ("2025-01-15", "2024-12-01", "2024-12-15"),  # across a year
        ("2025-05-31", "2025-04-01", "2025-04-30"),
        ("2025-07-01", "2025-06-01", "2025-06-01"),
    ],
)
def test_previous_month_same_days(as_of, start, end):
    p = previous_month_same_days(as_of)
    assert (p.start, p.end, p.as_of) == (T(start), T(end), T(as_of))
    assert p.label == "previous month, same days"


def test_previous_month_needs_a_date():
    with pytest.raises(ArgumentError):
        previous_month_same_days(None)


def test_mtd_against_previous_month_in_kpis():
    # one admission on each day of Feb and March 2025: as of Mar 31, MTD = 31 and the
    # previous month's same days = all 28 days of February
    days = pd.date_range("2025-02-01", "2025-03-31", freq="D")
    df = pd.DataFrame({"admission_date": days, "discharge_date": days + pd.Timedelta(days=1)})
    s = hp.summary(df, as_of="2025-03-31")
    assert s.loc["admissions", ["mtd", "previous_mtd"]].tolist() == [31, 28]
    s = hp.summary(df, as_of="2025-03-10")
    assert s.loc["admissions", ["mtd", "previous_mtd"]].tolist() == [10, 10]


# ------------------------------------------------------------------ definitions
class TestDefinitions:
    def test_presets(self):
        who, hcup, oecd = PRESETS["who"], PRESETS["hcup"], PRESETS["oecd"]
        assert (who.los_unit, who.same_day_los, who.exclude_same_day, who.alos_basis) == (
            "calendar", 1, False, "discharges")
        assert (hcup.same_day_los, hcup.exclude_same_day) == (0, False)
        assert oecd.exclude_same_day is True
        for d in (who, hcup, oecd):
            assert d.day_case_bed_day is False
            assert d.description

    def test_get_definitions(self):
        assert get_definitions(None) is PRESETS["who"]
        assert get_definitions(" HCUP ") is PRESETS["hcup"]
        custom = Definitions(los_unit="exact")
        assert get_definitions(custom) is custom
        with pytest.raises(ArgumentError, match="unknown definitions preset"):
            get_definitions("nhs")
        with pytest.raises(ArgumentError, match="preset name"):
            get_definitions(1)

    @pytest.mark.parametrize(
        "kwargs", [{"los_unit": "hours"}, {"same_day_los": 2}, {"alos_basis": "stays"}]
    )
    def test_invalid(self, kwargs):
        with pytest.raises(ArgumentError):
            Definitions(**kwargs)

    def test_label(self):
        assert PRESETS["who"].label() == (
            "who: calendar days, same-day stay = 1 day, same-day stays included, per discharge"
        )
        assert PRESETS["oecd"].label().startswith("oecd: calendar days, same-day stay = 0 days,"
                                                  " same-day stays excluded")
        assert Definitions(los_unit="exact", alos_basis="admissions").label() == (
            "custom: exact fractional days, same-day stays included, per admission"
        )

    def test_replace(self):
        d = PRESETS["who"].replace(los_unit="exact")
        assert d.name == "who+custom" and d.los_unit == "exact"
        assert PRESETS["who"].los_unit == "calendar"  # frozen, untouched
        assert PRESETS["who"].replace(name="mine", same_day_los=0).name == "mine"
        with pytest.raises(ArgumentError):
            PRESETS["who"].replace(same_day_los=5)

    def test_frozen(self):
        with pytest.raises(AttributeError):
            PRESETS["who"].same_day_los = 0  # type: ignore[misc]

    def test_exported(self):
        assert hp.Definitions is Definitions


@pytest.mark.parametrize("value", [
    "9999-12-31", "1024-01-01", "20245-01-01", "1899-12-31", "2251-01-01",
    dt.date(9999, 12, 31), np.datetime64("9999-12-31"), dt.datetime(1, 1, 1),
])
@pytest.mark.parametrize("name", ["start", "end", "as_of"])
def test_period_arguments_out_of_range_raise_argument_error(value, name):
    with pytest.raises(ArgumentError, match=rf"^{name}=.* is outside the supported dates, "
                                            r"1900-01-01 to 2250-12-31"):
        resolve_period(**{name: value, "as_of": "2025-01-01"} if name != "as_of"
                       else {name: value})


def test_kpis_with_an_out_of_range_as_of_raise_argument_error_not_overflow():
    df = hp.datasets.load_sample()
    for kwargs in ({"as_of": "9999-12-31"}, {"start": "1024-01-01"}, {"end": "20245-01-01"}):
        with pytest.raises(ArgumentError, match="outside the supported dates"):
            hp.summary(df, **kwargs)
    assert to_date("2250-12-31") == pd.Timestamp("2250-12-31")  # the range is inclusive
    assert to_date("1900-01-01") == pd.Timestamp("1900-01-01")
