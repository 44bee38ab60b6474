"""Trino's client protocol, whatever the HTTP library: the statement path and the one walk of ``nextUri``.

A statement is ``POST /v1/statement``, then a GET of each page's ``nextUri`` until a page has
none (the query ended), carries ``error``, or the server answers other than 200. The raw probes
(httpx, :mod:`trino_harness.protocol`), the load client and the running-query fixture (requests)
all walk pages here; each keeps what it needs of them (rows, byte counts, the RUNNING state).
Each GET long-polls server-side, so the walk needs no pause, only its bounds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

STATEMENT_PATH = "/v1/statement"
MAX_PAGES = 1000


class HttpResponse(Protocol):
    """What the walk reads of a response; httpx's and requests' both have it."""

    @property
    def status_code(self) -> int: ...

    def json(self) -> Any: ...


R = TypeVar("R", bound=HttpResponse)


class StatementTooLong(RuntimeError):
    """The statement neither ended nor reached what the caller waits for within the walk's bounds."""


def statement_pages(
    first: R, get: Callable[[str], R], timeout_s: float | None = None, max_pages: int = MAX_PAGES
) -> Iterator[tuple[R, dict[str, Any] | None]]:
    """Each response of one statement, from the POST's ``first``, with its JSON page (None when the
    status is not 200). Ends after a non-200 answer, an ``error`` page or the page without
    ``nextUri``; raises :class:`StatementTooLong` past ``max_pages`` pages or ``timeout_s`` seconds.
    Transport errors of ``get`` propagate: each caller reports them in its own terms."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    response = first
    for _ in range(max_pages):
        if response.status_code != 200:
            yield response, None
            return
        page = response.json()
        yield response, page
        next_uri = page.get("nextUri")
        if page.get("error") or not next_uri:
            return
        if deadline is not None and time.monotonic() > deadline:
            raise StatementTooLong(f"query {page.get('id')} still going after {timeout_s:.0f}s")
        response = get(next_uri)
    raise StatementTooLong(f"statement did not finish within {max_pages} pages")
