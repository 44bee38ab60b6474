"""The run's scenario, read from its options: ``--scenario``, or the one a ``--target`` profile names.

Loaded once per process (collection asks once per test function) and needs no Docker. The plugin,
the fixtures, the input checks and the reports all read it from here.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from trino_harness.redaction import redact
from trino_harness.scenario.loader import load_scenario
from trino_harness.scenario.model import Scenario

_scenarios: dict[str, Scenario] = {}


@functools.cache
def _profile_scenario(profile: str) -> Path:
    """Read once per process: collection asks for the scenario once per test function."""
    from trino_harness.profile.loader import ProfileError, profile_scenario_path

    try:
        return profile_scenario_path(profile)
    except ProfileError as exc:
        raise pytest.UsageError(redact(str(exc))) from None


def scenario_path_of(config: pytest.Config) -> Path:
    """``--scenario``, or the scenario the ``--target`` profile names."""
    profile = config.getoption("--target")
    if profile:
        return _profile_scenario(profile)
    return Path(config.getoption("--scenario")).resolve()


def scenario_of(config: pytest.Config) -> Scenario:
    """The run's scenario, loaded once per process (no Docker needed)."""
    path = str(scenario_path_of(config))
    if path not in _scenarios:
        _scenarios[path] = load_scenario(path)
    return _scenarios[path]


def client_versions(config: pytest.Config) -> dict[str, str]:
    """The scenario's ``clients.versions`` with every ``--client-version CLIENT=VERSION`` applied."""
    return scenario_of(config).clients.versions.overridden(config.getoption("--client-version"))
