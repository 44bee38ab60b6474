"""The Locust side: a user that runs the plan's statement through its way in, and the sample relay.

Imported only by the locustfile (``trino_harness/load/locustfile.py``) inside a Locust process
(importing Locust monkey-patches the process with gevent). Each statement becomes two Locust request events,
``first-response`` and ``statement``, named after the way in, plus one raw sample. Workers
hand their samples to the master with each stats report (``report_to_master``), so
``--processes`` and master/worker runs produce one sample file, written by the master.
"""

from __future__ import annotations

import random
import time
from dataclasses import astuple
from pathlib import Path
from typing import Any, ClassVar

from locust import User, constant, constant_throughput, events, task
from locust.env import Environment
from locust.exception import StopUser
from locust.runners import WorkerRunner

from trino_harness.load.plan import LoadPlan
from trino_harness.load.protocol import run_statement
from trino_harness.load.samples import Sample, SampleSet
from trino_harness.load.sessions import open_session
from trino_harness.target import Target

REPORT_KEY = "trino_harness_samples"
_plan: LoadPlan | None = None
_target: Target | None = None
_buffer: list[Sample] = []  # this process's samples not yet handed on
_collected: list[Sample] = []  # samples received from workers (master)
_measure_from: list[float] = []


class StatementFailed(Exception):
    """A statement did not finish; its text is what Locust groups failures by."""


def plan() -> LoadPlan:
    global _plan
    if _plan is None:
        _plan = LoadPlan.from_env()
    return _plan


def target() -> Target:
    global _target
    if _target is None:
        _target = plan().target()
    return _target


class TrinoUser(User):
    """One simulated client: a kept-alive session presenting ``way``'s identity."""

    abstract = True
    way: ClassVar[str] = ""

    def on_start(self) -> None:
        current = plan()
        self._session, self._headers = open_session(
            target(), current.access(self.way), current.token_lifetime_s
        )
        rate = current.rate_per_user
        self._pace = constant_throughput(rate) if rate > 0 else constant(0)
        self._left = current.max_statements_per_user
        if rate > 0:
            # Users spawned together would otherwise stay in lockstep and hit Trino in bursts;
            # a random phase makes paced users arrive the way independent clients do.
            time.sleep(random.uniform(0, 1 / rate))  # gevent-patched: yields to other users

    def wait_time(self) -> float:
        return self._pace(self)

    def on_stop(self) -> None:
        self._session.close()

    @task
    def statement(self) -> None:
        if self._left <= 0:
            raise StopUser()
        self._left -= 1
        current = plan()
        result = run_statement(
            self._session, target().url, current.statement, self._headers, current.request_timeout_s
        )
        _buffer.append(Sample.of(self.way, result))
        failure = StatementFailed(result.error) if result.error else None
        fire = self.environment.events.request.fire
        fire(
            request_type="first-response",
            name=self.way,
            response_time=result.first_response_ms,
            response_length=0,
            exception=failure if failure and result.http_requests <= 1 else None,
        )
        fire(
            request_type="statement",
            name=self.way,
            response_time=result.total_ms,
            response_length=result.bytes_received,
            exception=failure,
        )


def _forward(client_id: str, data: dict[str, Any]) -> None:
    data[REPORT_KEY] = [list(astuple(s)) for s in _buffer]  # messages are msgpack: plain lists only
    _buffer.clear()


def _collect(client_id: str, data: dict[str, Any]) -> None:
    _collected.extend(Sample(*row) for row in data.get(REPORT_KEY, ()))


def _spawned(user_count: int, **_: Any) -> None:
    _measure_from.append(time.time())


def _write(**_: Any) -> None:
    path = plan().samples_file
    if path:
        start = _measure_from[-1] if _measure_from else None
        SampleSet(_buffer + _collected, start).write(Path(path))


@events.init.add_listener
def _wire(environment: Environment, **_: Any) -> None:
    if isinstance(environment.runner, WorkerRunner):
        environment.events.report_to_master.add_listener(_forward)
        return
    environment.events.worker_report.add_listener(_collect)
    environment.events.spawning_complete.add_listener(_spawned)
    environment.events.quit.add_listener(_write)
