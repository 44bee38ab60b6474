"""One statement through Trino's client protocol on requests: ``POST /v1/statement``, then the
``nextUri`` walk of :mod:`trino_harness.client_protocol` to the end.

Not the ``trino`` client on purpose: the load figures need the first response's latency as well
as the whole statement's. Only the POST is authenticated (Trino serves the ``queued``/``executing`` nextUri
GETs as public resources guarded by the URI's slug), so the first response carries the
provider's cost; the whole statement is what a user waits for. Locust users and the raw
reference client both use this, so they do the same work per statement.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from trino_harness.client_protocol import STATEMENT_PATH, StatementTooLong, statement_pages

SOURCE = "trino-harness-load"


@dataclass(frozen=True)
class StatementResult:
    started: float  # wall clock (epoch seconds) when the POST was sent
    first_response_ms: float
    total_ms: float
    http_requests: int
    bytes_received: int
    error: str | None = None  # None: the statement FINISHED
    query_id: str | None = None  # None: no query was created (e.g. HTTP 401)
    ended: bool = False  # the server said the query ended (FINISHED or failed), not the client gave up

    @property
    def ok(self) -> bool:
        return self.error is None


def post_statement(
    session: requests.Session, base_url: str, sql: str, headers: dict[str, str], timeout_s: float
) -> requests.Response:
    """The one ``POST /v1/statement`` on a requests session (Locust's, the ``trino`` client's):
    the load users, the running-query fixture and the refused-login probe all start here."""
    return session.post(f"{base_url}{STATEMENT_PATH}", data=sql.encode(), headers=headers, timeout=timeout_s)


def _describe(response: requests.Response) -> str:
    reason = response.reason or ""
    return f"HTTP {response.status_code} {reason}".strip()


def run_statement(
    session: requests.Session,
    base_url: str,
    sql: str,
    headers: dict[str, str] | None = None,
    timeout_s: float = 60.0,
) -> StatementResult:
    """Run ``sql`` to completion; errors are reported in the result, never raised."""
    headers = {"X-Trino-Source": SOURCE, **(headers or {})}
    started = time.time()
    t0 = time.perf_counter()
    first_ms = 0.0
    count = 0
    received = 0
    error: str | None = None
    query_id: str | None = None
    ended = False
    try:
        response = post_statement(session, base_url, sql, headers, timeout_s)
        first_ms = (time.perf_counter() - t0) * 1000
        for page_response, page in statement_pages(
            response, lambda uri: session.get(uri, headers=headers, timeout=timeout_s)
        ):
            count += 1
            received += len(page_response.content)
            if page is None:
                error = _describe(page_response)
                break
            query_id = query_id or page.get("id")
            if page.get("error"):
                failure = page["error"]
                error = f"{failure.get('errorName', 'QUERY_FAILED')}: {failure.get('message', '')}"
                ended = True
                break
        else:
            ended = True
    except (requests.RequestException, ValueError, StatementTooLong) as exc:
        error = f"{type(exc).__name__}: {exc}"
        if not first_ms:
            first_ms = (time.perf_counter() - t0) * 1000
    total_ms = (time.perf_counter() - t0) * 1000
    return StatementResult(started, first_ms, total_ms, count, received, error, query_id, ended)
