"""The ``hospitalytics`` command: a one-page KPI report from any export.

Two subcommands:

``hospitalytics report [INPUT] [-o OUTPUT] ...``
    Reads, cleans and reports. OUTPUT's ending picks the format: ``.html`` (default
    ``hospitalytics-report.html``), ``.pdf``/``.png``/``.svg`` (the dashboard), ``.json``
    or ``.csv`` (the KPI panel as data). Without INPUT (or with ``--sample``) it reports on
    the bundled sample and its beds.
``hospitalytics summary INPUT [...]``
    Prints the KPI panel in the terminal (``--format table|csv|json``).

Raw MIMIC-IV (``admissions``, ``transfers``), Synthea (``encounters.csv``) and OMOP
(``visit_occurrence``, ``visit_detail``) tables are recognised by their header and read
through their adapters (in-patient encounters only, unless ``--all-encounters``).

On success ``report`` prints one line on stdout (``wrote report.html: 53,404 stays, 1 Oct
2023 to 15 Dec 2025, as of 15 Dec 2025``); ``summary`` prints the report's notes and what
it left out on stderr.

Exit status: 0 on success, 2 for a usage error (argparse), 1 with a one-line message on
stderr for a missing, empty, binary or unreadable file, an output that would overwrite
the input or the beds file, a column role that is missing or ambiguous (the message names
the ``--column ROLE=NAME`` that fixes it), a bad date, a bad ``--column``, an unknown
definitions preset or bad beds. Progress goes to stderr when it is a terminal.

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
hospitalytics ...
0
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

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
  hospitalytics report export.parquet --privacy suppress:10 -o public.html
      hide counts below 10 (shown as "<10"), with secondary suppression
  hospitalytics report export.parquet --privacy hes -o public.html
      NHS Digital's HES rule: 1-7 shown as "*", other counts rounded to the nearest 5
  hospitalytics report export.csv -o kpis.json
      the KPI panel as data for other tools (.json or .csv)
  hospitalytics report export.csv --beds beds.csv --currency £ --no-forecast
      costs in pounds; leave out the "Next 4 weeks" forecast
  hospitalytics report encounters.csv --timezone America/Chicago
      a raw Synthea export: its in-patient encounters, on the hospital's clock
  hospitalytics report export.xlsx --sheet "2025 stays"
      choose the workbook's sheet
  hospitalytics report export.csv --sep ";" --encoding cp1252 --dayfirst
      a European export: its separator, its encoding when it is not UTF-8, its date order
"""

