"""SEP query audit log lines parse into entries and audit events; anything else is ignored, never misread."""

from __future__ import annotations

import dataclasses
import gzip
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from trino_harness.audit import query_audit_log
from trino_harness.audit.query_audit_log import (
    LACKS,
    SUPPLIES,
    ContainerQueryAuditLog,
    FileQueryAuditLog,
    QueryAuditEntry,
    QueryAuditLogSource,
    QueryAuditLogUnavailable,
    parse_line,
    parse_lines,
    reader_for,
    to_event,
)
from trino_harness.audit.reader import AuditEvent, AuditReader

# The line shape of SEP 347-e's documentation page security/audit.
DOCUMENTED = "2020-04-06T17:33:23+0000\tadmin\t20200406_173323_00003_sae98\tselect * from customer\n"


def _line(second: int, user: str, counter: int, sql: str) -> str:
    query_id = f"20200406_1733{second:02d}_{counter:05d}_sae98"
    return f"2020-04-06T17:33:{second:02d}+0000\t{user}\t{query_id}\t{sql}\n"


def test_documented_example_parses_with_aware_time():
    assert parse_line(DOCUMENTED) == QueryAuditEntry(
        time=datetime(2020, 4, 6, 17, 33, 23, tzinfo=UTC),
        user="admin",
        query_id="20200406_173323_00003_sae98",
        sql="select * from customer",
    )


def test_sql_keeps_its_tabs():
    entry = parse_line("2020-04-06T17:33:23+0000\tadmin\t20200406_173323_00003_sae98\tselect 'a\tb',\t1\n")
    assert entry is not None and entry.sql == "select 'a\tb',\t1"


def test_multi_line_sql_continues_the_entry_before_it():
    lines = [
        _line(23, "admin", 3, "select *"),
        "from customer\n",
        "where name = 'x'\n",
        _line(24, "alice", 4, "select 1"),
    ]
    entries = list(parse_lines(lines))
    assert [e.sql for e in entries] == ["select *\nfrom customer\nwhere name = 'x'", "select 1"]
    assert [e.user for e in entries] == ["admin", "alice"]


def test_foreign_and_partial_lines_are_ignored_and_never_read_as_sql():
    lines = [
        "from an entry cut by rotation\n",  # before any entry: dropped
        _line(23, "admin", 3, "select 1"),
        "2026-11-23T00:04:34.650Z\tINFO\tmain\tio.trino.server.Server\tstarted\n",  # another log's line
        "this line follows a foreign one\n",
        _line(24, "alice", 4, "select 2"),
        "2020-04-06T17:33:25+0000\tbob",  # partial last line
    ]
    assert [(e.user, e.sql) for e in parse_lines(lines)] == [("admin", "select 1"), ("alice", "select 2")]
    # no offset, no time, no query id
    assert parse_line("2020-04-06T17:33:23\tadmin\t20200406_173323_00003_sae98\tselect 1") is None
    assert parse_line("not-a-time\tadmin\t20200406_173323_00003_sae98\tselect 1") is None
    assert parse_line("2020-04-06T17:33:23+0000\tadmin\tnot-a-query-id\tselect 1") is None


def test_reads_rotated_and_gzip_files_beside_the_current_one_oldest_first(tmp_path: Path):
    older = tmp_path / "security.log-2020-04-05.0.log.gz"
    with gzip.open(older, "wt", encoding="utf-8") as fh:
        fh.write(_line(21, "admin", 1, "select 'gz'\nfrom t"))
    plain = tmp_path / "security.log-2020-04-05.1.log"
    plain.write_text(_line(22, "admin", 2, "select 'plain'"))
    current = tmp_path / "security.log"
    current.write_text(_line(23, "admin", 3, "select 'current'"))
    (tmp_path / "server.log").write_text(_line(20, "admin", 9, "select 'not an audit file'"))
    for age, path in enumerate([current, plain, older]):
        os.utime(path, (1_000_000 - age, 1_000_000 - age))

    file_log = FileQueryAuditLog(str(current))
    assert [e.sql for e in file_log.entries_mentioning("select")] == [
        "select 'gz'\nfrom t",
        "select 'plain'",
        "select 'current'",
    ]
    assert [e.sql for e in file_log.entries("20200406_173321_00001_sae98")] == ["select 'gz'\nfrom t"]
    every_file = FileQueryAuditLog(str(tmp_path))
    assert len(every_file.entries_mentioning("select")) == 4


