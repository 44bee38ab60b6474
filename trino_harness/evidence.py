"""Assertion messages that carry evidence: what was expected, what was observed, how to fix it.

Every verdict, passed or failed, is also kept on a per-test trail (secrets already redacted), so
the reports can show the evidence of a passing control as well as of a failing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn, TypedDict

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


# --- Evidence by construction -------------------------------------------------------------------
# The four false passes a hand-written check keeps re-learning (silence read as a refusal, nothing
# read as clean, a substring read as evidence, a crash read as a pass) cannot be written with the
# helpers below: a refusal is built only from a parsed answer, an absence only beside what was
# read, and a check that reached no verdict is an ERROR in the reports (reporting/plugin.py).


class CannotJudge(Exception):
    """The check saw nothing it can judge by. Reported as ERROR (never FAIL, never PASS), with what it saw."""


def cannot_judge(saw: str) -> NoReturn:
    """Stop the check as an ERROR whose text says what was seen (redacted)."""
    raise CannotJudge(redact(f"cannot judge: {saw}"))


# What a server answers when it did not decide: a gateway or an overloaded server (Trino's client
# protocol says retry 502, 503 and 504), a rate limit, a server error. None of them is a refusal.
UNDECIDED_STATUSES = frozenset({408, 429, 500, 501, 502, 503, 504})


@dataclass(frozen=True)
class Refusal:
    """A refusal, made only from a parsed answer: the HTTP status, plus Trino's error name where
    the refusal came as a failed query (``PERMISSION_DENIED``), or the structured line a client
    program printed (``error_name``)."""

    status: int | None
    error_name: str | None
    said: str

    def __str__(self) -> str:
        parts = [f"HTTP {self.status}" if self.status is not None else "", self.error_name or ""]
        return redact(" ".join(p for p in parts if p) + (f": {self.said}" if self.said else ""))


def refusal_of(
    *,
    status: int | None,
    error_name: str | None = None,
    said: str = "",
    refused_statuses: frozenset[int] = frozenset({401, 403}),
    refused_errors: frozenset[str] = frozenset({"PERMISSION_DENIED"}),
    accepted: bool = False,
) -> Refusal | None:
    """The parsed answer as a refusal; ``None`` when it is an acceptance (``accepted``: the
    statement went through). Anything else, silence, a reset, a gateway's 502/503, a 500, an answer
    of another kind, is :class:`CannotJudge`: it is neither a refusal nor an acceptance."""
    if accepted:
        return None
    if error_name is not None and error_name in refused_errors:
        return Refusal(status, error_name, said)
    if status is None:
        cannot_judge(f"no parsed answer to read a refusal from ({said or 'nothing was said'})")
    if status in UNDECIDED_STATUSES:
        cannot_judge(f"HTTP {status} decides nothing (a gateway, a rate limit or a server error): {said}")
    if status in refused_statuses and error_name is None:
        return Refusal(status, None, said)
    cannot_judge(
        f"HTTP {status}{' ' + error_name if error_name else ''} is neither the refusal expected "
        f"({sorted(refused_statuses)} / {sorted(refused_errors)}) nor an acceptance: {said}"
    )


@dataclass(frozen=True)
class Read:
    """What a static check read: the files, and the items in them it judged (keys, catalogs,
    accounts). A check that read nothing cannot say the config is clean."""

    files: tuple[str, ...] = ()
    items: tuple[str, ...] = ()

    def __str__(self) -> str:
        files = ", ".join(self.files) or "no file"
        return f"read {files}; judged {len(self.items)} item(s)" + (
            f": {', '.join(self.items[:12])}{' …' if len(self.items) > 12 else ''}" if self.items else ""
        )


def check_none_found(
    found: Sequence[object],
    *,
    read: Read,
    what: str,
    expected: str,
    fix: str,
    control_seen: bool = True,
    control: str = "",
) -> None:
    """Judge an absence: nothing of ``found``, and only beside what was read. Nothing read, or a
    positive control (``control``: what the same read must have shown) not seen, is
    :class:`CannotJudge`, never a clean result."""
    if not read.files and not read.items:
        cannot_judge(f"{what}: nothing was read ({read})")
    if not control_seen:
        cannot_judge(f"{what}: the same read did not show {control or 'its positive control'} ({read})")
    observed = f"{read}; found {len(found)}" + (f": {'; '.join(map(str, found))}" if found else "")
    check(not found, what=what, expected=expected, observed=observed, fix=fix)
