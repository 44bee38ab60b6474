"""A registered secret never reaches allure-results: not in results, attachments, captured output or
the control summary, whoever writes them (the suites' verdicts, allure-pytest's capture, allure.attach).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from allure_commons.model2 import Label, Status, StatusDetails
from allure_commons.model2 import TestResult as AllureResult  # not a test class

from tests.unit.child_pytest import CHECKOUT, MARKERS
from trino_harness.redaction import register_secret
from trino_harness.reporting.allure_results import RedactingFileLogger

SECRET = "alluresecret-8f3a9c2d71"  # what the child run below registers, as a stack's password would be
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"

SYNTHETIC_CHECKS = f'''
"""LDAP authenticator: synthetic checks that handle a secret."""
import allure
import pytest

from trino_harness.evidence import check
from trino_harness.redaction import register_secret

pytestmark = pytest.mark.authn
SECRET = register_secret("{SECRET}")
TEXT = allure.attachment_type.TEXT


@pytest.mark.parametrize("case", ["bob-valid-accepted", "bob-wrong-password-rejected"])
def test_ldap_login(case):
    print("logging in with", SECRET)
    allure.attach("Authorization: Basic " + SECRET, name="request", attachment_type=TEXT)
    check(True, what="bind", expected="ok", observed="bound with " + SECRET, fix="-")
    ok = case.endswith("accepted")
    check(ok, what="login " + case, expected="401", observed="200 for " + SECRET, fix="-")


def test_cannot_judge():
    raise RuntimeError("connection string postgresql://audit:" + SECRET + "@db/audit")
'''


def files_under(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_redacting_logger_masks_results_attachments_and_attached_files(tmp_path):
    secret = register_secret("logger-secret-31337")
    out = tmp_path / "allure-results"
    logger = RedactingFileLogger(out)
    result = AllureResult(
        uuid="u1",
        name=f"login as {secret}",
        status=Status.FAILED,
        statusDetails=StatusDetails(message=f"observed {secret}", trace=f"line\n{secret}"),
        labels=[Label(name="stage", value="authn")],
    )
    logger.report_result(result)
    logger.report_attached_data(f"password={secret}", "a-attachment.txt")
    logger.report_attached_data(f"password={secret}".encode(), "b-attachment.txt")
    logger.report_attached_data(PNG, "c-attachment.png")
    text_file = tmp_path / "log.txt"
    text_file.write_text(f"log line with {secret}\n")
    logger.report_attached_file(text_file, "d-attachment.txt")
    (tmp_path / "image.png").write_bytes(PNG)
    logger.report_attached_file(tmp_path / "image.png", "e-attachment.png")

    written = files_under(out)
    assert len(written) == 6
    assert not [p.name for p, body in written.items() if secret.encode() in body]
    assert written[out / "c-attachment.png"] == PNG and written[out / "e-attachment.png"] == PNG
    assert b"password=***" in written[out / "b-attachment.txt"]


def test_a_registered_secret_never_reaches_allure_results_or_the_summary(tmp_path):
    """A child pytest (two xdist workers) with allure-pytest and the harness plugins, as the suites run."""
    (tmp_path / "test_synthetic_checks.py").write_text(SYNTHETIC_CHECKS)
    (tmp_path / "pytest.ini").write_text(MARKERS)
    results, controls = tmp_path / "allure-results", tmp_path / "controls"
    done = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:locust", "-n", "2",
            f"--alluredir={results}", f"--controls-dir={controls}", f"--junitxml={tmp_path / 'junit.xml'}",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": CHECKOUT},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]  # one FAIL, one ERROR by design

    written = files_under(results) | files_under(controls) | {tmp_path / "junit.xml": b""}
    written[tmp_path / "junit.xml"] = (tmp_path / "junit.xml").read_bytes()
    leaks = sorted(p.name for p, body in written.items() if SECRET.encode() in body)
    assert leaks == [], f"the secret reached {leaks}"
    assert SECRET not in done.stdout + done.stderr

    # The secret was really there to leak: masked in every place it was written.
    attachments = [body for p, body in written.items() if p.name.endswith("-attachment.txt")]
    assert sum(b"Authorization: Basic ***" in body for body in attachments) == 2  # allure.attach
    assert sum(b"logging in with ***" in body for body in attachments) == 2  # captured stdout
    assert sum(b"observed: 200 for ***" in body for body in attachments) == 2  # the evidence attachment
    results_json = b"".join(body for p, body in written.items() if p.name.endswith("-result.json"))
    assert b"postgresql://audit:***@db/audit" in results_json  # an unexpected exception's message
    summary = (controls / "controls.md").read_text()
    assert "3 controls: 1 PASS, 1 FAIL, 1 ERROR, 0 SKIP" in summary and "observed 200 for ***" in summary
