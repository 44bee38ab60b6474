"""The static lints read the effective config the way the server does and never echo a hash."""

from __future__ import annotations

import hashlib

import bcrypt
import pytest

from tests.unit.config_copies import write_copy
from trino_harness.config_lint import (
    ldap_transport_findings,
    lint_password_entries,
    lint_password_files,
    literal_secret_findings,
)
from trino_harness.evidence import CannotJudge
from trino_harness.render.materials import RunMaterials
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.scenario.loader import load_scenario


def _bcrypt(cost: int) -> str:
    return "$2y$" + bcrypt.hashpw(b"pw", bcrypt.gensalt(cost)).decode()[4:]


def test_weak_and_unknown_hashes_are_flagged_without_printing_them():
    pbkdf2 = f"1000:{'ab' * 16}:{hashlib.pbkdf2_hmac('sha1', b'pw', b'salt', 1000).hex()}"
    text = f"strong:{_bcrypt(10)}\nweak:{_bcrypt(8)}\nold:{pbkdf2}\nplain:hunter2\n# comment\n"
    findings = lint_password_entries("password.db", text, 10, 1_300_000)
    # '# comment' is no comment to Trino's PasswordStore (blank lines only are skipped): a malformed line
    assert [(f.user, f.line) for f in findings] == [("weak", 2), ("old", 3), ("plain", 4), ("?", 5)]
    assert "bcrypt cost 8 < 10" in str(findings[0])
    assert "PBKDF2 with 1000 iterations" in str(findings[1])
    assert "neither bcrypt nor PBKDF2" in str(findings[2])
    assert "hunter2" not in " ".join(str(f) for f in findings)


def test_password_files_and_ldap_urls_are_found_through_config_files(tmp_path):
    (tmp_path / "config.properties").write_text(
        "password-authenticator.config-files=/etc/trino/pw.properties,/etc/trino/ldap.properties\n"
    )
    (tmp_path / "pw.properties").write_text(
        "password-authenticator.name=file\nfile.password-file=/etc/trino/pw.db\n"
    )
    (tmp_path / "pw.db").write_text(f"alice:{_bcrypt(8)}\n")
    (tmp_path / "ldap.properties").write_text(
        "password-authenticator.name=ldap\nldap.url=ldap://ldap:389\nldap.allow-insecure=true\n"
    )
    files, findings = lint_password_files(tmp_path, 10, 1_300_000)
    assert files == ["pw.db"] and len(findings) == 1
    urls, problems = ldap_transport_findings(tmp_path)
    assert urls == ["ldap.properties: ldap://ldap:389"]
    assert problems == [
        "ldap.properties: ldap.url=ldap://ldap:389 is not ldaps://",
        "ldap.properties: ldap.allow-insecure=true",
    ]


def test_the_ldap_group_providers_transport_is_judged_like_an_authenticators(tmp_path):
    (tmp_path / "config.properties").write_text("password-authenticator.config-files=\n")
    group_provider = tmp_path / "group-provider.properties"
    group_provider.write_text("group-provider.name=file\nfile.group-file=/etc/trino/group.txt\n")
    assert ldap_transport_findings(tmp_path) == ([], [])  # the file provider makes no LDAP connection
    group_provider.write_text("group-provider.name=ldap\nldap.url=ldaps://ldap:636\n")
    assert ldap_transport_findings(tmp_path) == (["group-provider.properties: ldaps://ldap:636"], [])
    group_provider.write_text(
        "group-provider.name=ldap\nldap.url=ldap://ldap:389\nldap.allow-insecure=true\n"
    )
    _, problems = ldap_transport_findings(tmp_path)
    assert problems == [
        "group-provider.properties: ldap.url=ldap://ldap:389 is not ldaps://",
        "group-provider.properties: ldap.allow-insecure=true",
    ]


# -- literal secrets: a rule over key names, URLs and headers, in every form Java reads -----------
def _secret_copy(tmp_path, rel: str, text: str):
    files = {"config.properties": "coordinator=true\n", "catalog/tpch.properties": "connector.name=tpch\n"}
    return write_copy(tmp_path, {**files, rel: text})


