"""The derived lookalike table: a dotted domain made a "-", kept where the declared pattern refuses it."""

from __future__ import annotations

from suites.test_user_mapping import _lookalikes
from trino_harness.scenario.loader import load_scenario
from trino_harness.scenario.model import UserMapping


def _with_jwt_pattern(pattern: str | None):
    scenario = load_scenario()
    jwt = None if pattern is None else UserMapping(pattern=pattern)
    return scenario.model_copy(update={"user_mapping": scenario.user_mapping.model_copy(update={"jwt": jwt})})


def test_each_dot_of_a_declared_jwt_domain_gives_one_lookalike_the_table_does_not_already_hold():
    rows = _lookalikes(load_scenario(), "test")
    # alice@harness-test is a row of the table already; svc_etl@harness.test impersonates
    assert [(r.provider, r.principal, r.user) for r in rows] == [("jwt", "svc_etl@harness-test", None)]


def test_no_lookalike_where_the_declared_pattern_itself_lets_it_in():
    assert _lookalikes(_with_jwt_pattern("(.+)@harness.test"), "test") == []
    assert _lookalikes(_with_jwt_pattern("(.+)@.*"), "test") == []


def test_no_lookalike_without_a_jwt_pattern():
    assert _lookalikes(_with_jwt_pattern(None), "test") == []
