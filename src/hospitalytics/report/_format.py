"""Number formatting of the report: re-exported from :mod:`hospitalytics._format`.

Kept so that ``from hospitalytics.report._format import fmt`` goes on working; the one home
of formatting (charts, cards, report, CLI) is :mod:`hospitalytics._format`.
"""

from __future__ import annotations

from .._format import UNIT_KIND, fmt, fmt_change

__all__ = ["UNIT_KIND", "fmt", "fmt_change"]
