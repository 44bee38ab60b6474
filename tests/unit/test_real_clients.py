"""The client matrix: rows load with file/field errors, and no client is handed a secret on its
command line (only in its environment or a 0600 file), whatever the way in."""

from __future__ import annotations

import importlib.util
import json
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.unit.bad_coordinator import Mode, serving
from trino_harness import paths
from trino_harness.evidence import CannotJudge, CheckFailed
from trino_harness.matrix.catalog import check_function, load_catalog
from trino_harness.pki import CertificateAuthority
from trino_harness.real_clients import python_dbapi, trino_cli, trino_go, trino_jdbc
from trino_harness.real_clients.answer import Answer, program_answer
from trino_harness.real_clients.credentials import Credentials, KerberosTicket
from trino_harness.real_clients.process import ClientRun, Invocation, run
from trino_harness.real_clients.verdict import judge
from trino_harness.reporting.labels import labels_of
from trino_harness.scenario.clients import ClientRow, ClientVersions
from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario
from trino_harness.target import ClientCert, Target

PASSWORD = "Pa55word-of-the-run-1234"
MALLORY = "CN=mallory,OU=contractors,O=Trino Harness"
CLIENT_CHECK = "test_real_client_gets_in_as_declared_user_or_is_refused"
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
    answer = trino_cli.parse_answer(1, "", denied)
    text = str(ClientRun("trino_cli", "476", invocation, 1, "", denied, 2.0, answer))
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
    assert PASSWORD not in repr(ClientRun("trino_cli", "476", invocation, 1, "", "", 1.0, Answer()))


# --- Refusals read from parsed answers, never from a word somewhere in the output ---------------

ROW_LOGIN_REFUSED = ClientRow.model_validate(
    {"clients": ["trino_cli"], "principal": {"provider": "certificate", "principal": MALLORY}, "user": None}
)
ROW_IMPERSONATION_DENIED = ClientRow.model_validate(
    {"clients": ["trino_cli"], "principal": {"provider": "file", "principal": "svc_bi"}, "as": "admin",
     "user": None}
)  # fmt: skip
ROW_GETS_IN = ClientRow.model_validate(
    {"clients": ["trino_cli"], "principal": {"provider": "file", "principal": "bob"}, "user": "bob"}
)
# Recorded from trino-cli 476 (--debug) against a coordinator answering 401 / PERMISSION_DENIED
JLINE = (
    "Dec 07, 2026 2:05:53 PM org.jline.utils.Log logr\n"
    "WARNING: Unable to create a system terminal, creating a dumb terminal (enable debug logging for more "
    "information)\n"
)
CLI_401 = JLINE + (
    "io.trino.client.ClientException: \x1b[31;1mAuthentication failed: Unauthorized\x1b[0m\n"
    "\tat io.trino.client.StatementClientV1.requestFailedException(StatementClientV1.java:613)\n"
    "\tat io.trino.client.StatementClientV1.executeRequest(StatementClientV1.java:520)\n"
)
CLI_IMPERSONATION_DENIED = JLINE + (
    "Query 20261201_101010_00042_abcde failed: Access Denied: User mallory cannot impersonate user root\n"
    "io.trino.spi.security.AccessDeniedException: Access Denied: User mallory cannot impersonate user root\n"
    "\tat io.trino.spi.security.AccessDeniedException.denyImpersonateUser(AccessDeniedException.java:401)\n"
)
CLI_DENIED_ADMIN = CLI_IMPERSONATION_DENIED.replace("mallory", "svc_bi").replace("user root", "user admin")


def _cli(returncode: int, stdout: str = "", stderr: str = "") -> ClientRun:
    answer = trino_cli.parse_answer(returncode, stdout, stderr)
    return ClientRun("trino_cli", "476", Invocation(("java",)), returncode, stdout, stderr, 1.0, answer)


def _program(returncode: int, stdout: str, client: str = "trino_jdbc") -> ClientRun:
    answer = program_answer(returncode, stdout, "")
    return ClientRun(client, "476", Invocation(("java",)), returncode, stdout, "", 1.0, answer)


def _error_line(**fields: object) -> str:
    return "HARNESS-DRIVER: io.trino.jdbc.TrinoDriver 476\nHARNESS-ERROR: " + json.dumps(fields) + "\n"


