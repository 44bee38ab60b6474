"""Internal-endpoint probes: what counts as a refusal of plain HTTP, and what cannot be judged."""

from __future__ import annotations

import http.client

import requests

from trino_harness.cluster.internal import HttpAnswer, _tls_record, plain_http_refused


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
    assert plain_http_refused(HttpAnswer(200, "{}")) is False
    # No evidence either way: a timeout or an unresolvable name is not a refusal.
    assert plain_http_refused(HttpAnswer(None, "no answer before the timeout", "timeout")) is None
    assert plain_http_refused(HttpAnswer(None, "name does not resolve", "other")) is None
