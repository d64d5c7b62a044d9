"""The ``hospitalytics`` command: a one-page KPI report from any export.

Two subcommands:

``hospitalytics report [INPUT] [-o OUTPUT] ...``
    Reads, cleans and reports. OUTPUT's ending picks the format: ``.html`` (default
    ``hospitalytics-report.html``), ``.pdf``/``.png``/``.svg`` (the dashboard), ``.json``
    or ``.csv`` (the KPI panel as data). Without INPUT (or with ``--sample``) it reports on
    the bundled sample and its beds.
``hospitalytics summary INPUT [...]``
    Prints the KPI panel in the terminal (``--format table|csv|json``).

Exit status: 0 on success, 2 for a usage error (argparse), 1 with a one-line message on
stderr for a missing or unreadable file, a column role that is missing or ambiguous (the
message names the ``--column ROLE=NAME`` that fixes it), a bad date, a bad ``--column``,
an unknown definitions preset or bad beds. Progress goes to stderr when it is a terminal.

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
hospitalytics ...
0
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from collections.abc import Callable, Sequence

from ._version import __version__

__all__ = ["build_parser", "main"]

PROG = "hospitalytics"
DEFAULT_OUTPUT = "hospitalytics-report.html"

_REPORT_EXAMPLES = """\
examples:
  hospitalytics report --sample -o report.html
      the bundled sample hospital, with its beds, as one HTML page
  hospitalytics report admissions.csv.gz --beds beds.csv -o kpis.html
      a compressed CSV export; beds.csv has ward,beds[,valid_from,valid_to]
  hospitalytics report stays.xlsx --start 2025-01-01 --end 2025-06-30 -o h1.pdf
      the first half of 2025 as the dashboard figure (.pdf, .png or .svg)
  hospitalytics report export.csv --column admission_date=AdmitDt --column ward=Unit
      name the columns the inference cannot find (or cannot choose between)
  hospitalytics report export.csv --as-of 2025-03-31 --definitions hcup --dayfirst
      read as of 31 March, HCUP conventions, 05/01/2025 meaning 5 January
  hospitalytics report export.parquet --suppress 10 -o public.html
      hide counts below 10 (shown as "<10"), with complementary suppression
  hospitalytics report export.csv -o kpis.json
      the KPI panel as data for other tools (.json or .csv)
"""

_SUMMARY_EXAMPLES = """\
examples:
  hospitalytics summary --sample
  hospitalytics summary stays.csv --beds beds.csv --as-of 2025-03-31
  hospitalytics summary stays.parquet --format json --suppress 10 > kpis.json
  hospitalytics summary stays.csv --format csv --column cost="Billing Amount"
"""

_MAIN_EXAMPLES = """\
examples:
  hospitalytics report --sample -o report.html
  hospitalytics report stays.csv --beds beds.csv -o report.html
  hospitalytics summary stays.csv --format table
  python -m hospitalytics report --help