_SUMMARY_EXAMPLES = """\
examples:
  hospitalytics summary --sample
  hospitalytics summary stays.csv --beds beds.csv --as-of 2025-03-31
  hospitalytics summary stays.parquet --format json --privacy suppress:10 > kpis.json
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
                        "treatment, cost, age, stay_id, admission_method, "
                        "discharge_disposition (e.g. --column admission_date=AdmitDt)")
    p.add_argument("--definitions", metavar="PRESET", default="who",
                   help="LOS/ALOS conventions: who (default), hcup or oecd "
                        "(e.g. --definitions hcup)")
    p.add_argument("--privacy", metavar="METHOD",
                   help="protect small numbers in everything the output publishes: "
                        "suppress:N (hide counts below N, with secondary suppression) or hes "
                        "(NHS Digital HES rule: 1-7 shown as *, other counts rounded to the "
                        "nearest 5), e.g. --privacy suppress:10 or --privacy hes")
    p.add_argument("--suppress", metavar="N", type=int,
                   help="the same as --privacy suppress:N (e.g. --suppress 10)")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_const", const=True, default=None,
                       help="read 05/01/2025 as 5 January (default: the values decide, "
                            "e.g. 13/01/2025 can only be day first; month first when "
                            "nothing decides, with a note)")
    order.add_argument("--monthfirst", action="store_const", const=False, dest="dayfirst",
                       help="read 05/01/2025 as May 1st")
    _add_reading_options(p)


def _add_reading_options(p: argparse.ArgumentParser) -> None:
    """How INPUT is read: sheet, encoding, time zone, standard exports."""
    p.add_argument("--sheet", metavar="NAME",
                   help="the Excel sheet to read (default: the first, with a note naming "
                        "the others), e.g. --sheet Stays")
    p.add_argument("--encoding", metavar="NAME",
                   help="the text file's encoding (default: UTF-8, or Windows-1252 with a "
                        "note when the file is not UTF-8), e.g. --encoding latin-1")
    p.add_argument("--sep", metavar="CHAR",
                   help="the text file's field separator (default: guessed among comma, "
                        "semicolon, tab and pipe, with a note), e.g. --sep ';' or --sep tab")
    p.add_argument("--timezone", metavar="ZONE",
                   help="the hospital's time zone: dates carrying a zone or UTC offset are "
                        "converted to it (default: each column's own zone; mixed offsets "
                        "to UTC, with a note), e.g. --timezone Europe/London")
    p.add_argument("--all-encounters", action="store_true", dest="all_encounters",
                   help="for raw Synthea and OMOP tables, keep every encounter, not only "
                        "the in-patient stays (for MIMIC-IV transfers: every care unit)")
    p.add_argument("--no-detect", action="store_true", dest="no_detect",
                   help="read INPUT as it is, without recognising MIMIC-IV, Synthea or "
                        "OMOP tables")


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
    rep.add_argument("--by", action="append", choices=("department", "location", "ward"),
                     help="volume chart grouping; repeatable (default: department and "
                          "location, those the data has), e.g. --by location")
    rep.add_argument("--currency", metavar="SYMBOL", default="",
                     help="symbol put before money amounts (default: none, costs in the "
                          "data's currency units), e.g. --currency £")
    rep.add_argument("--no-forecast", action="store_false", dest="forecast",
                     help="leave out the 'Next 4 weeks' forecast section (it needs "
                          "statsmodels: pip install \"hospitalytics[forecast]\")")
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
    _check_dates(args)
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
        data, source = _read_input(args, columns, say), Path(args.input).name
    rep = build_report(
        data, beds, start=args.start, end=args.end, as_of=args.as_of,
        definitions=args.definitions, columns=columns, dayfirst=args.dayfirst,
        privacy=args.privacy, suppress=args.suppress, source=source, progress=say,
        by=getattr(args, "by", None), currency=getattr(args, "currency", ""),
        # the terminal summary shows the KPI panel only: no forecast to compute
        forecast=getattr(args, "forecast", False),
    )
    return rep, say


def _read_input(args: argparse.Namespace, columns, say):
    """Read INPUT with the reading options; its notes travel in the frame's attrs."""
    import warnings

    from .errors import DataQualityWarning
    from .io import read

    if say:
        say(f"reading {args.input}")
    options = {"encoding": args.encoding} if args.encoding else {}
    if args.sep:
        options["sep"] = {"tab": "\t", "\\t": "\t"}.get(args.sep.lower(), args.sep)
    with warnings.catch_warnings():
        # read() warns what it recognised or fell back to; the same notes reach the
        # report (and summary's stderr) through standardize, so they are not printed twice
        warnings.simplefilter("ignore", DataQualityWarning)
        return read(
            args.input, columns=columns, dayfirst=args.dayfirst,
            sheet_name=0 if args.sheet is None else args.sheet,
            detect=not args.no_detect,
            encounters="all" if args.all_encounters else "inpatient",
            timezone=args.timezone, **options,
        )


def _day(ts) -> str:
    """``1 Oct 2023``."""
    from ._format import day_text

    return day_text(ts)


