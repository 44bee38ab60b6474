"""Static checks on the coordinator's effective config: what a running server cannot show.

A weak hash in the password file or a cleartext LDAP URL works perfectly until someone reads the
file or the wire, so these are read from the config the server runs with (the reference stack
keeps a copy; a remote profile may point at one). Hash values are never reported, only the
user, the line and what is wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trino_harness.config_values import is_secret_name, literal_secrets, shown_url
from trino_harness.evidence import CannotJudge, Read, cannot_judge
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


class IncompleteConfigCopy(CannotJudge):
    """The config copy lacks a file the config names, or names it where no copy can hold it: a
    lint over it cannot judge (never "not configured"), and is reported as an ERROR."""


def local_path(config_dir: Path, server_path: str, named_by: str = "the config") -> Path:
    """Where a path the server sees lies in the copy, never outside it: ``/etc/trino/x`` and
    ``etc/x`` at ``x``; another absolute path mirrored under the copy (``/var/trino/catalog`` at
    ``<copy>/var/trino/catalog``), so the harness never reads its own host's file of that name. A
    path relative to Trino's working directory, or one that climbs out of the copy, cannot be
    placed: :class:`IncompleteConfigCopy`."""
    path = server_path.strip()
    if path == SERVER_ETC or path.startswith(SERVER_ETC + "/"):
        rel = path[len(SERVER_ETC) :]
    elif path.startswith("/"):
        rel = path
    elif path == "etc" or path.startswith("etc/"):
        rel = path[len("etc") :]
    else:
        raise IncompleteConfigCopy(
            f"{named_by} names {path!r}, relative to Trino's working directory rather than its etc/: "
            f"the config copy {config_dir} cannot hold it; name it as /etc/trino/... or etc/..."
        )
    local = Path(os.path.normpath(config_dir / rel.lstrip("/")))
    if not local.resolve().is_relative_to(config_dir.resolve()):
        raise IncompleteConfigCopy(
            f"{named_by} names {path!r}, which leads out of the config copy {config_dir}: "
            "the harness reads only inside the copy"
        )
    return local


def read_text(root: Path, path: Path, named_by: str) -> str:
    if not path.is_file():
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        raise IncompleteConfigCopy(
            f"{named_by} names {shown}, which the config copy {root} lacks: copy the coordinator's whole "
            "etc/ directory (a file named outside /etc/trino goes at the same path under the copy)"
        )
    return path.read_text(encoding="utf-8")


def read_properties(root: Path, path: Path, named_by: str) -> dict[str, str]:
    """A properties file of the copy, read as Trino reads it (``IncompleteConfigCopy`` if absent)."""
    return parse_properties(read_text(root, path, named_by))


def coordinator_config(root: Path) -> dict[str, str]:
    """The copy's ``config.properties``: without it, the copy is no coordinator's etc/."""
    return read_properties(root, root / "config.properties", "the coordinator")


def authenticator_configs(config_dir: str | Path, name: str) -> list[tuple[str, dict[str, str]]]:
    """Each password authenticator file whose ``password-authenticator.name`` is ``name``.

    A file that ``password-authenticator.config-files`` lists but the copy lacks raises
    :class:`IncompleteConfigCopy`: dropping it would make a lint read "not configured".
    """
    root = Path(config_dir)
    config = coordinator_config(root)
    listed = config.get("password-authenticator.config-files", "")
    paths = [
        local_path(root, p, "password-authenticator.config-files") for p in listed.split(",") if p.strip()
    ]
    if not paths:  # Trino's default: etc/password-authenticator.properties, when present
        default = root / "password-authenticator.properties"
        paths = [default] if default.is_file() else []
    found = []
    for path in paths:
        props = read_properties(root, path, "password-authenticator.config-files")
        if props.get("password-authenticator.name") == name:
            found.append((path.name, props))
    return found


def lint_password_entries(
    name: str, text: str, min_bcrypt_cost: int, min_pbkdf2_iterations: int
) -> list[Finding]:
    findings = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:  # Trino's PasswordStore skips blank lines only: '#alice:<hash>' is user '#alice'
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
        path = local_path(root, props.get("file.password-file", "etc/password.db"), "file.password-file")
        yield path.name, read_text(root, path, "file.password-file")


def password_file_accounts(config_dir: str | Path) -> tuple[list[str], list[tuple[str, int, str]]]:
    """Every file authenticator's password file, and each (file, line, user) entry in them (not the
    harness's own reload sentinel, proven by its token: ``render/reload.own_password_sentinel``)."""
    files, accounts = [], []
    for name, text in _password_files(Path(config_dir)):
        files.append(name)
        own = own_password_sentinel(text)  # the matrix's proof that a reload is in force
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line and line.partition(":")[0] != own:  # no comments: Trino reads '#x:<hash>' as user '#x'
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
    props = parse_properties(path.read_text(encoding="utf-8"))
    return [(path.name, props)] if props.get("group-provider.name") == "ldap" else []


