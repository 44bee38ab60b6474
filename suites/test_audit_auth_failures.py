"""Failed logins: recorded in the coordinator's HTTP request log, never as a query or a query event.

Authentication happens before a query exists, so Trino's event listeners never hear of a failed
login; its only server-side trace is the request log. These checks prove both halves: the 401 is
logged, and no query and no audit event carries the attempt's statement.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from trino_harness.audit.reader import wait_for_completed
from trino_harness.audit.request_log import wait_for_entries
from trino_harness.evidence import cannot_judge, check, refusal_of
from trino_harness.scenario.model import Principal

from .login_attempts import LoginAttempt, attempt_login
from .outcomes import run_as

pytestmark = pytest.mark.audit

LOGIN_FIX = (
    "the login was not refused: check the authenticator and the provider's user-mapping pattern/file "
    "(full-match regexes; anchor the domain, e.g. (.+)@example\\.com)"
)


def _refused(row, attempt: LoginAttempt) -> None:
    """A refusal is Trino's 401; an acceptance a 200 statement answer (it carries a query id).
    Anything else (a gateway's 503, a 200 that is no statement answer) says nothing of the login."""
    accepted = attempt.status == 200
    if accepted and attempt.query_id is None:
        cannot_judge(f"login as {row.label()}: HTTP 200 without a statement answer (no query id): {attempt}")
    refusal = refusal_of(
        status=attempt.status,
        said=str(attempt),
        refused_statuses=frozenset({401}),
        refused_errors=frozenset(),
        accepted=accepted,
    )
    check(
        refusal is not None and attempt.query_id is None,
        what=f"login as {row.label()} ({row.attempt.replace('_', ' ')})",
        expected="HTTP 401 and no query id",
        observed=attempt,
        fix=LOGIN_FIX,
    )


def _split_literal(marker: str) -> str:
    """``'ab' || 'cd'``: the reading query's own text then does not contain the marker."""
    half = len(marker) // 2
    return f"'{marker[:half]}' || '{marker[half:]}'"


def _other_identity(scenario):
    """A principal that logs in as a user other than the operator's (for the visibility control)."""
    operator = scenario.operator.principal
    for row in scenario.expectations.authentication:
        if row.user and row.principal != operator and row.provider in ("file", "ldap"):
            return Principal(provider=row.provider, principal=row.principal)
    cannot_judge("the scenario declares no password login other than the operator's")


def test_failed_login_is_in_the_request_log(
    target, audit_auth_failures_row, request_log, audit_timeout, measure
):
    started = datetime.now(UTC)
    attempt = attempt_login(target, audit_auth_failures_row)
    _refused(audit_auth_failures_row, attempt)
    entries, waited = wait_for_entries(request_log, attempt.marker, audit_timeout)
    if entries:
        measure("request-log landing latency of a refused login (s)", waited)
    elif gap := request_log.ends_before(started):
        cannot_judge(f"no line with user agent {attempt.marker} after {waited:.1f}s, and {gap}")
    check(
        [(e.method, e.uri, e.status) for e in entries] == [("POST", "/v1/statement", 401)],
        what=f"request-log lines with user agent {attempt.marker}",
        expected=[("POST", "/v1/statement", 401)],
        observed=f"{entries} after {waited:.1f}s",
        fix="keep http-server.log.enabled=true (default) and read the file named by http-server.log.path "
        "(default var/log/http-request.log under the data directory)",
    )


def test_failed_login_leaves_no_query_and_no_query_event(
    target, scenario, audit_auth_failures_row, audit_reader, audit_timeout
):
    attempt = attempt_login(target, audit_auth_failures_row)
    _refused(audit_auth_failures_row, attempt)
    # Absence proves something only if the operator sees other users' queries: a control query by
    # another identity, carrying its own marker, must be listed by the same read.
    other = _other_identity(scenario)
    control_marker = f"trino-harness-control-{uuid.uuid4().hex[:12]}"
    control = run_as(target, other, f"SELECT '{control_marker}'")
    if not control.ok:
        cannot_judge(f"the control query as {other.label()} did not run ({control})")
    attempt_text = _split_literal(attempt.marker)
    live = run_as(
        target,
        scenario.operator,
        f"SELECT query_id, strpos(query, {attempt_text}) > 0 FROM system.runtime.queries "
        f"WHERE strpos(query, {attempt_text}) > 0 OR strpos(query, {_split_literal(control_marker)}) > 0",
    )
    if not live.ok:
        cannot_judge(f"the operator cannot read system.runtime.queries ({live})")
    if not any(row[0] == control.query_id for row in live.rows or []):
        cannot_judge(
            f"the operator {scenario.operator.label()} does not see {other.label()}'s "
            f"query {control.query_id} in system.runtime.queries, so not seeing the attempt proves nothing "
            "(give the operator a query rule with view on every owner)"
        )
    found = [row[0] for row in live.rows or [] if row[1]]
    check(
        found == [],
        what=f"queries whose text holds {attempt.marker} (as the operator {scenario.operator.label()}, "
        f"who sees {other.label()}'s control query {control.query_id})",
        expected="none",
        observed=found or "none",
        fix="a query exists, so authentication let the request through: " + LOGIN_FIX,
    )
    # A later query's event proves the audit path delivers, so the attempt's missing event means something.
    barrier = run_as(target, scenario.operator, f"SELECT 'trino-harness barrier {uuid.uuid4().hex[:12]}'")
    if not barrier.ok or not barrier.query_id:
        cannot_judge(
            f"the barrier query as {scenario.operator.label()} did not run ({barrier}): without a later "
            "query's event, the attempt's missing event proves nothing"
        )
    events, _ = wait_for_completed(audit_reader, barrier.query_id, audit_timeout)
    check(
        any(e.event_type == "completed" for e in events),
        what=f"completed event of the barrier query {barrier.query_id}, run after the failed login",
        expected="stored (the audit path delivers, so a missing event means something)",
        observed=f"{events} within {audit_timeout:.0f}s",
        fix="event-listener.config-files must list the HTTP event listener with log-completed=true",
    )
    stray = audit_reader.events_mentioning(attempt.marker)
    check(
        stray == [],
        what=f"audit events whose query text holds {attempt.marker}",
        expected="none",
        observed=stray,
        fix="a query event exists, so authentication let the request through: " + LOGIN_FIX,
    )
