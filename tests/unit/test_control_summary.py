"""The control summary: records merge phase by phase, sort by stage, number kube-bench style, render."""

from __future__ import annotations

import json

import pytest

from trino_harness import evidence
from trino_harness.__main__ import main
from trino_harness.evidence import CheckFailed, check
from trino_harness.reporting.allure_report import ReportError, build_report
from trino_harness.reporting.controls import ERROR, FAIL, PASS, SKIP, Control, Run, humanize
from trino_harness.reporting.summary_html import render_html
from trino_harness.reporting.summary_md import render_markdown


def control(check_id: str, stage: str, index: int, status: str = PASS, **extra) -> Control:
    module = check_id.split("::")[0].removesuffix(".py")
    function, _, case = check_id.split("::")[1].partition("[")
    return Control(
        check_id=check_id,
        title=humanize(function, case.removesuffix("]")),
        stage=stage,
        provider=extra.pop("provider", "none"),
        severity=extra.pop("severity", "critical"),
        group=module,
        group_title=f"{module} checks",
        index=index,
        status=status,
        **extra,
    )


def verdict(ok: bool, observed: str = "refused with HTTP 401") -> dict[str, object]:
    return {
        "what": "LDAP login 'bob'",
        "expected": "refused",
        "observed": observed,
        "fix": "fix it",
        "ok": ok,
    }


@pytest.fixture
def run() -> Run:
    run = Run(meta={"scenario": "baseline", "trino_version": "476", "generated_at": "2026-01-01 00:00 UTC"})
    # Arrival order is xdist's (any); collection order and stage decide the report's order.
    run.add(control("test_audit.py::test_event", "audit", 0, evidence=(verdict(True, "one event"),)))
    run.add(control("test_authn_ldap.py::test_login[a|b]", "authn", 5, evidence=(verdict(True),)))
    run.add(
        control(
            "test_authn_ldap.py::test_login[c]",
            "authn",
            6,
            FAIL,
            evidence=(verdict(True), verdict(False, "200 <script>")),
            remediation="set ldap.group-auth-pattern",
        )
    )
    run.add(control("test_tls.py::test_cert", "tls", 9, evidence=(verdict(True, "handshake ok"),)))
    run.add(control("test_authn_jwt.py::test_jwt", "authn", 2, SKIP, detail="no JWT configured"))
    run.add(control("test_tls.py::test_floor", "tls", 10, ERROR, detail="setup: stack did not start"))
    return run


def test_phases_merge_and_the_worst_outcome_wins():
    run = Run()
    run.add(control("t.py::x", "tls", 0, PASS, duration_s=1.0))
    run.add(control("t.py::x", "tls", 0, FAIL, evidence=(verdict(False),), remediation="fix", duration_s=2.0))
    run.add(control("t.py::x", "tls", 0, PASS, duration_s=0.5))  # teardown passes
    merged = run.controls["t.py::x"]
    assert (merged.status, merged.remediation, merged.duration_s) == (FAIL, "fix", 3.5)


def test_order_is_stage_then_collection_and_numbers_read_like_kube_bench(run):
    sections = run.numbered()
    assert [(n, title) for n, title, _ in sections] == [("1", "TLS"), ("2", "Authentication"), ("4", "Audit")]
    authn_groups = sections[1][2]
    assert [(n, title) for n, title, _ in authn_groups] == [
        ("2.1", "test_authn_jwt checks"),
        ("2.2", "test_authn_ldap checks"),
    ]
    assert [(n, c.check_id) for n, c in authn_groups[1][2]] == [
        ("2.2.1", "test_authn_ldap.py::test_login[a|b]"),
        ("2.2.2", "test_authn_ldap.py::test_login[c]"),
    ]
    assert run.counts() == {PASS: 3, FAIL: 1, ERROR: 1, SKIP: 1}


