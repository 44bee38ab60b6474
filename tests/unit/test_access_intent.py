"""The intent side of the closed world: Trino's file-based rules read in Python, and maps compared."""

from __future__ import annotations

from trino_harness.access.access_map import (
    AccessMap,
    differences,
    expected_cells,
    expected_for,
    map_differences,
    markdown,
)
from trino_harness.access.file_rules import FileRules, Who
from trino_harness.access.probe import decision, table_probes
from trino_harness.access.universe import Answer, Object, Universe, sample
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario

ALICE = Who("alice", frozenset({"analysts"}))
SVC = Who("svc_bi", frozenset({"service_accounts"}))


def baseline() -> FileRules:
    return FileRules(load_scenario(DEFAULT_SCENARIO).access_rules.as_json())


def test_first_matching_catalog_rule_wins_and_system_is_always_open():
    rules = FileRules({"catalogs": [{"user": "alice", "catalog": "tpch", "allow": "none"}, {"allow": "all"}]})
    assert rules.catalog_mode(ALICE, "tpch") == "none"
    assert rules.catalog_mode(SVC, "tpch") == "all"
    assert FileRules({"catalogs": []}).catalog_mode(ALICE, "system") == "all"
    assert FileRules({"catalogs": []}).catalog_mode(ALICE, "tpch") == "none"


def test_a_section_left_out_allows_and_an_empty_one_denies():
    assert FileRules({}).table_allows(ALICE, "memory", "s", "t", "INSERT")
    assert not FileRules({"tables": []}).table_allows(ALICE, "memory", "s", "t", "SELECT")
    assert FileRules({}).query_allows(ALICE, "bob", "kill")
    assert not FileRules({"queries": []}).query_allows(ALICE, "bob", "view")


def test_patterns_match_whole_names_and_a_role_rule_never_applies():
    rules = FileRules(
        {"tables": [{"role": ".*", "privileges": ["SELECT"]}, {"user": "ali", "privileges": ["SELECT"]}]}
    )
    assert not rules.table_allows(ALICE, "tpch", "tiny", "nation", "SELECT")


def test_writes_need_an_all_catalog_and_reads_a_read_only_one():
    rules = FileRules(
        {
            "catalogs": [{"catalog": "tpch", "allow": "read-only"}],
            "tables": [{"privileges": ["SELECT", "INSERT"]}],
        }
    )
    assert rules.table_allows(ALICE, "tpch", "tiny", "nation", "SELECT")
    assert not rules.table_allows(ALICE, "tpch", "tiny", "nation", "INSERT")


def test_a_catalog_is_listed_only_with_some_permission_inside_it():
    rules = FileRules(
        {
            "catalogs": [{"allow": "read-only"}],
            "tables": [{"catalog": "tpch", "privileges": ["SELECT"]}],
            "schemas": [],
            "catalog_session_properties": [],  # left out, it allows every property: a permission
        }
    )
    assert rules.catalog_listed(ALICE, "tpch")
    assert not rules.catalog_listed(ALICE, "memory")
    assert FileRules({"catalogs": [{"allow": "owner"}], "tables": []}).catalog_listed(ALICE, "memory")


def test_a_query_rule_with_an_owner_never_decides_execute():
    rules = FileRules({"queries": [{"queryOwner": "bob", "allow": ["execute", "kill"]}, {"allow": ["view"]}]})
    assert rules.query_allows(ALICE, "bob", "kill")
    assert not rules.query_allows(ALICE, "carol", "kill")
    assert not rules.query_allows(ALICE, None, "execute")


def test_the_baseline_intent_reads_as_its_comments_say():
    rules = baseline()
    assert not rules.catalog_listed(SVC, "postgresql")
    assert rules.table_allows(ALICE, "memory", "harness", "ledger", "INSERT")
    assert not rules.table_allows(SVC, "memory", "harness", "ledger", "SELECT")
    assert rules.table_allows(SVC, "tpch", "tiny", "nation", "SELECT")
    assert not rules.table_allows(SVC, "tpch", "sf1", "nation", "SELECT")
    assert not rules.query_allows(ALICE, "bob", "kill")


def test_a_probe_decides_only_on_trinos_own_denial_of_that_object():
    table = Object("tpch", "tiny", "nation")
    select = table_probes(table)[0]
    assert decision(Answer([["true"]]), select.denials) is True
    denied = Answer(None, "PERMISSION_DENIED", "Access Denied: Cannot select from table tpch.tiny.nation")
    assert decision(denied, select.denials) is False
    hidden = Answer(None, "PERMISSION_DENIED", "Access Denied: Cannot access catalog tpch")
    assert decision(hidden, select.denials) is False
    other_table = Answer(
        None, "PERMISSION_DENIED", "Access Denied: Cannot select from table tpch.tiny.region"
    )
    assert decision(other_table, select.denials) is None
    assert decision(Answer(None, "GENERIC_INTERNAL_ERROR", "boom"), select.denials) is None
    assert decision(Answer(None, None, "ConnectionError: reset"), select.denials) is None


