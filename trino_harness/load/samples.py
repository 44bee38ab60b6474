"""Raw per-statement samples: exact latencies for the summary (Locust's own stats round them).

Locust stores response times bucketed to about two significant digits, too coarse for
overheads of a few milliseconds. Each statement is therefore also kept as a raw sample; Locust
workers forward theirs to the master, which writes one file per run.
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from trino_harness.load.protocol import StatementResult
from trino_harness.redaction import redact

ERROR_TEXT_MAX = 200


@dataclass(frozen=True)
class Sample:
    way: str
    started: float  # epoch seconds
    first_response_ms: float
    total_ms: float
    http_requests: int
    error: str | None = None
    # What the audit-completeness count joins on: set only when the server said the query ended
    # (a query the client abandoned is completed only after Trino's client timeout).
    query_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def ended(self) -> float:
        return self.started + self.total_ms / 1000

    @classmethod
    def of(cls, way: str, result: StatementResult) -> Sample:
        error = redact(result.error)[:ERROR_TEXT_MAX] if result.error else None
        return cls(
            way,
            result.started,
            result.first_response_ms,
            result.total_ms,
            result.http_requests,
            error,
            result.query_id if result.ended else None,
        )


COLUMNS = [f.name for f in fields(Sample)]


@dataclass
class SampleSet:
    """One run's samples; ``measure_from`` (epoch s) is when every user had been spawned."""

    samples: list[Sample]
    measure_from: float | None = None

    def measured(self) -> list[Sample]:
        """Samples of statements that started once the load was complete (ramp-up excluded)."""
        if self.measure_from is None:
            return list(self.samples)
        return [s for s in self.samples if s.started >= self.measure_from]

    def write(self, path: Path) -> None:
        rows = [list(astuple(s)) for s in self.samples]
        path.write_text(json.dumps({"measure_from": self.measure_from, "columns": COLUMNS, "rows": rows}))

    @classmethod
    def read(cls, path: Path) -> SampleSet:
        data = json.loads(path.read_text())
        present = [c for c in COLUMNS if c in data["columns"]]  # files written before a column existed
        index = {c: data["columns"].index(c) for c in present}
        samples = [Sample(**{c: row[i] for c, i in index.items()}) for row in data["rows"]]
        return cls(samples, data.get("measure_from"))
