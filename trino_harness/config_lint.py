"""Static checks on the coordinator's effective config: what a running server cannot show.

A weak hash in the password file or a cleartext LDAP URL works perfectly until someone reads the
file or the wire, so these are read from the config the server runs with (the reference stack
keeps a copy; a remote profile may point at one). Hash values are never reported, only the
user, the line and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trino_harness.render.overlay import parse_properties
from trino_harness.render.reload import own_password_sentinel

SERVER_ETC = "/etc/trino"
_BCRYPT = re.compile(r"^\$2[aby]?\$(\d\d)\$[./A-Za-z0-9]{53}$")
_PBKDF2 = re.compile(r"^(\d+):[0-9a-fA-F]+:[0-9a-fA-F]+$")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    user: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} user '{self.user}': {self.problem}"


def _local(config_dir: Path, server_path: str) -> Path:
    """Map a path the server sees (``/etc/trino/...`` or relative to its etc) into ``config_dir``."""
    path = server_path.strip()
    if path.startswith(SERVER_ETC + "/"):
        return config_dir / path[len(SERVER_ETC) + 1 :]
    return config_dir / path.removeprefix("etc/")


class IncompleteConfigCopy(RuntimeError):
    """The config copy lacks a file the config names: a lint over it cannot judge (never "not configured")."""


def _read(root: Path, path: Path, named_by: str) -> str:
    if not path.is_file():
        raise IncompleteConfigCopy(
            f"{named_by} names {path.relative_to(root) if path.is_relative_to(root) else path}, "
            f"which the config copy {root} lacks: copy the coordinator's whole etc/ directory"
        )
    return path.read_text()


def authenticator_configs(config_dir: str | Path, name: str) -> list[tuple[str, dict[str, str]]]:
    """Each password authenticator file whose ``password-authenticator.name`` is ``name``.

    A file that ``password-authenticator.config-files`` lists but the copy lacks raises
    :class:`IncompleteConfigCopy`: dropping it would make a lint read "not configured".
    """
    root = Path(config_dir)
    config = parse_properties(_read(root, root / "config.properties", "the coordinator"))
    listed = config.get("password-authenticator.config-files", "")
    paths = [_local(root, p) for p in listed.split(",") if p.strip()]
    if not paths:  # Trino's default: etc/password-authenticator.properties, when present
        default = root / "password-authenticator.properties"
        paths = [default] if default.is_file() else []
    found = []
    for path in paths:
        props = parse_properties(_read(root, path, "password-authenticator.config-files"))
        if props.get("password-authenticator.name") == name:
            found.append((path.name, props))
    return found


def lint_password_entries(
    name: str, text: str, min_bcrypt_cost: int, min_pbkdf2_iterations: int
) -> list[Finding]:
    findings = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, hashed = line.partition(":")
        if not sep:
            findings.append(Finding(name, number, "?", "not a user:hash line"))
        elif m := _BCRYPT.match(hashed):
            if int(m.group(1)) < min_bcrypt_cost:
                findings.append(
                    Finding(name, number, user, f"bcrypt cost {int(m.group(1))} < {min_bcrypt_cost}")
                )
        elif m := _PBKDF2.match(hashed):
            if int(m.group(1)) < min_pbkdf2_iterations:
                findings.append(
                    Finding(
                        name,
                        number,
                        user,
                        f"PBKDF2 with {int(m.group(1))} iterations < {min_pbkdf2_iterations}",
                    )
                )
        else:
            findings.append(
                Finding(name, number, user, "neither bcrypt nor PBKDF2 (plaintext or unknown hash)")
            )
    return findings


def _password_files(root: Path) -> Iterator[tuple[str, str]]:
    """(file name, text) of every file authenticator's password file."""
    for _, props in authenticator_configs(root, "file"):
        path = _local(root, props.get("file.password-file", "etc/password.db"))
        yield path.name, _read(root, path, "file.password-file")


def password_file_accounts(config_dir: str | Path) -> tuple[list[str], list[tuple[str, int, str]]]:
    """Every file authenticator's password file, and each (file, line, user) entry in them (not the
    harness's own reload sentinel, proven by its token: ``render/reload.own_password_sentinel``)."""
    files, accounts = [], []
    for name, text in _password_files(Path(config_dir)):
        files.append(name)
        own = own_password_sentinel(text)  # the matrix's proof that a reload is in force
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line and not line.startswith("#") and line.partition(":")[0] != own:
                accounts.append((name, number, line.partition(":")[0]))
    return files, accounts


def lint_password_files(
    config_dir: str | Path, min_bcrypt_cost: int, min_pbkdf2_iterations: int
) -> tuple[list[str], list[Finding]]:
    """Lint every file authenticator's password file; return (files read, findings)."""
    files, findings = [], []
    for name, text in _password_files(Path(config_dir)):
        files.append(name)
        findings += lint_password_entries(name, text, min_bcrypt_cost, min_pbkdf2_iterations)
    return files, findings


def ldap_group_provider_config(config_dir: str | Path) -> list[tuple[str, dict[str, str]]]:
    """``etc/group-provider.properties`` when it names Trino's LDAP group provider (its bind is an
    admin account's password, so its transport matters as much as a login's)."""
    path = Path(config_dir) / "group-provider.properties"
    if not path.is_file():
        return []
    props = parse_properties(path.read_text())
    return [(path.name, props)] if props.get("group-provider.name") == "ldap" else []


def ldap_transport_findings(config_dir: str | Path) -> tuple[list[str], list[str]]:
    """Each LDAP connection's URL (the LDAP authenticators and the LDAP group provider), and a
    finding for each that is not LDAPS."""
    urls, findings = [], []
    connections = authenticator_configs(config_dir, "ldap") + ldap_group_provider_config(config_dir)
    for file, props in connections:
        url = props.get("ldap.url", "")
        urls.append(f"{file}: {url}")
        if not url.startswith("ldaps://"):
            findings.append(f"{file}: ldap.url={url} is not ldaps://")
        if props.get("ldap.allow-insecure", "false").lower() == "true":
            findings.append(f"{file}: ldap.allow-insecure=true")
    return urls, findings


# Keys that carry a secret: passwords, shared secrets, passphrases, keystore/truststore keys.
_SECRET_KEY = re.compile(r"(^|[.-])(password|secret|passphrase)$|(keystore|truststore)\.key$")
# A value that only points at a secret: ${ENV:VAR}, or a secrets-plugin reference ${namespace:key}.
_REFERENCE = re.compile(r"^\$\{[A-Za-z][A-Za-z0-9_-]*:[^}]+\}$")


def literal_secret_findings(config_dir: str | Path) -> tuple[int, list[str]]:
    """Properties files read, and each secret-bearing property whose value is written out literally.

    Only the file, the key and the value's length are reported: never the value.
    """
    root = Path(config_dir)
    files = sorted(root.rglob("*.properties"))
    findings = []
    for path in files:
        for key, value in parse_properties(path.read_text()).items():
            if _SECRET_KEY.search(key) and value and not _REFERENCE.match(value):
                findings.append(
                    f"{path.relative_to(root)}: {key} is a literal ({len(value)} characters), not a reference"
                )
    return len(files), findings
