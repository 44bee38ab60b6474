"""``controls.md``: the control summary as Markdown (renders on GitHub, in a job summary, in a PR)."""

from __future__ import annotations

from trino_harness.reporting.controls import STATUSES, Run
from trino_harness.reporting.labels import STAGE_TITLES
from trino_harness.reporting.summary import (
    TITLE,
    evidence_line,
    failed_verdict,
    headline,
    needs_remediation,
    nothing_to_fix,
    remediation_of,
    run_line,
    shorten,
)

LONG = 2000
ICONS = {"PASS": "✅ PASS", "FAIL": "❌ FAIL", "ERROR": "⚠️ ERROR", "SKIP": "⏭️ SKIP"}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return shorten(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def code(text: str) -> str:
    quoted = text.replace("`", "'")
    return f"`{quoted}`"


def render_markdown(run: Run) -> str:
    lines = [f"# {TITLE}", "", run_line(run), "", f"**{headline(run)}**", ""]
    lines += ["| stage | " + " | ".join(STATUSES) + " |", "|---|" + "---:|" * len(STATUSES)]
    for stage in dict.fromkeys(c.stage for c in run.ordered()):
        counts = run.counts(c for c in run.controls.values() if c.stage == stage)
        lines.append(
            f"| {STAGE_TITLES.get(stage, stage)} | " + " | ".join(str(counts[s]) for s in STATUSES) + " |"
        )
    lines.append("")

    to_fix = []
    for number, stage_title, groups in run.numbered():
        lines += [f"## {number} {stage_title}", ""]
        for group_number, group_title, rows in groups:
            lines += [f"### {group_number} {group_title} ({code(rows[0][1].group + '.py')})", ""]
            lines += [
                "| # | result | severity | provider | control | evidence |",
                "|---|---|---|---|---|---|",
            ]
            for row_number, control in rows:
                lines.append(
                    f"| {row_number} | {ICONS[control.status]} | {control.severity} | {control.provider} "
                    f"| {cell(control.title)} | {cell(evidence_line(control))} |"
                )
                if needs_remediation(control):
                    to_fix.append((row_number, control))
            lines.append("")

    lines += ["## Remediations", ""]
    if not to_fix:
        lines += [nothing_to_fix(run), ""]
    for row_number, control in to_fix:
        lines += [f"### {row_number} {control.status}: {control.title}", ""]
        lines.append(f"- check: {code(control.check_id)} ({control.severity}, provider {control.provider})")
        verdict = failed_verdict(control)
        if verdict:
            for key in ("what", "expected", "observed"):
                lines.append(f"- {key}: {shorten(str(verdict[key]), LONG)}")
        elif control.detail:
            lines += ["- detail:", "", "```", control.detail.replace("```", "'''"), "```", ""]
        lines += [f"- **remediation:** {remediation_of(control)}", ""]

    lines += ["## Summary", "", f"**{headline(run)}**", ""]
    return "\n".join(lines)
