"""The exceptions and warnings raised by hospitalytics.

Every error the library raises on purpose derives from :class:`HospitalyticsError`, so
code that embeds the library can catch them all with one ``except`` clause::

    HospitalyticsError
    ├── SchemaError            a column role is missing or ambiguous
    ├── DataQualityError       the data cannot support the request
    └── ArgumentError          an argument has a bad value (also a ``ValueError``)
        └── ArgumentTypeError  an argument has the wrong type (also a ``TypeError``)

    DataQualityWarning         a data problem that was kept, counted and reported

Errors carry structured attributes as well as a message that says what was expected,
what was found and how to fix it: a :class:`SchemaError` its ``role``, the columns
``found`` and the ``candidates``; an :class:`ArgumentError` the ``argument``, the
``value`` given and the values ``allowed`` (as pandera's errors carry their context).

Examples
--------
>>> import pandas as pd
>>> import hospitalytics as hp
>>> try:
...     hp.admissions(pd.DataFrame({"x": [1]}))
... except hp.SchemaError as err:
...     print(err.role)
admission_date
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "DataQualityError",
    "DataQualityWarning",
    "HospitalyticsError",
    "SchemaError",
]


class HospitalyticsError(Exception):
    """Base class of every error raised on purpose by hospitalytics.

    Examples
    --------
    >>> issubclass(SchemaError, HospitalyticsError)
    True
    """


class SchemaError(HospitalyticsError, KeyError):
    """A column role is missing from a frame, or more than one column could fill it.

    Parameters
    ----------
    role : str
        The role that could not be resolved (``"admission_date"``, ``"ward"``, ...).
    found : sequence of str
        The columns of the frame.
    candidates : sequence of str, optional
        The columns that could each fill the role (empty when none was found).
    needed_by : str, optional
        What needed the role (a KPI name), for the message.
    message : str, optional
        A message to use instead of the generated one.

    Attributes
    ----------
    role, found, candidates, needed_by
        As given.

    Examples
    --------
    >>> err = SchemaError("cost", found=["Date", "Amount"], candidates=[])
    >>> err.role
    'cost'
    """

    def __init__(
        self,
        role: str,
        found: Sequence[str] = (),
        candidates: Sequence[str] = (),
        *,
        needed_by: str | None = None,
        message: str | None = None,
    ) -> None:
        self.role = role
        self.found = [str(c) for c in found]
        self.candidates = [str(c) for c in candidates]
        self.needed_by = needed_by
        if message is None:
            message = self._build_message()
        self.message = message
        super().__init__(message)

    def _build_message(self) -> str:
        what = f" (needed by {self.needed_by})" if self.needed_by else ""
        if self.candidates:
            head = (
                f"column role {self.role!r}{what} is ambiguous: "
                f"{len(self.candidates)} columns could fill it: {self.candidates}."
            )
            pick = self.candidates[0]
        else:
            head = f"column role {self.role!r}{what} was not found."
            pick = "<your column>"
        return (
            f"{head} Columns in the frame: {self.found}. "
            f"Name the column explicitly, e.g. columns={{{self.role!r}: {pick!r}}} "
            f"(or --column {shlex.quote(f'{self.role}={pick}')} on the command line)."
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class DataQualityError(HospitalyticsError, ValueError):
    """The data cannot support what was asked (for example no parseable admission date).

    Examples
    --------
    >>> raise DataQualityError("no row has a valid admission date")
    Traceback (most recent call last):
    ...
    hospitalytics.errors.DataQualityError: no row has a valid admission date
    """


class ArgumentError(HospitalyticsError, ValueError):
    """An argument has a value the function cannot use.

    It is also a :class:`ValueError`, so existing ``except ValueError`` code keeps working.

    Parameters
    ----------
    message : str
        What was expected, what was found and how to fix it.
    argument : str, optional
        The name of the argument (``"basis"``, ``"window"``, ``"beds"`` ...).
    value : object, optional
        The value that was given.
    allowed : sequence or str, optional
        The values the argument takes, or a short description of them.

    Attributes
    ----------
    message, argument, value, allowed
        As given (``None`` when not given).

    Examples
    --------
    >>> import hospitalytics as hp
    >>> try:
    ...     hp.treatment_cost(hp.datasets.load_sample(), basis="payment")
    ... except hp.ArgumentError as err:
    ...     print(err.argument, err.value, err.allowed)
    basis payment ('admission', 'discharge')
    >>> issubclass(ArgumentError, ValueError)
    True
    """

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        value: object = None,
        allowed: Sequence[object] | str | None = None,
    ) -> None:
        self.message = message
        self.argument = argument
        self.value = value
        self.allowed = tuple(allowed) if isinstance(allowed, list) else allowed
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # picklable with its attributes (Dask ships errors between workers)
        return (_rebuild, (type(self), self.message, self.argument, self.value, self.allowed))


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument has the wrong type (a list where a DataFrame is expected ...).

    Both an :class:`ArgumentError` and a :class:`TypeError`.

    Examples
    --------
    >>> import hospitalytics as hp
    >>> try:
    ...     hp.admissions([1, 2, 3])
    ... except TypeError as err:
    ...     print(type(err).__name__, err.argument, err.allowed)
    ArgumentTypeError df pandas.DataFrame
    """


def _rebuild(cls, message, argument, value, allowed):
    return cls(message, argument=argument, value=value, allowed=allowed)


class DataQualityWarning(UserWarning):
    """A suspicious value was kept (negative cost, age over 120, stays without capacity).

    Filter it with :func:`warnings.filterwarnings` when the data is known to be fine.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DataQualityWarning)
    """
