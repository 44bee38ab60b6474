"""The matrix's judgement: check patterns, JUnit reading, detection, precision, baseline stability."""

from __future__ import annotations

from pathlib import Path

import pytest

from trino_harness.matrix.catalog import CatalogError, CheckPattern, VariantSpec, load_catalog
from trino_harness.matrix.report import baseline_stability, matrix_passed, to_json, to_markdown
from trino_harness.matrix.runner import MatrixResult, RunRecord, VariantRecord
from trino_harness.matrix.verdict import CheckResult, judge, read_junit, read_results

TLS10 = CheckResult(
    "test_tls.py", "test_tls_protocol[TLSv1.0-refused]", "failed", "TLSv1.0 handshake accepted"
)
TLS12 = CheckResult("test_tls.py", "test_tls_protocol[TLSv1.2-accepted]", "passed")
CERT = CheckResult("test_tls.py", "test_certificate", "failed", "expired")


def spec(**fields) -> VariantSpec:
    return VariantSpec(**{"description": "d", "markers": "tls", **fields})


def test_pattern_brackets_are_literal_and_star_is_a_wildcard():
    assert CheckPattern("test_tls_protocol[TLSv1.0-refused]").matches("test_tls.py", TLS10.name)
    assert not CheckPattern("test_tls_protocol[TLSv1.1-refused]").matches("test_tls.py", TLS10.name)
    assert CheckPattern("test_tls_protocol[*-refused]").matches("test_tls.py", TLS10.name)
    assert CheckPattern("test_tls.py::test_tls_protocol[*]").matches("test_tls.py", TLS10.name)
    assert not CheckPattern("test_audit.py::test_tls_protocol[*]").matches("test_tls.py", TLS10.name)


def test_variant_is_detected_when_every_declared_check_is_red_and_mentioned():
    verdict = judge(
        spec(must_fail=[TLS10.name], must_mention=["handshake"]), [TLS10, TLS12], "TLSv1.0 handshake"
    )
    assert verdict.detected and verdict.precise and verdict.caught == [TLS10.check_id]


def test_variant_is_undetected_when_a_declared_check_passes_or_did_not_run():
    assert judge(spec(must_fail=[TLS12.name]), [TLS10, TLS12], "").missed == [TLS12.name]
    assert judge(spec(must_fail=["test_absent"]), [TLS12], "").missed == ["test_absent"]
    # A wildcard must be red for every check it matches, not just one.
    assert not judge(spec(must_fail=["test_tls_protocol[*]"]), [TLS10, TLS12], "").detected


def test_variant_is_undetected_when_the_failure_does_not_say_why():
    verdict = judge(spec(must_fail=[TLS10.name], must_mention=["TLSv1.1"]), [TLS10], "TLSv1.0 handshake")
    assert not verdict.detected and verdict.unmentioned == ["TLSv1.1"]


def test_undeclared_red_is_collateral_unless_listed_as_may_also_fail():
    assert judge(spec(must_fail=[TLS10.name]), [TLS10, CERT], "").collateral == [CERT.check_id]
    assert judge(spec(must_fail=[TLS10.name], may_also_fail=["test_cert*"]), [TLS10, CERT], "").precise


def test_a_declared_check_that_could_not_judge_detects_nothing():
    unjudged = CheckResult(TLS10.module, TLS10.name, "error", "cannot judge: sslyze could not test TLSv1.0")
    verdict = judge(spec(must_fail=[TLS10.name]), [unjudged, TLS12], "")
    assert not verdict.detected
    assert verdict.missed == [TLS10.name] and verdict.unjudged == [TLS10.check_id] and verdict.caught == []


def test_an_undeclared_error_is_reported_apart_from_undeclared_failures():
    error = CheckResult(CERT.module, CERT.name, "error", "cannot judge")
    verdict = judge(spec(must_fail=[TLS10.name]), [TLS10, error], "")
    assert verdict.detected and not verdict.precise
    assert verdict.collateral == [] and verdict.collateral_errors == [CERT.check_id]


def test_the_control_summary_tells_a_verdict_from_a_check_that_could_not_judge(tmp_path: Path):
    import json

    xml = tmp_path / "r.xml"
    xml.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="suites.test_tls" name="test_a"><failure message="cannot judge"/></testcase>'
        '<testcase classname="suites.test_tls" name="test_b"><failure message="expected: 401"/></testcase>'
        "</testsuite></testsuites>"
    )
    controls = tmp_path / "controls.json"
    controls.write_text(
        json.dumps(
            {
                "schema": 1,
                "controls": [
                    {"check_id": "suites/test_tls.py::test_a", "status": "ERROR"},
                    {"check_id": "suites/test_tls.py::test_b", "status": "FAIL"},
                ],
            }
        )
    )
    assert [r.outcome for r in read_junit(xml)] == ["failed", "failed"]
    assert [r.outcome for r in read_results(xml, controls)] == ["error", "failed"]


def test_a_junit_failure_without_a_control_record_never_counts_as_detection(tmp_path: Path):
    """No summary, or a summary without the check: the JUnit failure is an ERROR, not a FAIL."""
    import json

    xml = tmp_path / "r.xml"
    xml.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="suites.test_tls" name="test_a"><failure message="expected: 401"/></testcase>'
        '<testcase classname="suites.test_tls" name="test_b"/>'
        "</testsuite></testsuites>"
    )
    assert [r.outcome for r in read_results(xml, tmp_path / "absent.json")] == ["error", "passed"]
    controls = tmp_path / "controls.json"
    controls.write_text(json.dumps({"schema": 1, "controls": []}))
    assert [r.outcome for r in read_results(xml, controls)] == ["error", "passed"]
    verdict = judge(spec(must_fail=["test_a"]), read_results(xml, controls), "")
    assert not verdict.detected and verdict.caught == []


