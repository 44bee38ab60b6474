"""The client matrix: rows load with file/field errors, and no client is handed a secret on its
command line (only in its environment or a 0600 file), whatever the way in."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from trino_harness.real_clients import python_dbapi, trino_cli, trino_go, trino_jdbc
from trino_harness.real_clients.credentials import Credentials, KerberosTicket
from trino_harness.real_clients.process import ClientRun, Invocation
from trino_harness.reporting.labels import labels_of
from trino_harness.scenario.clients import ClientVersions
from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario
from trino_harness.target import ClientCert, Target

PASSWORD = "Pa55word-of-the-run-1234"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmNfZXRsIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


def _scenario_with(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    mutate(data["clients"])
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_baseline_tries_every_client_and_every_way_in():
    cases = load_scenario().clients.cases()
    everyone = {"trino_cli", "trino_jdbc", "trino_python", "presto_python", "trino_go"}
    assert {c.client for c in cases} == everyone
    assert {c.row.principal.provider for c in cases} == {
        "file",
        "ldap",
        "jwt",
        "certificate",
        "oauth2",
        "kerberos",
    }
    ids = [c.test_id() for c in cases]
    assert "trino_jdbc-file-svc_bi-as-admin-denied" in ids
    assert "trino_cli-file-alice@harness.test-as-alice-allowed" in ids
    assert "trino_go-ldap-carol-refused" in ids
    assert "presto_python-file-svc_bi-as-alice-runs-as-svc_bi" in ids
    assert "trino_cli-oauth2-alice-as-alice-allowed" in ids
    assert "trino_go-oauth2-ext.mallory-refused" in ids


def test_unknown_client_is_reported_with_file_and_field(tmp_path):
    path = _scenario_with(tmp_path, lambda c: c["rows"][0].update(clients=["dbeaver"]))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert f"{path}: clients.rows[0].clients[0]: Input should be" in str(err.value)


def test_row_naming_an_unknown_login_is_rejected(tmp_path):
    stranger = {"provider": "file", "principal": "x"}
    path = _scenario_with(tmp_path, lambda c: c["rows"][0].update(principal=stranger))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "clients.rows.0.principal" in str(err.value)


def test_two_rows_giving_the_same_check_are_rejected(tmp_path):
    path = _scenario_with(tmp_path, lambda c: c["rows"].append(c["rows"][0]))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "two rows give the same check" in str(err.value)


def test_client_version_override_is_checked():
    versions = ClientVersions()
    assert versions.overridden(["trino_jdbc=368"])["trino_jdbc"] == "368"
    with pytest.raises(ValueError, match="CLIENT one of"):
        versions.overridden(["odbc=1"])
    with pytest.raises(ValueError, match="trino_jdbc"):
        versions.overridden(["trino_jdbc=latest"])


def _target(tmp_path: Path) -> Target:
    return Target(host="127.0.0.1", port=8443, ca_path=str(tmp_path / "ca.pem"), expected_version="476",
                  scenario_path="s.yaml")  # fmt: skip


def _cert(tmp_path: Path) -> ClientCert:
    (tmp_path / "dave.pem").write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    (tmp_path / "dave.key").write_text("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
    return ClientCert(str(tmp_path / "dave.pem"), str(tmp_path / "dave.key"))


PREPARED = {
    "trino_cli": (trino_cli, trino_cli.Prepared(Path("/c/trino-cli.jar"), "476", "java")),
    "trino_jdbc": (trino_jdbc, trino_jdbc.Prepared("/c/p:/c/trino-jdbc.jar", "476", "java")),
    "trino_python": (python_dbapi, python_dbapi.Prepared("/venv/python", "trino", "0.340.0", "py")),
    "presto_python": (python_dbapi, python_dbapi.Prepared("/venv/python", "prestodb", "0.8.4", "py")),
    "trino_go": (trino_go, trino_go.Prepared(Path("/c/go-client"), "v1.1.0", "go")),
}


@pytest.mark.parametrize("client", sorted(PREPARED))
@pytest.mark.parametrize("way", ["password", "token", "oauth2", "certificate"])
def test_secrets_never_reach_the_command_line(client, way, tmp_path):
    module, prepared = PREPARED[client]
    creds = {
        "password": Credentials("file", "svc_bi", password=PASSWORD),
        "token": Credentials("jwt", "svc_etl@harness.test", token=TOKEN),
        "oauth2": Credentials("oauth2", "alice", token=TOKEN[::-1]),
        "certificate": Credentials("certificate", "CN=dave", cert=_cert(tmp_path)),
    }[way]
    inv = module.invocation(prepared, _target(tmp_path), creds, None, "SELECT current_user", tmp_path)
    secret = creds.password or creds.token or Path(creds.cert.key_path).read_text()
    assert all(secret not in arg for arg in inv.argv)
    assert secret not in inv.shown()
    carried = list(inv.env.values()) + [Path(f).read_text() for f in inv.secret_files]
    if way != "certificate":  # a certificate's key stays in its own file
        assert any(secret in value for value in carried)
    for name in inv.secret_files:
        assert stat.S_IMODE(Path(name).stat().st_mode) == 0o600


def test_jdbc_puts_session_user_in_the_url_and_the_password_in_the_properties(tmp_path):
    module, prepared = PREPARED["trino_jdbc"]
    creds = Credentials("file", "svc_bi", password=PASSWORD)
    inv = module.invocation(prepared, _target(tmp_path), creds, "alice", "SELECT 1", tmp_path)
    url = inv.argv[4]
    assert "SSL=true" in url and "user=svc_bi" in url and "sessionUser=alice" in url
    assert f"password={PASSWORD}" in Path(inv.secret_files[0]).read_text()


def test_kerberos_clients_get_a_ticket_cache_and_ask_for_the_coordinators_alias(tmp_path):
    ticket = KerberosTicket(str(tmp_path / "krb5cc"), str(tmp_path / "krb5.conf"), "HTTP", "trino")
    creds = Credentials("kerberos", "alice@HARNESS.TEST", kerberos=ticket)
    cli = trino_cli.invocation(
        PREPARED["trino_cli"][1], _target(tmp_path), creds, "alice", "SELECT 1", tmp_path
    )
    assert f"--krb5-credential-cache-path={ticket.ccache}" in cli.argv
    assert "--krb5-service-principal-pattern=${SERVICE}@trino" in cli.argv
    jdbc = trino_jdbc.invocation(
        PREPARED["trino_jdbc"][1], _target(tmp_path), creds, None, "SELECT 1", tmp_path
    )
    assert (
        "KerberosUseCanonicalHostname=false" in jdbc.argv[4]
        and "KerberosPrincipal=alice@HARNESS.TEST" in jdbc.argv[4]
    )
    python = python_dbapi.invocation(
        PREPARED["trino_python"][1], _target(tmp_path), creds, None, "SELECT 1", tmp_path
    )
    assert "--krb5-service=HTTP@trino" in python.argv and python.env["KRB5CCNAME"] == f"FILE:{ticket.ccache}"
    with pytest.raises(trino_go.CannotExpress):
        trino_go.invocation(PREPARED["trino_go"][1], _target(tmp_path), creds, None, "SELECT 1", tmp_path)


def test_go_client_cannot_impersonate_beside_a_password(tmp_path):
    module, prepared = PREPARED["trino_go"]
    with pytest.raises(trino_go.CannotImpersonateWithPassword):
        module.invocation(prepared, _target(tmp_path), Credentials("file", "svc_bi", password=PASSWORD),
                          "alice", "SELECT 1", tmp_path)  # fmt: skip


def test_evidence_shows_version_masked_environment_and_output():
    invocation = Invocation(("java", "-jar", "cli.jar"), {"TRINO_PASSWORD": PASSWORD})
    denied = "Query failed: Access Denied: User svc_bi cannot impersonate user admin"
    text = str(ClientRun("trino_cli", "476", invocation, 1, "", denied, 2.0, None))
    assert "trino_cli 476" in text and "TRINO_PASSWORD=***" in text
    assert "cannot impersonate user admin" in text
    assert PASSWORD not in text


def test_client_checks_are_their_own_stage_and_refusals_are_critical():
    denied = load_scenario().clients.cases()
    case = next(c for c in denied if c.test_id().endswith("-denied"))
    labels = labels_of(["clients"], "test_clients", "test_real_client", case.test_id(), {"client_case": case})
    assert labels is not None
    assert (labels.stage, labels.provider, labels.severity) == ("clients", "password_file", "critical")


def test_a_failure_traceback_never_shows_the_environment():
    invocation = Invocation(("java",), {"TRINO_PASSWORD": PASSWORD})
    assert PASSWORD not in repr(invocation)
    assert PASSWORD not in repr(ClientRun("trino_cli", "476", invocation, 1, "", "", 1.0, None))
