"""Read one suites run (its JUnit XML) and judge it: did the variant turn its checks red, and only those?"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
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
        """Not green: a negative verdict or a check that could not judge."""
        return self.outcome in ("failed", "error")

    @property
    def judged_red(self) -> bool:
        """A negative verdict (FAIL): the only outcome that counts as detecting a misconfiguration."""
        return self.outcome == "failed"


def read_results(junit: Path, controls: Path | None = None) -> list[CheckResult]:
    """The run's checks from its JUnit XML, each outcome taken from the control summary.

    Only ``controls.json`` knows FAIL (a verdict) from ERROR (could not judge, or passed without a
    recorded verdict): JUnit records ``pytest.fail("cannot judge …")`` as a failure like any other.
    So the summary decides every outcome, and a check it does not hold (or no summary at all) can
    never count as detection: its JUnit failure becomes an ERROR, its JUnit pass stays a pass.
    """
    results = read_junit(junit)
    status: dict[str, str] = {}
    if controls is not None and controls.is_file():
        status = {
            c["check_id"].removeprefix("suites/"): c["status"]
            for c in json.loads(controls.read_text())["controls"]
        }
    outcome = {"PASS": "passed", "FAIL": "failed", "ERROR": "error", "SKIP": "skipped"}
    return [_corrected(r, outcome.get(status.get(r.check_id, ""))) for r in results]


def _corrected(result: CheckResult, summarised: str | None) -> CheckResult:
    if summarised is not None:
        return replace(result, outcome=summarised)
    if result.outcome == "failed":
        why = "no control record: a JUnit failure alone is not a verdict"
        return replace(result, outcome="error", message=f"{why}; {result.message}"[:MESSAGE_LIMIT])
    return result


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
    """How a variant fared: ``detected`` (every must-fail check FAILED on a verdict, every
    must-mention text present) and ``precise`` (nothing red beyond what it declares).

    A must-fail check that ERRORed (could not judge) does not detect anything: it is listed in
    ``unjudged`` as well as in ``missed``, so a detection never rests on a check that did not look.
    """

    missed: list[str] = field(default_factory=list)  # must_fail patterns not (entirely) FAILED
    unmentioned: list[str] = field(default_factory=list)
    caught: list[str] = field(default_factory=list)  # declared checks that FAILED
    unjudged: list[str] = field(default_factory=list)  # declared checks that ERRORed (could not judge)
    collateral: list[str] = field(default_factory=list)  # undeclared checks that FAILED
    collateral_errors: list[str] = field(default_factory=list)  # undeclared checks that ERRORed
    problem: str | None = None  # the run itself went wrong (no checks, coordinator did not start)

    @property
    def detected(self) -> bool:
        return self.problem is None and not self.missed and not self.unmentioned

    @property
    def precise(self) -> bool:
        return self.problem is None and not self.collateral and not self.collateral_errors

    @property
    def passed(self) -> bool:
        return self.detected and self.precise


def judge(spec: VariantSpec, results: list[CheckResult], output: str) -> Verdict:
    """Compare one variant's run with its declaration. ``output`` is the run's console text."""
    if not results:
        return Verdict(problem=f"no checks ran for markers {spec.markers!r}")
    must = [r for r in results if any(p.matches(r.module, r.name) for p in spec.must_fail_patterns)]
    missed = []
    for pattern in spec.must_fail_patterns:
        matching = [r for r in results if pattern.matches(r.module, r.name)]
        if not matching or not all(r.judged_red for r in matching):
            missed.append(str(pattern))
    allowed = spec.allowed_patterns
    declared = [r for r in results if r.red and any(p.matches(r.module, r.name) for p in allowed)]
    undeclared = [r for r in results if r.red and r not in declared]
    return Verdict(
        missed=missed,
        unmentioned=[text for text in spec.must_mention if text not in output],
        caught=[r.check_id for r in declared if r.judged_red],
        unjudged=[r.check_id for r in must if r.outcome == "error"],
        collateral=[r.check_id for r in undeclared if r.judged_red],
        collateral_errors=[r.check_id for r in undeclared if not r.judged_red],
    )
