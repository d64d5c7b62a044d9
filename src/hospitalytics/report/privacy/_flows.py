"""Stocks and flows: how admissions, discharges, in-patients, bed-days and LOS are tied.

The relations of :mod:`._report` tie figures over the same kind of quantity (a period is
the sum of its months). These tie different quantities through the stays behind them;
an attacker who does arithmetic on what a report prints can use every one of them:

- **Stock and flow.** In-patients at the end of a day = in-patients the day before +
  admissions - discharges on the day. On the time axis cut into segments, with ``S_k``
  the in-patients at the end of segment ``k`` (0 before the first admission):
  ``S_k = S_(k-1) + A_k - D_k``. Every published in-patient count is one of these.
- **Bed-days of a segment from its stock and flows.** A midnight census of ``n`` days
  counts each patient in at the start on every day until discharged, and each admission
  from its day on: ``n S_(k-1) + A_k - n D_k <= bed-days_k <= n S_(k-1) + n A_k - D_k``
  (plus the same-day stays when a day case counts one bed-day).
- **Bed-days and length of stay.** A stay discharged by the as-of date contributes its
  nights to the bed-days; a stay still in, the days so far. With ``R_k`` the bed-days
  accrued by the in-patients at the end of segment ``k``:
  ``R_k = R_(k-1) + bed-days_k - nights_k``, ``S_k <= R_k <= T_k S_k`` (``T_k`` days
  since the first admission), and the long stays (7+, 14+, 21+ days so far) bound
  ``R_k`` further.
- **Length of stay three ways.** The nights of the stays discharged in a segment, its
  same-day stays, and the ALOS parts (stays and total days under the definitions: a
  same-day stay counts ``same_day_los`` days, or is left out) are tied stay by stay; the
  LOS bands (0, 1, 2, 3 nights, 4-7 ...) bound the period's nights: a band of ``b``
  nights holds ``b`` nights per stay, a band of ``lo``-``hi`` nights between ``lo`` and
  ``hi``, and the band ``0`` is the same-day stays.

A relation is only added when the true values satisfy it: data that breaks an assumption
(overlapping ward segments of one stay, say) loses that relation rather than misleading
the auditor (``Publication.skipped`` lists what was left out).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._model import Publication

__all__ = ["add_flows", "band_nights", "segment_arrays"]

_DAY = pd.Timedelta(days=1)
#: Past this many segments of the time axis (about 10 years of months), the flows are
#: added compactly (see :func:`_compact_flows`).
LONG_AXIS = 120


def relate_if_true(pub: Publication, terms, lo: float, hi: float, why: str) -> bool:
    """Add ``lo <= sum(coef * cell) <= hi`` when the true values satisfy it."""
    v = np.asarray(pub.values, dtype="float64")
    ids = [int(i) for i, _ in terms]
    if not np.isfinite(v[ids]).all():
        pub.skipped.append(f"{why}: a value is missing")
        return False
    s = float(sum(c * v[i] for i, c in terms))
    scale = 1e-6 * (1.0 + float(sum(abs(c * v[i]) for i, c in terms)))
    if s < lo - scale or s > hi + scale:
        pub.skipped.append(f"{why}: {s:g} not in [{lo:g}, {hi:g}]")
        return False
    pub.relate(terms, lo, hi, why)
    return True


def band_nights(label: str) -> tuple[float, float] | None:
    """The nights a LOS band holds, None for a label that is not a band.

    ``"3"`` -> (3, 3), ``"4-7"`` -> (4, 7), ``"22+"`` -> (22, inf).
    """
    t = str(label).strip()
    m = re.fullmatch(r"(\d+)", t)
    if m:
        return float(m.group(1)), float(m.group(1))
    m = re.fullmatch(r"(\d+)\s*[-\u2013]\s*(\d+)", t)
    if m:
        return float(m.group(1)), float(m.group(2))
    m = re.fullmatch(r"(\d+)\s*\+", t)
    if m:
        return float(m.group(1)), np.inf
    return None


def _days(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")


def segment_arrays(stays: pd.DataFrame, axis, as_of: pd.Timestamp) -> dict[str, np.ndarray]:
    """Per segment: the nights and same-day stays of those discharged in it by ``as_of``.

    Also ``"first_day"``: the first admission day (a one-element datetime64[D] array,
    empty without stays).
    """
    size = len(axis.bounds) + 1
    a = np.datetime64(pd.Timestamp(as_of).date(), "D")
    adm = _days(stays["admission_date"])
    out = {"nights": np.zeros(size), "same_day": np.zeros(size),
           "first_day": adm[~np.isnat(adm)].min(keepdims=True) if (~np.isnat(adm)).any()
           else np.array([], dtype="datetime64[D]")}
    if "discharge_date" not in stays or not len(stays):
        return out
    dis = _days(stays["discharge_date"])
    done = ~np.isnat(dis) & (dis <= a) & ~np.isnat(adm)
    nights = (dis[done] - adm[done]).astype("int64").astype("float64")
    seg = axis.of_days(dis[done])
    out["nights"] = np.bincount(seg, weights=nights, minlength=size)
    out["same_day"] = np.bincount(seg, weights=(nights == 0).astype("float64"),
                                  minlength=size)
    return out


def _day_numbers(stays: pd.DataFrame, as_of) -> tuple[np.ndarray, np.ndarray]:
    """Admission days and discharge days (int64 max when not discharged by ``as_of``)."""
    a = np.datetime64(pd.Timestamp(as_of).date(), "D")
    adm = _days(stays["admission_date"])
    dis = (_days(stays["discharge_date"]) if "discharge_date" in stays
           else np.full(len(adm), np.datetime64("NaT"), dtype="datetime64[D]"))
    ok = ~np.isnat(adm)
    gone = ~np.isnat(dis) & (dis <= a)
    adm_i = adm[ok].astype("int64")
    dis_i = np.where(gone[ok], dis[ok].astype("int64"), np.iinfo("int64").max)
    return adm_i, dis_i


def _stock_and_accrued(stays: pd.DataFrame, axis, as_of,
                       last_seg: int) -> tuple[np.ndarray, np.ndarray]:
    """In-patients at the end of each segment ``0..last_seg`` and their accrued bed-days.

    The bed-days are the days so far, computed from the stays (not from the atoms they
    are tied to).
    """
    adm_i, dis_i = _day_numbers(stays, as_of)
    ends = np.array([np.datetime64(b.date(), "D").astype("int64")
                     for b in axis.bounds[:last_seg + 1]], dtype="int64")  # exclusive
    by_adm = np.sort(adm_i)
    adm_sum = np.concatenate([[0], np.cumsum(by_adm)])
    order = np.argsort(dis_i, kind="stable")
    by_dis = dis_i[order]
    adm_of_dis = np.concatenate([[0], np.cumsum(adm_i[order])])
    came = np.searchsorted(by_adm, ends, side="left")  # admitted before the end
    left = np.searchsorted(by_dis, ends, side="left")  # discharged before the end
    stock = (came - left).astype("float64")
    # days so far of those still in: end - admission day, summed
    accrued = ends * stock - (adm_sum[came] - adm_of_dis[left])
    return stock, accrued.astype("float64")


def add_flows(
    b,
    *,
    snapshots: list[tuple[int, pd.Timestamp, dict[int, int]]],
    bands: tuple[dict[str, int], pd.Timestamp, pd.Timestamp] | None,
    bed_days: bool,
) -> None:
    """Add the stock, flow and length-of-stay relations to the publication of builder ``b``.

    Parameters
    ----------
    b : _Builder
        The report's publication builder (segments, atoms, the stays).
    snapshots : list of (int, Timestamp, dict)
        Each published in-patient count: its cell, its day, and its long-stay cells
        (threshold in days -> cell).
    bands : tuple or None
        The LOS bands of the period: ``({label: cell}, first, last)``.
    bed_days : bool
        Whether the bed-days are part of the report (they are computed when they are).
    """
    pub: Publication = b.pub
    axis = b.axis
    a = pd.Timestamp(b.as_of)
    defs = b.defs
    stays = b.stays
    has_dis = "discharge_date" in b.clean
    if len(stays) == 0 or (a + _DAY) not in axis._pos:
        return
    last_seg = axis._pos[a + _DAY]
    arrays = segment_arrays(stays, axis, a)
    b.per_segment.update({k: arrays[k] for k in ("nights", "same_day")})
    if not len(arrays["first_day"]):
        return
    f0 = pd.Timestamp(arrays["first_day"][0])

    def n_days(k: int) -> int:
        first = axis.bounds[k - 1] if k >= 1 else f0
        return max((axis.bounds[k] - first).days, 0)

    def since_start(k: int) -> int:
        return max((axis.bounds[k] - f0).days, 0)

    if last_seg > LONG_AXIS:
        _compact_flows(b, snapshots=snapshots, bands=bands, last_seg=last_seg,
                       longest=float(max((a - f0).days, 0)), has_dis=has_dis)
        return
    stock_v, accrued_v = _stock_and_accrued(stays, axis, a, last_seg)
    if not has_dis:
        accrued_v = None
    day_case = bool(getattr(defs, "day_case_bed_day", False))
    stock: list[int] = []
    accrued: list[int] = []
    for k in range(last_seg + 1):
        s = pub.add(("stock", k), stock_v[k], shown=False)
        stock.append(s)
        adm = b.atom("admissions", k)
        terms = [(s, 1.0), (adm, -1.0)]
        if k:
            terms.append((stock[k - 1], -1.0))
        dis = b.atom("discharges", k) if has_dis else None
        if dis is not None:
            terms.append((dis, 1.0))
        relate_if_true(pub, terms, 0.0, 0.0,
                       "in-patients at a segment's end = at its start + admissions - "
                       "discharges")
        if not bed_days:
            continue
        n = float(n_days(k))
        bd = b.atom("bed_days", k)
        same = b.atom("same_day", k) if has_dis else None
        prev = [(stock[k - 1], n)] if k else []
        low = [(bd, 1.0), (adm, -1.0)] + [(c, -x) for c, x in prev]
        high = [(bd, 1.0), (adm, -n)] + [(c, -x) for c, x in prev]
        if dis is not None:
            low.append((dis, n))
            high.append((dis, 1.0))
            if day_case and same is not None:
                low.append((same, -1.0))
                high.append((same, -1.0))
        relate_if_true(pub, low, 0.0, np.inf,
                       "bed-days of a segment >= n x in at its start + admissions - "
                       "n x discharges")
        relate_if_true(pub, high, -np.inf, 0.0,
                       "bed-days of a segment <= n x in at its start + n x admissions - "
                       "discharges")
        if accrued_v is None:
            continue
        r = pub.add(("accrued", k), accrued_v[k], shown=False)
        accrued.append(r)
        nights = b.atom("nights", k)
        terms = [(r, 1.0), (bd, -1.0), (nights, 1.0)]
        if k:
            terms.append((accrued[k - 1], -1.0))
        if day_case and same is not None:
            terms.append((same, 1.0))
        relate_if_true(pub, terms, 0.0, 0.0,
                       "bed-days accrued by in-patients = before + bed-days - nights of "
                       "the stays discharged")
        relate_if_true(pub, [(r, 1.0), (s, -1.0)], 0.0, np.inf,
                       "each in-patient has accrued a bed-day at least")
        relate_if_true(pub, [(r, 1.0), (s, -float(since_start(k)))], -np.inf, 0.0,
                       "no in-patient has accrued more days than the data spans")
    if has_dis:
        for k in range(last_seg + 1):
            dis, same, nights = (b.atom("discharges", k), b.atom("same_day", k),
                                 b.atom("nights", k))
            relate_if_true(pub, [(same, 1.0), (dis, -1.0)], -np.inf, 0.0,
                           "same-day stays <= discharges")
            relate_if_true(pub, [(nights, 1.0), (dis, -1.0), (same, 1.0)], 0.0, np.inf,
                           "a stay that is not same-day has a night at least")
            _alos_links(b, k)
    # the published in-patient counts and their long stays
    for ip, day, longs in snapshots:
        k = axis._pos.get(day + _DAY)
        if k is None or k > last_seg:
            continue
        pub_equal_if_true(pub, ip, stock[k], "in-patients at a date are the stock then")
        if not accrued or not longs:
            continue
        r = accrued[k]
        ts = sorted(longs)
        # R >= S + (t1-1) L1 + (t2-t1) L2 + ...;
        # R <= (t1-1) S + (t2-t1) L1 + ... + (T-t_last+1) L_last
        low = [(r, 1.0), (ip, -1.0)]
        high = [(r, 1.0), (ip, -float(ts[0] - 1))]
        for j, t in enumerate(ts):
            prev_t = ts[j - 1] if j else 1
            low.append((longs[t], -float(t - prev_t)))
            nxt = ts[j + 1] if j + 1 < len(ts) else since_start(k) + 1
            high.append((longs[t], -float(nxt - t)))
        relate_if_true(pub, low, 0.0, np.inf, "bed-days accrued by the long stays (lower)")
        relate_if_true(pub, high, -np.inf, 0.0, "bed-days accrued by the long stays (upper)")
    if bands is not None and has_dis:
        _band_links(b, *bands, longest=float(max((a - f0).days, 0)))
    # no admission after the as-of date, when there is none (the default as-of date is
    # the data's last day: an attacker who knows that knows this)
    after = last_seg + 1
    if after <= len(axis.bounds):
        first, _ = axis.span(after)
        if first is not None and b.value("admissions", first, None) == 0:
            relate_if_true(pub, [(b.atom("admissions", after), 1.0)], 0.0, 0.0,
                           "no admission after the as-of date")


def _compact_flows(b, *, snapshots, bands, last_seg: int, longest: float,
                   has_dis: bool) -> None:
    """The flows of a long time axis (more than :data:`LONG_AXIS` segments), compactly.

    Each published in-patient count is the admissions minus the discharges of every
    segment up to its day (one relation each, no stock per segment), and the LOS bands
    are tied to the period's ALOS parts directly. The per-segment bed-day and accrued
    bed-day relations are left out (``Publication.skipped`` says so): over hundreds of
    months they made secondary suppression too slow.
    """
    pub, axis, defs = b.pub, b.axis, b.defs
    pub.skipped.append(f"bed-days from stocks and flows: {last_seg + 1} segments (more "
                       f"than {LONG_AXIS}), only the in-patient counts and the LOS bands "
                       "are tied to the flows")
    for ip, day, _longs in snapshots:
        k = axis._pos.get(day + _DAY)
        if k is None or k > last_seg:
            continue
        terms = [(ip, 1.0)] + [(b.atom("admissions", j), -1.0) for j in range(k + 1)]
        if has_dis:
            terms += [(b.atom("discharges", j), 1.0) for j in range(k + 1)]
        relate_if_true(pub, terms, 0.0, 0.0,
                       "in-patients at a date = admissions - discharges up to it")
    if bands is None or not has_dis:
        return
    _band_links(b, *bands, longest=longest)
    keys = {"n": ("alos_n", "period"), "los": ("alos_los", "period"),
            "dis": ("summary", "discharges", "period"), "nights": ("nights", "los_bands"),
            "same": ("same_day", "los_band", "0")}
    if not all(k in pub for k in keys.values()) or defs.alos_basis != "discharges":
        return
    n, los, dis, nights, same = (pub.id(keys[k]) for k in ("n", "los", "dis", "nights",
                                                             "same"))
    _alos_relations(pub, defs, n, los, dis, nights, same, "the period's ")


def _alos_relations(pub: Publication, defs, n: int, los: int, dis: int, nights: int,
                    same: int, scope: str = "") -> None:
    """An ALOS's stays and days tied to its discharges, same-day stays and nights."""
    excl = bool(defs.exclude_same_day)
    relate_if_true(pub, [(n, 1.0), (dis, -1.0)] + ([(same, 1.0)] if excl else []), 0.0,
                   0.0, f"stays in {scope}ALOS = discharges (- same-day)")
    if defs.los_unit == "exact":
        # each stay's exact LOS is within a day of its nights
        relate_if_true(pub, [(los, 1.0), (nights, -1.0), (n, -1.0)], -np.inf, 0.0,
                       "exact LOS <= nights + stays")
        relate_if_true(pub, [(los, 1.0), (nights, -1.0), (dis, 1.0), (same, -1.0)], 0.0,
                       np.inf, "exact LOS >= nights - stays that are not same-day")
        return
    sd = 0.0 if excl else float(defs.same_day_los or 0)
    relate_if_true(pub, [(los, 1.0), (nights, -1.0), (same, -sd)], 0.0, 0.0,
                   f"{scope}ALOS days = nights + same-day stays x their LOS")


