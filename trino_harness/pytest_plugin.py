"""pytest plugin: options, the stack's lifecycle, the hooks, redaction (the fixtures: ``fixtures/``).

Lifecycle under ``pytest -n``: the controller picks a run id and a 0700 run directory and
hands both to the workers. The first worker that needs the stack starts it under a file lock
and writes the target description; the others attach to it. Only the controller tears the
stack down (by label, after every worker has finished), so a normal, failing or interrupted
run leaves nothing behind. Without xdist the single process plays both parts. Longer than the
house's 300 lines: the lifecycle and the hooks that see every test (what a target lacks,
redaction, figures) share the run directory's state.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import statistics
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import trino_harness.docker_engine  # noqa: F401 - sets what Testcontainers needs before it is imported
from trino_harness.interrupts import raise_interrupt
from trino_harness.redaction import redact
from trino_harness.scenario.loader import DEFAULT_SCENARIO
from trino_harness.target import Target

RUN_ID = "trino_harness_run_id"
RUN_ROOT = "trino_harness_run_root"
TARGET_FILE = "target.json"
FAILED_FILE = "start-failed.txt"
STARTED_MARKER = "stack-started"
MEASUREMENTS = "measurements.jsonl"
PROGRESS_FILE = "progress.log"  # the workers' progress lines, printed by the controller as they come


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("trino-harness", "Trino conformance and security harness")
    group.addoption("--scenario", default=str(DEFAULT_SCENARIO), help="scenario YAML (default: baseline)")
    group.addoption("--trino-version", default=None, help="Trino release to run (default: the scenario's)")
    group.addoption(
        "--trino-image",
        default=None,
        help="use this image instead of building one (e.g. trinodb/trino:476 where a registry is reachable)",
    )
    group.addoption(
        "--trino-config-overlay",
        default=None,
        help="directory whose files replace or add to the rendered /etc/trino",
    )
    group.addoption(
        "--target",
        default=None,
        metavar="PROFILE",
        help="run against an existing cluster described by this profile YAML (no Docker; "
        "see docs/remote-targets.md)",
    )
    group.addoption(
        "--target-file",
        default=None,
        help="a target description the harness wrote for a stack it is running (the matrix does): "
        "the suites use it and start or stop nothing",
    )
    group.addoption(
        "--client-version",
        action="append",
        default=[],
        metavar="CLIENT=VERSION",
        help="run a real client at another version than the scenario's clients.versions, e.g. "
        "trino_jdbc=368 (repeatable; see docs/clients.md)",
    )
    group.addoption(
        "--audit-timeout",
        type=float,
        default=30.0,
        help="seconds to wait for a query's audit event before the check fails (default 30)",
    )


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def run_root(config: pytest.Config) -> Path:
    return Path(_workerinput(config)[RUN_ROOT]) if _is_worker(config) else config.stash[_root_key]


def _run_id(config: pytest.Config) -> str:
    return str(_workerinput(config)[RUN_ID]) if _is_worker(config) else config.stash[_id_key]


def _workerinput(config: pytest.Config) -> dict[str, Any]:
    """What the controller handed this xdist worker (pytest-xdist sets the attribute)."""
    return dict(getattr(config, "workerinput", {}))


_root_key = pytest.StashKey[Path]()
_id_key = pytest.StashKey[str]()
_tail_key = pytest.StashKey[Any]()


def _teardown(config: pytest.Config) -> None:
    """Remove this run's containers and network (controller only); idempotent."""
    if _is_worker(config) or _root_key not in config.stash:
        return
    root = config.stash[_root_key]
    if (root / STARTED_MARKER).exists():
        from trino_harness import docker_engine
        from trino_harness.progress import say
        from trino_harness.stack.cleanup import remove_run

        removed = remove_run(docker_engine.ensure_engine(), config.stash[_id_key])
        (root / STARTED_MARKER).unlink(missing_ok=True)
        say(f"reference stack {config.stash[_id_key]} removed ({removed} containers/networks)")


STACK_OPTIONS = ("--trino-version", "--trino-image", "--trino-config-overlay", "--target-file")


