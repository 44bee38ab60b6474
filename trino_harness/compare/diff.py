"""Compare two suites runs check by check: verdict, what the server answered, the failure text.

Used for upgrades: the same config at two Trino versions must behave the same, or the
difference must be understood before the upgrade goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trino_harness.matrix.verdict import CheckResult
from trino_harness.observations import normalise
from trino_harness.redaction import redact


@dataclass(frozen=True)
class Change:
    check: str
    kind: str  # verdict | answer | failure-text | only-before | only-after
    before: str
    after: str


def compare_runs(before: list[CheckResult], after: list[CheckResult]) -> list[Change]:
    """Every difference between two runs, in the order of the first run (then checks only in the second)."""
    old = {r.check_id: r for r in before}
    new = {r.check_id: r for r in after}
    changes = []
    for check, a in old.items():
        b = new.get(check)
        if b is None:
            changes.append(Change(check, "only-before", a.outcome, "—"))
        elif a.outcome != b.outcome:
            changes.append(Change(check, "verdict", _verdict(a), _verdict(b)))
        elif normalise(a.observed) != normalise(b.observed):  # again: older files, newer masks
            changes.append(Change(check, "answer", a.observed, b.observed))
        elif a.red and a.message != b.message:
            changes.append(Change(check, "failure-text", a.message, b.message))
    changes += [Change(c, "only-after", "—", b.outcome) for c, b in new.items() if c not in old]
    return changes


def _verdict(result: CheckResult) -> str:
    detail = result.message.splitlines()[0] if result.message else result.observed
    return f"{result.outcome}: {detail}" if detail else result.outcome


def to_json(
    label_before: str, label_after: str, before: list[CheckResult], changes: list[Change]
) -> dict[str, Any]:
    return {
        "before": label_before,
        "after": label_after,
        "checks_compared": len(before),
        "identical": not changes,
        "changes": [vars(c) for c in changes],
    }


def to_markdown(label_before: str, label_after: str, before: list[CheckResult], changes: list[Change]) -> str:
    lines = [
        f"# Behaviour change: {label_before} → {label_after}",
        "",
        f"{len(before)} checks compared; "
        + (
            "**no difference** in verdict, server answer or failure text."
            if not changes
            else f"**{len(changes)} differ**."
        ),
        "",
    ]
    if changes:
        lines += ["| check | what changed | before | after |", "|---|---|---|---|"]
        for c in changes:
            lines.append(f"| `{c.check}` | {c.kind} | {_cell(c.before)} | {_cell(c.after)} |")
        lines.append("")
    lines.append(
        "Answers are normalised (query ids, timestamps and durations masked) so two runs of one "
        "version compare equal; `answer` means the check kept its verdict but the server said something else."
    )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return redact(text).replace("|", "\\|").replace("\n", " ")[:400]