def test_cli_401_is_read_as_a_login_refusal():
    """The CLI's 476 --debug shape (class, then the red message): HTTP 401 from authentication."""
    answer = _cli(1, stderr=CLI_401).answer
    assert (answer.http_status, answer.error_name, answer.query_answered) == (401, None, False)
    reasoned = CLI_401.replace("Unauthorized", "No user mapping patterns match the principal")
    judge(ROW_LOGIN_REFUSED, _cli(1, stderr=reasoned), "mallory's certificate")
    with pytest.raises(CannotJudge, match="saw no credential"):  # a bare 401: no credential reached Trino
        judge(ROW_LOGIN_REFUSED, _cli(1, stderr=CLI_401), "mallory's certificate")


def test_older_cli_authentication_failed_line_is_a_login_refusal_too():
    """CLIs before 4xx printed 'Error running command: ' before the same ClientException message."""
    old = "Error running command: Authentication failed: Unauthorized\n"
    assert _cli(1, stderr=old).answer.http_status == 401


def test_cli_login_accepted_then_impersonation_denied_fails_a_login_refusal_row():
    """The false pass of issue 28: the CLI sent the OS user, the login was accepted and only the
    impersonation of 'root' was denied. The login was not refused: FAIL, not PASS."""
    run = _cli(1, stderr=CLI_IMPERSONATION_DENIED)
    assert run.answer.error_name == "PERMISSION_DENIED"
    assert run.answer.query_id == "20261201_101010_00042_abcde"
    with pytest.raises(CheckFailed, match="cannot impersonate user root"):
        judge(ROW_LOGIN_REFUSED, run, "mallory's certificate")


def test_cli_impersonation_denial_passes_only_for_the_user_asked_for():
    """PERMISSION_DENIED naming the row's user is the refusal; naming another user judges nothing."""
    judge(ROW_IMPERSONATION_DENIED, _cli(1, stderr=CLI_DENIED_ADMIN), "svc_bi acting as admin")
    with pytest.raises(CannotJudge, match="another"):
        judge(ROW_IMPERSONATION_DENIED, _cli(1, stderr=CLI_IMPERSONATION_DENIED), "svc_bi acting as admin")


def test_cli_impersonation_row_refused_at_login_cannot_judge_the_impersonation():
    """A 401 means the server never got to the impersonation: no verdict on it."""
    with pytest.raises(CannotJudge):
        judge(ROW_IMPERSONATION_DENIED, _cli(1, stderr=CLI_401), "svc_bi acting as admin")


@pytest.mark.parametrize(
    "stderr",
    [
        "java.net.ConnectException: Failed to connect to /127.0.0.1:8401\n\tat okhttp3.Call(Call.java:401)\n",
        "Error starting query at https://127.0.0.1:401/v1/statement returned HTTP 503\n",
        "Access Denied: something was printed, but not by Trino's error line\n",
        "Unauthorized\n",
    ],
    ids=["401-in-port-and-line-number", "503-at-port-401", "access-denied-loose", "unauthorized-loose"],
)
def test_words_of_a_refusal_anywhere_in_the_output_are_no_refusal(stderr):
    """'401', 'Unauthorized' or 'Access Denied' in a port, a line number or a loose line: cannot judge."""
    with pytest.raises(CannotJudge):
        judge(ROW_LOGIN_REFUSED, _cli(1, stderr=stderr), "mallory's certificate")


def test_empty_output_cannot_judge():
    with pytest.raises(CannotJudge):
        judge(ROW_LOGIN_REFUSED, _cli(1), "mallory's certificate")
    with pytest.raises(CannotJudge):
        judge(ROW_LOGIN_REFUSED, _program(1, ""), "mallory's certificate")


def test_a_client_that_times_out_cannot_judge(tmp_path):
    """No answer in time is an ERROR, never a refusal."""
    invocation = Invocation((sys.executable, "-c", "import time; time.sleep(5)"), cwd=str(tmp_path))
    with pytest.raises(CannotJudge, match="no answer in"):
        run("trino_cli", "476", invocation, 0.3, trino_cli.parse_answer)


def test_cli_that_answers_the_login_where_a_refusal_was_expected_fails_with_the_user():
    with pytest.raises(CheckFailed, match="user 'mallory'"):
        judge(ROW_LOGIN_REFUSED, _cli(0, stdout="mallory\n"), "mallory's certificate")


