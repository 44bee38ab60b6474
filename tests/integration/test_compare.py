"""The upgrade comparison on real stacks: one version against itself shows no difference
(so answers are normalised well enough), and a changed config shows exactly its checks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import VARIANTS, harness_leftovers, lean_scenario, run_child

pytestmark = pytest.mark.integration


def compare(*args: str) -> tuple[int, str]:
    proc = run_child([sys.executable, "-m", "trino_harness", "compare", *args], timeout=1800)
    return proc.returncode, proc.stdout + proc.stderr


def test_a_version_compared_with_itself_shows_no_difference(tmp_path: Path):
    # Two stacks, the TLS and authentication checks on each: their answers (handshake results,
    # refusal texts) must normalise to the same thing. Every check twice is the matrix's job.
    code, output = compare(
        "--compare-to", "476", "--scenario", str(lean_scenario(tmp_path)),
        "--pytest-args", "-m 'tls or authn'", "--out", str(tmp_path),
    )  # fmt: skip
    report = json.loads((tmp_path / "compare.json").read_text())
    assert code == 0 and report["identical"], output[-4000:]
    assert report["checks_compared"] > 40
    assert harness_leftovers() == []


def test_two_result_files_show_the_changed_answers(tmp_path: Path):
    # Same version, one run with LDAP's group gate removed: the gate's check changes verdict.
    before, after = tmp_path / "before", tmp_path / "after"
    scenario = lean_scenario(tmp_path)
    for out, overlay in ((before, None), (after, VARIANTS / "ldap-no-group-gate")):
        args = ["-m", "authn", "-k", "ldap", f"--junitxml={out}.xml", "-p", "no:cacheprovider"]
        args += ["--scenario", str(scenario)]
        if overlay:
            args += ["--trino-config-overlay", str(overlay)]
        run_child([sys.executable, "-m", "pytest", "suites/", *args], timeout=900)
    code, output = compare("--results", f"{before}.xml", f"{after}.xml", "--out", str(tmp_path / "report"))
    report = json.loads((tmp_path / "report" / "compare.json").read_text())
    changed = {c["check"]: c["kind"] for c in report["changes"]}
    assert code == 1, output[-3000:]
    assert changed.get("test_authn_ldap.py::test_ldap_login[carol-valid-rejected]") == "verdict", changed
    assert "Behaviour change: before → after" in (tmp_path / "report" / "compare.md").read_text()
    assert harness_leftovers() == []
