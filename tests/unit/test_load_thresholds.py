"""Go-live thresholds: the scenario's load section, and how limits are judged against figures."""

from pathlib import Path

import pytest
import yaml

from trino_harness.load.thresholds import evaluate
from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario
from trino_harness.scenario.model import LoadLimits

FIGURES = {
    "baseline": {"p50_overhead_ms": 0.0, "p95_overhead_ms": 0.0, "p95_ms": 90.0, "error_rate": 0.0},
    "ldap": {"p50_overhead_ms": 8.0, "p95_overhead_ms": 60.0, "p95_ms": 150.0, "error_rate": 0.0},
    "jwt": {"p50_overhead_ms": 1.0, "p95_overhead_ms": 4.0, "p95_ms": 94.0, "error_rate": 0.01},
}


def _scenario_with(tmp_path: Path, load: dict) -> Path:
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    data["load"] = load
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_limits_that_hold_pass_and_a_breach_fails_with_the_observed_figure():
    verdicts = evaluate({"ldap": LoadLimits(p95_overhead_ms=50, p50_overhead_ms=10)}, FIGURES)
    by_metric = {v.metric: v for v in verdicts}
    assert by_metric["p50_overhead_ms"].ok
    assert not by_metric["p95_overhead_ms"].ok
    assert "FAIL ldap p95_overhead_ms: observed 60, limit ≤ 50" in str(by_metric["p95_overhead_ms"])


def test_all_applies_to_every_measured_way_and_a_way_entry_overrides_it():
    verdicts = evaluate({"all": LoadLimits(error_rate=0), "jwt": LoadLimits(error_rate=0.02)}, FIGURES)
    assert {(v.way, v.ok) for v in verdicts} == {("baseline", True), ("ldap", True), ("jwt", True)}
    assert next(v for v in verdicts if v.way == "jwt").limit == 0.02


def test_a_threshold_on_a_way_that_was_not_measured_fails():
    (verdict,) = evaluate({"ldap_no_cache": LoadLimits(p95_overhead_ms=100)}, FIGURES)
    assert not verdict.ok and verdict.observed is None
    assert "not measured" in str(verdict)


def test_no_thresholds_no_verdicts():
    assert evaluate({}, FIGURES) == []


def test_baseline_scenario_has_a_valid_load_section():
    load = load_scenario().load
    assert load.statement and load.users_per_way >= 1 and load.run_time_s > 0


def test_load_section_is_optional(tmp_path):
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    data.pop("load", None)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    assert load_scenario(path).load.thresholds == {}


def test_thresholds_load_from_the_scenario(tmp_path):
    path = _scenario_with(
        tmp_path, {"thresholds": {"ldap": {"p95_overhead_ms": 50}, "all": {"error_rate": 0}}}
    )
    thresholds = load_scenario(path).load.thresholds
    assert thresholds["ldap"].p95_overhead_ms == 50 and thresholds["all"].error_rate == 0


@pytest.mark.parametrize(
    ("load", "field"),
    [
        ({"thresholds": {"ldapp": {"p95_overhead_ms": 50}}}, "load.thresholds.ldapp"),
        ({"thresholds": {"ldap": {"p95_overhed_ms": 50}}}, "load.thresholds.ldap.p95_overhed_ms"),
        ({"thresholds": {"ldap": {"error_rate": 2}}}, "load.thresholds.ldap.error_rate"),
        ({"users_per_way": 0}, "load.users_per_way"),
    ],
)
def test_bad_load_section_names_the_field(tmp_path, load, field):
    with pytest.raises(ScenarioError) as err:
        load_scenario(_scenario_with(tmp_path, load))
    assert field in str(err.value)
