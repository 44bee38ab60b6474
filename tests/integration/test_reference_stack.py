"""The reference stack end to end: green on the baseline, red on a broken config, clean afterwards."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, harness_leftovers, lean_scenario, run_suites

pytestmark = pytest.mark.integration
REPORTS = REPO / "reports"


def _secrets_of(run_dir: Path) -> list[str]:
    target = json.loads((run_dir / "target.json").read_text())
    values = [*target["passwords"].values(), target["audit"]["password"]]
    values.append(Path(target["jwt_private_key_path"]).read_text())
    for cert in target["client_certs"].values():
        values.append(Path(cert["key_path"]).read_text())
    if target.get("oidc"):
        oidc = target["oidc"]
        values += [*oidc["passwords"].values(), oidc["client_secret"]]
        values += [oidc[k] for k in ("other_client_secret", "short_lived_client_secret") if oidc.get(k)]
    return values


def test_suites_pass_on_the_secure_baseline_and_leak_nothing():
    REPORTS.mkdir(exist_ok=True)
    junit = REPORTS / "junit-suites-baseline.xml"
    run = run_suites("-n", "2", f"--junitxml={junit}", env={"TRINO_HARNESS_KEEP_RUN_DIR": "1"})
    run_dir = run.kept_run_dir
    try:
        assert run.returncode == 0, run.output[-5000:]
        assert " passed" in run.output and " failed" not in run.output and " skipped" not in run.output
        assert "stack start (containers to ready)" in run.output
        assert harness_leftovers() == []
        assert run_dir is not None and (run_dir / "target.json").exists()
        published = run.output + junit.read_text()
        leaked = [s[:4] + "…" for s in _secrets_of(run_dir) if s.strip() and s.strip() in published]
        assert leaked == [], "generated secrets appear in the output or the JUnit report"
        assert "PRIVATE KEY-----" not in published
    finally:
        if run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)


def test_interrupted_run_leaves_no_container_behind(tmp_path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "suites/",
            "-p",
            "no:cacheprovider",
            "-q",
            "--scenario",
            str(lean_scenario(tmp_path)),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 900
        while not any(name.endswith("-trino") for name in harness_leftovers()):
            assert proc.poll() is None, "the run ended before its stack started"
            assert time.monotonic() < deadline, "no Trino container appeared"
            time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert harness_leftovers() == []


def test_suites_collect_without_docker():
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "suites/", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " tests collected" in proc.stdout and "error" not in proc.stdout.lower()


def test_failed_start_fails_loudly_with_the_coordinator_log_and_cleans_up(tmp_path):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "log.properties").write_text("io.trino=INFO\n")
    config = overlay / "config.properties"
    config.write_text("coordinator=true\nhttp-server.https.enabled=true\nno-such.property=1\n")
    scenario = lean_scenario(tmp_path)
    run = run_suites("-n", "2", "--trino-config-overlay", str(overlay), "--scenario", str(scenario))
    assert run.returncode == 1, run.output[-3000:]
    assert "reference stack did not start: trino exited" in run.output
    assert "--- trino log (last 40 lines" in run.output
    assert "no-such.property" in run.output  # Trino's own error names the bad property
    assert " passed" not in run.output  # every check errors; none passes on an unreachable stack
    assert harness_leftovers() == []
