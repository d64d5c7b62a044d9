"""The protection pass: primary rule, links, secondary protection, verification.

:func:`protect` decides how each cell of a :class:`~._model.Publication` is shown under a
method; the secondary protection is driven by the intervals an attacker can derive
(:func:`~._model.attacker_bounds`), and the result is checked by linear programming
(:func:`~hospitalytics.report.privacy.audit`).
"""

from __future__ import annotations

import numpy as np

from ...errors import ArgumentError
from ._model import (
    HIDDEN,
    INF,
    Publication,
    attacker_bounds,
    attacker_view,
    is_violated,
    published_value,
    tighten,
    violations,
)
from ._spec import Privacy, parse_privacy

__all__ = ["protect"]

# After a cell is hidden, violations this many relations away wait for fresh bounds.
_STALE_DEPTH = 6
#: Up to this many cells, the verification under ``suppress`` is by integer programming,
#: within a time budget per audit (then the linear relaxation: sound, maybe wider).
_INTEGER_CELLS = 5000
_INTEGER_SECONDS = 2.0


def _rules(pub: Publication, state: np.ndarray) -> None:
    """Apply the links until nothing changes: amounts with their counts, ratios."""
    p = pub.privacy
    assert p is not None
    hes = p.method == "hes"
    values = pub.values
    changed = True
    while changed:
        changed = False
        for i, b in enumerate(pub.base):
            if b >= 0 and state[b] in HIDDEN and state[i] not in HIDDEN:
                state[i] = "primary" if state[b] == "primary" else "secondary"
                changed = True
        for i, r in pub.ratios.items():
            hide = state[i] in HIDDEN
            num_hidden = state[r.num] in HIDDEN
            den_hidden = r.den >= 0 and state[r.den] in HIDDEN
            small = False
            if r.individuals >= 0 and p.is_small(values[r.individuals]):
                small = True
            if not pub.shown[r.num] and pub.kinds[r.num] == "count" and p.is_small(
                    values[r.num]):
                small = True
            if not hide and (num_hidden or den_hidden or small):
                state[i] = "primary" if (small or "primary" in (
                    state[r.num], state[r.den] if r.den >= 0 else "")) else "secondary"
                hide = True
                changed = True
            for part in (r.num, r.den):
                if part < 0 or pub.shown[part]:
                    continue
                want = "unexposed" if hide else (
                    "exposed_rounded" if hes and r.from_parts and pub.kinds[part] == "count"
                    else "exposed")
                if state[part] != want and state[part] not in HIDDEN:
                    # a helper exposed by several ratios keeps the most precise exposure
                    order = ("unexposed", "exposed_rounded", "exposed")
                    if order.index(want) > order.index(state[part]) or want == "unexposed":
                        if want == "unexposed" and _other_exposure(pub, state, part, i):
                            continue
                        state[part] = want
                        changed = True


def _other_exposure(pub: Publication, state: np.ndarray, helper: int, but: int) -> bool:
    return any(j != but and helper in (r.num, r.den) and state[j] not in HIDDEN
               for j, r in pub.ratios.items())


