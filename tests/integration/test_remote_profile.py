"""The remote path end to end: ``serve`` runs a real reference stack and writes a profile; the
suites reach it only through ``--target PROFILE`` (no stack of their own), as they would a
staging cluster. Checks go red through that path, and what a profile lacks is skipped with a
reason that says what to add."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
import yaml

from trino_harness.children import stop_gracefully
from trino_harness.polling import poll
from trino_harness.profile.serve import READY_FILE
from trino_harness.profile.writer import ENV_FILE, PROFILE_FILE, read_env_file
from trino_harness.redaction import register_secret

from .conftest import REPO, harness_leftovers, run_child, run_suites

START_TIMEOUT_S = 420


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A served reference stack: (profile directory, the variables of its profile.env)."""
    out = tmp_path_factory.mktemp("served") / "profile"
    log = out.parent / "serve.log"
    with open(log, "w") as sink:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "trino_harness",
                "serve",
                "--profile-out",
                str(out),
                "--max-minutes",
                "30",
            ],
            cwd=REPO,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (out / READY_FILE).exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not get ready (exit {proc.poll()}):\n{log.read_text()[-4000:]}")
            time.sleep(1)
        env = read_env_file(out / ENV_FILE)
        for value in env.values():  # a failing test's report must not print them either
            register_secret(value)
        yield out, env
    finally:
        stop_gracefully(proc)
    assert proc.returncode == 0, log.read_text()[-4000:]
    assert not (out / ENV_FILE).exists() and not list(out.rglob("*.key")), "secret files outlived the stack"
    assert not [name for name in harness_leftovers() if "serve" in name]


def _variant(served: tuple[Path, dict[str, str]], name: str, edit) -> Path:
    """A copy of the served profile, changed by ``edit`` (a function of the parsed YAML)."""
    out, _ = served
    data = yaml.safe_load((out / PROFILE_FILE).read_text())
    edit(data)
    path = out / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_suites_pass_through_the_profile_and_start_nothing(served):
    out, env = served
    before = set(harness_leftovers())
    run = run_suites("--target", str(out / PROFILE_FILE), "-n", "2", "-rs", env=env, timeout=900)
    assert run.returncode == 0, run.output[-6000:]
    assert re.search(r"\d+ passed", run.output), run.output[-3000:]
    assert not re.search(r"\d+ failed", run.output), run.output[-3000:]
    # What a served profile cannot support: a rogue worker needs a container on the cluster's network,
    # and the 5 Web UI OAuth2 checks a coordinator whose UI logs in through OAuth2 (oidc.web_ui_url),
    # which the served stack does not keep running.
    assert re.search(r"\b6 skipped", run.output) or "skipped" not in run.output, run.output[-3000:]
    skips = [line for line in run.output.splitlines() if line.startswith("SKIPPED")]
    assert all("run it on the reference stack" in line or "add oidc.web_ui_url" in line for line in skips), (
        skips
    )
    assert set(harness_leftovers()) == before, "a --target run must not start or remove containers"
    for secret in env.values():
        assert secret not in run.output


def test_checks_go_red_through_the_profile(served):
    """A wrong secret in the environment and an expectation the cluster does not meet both fail."""
    out, env = served
    bob = next(k for k in env if k.endswith("_LDAP_BOB"))
    run = run_suites(
        "--target", str(out / PROFILE_FILE), "-k", "test_ldap_login and bob-valid", env={**env, bob: "wrong"}
    )
    assert run.returncode == 1 and run.failed == ["test_authn_ldap.py::test_ldap_login[bob-valid-accepted]"]

    def expect_carol_accepted(data: dict) -> None:
        scenario_path = out / "scenario-expecting-carol.yaml"
        scenario = yaml.safe_load((out / data["scenario"]).read_text())
        for row in scenario["expectations"]["authentication"]:
            if row["principal"] == "carol":
                row["user"] = "carol"
        scenario_path.write_text(yaml.safe_dump(scenario))
        data["scenario"] = scenario_path.name

    wrong = _variant(served, "expects-carol.yaml", expect_carol_accepted)
    run = run_suites("--target", str(wrong), "-k", "test_ldap_login and carol-valid", "-rA", env=env)
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed == ["test_authn_ldap.py::test_ldap_login[carol-valid-accepted]"], run.output[-3000:]
    assert "carol" in run.output and "401" in run.output


