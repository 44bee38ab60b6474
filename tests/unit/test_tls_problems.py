"""Certificate problems are named (expired, wrong host, unknown CA), proven on loopback TLS servers."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
from pathlib import Path

import pytest

from trino_harness.pki import CertificateAuthority, Issued
from trino_harness.tls import describe_transport_error, presented_certificate, verified_handshake


def _serve_once(issued: Issued, tmp_path: Path) -> int:
    (tmp_path / "server.pem").write_bytes(issued.cert_pem)
    (tmp_path / "server.key").write_bytes(issued.key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.pem", tmp_path / "server.key")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def accept() -> None:
        with listener:
            for _ in range(2):  # the verified attempt, then the evidence read
                try:
                    conn, _ = listener.accept()
                    with context.wrap_socket(conn, server_side=True):
                        pass
                except OSError:
                    pass

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create()


@pytest.mark.parametrize(
    ("problem", "kind"),
    [("expired", "expired"), ("wrong-host", "wrong-host"), ("unknown-ca", "unknown-ca")],
)
def test_each_certificate_problem_is_named(ca, tmp_path, problem, kind):
    (tmp_path / "ca.pem").write_bytes(ca.cert_pem)
    issued = {
        "expired": lambda: ca.issue_server(
            "x", ["127.0.0.1"], days=1, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=9)
        ),
        "wrong-host": lambda: ca.issue_server("x", ["elsewhere.invalid"]),
        "unknown-ca": lambda: CertificateAuthority.create("Other").issue_server("x", ["127.0.0.1"]),
    }[problem]()
    port = _serve_once(issued, tmp_path)
    with pytest.raises(OSError) as caught:
        verified_handshake("127.0.0.1", port, str(tmp_path / "ca.pem"))
    assert describe_transport_error(caught.value).kind == kind
    assert "CN=x" in presented_certificate("127.0.0.1", port).subject


def test_a_refused_port_is_not_a_tls_problem():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(OSError) as caught:
        socket.create_connection(("127.0.0.1", port), timeout=2)
    assert describe_transport_error(caught.value).kind == "refused"
