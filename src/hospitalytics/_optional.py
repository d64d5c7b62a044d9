"""Optional dependencies: import them, or say which extra installs them.

Every optional import of the package goes through :func:`import_optional`, so that a
missing package fails with the ``pip install "hospitalytics[extra]"`` that fixes it, not a
bare ``No module named ...``.

Examples
--------
>>> import_optional("json", extra="none", purpose="this example").__name__
'json'
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: The extra of ``pyproject.toml`` that installs each optional package.
EXTRAS: dict[str, str] = {
    "openpyxl": "excel",
    "xlrd": "excel",
    "dask": "dask",
    "duckdb": "benchmark",
}


def install_hint(package: str, *, extra: str | None = None, purpose: str = "this") -> str:
    """The message for a missing optional package.

    Examples
    --------
    >>> print(install_hint("openpyxl", purpose="reading Excel workbooks"))
    ... # doctest: +NORMALIZE_WHITESPACE
    reading Excel workbooks needs the optional package 'openpyxl', which is not installed;
    install it with: pip install "hospitalytics[excel]"
    """
    extra = extra or EXTRAS.get(package.split(".")[0], package)
    return (
        f"{purpose} needs the optional package {package.split('.')[0]!r}, which is not "
        f'installed; install it with: pip install "hospitalytics[{extra}]"'
    )


def import_optional(
    module: str, *, extra: str | None = None, purpose: str = "this"
) -> ModuleType:
    """Import ``module``, or raise an ImportError naming the extra that installs it.

    Raises
    ------
    ImportError
        When the module cannot be imported; the message names the
        ``pip install "hospitalytics[...]"`` command.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(install_hint(module, extra=extra, purpose=purpose)) from exc