@pytest.mark.parametrize(
    ("rel", "text", "key"),
    [
        ("catalog/s3.properties", "connector.name=hive\ns3.aws-secret-key=wJalrXUtnFEMIK7MDENG\n",
         "s3.aws-secret-key"),
        ("catalog/glue.properties", "hive.metastore.glue.aws-secret-key=wJalrXUtnFEMIK7MDENG\n",
         "hive.metastore.glue.aws-secret-key"),
        ("catalog/gcs.properties", 'gcs.json-key={"type": "service_account", "private_key": "k"}\n',
         "gcs.json-key"),
        ("catalog/adls.properties", "azure.access-key=c2VjcmV0LXN0b3JhZ2Uta2V5\n", "azure.access-key"),
        ("catalog/rest.properties", "iceberg.rest-catalog.oauth2.credential=client:s3cretvalue\n",
         "iceberg.rest-catalog.oauth2.credential"),
        ("http-event-listener.properties",
         "http-event-listener.connect-http-headers=Authorization: Bearer s3cretvalue, X-Env: prod\n",
         "http-event-listener.connect-http-headers"),
        ("catalog/pg.properties", "connection-url=jdbc:postgresql://db/w?user=trino&password=s3cretvalue\n",
         "connection-url"),
        ("catalog/ms.properties", "connection-url=jdbc:sqlserver://db:1433;user=sa;password=s3cretvalue\n",
         "connection-url"),
        ("catalog/ora.properties", "connection-url=jdbc:oracle:thin:scott/s3cretvalue@//db:1521/svc\n",
         "connection-url"),
        ("catalog/mongo.properties", "mongodb.connection-url=mongodb://app:s3cretvalue@mongo:27017/\n",
         "mongodb.connection-url"),
        ("jvm.config", "-server\n-Djavax.net.ssl.keyStorePassword=s3cretvalue\n",
         "javax.net.ssl.keyStorePassword"),
        ("jvm.config", "-Dcom.corp.vault.password=s3cretvalue\n", "com.corp.vault.password"),
        ("catalog/pg.properties", "connection-password: s3cretvalue\n", "connection-password"),
        ("catalog/pg.properties", "connection-password s3cretvalue\n", "connection-password"),
        ("catalog/kafka.properties", "kafka.ssl.keystore.password=\\\n    s3cretvalue\n",
         "kafka.ssl.keystore.password"),
        ("kafka-client.properties",
         'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required '
         'username="trino" password="s3cretvalue";\n', "sasl.jaas.config"),
    ],
    ids=["s3", "glue", "gcs", "azure", "iceberg-oauth2", "http-header", "pg-url", "mssql-url", "oracle-url",
         "mongo-userinfo", "jvm-camel-case", "jvm-dotted", "colon-separator", "space-separator",
         "continuation", "jaas"],
)  # fmt: skip
def test_a_literal_secret_is_found_in_every_place_trino_reads_one(tmp_path, rel, text, key):
    _, findings = literal_secret_findings(_secret_copy(tmp_path, rel, text))
    assert [f for f in findings if f.startswith(f"{rel}: {key} ")], findings
    assert "s3cretvalue" not in " ".join(findings) and "wJalr" not in " ".join(findings)


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("catalog/s3.properties", "s3.aws-secret-key=${ENV:S3_SECRET}\n"),
        ("catalog/pg.properties", "connection-url=jdbc:postgresql://db/w?user=t&password=${ENV:PG_PW}\n"),
        ("catalog/pg.properties", "connection-password=${FILE:/run/secrets/pg}\n"),
        ("http-event-listener.properties",
         "http-event-listener.connect-http-headers=Authorization: Bearer ${ENV:AUDIT_TOKEN}, X-Env: prod\n"),
        ("config.properties", "http-server.https.keystore.path=/etc/trino/tls/server.pem\n"
         "hive.metastore.thrift.client.ssl.key=/etc/trino/tls/client.pem\ns3.sse.kms-key-id=alias/x\n"),
    ],
    ids=["env", "url-env", "file", "header-env", "not-secrets"],
)  # fmt: skip
def test_a_reference_or_a_non_secret_is_no_finding(tmp_path, rel, text):
    root = _secret_copy(tmp_path, rel, text)
    if rel == "config.properties":
        (root / rel).write_text("coordinator=true\n" + text)
    assert literal_secret_findings(root)[1] == []