def _check_profile(config: pytest.Config) -> None:
    """Refuse a bad ``--target`` profile before any check runs: field, problem and fix."""
    from trino_harness.profile.loader import ProfileError, target_from_profile

    clashing = [name for name in STACK_OPTIONS if config.getoption(name)]
    if config.getoption("--scenario") != str(DEFAULT_SCENARIO):
        clashing.append("--scenario")
    if clashing:
        raise pytest.UsageError(
            f"--target runs against an existing cluster: drop {', '.join(clashing)} "
            "(the profile names its scenario; the cluster's version and config are its own)"
        )
    try:
        target_from_profile(config.getoption("--target"))
    except ProfileError as exc:
        raise pytest.UsageError(redact(str(exc))) from None


def _redact_reprs_before_cutting() -> None:
    """pytest shows a failing frame's arguments (and assertion operands) as reprs cut to 240
    characters in the middle: a secret across the cut would leave a piece no redaction recognises.
    Make every such repr whole, redact it, then cut it as pytest would."""
    from _pytest._io import saferepr

    safe_repr: Any = getattr(saferepr, "SafeRepr", None)
    ellipsize = getattr(saferepr, "_ellipsize", None)
    whole = getattr(safe_repr, "repr", None)
    if whole is None or ellipsize is None:
        raise pytest.UsageError(
            "this pytest shows failing frames' arguments in a way the harness cannot redact "
            "(no _pytest._io.saferepr.SafeRepr.repr); pin pytest as pyproject.toml says"
        )
    if getattr(whole, "redacting", False):
        return

    def repr_redacted(self: Any, x: object) -> str:
        if self.maxsize is None:
            return redact(whole(self, x))
        return ellipsize(redact(whole(safe_repr(None, self.use_ascii), x)), self.maxsize)

    repr_redacted.redacting = True  # type: ignore[attr-defined]
    setattr(safe_repr, "repr", repr_redacted)  # noqa: B010 - a class found at run time


def pytest_configure(config: pytest.Config) -> None:
    _redact_reprs_before_cutting()  # in every process: xdist workers build the failure reports
    from trino_harness.progress import ProgressTail, mirror_to

    if _is_worker(config):
        mirror_to(run_root(config) / PROGRESS_FILE)  # this stderr reaches no terminal
        return
    if config.getoption("--target"):
        _check_profile(config)
    config.stash[_id_key] = uuid.uuid4().hex[:10]
    config.stash[_root_key] = Path(tempfile.mkdtemp(prefix=f"trino-harness-{config.stash[_id_key]}-"))
    atexit.register(_teardown, config)
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(), "trino-harness-xdist")
        if getattr(config.option, "numprocesses", None):  # the stack starts in a worker: show its steps
            config.stash[_tail_key] = ProgressTail(config.stash[_root_key] / PROGRESS_FILE).start()

    try:  # SIGTERM (CI cancelling) gets the same cleanup as Ctrl-C
        signal.signal(signal.SIGTERM, raise_interrupt)
    except ValueError:
        pass


