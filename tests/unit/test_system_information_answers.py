"""What Trino's management resources answer, read as a right granted, refused, or no verdict.

``PUT /v1/info/state`` (``ServerInfoResource.updateState``) is authorized by a request filter
(``ManagementAuthorizationFilter``: 403 "Management only resource") before the resource runs: a
same-state request is then a no-op 200 (Trino 476) or 400 "Invalid state transition to ACTIVE"
(older releases, text/plain). Any other 400 (a proxy, a malformed request) was never authorized.
"""

from __future__ import annotations

import pytest

from suites.test_system_information import node_list_readable, state_write_authorized
from trino_harness.evidence import CannotJudge

NODES = '[{"uri":"https://10.0.0.2:8443","recentRequests":1.0,"recentFailures":0.0}]'


def test_a_same_state_put_is_authorized_by_200_or_trinos_invalid_transition():
    assert state_write_authorized(200, "") is True
    assert state_write_authorized(204, "") is True
    assert state_write_authorized(400, "Invalid state transition to ACTIVE") is True
    assert state_write_authorized(400, "Invalid state transition ACTIVE to ACTIVE") is True
    assert state_write_authorized(403, "Management only resource") is False


@pytest.mark.parametrize(
    "status,body",
    [
        (400, "Bad Request"),  # a proxy, or a body Trino could not read: never authorized
        (400, ""),
        (401, ""),  # the login failed: nothing about the right
        (404, "Not Found"),
        (429, "Too Many Requests"),
        (500, "boom"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, ""),
    ],
)
def test_any_other_answer_to_the_state_put_is_no_verdict(status: int, body: str):
    with pytest.raises(CannotJudge):
        state_write_authorized(status, body)


def test_the_node_list_is_read_only_when_it_is_a_node_list():
    assert node_list_readable(200, NODES) is True
    assert node_list_readable(200, "[]") is True  # a coordinator alone: the list is empty
    assert node_list_readable(403, "Management only resource") is False


@pytest.mark.parametrize(
    "status,body",
    [
        (200, ""),  # an empty 200 is no node list
        (200, '{"id": "x", "nextUri": '),  # malformed JSON
        (200, '{"error": "not a list"}'),
        (200, "<html>login</html>"),
        (401, ""),
        (502, ""),
        (503, "Service Unavailable"),
    ],
)
def test_an_answer_that_is_not_a_node_list_or_a_refusal_is_no_verdict(status: int, body: str):
    with pytest.raises(CannotJudge):
        node_list_readable(status, body)
