"""What a browser sees of a Web UI that logs in through OAuth2 (``web-ui.authentication.type=oauth2``).

Trino 476 answers ``/ui/`` without a session with a redirect to the provider's authorization
endpoint (redirect URI ``https://<coordinator>/oauth2/callback``); after the provider's login its
callback sets the session cookie ``__Secure-Trino-OAuth2-Token`` (split into ``…_1``, ``…_2`` past
4 KB; path ``/ui/``) and sends the browser back to the Cluster Overview. The UI's API answers 401
without a session.

One pass records every fact the checks judge (evidence first, verdict in the checks): the page
without a session, the API without a session, a valid login (page, cookies' names and flags, the
API from inside the page, the token's claims) and a wrong password. Each page is recorded with
whether it settled within the bounded wait on a signal that judges something (the provider's form
or message, Trino's OAuth2 failure page, or the overview's rendered Log Out link); one that did not
is an ERROR in the checks, never a verdict. Cookie values and tokens are
registered for redaction when read and never stored; URLs are kept without their query (which
carries the authorization code on the callback).

Longer than the house's 300 lines: the one browser pass and the recording of each page it saw
belong together (a page is judged only with how it settled).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urljoin, urlsplit

import httpx

from trino_harness.clients import tls_context
from trino_harness.redaction import bare_url, redact, register_secret
from trino_harness.target import OidcTarget
from trino_harness.tls import describe_transport_error
from trino_harness.webui.browser import headless_chromium

TOKEN_COOKIE = "__Secure-Trino-OAuth2-Token"
API_PATH = "/ui/api/stats"
WAIT_S = 60  # ends when the page settles; 30 s was too short for the overview at load average 22
POLL_S = 0.25
MESSAGE_WAIT_S = 5  # the provider's message after a refused password, once its form has answered
NO_SESSION_LOOKS = 3
# Trino's answer when its callback cannot complete a login (oauth2/failure.html in trino-web-ui)
TRINO_FAILURE_TEXT = "OAuth2 authentication failed"
# Where a refusing UI API may send a client without a session, on the UI's own host
LOGIN_PATHS = ("/ui/login.html", "/oauth2/")
ApiVerdict = Literal["served", "refused", "cannot judge"]
WRONG_PASSWORD_TRIES = 2
LOGIN_TRIES = 2  # the right password: a second fresh browser when the first saw no answer at all
# Keycloak's login form (ids of its username, password and submit fields) and where it says why a
# login failed; other providers' pages differ, the check then reports what the browser showed.
PROVIDER_FIELDS = ("username", "password", "kc-login")
PROVIDER_MESSAGES = (
    "[id^='input-error'], #kc-error-message, .kc-feedback-text, .pf-v5-c-alert__title, "
    ".pf-v5-c-helper-text__item-text, .alert-error"
)


def _bare(url: str) -> str:
    return bare_url(url)


@dataclass(frozen=True)
class SeenPage:
    url: str  # without query or fragment
    title: str
    at_provider_login: bool  # the provider's login form, on a host other than the Web UI's
    at_overview: bool  # Trino's /ui/ with the Cluster Overview rendered (its Log Out link shown)
    message: str = ""  # what the provider says (e.g. why a login failed), shortened
    settled: bool = False  # the bounded wait saw the signal it waited for on this page
    at_trino_failure: bool = False  # Trino's "OAuth2 authentication failed" page
    browser_error: str = ""  # Chromium's own error page instead of an answer (e.g. ERR_EMPTY_RESPONSE)

    @property
    def judges_a_login(self) -> bool:
        """An answer to a login: the overview, the provider's form or message, or Trino's failure page."""
        return self.at_overview or self.at_provider_login or bool(self.message) or self.at_trino_failure

    def describe(self) -> str:
        where = (
            "the identity provider's login page"
            if self.at_provider_login
            else "the cluster overview"
            if self.at_overview
            else "Trino's OAuth2 failure page"
            if self.at_trino_failure
            else "neither the provider's login page nor the cluster overview"
        )
        said = f", saying {self.message!r}" if self.message else ""
        if self.browser_error:
            where = f"the browser's own error page ({self.browser_error}), no answer"
        late = "" if self.settled or self.browser_error else "; not settled within the bounded wait"
        return f"{where}: {self.url} (title {self.title!r}){said}{late}"


@dataclass(frozen=True)
class SeenCookie:
    """A cookie's name and attributes, never its value."""

    name: str
    domain: str
    path: str
    secure: bool
    http_only: bool
    same_site: str | None = None

    @property
    def is_session(self) -> bool:
        return self.name == TOKEN_COOKIE or self.name.startswith(TOKEN_COOKIE + "_")

    def describe(self) -> str:
        return f"{self.name} (path {self.path}, Secure={self.secure}, HttpOnly={self.http_only})"


