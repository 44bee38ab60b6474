"""Read the coordinator's HTTP request log, where Trino records requests that never became queries.

A failed login (HTTP 401) creates no query and so no query event; the only server-side record of
it is airlift's request log (``http-server.log.path``, default ``var/log/http-request.log`` under
the data directory). Checks find their own request by the unique ``User-Agent`` they sent and
never know where the log lives: the reference stack reads it inside its container; a remote
target can read it from wherever its logs are shipped.

Line format (Trino 476, tab-separated): time, client address, method, URI, user, user agent,
status, request bytes, response bytes, then timings. ``user`` is ``null`` for every request
the harness saw, failed or not, so the log cannot name who tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import docker
from docker.errors import DockerException

from trino_harness.polling import poll
from trino_harness.target import RequestLogSource


class RequestLogUnavailable(RuntimeError):
    """The request log could not be read (missing file, container gone)."""


@dataclass(frozen=True)
class RequestLogEntry:
    time: datetime
    client: str
    method: str
    uri: str
    user: str | None
    agent: str | None
    status: int


def parse_line(line: str) -> RequestLogEntry | None:
    """One request-log line, or None when it is not one (a partial or foreign line)."""
    fields = line.rstrip("\n").split("\t")
    if len(fields) < 7 or not fields[6].isdigit():
        return None
    try:
        when = datetime.fromisoformat(fields[0])
    except ValueError:
        return None

    def value(text: str) -> str | None:
        return None if text == "null" else text

    return RequestLogEntry(
        when, fields[1], fields[2], fields[3], value(fields[4]), value(fields[5]), int(fields[6])
    )


class RequestLogReader(Protocol):
    def entries(self, agent: str) -> list[RequestLogEntry]:
        """Every logged request whose user agent is exactly ``agent``, oldest first."""
        ...

    def ends_before(self, instant: datetime) -> str | None:
        """Why this log cannot hold a request made at ``instant`` (it ends before then), or None."""
        ...


class ContainerRequestLog:
    """The log file inside the coordinator's container, read with ``grep`` through ``docker exec``.

    Only the current file is read: airlift rotates it at 100 MB, far beyond one suite run.
    """

    def __init__(self, source: RequestLogSource) -> None:
        assert source.container is not None
        self._source = source
        self._container: str = source.container

    def entries(self, agent: str) -> list[RequestLogEntry]:
        client = docker.from_env(timeout=30)
        try:
            container = client.containers.get(self._container)
            code, output = container.exec_run(["grep", "-F", "-e", agent, "--", self._source.path])
        except DockerException as exc:
            raise RequestLogUnavailable(f"{self._container}: {exc}") from exc
        finally:
            client.close()
        if code == 1:  # grep: no line matched
            return []
        if code != 0:
            raise RequestLogUnavailable(
                f"{self._container}:{self._source.path}: {output.decode(errors='replace').strip()}"
            )
        parsed = (parse_line(line) for line in output.decode(errors="replace").splitlines())
        return [entry for entry in parsed if entry is not None and entry.agent == agent]

    def ends_before(self, instant: datetime) -> str | None:
        """Never: this is the live file the coordinator writes, so a request missing from it was
        not logged (``http-server.log.enabled``), whatever the file's last line."""
        return None


# How much of a copy's end is read to find its last line: lines are a few hundred bytes.
TAIL_BYTES = 64 * 1024


class FileRequestLog:
    """A local copy of the request log (a remote cluster's shipped or mounted log file). A copy
    can be older than the request a check looks for: it then says so instead of a missing line
    being read as a request the coordinator did not log."""

    def __init__(self, path: str) -> None:
        self._path = path

    def entries(self, agent: str) -> list[RequestLogEntry]:
        try:
            with open(self._path, encoding="utf-8", errors="replace") as fh:
                parsed = (parse_line(line) for line in fh if agent in line)
                return [entry for entry in parsed if entry is not None and entry.agent == agent]
        except OSError as exc:
            raise RequestLogUnavailable(f"{self._path}: {exc}") from exc

    def ends_before(self, instant: datetime) -> str | None:
        last = self._last_time()
        if last is None:
            return f"the copy of the request log {self._path} holds no request-log line"
        if last < instant:
            return (
                f"the copy of the request log {self._path} ends at {last}, before the attempt at "
                f"{instant}: it cannot hold the attempt (a copy taken earlier, or shipping that lags); "
                "point the profile's request log at a file that is still being written"
            )
        return None

    def _last_time(self) -> datetime | None:
        """The time of the copy's last complete request-log line (read from its end only)."""
        try:
            with open(self._path, "rb") as fh:
                size = fh.seek(0, 2)
                fh.seek(max(0, size - TAIL_BYTES))
                tail = fh.read().decode("utf-8", errors="replace")
        except OSError as exc:
            raise RequestLogUnavailable(f"{self._path}: {exc}") from exc
        for line in reversed(tail.splitlines()):
            entry = parse_line(line)
            if entry is not None:
                return entry.time
        return None


def reader_for(source: RequestLogSource) -> RequestLogReader:
    """The reader for where the target says its request log is."""
    return FileRequestLog(source.path) if source.container is None else ContainerRequestLog(source)


def wait_for_entries(
    reader: RequestLogReader, agent: str, timeout_s: float = 30.0
) -> tuple[list[RequestLogEntry], float]:
    """Poll until a request from ``agent`` is logged; return the entries (maybe none) and the wait."""
    polled = poll(lambda: reader.entries(agent), timeout_s=timeout_s)
    return polled.value, polled.waited_s
