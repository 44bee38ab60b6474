"""OAuth2 / OpenID Connect against a real identity provider (Keycloak in the reference stack).

A token from the provider logs in as the declared user (or is refused by the user mapping); a token
for another audience, an expired token and a token from another issuer are refused; an
unauthenticated request gets Trino's external-authentication challenge, and a person who follows it
in a browser and logs in at the provider ends up with a token that runs a query as themselves; the
audit record of an OIDC query names the right user. Rows come from the scenario's ``oidc.users``.
No check prints a token or a secret: evidence names the token's claims (issuer, audience, expiry).

Just over the house's 300 lines: every OAuth2 check against the one provider, sharing its token helpers.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from fixtures.parametrize import Table
from trino_harness.audit.reader import wait_for_completed
from trino_harness.evidence import check
from trino_harness.oidc_client import (
    ExternalAuthentication,
    TokenRefused,
    claim_summary,
    claims,
    external_authentication,
    password_grant,
    poll_token_server,
)
from trino_harness.polling import poll, wait_past
from trino_harness.protocol import submit
from trino_harness.redaction import bare_url, redact
from trino_harness.scenario.model import Scenario
from trino_harness.scenario.oidc import OidcUser
from trino_harness.webui.browser import BrowserMissing, headless_chromium, in_ci
from trino_harness.webui.pages import attach_screenshot

from .logins import judge_mapping

pytestmark = [pytest.mark.authn, pytest.mark.oidc]

ENABLE_FIX = (
    "add OAUTH2 to http-server.authentication.type with http-server.authentication.oauth2.issuer, "
    "client-id and client-secret (${ENV:...})"
)
AUDIENCE_FIX = (
    "list in http-server.authentication.oauth2.additional-audiences only audiences meant for Trino "
    "(tokens must carry Trino's client id or one of those in aud)"
)
MAPPING_FIX = "anchor http-server.authentication.oauth2.user-mapping.pattern to plain user names"
# Checks that need a user who may log in.
LOGIN_ONLY = (
    "test_token_for_another_audience_is_refused",
    "test_expired_token_is_refused",
    "test_token_from_another_issuer_is_refused",
    "test_browser_login_through_the_provider_yields_a_token_for_the_user",
    "test_oidc_query_is_audited_as_the_user",
)


def _users(scenario: Scenario, test: str) -> list[OidcUser]:
    """Rows of ``oidc.users``; LOGIN_ONLY checks take the first user that may log in."""
    rows = list(scenario.oidc.users) if scenario.oidc else []
    return [r for r in rows if r.user is not None][:1] if test in LOGIN_ONLY else rows


def _user_id(row: OidcUser, test: str) -> str:
    if test == "test_oidc_token_logs_in_as_declared_user":
        return f"{row.username}-{'accepted-as-' + row.user if row.user else 'refused'}"
    return row.username


TABLES = (
    Table(
        "oidc_user",
        _users,
        _user_id,
        empty="no oidc.users in the scenario: add an oidc: section to test OAuth2",
    ),
)


def _token(target, row: OidcUser, **kwargs) -> str:
    oidc = target.oidc_provider()
    try:
        return password_grant(oidc, target.ca_path, row.username, **kwargs)
    except TokenRefused as exc:
        pytest.fail(f"the identity provider gave no token for {row.username}, cannot judge: {exc}")


def test_oidc_token_logs_in_as_declared_user(target, oidc_user):
    token = _token(target, oidc_user)
    answer = submit(target, headers={"Authorization": f"Bearer {token}"})
    judge_mapping(
        answer,
        oidc_user.user,
        what=f"statement with an access token of {oidc_user.username} ({claim_summary(token)})",
        refusal="the OAuth2 user mapping refuses this user name",
        refused_fix=MAPPING_FIX,
        accepted_fix=f"{ENABLE_FIX}; principal-field naming the user claim (preferred_username for Keycloak)",
    )


def test_no_credentials_get_the_external_authentication_challenge(target):
    target.oidc_provider()
    answer = submit(target)
    found = external_authentication(answer.challenges)
    check(
        answer.status == 401 and found is not None,
        what="a statement without credentials",
        expected='HTTP 401 with \'WWW-Authenticate: Bearer x_redirect_server="...", x_token_server="..."\'',
        observed=answer,
        fix=ENABLE_FIX,
    )


def test_token_for_another_audience_is_refused(target, oidc_user):
    oidc = target.oidc_provider()
    client = oidc.other_audience_client()
    token = _token(target, oidc_user, client=client)
    answer = submit(target, headers={"Authorization": f"Bearer {token}"})
    check(
        answer.status == 401,
        what=f"access token of {oidc_user.username} issued to client {client[0]} ({claim_summary(token)})",
        expected=f"HTTP 401: the token's audience is not Trino's ({oidc.client_id})",
        observed=answer,
        fix=AUDIENCE_FIX,
    )


def test_expired_token_is_refused(target, scenario, oidc_user):
    """A token of Trino's audience from a client whose tokens live about a second, used after expiry."""
    oidc = target.oidc_provider()
    token = _token(target, oidc_user, client=oidc.short_lived_client())
    expires = claims(token).get("exp")
    if not isinstance(expires, int | float):
        pytest.fail(f"cannot judge: the short-lived token carries no exp claim ({claim_summary(token)})")
    # Past exp plus the clock skew the scenario declares for the coordinator (exp is whole seconds:
    # one more), polled on the clock and bounded: a token living far longer cannot be judged here.
    skew = scenario.oidc.max_clock_skew_seconds if scenario.oidc else 0
    stale_at = expires + skew + 1
    if stale_at - time.time() > 60:
        pytest.fail(
            f"cannot judge: the short-lived client's token lives until {expires} ({claim_summary(token)})"
        )
    wait_past(stale_at, timeout_s=61)
    answer = submit(target, headers={"Authorization": f"Bearer {token}"})
    check(
        answer.status == 401,
        what=f"access token of {oidc_user.username} presented more than the declared clock skew ({skew} s) "
        f"after it expired ({claim_summary(token)})",
        expected="HTTP 401: token expired",
        observed=answer,
        fix="keep http-server.authentication.oauth2.max-clock-skew small (seconds, not minutes)",
    )


