"""Attempt a login that must fail, the way a client would, tagged so the server's records can be found.

Each attempt sends ``POST /v1/statement`` with a unique ``User-Agent`` that is also the SQL text's
marker: the request log is searched by the agent, the query list and the audit store by the text.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from trino.auth import Authentication, BasicAuthentication, JWTAuthentication

from trino_harness.clients import authentication, http_session, mint_jwt
from trino_harness.load.protocol import post_statement
from trino_harness.redaction import redact
from trino_harness.scenario.model import AuthFailureRow, Principal
from trino_harness.target import Target

SOURCE = "trino-harness-login-attempt"


@dataclass(frozen=True)
class LoginAttempt:
    marker: str  # the User-Agent sent, and a literal in the SQL text
    status: int
    body: str
    query_id: str | None

    def __str__(self) -> str:
        query = f", query {self.query_id}" if self.query_id else ", no query id"
        return f"HTTP {self.status}: {redact(self.body)[:200]!r}{query}"


def _credentials(target: Target, row: AuthFailureRow) -> Authentication:
    if row.attempt == "wrong_password":
        return BasicAuthentication(row.principal, f"not-the-password-{uuid.uuid4().hex}")
    if row.attempt == "expired_token":
        now = int(time.time())
        return JWTAuthentication(mint_jwt(target, row.principal, iat=now - 600, exp=now - 120))
    return authentication(target, Principal(provider=row.provider, principal=row.principal))


def attempt_login(target: Target, row: AuthFailureRow) -> LoginAttempt:
    """Send one statement with the row's bad credentials; a wrongly accepted one is cancelled at once."""
    marker = f"trino-harness-login-{uuid.uuid4().hex[:12]}"
    session = http_session(target)
    _credentials(target, row).set_http_session(session)
    with session:
        headers = {"User-Agent": marker, "X-Trino-Source": SOURCE}
        response = post_statement(session, target.url, f"SELECT '{marker}'", headers, timeout_s=30)
        body = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        if body.get("nextUri"):
            session.delete(body["nextUri"], timeout=30)
    return LoginAttempt(marker, response.status_code, response.text, body.get("id"))
