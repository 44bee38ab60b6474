"""Trino's client protocol spoken raw (httpx), where status codes and headers are the evidence.

The ``trino`` client hides what authentication checks need to see: the HTTP status, every
``WWW-Authenticate`` challenge, the plain-text 401 body, and a TLS alert as opposed to a refused
connection. ``submit`` posts one statement, follows ``nextUri`` to the end
(:mod:`trino_harness.client_protocol`) and keeps all of it. What decides nothing (a gateway's
answer, a server error, a 200 that is no statement answer) stops the check as "cannot judge".
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any

import httpx

from trino_harness.client_protocol import STATEMENT_PATH, NotAPage, retried, statement_pages
from trino_harness.evidence import UNDECIDED_STATUSES, cannot_judge
from trino_harness.observations import observe
from trino_harness.redaction import redact, register_secret
from trino_harness.target import ClientCert, Target
from trino_harness.tls import TransportProblem, describe_transport_error


@dataclass(frozen=True)
class Answer:
    """Everything the server said to one statement (or why it said nothing)."""

    status: int | None = None
    challenges: tuple[str, ...] = ()
    body: str = ""
    rows: list[list[Any]] | None = None
    error_name: str | None = None
    error_message: str | None = None
    query_id: str | None = None
    transport: TransportProblem | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rows is not None

    @property
    def user(self) -> str | None:
        """First column of the first row: the checks select ``current_user``."""
        return self.rows[0][0] if self.rows else None

    @property
    def accepted(self) -> bool:
        """The server took the statement: authentication passed (the query may still fail)."""
        return self.status == 200

    def __str__(self) -> str:
        if self.transport:
            return f"no HTTP answer: {self.transport}"
        if self.ok:
            return f"HTTP {self.status}, rows={self.rows} (query {self.query_id})"
        if self.error_name:
            return (
                f"HTTP {self.status}, query failed {self.error_name}: {self.error_message} "
                f"(query {self.query_id})"
            )
        challenges = f", WWW-Authenticate: {list(self.challenges)}" if self.challenges else ""
        body = redact(self.body)[:300]  # redact before cutting: a cut secret is no longer recognised
        return redact(f"HTTP {self.status}{challenges}, body: {body!r}")


# Transport failures over HTTPS that say nothing of a login: nothing listens, the connection was
# reset or closed, no answer came. A TLS alert or a certificate problem is kept (a refusal in the
# handshake, or the TLS suite's evidence), and so is every failure over plain HTTP (where no
# listener is what the cleartext checks want to see, beside an HTTPS answer).
SILENCE = ("refused", "closed", "timeout", "other")


def client_context(target: Target, cert: ClientCert | None = None, verify: bool = True) -> ssl.SSLContext:
    """Trust only the target's CA (hostname checked); present ``cert`` when given."""
    if verify:
        context = ssl.create_default_context(cafile=target.ca_path)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if cert is not None:
        context.load_cert_chain(cert.cert_path, cert.key_path)
    return context


def submit(
    target: Target,
    sql: str = "SELECT current_user",
    *,
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | tuple[str | bytes, str | bytes] | None = None,
    cert: ClientCert | None = None,
    plain_http: bool = False,
    cookies: dict[str, str] | None = None,
    timeout: float = 60,
) -> Answer:
    """POST ``sql`` and follow ``nextUri``; a TLS failure (any, over plain HTTP) is ``Answer.transport``.

    An answer that decides nothing (a gateway's 502/503/504 still there after asking again, a 429,
    a 500, a 200 that is no statement answer, silence over HTTPS) raises :class:`CannotJudge`: no
    check can read a refusal or an acceptance into it."""
    verify: bool | ssl.SSLContext
    if plain_http:
        base, verify = f"http://{target.host}:{target.plain_http_port()}", False
    else:
        base, verify = target.url, client_context(target, cert)
    request_headers = {"X-Trino-Source": "trino-harness", **(headers or {})}
    try:
        with httpx.Client(verify=verify, trust_env=False, timeout=timeout, cookies=cookies) as http:
            answer = _statement(http, base, sql, request_headers, auth)
    except httpx.TransportError as exc:
        answer = Answer(transport=describe_transport_error(exc))
    observe(answer)
    if not plain_http and answer.transport is not None and answer.transport.kind in SILENCE:
        cannot_judge(f"no HTTP answer from {base}: {answer.transport}")
    return answer


