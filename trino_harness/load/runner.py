"""The load run: for each stack configuration, warm up, run Locust N times, check fidelity.

:func:`measure_target` is the seam: it needs only a running :class:`Target`, so a remote
profile plugs in through :class:`~trino_harness.load.stacks.GivenTarget`. :func:`run_load`
walks the stack configurations the selected ways need, one stack at a time.

Just over the house's 300 lines: warm-up, repeats and the fidelity check of one load run.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from trino_harness.capabilities import MissingCapability
from trino_harness.load.audit_completeness import Completeness, failure_burst, judge
from trino_harness.load.plan import PLAN_ENV, LoadPlan
from trino_harness.load.processes import (
    ChildRun,
    GeneratorFailed,
    LocustSettings,
    free_port,
    locust_command,
    run_child,
)
from trino_harness.load.samples import SampleSet
from trino_harness.load.stacks import TargetSource
from trino_harness.load.summary import WayFigures, run_figures
from trino_harness.load.ways import BASELINE, Selection, way
from trino_harness.progress import say, step
from trino_harness.redaction import redact
from trino_harness.target import Target

BOUND_MARGIN_S = 90.0  # start-up, stop timeout and report writing on top of the run time


class LoadError(RuntimeError):
    """The load could not be measured (as opposed to measured and found too slow)."""


@dataclass(frozen=True)
class LoadSettings:
    statement: str
    users_per_way: int
    run_time_s: float
    repeat: int = 3
    spawn_rate: float | None = None  # users per second; default: all users within one second
    rate_per_user: float = 0.0  # statements/s per user; 0 = closed loop
    processes: int = 0
    warmup_s: float = 10.0
    fidelity_s: float | None = None  # None: no fidelity check
    max_statements_per_user: int = 100_000
    request_timeout_s: float = 60.0
    audit_burst: int = 16  # failing queries sent at once for the audit-completeness count (0: none)
    audit_timeout_s: float = 60.0  # at most, for the last events to land


@dataclass
class RunResult:
    index: int
    figures: dict[str, WayFigures]
    generator: ChildRun
    directory: Path


@dataclass
class Fidelity:
    concurrency: int
    locust_rps: float
    raw_rps: float
    locust: ChildRun
    raw: ChildRun

    @property
    def ratio(self) -> float | None:
        return self.locust_rps / self.raw_rps if self.raw_rps else None


@dataclass
class StackResult:
    stack: str
    ways: list[str]
    target_url: str
    trino_version: str
    runs: list[RunResult] = field(default_factory=list)
    fidelity: Fidelity | None = None
    warmup: dict[str, WayFigures] = field(default_factory=dict)
    audit: Completeness | None = None
    audit_note: str | None = None  # why audit completeness was not judged


def _scrub(directory: Path) -> None:
    """Redact every text report Locust wrote (defence in depth: tokens and known secrets)."""
    for path in directory.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".html", ".json", ".log", ".txt"):
            text = path.read_text(errors="replace")
            clean = redact(text)
            if clean != text:
                path.write_text(clean)


def _env(plan_path: Path) -> dict[str, str]:
    return {**os.environ, PLAN_ENV: str(plan_path), "PYTHONUNBUFFERED": "1"}


def _raw(
    plan_path: Path, ways: list[str], threads: int, seconds: float, out: Path, log: Path
) -> tuple[SampleSet, ChildRun]:
    cmd = [
        sys.executable,
        "-m",
        "trino_harness.load.reference_client",
        "--plan",
        str(plan_path),
        "--ways",
        ",".join(ways),
        "--threads-per-way",
        str(threads),
        "--seconds",
        str(seconds),
        "--out",
        str(out),
    ]
    child = run_child(cmd, _env(plan_path), log, seconds + BOUND_MARGIN_S)
    if child.returncode != 0 or not out.exists():
        raise GeneratorFailed(f"the raw reference client failed (exit {child.returncode}); log: {log}")
    return SampleSet.read(out), child


def _locust(
    plan: LoadPlan, plan_path: Path, ways: list[str], users: int, settings: LoadSettings, out: Path
) -> tuple[SampleSet, ChildRun]:
    out.mkdir(parents=True, exist_ok=True)
    samples_path = out / "samples.json"
    replace(plan, samples_file=str(samples_path)).save(plan_path)
    locust_settings = LocustSettings(
        users=users,
        spawn_rate=settings.spawn_rate or users,
        run_time_s=settings.run_time_s,
        processes=settings.processes,
        master_port=free_port() if settings.processes else 0,
    )
    cmd = locust_command([way(w).user_class for w in ways], locust_settings, out)
    child = run_child(cmd, _env(plan_path), out / "locust.log", settings.run_time_s + BOUND_MARGIN_S)
    _scrub(out)
    if child.returncode != 0 or not samples_path.exists():
        raise GeneratorFailed(f"Locust failed (exit {child.returncode}); log: {out / 'locust.log'}")
    return SampleSet.read(samples_path), child


def _check_warmup(ways: list[str], samples: SampleSet) -> None:
    """Stop before loading when a way cannot run a single statement: its error says why."""
    lines = []
    for name in ways:
        mine = [s for s in samples.samples if s.way == name]
        if not mine:
            lines.append(f"  {name}: no statement finished during warm-up")
        elif not any(s.ok for s in mine):
            lines.append(f"  {name}: every statement failed, e.g. {redact(mine[0].error or '')}")
    if lines:
        raise LoadError("ways that do not work before any load:\n" + "\n".join(lines))


def measure_target(
    target: Target,
    stack: str,
    selection: Selection,
    settings: LoadSettings,
    out_dir: Path,
    private_dir: Path,
    with_fidelity: bool,
) -> StackResult:
    """Warm up, run Locust ``settings.repeat`` times with every way of ``stack``, then fidelity."""
    ways = selection.on_stack(stack)
    private_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target_path = private_dir / "target.json"
    target.save(target_path)
    Target.load(target_path)  # registers its passwords for redaction in this process
    plan_path = private_dir / "plan.json"
    plan = LoadPlan(
        target_file=str(target_path),
        statement=settings.statement,
        ways={name: selection.accesses[name].as_dict() for name in ways},
        rate_per_user=settings.rate_per_user,
        max_statements_per_user=settings.max_statements_per_user,
        token_lifetime_s=int(settings.run_time_s * (settings.repeat + 2) + 3600),
        request_timeout_s=settings.request_timeout_s,
    )
    plan.save(plan_path)
    result = StackResult(stack, ways, target.url, target.expected_version or "unknown")
    out_dir.mkdir(parents=True, exist_ok=True)

    if settings.warmup_s > 0:
        with step(f"[{stack}] warm-up: {settings.warmup_s:.0f}s of every way ({', '.join(ways)})"):
            samples, _ = _raw(
                plan_path, ways, 1, settings.warmup_s, out_dir / "warmup-samples.json", out_dir / "warmup.log"
            )
        result.warmup = run_figures(samples)
        _check_warmup(ways, samples)

    users = settings.users_per_way * len(ways)
    sent: list[str] = []  # query ids of the measured runs' statements, for the audit count
    for index in range(1, settings.repeat + 1):
        run_dir = out_dir / f"run-{index}"
        with step(
            f"[{stack}] run {index}/{settings.repeat}: Locust, {users} users, {settings.run_time_s:.0f}s"
        ):
            samples, child = _locust(plan, plan_path, ways, users, settings, run_dir)
        sent += [s.query_id for s in samples.samples if s.query_id]
        figures = run_figures(samples)
        if BASELINE not in figures:
            raise LoadError(f"[{stack}] run {index}: no baseline statement was measured; see {run_dir}")
        result.runs.append(RunResult(index, figures, child, run_dir))
        say(
            f"[{stack}] run {index}: "
            + ", ".join(f"{n} p50 {f.p50_ms or 0:.1f}ms" for n, f in figures.items())
            + f"; generator CPU {child.cpu_percent:.0f}% of a core"
        )

    result.audit, result.audit_note = _audit_completeness(target, selection, sent, settings, stack)

    if with_fidelity and settings.fidelity_s:
        result.fidelity = _fidelity(plan, plan_path, users, settings, out_dir / "fidelity")
        fid = result.fidelity
        ratio = "n/a" if fid.ratio is None else f"{fid.ratio:.3f}"
        say(
            f"[{stack}] fidelity at {users} concurrent ({BASELINE}): Locust {fid.locust_rps:.1f}/s, "
            f"raw threads {fid.raw_rps:.1f}/s, ratio {ratio}"
        )
    return result


def _audit_completeness(
    target: Target, selection: Selection, sent: list[str], settings: LoadSettings, stack: str
) -> tuple[Completeness | None, str | None]:
    """Every statement of the runs, plus a burst failing at once, joined to the audit store."""
    import psycopg

    from trino_harness.audit.stores import reader_for

    try:
        reader = reader_for(target.audit_database())
    except MissingCapability as exc:
        return None, f"not judged: {exc}"
    with step(
        f"[{stack}] audit completeness: {settings.audit_burst} failing queries at once, then "
        f"{len(sent) + settings.audit_burst} query ids looked up in the audit store"
    ):
        burst = failure_burst(target, selection.accesses[BASELINE], settings.audit_burst)
        try:
            completeness = judge(reader, sent + burst, len(burst), settings.audit_timeout_s)
        except psycopg.Error as exc:
            raise LoadError(f"the audit store could not be read: {redact(str(exc))}") from exc
    say(f"[{stack}] audit completeness: {completeness.line()}")
    return completeness, None


def _fidelity(plan: LoadPlan, plan_path: Path, users: int, settings: LoadSettings, out: Path) -> Fidelity:
    """Locust and the raw client, closed loop, same concurrency, baseline only, one after the other."""
    seconds = settings.fidelity_s or settings.run_time_s
    closed = replace(settings, run_time_s=seconds, rate_per_user=0.0)
    closed_plan = replace(plan, rate_per_user=0.0)
    with step(f"fidelity: Locust, {users} users on {BASELINE}, {seconds:.0f}s, closed loop"):
        locust_samples, locust_child = _locust(
            closed_plan, plan_path, [BASELINE], users, closed, out / "locust"
        )
    with step(f"fidelity: raw requests threads, {users} threads on {BASELINE}, {seconds:.0f}s"):
        closed_plan.save(plan_path)
        raw_samples, raw_child = _raw(
            plan_path, [BASELINE], users, seconds, out / "raw-samples.json", out / "raw.log"
        )
    locust_rps = run_figures(locust_samples).get(BASELINE)
    raw_rps = run_figures(raw_samples).get(BASELINE)
    return Fidelity(
        users,
        locust_rps.throughput if locust_rps else 0.0,
        raw_rps.throughput if raw_rps else 0.0,
        locust_child,
        raw_child,
    )


def run_load(
    source: TargetSource,
    selection: Selection,
    settings: LoadSettings,
    out_dir: Path,
    private_dir: Path,
    skipped: dict[str, str] | None = None,
) -> list[StackResult]:
    """Every stack configuration the selection needs, one stack at a time.

    Ways whose stack the source cannot provide are recorded in ``skipped`` with the reason.
    """
    results = []
    for position, stack in enumerate(selection.stacks()):
        if not source.supports(stack):
            missing = [name for name in selection.home(stack) if name != BASELINE]
            say(f"[{stack}] this target cannot provide it: skipping {', '.join(missing)}")
            if skipped is not None:
                skipped.update({name: f"the target offers no '{stack}' configuration" for name in missing})
            continue
        started = time.monotonic()
        with source.open(stack) as target:
            results.append(
                measure_target(
                    target,
                    stack,
                    selection,
                    settings,
                    out_dir / stack,
                    private_dir / stack,
                    with_fidelity=position == 0,
                )
            )
        say(f"[{stack}] done in {time.monotonic() - started:.0f}s")
    return results
