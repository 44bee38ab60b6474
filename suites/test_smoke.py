"""Smoke: the reference stack is wired end to end.

One query over verified HTTPS per identity type, the server's version, and each query's
completed event in the audit store.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from trino_harness.audit.reader import wait_for_completed
from trino_harness.clients import connect, tls_context
from trino_harness.evidence import check

from .outcomes import run_as

pytestmark = pytest.mark.smoke


def test_server_reports_the_pinned_version(target, scenario):
    info = httpx.get(f"{target.url}/v1/info", verify=tls_context(target.ca_path), timeout=10).json()
    expected_version = target.version()
    version = str(info.get("nodeVersion", {}).get("version"))
    check(
        version == expected_version,
        what="GET /v1/info nodeVersion",
        expected=expected_version,
        observed=version,
        fix="run the image built for the expected release (--trino-version / --trino-image)",
    )

    nodes = run_as(target, scenario.operator, "SELECT DISTINCT node_version FROM system.runtime.nodes")
    if not nodes.ok and nodes.error_name != "PERMISSION_DENIED":
        pytest.fail(f"cannot judge the nodes' versions: {nodes}", pytrace=False)
    # A refusal is Trino's answer: the declared operator may not read system information.
    check(
        nodes.ok,
        what=f"the operator {scenario.operator.label()} reading system.runtime.nodes",
        expected="the node list (the operator's table rules grant SELECT on system.runtime.nodes)",
        observed=nodes,
        fix="give the operator's user or group SELECT on system.runtime.nodes (a 'tables' rule in the "
        "rules file), and make sure the group provider reports that group",
    )
    versions = sorted(row[0] for row in nodes.rows or [])
    check(
        versions == [expected_version],
        what="system.runtime.nodes node_version",
        expected=[expected_version],
        observed=versions,
        fix="every node must run the same, expected release",
    )


def test_smoke_query_runs_as_mapped_user(target, smoke_row):
    cur = connect(target, smoke_row).cursor()
    cur.execute("SELECT current_user")
    observed = cur.fetchall()
    check(
        observed == [[smoke_row.user]],
        what=f"SELECT current_user as {smoke_row.label()}",
        expected=smoke_row.user,
        observed=observed,
        fix="check the provider's user-mapping pattern/file in config.properties",
    )


def test_smoke_query_completed_event_lands_in_postgres(
    target, smoke_row, audit_reader, audit_timeout, measure
):
    marker = f"smoke {uuid.uuid4().hex[:12]}"
    cur = connect(target, smoke_row, client_info=marker).cursor()
    cur.execute(f"SELECT '{marker}'")
    cur.fetchall()
    events, waited = wait_for_completed(audit_reader, cur.query_id, timeout_s=audit_timeout)
    measure("audit event landing latency (s)", waited)
    completed = [e for e in events if e.event_type == "completed"]
    check(
        len(completed) == 1,
        what=f"completed events for query {cur.query_id}",
        expected="exactly one",
        observed=f"{len(completed)} (all events: {events})",
        fix="event-listener.config-files must list the HTTP event listener with log-completed=true "
        "and connect-ingest-uri pointing at the collector",
    )
    event = completed[0]
    observed = (event.user, event.state, event.client_info, marker in (event.query or ""))
    check(
        observed == (smoke_row.user, "FINISHED", marker, True),
        what="completed event fields",
        expected=(smoke_row.user, "FINISHED", marker, True),
        observed=observed,
        fix="the collector stores context.user, metadata.queryState, context.clientInfo and metadata.query",
    )
    check(
        bool(event.principal),
        what="completed event principal",
        expected="the authenticated principal",
        observed=event.principal,
        fix="Trino fills context.principal for authenticated requests",
    )