def test_markdown_shows_each_control_its_evidence_and_the_remediations(run):
    text = render_markdown(run)
    assert "**6 controls: 3 PASS, 1 FAIL, 1 ERROR, 1 SKIP**" in text
    assert text.index("## 1 TLS") < text.index("## 2 Authentication") < text.index("## 4 Audit")
    assert "| 1.1.1 | ✅ PASS | critical | none | cert | handshake ok |" in text
    assert "| login [a\\|b] | refused with HTTP 401 |" in text  # a pipe inside a cell is escaped
    assert "expected refused; observed 200 &lt;script>" in text
    remediations = text[text.index("## Remediations") :]
    assert (
        "### 2.2.2 FAIL: login [c]" in remediations
        and "**remediation:** set ldap.group-auth-pattern" in remediations
    )
    assert "### 1.1.2 ERROR: floor" in remediations and "setup: stack did not start" in remediations
    assert "no JWT configured" in text


def test_html_is_one_escaped_page_with_the_same_facts(run):
    page = render_html(run)
    assert page.startswith("<!doctype html>") and "<script>" not in page and "200 &lt;script&gt;" in page
    assert '<p id="headline"><strong>6 controls: 3 PASS, 1 FAIL, 1 ERROR, 1 SKIP</strong></p>' in page
    assert page.count('<span class="st FAIL">FAIL</span>') == 2  # the row and its remediation
    assert "set ldap.group-auth-pattern" in page and 'href="#c2.2.2"' in page


def test_nothing_to_remediate_is_said_plainly():
    run = Run()
    run.add(control("t.py::x", "tls", 0, evidence=(verdict(True),)))
    assert "Nothing to remediate: no control failed or could not judge." in render_markdown(run)


def test_a_run_that_only_skipped_says_nothing_was_judged():
    run = Run()
    run.add(control("t.py::x", "tls", 0, status=SKIP))
    assert "Nothing was judged: every check skipped" in render_markdown(run)
    assert "Nothing to remediate" not in render_markdown(run)


def test_controls_json_round_trips(run, tmp_path):
    run.save(tmp_path / "controls.json")
    again = Run.load(tmp_path / "controls.json")
    assert again.controls == run.controls and again.meta == run.meta
    data = json.loads((tmp_path / "controls.json").read_text())
    assert [c["stage"] for c in data["controls"]] == ["tls", "tls", "authn", "authn", "authn", "audit"]


def test_report_command_renders_again_from_controls_json(run, tmp_path, capsys):
    assert main(["report", "--dir", str(tmp_path)]) == 2  # nothing to render yet
    run.save(tmp_path / "controls.json")
    assert main(["report", "--dir", str(tmp_path)]) == 0
    assert "1 FAIL" in capsys.readouterr().out
    assert "## Remediations" in (tmp_path / "controls.md").read_text()
    assert (tmp_path / "controls.html").read_text().startswith("<!doctype html>")


def test_allure_report_refuses_an_empty_results_directory(tmp_path):
    # The Allure command line builds an empty report from a missing directory and says it succeeded.
    with pytest.raises(ReportError, match="no Allure results"):
        build_report(tmp_path / "missing", tmp_path / "report")


def test_every_verdict_lands_on_the_trail_redacted_and_a_failure_carries_its_evidence():
    from trino_harness.redaction import register_secret

    secret = register_secret("trail-secret-4711")
    evidence.begin_trail()
    check(True, what="first", expected="a", observed=f"a ({secret})", fix="none")
    with pytest.raises(CheckFailed) as failed:
        check(False, what="second", expected="b", observed="c", fix="do b")
    trail = evidence.trail()
    assert [(e.what, e.ok) for e in trail] == [("first", True), ("second", False)]
    assert secret not in trail[0].observed and failed.value.evidence == trail[1]
    assert str(failed.value) == "second\n  expected: b\n  observed: c\n  usual fix: do b"
    evidence.begin_trail()
    assert evidence.trail() == ()
