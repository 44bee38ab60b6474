"""Web UI login through the identity provider (OAuth2) in a real browser.

With ``web-ui.authentication.type=oauth2``, ``/ui/`` without a session sends the browser to the
identity provider and the UI's API refuses; a valid login at the provider lands on the Cluster
Overview with a ``Secure``, ``HttpOnly`` session cookie whose token names the user; a wrong password
stays at the provider with no session cookie.

The reference coordinator keeps the form login (``suites/test_web_ui.py`` judges it), so on the
reference stack one session fixture starts ONE extra coordinator from the coordinator's effective
etc/ with only the UI switched to ``oauth2`` (own alias, node environment and certificate: see
``render/web_ui_oauth2.py``), drives the browser once, removes it, and the checks judge what was
seen. Under ``pytest -n`` the first worker does that under a lock in the run directory; the others
read its record. A remote profile names such a coordinator as ``oidc.web_ui_url``.

Run with ``pytest suites/ -m "oidc or webui"``. Screenshots are attached as evidence (password
fields are masked); no check holds a cookie value or a token, only their names, flags and claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from filelock import FileLock

from fixtures.parametrize import Table
from trino_harness.evidence import check
from trino_harness.redaction import redact
from trino_harness.scenario.model import Scenario
from trino_harness.scenario.oidc import OidcUser
from trino_harness.webui.browser import BrowserMissing, in_ci, require_browser
from trino_harness.webui.oauth2_login import TOKEN_COOKIE, UiOAuth2Observation, observe_oauth2_login
from trino_harness.webui.pages import attach_png

pytestmark = [pytest.mark.oidc, pytest.mark.webui]

UI_FIX = (
    "set web-ui.authentication.type=oauth2 with http-server.authentication.oauth2.issuer, client-id and "
    "client-secret, and never web-ui.authentication.type=fixed / web-ui.user"
)
CALLBACK_FIX = (
    "register https://<coordinator>/oauth2/callback as a redirect URI of Trino's client; the issuer must "
    "be reachable from the coordinator and the browser under one name; the principal field must name the user"
)
RECORD = "web-ui-oauth2.json"
NO_PROVIDER_PAGE = (
    "no login page at the identity provider ({seen}); cannot judge "
    "(see test_web_ui_oauth2_without_a_session_is_sent_to_the_identity_provider)"
)


def login_user(scenario: Scenario) -> OidcUser | None:
    """The first ``oidc.users`` row that may log in (alice in the baseline)."""
    rows = scenario.oidc.users if scenario.oidc else ()
    return next((r for r in rows if r.user is not None), None)


TABLES = (
    Table(
        "ui_user",
        lambda scenario, test: [row] if (row := login_user(scenario)) else [],
        lambda row, test: row.username,
        empty="no oidc.users row that may log in: add an oidc: section with one to test the Web UI's OAuth2",
    ),
)


def _observe(target, scenario: Scenario, run_dir: Path, measure) -> UiOAuth2Observation:
    """One pass: start the extra coordinator (reference stack) or take the profile's URL, drive the
    browser, remove the coordinator however the pass ends."""
    from trino_harness.stack.web_ui_oauth2 import UiCoordinatorError, web_ui_oauth2_coordinator

    oidc = target.oidc_provider()
    where = oidc.web_ui_oauth2()  # a remote target without oidc.web_ui_url skips here, naming it
    row = login_user(scenario)
    if row is None or scenario.oidc is None:
        pytest.skip("no oidc.users row that may log in")
    oidc.password(row.username)  # before anything starts: a profile without it skips, naming it
    shots = run_dir / "web-ui-oauth2-screens"
    shots.mkdir(mode=0o700, exist_ok=True)
    principal_field = scenario.oidc.principal_field
    try:
        require_browser()
    except BrowserMissing as exc:
        return UiOAuth2Observation(ui_url="", username=row.username, problem=str(exc), browser_missing=True)

    def drive(observation: UiOAuth2Observation) -> UiOAuth2Observation:
        try:
            observe_oauth2_login(observation, oidc, principal_field, target.ca_path, shots)
        except Exception as exc:  # recorded, so no other check starts a coordinator again
            observation.problem = f"the browser pass failed: {type(exc).__name__}: {redact(str(exc))[:400]}"
        return observation

    if isinstance(where, str):
        return drive(UiOAuth2Observation(ui_url=where, username=row.username))
    try:
        with web_ui_oauth2_coordinator(where, oidc.client_secret, target.ca_path) as ui:
            measure("web UI OAuth2 coordinator: container created to serving (s)", ui.ready_s)
            if ui.trino_start_s is not None:
                measure("web UI OAuth2 coordinator: Trino start inside its container (s)", ui.trino_start_s)
            return drive(
                UiOAuth2Observation(
                    ui_url=ui.url, username=row.username, ready_s=ui.ready_s, trino_start_s=ui.trino_start_s
                )
            )
    except UiCoordinatorError as exc:
        return UiOAuth2Observation(
            ui_url="", username=row.username, problem=f"the Web UI OAuth2 coordinator did not start: {exc}"
        )


@pytest.fixture(scope="session")
def ui_oauth2(target, scenario, run_dir, measure) -> UiOAuth2Observation:
    """What the browser saw of the OAuth2 Web UI, recorded once per run (shared by xdist workers)."""
    record = run_dir / RECORD
    with FileLock(str(run_dir / (RECORD + ".lock"))):
        if not record.exists():
            record.write_text(_observe(target, scenario, run_dir, measure).to_json())
        observation = UiOAuth2Observation.from_json(record.read_text())
    if observation.browser_missing:
        if in_ci():
            pytest.fail(observation.problem or "no browser", pytrace=False)
        pytest.skip(observation.problem or "no browser")
    return observation


@pytest.fixture
def seen(ui_oauth2: UiOAuth2Observation) -> UiOAuth2Observation:
    """The record, for a check that needs the Web UI to have been observed at all."""
    if ui_oauth2.problem:
        pytest.fail(f"{ui_oauth2.problem}\ncannot judge", pytrace=False)
    return ui_oauth2


def _attach(seen: UiOAuth2Observation, *labels: str) -> None:
    for label in labels:
        for name, path in seen.screenshots.items():
            if name.startswith(label) and Path(path).exists():
                attach_png(Path(path).read_bytes(), name)


def _provider_page_reached(seen: UiOAuth2Observation) -> None:
    page = seen.no_session
    if page is None or not page.at_provider_login:
        pytest.fail(NO_PROVIDER_PAGE.format(seen=page.describe() if page else "nothing"), pytrace=False)


def _cannot_judge_unsettled(page, what: str) -> None:
    """A page that did not settle on a signal within the bounded wait judges nothing."""
    if page is None or not page.settled:
        pytest.fail(f"cannot judge {what}: saw {page.describe() if page else 'no page'}", pytrace=False)


def test_web_ui_oauth2_without_a_session_is_sent_to_the_identity_provider(seen):
    _attach(seen, "web UI without a session")
    page = seen.no_session
    _cannot_judge_unsettled(
        page, f"{seen.ui_url}/ui/ without a session (neither the provider's form nor the overview)"
    )
    check(
        page.at_provider_login and not page.at_overview,
        what=f"opening {seen.ui_url}/ui/ in headless Chromium with no session",
        expected="redirected to the identity provider's login page, not the cluster overview",
        observed=page.describe(),
        fix=UI_FIX,
    )


def test_web_ui_oauth2_api_refuses_a_request_without_a_session(seen):
    if seen.api_without_session_verdict not in ("served", "refused"):
        pytest.fail(
            f"cannot judge: GET {seen.ui_url}/ui/api/stats without a session cookie answered "
            f"{seen.api_without_session}, neither a refusal (401/403, a redirect to the identity provider "
            "or a login page) nor the statistics",
            pytrace=False,
        )
    check(
        seen.api_without_session_verdict == "refused",
        what=f"GET {seen.ui_url}/ui/api/stats without a session cookie",
        expected="HTTP 401 (or a redirect to the provider), never the cluster's statistics",
        observed=seen.api_without_session,
        fix=UI_FIX,
    )


def test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview(seen, ui_user):
    _provider_page_reached(seen)
    _attach(seen, "web UI after")
    page = seen.after_login
    _cannot_judge_unsettled(page, f"{ui_user.username}'s login (no answer to it settled)")
    assert page is not None
    cookies = seen.session_cookies
    landed = page.at_overview and bool(cookies) and seen.api_with_session == "HTTP 200"
    if landed and seen.token_principal is None:
        pytest.fail(
            f"cannot judge whether the session token names {ui_user.username}: {seen.token_claims}",
            pytrace=False,
        )
    check(
        landed and seen.token_principal == ui_user.username,
        what=f"Web UI login of {ui_user.username} with the right password at the identity provider",
        expected=(
            f"back at {seen.ui_url}/ui/ on the cluster overview with a {TOKEN_COOKIE} cookie, the UI's API "
            f"answering 200 from the page, the token naming {ui_user.username}"
        ),
        observed=(
            f"{page.describe() if page else 'no page'}; session cookies: "
            f"{[c.name for c in cookies] or 'none'}; /ui/api/stats from the page: "
            f"{seen.api_with_session or 'not asked'}; token: {seen.token_claims}"
        ),
        fix=CALLBACK_FIX,
    )


def test_web_ui_oauth2_session_cookie_is_secure_and_http_only(seen, ui_user):
    _provider_page_reached(seen)
    cookies = seen.session_cookies
    if not cookies:
        pytest.fail(
            f"no {TOKEN_COOKIE} cookie after {ui_user.username}'s login "
            f"(cookies: {[c.name for c in seen.login_cookies]}); cannot judge "
            "(see test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview)",
            pytrace=False,
        )
    check(
        all(c.secure and c.http_only for c in cookies),
        what=f"the Web UI session cookie set after {ui_user.username}'s OAuth2 login",
        expected=f"{TOKEN_COOKIE} (and any _N parts) with Secure and HttpOnly",
        observed="; ".join(c.describe() for c in cookies),
        fix="serve the Web UI over HTTPS only (http-server.http.enabled=false); a TLS-terminating proxy "
        "must not rewrite Set-Cookie",
    )


def test_web_ui_oauth2_wrong_password_stays_at_the_identity_provider(seen, ui_user):
    _provider_page_reached(seen)
    _attach(seen, "after a wrong password")
    page = seen.after_wrong_password
    leaked = seen.wrong_password_session_cookies
    if not leaked:
        _cannot_judge_unsettled(
            page,
            f"the wrong password for {ui_user.username} (no answer to it settled; tries, each in a fresh "
            f"browser: {seen.wrong_password_tries})",
        )
    check(
        page is not None and page.at_provider_login and not page.at_overview and not leaked,
        what=f"Web UI login of {ui_user.username} with a wrong password at the identity provider",
        expected=f"still on the provider's login page, no {TOKEN_COOKIE} cookie",
        observed=(
            f"{page.describe() if page else 'no page'}; session cookies: {[c.name for c in leaked] or 'none'}"
            f"; tries, each in a fresh browser: {seen.wrong_password_tries}"
        ),
        fix=UI_FIX,
    )