Exit status: 0 success, 1 data or file problem (one-line message), 2 usage error.
"""


class CLIError(Exception):
    """A problem reported as one line on stderr with exit status 1."""


# ----------------------------------------------------------------------------- parser
def _add_data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "input", metavar="INPUT", nargs="?",
        help="stays file: CSV (plain or .gz/.bz2/.zip/.xz), Parquet or Excel, one row per "
             "stay, e.g. admissions.csv.gz; omit it (or use --sample) for the bundled sample",
    )
    p.add_argument("--sample", action="store_true",
                   help="use the bundled sample hospital and its beds (e.g. --sample)")
    p.add_argument("--beds", metavar="FILE",
                   help="CSV of bed capacities with columns ward,beds[,valid_from,valid_to]; "
                        "adds occupancy and bed turnover (e.g. --beds beds.csv)")
    p.add_argument("--as-of", metavar="DATE", dest="as_of",
                   help="extract date (default: the latest date in the data, never today), "
                        "e.g. --as-of 2025-03-31")
    p.add_argument("--start", metavar="DATE",
                   help="first day of the period, inclusive (e.g. --start 2025-01-01)")
    p.add_argument("--end", metavar="DATE",
                   help="last day of the period, inclusive (e.g. --end 2025-06-30)")
    p.add_argument("--column", metavar="ROLE=NAME", action="append", default=[],
                   help="name the column for a role; repeatable. Roles: patient_id, "
                        "admission_date, discharge_date, department, ward, location, "
                        "treatment, cost, age (e.g. --column admission_date=AdmitDt)")
    p.add_argument("--definitions", metavar="PRESET", default="who",
                   help="LOS/ALOS conventions: who (default), hcup or oecd "
                        "(e.g. --definitions hcup)")
    p.add_argument("--suppress", metavar="N", type=int,
                   help="hide counts below N as \"<N\" in every table, with complementary "
                        "suppression (e.g. --suppress 10)")
    p.add_argument("--dayfirst", action="store_true",
                   help="read 05/01/2025 as 5 January (default: month first)")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``hospitalytics`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser, with the ``report`` and ``summary`` subcommands.

    Examples
    --------
    >>> args = build_parser().parse_args(["report", "--sample", "-o", "r.html"])
    >>> args.command, args.sample, args.output
    ('report', True, 'r.html')
    """
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Hospital KPI reports (admissions, discharges, cost, ALOS, bed "
                    "occupancy) from any stay export.",
        epilog=_MAIN_EXAMPLES, formatter_class=fmt,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    rep = sub.add_parser(
        "report", help="write the one-page KPI report (HTML, PDF/PNG/SVG, JSON or CSV)",
        description="Read, clean and report: KPI cards, charts, the tables behind them, the "
                    "definitions used and the cleaning counts.",
        epilog=_REPORT_EXAMPLES, formatter_class=fmt,
    )
    _add_data_options(rep)
    rep.add_argument("-o", "--output", metavar="OUTPUT", default=DEFAULT_OUTPUT,
                     help="output file; its ending picks the format: .html (default "
                          f"{DEFAULT_OUTPUT}), .pdf, .png, .svg (dashboard), .json, .csv "
                          "(KPI panel as data), e.g. -o report.html")
    summ = sub.add_parser(
        "summary", help="print the KPI panel in the terminal",
        description="Print the KPI panel: each KPI for the period, month to date, the "
                    "previous month's same days and the change.",
        epilog=_SUMMARY_EXAMPLES, formatter_class=fmt,
    )
    _add_data_options(summ)
    summ.add_argument("--format", choices=("table", "csv", "json"), default="table",
                      help="table (default), csv or json (e.g. --format json)")
    return parser


# --------------------------------------------------------------------------- helpers
def _parse_columns(items: Sequence[str]) -> dict[str, str] | None:
    from .schema import ROLES

    out: dict[str, str] = {}
    for item in items:
        role, sep, name = item.partition("=")
        role, name = role.strip(), name.strip()
        if not sep or not role or not name:
            raise CLIError(
                f"--column {item!r} is not ROLE=NAME; write e.g. --column "
                "admission_date=AdmitDt"
            )
        if role not in ROLES:
            raise CLIError(
                f"--column {item!r}: unknown role {role!r}; the roles are {', '.join(ROLES)}"
            )
        out[role] = name
    return out or None


def _progress() -> Callable[[str], None] | None:
    if not sys.stderr.isatty():
        return None
    t0 = time.monotonic()

    def say(message: str) -> None:
        print(f"[{time.monotonic() - t0:5.1f}s] {message}…", file=sys.stderr, flush=True)

    return say


def _one_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, FileNotFoundError) and exc.filename and not exc.args[1:2]:
        text = str(exc)
    elif isinstance(exc, OSError) and exc.strerror and exc.filename:
        text = f"{exc.strerror}: {exc.filename}"
    return " ".join(text.split())


