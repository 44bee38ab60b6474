"""Audit correctness: each query leaves exactly one completed event: who ran what, as whom, how it ended.

Each row of ``expectations.audit`` runs once per worker (allowed, denied, impersonated, failed);
three checks then read its events through the ``AuditReader`` interface, never knowing the store.
The client info carries a fresh marker, so the event proves it belongs to this very run.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from trino_harness.audit.reader import AuditEvent, AuditReader, wait_for_completed
from trino_harness.evidence import check
from trino_harness.scenario.model import AuditRow
from trino_harness.target import Target

from .outcomes import Outcome, run_as

pytestmark = pytest.mark.audit

SOURCE = "trino-harness-audit"
LISTENER_FIX = (
    "event-listener.config-files must list the HTTP event listener with "
    "http-event-listener.log-completed=true and connect-ingest-uri pointing at the collector"
)


@dataclass(frozen=True)
class AuditedQuery:
    row: AuditRow
    client_info: str
    outcome: Outcome


class AuditTrail:
    """Runs each row's query once (per worker) and waits, bounded, for its completed event to land."""

    def __init__(self, target: Target, reader: AuditReader, timeout_s: float, measure: Callable) -> None:
        self._target, self._reader, self._timeout, self._measure = target, reader, timeout_s, measure
        self._done: dict[str, AuditedQuery] = {}

    def of(self, row: AuditRow) -> AuditedQuery:
        if row.test_id() not in self._done:
            marker = f"trino-harness audit {uuid.uuid4().hex[:12]}"
            outcome = run_as(
                self._target, row.principal, row.sql, user=row.as_user, source=SOURCE, client_info=marker
            )
            if outcome.query_id:
                events, waited = wait_for_completed(self._reader, outcome.query_id, self._timeout)
                completed = [e for e in events if e.event_type == "completed"]
                if completed:
                    self._measure("audit event landing latency (s)", waited)
                    event = completed[0]
                    if event.end_time and event.received_at:
                        stored = (event.received_at - event.end_time).total_seconds()
                        self._measure("audit event stored after query end (s)", stored)
            self._done[row.test_id()] = AuditedQuery(row, marker, outcome)
        return self._done[row.test_id()]


@pytest.fixture(scope="session")
def audit_trail(target, audit_reader, audit_timeout, measure) -> AuditTrail:
    return AuditTrail(target, audit_reader, audit_timeout, measure)


def _query_id(audited: AuditedQuery) -> str:
    check(
        audited.outcome.query_id is not None,
        what=f"query of {audited.row.test_id()}",
        expected="the server assigns a query id (the request reached the query engine)",
        observed=audited.outcome,
        fix="the row's principal must be able to log in; see the user mapping and authentication checks",
    )
    return audited.outcome.query_id or ""


def _completed(reader: AuditReader, audited: AuditedQuery) -> list[AuditEvent]:
    return [e for e in reader.events(_query_id(audited)) if e.event_type == "completed"]


def _the_completed_event(reader: AuditReader, audited: AuditedQuery, timeout_s: float) -> AuditEvent:
    completed = _completed(reader, audited)
    check(
        bool(completed),
        what=f"completed event of query {audited.outcome.query_id}",
        expected="one stored completed event",
        observed=f"none within {timeout_s:.0f}s",
        fix=LISTENER_FIX,
    )
    return completed[0]


def _principal(text: str | None) -> str | None:
    """A certificate principal is recorded as 'CN=x, OU=y' (RFC 2253 with spaces); compare without them."""
    return re.sub(r",\s*", ",", text) if text else text


def test_query_leaves_exactly_one_completed_event(audit_row, audit_trail, audit_reader, audit_timeout):
    audited = audit_trail.of(audit_row)
    completed = _completed(audit_reader, audited)
    check(
        len(completed) == 1 and completed[0].query_id == audited.outcome.query_id,
        what=f"completed events for query {audited.outcome.query_id}",
        expected="exactly one, with that query id",
        observed=f"{len(completed)} within {audit_timeout:.0f}s: {completed}",
        fix=LISTENER_FIX + "; duplicates mean two listeners post to the same store",
    )


def test_completed_event_records_who_ran_what_and_how_it_ended(
    audit_row, audit_trail, audit_reader, audit_timeout
):
    audited = audit_trail.of(audit_row)
    event = _the_completed_event(audit_reader, audited, audit_timeout)
    row = audit_row
    expected = {
        "user": row.user,
        "principal": _principal(row.principal.principal),
        "source": SOURCE,
        "client_info": audited.client_info if row.client_info_recorded else None,
        "query": row.sql,
        "state": row.state,
        "error_code": row.error,
    }
    unjudged = {k: audit_reader.lacks[k] for k in expected if k in audit_reader.lacks}
    for field in unjudged:  # the store cannot record it: judge the rest and say so
        expected.pop(field)
    observed = {**{k: getattr(event, k) for k in expected}, "principal": _principal(event.principal)}
    wrong = {k: observed[k] for k in expected if observed[k] != expected[k]}
    not_judged = "".join(f"; {k} not judged: {why}" for k, why in unjudged.items())
    check(
        not wrong,
        what=f"completed event of query {event.query_id} ({row.test_id()}){not_judged}",
        expected={k: expected[k] for k in wrong},
        observed=f"{wrong} (client saw: {audited.outcome})",
        fix="the event must carry context.user (effective), context.principal (authenticated), source, "
        "clientInfo, metadata.query, queryState and failureInfo.errorCode; if the state differs, check the "
        "access rules",
    )


def test_completed_event_times_are_ordered(audit_row, audit_trail, audit_reader, audit_timeout):
    audited = audit_trail.of(audit_row)
    event = _the_completed_event(audit_reader, audited, audit_timeout)
    if "execution_start_time" in audit_reader.lacks:  # e.g. Starburst's event logger: two times only
        pair = (event.create_time, event.end_time)
        check(
            None not in pair and pair[0] <= pair[1],  # type: ignore[operator]
            what=f"createTime ≤ endTime of query {event.query_id} (executionStartTime not judged: "
            f"{audit_reader.lacks['execution_start_time']})",
            expected="both present and in that order",
            observed=f"create={pair[0]} end={pair[1]}",
            fix="the audit store must keep the listener's createTime and endTime unchanged",
        )
        return
    times = (event.create_time, event.execution_start_time, event.end_time)
    check(
        None not in times and times[0] <= times[1] <= times[2],  # type: ignore[operator]
        what=f"createTime ≤ executionStartTime ≤ endTime of query {event.query_id}",
        expected="all three present and in that order",
        observed=f"create={times[0]} start={times[1]} end={times[2]}",
        fix="the collector must store the listener's createTime, executionStartTime and endTime unchanged",
    )
