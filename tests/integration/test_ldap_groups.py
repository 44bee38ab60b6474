"""Groups from the directory: with Trino's LDAP group provider (over LDAPS) in place of group.txt,
every group, impersonation and rule check runs unchanged and passes; the variant
``ldap-group-search-wrong`` proves the same checks go red when the group search finds nothing."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import harness_leftovers, lean_scenario, run_suites

pytestmark = pytest.mark.integration


def test_access_checks_pass_with_groups_from_ldap(tmp_path):
    scenario = lean_scenario(tmp_path)  # the section is named like lean_scenario's first parameter
    data = yaml.safe_load(scenario.read_text())
    data["directory"]["group_provider"] = "ldap"
    scenario.write_text(yaml.safe_dump(data))
    run = run_suites("-n", "2", "-m", "authz or smoke", "--scenario", str(scenario))
    assert run.returncode == 0, run.output[-4000:]
    passed = int(re.search(r"(\d+) passed", run.output).group(1))
    assert passed > 80 and not re.search(r"\d+ (failed|error)", run.output), run.output[-3000:]
    assert harness_leftovers() == []
