"""Render the coordinator's ``/etc/trino`` from the scenario and the run's materials."""

from __future__ import annotations

import json
from collections.abc import Sequence

import bcrypt

from trino_harness.render.files import SECRET_MODE, EtcPart, FileSet, properties
from trino_harness.render.materials import AUDIT_ALIAS, LDAP_ALIAS, POSTGRES_ALIAS, RunMaterials
from trino_harness.scenario.model import Scenario, UserMapping

ETC = "/etc/trino"
DATA_DIR = "/data/trino"
# airlift's default http-server.log.path is var/log/http-request.log, relative to the data directory.
REQUEST_LOG = f"{DATA_DIR}/var/log/http-request.log"
HTTPS_PORT = 8443
HTTP_PORT = 8080  # disabled in the baseline; published anyway so checks can prove nothing answers
SHARED_SECRET_ENV = "TRINO_SHARED_SECRET"
CATALOG_PASSWORD_ENV = "POSTGRES_CATALOG_PASSWORD"
# The bind password of the directory's read-only cn=trino-group-lookup, for Trino's LDAP group
# provider (the variants that use it; the baseline resolves groups from group.txt).
LDAP_GROUP_LOOKUP_ENV = "LDAP_GROUP_LOOKUP_PASSWORD"
CATALOG_DATABASE = "warehouse"
CATALOG_USER = "trino_catalog"
AUDIT_INGEST_URI = f"https://{AUDIT_ALIAS}:8443/events"
# The coordinator's TLS as Mozilla's intermediate profile has it: AEAD suites with ephemeral key
# exchange only (Trino's default list also lets the CBC suites through), and the profile's groups.
TLS_EXCLUDED_CIPHERS = r"^.*_(MD5|SHA|SHA1)$,^TLS_RSA_.*$,^SSL_.*$,^.*_NULL_.*$,^.*_anon_.*$,^.*_CBC_.*$"
TLS_NAMED_GROUPS = "x25519,secp256r1,secp384r1,ffdhe2048,ffdhe3072"
# How often Trino re-reads the rules, group and password files (render/reload.py): short, so the
# matrix can swap them in a running coordinator and see its sentinel flip within a second or two.
RELOAD_PERIOD = "1s"
AOT_CACHE = "/usr/lib/trino/aot/trino.aot"  # written by the image's build (images/docker/trino)


