"""The failed-login audit checks name the right cause when they cannot conclude.

A request log copied before the attempt, or a barrier query that never ran, is not evidence that
the event listener or the request log is misconfigured: each stops as "cannot judge", saying what
it saw, instead of a FAIL whose fix points at the wrong setting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest

import suites.test_audit_auth_failures as checks
from suites.login_attempts import LoginAttempt
from suites.outcomes import Outcome
from trino_harness.audit.request_log import FileRequestLog
from trino_harness.evidence import CannotJudge, CheckFailed
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario

SCENARIO = load_scenario(DEFAULT_SCENARIO)
ROW = SCENARIO.expectations.audit_auth_failures[0]


def _refused_attempt(target, row) -> LoginAttempt:
    return LoginAttempt(f"trino-harness-login-{'0' * 12}", 401, "Unauthorized", None)


def _copy(tmp_path, last: datetime) -> FileRequestLog:
    stamp = last.isoformat().replace("+00:00", "Z")
    path = tmp_path / "http-request.log"
    path.write_text(f"{stamp}\t10.0.0.9\tGET\t/v1/info\tnull\tprobe\t200\t0\t44\t9\tHTTP/1.1\t0\t9\n")
    return FileRequestLog(str(path))


def test_a_request_log_copy_older_than_the_attempt_is_no_verdict(monkeypatch, tmp_path):
    monkeypatch.setattr(checks, "attempt_login", _refused_attempt)
    stale = _copy(tmp_path, datetime.now(UTC) - timedelta(days=2))
    with pytest.raises(CannotJudge, match=r"ends at .*, before the attempt at"):
        checks.test_failed_login_is_in_the_request_log(None, ROW, stale, 0.2, lambda name, value: None)


def test_a_live_request_log_without_the_attempt_still_fails_naming_the_setting(monkeypatch, tmp_path):
    monkeypatch.setattr(checks, "attempt_login", _refused_attempt)
    current = _copy(tmp_path, datetime.now(UTC) + timedelta(minutes=1))  # written after the attempt
    with pytest.raises(CheckFailed, match=r"http-server\.log\.enabled"):
        checks.test_failed_login_is_in_the_request_log(None, ROW, current, 0.2, lambda name, value: None)


class _NoEvents:
    lacks: ClassVar[dict[str, str]] = {}

    def events(self, query_id: str) -> list:
        return []

    def events_mentioning(self, text: str) -> list:
        return []


def test_a_barrier_query_that_did_not_run_blames_the_barrier_not_the_event_listener(monkeypatch):
    monkeypatch.setattr(checks, "attempt_login", _refused_attempt)
    control_id = "20261123_000000_00001_ctrl0"

    def run_as(target, who, sql, *args, **kwargs) -> Outcome:
        if "barrier" in sql:
            return Outcome(
                None, "QUERY_QUEUE_FULL", "Too many queued queries", None, "20261123_000000_00003_barr0"
            )
        if "system.runtime.queries" in sql:
            return Outcome([[control_id, False]], None, None, None, "20261123_000000_00002_list0")
        return Outcome([["ok"]], None, None, None, control_id)

    monkeypatch.setattr(checks, "run_as", run_as)
    with pytest.raises(CannotJudge, match=r"barrier query .*QUERY_QUEUE_FULL"):
        checks.test_failed_login_leaves_no_query_and_no_query_event(None, SCENARIO, ROW, _NoEvents(), 0.2)


def test_a_gateway_answer_to_the_attempt_is_no_verdict_on_the_login(monkeypatch, tmp_path):
    monkeypatch.setattr(
        checks, "attempt_login", lambda target, row: LoginAttempt("m", 503, "Service Unavailable", None)
    )
    with pytest.raises(CannotJudge, match="HTTP 503"):
        checks.test_failed_login_is_in_the_request_log(
            None, ROW, _copy(tmp_path, datetime.now(UTC)), 0.2, print
        )
    empty = LoginAttempt("m", 200, "", None)  # a 200 without a statement answer is no acceptance either
    monkeypatch.setattr(checks, "attempt_login", lambda target, row: empty)
    with pytest.raises(CannotJudge, match="HTTP 200"):
        checks.test_failed_login_is_in_the_request_log(
            None, ROW, _copy(tmp_path, datetime.now(UTC)), 0.2, print
        )
