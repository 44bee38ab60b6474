"""The form-login probe and the plain-HTTP look, run for real: headless Chromium (the harness's own
``headless_chromium``) against a Trino-like UI on 127.0.0.1. A page is judged only once it settled;
a late page is waited for (no false alarm), one that never settles is "cannot judge" (never FAIL).

Without Chromium and chromedriver these skip locally, naming what to install; under CI they fail."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import suites.test_web_ui as web_ui_suite
from trino_harness.evidence import CheckFailed
from trino_harness.pki import CertificateAuthority
from trino_harness.webui.browser import BrowserMissing, headless_chromium, in_ci, require_browser
from trino_harness.webui.pages import NoLoginForm, log_in, open_ui
from trino_harness.webui.plain_http import look_over_plain_http

from .fake_trino_web import NEVER, PASSWORD, Behaviour, form_ui, oauth2_ui

SHORT_S = 4  # the bound for pages meant never to settle (the real checks use WAIT_S)
LONG_S = 20  # the bound for late pages: ample, and each wait ends as soon as the page settles


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    try:
        require_browser()
        with headless_chromium() as driver:
            yield driver
    except BrowserMissing as exc:
        if in_ci():
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture
def browser(chromium):
    _forget_cookies(chromium)
    return chromium


def _forget_cookies(driver) -> None:
    """Every cookie of the browser (cookies are per host, not per port: each fake shares 127.0.0.1)."""
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    """A server certificate for 127.0.0.1 from a CA of its own (cert, key files)."""
    ca = CertificateAuthority.create("Web UI Test CA")
    issued = ca.issue_server("127.0.0.1", ["127.0.0.1"])
    where = tmp_path_factory.mktemp("tls")
    (where / "server.pem").write_bytes(issued.cert_pem)
    (where / "server.key").write_bytes(issued.key_pem)
    (where / "ca.pem").write_bytes(ca.cert_pem)
    return where / "server.pem", where / "server.key"


class _Target:
    """What the suite's helpers read of a target: its URL."""

    def __init__(self, url: str) -> None:
        self.url = url


def test_a_settled_good_login_gets_in(browser):
    with form_ui(Behaviour()) as url:
        outcome = log_in(browser, url, "alice", PASSWORD, timeout_s=LONG_S)
    assert outcome.settled and outcome.got_in and outcome.offers_log_out, outcome.describe()


def test_a_late_form_and_a_late_log_out_still_get_in(browser):
    late = Behaviour(form_after_ms=1500, log_out_after_ms=2500, login_answer_s=1)
    with form_ui(late) as url:
        outcome = log_in(browser, url, "alice", PASSWORD, timeout_s=LONG_S)
    assert outcome.settled and outcome.got_in, outcome.describe()


def test_a_wrong_password_is_judged_on_the_reloaded_form(browser):
    with form_ui(Behaviour(form_after_ms=800, login_answer_s=1)) as url:
        outcome = log_in(browser, url, "alice", "not-" + PASSWORD, timeout_s=LONG_S)
    assert outcome.settled and outcome.sent_back_to_the_form and outcome.cookie is None
    assert not outcome.got_in and "/ui/login.html" in outcome.page.url


def _short_waits(monkeypatch) -> None:
    """The suite's helpers with the short bound (the real one is WAIT_S)."""
    monkeypatch.setattr(web_ui_suite, "log_in", lambda d, u, n, p: log_in(d, u, n, p, timeout_s=SHORT_S))
    monkeypatch.setattr(web_ui_suite, "open_ui", lambda d, u: open_ui(d, u, timeout_s=SHORT_S))


def test_an_overview_that_never_offers_log_out_cannot_be_judged_not_a_failure(browser, monkeypatch):
    # issue 20's first false alarm: at /ui/ with the session cookie, but Log Out not (yet) rendered
    with form_ui(Behaviour(log_out_after_ms=NEVER)) as url:
        outcome = log_in(browser, url, "alice", PASSWORD, timeout_s=SHORT_S)
        assert not outcome.settled and outcome.cookie is not None, outcome.describe()
        _short_waits(monkeypatch)
        _forget_cookies(browser)
        with pytest.raises(pytest.fail.Exception, match="cannot judge alice's login") as err:
            web_ui_suite._log_in(browser, _Target(url), "alice", PASSWORD)
    assert not isinstance(err.value, AssertionError)


def test_an_answer_that_never_renders_cannot_be_judged_not_a_failure(browser, monkeypatch):
    # issue 20's second false alarm: '…/ui/login (title 127.0.0.1), no session cookie'
    with form_ui(Behaviour(login_answer="blank")) as url:
        outcome = log_in(browser, url, "alice", "not-" + PASSWORD, timeout_s=SHORT_S)
        assert not outcome.settled and "/ui/login" in outcome.page.url and outcome.cookie is None
        _short_waits(monkeypatch)
        with pytest.raises(pytest.fail.Exception, match="not settled after"):
            web_ui_suite._log_in(browser, _Target(url), "alice", "not-" + PASSWORD)


