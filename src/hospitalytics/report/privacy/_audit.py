"""The auditor: the tightest interval an attacker can derive for every protected cell.

:func:`audit` reads a protected :class:`~hospitalytics.report.privacy.Publication` the way
an attacker reads the output: the figures shown, what each marker means, the rounding
bands, and every linear relation between the figures. For each protected cell it
minimises and maximises the cell's value subject to all of that, by linear programming
(scipy's HiGHS), and reports every interval narrower than the method allows.

Needs scipy: ``pip install "hospitalytics[privacy]"``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...errors import ArgumentError
from ._model import Publication, attacker_view, band, is_violated, n_values, required

__all__ = ["AuditResult", "audit"]


def _scipy():
    try:
        from scipy import sparse
        from scipy.optimize import linprog
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "small-number protection and its audit need scipy (linear programming with "
            "HiGHS); install it with: pip install \"hospitalytics[privacy]\""
        ) from exc
    return linprog, sparse


@dataclass
class AuditResult:
    """What :func:`audit` found.

    Attributes
    ----------
    intervals : DataFrame
        One row per protected cell: ``key``, ``state``, ``value`` (the true value),
        ``published``, ``lo`` and ``hi`` (the attacker's interval; when ``exact`` is
        False, a range inside it that already meets the requirement), ``values`` (whole
        numbers in it, for counts), ``requirement``, ``exact`` and ``ok``.
    integer : bool
        Whether counts were solved as whole numbers (mixed-integer programming) or as
        real numbers (the linear relaxation, rounded inwards afterwards).
    method : str
        The protection method audited (``"suppress:10"``, ``"hes"``).
    """

    intervals: pd.DataFrame
    integer: bool
    method: str

    @property
    def narrow(self) -> pd.DataFrame:
        """The protected cells an attacker can narrow more than the method allows."""
        return self.intervals[~self.intervals["ok"]]

    @property
    def ok(self) -> bool:
        """True when no protected cell is narrower than the method allows."""
        return bool(self.intervals["ok"].all())

    def __repr__(self) -> str:
        return (f"AuditResult(method={self.method!r}, protected={len(self.intervals)}, "
                f"narrow={len(self.narrow)}, integer={self.integer})")


def audit(
    publication,
    *,
    integer: bool = False,
    exact: bool = False,
    cells: list | None = None,
    time_limit: float | None = None,
) -> AuditResult:
    """Compute the tightest interval an attacker can derive for each protected cell.

    The attacker knows every figure the output shows; what each marker means (``"<N"``:
    a whole number of 1 or more, since zeros are never hidden; ``*``: 1 to 7; ``"[c]"``:
    8 or more; a rounded count R: R-2 to R+2, and 8 or more); every published rate times
    a known denominator; and the relations of the publication (totals, months, MTD,
    patients <= admissions, bed-days, cleaning counts; see
    :mod:`hospitalytics.report.privacy`). For each protected cell the value is minimised
    and maximised under all of that.

    A protected cell is *narrow* when:

    - ``suppress:N``: its interval holds fewer than N whole numbers (a hidden cost or
      other amount: narrower than its own size);
    - ``hes``: a ``*`` count is pinned to one value; a ``[c]`` count holds fewer than 5
      whole numbers; a rounded count R is narrowed inside its band (the attacker can rule
      out a value from R-2 to R+2 that the rounding allows).

    Parameters
    ----------
    publication : Publication or Report
        A protected publication, or a report built with a privacy method.
    integer : bool, default False
        False: solve the linear relaxation (counts as real numbers) and round the bounds
        inwards to whole numbers. That interval always holds the true value, but an
        attacker who also uses that counts are whole numbers (integer programming) can
        sometimes narrow it further. True: solve that mixed-integer problem, the
        attacker's exact interval (fast under ``suppress``, where few cells are
        unknown; slow under ``hes``, where every rounded count is).
    exact : bool, default False
        Solve for the exact interval of every protected cell. By default a cell passes
        as soon as the solutions already found (and the true values) span an interval
        wide enough: those points are ones the attacker cannot rule out, so the
        attacker's interval is at least that wide; ``lo``/``hi`` are then that inner
        range and ``exact`` is False in the result.
    cells : list of hashable, optional
        Audit only these cell keys.
    time_limit : float, optional
        With ``integer=True``: seconds the integer solves may take in all. Once they are
        spent (or a solve runs out of them), the remaining bounds come from the linear
        relaxation, as with ``integer=False``: still sound (the true value is inside),
        possibly wider than the integer attacker's. None: no limit.

    Returns
    -------
    AuditResult
        The intervals and the narrow ones.

    Raises
    ------
    ImportError
        Without scipy (``pip install "hospitalytics[privacy]"``).
    ArgumentError
        For a publication that was not protected.
    RuntimeError
        When what is published contradicts the relations (a wrong relation).

    Examples
    --------
    >>> from hospitalytics.report.privacy import Publication, protect
    >>> pub = Publication()
    >>> t = pub.add("total", 48)
    >>> pub.sums(t, [pub.add("A", 3), pub.add("B", 45)])
    >>> res = audit(protect(pub, "suppress:10"), exact=True)
    >>> res.ok, res.intervals[["key", "lo", "hi"]].to_dict("records")
    (True, [{'key': 'A', 'lo': 1.0, 'hi': 47.0}, {'key': 'B', 'lo': 1.0, 'hi': 47.0}])
    """
    pub = getattr(publication, "publication", publication)
    if not isinstance(pub, Publication) or pub.state is None or pub.privacy is None:
        raise ArgumentError("audit takes a protected Publication, or a Report built with "
                            "privacy='suppress:N' or 'hes'.")
    linprog, sparse = _scipy()
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    lo, hi, is_int, rels = attacker_view(pub)
    n = len(pub)
    wanted = [i for i in range(n) if required(pub, i) is not None]
    if cells is not None:
        keep = {pub.id(k) for k in cells}
        wanted = [i for i in wanted if i in keep]
    fixed = np.isfinite(lo) & np.isfinite(hi) & (hi - lo <= 1e-12 * (1 + np.abs(lo)))
    # union-find over the relations' free cells
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ids, *_r in rels:
        free = [int(i) for i in ids if not fixed[i]]
        for a, b in zip(free, free[1:], strict=False):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    groups: dict[int, list[int]] = {}
    for i in range(n):
        if not fixed[i]:
            groups.setdefault(find(i), []).append(i)
    rel_of: dict[int, list[int]] = {}
    for k, (ids, *_r) in enumerate(rels):
        free = [int(i) for i in ids if not fixed[i]]
        if free:
            rel_of.setdefault(find(free[0]), []).append(k)
    out_lo = np.array(lo, dtype="float64")
    out_hi = np.array(hi, dtype="float64")
    vals_all = np.asarray(pub.values, dtype="float64")
    witnessed: dict[int, tuple[float, float]] = {}
    by_group: dict[int, list[int]] = {}
    for i in wanted:
        if not fixed[i]:
            by_group.setdefault(find(i), []).append(i)
    for g, targets in by_group.items():
        members = groups[g]
        pos = {c: j for j, c in enumerate(members)}
        rows, cols, data, rlo, rhi = [], [], [], [], []
        for k in rel_of.get(g, ()):
            ids, coefs, a_lo, a_hi, _why = rels[k]
            shift = float(sum(c * lo[i] for i, c in zip(ids, coefs, strict=True) if fixed[i]))
            r = len(rlo)
            for i, c in zip(ids, coefs, strict=True):
                if not fixed[i]:
                    rows.append(r)
                    cols.append(pos[int(i)])
                    data.append(float(c))
            rlo.append(a_lo - shift)
            rhi.append(a_hi - shift)
        m = len(members)
        a_mat = sparse.csr_matrix((data, (rows, cols)), shape=(len(rlo), m))
        rlo_a, rhi_a = np.array(rlo), np.array(rhi)
        eq = np.isclose(rlo_a, rhi_a, rtol=0, atol=0)
        a_eq, b_eq = (a_mat[eq], rlo_a[eq]) if eq.any() else (None, None)
        ub_parts, b_parts = [], []
        up = ~eq & np.isfinite(rhi_a)
        if up.any():
            ub_parts.append(a_mat[up])
            b_parts.append(rhi_a[up])
        down = ~eq & np.isfinite(rlo_a)
        if down.any():
            ub_parts.append(-a_mat[down])
            b_parts.append(-rlo_a[down])
        a_ub = sparse.vstack(ub_parts).tocsr() if ub_parts else None
        b_ub = np.concatenate(b_parts) if b_parts else None
        bounds = [(None if not np.isfinite(lo[c]) else lo[c],
                   None if not np.isfinite(hi[c]) else hi[c]) for c in members]
        integrality = np.array([1 if (integer and is_int[c]) else 0 for c in members])
        # Every solution found is a point the attacker cannot rule out: the range of
        # those points is inside the attacker's interval, so once it is wide enough the
        # cell passes without solving for its exact bounds (unless exact=True).
        wlo = vals_all[members].copy()
        whi = vals_all[members].copy()
        for t in targets:
            for sense in (-1.0, 1.0):
                j = pos[t]
                if not exact and not is_violated(pub, t, wlo[j], whi[j]):
                    witnessed[t] = (wlo[j], whi[j])
                    break
                cost = np.zeros(m)
                cost[pos[t]] = sense
                whole = integrality.any()
                left = None if deadline is None else deadline - time.monotonic()
                if whole and left is not None and left <= 0:
                    whole = False  # the integer budget is spent: the linear relaxation
                res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                              bounds=bounds, method="highs",
                              integrality=integrality if whole else None,
                              options={"time_limit": left} if whole and left else None)
                if whole and res.status == 1:  # out of time: the relaxation, still sound
                    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                                  bounds=bounds, method="highs")
                status = res.status
                if status not in (0, 2, 3):  # "infeasible or unbounded": which one?
                    probe = linprog(np.zeros(m), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                                    bounds=bounds, method="highs")
                    status = 3 if probe.status == 0 else 2
                if status == 3:  # unbounded
                    value = -math.inf if sense > 0 else math.inf
                elif status == 2:
                    raise RuntimeError(
                        f"the published figures contradict the relations around "
                        f"{pub.keys[t]!r}: a relation of the publication is wrong"
                    )
                elif res.status != 0:
                    raise RuntimeError(f"the solver failed on {pub.keys[t]!r}: {res.message}")
                else:
                    value = float(res.fun) * sense
                    wlo = np.minimum(wlo, res.x)
                    whi = np.maximum(whi, res.x)
                if sense > 0:
                    out_lo[t] = max(out_lo[t], value)
                else:
                    out_hi[t] = min(out_hi[t], value)
    records = []
    vals = np.asarray(pub.values, dtype="float64")
    shown = pub.display()
    for i in wanted:
        what, k = required(pub, i)
        low, high = witnessed.get(i, (out_lo[i], out_hi[i]))
        if is_int[i]:
            low = math.ceil(low - 1e-6) if np.isfinite(low) else low
            high = math.floor(high + 1e-6) if np.isfinite(high) else high
        if what == "band":
            b_lo, b_hi = band(pub, i)
            req = f"covers {b_lo:g}..{b_hi:g}"
        elif what == "values":
            req = f"at least {k:g} values"
        else:
            req = f"at least {k:,.2f} wide"
        if not (low - 1e-6 <= vals[i] <= high + 1e-6):
            raise RuntimeError(
                f"the true value of {pub.keys[i]!r} ({vals[i]}) is outside the attacker's "
                f"interval [{low}, {high}]: a relation of the publication is wrong"
            )
        records.append({
            "key": pub.keys[i],
            "state": pub.state[i],
            "value": vals[i],
            "published": shown.iat[i],
            "lo": float(low),
            "hi": float(high),
            "values": n_values(low, high) if is_int[i] else math.nan,
            "requirement": req,
            "exact": i not in witnessed,
            "ok": not is_violated(pub, i, low, high),
        })
    frame = pd.DataFrame.from_records(
        records, columns=["key", "state", "value", "published", "lo", "hi", "values",
                          "requirement", "exact", "ok"])
    return AuditResult(frame, bool(integer), pub.privacy.spec)
