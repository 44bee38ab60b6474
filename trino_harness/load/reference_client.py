"""The raw reference client: plain ``requests`` in OS threads, closed loop, no Locust.

Two jobs. Fidelity: at the same concurrency on the same endpoint, if Locust's throughput
matches this client's, the load generator is not what limits the figures. Warm-up: a few
seconds of every way before measuring, so JIT compilation and first connections are not
charged to the first repeat, and a way that cannot even log in stops the run with its error.

Run as a child process (``python -m trino_harness.load.reference_client``) so its CPU is
accounted like Locust's.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from trino_harness.load.plan import LoadPlan
from trino_harness.load.protocol import run_statement
from trino_harness.load.samples import Sample, SampleSet
from trino_harness.load.sessions import open_session


def drive(plan: LoadPlan, ways: list[str], threads_per_way: int, seconds: float) -> SampleSet:
    """Each thread runs statements back to back as its way until ``seconds`` have passed."""
    target = plan.target()
    samples: list[Sample] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    ready = threading.Barrier(len(ways) * threads_per_way + 1)

    def worker(way: str) -> None:
        try:
            session, headers = open_session(target, plan.access(way), plan.token_lifetime_s)
        except (KeyError, LookupError, OSError, ValueError) as exc:
            ready.wait(timeout=60)
            with lock:
                samples.append(Sample(way, time.time(), 0.0, 0.0, 0, f"no session: {type(exc).__name__}"))
            return
        ready.wait(timeout=60)
        try:
            done = 0
            while time.monotonic() < deadline and done < plan.max_statements_per_user:
                result = run_statement(session, target.url, plan.statement, headers, plan.request_timeout_s)
                done += 1
                with lock:
                    samples.append(Sample.of(way, result))
        finally:
            session.close()

    pool = [
        threading.Thread(target=worker, args=(w,), daemon=True) for w in ways for _ in range(threads_per_way)
    ]
    for thread in pool:
        thread.start()
    ready.wait(timeout=60)
    started = time.time()
    for thread in pool:
        thread.join(timeout=seconds + plan.request_timeout_s + 5)
    with lock:
        return SampleSet(list(samples), started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--ways", required=True, help="comma-separated way names")
    parser.add_argument("--threads-per-way", type=int, default=1)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    plan = LoadPlan.load(args.plan)
    drive(plan, args.ways.split(","), args.threads_per_way, args.seconds).write(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
