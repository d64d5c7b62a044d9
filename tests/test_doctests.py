"""Run every docstring example of the package as a doctest.

The examples are imported through the installed package (not as loose files), so the
accessor is registered once and the examples see exactly what a user sees.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import hospitalytics

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(hospitalytics.__path__, prefix="hospitalytics.")
    if not info.name.endswith("__main__") and "._build_sample" not in info.name
)


@pytest.mark.parametrize("name", ["hospitalytics", *MODULES])
def test_docstring_examples(name):
    if name.startswith("hospitalytics.dask"):
        pytest.importorskip("dask.dataframe")
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    tests = [t for t in finder.find(module, name) if t.examples]
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {name}"


def test_every_public_function_has_an_example():
    missing = []
    for name in hospitalytics.__all__:
        obj = getattr(hospitalytics, name)
        if callable(obj) and not isinstance(obj, type) and obj.__doc__ is not None:
            if "Examples\n" not in obj.__doc__:
                missing.append(name)
        elif callable(obj) and obj.__doc__ is None:
            missing.append(name)
    assert missing == []
