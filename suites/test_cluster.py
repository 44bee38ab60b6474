"""Cluster-internal security: the worker joins and does the work, a worker without the cluster's
shared secret is kept out (and the coordinator says why), and node-to-node traffic is HTTPS with
the run CA's certificates and the internal bearer token.

Run alone with ``pytest suites/ -m cluster``. The shared secret never appears in any output: the
checks only ever hold a wrong one, made here and registered for redaction.

Just over the house's 300 lines: the two-node checks share their endpoint and log helpers.
"""

from __future__ import annotations

import re
import time

import pytest
from trino.exceptions import TrinoQueryError

from fixtures.parametrize import Table
from trino_harness.capabilities import MissingCapability
from trino_harness.cluster.internal import (
    BEARER_HEADER,
    cleartext_on_tls_port,
    forged_bearer,
    internal_get,
    plain_http,
    plain_http_refused,
    tls_under_alias,
)
from trino_harness.cluster.nodes import no_worker_available, nodes_or_problem, tasks_of_scan
from trino_harness.evidence import UNDECIDED_STATUSES, cannot_judge, check
from trino_harness.polling import poll
from trino_harness.target import InternalEndpoint, Target

pytestmark = pytest.mark.cluster

ROLES = ("coordinator", "worker")
SECRET_FIX = (
    "give every node the same internal-communication.shared-secret (from the environment or a "
    "secrets manager, e.g. ${ENV:TRINO_SHARED_SECRET}), then restart the nodes"
)
# What Trino 476 logs, seen on the reference stack: the coordinator refuses the rogue's token
#   ERROR ... io.trino.server.InternalAuthenticationManager  Internal authentication failed
#   io.jsonwebtoken.security.SignatureException: JWT signature does not match locally computed signature. ...
# and the rogue's announcer gets a 401 without a challenge, which Jetty reports as
#   ERROR Announcer-0 io.airlift.discovery.client.Announcer  Cannot connect to discovery server for announce
#   io.airlift.discovery.client.DiscoveryException: Announcement failed for https://trino:8443
#   Caused by: org.eclipse.jetty.client.HttpResponseException: HTTP protocol violation: Authentication
#   challenge without WWW-Authenticate header
COORDINATOR_REFUSAL = re.compile(r"Internal authentication failed\s*\n(\S[^\n]*)")
ROGUE_REFUSAL = re.compile(r"(Announcement failed for \S+)(?:.*?\n)*?Caused by: ([^\n]*)")


TABLES = (  # the pair first: a check of both takes every role with every internal path
    Table(
        "role,internal_path",
        lambda scenario, test: [(r, p) for r in ROLES for p in scenario.cluster.internal_paths],
        lambda row, test: f"{row[0]}-{row[1]}",
        empty="the scenario's cluster.internal_paths is empty: list the internal resources to probe",
    ),
    Table("role", lambda scenario, test: ROLES, lambda row, test: row),
)


def endpoints_of(target: Target, role: str) -> tuple[InternalEndpoint, ...]:
    """Every declared endpoint of ``role``: a check of a role judges each of its nodes, not the first."""
    endpoints = tuple(e for e in target.internal_endpoints() if e.role == role)
    if not endpoints:
        raise MissingCapability(
            f"internal endpoint of a {role}", f"cluster.endpoints: [{{role: {role}, ...}}]"
        )
    return endpoints


def test_declared_workers_are_active(target, scenario):
    workers = target.cluster_workers()
    nodes, problem = nodes_or_problem(target, scenario.operator)
    if problem and not no_worker_available(problem):
        pytest.fail(f"cannot judge: the node list cannot be read ({problem})", pytrace=False)
    active = {n.node_id for n in nodes if n.state == "active" and not n.coordinator}
    missing = [w for w in workers if w not in active]
    check(
        not missing,
        what="system.runtime.nodes lists every declared worker ACTIVE with coordinator=false",
        expected=f"active workers {list(workers)}",
        observed=(
            f"the node list cannot be read: {problem}" if problem else f"nodes: {[str(n) for n in nodes]}"
        )
        + (f"; missing {missing}" if missing else ""),
        fix=(
            "read the missing worker's log: it must reach discovery.uri over HTTPS, trust the "
            "coordinator's certificate and share its internal-communication.shared-secret and "
            "node.environment; " + SECRET_FIX
        ),
    )


