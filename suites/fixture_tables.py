"""Create the scenario's fixture tables once per run, as the operator, for the checks that name them."""

from __future__ import annotations

from pathlib import Path

import pytest
from filelock import FileLock

from trino_harness.polling import poll
from trino_harness.scenario.model import FixtureTable, Scenario
from trino_harness.target import Target

from .outcomes import Outcome, run_as

READY = "fixture-tables-ready"
# The memory connector keeps a table's pages on the workers under a numeric id that a restarted
# coordinator hands out again from 0: a worker that outlived the coordinator (every matrix variant)
# shows the old pages in the new table. Each re-creation takes the next id, so a few tries find a
# clean one.
ATTEMPTS = 30


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def statements(fixture: FixtureTable) -> list[str]:
    """The SQL that makes ``fixture`` exist with exactly its rows (schema first; idempotent per run)."""
    catalog, schema, _ = fixture.table.split(".")
    columns = ", ".join(f"{name} {kind}" for name, kind in fixture.columns.items())
    sql = [
        f"CREATE SCHEMA IF NOT EXISTS {catalog}.{schema}",
        f"DROP TABLE IF EXISTS {fixture.table}",
        f"CREATE TABLE {fixture.table} ({columns})",
    ]
    if fixture.rows:
        values = ", ".join("(" + ", ".join(map(_literal, row)) + ")" for row in fixture.rows)
        sql.append(f"INSERT INTO {fixture.table} VALUES {values}")
    return sql


def _run_once_workers_are_active(target: Target, scenario: Scenario, sql: str) -> Outcome:
    """Run ``sql`` as the operator; while the server answers that no worker is active yet (a worker
    re-joining a restarted coordinator), ask again: each answer already waited server-side, and the
    asking ends after ``cluster.join_timeout_s``."""

    def has_workers(outcome: Outcome) -> bool:
        return not (
            outcome.error_name == "GENERIC_INSUFFICIENT_RESOURCES"
            and "active worker" in (outcome.message or "")
        )

    return poll(
        lambda: run_as(target, scenario.operator, sql), has_workers, timeout_s=scenario.cluster.join_timeout_s
    ).value


def _create(target: Target, scenario: Scenario, fixture: FixtureTable) -> None:
    """Create ``fixture`` until it holds exactly its rows (see ATTEMPTS), else fail: cannot judge."""
    counted = None
    for _ in range(ATTEMPTS):
        for sql in statements(fixture):
            outcome = _run_once_workers_are_active(target, scenario, sql)
            if not outcome.ok:
                pytest.fail(
                    f"the operator ({scenario.operator.label()}) cannot create fixture table "
                    f"{fixture.table} ({sql}: {outcome}): cannot judge; the operator needs "
                    "ownership, INSERT and an 'all' catalog rule there",
                    pytrace=False,
                )
        if not fixture.rows:
            return
        counted = run_as(target, scenario.operator, f"SELECT count(*) FROM {fixture.table}")
        if counted.ok and counted.rows == [[len(fixture.rows)]]:
            return
    pytest.fail(
        f"fixture table {fixture.table} never held exactly its {len(fixture.rows)} rows in "
        f"{ATTEMPTS} creations (last count: {counted}): cannot judge",
        pytrace=False,
    )


def create_fixture_tables(target: Target, scenario: Scenario, run_dir: Path) -> None:
    """Once per run (xdist workers share ``run_dir``); a check that needs them cannot judge without."""
    with FileLock(str(run_dir / f"{READY}.lock")):
        if (run_dir / READY).exists():
            return
        for fixture in scenario.fixture_tables:
            _create(target, scenario, fixture)
        (run_dir / READY).touch()
