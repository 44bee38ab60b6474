"""Event-listener targets must be https://, the password file holds only declared accounts, and
the default-credential probe is a bounded list expanded from data (never literals in code)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trino_harness.config_lint import password_file_accounts
from trino_harness.default_credentials import (
    DefaultCredentialsError,
    attempts,
    load_default_credentials,
)
from trino_harness.event_listener_targets import event_listener_targets
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
