"""Two small directives that put real, freshly computed output in the pages.

``.. hospitalytics-run::``
    Runs its Python content, statement by statement, in a namespace shared by the
    blocks of one page, and shows it as an interactive session: each statement after
    ``>>>`` and, below it, what it printed, the repr of its value (for an expression) and
    any warning it raised. An exception fails the build (a warning, and the build runs
    with ``-W``), so an example that stops working cannot stay in the docs.

    With ``:raises: SchemaError`` the last statement must raise that error (or a
    subclass): its message is shown as the session shows it, and the build fails when it
    does not raise, so the error reference cannot show a message the library no longer
    gives.

    ``:setup:`` runs the code and shows nothing. ``:needs-data:`` runs it only when the
    public datasets are there (the ``hospitalytics_shared_data`` setting; ``DATA`` is
    their folder); without them the code is shown, not run, and
    ``.. hospitalytics-data-note::`` says so on the page.

``.. hospitalytics-shell::``
    Runs one ``hospitalytics ...`` command line (as ``python -m hospitalytics``, in a
    scratch directory, whose path is shown as ``.``) and shows ``$ command`` and its
    output. A non-zero exit fails the
    build unless ``:returncode:`` says which code is expected.

No output is ever typed by hand, so none can go stale.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import shlex
import subprocess
import sys
import tempfile
import textwrap
import traceback
import warnings
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

_PRELUDE = """
import pandas as pd
pd.set_option("display.width", 88)
pd.set_option("display.max_columns", 12)
pd.set_option("display.max_colwidth", 40)
"""


def _session_lines(source: str, stmt: ast.stmt) -> list[str]:
    lines = source.splitlines()[stmt.lineno - 1 : stmt.end_lineno]
    out = [">>> " + lines[0]]
    out += ["... " + line if line.strip() else "..." for line in lines[1:]]
    if len(lines) > 1 and isinstance(stmt, (ast.For, ast.While, ast.If, ast.With,
                                            ast.FunctionDef, ast.ClassDef, ast.Try)):
        out.append("...")
    return out


def _exception_lines(exc: BaseException) -> list[str]:
    """An exception as the interactive session shows it (long messages wrapped)."""
    cls = type(exc)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    text = textwrap.fill(f"{name}: {exc}", width=88, break_long_words=False,
                         break_on_hyphens=False)
    return ["Traceback (most recent call last):", "  ...", *text.splitlines()]


def shared_data(config) -> Path | None:
    """The folder of the public datasets (``hospitalytics_shared_data``), None if absent."""
    value = getattr(config, "hospitalytics_shared_data", None)
    return Path(value) if value and Path(value).is_dir() else None


class DataNoteDirective(SphinxDirective):
    """A note saying whether the outputs of the page come from the public datasets."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        where = shared_data(self.env.config)
        if where is not None:
            text = ("The outputs on this page were computed from the public datasets when "
                    "these pages were built.")
            kind = nodes.note
        else:
            text = ("The public datasets were not found when these pages were built (put "
                    "them in ``../shared/data`` next to the repository, or set "
                    "``HOSPITALYTICS_SHARED_DATA``), so the code below is shown without "
                    "its output. Every dataset is free to download: see the sources above.")
            kind = nodes.warning
        node = kind()
        self.state.nested_parse(StringList([text], source=""), self.content_offset, node)
        return [node]