def bcrypt_line(user: str, password: str, cost: int = 10) -> str:
    """A password-file line; Trino documents the ``$2y$`` prefix (jBCrypt reads it as ``$2b$``)."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(cost)).decode()
    return f"{user}:$2y${hashed[4:]}"


def _mapping_properties(kind: str, mapping: UserMapping | None, files: FileSet) -> dict[str, str]:
    if mapping is None:
        return {}
    key = f"http-server.authentication.{kind}.user-mapping"
    if mapping.pattern is not None:
        return {f"{key}.pattern": mapping.pattern}
    name = f"user-mapping-{kind}.json"
    rules = [r.model_dump(exclude_none=True) for r in mapping.rules or ()]
    files.add(name, json.dumps({"rules": rules}, indent=2) + "\n")
    return {f"{key}.file": f"{ETC}/{name}"}


def _group_file(scenario: Scenario) -> str:
    groups: dict[str, list[str]] = {}
    for user in scenario.users:
        for group in user.groups:
            groups.setdefault(group, []).append(user.name)
    return "".join(f"{g}:{','.join(members)}\n" for g, members in sorted(groups.items()))


def render_trino_etc(scenario: Scenario, materials: RunMaterials, parts: Sequence[EtcPart] = ()) -> FileSet:
    """The coordinator's etc/; each of ``parts`` adds its files, its properties and its
    authenticators (after the baseline's) to ``config.properties``, rendered once."""
    files = FileSet()
    alias = scenario.trino.coordinator_alias
    base_dn = scenario.directory.base_dn

    files.add(
        "node.properties",
        properties(
            {
                "node.environment": scenario.trino.environment,
                "node.id": "coordinator",
                "node.data-dir": DATA_DIR,
                # Internal URIs use the alias the server certificate names, not the container IP.
                "node.internal-address": alias,
            }
        ),
    )
    files.add(
        "jvm.config",
        "\n".join(
            [
                "-server",
                "-Xmx1G",
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.attach.allowAttachSelf=true",
                "-XX:+EnableDynamicAgentLoading",
                "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                # The classes of lib/ as the image's build-time training run loaded and linked
                # them (images/docker/trino/aot-train): a start maps them instead (≈ 25 % faster).
                # The module options above must be those of the training run (the image's own
                # jvm.config); a start whose options do not fit runs without the cache.
                f"-XX:AOTCache={AOT_CACHE}",
                # Mozilla intermediate: only these key-exchange groups (the JDK also offers
                # secp521r1 and X448); the worker shares this file.
                f"-Djdk.tls.namedGroups={TLS_NAMED_GROUPS}",
            ]
        )
        + "\n",
    )
    files.add("log.properties", "io.trino=INFO\n")

    # TLS: one PEM keystore (key + chain); the CA doubles as truststore for client certificates.
    files.add(
        "tls/server.pem",
        materials.trino_tls.key_pem + materials.trino_tls.cert_pem + materials.ca.cert_pem,
        SECRET_MODE,
    )
    files.add("tls/ca.pem", materials.ca.cert_pem)
    for problem, issued in materials.trino_tls_broken.items():
        files.add(f"tls/server-{problem}.pem", issued.key_pem + issued.cert_pem, SECRET_MODE)
    files.add("jwt/public.pem", materials.jwt_public_pem)

    passwords = materials.user_passwords
    files.add(
        "password.db",
        "".join(
            bcrypt_line(u.login_name, passwords[u.name]) + "\n"
            for u in scenario.users
            if u.credential == "file"
        ),
        SECRET_MODE,
    )
    files.add(
        "password-file.properties",
        properties(
            {
                "password-authenticator.name": "file",
                "file.password-file": f"{ETC}/password.db",
                "file.refresh-period": RELOAD_PERIOD,
            }
        ),
    )
    files.add(
        "password-ldap.properties",
        properties(
            {
                "password-authenticator.name": "ldap",
                "ldap.url": f"ldaps://{LDAP_ALIAS}:636",
                "ldap.ssl.truststore.path": f"{ETC}/tls/ca.pem",
                "ldap.user-bind-pattern": f"uid=${{USER}},ou=people,{base_dn}",
                "ldap.user-base-dn": f"ou=groups,{base_dn}",
                "ldap.group-auth-pattern": (
                    f"(&(objectClass=groupOfNames)(cn={scenario.directory.allowed_group})"
                    f"(member=uid=${{USER}},ou=people,{base_dn}))"
                ),
                "ldap.cache-ttl": "10s",
            }
        ),
    )

    config: dict[str, str | int | bool] = {
        "coordinator": True,
        "node-scheduler.include-coordinator": True,
        "http-server.http.enabled": False,
        "http-server.https.enabled": True,
        "http-server.https.port": HTTPS_PORT,
        "http-server.https.keystore.path": f"{ETC}/tls/server.pem",
        "http-server.https.truststore.path": f"{ETC}/tls/ca.pem",
        "http-server.https.excluded-cipher": TLS_EXCLUDED_CIPHERS,
        "discovery.uri": f"https://{alias}:{HTTPS_PORT}",
        "internal-communication.shared-secret": f"${{ENV:{SHARED_SECRET_ENV}}}",
        "internal-communication.https.required": True,
        "internal-communication.https.keystore.path": f"{ETC}/tls/server.pem",
        "internal-communication.https.truststore.path": f"{ETC}/tls/ca.pem",
        "http-server.authentication.type": "CERTIFICATE,JWT,PASSWORD",
        # Explicit: with OAUTH2 in the list above, Trino would otherwise default the Web UI to it.
        "web-ui.authentication.type": "form",
        "password-authenticator.config-files": (
            f"{ETC}/password-file.properties,{ETC}/password-ldap.properties"
        ),
        "http-server.authentication.jwt.key-file": f"{ETC}/jwt/public.pem",
        "http-server.authentication.jwt.required-issuer": scenario.jwt.issuer,
        "http-server.authentication.jwt.required-audience": scenario.jwt.audience,
        "http-server.authentication.jwt.principal-field": scenario.jwt.principal_field,
        "access-control.config-files": f"{ETC}/access-control.properties",
        "event-listener.config-files": f"{ETC}/http-event-listener.properties",
        "catalog.management": "static",
        # Write each request-log line at once (airlift otherwise buffers up to ~10 s), so a failed
        # login's only server-side record is there when a check looks for it.
        "http-server.log.immediate-flush": True,
    }
    mappings = scenario.user_mapping
    config |= _mapping_properties("password", mappings.password, files)
    config |= _mapping_properties("jwt", mappings.jwt, files)
    config |= _mapping_properties("certificate", mappings.certificate, files)
    for part in parts:
        files.files |= part.files.files
        config |= part.properties
        config["http-server.authentication.type"] = ",".join(
            [str(config["http-server.authentication.type"]), *part.authenticators]
        )
    files.add("config.properties", properties(config))

    files.add(
        "access-control.properties",
        properties(
            {
                "access-control.name": "file",
                "security.config-file": f"{ETC}/rules.json",
                "security.refresh-period": RELOAD_PERIOD,
            }
        ),
    )
    files.add("rules.json", json.dumps(scenario.access_rules.as_json(), indent=2) + "\n")
    files.add(
        "group-provider.properties",
        properties(
            {
                "group-provider.name": "file",
                "file.group-file": f"{ETC}/group.txt",
                "file.refresh-period": RELOAD_PERIOD,
            }
        ),
    )
    files.add("group.txt", _group_file(scenario))
    files.add(
        "http-event-listener.properties",
        properties(
            {
                "event-listener.name": "http",
                "http-event-listener.log-created": True,
                "http-event-listener.log-completed": True,
                "http-event-listener.connect-ingest-uri": AUDIT_INGEST_URI,
                "http-event-listener.http-client.trust-store-path": f"{ETC}/tls/ca.pem",
                "http-event-listener.connect-retry-count": 5,
                "http-event-listener.connect-retry-delay": "500ms",
            }
        ),
    )
    files.add("catalog/tpch.properties", properties({"connector.name": "tpch"}))
    files.add("catalog/memory.properties", properties({"connector.name": "memory"}))
    files.add(
        "catalog/postgresql.properties",
        properties(
            {
                "connector.name": "postgresql",
                "connection-url": (
                    f"jdbc:postgresql://{POSTGRES_ALIAS}:5432/{CATALOG_DATABASE}"
                    f"?ssl=true&sslmode=verify-full&sslrootcert={ETC}/tls/ca.pem"
                ),
                "connection-user": CATALOG_USER,
                "connection-password": f"${{ENV:{CATALOG_PASSWORD_ENV}}}",
            }
        ),
    )
    return files


def trino_environment(materials: RunMaterials) -> dict[str, str]:
    """Environment variables the rendered config references through ``${ENV:...}``."""
    return {
        SHARED_SECRET_ENV: materials.shared_secret,
        CATALOG_PASSWORD_ENV: materials.db.catalog,
        LDAP_GROUP_LOOKUP_ENV: materials.ldap_group_lookup_password,
    }
