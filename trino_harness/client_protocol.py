"""Trino's client protocol, whatever the HTTP library: the statement path and the one walk of ``nextUri``.

A statement is ``POST /v1/statement``, then a GET of each page's ``nextUri`` until a page has
none (the query ended), carries ``error``, or the server answers other than 200. The raw probes
(httpx, :mod:`trino_harness.protocol`), the load client and the running-query fixture (requests)
all walk pages here; each keeps what it needs of them (rows, byte counts, the RUNNING state).
Each GET long-polls server-side, so the walk needs no pause, only its bounds.

The protocol says a 502, 503 or 504 is an intermittent problem of a gateway in front of Trino
(Trino sends none of them itself) and the client should try again in 50-100 ms: every request of
the walk is asked again, at a growing interval, for at most ``RETRY_S`` seconds. What still
answers so is yielded like any other non-200 answer, for the caller to call undecided.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

from trino_harness.polling import poll

STATEMENT_PATH = "/v1/statement"
MAX_PAGES = 1000
# https://trino.io/docs/current/develop/client-protocol.html: "If the client request returns an HTTP
# 502, 503 or 504, ... the client should try again in 50-100 milliseconds."
RETRY_STATUSES = frozenset({502, 503, 504})
RETRY_S = 1.5  # asks at about 0, 0.1, 0.3, 0.7 and 1.5 s: a gateway that never recovers costs seconds


class HttpResponse(Protocol):
    """What the walk reads of a response; httpx's and requests' both have it."""

    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


R = TypeVar("R", bound=HttpResponse)


class StatementTooLong(RuntimeError):
    """The statement neither ended nor reached what the caller waits for within the walk's bounds."""


class NotAPage(ValueError):
    """An HTTP 200 whose body is not a statement answer (empty, not JSON, not a JSON object): what
    a misbehaving gateway or a foreign server sends. It proves nothing about the statement."""


def retried(send: Callable[[], R], retry_s: float = RETRY_S) -> R:
    """``send()``, asked again while it answers 502/503/504, for at most ``retry_s`` seconds
    (starting 100 ms apart, as the protocol says); the last answer either way."""
    return poll(
        send,
        lambda response: response.status_code not in RETRY_STATUSES,
        timeout_s=retry_s,
        interval_s=0.1,
        max_interval_s=0.8,
    ).value


def page_of(response: HttpResponse) -> dict[str, Any]:
    """The statement answer of an HTTP 200, or :class:`NotAPage` naming what came instead."""
    try:
        page = response.json()
    except ValueError:
        page = None
    if not isinstance(page, dict):
        raise NotAPage(f"HTTP 200 without a statement answer (a JSON object): {response.text[:160]!r}")
    if not isinstance(page.get("id"), str) or not isinstance(page.get("stats"), dict):
        # Trino's QueryResults always carry the query id and its stats: a proxy's or a health
        # endpoint's JSON ({}, {"status": "UP"}) is no statement answer, and no empty result either.
        raise NotAPage(
            f"HTTP 200 without a statement answer (no query id and stats): {response.text[:160]!r}"
        )
    return page


def statement_pages(
    first: R,
    get: Callable[[str], R],
    timeout_s: float | None = None,
    max_pages: int = MAX_PAGES,
    retry_s: float = RETRY_S,
) -> Iterator[tuple[R, dict[str, Any] | None]]:
    """Each response of one statement, from the POST's ``first``, with its JSON page (None when the
    status is not 200). Ends after a non-200 answer (a 502/503/504 only once asked again for
    ``retry_s``), an ``error`` page or the page without ``nextUri``; raises :class:`NotAPage` for a
    200 that is no statement answer, :class:`StatementTooLong` past ``max_pages`` pages or
    ``timeout_s`` seconds. Transport errors of ``get`` propagate: each caller reports them in its
    own terms."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    response = first
    for _ in range(max_pages):
        if response.status_code != 200:
            yield response, None
            return
        page = page_of(response)
        yield response, page
        next_uri = page.get("nextUri")
        if page.get("error") or not next_uri:
            return
        if deadline is not None and time.monotonic() > deadline:
            raise StatementTooLong(f"query {page.get('id')} still going after {timeout_s:.0f}s")
        response = retried(functools.partial(get, next_uri), retry_s)
    raise StatementTooLong(f"statement did not finish within {max_pages} pages")
