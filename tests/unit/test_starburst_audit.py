"""The Starburst event-logger shape: the collector's second sink and the reader's mapping back."""

from __future__ import annotations

import json

from trino_harness.audit.collector import extract, starburst_row
from trino_harness.audit.starburst import _event

FAILED = {
    "metadata": {"queryId": "20261201_000000_00001_abcde", "query": "SELECT 1/0", "queryState": "FAILED"},
    "context": {
        "user": "alice",
        "principal": "svc_bi",
        "originalUser": "svc_bi",
        "source": "trino-harness-audit",
        "clientInfo": "marker",
        "remoteClientAddress": "172.18.0.1",
        "serverVersion": "476",
        "environment": "harness",
        "queryType": "SELECT",
    },
    "statistics": {"totalRows": 0, "outputRows": 0, "completedSplits": 1},
    "failureInfo": {
        "errorCode": {"code": 8, "name": "DIVISION_BY_ZERO", "type": "USER_ERROR"},
        "failureMessage": "Division by zero",
    },
    "createTime": "2026-12-01T00:00:00.000Z",
    "executionStartTime": "2026-12-01T00:00:00.100Z",
    "endTime": "2026-12-01T00:00:00.200Z",
}


def test_a_completed_event_becomes_a_documented_completed_queries_row():
    row = starburst_row(FAILED, extract(FAILED))
    assert (row["usr"], row["principal"], row["query_state"], row["query_type"]) == (
        "alice",
        "svc_bi",
        "FAILED",
        "SELECT",
    )
    assert json.loads(row["failure_info"])["errorCode"]["name"] == "DIVISION_BY_ZERO"
    assert (row["total_rows"], row["completed_splits"], row["total_bytes"]) == (0, 1, None)
    assert "execution_start_time" not in row and "original_user" not in row  # not documented columns


def test_the_reader_maps_usr_and_failure_info_back_onto_the_audit_event():
    stored = starburst_row(FAILED, extract(FAILED))
    event = _event({**stored, "failure_info": stored["failure_info"]})
    assert (event.user, event.principal, event.state, event.error_code, event.error_type) == (
        "alice",
        "svc_bi",
        "FAILED",
        "DIVISION_BY_ZERO",
        "USER_ERROR",
    )
    assert event.event_type == "completed" and event.execution_start_time is None
    assert event.failure_message == "Division by zero"


def test_a_row_without_failure_info_has_no_error_code():
    stored = starburst_row(FAILED, extract(FAILED))
    stored.pop("failure_info")
    assert _event(stored).error_code is None
    assert _event({**stored, "failure_info": "not json"}).error_code is None
