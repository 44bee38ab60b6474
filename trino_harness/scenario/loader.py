"""Read a scenario file into the typed model, with errors that name the file, the field and the reason."""

from __future__ import annotations

from pathlib import Path

from trino_harness.paths import DEFAULT_SCENARIO
from trino_harness.scenario.model import Scenario
from trino_harness.yaml_model import load_yaml_model


class ScenarioError(ValueError):
    """A scenario file is unreadable or invalid."""


def load_scenario(path: Path | str = DEFAULT_SCENARIO) -> Scenario:
    return load_yaml_model(Path(path), Scenario, "scenario", ScenarioError)
