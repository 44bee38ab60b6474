"""Who may see and end another identity's running query, asked of the live cluster by every way in.

Trino offers four ways to end someone else's query: the ``system.runtime.kill_query`` procedure
and three REST calls (``DELETE /v1/query/{id}``, ``PUT .../killed``, ``PUT .../preempted``). The
REST ways check only the ``queries`` rule's ``kill``; the procedure its ``procedures`` rule too, so
a cluster that denies the procedure alone still lets the REST ways through. A refusal counts only
as PERMISSION_DENIED (procedure) or HTTP 403 (REST); anything else is no decision.
"""

from __future__ import annotations

from collections.abc import Callable

from trino_harness.access.running_query import QueryDidNotRun, RunningQuery, running_query
from trino_harness.access.universe import ask
from trino_harness.clients import authentication, http_session
from trino_harness.scenario.model import Principal
from trino_harness.target import Target

KILL_WAYS = (
    "CALL system.runtime.kill_query",
    "DELETE /v1/query/{id}",
    "PUT /v1/query/{id}/killed",
    "PUT /v1/query/{id}/preempted",
)
KILL_MESSAGE = "trino-harness query visibility check"


def kill(target: Target, who: Principal, way: str, query_id: str) -> tuple[bool | None, str]:
    """(ended it?, what was said): True went through, False refused, None neither."""
    if way.startswith("CALL"):
        call = f"CALL system.runtime.kill_query(query_id => '{query_id}', message => '{KILL_MESSAGE}')"
        answer = ask(target, who, call)
        if answer.ok:
            return True, "the call succeeded"
        return (False if answer.error_name == "PERMISSION_DENIED" else None), str(answer)
    session = http_session(target)
    authentication(target, who).set_http_session(session)
    method, path = way.split(" ", 1)
    url = f"{target.url}{path.replace('{id}', query_id)}"
    with session:
        response = session.request(method, url, data=KILL_MESSAGE, timeout=30)
    if response.status_code in (200, 202, 204):
        return True, f"HTTP {response.status_code}"
    return (False if response.status_code == 403 else None), f"HTTP {response.status_code}"


def rest_view(target: Target, who: Principal, query_id: str) -> int:
    """``GET /v1/query/{id}`` as ``who``: 200 seen, 403 refused (anything else decides nothing)."""
    session = http_session(target)
    authentication(target, who).set_http_session(session)
    with session:
        return session.get(f"{target.url}/v1/query/{query_id}", timeout=30).status_code


def query_cells(
    target: Target,
    owner: str,
    owner_login: Principal,
    viewers: dict[str, Principal],
    progress: Callable[[str], None],
) -> tuple[dict[str, dict[str, bool]], dict[str, dict[str, str]]]:
    """For the access map: per viewer, ``queries of <owner>: view`` and ``… kill by <way>`` cells.
    A way that ends the query is tried again on a new one for the next way or viewer."""
    cells: dict[str, dict[str, bool]] = {user: {} for user in viewers}
    unclear: dict[str, dict[str, str]] = {user: {} for user in viewers}
    progress(f"running queries of {owner}: {len(viewers)} viewers, view and {len(KILL_WAYS)} kill ways")
    pending = [(user, way) for user in viewers for way in ("view", *KILL_WAYS)]
    while pending:
        try:
            with running_query(target, owner_login) as query:
                pending = _ask_while_running(target, owner, viewers, query, pending, cells, unclear)
        except QueryDidNotRun as exc:
            for user, way in pending:
                unclear[user][f"queries of {owner}: {way}"] = f"no running query to ask about: {exc}"
            return cells, unclear
    return cells, unclear


def _ask_while_running(
    target: Target,
    owner: str,
    viewers: dict[str, Principal],
    query: RunningQuery,
    pending: list[tuple[str, str]],
    cells: dict[str, dict[str, bool]],
    unclear: dict[str, dict[str, str]],
) -> list[tuple[str, str]]:
    """Ask the pending (viewer, way) pairs until one ends the query; return those left."""
    for index, (user, way) in enumerate(pending):
        who = viewers[user]
        if way == "view":
            status = rest_view(target, who, query.query_id)
            name = f"queries of {owner}: view"
            if status in (200, 403):
                cells[user][name] = status == 200
            else:
                unclear[user][name] = f"GET /v1/query/{{id}}: HTTP {status}"
            continue
        ended, said = kill(target, who, way, query.query_id)
        name = f"queries of {owner}: kill by {way}"
        if ended is None:
            unclear[user][name] = said
        else:
            cells[user][name] = ended
        if ended or query.state()[0] != "RUNNING":
            return pending[index + 1 :]
    return []
