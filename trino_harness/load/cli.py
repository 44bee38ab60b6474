"""``python -m trino_harness load``: measure what each way in costs, write reports, apply the gate.

Exit codes: 0 measured (and every threshold held), 1 a threshold was breached, 2 the load
could not be measured (bad options or scenario, no Docker, a way that cannot log in, a
generator that failed), 130 interrupted. Every stack it starts is removed however it ends.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import tempfile
import uuid
from pathlib import Path

from trino_harness import paths
from trino_harness.interrupts import raise_interrupt
from trino_harness.latest import link_latest
from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario

EXIT_OK, EXIT_BREACH, EXIT_UNMEASURED, EXIT_INTERRUPTED = 0, 1, 2, 130
LOCAL_MAX_STATEMENTS, TARGET_MAX_STATEMENTS = 100_000, 10_000  # per user, the reference stack / --target
REPORTS = paths.REPORTS / "load"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument(
        "--ways", default=None, help="comma-separated ways in (default: all); baseline always runs"
    )
    parser.add_argument(
        "--users-per-way", type=int, default=None, help="default: scenario load.users_per_way"
    )
    parser.add_argument("--spawn-rate", type=float, default=None, help="users/s (default: all within 1 s)")
    parser.add_argument("--run-time", type=float, default=None, help="seconds per run (default: scenario)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stack, for the spread (default 3)")
    parser.add_argument(
        "--rate-per-user",
        type=float,
        default=None,
        help="statements/s per user, 0 = closed loop (default: scenario)",
    )
    parser.add_argument(
        "--processes", type=int, default=0, help="Locust --processes N (workers on this machine)"
    )
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of every way before measuring")
    parser.add_argument("--fidelity-time", type=float, default=None, help="default: min(run time, 30 s)")
    parser.add_argument("--no-fidelity", action="store_true", help="skip the Locust-vs-raw-client check")
    parser.add_argument(
        "--max-statements-per-user",
        type=int,
        default=None,
        help=f"default {LOCAL_MAX_STATEMENTS} ({TARGET_MAX_STATEMENTS}, also the ceiling, with --target)",
    )
    parser.add_argument(
        "--statement", default=None, help="SQL each user runs (default: scenario load.statement)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="report directory (default: reports/load/<time>)"
    )
    parser.add_argument("--trino-version", default=None)
    parser.add_argument("--trino-image", default=None)
    parser.add_argument("--trino-config-overlay", type=Path, default=None)
    parser.add_argument(
        "--target",
        type=Path,
        default=None,
        help="load an existing cluster described by this profile (docs/remote-targets.md) instead of "
        "a reference stack: its identities, its scenario's thresholds as the go-live gate",
    )


def _bounded(args: argparse.Namespace) -> str | None:
    """Refuse unbounded or absurd runs up front (every run must stop by itself)."""
    if args.repeat < 1 or args.repeat > 20:
        return "--repeat must be 1..20"
    if args.users_per_way is not None and not 1 <= args.users_per_way <= 100:
        return "--users-per-way must be 1..100"
    if args.run_time is not None and not 0 < args.run_time <= 3600:
        return "--run-time must be in (0, 3600] seconds"
    if args.processes < 0 or args.processes > (os.cpu_count() or 1) * 4:
        return "--processes must be 0..4x the CPU count"
    if args.max_statements_per_user is None:
        args.max_statements_per_user = TARGET_MAX_STATEMENTS if args.target else LOCAL_MAX_STATEMENTS
    if (args.rate_per_user or 0) < 0 or args.max_statements_per_user < 1:
        return "--rate-per-user must be >= 0 and --max-statements-per-user >= 1"
    if args.target is not None:
        if args.trino_version or args.trino_image or args.trino_config_overlay:
            return (
                "--target loads the cluster as it runs: drop --trino-version, --trino-image and "
                "--trino-config-overlay"
            )
        if args.rate_per_user == 0:
            return "--target needs a bounded rate: --rate-per-user > 0 (a closed loop floods a real cluster)"
        if args.max_statements_per_user > TARGET_MAX_STATEMENTS:
            return f"--target: --max-statements-per-user must be at most {TARGET_MAX_STATEMENTS}"
    return None


def run(args: argparse.Namespace) -> int:
    from trino_harness.load.processes import GeneratorFailed
    from trino_harness.load.report import build_summary, write_reports
    from trino_harness.load.runner import LoadError, LoadSettings, run_load
    from trino_harness.load.stacks import GivenTarget, ReferenceStacks, TargetSource
    from trino_harness.load.ways import offered_by, select
    from trino_harness.profile.loader import ProfileError, target_from_profile
    from trino_harness.progress import say
    from trino_harness.target import Target

    problem = _bounded(args)
    if problem:
        say(f"error: {problem}")
        return EXIT_UNMEASURED
    given: Target | None = None
    try:
        if args.target is not None:
            given = target_from_profile(args.target, os.environ)
            args.scenario = Path(given.scenario_path)
        scenario = load_scenario(args.scenario)
        selection = select(scenario, args.ways.split(",") if args.ways else None)
        if given is not None:
            selection = offered_by(selection, given)
    except ProfileError as exc:
        say(f"error: {exc}")
        return EXIT_UNMEASURED
    except (ScenarioError, KeyError, ValueError) as exc:
        say(f"error: {exc.args[0] if isinstance(exc, KeyError) else exc}")
        return EXIT_UNMEASURED
    load = scenario.load
    run_time = args.run_time or load.run_time_s
    settings = LoadSettings(
        statement=args.statement or load.statement,
        users_per_way=args.users_per_way or load.users_per_way,
        run_time_s=run_time,
        repeat=args.repeat,
        spawn_rate=args.spawn_rate,
        rate_per_user=load.rate_per_user if args.rate_per_user is None else args.rate_per_user,
        processes=args.processes,
        warmup_s=args.warmup,
        fidelity_s=None if args.no_fidelity else (args.fidelity_time or min(run_time, 30.0)),
        max_statements_per_user=args.max_statements_per_user,
    )
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = (args.out or REPORTS / f"{stamp}-{uuid.uuid4().hex[:4]}").resolve()
    private = Path(tempfile.mkdtemp(prefix="trino-harness-load-"))  # 0700: target file, plan, client keys
    source: TargetSource = (
        GivenTarget(given)
        if given is not None
        else ReferenceStacks(
            scenario_path=args.scenario.resolve(),
            work_dir=private,
            log_dir=out_dir / "stack-logs",
            trino_version=args.trino_version,
            trino_image=args.trino_image,
            user_overlay=args.trino_config_overlay.resolve() if args.trino_config_overlay else None,
        )
    )
    previous = signal.signal(signal.SIGTERM, raise_interrupt)  # CI cancelling gets Ctrl-C's cleanup
    stacks = selection.stacks()
    per_stack = settings.warmup_s + settings.repeat * (run_time + 5)
    say(
        f"load: {len(selection.accesses)} ways on {len(stacks)} stack(s) ({', '.join(stacks)}), "
        f"about {len(stacks) * (per_stack + 30) + 2 * (settings.fidelity_s or 0):.0f}s; reports: {out_dir}"
    )
    try:
        skipped = dict(selection.skipped)
        results = run_load(source, selection, settings, out_dir, private / "load", skipped)
        summary, rows, verdicts = build_summary(
            results, selection, settings, dict(load.thresholds.items()), args.scenario.resolve(), skipped
        )
        paths = write_reports(out_dir, summary, rows, verdicts)
        print(paths["table"].read_text(), end="")
        print(
            f"reports: {paths['table']}  {paths['json']}  {paths['chart']}  (Locust CSV/HTML under {out_dir})"
        )
        link_latest(REPORTS, out_dir)
        return EXIT_BREACH if summary["verdict"] == "fail" else EXIT_OK
    except KeyboardInterrupt:
        say("load: interrupted" + ("" if given is not None else "; stacks removed"))
        return EXIT_INTERRUPTED
    except (LoadError, GeneratorFailed) as exc:
        say(f"error: {exc}")
        return EXIT_UNMEASURED
    finally:
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(private, ignore_errors=True)