def _statement(
    http: httpx.Client,
    base: str,
    sql: str,
    headers: dict[str, str],
    auth: httpx.Auth | tuple[str | bytes, str | bytes] | None,
) -> Answer:
    """One statement on ``http``: the POST (asked again on a gateway's 502/503/504), then the walk."""
    response = retried(
        lambda: http.post(
            base + STATEMENT_PATH, content=sql, headers=headers, auth=auth or httpx.USE_CLIENT_DEFAULT
        )
    )
    answer = _follow(http, response, headers, auth)
    if answer.status in UNDECIDED_STATUSES:
        observe(answer)
        cannot_judge(f"{answer}: a gateway, a rate limit or a server error decides nothing")
    return answer


def _follow(
    http: httpx.Client,
    response: httpx.Response,
    headers: dict[str, str],
    auth: httpx.Auth | tuple[str | bytes, str | bytes] | None,
) -> Answer:
    if response.status_code != 200:
        return Answer(
            status=response.status_code,
            challenges=tuple(response.headers.get_list("www-authenticate")),
            body=response.text,
            headers=dict(response.headers),
        )
    rows: list[list[Any]] = []
    query_id: str | None = None
    try:
        for page_response, page in statement_pages(
            response, lambda uri: http.get(uri, headers=headers, auth=auth)
        ):
            if page is None:
                return Answer(status=page_response.status_code, body=page_response.text, query_id=query_id)
            query_id = page.get("id") or query_id
            rows.extend(page.get("data") or [])
            if error := page.get("error"):
                return Answer(
                    status=200,
                    error_name=error.get("errorName"),
                    error_message=error.get("message"),
                    query_id=query_id,
                )
    except httpx.TransportError as exc:
        problem = describe_transport_error(exc)
        return Answer(status=200, body=f"following nextUri failed: {problem}")
    except NotAPage as exc:
        observe(Answer(status=200, body=str(exc), query_id=query_id))
        cannot_judge(f"{exc} (query {query_id})" if query_id else str(exc))
    return Answer(status=200, rows=rows, query_id=query_id)


UI_COOKIE = "Trino-UI-Token"


def web_ui_cookie(target: Target, login: str, password: str) -> dict[str, str]:
    """Log in to the Web UI form over HTTPS; return its session cookie (registered as a secret)."""
    with httpx.Client(verify=client_context(target), trust_env=False, timeout=30) as http:
        response = http.post(
            target.url + "/ui/login", data={"username": login, "password": password, "redirectPath": ""}
        )
        token = http.cookies.get(UI_COOKIE)
    if not token:
        raise LookupError(f"Web UI login gave no {UI_COOKIE} cookie (HTTP {response.status_code})")
    return {UI_COOKIE: register_secret(token)}


def ui_api(target: Target, path: str, cookies: dict[str, str], plain_http: bool = False) -> Answer:
    """GET a Web UI API path with a session cookie; the answer's ``status`` says if it was honoured."""
    base = f"http://{target.host}:{target.plain_http_port()}" if plain_http else target.url
    verify: ssl.SSLContext | bool = False if plain_http else client_context(target)
    try:
        with httpx.Client(verify=verify, trust_env=False, timeout=30, cookies=cookies) as http:
            response = http.get(base + path)
    except httpx.TransportError as exc:
        return Answer(transport=describe_transport_error(exc))
    return Answer(
        status=response.status_code,
        challenges=tuple(response.headers.get_list("www-authenticate")),
        body=response.text if response.status_code != 200 else "",
        headers=dict(response.headers),
    )
