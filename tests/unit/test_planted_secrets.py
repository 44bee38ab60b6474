"""Every kind of secret the harness handles, planted in every way a check can write, is in no file
of the reports: not in the JUnit XML, not in allure-results, not in controls.json/.md/.html.

A child pytest (two xdist workers, allure-pytest, the harness plugins, as the suites run) generates
and registers the secrets as the harness does (a short profile password through the profile
resolver, Kerberos and OIDC materials through their generators, the keytab as the KDC export
registers it) and plants an OAuth callback URL whose code nobody registers. Its checks print them,
log them, attach them, record them as evidence and properties, assert, fail, raise and skip with
them, some in texts long enough to be cut. Then every byte under reports/ is searched.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.unit.child_pytest import CHECKOUT, MARKERS

CHECKS = r'''
"""Synthetic checks that handle every kind of secret."""
import base64
import json
import logging
import os
import secrets
import struct
from pathlib import Path

import allure
import pytest

from trino_harness.evidence import check
from trino_harness.observations import observe
from trino_harness.pki import CertificateAuthority
from trino_harness.profile.loader import _Resolver
from trino_harness.protocol import Answer
from trino_harness.render.kerberos import KerberosMaterials, register_keytab
from trino_harness.render.oidc import OidcMaterials
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario
from trino_harness.webui.oauth2_login import SeenPage

pytestmark = pytest.mark.authn
TEXT, BINARY = allure.attachment_type.TEXT, "application/octet-stream"


def _keytab() -> tuple[bytes, bytes]:
    key = secrets.token_bytes(32)
    body = struct.pack(">H", 1)
    for part in ("HARNESS.TEST", "HTTP/trino"):
        body += struct.pack(">H", len(part)) + part.encode()
    body += struct.pack(">IIBHH", 1, 1_700_000_000, 2, 18, len(key)) + key + struct.pack(">I", 2)
    return b"\x05\x02" + struct.pack(">i", len(body)) + body, key


SCENARIO = load_scenario(DEFAULT_SCENARIO)
# A profile's short passwords arrive through the environment variables it names.
ENV = {"ALICE_PW": "Qz7", "BOB_PW": "Zq9#x"}
resolver = _Resolver(Path("profile.yaml"), ENV)
SHORT = [
    resolver.secret("users.alice.password_env", "ALICE_PW"),
    resolver.secret("users.bob.password_env", "BOB_PW"),
]
KRB = KerberosMaterials.generate(SCENARIO.kerberos)
OIDC = OidcMaterials.generate(SCENARIO.oidc, CertificateAuthority.create())
KEYTAB, KEY = _keytab()
register_keytab(KEYTAB)  # as the KDC export does (stack/kerberos.py)
CODE, STATE = secrets.token_urlsafe(24), secrets.token_urlsafe(12)
CALLBACK = f"https://trino:8443/oauth2/callback?code={CODE}&state={STATE}&session_state=s-{STATE}"
PLANTED = {
    "short password": SHORT[0],
    "short password with punctuation": SHORT[1],
    "Kerberos principal password": next(iter(KRB.passwords.values())),
    "KDC master password": KRB.master_password,
    "OIDC client secret": next(iter(OIDC.client_secrets.values())),
    "Keycloak admin password": OIDC.admin_password,
    "OAuth callback URL": CALLBACK,
    "keytab (hex)": KEYTAB.hex(),
    "keytab (base64)": base64.b64encode(KEYTAB).decode(),
    "keytab key (hex, as klist -kK prints it)": "0x" + KEY.hex(),
    "keytab (repr)": repr(KEYTAB),
}
with open(os.environ["PLANTED_FILE"], "a") as fh:  # one line per process (xdist worker)
    planted = {"text": PLANTED, "code": CODE, "state": STATE, "key": KEY.hex(), "keytab": KEYTAB.hex()}
    fh.write(json.dumps(planted) + "\n")
CASES = list(PLANTED)
IDS = [kind.split(" (")[0].replace(" ", "-") + str(i) for i, kind in enumerate(CASES)]


@pytest.mark.parametrize("kind", CASES, ids=IDS)
def test_passes_with_the_secret_in_its_evidence(kind, record_property):
    secret = PLANTED[kind]
    print("using", secret)
    logging.getLogger("planted").warning("the secret is %s", secret)
    allure.attach(f"password={secret}\nAuthorization: Basic {secret}", name="request", attachment_type=TEXT)
    allure.attach(KEYTAB, name="keytab", attachment_type=BINARY)
    record_property("planted", f"value {secret}")
    observe(Answer(status=401, body=f"{secret} " + "x" * 400))  # the observed line is cut at 300
    check(True, what=f"login with {secret}", expected="ok", observed=f"accepted {secret}", fix=secret)


@pytest.mark.parametrize("kind", CASES, ids=IDS)
def test_fails_a_verdict_with_the_secret(kind):
    secret = PLANTED[kind]
    page = SeenPage(url=CALLBACK, title="t", at_provider_login=False, at_overview=False)
    check(
        False,
        what=f"login as bob with {secret}",
        expected="HTTP 401",
        observed=Answer(status=200, body="y" * 290 + " " + secret),  # cut at 300 by str(), at 240 by repr()
        fix=f"rotate {secret}; browser was at {page.url}",
    )


@pytest.mark.parametrize("kind", CASES, ids=IDS)
def test_bare_assert_with_the_secret(kind):
    secret = PLANTED[kind]
    assert secret == "", f"the browser ended at {CALLBACK}; password {secret}"


@pytest.mark.parametrize("kind", CASES, ids=IDS)
def test_cannot_judge_with_the_secret(kind):
    secret = PLANTED[kind]
    if CASES.index(kind) % 2:
        pytest.fail(("z" * 1490) + f" cannot judge: {secret}")  # crosses the detail's 1500-char cut
    raise RuntimeError(f"connection string postgresql://audit:{secret}@db/audit; at {CALLBACK}")


@pytest.mark.parametrize("kind", CASES, ids=IDS)
def test_skips_with_the_secret(kind):
    pytest.skip(f"not offered: {PLANTED[kind]}")
'''

PLANTED_VAR = "PLANTED_FILE"  # where each child process writes what it planted (outside reports/)


def files_under(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _needles(planted: list[dict]) -> dict[str, bytes]:
    """What must be nowhere: every planted value, its first 6+ characters, the code and state alone."""
    needles: dict[str, bytes] = {}
    for process in planted:
        for kind, value in process["text"].items():
            needles[kind] = value.encode()
            if len(value) > 6 and not kind.startswith("keytab (") and kind != "OAuth callback URL":
                needles[f"{kind} (first 6)"] = value[:6].encode()
        needles["OAuth code"] = process["code"].encode()
        needles["OAuth code (first 6)"] = process["code"][:6].encode()
        needles["OAuth state"] = process["state"].encode()
        needles["keytab key (raw)"] = bytes.fromhex(process["key"])
        needles["keytab key (hex)"] = process["key"].encode()
        needles["keytab key (hex, first 12)"] = process["key"][:12].encode()
        needles["keytab (raw)"] = bytes.fromhex(process["keytab"])
        needles["keytab key (base64)"] = base64.b64encode(bytes.fromhex(process["key"]))
    return needles


def test_no_planted_secret_reaches_any_file_under_reports(tmp_path):
    (tmp_path / "test_planted_checks.py").write_text(CHECKS)
    (tmp_path / "pytest.ini").write_text(MARKERS)
    reports, planted_file = tmp_path / "reports", tmp_path / "planted.jsonl"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": CHECKOUT}
    env[PLANTED_VAR] = str(planted_file)
    done = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:locust", "-n", "2", "-rA",
            f"--alluredir={reports / 'allure-results'}", f"--controls-dir={reports / 'controls'}",
            f"--junitxml={reports / 'junit.xml'}",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    planted = [json.loads(line) for line in planted_file.read_text().splitlines()]
    assert len(planted) == 2  # both workers planted theirs

    written = files_under(reports)
    names = {p.relative_to(reports).parts[0] for p in written}
    assert names == {"allure-results", "controls", "junit.xml"}, names
    assert {p.name for p in written} >= {"controls.json", "controls.md", "controls.html", "junit.xml"}
    needles = _needles(planted)
    leaks = sorted(
        f"{kind} in {path.relative_to(reports)}"
        for path, body in written.items()
        for kind, needle in needles.items()
        if needle in body
    )
    assert leaks == [], "planted secrets reached the reports:\n" + "\n".join(leaks[:40])
    console = (done.stdout + done.stderr).encode()
    assert [kind for kind, needle in needles.items() if needle in console] == []

    # The secrets were really there to leak: each channel carries the mask where they stood.
    junit = (reports / "junit.xml").read_text()
    assert junit.count("password ***") >= 11 and "postgresql://audit:***@db/audit" in junit
    assert "oauth2/callback?code=***&amp;state=***" in junit
    summary = (reports / "controls" / "controls.md").read_text()
    n = len(planted[0]["text"])
    # a bare assert is no verdict: an ERROR (docs/verdicts.md), beside the raised one
    assert f"{5 * n} controls: {n} PASS, {n} FAIL, {2 * n} ERROR, {n} SKIP" in summary, summary[:500]
    attachments = [body for p, body in written.items() if p.name.endswith("-attachment.txt")]
    assert sum(b"Authorization: Basic ***" in body for body in attachments) == n
    assert sum(bool(re.search(rb"using \S*\*\*\*", body)) for body in attachments) == n  # captured stdout