def test_scan_tasks_run_on_a_worker(target, scenario):
    workers = set(target.cluster_workers())
    try:
        query_id, tasks = tasks_of_scan(target, scenario.operator, scenario.cluster.scan)
        problem = None
    except TrinoQueryError as exc:
        query_id, tasks, problem = str(exc.query_id), [], f"the scan failed: {exc.error_name}: {exc.message}"
        if not no_worker_available(problem):
            pytest.fail(f"cannot judge where the scan ran: {problem}", pytrace=False)
    on_workers = [t for t in tasks if t.node_id in workers]
    elsewhere = [t for t in tasks if t.node_id not in workers]
    only_workers = not scenario.cluster.include_coordinator
    check(
        bool(on_workers) and (not only_workers or not elsewhere),
        what=f"where the tasks of '{scenario.cluster.scan}' ran (system.runtime.tasks, query {query_id})",
        expected=(
            f"every task on a worker {sorted(workers)} (node-scheduler.include-coordinator=false)"
            if only_workers
            else f"at least one task on a worker {sorted(workers)}"
        ),
        observed=problem
        or ", ".join(f"{t.task_id} on {t.node_id} ({t.state}, {t.splits} splits)" for t in tasks)
        or "no tasks listed",
        fix=(
            "set node-scheduler.include-coordinator=false on the coordinator and make sure the workers "
            "are ACTIVE (see test_declared_workers_are_active)"
        ),
    )


def test_nodes_announce_https_internal_uris(target, scenario):
    target.cluster_workers()  # a remote profile without declared workers cannot judge this
    nodes, problem = nodes_or_problem(target, scenario.operator)
    if problem or not nodes:
        pytest.fail(
            f"cannot judge: the node list cannot be read ({problem or 'no nodes listed'})", pytrace=False
        )
    plain = [str(n) for n in nodes if not n.http_uri.startswith("https://")]
    check(
        not plain,
        what="the internal URI every node announced (system.runtime.nodes.http_uri)",
        expected="https:// for every node",
        observed=f"nodes: {[str(n) for n in nodes]}" + (f"; not HTTPS: {plain}" if plain else ""),
        fix="set internal-communication.https.required=true on every node (with an HTTPS keystore)",
    )


@pytest.fixture(scope="session")
def rogue_observation(target, scenario):
    """Start a worker whose only fault is its shared secret, watch it for a bounded time, remove it
    (however the watching ends), then hand the observation to the check."""
    from trino_harness.stack.rogue_worker import rogue_worker

    recipe = target.rogue_worker_recipe()
    wait_s = scenario.cluster.rogue_wait_s
    with rogue_worker(recipe) as rogue:
        refused_at: list[float] = []  # when both logs first said the announcement was refused

        def look() -> dict:
            nodes, unreadable = nodes_or_problem(target, scenario.operator)
            coordinator_said = [m.group(0) for m in COORDINATOR_REFUSAL.finditer(rogue.coordinator_log())]
            rogue_said = [" ... ".join(m.groups()) for m in ROGUE_REFUSAL.finditer(rogue.log())]
            if coordinator_said and rogue_said and not refused_at:
                refused_at.append(time.monotonic())
            return {
                "seen": [str(n) for n in nodes if n.node_id == rogue.node_id],
                "unreadable": unreadable,
                "coordinator": coordinator_said,
                "rogue": rogue_said,
                "running": rogue.is_running(),
            }

        def watched_enough(seen: dict) -> bool:
            refused_long_ago = bool(refused_at) and time.monotonic() - refused_at[0] > 10
            return bool(seen["seen"] or seen["unreadable"] or not seen["running"] or refused_long_ago)

        # Bounded: until the rogue's announcement was refused (both logs say so) and the node list
        # was watched 10 s longer, or it showed the rogue; never longer than rogue_wait_s in all.
        polled = poll(look, watched_enough, timeout_s=wait_s, interval_s=1, max_interval_s=1)
        observation = {
            "node_id": rogue.node_id,
            "watched_s": polled.waited_s,
            **polled.value,
            "running": rogue.is_running(),
            "rogue_tail": rogue.log().splitlines()[-5:],
        }
    return observation  # the rogue is gone by now: removed as soon as it was watched


def test_worker_with_a_wrong_shared_secret_is_refused(rogue_observation):
    seen = rogue_observation
    if seen["unreadable"]:
        pytest.fail(f"cannot judge: the node list cannot be read ({seen['unreadable']})", pytrace=False)
    check(
        not seen["seen"],
        what=f"a worker '{seen['node_id']}' with a shared secret of its own, on the cluster's network",
        expected="never listed in system.runtime.nodes",
        observed=(
            f"listed: {seen['seen']}"
            if seen["seen"]
            else f"not listed during {seen['watched_s']:.0f}s of watching"
        ),
        fix=SECRET_FIX + "; a node accepting any secret means internal authentication is not in force",
    )
    if not seen["rogue"]:  # no announcement tried (yet): the coordinator's side proves nothing either way
        pytest.fail(
            f"cannot judge why: the rogue worker logged no announcement attempt in {seen['watched_s']:.0f}s "
            f"(running: {seen['running']}; its last lines: {seen['rogue_tail']})",
            pytrace=False,
        )
    check(
        bool(seen["coordinator"]),
        what="why: the coordinator's log and the rogue worker's while it announced itself",
        expected=(
            "coordinator: 'Internal authentication failed' (its token's signature does not match); "
            "rogue: its announcement refused"
        ),
        observed=(
            f"coordinator ({len(seen['coordinator'])} times): {' '.join(seen['coordinator'][0].split())!r}; "
            f"rogue ({len(seen['rogue'])} times): {seen['rogue'][0]!r}"
            if seen["coordinator"] and seen["rogue"]
            else f"coordinator: {seen['coordinator'][:1]}; rogue: {seen['rogue'][:1]}; "
            f"rogue's last lines: {seen['rogue_tail']}"
        ),
        fix="make the coordinator require internal authentication (internal-communication.shared-secret)",
    )


