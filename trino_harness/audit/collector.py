"""Audit collector: Trino's HTTP event listener posts query events here; each is stored in PostgreSQL.

Runs inside the collector container on Debian's python3 and python3-psycopg only, as one file
(hence over the house's 300 lines: its schema, both sinks and its server travel together). Each event
keeps its raw JSON next to extracted columns. A database error answers 500 so the listener's
retry policy applies instead of the event being silently dropped.

A completed event is also written, in the same transaction, as a row of ``completed_queries`` in the
shape Starburst Enterprise's event logger documents (SEP 347-e, ``security/event-logger``; newer
releases add ``query_type``, ``failure_info``, ``planning_time``, ``scheduled_time``). That second
sink is what the harness's reader for a Starburst cluster is tested against
(``trino_harness/audit/starburst.py``); SEP itself cannot run here.

Configuration: /harness/audit/collector.json (host, port, dbname, user, password, sslrootcert, and
tls_cert/tls_key for the HTTPS listener on 8443).
"""

from __future__ import annotations

import json
import queue
import ssl
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

CONFIG_PATH = "/harness/audit/collector.json"
SOCKET_TIMEOUT_S = 60
IDLE_CONNECTIONS = 8  # kept open between events

SCHEMA = """
CREATE TABLE IF NOT EXISTS trino_query_events (
    id                    bigserial PRIMARY KEY,
    received_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    event_type            text NOT NULL CHECK (event_type IN ('created', 'completed')),
    query_id              text NOT NULL,
    query_user            text,
    principal             text,
    original_user         text,
    source                text,
    client_info           text,
    user_agent            text,
    remote_client_address text,
    query                 text,
    query_state           text,
    error_code            text,
    error_type            text,
    failure_message       text,
    create_time           timestamptz,
    execution_start_time  timestamptz,
    end_time              timestamptz,
    server_version        text,
    payload               jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS trino_query_events_query_id ON trino_query_events (query_id);
CREATE TABLE IF NOT EXISTS completed_queries (
    query_id text NOT NULL, catalog text, schema text, principal text, user_agent text,
    client_info text, source text, environment text, remote_client_address text,
    server_version text, usr text, query_state text, query text, query_plan text,
    total_rows bigint, total_bytes bigint, output_rows bigint, output_bytes bigint,
    written_rows bigint, written_bytes bigint, cpu_time_ms bigint, wall_time_ms bigint,
    queued_time_ms bigint, peak_user_memory_bytes bigint, peak_total_non_revocable_memory_bytes bigint,
    peak_task_user_memory bigint, peak_task_total_memory bigint, physical_input_bytes bigint,
    physical_input_rows bigint, internal_network_bytes bigint, internal_network_rows bigint,
    cumulative_memory double precision, completed_splits bigint, plan_node_stats_and_costs text,
    stage_gc_statistics text, cpu_time_distribution text, operator_summaries text,
    resource_waiting_time bigint, analysis_time bigint, execution_time bigint,
    create_time timestamptz, end_time timestamptz, accessed_metadata text,
    query_type text, failure_info text, planning_time bigint, scheduled_time bigint
);
CREATE INDEX IF NOT EXISTS completed_queries_query_id ON completed_queries (query_id);
"""

# The Starburst event logger's documented columns this collector can fill from a completed event.
STARBURST_INSERT = """
INSERT INTO completed_queries (
    query_id, catalog, schema, principal, user_agent, client_info, source, environment,
    remote_client_address, server_version, usr, query_state, query, query_plan, total_rows,
    total_bytes, output_rows, output_bytes, written_rows, written_bytes, physical_input_bytes,
    physical_input_rows, internal_network_bytes, internal_network_rows, cumulative_memory,
    completed_splits, create_time, end_time, query_type, failure_info)
VALUES (%(query_id)s, %(catalog)s, %(schema)s, %(principal)s, %(user_agent)s, %(client_info)s,
    %(source)s, %(environment)s, %(remote_client_address)s, %(server_version)s, %(usr)s,
    %(query_state)s, %(query)s, %(query_plan)s, %(total_rows)s, %(total_bytes)s, %(output_rows)s,
    %(output_bytes)s, %(written_rows)s, %(written_bytes)s, %(physical_input_bytes)s,
    %(physical_input_rows)s, %(internal_network_bytes)s, %(internal_network_rows)s,
    %(cumulative_memory)s, %(completed_splits)s, %(create_time)s, %(end_time)s, %(query_type)s,
    %(failure_info)s)
"""

