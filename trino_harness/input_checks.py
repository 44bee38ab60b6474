"""Bad input, refused before anything starts: the scenario, ``-m``, the overlay and the version.

Each problem is one line (file or option, field, fix), and all of them are one usage error (exit 4)
raised before any container or xdist worker starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trino_harness.redaction import redact
from trino_harness.run_scenario import client_versions, scenario_of, scenario_path_of


def _project_markers(config: pytest.Config) -> list[str]:
    """The markers pyproject.toml registers (the suites' stages), for the unknown-marker message."""
    import tomllib

    from trino_harness.markers import registered_names

    path = config.inipath
    if path is None or path.name != "pyproject.toml":
        return []
    options = tomllib.loads(path.read_text()).get("tool", {}).get("pytest", {}).get("ini_options", {})
    return registered_names(options.get("markers", []))


def check_inputs(config: pytest.Config) -> None:
    """Scenario, ``-m``, overlay and version: each problem one line (file or option, field, fix),
    all as one usage error (exit 4), before any container or worker starts."""
    from trino_harness.markers import registered_names, unknown_marker_problem
    from trino_harness.scenario.loader import ScenarioError

    try:
        scenario = scenario_of(config)
    except ScenarioError as exc:
        raise pytest.UsageError(redact(str(exc))) from None
    try:
        client_versions(config)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    expression = config.getoption("markexpr", "")
    if expression:
        registered = registered_names(config.getini("markers"))
        problem = unknown_marker_problem(expression, registered, _project_markers(config) or registered)
        if problem:
            raise pytest.UsageError(problem)
    if config.getoption("--target"):
        return  # an existing cluster: no overlay, version or image of ours
    overlay = config.getoption("--trino-config-overlay")
    if overlay:
        from trino_harness.stack.overlay_check import overlay_problems

        found = overlay_problems(scenario, [Path(overlay).resolve()])
        if found:
            raise pytest.UsageError("invalid config overlay\n" + "\n".join(*found.values()))
    if config.getoption("--target-file") or config.getoption("--trino-image") or config.option.collectonly:
        return  # nothing will be built
    from trino_harness.images.versions import version_problem

    version = config.getoption("--trino-version")
    problem = version_problem(version or scenario.trino.version, "--trino-version" if version else
                              f"{scenario_path_of(config)}: trino.version")  # fmt: skip
    if problem:
        raise pytest.UsageError(problem)
