"""Internal-endpoint probes: what counts as a refusal of plain HTTP, and what cannot be judged."""

from __future__ import annotations

import http.client
import socket

import pytest
import requests

from trino_harness.cluster.internal import HttpAnswer, _tls_record, plain_http_refused, tls_under_alias
from trino_harness.evidence import CannotJudge
from trino_harness.pki import CertificateAuthority
from trino_harness.target import InternalEndpoint


def test_a_tls_alert_answering_cleartext_is_recognised_as_a_tls_only_port():
    bad = http.client.BadStatusLine("\x15\x03\x03\x00\x02\x02P")
    wrapped = requests.ConnectionError(requests.packages.urllib3.exceptions.ProtocolError("aborted", bad))
    assert _tls_record(wrapped)
    assert not _tls_record(requests.ConnectionError(http.client.BadStatusLine("garbage")))


def test_plain_http_is_refused_only_on_evidence():
    assert plain_http_refused(HttpAnswer(None, "connection refused", "refused")) is True
    assert plain_http_refused(HttpAnswer(None, "closed", "closed")) is True
    assert plain_http_refused(HttpAnswer(None, "TLS record", "tls-only")) is True
    assert plain_http_refused(HttpAnswer(403, "Forbidden")) is True
    assert plain_http_refused(HttpAnswer(401, "Unauthorized")) is True
    assert plain_http_refused(HttpAnswer(200, "{}")) is False
    # No evidence either way: a timeout or an unresolvable name is not a refusal.
    assert plain_http_refused(HttpAnswer(None, "no answer before the timeout", "timeout")) is None
    assert plain_http_refused(HttpAnswer(None, "name does not resolve", "other")) is None


def test_a_gateway_or_server_error_on_plain_http_is_no_refusal():
    """A 502/503/504 is a gateway with nothing behind it, a 500 a crash, a 429 a rate limit: the
    listener answered in the clear and decided nothing, so the probe cannot tell (None), never True."""
    for status in (400, 404, 405, 408, 429, 500, 502, 503, 504):
        assert plain_http_refused(HttpAnswer(status, "")) is None, status


def test_a_tls_proxy_refusing_cleartext_on_its_tls_port_is_a_refusal():
    """nginx answers cleartext on an HTTPS port with its own 400 page: a refusal, by its words."""
    nginx = "<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head>"
    assert plain_http_refused(HttpAnswer(400, nginx)) is True
    assert plain_http_refused(HttpAnswer(400, "Bad Request")) is None


def test_a_node_that_does_not_answer_is_no_tls_verdict(tmp_path):
    """Nothing listening under the alias is no handshake to judge: cannot judge, not a failed handshake."""
    ca = tmp_path / "ca.pem"
    ca.write_bytes(CertificateAuthority.create("alias test CA").cert_pem)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    endpoint = InternalEndpoint(role="worker", alias="trino-worker", host="127.0.0.1", port=port)
    with pytest.raises(CannotJudge, match="refused"):
        tls_under_alias(endpoint, str(ca))