def test_a_login_form_that_never_renders_is_no_login_form(browser, monkeypatch):
    _short_waits(monkeypatch)
    with form_ui(Behaviour(form_after_ms=NEVER)) as url:
        with pytest.raises(pytest.fail.Exception, match="cannot judge"):
            web_ui_suite._log_in(browser, _Target(url), "alice", PASSWORD)


def test_a_ui_without_login_has_no_login_form_and_says_so_once_the_overview_settles(browser):
    with form_ui(Behaviour(ui_without_login=True, log_out_after_ms=500)) as url:
        with pytest.raises(NoLoginForm, match="the overview with Log Out") as err:
            log_in(browser, url, "alice", PASSWORD, timeout_s=LONG_S)
    assert "within" not in str(err.value)  # judged on the settled overview, not at the bound


def test_the_ui_without_a_session_settles_on_the_form_or_on_the_overview(browser):
    with form_ui(Behaviour(form_after_ms=1000)) as url:
        page, settled = open_ui(browser, url, timeout_s=LONG_S)
    assert settled and page.answered_with_login and not page.offers_log_out
    _forget_cookies(browser)
    with form_ui(Behaviour(ui_without_login=True, log_out_after_ms=1000)) as url:
        page, settled = open_ui(browser, url, timeout_s=LONG_S)
        assert settled and page.offers_log_out and not page.is_login_form
        with pytest.raises(CheckFailed, match="login form: False"):
            web_ui_suite.test_web_ui_requires_a_login(_Target(url), browser)


def test_trinos_login_document_asks_for_a_login_even_before_login_js_shows_the_form(browser):
    with form_ui(Behaviour(form_after_ms=NEVER)) as url:
        page, settled = open_ui(browser, url, timeout_s=LONG_S)
        assert settled and page.login_markup and not page.is_login_form
        web_ui_suite.test_web_ui_requires_a_login(_Target(url), browser)  # passes: a login is asked for


def test_a_ui_page_that_never_settles_cannot_judge_whether_a_login_is_required(browser, monkeypatch):
    with form_ui(Behaviour(ui_blank=True)) as url:
        page, settled = open_ui(browser, url, timeout_s=SHORT_S)
        assert not settled and not page.answered_with_login
        _short_waits(monkeypatch)
        with pytest.raises(pytest.fail.Exception, match="cannot judge"):
            web_ui_suite.test_web_ui_requires_a_login(_Target(url), browser)


def test_a_get_answered_by_nothing_is_asked_again_within_the_bound(browser):
    with form_ui(Behaviour(drops={"GET /ui/": 1})) as url:
        page, settled = open_ui(browser, url, timeout_s=LONG_S)
    assert settled and page.is_login_form and not page.browser_error


def test_a_login_post_answered_by_nothing_is_the_browsers_error_page_and_cannot_be_judged(browser):
    with form_ui(Behaviour(drops={"POST /ui/login": 9})) as url:
        outcome = log_in(browser, url, "alice", PASSWORD, timeout_s=LONG_S)
        assert not outcome.settled and outcome.page.browser_error.startswith("ERR_"), outcome.describe()
        assert "the browser's own error page" in outcome.describe()
    with form_ui(Behaviour(drops={"POST /ui/login": 9})) as url:
        with pytest.raises(pytest.fail.Exception, match="cannot judge alice's login"):
            web_ui_suite._log_in(browser, _Target(url), "alice", PASSWORD)


# -- plain HTTP ---------------------------------------------------------------------------------
def _https_answers() -> str | None:
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_ui_over_plain_http_is_served_or_refused_from_its_answer():
    with form_ui(Behaviour()) as url:
        served = look_over_plain_http(url + "/ui/", _https_answers)
        disabled = look_over_plain_http(url + "/ui/disabled.html", _https_answers)
        missing = look_over_plain_http(url + "/elsewhere", _https_answers)
    assert served.verdict == "served" and served.observed == "HTTP 200 at /ui/login.html"
    assert disabled.verdict == "refused" and "Web Interface is Disabled" in disabled.observed
    assert missing.verdict == "cannot judge" and "HTTP 404" in missing.observed


def test_a_closed_http_port_is_a_refusal_only_while_https_answers():
    url = f"http://127.0.0.1:{_free_port()}/ui/"
    assert look_over_plain_http(url, _https_answers).verdict == "refused"
    silent = look_over_plain_http(url, lambda: "timeout: no answer before the timeout")
    assert silent.verdict == "cannot judge" and "HTTPS does not answer either" in silent.observed


def test_a_silent_http_port_cannot_be_judged():
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/ui/"
        look = look_over_plain_http(url, _https_answers, timeout_s=1)
    finally:
        stop.set()
        thread.join(timeout=5)
        for s in (*held, listener):
            s.close()
    assert look.verdict == "cannot judge" and "timeout" in look.observed


def test_a_tls_port_given_as_the_http_port_cannot_be_judged(tls_files):
    cert, key = tls_files
    with oauth2_ui(Behaviour(), cert, key) as (ui, _):
        look = look_over_plain_http(ui.replace("https://", "http://") + "/ui/", _https_answers, timeout_s=5)
    assert look.verdict == "cannot judge" and "speaks TLS" in look.observed, look.observed
