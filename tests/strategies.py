"""Shared Hypothesis strategies for hospitalytics tests.

Import them as ``from strategies import messy_frames`` (tests run with
``--import-mode=importlib``; the conftest puts ``tests/`` on ``sys.path``) or through
``importlib`` as test_clean.py does.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import strategies as st

#: Valid admission timestamps as the strategies produce them.
timestamps = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 12, 31)
).map(lambda t: t.replace(microsecond=0))


def _date_text(t: dt.datetime) -> st.SearchStrategy[str]:
    """The same instant written the ways real exports write it."""
    return st.sampled_from(
        [
            t.strftime("%Y-%m-%d"),
            t.strftime("%Y-%m-%d %H:%M:%S"),
            t.strftime("%Y-%m-%dT%H:%M:%SZ"),
            t.strftime("%Y-%m-%dT%H:%M:%S+01:00"),
            t.strftime("%m/%d/%Y"),
            t.strftime("  %Y-%m-%d  "),
        ]
    )


#: Date cells: valid strings in several formats, garbage, empties and nulls.
date_cells = st.one_of(
    timestamps.flatmap(_date_text),
    st.sampled_from(["", "   ", "NA", "not a date", "2024-13-45", "31/31/2031", "soon"]),
    st.none(),
)

#: Cost cells: numbers as text with currency and separators, garbage and nulls.
cost_cells = st.one_of(
    st.floats(-1e6, 1e7, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.floats(0, 1e7, allow_nan=False).map(lambda x: f"${x:,.2f}"),
    st.floats(0, 1e5, allow_nan=False).map(lambda x: f"({x:.2f})"),
    st.sampled_from(["", "n/a", "free", "12abc"]),
    st.none(),
)

#: Age cells: ints, text, impossible and absurd values, nulls.
age_cells = st.one_of(
    st.integers(-5, 130),
    st.integers(0, 110).map(str),
    st.sampled_from(["", "unknown", "45 years"]),
    st.none(),
)

#: Label cells: a few wards with stray whitespace, empties and nulls.
label_cells = st.one_of(
    st.sampled_from(["ICU", " ICU", "ICU ", "Ward 3", "Surgery", ""]),
    st.none(),
)


@st.composite
def messy_frames(draw, min_rows: int = 0, max_rows: int = 25) -> pd.DataFrame:
    """Kaggle-style raw frames with messy cells, exact duplicates and a shuffled index."""
    n = draw(st.integers(min_rows, max_rows))
    rows = [
        {
            "Date of Admission": draw(date_cells),
            "Discharge Date": draw(date_cells),
            "Billing Amount": draw(cost_cells),
            "Age": draw(age_cells),
            "Department": draw(label_cells),
        }
        for _ in range(n)
    ]
    if rows:  # exact duplicates of earlier rows
        extra = draw(st.lists(st.integers(0, len(rows) - 1), max_size=5))
        rows += [dict(rows[i]) for i in extra]
    frame = pd.DataFrame(
        rows,
        columns=["Date of Admission", "Discharge Date", "Billing Amount", "Age", "Department"],
        dtype=object,
    )
    labels = draw(st.permutations(range(100, 100 + len(frame))))
    frame.index = pd.Index(list(labels), dtype="int64")
    return frame
