"""The coordinator's view of its cluster: ``system.runtime.nodes`` and where a query's tasks ran."""

from __future__ import annotations

from dataclasses import dataclass

from trino.exceptions import TrinoQueryError

from trino_harness.clients import connect
from trino_harness.scenario.model import Principal
from trino_harness.target import Target


@dataclass(frozen=True)
class NodeRow:
    node_id: str
    http_uri: str
    coordinator: bool
    state: str

    def __str__(self) -> str:
        role = "coordinator" if self.coordinator else "worker"
        return f"{self.node_id} ({role}, {self.state}, {self.http_uri})"


@dataclass(frozen=True)
class TaskRow:
    node_id: str
    task_id: str
    state: str
    splits: int


def cluster_nodes(target: Target, operator: Principal) -> list[NodeRow]:
    """``system.runtime.nodes`` as the operator sees it."""
    cursor = connect(target, operator).cursor()
    cursor.execute("SELECT node_id, http_uri, coordinator, state FROM system.runtime.nodes")
    return [NodeRow(str(a), str(b), bool(c), str(d)) for a, b, c, d in cursor.fetchall()]


def nodes_or_problem(target: Target, operator: Principal) -> tuple[list[NodeRow], str | None]:
    """The node list, or why it cannot be read (e.g. "Insufficient active worker nodes": with no
    worker and node-scheduler.include-coordinator=false, not even a system table query runs)."""
    try:
        return cluster_nodes(target, operator), None
    except TrinoQueryError as exc:
        return [], f"{exc.error_name}: {exc.message}"


def no_worker_available(problem: str) -> bool:
    """Trino's own answer that no worker is ACTIVE: evidence for a verdict, not a failure to read."""
    return "NO_NODES_AVAILABLE" in problem or "Insufficient active worker nodes" in problem


def tasks_of_scan(target: Target, operator: Principal, statement: str) -> tuple[str, list[TaskRow]]:
    """Run ``statement`` and return its query id with every task ``system.runtime.tasks`` lists for it."""
    conn = connect(target, operator)
    cursor = conn.cursor()
    cursor.execute(statement)
    cursor.fetchall()
    query_id = cursor.query_id
    cursor = conn.cursor()
    cursor.execute(
        "SELECT node_id, task_id, state, completed_splits FROM system.runtime.tasks WHERE query_id = ?",
        [query_id],
    )
    return str(query_id), [TaskRow(str(a), str(b), str(c), int(d or 0)) for a, b, c, d in cursor.fetchall()]
