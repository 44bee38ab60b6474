"""Against a cluster that does not answer, no check passes and none claims a verdict.

A security gate's worst failure is a green check that never looked. The child run below points the
real suites at a profile whose every port is closed on 127.0.0.1: each check must end ERROR
("cannot judge") or SKIP (the profile lacks what it needs), never PASS and never FAIL. No container
starts and nothing leaves this machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import yaml

from trino_harness.pki import CertificateAuthority, rsa_key_pair
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario

REPO = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    """A port nothing listens on: bound, read, released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _client_certificates(authority: CertificateAuthority, subjects: tuple[str, ...], tmp_path: Path) -> list:
    entries = []
    for i, subject in enumerate(subjects):
        issued = authority.issue_client(subject)
        cert, key = tmp_path / f"client-{i}.pem", tmp_path / f"client-{i}.key"
        cert.write_bytes(issued.cert_pem)
        key.write_bytes(issued.key_pem)
        key.chmod(0o600)
        entries.append({"subject": subject, "cert": str(cert), "key": str(key)})
    return entries


def _profile(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    authority = CertificateAuthority.create("unreachable test CA")
    ca = tmp_path / "ca.pem"
    ca.write_bytes(authority.cert_pem)
    jwt_key = tmp_path / "jwt.pem"
    jwt_key.write_bytes(rsa_key_pair()[0])
    jwt_key.chmod(0o600)
    scenario = load_scenario(DEFAULT_SCENARIO)
    env: dict[str, str] = {}
    passwords = []
    logins = {(u.credential, u.login_name) for u in scenario.users if u.credential in ("file", "ldap")}
    logins |= {(r.provider, r.principal) for r in scenario.expectations.authentication if r.provider != "jwt"}
    for i, (provider, login) in enumerate(sorted(logins)):
        if provider in ("file", "ldap"):
            name = f"UNREACHABLE_PW_{i}"
            env[name] = f"not-a-real-password-{i}"
            passwords.append({"provider": provider, "login": login, "password_env": name})
    certs = _client_certificates(authority, scenario.certificates, tmp_path)
    port, http, worker = _closed_port(), _closed_port(), _closed_port()
    profile = {
        "name": "unreachable",
        "scenario": str(DEFAULT_SCENARIO),
        "coordinator": {
            "url": f"https://127.0.0.1:{port}",
            "ca_bundle": str(ca),
            "expected_version": scenario.trino.version,
            "plain_http_port": http,
        },
        "identities": {
            "passwords": passwords, "jwt": {"private_key": str(jwt_key)}, "client_certificates": certs,
        },
        "cluster": {
            "workers": ["worker-1"],
            "endpoints": [
                {"role": "coordinator", "alias": "trino", "url": f"https://127.0.0.1:{port}",
                 "plain_http_port": http},
                {"role": "worker", "alias": "trino-worker", "url": f"https://127.0.0.1:{worker}",
                 "plain_http_port": _closed_port()},
            ],
        },
    }  # fmt: skip
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile))
    return path, env


def test_no_check_passes_or_fails_against_a_cluster_that_does_not_answer(tmp_path: Path) -> None:
    profile, env = _profile(tmp_path)
    controls = tmp_path / "controls"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "suites/", "-q", "-p", "no:cacheprovider", "-n", "2",
         "--target", str(profile), "--controls-dir", str(controls), "-m", "not webui"],
        cwd=REPO, env={**os.environ, **env, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=1500,  # 287 checks, 36 of them real client programs (JVM starts): minutes under load
    )  # fmt: skip
    assert (controls / "controls.json").is_file(), proc.stdout[-3000:] + proc.stderr[-3000:]
    records = json.loads((controls / "controls.json").read_text())["controls"]
    by_status: dict[str, list[str]] = {}
    for record in records:
        by_status.setdefault(record["status"], []).append(record["check_id"])
    assert not by_status.get("PASS"), f"passed without a target: {by_status.get('PASS')}"
    assert not by_status.get("FAIL"), f"claimed a verdict without a target: {by_status.get('FAIL')}"
    assert len(by_status.get("ERROR", [])) >= 50, by_status  # most checks need the coordinator
    assert proc.returncode == 1
