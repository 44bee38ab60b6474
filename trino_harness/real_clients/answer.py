"""What a client run came to, read from structured output only: the user the query ran as, or the
server's answer as data (an HTTP status, Trino's error name), never a word found in free text.

The harness's own client programs (``programs/``) print one line either way:
``HARNESS-USER: <current_user>`` on success, or ``HARNESS-ERROR: {json}`` from the driver's
exception, with ``http_status`` (the status that ended the request, 401 for a refused login),
``error_name``/``error_code``/``query_id`` (Trino's error of a failed query: the login was
accepted) and ``message``. The CLI is not ours: ``trino_cli.parse_answer`` reads its fixed lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from trino_harness.redaction import redact

RESULT_PREFIX = "HARNESS-USER: "
ERROR_PREFIX = "HARNESS-ERROR: "
_ERROR_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")  # Trino's StandardErrorCode names and connectors' alike


@dataclass(frozen=True)
class Answer:
    """A run's parsed outcome. Empty (all ``None``) when nothing could be read: no verdict then."""

    user: str | None = None  # the query ran and reported this current_user
    http_status: int | None = None  # the HTTP status that ended the run (401: authentication refused)
    error_name: str | None = None  # Trino's error of a failed query, e.g. PERMISSION_DENIED
    query_id: str | None = None  # a failed query's id
    said: str = ""  # the client's or server's own words, for the evidence (and the impersonation target)

    @property
    def query_answered(self) -> bool:
        """The server went past authentication: the query ran, or failed as a query (an error
        name or a query id only come in a query's results, which a refused login never gets)."""
        return self.user is not None or self.error_name is not None or self.query_id is not None

    def __str__(self) -> str:
        if self.user is not None:
            return f"user {self.user!r}"
        if self.query_answered:
            name = self.error_name or "an error without a known name"
            query = self.query_id or "(no id)"
            return redact(f"login accepted, query {query} failed with {name}: {self.said}")
        if self.http_status is not None:
            return redact(f"HTTP {self.http_status}: {self.said}")
        return redact(f"no parsed answer{': ' + self.said if self.said else ''}")


def _int(value: Any, low: int = -(2**31), high: int = 2**31) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and low <= value < high else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _lines(text: str, prefix: str) -> list[str]:
    return [line.removeprefix(prefix).strip() for line in text.splitlines() if line.startswith(prefix)]


def program_answer(returncode: int, stdout: str, _stderr: str = "") -> Answer:
    """A harness program's outcome: its one user line on a clean exit, or its one error line."""
    users, errors = _lines(stdout, RESULT_PREFIX), _lines(stdout, ERROR_PREFIX)
    if returncode == 0:
        if len(users) == 1 and not errors and users[0]:
            return Answer(user=users[0])
        return Answer(said=f"exit 0 with {len(users)} user line(s) and {len(errors)} error line(s)")
    if len(errors) != 1:
        return Answer(said=f"exit {returncode} with {len(errors)} error lines (one expected)")
    try:
        fields = json.loads(errors[0])
    except ValueError:
        return Answer(said=f"an error line that is not JSON: {errors[0][:200]}")
    if not isinstance(fields, dict):
        return Answer(said=f"an error line that is not a JSON object: {errors[0][:200]}")
    name = _text(fields.get("error_name"))
    return Answer(
        http_status=_int(fields.get("http_status"), 100, 600),
        error_name=name if name and _ERROR_NAME.match(name) else None,
        query_id=_text(fields.get("query_id")),
        said=_text(fields.get("message")) or _text(fields.get("exception")) or "",
    )
