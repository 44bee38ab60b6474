"""The one nextUri walk: where it ends, what it yields, and its bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from trino_harness.client_protocol import StatementTooLong, statement_pages


@dataclass
class Reply:
    status_code: int
    page: dict[str, Any]

    def json(self) -> Any:
        return self.page


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
        Reply(200, {"id": "q", "nextUri": "u1"}),
        Reply(200, {"id": "q", "nextUri": "u2", "data": [[1]]}),
        Reply(200, {"id": "q", "data": [[2]]}),
    )
    pages = [page for _, page in statement_pages(first, get)]
    assert asked == ["u1", "u2"]
    assert [page.get("data") for page in pages if page] == [None, [[1]], [[2]]]


def test_an_error_page_ends_the_walk_even_with_a_next_uri():
    first, asked, get = server(
        Reply(200, {"id": "q", "nextUri": "u1"}),
        Reply(200, {"id": "q", "nextUri": "u2", "error": {"errorName": "X"}}),
    )
    pages = list(statement_pages(first, get))
    assert asked == ["u1"]
    assert pages[-1][1] is not None and pages[-1][1]["error"] == {"errorName": "X"}


def test_a_non_200_answer_is_yielded_without_a_page_and_ends_the_walk():
    first, _, get = server(Reply(200, {"id": "q", "nextUri": "u1"}), Reply(503, {}))
    pages = list(statement_pages(first, get))
    assert [(reply.status_code, page is None) for reply, page in pages] == [(200, False), (503, True)]
    refused, _, never = server(Reply(401, {}))
    assert [page for _, page in statement_pages(refused, never)] == [None]


def test_a_statement_that_never_ends_stops_at_the_page_bound():
    endless = Reply(200, {"id": "q", "nextUri": "again"})
    with pytest.raises(StatementTooLong, match="3 pages"):
        list(statement_pages(endless, lambda uri: endless, max_pages=3))


def test_a_statement_that_never_ends_stops_at_the_time_bound():
    endless = Reply(200, {"id": "q", "nextUri": "again"})
    with pytest.raises(StatementTooLong, match="query q still going"):
        list(statement_pages(endless, lambda uri: endless, timeout_s=0))
