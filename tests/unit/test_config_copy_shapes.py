"""Project test (b) of issue 28: every static lint over a config copy with every shape a real etc/
has. Each lint either judges the copy correctly (a sound copy PASSes, a broken one FAILs) or says
it cannot judge (ERROR); it never passes on what it did not read.

The shapes: the three separators java.util.Properties knows (``=``, ``:``, whitespace), values
split over continuation lines, an absolute catalog dir inside /etc/trino, one outside it (present on
the harness host, which must not be read), no catalog dir, and dynamic catalogs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import bcrypt
import pytest

# The suites' checks are reached through their modules: a check imported by name would be collected
# here as a test of its own, with the harness's fixtures (a stack) behind it.
import suites.test_account_inventory as inventory
import suites.test_audit_integrity as audit_integrity
import suites.test_authn_ldap as ldap
import suites.test_authn_password_file as password_file
import suites.test_data_sources as data_sources
import suites.test_secrets as secrets
from tests.unit.config_copies import CopyTarget, run_check, write_copy
from trino_harness.scenario.loader import load_scenario
from trino_harness.scenario.model import Scenario

Props = dict[str, str]


@cache
def _hash(cost: int) -> str:
    return "$2y$" + bcrypt.hashpw(b"pw", bcrypt.gensalt(cost)).decode()[4:]


def _etc(scenario: Scenario, *, broken: bool) -> tuple[dict[str, Props], str]:
    """The properties files of a coordinator etc/ (file -> key -> value) and its password file;
    ``broken`` plants one defect for each lint."""
    config = {
        "coordinator": "true",
        "password-authenticator.config-files": "/etc/trino/password-file.properties,"
        "/etc/trino/password-ldap.properties",
        "event-listener.config-files": "/etc/trino/http-event-listener.properties",
        "internal-communication.shared-secret": "${ENV:SHARED_SECRET}",
    }
    url = "jdbc:postgresql://db:5432/w?ssl=true&sslmode=verify-full&sslrootcert=/etc/trino/tls/ca.pem"
    files = {
        "config.properties": config,
        "password-file.properties": {
            "password-authenticator.name": "file",
            "file.password-file": "/etc/trino/password.db",
        },
        "password-ldap.properties": {
            "password-authenticator.name": "ldap",
            "ldap.url": "ldap://ldap:389" if broken else "ldaps://ldap:636",
            "ldap.user-bind-pattern": "uid=${USER},ou=people,dc=harness,dc=test",
            **({"ldap.allow-insecure": "true"} if broken else {}),
        },
        "catalog/postgresql.properties": {
            "connector.name": "postgresql",
            "connection-url": "jdbc:postgresql://db:5432/w" if broken else url,
            "connection-user": "trino",
            "connection-password": "hunter2secret" if broken else "${ENV:PG_PASSWORD}",
        },
        "catalog/tpch.properties": {"connector.name": "tpch"},
        "http-event-listener.properties": {
            "event-listener.name": "http",
            "http-event-listener.connect-ingest-uri": "http://audit:8080/events"
            if broken
            else "https://audit:8443/events",
        },
    }
    cost = scenario.expectations.password_file.min_bcrypt_cost
    users = sorted({u.login_name for u in scenario.users if u.credential == "file"})
    password_db = "".join(f"{user}:{_hash(cost)}\n" for user in users)
    if broken:
        password_db += f"mallory:{_hash(4)}\n"  # undeclared, and a weak hash
    return files, password_db


def _continued(value: str) -> str:
    """``value`` split over two lines as Java joins them (the next line's leading blanks dropped)."""
    cut = len(value) // 2
    while cut < len(value) and value[cut].isspace():
        cut += 1
    return value if cut >= len(value) else f"{value[:cut]}\\\n    {value[cut:]}"


SEPARATORS: dict[str, Callable[[str, str], str]] = {
    "equals": lambda k, v: f"{k}={v}",
    "colon": lambda k, v: f"{k}: {v}",
    "spaced-colon": lambda k, v: f"{k} : {v}",
    "whitespace": lambda k, v: f"{k} {v}",
    "continuation": lambda k, v: f"{k}={_continued(v)}",
}


def _write(root: Path, files: dict[str, Props], password_db: str, line: Callable[[str, str], str]) -> Path:
    texts = {
        rel: "# a comment\n" + "".join(line(k, v) + "\n" for k, v in props.items())
        for rel, props in files.items()
    }
    return write_copy(root, {**texts, "password.db": password_db})


def _catalog_dir_shape(root: Path, shape: str, files: dict[str, Props]) -> None:
    """Move the catalogs the way ``shape`` says (the copy's own files stay as they are otherwise)."""
    config = files["config.properties"]
    if shape == "absolute-inside":
        (root / "catalog").rename(root / "catalogs")
        config["catalog.config-dir"] = "/etc/trino/catalogs"
    elif shape == "absolute-outside":
        host = root.parent / f"{root.name}-host-catalog"  # present on the harness host, outside the copy
        (root / "catalog").rename(host)
        config["catalog.config-dir"] = str(host)
    elif shape == "no-catalog-dir":
        for path in (root / "catalog").iterdir():
            path.unlink()
        (root / "catalog").rmdir()
    elif shape == "dynamic":
        config["catalog.management"] = "dynamic"
    (root / "config.properties").write_text("".join(f"{k}={v}\n" for k, v in config.items()))


LINTS: dict[str, Callable[..., Any]] = {
    "literal-secrets": secrets.test_no_secret_is_written_literally_in_the_config,
    "data-sources": data_sources.test_every_external_catalog_encrypts_and_verifies_its_source,
    "event-listener": audit_integrity.test_every_event_listener_target_is_https,
    "account-inventory": inventory.test_password_file_holds_only_declared_accounts,
    "password-hashes": password_file.test_password_file_hashes_are_strong,
    "ldap-transport": ldap.test_ldap_connection_from_trino_is_encrypted,
}
TAKES_SCENARIO = {"account-inventory", "password-hashes", "ldap-transport"}
CATALOG_SHAPES = ("absolute-inside", "absolute-outside", "no-catalog-dir", "dynamic")
UNREADABLE = {"absolute-outside", "no-catalog-dir", "dynamic"}  # the catalogs cannot be read: ERROR
READS_CATALOGS = {"data-sources", "literal-secrets"}


def _outcomes(root: Path, scenario: Scenario) -> dict[str, str]:
    target = CopyTarget(root)
    outcomes = {}
    for name, lint in LINTS.items():
        args = (target, scenario) if name in TAKES_SCENARIO else (target,)
        outcome = run_check(lint, *args)
        outcomes[name] = f"{outcome.status}: {outcome.text[:300]}"
    return outcomes


def _expected(shape: str, lint: str, broken: bool) -> str:
    if lint in READS_CATALOGS and shape in UNREADABLE:
        return "ERROR"
    return "FAIL" if broken else "PASS"


@pytest.mark.parametrize("broken", [False, True], ids=["sound", "broken"])
@pytest.mark.parametrize("shape", [*SEPARATORS, *CATALOG_SHAPES])
def test_every_lint_judges_every_shape_of_a_real_etc_correctly_or_cannot_judge(tmp_path, shape, broken):
    scenario = load_scenario()
    files, password_db = _etc(scenario, broken=broken)
    root = _write(tmp_path / "etc", files, password_db, SEPARATORS.get(shape, SEPARATORS["equals"]))
    if shape in CATALOG_SHAPES:
        _catalog_dir_shape(root, shape, files)
    outcomes = _outcomes(root, scenario)
    wrong = {
        lint: seen for lint, seen in outcomes.items() if not seen.startswith(_expected(shape, lint, broken))
    }
    assert not wrong, wrong
    if broken:
        assert "hunter2secret" not in " ".join(outcomes.values())  # a literal is named, never shown
