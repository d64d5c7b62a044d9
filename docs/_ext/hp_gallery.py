"""Helpers for the sphinx-gallery configuration (kept out of conf.py so it pickles)."""

from __future__ import annotations

import builtins
from pathlib import Path


def example_file(gallery_conf, fname, when):
    """Stop-gap: give each example the ``__file__`` it has when run as a script.

    sphinx-gallery never defines ``__file__`` in examples (its notebooks could not), but
    the scripts in ``examples/`` currently use it to find their output folder. Until they
    stop doing so, a ``__file__`` in builtins stands in for it, pointing at the example
    being run, and is removed after it. Delete this once no example mentions ``__file__``.
    """
    if when == "before":
        builtins.__file__ = str(Path(gallery_conf["src_dir"]).parent / "examples" / fname)
    elif hasattr(builtins, "__file__"):
        del builtins.__file__
