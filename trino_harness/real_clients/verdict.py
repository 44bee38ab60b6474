"""A real client's verdict from its parsed answer (never from words in its output).

A row says one of three things, and each is judged only by the answer that can prove it:

- **gets in as U**: the query reported ``U``. A parsed refusal (HTTP 401, ``PERMISSION_DENIED``)
  or another user is a FAIL; a crash, a timeout or another error is no verdict.
- **login refused**: HTTP 401 from authentication, with an authenticator's reason (a bare
  ``Unauthorized`` means no credential reached one: no verdict). A login the server accepted (the
  query ran, or failed *as a query*, an impersonation denial included) is a FAIL: the server went
  past the login.
- **impersonation denied**: Trino's ``PERMISSION_DENIED`` naming the user asked for ("User L
  cannot impersonate user U"). A refused login never got that far, and a denial of something else
  is not this one: both are no verdict.
"""

from __future__ import annotations

import re

from trino_harness.evidence import cannot_judge, check, refusal_of
from trino_harness.real_clients.process import ClientRun
from trino_harness.scenario.clients import ClientRow

FIX_LOGIN = "check the provider's configuration and user mapping for this way in (see the invocation)"
FIX_IMPERSONATION = "review the 'impersonation' section of rules.json and the client's session-user option"
PERMISSION_DENIED = frozenset({"PERMISSION_DENIED"})
# AccessDeniedException.denyImpersonateUser: "User %s cannot impersonate user %s" + optional ": extra"
_IMPERSONATION = re.compile(
    r"^Access Denied: User (?P<login>.+?) cannot impersonate user (?P<user>.+?)(?:: .*)?$"
)


# Trino's AuthenticationFilter answers a bare "Unauthorized" only when no authenticator gave a
# reason, i.e. none was handed a credential; every rejected credential comes with its reason(s).
_BARE_UNAUTHORIZED = re.compile(r"^(?:.*?(?::\s*|b['\"]))?Unauthorized['\"]?\s*$", re.S)


def no_credential_seen(said: str) -> bool:
    """Whether a 401's words are Trino's bare ``Unauthorized``: no credential reached an authenticator."""
    return bool(_BARE_UNAUTHORIZED.match(said.strip())) or not said.strip()


def impersonation_denied(message: str) -> tuple[str, str] | None:
    """(login, user asked for) of Trino's impersonation denial, or None for any other message."""
    found = _IMPERSONATION.match(message.strip())
    return (found["login"], found["user"]) if found else None


def judge(row: ClientRow, run: ClientRun, what: str) -> None:
    """Record the row's verdict for this run (CheckFailed on FAIL, CannotJudge when none can be had)."""
    answer = run.answer
    if row.user is not None:
        refusal = refusal_of(
            status=answer.http_status, error_name=answer.error_name, said=answer.said,
            refused_statuses=frozenset({401, 403}), refused_errors=PERMISSION_DENIED,
            accepted=answer.user is not None,
        )  # fmt: skip
        check(
            refusal is None and answer.user == row.user,
            what=what,
            expected=f"the query runs as {row.user}",
            observed=run,
            fix=FIX_IMPERSONATION if row.as_user else FIX_LOGIN,
        )
    elif row.as_user:
        if not answer.query_answered and answer.http_status == 401:
            cannot_judge(f"the login itself was refused, so acting as {row.as_user} was never asked: {run}")
        refusal = refusal_of(
            status=answer.http_status, error_name=answer.error_name, said=answer.said,
            refused_statuses=frozenset(), refused_errors=PERMISSION_DENIED, accepted=answer.user is not None,
        )  # fmt: skip
        denied = impersonation_denied(refusal.said) if refusal is not None else None
        if refusal is not None and (denied is None or denied[1] != row.as_user):
            cannot_judge(f"refused for another reason than acting as {row.as_user}: {run}")
        check(
            refusal is not None,
            what=what,
            expected=f"the login accepted, then PERMISSION_DENIED: ... cannot impersonate user {row.as_user}",
            observed=run,
            fix=FIX_IMPERSONATION,
        )
    else:
        refusal = refusal_of(
            status=answer.http_status, said=answer.said, refused_statuses=frozenset({401}),
            refused_errors=frozenset(), accepted=answer.query_answered,
        )  # fmt: skip
        if refusal is not None and no_credential_seen(refusal.said):
            cannot_judge(
                f"HTTP 401 with no authenticator's reason ('Unauthorized'): the server saw no credential, "
                f"so the client may not have sent the row's one: {run}"
            )
        check(
            refusal is not None,
            what=what,
            expected="the login is refused (HTTP 401)",
            observed=run,
            fix=FIX_LOGIN,
        )
