"""Which reader answers for a target's audit store: one place that knows every store."""

from __future__ import annotations

from trino_harness.audit.reader import AuditReader, HarnessAuditReader
from trino_harness.audit.starburst import StarburstEventLoggerReader
from trino_harness.target import AuditDatabase


def reader_for(db: AuditDatabase) -> AuditReader:
    """The reader for the target's audit store (its ``flavour``)."""
    if db.flavour == "starburst-event-logger":
        return StarburstEventLoggerReader(db)
    return HarnessAuditReader(db)