def test_token_from_another_issuer_is_refused(target, oidc_user):
    oidc = target.oidc_provider()
    token = _token(target, oidc_user, token_url=oidc.other_issuer())
    answer = submit(target, headers={"Authorization": f"Bearer {token}"})
    check(
        answer.status == 401,
        what=f"access token of {oidc_user.username} for Trino's client id from another issuer "
        f"({claim_summary(token)})",
        expected=f"HTTP 401: the issuer is not {oidc.issuer}",
        observed=answer,
        fix="http-server.authentication.oauth2.issuer must name the one issuer Trino trusts",
    )


@pytest.fixture
def oidc_browser(target):
    oidc = target.oidc_provider()
    flags = (f"--host-resolver-rules={oidc.browser_host_rules}",) if oidc.browser_host_rules else ()
    try:
        with headless_chromium(extra_flags=flags) as driver:
            yield driver
    except BrowserMissing as exc:
        if in_ci():
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def _provider_login_page(driver, url: str) -> str | None:
    """Open ``url`` (Trino's redirect server) and wait for the provider's login form; None when it
    is there, else what the browser shows instead (Keycloak's ids: username, password, kc-login)."""
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        driver.get(url)
        login_form = expected_conditions.visibility_of_element_located((By.ID, "username"))
        WebDriverWait(driver, 30).until(login_form)
        return None
    except (TimeoutException, WebDriverException) as exc:
        body = driver.find_elements(By.TAG_NAME, "body")
        text = redact(" ".join(body[0].text.split()))[:200] if body else type(exc).__name__
        return f"{bare_url(driver.current_url)} (title {driver.title!r}): {text!r}"


BACK_AT_TRINO_S = 60


