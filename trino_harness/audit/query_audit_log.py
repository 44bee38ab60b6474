"""Read Starburst Enterprise's query audit log, a file with one line per query.

SEP's ``audit-log`` event listener (``event-listener.name=audit-log``) writes to ``audit-log.path``
(default ``var/log/presto/security.log``), rotating daily and at ``audit-log.max-size`` (100MB),
keeping ``audit-log.max-history`` (30) compressed files. Each line is tab-separated: ISO-8601
timestamp (``+0000``, no colon), user, query id, SQL (SEP 347-e docs, ``security/audit``)::

    2020-04-06T17:33:23+0000<TAB>admin<TAB>20200406_173323_00003_sae98<TAB>select * from customer

SEP cannot run here: this reader follows that page only and was not checked against a live SEP.
Where the page is silent the reader decides, and says so:

- Everything after the third tab is the SQL, tabs included.
- The query text is assumed to be written as-is, so a multi-line statement continues on lines with
  no timestamp or query id; such lines are joined (with ``\\n``) to the entry before them.
- A line before any entry (a file cut mid-statement) is dropped, and so is a line that starts like
  a record but is not one (a partial last line, another log's line); the latter also ends the entry
  before it, so a foreign line is never read as SQL.
- Rotated files are the current file's siblings whose names start with its name (airlift's
  rolling handler names them ``security.log-2020-04-06.0.log.gz``); ``.gz`` ones are read with gzip.

The log has no completion state, no error, no source and only one user, so most audit checks can
judge little from it: ``LACKS`` names every ``AuditEvent`` field it cannot supply, and why.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import docker
from docker.errors import DockerException

from trino_harness.audit.reader import AuditEvent

# Trino's query id: creation time (yyyyMMdd_HHmmss), a counter, the coordinator's id.
_QUERY_ID = re.compile(r"\d{8}_\d{6}_\d{5}_[0-9a-z]+")
# A line that starts like a record: an ISO-8601 date-time, then a tab.
_RECORD_START = re.compile(r"\d{4}-\d{2}-\d{2}T[^\t]*\t")

SUPPLIES: frozenset[str] = frozenset({"event_type", "query_id", "user", "query"})
"""The ``AuditEvent`` fields an entry fills (``event_type`` is always ``completed``)."""

LACKS: dict[str, str] = {
    "principal": "one user column, not documented as the authenticated principal or the session "
    "user; with impersonation the two differ and the log cannot show which it wrote",
    "source": "the line has no client source (X-Trino-Source)",
    "client_info": "the line has no client info (X-Trino-Client-Info)",
    "state": "the line has no query state: a failed query cannot be told from a finished one",
    "error_code": "the line has no error code",
    "error_type": "the line has no error type",
    "failure_message": "the line has no failure message",
    "create_time": "the line's timestamp is not documented as creation or completion time "
    "(kept on QueryAuditEntry.time)",
    "execution_start_time": "the line has no execution start time",
    "end_time": "the line's timestamp is not documented as completion time (kept on QueryAuditEntry.time)",
    "received_at": "no collector receives the events: the listener writes the file itself",
    "remote_client_address": "the line has no client address",
}
"""``AuditEvent`` field -> why the query audit log cannot supply it, so checks skip or narrow."""


class QueryAuditLogUnavailable(RuntimeError):
    """The query audit log could not be read (missing file, unreadable archive, container gone)."""


@dataclass(frozen=True)
class QueryAuditEntry:
    time: datetime  # when the listener wrote the line; aware
    user: str | None
    query_id: str
    sql: str


def parse_line(line: str) -> QueryAuditEntry | None:
    """One entry's first line, or None when the line does not start an entry."""
    fields = line.rstrip("\r\n").split("\t", 3)
    if len(fields) < 4 or not _QUERY_ID.fullmatch(fields[2]):
        return None
    try:
        when = datetime.fromisoformat(fields[0])
    except ValueError:
        return None
    if when.tzinfo is None:  # the documented format always carries an offset
        return None
    return QueryAuditEntry(when, fields[1] or None, fields[2], fields[3])


def parse_lines(lines: Iterable[str]) -> Iterator[QueryAuditEntry]:
    """The entries of consecutive lines, continuation lines joined to the SQL before them."""
    current: QueryAuditEntry | None = None
    for line in lines:
        entry = parse_line(line)
        if entry is not None:
            if current is not None:
                yield current
            current = entry
        elif _RECORD_START.match(line):  # looks like a record but is not one: foreign or partial
            if current is not None:
                yield current
            current = None
        elif current is not None:
            text = line.rstrip("\r\n")
            current = QueryAuditEntry(current.time, current.user, current.query_id, f"{current.sql}\n{text}")
    if current is not None:
        yield current


def to_event(entry: QueryAuditEntry) -> AuditEvent:
    """The entry as the harness's audit event; every field in ``LACKS`` is None.

    The one line per query is taken as the query's record, so it is a ``completed`` event: that is
    the event audit checks wait for. Its timestamp is not mapped to a time field (see ``LACKS``).
    """
    return AuditEvent(
        event_type="completed",
        query_id=entry.query_id,
        user=entry.user,
        principal=None,
        source=None,
        client_info=None,
        query=entry.sql,
        state=None,
        error_code=None,
        create_time=None,
        end_time=None,
        received_at=None,
    )


def events_for(entries: Iterable[QueryAuditEntry], query_id: str) -> list[AuditEvent]:
    """The events of ``query_id`` among ``entries``, in their order."""
    return [to_event(entry) for entry in entries if entry.query_id == query_id]


