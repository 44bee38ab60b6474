"""Assertion messages that carry evidence: what was expected, what was observed, how to fix it.

Every verdict, passed or failed, is also kept on a per-test trail (secrets already redacted), so
the reports can show the evidence of a passing control as well as of a failing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from trino_harness.redaction import redact


class EvidenceRecord(TypedDict):
    """One verdict as ``controls.json`` keeps it."""

    what: str
    expected: str
    observed: str
    fix: str
    ok: bool


@dataclass(frozen=True)
class Evidence:
    """One verdict's facts, redacted: what was checked, expected and observed, the usual fix."""

    what: str
    expected: str
    observed: str
    fix: str
    ok: bool

    def message(self) -> str:
        return (
            f"{self.what}\n  expected: {self.expected}\n  observed: {self.observed}\n  usual fix: {self.fix}"
        )

    def as_json(self) -> EvidenceRecord:
        return EvidenceRecord(
            what=self.what, expected=self.expected, observed=self.observed, fix=self.fix, ok=self.ok
        )


class CheckFailed(AssertionError):
    """A check's verdict was negative; the message holds the evidence."""

    def __init__(self, message: str, evidence: Evidence | None = None) -> None:
        super().__init__(message)
        self.evidence = evidence


# One test runs at a time in a process (pytest, and each xdist worker), so one trail suffices.
_trail: list[Evidence] = []


def begin_trail() -> None:
    """Forget the previous test's verdicts (the reporting plugin calls this before each test)."""
    _trail.clear()


def trail() -> tuple[Evidence, ...]:
    """The verdicts recorded since :func:`begin_trail`, oldest first."""
    return tuple(_trail)


def check(ok: bool, *, what: str, expected: object, observed: object, fix: str) -> None:
    """Fail with expected/observed/fix (secrets redacted) unless ``ok``; record the verdict either way."""
    evidence = Evidence(
        what=redact(str(what)),
        expected=redact(str(expected)),
        observed=redact(str(observed)),
        fix=redact(str(fix)),
        ok=bool(ok),
    )
    _trail.append(evidence)
    if not ok:
        raise CheckFailed(evidence.message(), evidence)