def _back_at(driver, trino_url: str) -> bool:
    """Bounded wait for the provider's answer to the login POST: the browser back at Trino (its
    callback), the application's own signal that the login round trip has ended."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    trino = urlsplit(trino_url).netloc
    try:
        WebDriverWait(driver, BACK_AT_TRINO_S, poll_frequency=0.25).until(
            lambda d: urlsplit(d.current_url).netloc == trino
        )
    except TimeoutException:
        return False
    return True


def _seen_page(driver) -> str:
    from selenium.webdriver.common.by import By

    body = driver.find_elements(By.TAG_NAME, "body")
    text = redact(" ".join(body[0].text.split()))[:200] if body else ""
    return f"{bare_url(driver.current_url)} (title {driver.title!r}): {text!r}"


def _login_at_the_provider(target, browser, username: str, password: str) -> ExternalAuthentication:
    """A fresh challenge, its redirect server in the browser, the provider's form filled and sent.

    A coordinator that has just started may not have loaded its OIDC configuration yet: fresh
    challenges, two seconds apart, for up to a minute (each page load waits up to 30 s of its own)
    before the provider's login page must be there."""
    from selenium.webdriver.common.by import By

    seen: list[str] = []

    def fresh_challenge() -> tuple[ExternalAuthentication | None, str | None]:
        challenge = external_authentication(submit(target).challenges)
        problem = None if challenge is None else _provider_login_page(browser, challenge.redirect_server)
        if problem is not None:
            seen.append(problem)
        return challenge, problem

    polled = poll(
        fresh_challenge,
        lambda got: got[0] is None or got[1] is None,
        timeout_s=60,
        interval_s=2,
        max_interval_s=2,
    )
    challenge, problem = polled.value
    if challenge is None:
        pytest.fail("no external-authentication challenge, cannot judge (see the challenge check)")
    if problem is not None:
        attach_screenshot(browser, "no login page at the identity provider")
        pytest.fail(
            f"no login form at the identity provider after {len(seen)} challenges, cannot judge; saw: {seen}"
        )
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    attach_screenshot(browser, "identity provider login page (password masked)")
    browser.find_element(By.ID, "kc-login").click()
    return challenge


def test_browser_login_through_the_provider_yields_a_token_for_the_user(target, oidc_user, oidc_browser):
    """Trino's external authentication as a CLI or JDBC user meets it: the 401 names a redirect
    server and a token server; a browser opens the first, logs in at the provider, comes back to
    Trino's callback; the token server then hands out a token that runs a query as that user."""
    oidc = target.oidc_provider()
    for attempt in range(2):
        challenge = _login_at_the_provider(
            target, oidc_browser, oidc_user.username, oidc.password(oidc_user.username)
        )
        if _back_at(oidc_browser, challenge.redirect_server):
            break
        page = _seen_page(oidc_browser)
        # Chromium's own error page for a host network change (Docker adding a network or a
        # container's interface beside the run) is no answer of the provider's: once more.
        if attempt == 0 and "ERR_NETWORK_CHANGED" in page:
            oidc_browser.delete_all_cookies()  # the provider's, should the login have reached it
            continue
        attach_screenshot(oidc_browser, "still at the identity provider after the login")
        pytest.fail(
            "cannot judge: the browser did not come back from the identity provider within "
            f"{BACK_AT_TRINO_S}s; it shows {page}",
            pytrace=False,
        )
    token = poll_token_server(target, challenge.token_server)
    attach_screenshot(oidc_browser, "back at Trino after the provider login")
    answer = submit(target, headers={"Authorization": f"Bearer {token}"}) if token else None
    check(
        answer is not None and answer.accepted and answer.user == oidc_user.user,
        what=f"browser login of {oidc_user.username} through {challenge.redirect_server.split('/oauth2')[0]}"
        "/oauth2/token/initiate/…",
        expected=f"the token server hands out a token; a query with it runs as {oidc_user.user}",
        observed=answer
        or f"no token from the token server; the browser ended at {bare_url(oidc_browser.current_url)}",
        fix="register https://<coordinator>/oauth2/callback as a redirect URI of Trino's client; "
        "the issuer must be reachable from the coordinator and the browser under one name",
    )


@pytest.mark.audit
def test_oidc_query_is_audited_as_the_user(target, oidc_user, audit_reader, audit_timeout):
    answer = submit(target, headers={"Authorization": f"Bearer {_token(target, oidc_user)}"})
    if not answer.ok or answer.query_id is None:
        pytest.fail(f"the OIDC login itself failed, nothing to audit: {answer}")
    events, _ = wait_for_completed(audit_reader, answer.query_id, audit_timeout)
    completed = [e for e in events if e.event_type == "completed"]
    observed = [(e.user, e.principal) for e in completed] or f"no completed event for query {answer.query_id}"
    check(
        len(completed) == 1
        and completed[0].user == oidc_user.user
        and oidc_user.username in (completed[0].principal or ""),
        what=f"audit record of a query by OIDC user {oidc_user.username}",
        expected=f"one completed event, user {oidc_user.user}, principal {oidc_user.username}",
        observed=observed,
        fix="http-event-listener.log-completed=true and connect-ingest-uri pointing at the collector",
    )
