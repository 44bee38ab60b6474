"""A child pytest session with the harness plugins, run as the suites run: for the unit tests
that drive synthetic checks through the real reporting plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The child imports the harness from this checkout (not whichever one the venv has installed).
CHECKOUT = os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])
# The stage markers a synthetic check may carry (the suites register theirs in pyproject.toml).
MARKERS = "[pytest]\nmarkers =\n    tls: t\n    authn: a\n    authz: z\n    audit: u\n    smoke: s\n"


def run_pytest(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``pytest *args`` in ``cwd`` (no cache, no Locust plugin), its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:locust", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": CHECKOUT},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
