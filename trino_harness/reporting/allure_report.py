"""The Allure HTML report, built by the Allure 2 command line (npm ``allure-commandline``; needs Java).

``./harness report`` installs the command line under ``.tools/allure`` (git-ignored) the first time;
``TRINO_HARNESS_ALLURE`` names another executable, else one on ``PATH`` is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from trino_harness.paths import REPO
from trino_harness.redaction import redact

LOCAL_ALLURE = REPO / ".tools" / "allure" / "node_modules" / ".bin" / "allure"
ALLURE_ENV = "TRINO_HARNESS_ALLURE"
REPORT_NAME = "Trino security controls"
INSTALL_HINT = (
    "run ./harness report (it installs it), or: npm install --prefix .tools/allure allure-commandline"
)


class ReportError(Exception):
    """The report cannot be built: no command line, no Java, no results, or the build failed."""


@dataclass(frozen=True)
class BuiltReport:
    report_dir: Path
    results: int
    seconds: float
    history_carried: bool


def find_allure() -> Path:
    """The Allure command line to run, checked for Java as well (it is a Java program)."""
    named = os.environ.get(ALLURE_ENV)
    candidates = [Path(named)] if named else [LOCAL_ALLURE]
    on_path = shutil.which("allure")
    if not named and on_path:
        candidates.append(Path(on_path))
    found = next((c for c in candidates if c.is_file() and os.access(c, os.X_OK)), None)
    if found is None:
        where = named or f"{LOCAL_ALLURE} or PATH"
        raise ReportError(f"no Allure command line at {where}: {INSTALL_HINT}")
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and (Path(java_home) / "bin" / "java").exists()):
        raise ReportError("the Allure command line needs Java (8 or later): install a JRE or set JAVA_HOME")
    return found


def result_files(results: Path) -> list[Path]:
    return sorted(results.glob("*-result.json")) if results.is_dir() else []


def copy_history(report_dir: Path, results: Path) -> bool:
    """Carry the previous report's ``history/`` into the results, so Allure can draw trends."""
    history = report_dir / "history"
    if not history.is_dir():
        return False
    shutil.copytree(history, results / "history", dirs_exist_ok=True)
    return True


def build_report(
    results: Path, report_dir: Path, *, single_file: bool = False, timeout_s: float = 300
) -> BuiltReport:
    """``allure generate RESULTS -o REPORT --clean``; refuses an empty results directory.

    (The command line itself reports success for a directory that does not exist, and builds an
    empty report; a report that shows nothing must not pass for a report of the run.)
    """
    count = len(result_files(results))
    if count == 0:
        raise ReportError(
            f"no Allure results in {results}: run the suites with --alluredir={results} "
            "(./harness suites does)"
        )
    allure = find_allure()
    carried = copy_history(report_dir, results)
    command = [str(allure), "generate", str(results), "-o", str(report_dir), "--clean", "--name", REPORT_NAME]
    if single_file:
        command.append("--single-file")
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReportError(f"allure generate did not finish within {timeout_s:.0f}s") from exc
    seconds = time.monotonic() - started
    if done.returncode != 0 or not (report_dir / "index.html").is_file():
        tail = redact((done.stdout + done.stderr).strip())[-2000:]
        raise ReportError(f"allure generate failed (exit {done.returncode}): {tail}")
    return BuiltReport(report_dir, count, seconds, carried)
