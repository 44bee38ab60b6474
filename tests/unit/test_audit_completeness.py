"""The audit-completeness count after a load run: lost and duplicated events fail the gate."""

from __future__ import annotations

import datetime as dt

from trino_harness.audit.reader import AuditEvent
from trino_harness.load.audit_completeness import judge
from trino_harness.load.report import _verdict

END = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _event(query_id: str, landed_s: float = 0.1, kind: str = "completed") -> AuditEvent:
    return AuditEvent(
        kind, query_id, "u", "u", None, None, "SELECT 1", "FINISHED", None, END, END,
        END + dt.timedelta(seconds=landed_s),
    )  # fmt: skip


class Store:
    """The stored events of a run (the protocol's bulk lookup only)."""

    def __init__(self, events: list[AuditEvent], lacks: dict[str, str] | None = None) -> None:
        self._events, self.lacks = events, lacks or {}

    def events_of(self, query_ids: list[str]) -> list[AuditEvent]:
        return [e for e in self._events if e.query_id in query_ids]


def test_every_query_with_one_completed_event_is_complete_with_its_landing_latency():
    store = Store([_event("q1", 0.1), _event("q2", 0.3), _event("q2", kind="created"), _event("b1", 0.2)])
    result = judge(store, ["q1", "q2", "b1"], burst=1, timeout_s=0)  # type: ignore[arg-type]
    assert result.ok and (result.sent, result.recorded, result.burst) == (3, 3, 1)
    assert result.latency_p50_s == 0.2 and result.latency_p99_s == 0.3
    assert "lost 0, duplicated 0" in result.line()
    assert _verdict([], [result]) == "pass"


def test_a_lost_or_duplicated_event_fails_the_gate_and_is_named():
    store = Store([_event("q1"), _event("q1"), _event("q3")])
    result = judge(store, ["q1", "q2", "q3"], burst=0, timeout_s=0)  # type: ignore[arg-type]
    assert not result.ok and result.lost == ("q2",) and result.duplicated == ("q1",)
    assert "lost 1, duplicated 1" in result.line() and "q2" in result.line()
    assert _verdict([], [result]) == "fail"


def test_a_store_without_arrival_times_says_the_latency_was_not_measured():
    store = Store([_event("q1")], lacks={"received_at": "the table records no arrival time"})
    events = [e.__class__(**{**e.__dict__, "received_at": None}) for e in store._events]
    result = judge(Store(events, store.lacks), ["q1"], burst=0, timeout_s=0)  # type: ignore[arg-type]
    assert result.ok and result.latency_p50_s is None
    assert "landing latency not measured: the table records no arrival time" in result.line()
