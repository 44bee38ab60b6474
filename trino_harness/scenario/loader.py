"""Read a scenario file into the typed model, with errors that name the file, the field and the reason."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from trino_harness.scenario.model import Scenario

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


class ScenarioError(ValueError):
    """A scenario file is unreadable or invalid."""


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def load_scenario(path: Path | str = DEFAULT_SCENARIO) -> Scenario:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read scenario file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: (top level): expected a mapping, got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}: {_field(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ScenarioError("invalid scenario\n" + "\n".join(lines)) from None
