"""Run the negative-control matrix: the baseline (several times) and every variant on one stack.

PostgreSQL, OpenLDAP and the audit collector start once; every run gets a fresh coordinator with
its overlay (a variant only ever changes Trino's configuration). Each run is a child
``pytest suites/`` limited to the variant's markers and pointed at the coordinator through a
target file, so the checks run exactly as users run them. Its JUnit XML is the record.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from trino_harness.matrix.catalog import Variant
from trino_harness.matrix.verdict import CheckResult, Verdict, judge, read_results
from trino_harness.progress import say
from trino_harness.redaction import redact
from trino_harness.stack.reference import ReferenceStack, StackOptions, StackStartError
from trino_harness.target import Target

REPO = Path(__file__).resolve().parents[2]
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
        """Every run, in order; the stack is removed however this ends."""
        opts = self.options
        started = time.monotonic()
        total_runs = opts.baseline_runs + len(opts.variants)
        (opts.out_dir / "runs").mkdir(parents=True, exist_ok=True)
        try:
            self._stack.start_services()
            result = MatrixResult(
                trino_version=self._stack.version,
                scenario_path=opts.scenario_path,
                services_s=self._stack.timings.get("services_start_s", 0.0),
            )
            for i in range(1, opts.baseline_runs + 1):
                record = self._run(f"baseline-{i}", None, None)
                result.baseline.append(record)
                say(f"[{i}/{total_runs}] {_describe_baseline(record)}")
            for j, variant in enumerate(opts.variants, start=opts.baseline_runs + 1):
                record = self._run(variant.name, variant.overlay, variant.spec.markers)
                output = (opts.out_dir / "runs" / f"{variant.name}.log").read_text()
                verdict = (
                    Verdict(problem=record.problem)
                    if record.problem
                    else judge(variant.spec, record.results, output)
                )
                result.variants.append(VariantRecord(variant, record, verdict))
                say(f"[{j}/{total_runs}] {_describe_variant(variant, record, verdict)}")
        finally:
            removed = self._stack.stop()
            say(f"matrix stack removed ({removed} containers/networks)")
            shutil.rmtree(self._private, ignore_errors=True)
        result.total_s = time.monotonic() - started
        return result

    def _run(self, label: str, overlay: Path | None, markers: str | None) -> RunRecord:
        opts = self.options
        log = opts.out_dir / "runs" / f"{label}.log"
        junit = opts.out_dir / "runs" / f"{label}.xml"
        t0 = time.monotonic()
        try:
            target = self._stack.start_coordinator(overlay)
        except StackStartError as exc:
            log.write_text(redact(str(exc)))
            first = str(exc).splitlines()[0]
            return RunRecord(label, markers, None, [], time.monotonic() - t0, 0.0, f"{first} (log: {log})")
        coordinator_s = time.monotonic() - t0
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
        results = (
            read_results(junit, opts.out_dir / "runs" / label / "controls.json") if junit.exists() else []
        )
        problem = None
        if proc.returncode not in (0, 1):
            problem = f"the suites run ended with pytest exit {proc.returncode} (log: {log})"
        return RunRecord(label, markers, proc.returncode, results, coordinator_s, suites_s, problem)


def _describe_baseline(record: RunRecord) -> str:
    if record.problem:
        return f"{record.label}: {record.problem}"
    counts = record.counts()
    state = "green" if not record.red else f"RED ({len(record.red)} checks)"
    return (
        f"{record.label}: {state}; {counts['passed']} passed, {counts['skipped']} skipped; "
        f"coordinator {record.coordinator_s:.0f}s, suites {record.suites_s:.0f}s"
    )


def _describe_variant(variant: Variant, record: RunRecord, verdict: Verdict) -> str:
    if verdict.problem:
        return f"{variant.name}: NOT RUN: {verdict.problem}"
    state = "detected" if verdict.detected else "UNDETECTED"
    if verdict.unjudged:
        state += f" ({len(verdict.unjudged)} declared checks could not judge)"
    if verdict.detected and not verdict.precise:
        state += (
            f", IMPRECISE ({len(verdict.collateral)} undeclared FAIL, "
            f"{len(verdict.collateral_errors)} undeclared ERROR)"
        )
    return (
        f"{variant.name}: {state}; {len(verdict.caught)} declared red; "
        f"coordinator {record.coordinator_s:.0f}s, suites {record.suites_s:.0f}s"
    )