def test_profile_without_audit_skips_the_audit_checks_and_says_what_to_add(served):
    _, env = served

    def drop_audit(data: dict) -> None:
        data["audit"] = {"flavour": "none"}
        data.pop("request_log", None)

    profile = _variant(served, "no-audit.yaml", drop_audit)
    run = run_suites("--target", str(profile), "-m", "audit", "-rA", env=env)
    assert run.returncode == 0, run.output[-3000:]
    assert re.search(r"\d+ skipped", run.output) and not re.search(r"\d+ failed", run.output)
    # Only the config check needs no audit store: it reads the profile's config_dir.
    passed = re.findall(r"^PASSED (\S+)", run.output, re.M)
    assert passed == ["suites/test_audit_integrity.py::test_every_event_listener_target_is_https"], passed
    reasons = re.findall(r"^SKIPPED \[\d+\] [^:]+:\d+: (.*)$", run.output, re.M)
    assert reasons and all(r.endswith("to the profile") for r in reasons), reasons
    assert any("add audit: {flavour: harness, dsn_env:" in r for r in reasons)


def test_audit_checks_judge_through_the_starburst_event_logger_table(served):
    """The same audit checks read the collector's second sink, a table in the shape Starburst's event
    logger documents (``usr``, ``failure_info``), and go red there when the record is wrong."""
    out, env = served

    def starburst(data: dict) -> None:
        data["audit"]["flavour"] = "starburst-event-logger"

    profile = _variant(served, "starburst.yaml", starburst)
    run = run_suites("--target", str(profile), "-m", "audit", "-n", "2", env=env, timeout=600)
    assert run.returncode == 0, run.output[-6000:]
    assert re.search(r"\d+ passed", run.output) and not re.search(r"\d+ failed", run.output)

    def starburst_expecting_bob(data: dict) -> None:
        starburst(data)
        scenario = yaml.safe_load((out / data["scenario"]).read_text())
        scenario["expectations"]["audit"][0]["user"] = "bob"  # alice's query, recorded as alice
        (out / "scenario-audit-bob.yaml").write_text(yaml.safe_dump(scenario))
        data["scenario"] = "scenario-audit-bob.yaml"

    wrong = _variant(served, "starburst-wrong.yaml", starburst_expecting_bob)
    run = run_suites("--target", str(wrong), "-k", "records_who_ran_what and file-alice", "-rA", env=env)
    assert run.returncode == 1, run.output[-3000:]
    assert len(run.failed) == 1 and "'user': 'alice'" in run.output, run.output[-3000:]


