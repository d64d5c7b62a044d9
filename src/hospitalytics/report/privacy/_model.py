"""Every figure one output publishes, their relations, and what an attacker derives.

A :class:`Publication` holds *cells*: every figure an output prints (KPI panel values,
table cells, cleaning counts) and the unpublished quantities that tie them together
(the readmissions behind a readmission rate, the bed-days behind an occupancy, the
days of a month that fall outside the month-to-date...). Relations are linear:
``lo <= sum(coef * cell) <= hi``. Ratios (rates, means, shares) are kept apart: once a
ratio is published its value is a known coefficient and ``num - value * den = 0`` is
linear again.

Once :func:`~hospitalytics.report.privacy.protect` has decided what is shown,
:func:`attacker_view` states what an attacker knows (bounds and relations),
:func:`attacker_bounds` derives intervals by propagation, and :func:`violations` lists the
cells narrower than the method allows; :func:`hospitalytics.report.privacy.audit` does the
same by linear programming.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...errors import ArgumentError
from ._spec import Privacy

__all__ = ["HIDDEN", "INF", "KINDS", "STATES", "Publication", "attacker_bounds",
           "attacker_view", "band", "is_violated", "n_values", "published_value",
           "required", "tighten", "violations"]

KINDS = ("count", "amount", "ratio", "constant")
#: Cell states after :func:`protect`.
STATES = ("shown", "rounded", "primary", "secondary", "unexposed", "exposed",
          "exposed_rounded")
HIDDEN = ("primary", "secondary")
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
    >>> from hospitalytics.report.privacy import parse_privacy, protect
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
    skipped: list = field(default_factory=list)
    #: after :func:`protect` under ``suppress``: the least value an attacker can derive
    #: for each cell (interval propagation); a hidden count already known to be at least
    #: N reads ``"withheld"``, not ``"<N"``
    known_low: np.ndarray | None = None
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
        >>> from hospitalytics.report.privacy import protect
        >>> pub = Publication(); i = pub.add("rate", 0.3, kind="ratio"); pub.withhold(i)
        >>> protect(pub, "suppress:10", verify=False).display().tolist()
        ['withheld']
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
        >>> from hospitalytics.report.privacy import parse_privacy, protect
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
                known = self.known_low is not None and (
                    self.known_low[i] >= self.privacy.threshold)
                out.append(self.privacy.secondary_marker
                           if self.kinds[i] == "count" and not known
                           else self._hidden_marker())
            elif self.kinds[i] == "count" and np.isfinite(v) and float(v).is_integer():
                out.append(int(v))
            else:
                out.append(v)
        return pd.Series(out, dtype=object)

    def _hidden_marker(self) -> str:
        assert self.privacy is not None
        return self.privacy.withheld_marker

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
        >>> from hospitalytics.report.privacy import parse_privacy, protect
        >>> pub = Publication(); _ = pub.add("a", 3)
        >>> protect(pub, parse_privacy("suppress:5")).hidden(0)
        True
        """
        return self.state is not None and self.state[i] in HIDDEN


