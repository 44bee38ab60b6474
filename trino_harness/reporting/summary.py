"""The one-page control summary (kube-bench style): what the Markdown and HTML renderers share.

The renderers import this module, never the other way round; ``summary_files`` writes the files.
"""

from __future__ import annotations

from trino_harness.evidence import EvidenceRecord
from trino_harness.reporting.controls import ERROR, FAIL, PASS, SKIP, Control, Run

TITLE = "Trino security controls"
SHORT = 240
# What to do about a control that could not judge: nothing in the cluster is known to be wrong yet.
ERROR_FIX = (
    "the check could not reach a verdict: read the detail (stack start, reachability, an inconclusive "
    "probe), fix the cause and run it again"
)


def evidence_line(control: Control) -> str:
    """The evidence a table cell shows: observed facts for a pass, expected vs observed for a failure."""
    if control.status == PASS:
        observed = [e["observed"] for e in control.evidence]
        return "; ".join(observed)
    if control.status == FAIL:
        failed = next((e for e in control.evidence if not e["ok"]), None)
        if failed:
            return f"expected {failed['expected']}; observed {failed['observed']}"
        return control.detail.splitlines()[0] if control.detail else "failed"
    if control.status == ERROR:
        return control.detail.splitlines()[0] if control.detail else "error"
    return control.detail or "skipped"


def shorten(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failed_verdict(control: Control) -> EvidenceRecord | None:
    return next((e for e in control.evidence if not e["ok"]), None)


def remediation_of(control: Control) -> str:
    if control.status == ERROR:
        return ERROR_FIX
    return control.remediation or "see the evidence"


def nothing_to_fix(run: Run) -> str:
    """What the remediation section says when nothing is in it: a run that judged nothing is not clean."""
    counts = run.counts()
    if not counts[PASS]:
        return (
            "Nothing was judged: every check skipped, so this run says nothing about the cluster "
            "(each skip names what the scenario or profile lacks)."
        )
    return "Nothing to remediate: no control failed or could not judge."


def needs_remediation(control: Control) -> bool:
    return control.status in (FAIL, ERROR)


def headline(run: Run) -> str:
    """Counts, then the run's exit code in words: an interrupted run says so before anything else."""
    counts = run.counts()
    parts = [f"{counts[s]} {s}" for s in (PASS, FAIL, ERROR, SKIP)]
    line = f"{len(run.controls)} controls: " + ", ".join(parts)
    meta = run.meta
    if "exit_status" in meta:
        fail_on = meta.get("fail_on")
        gate = f", gating on {fail_on} and above" if fail_on not in (None, "trivial") else ""
        line += f" · exit {meta['exit_status']}: {meta.get('exit_meaning', '')}{gate}"
    if meta.get("interrupted"):
        line = f"INTERRUPTED ({meta.get('unfinished', 0)} checks reached no verdict) · " + line
    return line


def time_by_suite(run: Run, top: int = 8) -> str:
    """Where the run's check time went, per suite module (summed over workers): the figures to
    take the largest from when a run must get cheaper."""
    spent: dict[str, list[float]] = {}
    for control in run.controls.values():
        spent.setdefault(control.group, []).append(control.duration_s)
    total = sum(sum(times) for times in spent.values()) or 1.0
    ranked = sorted(spent.items(), key=lambda item: -sum(item[1]))[:top]
    parts = [
        f"{group} {sum(times):.0f}s/{len(times)} ({100 * sum(times) / total:.0f}%)" for group, times in ranked
    ]
    return f"check time {total:.0f}s by suite: " + ", ".join(parts)


def run_line(run: Run) -> str:
    meta = run.meta
    bits = [
        f"scenario {meta.get('scenario', '?')}",
        f"Trino {meta.get('trino_version', '?')}",
        meta.get("trino_image") and f"image {meta['trino_image']}",
        meta.get("config_overlay") and f"config overlay {meta['config_overlay']}",
        meta.get("selection") and f"selection -m '{meta['selection']}'",
        meta.get("harness_commit") and f"harness {meta['harness_commit']}",
        meta.get("generated_at"),
    ]
    return " · ".join(str(b) for b in bits if b)