def test_the_literal_secret_lint_says_what_it_read_and_reads_the_reference_stack_clean(tmp_path):
    scenario = load_scenario()
    render_trino_etc(scenario, RunMaterials.generate(scenario)).write_to(tmp_path)
    read, findings = literal_secret_findings(tmp_path)
    assert findings == []
    assert "config.properties" in read.files and "jvm.config" in read.files
    assert "internal-communication.shared-secret" in read.items  # the keys it judged, named


def test_ldap_urls_are_shown_without_credentials_or_query_values(tmp_path):
    write_copy(tmp_path, {
        "config.properties": "password-authenticator.config-files=/etc/trino/ldap.properties\n",
        "ldap.properties": "password-authenticator.name=ldap\n"
        "ldap.url=ldap://cn=admin:s3cretvalue@ldap:389/?token=t0kenvalue\n",
    })  # fmt: skip
    urls, problems = ldap_transport_findings(tmp_path)
    shown = " ".join(urls + problems)
    assert "s3cretvalue" not in shown and "t0kenvalue" not in shown
    assert "ldap:389" in shown and "token=" in shown


def test_a_copy_whose_catalogs_cannot_be_read_is_no_evidence_of_a_clean_config(tmp_path):
    """The catalogs hold most secrets: no catalog directory, or dynamic catalogs, cannot be judged."""
    write_copy(tmp_path, {"config.properties": "coordinator=true\n"})
    with pytest.raises(CannotJudge, match="catalog"):
        literal_secret_findings(tmp_path)
    write_copy(
        tmp_path, {"config.properties": "catalog.management=dynamic\n", "catalog/t.properties": "a=b\n"}
    )
    with pytest.raises(CannotJudge, match="dynamic"):
        literal_secret_findings(tmp_path)


def test_a_kafka_client_file_named_by_config_resources_is_read_for_secrets_or_cannot_be_judged(tmp_path):
    listener = "event-listener.name=kafka\nkafka-event-listener.config.resources=/opt/kafka/client.conf\n"
    root = _secret_copy(tmp_path, "kafka-event-listener.properties", listener)
    with pytest.raises(CannotJudge, match=r"client\.conf"):
        literal_secret_findings(root)
    write_copy(root, {"opt/kafka/client.conf": 'sasl.jaas.config=x required password="s3cretvalue";\n'})
    read, findings = literal_secret_findings(root)
    assert "opt/kafka/client.conf" in read.files
    assert findings == [
        "opt/kafka/client.conf: sasl.jaas.config holds a literal password parameter (11 characters)"
    ]


def test_a_value_that_is_a_reference_only_in_part_is_still_a_literal_secret(tmp_path):
    _, findings = literal_secret_findings(
        _secret_copy(tmp_path, "catalog/pg.properties", "connection-password=hunter2${ENV:SUFFIX}\n")
    )
    assert [f for f in findings if "connection-password" in f], findings


def test_a_file_named_by_config_files_is_read_whatever_its_name(tmp_path):
    root = _secret_copy(tmp_path, "catalog/t.properties", "connector.name=tpch\n")
    (root / "config.properties").write_text("password-authenticator.config-files=/etc/trino/ldap.cfg\n")
    (root / "ldap.cfg").write_text("password-authenticator.name=ldap\nldap.bind-password=s3cretvalue\n")
    read, findings = literal_secret_findings(root)
    assert "ldap.cfg" in read.files and [f for f in findings if f.startswith("ldap.cfg: ldap.bind-password")]


def test_an_empty_catalog_directory_is_no_evidence_of_a_clean_config(tmp_path):
    write_copy(tmp_path, {"config.properties": "coordinator=true\n"})
    (tmp_path / "catalog").mkdir()
    with pytest.raises(CannotJudge, match="no catalog file"):
        literal_secret_findings(tmp_path)


def test_every_url_of_a_space_separated_ldap_url_list_must_be_ldaps(tmp_path):
    write_copy(tmp_path, {
        "config.properties": "password-authenticator.config-files=/etc/trino/ldap.properties\n",
        "ldap.properties": "password-authenticator.name=ldap\nldap.url=ldaps://a:636 ldap://b:389\n",
    })  # fmt: skip
    _, problems = ldap_transport_findings(tmp_path)
    assert any("ldap://b:389" in p and "not ldaps" in p for p in problems), problems