def protect(publication: Publication, privacy: Privacy | str | int, *,
            verify: bool = True) -> Publication:
    """Decide how each cell of a publication is shown under a protection method.

    1. Primary rule: counts from 1 to threshold - 1 are hidden (``suppress``) or shown as
       ``*`` (``hes``, threshold 8); under ``hes`` every other count is rounded to the
       nearest 5 and zeros stay 0.
    2. Links: amounts (costs) of hidden counts are hidden; a rate or mean is hidden when
       its parts are, when it is built from fewer individuals than the threshold, or when
       it would reveal a small unpublished count (readmissions behind a rate).
    3. Secondary protection: while an attacker, combining every published figure through
       the relations, can narrow a protected cell more than the method allows (see
       :func:`violations`), one more figure of the relation that narrows it is hidden:
       the smallest non-zero count (never a zero), the cheapest to lose first. Under
       ``hes`` that figure (or the narrowed count itself) is withheld as ``"[c]"``.
    4. Verification: the bounds of step 3 come from interval propagation, which can be
       looser than what linear programming derives; the result is audited by linear
       programming and step 3 resumes wherever the audit finds a narrow cell.

    Parameters
    ----------
    publication : Publication
        The cells and relations (changed in place: ``state`` and ``published``).
    privacy : Privacy, str or int
        The method (``"suppress:10"``, ``"hes"``).
    verify : bool, default True
        After step 3, check the result with linear programming
        (:func:`~hospitalytics.report.privacy.audit`) and hide more wherever it finds a
        cell narrower than allowed that interval propagation missed. Needs scipy.

    Returns
    -------
    Publication
        The same object, protected.

    Raises
    ------
    ArgumentError
        For a bad method.
    ImportError
        With ``verify=True`` and no scipy (``pip install "hospitalytics[privacy]"``).

    Examples
    --------
    >>> pub = Publication()
    >>> t = pub.add("total", 60)
    >>> pub.sums(t, [pub.add("a", 0), pub.add("b", 3), pub.add("c", 57)])
    >>> protect(pub, "suppress:10").display().tolist()  # never the 0 as the complement
    [60, 0, '<10', '<10']
    >>> protect(pub, "hes").display().tolist()
    [60, 0, '*', 55]
    """
    p = parse_privacy(privacy)
    if p is None:
        raise ArgumentError("protect needs a method such as 'suppress:10' or 'hes'.")
    pub = publication
    pub.privacy = p
    n = len(pub)
    state = np.empty(n, dtype=object)
    for i in range(n):
        kind, v = pub.kinds[i], pub.values[i]
        if kind == "count" and pub.shown[i]:
            if p.is_small(v):
                state[i] = "primary"
            elif p.method == "hes" and np.isfinite(v) and v != 0:
                state[i] = "rounded"
            else:
                state[i] = "shown"
        elif kind in ("count", "amount") and not pub.shown[i]:
            state[i] = "unexposed"
        else:
            state[i] = "shown"
    for i in pub.withheld:
        state[i] = "secondary"
    _rules(pub, state)
    _propagation_pass(pub, state)
    if verify:
        _verification_pass(pub, state)
    _finish(pub, state)
    if p.method == "suppress":
        # a hidden count the published figures already put at N or more ("rows read"
        # beside a published "rows used") would read "<N" absurdly: it reads "withheld",
        # which tells nothing new
        pub.known_low = attacker_bounds(pub)[0]
    return pub


def _finish(pub: Publication, state: np.ndarray) -> None:
    pub.state = state
    pub.published = np.array([published_value(pub, i, state) for i in range(len(pub))],
                             dtype="float64")


def _propagation_pass(pub: Publication, state: np.ndarray) -> None:
    """Secondary protection until interval propagation finds no narrow cell."""
    n = len(pub)
    for _ in range(10 * n + 10):
        pub.state = state
        lo, hi = attacker_bounds(pub)
        bad = violations(pub, lo, hi)
        if not bad:
            return
        hidden_now = False
        touched: set[int] = set()  # cells near what was hidden this round: bounds are stale
        for i in bad:
            if i in touched:
                continue
            j = _secondary_candidate(pub, i, lo, hi)
            if j is None:
                continue
            before = state.copy()
            _hide(pub, state, j)
            _rules(pub, state)
            hidden_now = True
            for changed in np.flatnonzero(before != state):
                touched |= _neighbours(pub, int(changed), depth=_STALE_DEPTH)
        if not hidden_now:
            keys = ", ".join(repr(pub.keys[i]) for i in bad[:5])
            raise RuntimeError(f"protection could not hide enough to protect {keys}")


