"""Per-connector data-source TLS rules: a finding names file, key and fix; internal connectors
need none; a connector without a rule is named (cannot judge), never passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.config_copies import run_check
from trino_harness.data_sources import data_source_findings
from trino_harness.evidence import CannotJudge
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


# -- the drivers' own reading: case-sensitive pgJDBC keys, factories, TCPS, +srv with tls=false -----
@pytest.mark.parametrize(
    ("properties", "problem"),
    [
        ("connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w?sslMode=verify-full"
         "&sslRootCert=/etc/trino/ca.pem\n", "sslmode=unset"),
        ("connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w?sslmode=verify-full"
         "&sslrootcert=/ca.pem&sslfactory=org.postgresql.ssl.NonValidatingFactory\n", "sslfactory"),
        ("connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w?sslmode=verify-full"
         "&sslrootcert=/ca.pem&sslhostnameverifier=com.corp.AllowAll\n", "sslhostnameverifier"),
        ("connector.name=oracle\nconnection-url=jdbc:oracle:thin:@//tcps-db.corp:1521/svc\n", "not TCPS"),
        ("connector.name=oracle\nconnection-url=jdbc:oracle:thin:@tcps://db:2484/svc\n",
         "ssl_server_dn_match"),
        ("connector.name=oracle\nconnection-url=jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)"
         "(HOST=tcps-db)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=tcps)))\n", "not TCPS"),
        ("connector.name=mongodb\nmongodb.connection-url=mongodb+srv://cluster.corp/?tls=false\n",
         "cleartext"),
        ("connector.name=mongodb\nmongodb.connection-url=mongodb+srv://cluster.corp/?SSL=FALSE\n",
         "cleartext"),
        ("connector.name=mysql\nconnection-url=jdbc:mysql://db:3306?sslMode=DISABLED&x=1;sslMode=VERIFY_IDENTITY\n",
         "sslMode=DISABLED"),
        ("connector.name=sqlserver\nconnection-url=jdbc:sqlserver://db:1433;trustServerCertificate={true}\n",
         "trustServerCertificate=true"),
        ("connector.name=sqlserver\nconnection-url=jdbc:sqlserver://db:1433;trustManagerClass=com.x.TrustAll\n",
         "trustManagerClass"),
        ("connector.name=oracle\nconnection-url=jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS="
         "(PROTOCOL=TCPS)(HOST=a)(PORT=2484))(ADDRESS=(HOST=b)(PORT=1521)))(SECURITY=(SSL_SERVER_DN_MATCH=TRUE)))\n",
         "not TCPS"),
        ("connector.name=redshift\nconnection-url=jdbc:redshift://rs.corp:5439/dev?ssl=true\n", "verify-ca"),
        ("connector.name=mongodb\nmongodb.connection-url=mongodb://m/?tls=true&x=1;tlsAllowInvalidCertificates=true\n",
         "tlsallowinvalidcertificates"),
    ],
    ids=["pg-key-case", "pg-non-validating-factory", "pg-hostname-verifier", "oracle-tcps-in-host",
         "oracle-no-dn-match", "oracle-descriptor-tcp", "mongo-srv-tls-false", "mongo-srv-ssl-false",
         "mysql-semicolon-is-no-separator", "mssql-braced-value", "mssql-trust-manager",
         "oracle-address-without-protocol", "redshift-default-verify-ca", "mongo-semicolon-separator"],
)  # fmt: skip
def test_a_catalog_the_driver_would_not_verify_is_a_finding(tmp_path, properties, problem):
    verdict = data_source_findings(_config(tmp_path, {"src": properties}))
    assert any(problem in str(f) for f in verdict.findings), [str(f) for f in verdict.findings]


@pytest.mark.parametrize(
    "properties",
    [
        "connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w?ssl=true&sslrootcert=/ca.pem\n",
        "connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w?sslmode=VERIFY-FULL"
        "&sslrootcert=/ca.pem&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory\n",
        "connector.name=oracle\nconnection-url=jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)"
        "(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=svc))(SECURITY=(SSL_SERVER_DN_MATCH=TRUE)))\n",
        "connector.name=oracle\nconnection-url=jdbc:oracle:thin:@tcps://db:2484/svc?ssl_server_dn_match=on\n",
        "connector.name=mongodb\nmongodb.connection-url=mongodb+srv://cluster.corp/\n",
    ],
    ids=["pg-ssl-true-is-verify-full", "pg-java-factory", "oracle-descriptor", "oracle-ezconnect",
         "mongo-srv"],
)  # fmt: skip
def test_a_catalog_the_driver_verifies_is_no_finding(tmp_path, properties):
    assert data_source_findings(_config(tmp_path, {"src": properties})).findings == []


def test_the_oracle_dn_match_may_come_from_the_jvms_system_properties(tmp_path):
    root = _config(
        tmp_path, {"ora": "connector.name=oracle\nconnection-url=jdbc:oracle:thin:@tcps://db:2484/s\n"}
    )
    assert data_source_findings(root).findings
    (root / "jvm.config").write_text("-server\n-Doracle.net.ssl_server_dn_match=true\n")
    assert data_source_findings(root).findings == []


# -- what the lint could not read is an ERROR, never "no external catalog" -------------------------
def _only_config(tmp_path: Path, config: str) -> Path:
    (tmp_path / "config.properties").write_text(config)
    return tmp_path


def test_a_copy_without_its_catalog_directory_cannot_be_judged(tmp_path):
    with pytest.raises(CannotJudge, match="catalog"):
        data_source_findings(_only_config(tmp_path, "coordinator=true\n"))


def test_dynamic_catalogs_cannot_be_judged_from_a_copy(tmp_path):
    root = _config(tmp_path, {"tpch": "connector.name=tpch\n"})
    (root / "config.properties").write_text("catalog.management=dynamic\n")
    with pytest.raises(CannotJudge, match=r"catalog\.management=dynamic"):
        data_source_findings(root)


def test_an_absolute_catalog_dir_is_read_inside_the_copy_and_never_on_the_harness_host(tmp_path):
    host = tmp_path / "host" / "catalog"  # a directory on the harness host, outside the copy
    host.mkdir(parents=True)
    (host / "safe.properties").write_text("connector.name=tpch\n")
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "config.properties").write_text(f"catalog.config-dir={host}\n")
    with pytest.raises(CannotJudge, match=str(host)):
        data_source_findings(copy)
    (copy / "config.properties").write_text("catalog.config-dir=etc/../../host/catalog\n")
    with pytest.raises(CannotJudge):
        data_source_findings(copy)
    (copy / "config.properties").write_text("catalog.config-dir=/etc/trino/cats\n")
    (copy / "cats").mkdir()
    (copy / "cats" / "pg.properties").write_text(
        "connector.name=postgresql\nconnection-url=jdbc:postgresql://db/w\n"
    )
    verdict = data_source_findings(copy)
    assert [c.file for c in verdict.judged] == ["cats/pg.properties"] and verdict.findings


def test_an_empty_catalog_directory_cannot_be_judged(tmp_path):
    with pytest.raises(CannotJudge, match="no catalog"):
        data_source_findings(_config(tmp_path, {}))


def test_a_finding_never_shows_a_value_that_may_be_a_secret(tmp_path):
    verdict = data_source_findings(
        _config(
            tmp_path,
            {
                "prom": "connector.name=prometheus\nprometheus.uri=http://u:pw5ecret@prom:9090/?token=t0kenvalue\n"
            },
        )
    )
    shown = " ".join(map(str, verdict.findings))
    assert verdict.findings and "t0kenvalue" not in shown and "pw5ecret" not in shown
    assert "prom:9090" in shown and "token=" in shown


# -- the live check: the monitor's own session is not the catalog's; NULL ssl is not cleartext -----
class _Rows:
    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple:
        return self.rows[0]


class _Monitor:
    """A monitor connection whose backend is pid 111, seeing ``sessions`` of the catalog user."""

    def __init__(self, sessions: list[tuple]) -> None:
        self.sessions = sessions

    def __enter__(self) -> _Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute(self, sql: str, params: tuple = ()) -> _Rows:
        if "pg_stat_ssl" in sql:
            return _Rows(self.sessions)
        if "pg_backend_pid()" in sql:
            return _Rows([(111,)])
        raise AssertionError(sql)


def _live(monkeypatch, sessions: list[tuple]):
    import suites.test_data_sources as live
    from trino_harness.protocol import Answer
    from trino_harness.target import DataSourceMonitor

    monitor = DataSourceMonitor("db", 5432, "w", "trino", "pw", "/ca.pem", "pg", "trino", "public.tls_probe")
    monkeypatch.setattr(live, "connect_verified", lambda login, **kw: _Monitor(sessions))
    monkeypatch.setattr(live, "submit", lambda *a, **kw: Answer(status=200, rows=[[1]]))
    monkeypatch.setattr(live, "PROBE_WINDOW_S", 0.5)

    class Target:
        def data_source_monitors(self):
            return (monitor,)

        def password(self, provider, principal):
            return "pw"

    return run_check(live.test_catalog_sessions_are_encrypted_at_the_source, Target(), load_scenario())


def test_the_monitors_own_verified_session_is_not_counted_as_the_catalogs(monkeypatch):
    outcome = _live(monkeypatch, [(111, True, "TLSv1.3")])  # only the monitor itself was seen
    assert outcome.status == "ERROR", outcome
    assert _live(monkeypatch, [(111, True, "TLSv1.3"), (222, False, None)]).status == "FAIL"
    assert _live(monkeypatch, [(111, True, "TLSv1.3"), (222, True, "TLSv1.3")]).status == "PASS"


def test_a_null_ssl_column_is_a_monitor_without_pg_read_all_stats_not_a_cleartext_catalog(monkeypatch):
    outcome = _live(monkeypatch, [(222, None, None)])
    assert outcome.status == "ERROR" and "pg_read_all_stats" in outcome.text, outcome


@pytest.mark.parametrize(
    "url",
    [
        "jdbc:mysql://(host=db,sslMode=DISABLED)/?sslMode=VERIFY_IDENTITY",
        "jdbc:postgresql://db/w?sslmode=verify-full&sslrootcert=/ca.pem&${ENV:EXTRA}",
    ],
    ids=["mysql-host-block", "pg-injected-parameters"],
)
def test_a_url_whose_options_are_set_elsewhere_cannot_be_judged(tmp_path, url):
    connector = url.split(":")[1]
    verdict = data_source_findings(
        _config(tmp_path, {"src": f"connector.name={connector}\nconnection-url={url}\n"})
    )
    assert verdict.findings == [] and verdict.unjudgeable, verdict
