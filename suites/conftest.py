"""Suites run through the trino_harness pytest plugin (registered as a pytest11 entry point).

Every check in here talks to a Target (the ephemeral reference stack, later a remote
profile) and is parameterized from the scenario's expectation tables.
"""

from __future__ import annotations

import pytest

from .fixture_tables import create_fixture_tables


@pytest.fixture(scope="session")
def fixture_tables(target, scenario, run_dir) -> None:
    """The scenario's fixture tables exist (created once per run by the operator)."""
    create_fixture_tables(target, scenario, run_dir)