class _XdistHooks:
    @pytest.hookimpl
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[RUN_ID] = node.config.stash[_id_key]
        node.workerinput[RUN_ROOT] = str(node.config.stash[_root_key])

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        """xdist's default ``load`` schedule, with the checks of one shared slow pass kept together."""
        if config.getvalue("dist") != "load":
            return None  # a schedule the user chose
        from trino_harness.xdist_schedule import SharedPassFirstScheduling

        return SharedPassFirstScheduling(config, log)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    _teardown(session.config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _tail_key in config.stash:
        config.stash[_tail_key].stop()
    _teardown(config)
    # TRINO_HARNESS_KEEP_RUN_DIR=1 keeps rendered config and logs for inspection (0700, holds secrets).
    if (
        not _is_worker(config)
        and _root_key in config.stash
        and not os.environ.get("TRINO_HARNESS_KEEP_RUN_DIR")
    ):
        shutil.rmtree(config.stash[_root_key], ignore_errors=True)


# -- bad input, refused before anything starts (input_checks.py) ---------------------------
@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    if not _is_worker(session.config):
        from trino_harness.input_checks import check_inputs

        check_inputs(session.config)


# -- the run's scenario: run_scenario.py --------------------------------------------------------


# -- the stack ------------------------------------------------------------------------------
def start_stack(config: pytest.Config, root: Path) -> Target:
    """Start the reference stack for this run (called once, under the run's lock)."""
    from trino_harness.stack.reference import ReferenceStack, StackOptions

    overlay = config.getoption("--trino-config-overlay")
    stack = ReferenceStack(
        StackOptions(
            run_id=_run_id(config),
            run_dir=root / "stack",
            scenario_path=Path(config.getoption("--scenario")).resolve(),
            trino_version=config.getoption("--trino-version"),
            trino_image=config.getoption("--trino-image"),
            overlay=Path(overlay).resolve() if overlay else None,
            log_dir=config.rootpath / "reports" / "stack-logs" / _run_id(config),
        )
    )
    (root / STARTED_MARKER).touch()  # from here on the controller must clean up
    return stack.start()


# -- what a target lacks ----------------------------------------------------------------------
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """A fixture that needs what the target lacks skips the check, saying what to add."""
    from trino_harness.capabilities import MissingCapability

    try:
        return (yield)
    except MissingCapability as exc:
        pytest.skip(str(exc))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Keep what the server answered during the check (normalised) as a JUnit property; a check
    that needs what the target lacks skips, saying what to add (it never passes)."""
    from trino_harness.capabilities import MissingCapability
    from trino_harness.observations import PROPERTY, collecting

    with collecting() as lines:
        try:
            return (yield)
        except MissingCapability as exc:
            pytest.skip(str(exc))
        except AssertionError as exc:
            _unless_unreachable(item, exc)
            raise
        finally:
            if lines:
                item.user_properties.append((PROPERTY, " | ".join(lines)))


def _unless_unreachable(item: pytest.Item, exc: AssertionError) -> None:
    """A negative verdict needs a target that answers: when the coordinator accepts no connection
    right after the check failed, the check could not judge (ERROR, saying what it had seen)."""
    target = getattr(item, "funcargs", {}).get("target")
    if not isinstance(target, Target):
        return
    from trino_harness.reachability import unreachable

    problem = unreachable(target.host, target.port)
    if problem:
        seen = redact(str(exc)).strip().splitlines()[:3]
        pytest.fail(
            f"cannot judge: the coordinator {target.host}:{target.port} accepts no connection ({problem}); "
            f"the check had seen: {' / '.join(seen)}",
            pytrace=False,
        )


# -- reporting ------------------------------------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    """Scrub generated secrets, private keys and tokens from every failure and captured output."""
    outcome: Any = yield
    report = outcome.get_result()
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (path, line, reason), the shape JUnit and -rs read
        path, line, reason = longrepr
        report.longrepr = (path, line, redact(reason))
    elif longrepr is not None:
        text = str(longrepr)
        crash = getattr(getattr(longrepr, "reprcrash", None), "message", "")
        clean = redact(text)
        if clean != text or redact(crash) != crash:  # JUnit's message attribute is the crash line
            report.longrepr = clean
    report.sections = [(title, redact(content)) for title, content in report.sections]
    report.user_properties = [(name, _redacted(value)) for name, value in report.user_properties]


def _redacted(value: object) -> object:
    """A JUnit property's value, redacted (kept as it was when there is nothing to mask)."""
    clean = redact(str(value))
    return value if clean == str(value) else clean


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if _is_worker(config) or _root_key not in config.stash:
        return
    root = config.stash[_root_key]
    lines = []
    if (root / TARGET_FILE).exists():
        timings = json.loads((root / TARGET_FILE).read_text()).get("timings", {})
        labels = {
            "images_s": "images (build or cache check)",
            "stack_start_s": "stack start (containers to ready)",
            "trino_start_s": "Trino start inside its container (to SERVER STARTED)",
            "worker_trino_start_s": "the worker's Trino start inside its container",
            "worker_join_s": "wait for the worker to be ACTIVE (first node-list query included)",
        }
        lines += [f"{labels.get(k, k)}: {v:.1f}s" for k, v in timings.items()]
    if (root / MEASUREMENTS).exists():
        figures: dict[str, list[float]] = {}
        for line in (root / MEASUREMENTS).read_text().splitlines():
            entry = json.loads(line)
            figures.setdefault(entry["name"], []).append(entry["value"])
        for name, values in sorted(figures.items()):
            lines.append(
                f"{name}: n={len(values)} min={min(values):.3f} median={statistics.median(values):.3f} "
                f"max={max(values):.3f}"
            )
    if os.environ.get("TRINO_HARNESS_KEEP_RUN_DIR"):
        lines.append(f"run directory kept: {root}")
    if lines:
        terminalreporter.write_sep("-", "trino-harness figures (measured, not asserted)")
        for line in lines:
            terminalreporter.write_line(line)
