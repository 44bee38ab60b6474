"""A coordinator on 127.0.0.1 that answers every request badly, for proving no check passes on it.

Each port a profile names (the coordinator's HTTPS and plain-HTTP ports, a worker's) is served by
one listener in one mode: ``unavailable`` (HTTP 503, what a gateway says with nothing behind it),
``empty-200`` (HTTP 200 with an empty JSON body), ``malformed-json`` (HTTP 200 whose JSON is cut
off) or ``reset`` (the connection is reset as soon as it is accepted, before TLS or HTTP). The HTTPS
listeners complete a real TLS handshake with a certificate from the profile's CA, so only the
HTTP answers are bad (in ``reset``, the handshake fails too).
"""

from __future__ import annotations

import socket
import ssl
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from trino_harness.pki import Issued


class Mode(StrEnum):
    UNAVAILABLE = "unavailable"
    EMPTY_200 = "empty-200"
    MALFORMED_JSON = "malformed-json"
    RESET = "reset"


# A statement answer cut off mid-object: parseable by no JSON reader.
MALFORMED = b'{"id":"20260101_000000_00000_bad00","nextUri":"https://127.0.0.1/v1/statement/'


class _Handler(BaseHTTPRequestHandler):
    server: _BadServer
    protocol_version = "HTTP/1.1"
    timeout = 10

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        mode = self.server.mode
        status, body = {
            Mode.UNAVAILABLE: (503, b"Service Unavailable"),
            Mode.EMPTY_200: (200, b""),
            Mode.MALFORMED_JSON: (200, MALFORMED),
        }[mode]
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _answer


class _BadServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, mode: Mode, context: ssl.SSLContext | None) -> None:
        self.mode, self.context = mode, context
        super().__init__(("127.0.0.1", port), _Handler)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        if self.mode is Mode.RESET and isinstance(request, socket.socket):
            # Linger 0: close sends RST, not FIN. Nothing is read, no TLS, no HTTP.
            request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            request.close()
            return False
        return True

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.context is not None and isinstance(request, socket.socket):
            request.settimeout(10)
            try:
                request = self.context.wrap_socket(request, server_side=True)
            except (OSError, ValueError):
                return  # a scanner's probe handshake (SSLv2, export suites): refused, as a server does
        super().finish_request(request, client_address)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up, scanners send garbage: none of it is the test's business


@contextmanager
def serving(mode: Mode, tls_ports: list[int], plain_ports: list[int], issued: Issued) -> Iterator[None]:
    """Serve ``mode`` on every port (HTTPS with ``issued`` on ``tls_ports``) until the block ends."""
    with tempfile.TemporaryDirectory() as tmp:
        pem = Path(tmp) / "server.pem"
        pem.write_bytes(issued.key_pem + issued.cert_pem)
        pem.chmod(0o600)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(pem)
        with ExitStack() as stack:
            servers = [_BadServer(p, mode, context) for p in tls_ports]
            servers += [_BadServer(p, mode, None) for p in plain_ports]
            for server in servers:
                stack.callback(server.server_close)
                stack.callback(server.shutdown)
                threading.Thread(target=server.serve_forever, daemon=True).start()
            yield
