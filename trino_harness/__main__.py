"""Command line: ``python -m trino_harness SUBCOMMAND`` or ``trino-harness SUBCOMMAND`` (``--help``
lists them). Every subcommand is one row of ``COMMANDS``: the module that adds its arguments and
runs it, and its one-line help."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Command:
    module: str
    help: str
    add_arguments: str = "add_arguments"  # (parser) -> None
    run: str = "run"  # (args) -> exit code


COMMANDS = {
    "build": Command(
        "trino_harness.engine_cli",
        "start Docker if needed and build every image (cached by content)",
        "add_build_arguments",
        "run_build",
    ),
    "compose": Command(
        "trino_harness.engine_cli",
        "render the stack for docker-compose.yml",
        "add_compose_arguments",
        "run_compose",
    ),
    "cleanup": Command(
        "trino_harness.engine_cli",
        "remove the harness containers and networks of this checkout",
        "add_cleanup_arguments",
        "run_cleanup",
    ),
    "load": Command(
        "trino_harness.load.cli", "measure each authentication provider's overhead under load (Locust)"
    ),
    "matrix": Command(
        "trino_harness.matrix.cli", "run the baseline and every variant; write the detection report"
    ),
    "init": Command(
        "trino_harness.scenario.draft", "draft a starter scenario from a copy of a cluster's etc/, to review"
    ),
    "access-map": Command(
        "trino_harness.access.cli", "who can do what on a live cluster; --against MAP.json: what changed"
    ),
    "compare": Command("trino_harness.compare.cli", "the same config at two Trino versions, check by check"),
    "report": Command(
        "trino_harness.reporting.cli", "render the control summary; --allure builds the Allure report"
    ),
    "serve": Command(
        "trino_harness.profile.serve",
        "run a reference stack and write a --target profile for it, until stopped",
    ),
    "bench-start": Command(
        "trino_harness.bench_start", "stack start and coordinator restarts in figures (AOT cache on/off)"
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="trino-harness", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, command in COMMANDS.items():
        getattr(import_module(command.module), command.add_arguments)(sub.add_parser(name, help=command.help))
    args = parser.parse_args(argv)
    command = COMMANDS[args.command]
    return int(getattr(import_module(command.module), command.run)(args))


if __name__ == "__main__":
    sys.exit(main())
