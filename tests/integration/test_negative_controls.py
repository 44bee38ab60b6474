"""Every variant with a ``variant.yaml`` turns exactly its declared checks red, saying why.

``must_fail`` must all go red and ``must_mention`` must appear in the output; anything else red
must be listed under ``may_also_fail`` (collateral a broken certificate causes, for instance).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import VARIANTS, harness_leftovers, run_suites

pytestmark = pytest.mark.integration

DECLARED = sorted(p.parent for p in VARIANTS.glob("*/variant.yaml"))


def _failed_ids(output: str) -> list[str]:
    lines = [line for line in output.splitlines() if line.startswith("FAILED ")]
    return [line.split("::", 1)[1].split(" ")[0] for line in lines]


@pytest.mark.parametrize("variant", DECLARED, ids=[p.name for p in DECLARED])
def test_variant_turns_its_checks_red_with_a_message_naming_the_problem(variant: Path):
    spec = yaml.safe_load((variant / "variant.yaml").read_text())
    run = run_suites("-m", spec["markers"], "--trino-config-overlay", str(variant), "--audit-timeout", "5")
    failed = _failed_ids(run.output)
    missed = [check for check in spec["must_fail"] if check not in failed]
    assert run.returncode == 1, f"{variant.name}: exit {run.returncode}\n{run.output[-4000:]}"
    assert not missed, f"{variant.name} went undetected by {missed}; red: {failed}\n{run.output[-4000:]}"
    for text in spec.get("must_mention", []):
        assert text in run.output, f"{variant.name}: failure output does not mention {text!r}"
    # Precision: anything else that went red must be declared as expected collateral.
    undeclared = [c for c in failed if c not in spec["must_fail"] + spec.get("may_also_fail", [])]
    assert not undeclared, f"{variant.name}: undeclared red checks {undeclared}"
    assert harness_leftovers() == []