INSERT = """
INSERT INTO trino_query_events (
    event_type, query_id, query_user, principal, original_user, source, client_info, user_agent,
    remote_client_address, query, query_state, error_code, error_type, failure_message,
    create_time, execution_start_time, end_time, server_version, payload)
VALUES (%(event_type)s, %(query_id)s, %(query_user)s, %(principal)s, %(original_user)s, %(source)s,
    %(client_info)s, %(user_agent)s, %(remote_client_address)s, %(query)s, %(query_state)s,
    %(error_code)s, %(error_type)s, %(failure_message)s, %(create_time)s, %(execution_start_time)s,
    %(end_time)s, %(server_version)s, %(payload)s)
"""


def _instant(value: Any) -> datetime | str | None:
    """Jackson writes ``Instant`` as ISO text or as epoch seconds; accept both."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    return str(value)


def extract(event: dict[str, Any]) -> dict[str, Any]:
    """Map one QueryCreatedEvent or QueryCompletedEvent payload onto the table's columns."""
    context = event.get("context") or {}
    metadata = event.get("metadata") or {}
    failure = event.get("failureInfo") or {}
    error = failure.get("errorCode") or {}
    completed = "endTime" in event or "statistics" in event
    return {
        "event_type": "completed" if completed else "created",
        "query_id": metadata.get("queryId"),
        "query_user": context.get("user"),
        "principal": context.get("principal"),
        "original_user": context.get("originalUser"),
        "source": context.get("source"),
        "client_info": context.get("clientInfo"),
        "user_agent": context.get("userAgent"),
        "remote_client_address": context.get("remoteClientAddress"),
        "query": metadata.get("query"),
        "query_state": metadata.get("queryState"),
        "error_code": error.get("name"),
        "error_type": error.get("type"),
        "failure_message": failure.get("failureMessage"),
        "create_time": _instant(event.get("createTime")),
        "execution_start_time": _instant(event.get("executionStartTime")),
        "end_time": _instant(event.get("endTime")),
        "server_version": context.get("serverVersion"),
        "payload": json.dumps(event),
    }


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def starburst_row(event: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """A completed event as a row of Starburst's ``completed_queries`` (``row`` is its :func:`extract`)."""
    context = event.get("context") or {}
    metadata = event.get("metadata") or {}
    stats = event.get("statistics") or {}
    failure = event.get("failureInfo")
    counters = {
        "total_rows": "totalRows",
        "total_bytes": "totalBytes",
        "output_rows": "outputRows",
        "output_bytes": "outputBytes",
        "written_rows": "writtenRows",
        "written_bytes": "writtenBytes",
        "physical_input_bytes": "physicalInputBytes",
        "physical_input_rows": "physicalInputRows",
        "internal_network_bytes": "internalNetworkBytes",
        "internal_network_rows": "internalNetworkRows",
        "cumulative_memory": "cumulativeMemory",
        "completed_splits": "completedSplits",
    }
    return {
        **{column: _number(stats.get(key)) for column, key in counters.items()},
        "query_id": row["query_id"],
        "catalog": context.get("catalog"),
        "schema": context.get("schema"),
        "principal": row["principal"],
        "user_agent": row["user_agent"],
        "client_info": row["client_info"],
        "source": row["source"],
        "environment": context.get("environment"),
        "remote_client_address": row["remote_client_address"],
        "server_version": row["server_version"],
        "usr": row["query_user"],
        "query_state": row["query_state"],
        "query": row["query"],
        "query_plan": metadata.get("plan"),
        "create_time": row["create_time"],
        "end_time": row["end_time"],
        "query_type": context.get("queryType"),
        "failure_info": json.dumps(failure) if failure else None,
    }


class Collector:
    def __init__(self, config: dict[str, Any]) -> None:
        self._conninfo = make_conninfo(
            host=config["host"],
            port=config["port"],
            dbname=config["dbname"],
            user=config["user"],
            password=config["password"],
            sslmode="verify-full",
            sslrootcert=config["sslrootcert"],
            connect_timeout=10,
        )
        self._idle: queue.SimpleQueue[psycopg.Connection[Any]] = queue.SimpleQueue()
        # PostgreSQL may still be starting: retry the first connection for a bounded time (a loop of
        # its own: this file runs alone in its container, without the harness's polling module).
        deadline = time.monotonic() + 90
        while True:
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(SCHEMA)
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise SystemExit(f"audit collector: PostgreSQL unreachable: {exc}") from exc
                time.sleep(0.5)

    def store(self, event: dict[str, Any]) -> dict[str, Any]:
        row = extract(event)
        if not row["query_id"]:
            raise ValueError("event without metadata.queryId")
        conn = self._checkout()
        try:
            with conn.transaction():  # one transaction: both sinks or neither
                conn.execute(INSERT, row)
                if row["event_type"] == "completed":
                    conn.execute(STARBURST_INSERT, starburst_row(event, row))
        except BaseException:
            conn.close()  # a connection that failed once is not trusted again
            raise
        if self._idle.qsize() < IDLE_CONNECTIONS:
            self._idle.put(conn)
        else:  # a burst's extra connections are not held against PostgreSQL's max_connections
            conn.close()
        return row

    def _checkout(self) -> psycopg.Connection[Any]:
        """An idle connection, or a new one: a TLS handshake and a login per event is what made a
        burst of events queue up behind the database."""
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return psycopg.connect(self._conninfo, autocommit=True)
            if not conn.closed:
                return conn


def make_handler(collector: Collector) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                event = json.loads(self.rfile.read(length))
                row = collector.store(event)
            except (ValueError, json.JSONDecodeError) as exc:
                print(f"rejected event: {exc}", flush=True)
                self.send_response(400)
            except psycopg.Error as exc:
                print(f"database error, asking for a retry: {type(exc).__name__}", flush=True)
                self.send_response(500)
            else:
                print(f"stored {row['event_type']} event {row['query_id']}", flush=True)
                self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # request lines are noise here
            pass

    return Handler


class Server(ThreadingHTTPServer):
    """A threaded server whose TLS handshake runs in each connection's thread, not in accept().

    Wrapping the listening socket would make accept() do every handshake in turn, on one thread:
    under a burst of events (a load run, the first seconds of a suite run) the kernel's accept
    queue then overflows, the listener's SYN is dropped and retransmitted after 1, 3, 7 ... 63 s,
    and an event lands a minute late. The queue is also made deep enough for such a burst.
    """

    request_queue_size = 1024
    daemon_threads = True

    def __init__(
        self,
        port: int,
        handler: type[BaseHTTPRequestHandler],
        tls: ssl.SSLContext | None,
        host: str = "0.0.0.0",
    ) -> None:
        super().__init__((host, port), handler)
        self._tls = tls

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(SOCKET_TIMEOUT_S)  # a peer that stalls cannot hold a thread for ever
        if self._tls is None:
            super().finish_request(request, client_address)
            return
        try:  # wrap_socket detaches the raw socket: the wrapper is the one to shut down
            secured = self._tls.wrap_socket(request, server_side=True)
        except OSError as exc:  # ssl.SSLError is an OSError
            print(f"TLS handshake with {client_address[0]} failed: {exc}", flush=True)
            return
        try:
            super().finish_request(secured, client_address)
        finally:
            self.shutdown_request(secured)


def main() -> int:
    with open(CONFIG_PATH) as fh:
        config = json.load(fh)
    collector = Collector(config)
    handler = make_handler(collector)
    # Plain HTTP stays open so a variant that posts in cleartext is caught by the config check,
    # not by missing events; the reference coordinator posts to the HTTPS port only.
    plain = Server(8080, handler, None)
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    if config.get("tls_cert"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(config["tls_cert"], config["tls_key"])
        https = Server(8443, handler, context)
        print("audit collector listening on :8443 (HTTPS) and :8080", flush=True)
        https.serve_forever()
    print("audit collector listening on :8080", flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
