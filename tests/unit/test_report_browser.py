"""The report tests' Chromium (``--dump-dom``) judges only a rendered page: a page that renders its
markers late (by script) is returned once they are all there; one that never does is NotSettled,
an ERROR naming what was missing, never an AssertionError."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.integration.browser import NotSettled, rendered, served
from trino_harness.webui.browser import in_ci

LATE = """<!DOCTYPE html><html><body><div id="app">loading</div><script>
setTimeout(function () { document.getElementById("app").innerHTML = '<div class="splash__title">3</div>'; },
           1500);
setTimeout(function () { document.getElementById("app").innerHTML += '<div>test cases</div>'; }, 3000);
</script></body></html>"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        if in_ci():
            pytest.fail("headless Chromium is missing: ./harness test installs Debian's chromium")
        pytest.skip("headless Chromium is missing: install Debian's chromium")
    (tmp_path / "late.html").write_text(LATE)
    return tmp_path


def test_a_page_is_returned_once_every_marker_has_rendered(site):
    with served(site) as base:
        dom = rendered(f"{base}/late.html", shows=('splash__title">3<', "test cases"), timeout_s=60)
    assert "test cases" in dom and "loading" not in dom


def test_a_page_that_never_shows_its_markers_is_not_settled_not_a_failure(site):
    unsettled = r"cannot judge .*not settled.*missing \[.*'never-there'\]"
    with served(site) as base, pytest.raises(NotSettled, match=unsettled):
        rendered(f"{base}/late.html", shows=("test cases", "never-there"), timeout_s=8)
    assert not issubclass(NotSettled, AssertionError)
