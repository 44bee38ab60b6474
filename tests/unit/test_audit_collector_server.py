"""The audit collector answers every event promptly, even while other connections stall their TLS
handshake: an event the listener cannot hand over in time lands late or, past its retries, never."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from trino_harness.audit.collector import Server, make_handler
from trino_harness.pki import CertificateAuthority


class _Store:
    """Stands in for PostgreSQL only: the HTTP server is what is under test here."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._lock = threading.Lock()

    def store(self, event: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.ids.append(event["metadata"]["queryId"])
        return {"event_type": "completed", "query_id": event["metadata"]["queryId"]}


@pytest.fixture()
def collector(tmp_path: Path) -> Iterator[tuple[int, Path, _Store]]:
    ca = CertificateAuthority.create()
    issued = ca.issue_server("audit", ["127.0.0.1"])
    (tmp_path / "cert.pem").write_bytes(issued.cert_pem)
    (tmp_path / "key.pem").write_bytes(issued.key_pem)
    (tmp_path / "ca.pem").write_bytes(ca.cert_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    store = _Store()
    server = Server(0, make_handler(store), context, host="127.0.0.1")  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], tmp_path / "ca.pem", store
    finally:
        server.shutdown()
        server.server_close()


def _post(port: int, ca: Path, query_id: str) -> int:
    event = {"metadata": {"queryId": query_id}, "endTime": "2026-12-01T00:00:00Z"}
    response = httpx.post(
        f"https://127.0.0.1:{port}/events",
        content=json.dumps(event),
        verify=ssl.create_default_context(cafile=str(ca)),
        timeout=5.0,
    )
    return response.status_code


def test_an_event_is_answered_while_other_connections_stall_their_tls_handshake(collector):
    port, ca, store = collector
    stalled = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(8)]
    try:  # each holds a connection open and never sends its ClientHello
        assert _post(port, ca, "q-after-stalls") == 200
    finally:
        for sock in stalled:
            sock.close()
    assert store.ids == ["q-after-stalls"]


def test_a_burst_of_events_is_answered_in_full(collector):
    port, ca, store = collector
    ids = [f"q{i}" for i in range(64)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        codes = list(pool.map(lambda q: _post(port, ca, q), ids))
    assert codes == [200] * len(ids)
    assert sorted(store.ids) == sorted(ids)
