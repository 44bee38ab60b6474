"""Render slapd's cn=config and the directory (people, groups, service accounts) as LDIF."""

from __future__ import annotations

import base64
import hashlib
import os

from trino_harness.render.files import SECRET_MODE, FileSet
from trino_harness.render.materials import RunMaterials
from trino_harness.scenario.model import Scenario, User

ADMIN_CN = "admin"
GROUP_LOOKUP_CN = "trino-group-lookup"


def _uid(user: User) -> str:
    """An LDAP user's login name; any other user's Trino name (what the group provider looks up)."""
    return user.login_name if user.credential == "ldap" else user.name


def ssha(password: str) -> str:
    """An OpenLDAP ``{SSHA}`` userPassword value."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def _config_ldif(base_dn: str, admin_password: str) -> str:
    return f"""dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: /run/slapd/slapd.pid
olcTLSCACertificateFile: /etc/ldap/tls/ca.pem
olcTLSCertificateFile: /etc/ldap/tls/server.pem
olcTLSCertificateKeyFile: /etc/ldap/tls/server.key
olcTLSProtocolMin: 3.3

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: olcDatabase={{-1}}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {{-1}}frontend

dn: olcDatabase={{0}}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {{0}}config
olcAccess: {{0}}to * by dn.exact=gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth manage by * break

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcDbDirectory: /var/lib/ldap
olcSuffix: {base_dn}
olcRootDN: cn={ADMIN_CN},{base_dn}
olcRootPW: {ssha(admin_password)}
olcDbIndex: objectClass eq
olcDbIndex: uid,cn,member eq
olcAccess: {{0}}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {{1}}to * by users read by * none
"""


def _data_ldif(scenario: Scenario, materials: RunMaterials) -> str:
    base = scenario.directory.base_dn
    top = base.split(",")[0].split("=", 1)[1]
    entries = [
        f"dn: {base}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\n"
        f"o: Trino Harness\ndc: {top}\n",
        f"dn: ou=people,{base}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{base}\nobjectClass: organizationalUnit\nou: groups\n",
    ]
    # The account Trino's LDAP group provider binds as (read-only, like every bound user).
    lookup = ssha(materials.ldap_group_lookup_password)
    entries.append(
        f"dn: cn={GROUP_LOOKUP_CN},{base}\nobjectClass: organizationalRole\n"
        f"objectClass: simpleSecurityObject\ncn: {GROUP_LOOKUP_CN}\nuserPassword: {lookup}\n"
    )
    # Every scenario user is an entry, so the LDAP group provider finds each one (uid = Trino user
    # name). Only LDAP users get a password: the others cannot bind, so LDAP logins are unchanged.
    seen: set[str] = set()
    for user in sorted(scenario.users, key=lambda u: u.credential != "ldap"):  # LDAP logins first
        uid = _uid(user)
        if uid in seen:  # another user's LDAP login name: that entry stands
            continue
        seen.add(uid)
        password = (
            f"userPassword: {ssha(materials.user_passwords[user.name])}\n"
            if user.credential == "ldap"
            else ""
        )
        entries.append(
            f"dn: uid={uid},ou=people,{base}\nobjectClass: inetOrgPerson\n"
            f"uid: {uid}\ncn: {uid}\nsn: {user.name}\n{password}"
        )
    # Every group the scenario declares, with its members: the directory says what group.txt says.
    groups = sorted({g for u in scenario.users for g in u.groups} | {scenario.directory.allowed_group})
    for group in groups:
        members = [u for u in scenario.users if group in u.groups]
        # groupOfNames needs a member; an empty group points at the base entry.
        lines = [f"member: uid={_uid(u)},ou=people,{base}" for u in members] or [f"member: {base}"]
        entries.append(
            f"dn: cn={group},ou=groups,{base}\nobjectClass: groupOfNames\ncn: {group}\n"
            + "\n".join(lines)
            + "\n"
        )
    return "\n".join(entries)


def render_ldap_seed(scenario: Scenario, materials: RunMaterials) -> FileSet:
    files = FileSet()
    files.add(
        "config.ldif", _config_ldif(scenario.directory.base_dn, materials.ldap_admin_password), SECRET_MODE
    )
    files.add("data.ldif", _data_ldif(scenario, materials), SECRET_MODE)
    files.add("tls/ca.pem", materials.ca.cert_pem)
    files.add("tls/server.pem", materials.ldap_tls.cert_pem + materials.ca.cert_pem)
    files.add("tls/server.key", materials.ldap_tls.key_pem, SECRET_MODE)
    return files
