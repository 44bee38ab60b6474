"""Keep one query of a given owner running while a check looks at it, then make sure it is gone.

The query cross-joins ``tpch.tiny.nation`` with itself seven times (25^7 rows) and the harness
never fetches its rows: once its output buffer is full it waits, RUNNING, at little CPU cost. It
needs only SELECT on that one table, which every user of the baseline has, so the owner's query
starts whatever groups the owner has. On exit it is cancelled as its owner
(if nothing killed it first) and the exit waits, bounded, until the server reports it done.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import requests

from trino_harness.client_protocol import StatementTooLong, statement_pages
from trino_harness.clients import authentication, http_session
from trino_harness.load.protocol import post_statement
from trino_harness.polling import poll
from trino_harness.scenario.model import Principal
from trino_harness.target import Target

SOURCE = "trino-harness-running-query"
DONE = ("FINISHED", "FAILED")


class QueryDidNotRun(RuntimeError):
    """The long-running query could not be started, or would not stop."""


@dataclass
class RunningQuery:
    query_id: str
    sql: str
    session: requests.Session = field(repr=False)
    url: str = field(repr=False)
    next_uri: str | None = field(default=None, repr=False)

    def info(self) -> dict:
        """The owner's view of the query (``GET /v1/query/{id}``)."""
        response = self.session.get(f"{self.url}/v1/query/{self.query_id}", timeout=30)
        response.raise_for_status()
        return response.json()

    def state(self) -> tuple[str, str | None]:
        """(state, error name) as the server reports them to the owner."""
        info = self.info()
        return info["state"], (info.get("errorCode") or {}).get("name")

    def wait_done(self, timeout_s: float) -> tuple[str, str | None]:
        """Poll until the query has ended; return its last (state, error name)."""
        return poll(self.state, lambda state: state[0] in DONE, timeout_s=timeout_s).value


def _start(target: Target, owner: Principal, timeout_s: float) -> RunningQuery:
    session = http_session(target)
    authentication(target, owner).set_http_session(session)
    tables = ", ".join(f"tpch.tiny.nation n{i}" for i in range(7))
    sql = f"SELECT '{uuid.uuid4().hex}' AS trino_harness_marker, n0.name FROM {tables}"
    response = post_statement(session, target.url, sql, {"X-Trino-Source": SOURCE}, timeout_s=30)
    if response.status_code != 200:
        raise QueryDidNotRun(
            f"POST /v1/statement as {owner.label()}: HTTP {response.status_code} {response.text}"
        )
    query = RunningQuery(response.json()["id"], sql, session, target.url)
    try:
        for answer, page in statement_pages(response, lambda uri: session.get(uri, timeout=30), timeout_s):
            if page is None or "error" in page:
                detail = f"HTTP {answer.status_code}" if page is None else page["error"]
                raise QueryDidNotRun(f"query {query.query_id} as {owner.label()} ended: {detail}")
            query.next_uri = page.get("nextUri")
            if page.get("stats", {}).get("state") == "RUNNING":
                return query
    except StatementTooLong as exc:
        raise QueryDidNotRun(f"query {query.query_id} not RUNNING: {exc}") from None
    raise QueryDidNotRun(f"query {query.query_id} as {owner.label()} finished before it was seen RUNNING")


@contextmanager
def running_query(target: Target, owner: Principal, timeout_s: float = 60.0) -> Iterator[RunningQuery]:
    """A RUNNING query owned by ``owner`` for the duration of the block; cancelled and gone afterwards."""
    query = _start(target, owner, timeout_s)
    try:
        yield query
    finally:
        if query.state()[0] not in DONE and query.next_uri:
            query.session.delete(query.next_uri, timeout=30)  # the client protocol's cancel
        state, _ = query.wait_done(timeout_s)
        query.session.close()
        if state not in DONE:
            raise QueryDidNotRun(f"query {query.query_id} still {state} {timeout_s:.0f}s after cancelling it")
