"""The TLS suite's reading of what it saw: a reset or a gateway's page is no verdict.

A certificate check that gets a reset instead of a handshake has seen no certificate; a cleartext
check that gets a 503 from the plain-HTTP port has seen no refusal. Both stop as "cannot judge".
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

import pytest

import suites.test_tls as tls_checks
from tests.unit.bad_coordinator import Mode, serving
from trino_harness.evidence import CannotJudge
from trino_harness.pki import CertificateAuthority
from trino_harness.protocol import Answer
from trino_harness.tls import TransportProblem


def test_cleartext_refusals_are_read_from_trinos_statuses_only():
    assert tls_checks._refused(Answer(status=401)) is True
    assert tls_checks._refused(Answer(status=406)) is True
    assert tls_checks._refused(Answer(status=200, rows=[["alice"]])) is False
    assert tls_checks._refused(Answer(transport=TransportProblem("refused", "nothing listens"))) is True


@pytest.mark.parametrize("status", [404, 429, 500, 502, 503, 504])
def test_any_other_status_over_cleartext_is_no_verdict(status: int):
    with pytest.raises(CannotJudge):
        tls_checks._refused(Answer(status=status))


@dataclass
class _Target:
    host: str
    port: int
    ca_path: str


def test_a_connection_reset_instead_of_a_handshake_is_no_certificate_verdict(tmp_path):
    authority = CertificateAuthority.create("reset test CA")
    ca = tmp_path / "ca.pem"
    ca.write_bytes(authority.cert_pem)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    issued = authority.issue_server("trino", ["127.0.0.1"], days=90)
    with serving(Mode.RESET, [port], [], issued):
        with pytest.raises(CannotJudge, match="closed"):
            tls_checks.test_coordinator_certificate_chains_to_the_ca_and_names_the_host(
                _Target("127.0.0.1", port, str(ca))
            )