def _same_file(a: str, b: str) -> bool:
    """Whether two paths name one file (symlinks, relative paths, a case-blind disk)."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:  # pragma: no cover - a path that vanished in between
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _check_dates(args: argparse.Namespace) -> None:
    """Bad --start/--end/--as-of fail before reading, naming the option."""
    from .periods import to_date

    for option, value in (("--start", args.start), ("--end", args.end),
                          ("--as-of", args.as_of)):
        to_date(value, name=option)


def _check_output(args: argparse.Namespace) -> None:
    """Refuse an output that resolves to the input or the beds file (it would be lost)."""
    for what, given in (("input", args.input), ("beds file", args.beds)):
        if given and _same_file(args.output, given):
            raise CLIError(
                f"refusing to write {args.output!r}: it is the {what} ({given!r}) and would "
                "be overwritten; choose another output name with -o"
            )


def _written_line(rep, path) -> str:
    """``wrote report.html: 53,404 stays, 1 Oct 2023 to 15 Dec 2025, as of 15 Dec 2025``."""
    data = rep.data
    if "stay_id" in data and data["stay_id"].notna().any():
        stays = int(data["stay_id"].nunique())
    else:
        stays = len(data)
    adm = data["admission_date"]
    dates = [adm.max()]
    if "discharge_date" in data and data["discharge_date"].notna().any():
        dates.append(data["discharge_date"].max())
    as_of = rep.as_of if rep.as_of is not None else max(dates).normalize()
    start = rep.start if rep.start is not None else adm.min().normalize()
    end = as_of if rep.end is None else min(rep.end, as_of)
    noun = "stay" if stays == 1 else "stays"
    count = f"{stays:,} {noun}, "
    privacy = getattr(rep, "privacy", None)
    if privacy is not None:  # the exact count is not published: say what protects it
        count = f"small numbers protected ({privacy.spec}), "
    line = (f"wrote {os.fspath(path)}: {count}{_day(start)} to {_day(end)}, "
            f"as of {_day(as_of)}")
    n_notes = len(rep.notes)
    if n_notes:
        line += f" ({n_notes} note{'s' if n_notes > 1 else ''} in the report)"
    return line


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import OUTPUT_FORMATS, write_report

    out = args.output
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in OUTPUT_FORMATS:
        raise CLIError(
            f"cannot write {out!r}: the output must end in one of {', '.join(OUTPUT_FORMATS)}"
        )
    _check_output(args)
    rep, say = _build(args)
    path = write_report(rep, out, progress=say)
    if say:
        say(f"wrote {path}")
    print(_written_line(rep, path))
    return 0


def _summary_text(rep) -> str:
    from ._format import UNIT_KIND, fmt, fmt_change, missing_text, span_text

    disp = rep.summary_display()
    attrs = rep.summary.attrs
    head = ["KPI", "Period", "MTD", "Prev. MTD", "Change"]
    rows = []
    for kpi, row in disp.iterrows():
        kind = UNIT_KIND.get(str(row["unit"]), "float")

        def show(col: str, _kpi=str(kpi), _row=row, _kind=kind) -> str:
            miss = missing_text(_kpi, col, attrs)
            if col == "change":
                return fmt_change(_row[col], _kind, missing=miss)
            return fmt(_row[col], _kind, missing=miss)

        rows.append([str(row["label"]), *(show(c) for c in ("period", "mtd",
                                                             "previous_mtd", "change"))])
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs).rstrip()

    previous = ""
    if attrs.get("previous_mtd_end"):
        previous = span_text(attrs.get("previous_mtd_start"), attrs["previous_mtd_end"])
    out = [
        f"Source: {rep.source}",
        f"Period: {rep.period_text}",
        f"Prev. MTD: {previous} (the previous month's same days)",
        f"Definitions: {attrs.get('definitions', '')}",
        "",
        line(head),
        line(["-" * w for w in widths]),
        *[line(r) for r in rows],
    ]
    if "window open" in {r[2] for r in rows} | {r[3] for r in rows}:
        out += ["", "window open: no discharge of that span has had its 30-day follow-up "
                    "yet, so its readmission rate is not known."]
    if "occupancy" in rep.summary.index:
        import numpy as np
        import pandas as pd

        occ = pd.to_numeric(rep.summary_published().loc[
            "occupancy", ["period", "mtd", "previous_mtd"]], errors="coerce").to_numpy(
            dtype="float64")
        if (occ[np.isfinite(occ)] > 1.0).any():
            from ._format import OCCUPANCY_OVER_NOTE

            out += ["", "Bed occupancy over 100%: "
                        f"{OCCUPANCY_OVER_NOTE.split(': ', 1)[1]}"]
    if rep.privacy is not None:
        out += ["", rep.privacy.describe()]
    c = rep.cleaning_counts()
    out += ["", f"Rows read {fmt(c['rows_read'], 'count')}, used {fmt(c['rows_used'], 'count')}"
                f", rejected {fmt(c['rows_rejected'], 'count')}."]
    return "\n".join(out)


def _print_notes(rep) -> None:
    """The report's notes and what it left out, on stderr (stdout stays the panel)."""
    from ._text import visible

    for note in rep.notes:
        print(f"{PROG}: note: {' '.join(visible(note).split())}", file=sys.stderr)
    for item in rep.omitted:
        print(f"{PROG}: left out: {' '.join(visible(item).split())}", file=sys.stderr)


def _cmd_summary(args: argparse.Namespace) -> int:
    from .report import summary_records, to_json
    from .report.privacy import neutralize_csv

    rep, _ = _build(args)
    _print_notes(rep)
    if args.format == "json":
        sys.stdout.write(to_json(rep))
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
