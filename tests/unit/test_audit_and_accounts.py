"""Event-listener targets must be https://, the password file holds only declared accounts, and
the default-credential probe is a bounded list expanded from data (never literals in code)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# The suites' checks are reached through their modules: a check imported by name would be collected
# here as a test of its own, with the harness's fixtures (a stack) behind it.
import suites.test_account_inventory as inventory
import suites.test_audit_integrity as audit_integrity
from tests.unit.config_copies import CopyTarget, run_check, write_copy
from trino_harness.config_lint import password_file_accounts
from trino_harness.default_credentials import (
    DefaultCredentialsError,
    attempts,
    load_default_credentials,
)
from trino_harness.event_listener_targets import event_listener_targets
from trino_harness.evidence import CannotJudge
from trino_harness.render.materials import RunMaterials
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("etc")
    scenario = load_scenario()
    render_trino_etc(scenario, RunMaterials.generate(scenario)).write_to(root)
    return root


def test_reference_event_listener_posts_over_https_and_cleartext_is_named(rendered, tmp_path):
    (target,) = event_listener_targets(rendered)
    assert target.value.startswith("https://") and target.problem is None
    (tmp_path / "config.properties").write_text("event-listener.config-files=etc/http.properties\n")
    (tmp_path / "http.properties").write_text(
        "event-listener.name=http\nhttp-event-listener.connect-ingest-uri=http://audit:8080/events\n"
    )
    (plain,) = event_listener_targets(tmp_path)
    assert plain.file == "http.properties" and "not https://" in (plain.problem or "")


def test_reference_password_file_holds_exactly_the_declared_file_users(rendered):
    files, accounts = password_file_accounts(rendered)
    declared = {u.login_name for u in load_scenario().users if u.credential == "file"}
    assert files == ["password.db"]
    assert {user for _, _, user in accounts} == declared


def test_default_credentials_come_from_the_scenarios_file_and_add_each_name_as_password():
    listed = load_default_credentials()
    tries = attempts(listed, load_scenario())
    assert ("trino", "trino") in {(a.user, a.password) for a in tries}
    assert ("bob", "bob") in {(a.user, a.password) for a in tries}  # an LDAP user, its own name
    assert len(tries) == len({(a.user, a.password) for a in tries})  # each attempted once
    assert all(a.password not in a.why for a in tries if a.why.startswith("list entry"))


def test_a_malformed_credential_list_names_the_field(tmp_path):
    bad = tmp_path / "creds.yaml"
    bad.write_text("credentials: [{user: admin}]\n")
    with pytest.raises(DefaultCredentialsError, match=r"credentials\[0\]\.password: Field required"):
        load_default_credentials(bad)


def test_the_reload_sentinel_is_exempt_only_when_its_token_proves_it_is_the_harnesss(rendered, tmp_path):
    from trino_harness.render.reload import _token, mark_passwords

    original = (rendered / "password.db").read_text()
    etc = tmp_path / "etc"
    shutil.copytree(rendered, etc)
    marked = mark_passwords(original, _token(original.encode()), "$2y$10$" + "x" * 53)
    (etc / "password.db").write_text(marked)
    _, accounts = password_file_accounts(etc)
    assert {user for _, _, user in accounts} == {
        u.login_name for u in load_scenario().users if u.credential == "file"
    }
    # the same name with a token that is not the file's hash: an undeclared account like any other
    (etc / "password.db").write_text(mark_passwords(original, "0123456789", "$2y$10$" + "x" * 53))
    _, accounts = password_file_accounts(etc)
    assert "harness_sentinel_p0123456789" in {user for _, _, user in accounts}


# -- Kafka event listener: Trino 476 reads the client settings from config.resources ---------------
def _kafka_copy(tmp_path: Path, listener: str, **files: str) -> Path:
    return write_copy(tmp_path, {
        "config.properties": "event-listener.config-files=/etc/trino/kafka-event-listener.properties\n",
        "kafka-event-listener.properties": "event-listener.name=kafka\n"
        "kafka-event-listener.broker-endpoints=kafka:9093\n" + listener,
        **{name.replace("_", "-") + ".properties": text for name, text in files.items()},
    })  # fmt: skip


RESOURCES = "kafka-event-listener.config.resources=/etc/trino/kafka-client.properties\n"


@pytest.mark.parametrize(
    ("listener", "client", "problem"),
    [
        (RESOURCES, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n", None),
        (RESOURCES, "security.protocol: SSL\n", None),
        ("kafka.security-protocol=SSL\nkafka.ssl.truststore.location=/etc/trino/tls/ca.jks\n", None, None),
        ("kafka-event-listener.client-config-overrides=security.protocol=SSL,acks=all\n", None, None),
        (RESOURCES, "sasl.mechanism=PLAIN\n", "cleartext"),
        (RESOURCES, "security.protocol=SASL_PLAINTEXT\n", "cleartext"),
        (RESOURCES, "security.protocol=SSL\nssl.endpoint.identification.algorithm=\n", "not verified"),
        ("kafka.security-protocol=SSL\nkafka.ssl.endpoint-identification-algorithm=disabled\n", None,
         "not verified"),
        ("kafka.security-protocol=SSL\n" + RESOURCES, "security.protocol=PLAINTEXT\n", "cleartext"),
    ],
    ids=["476-sasl-ssl", "476-colon", "ssl-factory", "475-overrides", "476-no-protocol", "476-sasl-plain",
         "476-no-hostname-check", "ssl-factory-no-hostname-check", "resources-override-the-factory"],
)  # fmt: skip
def test_the_kafka_listener_is_judged_by_the_client_settings_trino_applies(
    tmp_path, listener, client, problem
):
    root = _kafka_copy(tmp_path, listener, **({"kafka_client": client} if client else {}))
    (target,) = event_listener_targets(root)
    if problem is None:
        assert target.problem is None, target
    else:
        assert problem in (target.problem or ""), target


def test_a_kafka_client_file_outside_the_copy_cannot_be_judged(tmp_path):
    outside = "kafka-event-listener.config.resources=/etc/kafka-configuration.properties\n"
    with pytest.raises(CannotJudge, match=r"/etc/kafka-configuration\.properties"):
        event_listener_targets(_kafka_copy(tmp_path, outside))
    with pytest.raises(CannotJudge, match=r"kafka-client\.properties"):
        event_listener_targets(_kafka_copy(tmp_path / "missing", RESOURCES))


# -- values that may be secrets are never shown ---------------------------------------------------
def test_a_listener_url_is_reported_without_its_token(tmp_path):
    write_copy(tmp_path, {
        "config.properties": "event-listener.config-files=etc/http.properties\n",
        "http.properties": "event-listener.name=http\n"
        "http-event-listener.connect-ingest-uri=http://audit:8080/events?token=t0kenvalue\n",
    })  # fmt: skip
    outcome = run_check(audit_integrity.test_every_event_listener_target_is_https, CopyTarget(tmp_path))
    assert outcome.status == "FAIL" and "t0kenvalue" not in outcome.text and "audit:8080" in outcome.text


# -- account inventory: declared file users and no file authenticator is no SKIP ------------------
def test_declared_file_users_with_no_file_authenticator_in_the_copy_cannot_be_judged(tmp_path):
    write_copy(tmp_path, {"config.properties": "coordinator=true\n"})
    scenario = load_scenario()
    assert any(u.credential == "file" for u in scenario.users)
    outcome = run_check(
        inventory.test_password_file_holds_only_declared_accounts, CopyTarget(tmp_path), scenario
    )
    assert outcome.status == "ERROR" and "file" in outcome.text, outcome


def test_the_inventory_passes_on_the_reference_copy_naming_what_it_read(rendered):
    outcome = run_check(
        inventory.test_password_file_holds_only_declared_accounts, CopyTarget(rendered), load_scenario()
    )
    assert outcome.status == "PASS" and "password.db" in outcome.text, outcome


def test_a_commented_out_line_is_an_account_as_trino_reads_the_file(rendered, tmp_path):
    """Trino's PasswordStore skips blank lines only: '#backdoor:<hash>' logs in as '#backdoor'."""
    from trino_harness.config_lint import lint_password_entries

    copy = tmp_path / "etc"
    shutil.copytree(rendered, copy)
    password_db = copy / "password.db"
    weak = "$2y$04$" + "a" * 53  # a bcrypt hash of cost 4
    password_db.write_text(password_db.read_text() + f"#backdoor:{weak}\n")
    _, accounts = password_file_accounts(copy)
    assert "#backdoor" in {user for _, _, user in accounts}
    assert any(
        f.user == "#backdoor" for f in lint_password_entries("password.db", f"#backdoor:{weak}\n", 10, 100000)
    )


def test_no_event_listener_at_all_is_no_clean_listener(tmp_path):
    """'Every target is https' over no target would be nothing read as clean: the check skips, saying so."""
    write_copy(tmp_path, {"config.properties": "coordinator=true\n"})
    outcome = run_check(audit_integrity.test_every_event_listener_target_is_https, CopyTarget(tmp_path))
    assert outcome.status == "SKIP" and "no event listener" in outcome.text, outcome
