"""The subcommands that only touch the Docker engine: build the images, render the compose stack,
remove what the harness left on the engine."""

from __future__ import annotations

import argparse
import sys
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


def run_build(args: argparse.Namespace) -> int:
    from trino_harness.images.build import ensure_images

    try:
        version = args.trino_version or load_scenario(args.scenario).trino.version
        images = ensure_images(docker_engine.ensure_engine(), version)
    except (ScenarioError, docker_engine.DockerUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, tag in vars(images).items():
        print(f"{name:9} {tag}")
    return 0


def run_compose(args: argparse.Namespace) -> int:
    from trino_harness.compose import build_and_render

    try:
        env_file = build_and_render(args.out, args.scenario, args.trino_version, args.trino_config_overlay)
    except (ScenarioError, docker_engine.DockerUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"rendered; start with:\n  docker-compose --env-file {env_file} up")
    return 0


def run_cleanup(args: argparse.Namespace) -> int:
    from trino_harness.stack.cleanup import remove_checkout, remove_run

    try:
        client = docker_engine.ensure_engine()
    except docker_engine.DockerUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    removed = remove_run(client) if args.all else remove_checkout(client)
    print(f"removed {removed} containers/networks")
    return 0
