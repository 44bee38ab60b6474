"""The closed-world impersonation table, derived from the scenario: who is judged, against whom.

A rule broader than the rows is caught only if the derived table reaches every identity that logs
in and every name it could be opened to; a login the scenario declares refused is left to the
authentication checks.
"""

from __future__ import annotations

import suites.test_impersonation as impersonation
from trino_harness.identities import NOBODY
from trino_harness.scenario.loader import load_scenario


def _rows() -> dict[str, impersonation.ClosedWorld]:
    return {row.user: row for row in impersonation._closed_world(load_scenario(), "t")}


def test_every_login_is_judged_against_every_known_name_and_one_that_exists_nowhere():
    rows = _rows()
    assert set(rows) == {"alice", "admin", "svc_bi", "svc_rogue", "bob", "svc_etl", "dave"}
    svc_bi = rows["svc_bi"]
    assert svc_bi.allowed == ("alice", "bob")
    assert {"admin", "carol", "mallory", "svc_rogue", NOBODY} <= set(svc_bi.denied)
    assert "svc_bi" not in svc_bi.denied and not {"alice", "bob"} & set(svc_bi.denied)
    # svc_etl's allowance comes from its LDAP row and its JWT row alike (both map to svc_etl).
    assert rows["svc_etl"].allowed == ("alice",)


def test_logins_the_scenario_declares_refused_are_left_to_the_authentication_checks():
    assert "carol" not in _rows() and "mallory" not in _rows()


def test_a_service_account_that_logs_in_only_by_token_is_judged_too():
    scenario = load_scenario()
    extra = impersonation.Principal(provider="jwt", principal="svc_tok@harness.test")
    row = scenario.expectations.authentication[0].model_copy(
        update={"provider": "jwt", "principal": extra.principal, "user": "svc_tok"}
    )
    authentication = (*scenario.expectations.authentication, row)
    expectations = scenario.expectations.model_copy(update={"authentication": authentication})
    derived = impersonation._closed_world(scenario.model_copy(update={"expectations": expectations}), "t")
    rows = {r.user: r for r in derived}
    assert rows["svc_tok"].login == extra and "svc_tok" in rows["svc_bi"].denied


def test_closed_false_judges_only_the_rows():
    scenario = load_scenario()
    open_world = scenario.expectations.model_copy(update={"impersonation_closed": False})
    assert impersonation._closed_world(scenario.model_copy(update={"expectations": open_world}), "t") == []
