"""The one registry of ways in: which identity each Locust user class presents, and on which stack.

Identities come from the scenario's own tables (the smoke table names one working principal per
provider; the impersonation table an allowed service account), so a scenario that renames its
users needs no code change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import get_args

from trino_harness.capabilities import MissingCapability
from trino_harness.scenario.model import LoadWay, Scenario
from trino_harness.target import Target

REFERENCE = "reference"  # the coordinator exactly as the scenario renders it
LDAP_NO_CACHE = "ldap-no-cache"  # the same, with the LDAP authenticator's cache off


@dataclass(frozen=True)
class Access:
    """How a way authenticates: provider, principal, and the user it asks to act as (impersonation)."""

    provider: str
    principal: str
    as_user: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _smoke(provider: str) -> Callable[[Scenario], Access | None]:
    def pick(scenario: Scenario) -> Access | None:
        row = next((r for r in scenario.expectations.smoke if r.provider == provider), None)
        return Access(row.provider, row.principal) if row else None

    return pick


def _impersonation(scenario: Scenario) -> Access | None:
    """The first allowed row where a password principal acts as *another* user."""
    for row in scenario.expectations.impersonation:
        who = row.principal
        if row.allowed and who.provider in ("file", "ldap"):
            user = scenario.login(who.provider, who.principal)
            if user is not None and user.name != row.as_user:
                return Access(who.provider, who.principal, row.as_user)
    return None


@dataclass(frozen=True)
class Way:
    name: LoadWay
    user_class: str  # the Locust user class in the locustfile (trino_harness/load/locustfile.py)
    title: str
    stack: str
    pick: Callable[[Scenario], Access | None]
    replaces: str | None = None  # on its own stack, this way stands in for that reference way


WAYS: tuple[Way, ...] = (
    Way(
        "baseline",
        "Baseline",
        "HTTPS + client certificate on a kept-alive connection (cheapest: CERTIFICATE is first in "
        "the chain, no per-request crypto or I/O)",
        REFERENCE,
        _smoke("certificate"),
    ),
    Way(
        "password_file",
        "PasswordFile",
        "password file (bcrypt, verified credentials cached)",
        REFERENCE,
        _smoke("file"),
    ),
    Way(
        "ldap", "Ldap", "LDAP over LDAPS, authenticator cache on (ldap.cache-ttl)", REFERENCE, _smoke("ldap")
    ),
    Way(
        "ldap_no_cache",
        "LdapNoCache",
        "LDAP over LDAPS, cache off (ldap.cache-ttl=0s): bind + group search per HTTP request",
        LDAP_NO_CACHE,
        _smoke("ldap"),
        replaces="ldap",
    ),
    Way("jwt", "Jwt", "JWT bearer token (RS256 verified per request)", REFERENCE, _smoke("jwt")),
    Way(
        "certificate",
        "Certificate",
        "client certificate: the baseline's identity again, an A/A control showing the noise floor",
        REFERENCE,
        _smoke("certificate"),
    ),
    Way(
        "impersonation",
        "Impersonation",
        "service account (password) impersonating a user (X-Trino-User + impersonation rule)",
        REFERENCE,
        _impersonation,
    ),
)
BASELINE = "baseline"
STACK_ORDER = (REFERENCE, LDAP_NO_CACHE)


def way(name: str) -> Way:
    for candidate in WAYS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown way in '{name}'; known: {', '.join(w.name for w in WAYS)}")


def known_names() -> tuple[str, ...]:
    """Every way name the scenario model accepts (kept equal to the registry by a unit test)."""
    return get_args(LoadWay)


@dataclass(frozen=True)
class Selection:
    """The ways a run measures, each with its identity, and those it must skip (with the reason)."""

    accesses: dict[str, Access]
    skipped: dict[str, str]

    def stacks(self) -> list[str]:
        """Stacks the selected ways need, in run order; every stack also runs the baseline."""
        needed = {way(name).stack for name in self.accesses if name != BASELINE} or {REFERENCE}
        return [s for s in STACK_ORDER if s in needed]

    def on_stack(self, stack: str) -> list[str]:
        """Ways run on ``stack``: the same mix everywhere (so the load level matches), with a
        stack's own ways standing in for the reference ways they replace. The baseline is first."""
        own = [w for w in WAYS if w.name in self.accesses and w.stack == stack and stack != REFERENCE]
        replaced = {w.replaces for w in own}
        mix = [w for w in WAYS if w.name in self.accesses and w.stack == REFERENCE and w.name not in replaced]
        return [w.name for w in WAYS if w in mix or w in own]

    def home(self, stack: str) -> list[str]:
        """Ways whose figures are reported from ``stack`` (the baseline is reported per stack)."""
        return [n for n in self.on_stack(stack) if way(n).stack == stack or n == BASELINE]


def select(scenario: Scenario, names: list[str] | None = None) -> Selection:
    """Resolve ``names`` (default: every way) against ``scenario``; the baseline is always included."""
    wanted = list(names or [w.name for w in WAYS])
    for name in wanted:
        way(name)  # fail fast on a typo
    if BASELINE not in wanted:
        wanted.insert(0, BASELINE)
    accesses: dict[str, Access] = {}
    skipped: dict[str, str] = {}
    for candidate in WAYS:
        if candidate.name not in wanted:
            continue
        access = candidate.pick(scenario)
        if access is None:
            skipped[candidate.name] = "the scenario names no identity for it (smoke/impersonation tables)"
        else:
            accesses[candidate.name] = access
    if BASELINE not in accesses:
        raise ValueError("the scenario's smoke table has no client-certificate row: no baseline identity")
    return Selection(accesses, skipped)


def _credentials_of(target: Target, access: Access) -> None:
    """Raise MissingCapability when ``target`` cannot present ``access``'s identity."""
    if access.provider in ("file", "ldap"):
        target.password(access.provider, access.principal)
    elif access.provider == "jwt":
        target.jwt_key()
    elif access.provider == "certificate":
        target.client_cert(access.principal)


def offered_by(selection: Selection, target: Target) -> Selection:
    """``selection`` without the ways ``target`` holds no identity for (a remote profile lists only
    what its owners gave): each is reported as not measured, naming the profile field to add."""
    accesses: dict[str, Access] = {}
    skipped = dict(selection.skipped)
    for name, access in selection.accesses.items():
        try:
            _credentials_of(target, access)
        except MissingCapability as exc:
            skipped[name] = f"not measured: {exc}"
        else:
            accesses[name] = access
    if BASELINE not in accesses:
        raise ValueError(f"no baseline identity: {skipped[BASELINE]}")
    return Selection(accesses, skipped)
