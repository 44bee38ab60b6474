"""``python -m trino_harness matrix``: prove every check can fail, and write the detection report.

Exit codes: 0 the baseline was green and identical in every run and every variant was detected
precisely; 1 otherwise (the report says which); 2 the matrix could not run (bad catalogue or
scenario, no Docker, services that did not start); 130 interrupted. The stack is removed however
the run ends.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import signal
import uuid
from pathlib import Path

from trino_harness import paths
from trino_harness.interrupts import raise_interrupt
from trino_harness.latest import link_latest
from trino_harness.matrix.catalog import DEFAULT_CATALOG, CatalogError, covering_variants, load_catalog
from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario

EXIT_OK, EXIT_FAILED, EXIT_NOT_RUN, EXIT_INTERRUPTED = 0, 1, 2, 130
REPORTS = paths.REPORTS / "matrix"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG, help="directory of variants")
    parser.add_argument(
        "--variants",
        default=None,
        help="comma-separated variant names (default: all; 'none': baseline runs only, for stability)",
    )
    parser.add_argument(
        "--cover",
        action="store_true",
        help="only the fewest variants that together turn every must_fail check function red (CI's proof)",
    )
    parser.add_argument(
        "--baseline-runs", type=int, default=3, help="baseline runs, compared for stability (default 3)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="report directory (default: reports/matrix/<time>)"
    )
    parser.add_argument("--trino-version", default=None)
    parser.add_argument("--trino-image", default=None)
    parser.add_argument(
        "--audit-timeout", type=float, default=5.0, help="seconds per audit event (default 5)"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="pytest-xdist workers per suites run (default 2)"
    )
    parser.add_argument(
        "--pytest-args",
        default="",
        help='extra arguments for every suites run, e.g. "--deselect suites/test_tls.py::..."',
    )


def run(args: argparse.Namespace) -> int:
    from trino_harness import docker_engine
    from trino_harness.matrix.report import matrix_passed, write_reports
    from trino_harness.matrix.runner import MatrixOptions, MatrixRunner
    from trino_harness.preflight import stack_input_problems
    from trino_harness.progress import say
    from trino_harness.stack.reference import StackStartError

    try:
        scenario = load_scenario(args.scenario)
        if args.variants == "none":  # the stability benchmark: baseline runs only
            variants = []
        else:
            variants = load_catalog(args.catalog, args.variants.split(",") if args.variants else None)
        if args.cover:
            variants = covering_variants(variants)
    except (ScenarioError, CatalogError) as exc:
        say(f"error: {exc}")
        return EXIT_NOT_RUN
    # Every selected variant's overlay and the version, before the stack starts (not at variant 20).
    versions = {} if args.trino_image else {"--trino-version": args.trino_version or scenario.trino.version}
    problems = stack_input_problems(scenario, versions, [v.overlay for v in variants])
    if problems:
        say("error: " + "\n".join(problems))
        return EXIT_NOT_RUN
    if not 1 <= args.baseline_runs <= 10:
        say("error: --baseline-runs must be 1..10")
        return EXIT_NOT_RUN
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = (args.out or REPORTS / f"{stamp}-{uuid.uuid4().hex[:4]}").resolve()
    options = MatrixOptions(
        scenario_path=args.scenario.resolve(),
        variants=variants,
        out_dir=out_dir,
        baseline_runs=args.baseline_runs,
        trino_version=args.trino_version,
        trino_image=args.trino_image,
        audit_timeout_s=args.audit_timeout,
        workers=args.workers,
        pytest_args=shlex.split(args.pytest_args),
    )
    say(
        f"matrix: baseline x{args.baseline_runs} and {len(variants)} variants, a coordinator start each "
        "unless only runtime-reloaded files change; "
        f"reports: {out_dir}"
    )
    previous = signal.signal(signal.SIGTERM, raise_interrupt)  # CI cancelling gets Ctrl-C's cleanup
    try:
        result = MatrixRunner(options).run()
    except KeyboardInterrupt:
        say("matrix: interrupted; stack removed")
        return EXIT_INTERRUPTED
    except (StackStartError, docker_engine.DockerUnavailable) as exc:
        say(f"error: {exc}")
        return EXIT_NOT_RUN
    finally:
        signal.signal(signal.SIGTERM, previous)
    json_path, md_path = write_reports(result, out_dir)
    print(md_path.read_text(), end="")
    print(f"reports: {md_path}  {json_path}  (per-run logs and JUnit XML under {out_dir / 'runs'})")
    link_latest(REPORTS, out_dir)
    return EXIT_OK if matrix_passed(result) else EXIT_FAILED
