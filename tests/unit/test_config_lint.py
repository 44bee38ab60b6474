"""The static lints read the effective config the way the server does and never echo a hash."""

from __future__ import annotations

import hashlib

import bcrypt

from trino_harness.config_lint import ldap_transport_findings, lint_password_entries, lint_password_files


def _bcrypt(cost: int) -> str:
    return "$2y$" + bcrypt.hashpw(b"pw", bcrypt.gensalt(cost)).decode()[4:]


def test_weak_and_unknown_hashes_are_flagged_without_printing_them():
    pbkdf2 = f"1000:{'ab' * 16}:{hashlib.pbkdf2_hmac('sha1', b'pw', b'salt', 1000).hex()}"
    text = f"strong:{_bcrypt(10)}\nweak:{_bcrypt(8)}\nold:{pbkdf2}\nplain:hunter2\n# comment\n"
    findings = lint_password_entries("password.db", text, 10, 1_300_000)
    assert [(f.user, f.line) for f in findings] == [("weak", 2), ("old", 3), ("plain", 4)]
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
