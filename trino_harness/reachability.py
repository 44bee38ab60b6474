"""Whether a target accepts TCP connections at all: the floor under every negative verdict."""

from __future__ import annotations

import socket

from trino_harness.tls import describe_transport_error


def unreachable(host: str, port: int, timeout: float = 3.0) -> str | None:
    """None when ``host:port`` accepts a TCP connection now, else why not (refused, timeout, name)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return str(describe_transport_error(exc))
