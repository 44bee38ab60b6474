"""No record, no pass: a check passes only on verdicts it recorded; silence, a crash, a bare assert
or an interrupted run never read as a pass; the exit code tells a FAIL from a check that could not
judge, from a run that judged nothing, from an interrupted one.

Each case runs a child pytest session of synthetic checks with the harness plugins, as the suites do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.child_pytest import MARKERS, run_pytest

HEADER = """
import os, signal
import pytest
from trino_harness.evidence import CheckFailed, Read, cannot_judge, check, check_none_found, refusal_of


@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown broke")
"""

CASES = {
    "recorded_pass": "check(True, what='w', expected='e', observed='o', fix='f')",
    "silent_pass": "pass",
    "empty_loop": "for row in []:\n        check(True, what='w', expected='e', observed=row, fix='f')",
    "bare_assert": "assert 1 == 2",
    "library_assert": "import json; assert json.loads('1') == 2, 'inside a library'",
    "cannot_judge": "cannot_judge('saw nothing')",
    "recorded_fail": "check(False, what='w', expected='e', observed='o', fix='the fix')",
    "swallowed_fail": (
        "try:\n        check(False, what='w', expected='e', observed='o', fix='f2')\n"
        "    except CheckFailed:\n        pass"
    ),
    "crash": "raise RuntimeError('boom')",
    "silence_as_refusal": "refusal_of(status=None, said='connection reset')",
    "gateway_as_refusal": "refusal_of(status=503, said='Service Unavailable')",
    "nothing_read": ("check_none_found([], read=Read(), what='literal secrets', expected='none', fix='f')"),
    "control_not_seen": (
        "check_none_found([], read=Read(files=('a',)), what='w', expected='none', fix='f', "
        "control_seen=False)"
    ),
    "skipped": "pytest.skip('no table rows: add scenario.x')",
    "fail_then_skip": (
        "try:\n        check(False, what='w', expected='e', observed='o', fix='f3')\n"
        "    except CheckFailed:\n        pytest.skip('moving on')"
    ),
    "fail_then_crash": (
        "try:\n        check(False, what='w', expected='e', observed='o', fix='f4')\n"
        "    except CheckFailed:\n        raise RuntimeError('then it broke')"
    ),
    "fail_then_teardown_breaks": "check(False, what='w', expected='e', observed='o', fix='f5')",
}
EXPECTED = {
    "recorded_pass": "PASS",
    "silent_pass": "ERROR",
    "empty_loop": "ERROR",
    "bare_assert": "ERROR",
    "library_assert": "ERROR",
    "cannot_judge": "ERROR",
    "recorded_fail": "FAIL",
    "swallowed_fail": "FAIL",
    "crash": "ERROR",
    "silence_as_refusal": "ERROR",
    "gateway_as_refusal": "ERROR",
    "nothing_read": "ERROR",
    "control_not_seen": "ERROR",
    "skipped": "SKIP",
    "fail_then_skip": "FAIL",
    "fail_then_crash": "FAIL",
    "fail_then_teardown_breaks": "FAIL",
}


def _suite(tmp_path: Path, bodies: dict[str, str], decorators: dict[str, str] | None = None) -> None:
    marks = decorators or {}

    def one(name: str, body: str) -> str:
        fixture = "broken_teardown" if "teardown" in name else ""
        return f"\n\n{marks.get(name, '@pytest.mark.authz')}\ndef test_{name}({fixture}):\n    {body}\n"

    code = HEADER + "".join(one(name, body) for name, body in bodies.items())
    (tmp_path / "test_synthetic.py").write_text(code)
    (tmp_path / "pytest.ini").write_text(MARKERS)


def _run(tmp_path: Path, *args: str) -> tuple[int, dict[str, dict], dict, str]:
    controls = tmp_path / "controls"
    done = run_pytest(tmp_path, f"--controls-dir={controls}", f"--junitxml={tmp_path / 'junit.xml'}", *args)
    data = json.loads((controls / "controls.json").read_text())
    by_name = {c["check_id"].split("::")[-1].removeprefix("test_"): c for c in data["controls"]}
    return done.returncode, by_name, data["meta"], done.stdout + done.stderr


def test_only_a_recorded_verdict_decides_pass_and_fail(tmp_path: Path):
    _suite(tmp_path, CASES)
    code, controls, meta, output = _run(tmp_path)
    assert {name: c["status"] for name, c in controls.items()} == EXPECTED, output[-3000:]
    assert "without recording a verdict" in controls["silent_pass"]["detail"]
    assert "not a verdict" in controls["library_assert"]["detail"]
    assert controls["swallowed_fail"]["remediation"] == "f2"
    assert (
        controls["fail_then_crash"]["remediation"] == "f4"
        and "then it broke" in controls["fail_then_crash"]["detail"]
    )
    assert "teardown broke" in controls["fail_then_teardown_breaks"]["detail"]
    assert code == 1 and meta["exit_status"] == 1
    # JUnit agrees: the silent pass is not a pass there either.
    junit = (tmp_path / "junit.xml").read_text()
    assert 'name="test_silent_pass"' in junit and junit.count("<failure") + junit.count("<error") >= 11


@pytest.mark.parametrize(
    ("bodies", "args", "code"),
    [
        ({"recorded_pass": CASES["recorded_pass"]}, (), 0),
        ({"recorded_pass": CASES["recorded_pass"], "crash": CASES["crash"]}, (), 6),
        ({"skipped": CASES["skipped"]}, (), 7),
        # authz checks without a refusal in their id are 'normal': a critical gate judged nothing.
        ({"recorded_fail": CASES["recorded_fail"]}, ("--fail-on", "critical"), 7),
        ({"recorded_fail": CASES["recorded_fail"]}, ("--fail-on", "normal"), 1),
    ],
    ids=["all-judged-0", "could-not-judge-6", "nothing-judged-7", "nothing-at-the-gate-7", "fail-at-gate-1"],
)
def test_the_exit_code_says_what_kind_of_verdict_the_run_reached(tmp_path: Path, bodies, args, code):
    _suite(tmp_path, bodies)
    returned, _, meta, output = _run(tmp_path, *args)
    assert returned == code, output[-3000:]
    assert meta["exit_status"] == code


def test_an_interrupted_run_records_no_pass_and_says_so_in_the_headline(tmp_path: Path):
    _suite(
        tmp_path,
        {
            "recorded_pass": CASES["recorded_pass"],
            "interrupted": "os.kill(os.getpid(), signal.SIGINT)\n    check(True, what='w', expected='e', "
            "observed='o', fix='f')",
        },
    )
    code, controls, meta, output = _run(tmp_path)
    assert code == 2, output[-3000:]
    assert controls["interrupted"]["status"] == "ERROR" and "no verdict" in controls["interrupted"]["detail"]
    assert meta["interrupted"] is True
    markdown = (tmp_path / "controls" / "controls.md").read_text()
    assert "INTERRUPTED" in markdown and "exit 2" in markdown
    assert "INTERRUPTED" in output


def test_a_crashed_worker_leaves_an_error_not_a_pass(tmp_path: Path):
    _suite(tmp_path, {"recorded_pass": CASES["recorded_pass"], "worker_dies": "os._exit(1)"})
    code, controls, meta, output = _run(tmp_path, "-n", "1", "--max-worker-restart=0")
    assert controls["worker_dies"]["status"] == "ERROR", output[-3000:]
    assert controls["recorded_pass"]["status"] == "PASS"
    assert code == 2 and meta["exit_status"] == 2 and meta["unfinished"] == 1


XFAIL = "@pytest.mark.authz\n@pytest.mark.xfail"


def test_an_xfail_mark_never_hides_a_recorded_negative_verdict(tmp_path: Path):
    _suite(
        tmp_path,
        {"xfailed_fail": CASES["recorded_fail"], "xfailed_unjudged": CASES["cannot_judge"]},
        {"xfailed_fail": XFAIL, "xfailed_unjudged": XFAIL},
    )
    code, controls, _, output = _run(tmp_path)
    assert controls["xfailed_fail"]["status"] == "FAIL", output[-3000:]
    assert code == 1


def test_the_gate_judges_what_it_gates_on(tmp_path: Path):
    """--fail-on critical: a run whose only critical check skipped judged nothing it gates on (7); a
    minor FAIL that stops the run (-x) before the critical checks ran is an interrupted run (2)."""
    tls, smoke = "@pytest.mark.tls", "@pytest.mark.smoke"
    _suite(tmp_path, {"critical_skip": CASES["skipped"], "minor_pass": CASES["recorded_pass"]},
           {"critical_skip": tls, "minor_pass": smoke})  # fmt: skip
    code, _, _, output = _run(tmp_path, "--fail-on", "critical")
    assert code == 7, output[-3000:]
    _suite(tmp_path, {"minor_fail": CASES["recorded_fail"], "critical_pass": CASES["recorded_pass"]},
           {"minor_fail": smoke, "critical_pass": tls})  # fmt: skip
    code, controls, meta, output = _run(tmp_path, "--fail-on", "critical", "-x")
    assert "critical_pass" not in controls and code == 2 and meta["interrupted"], output[-3000:]


def test_a_suite_module_that_does_not_import_is_never_a_clean_run(tmp_path: Path):
    _suite(tmp_path, {"recorded_pass": CASES["recorded_pass"]})
    (tmp_path / "test_broken.py").write_text("import no_such_module_anywhere\n")
    code, _, meta, output = _run(tmp_path, "--continue-on-collection-errors")
    assert code == 6 and meta["unrecorded"], output[-3000:]
