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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from trino_harness.config_lint import _jvm_properties, catalog_directory
from trino_harness.config_values import is_reference, shown_url
from trino_harness.evidence import Read, cannot_judge
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
    system: Mapping[str, str] = field(default_factory=dict)  # the JVM's -D properties (jvm.config)


class Unjudgeable(Exception):
    """A rule cannot read what decides (a URL given as ${ENV:...}, a TNS alias): cannot judge."""


def catalogs(config_dir: str | Path) -> list[Catalog]:
    """Every static catalog file of the config copy (``catalog.config-dir``, default etc/catalog),
    read inside the copy; a copy whose catalogs cannot be read raises ``CannotJudge``."""
    root = Path(config_dir)
    directory = catalog_directory(root)
    jvm = root / "jvm.config"
    system = _jvm_properties(jvm.read_text(encoding="utf-8")) if jvm.is_file() else {}
    found = []
    for path in sorted(directory.glob("*.properties")):
        props = parse_properties(path.read_text(encoding="utf-8"))
        rel = path.relative_to(root).as_posix()
        found.append(Catalog(path.stem, rel, props.get("connector.name", "?"), props, system))
    if not found:
        cannot_judge(f"no catalog file (*.properties) in {directory.relative_to(root)} of the copy {root}")
    return found


# -- JDBC URLs ----------------------------------------------------------------------------------
def _url_params(url: str, style: str = "query") -> dict[str, str]:
    """Driver parameters of a JDBC URL, keys lower-cased (for the drivers that read them so), split
    the way the driver splits them: ``query`` (pgJDBC, Connector/J, MariaDB, ClickHouse: ``?a=b&c=d``
    only, so a ``;x=y`` stays inside a value) or ``semicolon`` (SQL Server: ``;a=b;c=d``, values in
    ``{…}`` unbraced). A MySQL host block ``(host=…,key=value)`` can set what the URL's own
    parameters say otherwise, and so can a reference in a parameter's name: :class:`Unjudgeable`."""
    params: dict[str, str] = {}
    if style == "semicolon":
        for part in url.split(";")[1:]:
            key, sep, value = part.partition("=")
            if sep:
                params[key.strip().lower()] = value.strip().removeprefix("{").removesuffix("}")
        return _no_injected_keys(params, url)
    head, _, query = url.partition("?")
    if re.search(r"\([^)]*=", head):
        raise Unjudgeable(f"the URL sets properties per host ({shown_url(url)}): they override its own")
    for key, value in parse_qsl(query, keep_blank_values=True):
        params[key.lower()] = value
    return _no_injected_keys(params, url)


def _no_injected_keys(params: dict[str, str], url: str) -> dict[str, str]:
    """A reference where a parameter's name goes (``…&${ENV:EXTRA}``) may add any option at start-up."""
    if any("${" in key for key in params):
        raise Unjudgeable(
            f"the URL takes parameters from a reference ({shown_url(url)}), resolved only in Trino"
        )
    return params


def _jdbc(file: str, key: str, url: str, system: Mapping[str, str] | None = None) -> list[Finding]:
    """What the driver behind ``url`` needs to encrypt and verify the server's name."""
    if is_reference(url):
        raise Unjudgeable(f"{file}: {key} is {url.strip()}, resolved only inside Trino")
    scheme = url.split(":")[1].lower() if url.lower().startswith("jdbc:") and ":" in url[5:] else "?"
    need = JDBC_RULES.get(scheme)
    if need is None:
        return [Finding(file, key, f"uses JDBC driver '{scheme}', which the harness has no rule for", "—")]
    return need(file, key, url, system or {})


# pgJDBC's own factories that check the server's certificate (LibPQFactory: sslrootcert, the
# default; DefaultJavaSSLFactory: the JVM's truststore). Any other replaces the check.
PG_VALIDATING_FACTORIES = frozenset(
    {
        "org.postgresql.ssl.LibPQFactory",
        "org.postgresql.ssl.jdbc4.LibPQFactory",
        "org.postgresql.ssl.DefaultJavaSSLFactory",
    }
)
PG_SSL_KEYS = ("ssl", "sslmode", "sslrootcert", "sslfactory", "sslhostnameverifier")


def _pg_mode(params: Mapping[str, str]) -> str:
    """The sslmode pgJDBC uses (``SslMode.of``): sslmode when given; else ``ssl=true`` (or a bare
    ``ssl``) means verify-full, and nothing means prefer."""
    mode = params.get("sslmode")
    if mode is None:
        ssl = params.get("ssl")
        return "verify-full" if ssl is not None and ssl.lower() in ("", "true") else "prefer"
    return mode.lower()


