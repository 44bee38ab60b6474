"""Does every catalog that reaches an external system encrypt the connection and verify the server?

Static rules, per connector, over the coordinator's effective catalog files: the properties that
decide it, as Trino's connector documentation (trino.io/docs/current/connector/<name>.html) and
the JDBC drivers it names describe them. A catalog whose connector has no rule here cannot be
judged (it is named, never passed); one that reaches nothing outside Trino (tpch, memory, ...)
needs none. A finding names the file, the key and the fix, never a value that could be a secret.
Longer than the house's 300 lines: the bulk is the table of per-connector rules, one place to read
what each connector needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from trino_harness.config_lint import _local, _read
from trino_harness.render.overlay import parse_properties

# Connectors that hold or generate their data inside Trino: no connection to protect.
INTERNAL_CONNECTORS = frozenset({"tpch", "tpcds", "memory", "blackhole", "jmx", "system", "faker"})


@dataclass(frozen=True)
class Finding:
    file: str
    key: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key} {self.problem} (fix: {self.fix})"


@dataclass(frozen=True)
class Catalog:
    name: str  # the catalog name: the file name without .properties
    file: str  # relative to the config copy, e.g. catalog/postgresql.properties
    connector: str
    properties: dict[str, str]


def catalogs(config_dir: str | Path) -> list[Catalog]:
    """Every static catalog file of the config copy (``catalog.config-dir``, default etc/catalog)."""
    root = Path(config_dir)
    config = parse_properties(_read(root, root / "config.properties", "the coordinator"))
    directory = _local(root, config.get("catalog.config-dir", "etc/catalog"))
    found = []
    for path in sorted(directory.glob("*.properties")):
        props = parse_properties(path.read_text())
        found.append(Catalog(path.stem, str(path.relative_to(root)), props.get("connector.name", "?"), props))
    return found


# -- JDBC URLs ----------------------------------------------------------------------------------
def _url_params(url: str) -> dict[str, str]:
    """Driver parameters of a JDBC URL, keys lower-cased: ``?a=b&c=d`` and ``;a=b;c=d`` forms."""
    params: dict[str, str] = {}
    _, _, query = url.partition("?")
    for key, value in parse_qsl(query, keep_blank_values=True):
        params[key.lower()] = value
    for part in url.split(";")[1:]:
        key, sep, value = part.partition("=")
        if sep:
            params[key.strip().lower()] = value.strip()
    return params


def _jdbc(file: str, key: str, url: str) -> list[Finding]:
    """What the driver behind ``url`` needs to encrypt and verify the server's name."""
    params = _url_params(url)
    scheme = url.split(":")[1].lower() if url.lower().startswith("jdbc:") and ":" in url[5:] else "?"
    need = JDBC_RULES.get(scheme)
    if need is None:
        return [Finding(file, key, f"uses JDBC driver '{scheme}', which the harness has no rule for", "—")]
    return need(file, key, params, url)


def _pg_like(file: str, key: str, params: dict[str, str], url: str) -> list[Finding]:
    """PostgreSQL (pgJDBC) and Redshift: sslmode=verify-full encrypts and checks the host name."""
    fix = "add ssl=true&sslmode=verify-full&sslrootcert=<CA file> to the URL"
    mode = params.get("sslmode")
    found = []
    if params.get("ssl", "").lower() == "false" or mode == "disable":
        found.append(Finding(file, key, "turns TLS off (ssl=false or sslmode=disable): cleartext", fix))
    elif mode in ("require", "verify-ca"):
        found.append(Finding(file, key, f"has sslmode={mode}: the server's host name is not verified", fix))
    elif mode != "verify-full":
        found.append(
            Finding(file, key, f"has sslmode={mode or 'unset'}: may fall back to cleartext, unverified", fix)
        )
    if mode == "verify-full" and "sslrootcert" not in params:
        found.append(Finding(file, key, "has no sslrootcert: trust comes from ~/.postgresql/root.crt", fix))
    return found


def _mysql(file: str, key: str, params: dict[str, str], url: str) -> list[Finding]:
    """MySQL Connector/J: only sslMode=VERIFY_IDENTITY checks both the chain and the host name."""
    mode = params.get("sslmode", "").upper()
    if mode == "VERIFY_IDENTITY":
        return []
    return [
        Finding(
            file,
            key,
            f"has sslMode={mode or 'PREFERRED (the default)'}: the server's identity is not verified",
            "add sslMode=VERIFY_IDENTITY (and trustCertificateKeyStoreUrl=<truststore>) to the URL",
        )
    ]