def test_cli_user_is_read_only_from_a_clean_exit_with_one_line():
    assert _cli(0, stdout="bob\n").answer.user == "bob"
    assert _cli(1, stdout="bob\n").answer.user is None
    assert _cli(0, stdout="bob\nalice\n").answer.user is None


# Recorded from the harness programs (trino-jdbc 476, trino 0.340.0, trino-go-client v1.1.0)
RECORDED_401 = {
    "trino_jdbc": 'HARNESS-DRIVER: io.trino.jdbc.TrinoDriver 476\nHARNESS-ERROR: {"exception": "java.sql.'
    'SQLException <- io.trino.jdbc.$internal.client.ClientException", "message": "Authentication failed: '
    'Unauthorized", "http_status": 401, "error_name": null, "error_code": null, "query_id": null}\n',
    "trino_python": 'HARNESS-CLIENT: trino 0.340.0\nHARNESS-ERROR: {"exception": "HttpError", "message": '
    '"error 401: b\'Unauthorized\'", "http_status": 401, "error_name": null, "error_code": null, '
    '"query_id": null}\n',
    "trino_go": 'HARNESS-ERROR: {"error_code":null,"error_name":null,"exception":"*trino.ErrQueryFailed",'
    '"http_status":401,"message":"Unauthorized","query_id":null}\n',
}
RECORDED_DENIED = {
    "trino_jdbc": 'HARNESS-DRIVER: io.trino.jdbc.TrinoDriver 476\nHARNESS-ERROR: {"exception": "java.sql.'
    'SQLException <- io.trino.jdbc.$internal.client.FailureException", "message": "Access Denied: User '
    'mallory cannot impersonate user root", "http_status": null, "error_name": "PERMISSION_DENIED", '
    '"error_code": 4, "query_id": "20261201_101010_00042_abcde", "failure_type": '
    '"io.trino.spi.security.AccessDeniedException"}\n',
    "trino_python": 'HARNESS-CLIENT: trino 0.340.0\nHARNESS-ERROR: {"exception": "TrinoUserError", '
    '"message": "Access Denied: User mallory cannot impersonate user root", "http_status": null, '
    '"error_name": "PERMISSION_DENIED", "error_code": 4, "query_id": "20261201_101010_00042_abcde"}\n',
    "trino_go": 'HARNESS-ERROR: {"error_code":4,"error_name":"PERMISSION_DENIED","exception":'
    '"*trino.ErrQueryFailed","failure_type":"io.trino.spi.security.AccessDeniedException",'
    '"http_status":200,"message":"Access Denied: User mallory cannot impersonate user root",'
    '"query_id":null}\n',
}


@pytest.mark.parametrize("client", sorted(RECORDED_401))
def test_each_programs_recorded_401_is_a_login_refusal_only_with_a_reason(client):
    """The recorded answers are a bare 401 (the fake server named no reason): no verdict; the same
    line with an authenticator's reason is the refusal."""
    with pytest.raises(CannotJudge, match="saw no credential"):
        judge(ROW_LOGIN_REFUSED, _program(1, RECORDED_401[client], client), "mallory's certificate")
    reasoned = RECORDED_401[client].replace("Unauthorized", "Access Denied: Invalid credentials")
    judge(ROW_LOGIN_REFUSED, _program(1, reasoned, client), "mallory's certificate")


@pytest.mark.parametrize("client", sorted(RECORDED_DENIED))
def test_each_programs_recorded_impersonation_denial_is_an_accepted_login(client):
    """The same answer the old substring match took for a refused login: here it FAILs that row."""
    run_ = _program(1, RECORDED_DENIED[client], client)
    with pytest.raises(CheckFailed, match="login accepted"):
        judge(ROW_LOGIN_REFUSED, run_, "mallory's certificate")
    row = ROW_IMPERSONATION_DENIED.model_copy(update={"as_user": "root"})
    judge(row, run_, "mallory acting as root")


def test_program_401_line_is_a_login_refusal():
    reason = "Authentication failed: No user mapping patterns match the principal"
    run_ = _program(1, _error_line(http_status=401, message=reason))
    assert run_.answer.http_status == 401
    judge(ROW_LOGIN_REFUSED, run_, "mallory's certificate")


