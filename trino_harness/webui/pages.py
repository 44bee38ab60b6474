"""What the Web UI shows a browser: the login form, a login's outcome, the session cookie.

Trino's form login (``/ui/login.html``, fields ``username`` / ``password``) posts to ``/ui/login``;
a good login sets ``Trino-UI-Token`` and lands on ``/ui/``, a bad one is sent back to the form.

A page is judged only once it has settled on one of the application's own signals (Trino 476's
classic UI): the login form is hidden (``class="login-form-hide"``) until ``assets/js/login.js``
shows it, and the overview's title bar, with its ``Log Out`` link (``#logout a.btn-logout``), is
rendered only once ``/ui/api/cluster`` has answered. A page that shows neither when the bounded
wait runs out judges nothing: the outcome says so (``settled`` is False), and the checks ERROR.
Chromium's own error page (a reset or empty answer, seen under load: the URL asked for, titled
with its host) is named as such; a GET that ends there is asked again within the same bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from trino_harness.polling import poll
from trino_harness.protocol import UI_COOKIE
from trino_harness.redaction import bare_url, register_secret

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

LOGIN_PATH = "/ui/login.html"
# A page of a server on this host; the wait ends as soon as the page settles, so the bound only
# matters on a loaded machine (15 s was seen to be too short for the overview to render, and 30 s
# at a load average of 22, while four stacks shared two cores).
WAIT_S = 60
POLL_S = 0.25
LOGIN_FORM = "form#login"  # shown by login.js once the document is ready
LOG_OUT = "#logout a.btn-logout"  # the overview's title bar, rendered with the cluster's info
# Chromium's error page keeps the URL asked for; its document is chrome-error://chromewebdata/
BROWSER_ERROR_JS = (
    "return document.URL.startsWith('chrome-error:') ? "
    "((document.querySelector('.error-code') || {}).textContent || 'a network error') : ''"
)


class NoLoginForm(LookupError):
    """``/ui/login.html`` shows no login form (e.g. ``web-ui.authentication.type=fixed``)."""


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    is_login_form: bool  # the form is shown (login.js has run), not merely in the markup
    text: str
    offers_log_out: bool = False  # the overview's rendered Log Out link
    browser_error: str = ""  # Chromium's own error page instead of an answer (e.g. ERR_EMPTY_RESPONSE)
    login_markup: bool = False  # Trino's login document arrived (its form in the DOM, shown or not yet)

    @property
    def answers(self) -> bool:
        """Trino answered: its login document (a refusal or a login asked for), or the overview."""
        return self.login_markup or self.is_login_form or self.offers_log_out

    @property
    def answered_with_login(self) -> bool:
        return self.is_login_form or self.login_markup

    @property
    def settled(self) -> bool:
        """The page shows one of the application's signals: the login form or the overview."""
        return self.is_login_form or self.offers_log_out

    def describe(self) -> str:
        shows = (
            f"the browser's own error page ({self.browser_error})"
            if self.browser_error
            else "the login form"
            if self.is_login_form
            else "the overview with Log Out"
            if self.offers_log_out
            else "Trino's login document, its form not yet shown by login.js"
            if self.login_markup
            else "neither the login form nor the overview's Log Out"
        )
        return f"{self.url} (title {self.title!r}, {shows})"


@dataclass(frozen=True)
class LoginOutcome:
    page: Page
    cookie: dict | None
    settled: bool = True  # False: the bounded wait ran out before the answer showed a signal
    waited_s: float = WAIT_S

    @property
    def got_in(self) -> bool:
        return self.page.offers_log_out and not self.page.answered_with_login and self.cookie is not None

    @property
    def sent_back_to_the_form(self) -> bool:
        return self.page.answered_with_login

    @property
    def offers_log_out(self) -> bool:
        """Trino's classic UI names no user; a logged-in page offers "Log Out"."""
        return self.page.offers_log_out

    def describe(self) -> str:
        cookie = "no session cookie" if self.cookie is None else f"{UI_COOKIE} set"
        where = "the login form" if self.page.answered_with_login else self.page.url
        shown = (
            f", the browser's own error page ({self.page.browser_error})"
            if self.page.browser_error
            else ""
            if self.page.settled
            else ", no Log Out"
        )
        late = "" if self.settled or self.page.browser_error else f", not settled after {self.waited_s:.0f}s"
        return f"{where} (title {self.page.title!r}{shown}), {cookie}{late}"


def _displayed(driver: WebDriver, css: str) -> bool:
    return any(e.is_displayed() for e in driver.find_elements(By.CSS_SELECTOR, css))


def log_out_shown(driver: WebDriver) -> bool:
    """The overview has rendered its title bar (so the session was honoured by the UI's API)."""
    return _displayed(driver, LOG_OUT)


def browser_error(driver: WebDriver) -> str:
    """What Chromium's own error page names (e.g. ``ERR_CONNECTION_RESET``), or "" for a real page."""
    try:
        return str(driver.execute_script(BROWSER_ERROR_JS) or "")
    except WebDriverException:
        return ""


