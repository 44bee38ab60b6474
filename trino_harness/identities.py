"""Find how to authenticate as a scenario user, and every identity the scenario can log in as."""

from __future__ import annotations

from trino_harness.scenario.model import Principal, Scenario

NOBODY = "harness-no-such-user"  # a user name no directory holds: impersonating it must be refused
REACHABLE = ("file", "ldap", "jwt", "certificate")  # the ways in the harness's own client logs in by


def principal_for_user(scenario: Scenario, user: str) -> Principal | None:
    """A principal that logs in as ``user`` directly, or None when the scenario offers none."""
    match = next((u for u in scenario.users if u.name == user), None)
    if match is not None and match.credential in ("file", "ldap"):
        return Principal(provider=match.credential, principal=match.login_name)
    subject = next((s for s in scenario.certificates if s.split(",")[0] == f"CN={user}"), None)
    return Principal(provider="certificate", principal=subject) if subject else None


def declared_logins(scenario: Scenario) -> dict[tuple[str, str], str | None]:
    """(provider, principal) → the Trino user the scenario says it becomes (None: refused)."""
    expectations = scenario.expectations
    declared: dict[tuple[str, str], str | None] = {
        (r.provider, r.principal): r.user for r in expectations.smoke
    }
    declared.update({(r.provider, r.principal): r.user for r in expectations.authentication})
    declared.update({(r.provider, r.principal): r.user for r in expectations.user_mapping})
    return declared


def trino_user(scenario: Scenario, who: Principal) -> str | None:
    """The Trino user a principal becomes, where the scenario says so (else None)."""
    declared = declared_logins(scenario)
    if (who.provider, who.principal) in declared:
        return declared[(who.provider, who.principal)]
    if who.provider in ("file", "ldap"):
        found = scenario.login(who.provider, who.principal)
        return found.name if found else None
    if who.provider == "certificate":
        return who.principal.split(",")[0].removeprefix("CN=")
    return None


def logins(scenario: Scenario) -> dict[str, Principal]:
    """Trino user → one principal that logs in as it (declared users first, then every row's
    principal of a way the harness's client speaks); logins the scenario declares refused are left
    to the authentication tables."""
    declared = declared_logins(scenario)
    found: dict[str, Principal] = {}
    candidates = [principal_for_user(scenario, u.name) for u in scenario.users]
    candidates += [Principal(provider=p, principal=name) for (p, name) in declared]
    candidates += [r.principal for r in scenario.expectations.impersonation]
    for who in candidates:
        if who is None or who.provider not in REACHABLE:
            continue
        if (who.provider, who.principal) in declared and declared[(who.provider, who.principal)] is None:
            continue
        user = trino_user(scenario, who)
        if user is not None and user not in found:
            found[user] = who
    return found


def groups_of(scenario: Scenario, user: str) -> frozenset[str]:
    """The groups the scenario declares for ``user`` (none for a user it does not list)."""
    return frozenset(next((u.groups for u in scenario.users if u.name == user), ()))


def known_user_names(scenario: Scenario) -> list[str]:
    """Every user name the scenario knows of anywhere, and one that exists nowhere (``NOBODY``)."""
    expectations = scenario.expectations
    names = [u.name for u in scenario.users]
    names += [s.split(",")[0].removeprefix("CN=") for s in scenario.certificates]
    names += [user for user in declared_logins(scenario).values() if user]
    names += [r.as_user for r in expectations.impersonation]
    names += [n for r in scenario.clients.rows for n in (r.as_user, r.user) if n]
    return [*dict.fromkeys(names), NOBODY]
