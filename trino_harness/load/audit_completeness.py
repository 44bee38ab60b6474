"""After a load run: did every statement it sent leave exactly one completed audit event?

No peer tool asks this, and it is the audit question that matters before go-live: under load,
is any query missing from the audit store, or stored twice? The statements are joined to the
store by query id. A burst of queries that fail at the same moment is sent as well, because
that is the shape of a lost-event bug Trino fixed in 448. A lost or duplicated event fails the
go-live gate. The landing latency (stored minus ended) is measured where the store records
when an event arrived (the harness collector does; Starburst's event logger does not).
"""

from __future__ import annotations

import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

from trino_harness.audit.reader import AuditEvent, AuditReader
from trino_harness.load.protocol import run_statement
from trino_harness.load.sessions import open_session
from trino_harness.load.ways import Access
from trino_harness.polling import poll
from trino_harness.target import Target

BURST_STATEMENT = "SELECT 1 / 0"  # fails in execution: a created query, then a failed completion
CHUNK = 1000  # query ids per lookup


@dataclass(frozen=True)
class Completeness:
    sent: int  # statements that created a query (had a query id), burst included
    burst: int  # of those, the failing queries sent at once
    recorded: int  # query ids with at least one completed event
    lost: tuple[str, ...]
    duplicated: tuple[str, ...]
    waited_s: float
    latency_p50_s: float | None = None
    latency_p99_s: float | None = None
    note: str | None = None  # what was not measured, and why

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}

    def line(self) -> str:
        latency = (
            f"; landing latency p50 {self.latency_p50_s:.3f}s p99 {self.latency_p99_s:.3f}s"
            if self.latency_p50_s is not None and self.latency_p99_s is not None
            else ""
        )
        shown = ", ".join((*self.lost, *self.duplicated)[:5])
        return (
            f"sent {self.sent} (a burst of {self.burst} failing at once included), recorded "
            f"{self.recorded}, lost {len(self.lost)}, duplicated {len(self.duplicated)}{latency}"
            + (f" (e.g. {shown})" if shown else "")
            + (f"; {self.note}" if self.note else "")
        )


def failure_burst(target: Target, access: Access, count: int) -> list[str]:
    """Send ``count`` failing statements at the same moment; the query ids the server assigned."""

    def one(_: int) -> str | None:
        session, headers = open_session(target, access)
        try:
            result = run_statement(session, target.url, BURST_STATEMENT, headers, timeout_s=60)
            return result.query_id if result.ended else None
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return [qid for qid in pool.map(one, range(count)) if qid]


def _completed(reader: AuditReader, query_ids: list[str]) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    for start in range(0, len(query_ids), CHUNK):
        events += [
            e for e in reader.events_of(query_ids[start : start + CHUNK]) if e.event_type == "completed"
        ]
    return events


def judge(reader: AuditReader, query_ids: list[str], burst: int, timeout_s: float) -> Completeness:
    """Wait (bounded) until every query id has a completed event, then count lost and duplicated."""
    wanted = sorted(set(query_ids))
    polled = poll(
        lambda: _completed(reader, wanted),
        lambda events: {e.query_id for e in events} >= set(wanted),
        timeout_s=timeout_s,
        interval_s=0.5,
        max_interval_s=2.0,
    )
    per_query: dict[str, int] = {}
    for event in polled.value:
        per_query[event.query_id] = per_query.get(event.query_id, 0) + 1
    latencies = sorted(
        (e.received_at - e.end_time).total_seconds() for e in polled.value if e.received_at and e.end_time
    )
    p50 = p99 = None
    note = None
    if latencies:
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    elif "received_at" in reader.lacks:
        note = f"landing latency not measured: {reader.lacks['received_at']}"
    return Completeness(
        sent=len(wanted),
        burst=burst,
        recorded=len(per_query),
        lost=tuple(q for q in wanted if q not in per_query),
        duplicated=tuple(q for q, n in per_query.items() if n > 1),
        waited_s=round(polled.waited_s, 2),
        latency_p50_s=p50,
        latency_p99_s=p99,
        note=note,
    )