def _pg_like(file: str, key: str, params: Mapping[str, str], url: str) -> list[Finding]:
    """PostgreSQL (pgJDBC) and Redshift: sslmode=verify-full encrypts and checks the host name,
    with the driver's own certificate and host name checks in place."""
    fix = "add sslmode=verify-full&sslrootcert=<CA file> to the URL (keys in lower case)"
    mode = _pg_mode(params)
    found = []
    ignored = [k for k in params if k.lower() in PG_SSL_KEYS and k not in PG_SSL_KEYS]
    if ignored:
        found.append(
            Finding(
                file,
                key,
                f"has {', '.join(ignored)}: pgJDBC reads its keys case-sensitively and ignores them",
                fix,
            )
        )
    if mode == "disable":
        found.append(Finding(file, key, "has sslmode=disable: cleartext", fix))
    elif mode in ("require", "verify-ca"):
        found.append(Finding(file, key, f"has sslmode={mode}: the server's host name is not verified", fix))
    elif mode != "verify-full":
        shown = params.get("sslmode", "unset")
        found.append(Finding(file, key, f"has sslmode={shown}: may fall back to cleartext, unverified", fix))
    factory = params.get("sslfactory", "org.postgresql.ssl.LibPQFactory")
    if factory not in PG_VALIDATING_FACTORIES:
        found.append(
            Finding(
                file,
                key,
                f"has sslfactory={factory}: it replaces the driver's certificate check "
                "(NonValidatingFactory accepts any certificate)",
                "remove sslfactory",
            )
        )
    verifier = params.get("sslhostnameverifier", "org.postgresql.ssl.PGjdbcHostnameVerifier")
    if verifier != "org.postgresql.ssl.PGjdbcHostnameVerifier":
        found.append(
            Finding(
                file,
                key,
                f"has sslhostnameverifier={verifier}: it replaces the driver's host name check",
                "remove sslhostnameverifier",
            )
        )
    libpq = factory != "org.postgresql.ssl.DefaultJavaSSLFactory"
    if mode == "verify-full" and libpq and "sslrootcert" not in params:
        found.append(Finding(file, key, "has no sslrootcert: trust comes from ~/.postgresql/root.crt", fix))
    return found


def _postgresql(file: str, key: str, url: str, system: Mapping[str, str]) -> list[Finding]:
    """pgJDBC: the URL's query parameters, with their keys as written (``sslMode`` is not ``sslmode``)."""
    params = _no_injected_keys(dict(parse_qsl(url.partition("?")[2], keep_blank_values=True)), url)
    return _pg_like(file, key, params, url)


def _redshift(file: str, key: str, url: str, system: Mapping[str, str]) -> list[Finding]:
    """Redshift JDBC: pgJDBC's rules over its parameters, which it reads without regard to case;
    its own default is TLS with sslmode=verify-ca, which checks no host name."""
    params = _url_params(url)
    if "sslmode" not in params:
        params["sslmode"] = "disable" if params.get("ssl", "true").lower() == "false" else "verify-ca"
    return _pg_like(file, key, params, url)


def _mysql(file: str, key: str, url: str, system: Mapping[str, str]) -> list[Finding]:
    """MySQL Connector/J: only sslMode=VERIFY_IDENTITY checks both the chain and the host name."""
    mode = _url_params(url).get("sslmode", "").upper()
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


def _mariadb(file: str, key: str, url: str, system: Mapping[str, str]) -> list[Finding]:
    """MariaDB Connector/J 3: sslMode=verify-full."""
    mode = _url_params(url).get("sslmode", "")
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


def _sqlserver(file: str, key: str, url: str, system: Mapping[str, str]) -> list[Finding]:
    """Microsoft JDBC: encrypt=true (the default since 10.2) or strict, and no trustServerCertificate."""
    params, found = _url_params(url, "semicolon"), []
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
    if "trustmanagerclass" in params:  # a class of the operator's replaces the driver's certificate check
        found.append(
            Finding(
                file,
                key,
                f"has trustManagerClass={params['trustmanagerclass']}: the certificate check is replaced",
                "drop trustManagerClass and give trustStore=<truststore>",
            )
        )
    return found


_ORACLE_FIX = (
    "connect with jdbc:oracle:thin:@tcps://host:2484/service?ssl_server_dn_match=true (or a descriptor "
    "with (PROTOCOL=TCPS) and (SECURITY=(SSL_SERVER_DN_MATCH=TRUE)))"
)
_TRUE = ("true", "on", "yes")