def _verification_pass(pub: Publication, state: np.ndarray) -> None:
    """Check with linear programming; hide more where it finds what propagation missed."""
    from ._audit import audit

    # whole numbers under suppress (cheap there, and integer reasoning pins more than the
    # linear relaxation once LOS bands tie nights to stays), unless the publication is big
    whole = pub.privacy is not None and pub.privacy.method == "suppress" and (
        len(pub) <= _INTEGER_CELLS)
    for _ in range(len(pub) + 1):
        _finish(pub, state)
        res = audit(pub, integer=whole, time_limit=_INTEGER_SECONDS)
        if res.ok:
            return
        target = pub.id(res.narrow["key"].iloc[0])
        lo, hi = attacker_bounds(pub)
        _, _, _, rels = attacker_view(pub)
        by_cell: dict[int, list[int]] = {}
        for k, (ids, *_r) in enumerate(rels):
            for i in ids:
                by_cell.setdefault(int(i), []).append(k)
        ranked = _ranked(pub, rels, by_cell, target, lo, hi, binding_only=False)
        ranked += [c for c in _ranked(pub, rels, by_cell, target, lo, hi, binding_only=True)
                   if c not in ranked]
        if state[target] == "rounded":
            ranked.insert(0, target)
        if not ranked:
            raise RuntimeError(
                f"protection could not hide enough to protect {pub.keys[target]!r}")
        choice = ranked[0]
        for cand in ranked[:6]:
            saved = state.copy()
            _hide(pub, state, cand)
            _rules(pub, state)
            _finish(pub, state)
            fixed = audit(pub, cells=[pub.keys[target]], integer=whole,
                          time_limit=_INTEGER_SECONDS).ok if (
                pub.state[target] not in HIDDEN or saved[target] in HIDDEN) else True
            state[:] = saved
            if fixed:
                choice = cand
                break
        _hide(pub, state, choice)
        _rules(pub, state)
        _propagation_pass(pub, state)
    raise RuntimeError("protection did not converge")


def _neighbours(pub: Publication, i: int, depth: int = 2) -> set[int]:
    """Cells within ``depth`` relations of cell ``i`` (itself included)."""
    if not hasattr(pub, "_rel_index") or pub._rel_index[0] != len(pub.relations):
        index: dict[int, list[int]] = {}
        for k, (ids, *_r) in enumerate(pub.relations):
            for c in ids:
                index.setdefault(int(c), []).append(k)
        for r, ratio in pub.ratios.items():
            for c in (r, ratio.num, ratio.den):
                if c >= 0:
                    index.setdefault(int(c), []).append(-1 - r)
        pub._rel_index = (len(pub.relations), index)
    index = pub._rel_index[1]
    out, frontier = {i}, {i}
    for _ in range(depth):
        nxt = set()
        for c in frontier:
            for k in index.get(c, ()):
                if k >= 0:
                    members = [int(x) for x in pub.relations[k][0]]
                else:
                    ratio = pub.ratios[-1 - k]
                    members = [-1 - k, ratio.num, ratio.den]
                nxt.update(m for m in members if m >= 0 and m not in out)
        out |= nxt
        frontier = nxt
    return out


def _hide(pub: Publication, state: np.ndarray, j: int) -> None:
    if pub.kinds[j] == "ratio" or pub.shown[j]:
        state[j] = "secondary"
        return
    # an exposed helper: hide what exposes it
    for i, r in pub.ratios.items():
        if j in (r.num, r.den) and state[i] not in HIDDEN:
            state[i] = "secondary"


# ----------------------------------------------------------- secondary candidates
def _secondary_candidate(pub: Publication, target: int, lo, hi, *,
                         trials: int = 4) -> int | None:
    """The cell to hide next so that ``target`` is no longer narrowed.

    Candidates come from the relations that set the target's bounds, followed through
    hidden cells (the chain an attacker uses), cheapest first; the first of a few whose
    hiding lifts the target's narrowing wins, else the cheapest. Without such a chain,
    any relation of the target will do.
    """
    _, _, _, rels = attacker_view(pub)
    by_cell: dict[int, list[int]] = {}
    for k, (ids, *_r) in enumerate(rels):
        for i in ids:
            by_cell.setdefault(int(i), []).append(k)
    ranked = _ranked(pub, rels, by_cell, target, lo, hi, binding_only=True)
    if not ranked:
        ranked = _ranked(pub, rels, by_cell, target, lo, hi, binding_only=False)
    if pub.state[target] == "rounded":  # a narrowed rounded count can be withheld itself
        own = (pub.priority[target], 0, 0, len(by_cell.get(target, ())),
               abs(pub.values[target]), target)
        ranked = [c for _, c in sorted([(own, target)] + [
            ((pub.priority[c], 1, 0, len(by_cell.get(c, ())), abs(pub.values[c]), c), c)
            for c in ranked])]
    if not ranked:
        return None
    for cand in ranked[:trials]:
        if _resolves(pub, cand, target):
            return cand
    return ranked[0]


