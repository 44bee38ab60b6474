"""The one nextUri walk: where it ends, what it yields, and its bounds."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import pytest

from trino_harness.client_protocol import (
    RETRY_S,
    NotAPage,
    StatementTooLong,
    retried,
    statement_pages,
)


@dataclass
class Reply:
    status_code: int
    page: Any
    raw: str | None = None  # the body as sent, when it is not the page's JSON

    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def text(self) -> str:
        return self.raw if self.raw is not None else json.dumps(self.page)


def server(*replies: Reply) -> tuple[Reply, list[str], Any]:
    """The POST's reply and a ``get`` that serves the rest in order, recording each URI asked."""
    asked: list[str] = []
    rest = list(replies[1:])

    def get(uri: str) -> Reply:
        asked.append(uri)
        return rest.pop(0)

    return replies[0], asked, get


def test_the_walk_follows_next_uri_until_a_page_has_none():
    first, asked, get = server(
        Reply(200, {"id": "q", "stats": {}, "nextUri": "u1"}),
        Reply(200, {"id": "q", "stats": {}, "nextUri": "u2", "data": [[1]]}),
        Reply(200, {"id": "q", "stats": {}, "data": [[2]]}),
    )
    pages = [page for _, page in statement_pages(first, get)]
    assert asked == ["u1", "u2"]
    assert [page.get("data") for page in pages if page] == [None, [[1]], [[2]]]


def test_an_error_page_ends_the_walk_even_with_a_next_uri():
    first, asked, get = server(
        Reply(200, {"id": "q", "stats": {}, "nextUri": "u1"}),
        Reply(200, {"id": "q", "stats": {}, "nextUri": "u2", "error": {"errorName": "X"}}),
    )
    pages = list(statement_pages(first, get))
    assert asked == ["u1"]
    assert pages[-1][1] is not None and pages[-1][1]["error"] == {"errorName": "X"}


def test_a_non_200_answer_is_yielded_without_a_page_and_ends_the_walk():
    first, _, get = server(Reply(200, {"id": "q", "stats": {}, "nextUri": "u1"}), Reply(410, {}))
    pages = list(statement_pages(first, get))
    assert [(reply.status_code, page is None) for reply, page in pages] == [(200, False), (410, True)]
    refused, _, never = server(Reply(401, {}))
    assert [page for _, page in statement_pages(refused, never)] == [None]


def test_a_statement_that_never_ends_stops_at_the_page_bound():
    endless = Reply(200, {"id": "q", "stats": {}, "nextUri": "again"})
    with pytest.raises(StatementTooLong, match="3 pages"):
        list(statement_pages(endless, lambda uri: endless, max_pages=3))


def test_a_statement_that_never_ends_stops_at_the_time_bound():
    endless = Reply(200, {"id": "q", "stats": {}, "nextUri": "again"})
    with pytest.raises(StatementTooLong, match="query q still going"):
        list(statement_pages(endless, lambda uri: endless, timeout_s=0))


def test_a_gateways_502_503_504_on_next_uri_is_asked_again_as_the_protocol_says():
    """Trino's client protocol: a 502, 503 or 504 is an intermittent problem; try again shortly."""
    first, asked, get = server(
        Reply(200, {"id": "q", "stats": {}, "nextUri": "u1"}),
        Reply(503, {}),
        Reply(502, {}),
        Reply(504, {}),
        Reply(200, {"id": "q", "stats": {}, "data": [[1]]}),
    )
    pages = [page for _, page in statement_pages(first, get, retry_s=5)]
    assert asked == ["u1"] * 4
    assert pages[-1] == {"id": "q", "stats": {}, "data": [[1]]}


def test_the_retries_are_bounded_and_the_last_gateway_answer_ends_the_walk():
    first = Reply(200, {"id": "q", "stats": {}, "nextUri": "u1"})
    asked: list[str] = []

    def get(uri: str) -> Reply:
        asked.append(uri)
        return Reply(503, {})

    started = time.monotonic()
    pages = list(statement_pages(first, get, retry_s=0.3))
    assert time.monotonic() - started < 2
    assert 2 <= len(asked) <= 6
    assert [(reply.status_code, page) for reply, page in pages][-1] == (503, None)


def test_the_post_is_asked_again_on_a_gateway_answer_too():
    replies = [Reply(503, {}), Reply(200, {"id": "q", "stats": {}})]
    assert retried(lambda: replies.pop(0), retry_s=5).status_code == 200
    assert retried(lambda: Reply(401, {}), retry_s=5).status_code == 401  # a verdict: asked once
    assert RETRY_S <= 2  # bounded: a gateway that never recovers costs seconds, not minutes


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, None, raw=""),  # an empty 200
        Reply(200, None, raw='{"id": "q", "stats": {}, "nextUri": '),  # JSON cut off
        Reply(200, ["not", "a", "page"]),  # JSON, but not a statement answer
        Reply(200, "FINISHED"),
    ],
    ids=["empty", "malformed", "list", "string"],
)
def test_a_200_that_is_not_a_statement_page_is_named_not_read_as_one(reply: Reply):
    first, _, get = server(Reply(200, {"id": "q", "stats": {}, "nextUri": "u1"}), reply)
    with pytest.raises(NotAPage, match="HTTP 200"):
        list(statement_pages(first, get))
    with pytest.raises(NotAPage):
        list(statement_pages(reply, get))
