"""Reports end to end, from a real run of the TLS stage: JUnit, Allure results (labelled, evidence
attached, no secret), the control summary, and the Allure HTML report as Chromium shows it.
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
from .conftest import run_suites

pytestmark = pytest.mark.integration
KNOWN_CHECK = "test_coordinator_certificate_chains_to_the_ca_and_names_the_host"


def _secrets_of(run_dir: Path) -> list[str]:
    target = json.loads((run_dir / "target.json").read_text())
    values = [*target["passwords"].values(), target["audit"]["password"]]
    values.append(Path(target["jwt_private_key_path"]).read_text())
    values += [Path(cert["key_path"]).read_text() for cert in target["client_certs"].values()]
    return [v.strip() for v in values if v.strip()]


@pytest.fixture(scope="module")
def tls_run(tmp_path_factory):
    """``pytest suites/ -m tls -n 2`` with every report switched on, as ./harness suites does (≈ 1 min)."""
    out = tmp_path_factory.mktemp("tls-run")
    started = time.monotonic()
    run = run_suites(
        "-m",
        "tls",
        "-n",
        "2",
        f"--junitxml={out / 'junit.xml'}",
        f"--alluredir={out / 'allure-results'}",
        f"--controls-dir={out}",
        env={"TRINO_HARNESS_KEEP_RUN_DIR": "1"},
    )
    print(f"TLS stage with reports: {time.monotonic() - started:.1f}s")
    try:
        assert run.returncode == 0, run.output[-5000:]
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
    assert len(junit_cases) == len(controls) == len(results) >= 15

    # Every control: the TLS stage, critical, passed on the secure baseline, with evidence.
    assert {(c["stage"], c["severity"], c["status"]) for c in controls} == {("tls", "critical", "PASS")}
    assert all(c["evidence"] and all(e["ok"] for e in c["evidence"]) for c in controls)
    summary = (out / "controls.md").read_text()
    assert f"**{len(controls)} controls: {len(controls)} PASS, 0 FAIL, 0 ERROR, 0 SKIP**" in summary
    assert "## 1 TLS" in summary and "Nothing to remediate" in summary
    assert f"{len(controls)} controls: {len(controls)} PASS" in run.output  # the terminal says where

    # Allure: labels from one place, the evidence attached, the run's facts for the report.
    for result in results:
        labels = _labels(result)
        assert (labels["stage"], labels["severity"], labels["epic"]) == ("tls", "critical", "TLS"), result[
            "name"
        ]
        assert labels["provider"] == "none"
        assert "evidence" in [a["name"] for a in result.get("attachments", [])], result["name"]
    environment = (out / "allure-results" / "environment.properties").read_text()
    assert "trino_version=" in environment and "selection=tls" in environment
    assert json.loads((out / "allure-results" / "categories.json").read_text())

    # No generated secret in anything published.
    published = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    leaked = sorted({p.name for p, body in published.items() for s in secrets if s.encode() in body})
    assert leaked == [], "generated secrets reached published reports"
    assert not [p.name for p, body in published.items() if b"PRIVATE KEY-----" in body]


def test_allure_report_of_the_tls_run_shows_every_result_in_headless_chromium(tls_run, tmp_path):
    out, _, _ = tls_run
    count = len(_results(out))
    built = build_report(out / "allure-results", tmp_path / "allure-report")
    print(f"allure generate: {built.seconds:.1f}s for {built.results} results")
    assert built.results == count

    known = next(
        json.loads(p.read_text())
        for p in (built.report_dir / "data" / "test-cases").glob("*.json")
        if json.loads(p.read_text())["name"] == KNOWN_CHECK
    )
    with served(built.report_dir) as base:
        started = time.monotonic()
        overview = rendered(f"{base}/index.html", shows="test cases")
        shown = re.search(r'splash__title">(\d+)</div><div class="splash__subtitle">test cases', overview)
        assert shown and int(shown.group(1)) == count, "the overview does not count every result"
        behaviors = rendered(f"{base}/index.html#behaviors", shows='node__name">TLS<')  # the stage label
        assert 'node__name">Authentication<' not in behaviors  # only what ran
        page = rendered(f"{base}/index.html#testresult/{known['uid']}", shows=KNOWN_CHECK)
        assert "critical" in page and "evidence" in page
        print(f"Chromium: overview and one result page in {time.monotonic() - started:.1f}s")

    summary = rendered((out / "controls.html").as_uri(), shows="controls:")
    assert f"{count} controls: {count} PASS" in summary
