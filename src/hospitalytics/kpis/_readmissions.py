"""Readmissions: the rate, its rules and the ward-segment shape check."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._frame import Context, setup
from .._sweep import NS_PER_DAY
from .._warn import warn
from ..definitions import (
    DISPOSITION_EXCLUSIONS,
    bare_codes,
    classify_dispositions,
    planned_admissions,
)
from ..errors import ArgumentError, ArgumentTypeError
from ..periods import Period
from ._kernels import NAT, Columns, discharged, repeat_rows, ward_categories
from ._specs import Labeled, Plan, Spec, run

__all__ = [
    "READMISSION_RATE",
    "READMISSION_WANTS",
    "ReadmissionRules",
    "SEGMENT_SHARE",
    "bare_codes_message",
    "data_checks",
    "disposition_bare_codes",
    "disposition_kinds",
    "readmission_counts",
    "readmission_needs",
    "readmission_rate",
    "readmission_ratio",
    "segment_message",
    "segment_shape",
    "warn_data_checks",
    "warn_segment_shape",
]

#: The roles :func:`readmission_rate` reads when the data has them.
READMISSION_WANTS = ("ward", "stay_id", "discharge_disposition")


def readmission_rate(
    df: pd.DataFrame,
    start=None,
    end=None,
    *,
    mtd: bool = False,
    qtd: bool = False,
    ytd: bool = False,
    as_of=None,
    window: int = 30,
    follow_up: str = "complete",
    exclude_dispositions: bool | str | Mapping = True,
    exclude_planned: bool | Sequence = False,
    details: bool = False,
    columns: Columns = None,
) -> float | pd.Series:
    """All-cause readmission rate within ``window`` days (crude: **not risk-adjusted**).

    **Index stays** are the stays discharged in the period, less those that cannot be
    followed up, as CMS's hospital-wide measure and the Tuva project count them:

    - with ``follow_up="complete"`` (the default), the whole window must have passed:
      ``date(discharge) + window <= as_of``. Stays discharged later are left out (their
      readmissions may still come), so a month-to-date rate is read only once its windows
      have closed; ``"partial"`` keeps them (the rate then falls as the as-of date nears);
    - with a ``discharge_disposition`` column, stays that ended in death, a transfer to
      another acute hospital or a self-discharge against medical advice are left out
      (``exclude_dispositions``; the vocabularies are in
      :func:`hospitalytics.definitions.classify_dispositions`).

    An index stay is **readmitted** when the same patient's next admission (the first one
    that begins strictly after the index admission; ties do not count) begins 0 to
    ``window`` calendar days after the index discharge date and by the as-of date.
    The gap is in calendar days: a concurrent stay (a next admission on a day before the
    index discharge date) does not count; one on the discharge date counts, whatever the
    clock times. With
    ``exclude_planned`` and an ``admission_method`` column, a next admission that was
    planned does not count (as CMS, the first readmission decides: a planned one is not
    followed further). Segments of one stay (rows sharing a ``stay_id``) make one stay.
    Patient ids are compared by their text (``7`` and ``"7"`` are one patient).

    Parameters
    ----------
    df : DataFrame
        Stays with a ``patient_id``.
    start, end, mtd, qtd, ytd, as_of, columns
        As for :func:`admissions`.
    window : int, default 30
        Days after the index discharge date (NHS I02040 counts 0-29 days: ``window=29``).
    follow_up : {"complete", "partial"}, default "complete"
        Keep only the index stays whose window has closed by the as-of date, or all.
    exclude_dispositions : bool, str or mapping, default True
        ``True``: leave out index stays ending in death, acute transfer or self-discharge,
        reading text (MIMIC-IV ``discharge_location``, plain words) and OMOP concept ids;
        a code list's name (``"hes_dismeth"``, ``"hes_disdest"``, ``"ub04"``, ``"omop"``)
        for bare codes; a ``{value: "died" | "acute_transfer" | "self_discharge"}``
        mapping for your own; ``False`` to keep every index stay. Without a
        ``discharge_disposition`` column nothing is left out.
    exclude_planned : bool or sequence, default False
        ``True``: a planned next admission (elective, booked, waiting list; see
        :func:`hospitalytics.definitions.planned_admissions`) is not a readmission; or
        the ``admission_method`` values that are planned in your data. Needs an
        ``admission_method`` column.
    details : bool, default False
        Return the counts behind the rate instead of the rate alone.

    Returns
    -------
    float or Series
        Readmitted index stays / index stays (NaN with no index stay). With
        ``details=True``, a Series (counts as ints, the rate as a float) indexed by
        ``discharges`` (stays discharged in the period), ``excluded_died``,
        ``excluded_acute_transfer``,
        ``excluded_self_discharge``, ``excluded_open_window`` (each stay counted under
        the first reason that applies, in that order), ``index_stays``, ``readmitted``,
        ``excluded_planned`` (index stays whose planned next admission was not counted)
        and ``rate``.

    Raises
    ------
    SchemaError
        Without patient ids or discharge dates; with ``exclude_planned`` and no admission
        method.

    Warns
    -----
    DataQualityWarning
        When the dispositions are bare codes of an unnamed code list, and when the rows
        look like ward segments of longer stays (no ``stay_id``).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> df = hp.datasets.load_sample()
    >>> round(hp.readmission_rate(df, "2025-01-01", "2025-06-30"), 3)
    0.057
    >>> d = hp.readmission_rate(df, "2025-11-01", "2025-12-15", details=True)
    >>> d[["discharges", "excluded_open_window", "index_stays", "readmitted"]].tolist()
    [3016, 2091, 925, 64]
    >>> round(d["rate"], 3)
    0.069
    """
    rules = ReadmissionRules.of(window, follow_up, exclude_dispositions, exclude_planned)
    ctx = setup(df, start=start, end=end, mtd=mtd, qtd=qtd, ytd=ytd, as_of=as_of,
                columns=columns, needs=readmission_needs(rules), wants=READMISSION_WANTS,
                needed_by="readmission_rate")
    plan = Plan.of(ctx, "readmission_rate", rules=rules, details=details)
    return run(READMISSION_RATE, ctx, plan)


# --------------------------------------------------------------------------- spec
def readmission_needs(rules: ReadmissionRules) -> tuple[str, ...]:
    """The roles a readmission rate under ``rules`` cannot do without."""
    needs = ("patient_id", "discharge_date")
    if rules.exclude_planned is not False:
        needs += ("admission_method",)
    return needs


def data_checks(ctx: Context, rules: ReadmissionRules) -> dict:
    """What the readmission warnings count over a chunk of whole patients.

    The rows back to back in another ward (:func:`segment_shape`) and the bare
    disposition codes of an unnamed code list.
    """
    pairs, n = segment_shape(ctx)
    found = disposition_bare_codes(ctx.events(), rules)
    return {"segments": {"pairs": pairs, "rows": n, "unlabelled": unlabelled_segments(ctx)},
            "bare_codes": Labeled(list(found), np.ones(len(found), dtype="int64"))}


def warn_data_checks(total: dict) -> None:
    """Warn once about segment-shaped rows and bare disposition codes (see :func:`data_checks`)."""
    msg = segment_message(total["segments"]["pairs"], total["segments"]["rows"])
    if msg:
        warn(msg)
    msg = unlabelled_message(total["segments"].get("unlabelled", 0))
    if msg:
        warn(msg)
    codes = total["bare_codes"].labels
    if codes:
        warn(bare_codes_message(sorted(codes, key=lambda t: (len(t), t))))


def _readmission_chunk(ctx: Context, plan: Plan) -> dict:
    rules = plan.option("rules")
    return {"checks": data_checks(ctx, rules),
            "counts": readmission_counts(ctx.events(), plan.period, rules)}


def _readmission_final(total: dict, plan: Plan):
    counts = total["counts"]
    rate = readmission_ratio(counts)
    if not plan.option("details"):
        return rate
    return pd.Series({**counts, "rate": rate}, name="readmission_rate", dtype=object)


#: The readmission rate: counts over chunks of whole patients, divided once.
READMISSION_RATE = Spec(
    "readmission_rate", _readmission_chunk, _readmission_final,
    warn=lambda total, plan: warn_data_checks(total["checks"]),
    needs=("patient_id", "discharge_date"), wants=READMISSION_WANTS, events=True,
    patients=True,
)




@dataclass(frozen=True)
class ReadmissionRules:
    """The conventions of one readmission rate (the options of :func:`readmission_rate`).

    Hashable (mappings and lists are kept as tuples), so that Dask can carry it.
    """

    window: int = 30
    follow_up: str = "complete"
    exclude_dispositions: bool | str | tuple = True
    exclude_planned: bool | tuple = False

    @classmethod
    def of(cls, window, follow_up, exclude_dispositions, exclude_planned) -> ReadmissionRules:
        """Check and normalise the options; raise ``ArgumentError`` naming a bad one."""
        if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 0:
            raise ArgumentError(f"window must be a whole number of days >= 0, got {window!r}.",
                                argument="window", value=window, allowed="int >= 0")
        if follow_up not in ("complete", "partial"):
            raise ArgumentError(
                f"follow_up must be 'complete' (index stays whose window has closed by the "
                f"as-of date) or 'partial', got {follow_up!r}.",
                argument="follow_up", value=follow_up, allowed=("complete", "partial"),
            )
        disp = exclude_dispositions
        if isinstance(disp, Mapping | str):
            try:
                classify_dispositions([], disp)  # validates the name or the categories
            except ArgumentError as exc:
                raise ArgumentError(f"exclude_dispositions: {exc}",
                                    argument="exclude_dispositions", value=disp,
                                    allowed=exc.allowed) from None
            if isinstance(disp, Mapping):
                disp = tuple(disp.items())
        elif not isinstance(disp, bool):
            raise ArgumentTypeError(
                "exclude_dispositions must be True, False, a code list's name or a "
                f"{{value: category}} mapping, got {type(disp).__name__}.",
                argument="exclude_dispositions", value=disp,
                allowed=("bool", "code list name", "mapping"),
            )
        planned = exclude_planned
        if not isinstance(planned, bool):
            if isinstance(planned, str | bytes) or not isinstance(planned, Iterable):
                raise ArgumentError(
                    "exclude_planned must be True, False or a list of the admission methods "
                    f"that are planned, got {planned!r}.",
                    argument="exclude_planned", value=planned, allowed=("bool", "list"),
                )
            planned = tuple(planned)
        return cls(int(window), follow_up, disp, planned)

    def describe(self, has_disposition: bool) -> str:
        """The convention in one line (the summary's ``convention`` column)."""
        text = (
            f"crude, not risk-adjusted: next admission 0-{self.window} days after discharge"
        )
        if self.follow_up == "complete":
            text += f"; index stays whose {self.window}-day window closed by the as-of date"
        if has_disposition and self.exclude_dispositions is not False:
            text += "; deaths, acute transfers and self-discharges left out"
        if self.exclude_planned is not False:
            text += "; planned readmissions not counted"
        return text


def readmission_ratio(counts: Mapping[str, int]) -> float:
    """Readmitted / index stays (NaN without index stays)."""
    n = counts["index_stays"]
    return float(counts["readmitted"] / n) if n else float("nan")


def readmission_counts(ev: Context, period: Period, rules: ReadmissionRules) -> dict[str, int]:
    """The counts behind a readmission rate, over stays (one row each; whole patients).

    Shared with :mod:`hospitalytics.dask`, whose partitions hold whole patients.
    """
    index = discharged(ev, period)
    counts = {"discharges": int(np.count_nonzero(index))}
    kind = disposition_kinds(ev, rules)
    for code, name in enumerate(DISPOSITION_EXCLUSIONS, start=1):
        hit = index & (kind == code) if kind is not None else np.zeros_like(index)
        counts[f"excluded_{name}"] = int(np.count_nonzero(hit))
        index &= ~hit
    if rules.follow_up == "complete":
        st = ev.stays
        # date(discharge) + window > as_of: discharged on or after as_of - window + 1
        open_window = index & (st.dis_ns >= (st.as_of_day - rules.window + 1) * NS_PER_DAY)
        counts["excluded_open_window"] = int(np.count_nonzero(open_window))
        index &= ~open_window
    else:
        counts["excluded_open_window"] = 0
    readmit, planned = _readmitted(ev, rules)
    counts["index_stays"] = int(np.count_nonzero(index))
    counts["readmitted"] = int(np.count_nonzero(readmit & index))
    counts["excluded_planned"] = int(np.count_nonzero(planned & index))
    return counts


def disposition_kinds(ev: Context, rules: ReadmissionRules) -> np.ndarray | None:
    """Per stay: 0, or 1 + the index in DISPOSITION_EXCLUSIONS of its disposition."""
    if rules.exclude_dispositions is False or "discharge_disposition" not in ev.frame:
        return None
    key = ("disposition_kinds", rules.exclude_dispositions)
    if key not in ev.cache:
        col = ev.frame["discharge_disposition"]
        if not isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype("category")
        vocabulary = _vocabulary(rules)
        found = classify_dispositions(pd.Series(col.cat.categories, dtype=object),
                                      vocabulary).to_numpy()
        rank = {name: i for i, name in enumerate(DISPOSITION_EXCLUSIONS, start=1)}
        per_cat = np.array([rank.get(f, 0) if isinstance(f, str) else 0 for f in found]
                           + [0], dtype="int8")
        codes = col.cat.codes.to_numpy()
        ev.cache[key] = per_cat[np.where(codes < 0, len(per_cat) - 1, codes)]
    return ev.cache[key]


def _vocabulary(rules: ReadmissionRules) -> str | dict:
    disp = rules.exclude_dispositions
    if disp is True:
        return "auto"
    if isinstance(disp, tuple):
        return dict(disp)
    return disp


def disposition_bare_codes(ev: Context, rules: ReadmissionRules) -> list[str]:
    """Bare codes that ``exclude_dispositions=True`` cannot read (empty otherwise)."""
    if rules.exclude_dispositions is not True or "discharge_disposition" not in ev.frame:
        return []
    col = ev.frame["discharge_disposition"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        used = col.cat.categories[np.unique(col.cat.codes[col.cat.codes >= 0])]
        return bare_codes(used)
    return bare_codes(col.dropna().unique())


def bare_codes_message(codes: Sequence[str]) -> str:
    """The warning for disposition codes of an unnamed code list (shared with Dask)."""
    shown = ", ".join(list(codes)[:8]) + (", ..." if len(codes) > 8 else "")
    return (
        f"the discharge disposition holds bare codes ({shown}) that mean different things "
        "in different code lists (HES DISMETH, HES DISDEST, UB-04), so no index stay was "
        "left out of the readmission rate for death, transfer or self-discharge. Name the "
        "list, e.g. readmission_rate(..., exclude_dispositions='hes_dismeth'), or recode "
        "the column to text such as 'died', 'acute hospital', 'against advice'."
    )


def _planned(ev: Context, rules: ReadmissionRules) -> np.ndarray | None:
    """Per stay: was its admission planned (None when planned admissions count)."""
    if rules.exclude_planned is False or "admission_method" not in ev.frame:
        return None
    col = ev.frame["admission_method"]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    planned = True if rules.exclude_planned is True else list(rules.exclude_planned)
    per_cat = planned_admissions(pd.Series(col.cat.categories, dtype=object),
                                 planned).to_numpy()
    per_cat = np.append(per_cat, False)
    codes = col.cat.codes.to_numpy()
    return per_cat[np.where(codes < 0, len(per_cat) - 1, codes)]


def _next_stay(ev: Context) -> tuple[np.ndarray, np.ndarray]:
    """The stays that have a next admission of the same patient, and that next stay's row.

    Returns ``(rows, next_rows)`` (cached); only patients seen more than once have one.
    """
    if "next_stay" in ev.cache:
        return ev.cache["next_stay"]
    rows, p = repeat_rows(ev)
    adm_ns = ev.stays.adm_ns[rows]
    n = len(rows)
    # The next admission of each stay is the first one of the same patient that begins
    # strictly after it: stays with the same patient and admission time form one block,
    # and every stay of a block looks at the first stay of the following block (so ties
    # give the same answer whatever the row order).
    change = np.ones(n, dtype=bool)
    change[1:] = (p[1:] != p[:-1]) | (adm_ns[1:] != adm_ns[:-1])
    starts = np.flatnonzero(change)
    nxt = np.append(starts[1:], n)[np.cumsum(change) - 1]
    has_next = nxt < n
    nxt = np.minimum(nxt, max(n - 1, 0))
    same = has_next & (p[nxt] == p)
    ev.cache["next_stay"] = (rows[same], rows[nxt[same]])
    return ev.cache["next_stay"]


def _readmitted(ev: Context, rules: ReadmissionRules) -> tuple[np.ndarray, np.ndarray]:
    """Per stay: readmitted within the window, and readmitted by a planned admission."""
    key = ("readmitted", rules.window, rules.exclude_planned)
    if key in ev.cache:
        return ev.cache[key]
    st = ev.stays
    src, dst = _next_stay(ev)
    dis = st.dis_ns[src]
    gap = st.adm_ns[dst] // NS_PER_DAY - dis // NS_PER_DAY
    ok = (dis != NAT) & (gap >= 0) & (gap <= rules.window)
    if not st.all_exist:
        ok &= st.adm_ns[dst] < (st.as_of_day + 1) * NS_PER_DAY
    readmit = np.zeros(st.n, dtype=bool)
    planned_next = np.zeros(st.n, dtype=bool)
    planned = _planned(ev, rules)
    if planned is not None:
        by_plan = ok & planned[dst]
        planned_next[src[by_plan]] = True
        ok &= ~by_plan
    readmit[src[ok]] = True
    ev.cache[key] = (readmit, planned_next)
    return ev.cache[key]


def segment_shape(ctx: Context) -> tuple[int, int]:
    """Back-to-back rows of one patient in different wards, and the rows (no stay id).

    Two rows are back to back when one's discharge timestamp is the next one's admission
    timestamp, to the second and not at midnight (with dates alone a same-day readmission
    looks the same): the shape of ward segments, not of stays. ``(0, n)`` when the frame has a
    ``stay_id`` (its rows are declared), no patient id or no ward.
    """
    n = len(ctx.frame)
    if "stay_id" in ctx.frame or "patient_id" not in ctx.frame or "ward" not in ctx.frame:
        return 0, n
    if n < 2:
        return 0, n
    order, p = repeat_rows(ctx)  # rows of the patients seen more than once, in order
    adm = ctx.stays.adm_ns[order]
    dis = ctx.stays.dis_ns[order]
    ward = ward_categories(ctx)[0][order]
    back = (p[1:] == p[:-1]) & (p[1:] >= 0) & (dis[:-1] != NAT) & (dis[:-1] == adm[1:])
    # with dates alone (midnight), a same-day readmission looks the same: times only
    back &= (ward[1:] != ward[:-1]) & (dis[:-1] % NS_PER_DAY != 0)
    return int(np.count_nonzero(back)), n


def unlabelled_segments(ctx: Context) -> int:
    """Rows without a stay id back to back with the same patient's row (a stay id frame).

    Such a row is most likely a ward segment that lost its stay id: as a stay of its own,
    it makes an admission and a readmission 0 minutes after the "discharge" before it.
    Back to back as in :func:`segment_shape` (to the second, not at midnight), any ward.
    """
    if "stay_id" not in ctx.frame or "patient_id" not in ctx.frame or len(ctx.frame) < 2:
        return 0
    missing = ctx.frame["stay_id"].isna().to_numpy()
    if not missing.any():
        return 0
    order, p = repeat_rows(ctx)
    adm = ctx.stays.adm_ns[order]
    dis = ctx.stays.dis_ns[order]
    gone = missing[order]
    back = (p[1:] == p[:-1]) & (p[1:] >= 0) & (dis[:-1] != NAT) & (dis[:-1] == adm[1:])
    back &= (dis[:-1] % NS_PER_DAY != 0) & (gone[1:] | gone[:-1])
    return int(np.count_nonzero(back))


def unlabelled_message(pairs: int) -> str | None:
    """The warning for rows without a stay id that look like segments, or None."""
    if not pairs:
        return None
    return (
        f"{pairs} row(s) without a stay id start or end at the very moment another row of "
        "the same patient ends or starts: most likely ward segments whose stay id is "
        "missing. Each is counted as a stay of its own (an admission, and a readmission "
        "0 minutes after the row before it). Fill in their stay_id so that each stay is "
        "counted once."
    )


#: Share of rows back to back (see :func:`segment_shape`) from which a frame is taken
#: for ward segments. Stays of real exports are almost never back to back to the
#: nanosecond in another ward (the MIMIC-IV demo's stays: 1 in 275); segments mostly are
#: (its segments: 217 in 616).
SEGMENT_SHARE = 0.02


def segment_message(pairs: int, n: int) -> str | None:
    """The warning for a frame shaped like ward segments, or None (shared with Dask)."""
    if pairs == 0 or pairs < SEGMENT_SHARE * n:
        return None
    return (
        f"{pairs} of {n} rows look like ward segments of longer stays, not stays: the same "
        "patient leaves one ward and enters another at the same moment. Counted as stays, "
        "segments inflate admissions and readmissions and shorten the ALOS. Map the column "
        "that identifies the stay, columns={'stay_id': '<your column>'} (on the command "
        "line: --column stay_id=<your column>), so that each stay is counted once (the "
        "census and occupancy still use every segment), or pass one row per stay (e.g. "
        "hospitalytics.adapters.from_mimic(level='stay'))."
    )


def warn_segment_shape(ctx: Context) -> None:
    """Warn when the rows look like ward segments and no stay id says so."""
    for msg in (segment_message(*segment_shape(ctx)),
                unlabelled_message(unlabelled_segments(ctx))):
        if msg:
            warn(msg)
