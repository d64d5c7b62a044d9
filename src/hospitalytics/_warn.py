"""The one home of the library's warnings and of their stack level.

Part of the engine's contract (public names in a private module, shared by the KPIs,
cleaning, Dask, the analysis and the charts): every warning the library issues on
purpose goes through :func:`warn`, which points it at the user's line -- the first frame
outside the package -- whether the function was called directly, through another
function of the library, through an accessor or on a Dask worker.

Examples
--------
>>> import warnings
>>> from hospitalytics._warn import warn
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     warn("3 stay(s) have no cost")
>>> caught[0].category.__name__, str(caught[0].message)
('DataQualityWarning', '3 stay(s) have no cost')
"""

from __future__ import annotations

import inspect
import os
import warnings

from .errors import DataQualityWarning

__all__ = ["PACKAGE_DIR", "caller_stacklevel", "warn"]

#: The folder of the package: frames in files under it are the library's own.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def caller_stacklevel() -> int:
    """Stacklevel of the first frame outside the package, for ``warnings.warn``.

    Called from the function that warns, it points the warning at the user's line
    whether the KPI was called directly, through another KPI or through the accessor.

    Returns
    -------
    int
        The ``stacklevel`` to pass to :func:`warnings.warn` (at least 1).

    Examples
    --------
    >>> caller_stacklevel() >= 1
    True
    """
    frame = inspect.currentframe()
    level = 0
    try:
        while frame is not None:
            path = os.path.abspath(frame.f_code.co_filename)
            if not path.startswith(PACKAGE_DIR + os.sep):
                break
            frame = frame.f_back
            level += 1
    finally:
        del frame
    # level 0 is this helper, 1 the function that warns (stacklevel=1), and so on
    return max(level, 1)


def warn(message: str, category: type[Warning] = DataQualityWarning) -> None:
    """Issue a warning pointed at the user's line (a DataQualityWarning by default).

    Parameters
    ----------
    message : str
        What was found, what was done about it and how to fix it.
    category : type of Warning, default DataQualityWarning
        The warning class.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     warn("2 rows left out")
    """
    warnings.warn(message, category, stacklevel=caller_stacklevel())
