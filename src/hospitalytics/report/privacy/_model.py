"""Every figure one output publishes, their relations, and the protection pass.

A :class:`Publication` holds *cells*: every figure an output prints (KPI panel values,
table cells, cleaning counts) and the unpublished quantities that tie them together
(the readmissions behind a readmission rate, the bed-days behind an occupancy, the
days of a month that fall outside the month-to-date...). Relations are linear:
``lo <= sum(coef * cell) <= hi``. Ratios (rates, means, shares) are kept apart: once a
ratio is published its value is a known coefficient and ``num - value * den = 0`` is
linear again.

:func:`protect` applies a method (see :class:`~hospitalytics.report.privacy.Privacy`):
the primary rule, then the links (costs and means of hidden counts are hidden; a rate is
hidden with its parts), then secondary protection driven by the bounds an attacker can
derive (:func:`attacker_bounds`, interval propagation over the relations) until no
protected cell is narrower than the method allows. :func:`hospitalytics.report.privacy.audit`
checks the result with linear programming.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...errors import ArgumentError
from ._spec import Privacy, parse_privacy

__all__ = ["Publication", "attacker_bounds", "protect", "violations"]

KINDS = ("count", "amount", "ratio", "constant")
#: Cell states after :func:`protect`.
STATES = ("shown", "rounded", "primary", "secondary", "unexposed", "exposed",
          "exposed_rounded")
_HIDDEN = ("primary", "secondary")
# After a cell is hidden, violations this many relations away wait for fresh bounds.
_STALE_DEPTH = 6
INF = math.inf


@dataclass
class _Ratio:
    num: int
    den: int  # -1 when the denominator is a constant
    den_const: float
    individuals: int  # the count cell whose size decides "from fewer than N individuals"
    from_parts: bool  # under hes, computed from the published parts


@dataclass
class Publication:
    """The figures one output publishes and the linear relations between them.

    Cells are added with :meth:`add` (a hashable key, the true value, a kind) and tied
    together with :meth:`sums`, :meth:`equal`, :meth:`at_most` and :meth:`ratio`.
    :func:`protect` then decides how each published cell is shown, and
    :func:`hospitalytics.report.privacy.audit` checks that no protected cell can be
    worked out.

    Kinds: ``"count"`` (people, stays or patient-days: whole numbers, protected),
    ``"amount"`` (costs and other sums: hidden with their count), ``"ratio"`` (rates,
    means, shares: see :meth:`ratio`) and ``"constant"`` (what anyone knows: days in a
    month, available bed-days).

    Examples
    --------
    >>> pub = Publication()
    >>> total = pub.add("total", 48)
    >>> parts = [pub.add(("ward", w), v) for w, v in [("A", 3), ("B", 45)]]
    >>> pub.sums(total, parts)
    >>> from hospitalytics.report.privacy import parse_privacy
    >>> protect(pub, parse_privacy("suppress:10")).display().tolist()
    [48, '<10', '<10']
    """

    keys: list = field(default_factory=list)
    values: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    shown: list = field(default_factory=list)
    priority: list = field(default_factory=list)
    base: list = field(default_factory=list)
    lower: list = field(default_factory=list)
    whole: list = field(default_factory=list)
    relations: list = field(default_factory=list)
    ratios: dict = field(default_factory=dict)
    withheld: set = field(default_factory=set)
    privacy: Privacy | None = None
    state: np.ndarray | None = None
    published: np.ndarray | None = None
    _index: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ building
    def add(
        self,
        key: Hashable,
        value: float,
        *,
        kind: str = "count",
        shown: bool = True,
        priority: int = 1,
        base: int | None = None,
        lower: float | None = None,
        whole: bool | None = None,
    ) -> int:
        """Add a cell and return its id.

        Parameters
        ----------
        key : hashable
            A name unique in the publication (``("summary", "admissions", "mtd")``).
        value : float
            The true value.
        kind : {"count", "amount", "ratio", "constant"}, default "count"
            What the figure is (see the class docstring).
        shown : bool, default True
            Whether the output prints it (False for a quantity that only ties other
            figures together).
        priority : int, default 1
            How costly it is to hide it as a secondary cell (lower: hidden first).
        base : int, optional
            For an amount: the count it is the cost of (hidden with it).
        lower : float, optional
            A lower bound everyone knows (default 0 for counts, none for amounts).
        whole : bool, optional
            Whether the value is a whole number (default: True for counts).

        Returns
        -------
        int
            The cell id.

        Examples
        --------
        >>> Publication().add("admissions", 12)
        0
        """
        if kind not in KINDS:
            raise ArgumentError(f"kind must be one of {KINDS}, got {kind!r}.")
        if key in self._index:
            raise ArgumentError(f"cell {key!r} is already in the publication.")
        i = len(self.keys)
        self._index[key] = i
        self.keys.append(key)
        v = float(value) if value is not None else float("nan")
        self.values.append(v)
        self.kinds.append(kind)
        self.shown.append(bool(shown))
        self.priority.append(int(priority))
        self.base.append(-1 if base is None else int(base))
        if lower is None:
            lower = 0.0 if kind == "count" else -INF
        self.lower.append(float(lower))
        self.whole.append(kind == "count" if whole is None else bool(whole))
        return i

    def id(self, key: Hashable) -> int:
        """The id of the cell with this key.

        Parameters
        ----------
        key : hashable
            The key given to :meth:`add`.

        Returns
        -------
        int
            The cell id.

        Examples
        --------
        >>> pub = Publication(); _ = pub.add("a", 1)
        >>> pub.id("a")
        0
        """
        return self._index[key]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self.keys)

    def relate(self, terms: Iterable[tuple[int, float]], lo: float, hi: float,
               why: str = "") -> None:
        """Add the linear relation ``lo <= sum(coef * cell) <= hi``.

        Parameters
        ----------
        terms : iterable of (int, float)
            ``(cell id, coefficient)`` pairs.
        lo, hi : float
            Bounds (``-inf``/``inf`` for none).
        why : str, optional
            What the relation says, for the audit report.

        Examples
        --------
        >>> pub = Publication(); a, b = pub.add("a", 1), pub.add("b", 2)
        >>> pub.relate([(a, 1.0), (b, -1.0)], -float("inf"), 0.0, "a <= b")
        >>> len(pub.relations)
        1
        """
        merged: dict[int, float] = {}
        for i, c in terms:
            merged[int(i)] = merged.get(int(i), 0.0) + float(c)
        ids = np.array([i for i, c in merged.items() if c != 0], dtype="int64")
        coefs = np.array([c for c in merged.values() if c != 0], dtype="float64")
        if len(ids):
            self.relations.append((ids, coefs, float(lo), float(hi), why))

    def sums(self, total: int, parts: Sequence[int], *, exact: bool = True,
             why: str = "") -> None:
        """``total = sum(parts)`` (or ``total >= sum(parts)`` when not ``exact``).

        Parameters
        ----------
        total : int
            The total's id.
        parts : sequence of int
            The parts' ids.
        exact : bool, default True
            False when some of the total is in no part.
        why : str, optional
            What the relation says.

        Examples
        --------
        >>> pub = Publication(); t = pub.add("t", 5)
        >>> pub.sums(t, [pub.add("x", 2), pub.add("y", 3)])
        >>> pub.relations[0][1].tolist()
        [1.0, -1.0, -1.0]
        """
        self.relate([(total, 1.0)] + [(p, -1.0) for p in parts], 0.0,
                    0.0 if exact else INF, why or f"{self.keys[total]} = sum of parts")

    def equal(self, a: int, b: int, why: str = "") -> None:
        """``a = b``: the same quantity published twice.

        Parameters
        ----------
        a, b : int
            Cell ids.
        why : str, optional
            What the relation says.

        Examples
        --------
        >>> pub = Publication(); pub.equal(pub.add("a", 3), pub.add("b", 3))
        >>> len(pub.relations)
        1
        """
        if a != b:
            self.relate([(a, 1.0), (b, -1.0)], 0.0, 0.0, why or "equal")

    def at_most(self, a: int, b: int, why: str = "") -> None:
        """``a <= b`` (patients <= admissions, long stays <= in-patients ...).

        Parameters
        ----------
        a, b : int
            Cell ids.
        why : str, optional
            What the relation says.

        Examples
        --------
        >>> pub = Publication(); pub.at_most(pub.add("p", 3), pub.add("a", 4))
        >>> pub.relations[0][2:4]
        (-inf, 0.0)
        """
        self.relate([(a, 1.0), (b, -1.0)], -INF, 0.0, why or "at most")

    def withhold(self, cell: int) -> None:
        """Never publish this cell (its ties to the others cannot be checked).

        Parameters
        ----------
        cell : int
            The cell id.

        Examples
        --------
        >>> pub = Publication(); i = pub.add("rate", 0.3, kind="ratio"); pub.withhold(i)
        >>> protect(pub, "suppress:10", verify=False).display().tolist()
        ['<10']
        """
        self.withheld.add(int(cell))

    def ratio(
        self,
        cell: int,
        num: int,
        den: int | float,
        *,
        individuals: int | None = None,
        from_parts: bool = False,
    ) -> None:
        """Declare ``cell = num / den`` for a ratio cell.

        Parameters
        ----------
        cell : int
            The ratio's id (kind ``"ratio"``).
        num : int
            The numerator's id.
        den : int or float
            The denominator's id, or a constant (days of a period, available bed-days).
        individuals : int, optional
            The count whose size decides "built from fewer than N individuals" (default:
            the denominator when it is a cell).
        from_parts : bool, default False
            Under ``hes``, compute the published value from the published (rounded)
            numerator and denominator, as NHS Digital does for percentages, so that it
            reveals nothing more than they do.

        Examples
        --------
        >>> pub = Publication()
        >>> r, n, d = pub.add("r", 0.25, kind="ratio"), pub.add("n", 5), pub.add("d", 20)
        >>> pub.ratio(r, n, d)
        >>> pub.ratios[r].den
        2
        """
        if self.kinds[cell] != "ratio":
            raise ArgumentError(f"{self.keys[cell]!r} is not a ratio cell.")
        if isinstance(den, (int, np.integer)) and not isinstance(den, bool):
            d, c = int(den), float("nan")
        else:
            d, c = -1, float(den)
        ind = individuals if individuals is not None else (d if d >= 0 else -1)
        self.ratios[cell] = _Ratio(int(num), d, c, int(ind), bool(from_parts))

    # ----------------------------------------------------------------- reading
    @property
    def cells(self) -> pd.DataFrame:
        """One row per cell: key, kind, value, shown, state and published value.

        Examples
        --------
        >>> pub = Publication(); _ = pub.add("a", 3)
        >>> pub.cells[["key", "kind", "value"]].to_dict("records")
        [{'key': 'a', 'kind': 'count', 'value': 3.0}]
        """
        out = pd.DataFrame({
            "key": pd.Series(self.keys, dtype=object),
            "kind": self.kinds,
            "value": np.asarray(self.values, dtype="float64"),
            "shown": self.shown,
        })
        if self.state is not None:
            out["state"] = self.state
            out["published"] = self.published
        return out

    def display(self) -> pd.Series:
        """Each cell as published: a number, or the marker of a hidden cell.

        Needs :func:`protect` first. Whole-number counts are ints.

        Returns
        -------
        Series
            Indexed by cell id.

        Examples
        --------
        >>> from hospitalytics.report.privacy import parse_privacy
        >>> pub = Publication(); _ = pub.add("a", 12)
        >>> protect(pub, parse_privacy("hes")).display().tolist()
        [10]
        """
        if self.state is None or self.privacy is None:
            raise ArgumentError("call protect(publication, privacy) first.")
        out = []
        for i, (s, v) in enumerate(zip(self.state, self.published, strict=True)):
            if s == "primary":
                out.append(self.privacy.marker if self.kinds[i] == "count"
                           else self._hidden_marker())
            elif s == "secondary":
                out.append(self.privacy.secondary_marker if self.kinds[i] == "count"
                           else self._hidden_marker())
            elif self.kinds[i] == "count" and np.isfinite(v) and float(v).is_integer():
                out.append(int(v))
            else:
                out.append(v)
        return pd.Series(out, dtype=object)

    def _hidden_marker(self) -> str:
        assert self.privacy is not None
        return "*" if self.privacy.method == "hes" else self.privacy.marker

    def hidden(self, i: int) -> bool:
        """Whether cell ``i`` is hidden (after :func:`protect`).

        Parameters
        ----------
        i : int
            Cell id.

        Returns
        -------
        bool
            True for a primary or secondary hidden cell.

        Examples
        --------
        >>> from hospitalytics.report.privacy import parse_privacy
        >>> pub = Publication(); _ = pub.add("a", 3)
        >>> protect(pub, parse_privacy("suppress:5")).hidden(0)
        True
        """
        return self.state is not None and self.state[i] in _HIDDEN


# ---------------------------------------------------------------------- protection
def _published_value(pub: Publication, i: int, state: np.ndarray) -> float:
    p = pub.privacy
    v = pub.values[i]
    s = state[i]
    if s in _HIDDEN or s == "unexposed":
        return float("nan")
    kind = pub.kinds[i]
    if kind == "count" and p is not None and p.method == "hes" and s in (
            "rounded", "exposed_rounded"):
        return p.publish_count(v)
    if kind == "ratio" and p is not None and p.method == "hes":
        r = pub.ratios.get(i)
        if r is not None and r.from_parts:
            num = _published_value(pub, r.num, state)
            den = r.den_const if r.den < 0 else _published_value(pub, r.den, state)
            if not (np.isfinite(num) and np.isfinite(den)) or den == 0:
                return float("nan")
            return float(num / den)
    return v


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
            if b >= 0 and state[b] in _HIDDEN and state[i] not in _HIDDEN:
                state[i] = "primary" if state[b] == "primary" else "secondary"
                changed = True
        for i, r in pub.ratios.items():
            hide = state[i] in _HIDDEN
            num_hidden = state[r.num] in _HIDDEN
            den_hidden = r.den >= 0 and state[r.den] in _HIDDEN
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
                if state[part] != want and state[part] not in _HIDDEN:
                    # a helper exposed by several ratios keeps the most precise exposure
                    order = ("unexposed", "exposed_rounded", "exposed")
                    if order.index(want) > order.index(state[part]) or want == "unexposed":
                        if want == "unexposed" and _other_exposure(pub, state, part, i):
                            continue
                        state[part] = want
                        changed = True


def _other_exposure(pub: Publication, state: np.ndarray, helper: int, but: int) -> bool:
    return any(j != but and helper in (r.num, r.den) and state[j] not in _HIDDEN
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
    return pub


def _finish(pub: Publication, state: np.ndarray) -> None:
    pub.state = state
    pub.published = np.array([_published_value(pub, i, state) for i in range(len(pub))],
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

    for _ in range(len(pub) + 1):
        _finish(pub, state)
        res = audit(pub)
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
            fixed = audit(pub, cells=[pub.keys[target]]).ok if pub.state[target] not in (
                _HIDDEN) or saved[target] in _HIDDEN else True
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
        if j in (r.num, r.den) and state[i] not in _HIDDEN:
            state[i] = "secondary"


# ----------------------------------------------------------------- attacker bounds
def attacker_view(pub: Publication):
    """Bounds and linear relations an attacker knows from a protected publication.

    Returns ``(lo, hi, integer, relations)``: per-cell bounds from what is published
    (exact values, rounding bands, what a marker means), whether the cell is a whole
    number, and the relations, with those of every published ratio made linear.
    """
    p = pub.privacy
    assert p is not None and pub.state is not None
    n = len(pub)
    lo = np.full(n, -INF)
    hi = np.full(n, INF)
    integer = np.array(pub.whole, dtype=bool)
    vals = np.asarray(pub.values, dtype="float64")
    lower = np.asarray(pub.lower, dtype="float64")
    state = pub.state
    pubv = np.array([_published_value(pub, i, state) for i in range(n)])
    hes = p.method == "hes"
    # A figure without a finite value (a cost summed over an infinite one) is published
    # as null: it tells nothing, and neither do the relations through it.
    with np.errstate(invalid="ignore"):
        broken = ~np.isfinite(vals) | (np.abs(vals) > 1e300)  # inf turned into max float
    rels = [r for r in pub.relations if not broken[r[0]].any()]
    for i in range(n):
        kind, s = pub.kinds[i], state[i]
        lo[i] = lower[i]
        if kind == "constant" or (kind in ("count", "amount") and s == "shown"):
            lo[i] = hi[i] = vals[i] if kind != "count" else pubv[i]
            if kind == "amount" and not broken[i]:
                tol = 5e-7 * (1.0 + abs(vals[i]))
                lo[i], hi[i] = vals[i] - tol, vals[i] + tol
        elif kind == "count" and s in ("rounded", "exposed_rounded"):
            r = pubv[i]
            half = p.rounding // 2
            lo[i] = max(r - half, float(p.threshold)) if r > 0 else 0.0
            hi[i] = r + half
        elif kind == "count" and s == "primary":
            lo[i] = 1.0
            hi[i] = float(p.threshold - 1) if hes else INF
        elif kind == "count" and s == "secondary":
            lo[i] = float(p.threshold) if hes else 1.0
        elif kind == "amount" and pub.base[i] >= 0 and vals[pub.base[i]] == 0 and (
                state[pub.base[i]] == "shown"):
            lo[i] = hi[i] = 0.0  # the cost of no stay
        # ratios and other hidden amounts: free (their relations carry the information)
        if broken[i]:
            lo[i], hi[i] = -INF, INF
    for i, r in pub.ratios.items():
        if state[i] in _HIDDEN or not np.isfinite(pubv[i]) or broken[r.num] or (
                r.den >= 0 and broken[r.den]):
            continue
        if hes and r.from_parts:
            continue  # computed from published parts: tells nothing more
        v = pubv[i]
        # a relative tolerance well above the solver's (1e-7), well below one person
        tol = 1e-6 * (1.0 + abs(v))
        if v == 0:
            rels.append((np.array([r.num]), np.array([1.0]), 0.0, 0.0,
                         f"{pub.keys[i]} is 0"))
            continue
        if r.den < 0:
            rels.append((np.array([r.num]), np.array([1.0]), (v - tol) * r.den_const,
                         (v + tol) * r.den_const, f"{pub.keys[i]} x constant"))
        else:
            # num - v * den within the published precision
            rels.append((np.array([r.num, r.den]), np.array([1.0, -v]),
                         -tol * max(1.0, abs(vals[r.den])), tol * max(1.0, abs(vals[r.den])),
                         f"{pub.keys[i]} = num / den"))
    return lo, hi, integer, rels


def attacker_bounds(pub: Publication, *, sweeps: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """The interval an attacker can derive for every cell, by interval propagation.

    Bound tightening over every relation (each term bounded by the others), repeated
    until nothing changes; whole-number cells are rounded inwards. Propagation can be
    looser than linear programming, never tighter: :func:`protect` uses it for speed and
    :func:`hospitalytics.report.privacy.audit` checks with linear programming.

    Parameters
    ----------
    pub : Publication
        A protected publication.
    sweeps : int, default 12
        At most this many passes over the relations.

    Returns
    -------
    tuple of ndarray
        ``(lo, hi)`` per cell.

    Examples
    --------
    >>> pub = Publication()
    >>> t = pub.add("total", 48)
    >>> pub.sums(t, [pub.add("A", 3), pub.add("B", 45)])
    >>> lo, hi = attacker_bounds(protect(pub, "suppress:10"))
    >>> lo.tolist(), hi.tolist()
    ([48.0, 1.0, 1.0], [48.0, 47.0, 47.0])
    """
    lo, hi, integer, rels = attacker_view(pub)
    lo, hi = lo.copy(), hi.copy()
    by_cell: dict[int, list[int]] = {}
    for k, (ids, *_rest) in enumerate(rels):
        for i in ids:
            by_cell.setdefault(int(i), []).append(k)
    queue = list(range(len(rels)))
    queued = np.ones(len(rels), dtype=bool)
    budget = sweeps * max(len(rels), 1)
    while queue and budget > 0:
        budget -= 1
        k = queue.pop(0)
        queued[k] = False
        ids, coefs, rlo, rhi, _ = rels[k]
        changed = _tighten(ids, coefs, rlo, rhi, lo, hi, integer)
        for i in changed:
            for k2 in by_cell.get(int(i), ()):
                if not queued[k2]:
                    queued[k2] = True
                    queue.append(k2)
    return lo, hi


def _tighten(ids, coefs, rlo, rhi, lo, hi, integer) -> np.ndarray:
    """One relation: bound each term by the others; returns the ids tightened."""
    a = coefs
    xl, xh = lo[ids], hi[ids]
    with np.errstate(invalid="ignore", over="ignore"):
        t1, t2 = a * xl, a * xh
        mn, mx = np.fmin(t1, t2), np.fmax(t1, t2)
        neg, pos = np.isneginf(mn), np.isposinf(mx)
        s_mn, s_mx = mn[~neg].sum(), mx[~pos].sum()
    c_neg, c_pos = int(neg.sum()), int(pos.sum())
    # the others' sum: finite only when no other term is unbounded that way
    rest_min = np.where(c_neg - neg == 0, s_mn - np.where(neg, 0.0, mn), -INF)
    rest_max = np.where(c_pos - pos == 0, s_mx - np.where(pos, 0.0, mx), INF)
    with np.errstate(invalid="ignore", over="ignore"):
        lo_t = rlo - rest_max  # a_t * x_t >= rlo - rest_max
        hi_t = rhi - rest_min
        new_lo = np.where(a > 0, lo_t / a, hi_t / a)
        new_hi = np.where(a > 0, hi_t / a, lo_t / a)
    new_lo[np.isnan(new_lo)] = -INF
    new_hi[np.isnan(new_hi)] = INF
    whole = integer[ids]
    if whole.any():
        fin = whole & np.isfinite(new_lo)
        new_lo[fin] = np.ceil(new_lo[fin] - 1e-6)
        fin = whole & np.isfinite(new_hi)
        new_hi[fin] = np.floor(new_hi[fin] + 1e-6)
    cur_lo, cur_hi = lo[ids], hi[ids]
    # Real-valued bounds can creep towards their limit forever: a move smaller than a
    # ten-thousandth is not worth another round (propagation may stay a little looser;
    # the linear-programming check does not).
    tol_lo = np.where(whole, 0.5,
                      1e-4 * (1 + np.where(np.isfinite(cur_lo), np.abs(cur_lo), 0.0)))
    tol_hi = np.where(whole, 0.5,
                      1e-4 * (1 + np.where(np.isfinite(cur_hi), np.abs(cur_hi), 0.0)))
    up = new_lo > cur_lo + tol_lo
    down = new_hi < cur_hi - tol_hi
    if up.any():
        lo[ids[up]] = new_lo[up]
    if down.any():
        hi[ids[down]] = new_hi[down]
    return ids[up | down]


# -------------------------------------------------------------------- violations
def n_values(lo: float, hi: float) -> float:
    """Whole numbers in ``[lo, hi]`` (inf when unbounded)."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return INF
    return max(math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) + 1, 0)