def _build(args: argparse.Namespace):
    from .datasets import load_sample, load_sample_beds
    from .definitions import get_definitions
    from .report import build_report

    get_definitions(args.definitions)  # unknown presets fail before reading anything
    columns = _parse_columns(args.column)
    say = _progress()
    beds = args.beds
    if args.sample or args.input is None:
        if args.input is not None:
            raise CLIError("give either INPUT or --sample, not both")
        if say:
            say("loading the bundled sample")
        data, source = load_sample(), "bundled sample"
        if beds is None:
            beds = load_sample_beds()
    else:
        data, source = args.input, None
    rep = build_report(
        data, beds, start=args.start, end=args.end, as_of=args.as_of,
        definitions=args.definitions, columns=columns, dayfirst=args.dayfirst,
        suppress=args.suppress, source=source, progress=say,
    )
    return rep, say


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import OUTPUT_FORMATS, write_report

    out = args.output
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in OUTPUT_FORMATS:
        raise CLIError(
            f"cannot write {out!r}: the output must end in one of {', '.join(OUTPUT_FORMATS)}"
        )
    rep, say = _build(args)
    path = write_report(rep, out, progress=say)
    if say:
        say(f"wrote {path}")
    return 0


def _summary_text(rep) -> str:
    from .report._format import UNIT_KIND, fmt, fmt_change

    disp = rep.summary_display()
    head = ["KPI", "Period", "MTD", "Prev. MTD", "Change"]
    rows = []
    for _, row in disp.iterrows():
        kind = UNIT_KIND.get(str(row["unit"]), "float")
        rows.append([str(row["label"]), fmt(row["period"], kind), fmt(row["mtd"], kind),
                     fmt(row["previous_mtd"], kind), fmt_change(row["change"], kind)])
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs).rstrip()

    attrs = rep.period
    out = [
        f"Source: {rep.source}",
        f"Period: {attrs.get('period', '')}",
        f"MTD: {attrs.get('mtd', '')}; previous: {attrs.get('previous_mtd', '')}",
        f"Definitions: {attrs.get('definitions', '')}",
        "",
        line(head),
        line(["-" * w for w in widths]),
        *[line(r) for r in rows],
    ]
    if rep.threshold is not None:
        out += ["", f"Counts below {rep.threshold} are hidden as <{rep.threshold} "
                "(small-count suppression)."]
    c = rep.cleaning
    out += ["", f"Rows read {c.n_input:,}, used {c.n_clean:,}, rejected {c.n_rejected:,}."]
    out += [f"Left out: {x}" for x in rep.omitted]
    return "\n".join(out)


def _cmd_summary(args: argparse.Namespace) -> int:
    from .report import _payload, summary_records
    from .report.privacy import neutralize_csv

    rep, _ = _build(args)
    if args.format == "json":
        sys.stdout.write(json.dumps(_payload(rep), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        import pandas as pd

        buf = io.StringIO()
        neutralize_csv(pd.DataFrame(summary_records(rep))).to_csv(buf, index=False)
        sys.stdout.write(buf.getvalue())
    else:
        sys.stdout.write(_summary_text(rep) + "\n")
    return 0


# ------------------------------------------------------------------------------ main
def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``hospitalytics`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 success, 1 a file or data problem (reported on stderr in one
        line), 2 a usage error.

    Examples
    --------
    >>> main(["report", "--sample", "--definitions", "nope"])
    1
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    from .errors import HospitalyticsError, SchemaError

    command = _cmd_report if args.command == "report" else _cmd_summary
    try:
        return command(args)
    except (CLIError, HospitalyticsError, OSError, ImportError) as exc:
        message = _one_line(exc)
        if isinstance(exc, SchemaError) and "--column" not in message:
            message += (f" On the command line: --column {exc.role}=NAME (e.g. --column "
                        "admission_date=AdmitDate).")
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
