"""A starter scenario drafted from a config copy loads, keeps the rules whole and marks what to confirm."""

from __future__ import annotations

import json
from pathlib import Path

from trino_harness.render.coordinator_etc import render_coordinator_etc
from trino_harness.render.materials import RunMaterials
from trino_harness.scenario.draft import draft_scenario
from trino_harness.scenario.loader import load_scenario


def _copy(tmp_path: Path) -> Path:
    scenario = load_scenario()
    etc = tmp_path / "etc"
    render_coordinator_etc(scenario, RunMaterials.generate(scenario), b"keytab").write_to(etc)
    return etc


def test_a_draft_of_the_reference_etc_loads_with_its_rules_users_and_mapping(tmp_path):
    etc = _copy(tmp_path)
    path = tmp_path / "draft.yaml"
    path.write_text(draft_scenario(etc))
    draft = load_scenario(path)
    assert draft.access_rules.as_json() == json.loads((etc / "rules.json").read_text())
    alice = draft.user("alice")
    assert (alice.login, alice.credential, alice.groups) == ("alice@harness.test", "file", ("analysts",))
    assert draft.user("bob").credential == "ldap" and draft.operator.principal == "admin"
    assert draft.directory.allowed_group == "trino_users"
    assert draft.expectations.access_closed and draft.expectations.impersonation_closed


def test_every_drafted_account_is_marked_for_review(tmp_path):
    text = draft_scenario(_copy(tmp_path))
    users = [line for line in text.splitlines() if line.startswith("  - {name:")]
    assert users and all(line.endswith("# REVIEW") for line in users)
    assert "A draft is not a verdict" in text