@dataclass
class UiOAuth2Observation:
    """Everything the browser and the harness saw; JSON-able, so xdist workers share one pass."""

    ui_url: str
    username: str
    problem: str | None = None  # nothing could be observed (the coordinator did not start, ...)
    browser_missing: bool = False
    ready_s: float | None = None  # the extra coordinator: container created to serving
    trino_start_s: float | None = None
    api_without_session: str = ""
    api_without_session_verdict: str = ""  # served | refused | cannot judge
    no_session: SeenPage | None = None
    after_login: SeenPage | None = None
    login_cookies: list[SeenCookie] = field(default_factory=list)
    api_with_session: str = ""
    token_claims: str = ""  # a summary of the session token's claims, or why there is none
    token_principal: str | None = None
    after_wrong_password: SeenPage | None = None
    wrong_password_cookies: list[SeenCookie] = field(default_factory=list)
    wrong_password_tries: int = 0
    screenshots: dict[str, str] = field(default_factory=dict)  # label -> PNG file

    @property
    def session_cookies(self) -> list[SeenCookie]:
        return [c for c in self.login_cookies if c.is_session]

    @property
    def wrong_password_session_cookies(self) -> list[SeenCookie]:
        return [c for c in self.wrong_password_cookies if c.is_session]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> UiOAuth2Observation:
        data = json.loads(text)
        for key in ("no_session", "after_login", "after_wrong_password"):
            if data.get(key):
                data[key] = SeenPage(**data[key])
        for key in ("login_cookies", "wrong_password_cookies"):
            data[key] = [SeenCookie(**c) for c in data.get(key) or ()]
        return cls(**data)


# -- the browser ----------------------------------------------------------------------------------
def _seen(driver: Any, ui_netloc: str) -> SeenPage:
    from selenium.webdriver.common.by import By

    from trino_harness.webui.pages import log_out_shown

    parts = urlsplit(driver.current_url)
    elsewhere = parts.netloc != ui_netloc
    provider_form = elsewhere and all(driver.find_elements(By.ID, i) for i in PROVIDER_FIELDS[:2])
    overview = not elsewhere and parts.path.startswith("/ui") and log_out_shown(driver)
    message = ""
    for element in driver.find_elements(By.CSS_SELECTOR, PROVIDER_MESSAGES) if elsewhere else ():
        text = " ".join((element.text or "").split())
        if text:
            message = redact(text)[:160]  # redact first: a cut secret is no longer recognised
            break
    return SeenPage(_bare(driver.current_url), driver.title or "", provider_form, overview, message)


def _seen_now(driver: Any, ui_netloc: str) -> SeenPage | None:
    """What the browser shows, or None while a navigation makes the page unreadable."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    from trino_harness.webui.pages import browser_error

    try:
        page = _seen(driver, ui_netloc)
        failed = browser_error(driver)
        if failed:
            return replace(page, at_provider_login=False, at_overview=False, browser_error=failed)
        if page.at_overview or urlsplit(driver.current_url).netloc != ui_netloc:
            return page
        headings = driver.find_elements(By.TAG_NAME, "h2")
        return replace(page, at_trino_failure=any(TRINO_FAILURE_TEXT in (h.text or "") for h in headings))
    except WebDriverException:  # stale elements, a page being replaced
        return None


def _settle(driver: Any, ui_netloc: str, until: Any, timeout_s: float | None = None) -> SeenPage:
    """Poll (bounded, WebDriverWait) until ``until(page)`` holds, then say what the browser shows and
    whether it held (``settled``)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    seen: list[SeenPage] = []

    def ends(page: SeenPage) -> bool:  # Chromium's error page ends the wait, unsettled
        return bool(page.browser_error) or until(page)

    def holds(d: Any) -> SeenPage | None:
        now = _seen_now(d, ui_netloc)
        if now is not None:
            seen.append(now)
        return replace(now, settled=not now.browser_error) if now is not None and ends(now) else None

    try:
        return cast(SeenPage, WebDriverWait(driver, timeout_s or WAIT_S, poll_frequency=POLL_S).until(holds))
    except TimeoutException:
        page = _seen_now(driver, ui_netloc) or (seen[-1] if seen else None)
    return page or SeenPage(_bare(driver.current_url), "", False, False, "the page could not be read")


