"""The suites' xdist schedule: the checks of one shared slow pass run on one worker, first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from trino_harness.xdist_schedule import work_unit

# Each check appends (worker, module, test) to a file, in the order checks start.
RECORDING_CHECK = """
import json, os, time
def _record(name):
    with open(os.environ["ORDER_FILE"], "a") as fh:
        fh.write(json.dumps([os.environ["PYTEST_XDIST_WORKER"], __name__, name]) + "\\n")
"""


def test_the_shared_pass_checks_are_one_unit_and_every_other_check_its_own():
    assert work_unit("suites/test_web_ui_oauth2.py::test_a") == "suites/test_web_ui_oauth2.py"
    assert work_unit("suites/test_web_ui_oauth2.py::test_b[alice]") == "suites/test_web_ui_oauth2.py"
    assert work_unit("suites/test_web_ui.py::test_a") == "suites/test_web_ui.py::test_a"
    assert (
        work_unit("suites/test_tls.py::test_x[TLSv1.0-refused]")
        == "suites/test_tls.py::test_x[TLSv1.0-refused]"
    )


def test_under_two_workers_the_shared_pass_checks_start_first_and_share_a_worker(tmp_path: Path):
    """A child pytest -n 2 with the harness plugin: the module collected last still starts first."""
    for module, count, pause in (("test_a_other", 12, 0.2), ("test_web_ui_oauth2", 4, 0.0)):
        body = RECORDING_CHECK + "".join(
            f"def test_{i}():\n    _record('{i}')\n    time.sleep({pause})\n" for i in range(count)
        )
        (tmp_path / f"{module}.py").write_text(body)
    order = tmp_path / "order.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:locust", "-n", "2", "-q"],
        cwd=tmp_path,
        env={**os.environ, "ORDER_FILE": str(order), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    started = [json.loads(line) for line in order.read_text().splitlines()]
    shared = [
        (worker, position)
        for position, (worker, module, _) in enumerate(started)
        if module == "test_web_ui_oauth2"
    ]
    assert len(shared) == 4 and len({worker for worker, _ in shared}) == 1, started
    assert shared[0][1] <= 1, f"the shared pass's first check started at position {shared[0][1]}: {started}"
    others = {worker for worker, module, _ in started if module == "test_a_other"}
    assert others == {"gw0", "gw1"}, f"the other checks ran on {others} only: the rest is still balanced"
