"""``python -m trino_harness bench-start``: what a verdict waits for, in figures (never asserted).

One stack: its services, then the coordinator restarted ``--restarts`` times, alternately with and
without the JVM's AOT cache (the same run, the same machine, so the ratio holds even when the
absolute seconds do not). Each start prints the harness's wall time beside Trino's own start
inside its container (container start to ``SERVER STARTED``), and the worker's re-join.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trino_harness.render.trino_etc import AOT_CACHE
from trino_harness.scenario.loader import DEFAULT_SCENARIO

if TYPE_CHECKING:
    from trino_harness.stack.reference import ReferenceStack


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--restarts", type=int, default=4, help="coordinator restarts after the first start")
    parser.add_argument("--trino-version", default=None)


@dataclass(frozen=True)
class Start:
    kind: str  # "aot" or "no aot"
    seconds: float  # the harness's wall time to a schedulable scan
    own_s: float | None  # Trino's own start inside its container
    join_s: float | None  # the worker's (re-)join


def _without_aot(stack: ReferenceStack, directory: Path) -> Path:
    """An overlay whose jvm.config is the rendered one minus the AOT cache line."""
    etc, _, _ = stack._effective(None)
    text = "".join(line for line in etc.text("jvm.config").splitlines(keepends=True) if AOT_CACHE not in line)
    directory.mkdir()
    (directory / "jvm.config").write_text(text)
    return directory


def _median(starts: list[Start], kind: str) -> float | None:
    own = [s.own_s for s in starts if s.kind == kind and s.own_s is not None]
    return statistics.median(own) if own else None


def run(args: argparse.Namespace) -> int:
    from trino_harness.stack.reference import ReferenceStack, StackOptions

    with tempfile.TemporaryDirectory(prefix="trino-harness-bench-") as tmp:
        stack = ReferenceStack(
            StackOptions(run_id=f"bn{uuid.uuid4().hex[:8]}", run_dir=Path(tmp) / "run",
                         scenario_path=args.scenario, trino_version=args.trino_version)
        )  # fmt: skip
        starts: list[Start] = []
        services_s = 0.0
        try:
            stack.start_services(wait=False)  # as every run starts: Trino boots beside the services
            no_aot = _without_aot(stack, Path(tmp) / "no-aot")
            for i in range(args.restarts + 1):
                aot = i % 2 == 0
                t = stack.start_coordinator(None if aot else no_aot).timings
                services_s = t["services_start_s"]
                seconds = t["stack_start_s"] - (services_s if i else 0.0)
                starts.append(
                    Start("aot" if aot else "no aot", seconds, t.get("trino_start_s"), t.get("worker_join_s"))
                )
        finally:
            stack.stop()
    print(f"services to ready (beside the first coordinator): {services_s:.1f}s")
    print("| start | kind | to schedulable s | Trino's own start s | worker join s |")
    print("|---|---|---|---|---|")
    for i, s in enumerate(starts):
        label = "whole stack (services, coordinator, worker)" if i == 0 else f"coordinator restart {i}"
        own = f"{s.own_s:.1f}" if s.own_s is not None else "?"
        print(f"| {label} | {s.kind} | {s.seconds:.1f} | {own} | {s.join_s or 0:.1f} |")
    with_aot, without = _median(starts[1:], "aot"), _median(starts[1:], "no aot")
    if with_aot and without:
        print(f"AOT cache: Trino's own start on restart, median {with_aot:.1f}s vs {without:.1f}s without: "
              f"ratio {with_aot / without:.2f}")  # fmt: skip
    first = starts[0]
    if first.own_s:
        ratio = first.seconds / first.own_s
        print(f"warm stack start {first.seconds:.1f}s = {ratio:.2f} x Trino's own start "
              f"({first.own_s:.1f}s, beside the worker and the services)")  # fmt: skip
    return 0