def _ranked(pub, rels, by_cell, target, lo, hi, *, binding_only: bool) -> list[int]:
    state = pub.state
    assert state is not None
    scores: dict[int, tuple] = {}
    frontier = {target}
    seen_rel: set[int] = set()
    seen_cell = {target}
    for depth in range(8):
        nxt: set[int] = set()
        for c in frontier:
            for k in by_cell.get(c, ()):
                if k in seen_rel:
                    continue
                if binding_only and not _binding(rels[k], c, lo, hi):
                    continue
                seen_rel.add(k)
                for m in rels[k][0]:
                    m = int(m)
                    if m in seen_cell:
                        continue
                    cand = _candidate(pub, m)
                    if cand is not None:
                        score = (pub.priority[cand], depth,
                                 0 if pub.kinds[cand] == pub.kinds[target] else 1,
                                 len(by_cell.get(cand, ())), abs(pub.values[m]), cand)
                        scores[cand] = min(scores.get(cand, score), score)
                    if state[m] in HIDDEN or state[m] in ("unexposed", "exposed",
                                                           "exposed_rounded", "rounded") or (
                            pub.kinds[m] == "ratio"):
                        nxt.add(m)
        if not binding_only and scores:
            break
        frontier = nxt - seen_cell
        seen_cell |= nxt
        if not frontier:
            break
    return [c for _, c in sorted((sc, c) for c, sc in scores.items())]


def _resolves(pub: Publication, cand: int, target: int) -> bool:
    """Whether hiding ``cand`` lifts the narrowing of ``target``."""
    state = pub.state
    assert state is not None
    saved = state.copy()
    try:
        _hide(pub, state, cand)
        _rules(pub, state)
        if state[target] not in HIDDEN and saved[target] in HIDDEN:
            return True
        lo, hi = attacker_bounds(pub)
        return not is_violated(pub, target, lo[target], hi[target])
    finally:
        state[:] = saved


def _binding(rel, c, lo, hi) -> bool:
    """Whether relation ``rel`` sets one of cell ``c``'s current bounds."""
    ids, coefs, rlo, rhi, _ = rel
    lo2, hi2 = lo.copy(), hi.copy()
    integer = np.zeros(len(lo), dtype=bool)
    lo2[c], hi2[c] = -INF, INF
    tighten(ids, coefs, rlo, rhi, lo2, hi2, integer)
    tol = 1e-6
    return lo2[c] >= lo[c] - tol * (1 + abs(lo[c])) or hi2[c] <= hi[c] + tol * (1 + abs(hi[c]))


def _candidate(pub: Publication, m: int) -> int | None:
    """The cell to hide to take ``m`` out of the attacker's knowledge, if any."""
    state = pub.state
    assert state is not None
    s, kind = state[m], pub.kinds[m]
    if kind == "constant" or s in HIDDEN or s == "unexposed":
        return None
    if pub.shown[m]:
        if kind == "count" and pub.values[m] == 0:
            return None  # never rely on zeros
        b = pub.base[m]
        if kind == "amount" and b >= 0 and pub.values[b] == 0:
            return None  # the cost of no stay is known to be 0
        if kind in ("count", "amount", "ratio"):
            return m
        return None
    # an exposed helper: the ratio that exposes it
    for i, r in pub.ratios.items():
        if m in (r.num, r.den) and state[i] not in HIDDEN:
            return i
    return None
