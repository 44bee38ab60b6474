"""System information rules: who may read the cluster's management information and who may change
a node's state (graceful shutdown).

``read`` guards the management endpoints such as ``GET /v1/node`` (``system.runtime.nodes`` is a
table: the ``tables`` rules decide who reads it, so it is not a probe of this right);
``write`` guards ``PUT /v1/info/state``, the graceful-shutdown switch. A write is never performed to
prove a right: the probe asks the coordinator for the state it already reports (``ACTIVE``), which
Trino authorizes first and then answers without draining or shutting down. A refusal is HTTP 403.
"""

from __future__ import annotations

import pytest
import requests

from trino_harness.clients import authentication, http_session
from trino_harness.evidence import check

from .outcomes import login_as

pytestmark = pytest.mark.authz

FIX = (
    "review the 'system_information' section of rules.json (first match wins; allow: [read] and/or "
    "[write]; with no section nobody may read or write system information)"
)
STATE = "/v1/info/state"
# Past the access check: 200 (Trino 476, a same-state request is a no-op), 400 (a release that
# calls it an invalid transition). 401 is a failed login, anything else is no verdict.
AUTHORIZED = (200, 204, 400)


def _session(target, who) -> requests.Session:
    session = http_session(target)
    authentication(target, who).set_http_session(session)
    return session


def _status(response: requests.Response) -> str:
    return f"HTTP {response.status_code} {response.text.strip()[:160]!r}"


def test_system_information_read_is_as_declared(target, scenario, system_information_row):
    row = system_information_row
    try:
        node_list = _session(target, login_as(scenario, row.user)).get(f"{target.url}/v1/node", timeout=30)
    except requests.RequestException as exc:
        pytest.fail(f"cannot judge: GET /v1/node got no answer ({exc})", pytrace=False)
    if node_list.status_code not in (200, 403):
        pytest.fail(f"cannot judge: GET /v1/node answered {_status(node_list)}", pytrace=False)
    check(
        (node_list.status_code == 200) == row.read,
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
        state = current.json() if current.status_code == 200 else None
        if state != "ACTIVE":
            pytest.fail(f"cannot judge: GET {STATE} answered {_status(current)}, not ACTIVE", pytrace=False)
        # The state the node is already in: authorized first, then a no-op (never a shutdown).
        answer = session.put(f"{target.url}{STATE}", json=state, timeout=30)
    except requests.RequestException as exc:
        pytest.fail(f"cannot judge: {STATE} got no answer ({exc})", pytrace=False)
    if answer.status_code not in (*AUTHORIZED, 403):
        pytest.fail(f"cannot judge: PUT {STATE} answered {_status(answer)}", pytrace=False)
    allowed = answer.status_code in AUTHORIZED
    check(
        allowed == row.write,
        what=f'{row.user}: PUT {STATE} "ACTIVE" (the state the node is in: no shutdown)',
        expected="authorized: HTTP 200 (or 400, an invalid transition)" if row.write else "refused: HTTP 403",
        observed=_status(answer),
        fix=FIX,
    )
