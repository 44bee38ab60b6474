"""Stage, provider and severity of a suite check, decided in one place from what pytest knows of it.

Nothing here imports pytest: the plugin hands over the marker names, the module and function
names, the parameter id and the parameter values, so the mapping is plain data and testable.

Severity (Allure's levels), from the first rule that matches:

1. a per-check override in ``SEVERITY_OVERRIDES`` (e.g. LDAP over cleartext is critical);
2. ``tls`` stage: **critical** (cleartext credentials or a forged coordinator defeat everything else);
   ``secrets`` stage too (a password written in a config file leaks with every copy of the file);
3. ``authn``/``authz``/``clients`` check whose case must be refused (``…-rejected``, ``-refused``,
   ``-denied``, ``see-no``, ``kill-no``): **critical**, a pass there is a bypass;
4. ``smoke``: **minor** (wiring; any real fault also turns a stage check red);
   ``cluster`` checks of a refusal or of internal TLS: **critical** (a rogue node or cleartext
   internal traffic); ``webui`` checks of a refusal: **critical**;
5. everything else (a legitimate login or grant works, mapping, groups, audit records): **normal**.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Report order; webui, cluster and clients were added last (a stage keeps its number).
STAGES = ("tls", "authn", "authz", "audit", "secrets", "smoke", "webui", "cluster", "clients")
STAGE_TITLES = {
    "tls": "TLS",
    "authn": "Authentication",
    "authz": "Authorization",
    "audit": "Audit",
    "secrets": "Secrets hygiene",
    "smoke": "Smoke (end-to-end wiring)",
    "webui": "Web UI login",
    "cluster": "Cluster-internal security",
    "clients": "Real clients (CLI, JDBC, Python, Go)",
}
SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")

# The scenario spells the password-file provider "file"; reports use the module's name for it.
PROVIDER_NAMES = {
    "file": "password_file", "ldap": "ldap", "jwt": "jwt", "certificate": "certificate", "oauth2": "oauth2",
    "kerberos": "kerberos",
}  # fmt: skip
MODULE_PROVIDERS = {
    "test_authn_password_file": "password_file",
    "test_authn_ldap": "ldap",
    "test_authn_jwt": "jwt",
    "test_authn_certificate": "certificate",
    "test_authn_combined": "combined",
    "test_authn_oidc": "oauth2",
    "test_web_ui_oauth2": "oauth2",
}
NO_PROVIDER = "none"

SEVERITY_OVERRIDES = {
    # Trino binding to LDAP in cleartext hands every user's password to the network.
    "test_ldap_connection_from_trino_is_encrypted": "critical",
    # One provider's failure must never log in through another: every row guards a bypass.
    "test_failure_in_one_provider_never_authenticates_through_another": "critical",
    # Closed world: a pass there means no identity reaches a user no row allows.
    "test_impersonation_beyond_the_table_is_denied": "critical",
    "test_every_catalog_and_table_is_reached_only_as_the_rules_allow": "critical",
    "test_every_running_query_is_seen_and_killed_only_as_the_rules_allow": "critical",
    # A missing Basic challenge breaks clients, not security.
    "test_request_without_credentials_gets_a_basic_challenge": "minor",
}
_CLUSTER_REFUSALS = re.compile(r"refuse|https|tls")
_MUST_BE_REFUSED = re.compile(r"(?:^|-)(?:rejected|refused|denied|see-no|kill-no)(?:-|$)")


@dataclass(frozen=True)
class Labels:
    stage: str
    provider: str
    severity: str

    @property
    def stage_title(self) -> str:
        return STAGE_TITLES.get(self.stage, self.stage)


def stage_of(markers: Iterable[str]) -> str | None:
    """The first stage marker in report order, or None: the item is not a suite check."""
    names = set(markers)
    return next((stage for stage in STAGES if stage in names), None)


def provider_of(module: str, params: Mapping[str, object]) -> str:
    """The provider a module is about, else the one of the principal a parameter row logs in with."""
    if module in MODULE_PROVIDERS:
        return MODULE_PROVIDERS[module]
    for value in params.values():
        found = _provider_in(value)
        if found:
            return PROVIDER_NAMES.get(found, found)
    return NO_PROVIDER


def _provider_in(value: object, depth: int = 0) -> str | None:
    """Duck-typed: a scenario Principal has ``provider``; rows hold one as ``row``/``principal``/``via``."""
    provider = getattr(value, "provider", None)
    if isinstance(provider, str):
        return provider
    if depth < 2:
        for attribute in ("row", "principal", "via"):
            inner = getattr(value, attribute, None)
            if inner is not None and not isinstance(inner, str):
                found = _provider_in(inner, depth + 1)
                if found:
                    return found
    return None


def severity_of(stage: str, function: str, case_id: str) -> str:
    """Allure severity; the rules are in this module's docstring (and docs/reports.md)."""
    if function in SEVERITY_OVERRIDES:
        return SEVERITY_OVERRIDES[function]
    if stage in ("tls", "secrets"):
        return "critical"
    if stage in ("authn", "authz", "clients") and _MUST_BE_REFUSED.search(case_id):
        return "critical"
    if stage == "smoke":
        return "minor"
    if stage == "webui" and "valid" not in function:  # a pass there is a way in without a login
        return "critical"
    if stage == "cluster" and _CLUSTER_REFUSALS.search(function):  # a pass there is a way into the cluster
        return "critical"
    return "normal"


def labels_of(
    markers: Iterable[str], module: str, function: str, case_id: str, params: Mapping[str, object]
) -> Labels | None:
    """All three labels, or None for an item that carries no stage marker (not a suite check)."""
    stage = stage_of(markers)
    if stage is None:
        return None
    return Labels(stage, provider_of(module, params), severity_of(stage, function, case_id))
