"""One client invocation: what runs, with which (masked) environment, and what it answered
(parsed by the client's own reader into an :class:`~trino_harness.real_clients.answer.Answer`)."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from trino_harness.evidence import CannotJudge
from trino_harness.real_clients.answer import Answer
from trino_harness.redaction import MASK, redact

EXCERPT_CHARS = 600
# A client's reader: (exit code, stdout, stderr) -> what the run came to
ParseAnswer = Callable[[int, str, str], Answer]


@dataclass(frozen=True)
class Invocation:
    """A command line without secrets, and the secrets beside it (environment, 0600 files)."""

    argv: tuple[str, ...]
    # secrets and settings: shown by name only, and kept out of repr (pytest prints locals on failure)
    env: dict[str, str] = field(default_factory=dict, repr=False)
    secret_files: tuple[str, ...] = ()  # 0600 files the client reads (shown by path only)
    cwd: str | None = None

    def shown(self) -> str:
        """The command line as evidence: environment values masked, secrets redacted."""
        env = " ".join(f"{name}={MASK}" for name in sorted(self.env))
        files = f" (0600 files: {', '.join(self.secret_files)})" if self.secret_files else ""
        return redact(f"{env + ' ' if env else ''}{shlex.join(self.argv)}{files}")


@dataclass(frozen=True)
class ClientRun:
    """A finished invocation: exit code, output, duration, and its parsed answer."""

    client: str
    version: str
    invocation: Invocation
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    answer: Answer

    @property
    def user(self) -> str | None:
        """The current_user the query reported, or None when it did not run."""
        return self.answer.user

    @property
    def output(self) -> str:
        return f"{self.stdout}\n{self.stderr}".strip()

    def excerpt(self) -> str:
        text = redact(" | ".join(line.strip() for line in self.output.splitlines() if line.strip()))
        return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + " …"

    def __str__(self) -> str:
        return (
            f"{self.client} {self.version}: {self.answer} (exit {self.returncode}) in {self.seconds:.1f}s; "
            f"invocation: {self.invocation.shown()}; output: {self.excerpt()}"
        )


class ClientTimedOut(CannotJudge):
    """The client did not finish in time: no verdict (an ERROR, never a refusal nor a FAIL)."""


def run(
    client: str,
    version: str,
    invocation: Invocation,
    timeout_s: float,
    parse_answer: ParseAnswer,
) -> ClientRun:
    """Run ``invocation`` with a clean environment plus its own; ``parse_answer`` reads what it came to."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "JAVA_HOME", "GOCACHE")}
    env.update(invocation.env)
    started = time.monotonic()
    try:
        proc = subprocess.run(
            list(invocation.argv),
            env=env,
            cwd=invocation.cwd,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise ClientTimedOut(
            redact(
                f"cannot judge: {client} {version} gave no answer in {timeout_s:g}s; "
                f"invocation: {invocation.shown()}"
            )
        ) from exc
    seconds = time.monotonic() - started
    answer = parse_answer(proc.returncode, proc.stdout, proc.stderr)
    return ClientRun(client, version, invocation, proc.returncode, proc.stdout, proc.stderr, seconds, answer)


def private_file(directory: Path, name: str, text: str) -> Path:
    """A 0600 file in ``directory`` (a 0700 per-test directory)."""
    from trino_harness.render.files import write_private

    path = directory / name
    write_private(path, text)
    return path
