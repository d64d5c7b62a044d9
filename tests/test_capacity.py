"""Tests of hospitalytics.capacity: beds tables, available beds per day, beds on a day."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hospitalytics.capacity import available_matrix, beds_on, normalize_beds
from hospitalytics.errors import ArgumentError

T = pd.Timestamp
DAY0 = int(T("2025-03-01").value // (86_400 * 10**9))  # day number of 2025-03-01


def test_dict_and_series():
    a = normalize_beds({"A": 2, " B ": 3})
    b = normalize_beds(pd.Series({"A": 2, "B": 3}))
    assert a["ward"].tolist() == ["A", "B"]  # stripped
    assert a["beds"].tolist() == [2.0, 3.0]
    assert a["valid_from"].isna().all() and a["valid_to"].isna().all()
    pd.testing.assert_frame_equal(a, b)


def test_frame_with_ranges_any_case_columns():
    table = normalize_beds(
        pd.DataFrame({"Ward": ["A", "A"], "Beds": [24, 20],
                      "Valid_From": ["2025-03-01", None], "valid_to": [None, "2025-02-28"]})
    )
    # sorted by ward then valid_from (open start first)
    assert table["beds"].tolist() == [20.0, 24.0]
    assert table["valid_to"].tolist()[0] == T("2025-02-28")
    assert str(table["valid_from"].dtype) == "datetime64[ns]"


def test_times_are_dropped_from_ranges():
    table = normalize_beds(pd.DataFrame({"ward": ["A"], "beds": [1],
                                         "valid_from": ["2025-03-01 13:00"]}))
    assert table["valid_from"].iloc[0] == T("2025-03-01")


@pytest.mark.parametrize(
    "beds, match",
    [
        ([1, 2], "dict"),
        (pd.DataFrame({"ward": ["A"]}), "'ward' and 'beds'"),
        ({"A": -1}, "non-negative"),
        ({"A": "many"}, "non-negative"),
        (pd.DataFrame({"ward": [None], "beds": [1]}), "without a ward"),
        (pd.DataFrame({"ward": ["A"], "beds": [1], "valid_from": ["2025-03-02"],
                       "valid_to": ["2025-03-01"]}), "end before they start"),
        (pd.DataFrame({"ward": ["A"], "beds": [1], "valid_from": ["soon"]}), "not dates"),
    ],
)
def test_invalid(beds, match):
    with pytest.raises(ArgumentError, match=match):
        normalize_beds(beds)


@pytest.mark.parametrize(
    "frm, to",
    [
        # adjacent rows overlap
        ([None, "2025-03-10"], ["2025-03-10", None]),
        # two open-ended rows
        ([None, None], [None, None]),
        # the third row overlaps the first, not its neighbour (a long first range)
        (["2025-01-01", "2025-02-01", "2025-03-01"], ["2025-12-31", "2025-02-05",
                                                       "2025-03-05"]),
    ],
)
def test_overlapping_ranges_rejected(frm, to):
    beds = pd.DataFrame({"ward": ["A"] * len(frm), "beds": [1] * len(frm),
                         "valid_from": frm, "valid_to": to})
    with pytest.raises(ArgumentError, match="overlap"):
        normalize_beds(beds)


def test_adjacent_ranges_allowed_and_other_wards_independent():
    beds = pd.DataFrame({"ward": ["A", "A", "B"], "beds": [1, 2, 3],
                         "valid_from": [None, "2025-03-11", None],
                         "valid_to": ["2025-03-10", None, None]})
    assert len(normalize_beds(beds)) == 3


def test_available_matrix_time_varying():
    # March 2025, 31 days. A: 2 beds to Mar 15, 4 from Mar 16. B opens Mar 20 (3 beds),
    # closes after Mar 25. C is asked for and has no row: 0.
    table = normalize_beds(pd.DataFrame({
        "ward": ["A", "A", "B"], "beds": [2, 4, 3],
        "valid_from": [None, "2025-03-16", "2025-03-20"],
        "valid_to": ["2025-03-15", None, "2025-03-25"],
    }))
    m = available_matrix(table, pd.Index(["A", "B", "C"]), DAY0, 31)
    assert m.shape == (3, 31)
    assert m[0, :15].tolist() == [2.0] * 15 and m[0, 15:].tolist() == [4.0] * 16
    assert m[1, :19].sum() == 0 and m[1, 19:25].tolist() == [3.0] * 6 and m[1, 25:].sum() == 0
    assert m[2].sum() == 0
    assert m.sum(axis=1).tolist() == [2 * 15 + 4 * 16, 18.0, 0.0]


def test_available_matrix_ranges_outside_window():
    table = normalize_beds(pd.DataFrame({"ward": ["A", "A"], "beds": [5, 7],
                                         "valid_from": [None, "2025-04-01"],
                                         "valid_to": ["2025-02-01", None]}))
    assert available_matrix(table, pd.Index(["A"]), DAY0, 31).sum() == 0
    assert available_matrix(table, pd.Index(["A"]), DAY0, 0).shape == (1, 0)


def test_beds_on():
    table = normalize_beds(pd.DataFrame({"ward": ["A", "A", "B"], "beds": [2, 4, 3],
                                         "valid_from": [None, "2025-03-16", "2025-03-20"],
                                         "valid_to": ["2025-03-15", None, None]}))
    assert beds_on(table, T("2025-03-15")).to_dict() == {"A": 2.0, "B": 0.0}
    assert beds_on(table, T("2025-03-16 10:00")).to_dict() == {"A": 4.0, "B": 0.0}
    assert beds_on(table, T("2025-03-20")).to_dict() == {"A": 4.0, "B": 3.0}


def test_input_not_mutated():
    beds = pd.DataFrame({"ward": ["A "], "beds": [2], "valid_from": ["2025-03-01"]})
    before = beds.copy(deep=True)
    normalize_beds(beds)
    pd.testing.assert_frame_equal(beds, before)
    assert np.array_equal(beds.columns, before.columns)