def test_load_against_a_profile_is_bounded_names_what_it_cannot_measure_and_counts_the_audit(
    served, tmp_path
):
    """``load --target``: the profile's identities, seconds long; a way whose identity the profile
    lacks is not measured (naming the field), and every statement sent has one audit record."""
    _, env = served

    def without_jwt(data: dict) -> None:
        data["identities"].pop("jwt", None)

    profile = _variant(served, "no-jwt.yaml", without_jwt)
    reports = tmp_path / "load"
    before = set(harness_leftovers())
    args = ["--target", profile, "--ways", "password_file,jwt,ldap_no_cache", "--users-per-way", "1"]
    args += ["--run-time", "5", "--repeat", "1", "--warmup", "2", "--no-fidelity", "--rate-per-user", "2"]
    proc = run_child(
        [sys.executable, "-m", "trino_harness", "load", *map(str, args), "--out", str(reports)], 600, env
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    summary = json.loads((reports / "summary.json").read_text())
    assert {r["way"] for r in summary["rows"]} == {"baseline", "password_file"}, summary["rows"]
    assert "add identities.jwt.private_key" in summary["skipped"]["jwt"]
    assert "offers no 'ldap-no-cache' configuration" in summary["skipped"]["ldap_no_cache"]
    audit = summary["audit_completeness"]["reference"]
    assert audit["ok"] and audit["burst"] > 0 and audit["recorded"] == audit["sent"] > audit["burst"], audit
    assert set(harness_leftovers()) == before, "a --target load must not start or remove containers"
    for secret in env.values():
        assert secret not in output
    refused = run_child(
        [sys.executable, "-m", "trino_harness", "load", "--target", str(profile), "--rate-per-user", "0"],
        60,
        env,
    )
    assert refused.returncode == 2 and "--rate-per-user > 0" in refused.stderr + refused.stdout


def test_invalid_profile_stops_before_any_check_naming_field_and_fix(served, tmp_path):
    out, env = served

    def literal_password(data: dict) -> None:
        data["identities"]["passwords"][0]["password"] = "hunter2-literal"

    profile = _variant(served, "literal.yaml", literal_password)
    run = run_suites("--target", str(profile), env=env)
    assert run.returncode == 4, run.output[-3000:]  # pytest's usage error: nothing ran
    assert f"{profile}: identities.passwords[0].password: a secret written in the profile" in run.output
    assert "hunter2-literal" not in run.output
    run = run_suites("--target", str(out / PROFILE_FILE), "--trino-version", "470", env=env)
    assert run.returncode == 4 and "drop --trino-version" in run.output
    unset = {k: v for k, v in env.items() if "AUDIT" not in k}
    run = run_suites("--target", str(out / PROFILE_FILE), env={**unset}, timeout=120)
    # env= adds to os.environ; the audit DSN variable is only in `env`, so it is unset here
    assert (
        run.returncode == 4
        and "audit.dsn_env: environment variable TRINO_HARNESS_AUDIT_DSN is not set" in (run.output)
    ), run.output[-2000:]
    assert os.environ.get("TRINO_HARNESS_AUDIT_DSN") is None


def _rules_of(container, document: dict) -> None:
    """Write ``document`` as the served coordinator's rules.json (it re-reads the file every second)."""
    data = json.dumps(document).encode()
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w") as tar:
        info = tarfile.TarInfo("rules.json.new")
        info.size, info.mode = len(data), 0o644
        tar.addfile(info, io.BytesIO(data))
    container.put_archive("/tmp", stream.getvalue())
    result = container.exec_run(["sh", "-c", "cat /tmp/rules.json.new > /etc/trino/rules.json"], user="0")
    assert result.exit_code == 0, result.output


def _svc_bi_reads_sf1(out: Path, env: dict[str, str]) -> bool:
    from trino_harness.access.universe import ask
    from trino_harness.profile.loader import target_from_profile
    from trino_harness.scenario.model import Principal

    target = target_from_profile(out / PROFILE_FILE, env={**os.environ, **env})
    return ask(
        target, Principal(provider="file", principal="svc_bi"), "SELECT count(*) FROM tpch.sf1.nation"
    ).ok


def _access_map(
    out: Path, env: dict[str, str], folder: Path, *against: str
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "trino_harness", "access-map", "--target", str(out / PROFILE_FILE)]
    return run_child([*command, "--out", str(folder), *against], timeout=300, env=env)


def test_access_map_is_stable_and_its_drift_gate_names_a_table_opened_since(served, tmp_path):
    """Two maps of the unchanged cluster agree; after rules open tpch.sf1 to the service accounts and
    give dave kill while refusing him the procedure, ``--against`` exits 1 and names the cells."""
    out, env = served
    first = _access_map(out, env, tmp_path / "first")
    assert first.returncode == 0, first.stderr[-3000:]
    reference = tmp_path / "first" / "access-map.json"
    again = _access_map(out, env, tmp_path / "again", "--against", str(reference))
    assert again.returncode == 0 and "0 cell(s) differ" in again.stderr, (again.stdout + again.stderr)[-3000:]

    container = docker.from_env().containers.get(f"trino-harness-{(out / READY_FILE).read_text()}-trino")
    baseline = json.loads(container.exec_run(["cat", "/etc/trino/rules.json"]).output)
    opened_rules = dict(baseline)
    for variant in ("table-undeclared-readable", "query-kill-second-way"):
        overlay = yaml.safe_load((REPO / "scenarios/variants" / variant / "overlay.yaml").read_text())
        opened_rules.update(overlay["json"]["rules.json"])
    _rules_of(container, opened_rules)
    try:
        assert poll(lambda: _svc_bi_reads_sf1(out, env), bool, timeout_s=30).value
        opened = _access_map(out, env, tmp_path / "opened", "--against", str(reference))
    finally:
        _rules_of(container, baseline)
        assert not poll(lambda: _svc_bi_reads_sf1(out, env), lambda ok: not ok, timeout_s=30).value
    assert opened.returncode == 1, (opened.stdout + opened.stderr)[-3000:]
    assert "svc_bi · table tpch.sf1.customer: select: expected denied, observed ALLOWED" in opened.stdout
    assert "svc_etl · table tpch.sf1.orders: listed: expected denied, observed ALLOWED" in opened.stdout
    assert (
        "dave · queries of alice: kill by DELETE /v1/query/{id}: expected denied, observed ALLOWED"
        in opened.stdout
    )
    assert "dave · queries of alice: kill by CALL" not in opened.stdout  # refused before and after
    assert "alice ·" not in opened.stdout  # analysts read all of tpch already: nothing changed for them