def test_program_query_error_is_an_accepted_login():
    line = _error_line(
        error_name="PERMISSION_DENIED", error_code=4, query_id="20261201_x", http_status=None,
        message="Access Denied: User svc_bi cannot impersonate user admin",
    )  # fmt: skip
    judge(ROW_IMPERSONATION_DENIED, _program(1, line), "svc_bi acting as admin")
    with pytest.raises(CheckFailed, match="PERMISSION_DENIED"):
        judge(ROW_LOGIN_REFUSED, _program(1, line), "mallory's certificate")
    with pytest.raises(CheckFailed, match="PERMISSION_DENIED"):
        judge(ROW_GETS_IN, _program(1, line), "bob")


@pytest.mark.parametrize(
    "stdout",
    [
        "HARNESS-ERROR: SQLException: Error executing query: 127.0.0.1:8401 401 Unauthorized\n",
        _error_line(http_status=503, message="error 503: service unavailable"),
        _error_line(http_status=None, message="java.net.ConnectException: Connection refused"),
        _error_line(http_status=401) + _error_line(error_name="PERMISSION_DENIED"),
        "HARNESS-ERROR: {not json\n",
    ],
    ids=["free-text-error", "503", "no-status", "two-answers", "broken-json"],
)
def test_program_lines_that_are_no_parsed_refusal_cannot_judge(stdout):
    with pytest.raises(CannotJudge):
        judge(ROW_LOGIN_REFUSED, _program(1, stdout), "mallory's certificate")


def test_program_user_counts_only_on_a_clean_exit():
    assert _program(0, "HARNESS-USER: bob\n").answer.user == "bob"
    assert _program(1, "HARNESS-USER: bob\n").answer.user is None
    judge(ROW_GETS_IN, _program(0, "HARNESS-USER: bob\n"), "bob")
    with pytest.raises(CheckFailed, match="user 'alice'"):
        judge(ROW_GETS_IN, _program(0, "HARNESS-USER: alice\n"), "bob")


def test_a_row_that_must_get_in_cannot_judge_a_crash():
    """A crash is not a refusal by the server: no verdict either way."""
    with pytest.raises(CannotJudge):
        judge(ROW_GETS_IN, _program(1, "Exception in thread main java.lang.NoClassDefFoundError\n"), "bob")


