"""Kerberos (SPNEGO) against a real MIT KDC: a valid ticket logs in as the declared user; no
ticket, a stale ticket and a ticket for another service principal are refused.

Rows come from the scenario's ``kerberos.principals``; ``user: null`` means the coordinator's
principal-to-user mapping must refuse even a valid ticket.
"""

from __future__ import annotations

import gssapi
import pytest

from fixtures.parametrize import Table
from trino_harness.audit.reader import wait_for_completed
from trino_harness.evidence import check
from trino_harness.kerberos_client import Negotiate, kinit, spnego_token, ticket_end
from trino_harness.polling import wait_past
from trino_harness.protocol import submit
from trino_harness.render.kerberos import SHORT_TICKET_SECONDS
from trino_harness.scenario.kerberos import KerberosPrincipal
from trino_harness.scenario.model import Scenario

from .logins import judge_mapping

pytestmark = [pytest.mark.authn, pytest.mark.kerberos]

MAPPING_FIX = (
    "anchor http-server.authentication.krb5.user-mapping.pattern to <name>@<YOUR.REALM>, no instances"
)


# Checks that need a principal that may log in.
LOGIN_ONLY = ("test_stale_ticket_is_refused", "test_kerberos_query_is_audited_as_the_mapped_user")


def _principals(scenario: Scenario, test: str) -> list[KerberosPrincipal]:
    """Rows of ``kerberos.principals``; LOGIN_ONLY checks take only principals that may log in."""
    rows = list(scenario.kerberos.principals) if scenario.kerberos else []
    return [r for r in rows if r.user is not None] if test in LOGIN_ONLY else rows


def _principal_id(row: KerberosPrincipal, test: str) -> str:
    if test == "test_kerberos_ticket_maps_to_declared_user":
        return f"{row.principal}-{'accepted-as-' + row.user if row.user else 'refused'}"
    return row.principal


TABLES = (
    Table(
        "principal_row",
        _principals,
        _principal_id,
        empty="no kerberos.principals in the scenario: add a kerberos: section to test SPNEGO",
    ),
)


def _ticket(target, row: KerberosPrincipal, tmp_path, lifetime: str | None = None) -> str:
    realm = target.kerberos_realm()
    return kinit(realm, row.principal, target.kerberos_password(row.principal), tmp_path / "ccache", lifetime)


def test_kerberos_ticket_maps_to_declared_user(target, principal_row, tmp_path):
    """A valid ticket: logged in as the declared Trino user, or refused when the row says null."""
    ccache = _ticket(target, principal_row, tmp_path)
    answer = submit(target, auth=Negotiate(target.kerberos_realm(), ccache))
    judge_mapping(
        answer,
        principal_row.user,
        what=f"SPNEGO login with a valid ticket for {principal_row.principal}",
        refusal="the principal-to-user mapping refuses this principal",
        refused_fix=MAPPING_FIX,
        accepted_fix="check the keytab (HTTP/<coordinator alias>), krb5.conf and the krb5 user-mapping "
        "pattern",
    )


def test_no_ticket_is_refused_with_a_negotiate_challenge(target):
    target.kerberos_realm()
    answer = submit(target)
    check(
        answer.status == 401 and any(c.startswith("Negotiate") for c in answer.challenges),
        what="a request without credentials",
        expected="HTTP 401 with a 'WWW-Authenticate: Negotiate' challenge",
        observed=answer,
        fix="add KERBEROS to http-server.authentication.type",
    )


def test_ticket_for_another_service_is_refused(target, principal_row, tmp_path):
    realm = target.kerberos_realm()
    ccache = _ticket(target, principal_row, tmp_path)
    answer = submit(target, auth=Negotiate(realm, ccache, service_host=realm.other_service_host))
    check(
        answer.status == 401,
        what=f"SPNEGO token of {principal_row.principal} for {realm.service_name}/{realm.other_service_host}",
        expected="HTTP 401: the token is not for the coordinator's service principal",
        observed=answer,
        fix="the coordinator's keytab must hold only its own service principal",
    )


def test_stale_ticket_is_refused(target, scenario, principal_row, tmp_path):
    """Tokens made while a short-lived ticket was valid, presented after it expired."""
    realm = target.kerberos_realm()
    ccache = _ticket(target, principal_row, tmp_path, lifetime=f"{SHORT_TICKET_SECONDS}s")
    # Past the ticket's own end plus the clock skew the scenario declares for the coordinator
    # (Kerberos times are whole seconds: one more), polled on the clock, bounded by the lifetime.
    skew = scenario.kerberos.clockskew_seconds if scenario.kerberos else 0
    stale_at = ticket_end(realm, ccache) + skew + 1
    try:
        tokens = [spnego_token(realm, ccache) for _ in range(20)]
    except gssapi.exceptions.GSSError as exc:  # a machine so slow the ticket ended while making them
        pytest.fail(
            f"cannot judge: no SPNEGO token from the {SHORT_TICKET_SECONDS}s ticket ({exc})", pytrace=False
        )
    if not wait_past(stale_at, timeout_s=SHORT_TICKET_SECONDS + skew + 5):
        pytest.fail(
            f"cannot judge: the ticket outlived its declared {SHORT_TICKET_SECONDS}s lifetime", pytrace=False
        )
    answer = submit(target, auth=Negotiate(realm, ccache, prepared=tokens))
    check(
        answer.status == 401,
        what=f"SPNEGO tokens of {principal_row.principal} made from a ticket that expired more than the "
        f"declared clock skew ({skew} s) ago",
        expected="HTTP 401: ticket expired / authenticator outside the clock skew",
        observed=answer,
        fix="keep clockskew small (default 300 s at most) in the coordinator's krb5.conf",
    )


@pytest.mark.audit
def test_kerberos_query_is_audited_as_the_mapped_user(
    target, principal_row, tmp_path, audit_reader, audit_timeout
):
    """The completed event names the mapped user and the Kerberos principal behind it."""
    answer = submit(target, auth=Negotiate(target.kerberos_realm(), _ticket(target, principal_row, tmp_path)))
    if not answer.ok or answer.query_id is None:
        pytest.fail(f"the Kerberos login itself failed, nothing to audit: {answer}")
    events, _ = wait_for_completed(audit_reader, answer.query_id, audit_timeout)
    completed = [e for e in events if e.event_type == "completed"]
    observed = [(e.user, e.principal) for e in completed] or f"no completed event for query {answer.query_id}"
    check(
        len(completed) == 1
        and completed[0].user == principal_row.user
        and principal_row.principal in (completed[0].principal or ""),
        what=f"audit record of a query by Kerberos principal {principal_row.principal}",
        expected=f"one completed event, user {principal_row.user}, principal {principal_row.principal}",
        observed=observed,
        fix="http-event-listener.log-completed=true and connect-ingest-uri pointing at the collector",
    )