def required(pub: Publication, i: int) -> tuple[str, float] | None:
    """What the method requires of cell ``i``'s interval, or None for an unprotected cell.

    ``("values", k)``: the interval must hold at least ``k`` whole numbers;
    ``("band", 0)``: it must cover the whole rounding band; ``("width", w)``: it must be
    at least ``w`` wide.
    """
    p = pub.privacy
    assert p is not None and pub.state is not None
    s, kind = pub.state[i], pub.kinds[i]
    if not pub.shown[i]:
        return None
    if kind == "count":
        if s == "primary":
            return ("values", 2.0) if p.method == "hes" else ("values", float(p.threshold))
        if s == "secondary":
            return ("values", float(p.rounding)) if p.method == "hes" else (
                "values", float(p.threshold))
        if s == "rounded":
            return ("band", 0.0)
        return None
    if kind == "amount" and s in _HIDDEN:
        return ("width", max(abs(pub.values[i]), 1.0))
    return None


def band(pub: Publication, i: int) -> tuple[float, float]:
    """The rounding band of a rounded count: the values its published figure allows."""
    p = pub.privacy
    assert p is not None
    r = p.publish_count(pub.values[i])
    half = p.rounding // 2
    return (max(r - half, float(p.threshold)) if r > 0 else 0.0, r + half)