def _dbapi_program():
    spec = importlib.util.spec_from_file_location("harness_dbapi", python_dbapi.SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_program_reports_the_http_status_and_trinos_error_name():
    """The trino client's HttpError carries the status in its own fixed words; a query error its name."""
    import trino.exceptions

    program = _dbapi_program()
    refused = program.describe(trino.exceptions.HttpError("error 401: b'Unauthorized'"), trino.exceptions)
    assert refused["http_status"] == 401 and refused["error_name"] is None
    query_error = trino.exceptions.TrinoUserError(
        {"message": "Access Denied: User svc_bi cannot impersonate user admin",
         "errorName": "PERMISSION_DENIED", "errorCode": 4, "errorType": "USER_ERROR"},
        query_id="20261201_x",
    )  # fmt: skip
    denied = program.describe(query_error, trino.exceptions)
    assert (denied["error_name"], denied["query_id"], denied["http_status"]) == (
        "PERMISSION_DENIED",
        "20261201_x",
        None,
    )
    other = program.describe(ConnectionError("127.0.0.1:8401 refused (401)"), trino.exceptions)
    assert other["http_status"] is None and other["error_name"] is None


@pytest.mark.parametrize(
    ("login", "user"),
    [
        (Credentials("certificate", MALLORY), "mallory"),
        (Credentials("oauth2", "ext.mallory", token=TOKEN), "ext.mallory"),
        (Credentials("jwt", "svc_etl@harness.test", token=TOKEN), "svc_etl@harness.test"),
        (Credentials("file", "svc_bi", password=PASSWORD), "svc_bi"),
    ],
    ids=["certificate", "oauth2", "jwt", "password"],
)
def test_cli_names_the_login_as_its_user_instead_of_the_os_user(login, user, tmp_path):
    """Without --user the CLI sends the OS user ('root') as session user: a login the server accepts
    is then denied as an impersonation, which would read like a refused login."""
    if login.provider == "certificate":
        login = Credentials("certificate", MALLORY, cert=_cert(tmp_path))
    inv = trino_cli.invocation(PREPARED["trino_cli"][1], _target(tmp_path), login, None, "SELECT 1", tmp_path)
    assert [a for a in inv.argv if a.startswith("--user=")] == [f"--user={user}"]
    assert "--debug" in inv.argv  # the error lines carry the exception's class


def test_kerberos_cli_names_the_principal_without_its_realm(tmp_path):
    ticket = KerberosTicket(str(tmp_path / "krb5cc"), str(tmp_path / "krb5.conf"), "HTTP", "trino")
    creds = Credentials("kerberos", "alice/admin@HARNESS.TEST", kerberos=ticket)
    inv = trino_cli.invocation(PREPARED["trino_cli"][1], _target(tmp_path), creds, None, "SELECT 1", tmp_path)
    assert "--user=alice/admin" in inv.argv


def _collected_client_checks(markers: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "suites/test_clients.py", "--collect-only", "-q", "-p",
         "no:cacheprovider", "-m", markers],
        cwd=paths.REPO, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode in (0, 5), proc.stdout + proc.stderr  # 5: nothing selected
    return {line.split("::", 1)[1] for line in proc.stdout.splitlines() if line.startswith("suites/")}


CLIENT_VARIANTS = [
    "certificate-mapping-too-broad",
    "oidc-mapping-permissive",
    "kerberos-mapping-permissive",
    "clients-impersonation-too-broad",
    "clients-password-mapping-wrong-user",
]


@pytest.mark.parametrize("name", CLIENT_VARIANTS)
def test_client_variants_run_exactly_the_client_checks_they_declare_red(name):
    """Each variant's -m expression (pytest's own grammar, marker arguments included) selects the
    client rows it declares red and no other: a JVM per row is the matrix's cost."""
    variant = load_catalog(only=[name])[0]
    declared = {p.split("::")[-1] for p in variant.spec.must_fail if check_function(p) == CLIENT_CHECK}
    assert declared, f"{name} declares no real-client check red"
    assert _collected_client_checks(variant.spec.markers) == declared


# --- A coordinator that answers badly: a real client program, zero verdicts ----------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("mode", list(Mode))
def test_python_client_against_a_coordinator_that_answers_badly_judges_nothing(mode, tmp_path):
    """A 503, an empty 200, malformed JSON or a reset is no refusal and no entry: every kind of row
    (login refused, impersonation denied, gets in) cannot judge. The JVM and Go clients read the
    same parsed answer; they are left out here (a JVM start, a build, and retries for minutes)."""
    authority = CertificateAuthority.create("real clients bad coordinator CA")
    issued = authority.issue_server("trino", ["127.0.0.1"], days=1)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(authority.cert_pem)
    port = _free_port()
    target = Target(host="127.0.0.1", port=port, ca_path=str(ca), expected_version="476", scenario_path="s")
    prepared = python_dbapi.prepare_trino()
    creds = Credentials("file", "svc_bi", password=PASSWORD)
    invocation = python_dbapi.invocation(prepared, target, creds, None, "SELECT current_user", tmp_path)
    with serving(mode, [port], [], issued):
        result = run("trino_python", prepared.version, invocation, 60, python_dbapi.parse_answer)
    for row in (ROW_LOGIN_REFUSED, ROW_IMPERSONATION_DENIED, ROW_GETS_IN):
        with pytest.raises(CannotJudge):
            judge(row, result, f"svc_bi against a coordinator answering {mode}")


@pytest.mark.parametrize(
    ("said", "bare"),
    [
        ("Unauthorized", True),
        ("error 401: b'Unauthorized'", True),
        ("Authentication failed: Unauthorized", True),
        ("", True),
        ("Authentication failed: Access Denied: Invalid credentials", False),
        ("error 401: b'No user mapping patterns match the principal'", False),
        ("Access Denied: Unauthorized user", False),
    ],
)
def test_a_401_without_an_authenticators_reason_saw_no_credential(said: str, bare: bool):
    """Trino answers a bare 'Unauthorized' only when no authenticator was handed a credential: a
    login-refused row cannot pass on it (the client may never have sent the row's credential)."""
    from trino_harness.real_clients.verdict import no_credential_seen

    assert no_credential_seen(said) is bare
