"""Assertion messages that carry evidence: what was expected, what was observed, how to fix it."""

from __future__ import annotations

from trino_harness.redaction import redact


class CheckFailed(AssertionError):
    """A check's verdict was negative; the message holds the evidence."""


def check(ok: bool, *, what: str, expected: object, observed: object, fix: str) -> None:
    """Fail with expected/observed/fix (secrets redacted) unless ``ok``."""
    if ok:
        return
    raise CheckFailed(redact(f"{what}\n  expected: {expected}\n  observed: {observed}\n  usual fix: {fix}"))
