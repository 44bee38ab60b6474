"""Reading a container's log: when Trino said SERVER STARTED, its error lines, its tail.

A failed start is reported with these (the reference stack's and the extra Web UI coordinator's),
and the start figures come from the log's own timestamps, not from the harness's clock.
"""

from __future__ import annotations

import datetime as dt
import re

from trino_harness.stack.containers import SeededContainer

ERROR_LINE = re.compile(r"\bERROR\b|Caused by|Exception:|FATAL")


def tail(text: str, lines: int) -> str:
    return "\n".join(text.splitlines()[-lines:])


def error_lines(text: str, limit: int = 15) -> list[str]:
    """The lines that say what went wrong (errors, exceptions and their causes), first ``limit``."""
    return [line for line in text.splitlines() if ERROR_LINE.search(line)][:limit]


def _log_time(line: str) -> dt.datetime | None:
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z)", line)
    return dt.datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) if match else None


def server_started_after(started_at: str, log: str) -> float | None:
    """Seconds from Docker's ``State.StartedAt`` to Trino's ``SERVER STARTED`` line in ``log``."""
    start = dt.datetime.fromisoformat(started_at[:26].rstrip("Z") + "+00:00")
    for line in log.splitlines():
        if "SERVER STARTED" in line and (ts := _log_time(line)):
            return (ts - start).total_seconds()
    return None


def trino_startup_seconds(container: SeededContainer) -> float | None:
    """Seconds from container start to Trino's ``SERVER STARTED`` line, read from its log."""
    wrapped = container.get_wrapped_container()
    return server_started_after(wrapped.attrs["State"]["StartedAt"], container.logs_text())
