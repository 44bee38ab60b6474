"""System information rules: who may read the cluster's management information and who may change
a node's state (graceful shutdown).

``read`` guards the management endpoints such as ``GET /v1/node`` (``system.runtime.nodes`` is a
table: the ``tables`` rules decide who reads it, so it is not a probe of this right);
``write`` guards ``PUT /v1/info/state``, the graceful-shutdown switch. A write is never performed to
prove a right: the probe asks the coordinator for the state it already reports (``ACTIVE``), which
Trino authorizes first and then answers without draining or shutting down. A refusal is HTTP 403;
anything neither a refusal nor a proof of authorization is no verdict (ERROR).
"""

from __future__ import annotations

import json

import pytest
import requests

from trino_harness.clients import authentication, http_session
from trino_harness.evidence import cannot_judge, check, refusal_of

from .outcomes import login_as

pytestmark = pytest.mark.authz

FIX = (
    "review the 'system_information' section of rules.json (first match wins; allow: [read] and/or "
    "[write]; with no section nobody may read or write system information)"
)
STATE = "/v1/info/state"
# Trino authorizes PUT /v1/info/state in a request filter (403 "Management only resource") before
# ServerInfoResource.updateState runs; for the state the node is already in, that answers 200 (Trino
# 476: a same-state request is a no-op) or, in older releases, 400 text/plain "Invalid state
# transition to ACTIVE". Only that 400 proves authorization: any other 400 (a proxy, a body Trino
# could not read) was never authorized, and 401, 5xx or a gateway's answer decide nothing.
PAST_THE_ACCESS_CHECK = (200, 204)
INVALID_TRANSITION = "Invalid state transition"


def _session(target, who) -> requests.Session:
    session = http_session(target)
    authentication(target, who).set_http_session(session)
    return session


def _status(response: requests.Response) -> str:
    return f"HTTP {response.status_code} {response.text.strip()[:160]!r}"


def state_write_authorized(status: int, body: str) -> bool:
    """Whether the same-state PUT got past the access check (True) or was refused (False); any
    other answer is :class:`CannotJudge`."""
    if status in PAST_THE_ACCESS_CHECK or (status == 400 and body.startswith(INVALID_TRANSITION)):
        return True
    refusal_of(status=status, said=body[:160], refused_statuses=frozenset({403}))
    return False


def node_list_readable(status: int, body: str) -> bool:
    """Whether ``GET /v1/node`` served the node list (a JSON array: True) or was refused (403:
    False); an empty or malformed 200, a 401 or a gateway's answer is :class:`CannotJudge`."""
    if status == 200:
        try:
            nodes = json.loads(body)
        except ValueError:
            cannot_judge(f"GET /v1/node answered HTTP 200 without JSON: {body[:160]!r}")
        if not isinstance(nodes, list):
            cannot_judge(f"GET /v1/node answered HTTP 200 but no node list: {body[:160]!r}")
        return True
    refusal_of(status=status, said=body[:160], refused_statuses=frozenset({403}))
    return False


def test_system_information_read_is_as_declared(target, scenario, system_information_row):
    row = system_information_row
    try:
        node_list = _session(target, login_as(scenario, row.user)).get(f"{target.url}/v1/node", timeout=30)
    except requests.RequestException as exc:
        cannot_judge(f"GET /v1/node got no answer ({exc})")
    check(
        node_list_readable(node_list.status_code, node_list.text) == row.read,
        what=f"{row.user}: GET /v1/node (the node list, a system-information read)",
        expected="HTTP 200 and the node list" if row.read else "refused: HTTP 403",
        observed=_status(node_list),
        fix=FIX,
    )


def test_system_information_write_is_as_declared(target, scenario, system_information_row):
    row = system_information_row
    session = _session(target, login_as(scenario, row.user))
    try:
        current = session.get(f"{target.url}{STATE}", timeout=30)
        try:
            state = current.json() if current.status_code == 200 else None
        except ValueError:
            state = None
        if state != "ACTIVE":
            cannot_judge(f"GET {STATE} answered {_status(current)}, not ACTIVE")
        # The state the node is already in: authorized first, then a no-op (never a shutdown).
        answer = session.put(f"{target.url}{STATE}", json=state, timeout=30)
    except requests.RequestException as exc:
        cannot_judge(f"{STATE} got no answer ({exc})")
    check(
        state_write_authorized(answer.status_code, answer.text.strip()) == row.write,
        what=f'{row.user}: PUT {STATE} "ACTIVE" (the state the node is in: no shutdown)',
        expected=(
            f"authorized: HTTP 200 (or 400 '{INVALID_TRANSITION} to ACTIVE', releases before the no-op)"
            if row.write
            else "refused: HTTP 403"
        ),
        observed=_status(answer),
        fix=FIX,
    )
