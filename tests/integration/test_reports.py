"""Reports end to end, from a real run of the TLS stage on a misconfigured coordinator (plain HTTP
left open: one control fails): JUnit, Allure results (labelled, evidence attached, no secret), the
control summary with its remediation, and the Allure HTML report as headless Chromium shows it.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from trino_harness.reporting.allure_report import build_report

from .browser import rendered, served
from .conftest import VARIANTS, lean_scenario, run_suites

pytestmark = pytest.mark.integration
VARIANT = VARIANTS / "http-listener-open"  # Trino 476 honours the Web UI session cookie over plain HTTP
RED = "test_web_ui_session_cookie_is_refused_over_cleartext"
RED_FIX = "set http-server.http.enabled=false"  # how the check's usual fix starts


def _secrets_of(run_dir: Path) -> list[str]:
    target = json.loads((run_dir / "target.json").read_text())
    values = [*target["passwords"].values(), target["audit"]["password"]]
    values.append(Path(target["jwt_private_key_path"]).read_text())
    values += [Path(cert["key_path"]).read_text() for cert in target["client_certs"].values()]
    return [v.strip() for v in values if v.strip()]


@pytest.fixture(scope="module")
def tls_run(tmp_path_factory):
    """``pytest suites/ -m tls -n 2`` on the variant, every report on, as ./harness suites does (≈ 1 min)."""
    out = tmp_path_factory.mktemp("tls-run")
    started = time.monotonic()
    run = run_suites(
        "-m",
        "tls",
        "-n",
        "2",
        "--trino-config-overlay",
        str(VARIANT),
        "--scenario",
        str(lean_scenario(out)),
        f"--junitxml={out / 'junit.xml'}",
        f"--alluredir={out / 'allure-results'}",
        f"--controls-dir={out}",
        env={"TRINO_HARNESS_KEEP_RUN_DIR": "1"},
    )
    print(f"TLS stage with reports: {time.monotonic() - started:.1f}s")
    try:
        assert run.returncode == 1 and run.failed == [f"test_tls.py::{RED}"], run.output[-5000:]
        assert run.kept_run_dir is not None
        yield out, run, _secrets_of(run.kept_run_dir)
    finally:
        if run.kept_run_dir:
            shutil.rmtree(run.kept_run_dir, ignore_errors=True)


def _results(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "allure-results").glob("*-result.json"))]


def _labels(result: dict) -> dict[str, str]:
    return {label["name"]: label["value"] for label in result["labels"]}


def test_a_tls_run_writes_junit_labelled_allure_results_and_the_control_summary(tls_run):
    out, run, secrets = tls_run
    junit_cases = ET.parse(out / "junit.xml").getroot().findall(".//testcase")
    controls = json.loads((out / "controls.json").read_text())["controls"]
    results = _results(out)
    n = len(controls)
    assert len(junit_cases) == n == len(results) >= 15

    # Every control: the TLS stage, critical, with evidence; the one red control says how to fix it.
    assert {(c["stage"], c["severity"]) for c in controls} == {("tls", "critical")}
    assert all(c["evidence"] for c in controls)
    red = [c for c in controls if c["status"] != "PASS"]
    assert [(c["check_id"], c["status"]) for c in red] == [(f"suites/test_tls.py::{RED}", "FAIL")]
    assert red[0]["remediation"].startswith(RED_FIX)
    assert "accepted: HTTP 200" in red[0]["evidence"][-1]["observed"] and not red[0]["evidence"][-1]["ok"]
    summary = (out / "controls.md").read_text()
    assert f"**{n} controls: {n - 1} PASS, 1 FAIL, 0 ERROR, 0 SKIP · exit 1: " in summary
    assert "## 1 TLS" in summary
    remediations = summary[summary.index("## Remediations") :]
    assert "FAIL: web ui session cookie is refused over cleartext" in remediations
    assert f"**remediation:** {RED_FIX}" in remediations
    assert f"{n} controls: {n - 1} PASS, 1 FAIL" in run.output  # the terminal says it, and where

    # Allure: labels from one place, the evidence attached, the run's facts for the report.
    for result in results:
        labels = _labels(result)
        assert (labels["stage"], labels["severity"], labels["epic"]) == ("tls", "critical", "TLS"), result[
            "name"
        ]
        assert labels["provider"] == "none"
        assert "evidence" in [a["name"] for a in result.get("attachments", [])], result["name"]
        assert result["status"] == ("failed" if result["name"] == RED else "passed"), result["name"]
    environment = (out / "allure-results" / "environment.properties").read_text()
    assert "trino_version=" in environment and "selection=tls" in environment
    assert json.loads((out / "allure-results" / "categories.json").read_text())

    # No generated secret in anything published.
    published = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    leaked = sorted({p.name for p, body in published.items() for s in secrets if s.encode() in body})
    assert leaked == [], "generated secrets reached published reports"
    assert not [p.name for p, body in published.items() if b"PRIVATE KEY-----" in body]


def test_allure_report_of_the_tls_run_shows_the_results_in_headless_chromium(tls_run, tmp_path):
    out, _, _ = tls_run
    count = len(_results(out))
    built = build_report(out / "allure-results", tmp_path / "allure-report")
    print(f"allure generate: {built.seconds:.1f}s for {built.results} results")
    assert built.results == count

    red = next(
        json.loads(p.read_text())
        for p in (built.report_dir / "data" / "test-cases").glob("*.json")
        if json.loads(p.read_text())["name"] == RED
    )
    with served(built.report_dir) as base:
        started = time.monotonic()
        # each page is judged once Allure has rendered it: the summary widget, the tree, the result pane
        overview = rendered(f"{base}/index.html", shows=('splash__title">', "test cases"))
        shown = re.search(r'splash__title">(\d+)</div><div class="splash__subtitle">test cases', overview)
        assert shown and int(shown.group(1)) == count, "the overview does not count every result"
        behaviors = rendered(f"{base}/index.html#behaviors", shows='class="node__name')
        assert 'node__name">TLS<' in behaviors  # the stage label
        assert 'node__name">Authentication<' not in behaviors  # only what ran
        page = rendered(
            f"{base}/index.html#testresult/{red['uid']}",
            shows=("test-result__name", "test-result-overview"),
        )
        assert RED in page
        assert "Failed" in page and "critical" in page and "evidence" in page and RED_FIX in page
        print(f"Chromium: overview and one result page in {time.monotonic() - started:.1f}s")

    summary = rendered((out / "controls.html").as_uri(), shows="controls:")
    assert f"{count} controls: {count - 1} PASS, 1 FAIL" in summary and RED_FIX in summary