def ldap_transport_findings(config_dir: str | Path) -> tuple[list[str], list[str]]:
    """Each LDAP connection's URL (the LDAP authenticators and the LDAP group provider), and a
    finding for each that is not LDAPS. URLs are shown without user info or parameter values."""
    urls, findings = [], []
    connections = authenticator_configs(config_dir, "ldap") + ldap_group_provider_config(config_dir)
    for file, props in connections:
        url = props.get("ldap.url", "")
        urls.append(f"{file}: {shown_url(url)}")
        # JNDI takes a space-separated list and falls back along it: every URL of it must be ldaps://
        for one in url.split() or [""]:
            if not one.lower().startswith("ldaps://"):
                findings.append(f"{file}: ldap.url={shown_url(one)} is not ldaps://")
        if props.get("ldap.allow-insecure", "false").lower() == "true":
            findings.append(f"{file}: ldap.allow-insecure=true")
    return urls, findings


def catalog_directory(root: Path) -> Path:
    """The coordinator's static catalog directory inside the copy. Dynamic catalogs (created at run
    time, kept in a catalog store) and a directory the copy lacks or cannot hold cannot be judged:
    :class:`~trino_harness.evidence.CannotJudge`, never "no catalog"."""
    config = coordinator_config(root)
    management = config.get("catalog.management", "static").strip().lower()
    if management != "static":
        cannot_judge(
            f"catalog.management={management} in config.properties: catalogs are added at run time "
            "(CREATE CATALOG) and kept in the catalog store, so no copy of etc/ shows them all"
        )
    named = config.get("catalog.config-dir", "etc/catalog")
    directory = local_path(root, named, f"catalog.config-dir ({named})")
    if not directory.is_dir():
        raise IncompleteConfigCopy(
            f"catalog.config-dir ({named}) is {directory.relative_to(root)} in the copy, which the config "
            f"copy {root} lacks: copy the coordinator's catalog directory there"
        )
    return directory


def _jvm_properties(text: str) -> dict[str, str]:
    """The ``-Dname=value`` system properties of a ``jvm.config`` (one JVM option a line)."""
    found = {}
    for line in text.splitlines():
        name, sep, value = line.strip().removeprefix("-D").partition("=")
        if line.strip().startswith("-D") and sep:
            found[name] = value
    return found


def _config_files(root: Path) -> list[Path]:
    """Every file of the copy whose settings Trino (or a plugin's client) reads: properties files,
    ``jvm.config``, and the Kafka client files that ``*config.resources`` name (one the copy lacks
    or cannot hold is :class:`IncompleteConfigCopy`: its secrets would go unread)."""
    files = set(root.rglob("*.properties")) | (
        {root / "jvm.config"} if (root / "jvm.config").is_file() else set()
    )
    for path in list(files):
        if path.suffix != ".properties":
            continue
        for key, value in parse_properties(path.read_text(encoding="utf-8")).items():
            if key.endswith(".config-files"):  # an authenticator's or listener's file, whatever its name
                for named in filter(str.strip, value.split(",")):
                    local = local_path(root, named, f"{key} ({named.strip()})")
                    read_text(root, local, f"{key} ({named.strip()})")
                    files.add(local)
            if key.endswith("config.resources"):
                for named in filter(str.strip, value.split(",")):  # a Kafka client's secrets live there
                    local = local_path(root, named, f"{key} ({named.strip()})")
                    read_text(root, local, f"{key} ({named.strip()})")
                    files.add(local)
    return sorted(files)


def literal_secret_findings(config_dir: str | Path) -> tuple[Read, list[str]]:
    """What was read (files, and the secret-bearing keys judged), and each secret written out
    literally: a secret's key with a literal value, a password inside a URL, a credential header,
    a ``-D…password=`` in jvm.config. Only the file, the key and a length are reported: never the
    value."""
    root = Path(config_dir)
    directory = catalog_directory(root)  # the catalogs hold most secrets: a copy without them is no evidence
    if not any(directory.glob("*.properties")):
        cannot_judge(f"no catalog file (*.properties) in {directory.relative_to(root)} of the copy {root}")
    files, judged, findings = [], [], []
    for path in _config_files(root):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        settings = _jvm_properties(text) if path.name == "jvm.config" else parse_properties(text)
        files.append(rel)
        for key, value in settings.items():
            problems = literal_secrets(key, value)
            if problems or is_secret_name(key):
                judged.append(key)
            findings += [f"{rel}: {key} {problem}" for problem in problems]
    return Read(tuple(files), tuple(dict.fromkeys(judged))), findings