def _settled(page: SeenPage) -> bool:
    """The page judges something: the provider's login form, or the overview."""
    return page.at_provider_login or page.at_overview


def _cookies(driver: Any) -> list[SeenCookie]:
    """Every cookie of the browser (HttpOnly ones included, through the DevTools protocol)."""
    try:
        raw = driver.execute_cdp_cmd("Storage.getCookies", {})["cookies"]
    except Exception:
        raw = driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]
    seen = []
    for c in raw:
        register_secret(str(c.get("value", "")))
        seen.append(
            SeenCookie(
                name=c["name"],
                domain=c.get("domain", ""),
                path=c.get("path", ""),
                secure=bool(c.get("secure")),
                http_only=bool(c.get("httpOnly")),
                same_site=c.get("sameSite"),
            )
        )
    return seen


def _session_token(driver: Any) -> str | None:
    """The session token as Trino split it over ``__Secure-Trino-OAuth2-Token[_N]`` (registered secret)."""
    try:
        raw = driver.execute_cdp_cmd("Storage.getCookies", {})["cookies"]
    except Exception:
        raw = driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]
    parts = {c["name"]: str(c.get("value", "")) for c in raw}
    if TOKEN_COOKIE not in parts:
        return None
    token, index = parts[TOKEN_COOKIE], 1
    while f"{TOKEN_COOKIE}_{index}" in parts:
        token += parts[f"{TOKEN_COOKIE}_{index}"]
        index += 1
    return register_secret(token)


def token_facts(token: str | None, principal_field: str) -> tuple[str, str | None]:
    """(summary of the token's claims, the principal claim) — or why there is no summary."""
    from trino_harness.oidc_client import claims

    if token is None:
        return "no session token", None
    try:
        c = claims(token)
    except Exception:
        return "the session token is not a readable JWT (e.g. encrypted with refresh tokens on)", None
    principal = c.get(principal_field)
    summary = f"iss={c.get('iss')}, aud={c.get('aud')}, azp={c.get('azp')}, {principal_field}={principal}"
    return summary, str(principal) if principal is not None else None


def _api_from_page(driver: Any) -> str:
    """``GET /ui/api/stats`` from inside the page, with the browser's cookies (as the UI itself does)."""
    script = (
        "const done = arguments[arguments.length - 1];"
        f"fetch('{API_PATH}', {{credentials: 'same-origin', redirect: 'manual'}})"
        ".then(r => done('HTTP ' + r.status)).catch(e => done('no answer: ' + e));"
    )
    driver.set_script_timeout(WAIT_S)
    try:
        return str(driver.execute_async_script(script))
    except Exception as exc:
        return f"no answer: {type(exc).__name__}"


def _shot(driver: Any, shots: Path, label: str, observation: UiOAuth2Observation) -> None:
    try:
        path = shots / f"{len(observation.screenshots)}.png"
        path.write_bytes(driver.get_screenshot_as_png())
        observation.screenshots[label] = str(path)
    except Exception:
        pass  # evidence must never turn a verdict into an error


def api_without_session(ui_url: str, ca_path: str, provider_netloc: str = "") -> tuple[str, ApiVerdict]:
    """``GET /ui/api/stats`` with no cookie: (what came back, the verdict it supports). Only a refusal
    is a refusal: 401/403, or a redirect to the provider (``provider_netloc``) or to a login page."""
    url = ui_url + API_PATH
    try:
        tls = tls_context(ca_path)
        with httpx.Client(verify=tls, trust_env=False, timeout=30, follow_redirects=False) as http:
            answer = http.get(url)
    except httpx.HTTPError as exc:
        return f"no answer ({describe_transport_error(exc)})", "cannot judge"
    where = f" to {_bare(answer.headers.get('location', ''))}" if answer.is_redirect else ""
    return f"HTTP {answer.status_code}{where}", _api_verdict(answer, url, provider_netloc)


def _api_verdict(answer: httpx.Response, url: str, provider_netloc: str) -> ApiVerdict:
    if answer.status_code == 200:
        return "served"
    if answer.status_code in (401, 403):
        return "refused"
    if answer.is_redirect:
        to = urlsplit(urljoin(url, answer.headers.get("location", "")))
        if provider_netloc and to.netloc == provider_netloc:
            return "refused"
        if to.netloc == urlsplit(url).netloc and to.path.startswith(LOGIN_PATHS):
            return "refused"
    return "cannot judge"  # a 404, a 500, a redirect elsewhere: not the UI's API saying no


