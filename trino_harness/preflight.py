"""What the command-line tools check before they start a stack: overlays and Trino versions.

The pytest plugin checks a single run the same way (``pytest_plugin._check_inputs``); the matrix
and ``compare`` start several runs, so they check every overlay and version up front, once.
"""

from __future__ import annotations

from pathlib import Path

from trino_harness.scenario.model import Scenario


def stack_input_problems(scenario: Scenario, versions: dict[str, str], overlays: list[Path]) -> list[str]:
    """One line per problem: ``versions`` maps the option (or scenario field) to the version it asks for."""
    from trino_harness.images.versions import version_problem
    from trino_harness.stack.overlay_check import overlay_problems

    problems = [line for lines in overlay_problems(scenario, overlays).values() for line in lines]
    for option, version in versions.items():
        problem = version_problem(version, option)
        if problem:
            problems.append(problem)
    return problems