def published_value(pub: Publication, i: int, state: np.ndarray) -> float:
    p = pub.privacy
    v = pub.values[i]
    s = state[i]
    if s in HIDDEN or s == "unexposed":
        return float("nan")
    kind = pub.kinds[i]
    if kind == "count" and p is not None and p.method == "hes" and s in (
            "rounded", "exposed_rounded"):
        return p.publish_count(v)
    if kind == "ratio" and p is not None and p.method == "hes":
        r = pub.ratios.get(i)
        if r is not None and r.from_parts:
            num = published_value(pub, r.num, state)
            den = r.den_const if r.den < 0 else published_value(pub, r.den, state)
            if not (np.isfinite(num) and np.isfinite(den)) or den == 0:
                return float("nan")
            return float(num / den)
    return v


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
    pubv = np.array([published_value(pub, i, state) for i in range(n)])
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
        if state[i] in HIDDEN or not np.isfinite(pubv[i]) or broken[r.num] or (
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
        Passes over the relations: at least this many, up to 20 times as many when
        the relations form long chains (see :func:`propagate`).

    Returns
    -------
    tuple of ndarray
        ``(lo, hi)`` per cell.

    Examples
    --------
    >>> from hospitalytics.report.privacy import protect
    >>> pub = Publication()
    >>> t = pub.add("total", 48)
    >>> pub.sums(t, [pub.add("A", 3), pub.add("B", 45)])
    >>> lo, hi = attacker_bounds(protect(pub, "suppress:10"))
    >>> lo.tolist(), hi.tolist()
    ([48.0, 1.0, 1.0], [48.0, 47.0, 47.0])
    """
    lo, hi, integer, rels = attacker_view(pub)
    return propagate(lo, hi, integer, rels, sweeps=sweeps)


def propagate(lo: np.ndarray, hi: np.ndarray, integer: np.ndarray, rels: list, *,
              sweeps: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Interval propagation over linear relations, all relations at once per sweep.

    Each sweep bounds every term of every relation by the others' current bounds
    (vectorised over all the relations), keeps the tightest bound per cell, and repeats
    until nothing moves by more than a whole unit (whole-number cells) or a
    ten-thousandth (real ones). ``sweeps`` is scaled by the length of the longest chain
    of relations that can matter (at least ``sweeps``, at most ``20 * sweeps`` sweeps).
    """
    lo = np.array(lo, dtype="float64")
    hi = np.array(hi, dtype="float64")
    if not rels:
        return lo, hi
    sizes = np.array([len(r[0]) for r in rels], dtype="int64")
    r_of = np.repeat(np.arange(len(rels)), sizes)
    cell = np.concatenate([r[0] for r in rels]).astype("int64")
    a = np.concatenate([r[1] for r in rels]).astype("float64")
    rlo = np.array([r[2] for r in rels], dtype="float64")[r_of]
    rhi = np.array([r[3] for r in rels], dtype="float64")[r_of]
    whole = integer[cell]
    n_rel = len(rels)
    pos = a > 0
    order = np.argsort(cell, kind="stable")
    cells_sorted = cell[order]
    starts = np.flatnonzero(np.r_[True, cells_sorted[1:] != cells_sorted[:-1]])
    targets = cells_sorted[starts]
    limit = max(int(sweeps), min(20 * int(sweeps), n_rel))
    for _ in range(limit):
        xl, xh = lo[cell], hi[cell]
        with np.errstate(invalid="ignore", over="ignore"):
            t1, t2 = a * xl, a * xh
            mn, mx = np.fmin(t1, t2), np.fmax(t1, t2)
        neg, posinf = np.isneginf(mn), np.isposinf(mx)
        mn0 = np.where(neg, 0.0, mn)
        mx0 = np.where(posinf, 0.0, mx)
        s_mn = np.bincount(r_of, weights=mn0, minlength=n_rel)[r_of]
        s_mx = np.bincount(r_of, weights=mx0, minlength=n_rel)[r_of]
        c_neg = np.bincount(r_of, weights=neg, minlength=n_rel)[r_of] - neg
        c_pos = np.bincount(r_of, weights=posinf, minlength=n_rel)[r_of] - posinf
        rest_min = np.where(c_neg == 0, s_mn - mn0, -INF)
        rest_max = np.where(c_pos == 0, s_mx - mx0, INF)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            lo_t = rlo - rest_max
            hi_t = rhi - rest_min
            new_lo = np.where(pos, lo_t / a, hi_t / a)
            new_hi = np.where(pos, hi_t / a, lo_t / a)
        new_lo[np.isnan(new_lo)] = -INF
        new_hi[np.isnan(new_hi)] = INF
        if whole.any():
            fin = whole & np.isfinite(new_lo)
            new_lo[fin] = np.ceil(new_lo[fin] - 1e-6)
            fin = whole & np.isfinite(new_hi)
            new_hi[fin] = np.floor(new_hi[fin] + 1e-6)
        best_lo = np.maximum.reduceat(new_lo[order], starts)
        best_hi = np.minimum.reduceat(new_hi[order], starts)
        cur_lo, cur_hi = lo[targets], hi[targets]
        w = integer[targets]
        # Real-valued bounds can creep towards their limit forever: a move smaller than
        # a ten-thousandth is not worth another sweep (propagation may stay a little
        # looser; the linear-programming check does not).
        tol_lo = np.where(w, 0.5, 1e-4 * (1 + np.where(np.isfinite(cur_lo),
                                                       np.abs(cur_lo), 0.0)))
        tol_hi = np.where(w, 0.5, 1e-4 * (1 + np.where(np.isfinite(cur_hi),
                                                       np.abs(cur_hi), 0.0)))
        up = best_lo > cur_lo + tol_lo
        down = best_hi < cur_hi - tol_hi
        if not (up.any() or down.any()):
            break
        lo[targets[up]] = best_lo[up]
        hi[targets[down]] = best_hi[down]
    return lo, hi


def tighten(ids, coefs, rlo, rhi, lo, hi, integer) -> np.ndarray:
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
    if kind == "amount" and s in HIDDEN:
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
    >>> from hospitalytics.report.privacy import protect
    >>> pub = Publication()
    >>> t = pub.add("total", 48)
    >>> pub.sums(t, [pub.add("A", 3), pub.add("B", 45)])
    >>> protect(pub, "suppress:10").state.tolist()
    ['shown', 'primary', 'secondary']
    >>> violations(pub, np.array([48, 3, 45.0]), np.array([48, 3, 45.0]))  # pinned
    [1, 2]
    """
    return [i for i in range(len(pub)) if is_violated(pub, i, lo[i], hi[i])]

