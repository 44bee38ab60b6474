"""Load plumbing without containers: the way registry, the Locust command line, overlays, reports."""

import argparse
import ast
import json
import os
import sys
import time
import xml.dom.minidom
from pathlib import Path

import pytest
import yaml

from trino_harness.load.cli import _bounded, add_arguments
from trino_harness.load.processes import (
    LOCUSTFILE,
    ChildRun,
    GeneratorFailed,
    LocustSettings,
    locust_command,
    run_child,
)
from trino_harness.load.report import build_summary, write_reports
from trino_harness.load.runner import LoadSettings, RunResult, StackResult, run_load
from trino_harness.load.samples import Sample, SampleSet
from trino_harness.load.stacks import write_overlay
from trino_harness.load.summary import run_figures
from trino_harness.load.ways import LDAP_NO_CACHE, REFERENCE, WAYS, known_names, select
from trino_harness.scenario.loader import load_scenario
from trino_harness.scenario.model import LoadLimits


def test_registry_matches_the_scenario_schema_and_the_locustfile():
    assert [w.name for w in WAYS] == list(known_names())
    tree = ast.parse(LOCUSTFILE.read_text())
    classes = {
        node.name: next(
            stmt.value.value
            for stmt in node.body
            if isinstance(stmt, ast.Assign) and stmt.targets[0].id == "way"
        )
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    assert classes == {w.user_class: w.name for w in WAYS}


def test_identities_come_from_the_scenario_tables():
    selection = select(load_scenario())
    assert selection.accesses["baseline"] == selection.accesses["certificate"]
    assert selection.accesses["baseline"].provider == "certificate"
    assert selection.accesses["ldap"].provider == "ldap"
    imp = selection.accesses["impersonation"]
    assert imp.as_user and imp.as_user != imp.principal
    assert selection.skipped == {}


def test_no_cache_ldap_runs_on_its_own_stack_in_the_same_mix():
    selection = select(load_scenario())
    assert selection.stacks() == [REFERENCE, LDAP_NO_CACHE]
    reference, no_cache = selection.on_stack(REFERENCE), selection.on_stack(LDAP_NO_CACHE)
    assert "ldap" in reference and "ldap_no_cache" not in reference
    assert "ldap_no_cache" in no_cache and "ldap" not in no_cache
    assert len(reference) == len(no_cache) and reference[0] == no_cache[0] == "baseline"
    assert selection.home(LDAP_NO_CACHE) == ["baseline", "ldap_no_cache"]


def test_baseline_always_runs_and_a_typo_is_refused():
    selection = select(load_scenario(), ["jwt"])
    assert list(selection.accesses) == ["baseline", "jwt"] and selection.stacks() == [REFERENCE]
    with pytest.raises(KeyError, match="unknown way in 'ldpa'"):
        select(load_scenario(), ["ldpa"])


def test_locust_command_is_headless_bounded_and_binds_its_master_to_loopback(tmp_path):
    cmd = locust_command(
        ["Baseline", "Ldap"], LocustSettings(6, 6, 12.5, processes=2, master_port=5599), tmp_path
    )
    joined = " ".join(cmd)
    assert "--headless" in cmd and "--run-time 13s" in joined and "--users 6" in joined
    assert "--stop-timeout" in cmd and "--reset-stats" in cmd
    assert "--processes 2 --master-bind-host 127.0.0.1 --master-bind-port 5599 --master-port 5599" in joined
    assert cmd[-2:] == ["Baseline", "Ldap"]
    single = locust_command(["Baseline"], LocustSettings(1, 1, 5), tmp_path)
    assert "--processes" not in single and "--master-bind-host" not in single


def test_no_cache_overlay_keeps_the_users_overlay_and_edits_only_the_cache(tmp_path):
    user = tmp_path / "mine"
    user.mkdir()
    (user / "extra.properties").write_text("a=b\n")
    (user / "overlay.yaml").write_text(yaml.safe_dump({"properties": {"config.properties": {"x": "1"}}}))
    made = write_overlay(tmp_path / "out", LDAP_NO_CACHE, user)
    manifest = yaml.safe_load((made / "overlay.yaml").read_text())
    assert manifest["properties"]["password-ldap.properties"] == {"ldap.cache-ttl": "0s"}
    assert manifest["properties"]["config.properties"] == {"x": "1"}
    assert (made / "extra.properties").exists()
    assert write_overlay(tmp_path / "ref", REFERENCE, user) == user
    assert write_overlay(tmp_path / "none", REFERENCE, None) is None


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--repeat", "0"], "--repeat"),
        (["--run-time", "0"], "--run-time"),
        (["--run-time", "7200"], "--run-time"),
        (["--users-per-way", "1000"], "--users-per-way"),
        (["--max-statements-per-user", "0"], "--max-statements-per-user"),
    ],
)
def test_unbounded_or_absurd_runs_are_refused(argv, problem):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert problem in (_bounded(parser.parse_args(argv)) or "")


