"""Config copies for the static lints, and a way to run a suite's check against one outside pytest.

A lint is only as good as its reading of the shapes a real ``etc/`` has; these helpers let a unit
test write such a copy and see what the check itself would report: PASS, FAIL, ERROR or SKIP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from trino_harness.evidence import CannotJudge, CheckFailed, begin_trail, trail


@dataclass
class CopyTarget:
    """A target that has nothing but a copy of the coordinator's etc/ (what the static lints read)."""

    config_dir: Path

    def coordinator_config(self) -> str:
        return str(self.config_dir)


def write_copy(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root``; return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@dataclass(frozen=True)
class Outcome:
    status: str  # PASS, FAIL, ERROR, SKIP (as the reporting plugin would record the check)
    text: str


def run_check(check: Callable[..., Any], *args: Any) -> Outcome:
    """Run a suite's check function and classify it as the reports would: a CheckFailed is FAIL,
    a cannot-judge is ERROR, a return with recorded, all-positive verdicts is PASS, and a return
    with no verdict is ERROR (no record, no pass)."""
    begin_trail()
    try:
        check(*args)
    except CheckFailed as exc:
        return Outcome("FAIL", str(exc))
    except CannotJudge as exc:
        return Outcome("ERROR", str(exc))
    except pytest.skip.Exception as exc:
        return Outcome("SKIP", str(exc))
    except pytest.fail.Exception as exc:
        return Outcome("ERROR", str(exc))
    recorded = trail()
    if not recorded:
        return Outcome("ERROR", "passed without recording a verdict")
    if not all(e.ok for e in recorded):
        return Outcome("FAIL", "; ".join(e.observed for e in recorded if not e.ok))
    return Outcome("PASS", "; ".join(f"{e.what}: {e.observed}" for e in recorded))