def _mariadb(file: str, key: str, params: dict[str, str], url: str) -> list[Finding]:
    """MariaDB Connector/J 3: sslMode=verify-full."""
    mode = params.get("sslmode", "")
    if mode.lower() == "verify-full":
        return []
    return [
        Finding(
            file,
            key,
            f"has sslMode={mode or 'disable (the default)'}: not encrypted and verified",
            "add sslMode=verify-full (and serverSslCert=<CA file>) to the URL",
        )
    ]


def _sqlserver(file: str, key: str, params: dict[str, str], url: str) -> list[Finding]:
    """Microsoft JDBC: encrypt=true (the default since 10.2) or strict, and no trustServerCertificate."""
    found = []
    if params.get("encrypt", "true").lower() not in ("true", "strict", "mandatory"):
        found.append(
            Finding(file, key, f"has encrypt={params['encrypt']}: cleartext", "set encrypt=true (or strict)")
        )
    if params.get("trustservercertificate", "false").lower() == "true":
        found.append(
            Finding(
                file,
                key,
                "has trustServerCertificate=true: any certificate is accepted",
                "drop trustServerCertificate and give trustStore=<truststore>",
            )
        )
    return found


def _oracle(file: str, key: str, params: dict[str, str], url: str) -> list[Finding]:
    """Oracle thin driver: TCPS (TLS) instead of TCP, with the server's DN checked."""
    if "tcps" in url.lower():
        return []
    return [
        Finding(
            file,
            key,
            "uses TCP, not TCPS: Oracle Net traffic is cleartext",
            "connect with jdbc:oracle:thin:@tcps://host:2484/service and set "
            "oracle.net.ssl_server_dn_match=true",
        )
    ]


def _clickhouse(file: str, key: str, params: dict[str, str], url: str) -> list[Finding]:
    """ClickHouse JDBC: ssl=true with sslmode=strict (the default when ssl is on)."""
    found = []
    if params.get("ssl", "false").lower() != "true":
        found.append(Finding(file, key, "has no ssl=true: cleartext", "add ssl=true&sslmode=strict"))
    if params.get("sslmode", "strict").lower() != "strict":
        found.append(
            Finding(file, key, f"has sslmode={params['sslmode']}: not verified", "set sslmode=strict")
        )
    return found


JDBC_RULES: dict[str, Callable[[str, str, dict[str, str], str], list[Finding]]] = {
    "postgresql": _pg_like,
    "redshift": _pg_like,
    "mysql": _mysql,
    "mariadb": _mariadb,
    "singlestore": _mariadb,
    "sqlserver": _sqlserver,
    "oracle": _oracle,
    "clickhouse": _clickhouse,
}


# -- other connectors ---------------------------------------------------------------------------
def _flag(props: dict[str, str], file: str, key: str, want: str, why: str, fix: str) -> list[Finding]:
    value = props.get(key, "")
    if value.lower() == want:
        return []
    return [Finding(file, key, f"is {value or 'unset'}: {why}", fix)]


def _jdbc_catalog(c: Catalog) -> list[Finding]:
    url = c.properties.get("connection-url")
    if not url:
        return [Finding(c.file, "connection-url", "is missing", "give the JDBC URL")]
    return _jdbc(c.file, "connection-url", url)


def _search(prefix: str) -> Callable[[Catalog], list[Finding]]:
    """Elasticsearch and OpenSearch: <prefix>.tls.enabled, host names verified (the default)."""

    def rule(c: Catalog) -> list[Finding]:
        found = _flag(
            c.properties,
            c.file,
            f"{prefix}.tls.enabled",
            "true",
            "cleartext HTTP to the cluster",
            f"set {prefix}.tls.enabled=true and {prefix}.tls.truststore-path=<CA>",
        )
        if c.properties.get(f"{prefix}.tls.verify-hostnames", "true").lower() == "false":
            found.append(
                Finding(
                    c.file,
                    f"{prefix}.tls.verify-hostnames",
                    "is false: any host name is accepted",
                    "remove it (the default is true)",
                )
            )
        return found

    return rule


def _mongodb(c: Catalog) -> list[Finding]:
    url = c.properties.get("mongodb.connection-url", "")
    params = {k.lower(): v.lower() for k, v in parse_qsl(url.partition("?")[2])}
    found = []
    on = c.properties.get("mongodb.tls.enabled", "").lower() == "true" or "true" in (
        params.get("tls"),
        params.get("ssl"),
    )
    if not (on or url.startswith("mongodb+srv://")):  # +srv turns TLS on by default
        found.append(
            Finding(c.file, "mongodb.tls.enabled", "is not true: cleartext", "set mongodb.tls.enabled=true")
        )
    for insecure in ("tlsinsecure", "tlsallowinvalidhostnames", "tlsallowinvalidcertificates"):
        if params.get(insecure) == "true":
            found.append(
                Finding(c.file, "mongodb.connection-url", f"has {insecure}=true", f"drop {insecure}")
            )
    return found


