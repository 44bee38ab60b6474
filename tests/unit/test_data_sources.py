"""Per-connector data-source TLS rules: a finding names file, key and fix; internal connectors
need none; a connector without a rule is named (cannot judge), never passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from trino_harness.data_sources import data_source_findings
from trino_harness.render.materials import RunMaterials
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.scenario.loader import load_scenario


def _config(tmp_path: Path, catalogs: dict[str, str]) -> Path:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "config.properties").write_text("coordinator=true\n")
    for name, text in catalogs.items():
        (tmp_path / "catalog" / f"{name}.properties").write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("properties", "problem"),
    [
        ("connector.name=postgresql\nconnection-url=jdbc:postgresql://db:5432/w?ssl=true&sslmode=require\n",
         "connection-url has sslmode=require"),
        ("connector.name=postgresql\nconnection-url=jdbc:postgresql://db:5432/w\n", "sslmode=unset"),
        ("connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w?sslmode=verify-full\n",
         "no sslrootcert"),
        ("connector.name=mysql\nconnection-url=jdbc:mysql://db:3306?sslMode=REQUIRED\n", "sslMode=REQUIRED"),
        ("connector.name=sqlserver\nconnection-url=jdbc:sqlserver://db:1433;trustServerCertificate=true\n",
         "trustServerCertificate=true"),
        ("connector.name=oracle\nconnection-url=jdbc:oracle:thin:@db:1521/ORCL\n", "not TCPS"),
        ("connector.name=elasticsearch\nelasticsearch.host=es\n", "elasticsearch.tls.enabled is unset"),
        ("connector.name=kafka\nkafka.nodes=k:9092\n", "kafka.security-protocol is PLAINTEXT"),
        ("connector.name=hive\nhive.metastore.uri=thrift://hms:9083\n",
         "hive.metastore.thrift.client.ssl.enabled is unset"),
        ("connector.name=iceberg\niceberg.catalog.type=rest\niceberg.rest-catalog.uri=http://rest:8181\n",
         "iceberg.rest-catalog.uri is not https://"),
    ],
    ids=["pg-require", "pg-no-sslmode", "pg-no-root", "mysql-required", "mssql-trust", "oracle-tcp",
         "es-plain", "kafka-plain", "hive-thrift", "iceberg-rest-http"],
)  # fmt: skip
def test_unverified_or_cleartext_catalog_is_a_finding_naming_file_and_key(tmp_path, properties, problem):
    verdict = data_source_findings(_config(tmp_path, {"src": properties}))
    assert any(
        problem in str(f) and str(f).startswith("catalog/src.properties: ") for f in verdict.findings
    ), [str(f) for f in verdict.findings]
    assert all(f.fix for f in verdict.findings)


def test_verified_catalogs_pass_internal_need_no_rule_and_unknown_are_named(tmp_path):
    verdict = data_source_findings(
        _config(
            tmp_path,
            {
                "pg": "connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w?ssl=true"
                "&sslmode=verify-full&sslrootcert=/etc/ca.pem\n",
                "my": "connector.name=mysql\nconnection-url=jdbc:mysql://db:3306?sslMode=VERIFY_IDENTITY\n",
                "tpch": "connector.name=tpch\n",
                "weird": "connector.name=somethingnew\n",
            },
        )
    )
    assert verdict.findings == []
    assert [c.name for c in verdict.judged] == ["my", "pg"]
    assert [c.name for c in verdict.internal] == ["tpch"]
    assert [c.name for c in verdict.unknown] == ["weird"]


def test_reference_stack_catalogs_pass_the_rules(tmp_path):
    scenario = load_scenario()
    render_trino_etc(scenario, RunMaterials.generate(scenario)).write_to(tmp_path)
    verdict = data_source_findings(tmp_path)
    assert verdict.findings == [] and verdict.unknown == [] and verdict.judged