def test_internal_endpoint_refuses_plain_http(target, role):
    endpoints = endpoints_of(target, role)
    missing = [e.alias for e in endpoints if e.plain_http_port is None]
    if missing:
        raise MissingCapability(
            f"plain-HTTP port of the {role} {missing}",
            f"cluster.endpoints: [{{role: {role}, plain_http_port: 8080}}]",
        )
    observed, served = [], []
    for endpoint in endpoints:
        answers = {
            f"http port {endpoint.plain_http_port}": plain_http(endpoint),
            f"https port {endpoint.port} in the clear": cleartext_on_tls_port(endpoint),
        }
        unclear = {where: a for where, a in answers.items() if plain_http_refused(a) is None}
        if unclear:
            pytest.fail(
                f"cannot judge plain HTTP to the {role} {endpoint.alias}: "
                + "; ".join(f"{where}: {a}" for where, a in unclear.items()),
                pytrace=False,
            )
        # A silent port is a refusal only when the node answers over HTTPS right now.
        tls = internal_get(endpoint, "/v1/info", target.ca_path)
        if tls.status != 200:  # the positive control: the node serves /v1/info over HTTPS right now
            cannot_judge(f"the {role} {endpoint.alias} does not serve /v1/info over HTTPS either ({tls})")
        observed.append(f"{endpoint.alias}: " + "; ".join(f"{w}: {a}" for w, a in answers.items()))
        served += [f"{endpoint.alias} {w}" for w, a in answers.items() if not plain_http_refused(a)]
    check(
        not served,
        what=f"plain HTTP to the {role}'s internal endpoint ({', '.join(e.alias for e in endpoints)})",
        expected="no HTTP answer (listener off) or a refusal, while HTTPS answers",
        observed=" | ".join(observed) + (f"; served: {served}" if served else ""),
        fix="set http-server.http.enabled=false and internal-communication.https.required=true on every node",
    )


def test_internal_endpoint_speaks_tls_under_its_alias(target, role):
    results = [(e, tls_under_alias(e, target.ca_path)) for e in endpoints_of(target, role)]
    check(
        all(result.ok for _, result in results),
        what=f"TLS handshake with every {role} as another node makes it (its alias as the name)",
        expected=f"a certificate chained to {target.ca_path} naming each node's alias",
        observed="; ".join(f"{e.alias}: {result.detail}" for e, result in results),
        fix=(
            "give each node a keystore (http-server.https.keystore.path) with a certificate from the "
            "cluster's CA whose subjectAltName is the node's internal address"
        ),
    )


def _internal_answers(target, role, internal_path, headers=None):
    answers = [
        (e, internal_get(e, internal_path, target.ca_path, headers)) for e in endpoints_of(target, role)
    ]
    unanswered = [f"{e.alias}: {a}" for e, a in answers if a.status is None or a.status in UNDECIDED_STATUSES]
    if unanswered:  # silence, a 503 or a 429 decides nothing: neither a refusal nor an answer
        cannot_judge(f"no deciding HTTP answer from {unanswered}")
    return answers


def test_internal_resource_refuses_a_request_without_the_internal_token(target, role, internal_path):
    answers = _internal_answers(target, role, internal_path)
    check(
        all(a.status in (401, 403) for _, a in answers),
        what=f"GET {internal_path} on every {role} without {BEARER_HEADER}",
        expected="HTTP 401 or 403 (internal-only resource)",
        observed="; ".join(f"{e.alias}: {a}" for e, a in answers),
        fix="keep internal-communication.shared-secret set on every node; never expose internal resources",
    )


def test_internal_resource_refuses_a_forged_internal_token(target, role, internal_path):
    answers = _internal_answers(target, role, internal_path, {BEARER_HEADER: forged_bearer()})
    check(
        all(a.status in (401, 403) for _, a in answers),
        what=f"GET {internal_path} on every {role} with {BEARER_HEADER} signed by another secret",
        expected="HTTP 401 (internal authentication failed)",
        observed="; ".join(f"{e.alias}: {a}" for e, a in answers),
        fix=SECRET_FIX,
    )
