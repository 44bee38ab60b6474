"""``python -m trino_harness serve --profile-out DIR``: a reference stack that looks like a remote cluster.

It starts the stack, writes a profile for it (``profile.yaml``, ``profile.env`` 0600, certificate
and key files) and keeps running until SIGTERM, Ctrl-C or ``--max-minutes``; then it removes the
stack and the secret files. The suites reach it only through ``--target DIR/profile.yaml``, so this
is how the remote path is proven against a real coordinator, and a way to try a profile by hand.

Exit codes: 0 stopped (signal or time limit); 2 the stack did not start or Docker is unavailable.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import tempfile
import time
import uuid
from pathlib import Path

from trino_harness.interrupts import raise_interrupt, signals_held
from trino_harness.paths import STACK_LOGS
from trino_harness.profile.writer import ENV_FILE, write_profile
from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario

READY_FILE = "READY"
LOGS = STACK_LOGS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile-out", type=Path, required=True, help="directory for the profile and its files"
    )
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--trino-version", default=None)
    parser.add_argument("--trino-image", default=None)
    parser.add_argument("--trino-config-overlay", type=Path, default=None)
    parser.add_argument(
        "--max-minutes", type=float, default=60.0, help="stop by itself after this long (default 60, max 720)"
    )


def _remove_secrets(out_dir: Path) -> None:
    """The stack is gone; its passwords and keys must not outlive it on disk."""
    for path in [out_dir / ENV_FILE, out_dir / READY_FILE, *out_dir.rglob("*.key")]:
        path.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    from trino_harness import docker_engine
    from trino_harness.progress import say
    from trino_harness.stack.reference import ReferenceStack, StackOptions, StackStartError

    if not 0 < args.max_minutes <= 720:
        say("error: --max-minutes must be in (0, 720]")
        return 2
    try:
        load_scenario(args.scenario)
    except ScenarioError as exc:
        say(f"error: {exc}")
        return 2
    out_dir = args.profile_out.resolve()
    run_id = f"serve{uuid.uuid4().hex[:8]}"
    work = Path(tempfile.mkdtemp(prefix=f"trino-harness-{run_id}-"))
    stack = ReferenceStack(
        StackOptions(
            run_id=run_id,
            run_dir=work / "stack",
            scenario_path=args.scenario.resolve(),
            trino_version=args.trino_version,
            trino_image=args.trino_image,
            overlay=args.trino_config_overlay.resolve() if args.trino_config_overlay else None,
            log_dir=LOGS / run_id,
        )
    )
    previous = signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        target = stack.start()
        profile, env = write_profile(target, out_dir, name=f"reference stack {run_id}")
        (out_dir / READY_FILE).write_text(run_id)
        say(
            f"serving {target.url} until SIGTERM/Ctrl-C or {args.max_minutes:g} min; run the suites:\n"
            f"  set -a; . {env}; set +a; pytest suites/ --target {profile}"
        )
        time.sleep(args.max_minutes * 60)  # serving is the wait; SIGTERM and Ctrl-C end it early
        say(f"--max-minutes {args.max_minutes:g} reached")
        return 0
    except KeyboardInterrupt:
        return 0
    except (StackStartError, docker_engine.DockerUnavailable) as exc:
        say(f"error: {exc}")
        return 2
    finally:
        with signals_held():
            removed = stack.stop()
            shutil.rmtree(work, ignore_errors=True)
            _remove_secrets(out_dir)
        say(f"stack {run_id} removed ({removed} containers/networks); secret files removed from {out_dir}")
        signal.signal(signal.SIGTERM, previous)