def current_page(driver: WebDriver) -> Page:
    bodies = driver.find_elements(By.TAG_NAME, "body")
    return Page(
        url=bare_url(driver.current_url),
        title=driver.title,
        is_login_form=_displayed(driver, f"{LOGIN_FORM} input#password"),
        text=bodies[0].text if bodies else "",
        offers_log_out=log_out_shown(driver),
        browser_error=browser_error(driver),
        login_markup=bool(driver.find_elements(By.CSS_SELECTOR, f"{LOGIN_FORM} input#password")),
    )


def _readable(driver: WebDriver) -> Page | None:
    """What the browser shows, or None while a navigation makes the page unreadable."""
    try:
        return current_page(driver)
    except WebDriverException:  # stale elements, a document being replaced
        return None


def document_replaced(element: WebElement) -> bool:
    """The document that held ``element`` has been replaced (the form's POST was answered)."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException:
        return False  # the browser is between documents: not yet
    return False


def settle(
    driver: WebDriver, until: Callable[[Page], bool] = lambda page: page.settled, timeout_s: float = WAIT_S
) -> tuple[Page, bool]:
    """Poll (bounded, WebDriverWait) until ``until(page)``: (the last page seen, whether it held)."""
    seen: list[Page] = []

    def holds(d: WebDriver) -> Page | None:
        page = _readable(d)
        if page is not None:
            seen.append(page)
        return page if page is not None and until(page) else None

    try:
        return cast(Page, WebDriverWait(driver, timeout_s, poll_frequency=POLL_S).until(holds)), True
    except TimeoutException:
        last = _readable(driver) or (seen[-1] if seen else None)
        return last or Page(url="", title="", is_login_form=False, text="the page could not be read"), False


def open_page(
    driver: WebDriver,
    url: str,
    timeout_s: float = WAIT_S,
    until: Callable[[Page], bool] = lambda page: page.settled,
) -> tuple[Page, bool]:
    """GET ``url`` and wait (bounded) until ``until(page)``; Chromium's error page instead of an
    answer is asked again (a GET is safe to repeat) while the bound lasts."""
    deadline = time.monotonic() + timeout_s

    def load() -> tuple[Page, bool]:
        driver.get(url)
        left = max(deadline - time.monotonic(), POLL_S)
        return settle(driver, lambda p: until(p) or bool(p.browser_error), left)

    polled = poll(load, lambda loaded: loaded[1] and not loaded[0].browser_error, timeout_s=timeout_s)
    return polled.value[0], polled.held


def open_ui(driver: WebDriver, base_url: str, timeout_s: float = WAIT_S) -> tuple[Page, bool]:
    """Open ``/ui/`` and wait for Trino's answer: its login document (rendered or not: whether a login
    is asked for is in the document) or the cluster overview."""
    return open_page(driver, base_url + "/ui/", timeout_s, lambda page: page.answers)


def session_cookie(driver: WebDriver) -> dict | None:
    cookie = driver.get_cookie(UI_COOKIE)
    if cookie and cookie.get("value"):
        register_secret(str(cookie["value"]))
    return cookie


def log_in(
    driver: WebDriver, base_url: str, user: str, password: str, timeout_s: float = WAIT_S
) -> LoginOutcome:
    """Fill in the login form as a person would and report where the browser ends up, once the
    answer has settled (the form again, or the overview), or that it did not within ``timeout_s``."""
    register_secret(password)
    form, settled = open_page(driver, base_url + LOGIN_PATH, timeout_s)  # the form, or the overview
    if not form.is_login_form:
        late = "" if settled else f" within {timeout_s:.0f}s"
        raise NoLoginForm(f"no login form at {LOGIN_PATH}{late}: {form.describe()}")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    submit = driver.find_element(By.ID, "submit")
    submit.click()
    # The form posts and the server answers with a new document: the login form again (a refusal)
    # or the overview. Either counts only once the old document is gone and the new one has rendered.
    # Trino's login document again is its refusal, rendered or not. Chromium's error page ends the
    # wait at once: the POST is not sent again, the checks say what it was.
    page, held = settle(
        driver, lambda p: (p.answers or bool(p.browser_error)) and document_replaced(submit), timeout_s
    )
    settled = held and not page.browser_error
    return LoginOutcome(page=page, cookie=session_cookie(driver), settled=settled, waited_s=timeout_s)


def attach_screenshot(driver: WebDriver, name: str) -> None:
    """Attach what the browser shows to the Allure result (a no-op without Allure results)."""
    try:
        attach_png(driver.get_screenshot_as_png(), name)
    except Exception:
        pass  # evidence must never turn a verdict into an error


def attach_png(png: bytes, name: str) -> None:
    """Attach a screenshot taken earlier (e.g. by a session fixture) to the current Allure result."""
    try:
        import allure

        allure.attach(png, name=name, attachment_type=allure.attachment_type.PNG)
    except Exception:
        pass  # evidence must never turn a verdict into an error
