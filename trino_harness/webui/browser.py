"""Headless Chromium under Selenium, from Debian's ``chromium`` and ``chromium-driver``.

Why Selenium with Debian's driver: no browser download and no registry, the same Chromium the
report tests already use. The browser trusts the run's certificate implicitly
(``acceptInsecureCerts``): the certificate itself is judged by the TLS suite, here only the login is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver


class BrowserMissing(RuntimeError):
    """Chromium, its driver or Selenium is not installed (a skip locally, a failure in CI)."""


def _executables() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None
    )
    if not browser or not driver:
        raise BrowserMissing(
            "headless Chromium is missing: install Debian's chromium and chromium-driver "
            "(./harness bootstraps both)"
        )
    return browser, driver


def require_browser() -> None:
    """Raise :class:`BrowserMissing` now, before anything is started for a browser check."""
    _executables()
    try:
        import selenium  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise BrowserMissing(f"selenium is not installed ({exc}): pip install -e .") from exc


@contextmanager
def headless_chromium(
    width: int = 1280, height: int = 900, extra_flags: tuple[str, ...] = ()
) -> Iterator[WebDriver]:
    """A fresh headless Chromium (own profile, no proxy, no cookies) for the duration of the block;
    ``extra_flags`` e.g. ``--host-resolver-rules=...`` to reach an identity provider by its name."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise BrowserMissing(f"selenium is not installed ({exc}): pip install -e .") from exc
    browser, driver_path = _executables()
    # A killed Chromium's helpers may still write into the profile as it is removed: not a verdict.
    with tempfile.TemporaryDirectory(prefix="webui-chromium-", ignore_cleanup_errors=True) as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-proxy-server",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            *extra_flags,
        ):
            options.add_argument(flag)
        options.accept_insecure_certs = True
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


def in_ci() -> bool:
    """CI must have the browser: there a missing one is a failure, not a skip."""
    return bool(os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"))
