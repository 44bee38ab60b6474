"""Suites run through the trino_harness pytest plugin (registered as a pytest11 entry point).

Every check in here talks to a Target (the ephemeral reference stack, later a remote
profile) and is parameterized from the scenario's expectation tables.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .fixture_tables import create_fixture_tables


@pytest.fixture(scope="session")
def fixture_tables(target, scenario, run_dir) -> None:
    """The scenario's fixture tables exist (created once per run by the operator)."""
    create_fixture_tables(target, scenario, run_dir)


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """A private folder for one check, removed when the check ends, whatever its outcome.

    Checks write credentials here (a client's ``jdbc.properties`` or CLI config, a key copy, a
    Kerberos ticket cache); pytest's own ``tmp_path`` keeps the last runs' folders on disk.
    """
    with tempfile.TemporaryDirectory(prefix="trino-harness-check-") as folder:
        os.chmod(folder, 0o700)
        yield Path(folder)
