"""An installed harness has what a checkout has: its defaults ship as package data, once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from trino_harness import paths

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCE = (
    ".git",
    ".venv",
    ".*_cache",
    "__pycache__",
    "reports",
    ".harness",
    ".tools",
    "build",
    "*.egg-info",
)


def test_the_wheel_ships_the_default_scenario_the_locustfile_and_the_fixtures(tmp_path):
    source = tmp_path / "source"  # setuptools builds in the source tree: a copy keeps the checkout clean
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("trino_harness-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for shipped in (paths.DEFAULT_SCENARIO, paths.DEFAULT_CREDENTIALS, paths.LOCUSTFILE):
        assert shipped.relative_to(ROOT).as_posix() in names
    assert {"fixtures/session.py", "fixtures/parametrize.py", "trino_harness/audit/collector.py"} <= names
    assert "trino-harness = trino_harness.__main__:main" in entry_points
    assert "fixtures.session" in entry_points and "fixtures.parametrize" in entry_points


def test_the_checkout_shows_the_packaged_defaults_where_a_reader_looks():
    """``scenarios/`` and ``loadtests/`` hold links to the package's files, not second copies."""
    for shown, shipped in (
        (ROOT / "scenarios" / "baseline.yaml", paths.DEFAULT_SCENARIO),
        (ROOT / "scenarios" / "default-credentials.yaml", paths.DEFAULT_CREDENTIALS),
        (ROOT / "loadtests" / "locustfile.py", paths.LOCUSTFILE),
    ):
        assert shown.is_symlink() and shown.resolve() == shipped
