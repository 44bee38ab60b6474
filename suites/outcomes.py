"""Run one statement as an identity and describe what the server answered, for evidence."""

from __future__ import annotations

from dataclasses import dataclass

from trino.exceptions import HttpError, TrinoQueryError

from trino_harness.clients import connect
from trino_harness.observations import observe
from trino_harness.scenario.model import Principal
from trino_harness.target import Target


@dataclass(frozen=True)
class Outcome:
    rows: list | None
    error_name: str | None
    message: str | None
    http_status: int | None
    query_id: str | None

    @property
    def ok(self) -> bool:
        return self.rows is not None

    def __str__(self) -> str:
        if self.ok:
            return f"rows={self.rows} (query {self.query_id})"
        where = f"HTTP {self.http_status}" if self.http_status else self.error_name
        return f"{where}: {self.message} (query {self.query_id})"


def run_as(
    target: Target,
    who: Principal,
    sql: str,
    user: str | None = None,
    source: str = "trino-harness",
    client_info: str | None = None,
) -> Outcome:
    cur = connect(target, who, user=user, source=source, client_info=client_info).cursor()
    try:
        cur.execute(sql)
        outcome = Outcome(cur.fetchall(), None, None, None, cur.query_id)
    except TrinoQueryError as exc:
        outcome = Outcome(None, exc.error_name, exc.message, None, exc.query_id)
    except HttpError as exc:
        text = str(exc)
        status = int(text.split(":")[0].split()[-1]) if text.startswith("error ") else None
        outcome = Outcome(None, None, text, status, None)
    observe(outcome)
    return outcome