def is_violated(pub: Publication, i: int, lo: float, hi: float) -> bool:
    """Whether interval ``[lo, hi]`` of cell ``i`` is narrower than the method allows."""
    req = required(pub, i)
    if req is None:
        return False
    what, k = req
    if what == "values":
        return n_values(lo, hi) < k
    if what == "band":
        b_lo, b_hi = band(pub, i)
        return lo > b_lo + 1e-6 or hi < b_hi - 1e-6
    return (hi - lo) < k * (1 - 1e-9)


def violations(pub: Publication, lo: np.ndarray, hi: np.ndarray) -> list[int]:
    """Cells whose attacker interval is narrower than the method allows.

    Parameters
    ----------
    pub : Publication
        A protected publication.
    lo, hi : ndarray
        Attacker bounds per cell (from :func:`attacker_bounds` or the LP audit).

    Returns
    -------
    list of int
        Cell ids, in id order.

    Examples
    --------
    >>> import numpy as np
    >>> pub = Publication()
    >>> t = pub.add("total", 48)
    >>> pub.sums(t, [pub.add("A", 3), pub.add("B", 45)])
    >>> protect(pub, "suppress:10").state.tolist()
    ['shown', 'primary', 'secondary']
    >>> violations(pub, np.array([48, 3, 45.0]), np.array([48, 3, 45.0]))  # pinned
    [1, 2]
    """
    return [i for i in range(len(pub)) if is_violated(pub, i, lo[i], hi[i])]


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
                    if state[m] in _HIDDEN or state[m] in ("unexposed", "exposed",
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
        if state[target] not in _HIDDEN and saved[target] in _HIDDEN:
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
    _tighten(ids, coefs, rlo, rhi, lo2, hi2, integer)
    tol = 1e-6
    return lo2[c] >= lo[c] - tol * (1 + abs(lo[c])) or hi2[c] <= hi[c] + tol * (1 + abs(hi[c]))


def _candidate(pub: Publication, m: int) -> int | None:
    """The cell to hide to take ``m`` out of the attacker's knowledge, if any."""
    state = pub.state
    assert state is not None
    s, kind = state[m], pub.kinds[m]
    if kind == "constant" or s in _HIDDEN or s == "unexposed":
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
        if m in (r.num, r.den) and state[i] not in _HIDDEN:
            return i
    return None
