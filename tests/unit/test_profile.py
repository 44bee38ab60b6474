"""Remote profiles: what a valid one becomes, and how each mistake is named (file, field, fix)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from trino_harness.capabilities import MissingCapability
from trino_harness.pki import CertificateAuthority
from trino_harness.profile.loader import ProfileError, target_from_profile
from trino_harness.profile.writer import read_env_file, write_profile
from trino_harness.scenario.loader import DEFAULT_SCENARIO
from trino_harness.target import Target

ENV = {
    "ALICE_PW": "s3cret-alice",
    "AUDIT_DSN": "host=db.example port=5433 dbname=audit user=reader password=pw-db",
}


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    ca = CertificateAuthority.create("Profile Test CA")
    (tmp_path / "ca.pem").write_bytes(ca.cert_pem)
    shutil.copy(DEFAULT_SCENARIO, tmp_path / "scenario.yaml")
    return tmp_path


def _write(directory: Path, **changes) -> Path:
    data = {
        "name": "staging",
        "scenario": "scenario.yaml",
        "coordinator": {"url": "https://trino.staging.example:8443", "ca_bundle": "ca.pem"},
        "identities": {
            "passwords": [{"provider": "file", "login": "alice@harness.test", "password_env": "ALICE_PW"}]
        },
        "audit": {"flavour": "harness", "dsn_env": "AUDIT_DSN", "sslrootcert": "ca.pem"},
    }
    data.update(changes)
    path = directory / "profile.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_valid_profile_becomes_a_target_with_secrets_from_the_environment(profile_dir):
    target = target_from_profile(_write(profile_dir), ENV)
    assert (target.host, target.port) == ("trino.staging.example", 8443)
    assert target.password("file", "alice@harness.test") == "s3cret-alice"
    assert target.audit is not None and (target.audit.host, target.audit.port) == ("db.example", 5433)
    assert target.audit.password == "pw-db"
    assert target.ca_path == str(profile_dir / "ca.pem")
    assert target.jwt_issuer == "https://idp.harness.test"  # from the profile's scenario


def test_literal_password_is_refused_naming_file_field_and_fix(profile_dir):
    path = _write(
        profile_dir,
        identities={"passwords": [{"provider": "file", "login": "alice", "password": "hunter2"}]},
    )
    with pytest.raises(ProfileError) as err:
        target_from_profile(path, ENV)
    message = str(err.value)
    assert f"{path}: identities.passwords[0].password: a secret written in the profile" in message
    assert "password_env: <VARIABLE>" in message
    assert "hunter2" not in message


def test_literal_dsn_and_inline_private_key_are_refused(profile_dir):
    path = _write(
        profile_dir,
        audit={"flavour": "harness", "dsn": "postgresql://u:pw@h/db"},
        identities={
            "jwt": {"private_key": "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----"}
        },
    )
    with pytest.raises(ProfileError) as err:
        target_from_profile(path, ENV)
    assert "audit.dsn: a secret written in the profile; put it in an environment variable" in str(err.value)
    assert "identities.jwt.private_key: a private key written in the profile" in str(err.value)
    assert "u:pw@" not in str(err.value) and "MIIE" not in str(err.value)


def test_unset_variable_and_missing_file_are_each_named(profile_dir):
    path = _write(profile_dir, coordinator={"url": "https://h:8443", "ca_bundle": "nope.pem"})
    with pytest.raises(ProfileError) as err:
        target_from_profile(path, {"AUDIT_DSN": ENV["AUDIT_DSN"]})
    message = str(err.value)
    assert (
        f"{path}: identities.passwords[0].password_env: environment variable ALICE_PW is not set" in message
    )
    assert f"{path}: coordinator.ca_bundle: nope.pem does not exist" in message


def test_plain_http_url_and_unknown_fields_are_refused(profile_dir):
    path = _write(profile_dir, coordinator={"url": "http://h:8080", "ca_bundle": "ca.pem", "verify": False})
    with pytest.raises(ProfileError) as err:
        target_from_profile(path, ENV)
    assert "coordinator.url: String should match pattern '^https://" in str(err.value)
    assert "coordinator.verify: Extra inputs are not permitted" in str(err.value)


def test_starburst_event_logger_profile_names_its_table_and_reader(profile_dir):
    from trino_harness.audit.starburst import StarburstEventLoggerReader
    from trino_harness.audit.stores import reader_for

    audit = {"flavour": "starburst-event-logger", "dsn_env": "AUDIT_DSN", "sslrootcert": "ca.pem"}
    target = target_from_profile(_write(profile_dir, audit=audit), ENV)
    assert target.audit is not None and (target.audit.flavour, target.audit.table) == (
        "starburst-event-logger",
        None,
    )
    reader = reader_for(target.audit)
    assert isinstance(reader, StarburstEventLoggerReader)
    assert "execution_start_time" in reader.lacks
    named = {**audit, "table": "backend_svc.public.completed_queries"}
    assert target_from_profile(_write(profile_dir, audit=named), ENV).audit.table == named["table"]  # type: ignore[union-attr]
    for bad, message in (
        ({**audit, "table": "x; DROP TABLE y"}, "audit.table: String should match pattern"),
        ({**audit, "flavour": "harness", "table": "t"}, "only flavour starburst-event-logger reads a table"),
        ({"flavour": "starburst-event-logger"}, "flavour starburst-event-logger needs dsn_env"),
    ):
        with pytest.raises(ProfileError, match=re.escape(message)):
            target_from_profile(_write(profile_dir, audit=bad), ENV)


def test_audit_database_certificate_must_be_verifiable(profile_dir):
    path = _write(profile_dir, audit={"flavour": "harness", "dsn_env": "AUDIT_DSN"})
    with pytest.raises(ProfileError, match=r"audit.sslrootcert: the harness verifies .*verify-full"):
        target_from_profile(path, ENV)


def test_what_the_profile_lacks_is_a_missing_capability_that_names_the_field(profile_dir):
    target = target_from_profile(_write(profile_dir, audit={"flavour": "none"}), ENV)
    for need, field in [
        (lambda: target.password("ldap", "bob"), "identities.passwords: {provider: ldap, login: 'bob'"),
        (lambda: target.client_cert("CN=dave"), "identities.client_certificates"),
        (target.jwt_key, "identities.jwt.private_key"),
        (target.client_ca, "identities.client_ca"),
        (target.plain_http_port, "coordinator.plain_http_port"),
        (target.coordinator_config, "coordinator.config_dir"),
        (target.version, "coordinator.expected_version"),
        (target.audit_database, "audit: {flavour: harness"),
        (target.request_log_source, "request_log: {file:"),
        (target.cluster_workers, "cluster.workers"),
        (target.internal_endpoints, "cluster.endpoints"),
    ]:
        with pytest.raises(MissingCapability) as err:
            need()
        assert field in str(err.value) and str(err.value).endswith("to the profile")


def test_rogue_worker_needs_the_reference_stack_even_with_a_cluster_section(profile_dir):
    cluster = {
        "workers": ["w1"],
        "endpoints": [{"role": "worker", "alias": "w1.example", "url": "https://w1.example:8443"}],
    }
    path = _write(profile_dir, audit={"flavour": "none"}, cluster=cluster)
    target = target_from_profile(path, ENV)
    assert target.cluster_workers() == ("w1",)
    endpoint = target.internal_endpoints()[0]
    assert endpoint.port == 8443 and endpoint.alias == "w1.example" and endpoint.plain_http_port is None
    with pytest.raises(MissingCapability) as err:
        target.rogue_worker_recipe()
    assert "reference stack" in str(err.value)


def test_written_profile_reads_back_as_the_same_target(profile_dir, tmp_path_factory):
    ca = CertificateAuthority.create("Writer CA")
    files = tmp_path_factory.mktemp("stack")
    (files / "ca.pem").write_bytes(ca.cert_pem)
    issued = ca.issue_client("CN=dave,OU=people,O=Trino Harness")
    (files / "dave.pem").write_bytes(issued.cert_pem)
    (files / "dave.key").write_bytes(issued.key_pem)
    original = Target(
        host="127.0.0.1",
        port=8443,
        ca_path=str(files / "ca.pem"),
        expected_version="476",
        scenario_path=str(DEFAULT_SCENARIO),
        passwords={"file:alice@harness.test": "pw-alice", "ldap:bob": "pw 'bob' $x"},
        client_certs={"CN=dave,OU=people,O=Trino Harness": _cert(files)},
        http_port=8080,
    )
    out = tmp_path_factory.mktemp("profile")
    profile, env_file = write_profile(original, out, name="roundtrip")
    assert "pw-alice" not in profile.read_text()
    assert env_file.stat().st_mode & 0o777 == 0o600
    assert (out / "certs" / "0.key").stat().st_mode & 0o777 == 0o600
    again = target_from_profile(profile, read_env_file(env_file))
    assert again.passwords == original.passwords
    assert again.url == original.url and again.http_port == 8080 and again.expected_version == "476"
    assert (
        Path(again.client_cert("CN=dave,OU=people,O=Trino Harness").key_path).read_bytes()
        == (files / "dave.key").read_bytes()
    )


def _cert(files: Path):
    from trino_harness.target import ClientCert

    return ClientCert(str(files / "dave.pem"), str(files / "dave.key"))


def test_example_profile_in_the_repository_is_valid():
    from trino_harness.profile.loader import load_profile

    example = load_profile(Path(__file__).resolve().parents[2] / "profiles" / "example.yaml")
    assert example.audit.flavour == "harness" and example.identities.passwords


def test_data_sources_and_the_credential_probe_round_trip_and_skip_naming_the_field(tmp_path_factory):
    from trino_harness.target import DataSourceMonitor

    files = tmp_path_factory.mktemp("stack-sources")
    (files / "ca.pem").write_bytes(CertificateAuthority.create("Sources CA").cert_pem)
    bare = Target("127.0.0.1", 8443, str(files / "ca.pem"), "476", str(DEFAULT_SCENARIO))
    with pytest.raises(MissingCapability, match="data_sources: "):
        bare.data_source_monitors()
    with pytest.raises(MissingCapability, match=r"coordinator\.probe_default_credentials: true"):
        bare.default_credential_probe()
    monitor = DataSourceMonitor(
        "127.0.0.1", 5432, "warehouse", "mon", "pw-mon", str(files / "ca.pem"),
        catalog="postgresql", catalog_user="trino_catalog", probe_table="public.tls_probe",
    )  # fmt: skip
    original = Target(
        "127.0.0.1", 8443, str(files / "ca.pem"), "476", str(DEFAULT_SCENARIO),
        data_sources=(monitor,), probe_default_credentials=True,
    )  # fmt: skip
    out = tmp_path_factory.mktemp("profile-sources")
    profile, env_file = write_profile(original, out, name="sources")
    assert "pw-mon" not in profile.read_text()
    again = target_from_profile(profile, read_env_file(env_file))
    (read,) = again.data_source_monitors()
    assert (
        read.password == "pw-mon"
        and read.probe_table == "public.tls_probe"
        and read.catalog_user == "trino_catalog"
    )
    again.default_credential_probe()  # opted in: no skip
