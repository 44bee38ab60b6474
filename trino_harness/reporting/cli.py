"""``python -m trino_harness report``: render the control summary again, and build the Allure HTML report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_DIR = Path("reports")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        help="where the suites run wrote controls.json (and allure-results/); outputs go here too",
    )
    parser.add_argument("--allure", action="store_true", help="also build the Allure HTML report")
    parser.add_argument(
        "--results", type=Path, default=None, help="Allure results (default DIR/allure-results)"
    )
    parser.add_argument("--allure-report", type=Path, default=None, help="output (default DIR/allure-report)")
    parser.add_argument(
        "--single-file",
        action="store_true",
        help="one self-contained index.html (opens from file://; the default needs a web server)",
    )


def run(args: argparse.Namespace) -> int:
    from trino_harness.reporting.allure_report import ReportError, build_report
    from trino_harness.reporting.controls import Run
    from trino_harness.reporting.summary import headline
    from trino_harness.reporting.summary_files import write_summary

    source = args.dir / "controls.json"
    if source.exists():
        run_ = Run.load(source)
        paths = write_summary(run_, args.dir)
        print(headline(run_))
        for path in paths[1:]:
            print(f"  {path}")
    elif not args.allure:
        print(f"error: no {source}: run the suites first (./harness suites)", file=sys.stderr)
        return 2
    if args.allure:
        results = args.results or args.dir / "allure-results"
        report_dir = args.allure_report or args.dir / "allure-report"
        try:
            built = build_report(results, report_dir, single_file=args.single_file)
        except ReportError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        trend = ", history carried over" if built.history_carried else ""
        index = built.report_dir / "index.html"
        print(f"Allure report: {index} ({built.results} results, {built.seconds:.1f}s{trend})")
        if not args.single_file:
            print(f"  view: python -m http.server -d {built.report_dir} -b 127.0.0.1 8000 (not file://)")
    return 0
