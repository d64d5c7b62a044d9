"""Cleaning: turn a raw export into a canonical stay frame, losing nothing on the way.

Two entrances share one set of coercions:

* :func:`standardize` is the explicit, auditable path. It returns the canonical frame and a
  :class:`CleaningReport`; every input row ends up either in the clean frame or in
  ``report.rejected`` with a reason.
* :func:`prepare` is the fast path the KPI functions call on whatever frame they are given.
  It returns the canonical columns a KPI asked for, drops the rows that cannot be used and
  says so with a :class:`~hospitalytics.errors.DataQualityWarning`. On a frame that is
  already canonical it parses nothing and copies nothing.

The canonical frame
-------------------
Columns are the role names of :data:`hospitalytics.schema.ROLES`, in that order, for the
roles that resolved; the raw index labels are kept. Dtypes:

* ``admission_date``, ``discharge_date``: naive ``datetime64``. A missing discharge date
  means the patient is still in hospital.
* ``department``, ``ward``, ``location``, ``treatment``, ``admission_method``,
  ``discharge_disposition``: ``category`` with string categories, trimmed of surrounding
  whitespace; empty and null-like strings (``""``, ``"NA"``, ``"n/a"``, ``"null"``,
  ``"None"``, ``"nan"``, ``"-"``, ``"?"``) are missing. Integral numbers become ``"3"``,
  not ``"3.0"`` (also when stored as Python objects or as the text ``"3.0"``, so that
  pandas and Dask agree).
* ``cost``, ``age``: ``float64``.
* ``patient_id``, ``stay_id``: kept as they are.

Where a source has a ward column but no department column (or the reverse), the missing
one is filled from the other and the report notes it.

Dates
-----
Strings are parsed in vectorised passes: ISO 8601 (``2024-01-05``, ``2024-01-05 13:20:00``,
``2024-01-05T13:20:00Z``, ``2024-01-05T13:20:00+01:00``), then ``05/01/2024``-style dates
(with optional ``HH:MM[:SS]``), then ``2024/01/05``, then pandas' ``format="mixed"``
parser for what is left (``5 Jan 2024`` ...). A column may mix formats.

**Day first or month first.** ``dayfirst=True`` or ``False`` says it. With
``dayfirst=None`` (the default) the ``d/m/y``-shaped values of both date columns decide
together: ``13/01/2024`` can only be day first, ``01/13/2024`` only month first. When
nothing decides, the dates are read month first with a note (a warning from the KPI
functions) that says how to force the order; dotted dates (``05.01.2024``) are read day
first. Values of both shapes: each is read in the only order it allows, and those either
order could read are rejected as unparseable, with a note.

**Numbers** in a date column are Excel serial dates (days since 1899-12-30) when they all
lie between 20,000 and 80,000, with a note; other numbers count as unparseable (convert
epochs yourself).

**The time-zone rule: the hospital's wall clock.** The midnight census and calendar-day
LOS are counted on the hospital's own clock, so every date ends up naive. Naive values
are wall-clock times and are kept as they are. Values that carry a zone:

* with ``timezone=`` (an IANA name such as ``"Europe/London"``): converted to that zone,
  then made naive;
* without it (the default): a tz-aware column is read in *its own* zone and made naive
  (00:30 BST on 1 June stays 00:30 on 1 June); strings that all carry the same offset
  (``Z``, ``UTC``, ``GMT``, ``+01:00`` ...) are read at that offset; strings that *mix*
  offsets have no single zone, so they are converted to UTC, with a note (and, from the
  KPI functions, a warning) that says so and asks for ``timezone=``.

**Dates out of range.** A date must lie in :data:`DATE_RANGE` (1900-01-01 to 2250-12-31,
which holds MIMIC-IV's shifted dates). A discharge date that is one of
:data:`OPEN_PLACEHOLDERS` (``9999-12-31``, ``9999-01-01``, ``2999-12-31``,
``3000-01-01``, at any time of day) means "not discharged yet": it becomes a missing
discharge date, counted under ``open_stay_placeholder``. Any other date outside the range
(typo years such as ``1024`` or ``20245``, which no timestamp type may even hold) rejects
its row as ``date_out_of_range``. An admission or discharge date on one of
:data:`DATE_PLACEHOLDERS` (``1900-01-01``, Excel's day 0 ...) more than a year before the
first real admission rejects its row as ``placeholder_date``. Kept stays with a date
after today, or longer than a year, get a note.

Costs and ages
--------------
Numbers pass through. Strings lose currency symbols and codes (``$``, ``£``, ``€``,
``USD`` ...), spaces and ``'`` separators; ``(123.00)`` is ``-123``. A comma is a thousands
separator (``"32,963.07"``) unless it is followed by exactly one or two final digits
(``"1 200,50"``, ``"12,5"``), where it is the decimal mark. Ages may end in ``y``/``yrs``/
``years``; top-coded ages (``85+``, ``90 and over``, ``>89``, ``>=90``) are read as their
lower bound (``>89`` is 90) and ``<1`` as 0, with a note. A cost column whose values
write a decimal comma (``1.234,50``) and none a decimal point is read with a decimal
comma throughout (``2.500`` is 2500), with a note. A value that still does not parse, or
is not finite (``inf``, ``-inf``, ``"Infinity"``), becomes NaN and is counted.

Rejections and warnings
-----------------------
Each rejected row gets the first reason that fires, in the order of
:data:`REJECTION_REASONS`:

``missing_admission_date``
    the admission date is null or empty;
``unparseable_admission_date``
    the admission date is not empty but cannot be parsed;
``unparseable_discharge_date``
    the discharge date is not empty but cannot be parsed (a null discharge is fine);
``placeholder_date``
    a date on a "no date" placeholder day (:data:`DATE_PLACEHOLDERS`) more than a year
    before the first real admission;
``date_out_of_range``
    a date outside :data:`DATE_RANGE` that is not an open-stay placeholder, or a stay
    of more than 200 years;
``discharge_before_admission``
    the discharge timestamp is earlier than the admission timestamp;
``negative_age``
    the age is below zero, which is impossible;
``duplicate``
    with a ``stay_id`` column: the same stay id as an earlier row and equal to it in every
    role column (rows of one stay that differ in ward or dates are ward segments, and two
    rows with different stay ids are never duplicates); without one: equal to an earlier
    row in every column of the source. The first is kept;
    ``standardize(..., drop_duplicates=False)`` keeps them all.

Suspicious but possible values are kept and counted under :data:`WARNING_RULES`:
``open_stay_placeholder``, ``negative_cost``, ``zero_length_stay`` (discharge timestamp
equal to the admission timestamp), ``age_over_120``, ``unparseable_cost`` and
``unparseable_age`` (set to NaN).

Examples
--------
>>> import pandas as pd
>>> from hospitalytics.clean import standardize
>>> raw = pd.DataFrame({
...     "Date of Admission": ["2024-01-05", "2024-01-06", ""],
...     "Discharge Date": ["2024-01-07", "2024-01-02", "2024-01-08"],
... })
>>> clean, report = standardize(raw)
>>> clean
  admission_date discharge_date
0     2024-01-05     2024-01-07
>>> report.rejected
  Date of Admission Discharge Date                      reason
1        2024-01-06     2024-01-02  discharge_before_admission
2                       2024-01-08      missing_admission_date
"""