def _kafka(c: Catalog) -> list[Finding]:
    protocol = c.properties.get("kafka.security-protocol", "PLAINTEXT").upper()
    found = []
    if protocol not in ("SSL", "SASL_SSL"):
        found.append(
            Finding(
                c.file,
                "kafka.security-protocol",
                f"is {protocol}: cleartext to the brokers",
                "set kafka.security-protocol=SSL (or SASL_SSL) and kafka.ssl.truststore.location",
            )
        )
    algorithm = c.properties.get("kafka.ssl.endpoint-identification-algorithm", "https").lower()
    if algorithm != "https":
        found.append(
            Finding(
                c.file,
                "kafka.ssl.endpoint-identification-algorithm",
                f"is {algorithm or 'empty'}: broker host names are not verified",
                "remove it (the default is https)",
            )
        )
    return found


def _cassandra(c: Catalog) -> list[Finding]:
    return _flag(
        c.properties,
        c.file,
        "cassandra.tls.enabled",
        "true",
        "cleartext to the cluster",
        "set cassandra.tls.enabled=true and cassandra.tls.truststore-path=<CA>",
    )


def _https_uri(key: str) -> Callable[[Catalog], list[Finding]]:
    def rule(c: Catalog) -> list[Finding]:
        value = c.properties.get(key, "")
        if value.lower().startswith("https://"):
            return []
        return [Finding(c.file, key, f"is not https:// ({value or 'unset'})", f"set {key}=https://…")]

    return rule


def _lakehouse(c: Catalog) -> list[Finding]:
    """Hive, Iceberg, Delta Lake, Hudi: the metastore (Thrift, REST, JDBC) and an S3 endpoint."""
    p, found = c.properties, []
    metastore = p.get("hive.metastore", p.get("iceberg.catalog.type", "thrift")).lower()
    if metastore in ("thrift", "hive_metastore") and p.get("hive.metastore.uri"):
        found += _flag(
            p,
            c.file,
            "hive.metastore.thrift.client.ssl.enabled",
            "true",
            "Thrift to the metastore is cleartext",
            "set hive.metastore.thrift.client.ssl.enabled=true and its ssl.trust-certificate",
        )
    for key in ("iceberg.rest-catalog.uri", "iceberg.nessie-catalog.uri", "s3.endpoint", "hive.s3.endpoint"):
        if p.get(key) and not p[key].lower().startswith("https://"):
            found.append(Finding(c.file, key, "is not https://: cleartext", f"use an https:// {key}"))
    if p.get("iceberg.jdbc-catalog.connection-url"):
        found += _jdbc(
            c.file, "iceberg.jdbc-catalog.connection-url", p["iceberg.jdbc-catalog.connection-url"]
        )
    return found


JDBC_CONNECTORS = (
    "postgresql",
    "redshift",
    "mysql",
    "mariadb",
    "singlestore",
    "sqlserver",
    "oracle",
    "clickhouse",
)
RULES: dict[str, Callable[[Catalog], list[Finding]]] = {
    **dict.fromkeys(JDBC_CONNECTORS, _jdbc_catalog),
    "elasticsearch": _search("elasticsearch"),
    "opensearch": _search("opensearch"),
    "mongodb": _mongodb,
    "kafka": _kafka,
    "cassandra": _cassandra,
    "prometheus": _https_uri("prometheus.uri"),
    **dict.fromkeys(("hive", "iceberg", "delta_lake", "hudi"), _lakehouse),
}


def _druid(c: Catalog) -> list[Finding]:
    url = c.properties.get("connection-url", "")
    if re.match(r"(?i)jdbc:avatica:remote:url=https://", url):
        return []
    return [Finding(c.file, "connection-url", "is not an https:// Avatica URL", "use url=https://…")]


RULES["druid"] = _druid


@dataclass(frozen=True)
class Verdict:
    judged: list[Catalog]  # catalogs with a rule
    internal: list[Catalog]  # need none
    unknown: list[Catalog]  # no rule: cannot judge
    findings: list[Finding]


def data_source_findings(config_dir: str | Path) -> Verdict:
    judged, internal, unknown, findings = [], [], [], []
    for catalog in catalogs(config_dir):
        if catalog.connector in INTERNAL_CONNECTORS:
            internal.append(catalog)
        elif catalog.connector in RULES:
            judged.append(catalog)
            findings += RULES[catalog.connector](catalog)
        else:
            unknown.append(catalog)
    return Verdict(judged, internal, unknown, findings)
