"""Against a cluster that does not answer, or answers badly, no check passes.

A security gate's worst failure is a green check that never looked. The child runs below point the
real suites at a profile on 127.0.0.1: first with every port closed (each check must end ERROR,
"cannot judge", or SKIP, never PASS and never FAIL), then at a coordinator that answers every
request badly (``bad_coordinator``: a 503, an empty 200, malformed JSON, a reset), where nothing may
PASS. No container starts and nothing leaves this machine. The four bad-coordinator runs take about
five minutes together on two cores (the browser checks are left out).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.unit.bad_coordinator import Mode, serving
from trino_harness.pki import CertificateAuthority, rsa_key_pair
from trino_harness.reporting.exit_codes import Exit
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


@dataclass(frozen=True)
class Ports:
    """Where the profile says the coordinator and its worker listen (all on 127.0.0.1)."""

    https: int = field(default_factory=_closed_port)
    http: int = field(default_factory=_closed_port)
    worker_https: int = field(default_factory=_closed_port)
    worker_http: int = field(default_factory=_closed_port)


def _profile(
    tmp_path: Path, authority: CertificateAuthority | None = None, ports: Ports | None = None
) -> tuple[Path, dict[str, str]]:
    authority = authority or CertificateAuthority.create("unreachable test CA")
    ports = ports or Ports()
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
    port, http, worker = ports.https, ports.http, ports.worker_https
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
                 "plain_http_port": ports.worker_http},
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
    assert proc.returncode == Exit.UNJUDGED, proc.stdout[-3000:]


# -- a coordinator that answers, but badly -------------------------------------------------------
# Checks whose evidence is the TLS handshake itself, which the bad coordinator completes as a real
# server would (a certificate from the profile's CA, naming every host and alias): in the modes that
# answer HTTP badly they judge a real handshake, and may pass. In ``reset`` there is no handshake.
HANDSHAKE_CHECKS = (
    "test_tls.py::test_coordinator_certificate_chains_to_the_ca_and_names_the_host",
    "test_tls.py::test_tls_protocol_is_accepted_or_refused_as_declared[",
    "test_tls.py::test_no_weak_cipher_suite_is_offered[",
    "test_tls.py::test_every_tls12_suite_has_forward_secrecy",
    "test_tls.py::test_server_key_meets_the_size_floor",
    "test_tls.py::test_certificate_signature_algorithm_is_allowed",
    "test_tls.py::test_certificate_lifetime_is_within_the_limit",
    "test_tls.py::test_certificate_does_not_expire_within_the_horizon",
    "test_tls.py::test_tls_configuration_meets_the_declared_mozilla_profile",
    "test_cluster.py::test_internal_endpoint_speaks_tls_under_its_alias[",
)
# The browser is left out (as above). The real client programs run in every mode but ``unavailable``:
# the JVM clients ask a 503 again for minutes, as the client protocol lets them, so each of their
# checks would take that long (the harness's own probes ask again for a second and a half).
MARKERS = {Mode.UNAVAILABLE: "not webui and not clients"}


def _run_suites(profile: Path, env: dict[str, str], controls: Path, markers: str) -> dict[str, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "suites/", "-q", "-p", "no:cacheprovider", "-n", "2",
         "--target", str(profile), "--controls-dir", str(controls), "-m", markers],
        cwd=REPO, env={**os.environ, **env, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip
    assert (controls / "controls.json").is_file(), proc.stdout[-3000:] + proc.stderr[-3000:]
    by_status: dict[str, list[str]] = {}
    for record in json.loads((controls / "controls.json").read_text())["controls"]:
        by_status.setdefault(record["status"], []).append(record["check_id"].removeprefix("suites/"))
    return by_status


@pytest.mark.parametrize("mode", list(Mode))
def test_no_check_passes_against_a_coordinator_that_answers_badly(tmp_path: Path, mode: Mode) -> None:
    authority = CertificateAuthority.create("bad coordinator test CA")
    ports = Ports()
    profile, env = _profile(tmp_path, authority, ports)
    issued = authority.issue_server(
        "trino", ["127.0.0.1", "localhost", "trino", "trino-worker"], days=90, also_client=True
    )
    with serving(mode, [ports.https, ports.worker_https], [ports.http, ports.worker_http], issued):
        by_status = _run_suites(profile, env, tmp_path / "controls", MARKERS.get(mode, "not webui"))
    passed = by_status.get("PASS", [])
    if mode is not Mode.RESET:
        passed = [c for c in passed if not c.startswith(HANDSHAKE_CHECKS)]
    assert not passed, f"passed against a coordinator answering {mode}: {passed}"
    assert len(by_status.get("ERROR", [])) >= 50, by_status  # most checks need the coordinator