from __future__ import annotations

from ._clean_prepare import (
    prepare,
)
from ._clean_report import (
    CleaningReport,
    standardize,
)
from ._clean_rules import (
    AGE_OVER_120,
    DATE_OUT_OF_RANGE,
    DATE_PLACEHOLDERS,
    DATE_RANGE,
    DISCHARGE_BEFORE_ADMISSION,
    DUPLICATE,
    MISSING_ADMISSION_DATE,
    NEGATIVE_AGE,
    NEGATIVE_COST,
    OPEN_PLACEHOLDERS,
    OPEN_STAY_PLACEHOLDER,
    PLACEHOLDER_DATE,
    REJECTION_REASONS,
    UNPARSEABLE_ADMISSION_DATE,
    UNPARSEABLE_AGE,
    UNPARSEABLE_COST,
    UNPARSEABLE_DISCHARGE_DATE,
    WARNING_RULES,
    ZERO_LENGTH_STAY,
)

__all__ = [
    "AGE_OVER_120",
    "DATE_OUT_OF_RANGE",
    "DATE_PLACEHOLDERS",
    "DATE_RANGE",
    "DISCHARGE_BEFORE_ADMISSION",
    "DUPLICATE",
    "MISSING_ADMISSION_DATE",
    "NEGATIVE_AGE",
    "NEGATIVE_COST",
    "OPEN_PLACEHOLDERS",
    "OPEN_STAY_PLACEHOLDER",
    "PLACEHOLDER_DATE",
    "REJECTION_REASONS",
    "UNPARSEABLE_ADMISSION_DATE",
    "UNPARSEABLE_AGE",
    "UNPARSEABLE_COST",
    "UNPARSEABLE_DISCHARGE_DATE",
    "WARNING_RULES",
    "ZERO_LENGTH_STAY",
    "CleaningReport",
    "prepare",
    "standardize",
]