@dataclass(frozen=True)
class QueryAuditLogSource:
    """Where the query audit log is: a file inside a container the harness may exec in, or
    (``container`` None) a local file or directory, e.g. where a remote cluster's logs are shipped."""

    container: str | None
    path: str


class QueryAuditLogReader(Protocol):
    def entries(self, query_id: str) -> list[QueryAuditEntry]:
        """Every entry of ``query_id``, oldest first."""
        ...

    def entries_mentioning(self, text: str) -> list[QueryAuditEntry]:
        """Every entry whose SQL contains ``text``, oldest first."""
        ...


class QueryAuditLog:
    """An ``AuditReader`` over the query audit log, wherever the file is read from."""

    def __init__(self, log: QueryAuditLogReader) -> None:
        self._log = log

    def events(self, query_id: str) -> list[AuditEvent]:
        return [to_event(entry) for entry in self._log.entries(query_id)]

    def events_mentioning(self, text: str) -> list[AuditEvent]:
        return [to_event(entry) for entry in self._log.entries_mentioning(text)]

    @property
    def lacks(self) -> dict[str, str]:
        return dict(LACKS)

    def events_of(self, query_ids: list[str]) -> list[AuditEvent]:
        return [event for query_id in dict.fromkeys(query_ids) for event in self.events(query_id)]


class FileQueryAuditLog:
    """A local copy: the current file and its rotated siblings, or every file of a directory.

    An empty directory is an error, not an empty log: "no entry mentions X" must not pass because
    nothing was shipped.
    """

    def __init__(self, path: str) -> None:
        self._path = Path(path)

    def _files(self) -> list[Path]:
        try:
            if self._path.is_dir():
                files = [p for p in self._path.iterdir() if p.is_file()]
                if not files:
                    raise QueryAuditLogUnavailable(f"{self._path}: no audit log files in the directory")
            else:
                if not self._path.is_file():
                    raise QueryAuditLogUnavailable(f"{self._path}: no such file")
                name = self._path.name
                rotated = [
                    p
                    for p in self._path.parent.iterdir()
                    if p.name.startswith(name) and p.name != name and p.is_file()
                ]
                files = [*rotated, self._path]
            # Oldest first: rotated files by when they were closed, the current file last.
            return sorted(files, key=lambda p: (p == self._path, p.stat().st_mtime, p.name))
        except OSError as exc:
            raise QueryAuditLogUnavailable(f"{self._path}: {exc}") from exc

    def _all(self) -> list[QueryAuditEntry]:
        entries: list[QueryAuditEntry] = []
        for file in self._files():
            try:
                if file.suffix == ".gz":
                    with gzip.open(file, "rt", encoding="utf-8", errors="replace") as fh:
                        entries.extend(parse_lines(fh))
                else:
                    with open(file, encoding="utf-8", errors="replace") as fh:
                        entries.extend(parse_lines(fh))
            except (OSError, EOFError) as exc:  # BadGzipFile is an OSError; a cut archive, EOFError
                raise QueryAuditLogUnavailable(f"{file}: {exc}") from exc
        return sorted(entries, key=lambda e: e.time)  # stable: same-second lines keep file order

    def entries(self, query_id: str) -> list[QueryAuditEntry]:
        return [entry for entry in self._all() if entry.query_id == query_id]

    def entries_mentioning(self, text: str) -> list[QueryAuditEntry]:
        return [entry for entry in self._all() if text in entry.sql]


class ContainerQueryAuditLog:
    """The current log file inside a container, read through ``docker exec``.

    Only the current file is read, not the rotated ones: it rotates daily, so a suite run that
    crosses midnight would miss its earlier entries. ``grep -F`` first decides cheaply whether any
    line holds the text; only then is the file read whole, because a statement's continuation
    lines carry no query id and a match on one needs the line that starts its entry.
    """

    def __init__(self, source: QueryAuditLogSource) -> None:
        assert source.container is not None
        self._path = source.path
        self._container: str = source.container

    def _exec(self, command: list[str]) -> tuple[int, str, str]:
        client = docker.from_env(timeout=30)
        try:
            code, (out, err) = client.containers.get(self._container).exec_run(command, demux=True)
        except DockerException as exc:
            raise QueryAuditLogUnavailable(f"{self._container}:{self._path}: {exc}") from exc
        finally:
            client.close()
        return code, (out or b"").decode(errors="replace"), (err or b"").decode(errors="replace")

    def _mentioning(self, text: str) -> list[QueryAuditEntry]:
        code, _, err = self._exec(["grep", "-q", "-F", "-e", text, "--", self._path])
        if code == 1:  # grep: no line holds the text, so no entry does
            return []
        if code != 0:
            raise QueryAuditLogUnavailable(f"{self._container}:{self._path}: {err.strip()}")
        code, out, err = self._exec(["cat", "--", self._path])
        if code != 0:
            raise QueryAuditLogUnavailable(f"{self._container}:{self._path}: {err.strip()}")
        return list(parse_lines(out.splitlines()))

    def entries(self, query_id: str) -> list[QueryAuditEntry]:
        return [entry for entry in self._mentioning(query_id) if entry.query_id == query_id]

    def entries_mentioning(self, text: str) -> list[QueryAuditEntry]:
        return [entry for entry in self._mentioning(text) if text in entry.sql]


def reader_for(source: QueryAuditLogSource) -> QueryAuditLog:
    """The audit reader for where the target says its query audit log is."""
    if source.container is None:
        return QueryAuditLog(FileQueryAuditLog(source.path))
    return QueryAuditLog(ContainerQueryAuditLog(source))
