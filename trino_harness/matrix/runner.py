"""Run the negative-control matrix: the baseline (several times) and every variant on one stack.

PostgreSQL, OpenLDAP and the audit collector start once; every run gets a fresh coordinator with
its overlay (a variant only ever changes Trino's configuration), except a variant that changes only
files Trino re-reads while running (``render/reload.py``): those run first, on the baseline's
coordinator, each written into it, proven in force by its sentinel, and undone (proven too) after
its suites; the first baseline run then runs on that same coordinator, so a failed undo shows as a
red baseline. The other baseline runs and variants each get a fresh coordinator. Each run is a child
``pytest suites/`` limited to the variant's markers and pointed at the coordinator through a
target file, so the checks run exactly as users run them. Its JUnit XML is the record.

Just over the house's 300 lines: one matrix run's ordering (hot variants first), restarts and undo.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from trino_harness.matrix.catalog import Variant
from trino_harness.matrix.verdict import CheckResult, Verdict, judge, read_results
from trino_harness.paths import REPO
from trino_harness.progress import say
from trino_harness.redaction import redact
from trino_harness.render.reload import HotPlan
from trino_harness.reporting.exit_codes import Exit
from trino_harness.stack.reference import ReferenceStack, StackOptions, StackStartError
from trino_harness.target import Target

# A suites run that ended with its checks judged, whatever they said (a variant turns checks red).
JUDGED = (Exit.OK, Exit.FAILED, Exit.UNJUDGED, Exit.NOTHING_JUDGED)

SUITES_TIMEOUT_S = 1200


@dataclass(frozen=True)
class MatrixOptions:
    scenario_path: Path
    variants: list[Variant]
    out_dir: Path
    baseline_runs: int = 3
    trino_version: str | None = None
    trino_image: str | None = None
    audit_timeout_s: float = 5.0
    workers: int = 2  # pytest-xdist workers per suites run
    pytest_args: list[str] = field(default_factory=list)  # passed to every suites run


@dataclass(frozen=True)
class RunRecord:
    """One suites run against one coordinator configuration."""

    label: str  # baseline-1, or the variant's name
    markers: str | None
    exit_code: int | None
    results: list[CheckResult]
    coordinator_s: float
    suites_s: float
    problem: str | None = None  # the coordinator did not start, the run crashed
    applied: str = "restart"  # how the coordinator got this configuration: "restart: why", "hot: files"
    undo: str | None = None  # after a hot run: how the baseline came back
    undo_s: float = 0.0

    @property
    def hot(self) -> bool:
        return self.applied.startswith("hot")

    @property
    def red(self) -> list[CheckResult]:
        return [r for r in self.results if r.red]

    def counts(self) -> dict[str, int]:
        counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
        for result in self.results:
            counts[result.outcome] += 1
        return counts


@dataclass(frozen=True)
class VariantRecord:
    variant: Variant
    run: RunRecord
    verdict: Verdict


@dataclass
class MatrixResult:
    trino_version: str
    scenario_path: Path
    baseline: list[RunRecord] = field(default_factory=list)
    variants: list[VariantRecord] = field(default_factory=list)
    services_s: float = 0.0
    total_s: float = 0.0


class MatrixRunner:
    def __init__(self, options: MatrixOptions) -> None:
        self.options = options
        self._private = Path(tempfile.mkdtemp(prefix="trino-harness-matrix-"))  # 0700: secrets
        self._stack = ReferenceStack(
            StackOptions(
                run_id=f"mx{uuid.uuid4().hex[:8]}",
                run_dir=self._private / "stack",
                scenario_path=options.scenario_path,
                trino_version=options.trino_version,
                trino_image=options.trino_image,
                log_dir=options.out_dir / "stack-logs",
            )
        )

    def run(self) -> MatrixResult:
        """Every run (hot variants, baseline runs, the other variants); the stack is removed however
        this ends. Variants are reported in the order given, whatever order they ran in."""
        opts = self.options
        started = time.monotonic()
        total_runs = opts.baseline_runs + len(opts.variants)
        (opts.out_dir / "runs").mkdir(parents=True, exist_ok=True)
        done = 0
        try:
            # The first coordinator boots while the services come up (a service that does not
            # start ends the matrix here, as before).
            self._stack.start_services(wait=False)
            self._start_first_coordinator()
            result = MatrixResult(
                trino_version=self._stack.version,
                scenario_path=opts.scenario_path,
                services_s=self._stack.timings.get("services_start_s", 0.0),
            )
            plans = {v.name: self._stack.hot_plan(v.overlay, baseline=True) for v in opts.variants}
            hot = [v for v in opts.variants if isinstance(plans[v.name], HotPlan)]
            cold = [v for v in opts.variants if v not in hot]
            if hot:
                say("without a restart: " + ", ".join(f"{v.name} ({_plan_text(plans[v.name])})" for v in hot))
            records: dict[str, VariantRecord] = {}
            for variant in hot:
                done += 1
                records[variant.name] = self._run_variant(variant, f"[{done}/{total_runs}]", undo=True)
            for i in range(1, opts.baseline_runs + 1):
                done += 1
                record = self._run(f"baseline-{i}", None, None, fresh=i > 1)
                result.baseline.append(record)
                say(f"[{done}/{total_runs}] {_describe_baseline(record)}")
            for variant in cold:
                done += 1
                records[variant.name] = self._run_variant(variant, f"[{done}/{total_runs}]", undo=False)
            result.variants = [records[v.name] for v in opts.variants]
            say(coordinator_figures(result))
        finally:
            removed = self._stack.stop()
            say(f"matrix stack removed ({removed} containers/networks)")
            shutil.rmtree(self._private, ignore_errors=True)
        result.total_s = time.monotonic() - started
        return result

    def _start_first_coordinator(self) -> None:
        """The baseline's coordinator, for the first baseline run and the hot variants (a failure of
        the coordinator is each run's own: it then starts one itself and reports what went wrong;
        a failure of the services ends the matrix)."""
        t0 = time.monotonic()
        try:
            self._stack.start_coordinator(None)
        except StackStartError as exc:
            if not self._stack.services_ready:
                raise
            say(f"the baseline coordinator did not start: {str(exc).splitlines()[0]}")
            return
        say(f"baseline coordinator (services included): {time.monotonic() - t0:.0f}s")

    def _run_variant(self, variant: Variant, counter: str, undo: bool) -> VariantRecord:
        record = self._run(variant.name, variant.overlay, variant.spec.markers, fresh=not undo, undo=undo)
        output = (self.options.out_dir / "runs" / f"{variant.name}.log").read_text()
        verdict = (
            Verdict(problem=record.problem) if record.problem else judge(variant.spec, record.results, output)
        )
        say(f"{counter} {_describe_variant(variant, record, verdict)}")
        return VariantRecord(variant, record, verdict)

    def _undo(self) -> tuple[str, float]:
        """Bring the baseline back after a hot run (proven by the sentinels flipping back)."""
        t0 = time.monotonic()
        try:
            _, how = self._stack.apply_coordinator(None)
        except StackStartError as exc:
            how = f"failed: {str(exc).splitlines()[0]}"  # no coordinator now: the next run starts one
        return how, time.monotonic() - t0

    def _run(
        self, label: str, overlay: Path | None, markers: str | None, fresh: bool = True, undo: bool = False
    ) -> RunRecord:
        """One suites run; ``fresh`` restarts the coordinator whatever changes, ``undo`` brings the
        baseline back afterwards when the run was applied without a restart."""
        opts = self.options
        log = opts.out_dir / "runs" / f"{label}.log"
        junit = opts.out_dir / "runs" / f"{label}.xml"
        t0 = time.monotonic()
        try:
            if fresh:
                target, applied = self._stack.start_coordinator(overlay), "restart"
            else:
                target, applied = self._stack.apply_coordinator(overlay)
        except StackStartError as exc:
            log.write_text(redact(str(exc)))
            first = str(exc).splitlines()[0]
            return RunRecord(label, markers, None, [], time.monotonic() - t0, 0.0, f"{first} (log: {log})")
        coordinator_s = time.monotonic() - t0
        record = self._suites(label, markers, target, log, junit, coordinator_s)
        record = replace(record, applied=applied)
        if undo and record.hot:
            how, undo_s = self._undo()
            record = replace(record, undo=how, undo_s=undo_s)
        return record

    def _suites(
        self, label: str, markers: str | None, target: Target, log: Path, junit: Path, coordinator_s: float
    ) -> RunRecord:
        opts = self.options
        target_file = self._private / "target.json"
        target.save(target_file)
        Target.load(target_file)  # registers the run's secrets for redaction in this process too
        command = [
            sys.executable, "-m", "pytest", "suites/", "-p", "no:cacheprovider", "-q",
            "--target-file", str(target_file),
            "--scenario", str(opts.scenario_path),
            "--junitxml", str(junit),
            "--controls-dir", str(opts.out_dir / "runs" / label),  # not reports/: each run its own summary
            "--audit-timeout", str(opts.audit_timeout_s),
        ]  # fmt: skip
        if opts.workers > 1:
            command += ["-n", str(opts.workers)]
        if markers:
            command += ["-m", markers]
        command += opts.pytest_args
        summary = opts.out_dir / "runs" / label / "controls.json"
        for stale in (junit, summary):  # a run that writes nothing must not be read as the last one
            stale.unlink(missing_ok=True)
        t1 = time.monotonic()
        try:
            proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=SUITES_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return RunRecord(
                label, markers, None, [], coordinator_s, time.monotonic() - t1,
                f"the suites did not finish within {SUITES_TIMEOUT_S}s",
            )  # fmt: skip
        suites_s = time.monotonic() - t1
        log.write_text(redact(proc.stdout + proc.stderr))
        results = read_results(junit, summary) if junit.exists() else []
        problem = None
        if proc.returncode not in JUDGED:
            problem = f"the suites run ended with pytest exit {proc.returncode} (log: {log})"
        return RunRecord(label, markers, proc.returncode, results, coordinator_s, suites_s, problem)


def _plan_text(plan: HotPlan | str) -> str:
    return plan.describe() if isinstance(plan, HotPlan) else plan


def _coordinator_part(record: RunRecord) -> str:
    if not record.hot:
        return f"coordinator {record.coordinator_s:.0f}s (restart)"
    undo = f", undo {record.undo_s:.1f}s ({record.undo})" if record.undo else ""
    return f"coordinator {record.coordinator_s:.1f}s ({record.applied}{undo})"


def coordinator_figures(result: MatrixResult) -> str:
    """Coordinator seconds per run, restarted vs applied in place, in this matrix run (figures only)."""
    runs = [*result.baseline, *(v.run for v in result.variants)]
    parts = []
    for name, chosen in (
        ("restart", [r for r in runs if not r.hot and not r.problem]),
        ("hot", [r for r in runs if r.hot and not r.problem]),
    ):
        if chosen:
            mean = sum(r.coordinator_s + r.undo_s for r in chosen) / len(chosen)
            parts.append(f"{name} {mean:.1f}s per run over {len(chosen)}")
    return "coordinator time (undo included): " + ("; ".join(parts) or "no runs")


def _describe_baseline(record: RunRecord) -> str:
    if record.problem:
        return f"{record.label}: {record.problem}"
    counts = record.counts()
    state = "green" if not record.red else f"RED ({len(record.red)} checks)"
    return (
        f"{record.label}: {state}; {counts['passed']} passed, {counts['skipped']} skipped; "
        f"{_coordinator_part(record)}, suites {record.suites_s:.0f}s"
    )


def _describe_variant(variant: Variant, record: RunRecord, verdict: Verdict) -> str:
    if verdict.problem:
        return f"{variant.name}: NOT RUN: {verdict.problem}"
    state = "detected" if verdict.detected else "UNDETECTED"
    if verdict.unjudged:
        state += f" ({len(verdict.unjudged)} declared checks could not judge)"
    if not verdict.precise:  # undetected or not, red checks the variant did not declare are named
        state += (
            f", IMPRECISE ({len(verdict.collateral)} undeclared FAIL, "
            f"{len(verdict.collateral_errors)} undeclared ERROR)"
        )
    return (
        f"{variant.name}: {state}; {len(verdict.caught)} declared red; "
        f"{_coordinator_part(record)}, suites {record.suites_s:.0f}s"
    )
