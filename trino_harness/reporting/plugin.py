"""pytest side of the reports: labels, evidence, and the control summary at the end of a suites run.

- At collection, every suite check (an item with a stage marker) gets its stage, provider and
  severity (``labels.py``), also as Allure labels, so ``--allure-severities critical`` selects.
- In the process that runs a check (an xdist worker, or the only process), its verdicts and the
  outcome become a control record on the test report (redacted there: that process knows the
  secrets), and the evidence is attached to the Allure result.
- The controller collects the records and writes ``controls.json``, ``controls.md`` and
  ``controls.html`` (``--controls-dir``), plus Allure's run files when ``--alluredir`` is given.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from trino_harness import evidence
from trino_harness.evidence import CannotJudge, CheckFailed
from trino_harness.redaction import redact
from trino_harness.reporting.controls import (
    ERROR,
    FAIL,
    PASS,
    SKIP,
    Control,
    Run,
    Status,
    humanize,
    stage_number,
)
from trino_harness.reporting.exit_codes import Exit, exit_code, meaning
from trino_harness.reporting.labels import SEVERITIES, Labels, labels_of
from trino_harness.reporting.summary_files import write_summary

CONTROL_ATTR = "trino_harness_control"  # travels with the report from an xdist worker to the controller
CONTROLS_DIR_ENV = "TRINO_HARNESS_CONTROLS_DIR"
_labels_key = pytest.StashKey[Labels]()
_index_key = pytest.StashKey[int]()
_DETAIL_LIMIT = 1500


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("trino-harness", "Trino conformance and security harness")
    group.addoption(
        "--controls-dir",
        default=os.environ.get(CONTROLS_DIR_ENV, "reports"),
        help="where a suites run writes controls.json/.md/.html (default reports/, "
        f"or ${CONTROLS_DIR_ENV}); 'none' writes nothing",
    )
    group.addoption(
        "--fail-on",
        choices=SEVERITIES,
        default=SEVERITIES[-1],
        help="gate the exit code only on FAILs and ERRORs of this severity or higher (default: "
        "trivial, i.e. every one); the reports still list them all. Exit codes: docs/verdicts.md",
    )


def _allure_active(config: pytest.Config) -> bool:
    return config.pluginmanager.hasplugin("allure_pytest")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if _allure_active(config):
        from trino_harness.reporting import allure_results

        allure_results.install()  # before allure-pytest builds its file logger
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Collector(config), "trino-harness-controls")


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    if _allure_active(session.config) and session.config.option.allure_report_dir:
        from trino_harness.reporting.allure_results import unredacted_loggers

        if unredacted_loggers():
            raise pytest.UsageError(
                "allure-pytest writes results through a logger the harness cannot redact "
                f"({', '.join(unredacted_loggers())}); upgrade or pin allure-pytest as pyproject.toml says"
            )


@pytest.hookimpl(tryfirst=True)  # before allure-pytest selects by label (--allure-severities …)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    allure_marks = _allure_active(config)
    for index, item in enumerate(items):
        callspec = getattr(item, "callspec", None)
        labels = labels_of(
            (mark.name for mark in item.iter_markers()),
            module=_module_name(item),
            function=getattr(item, "originalname", item.name),
            case_id=callspec.id if callspec else "",
            params=callspec.params if callspec else {},
        )
        if labels is None:
            continue
        item.stash[_labels_key] = labels
        item.stash[_index_key] = index
        if allure_marks:
            _add_allure_labels(item, labels)


def _add_allure_labels(item: pytest.Item, labels: Labels) -> None:
    from allure_commons.types import LabelType, Severity

    mark = pytest.mark.allure_label
    item.add_marker(mark(Severity(labels.severity), label_type=LabelType.SEVERITY))
    item.add_marker(mark(labels.stage_title, label_type=LabelType.EPIC))
    # Allure's Suites tree then mirrors controls.md: "1 TLS" > test_tls > each check.
    item.add_marker(
        mark(f"{stage_number(labels.stage)} {labels.stage_title}", label_type=LabelType.PARENT_SUITE)
    )
    item.add_marker(mark(labels.provider, label_type=LabelType.FEATURE))
    item.add_marker(mark(labels.stage, label_type="stage"))
    item.add_marker(mark(labels.provider, label_type="provider"))


def _module_name(item: pytest.Item) -> str:
    module = getattr(item, "module", None)
    return module.__name__.rsplit(".", 1)[-1] if module else item.nodeid.split("::")[0]


def _group_title(item: pytest.Item) -> str:
    """The module docstring's first sentence (its summary may wrap over several lines)."""
    module = getattr(item, "module", None)
    paragraph = " ".join(((module.__doc__ or "") if module else "").strip().split("\n\n")[0].split())
    sentence = paragraph.split(". ")[0].rstrip(".")
    return sentence or _module_name(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    evidence.begin_trail()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome: Any = yield
    report = outcome.get_result()
    labels = item.stash.get(_labels_key, None)
    if labels is None:
        return
    phase = _phase(item, labels, call, report)
    if report.passed and phase.status != PASS:  # JUnit and pytest's own count agree with the record
        report.outcome = "failed"
        report.longrepr = phase.detail or f"{phase.status}: a negative verdict was recorded"
    setattr(report, CONTROL_ATTR, phase.as_json())
    if _allure_active(item.config) and item.config.option.allure_report_dir and phase.evidence:
        _attach_evidence(phase)


def _phase(
    item: pytest.Item, labels: Labels, call: pytest.CallInfo[Any], report: pytest.TestReport
) -> Control:
    """This phase's part of the control record, every text redacted here (this process knows the secrets)."""
    callspec = getattr(item, "callspec", None)
    trail = evidence.trail() if call.when == "call" else ()
    status, detail, remediation = _status(call, report, trail)
    return Control(
        check_id=item.nodeid,
        title=humanize(getattr(item, "originalname", item.name), callspec.id if callspec else ""),
        stage=labels.stage,
        provider=labels.provider,
        severity=labels.severity,
        group=_module_name(item),
        group_title=_group_title(item),
        index=item.stash[_index_key],
        status=status,
        evidence=tuple(e.as_json() for e in trail),
        detail=redact(detail)[:_DETAIL_LIMIT],
        remediation=redact(remediation),
        duration_s=round(report.duration, 3),
        phases=(call.when,),
    )


def _status(
    call: pytest.CallInfo[Any], report: pytest.TestReport, trail: tuple[evidence.Evidence, ...]
) -> tuple[Status, str, str]:
    """(status, detail, remediation) of one phase. Only a recorded verdict decides: a FAIL is a
    ``CheckFailed`` (or a negative verdict recorded and swallowed), a PASS is a passed call that
    recorded verdicts, all positive. Anything else that is not a skip is an ERROR."""
    excinfo = call.excinfo
    raised = excinfo.value if excinfo is not None else None
    negative = next((e for e in trail if not e.ok), None)
    if negative is not None:  # recorded, then swallowed, xfailed, skipped or followed by a crash
        return FAIL, "" if isinstance(raised, CheckFailed) else _later(call, report), negative.fix
    if report.skipped:
        reason = getattr(report, "wasxfail", "") or (
            report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        )
        return SKIP, str(reason).removeprefix("Skipped: "), ""
    if report.failed and call.when == "call" and isinstance(raised, CheckFailed):
        return FAIL, "" if raised.evidence else str(raised), raised.evidence.fix if raised.evidence else ""
    if report.failed:
        if isinstance(raised, CannotJudge):
            return ERROR, f"{call.when}: {raised}", ""
        if excinfo is not None and isinstance(raised, AssertionError):
            text = f"an assertion outside the harness's check() failed (not a verdict): {excinfo.exconly()}"
        else:
            text = excinfo.exconly() if excinfo is not None else report.longreprtext
        return ERROR, f"{call.when}: {text}", ""
    if call.when != "call":
        return PASS, "", ""  # setup and teardown decide nothing; Run.finish() catches a missing call
    if not trail:
        return ERROR, "call: the check passed without recording a verdict: nothing it saw was judged", ""
    return PASS, "", ""


def _later(call: pytest.CallInfo[Any], report: pytest.TestReport) -> str:
    """What happened after a negative verdict was recorded (a skip, an xfail, an exception)."""
    if call.excinfo is not None:
        return f"after the negative verdict: {call.excinfo.exconly()}"
    if report.skipped:
        return "after the negative verdict the check skipped or was marked xfail"
    return "the negative verdict's CheckFailed was caught inside the check"


def _attach_evidence(phase: Control) -> None:
    from trino_harness.reporting.allure_results import attach_text, describe

    lines = []
    for entry in phase.evidence:
        mark = "PASS" if entry["ok"] else "FAIL"
        lines.append(
            f"[{mark}] {entry['what']}\n  expected: {entry['expected']}\n  observed: {entry['observed']}"
            + ("" if entry["ok"] else f"\n  usual fix: {entry['fix']}")
        )
    attach_text("\n\n".join(lines) + "\n", "evidence")
    if phase.remediation:
        describe(f"**Usual fix:** {phase.remediation}")


class _Collector:
    """Controller side: gathers the records from every process and writes the summary once."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.run = Run()
        self.written: Path | None = None
        self.unrecorded: list[str] = []  # failed reports no control holds (a dead worker, an unlabelled test)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, CONTROL_ATTR, None)
        if data:
            self.run.add(Control.from_json(data))
        elif report.failed:
            self.unrecorded.append(report.nodeid)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:  # a suite module that did not import: its checks never ran
            self.unrecorded.append(report.nodeid or "collection")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.run.controls:
            return
        unfinished = self.run.finish()
        stopped = bool(session.shouldstop or session.shouldfail)  # -x, --maxfail: the rest never ran
        interrupted = int(exitstatus) == Exit.INTERRUPTED or unfinished > 0 or stopped
        code = int(exitstatus)
        if code in (Exit.OK, Exit.FAILED, Exit.INTERRUPTED):  # pytest's own 3, 4, 5 stay as they are
            code = exit_code(
                self.run,
                fail_on=str(self.config.getoption("--fail-on")),
                interrupted=interrupted,
                unrecorded=len(self.unrecorded),
            )
            session.exitstatus = code
        self.run.meta = _meta(self.config, code)
        self.run.meta.update(
            interrupted=interrupted,
            unfinished=unfinished,
            unrecorded=self.unrecorded[:20],
            fail_on=str(self.config.getoption("--fail-on")),
            exit_meaning=meaning(code),
        )
        where = str(self.config.getoption("--controls-dir"))
        if where.lower() != "none":
            out = Path(where) if Path(where).is_absolute() else self.config.rootpath / where
            write_summary(self.run, out)
            self.written = out
        results = getattr(self.config.option, "allure_report_dir", None)
        if results:
            from trino_harness.reporting.allure_results import github_executor, write_run_files

            env = {k: v for k, v in self.run.meta.items() if isinstance(v, str | int)}
            write_run_files(Path(results), {k: str(v) for k, v in env.items()}, github_executor())

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.run.controls:
            return
        from trino_harness.reporting.summary import headline, time_by_suite

        terminalreporter.write_sep("-", "trino-harness controls")
        terminalreporter.write_line(headline(self.run))
        terminalreporter.write_line(time_by_suite(self.run))
        if not self.written:
            return
        for name in ("controls.md", "controls.html", "controls.json"):
            terminalreporter.write_line(f"  {self.written / name}")


def _meta(config: pytest.Config, exitstatus: int) -> dict[str, Any]:
    from trino_harness.run_scenario import scenario_of, scenario_path_of

    scenario_path = scenario_path_of(config)
    try:
        version = config.getoption("--trino-version") or scenario_of(config).trino.version
    except Exception:  # a broken scenario already failed the run; the summary still gets written
        version = "unknown"
    return {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scenario": scenario_path.stem,
        "trino_version": str(version),
        "trino_image": config.getoption("--trino-image") or "",
        "config_overlay": config.getoption("--trino-config-overlay") or "",
        "target_profile": config.getoption("--target") or "",
        "selection": config.option.markexpr or "",
        "harness_commit": _commit(config.rootpath),
        "python": sys.version.split()[0],
        "exit_status": exitstatus,
    }


def _commit(root: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()
