"""Helpers for project tests that run the suites, as a user would, in a child pytest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest
import yaml

from trino_harness.children import stop_gracefully
from trino_harness.scenario.loader import DEFAULT_SCENARIO
from trino_harness.stack.containers import CHECKOUT, LABEL_CHECKOUT

REPO = Path(__file__).resolve().parents[2]
VARIANTS = REPO / "scenarios" / "variants"


@dataclass
class SuiteRun:
    returncode: int
    output: str

    @property
    def failed(self) -> list[str]:
        """The checks that went red, as ``file.py::test_name[row-id]`` (sorted)."""
        red = [line.split(" ")[1] for line in self.output.splitlines() if line.startswith("FAILED ")]
        return sorted(nodeid.removeprefix("suites/") for nodeid in red)

    @property
    def kept_run_dir(self) -> Path | None:
        match = re.search(r"run directory kept: (\S+)", self.output)
        return Path(match.group(1)) if match else None


def run_child(
    command: list[str], timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Like ``subprocess.run(capture_output=True, text=True)``, but an interrupted or timed-out test
    asks the child to stop (SIGTERM: the harness then removes its stack) instead of killing it at
    once, which would leave the child's containers behind."""
    with subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except BaseException:
            stop_gracefully(proc)
            raise
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def run_suites(*args: str, env: dict[str, str] | None = None, timeout: float = 1500) -> SuiteRun:
    """Run ``pytest suites/`` in a child process and return its exit code and combined output."""
    proc = run_child(
        [sys.executable, "-m", "pytest", "suites/", "-p", "no:cacheprovider", *args], timeout, env
    )
    return SuiteRun(proc.returncode, proc.stdout + proc.stderr)


def lean_scenario(directory: Path, **sections: object) -> Path:
    """The baseline scenario without its identity provider and KDC, ``sections`` replaced.

    For tests of harness features (compare, load, reports, lifecycle) that select no OIDC or
    Kerberos check: their stacks start no Keycloak and no KDC (services ready in ≈ 4 s, not ≈ 35 s).
    """
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    for absent in ("oidc", "kerberos"):
        data.pop(absent, None)
    data.update(sections)
    path = directory / "lean-scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def harness_leftovers() -> list[str]:
    """Names of every harness container or network this checkout's runs left on the engine."""
    mine = {"label": f"{LABEL_CHECKOUT}={CHECKOUT}"}
    client = docker.from_env()
    try:
        names = [c.name for c in client.containers.list(all=True, filters=mine)]
        names += [n.name for n in client.networks.list(filters=mine)]
        return sorted(set(names))
    finally:
        client.close()


@pytest.fixture(scope="session", autouse=True)
def docker_engine_ready():
    from trino_harness.docker_engine import ensure_engine

    ensure_engine()


@pytest.fixture(scope="session", autouse=True)
def controls_out_of_the_checkout(tmp_path_factory):
    """Suite runs started from here write their control summary to a temp dir, not to reports/."""
    from trino_harness.reporting.plugin import CONTROLS_DIR_ENV

    os.environ[CONTROLS_DIR_ENV] = str(tmp_path_factory.mktemp("controls"))
