"""Small-number protection for everything a report publishes, and its auditor.

A KPI output never holds patient-level rows, but a small count can still point at a
person ("2 patients aged 0-17 in the oncology unit in March"), and so can a figure
that, combined with others the same output publishes, gives that count back: a total
minus its visible parts, a month minus its month-to-date, a rate times its denominator,
the rows read minus the rows rejected. Protection therefore works on the whole
publication at once:

- :class:`Publication` holds every figure an output publishes and the linear relations
  between them (a total is the sum of its groups, a period the sum of its months, MTD is
  part of its month, patients <= admissions, bed-days = average daily census x days,
  rate = count / denominator, the cleaning counts...).
- :func:`protect` applies one of two methods (:func:`parse_privacy`):

  ``suppress:N``
      Counts from 1 to N-1 are hidden as ``"<N"`` (primary suppression), and rates and
      means from fewer than N individuals with them. Then, while an attacker could narrow
      a hidden count to fewer than N possible values, another figure of the relation
      that narrows it is hidden (secondary suppression): the smallest non-zero count,
      never a zero.
  ``hes``
      NHS Digital's disclosure control for HES and ECDS (since September 2018): counts
      from 1 to 7 are shown as ``*``, every other count is rounded to the nearest 5
      (totals from their unrounded values), rates and means from 1 to 7 individuals are
      ``*``. Rates of two published counts are computed from the rounded counts.

- :func:`audit` checks a protected publication by linear programming: the tightest
  interval an attacker can derive for each protected cell.

:func:`hospitalytics.report.build_report` does all of this with ``privacy="suppress:10"``
or ``privacy="hes"`` (the command line's ``--privacy``).

For a single table of your own, :func:`suppress` and :func:`suppression_mask` hide small
counts with complementary suppression within the table's columns (and rows, for a
cross-table). :func:`neutralize_csv` makes text cells safe to open in a spreadsheet.

Examples
--------
>>> pub = Publication()
>>> total = pub.add("admissions", 60)
>>> pub.sums(total, [pub.add(("age", "0-17"), 0), pub.add(("age", "85+"), 3),
...                  pub.add(("age", "18-84"), 57)])
>>> protect(pub, "suppress:10").display().tolist()
[60, 0, '<10', '<10']
>>> audit(pub).ok
True
"""

from ._audit import AuditResult, audit
from ._model import Publication, attacker_bounds, violations
from ._protect import protect
from ._spec import HES_ROUNDING, HES_THRESHOLD, Privacy, hes_round, parse_privacy
from ._tables import (
    neutralize_csv,
    neutralize_value,
    suppress,
    suppression_marker,
    suppression_mask,
)

__all__ = [
    "HES_ROUNDING",
    "HES_THRESHOLD",
    "AuditResult",
    "Privacy",
    "Publication",
    "attacker_bounds",
    "audit",
    "hes_round",
    "neutralize_csv",
    "neutralize_value",
    "parse_privacy",
    "protect",
    "suppress",
    "suppression_marker",
    "suppression_mask",
    "violations",
]