def test_the_control_summary_decides_a_junit_pass_too(tmp_path: Path):
    """A check JUnit saw pass but the summary calls ERROR (no verdict recorded) is red, not green."""
    import json

    xml = tmp_path / "r.xml"
    xml.write_text(
        '<testsuites><testsuite name="pytest"><testcase classname="suites.test_tls" name="test_a"/>'
        "</testsuite></testsuites>"
    )
    controls = tmp_path / "controls.json"
    controls.write_text(
        json.dumps({"schema": 1, "controls": [{"check_id": "suites/test_tls.py::test_a", "status": "ERROR"}]})
    )
    assert [r.outcome for r in read_results(xml, controls)] == ["error"]


def test_a_run_without_checks_detects_nothing():
    verdict = judge(spec(must_fail=[TLS10.name]), [], "")
    assert not verdict.detected and "no checks ran" in (verdict.problem or "")


def test_junit_outcomes_and_messages_are_read(tmp_path: Path):
    xml = tmp_path / "r.xml"
    xml.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="suites.test_tls" name="test_a[x]"/>'
        '<testcase classname="suites.test_tls" name="test_b">'
        '<failure message="expected: 401">long</failure></testcase>'
        '<testcase classname="suites.test_audit" name="test_c"><error message="fixture broke"/></testcase>'
        '<testcase classname="suites.test_audit" name="test_d">'
        '<skipped message="no audit source"/></testcase>'
        "</testsuite></testsuites>"
    )
    results = read_junit(xml)
    assert [(r.check_id, r.outcome) for r in results] == [
        ("test_tls.py::test_a[x]", "passed"),
        ("test_tls.py::test_b", "failed"),
        ("test_audit.py::test_c", "error"),
        ("test_audit.py::test_d", "skipped"),
    ]
    assert results[1].message == "expected: 401" and results[3].message == "no audit source"


def _run(label: str, *results: CheckResult) -> RunRecord:
    return RunRecord(label, None, 0, list(results), 20.0, 30.0)


def test_baseline_runs_must_agree_check_by_check():
    assert baseline_stability([_run("b1", TLS12), _run("b2", TLS12)]).identical
    flaky = baseline_stability(
        [_run("b1", TLS12), _run("b2", CheckResult(TLS12.module, TLS12.name, "failed"))]
    )
    assert not flaky.identical and flaky.differing == [TLS12.check_id]


def test_matrix_fails_on_a_red_baseline_or_an_undetected_variant(tmp_path: Path):
    from trino_harness.matrix.catalog import Variant

    variant = Variant(name="v", overlay=tmp_path, spec=spec(must_fail=[TLS10.name]))
    detected = VariantRecord(variant, _run("v", TLS10), judge(variant.spec, [TLS10], ""))
    missed = VariantRecord(variant, _run("v", TLS12), judge(variant.spec, [TLS12], ""))
    green = MatrixResult(
        "476", tmp_path / "s.yaml", baseline=[_run("baseline-1", TLS12)], variants=[detected]
    )
    assert matrix_passed(green)
    assert not matrix_passed(
        MatrixResult("476", tmp_path, baseline=[_run("baseline-1", CERT)], variants=[detected])
    )
    undetected = MatrixResult(
        "476", tmp_path / "s.yaml", baseline=[_run("baseline-1", TLS12)], variants=[missed]
    )
    assert not matrix_passed(undetected)
    assert to_json(undetected)["summary"] == {
        "variants": 1,
        "detected": 0,
        "precise": 1,
        "with_unjudged_checks": 0,
        "detection_rate": 0.0,
    }
    assert "**NO**" in to_markdown(undetected) and "FAILED" in to_markdown(undetected)


def test_catalog_errors_name_the_file_and_the_field(tmp_path: Path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "variant.yaml").write_text("description: x\nmarkers: tls\nmust_fail: []\n")
    with pytest.raises(CatalogError, match=r"broken/variant.yaml: must_fail"):
        load_catalog(tmp_path)
    with pytest.raises(CatalogError, match="no variant named nope"):
        load_catalog(tmp_path, ["nope"])


def test_coordinator_figures_set_restarts_beside_hot_runs_undo_included(tmp_path: Path):
    from dataclasses import replace

    from trino_harness.matrix.catalog import Variant
    from trino_harness.matrix.runner import coordinator_figures

    variant = Variant(name="v", overlay=tmp_path, spec=spec(must_fail=[TLS10.name]))
    hot = replace(
        _run("v", TLS10), coordinator_s=1.0, applied="hot: rules.json", undo="hot: rules.json", undo_s=2.0
    )
    result = MatrixResult("476", Path("s.yaml"), [_run("b1", TLS12), _run("b2", TLS12)])
    result.variants = [VariantRecord(variant, hot, judge(variant.spec, [TLS10], ""))]
    assert coordinator_figures(result) == (
        "coordinator time (undo included): restart 20.0s per run over 2; hot 3.0s per run over 1"
    )
    assert to_json(result)["variants"][0]["applied"] == "hot: rules.json"
