"""Web UI login in a real browser: a login is required, valid LDAP credentials get in, wrong ones
do not, the session cookie is ``Secure`` and ``HttpOnly``, and the UI is not served over plain HTTP.

Run with ``pytest suites/ -m webui``. Screenshots of what the browser showed are attached as
evidence (the password field is masked, so no secret is in a picture).
"""

from __future__ import annotations

import pytest

from trino_harness.evidence import check
from trino_harness.protocol import UI_COOKIE, ui_api
from trino_harness.webui.browser import BrowserMissing, headless_chromium, in_ci
from trino_harness.webui.pages import WAIT_S, LoginOutcome, NoLoginForm, attach_screenshot, log_in, open_ui
from trino_harness.webui.plain_http import look_over_plain_http

pytestmark = pytest.mark.webui

LOGIN_FIX = (
    "set web-ui.authentication.type=form (or leave it unset with PASSWORD in "
    "http-server.authentication.type) and never web-ui.authentication.type=fixed / web-ui.user"
)


@pytest.fixture
def browser():
    try:
        with headless_chromium() as driver:
            yield driver
    except BrowserMissing as exc:
        if in_ci():
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def _log_in(browser, target, user: str, password: str) -> LoginOutcome:
    """A login through the form, judged only once its answer has settled: no form at all, or an answer
    that shows neither the form nor the overview in time, means this check cannot judge."""
    try:
        outcome = log_in(browser, target.url, user, password)
    except NoLoginForm as exc:
        attach_screenshot(browser, "web UI without a login form")
        pytest.fail(f"{exc}; cannot judge (see test_web_ui_requires_a_login)")
    if not outcome.settled:
        attach_screenshot(browser, f"web UI after {user}'s login: not settled")
        pytest.fail(
            f"cannot judge {user}'s login: the answer showed neither the login form nor the overview's "
            f"Log Out within {outcome.waited_s:.0f}s; saw {outcome.describe()}"
        )
    return outcome


@pytest.fixture(scope="module")
def ldap_login(scenario):
    """The first LDAP principal the scenario says must get in (bob in the baseline)."""
    row = next((r for r in scenario.expectations.authentication if r.provider == "ldap" and r.user), None)
    if row is None:
        pytest.skip("no LDAP principal with a user in expectations.authentication to log in with")
    return row


def test_web_ui_requires_a_login(target, browser):
    page, settled = open_ui(browser, target.url)
    attach_screenshot(browser, "web UI without a login")
    if not settled:
        pytest.fail(
            f"cannot judge: {target.url}/ui/ showed neither Trino's login document nor the overview's "
            f"Log Out within {WAIT_S}s; saw {page.describe()}"
        )
    check(
        page.answered_with_login,
        what=f"opening {target.url}/ui/ in headless Chromium with no session",
        expected="the login form (/ui/login.html)",
        observed=f"{page.url} (title {page.title!r}, login form: {page.answered_with_login})",
        fix=LOGIN_FIX,
    )


def test_web_ui_valid_ldap_login_gets_in(target, browser, ldap_login):
    outcome = _log_in(browser, target, ldap_login.principal, target.password("ldap", ldap_login.principal))
    attach_screenshot(browser, f"web UI after {ldap_login.principal}'s login")
    check(
        outcome.got_in and outcome.offers_log_out,
        what=f"Web UI login as LDAP user {ldap_login.principal} with the right password",
        expected="the cluster overview with a Log Out button, and a session cookie",
        observed=outcome.describe(),
        fix="check the PASSWORD authenticator used by the Web UI form (web-ui.authentication.type) and "
        "the LDAP bind pattern / group gate",
    )


def test_web_ui_wrong_password_stays_on_the_login_form(target, browser, ldap_login):
    wrong = "not-" + target.password("ldap", ldap_login.principal)
    outcome = _log_in(browser, target, ldap_login.principal, wrong)
    attach_screenshot(browser, f"web UI after a wrong password for {ldap_login.principal}")
    check(
        not outcome.got_in and outcome.sent_back_to_the_form and outcome.cookie is None,
        what=f"Web UI login as {ldap_login.principal} with a wrong password",
        expected="sent back to the login form, no session cookie",
        observed=outcome.describe(),
        fix=LOGIN_FIX,
    )


def test_web_ui_session_cookie_is_secure_and_http_only(target, browser, ldap_login):
    outcome = _log_in(browser, target, ldap_login.principal, target.password("ldap", ldap_login.principal))
    if not outcome.got_in:
        pytest.fail(f"the valid login did not get in ({outcome.describe()}); cannot judge the cookie")
    cookie = outcome.cookie
    flags = {name: bool(cookie and cookie.get(name)) for name in ("secure", "httpOnly")}
    check(
        cookie is not None and all(flags.values()),
        what=f"the Web UI session cookie {UI_COOKIE} set after {ldap_login.principal}'s login",
        expected=f"{UI_COOKIE} with Secure and HttpOnly",
        observed=f"no {UI_COOKIE} cookie" if cookie is None else f"{UI_COOKIE} with {flags}",
        fix="serve the Web UI over HTTPS only (http-server.http.enabled=false); Trino marks the cookie "
        "Secure and HttpOnly on HTTPS, so a TLS-terminating proxy must not rewrite Set-Cookie",
    )


def _https_problem(target) -> str | None:
    """Why the coordinator's HTTPS does not answer right now (None: it answers, with any status)."""
    answer = ui_api(target, "/ui/", cookies={})
    return None if answer.transport is None else str(answer.transport)


def test_web_ui_is_not_served_over_plain_http(target):
    port = target.plain_http_port()
    url = f"http://{target.host}:{port}/ui/"
    look = look_over_plain_http(url, lambda: _https_problem(target))
    if look.verdict == "cannot judge":
        pytest.fail(
            f"cannot judge: GET {url} (plain HTTP): {look.observed}; expected a refusal (no listener while "
            "HTTPS answers, 401/403, or Trino's 'Web UI disabled' page) or the UI itself"
        )
    check(
        look.verdict == "refused",
        what=f"GET {url} (plain HTTP)",
        expected="refused, or Trino's 'Web UI disabled' page",
        observed=look.observed,
        fix="set http-server.http.enabled=false, and never "
        "http-server.authentication.allow-insecure-over-http=true",
    )
