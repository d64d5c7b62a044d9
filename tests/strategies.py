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


# --------------------------------------------------------------- KPI engine strategies
#: The first day of the window the stay strategies draw admissions from.
STAY_EPOCH = dt.datetime(2025, 1, 20)
#: Wards the stay strategies draw from (``None``: no ward recorded).
STAY_WARDS = ("A", "B", "C")


@st.composite
def canonical_stays(
    draw, min_rows: int = 0, max_rows: int = 20, timed: bool | None = None
) -> pd.DataFrame:
    """Small canonical stay frames for the KPI engine's properties.

    Admissions fall within ~70 days from :data:`STAY_EPOCH` (spanning month ends); stays
    last 0-25 days (0: same-day) or are open (NaT discharge); wards come from
    :data:`STAY_WARDS` or are missing; costs are always present (no warnings). With
    ``timed=None`` each frame is date-only or timed at random.
    """
    n = draw(st.integers(min_rows, max_rows))
    if timed is None:
        timed = draw(st.booleans())
    adm, dis, ward, cost, pid = [], [], [], [], []
    for _ in range(n):
        day = draw(st.integers(0, 70))
        minute = draw(st.integers(0, 24 * 60 - 1)) if timed else 0
        a = STAY_EPOCH + dt.timedelta(days=day, minutes=minute)
        length = draw(st.one_of(st.none(), st.integers(0, 25)))
        if length is None:
            d = None
        else:
            extra = draw(st.integers(0, 24 * 60 - 1 - minute)) if timed and length == 0 else (
                draw(st.integers(0, 24 * 60 - 1)) if timed else 0
            )
            base = dt.datetime(a.year, a.month, a.day) + dt.timedelta(days=length)
            d = base + dt.timedelta(minutes=minute + extra if length == 0 else extra)
        adm.append(a)
        dis.append(d)
        ward.append(draw(st.one_of(st.sampled_from(STAY_WARDS), st.none())))
        cost.append(float(draw(st.integers(0, 5000))))
        pid.append(f"P{draw(st.integers(1, 6))}")
    return pd.DataFrame(
        {
            "patient_id": pd.Series(pid, dtype=object),
            "admission_date": pd.to_datetime(pd.Series(adm, dtype=object)).astype(
                "datetime64[ns]"
            ),
            "discharge_date": pd.to_datetime(pd.Series(dis, dtype=object)).astype(
                "datetime64[ns]"
            ),
            "ward": pd.Series(ward, dtype=object),
            "cost": pd.Series(cost, dtype="float64"),
        }
    )
