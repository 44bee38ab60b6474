"""Scenario files load into the typed model; bad input names the file, the field and the reason."""

from pathlib import Path

import pytest
import yaml

from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario


def _write_variant(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    mutate(data)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_baseline_scenario_loads_with_every_expectation_table():
    scenario = load_scenario()
    assert scenario.expectations.smoke
    assert scenario.expectations.impersonation
    assert {u.credential for u in scenario.users} == {"file", "ldap", "none"}


def test_unknown_field_is_reported_with_file_and_field(tmp_path):
    path = _write_variant(tmp_path, lambda d: d["jwt"].update(audiance="typo"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert f"{path}: jwt.audiance: Extra inputs are not permitted" in str(err.value)


def test_invalid_regex_in_user_mapping_is_reported(tmp_path):
    path = _write_variant(tmp_path, lambda d: d["user_mapping"]["jwt"].update(pattern="(unclosed"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "user_mapping.jwt.pattern" in str(err.value)
    assert "not a valid regular expression" in str(err.value)


def test_expectation_naming_an_unknown_login_is_rejected(tmp_path):
    path = _write_variant(tmp_path, lambda d: d["expectations"]["smoke"][0].update(principal="nobody"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "expectations.smoke.0.principal" in str(err.value)
    assert "nobody" in str(err.value)


def test_pattern_and_rules_together_are_rejected(tmp_path):
    path = _write_variant(tmp_path, lambda d: d["user_mapping"]["password"].update(pattern="(.*)"))
    with pytest.raises(ScenarioError, match="exactly one of 'pattern' or 'rules'"):
        load_scenario(path)


def test_unreadable_and_malformed_files_name_the_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read scenario file"):
        load_scenario(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("users: [unclosed")
    with pytest.raises(ScenarioError, match=f"{bad}: not valid YAML"):
        load_scenario(bad)


def test_baseline_declares_group_visibility_and_audit_tables():
    expectations = load_scenario().expectations
    assert any(row.via is not None for row in expectations.group_access)
    assert {row.can_kill for row in expectations.query_visibility} == {True, False}
    assert {row.state for row in expectations.audit} == {"FINISHED", "FAILED"}
    assert any(row.as_user for row in expectations.audit)
    assert expectations.audit_auth_failures


def test_audit_row_names_an_error_exactly_when_it_failed(tmp_path):
    path = _write_variant(tmp_path, lambda d: d["expectations"]["audit"][0].update(error="PERMISSION_DENIED"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "expectations.audit[0]: " in str(err.value) and "exactly when state is FAILED" in str(err.value)


def test_group_and_visibility_rows_must_name_declared_users(tmp_path):
    path = _write_variant(tmp_path, lambda d: d["expectations"]["query_visibility"][0].update(owner="nobody"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "query_visibility.0.owner: 'nobody' is not one of the declared users" in str(err.value)
    path = _write_variant(
        tmp_path, lambda d: d["expectations"]["group_access"][1]["via"].update(principal="nobody")
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "expectations.group_access.1.via.principal" in str(err.value)


def test_login_attempt_must_fit_its_provider(tmp_path):
    row = {"provider": "file", "principal": "alice@harness.test", "attempt": "expired_token"}
    path = _write_variant(tmp_path, lambda d: d["expectations"]["audit_auth_failures"].append(row))
    with pytest.raises(ScenarioError, match="attempt 'expired_token' needs provider jwt"):
        load_scenario(path)


def test_baseline_access_tables_exercise_allow_and_deny():
    expectations = load_scenario().expectations
    assert {row.access for row in expectations.catalog_access} == {"all", "read-only", "none"}
    assert {row.allowed for row in expectations.table_privileges} == {True, False}
    assert {row.privilege for row in expectations.table_privileges} >= {
        "INSERT",
        "DELETE",
        "UPDATE",
        "OWNERSHIP",
    }
    assert {row.error for row in expectations.column_rules} == {None, "PERMISSION_DENIED"}


def test_access_rows_name_declared_users_modes_and_fixture_tables(tmp_path):
    cases = [
        (lambda d: d["expectations"]["catalog_access"][0].update(access="write"), "catalog_access[0].access"),
        (
            lambda d: d["expectations"]["catalog_access"][0].update(user="nobody"),
            "expectations.catalog_access.0.user: 'nobody' is not one of the declared users",
        ),
        (
            lambda d: d["expectations"]["table_privileges"][0].update(privilege="DROP"),
            "table_privileges[0].privilege",
        ),
        (
            lambda d: d["expectations"]["table_privileges"][0].update(table="memory.harness.other"),
            "expectations.table_privileges.0.table: 'memory.harness.other' is not one of fixture_tables",
        ),
        (
            lambda d: d["expectations"]["column_rules"][0].update(error="PERMISSION_DENIED"),
            "set exactly one of 'rows' (the values returned) or 'error'",
        ),
        (lambda d: d["fixture_tables"][1]["rows"].append([3, "carol"]), "rows.2: 2 values for 3 columns"),
    ]
    for mutate, message in cases:
        path = _write_variant(tmp_path, mutate)
        with pytest.raises(ScenarioError) as err:
            load_scenario(path)
        assert message in str(err.value), str(err.value)
        assert str(path) in str(err.value)


def test_fixture_table_statements_create_schema_table_and_rows():
    from suites.fixture_tables import statements

    accounts = next(f for f in load_scenario().fixture_tables if f.rows)
    sql = statements(accounts)
    assert sql[0] == "CREATE SCHEMA IF NOT EXISTS memory.harness"
    assert sql[2] == "CREATE TABLE memory.harness.accounts (id bigint, owner varchar, secret varchar)"
    assert (
        sql[3]
        == "INSERT INTO memory.harness.accounts VALUES (1, 'alice', '123-45-6789'), (2, 'bob', '987-65-4321')"
    )
