"""Allure results that never hold a secret, plus the run-level files Allure reads.

allure-pytest writes through one class, ``AllureFileLogger``; the harness swaps in a subclass that
redacts every string of every result, container and global record, and every text attachment
(captured logs, stdout, evidence), in the process that writes it: the process whose secret
registry knows the run's passwords, keys and tokens. So no caller (the suites, allure-pytest's own
capture, a future ``allure.attach``) can put a registered secret into ``allure-results``.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from allure_commons import hookimpl
from allure_commons.logger import AllureFileLogger
from attr import asdict

from trino_harness.redaction import redact, redact_bytes


def redact_tree(value: Any) -> Any:
    """``value`` with every string inside it (dict keys included) redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_tree(k): redact_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_tree(v) for v in value]
    return value


def redact_body(body: str | bytes) -> str | bytes:
    """Text (or UTF-8 bytes) redacted; other bytes (an image, an archive) pass unchanged unless they
    hold registered binary secret material (a keytab)."""
    if isinstance(body, str):
        return redact(body)
    body = redact_bytes(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    return redact(text).encode("utf-8")


class RedactingFileLogger(AllureFileLogger):
    """allure-commons' file logger, redacting on the way to disk."""

    def _report_item(self, item: Any) -> None:
        indent = 4 if os.environ.get("ALLURE_INDENT_OUTPUT") else None
        filename = item.file_pattern.format(prefix=uuid.uuid4())
        data = redact_tree(asdict(item, filter=lambda _, v: v or v is False))
        tmp = self._report_dir / f"{filename}.tmp"
        with open(tmp, "w", encoding="utf8") as fh:
            json.dump(data, fh, indent=indent, ensure_ascii=False)
        os.replace(tmp, self._report_dir / filename)

    @hookimpl
    def report_attached_data(self, body: str | bytes, file_name: str) -> None:
        super().report_attached_data(redact_body(body), file_name)

    @hookimpl
    def report_attached_file(self, source: str | os.PathLike[str], file_name: str) -> None:
        raw = Path(source).read_bytes()
        clean = redact_body(raw)
        if clean is raw:  # binary: copy as allure-commons would
            super().report_attached_file(source, file_name)
        else:
            super().report_attached_data(clean, file_name)


def install() -> None:
    """Make allure-pytest build its file logger from :class:`RedactingFileLogger` (before it configures)."""
    import allure_pytest.plugin

    allure_pytest.plugin.AllureFileLogger = RedactingFileLogger


def unredacted_loggers() -> list[str]:
    """Registered allure file loggers that would write unredacted (should be none after :func:`install`)."""
    import allure_commons

    return [
        type(p).__name__
        for p in allure_commons.plugin_manager.get_plugins()
        if isinstance(p, AllureFileLogger) and not isinstance(p, RedactingFileLogger)
    ]


def attach_text(body: str, name: str) -> None:
    """Attach text to the running test (a no-op when no Allure results are being written)."""
    import allure

    allure.attach(redact(body), name=name, attachment_type=allure.attachment_type.TEXT)


def describe(markdown: str) -> None:
    import allure

    allure.dynamic.description(redact(markdown))


# Allure matches categories in order; statuses are Allure's (failed = a negative verdict,
# broken = the check could not judge).
CATEGORIES = [
    {"name": "Control failed (a check's verdict was negative)", "matchedStatuses": ["failed"]},
    {"name": "Could not judge (setup or an unexpected error)", "matchedStatuses": ["broken"]},
    {"name": "Not applicable here (skipped)", "matchedStatuses": ["skipped"]},
]


def write_run_files(results_dir: Path, environment: dict[str, str], executor: dict[str, Any] | None) -> None:
    """``environment.properties``, ``categories.json`` and (in CI) ``executor.json`` for the report."""
    results_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"{key}={redact(str(value))}" for key, value in environment.items() if value not in (None, "")]
    (results_dir / "environment.properties").write_text("\n".join(lines) + "\n")
    (results_dir / "categories.json").write_text(json.dumps(CATEGORIES, indent=1) + "\n")
    if executor:
        (results_dir / "executor.json").write_text(json.dumps(redact_tree(executor), indent=1) + "\n")


def github_executor() -> dict[str, Any] | None:
    """Allure's executor block for a GitHub Actions run (None elsewhere)."""
    env = os.environ
    if not env.get("GITHUB_RUN_ID"):
        return None
    repository = f"{env.get('GITHUB_SERVER_URL', '')}/{env.get('GITHUB_REPOSITORY', '')}"
    run_url = f"{repository}/actions/runs/{env['GITHUB_RUN_ID']}"
    return {
        "name": "GitHub Actions",
        "type": "github",
        "buildName": f"{env.get('GITHUB_WORKFLOW', 'run')} #{env.get('GITHUB_RUN_NUMBER', '')}",
        "buildUrl": run_url,
        "reportName": "Trino security controls",
    }
