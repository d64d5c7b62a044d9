"""Small-count suppression (primary and complementary) and CSV formula neutralising."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hospitalytics as hp
from hospitalytics.errors import ArgumentError
from hospitalytics.report.privacy import (
    neutralize_csv,
    neutralize_value,
    suppress,
    suppression_mask,
)


# ------------------------------------------------------------------ hand-computed
def test_single_column_hides_small_and_next_smallest():
    t = pd.DataFrame({"admissions": [120, 3, 45, 60]}, index=list("ABCD"))
    out = suppress(t, 10)
    assert out["admissions"].tolist() == [120, "<10", "<10", 60]


def test_two_small_cells_need_no_complement():
    t = pd.DataFrame({"admissions": [120, 3, 4, 60]}, index=list("ABCD"))
    assert suppress(t, 5)["admissions"].tolist() == [120, "<5", "<5", 60]


def test_zeros_stay_visible_but_may_be_complements():
    t = pd.DataFrame({"n": [0, 2, 50, 70]})
    assert suppress(t, 5)["n"].tolist() == ["<5", "<5", 50, 70]
    assert suppress(pd.DataFrame({"n": [0, 8, 50]}), 5)["n"].tolist() == [0, 8, 50]
    # zeros=True hides the 0, and its complement (8) carries the same marker on purpose:
    # a different one would tell the reader which cell is the small one
    assert suppress(pd.DataFrame({"n": [0, 8, 50]}), 5, zeros=True)["n"].tolist() == [
        "<5", "<5", 50
    ]


def test_crosstab_rows_and_columns():
    # ward 1 / 1-3 = 4 is small. Column ward 1 -> hide 20 (smallest visible);
    # row 1-3 -> hide 50; row 0 now has one hidden -> hide 25; all lines then have 0 or 2.
    x = pd.DataFrame({"ward 1": [20, 4, 30], "ward 2": [25, 50, 35]}, index=["0", "1-3", "4+"])
    mask = suppression_mask(x, 5)
    expected = pd.DataFrame(
        {"ward 1": [True, True, False], "ward 2": [True, True, False]}, index=x.index
    )
    pd.testing.assert_frame_equal(mask, expected)
    assert suppress(x, 5).loc["4+"].tolist() == [30, 35]


def test_crosstab_cascade():
    # 3x3 with one small cell in the middle: the cascade hides a 2x2 block.
    x = pd.DataFrame([[50, 60, 70], [80, 2, 90], [100, 110, 120]], columns=list("abc"))
    mask = suppression_mask(x, 5).to_numpy()
    assert mask.sum() == 4
    assert mask[1, 1] and mask[0, 1] and mask[1, 0] and mask[0, 0]


def test_linked_columns_hidden_with_their_counts():
    t = pd.DataFrame(
        {"admissions": [500, 2, 40], "patients": [450, 2, 35],
         "total_cost": [1e6, 3000.0, 8e4], "mean_cost": [2000.0, 1500.0, 2000.0]},
        index=["Medication", "Dialysis", "Surgery"],
    )
    out = suppress(t, 10)
    assert out.loc["Dialysis"].tolist() == ["<10"] * 4
    assert out.loc["Surgery"].tolist() == ["<10"] * 4  # complement of the column
    assert out.loc["Medication", "total_cost"] == 1e6
    # linked=None leaves costs alone
    assert suppress(t, 10, linked=None).loc["Dialysis", "mean_cost"] == 1500.0


def test_series_and_kpi_tables():
    df = hp.datasets.load_sample()
    s = hp.admissions(df, "2025-12-01", "2025-12-15", by="ward")
    out = suppress(s, 12)
    assert isinstance(out, pd.Series) and out.name == s.name
    hidden = out.map(lambda v: isinstance(v, str))
    assert (s[~hidden] >= 12).all() | (s[~hidden] == 0).all()
    assert hidden.sum() != 1
    t = hp.by_treatment(df, "2025-12-01", "2025-12-15")
    out = suppress(t, 10)
    assert list(out.columns) == list(t.columns)


def test_bad_arguments():
    t = pd.DataFrame({"n": [1, 2]})
    with pytest.raises(ArgumentError):
        suppress(t, 0)
    with pytest.raises(ArgumentError):
        suppress(t, 2.5)
    with pytest.raises(ArgumentError, match="not in the table"):
        suppress(t, 5, columns=["x"])
    with pytest.raises(ArgumentError):
        suppress([1, 2], 5)


def test_no_counts_no_change():
    t = pd.DataFrame({"occupancy": [0.5, 0.9]})
    pd.testing.assert_frame_equal(suppress(t, 10), t)


# ------------------------------------------------------------------ property
def _lines(mask: np.ndarray, crosstab: bool):
    yield from (mask[:, j] for j in range(mask.shape[1]))
    if crosstab:
        yield from (mask[i, :] for i in range(mask.shape[0]))


@given(
    cells=st.integers(1, 6).flatmap(
        lambda ncol: st.lists(
            st.lists(st.integers(0, 40), min_size=ncol, max_size=ncol), min_size=2, max_size=8
        )
    ),
    threshold=st.integers(1, 15),
)
def test_no_hidden_cell_recoverable_from_totals(cells, threshold):
    frame = pd.DataFrame(cells, columns=[f"c{j}" for j in range(len(cells[0]))])
    crosstab = frame.shape[1] >= 2
    mask = suppression_mask(frame, threshold).to_numpy()
    values = frame.to_numpy()
    # every small non-zero count is hidden
    assert mask[(values > 0) & (values < threshold)].all()
    # no line (column, or row of a cross-table) has exactly one hidden cell: its total
    # minus the visible cells would give that cell back
    for line in _lines(mask, crosstab):
        assert line.sum() != 1
    # the display never shows a small non-zero count
    shown = suppress(frame, threshold).to_numpy()
    for v in shown[~mask]:
        assert v == 0 or v >= threshold


# ------------------------------------------------------------------ CSV
@pytest.mark.parametrize(
    "value,expected",
    [("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("-12.5", "-12.5"), ("+3", "+3"), ("ward A", "ward A"), (-4, -4),
     (2.5, 2.5), (None, None)],
)
def test_neutralize_value(value, expected):
    assert neutralize_value(value) == expected


def test_neutralize_csv_keeps_numbers_numeric():
    t = pd.DataFrame({"ward": ["=HYPERLINK(\"http://x\")", "@a", "B"], "change": [-3, 4, -1.5]},
                     index=pd.Index(["-lbl", "ok", "+z"], name="g"))
    out = neutralize_csv(t)
    assert out["ward"].tolist() == ["'=HYPERLINK(\"http://x\")", "'@a", "B"]
    assert out["change"].dtype.kind == "f" and out["change"].tolist() == [-3, 4, -1.5]
    assert list(out.index) == ["'-lbl", "ok", "'+z"]
    text = out.to_csv()
    assert "\n'-lbl,\"'=HYPERLINK" in text and ",-3.0\n" in text
