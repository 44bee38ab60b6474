"""The reference stack end to end: green on the baseline, red on a broken config, clean afterwards."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import docker
import pytest

from trino_harness.pytest_plugin import TARGET_FILE
from trino_harness.render.kerberos import keytab_keys
from trino_harness.stack.cleanup import remove_checkout
from trino_harness.target import secrets_file

from .conftest import REPO, harness_leftovers, lean_scenario, run_suites

pytestmark = pytest.mark.integration


def _secrets_of(run_dir: Path) -> dict[str, bytes]:
    """Every secret the run generated, named by kind, as bytes to search for, read from what the run
    kept: the target file (user, audit, Kerberos principal and OIDC passwords, client secrets), the
    client keys, the coordinator's keytab, and the registry the stack's starter handed to the other
    processes beside the target file (what only the starter knew: the KDC's master password,
    Keycloak's admin password, the shared secret, the LDAP and database passwords)."""
    target = json.loads((run_dir / TARGET_FILE).read_text())
    found: dict[str, str] = {f"password of {u}": p for u, p in target["passwords"].items()}
    found["audit database password"] = target["audit"]["password"]
    found["JWT signing key"] = Path(target["jwt_private_key_path"]).read_text()
    found["CA key"] = Path(target["client_ca_key_path"]).read_text()
    for subject, cert in target["client_certs"].items():
        found[f"client key of {subject}"] = Path(cert["key_path"]).read_text()
    if target.get("kerberos"):
        for principal, password in target["kerberos"]["passwords"].items():
            found[f"Kerberos password of {principal}"] = password
    if target.get("oidc"):
        oidc = target["oidc"]
        found |= {f"Keycloak password of {u}": p for u, p in oidc["passwords"].items()}
        found["OIDC client secret"] = oidc["client_secret"]
        for key in ("other_client_secret", "short_lived_client_secret"):
            if oidc.get(key):
                found[key.replace("_", " ")] = oidc[key]
    registry = json.loads(secrets_file(run_dir / TARGET_FILE).read_text())
    found |= {f"registered secret #{i}": value for i, value in enumerate(registry)}
    needles = {kind: value.strip().encode() for kind, value in found.items() if value.strip()}
    # A secret cut before redaction leaves its start: look for that too (not in PEM text, whose
    # first characters are the same for every key).
    for kind, value in found.items():
        if len(value) >= 16 and not value.startswith("-----") and not value.startswith("\\x"):
            needles[f"{kind} (first 8 characters)"] = value[:8].encode()
    keytab_path = run_dir / "stack" / "etc" / "trino" / "kerberos" / "service.keytab"
    if target.get("kerberos"):
        keytab = keytab_path.read_bytes()
        needles |= {"keytab": keytab, "keytab (hex)": keytab.hex().encode()}
        needles["keytab (base64)"] = base64.b64encode(keytab)
        for i, key in enumerate(keytab_keys(keytab)):
            needles |= {f"keytab key {i}": key, f"keytab key {i} (hex)": key.hex().encode()}
            needles[f"keytab key {i} (base64)"] = base64.b64encode(key)
        assert keytab_keys(keytab), "the keytab holds no key the scan could look for"
    return needles


def _published(reports: Path, console: str) -> dict[str, bytes]:
    """What the run published: its console, JUnit XML, controls.*, every file in allure-results/."""
    files = {str(p.relative_to(reports)): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    return {"console": console.encode(), **files}


def test_suites_pass_on_the_secure_baseline_and_leak_nothing(tmp_path):
    reports = tmp_path / "reports"
    junit = reports / "junit-suites-baseline.xml"
    run = run_suites(
        "-n", "2", f"--junitxml={junit}", f"--alluredir={reports / 'allure-results'}",
        f"--controls-dir={reports / 'controls'}", env={"TRINO_HARNESS_KEEP_RUN_DIR": "1"},
    )  # fmt: skip
    run_dir = run.kept_run_dir
    try:
        assert run.returncode == 0, run.output[-5000:]
        # pytest's own counts ("315 passed"), not words of the harness's headline
        assert re.search(r"\d+ passed", run.output) and not re.search(
            r"\d+ (failed|skipped|errors?)\b", run.output
        )
        assert "stack start (containers to ready)" in run.output
        assert harness_leftovers() == []
        assert run_dir is not None and (run_dir / TARGET_FILE).exists()
        published = _published(reports, run.output)
        assert {"controls/controls.json", "controls/controls.md", "controls/controls.html"} <= set(published)
        assert any(name.startswith("allure-results/") for name in published) and junit.is_file()
        secrets = _secrets_of(run_dir)
        assert any(kind.startswith("Kerberos password") for kind in secrets)  # the baseline has a KDC
        leaked = sorted(
            f"{kind} in {where}" for kind, needle in secrets.items() for where, body in published.items()
            if needle in body
        )  # fmt: skip
        assert leaked == [], "generated secrets appear in the reports:\n" + "\n".join(leaked[:40])
        assert not [where for where, body in published.items() if b"PRIVATE KEY-----" in body]
    finally:
        if run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)


def test_interrupted_run_leaves_no_container_behind(tmp_path):
    # Only this run's own coordinator counts as "started": a container another test's teardown is
    # still removing must not make the interrupt land before this run has begun.
    before = set(harness_leftovers())
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
        # A background job of a non-interactive shell inherits SIGINT ignored, and Python then never
        # raises KeyboardInterrupt: Ctrl-C as a terminal delivers it needs the default disposition.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 900
        while not any(n.endswith("-trino") and n not in before for n in harness_leftovers()):
            assert proc.poll() is None, "the run ended before its stack started"
            assert time.monotonic() < deadline, "no Trino container appeared"
            time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
        left = [name for name in harness_leftovers() if name not in before]
        if left or before:  # this test's failure only: the next tests judge their own leftovers
            remove_checkout(docker.from_env())
    assert left == []


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
    assert run.returncode == 6, run.output[-3000:]  # no FAIL: every check could not judge
    assert "reference stack did not start: trino exited" in run.output
    assert "--- trino log (last 40 lines" in run.output
    assert "no-such.property" in run.output  # Trino's own error names the bad property
    assert " passed" not in run.output  # every check errors; none passes on an unreachable stack
    assert harness_leftovers() == []
