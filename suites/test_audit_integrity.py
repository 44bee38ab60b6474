"""Audit field integrity: the event records what happened, not what the client claims, and it
travels to the audit store encrypted.

The client address is the one field of a query event an investigation leans on that the server,
not the client, should fill in: ``X-Forwarded-For`` from a client that is not a declared proxy must
not move it (``http-server.process-forwarded``). Source, client info and client tags are
client-supplied by design: the checks use them only as markers to find an event, never as evidence
of who ran a query (docs/beyond-the-tables.md).
"""

from __future__ import annotations

import uuid

import pytest

from trino_harness.audit.reader import wait_for_completed
from trino_harness.event_listener_targets import event_listener_files, event_listener_targets
from trino_harness.evidence import Read, cannot_judge, check, check_none_found
from trino_harness.protocol import submit

pytestmark = pytest.mark.audit

SPOOFED_PEER = "203.0.113.77"  # TEST-NET-3: never a real client of the target


def test_every_event_listener_target_is_https(target):
    root = target.coordinator_config()
    targets = event_listener_targets(root)  # a file named but not in the copy: IncompleteConfigCopy, an ERROR
    unknown = [t for t in targets if t.problem and t.problem.endswith("cannot judge")]
    if unknown:
        cannot_judge(", ".join(f"{t.file} (event-listener.name={t.name})" for t in unknown))
    if not targets:  # nothing of this check's to judge: no target is not every target secure
        pytest.skip(
            "no event listener is configured in the config copy (event-listener.config-files): "
            "nothing sends query events anywhere; the audit checks judge whether events land"
        )
    check_none_found(
        [f"{t.file}: {t.key}={t.value} {t.problem}" for t in targets if t.problem],
        read=Read(
            ("config.properties", *event_listener_files(root)),
            tuple(f"{t.file} ({t.name}): {t.value}" for t in targets),
        ),
        what="where each configured event listener sends query events: "
        + ", ".join(f"{t.file} ({t.name})" for t in targets),
        expected="every target https:// (or TLS for JDBC/Kafka listeners)",
        fix="point http-event-listener.connect-ingest-uri at https://… and trust its CA with "
        "http-event-listener.http-client.trust-store-path (Kafka: security.protocol=SSL or SASL_SSL in "
        "the file kafka-event-listener.config.resources names)",
    )


def _completed_event(target, audit_reader, audit_timeout, answer):
    events, _ = wait_for_completed(audit_reader, answer.query_id, audit_timeout)
    completed = [e for e in events if e.event_type == "completed"]
    if not completed:
        cannot_judge(f"no completed event for {answer.query_id} within {audit_timeout:.0f}s")
    return completed[0]


def test_completed_event_records_the_real_peer_not_x_forwarded_for(
    target, scenario, audit_reader, audit_timeout
):
    operator = scenario.operator
    auth = (operator.principal, target.password(operator.provider, operator.principal))
    marker = f"harness-peer-{uuid.uuid4().hex[:12]}"
    plain = submit(target, f"SELECT '{marker}'", auth=auth)
    if not plain.query_id:
        cannot_judge(f"the control query did not run: {plain}")
    forwarded = submit(target, f"SELECT '{marker}-xff'", auth=auth, headers={"X-Forwarded-For": SPOOFED_PEER})
    peer = _completed_event(target, audit_reader, audit_timeout, plain).remote_client_address
    if not peer:  # the control must show an address, or an empty one would match an empty one
        cannot_judge(f"the control query's event records no client address ({plain.query_id})")
    if forwarded.status == 406:  # Trino refuses the header outright when it does not process it
        observed = f"refused: {forwarded}"
        ok = True
    elif not forwarded.query_id:
        cannot_judge(f"the forwarded query neither ran nor was refused: {forwarded}")
    else:
        recorded = _completed_event(target, audit_reader, audit_timeout, forwarded).remote_client_address
        observed = f"query ran and its event records {recorded}"
        ok = recorded == peer != SPOOFED_PEER
    check(
        ok,
        what=f"remoteClientAddress of a query sent with X-Forwarded-For: {SPOOFED_PEER} (no proxy declared)",
        expected=f"refused (HTTP 406), or the peer the same client's plain query recorded ({peer})",
        observed=observed[:400],
        fix="keep http-server.process-forwarded=false unless a proxy that overwrites X-Forwarded-For "
        "is the only way in",
    )
