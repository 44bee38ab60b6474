"""Find how to authenticate as a scenario user: by password login, else by client certificate."""

from __future__ import annotations

from trino_harness.scenario.model import Principal, Scenario


def principal_for_user(scenario: Scenario, user: str) -> Principal | None:
    """A principal that logs in as ``user`` directly, or None when the scenario offers none."""
    match = next((u for u in scenario.users if u.name == user), None)
    if match is not None and match.credential in ("file", "ldap"):
        return Principal(provider=match.credential, principal=match.login_name)
    subject = next((s for s in scenario.certificates if s.split(",")[0] == f"CN={user}"), None)
    return Principal(provider="certificate", principal=subject) if subject else None
