"""The run's verdict as an exit code a pipeline can act on (documented in docs/verdicts.md).

pytest's own codes keep their meaning (2 interrupted, 3 internal error, 4 usage error: the harness
refuses bad input with it, 5 no tests). A suites run adds two: 6 when no check failed but some
could not judge, 7 when nothing at or above the gate was judged (every such check skipped).
``--fail-on SEVERITY`` gates on the FAILs and ERRORs at or above that severity only; the reports
still show every one.
"""

from __future__ import annotations

from enum import IntEnum

from trino_harness.reporting.controls import ERROR, FAIL, PASS, Run
from trino_harness.reporting.labels import SEVERITIES


class Exit(IntEnum):
    OK = 0  # every selected check judged; no FAIL or ERROR at or above --fail-on
    FAILED = 1  # a FAIL at or above --fail-on
    INTERRUPTED = 2  # the run ended before every check reached a verdict (Ctrl-C, SIGTERM, a crash)
    INTERNAL = 3  # pytest's internal error
    REFUSED_INPUT = 4  # a bad scenario, profile or option, refused before anything started
    NO_TESTS = 5  # pytest collected nothing
    UNJUDGED = 6  # no FAIL, but a check could not judge (ERROR)
    NOTHING_JUDGED = 7  # every gated check skipped (or none was selected): the run says nothing


def gated(severity: str, fail_on: str) -> bool:
    """Whether a finding of ``severity`` counts against the exit code under ``--fail-on``."""
    rank = {name: i for i, name in enumerate(SEVERITIES)}
    return rank.get(severity, 0) <= rank.get(fail_on, len(SEVERITIES))


def exit_code(
    run: Run, *, fail_on: str = SEVERITIES[-1], interrupted: bool = False, unrecorded: int = 0
) -> Exit:
    """FAIL first (a definite finding), then an interrupted run, then checks that could not judge
    (``unrecorded``: failed reports no control holds, a worker that died before a check's setup
    ended), then a run that judged nothing it gates on."""
    counted = [c for c in run.controls.values() if gated(c.severity, fail_on)]
    if any(c.status == FAIL for c in counted):
        return Exit.FAILED
    if interrupted:
        return Exit.INTERRUPTED
    if unrecorded or any(c.status == ERROR for c in counted):
        return Exit.UNJUDGED
    if not any(c.status in (PASS, FAIL, ERROR) for c in counted):
        return Exit.NOTHING_JUDGED
    return Exit.OK


def meaning(code: int) -> str:
    """The exit code in words, for the headline."""
    words = {
        Exit.OK: "every selected check judged: no FAIL, no ERROR",
        Exit.FAILED: "a check FAILED",
        Exit.INTERRUPTED: "INTERRUPTED: the run ended before every check reached a verdict",
        Exit.INTERNAL: "the harness itself broke",
        Exit.REFUSED_INPUT: "input refused",
        Exit.NO_TESTS: "no checks collected",
        Exit.UNJUDGED: "no FAIL, but some checks could not judge (ERROR)",
        Exit.NOTHING_JUDGED: "nothing was judged at or above the gate: every such check skipped",
    }
    return words.get(Exit(code), "unknown") if code in Exit._value2member_map_ else f"exit {code}"
