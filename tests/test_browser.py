"""The HTML report in a real browser: headless Chromium renders it with no console errors.

Skips when no Chromium is installed (``.ci/run`` installs one from the system packages:
``apt-get install -y chromium``). Nothing is installed at test time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import hospitalytics as hp
from hospitalytics.report import build_report, write_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Console messages Chromium prints with --enable-logging=stderr --v=0 look like
#   [20240:20240:1126/055413.768292:INFO:CONSOLE:1] "Uncaught ReferenceError: ...", source: ...
# (older versions: ``CONSOLE(1)``); a CSP violation is logged the same way.
CONSOLE_ERROR = re.compile(r":CONSOLE[:(]|\bUncaught\b|Refused to (load|execute|apply)")


def test_console_pattern_catches_chromium_messages():
    line = ('[1:1:1126/055413.768292:INFO:CONSOLE:1] "Uncaught ReferenceError: f is not '
            'defined", source: file:///tmp/bad.html (1)')
    assert CONSOLE_ERROR.search(line)
    assert not CONSOLE_ERROR.search("427004 bytes written to file /tmp/test_console_e0/shot.png")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    pytest.skip("no headless Chromium on PATH (apt-get install -y chromium)")


def _chrome(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("browser")
    df = hp.datasets.load_sample()
    # a hostile name from the data must render as text, not run
    df["department"] = df["department"].cat.rename_categories(
        {df["department"].cat.categories[0]: "<script>alert(1)</script>"}
    )
    rep = build_report(df, hp.datasets.load_sample_beds(), source="sample")
    return write_report(rep, d / "report.html")


def test_renders_without_console_errors(report_file, tmp_path):
    binary = _chromium()
    shot = tmp_path / "shot.png"
    res = _chrome(binary, tmp_path, "--enable-logging=stderr", "--v=0",
                  f"--screenshot={shot}", "--window-size=1400,3000", report_file.as_uri())
    errors = [line for line in res.stderr.splitlines() if CONSOLE_ERROR.search(line)]
    assert not errors, "\n".join(errors)
    assert shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # cards and charts, not a blank page


def test_dom_has_cards_charts_and_escaped_text(report_file, tmp_path):
    binary = _chromium()
    res = _chrome(binary, tmp_path, "--dump-dom", report_file.as_uri())
    dom = res.stdout
    assert 'class="card"' in dom and dom.count("data:image/png;base64,") >= 6
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script>alert(1)</script>" not in dom
