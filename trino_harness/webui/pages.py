"""What the Web UI shows a browser: the login form, a login's outcome, the session cookie.

Trino's form login (``/ui/login.html``, fields ``username`` / ``password``) posts to ``/ui/login``;
a good login sets ``Trino-UI-Token`` and lands on ``/ui/``, a bad one is sent back to the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from trino_harness.protocol import UI_COOKIE
from trino_harness.redaction import bare_url, register_secret

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

LOGIN_PATH = "/ui/login.html"
WAIT_S = 15  # a page of a server on this host; a refusal is judged as soon as the form reloads


class NoLoginForm(LookupError):
    """``/ui/login.html`` shows no login form (e.g. ``web-ui.authentication.type=fixed``)."""


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    is_login_form: bool
    text: str


@dataclass(frozen=True)
class LoginOutcome:
    page: Page
    cookie: dict | None

    @property
    def got_in(self) -> bool:
        return not self.page.is_login_form and self.cookie is not None

    @property
    def offers_log_out(self) -> bool:
        """Trino's classic UI names no user; a logged-in page offers "Log Out"."""
        return "log out" in self.page.text.lower()

    def describe(self) -> str:
        cookie = "no session cookie" if self.cookie is None else f"{UI_COOKIE} set"
        where = "the login form" if self.page.is_login_form else self.page.url
        return f"{where} (title {self.page.title!r}), {cookie}"


def current_page(driver: WebDriver) -> Page:
    forms = driver.find_elements(By.CSS_SELECTOR, "form#login input#password")
    text = driver.find_element(By.TAG_NAME, "body").text if driver.find_elements(By.TAG_NAME, "body") else ""
    return Page(url=bare_url(driver.current_url), title=driver.title, is_login_form=bool(forms), text=text)


def open_ui(driver: WebDriver, base_url: str) -> Page:
    """Open ``/ui/`` and wait for either the login form or the cluster overview."""
    driver.get(base_url + "/ui/")
    try:
        WebDriverWait(driver, WAIT_S).until(
            lambda d: (
                d.find_elements(By.CSS_SELECTOR, "input#password")
                or d.find_elements(By.CSS_SELECTOR, "#running-queries, .navbar, nav")
            )
        )
    except TimeoutException:
        pass
    return current_page(driver)


def session_cookie(driver: WebDriver) -> dict | None:
    cookie = driver.get_cookie(UI_COOKIE)
    if cookie and cookie.get("value"):
        register_secret(str(cookie["value"]))
    return cookie


def _loaded(driver: WebDriver) -> bool:
    return driver.execute_script("return document.readyState") == "complete"


def log_in(driver: WebDriver, base_url: str, user: str, password: str) -> LoginOutcome:
    """Fill in the login form as a person would and report where the browser ends up."""
    register_secret(password)
    driver.get(base_url + LOGIN_PATH)
    try:
        form = WebDriverWait(driver, WAIT_S).until(
            expected_conditions.visibility_of_element_located((By.ID, "username"))
        )
    except TimeoutException:
        page = current_page(driver)
        raise NoLoginForm(f"no login form at {LOGIN_PATH}: {page.url} (title {page.title!r})") from None
    form.send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    submit = driver.find_element(By.ID, "submit")
    submit.click()
    try:
        # The form posts and the server answers with a new page: the login form again (a refusal,
        # judged as soon as it has loaded) or the overview (wait until it offers "Log Out").
        WebDriverWait(driver, WAIT_S).until(expected_conditions.staleness_of(submit))
        WebDriverWait(driver, WAIT_S).until(_loaded)
        if LOGIN_PATH not in driver.current_url:
            WebDriverWait(driver, WAIT_S).until(
                lambda d: "log out" in d.find_element(By.TAG_NAME, "body").text.lower()
            )
    except (TimeoutException, WebDriverException):
        pass  # no answer, or the overview never rendered: the outcome says where the browser is
    return LoginOutcome(page=current_page(driver), cookie=session_cookie(driver))


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
