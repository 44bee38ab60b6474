"""The negative-control matrix: every variant detected, the baseline green and stable, and the
gate goes red when a variant is left undetectable."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from trino_harness.matrix.catalog import covering_variants, load_catalog

from .conftest import harness_leftovers, lean_scenario, run_child

pytestmark = pytest.mark.integration
TLS_FLOOR = "suites/test_tls.py::test_tls_protocol_is_accepted_or_refused_as_declared"


def run_matrix(*args: str, timeout: float = 4500) -> tuple[int, str]:
    proc = run_child([sys.executable, "-m", "trino_harness", "matrix", *args], timeout)
    return proc.returncode, proc.stdout + proc.stderr


def test_covering_matrix_turns_every_declared_check_function_red_on_a_green_baseline():
    # The default location, so CI keeps the report (reports/matrix/latest/matrix.md). CI's budget
    # (90 min on two cores) holds the covering variants and one baseline run; the whole catalogue
    # with three baseline runs is the nightly ./harness matrix. Run-to-run identity of answers is
    # test_compare's. Audit events land in < 0.4 s here: 2 s per event instead of 5 keeps the
    # variants without a listener from waiting out 5 s per query.
    code, output = run_matrix("--cover", "--baseline-runs", "1", "--audit-timeout", "2")
    out_dir = Path(re.search(r"reports: (\S+)/matrix\.md", output).group(1))
    report = json.loads((out_dir / "matrix.json").read_text())
    not_passed = [v["name"] for v in report["variants"] if not (v["detected"] and v["precise"])]
    assert not not_passed, f"variants not detected precisely: {not_passed}\n{output[-6000:]}"
    covering = covering_variants(load_catalog())
    assert [v["name"] for v in report["variants"]] == [v.name for v in covering]
    assert report["summary"]["detection_rate"] == 1.0
    runs = report["baseline"]["runs"]
    assert len(runs) == 1 and runs[0]["counts"]["failed"] + runs[0]["counts"]["error"] == 0, runs
    assert code == 0 and report["passed"], output[-3000:]
    published = "".join(p.read_text(errors="replace") for p in out_dir.rglob("*") if p.is_file())
    assert "PRIVATE KEY-----" not in published
    assert harness_leftovers() == []


def test_a_variant_whose_check_is_disabled_goes_undetected_and_fails_the_matrix(tmp_path: Path):
    # Deselect the TLS floor check everywhere: TLS 1.0 re-enabled must now go unnoticed.
    code, output = run_matrix(
        "--baseline-runs", "1",
        "--scenario", str(lean_scenario(tmp_path)),
        "--variants", "tls-legacy-protocols",
        "--pytest-args", f"-m tls --deselect {TLS_FLOOR}",
        "--out", str(tmp_path),
    )  # fmt: skip
    report = json.loads((tmp_path / "matrix.json").read_text())
    assert code == 1, output[-3000:]
    assert report["baseline"]["runs"][0]["counts"]["failed"] == 0, output[-3000:]
    (variant,) = report["variants"]
    assert not variant["detected"] and len(variant["missed"]) == 2, variant
    assert "| `tls-legacy-protocols` |" in (tmp_path / "matrix.md").read_text()
    assert "**NO**" in (tmp_path / "matrix.md").read_text()
    assert harness_leftovers() == []
