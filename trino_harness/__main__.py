"""Command line: ``python -m trino_harness SUBCOMMAND`` (``--help`` lists them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="trino-harness", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="start Docker if needed and build every image (cached by content)")
    build.add_argument("--trino-version", default=None)
    build.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    compose = sub.add_parser("compose", help="render the stack for docker-compose.yml")
    compose.add_argument("--out", type=Path, default=Path(".harness/compose"))
    compose.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    compose.add_argument("--trino-version", default=None)
    compose.add_argument("--trino-config-overlay", type=Path, default=None)
    cleanup = sub.add_parser("cleanup", help="remove the harness containers and networks of this checkout")
    cleanup.add_argument("--all", action="store_true", help="those of every checkout on this engine")
    from trino_harness.load.cli import add_arguments as load_arguments

    load_arguments(
        sub.add_parser("load", help="measure each authentication provider's overhead under load (Locust)")
    )
    from trino_harness.matrix.cli import add_arguments as matrix_arguments

    matrix_arguments(
        sub.add_parser("matrix", help="run the baseline and every variant; write the detection report")
    )
    from trino_harness.compare.cli import add_arguments as compare_arguments

    compare_arguments(sub.add_parser("compare", help="the same config at two Trino versions, check by check"))
    from trino_harness.reporting.cli import add_arguments as report_arguments

    report_arguments(
        sub.add_parser("report", help="render the control summary; --allure builds the Allure report")
    )
    from trino_harness.profile.serve import add_arguments as serve_arguments

    serve_arguments(
        sub.add_parser(
            "serve", help="run a reference stack and write a --target profile for it, until stopped"
        )
    )
    from trino_harness.bench_start import add_arguments as bench_arguments

    bench_arguments(
        sub.add_parser(
            "bench-start", help="stack start and coordinator restarts in figures (AOT cache on/off)"
        )
    )
    args = parser.parse_args(argv)
    if args.command == "bench-start":
        from trino_harness.bench_start import run as run_bench

        return run_bench(args)
    if args.command == "serve":
        from trino_harness.profile.serve import run as run_serve

        return run_serve(args)
    if args.command == "compare":
        from trino_harness.compare.cli import run as run_compare

        return run_compare(args)
    if args.command == "matrix":
        from trino_harness.matrix.cli import run as run_matrix

        return run_matrix(args)
    if args.command == "load":
        from trino_harness.load.cli import run as run_load

        return run_load(args)
    if args.command == "report":
        from trino_harness.reporting.cli import run as run_report

        return run_report(args)

    from trino_harness import docker_engine

    try:
        if args.command == "build":
            from trino_harness.images.build import ensure_images

            version = args.trino_version or load_scenario(args.scenario).trino.version
            images = ensure_images(docker_engine.ensure_engine(), version)
            for name, tag in vars(images).items():
                print(f"{name:9} {tag}")
        elif args.command == "compose":
            from trino_harness.compose import build_and_render

            env_file = build_and_render(
                args.out, args.scenario, args.trino_version, args.trino_config_overlay
            )
            print(f"rendered; start with:\n  docker-compose --env-file {env_file} up")
        elif args.command == "cleanup":
            from trino_harness.stack.cleanup import remove_checkout, remove_run

            client = docker_engine.ensure_engine()
            removed = remove_run(client) if args.all else remove_checkout(client)
            print(f"removed {removed} containers/networks")
    except (ScenarioError, docker_engine.DockerUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
