"""Read a Starburst Enterprise cluster's audit records from its event logger's table.

SEP's event logger (``event-listener.name=event-logger``) writes each completed query as one row of
``completed_queries`` in a database. The columns come from Starburst's public documentation
(SEP 347-e, ``security/event-logger``); newer releases add ``failure_info`` (JSON with the error
code), ``query_type``, ``planning_time`` and ``scheduled_time``. This reader was tested only against
a table of that shape filled from real Trino events (the harness's collector writes it as a second
sink); it was **not** checked against a live SEP.

What the table cannot tell is named in :attr:`StarburstEventLoggerReader.lacks`, so an audit check
judges what it can and says what it could not.
"""

from __future__ import annotations

import json
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row

from trino_harness.audit.reader import AuditEvent
from trino_harness.postgres import connect_verified
from trino_harness.target import AuditDatabase

DEFAULT_TABLE = "completed_queries"
_COLUMNS = (
    "query_id, usr, principal, source, client_info, query, query_state, create_time, end_time, "
    "remote_client_address"
)
_NO_START = "the Starburst event logger records no execution start time (only create_time, end_time)"
_NO_FAILURE = (
    "this completed_queries table has no failure_info column (SEP releases before it was added): "
    "the error code is not recorded"
)


class StarburstEventLoggerReader:
    """``completed_queries`` (or the profile's ``audit.table``): every row is a completed event.

    The effective user is the ``usr`` column; there is no original-user column, which no harness
    check needs (``principal`` is the authenticated identity, ``usr`` whom the query ran as).
    """

    def __init__(self, db: AuditDatabase) -> None:
        self._db = db
        self._table = sql.Identifier(*(db.table or DEFAULT_TABLE).split("."))
        self._has_failure_info: bool | None = None

    @property
    def lacks(self) -> dict[str, str]:
        """AuditEvent fields this store cannot supply, each with the reason."""
        missing = {"execution_start_time": _NO_START, "received_at": "the table records no arrival time"}
        if self._has_failure_info is False:
            missing.update(
                {"error_code": _NO_FAILURE, "error_type": _NO_FAILURE, "failure_message": _NO_FAILURE}
            )
        return missing

    def _select(self, where: sql.Composable, value: object) -> list[AuditEvent]:
        with connect_verified(self._db, row_factory=dict_row) as conn:
            if self._has_failure_info is None:
                probe = conn.execute(sql.SQL("SELECT * FROM {} LIMIT 0").format(self._table))
                self._has_failure_info = "failure_info" in [c.name for c in probe.description or ()]
            columns = _COLUMNS + (", failure_info" if self._has_failure_info else "")
            rows = conn.execute(
                sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY end_time").format(
                    sql.SQL(columns), self._table, where
                ),
                (value,),
            ).fetchall()
        return [_event(row) for row in rows]

    def events(self, query_id: str) -> list[AuditEvent]:
        return self._select(sql.SQL("query_id = %s"), query_id)

    def events_mentioning(self, text: str) -> list[AuditEvent]:
        return self._select(sql.SQL("strpos(query, %s) > 0"), text)

    def events_of(self, query_ids: list[str]) -> list[AuditEvent]:
        return self._select(sql.SQL("query_id = ANY(%s)"), list(query_ids))


def _event(row: dict[str, Any]) -> AuditEvent:
    failure = _failure(row.get("failure_info"))
    error = failure.get("errorCode") or {}
    return AuditEvent(
        event_type="completed",
        query_id=row["query_id"],
        user=row["usr"],
        principal=row["principal"],
        source=row["source"],
        client_info=row["client_info"],
        query=row["query"],
        state=row["query_state"],
        error_code=error.get("name"),
        create_time=row["create_time"],
        end_time=row["end_time"],
        received_at=None,
        error_type=error.get("type"),
        failure_message=failure.get("failureMessage"),
        remote_client_address=row["remote_client_address"],
    )


def _failure(text: str | None) -> dict[str, Any]:
    """``failure_info`` as documented (JSON, ``$.errorCode.name``); unreadable text is no failure info."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
