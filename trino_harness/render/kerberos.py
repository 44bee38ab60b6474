"""Render the Kerberos pieces: the KDC's seed, the coordinator's krb5 files and properties, and
the client's krb5.conf.

The KDC lives on the stack network as ``kdc``; the coordinator reaches it there, the harness on
the host through the port published on 127.0.0.1. Both sides force TCP (udp_preference_limit=1)
because only TCP is published, and neither canonicalises host names: the service principal is
HTTP/<coordinator alias>, whatever address the client dialled.
"""

from __future__ import annotations

import secrets
import struct
from dataclasses import dataclass

from trino_harness.redaction import register_secret, register_secret_bytes
from trino_harness.render.files import SECRET_MODE, EtcPart, FileSet
from trino_harness.scenario.kerberos import Kerberos

KDC_ALIAS = "kdc"
KDC_PORT = 88
KDC_SEED = "/harness/kdc"
KEYTAB_IN_KDC = "/harness/out/service.keytab"
ETC = "/etc/trino"
TRINO_KRB5_CONF = f"{ETC}/kerberos/krb5.conf"
TRINO_KEYTAB = f"{ETC}/kerberos/service.keytab"
KDC_READY = "starting krb5kdc"
# The expired-ticket check asks for a ticket this short-lived (seconds).
SHORT_TICKET_SECONDS = 3


@dataclass(frozen=True)
class KerberosMaterials:
    """Per-run secrets of the realm: the master password and each client principal's password."""

    master_password: str
    passwords: dict[str, str]

    @classmethod
    def generate(cls, kerberos: Kerberos) -> KerberosMaterials:
        def secret() -> str:
            return register_secret(secrets.token_urlsafe(18))

        return cls(secret(), {p.principal: secret() for p in kerberos.principals})


def keytab_keys(keytab: bytes) -> list[bytes]:
    """The key blocks of an MIT keytab (format 0x0502); what ``klist -kK`` would print in hex."""
    keys: list[bytes] = []
    if keytab[:2] != b"\x05\x02":
        return keys
    at = 2
    while at + 4 <= len(keytab):
        (size,) = struct.unpack_from(">i", keytab, at)
        at += 4
        entry, at = keytab[at : at + abs(size)], at + abs(size)
        if size <= 0:  # a hole left by a removed entry
            continue
        try:
            (components,) = struct.unpack_from(">H", entry, 0)
            pos = 2
            for _ in range(components + 1):  # the realm, then each name component
                (length,) = struct.unpack_from(">H", entry, pos)
                pos += 2 + length
            pos += 4 + 4 + 1 + 2  # name type, timestamp, 8-bit kvno, key type
            (length,) = struct.unpack_from(">H", entry, pos)
            key = entry[pos + 2 : pos + 2 + length]
        except struct.error:
            continue
        if len(key) == length and key:
            keys.append(key)
    return keys


def register_keytab(keytab: bytes) -> bytes:
    """Register a keytab for redaction (and return it): the whole file and each key, in every form an
    output may show them (raw, base64, hex, repr)."""
    register_secret_bytes(keytab)
    for key in keytab_keys(keytab):
        register_secret_bytes(key)
    return keytab


def service_principal(kerberos: Kerberos, host: str) -> str:
    return f"{kerberos.service_name}/{host}@{kerberos.realm}"


def krb5_conf(realm: str, kdc: str, clockskew: int | None = None) -> str:
    skew = f"    clockskew = {clockskew}\n" if clockskew is not None else ""
    return (
        "[libdefaults]\n"
        f"    default_realm = {realm}\n"
        "    dns_lookup_kdc = false\n"
        "    dns_lookup_realm = false\n"
        "    dns_canonicalize_hostname = false\n"
        "    rdns = false\n"
        "    udp_preference_limit = 1\n"
        "    forwardable = false\n"
        f"{skew}"
        "[realms]\n"
        f"    {realm} = {{\n        kdc = {kdc}\n    }}\n"
    )


def render_kdc_seed(kerberos: Kerberos, materials: KerberosMaterials, coordinator_alias: str) -> FileSet:
    realm = kerberos.realm
    files = FileSet()
    files.add("realm", realm + "\n")
    files.add("krb5.conf", krb5_conf(realm, f"localhost:{KDC_PORT}"))
    files.add(
        "kdc.conf",
        "[kdcdefaults]\n    kdc_tcp_listen = 88\n    kdc_listen = 88\n"
        f"[realms]\n    {realm} = {{\n        database_name = /var/lib/krb5kdc/principal\n"
        "        key_stash_file = /etc/krb5kdc/stash\n        max_life = 10h\n    }\n"
        "[logging]\n    kdc = STDERR\n",
    )
    files.add("master", materials.master_password + "\n", SECRET_MODE)
    service = service_principal(kerberos, coordinator_alias)
    other = service_principal(kerberos, kerberos.other_service_host)
    lines = [f"{service} - *", f"{other} - *"]
    lines += [f"{p} - {pw}" for p, pw in materials.passwords.items()]
    files.add("principals", "\n".join(lines) + "\n", SECRET_MODE)
    files.add("keytab-principals", service + "\n")
    return files


def coordinator_part(kerberos: Kerberos, keytab: bytes, coordinator_alias: str) -> EtcPart:
    """KERBEROS after the other authenticators, its krb5.conf and keytab (0600, owner trino)."""
    files = FileSet()
    files.add(
        "kerberos/krb5.conf", krb5_conf(kerberos.realm, f"{KDC_ALIAS}:{KDC_PORT}", kerberos.clockskew_seconds)
    )
    files.add("kerberos/service.keytab", keytab, SECRET_MODE)
    return EtcPart(
        files,
        {
            "http-server.authentication.krb5.service-name": kerberos.service_name,
            # The keytab holds HTTP/<alias>; without this Trino would use the container's host name.
            "http-server.authentication.krb5.principal-hostname": coordinator_alias,
            "http-server.authentication.krb5.keytab": TRINO_KEYTAB,
            "http.authentication.krb5.config": TRINO_KRB5_CONF,
            "http-server.authentication.krb5.user-mapping.pattern": kerberos.user_mapping_pattern,
        },
        ("KERBEROS",),
    )


def client_krb5_conf(kerberos: Kerberos, kdc_host_port: int) -> str:
    return krb5_conf(kerberos.realm, f"127.0.0.1:{kdc_host_port}")
