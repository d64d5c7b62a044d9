"""Synthetic stays at any size (:func:`make_stays`) and matching capacities (:func:`make_beds`).

Everything is vectorised with numpy: no Python loop runs per row (the loops below run
over digits, departments or treatments). Times are generated as whole minutes from the
midnight that starts ``start``; categoricals are built from integer codes.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..schema import CORE_ROLES, resolve_roles
from ._hospital import (
    AGES,
    CASE_MIX,
    DEPARTMENTS,
    HOURS_OVERNIGHT,
    HOURS_SAME_DAY,
    LOCATIONS,
    SEASONALITY,
    TREATMENTS,
    WARDS,
    WEEKDAYS,
)

__all__ = ["DEFAULT_TARGET_OCCUPANCY", "make_beds", "make_stays"]

#: The occupancy :func:`make_beds` sizes wards for when no target is given for a ward.
DEFAULT_TARGET_OCCUPANCY = 0.85

_MINUTES_PER_DAY = 1440
_NS_PER_MINUTE = 60_000_000_000
_NAT = np.iinfo(np.int64).min

#: Share of stays that are a readmission within 30 days of an earlier stay's discharge,
#: and share that are a later return (31-365 days) of an earlier patient.
_READMIT_30 = 0.065
_RETURN_LATER = 0.05


# pandas 3 infers the ``str`` dtype for text; pandas 2 keeps object. Categories follow suit
# (inferred, never forced), so make_stays and load_sample give identical dtypes on both.
_STR_INDEX = pd.Index(["a"]).dtype != object


def _dtype(names) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(names))

DEPARTMENT_DTYPE = _dtype(DEPARTMENTS)
WARD_DTYPE = _dtype(WARDS)
LOCATION_DTYPE = _dtype(LOCATIONS)
TREATMENT_DTYPE = _dtype(TREATMENTS)

_DEPT_NAMES = list(DEPARTMENTS)
_TREAT_NAMES = list(TREATMENTS)
_WARD_DEPT = np.array([_DEPT_NAMES.index(d) for d, _, _ in WARDS.values()], dtype=np.int8)
_WARD_LOC = np.array([LOCATIONS.index(loc) for _, loc, _ in WARDS.values()], dtype=np.int8)
_WARD_P = np.array([DEPARTMENTS[d] * share for d, _, share in WARDS.values()])
_CASE_MIX = np.array([[CASE_MIX[d].get(t, 0.0) for t in _TREAT_NAMES] for d in _DEPT_NAMES])
_TREAT = np.array([TREATMENTS[t] for t in _TREAT_NAMES])
_P_SAME_DAY = _TREAT[:, 0].astype(np.float32)
_NIGHTS = _TREAT[:, 1].astype(np.float32)
_BASE_COST = _TREAT[:, 2]
_NIGHT_COST = _TREAT[:, 3]
_HOURS = np.array([HOURS_OVERNIGHT, HOURS_SAME_DAY])
_AGES = np.arange(101)
#: Length-of-stay factor and long-stay probability by age: the elderly stay longer.
_AGE_LOS = (1.0 + 0.012 * np.maximum(_AGES - 60.0, 0.0)).astype(np.float32)
_AGE_LONG = (0.012 + 0.025 * (_AGES >= 75)).astype(np.float32)

#: Discrete draws use inverse-CDF lookup tables indexed by uniform integers of this many
#: bits: probabilities are quantised to 1/65,536, which keeps every draw one gather.
_BITS = 16


def _table(probs: np.ndarray, bits: int = _BITS) -> np.ndarray:
    """Inverse-CDF lookup tables: row ``k`` maps an integer in ``[0, 2**bits)`` to a category.

    The loop runs over the (few) rows of ``probs``, never over data rows.
    """
    probs = np.atleast_2d(np.asarray(probs, dtype=np.float64))
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    grid = (np.arange(2**bits) + 0.5) / 2**bits
    tab = np.stack([np.searchsorted(c, grid, side="right") for c in cum])
    return np.minimum(tab, probs.shape[1] - 1)


def _age_probs() -> np.ndarray:
    """P(age = a) for a in 0..100 per department: a normal rounded and clipped to [lo, hi]."""
    cdf = np.vectorize(lambda x: 0.5 * (1.0 + math.erf(x / math.sqrt(2.0))))
    rows = []
    for d in _DEPT_NAMES:
        mean, sd, lo, hi = AGES[d]
        edges = np.clip(np.arange(102) - 0.5, lo - 0.5, hi + 0.5)
        edges[edges <= lo - 0.5] = -np.inf
        edges[edges >= hi + 0.5] = np.inf
        rows.append(np.diff(cdf((edges - mean) / sd)))
    return np.array(rows)


_WARD_TABLE = _table(_WARD_P).ravel().astype(np.int8)
_TREAT_TABLE = _table(_CASE_MIX).ravel().astype(np.int8)
_HOUR_TABLE = _table(_HOURS).ravel().astype(np.int64)
_AGE_TABLE = _table(_age_probs()).ravel().astype(np.uint8)


def _draw(rng: np.random.Generator, table: np.ndarray, parent: np.ndarray | None, n: int):
    """Draw ``n`` categories from a lookup table, conditional on ``parent`` codes if given."""
    u = rng.integers(0, 2**_BITS, n, dtype=np.uint16)
    if parent is None:
        return table[u]
    return table[(parent.astype(np.int32) << _BITS) | u]


def _day_table(
    start: pd.Timestamp, days: int, seasonality: float
) -> tuple[np.ndarray, int]:
    """Inverse-CDF table of admission days, with a winter peak and fewer weekend admissions."""
    dates = start + pd.to_timedelta(np.arange(days), unit="D")
    doy = dates.day_of_year.to_numpy()
    season = 1.0 + seasonality * np.cos(2.0 * np.pi * (doy - 20) / 365.25)
    weights = season * np.asarray(WEEKDAYS)[dates.day_of_week.to_numpy()]
    bits = max(20, int(np.ceil(np.log2(days * 256))))
    return _table(weights, bits).ravel().astype(np.int64), bits


def _discharge_minutes(
    rng: np.random.Generator,
    same_day: np.ndarray,
    treat: np.ndarray,
    age: np.ndarray,
    adm: np.ndarray,
) -> np.ndarray:
    """Discharge times (minutes) of stays admitted at ``adm`` (minutes)."""
    n = adm.size
    out = np.empty(n, dtype=np.int64)
    s = np.flatnonzero(same_day)
    o = np.flatnonzero(~same_day)
    # same-day: a few hours (lognormal, median 4 h), always before the next midnight
    a = adm[s]
    dur = np.exp(np.float32(np.log(240.0)) + np.float32(0.55) * rng.standard_normal(
        s.size, dtype=np.float32))
    room = (_MINUTES_PER_DAY - 1) - a % _MINUTES_PER_DAY
    out[s] = a + np.minimum(np.maximum(dur, 20.0).astype(np.int64), room)
    # overnight: lognormal nights by treatment, longer for the elderly, plus a long tail
    a, t, g = adm[o], treat[o], age[o]
    nights = _NIGHTS[t] * _AGE_LOS[g] * np.exp(
        np.float32(0.7) * rng.standard_normal(o.size, dtype=np.float32)
    )
    long = rng.random(o.size, dtype=np.float32) < _AGE_LONG[g]
    nights[long] = 21.0 + rng.exponential(20.0, int(long.sum())).astype(np.float32)
    nights = np.clip(np.rint(nights), 1, 400).astype(np.int64)
    tod = np.clip(
        870.0 + 140.0 * rng.standard_normal(o.size, dtype=np.float32), 420.0, 1350.0
    ).astype(np.int64)
    out[o] = (a // _MINUTES_PER_DAY + nights) * _MINUTES_PER_DAY + tod
    return out


def format_ids(num: np.ndarray, prefix: str = "P") -> pd.Series:
    """``"P000123"``-style ids from positive integers, built as bytes without a row loop."""
    n = num.size
    width = max(6, len(str(int(num.max())))) if n else 6
    chunks = -(-width // 4)
    table = np.array([f"{i:04d}" for i in range(10_000)], dtype="S4").view("<u4")
    digits = np.empty((n, chunks), dtype="<u4")
    q = num.astype(np.uint32 if n and num.max() < 2**32 else np.uint64)
    for k in range(chunks - 1, -1, -1):
        digits[:, k] = table[q % 10_000]
        q //= 10_000
    p = prefix.encode("ascii")
    length = len(p) + width
    buf = np.empty((n, length), dtype=np.uint8)
    buf[:, : len(p)] = np.frombuffer(p, dtype=np.uint8)
    buf[:, len(p) :] = digits.view(np.uint8).reshape(n, 4 * chunks)[:, 4 * chunks - width :]
    try:  # hand the bytes to Arrow as one buffer: no per-string work for pandas 3's str
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is optional
        text = buf.view(f"S{length}").ravel().astype(f"U{length}").astype(object)
        return pd.Series(text, name="patient_id", dtype=str if _STR_INDEX else object)
    offsets = np.arange(0, (n + 1) * length, length, dtype=np.int64)
    arr = pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(buf.reshape(-1))
    )
    if _STR_INDEX:
        return pd.Series(arr, dtype="str", name="patient_id")
    return pd.Series(arr.to_numpy(zero_copy_only=False), name="patient_id", dtype=object)


def _timestamps(base_ns: int, minutes: np.ndarray) -> np.ndarray:
    nat = minutes == _NAT
    ns = minutes * _NS_PER_MINUTE
    ns += base_ns
    ns[nat] = _NAT
    return ns.view("M8[ns]")


def _parse_day(value: object, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise ArgumentError(f"{name}={value!r} is not a date; pass e.g. '2025-12-15'.",
                            argument=name) from err
    if ts is pd.NaT or ts.tzinfo is not None:
        raise ArgumentError(
            f"{name}={value!r} must be a naive calendar date such as '2025-12-15'.",
            argument=name,
        )
    return ts.normalize()


def make_stays(
    n: int,
    seed: int | None = 0,
    *,
    start: object = "2023-01-01",
    end: object = "2025-12-31",
    open_at_end: bool = True,
    seasonality: float = SEASONALITY,
) -> pd.DataFrame:
    """Generate ``n`` realistic synthetic hospital stays in the canonical frame.

    The hospital has 8 departments with 12 wards on 3 sites and 9 treatment types. Ages
    depend on the department (children in Paediatrics, women of childbearing age in
    Obstetrics, the elderly in General Medicine), treatments on the department (maternity
    care in Obstetrics, chemotherapy in Oncology), and costs on the treatment and on the
    length of stay. Admissions peak in winter and on weekdays and are spread over the day;
    about a fifth of the stays are same-day stays (discharged a few hours later on the
    same date), most others last days, and a long tail stays three weeks or more. About
    6.5% of the stays are readmissions within 30 days of the same patient's previous
    discharge, and about 5% more are later returns.

    Generation is vectorised with numpy; ten million stays take seconds.

    Parameters
    ----------
    n : int
        Number of stays (rows), 0 or more.
    seed : int or None, default 0
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same frame.
    start, end : str or Timestamp-like, default "2023-01-01", "2025-12-31"
        First and last admission dates (inclusive). ``end`` is also the extract date.
    open_at_end : bool, default True
        When true, stays that would be discharged after the end of ``end`` (its midnight)
        are still in hospital: their ``discharge_date`` is ``NaT``. When false, every stay
        keeps its discharge, some after ``end``.
    seasonality : float, default 0.18
        Amplitude of the winter peak of admissions: the daily admission rate is
        proportional to ``1 + seasonality * cos(2 pi (day of year - 20) / 365.25)``,
        highest around 20 January and lowest in July (0.18: about 1.4 times as many
        admissions a day in January as in July). 0 gives no seasonality; at most 1.

    Returns
    -------
    DataFrame
        The canonical frame, one row per stay, sorted by admission time: ``patient_id``
        (text), ``admission_date`` and ``discharge_date`` (``datetime64[ns]`` to the
        minute), ``department``, ``ward``, ``location``, ``treatment`` (categoricals),
        ``cost`` (float, currency units, to the cent) and ``age`` (float, whole years).

    Raises
    ------
    ArgumentError
        When ``n`` is not a non-negative integer, ``end`` is before ``start`` or
        ``seasonality`` is not a number from 0 to 1.

    See Also
    --------
    make_beds : Ward capacities that fit generated stays.
    load_sample : The bundled sample, made with this function.

    Examples
    --------
    >>> from hospitalytics.datasets import make_stays
    >>> stays = make_stays(1_000, seed=42, start="2024-01-01", end="2024-12-31")
    >>> stays.shape
    (1000, 9)
    >>> list(stays.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['patient_id', 'admission_date', 'discharge_date', 'department', 'ward',
     'location', 'treatment', 'cost', 'age']
    >>> bool((stays["discharge_date"].dropna() >= stays.loc[
    ...     stays["discharge_date"].notna(), "admission_date"]).all())
    True
    >>> make_stays(1_000, seed=42, start="2024-01-01", end="2024-12-31").equals(stays)
    True

    A flatter year (a winter peak of 8% instead of 18%):

    >>> flat = make_stays(20_000, seed=1, start="2024-01-01", end="2024-12-31",
    ...                   seasonality=0.08)
    >>> month = flat["admission_date"].dt.month
    >>> round(float(month.isin([1, 2]).sum() / month.isin([7, 8]).sum()), 2)
    1.07
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ArgumentError(f"n must be a non-negative integer, got {n!r}.", argument="n", value=n)
    n = int(n)
    if (
        isinstance(seasonality, bool)
        or not isinstance(seasonality, numbers.Real)
        or not 0 <= seasonality <= 1
    ):
        raise ArgumentError(
            f"seasonality must be a number from 0 (none) to 1, such as 0.18, got "
            f"{seasonality!r}.",
            argument="seasonality", value=seasonality,
        )
    start_ts = _parse_day(start, "start")
    end_ts = _parse_day(end, "end")
    if end_ts < start_ts:
        raise ArgumentError(f"end ({end_ts.date()}) is before start ({start_ts.date()}).",
                            argument="end")
    days = (end_ts - start_ts).days + 1
    horizon = days * _MINUTES_PER_DAY  # the midnight that ends the `end` date
    rng = np.random.default_rng(seed)

    # who and where: lookup-table draws (ward, then treatment and age by department)
    ward = _draw(rng, _WARD_TABLE, None, n)
    dept = _WARD_DEPT[ward]
    treat = _draw(rng, _TREAT_TABLE, dept, n)
    age = _draw(rng, _AGE_TABLE, dept, n)

    # when: a seasonal, weekday-weighted day, an hour that depends on the stay type
    day_table, bits = _day_table(start_ts, days, float(seasonality))
    day = day_table[rng.integers(0, 2**bits, n, dtype=np.int64)]
    same_day = rng.random(n, dtype=np.float32) < _P_SAME_DAY[treat]
    adm = day * _MINUTES_PER_DAY
    del day
    adm += _draw(rng, _HOUR_TABLE, same_day, n) * 60
    adm += rng.integers(0, 60, n, dtype=np.int64)
    disc = _discharge_minutes(rng, same_day, treat, age, adm)

    # repeat patients: some rows become a later stay of an earlier (index) stay's patient,
    # in the same ward with the same treatment: a readmission within 30 days or a return
    role = rng.random(n, dtype=np.float32)
    repeat = np.flatnonzero(role < _READMIT_30 + _RETURN_LATER)
    pool = role >= _READMIT_30 + _RETURN_LATER
    n_pool = int(pool.sum())
    q = min(1.0, 1.3 * repeat.size / n_pool) if n_pool else 0.0
    index = np.flatnonzero(pool & (rng.random(n, dtype=np.float32) < q))
    del pool
    k = min(repeat.size, index.size)
    repeat, index = repeat[:k], index[:k]
    within_30 = role[repeat] < _READMIT_30
    del role
    mean, cap = 8.0, 29.0  # days: a truncated exponential gap for the 30-day readmissions
    gap30 = -mean * np.log1p(-rng.random(k) * -np.expm1(-cap / mean))
    gap = np.where(within_30, gap30, rng.uniform(31.0, 365.0, k)) * _MINUTES_PER_DAY
    new_adm = disc[index] + gap.astype(np.int64) + 120
    fits = new_adm < horizon
    repeat, index, new_adm = repeat[fits], index[fits], new_adm[fits]
    ward[repeat] = ward[index]
    dept[repeat] = dept[index]
    treat[repeat] = treat[index]
    age[repeat] = age[index]
    adm[repeat] = new_adm
    t = treat[repeat]
    same = rng.random(repeat.size, dtype=np.float32) < _P_SAME_DAY[t]
    disc[repeat] = _discharge_minutes(rng, same, t, age[repeat], new_adm)

    # cost: a base by treatment plus a nightly rate, up to discharge or the extract date
    nights = np.minimum(disc, horizon) // _MINUTES_PER_DAY - adm // _MINUTES_PER_DAY
    cost = _NIGHT_COST[treat] * nights
    del nights
    cost += _BASE_COST[treat]
    cost *= np.exp(0.35 * rng.standard_normal(n))
    cost = np.round(cost, 2)
    if open_at_end:
        disc[disc >= horizon] = _NAT

    # sort by admission; patient numbers follow first appearance, repeats reuse them
    order, adm = _sort_order(adm)
    is_first = np.ones(n, dtype=bool)
    is_first[repeat] = False
    first_sorted = is_first[order]
    del is_first
    num = np.zeros(n, dtype=np.int64)
    num[order[first_sorted]] = np.arange(1, int(first_sorted.sum()) + 1)
    num[repeat] = num[index]
    ward = ward[order]
    base_ns = start_ts.value
    return pd.DataFrame(
        {
            "patient_id": format_ids(num[order]),
            "admission_date": _timestamps(base_ns, adm),
            "discharge_date": _timestamps(base_ns, disc[order]),
            "department": pd.Categorical.from_codes(
                _WARD_DEPT[ward], dtype=DEPARTMENT_DTYPE, validate=False
            ),
            "ward": pd.Categorical.from_codes(ward, dtype=WARD_DTYPE, validate=False),
            "location": pd.Categorical.from_codes(
                _WARD_LOC[ward], dtype=LOCATION_DTYPE, validate=False
            ),
            "treatment": pd.Categorical.from_codes(
                treat[order], dtype=TREATMENT_DTYPE, validate=False
            ),
            "cost": cost[order],
            "age": age[order].astype(np.float64),
        },
        columns=list(CORE_ROLES),
        copy=False,
    )


def _sort_order(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stable sort order of non-negative int64 ``key`` and the sorted key.

    Key and row number are packed into one uint64 and sorted by value, which numpy does
    with SIMD, faster than an argsort; falls back to a stable argsort when they do not fit.
    """
    n = key.size
    row_bits = max(1, int(n - 1).bit_length())
    key_bits = int(key.max()).bit_length() if n else 0
    if key_bits + row_bits > 63:  # pragma: no cover - spans of centuries at 2**30 rows
        order = np.argsort(key, kind="stable")
        return order, key[order]
    packed = key.astype(np.uint64)
    packed <<= np.uint64(row_bits)
    packed |= np.arange(n, dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << row_bits) - 1)).astype(np.int64)
    packed >>= np.uint64(row_bits)
    return order, packed.view(np.int64)


def make_beds(
    stays: pd.DataFrame,
    target_occupancy: float | Mapping[str, float] = DEFAULT_TARGET_OCCUPANCY,
) -> pd.DataFrame:
    """Size each ward so that the stays fill it to a target occupancy.

    For each ward, ``beds = round(average midnight census / target)``, at least 1, where
    the average census is the ward's occupied bed-days divided by the number of days in
    the data's span. The span runs from the first admission date to the last date in the
    data (the latest admission or discharge date). Bed-days follow the midnight census: a
    stay occupies a bed on calendar day ``d`` when
    ``date(admission) <= d < date(discharge)``, so a same-day stay adds nothing and a stay
    still open (``NaT`` discharge) occupies its bed through the last date of the span.
    A stay's bed-days are ``date(discharge) - date(admission)`` (clipped at 0), summed per
    ward: vectorised, without expanding stays into days.

    Parameters
    ----------
    stays : DataFrame
        Stays with admission and discharge timestamps and a ward (canonical names or
        names :func:`~hospitalytics.schema.resolve_roles` recognises).
    target_occupancy : float or mapping, default 0.85
        The occupancy to size for (0.85 = 85%), or ``{ward: target}``; wards not in the
        mapping use 0.85.

    Returns
    -------
    DataFrame
        Columns ``ward`` (text) and ``beds`` (int64), one row per ward with stays, in the
        ward's category order (or sorted by name for a non-categorical ward column).

    Raises
    ------
    ArgumentError
        When a target is not a positive number or the dates are not datetimes.
    SchemaError
        When a needed column cannot be found.

    Examples
    --------
    >>> import pandas as pd
    >>> from hospitalytics.datasets import make_beds
    >>> stays = pd.DataFrame({
    ...     "ward": ["A", "A", "B"],
    ...     "admission_date": pd.to_datetime(["2025-01-01 10:00", "2025-01-02 09:00",
    ...                                       "2025-01-01 08:00"]),
    ...     "discharge_date": pd.to_datetime(["2025-01-05 12:00", None,
    ...                                       "2025-01-01 15:00"]),
    ... })
    >>> make_beds(stays, target_occupancy=0.8)  # A: (4 + 3) bed-days / 4 days / 0.8
      ward  beds
    0    A     2
    1    B     1
    """
    given = (
        list(target_occupancy.values())
        if isinstance(target_occupancy, Mapping)
        else [target_occupancy]
    )
    for t in given:
        if (
            isinstance(t, bool)
            or not isinstance(t, numbers.Real)
            or not np.isfinite(t)
            or t <= 0
        ):
            raise ArgumentError(
                f"target_occupancy must be a positive number such as 0.85 (or a mapping "
                f"{{ward: number}}), got {t!r}.",
                argument="target_occupancy", value=t,
            )
    roles = resolve_roles(stays)
    cols = {
        r: roles.require(r, needed_by="make_beds")
        for r in ("admission_date", "discharge_date", "ward")
    }
    days = {}
    for r in ("admission_date", "discharge_date"):
        s = stays[cols[r]]
        if not pd.api.types.is_datetime64_any_dtype(s.dtype):
            raise ArgumentError(
                f"make_beds needs datetimes in {cols[r]!r}, found dtype {s.dtype}; parse it "
                "first, e.g. with pandas.to_datetime(..., format=...)."
            )
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_localize(None)
        d = s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        days[r] = np.where(np.isnat(d), _NAT, d.view(np.int64))
    adm, disc = days["admission_date"], days["discharge_date"]
    ward = stays[cols["ward"]]
    keep = adm != _NAT
    adm, disc, ward = adm[keep], disc[keep], ward[keep]
    if adm.size:
        first = int(adm.min())
        last = int(max(adm.max(), disc[disc != _NAT].max(initial=first)))
        span = last - first + 1
        disc = np.where(disc == _NAT, last + 1, disc)
        bed_days = np.clip(disc - adm, 0, None).astype(np.float64)
    else:
        span, bed_days = 1, np.zeros(0)
    codes, uniques = pd.factorize(ward, sort=True)  # category order for categoricals
    valid = codes >= 0
    census = np.bincount(codes[valid], weights=bed_days[valid], minlength=len(uniques)) / span
    wards = pd.Index(np.asarray(uniques, dtype=object)).astype(str)
    default = DEFAULT_TARGET_OCCUPANCY
    if isinstance(target_occupancy, Mapping):
        target = np.array([float(target_occupancy.get(w, default)) for w in wards])
    else:
        target = np.full(len(wards), float(target_occupancy))
    beds = np.maximum(np.floor(census / target + 0.5), 1).astype(np.int64)
    return pd.DataFrame({"ward": wards, "beds": beds})