def _stack_result(tmp_path: Path) -> StackResult:
    result = StackResult(REFERENCE, ["baseline", "ldap"], "https://127.0.0.1:1", "476")
    for index, extra in enumerate((10.0, 14.0, 12.0), start=1):
        samples = [Sample("baseline", 1000 + i, 1.0, 100.0, 7) for i in range(10)]
        samples += [Sample("ldap", 1000 + i, 2.0, 100.0 + extra, 7) for i in range(10)]
        generator = ChildRun(0, 10.0, 2.0, False)
        result.runs.append(RunResult(index, run_figures(SampleSet(samples)), generator, tmp_path))
    return result


def test_reports_show_overhead_with_spread_and_judge_thresholds(tmp_path):
    selection = select(load_scenario(), ["ldap"])
    settings = LoadSettings("SELECT 1", 1, 10.0)
    thresholds = {"ldap": LoadLimits(p50_overhead_ms=11), "all": LoadLimits(error_rate=0)}
    summary, rows, verdicts = build_summary(
        [_stack_result(tmp_path)], selection, settings, thresholds, Path("s.yaml"), {}
    )
    assert summary["verdict"] == "fail"
    assert [(v.way, v.metric, v.ok) for v in verdicts if not v.ok] == [("ldap", "p50_overhead_ms", False)]
    paths = write_reports(tmp_path / "out", summary, rows, verdicts)
    table = paths["table"].read_text()
    assert "+12.0 [+10.0..+14.0]" in table  # median and min..max of the three repeats
    assert "FAIL ldap p50_overhead_ms: observed 12, limit ≤ 11" in table
    data = json.loads(paths["json"].read_text())  # strict JSON: no NaN
    assert data["rows"][1]["overhead"]["p50_overhead_ms"]["values"] == [10.0, 14.0, 12.0]
    svg = xml.dom.minidom.parse(str(paths["chart"]))
    assert svg.documentElement.tagName == "svg"


def test_a_target_without_the_no_cache_configuration_reports_those_ways_as_skipped(tmp_path):
    class NoConfiguration:
        def supports(self, stack: str) -> bool:
            return False

        def open(self, stack: str):
            raise AssertionError("must not open a stack it does not support")

    skipped: dict[str, str] = {}
    selection = select(load_scenario(), ["ldap_no_cache"])
    results = run_load(
        NoConfiguration(), selection, LoadSettings("SELECT 1", 1, 1.0), tmp_path, tmp_path, skipped
    )
    assert results == [] and list(skipped) == ["ldap_no_cache"]
    assert "no 'ldap-no-cache' configuration" in skipped["ldap_no_cache"]


def test_a_generator_that_overstays_its_bound_is_stopped(tmp_path):
    started = time.monotonic()
    with pytest.raises(GeneratorFailed, match="overran its 1s bound"):
        run_child(
            [sys.executable, "-c", "import time; time.sleep(60)"], dict(os.environ), tmp_path / "log", 1.0
        )
    assert time.monotonic() - started < 10


def test_generator_cpu_is_measured_from_the_child(tmp_path):
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    run = run_child([sys.executable, "-c", burn], dict(os.environ), tmp_path / "log", 30.0)
    assert run.returncode == 0 and run.cpu_s >= 0.25 and 0 < run.cpu_percent <= 100 * (os.cpu_count() or 1)
