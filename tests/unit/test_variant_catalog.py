"""The shipped catalogue: at least 20 variants, and every declared check exists under its markers.

A ``must_fail`` entry that names no collected check would make a variant undetectable by typo;
this catches it without Docker (``pytest --collect-only``).
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache

from _pytest.mark.expression import Expression  # the grammar of -m, so the matrix's markers mean the same

from trino_harness import paths
from trino_harness.matrix.catalog import check_function, covering_variants, load_catalog
from trino_harness.matrix.verdict import CheckResult

from .marker_dump import PREFIX

REPO = paths.REPO
VARIANTS = load_catalog()


@cache
def _every_item() -> list[tuple[str, frozenset[str]]]:
    """Each collected suite check with its marker names: one collection for every variant."""
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "suites/", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "tests.unit.marker_dump"],
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    items = []
    for line in proc.stdout.splitlines():
        if line.startswith(PREFIX):
            nodeid, _, names = line.removeprefix(PREFIX).partition("\t")
            items.append((nodeid, frozenset(names.split(","))))
    assert items, proc.stdout
    return items


def _has(names: frozenset[str]):
    return lambda name, **_: name in names


def collected(markers: str) -> list[CheckResult]:
    """What ``pytest suites/ -m MARKERS`` collects (pytest's own expression grammar)."""
    expression = Expression.compile(markers)
    ids = [nodeid for nodeid, names in _every_item() if expression.evaluate(_has(names))]
    return [CheckResult(i.split("::")[0].removeprefix("suites/"), i.split("::", 1)[1], "passed") for i in ids]


def test_catalogue_spans_at_least_twenty_misconfigurations():
    assert len(VARIANTS) >= 20, [v.name for v in VARIANTS]


def test_every_declared_check_is_collected_under_the_variants_markers():
    unknown = [
        f"{v.name}: {pattern}"
        for v in VARIANTS
        for pattern in v.spec.must_fail_patterns
        if not any(pattern.matches(c.module, c.name) for c in collected(v.spec.markers))
    ]
    assert not unknown, unknown


def test_covering_variants_still_turn_every_declared_check_function_red():
    covering = covering_variants(VARIANTS)
    declared = {check_function(p) for v in VARIANTS for p in v.spec.must_fail}
    assert {check_function(p) for v in covering for p in v.spec.must_fail} == declared
    assert len(covering) < len(VARIANTS)
    assert [v.name for v in covering] == sorted(v.name for v in covering)  # catalogue order