def _oracle(file: str, key: str, url: str, system: Mapping[str, str]) -> list[Finding]:
    """Oracle thin driver: every address in the connect descriptor uses the TCPS protocol (a host
    or service named "tcps" is no protocol), and the server's DN is matched: SSL_SERVER_DN_MATCH in
    the descriptor, ssl_server_dn_match in an EZConnect URL, or -Doracle.net.ssl_server_dn_match."""
    target = url.partition("@")[2].strip()
    if target.startswith("("):  # a connect descriptor: (DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)...)...)
        protocols = [p.lower() for p in re.findall(r"(?i)\(\s*PROTOCOL\s*=\s*([A-Za-z]+)\s*\)", target)]
        addresses = len(re.findall(r"(?i)\(\s*ADDRESS\s*=", target))  # one without PROTOCOL is TCP
        tcps = bool(protocols) and all(p == "tcps" for p in protocols) and len(protocols) >= addresses
        match = re.search(r"(?i)\(\s*(?:SSL|TLS)_SERVER_DN_MATCH\s*=\s*([A-Za-z]+)\s*\)", target)
        dn_match = match is not None and match.group(1).lower() in _TRUE
    elif "/" in target or ":" in target:  # EZConnect: [protocol://]host[:port][/service][?params]
        scheme = re.match(r"([A-Za-z]+)://", target)
        tcps = scheme is not None and scheme.group(1).lower() == "tcps"
        params = {k.lower().removeprefix("oracle.net."): v for k, v in parse_qsl(target.partition("?")[2])}
        dn_match = params.get("ssl_server_dn_match", "").lower() in _TRUE
    else:
        raise Unjudgeable(f"{file}: {key} names the TNS alias {target!r}, defined outside the catalog")
    if not tcps:
        return [Finding(file, key, "uses TCP, not TCPS: Oracle Net traffic is cleartext", _ORACLE_FIX)]
    if dn_match or system.get("oracle.net.ssl_server_dn_match", "").lower() in _TRUE:
        return []
    return [
        Finding(
            file, key, "has no ssl_server_dn_match: any certificate the CA signed is accepted", _ORACLE_FIX
        )
    ]


def _clickhouse(file: str, key: str, url: str, system: Mapping[str, str]) -> list[Finding]:
    """ClickHouse JDBC: ssl=true with sslmode=strict (the default when ssl is on)."""
    params, found = _url_params(url), []
    if params.get("ssl", "false").lower() != "true":
        found.append(Finding(file, key, "has no ssl=true: cleartext", "add ssl=true&sslmode=strict"))
    if params.get("sslmode", "strict").lower() != "strict":
        found.append(
            Finding(file, key, f"has sslmode={params['sslmode']}: not verified", "set sslmode=strict")
        )
    return found


JDBC_RULES: dict[str, Callable[[str, str, str, Mapping[str, str]], list[Finding]]] = {
    "postgresql": _postgresql,
    "redshift": _redshift,
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
    return _jdbc(c.file, "connection-url", url, c.system)


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
    """MongoDB: Trino's mongodb.tls.enabled=true turns TLS on whatever the URL says; otherwise the
    URL's tls (or ssl) option decides, on by default only for mongodb+srv://. Options are read
    without regard to case, as the driver does."""
    url = c.properties.get("mongodb.connection-url", "")
    if is_reference(url):
        raise Unjudgeable(f"{c.file}: mongodb.connection-url is {url.strip()}, resolved only inside Trino")
    options = (part.partition("=") for part in re.split(r"[&;]", url.partition("?")[2]))  # as the driver
    params = {k.strip().lower(): v.strip().lower() for k, sep, v in options if sep}
    found = []
    said = params.get("tls", params.get("ssl"))
    on = c.properties.get("mongodb.tls.enabled", "").lower() == "true" or (
        said == "true" if said is not None else url.lower().startswith("mongodb+srv://")
    )
    if not on:
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
        shown = shown_url(value) if value else "unset"
        return [Finding(c.file, key, f"is not https:// ({shown})", f"set {key}=https://…")]

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
            c.file, "iceberg.jdbc-catalog.connection-url", p["iceberg.jdbc-catalog.connection-url"], c.system
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
    unjudgeable: list[str] = field(default_factory=list)  # a rule could not read what decides
    read: Read = field(default_factory=Read)  # config.properties and every catalog file, with its connector


def data_source_findings(config_dir: str | Path) -> Verdict:
    """Every catalog judged by its connector's rule. A copy whose catalogs cannot be read (no
    catalog directory, one outside the copy, dynamic catalogs, none at all) raises
    :class:`~trino_harness.evidence.CannotJudge`: it is never "no external catalog"."""
    judged, internal, unknown, findings, unjudgeable = [], [], [], [], []
    found = catalogs(config_dir)
    for catalog in found:
        if catalog.connector in INTERNAL_CONNECTORS:
            internal.append(catalog)
        elif catalog.connector in RULES:
            try:
                findings += RULES[catalog.connector](catalog)
            except Unjudgeable as exc:
                unjudgeable.append(str(exc))
                continue
            judged.append(catalog)
        else:
            unknown.append(catalog)
    files = ("config.properties", *(c.file for c in found))
    items = tuple(f"{c.name} ({c.connector})" for c in found)
    return Verdict(judged, internal, unknown, findings, unjudgeable, Read(files, items))
