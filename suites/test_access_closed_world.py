"""Closed world: beyond the table's rows, every identity reaches every object only as the rules allow.

The expectation tables are spot checks. Here the scenario's ``access_rules`` are the intent, read
with Trino's own semantics (``trino_harness.access.file_rules``), and judged over everything the
operator sees (``trino_harness.access.universe``): for every identity that can log in, every
catalog (listed?) and every table (listed?; and, on a bounded sample per catalog, select, insert
and ownership), and every other identity's running query (seen? killed, by each way Trino offers?).
A rule broader than the tables (a catalog or table no row names, a second way to kill a query)
goes red without anyone writing a row for it. ``expectations.access_closed: false`` turns it off.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fixtures.parametrize import Table
from trino_harness.access.access_map import differences, expected_for
from trino_harness.access.file_rules import FileRules, Who
from trino_harness.access.probe import probe_identity, require_identity
from trino_harness.access.universe import Universe, UniverseUnknown, scenario_tables, shared_universe
from trino_harness.evidence import cannot_judge, check
from trino_harness.identities import groups_of, logins
from trino_harness.progress import say
from trino_harness.scenario.model import Principal, Scenario

pytestmark = pytest.mark.authz

FIX = {
    "catalog": "the 'catalogs' section of rules.json (first match wins; a catalog is listed when its mode "
    "is not none and some schema, table, function or session-property rule grants something in it)",
    "listed": "the 'tables' and 'schemas' sections (a table is listed to whoever owns its schema or has "
    "any privilege on it)",
    "select": "the 'tables' section (privileges: SELECT) and the catalog's mode",
    "insert": "the 'tables' section (privileges: INSERT) and the catalog's mode (read-only refuses writes)",
    "ownership": "the 'tables' section (privileges: OWNERSHIP) and the catalog's mode",
}


@dataclass(frozen=True)
class Identity:
    user: str
    login: Principal

    def test_id(self) -> str:
        return f"{self.user}-reaches-only-what-the-rules-allow"


def _identities(scenario: Scenario, test: str) -> list[Identity]:
    if not scenario.expectations.access_closed:
        return []
    return [Identity(user, who) for user, who in logins(scenario).items()]


TABLES = (
    Table(
        "closed_identity",
        _identities,
        empty="expectations.access_closed is false, or no user can log in: only the rows are judged",
    ),
)


@pytest.fixture(scope="session")
def universe(target, scenario, run_dir, fixture_tables) -> Universe:
    try:
        return shared_universe(target, scenario.operator, run_dir, always=scenario_tables(scenario))
    except UniverseUnknown as exc:
        cannot_judge(str(exc))


def _fix(lines: list[str]) -> str:
    kinds = []
    for line in lines:
        cell = line.split(": expected")[0]
        kind = "catalog" if cell.startswith("catalog ") else cell.rsplit(": ", 1)[-1]
        kinds.append(FIX[kind])
    return "review " + "; and ".join(dict.fromkeys(kinds))


def test_every_catalog_and_table_is_reached_only_as_the_rules_allow(
    target, scenario, universe, closed_identity
):
    """Catalogs and tables listed, tables read, written and owned: exactly as access_rules decide."""
    row: Identity = closed_identity
    who = Who(row.user, groups_of(scenario, row.user))
    require_identity(target, row.login, row.user, who.groups)
    answers = probe_identity(target, row.login, universe, say)
    rules = FileRules(scenario.access_rules.as_json())
    judged = {cell: expected_for(rules, who, cell) for cell in answers.cells}
    if not judged:
        seen = "; ".join(f"{c}: {w}" for c, w in answers.unclear.items())
        cannot_judge(f"no cell could be read for {row.user}: {seen}")
    lines = differences(judged, {cell: answers.cells[cell] for cell in judged})
    not_probed = universe.not_probed()
    check(
        not lines,
        what=f"{row.login.label()} (Trino user {row.user}, groups {sorted(who.groups) or 'none'}) over "
        f"{len(universe.catalogs)} catalogs and {len(universe.tables)} tables the operator sees"
        + (f" (read/write/ownership sampled; not probed: {not_probed})" if not_probed else "")
        + (
            f" (the operator could not list: {'; '.join(universe.unreadable)})" if universe.unreadable else ""
        ),
        expected=f"each of {len(judged)} cells as access_rules decide",
        observed=f"{len(judged) - len(lines)} as decided; "
        + "; ".join(lines[:20])
        + (f"; … {len(lines) - 20} more" if len(lines) > 20 else ""),
        fix=_fix(lines) if lines else "",
    )
    if answers.unclear:
        unclear = "; ".join(f"{c}: {w}" for c, w in list(answers.unclear.items())[:10])
        cannot_judge(f"{len(answers.unclear)} cell(s) had no clear answer for {row.user}: {unclear}")
    if universe.unreadable:
        cannot_judge(f"the operator could not list every catalog's tables: {'; '.join(universe.unreadable)}")