def observe_oauth2_login(
    observation: UiOAuth2Observation,
    oidc: OidcTarget,
    principal_field: str,
    ca_path: str,
    shots: Path,
) -> None:
    """Drive the login twice (right, then wrong password), each in a fresh browser; fill ``observation``."""
    password = oidc.password(observation.username)
    register_secret(password)
    ui_netloc = urlsplit(observation.ui_url).netloc
    flags = (f"--host-resolver-rules={oidc.browser_host_rules}",) if oidc.browser_host_rules else ()
    observation.api_without_session, observation.api_without_session_verdict = api_without_session(
        observation.ui_url, ca_path, urlsplit(oidc.issuer).netloc
    )
    # The right password; a login whose answer never came (Chromium's error page, e.g. a reset under
    # load, or nothing settled) judges nothing: one more try in a fresh browser.
    for _ in range(LOGIN_TRIES):
        with headless_chromium(extra_flags=flags) as driver:
            _valid_login_once(driver, observation, ui_netloc, password, principal_field, shots)
        if observation.after_login is None or observation.after_login.settled:
            break
    if observation.no_session is None or not observation.no_session.at_provider_login:
        return  # nothing to log in at: the checks say so
    # A page that is neither the provider's form nor the overview (seen once on a loaded machine: the
    # provider's auth URL titled 'keycloak', no form) judges nothing: one more try in a fresh browser.
    for attempt in range(1, WRONG_PASSWORD_TRIES + 1):
        observation.wrong_password_tries = attempt
        with headless_chromium(extra_flags=flags) as driver:
            page = _wrong_password_once(driver, observation, ui_netloc, password)
            _shot(
                driver,
                shots,
                f"after a wrong password for {observation.username} (password masked)",
                observation,
            )
            observation.after_wrong_password = page
            observation.wrong_password_cookies = _cookies(driver)
        if page.settled or observation.wrong_password_session_cookies:
            return


def _valid_login_once(
    driver: Any,
    observation: UiOAuth2Observation,
    ui_netloc: str,
    password: str,
    principal_field: str,
    shots: Path,
) -> None:
    """Open the UI without a session and log in at the provider; record both pages, cookies, token."""
    # A coordinator that has just started may not have fetched the provider's discovery document
    # yet: up to three looks, each a bounded wait, before the page without a session counts.
    for _ in range(NO_SESSION_LOOKS):
        driver.get(observation.ui_url + "/ui/")
        observation.no_session = _settle(driver, ui_netloc, _settled)
        if observation.no_session.settled:
            break
    assert observation.no_session is not None
    _shot(driver, shots, "web UI without a session", observation)
    if not observation.no_session.at_provider_login:
        return
    sent = _submit(driver, observation.username, password)
    observation.after_login = _settle(driver, ui_netloc, lambda p: _answered(sent, p))
    observation.login_cookies = _cookies(driver)
    observation.token_claims, observation.token_principal = token_facts(
        _session_token(driver), principal_field
    )
    if observation.after_login.at_overview:
        observation.api_with_session = _api_from_page(driver)
    _shot(driver, shots, f"web UI after {observation.username}'s login at the provider", observation)


def _wrong_password_once(
    driver: Any, observation: UiOAuth2Observation, ui_netloc: str, password: str
) -> SeenPage:
    """Open the UI without a session, send a wrong password at the provider; what the browser shows."""
    driver.get(observation.ui_url + "/ui/")
    first = _settle(driver, ui_netloc, _settled)
    if not first.at_provider_login:
        return replace(first, settled=False)  # nothing to send a wrong password to: judges nothing
    sent = _submit(driver, observation.username, "not-" + password)
    # The form's POST is answered by a new document (Keycloak: login-actions/...), then its message.
    page = _settle(driver, ui_netloc, lambda p: _answered(sent, p))
    if page.settled and page.at_provider_login and not page.message:
        said = _settle(driver, ui_netloc, lambda p: bool(p.message) or p.at_overview, MESSAGE_WAIT_S)
        page = said if said.settled else page  # a form without a message is still the provider's no
    return page


def _answered(sent: Any, page: SeenPage) -> bool:
    """The document the form was sent from is gone, and the new one answers the login."""
    from trino_harness.webui.pages import document_replaced

    return document_replaced(sent) and page.judges_a_login


def _submit(driver: Any, username: str, password: str) -> Any:
    """Fill in and send the provider's form; the submit button (to tell when its document is gone)."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, PROVIDER_FIELDS[0]).send_keys(username)
    driver.find_element(By.ID, PROVIDER_FIELDS[1]).send_keys(password)
    button = driver.find_element(By.ID, PROVIDER_FIELDS[2])
    button.click()
    return button
