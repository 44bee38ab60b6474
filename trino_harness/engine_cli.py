"""The subcommands that only touch the Docker engine: build the images, render the compose stack,
remove what the harness left on the engine."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from trino_harness import docker_engine
from trino_harness.paths import DEFAULT_SCENARIO
from trino_harness.scenario.loader import ScenarioError, load_scenario


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trino-version", default=None)
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)


def add_compose_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path(".harness/compose"))
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--trino-version", default=None)
    parser.add_argument("--trino-config-overlay", type=Path, default=None)


def add_cleanup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="those of every checkout on this engine")


Run = Callable[[argparse.Namespace], int]


def _bad_input_exits_2(run: Run) -> Run:
    """A scenario that does not load or no Docker engine: one line on stderr, exit 2."""

    @functools.wraps(run)
    def reported(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (ScenarioError, docker_engine.DockerUnavailable) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    return reported


@_bad_input_exits_2
def run_build(args: argparse.Namespace) -> int:
    from trino_harness.images.build import ensure_images

    version = args.trino_version or load_scenario(args.scenario).trino.version
    images = ensure_images(docker_engine.ensure_engine(), version)
    for name, tag in vars(images).items():
        print(f"{name:9} {tag}")
    return 0


@_bad_input_exits_2
def run_compose(args: argparse.Namespace) -> int:
    from trino_harness.compose import build_and_render

    env_file = build_and_render(args.out, args.scenario, args.trino_version, args.trino_config_overlay)
    print(f"rendered; start with:\n  docker-compose --env-file {env_file} up")
    return 0


@_bad_input_exits_2
def run_cleanup(args: argparse.Namespace) -> int:
    from trino_harness.stack.cleanup import remove_checkout, remove_run

    client = docker_engine.ensure_engine()
    removed = remove_run(client) if args.all else remove_checkout(client)
    print(f"removed {removed} containers/networks")
    return 0
