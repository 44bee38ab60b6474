"""Read one suites run (its JUnit XML) and judge it: did the variant turn its checks red, and only those?"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from trino_harness.matrix.catalog import VariantSpec
from trino_harness.observations import PROPERTY as OBSERVED_PROPERTY
from trino_harness.redaction import redact

MESSAGE_LIMIT = 600


@dataclass(frozen=True)
class CheckResult:
    module: str  # test_tls.py
    name: str  # test_name[row-id]
    outcome: str  # passed | failed | error | skipped
    message: str = ""  # the first lines of the failure, error or skip reason (already redacted)
    observed: str = ""  # what the server answered, normalised (trino_harness.observations)

    @property
    def check_id(self) -> str:
        return f"{self.module}::{self.name}"

    @property
    def red(self) -> bool:
        return self.outcome in ("failed", "error")


def read_junit(path: Path) -> list[CheckResult]:
    """Every test case in a pytest JUnit XML file, in file order."""
    results = []
    for case in ET.parse(path).getroot().iter("testcase"):
        module = case.get("classname", "").rsplit(".", 1)[-1] + ".py"
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            node = case.find(tag)
            if node is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                # Written redacted by the suites' process (which knew the secrets); redact again before the
                # cut for the shapes that are secret whatever the registry (tokens, OAuth codes).
                message = redact(node.get("message") or node.text or "")[:MESSAGE_LIMIT]
                break
        observed = next(
            (p.get("value", "") for p in case.iter("property") if p.get("name") == OBSERVED_PROPERTY), ""
        )
        results.append(CheckResult(module, case.get("name", ""), outcome, message, observed))
    return results


@dataclass(frozen=True)
class Verdict:
    """How a variant fared: ``detected`` (every must-fail check red, every must-mention text
    present) and ``precise`` (nothing red beyond what it declares)."""

    missed: list[str] = field(default_factory=list)  # must_fail patterns not (entirely) red
    unmentioned: list[str] = field(default_factory=list)
    caught: list[str] = field(default_factory=list)  # red checks the variant declared
    collateral: list[str] = field(default_factory=list)  # red checks it did not declare
    problem: str | None = None  # the run itself went wrong (no checks, coordinator did not start)

    @property
    def detected(self) -> bool:
        return self.problem is None and not self.missed and not self.unmentioned

    @property
    def precise(self) -> bool:
        return self.problem is None and not self.collateral

    @property
    def passed(self) -> bool:
        return self.detected and self.precise


def judge(spec: VariantSpec, results: list[CheckResult], output: str) -> Verdict:
    """Compare one variant's run with its declaration. ``output`` is the run's console text."""
    if not results:
        return Verdict(problem=f"no checks ran for markers {spec.markers!r}")
    missed = []
    for pattern in spec.must_fail_patterns:
        matching = [r for r in results if pattern.matches(r.module, r.name)]
        if not matching or not all(r.red for r in matching):
            missed.append(str(pattern))
    red = [r for r in results if r.red]
    allowed = spec.allowed_patterns
    declared = [r for r in red if any(p.matches(r.module, r.name) for p in allowed)]
    undeclared = [r for r in red if r not in declared]
    return Verdict(
        missed=missed,
        unmentioned=[text for text in spec.must_mention if text not in output],
        caught=[r.check_id for r in declared],
        collateral=[r.check_id for r in undeclared],
    )