def test_audit_reader_finds_events_by_query_id_and_by_text(tmp_path: Path):
    log = tmp_path / "security.log"
    log.write_text(_line(23, "admin", 3, "select 'secret-marker'") + _line(24, "alice", 4, "select 1"))
    reader: AuditReader = reader_for(QueryAuditLogSource(container=None, path=str(log)))

    assert reader.events("20200406_173324_00004_sae98") == [
        AuditEvent(
            event_type="completed",
            query_id="20200406_173324_00004_sae98",
            user="alice",
            principal=None,
            source=None,
            client_info=None,
            query="select 1",
            state=None,
            error_code=None,
            create_time=None,
            end_time=None,
            received_at=None,
        )
    ]
    assert [e.user for e in reader.events_mentioning("secret-marker")] == ["admin"]
    assert reader.events_mentioning("never-sent") == []


def test_every_audit_event_field_is_either_supplied_or_lacking_with_a_reason():
    fields = {f.name for f in dataclasses.fields(AuditEvent)}
    assert SUPPLIES | LACKS.keys() == fields
    assert not SUPPLIES & LACKS.keys()
    assert all(reason.strip() for reason in LACKS.values())
    event = to_event(parse_line(DOCUMENTED))  # type: ignore[arg-type]
    assert all(getattr(event, name) is None for name in LACKS)


def test_missing_file_or_empty_directory_raises_with_the_path(tmp_path: Path):
    missing = tmp_path / "var" / "log" / "presto" / "security.log"
    with pytest.raises(QueryAuditLogUnavailable, match=r"security\.log"):
        reader_for(QueryAuditLogSource(None, str(missing))).events("20200406_173323_00003_sae98")
    with pytest.raises(QueryAuditLogUnavailable, match=re.escape(str(tmp_path))):
        FileQueryAuditLog(str(tmp_path)).entries_mentioning("select")


def test_cut_gzip_archive_raises_rather_than_reading_as_empty(tmp_path: Path):
    (tmp_path / "security.log").write_text(DOCUMENTED)
    archive = gzip.compress(_line(22, "admin", 2, "select 2").encode())
    (tmp_path / "security.log-2020-04-05.0.log.gz").write_bytes(archive[: len(archive) // 2])
    with pytest.raises(QueryAuditLogUnavailable, match="2020-04-05"):
        FileQueryAuditLog(str(tmp_path / "security.log")).entries_mentioning("select")


class _FakeContainer:
    """Runs ``grep -q -F`` and ``cat`` over an in-memory file, as ``docker exec`` would."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.commands: list[list[str]] = []

    def exec_run(self, command: list[str], demux: bool) -> tuple[int, tuple[bytes | None, bytes | None]]:
        self.commands.append(command)
        if self.text is None:
            return 2, (None, f"{command[0]}: {command[-1]}: No such file or directory\n".encode())
        if command[0] == "grep":
            return (0 if command[4] in self.text else 1), (None, None)
        return 0, (self.text.encode(), None)


def _container_log(monkeypatch: pytest.MonkeyPatch, container: _FakeContainer) -> ContainerQueryAuditLog:
    client = SimpleNamespace(containers=SimpleNamespace(get=lambda name: container), close=lambda: None)
    monkeypatch.setattr(query_audit_log.docker, "from_env", lambda timeout: client)
    return ContainerQueryAuditLog(QueryAuditLogSource("coordinator", "/var/log/presto/security.log"))


def test_container_log_reads_the_file_only_when_a_line_holds_the_text(monkeypatch: pytest.MonkeyPatch):
    container = _FakeContainer(_line(23, "admin", 3, "select *\nfrom 'secret-marker'"))
    log = _container_log(monkeypatch, container)

    assert log.entries_mentioning("never-sent") == []
    assert [c[0] for c in container.commands] == ["grep"]
    assert [e.sql for e in log.entries_mentioning("secret-marker")] == ["select *\nfrom 'secret-marker'"]
    assert [c[0] for c in container.commands] == ["grep", "grep", "cat"]


def test_container_log_missing_file_raises_with_the_path(monkeypatch: pytest.MonkeyPatch):
    log = _container_log(monkeypatch, _FakeContainer(None))
    with pytest.raises(QueryAuditLogUnavailable, match=r"coordinator:/var/log/presto/security\.log"):
        log.entries("20200406_173323_00003_sae98")


def test_the_query_audit_log_is_an_audit_reader_naming_what_it_lacks(tmp_path):
    from trino_harness.audit.query_audit_log import LACKS, FileQueryAuditLog, QueryAuditLog

    log = tmp_path / "security.log"
    log.write_text("2020-04-06T17:33:23+0000\tadmin\t20200406_173323_00003_sae98\tselect 1\n")
    reader = QueryAuditLog(FileQueryAuditLog(str(log)))
    assert reader.lacks == LACKS and "state" in reader.lacks
    assert [e.query_id for e in reader.events_of(["20200406_173323_00003_sae98", "nope"])] == [
        "20200406_173323_00003_sae98"
    ]