def test_the_system_catalog_has_no_insert_probe():
    assert [p.cell for p in table_probes(Object("system", "runtime", "nodes"))] == ["select", "ownership"]
    assert [p.cell for p in table_probes(Object("memory", "s", "t"))] == ["select", "insert", "ownership"]


def test_the_sample_reaches_every_schema_before_a_second_table_of_any():
    tables = [Object("tpch", s, t) for s in ("sf1", "sf10", "tiny") for t in ("a", "b", "c")]
    picked = sample(tables, 4)
    assert {t.schema for t in picked} == {"sf1", "sf10", "tiny"} and len(picked) == 4
    assert sample(tables, 4) == picked


def _universe() -> Universe:
    tables = (Object("memory", "harness", "ledger"), Object("tpch", "tiny", "nation"))
    return Universe(("memory", "tpch"), tables, tables[:1])


def test_a_cell_that_differs_reads_as_a_sentence():
    expected = expected_cells(baseline(), SVC, _universe())
    assert expected["table memory.harness.ledger: insert"] is False
    observed = dict(expected, **{"table memory.harness.ledger: insert": True})
    observed.pop("catalog tpch: listed")
    assert differences(expected, observed) == [
        "catalog tpch: listed: expected allowed, observed not probed",
        "table memory.harness.ledger: insert: expected denied, observed ALLOWED",
    ]


def test_two_maps_of_the_same_cluster_compare_equal_and_a_change_shows_cell_by_cell():
    universe = _universe()
    cells = expected_cells(baseline(), SVC, universe)
    first = AccessMap("https://t", universe, {"svc_bi": dict(cells)}, {}, {"svc_bi": ["alice"]}).to_json()
    again = AccessMap("https://t", universe, {"svc_bi": dict(cells)}, {}, {"svc_bi": ["alice"]}).to_json()
    assert map_differences(first, again) == []
    opened = AccessMap(
        "https://t",
        universe,
        {"svc_bi": dict(cells, **{"table memory.harness.ledger: select": True})},
        {},
        {"svc_bi": ["alice", "carol"]},
    ).to_json()
    assert map_differences(first, opened) == [
        "svc_bi · table memory.harness.ledger: select: expected denied, observed ALLOWED",
        "svc_bi · may act as carol: expected denied, observed ALLOWED",
    ]
    assert "- may act as: alice, carol" in markdown(opened)


def test_grant_select_alone_reads_and_modes_are_read_in_any_case():
    rules = FileRules({"tables": [{"privileges": ["GRANT_SELECT"]}], "catalogs": [{"allow": "READ-ONLY"}]})
    assert rules.table_allows(ALICE, "tpch", "tiny", "nation", "SELECT")
    assert rules.catalog_mode(ALICE, "tpch") == "read-only"
    assert FileRules({"queries": [{"allow": ["VIEW"]}]}).query_allows(ALICE, "bob", "view")


def test_a_procedure_grant_lists_its_catalog():
    document = {
        "catalogs": [{"allow": "read-only"}],
        "tables": [],
        "schemas": [],
        "functions": [],
        "catalog_session_properties": [],
        "procedures": [{"catalog": "postgresql", "privileges": ["EXECUTE"]}],
    }
    assert FileRules(document).catalog_listed(ALICE, "postgresql")
    assert not FileRules(document).catalog_listed(ALICE, "memory")


def test_an_insert_refused_only_after_the_access_check_counts_as_allowed():
    insert = table_probes(Object("memory", "harness", "accounts", "owner", "varchar"))[1]
    assert insert.sql.endswith(
        'INSERT INTO "memory"."harness"."accounts" ("owner") VALUES (CAST(NULL AS varchar))'
    )
    masked = Answer(None, "NOT_SUPPORTED", "Insert into table with column masks is not supported")
    assert decision(masked, insert.denials, insert.past_the_check) is True
    assert decision(Answer(None, "NOT_SUPPORTED", "other"), insert.denials, insert.past_the_check) is None


def test_every_cell_a_probe_writes_has_an_intent():
    rules = baseline()
    assert expected_for(rules, SVC, "catalog postgresql: listed") is False
    assert expected_for(rules, ALICE, "table memory.harness.ledger: insert") is True
    assert expected_for(rules, SVC, "table tpch.sf1.nation: listed") is False