def pub_equal_if_true(pub: Publication, a: int, c: int, why: str) -> None:
    """``a = c``, when the true values agree (:meth:`Publication.equal`, checked)."""
    relate_if_true(pub, [(a, 1.0), (c, -1.0)], 0.0, 0.0, why)


def _alos_links(b, k: int) -> None:
    """The ALOS parts of segment ``k`` from its discharges, same-day stays and nights."""
    pub, defs = b.pub, b.defs
    if defs.alos_basis != "discharges":
        return  # stays keyed by admission: tied to the nights over the whole data only
    dis, same, nights = b.atom("discharges", k), b.atom("same_day", k), b.atom("nights", k)
    n, los = b.atom("alos_n", k), b.atom("alos_los", k)
    _alos_relations(pub, defs, n, los, dis, nights, same)


def _band_links(b, cells: dict[str, int], first, last, *, longest: float) -> None:
    """The LOS bands of the period: the same-day band, and the nights they hold.

    ``longest``: the most nights a stay can have (the days the data spans), the upper
    bound of the open band (``22+``).
    """
    pub = b.pub
    nights_terms: list[tuple[int, float]] = []
    for label, cell in cells.items():
        rng = band_nights(label)
        if rng is None:
            return
        lo, hi = rng
        if hi == 0:
            zero = pub.add(("same_day", "los_band", label), pub.values[cell], shown=False)
            b.over(zero, "same_day", first, last, "the 0-night band: same-day stays")
            pub_equal_if_true(pub, zero, cell, "the 0-night band is the same-day stays")
        if lo == hi:
            nights_terms.append((cell, lo))
            continue
        v = _band_total(b, lo, hi, first, last)
        h = pub.add(("nights", "los_band", label), v, shown=False)
        relate_if_true(pub, [(h, 1.0), (cell, -lo)], 0.0, np.inf,
                       f"band {label}: at least {lo:g} nights a stay")
        hi = min(hi, max(longest, lo))
        relate_if_true(pub, [(h, 1.0), (cell, -hi)], -np.inf, 0.0,
                       f"band {label}: at most {hi:g} nights a stay")
        nights_terms.append((h, 1.0))
    total = pub.add(("nights", "los_bands"), sum(pub.values[c] * x for c, x in nights_terms),
                    shown=False)
    b.over(total, "nights", first, last, "nights of the stays discharged in the period")
    relate_if_true(pub, [(total, 1.0)] + [(c, -x) for c, x in nights_terms], 0.0, 0.0,
                   "the nights of the period = those of its LOS bands")


def _band_total(b, lo: float, hi: float, first, last) -> float:
    """Nights of the stays discharged in ``first..last`` with ``lo..hi`` nights."""
    stays = b.stays
    a = np.datetime64(pd.Timestamp(b.as_of).date(), "D")
    adm = _days(stays["admission_date"])
    dis = _days(stays["discharge_date"])
    f = np.datetime64(pd.Timestamp(first).date(), "D")
    la = min(np.datetime64(pd.Timestamp(last).date(), "D"), a)
    done = ~np.isnat(dis) & (dis >= f) & (dis <= la) & ~np.isnat(adm)
    nights = (dis[done] - adm[done]).astype("int64").astype("float64")
    keep = (nights >= lo) & (nights <= hi)
    return float(nights[keep].sum())
