"""The detection report: JSON (every figure) and Markdown (what a reviewer reads), plus the verdict."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trino_harness.matrix.runner import MatrixResult, RunRecord, coordinator_figures


@dataclass(frozen=True)
class Stability:
    runs: int
    identical: bool
    differing: list[str]  # check ids whose outcome differed between baseline runs


def baseline_stability(runs: list[RunRecord]) -> Stability:
    """Whether every baseline run gave every check the same outcome."""
    outcomes = [{r.check_id: r.outcome for r in run.results} for run in runs]
    checks = sorted(set().union(*outcomes)) if outcomes else []
    differing = [c for c in checks if len({o.get(c, "absent") for o in outcomes}) > 1]
    problems = any(run.problem for run in runs)
    return Stability(len(runs), bool(runs) and not differing and not problems, differing)


def matrix_passed(result: MatrixResult) -> bool:
    """Green baseline every time, identical every time, every variant detected and precise."""
    baseline_green = bool(result.baseline) and all(
        not run.problem and run.results and not run.red for run in result.baseline
    )
    return (
        baseline_green
        and baseline_stability(result.baseline).identical
        and all(v.verdict.passed for v in result.variants)
    )


def _run_json(run: RunRecord) -> dict[str, Any]:
    return {
        "label": run.label,
        "markers": run.markers,
        "pytest_exit": run.exit_code,
        "counts": run.counts(),
        "red": [{"check": r.check_id, "outcome": r.outcome, "message": r.message} for r in run.red],
        "coordinator_s": round(run.coordinator_s, 1),
        "suites_s": round(run.suites_s, 1),
        "applied": run.applied,  # "restart", "restart: why" or "hot: the files written in place"
        "undo": run.undo,
        "undo_s": round(run.undo_s, 1),
        "problem": run.problem,
    }


def to_json(result: MatrixResult) -> dict[str, Any]:
    stability = baseline_stability(result.baseline)
    detected = sum(v.verdict.detected for v in result.variants)
    return {
        "passed": matrix_passed(result),
        "trino_version": result.trino_version,
        "scenario": str(result.scenario_path),
        "total_s": round(result.total_s, 1),
        "services_s": round(result.services_s, 1),
        "baseline": {
            "runs": [_run_json(run) for run in result.baseline],
            "stable": stability.identical,
            "differing": stability.differing,
        },
        "variants": [
            {
                "name": v.variant.name,
                "description": v.variant.spec.description,
                "detected": v.verdict.detected,
                "precise": v.verdict.precise,
                "missed": v.verdict.missed,
                "unmentioned": v.verdict.unmentioned,
                "caught": v.verdict.caught,
                "could_not_judge": v.verdict.unjudged,
                "collateral": v.verdict.collateral,
                "collateral_errors": v.verdict.collateral_errors,
                "problem": v.verdict.problem,
                **{k: val for k, val in _run_json(v.run).items() if k not in ("label", "problem")},
            }
            for v in result.variants
        ],
        "summary": {
            "variants": len(result.variants),
            "detected": detected,
            "precise": sum(v.verdict.precise for v in result.variants),
            # variants with a declared check that could not judge (ERROR): never counted as detected by it
            "with_unjudged_checks": sum(bool(v.verdict.unjudged) for v in result.variants),
            "detection_rate": round(detected / len(result.variants), 3) if result.variants else None,
        },
    }


def _cell(items: list[str], limit: int = 4) -> str:
    if not items:
        return "—"
    shown = ", ".join(f"`{i.split('::')[-1]}`" for i in items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


def to_markdown(result: MatrixResult) -> str:
    data = to_json(result)
    summary = data["summary"]
    stability = baseline_stability(result.baseline)
    lines = [
        f"# Negative-control matrix: Trino {result.trino_version}",
        "",
        f"**{'PASSED' if data['passed'] else 'FAILED'}** — "
        f"{summary['detected']}/{summary['variants']} variants detected, "
        f"{summary['precise']}/{summary['variants']} precise (nothing red beyond what they declare); "
        f"baseline {'green' if all(not r.red and not r.problem for r in result.baseline) else 'RED'} "
        f"in {len(result.baseline)} runs, outcomes {'identical' if stability.identical else 'DIFFERENT'}.",
        "",
        f"Total {result.total_s / 60:.1f} min (services {result.services_s:.0f} s, then a coordinator "
        "start per run, except runs that change only files Trino re-reads; "
        f"{coordinator_figures(result)}). Scenario: `" + str(result.scenario_path.name) + "`.",
        "",
        "## Baseline",
        "",
        "| run | passed | failed | errors | skipped | coordinator s | suites s |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in result.baseline:
        c = run.counts()
        lines.append(
            f"| {run.label} | {c['passed']} | {c['failed']} | {c['error']} | {c['skipped']} | "
            f"{run.coordinator_s:.0f} | {run.suites_s:.0f} |" + (f" {run.problem}" if run.problem else "")
        )
    for run in result.baseline:
        for r in run.red:
            lines.append(
                f"- {run.label}: `{r.check_id}` {r.outcome}: {r.message.splitlines()[0] if r.message else ''}"
            )
    if stability.differing:
        lines.append(f"- outcomes differ between runs for: {_cell(stability.differing, 20)}")
    judged = sum(len(run.results) for run in result.baseline)
    alarms = sum(len(run.red) for run in result.baseline)
    lines.append(
        f"- false alarms: {alarms} red of {judged} baseline checks in {len(result.baseline)} runs "
        f"({sum(1 for run in result.baseline if run.red)} runs with any)"
    )
    lines += [
        "",
        "## Variants",
        "",
        "| variant | what is wrong | suites | detected (FAIL) | precise | checks that FAILED | missed "
        "| could not judge (ERROR) | collateral | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for v in result.variants:
        verdict = v.verdict
        detected = "yes" if verdict.detected else ("**not run**" if verdict.problem else "**NO**")
        lines.append(
            f"| `{v.variant.name}` | {v.variant.spec.description} | `{v.variant.spec.markers}` "
            f"| {detected} | "
            f"{'yes' if verdict.precise else '**NO**'} | {_cell(verdict.caught)} | "
            f"{_cell(verdict.missed + [f'mention: {t}' for t in verdict.unmentioned])} | "
            f"{_cell(verdict.unjudged)} | "
            f"{_cell(verdict.collateral + [f'ERROR {c}' for c in verdict.collateral_errors])} | "
            f"{v.run.coordinator_s + v.run.suites_s:.0f} |"
        )
    problems = [v for v in result.variants if v.verdict.problem]
    if problems:
        lines += ["", "## Runs that went wrong", ""]
        lines += [f"- `{v.variant.name}`: {v.verdict.problem}" for v in problems]
    lines += [
        "",
        "Per-run console output and JUnit XML: `runs/`. Detected: every `must_fail` check of the "
        "variant's `variant.yaml` FAILED on a verdict (a check that could not judge, an ERROR, "
        "detects nothing) and every `must_mention` text appeared. Precise: no other check went red "
        "(FAIL or ERROR) except those it lists under `may_also_fail`.",
        "",
    ]
    return "\n".join(lines)


def write_reports(result: MatrixResult, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "matrix.json", out_dir / "matrix.md"
    json_path.write_text(json.dumps(to_json(result), indent=2) + "\n")
    md_path.write_text(to_markdown(result))
    return json_path, md_path
