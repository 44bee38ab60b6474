"""The well-known default credentials the account-inventory probe tries: data, not code.

The list ships as package data (``scenarios/default-credentials.yaml`` in a checkout); users extend
it, or a scenario names its own file. This module only types it and expands it into the bounded list
of login attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from trino_harness.paths import DEFAULT_CREDENTIALS
from trino_harness.scenario.model import Scenario, Strict
from trino_harness.yaml_model import load_yaml_model

DEFAULT_FILE = DEFAULT_CREDENTIALS


class DefaultCredentialsError(ValueError):
    """The credential list file is missing or malformed."""


class Credential(Strict):
    user: str = Field(min_length=1)
    password: str = Field(min_length=1)


class DefaultCredentials(Strict):
    credentials: tuple[Credential, ...] = Field(
        max_length=50, description="at most 50: each is a login attempt"
    )
    user_name_as_password: bool = True


@dataclass(frozen=True)
class Attempt:
    user: str
    password: str
    why: str  # how the report names it without echoing a password: "list entry 3", "own name"


def load_default_credentials(path: Path | str = DEFAULT_FILE) -> DefaultCredentials:
    return load_yaml_model(
        Path(path), DefaultCredentials, "default-credentials list", DefaultCredentialsError
    )


def attempts(listed: DefaultCredentials, scenario: Scenario) -> list[Attempt]:
    """Every listed pair, then each declared password account with its name as password (once each)."""
    found = [Attempt(c.user, c.password, f"list entry {i}") for i, c in enumerate(listed.credentials, 1)]
    if listed.user_name_as_password:
        for user in scenario.users:
            if user.credential in ("file", "ldap"):
                found.append(Attempt(user.login_name, user.login_name, "its own name as password"))
    unique: dict[tuple[str, str], Attempt] = {}
    for attempt in found:
        unique.setdefault((attempt.user, attempt.password), attempt)
    return list(unique.values())
