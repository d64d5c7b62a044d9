"""Make the README's picture of the report: ``docs/_static/report.png``.

Usage, from the repository root::

    python docs/_ext/make_readme_image.py           # redraw docs/_static/report.png
    python docs/_ext/make_readme_image.py --check   # exit 1 if it is out of date

The picture is the dashboard that ``hospitalytics report --sample -o report.png`` writes
(drawn through the command line itself, in this process), scaled to 1000 pixels wide and
reduced to 256 colours so that it stays small (under 300 KB).

*Out of date* is judged without comparing pixels, which change with the matplotlib version
and its fonts. The PNG carries a fingerprint of what it shows: the bundled sample's data
and the report's KPI panel (the ``--sample -o report.json`` output, numbers rounded to six
significant digits). ``--check`` recomputes the fingerprint, redraws the picture into a
temporary file and compares the two: same fingerprint, and the same height (to within
2%, so a new row of charts shows up). ``tests/test_readme_image.py`` runs the check; when
it fails, run this script and commit the new picture.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import hashlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PICTURE = ROOT / "docs" / "_static" / "report.png"
WIDTH = 1000
MAX_BYTES = 300_000
KEY = "hospitalytics-fingerprint"

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("MPLBACKEND", "Agg")


def _cli(*args: str) -> None:
    """Run ``hospitalytics ARGS`` in this process, quietly; raise if it fails."""
    from hospitalytics import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = cli.main(list(args))
    if status:
        raise RuntimeError(f"hospitalytics {' '.join(args)} failed: {out.getvalue()}")


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k != "hospitalytics_version"}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def fingerprint() -> str:
    """A hash of what the picture shows: the sample's data and the report's KPI panel."""
    from hospitalytics import datasets

    digest = hashlib.sha256()
    folder = Path(datasets.__file__).parent / "data"
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)  # the gzip header holds a time stamp
        digest.update(path.name.encode() + b"\0" + data)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        _cli("report", "--sample", "-o", str(out))
        panel = _rounded(json.loads(out.read_text(encoding="utf-8")))
    # the dashboard does not show the forecast (a simulation whose last digits may move
    # with the statsmodels version): it is not part of what the picture shows
    panel.pop("forecast", None)
    digest.update(json.dumps(panel, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def render(path: Path, fp: str | None = None) -> Path:
    """Draw the dashboard of the sample into ``path`` (small PNG with its fingerprint)."""
    from PIL import Image, PngImagePlugin

    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "report.png"
        _cli("report", "--sample", "-o", str(full))
        with Image.open(full) as im:
            im = im.convert("RGB")
            height = round(im.height * WIDTH / im.width)
            small = im.resize((WIDTH, height), Image.Resampling.LANCZOS)
    small = small.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    info = PngImagePlugin.PngInfo()
    info.add_text(KEY, fp or fingerprint())
    info.add_text("Source", "hospitalytics report --sample -o report.png, scaled by "
                            "docs/_ext/make_readme_image.py")
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, optimize=True, pnginfo=info)
    return path


@functools.cache
def _current() -> tuple[str, tuple[int, int]]:
    """The fingerprint and the pixel size of the picture as it would be drawn now."""
    from PIL import Image

    current = fingerprint()
    with tempfile.TemporaryDirectory() as tmp:
        with Image.open(render(Path(tmp) / "new.png", current)) as im:
            return current, im.size


def check(picture: Path = PICTURE) -> list[str]:
    """What is out of date in ``picture`` (an empty list when it is current)."""
    from PIL import Image

    if not picture.is_file():
        return [f"{picture} is missing"]
    problems = []
    size = picture.stat().st_size
    if size > MAX_BYTES:
        problems.append(f"{picture.name} is {size:,} bytes (at most {MAX_BYTES:,})")
    with Image.open(picture) as im:
        stored, dims = im.info.get(KEY), im.size
    current, new = _current()
    if stored != current:
        problems.append(f"{picture.name} shows other data (fingerprint {stored}, "
                        f"now {current})")
    if new[0] != dims[0] or abs(new[1] - dims[1]) > 0.02 * new[1]:
        problems.append(f"{picture.name} is {dims[0]}x{dims[1]} pixels; the report now "
                        f"draws {new[0]}x{new[1]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command line: redraw the picture, or check it with ``--check``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when docs/_static/report.png is out of date")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for line in problems:
            print(f"out of date: {line}", file=sys.stderr)
        if problems:
            print("run: python docs/_ext/make_readme_image.py", file=sys.stderr)
        return 1 if problems else 0
    path = render(PICTURE)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
