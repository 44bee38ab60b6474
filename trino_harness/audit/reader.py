"""Read audit records through one small interface, whatever store holds them.

Checks ask for "the completed event of query X" and never know which store answered. The
harness's own table is the first reader; a remote cluster's store (Starburst's event logger,
``audit/starburst.py``) is another implementation of the same protocol; ``audit/stores.py``
picks one from the target's audit source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import psycopg
from psycopg.rows import dict_row

from trino_harness.polling import poll
from trino_harness.postgres import connect_verified
from trino_harness.target import AuditDatabase


@dataclass(frozen=True)
class AuditEvent:
    event_type: str
    query_id: str
    user: str | None
    principal: str | None
    source: str | None
    client_info: str | None
    query: str | None
    state: str | None
    error_code: str | None
    create_time: datetime | None
    end_time: datetime | None
    received_at: datetime | None
    execution_start_time: datetime | None = None
    error_type: str | None = None
    failure_message: str | None = None
    remote_client_address: str | None = None  # the peer as Trino saw it (X-Forwarded-For if trusted)


class AuditReader(Protocol):
    @property
    def lacks(self) -> dict[str, str]:
        """AuditEvent fields the store cannot supply (always None), each with the reason."""
        ...

    def events(self, query_id: str) -> list[AuditEvent]:
        """Every stored event of ``query_id``, oldest first."""
        ...

    def events_mentioning(self, text: str) -> list[AuditEvent]:
        """Every stored event whose query text contains ``text`` (to prove that none exists)."""
        ...

    def events_of(self, query_ids: list[str]) -> list[AuditEvent]:
        """Every stored event of any of ``query_ids`` (one round trip: a load run sends thousands)."""
        ...


class HarnessAuditReader:
    """The harness collector's ``trino_query_events`` table in PostgreSQL."""

    def __init__(self, db: AuditDatabase) -> None:
        self._db = db

    @property
    def lacks(self) -> dict[str, str]:
        return {}

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        return connect_verified(self._db, row_factory=dict_row)

    _COLUMNS = """event_type, query_id, query_user AS user, principal, source, client_info, query,
        query_state AS state, error_code, create_time, end_time, received_at, execution_start_time,
        error_type, failure_message, remote_client_address"""

    def _select(self, where: str, value: object) -> list[AuditEvent]:
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {self._COLUMNS} FROM trino_query_events WHERE {where} ORDER BY id", (value,)
            ).fetchall()
        return [AuditEvent(**row) for row in rows]

    def events(self, query_id: str) -> list[AuditEvent]:
        return self._select("query_id = %s", query_id)

    def events_mentioning(self, text: str) -> list[AuditEvent]:
        return self._select("strpos(query, %s) > 0", text)

    def events_of(self, query_ids: list[str]) -> list[AuditEvent]:
        return self._select("query_id = ANY(%s)", list(query_ids))


def wait_for_completed(
    reader: AuditReader, query_id: str, timeout_s: float = 30.0
) -> tuple[list[AuditEvent], float]:
    """Poll until a completed event of ``query_id`` is stored; return all its events and the wait.

    On timeout returns what is there (possibly nothing) so the check can show it as evidence.
    """
    polled = poll(
        lambda: reader.events(query_id),
        lambda events: any(e.event_type == "completed" for e in events),
        timeout_s=timeout_s,
    )
    return polled.value, polled.waited_s
