"""``python -m trino_harness compare``: the same config at two Trino versions, check by check.

Either run the suites twice (``--trino-version A --compare-to B``: one fresh reference stack per
version, one after the other) or compare two JUnit files written earlier (``--results A B``).
Exit codes: 0 no difference, 1 differences (listed in the report), 2 could not compare,
130 interrupted (the running suites are stopped and clean up their stack).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from trino_harness import paths
from trino_harness.children import stop_gracefully
from trino_harness.interrupts import raise_interrupt
from trino_harness.paths import REPO
from trino_harness.scenario.loader import DEFAULT_SCENARIO

EXIT_SAME, EXIT_DIFFERENT, EXIT_NOT_COMPARED, EXIT_INTERRUPTED = 0, 1, 2, 130
REPORTS = paths.REPORTS / "compare"
SUITES_TIMEOUT_S = 1800


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trino-version", default=None, help="the version before (default: the scenario's)")
    parser.add_argument("--compare-to", default=None, help="the version after")
    parser.add_argument("--results", nargs=2, type=Path, metavar=("BEFORE.xml", "AFTER.xml"), default=None)
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--trino-config-overlay", type=Path, default=None, help="your config, for both runs")
    parser.add_argument(
        "--pytest-args", default="", help='extra arguments for both suites runs, e.g. "-m authn"'
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="report directory (default: reports/compare/<time>)"
    )


def _run_suites(version: str, args: argparse.Namespace, out_dir: Path) -> Path:
    """One suites run on a fresh stack at ``version``; returns its JUnit file."""
    from trino_harness.progress import step

    junit = out_dir / f"trino-{version}.xml"
    command = [
        sys.executable, "-m", "pytest", "suites/", "-p", "no:cacheprovider", "-q", "-n", "2",
        "--trino-version", version, "--scenario", str(args.scenario.resolve()), "--junitxml", str(junit),
    ]  # fmt: skip
    if args.trino_config_overlay:
        command += ["--trino-config-overlay", str(args.trino_config_overlay.resolve())]
    command += shlex.split(args.pytest_args)
    with step(f"suites at Trino {version}"), open(out_dir / f"trino-{version}.log", "w") as log:
        child = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            code = child.wait(timeout=SUITES_TIMEOUT_S)
        except BaseException:
            stop_gracefully(child)  # the suites then remove their stack, as on Ctrl-C
            raise
    if code not in (0, 1) or not junit.exists():
        raise RuntimeError(f"the suites at Trino {version} ended with pytest exit {code} (log: {log.name})")
    return junit


def run(args: argparse.Namespace) -> int:
    from trino_harness.compare.diff import compare_runs, to_json, to_markdown
    from trino_harness.matrix.verdict import read_junit
    from trino_harness.preflight import stack_input_problems
    from trino_harness.progress import say
    from trino_harness.scenario.loader import ScenarioError, load_scenario

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = (args.out or REPORTS / f"{stamp}-{uuid.uuid4().hex[:4]}").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        if args.results:
            before_file, after_file = args.results
            labels = (before_file.stem, after_file.stem)
        else:
            if not args.compare_to:
                say("error: give --compare-to VERSION (and --trino-version) or --results BEFORE AFTER")
                return EXIT_NOT_COMPARED
            scenario = load_scenario(args.scenario)
            first = args.trino_version or scenario.trino.version
            overlays = [args.trino_config_overlay.resolve()] if args.trino_config_overlay else []
            problems = stack_input_problems(
                scenario, {"--trino-version": first, "--compare-to": args.compare_to}, overlays
            )
            if problems:  # before the first of two suites runs, not after it
                say("error: " + "\n".join(problems))
                return EXIT_NOT_COMPARED
            say(f"compare: suites at Trino {first}, then at {args.compare_to}; reports: {out_dir}")
            before_file = _run_suites(first, args, out_dir)
            after_file = _run_suites(args.compare_to, args, out_dir)
            labels = (f"Trino {first}", f"Trino {args.compare_to}")
        before, after = read_junit(before_file), read_junit(after_file)
    except KeyboardInterrupt:
        say("compare: interrupted")
        return EXIT_INTERRUPTED
    except (ScenarioError, RuntimeError, OSError) as exc:
        say(f"error: {exc}")
        return EXIT_NOT_COMPARED
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not before or not after:
        say(f"error: nothing to compare ({len(before)} and {len(after)} checks)")
        return EXIT_NOT_COMPARED
    changes = compare_runs(before, after)
    (out_dir / "compare.json").write_text(json.dumps(to_json(*labels, before, changes), indent=2) + "\n")
    markdown = to_markdown(*labels, before, changes)
    (out_dir / "compare.md").write_text(markdown)
    print(markdown, end="")
    print(f"reports: {out_dir / 'compare.md'}  {out_dir / 'compare.json'}")
    return EXIT_DIFFERENT if changes else EXIT_SAME