class RunDirective(SphinxDirective):
    has_content = True
    option_spec = {"hide-output": directives.flag, "raises": directives.unchanged_required,
                   "setup": directives.flag, "needs-data": directives.flag}

    def run(self) -> list[nodes.Node]:
        ns = self.env.temp_data.setdefault("hospitalytics_run_ns", {})
        if not ns:
            exec(_PRELUDE, ns)  # noqa: S102
        source = "\n".join(self.content)
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            return [self._fail(f"syntax error: {exc}")]
        if "needs-data" in self.options and shared_data(self.env.config) is None:
            # the public datasets are not here: show the code, run nothing
            if "setup" in self.options:
                return []
            shown = [line for stmt in tree.body for line in _session_lines(source, stmt)]
            block = nodes.literal_block("\n".join(shown), "\n".join(shown))
            block["language"] = "pycon"
            return [block]
        if "needs-data" in self.options:
            ns["DATA"] = shared_data(self.env.config)
        shown: list[str] = []
        raised = False
        src_lines = source.splitlines()
        done_to = 0
        for stmt in tree.body:
            # comment lines standing between statements are shown as they are
            for line in src_lines[done_to : stmt.lineno - 1]:
                if line.strip().startswith("#"):
                    shown.append(">>> " + line)
            done_to = stmt.end_lineno
            shown += _session_lines(source, stmt)
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter("always")
                    if isinstance(stmt, ast.Expr):
                        code = compile(ast.Expression(stmt.value), "<docs>", "eval")
                        value = eval(code, ns)  # noqa: S307
                        if value is not None:
                            print(repr(value))
                    else:
                        module = ast.Module(body=[stmt], type_ignores=[])
                        exec(compile(module, "<docs>", "exec"), ns)  # noqa: S102
            except Exception as exc:  # noqa: BLE001 - every failure must surface in the build
                expected = self.options.get("raises")
                last = stmt is tree.body[-1]
                names = {cls.__name__ for cls in type(exc).__mro__}
                if not (expected and last and expected in names):
                    return [self._fail(traceback.format_exc(limit=-3))]
                shown += _exception_lines(exc)
                raised = True
                continue
            text = out.getvalue().rstrip("\n")
            if text and "hide-output" not in self.options:
                shown += text.splitlines()
            for item in w:
                if issubclass(item.category, (DeprecationWarning, PendingDeprecationWarning)):
                    self._fail(f"deprecation warning while running: {item.message}")
                    continue
                shown.append(f"{item.category.__name__}: {item.message}")
        if "setup" in self.options:
            return []
        if "raises" in self.options and not raised:
            return [self._fail(f"the last statement raised no {self.options['raises']}")]
        block = nodes.literal_block("\n".join(shown), "\n".join(shown))
        block["language"] = "pycon"
        return [block]

    def _fail(self, message: str) -> nodes.Node:
        logger.warning("hospitalytics-run: %s", message, location=self.get_location())
        return nodes.literal_block(message, message)


class ShellDirective(SphinxDirective):
    has_content = False
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"returncode": directives.nonnegative_int, "max-lines": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        command = self.arguments[0]
        argv = shlex.split(command)
        if not argv or argv[0] != "hospitalytics":
            return [self._fail(f"only 'hospitalytics ...' commands run here: {command!r}")]
        env = dict(os.environ, COLUMNS="88", NO_COLOR="1", PYTHON_COLORS="0", TERM="dumb",
                   MPLBACKEND="Agg")
        with tempfile.TemporaryDirectory() as tmp:
            try:
                proc = subprocess.run([sys.executable, "-m", "hospitalytics", *argv[1:]],
                                      capture_output=True, text=True, env=env, cwd=tmp,
                                      timeout=300, stdin=subprocess.DEVNULL)
            except (OSError, subprocess.TimeoutExpired) as exc:
                return [self._fail(str(exc))]
        expected = self.options.get("returncode", 0)
        if proc.returncode != expected:
            return [self._fail(f"{command!r} exited {proc.returncode} (expected {expected}): "
                               f"{proc.stderr.strip()[-800:]}")]
        # the scratch directory's random name would change at every build: show it as "."
        output = (proc.stdout + proc.stderr).replace(tmp, ".").rstrip("\n").splitlines()
        limit = self.options.get("max-lines")
        if limit and len(output) > limit:
            output = output[:limit] + ["..."]
        text = "\n".join([f"$ {command}", *output])
        block = nodes.literal_block(text, text)
        block["language"] = "console"
        return [block]

    def _fail(self, message: str) -> nodes.Node:
        logger.warning("hospitalytics-shell: %s", message, location=self.get_location())
        return nodes.literal_block(message, message)


def setup(app):
    app.add_directive("hospitalytics-run", RunDirective)
    app.add_directive("hospitalytics-shell", ShellDirective)
    app.add_directive("hospitalytics-data-note", DataNoteDirective)
    app.add_config_value("hospitalytics_shared_data", None, "env")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
