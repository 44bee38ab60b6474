"""The typed scenario: identities, rules and the expectation tables the suites iterate.

A scenario file describes a cluster's intended security. Everything the harness renders and
every parameterized check comes from here, so a user edits a table, not code.

Just over the house's 300 lines: the scenario's own sections (users, rules, mappings, load,
cluster) and the cross-field checks that join them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from trino_harness.scenario.clients import ClientLogin, Clients
from trino_harness.scenario.expectations import (
    AuditRow,
    AuthenticationRow,
    AuthFailureRow,
    AuthorizationRow,
    CatalogAccessRow,
    ColumnRuleRow,
    Expectations,
    FixtureTable,
    GroupAccessRow,
    ImpersonationRow,
    MappingRow,
    PasswordFileExpectations,
    Principal,
    QueryVisibilityRow,
    RoutineAccessRow,
    SchemaOwnershipRow,
    SessionPropertyRow,
    SmokeRow,
    SystemInformationRow,
    TableAccessRow,
    TablePrivilegeRow,
    TlsExpectations,
)
from trino_harness.scenario.kerberos import Kerberos
from trino_harness.scenario.oidc import Oidc
from trino_harness.scenario.strict import Name, Provider, Strict, check_regex

# The expectation rows are defined in expectations.py; the scenario's users import them from here too.
__all__ = [
    "AccessRules",
    "AuditRow",
    "AuthFailureRow",
    "AuthenticationRow",
    "AuthorizationRow",
    "CatalogAccessRow",
    "Cluster",
    "ColumnRuleRow",
    "Directory",
    "Expectations",
    "FixtureTable",
    "GroupAccessRow",
    "ImpersonationRow",
    "Jwt",
    "Load",
    "LoadLimits",
    "MappingRow",
    "MappingRule",
    "Name",
    "PasswordFileExpectations",
    "Principal",
    "Provider",
    "QueryVisibilityRow",
    "RoutineAccessRow",
    "Scenario",
    "SchemaOwnershipRow",
    "SessionPropertyRow",
    "SmokeRow",
    "SystemInformationRow",
    "TableAccessRow",
    "TablePrivilegeRow",
    "TlsExpectations",
    "Trino",
    "User",
    "UserMapping",
    "UserMappings",
]


class User(Strict):
    """A Trino user (end user or service account) and where its credential lives."""

    name: Name
    login: str | None = Field(None, description="Login name when it differs from the Trino user name")
    credential: Literal["file", "ldap", "none"]
    groups: tuple[Name, ...] = ()

    @property
    def login_name(self) -> str:
        return self.login or self.name


class Directory(Strict):
    """The LDAP directory the harness seeds."""

    base_dn: str = "dc=harness,dc=test"
    allowed_group: Name = Field(description="Only members of this LDAP group may log in (group-auth-pattern)")


class Jwt(Strict):
    issuer: str
    audience: str
    principal_field: str = "sub"


class MappingRule(Strict):
    pattern: str
    user: str | None = None
    allow: bool = True
    case: Literal["keep", "lower", "upper"] = "keep"

    _pattern = field_validator("pattern")(check_regex)


class UserMapping(Strict):
    """One authentication type's user mapping: a single pattern or an ordered rule file."""

    pattern: str | None = None
    rules: tuple[MappingRule, ...] | None = None

    _pattern = field_validator("pattern")(lambda v: v if v is None else check_regex(v))

    @model_validator(mode="after")
    def _one_of(self) -> UserMapping:
        if (self.pattern is None) == (self.rules is None):
            raise ValueError("set exactly one of 'pattern' or 'rules' (Trino refuses both)")
        return self


class UserMappings(Strict):
    password: UserMapping | None = None
    jwt: UserMapping | None = None
    certificate: UserMapping | None = None


RULE_SECTIONS = (
    "catalogs",
    "schemas",
    "tables",
    "functions",
    "procedures",
    "queries",
    "impersonation",
    "system_information",
    "system_session_properties",
    "catalog_session_properties",
    "authorization",
)


class AccessRules(Strict):
    """Trino's file-based system access control rules, in Trino's own JSON structure."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    catalogs: tuple[dict[str, Any], ...] | None = None
    schemas: tuple[dict[str, Any], ...] | None = None
    tables: tuple[dict[str, Any], ...] | None = None
    functions: tuple[dict[str, Any], ...] | None = None
    procedures: tuple[dict[str, Any], ...] | None = None
    queries: tuple[dict[str, Any], ...] | None = None
    impersonation: tuple[dict[str, Any], ...] | None = None
    system_information: tuple[dict[str, Any], ...] | None = None
    system_session_properties: tuple[dict[str, Any], ...] | None = None
    catalog_session_properties: tuple[dict[str, Any], ...] | None = None
    authorization: tuple[dict[str, Any], ...] | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: [dict(r) for r in v] for k, v in self.model_dump().items() if v is not None}


# The ways in a load run measures (trino_harness/load/ways.py holds one entry per name).
LoadWay = Literal["baseline", "password_file", "ldap", "ldap_no_cache", "jwt", "certificate", "impersonation"]


class LoadLimits(Strict):
    """Go-live limits for one way in: every limit set must hold, or the load run exits non-zero.

    Overheads are the way's full-statement latency minus the baseline's in the same run
    (median over repeats); ``error_rate`` pools every repeat.
    """

    p50_overhead_ms: float | None = None
    p95_overhead_ms: float | None = None
    p99_overhead_ms: float | None = None
    p95_ms: float | None = Field(None, description="Absolute full-statement p95 latency")
    p99_ms: float | None = Field(None, description="Absolute full-statement p99 latency")
    error_rate: float | None = Field(None, ge=0, le=1)


class Load(Strict):
    """What ``python -m trino_harness load`` runs by default, and its optional go-live thresholds."""

    statement: str = Field("SELECT 1", min_length=1)
    users_per_way: int = Field(2, ge=1, le=100, description="Concurrent Locust users per way in")
    rate_per_user: float = Field(0.5, ge=0, le=100, description="Statements/s per user; 0 = closed loop")
    run_time_s: float = Field(60, gt=0, le=3600)
    thresholds: dict[LoadWay | Literal["all"], LoadLimits] = Field(
        default_factory=dict, description="way in (or 'all') -> limits"
    )


class Trino(Strict):
    version: str = Field("476", pattern=r"^[0-9]{3}$")
    environment: str = Field("harness", pattern=r"^[a-z0-9_]+$")
    coordinator_alias: str = "trino"


class Cluster(Strict):
    """The two-node cluster: one worker beside the coordinator, and what the cluster checks expect."""

    worker_alias: str = Field("trino-worker", pattern=r"^[a-z][a-z0-9-]*$")
    include_coordinator: bool = Field(
        False, description="node-scheduler.include-coordinator: False keeps every task on the worker"
    )
    scan: str = Field(
        "SELECT count(*) FROM tpch.tiny.lineitem", description="A scan whose tasks must run on the worker"
    )
    join_timeout_s: float = Field(90, gt=0, description="How long a worker may take to be ACTIVE")
    rogue_wait_s: float = Field(
        30, gt=0, description="How long a worker with a wrong shared secret must stay out of the cluster"
    )
    internal_paths: tuple[str, ...] = Field(
        ("/v1/task", "/v1/memory"),
        description="Internal-only endpoints that must refuse a request without the internal bearer token",
    )


class Scenario(Strict):
    """A whole scenario file."""

    name: str
    description: str = ""
    trino: Trino = Trino()
    directory: Directory
    users: tuple[User, ...]
    jwt: Jwt
    certificates: tuple[str, ...] = Field((), description="Client certificate subjects (RFC 4514) to issue")
    user_mapping: UserMappings = UserMappings()
    kerberos: Kerberos | None = None  # optional MIT KDC + SPNEGO; see scenario/kerberos.py
    oidc: Oidc | None = None  # optional Keycloak + OAUTH2; see scenario/oidc.py
    clients: Clients = Clients()  # real client programs; see scenario/clients.py
    cluster: Cluster = Cluster()
    access_rules: AccessRules
    fixture_tables: tuple[FixtureTable, ...] = Field(
        (), description="Tables the operator creates for the table-privilege and column-rule checks"
    )
    operator: Principal = Field(description="Identity the harness uses for administrative reads")
    expectations: Expectations = Expectations()
    load: Load = Load()

    def user(self, name: str) -> User:
        return next(u for u in self.users if u.name == name)

    def login(self, provider: Literal["file", "ldap"], login: str) -> User | None:
        return next((u for u in self.users if u.credential == provider and u.login_name == login), None)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        names = [u.name for u in self.users]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"users: duplicate user name(s) {duplicates}")
        for section, rows in (
            ("authentication", self.expectations.authentication),
            ("smoke", self.expectations.smoke),
            ("user_mapping", self.expectations.user_mapping),
        ):
            for i, row in enumerate(rows):
                self._check_principal(f"expectations.{section}.{i}", row)
        self._check_principal("operator", self.operator)
        for i, imp in enumerate(self.expectations.impersonation):
            self._check_principal(f"expectations.impersonation.{i}.principal", imp.principal)
        return self

    @model_validator(mode="after")
    def _consistent_group_and_audit_tables(self) -> Scenario:
        known = {u.name for u in self.users}
        exp = self.expectations
        named = [(f"group_access.{i}.user", r.user) for i, r in enumerate(exp.group_access)]
        for table in (
            "catalog_access",
            "table_privileges",
            "column_rules",
            "session_properties",
            "schema_ownership",
            "routine_access",
            "system_information",
            "authorization",
        ):
            named += [(f"{table}.{i}.user", r.user) for i, r in enumerate(getattr(exp, table))]
        fixtures = {f.table for f in self.fixture_tables}
        for i, privilege_row in enumerate(exp.table_privileges):
            if privilege_row.table not in fixtures:
                raise ValueError(
                    f"expectations.table_privileges.{i}.table: '{privilege_row.table}' is not one of "
                    "fixture_tables "
                    "(the probes need a table whose columns they know)"
                )
        for i, row in enumerate(exp.query_visibility):
            named += [(f"query_visibility.{i}.{k}", getattr(row, k)) for k in ("viewer", "owner")]
        for where, name in named:
            if name not in known:
                raise ValueError(f"expectations.{where}: '{name}' is not one of the declared users")
        for i, group_row in enumerate(exp.group_access):
            if group_row.via is not None:
                self._check_principal(f"expectations.group_access.{i}.via", group_row.via)
        for i, audit in enumerate(exp.audit):
            self._check_principal(f"expectations.audit.{i}.principal", audit.principal)
        for i, client_row in enumerate(self.clients.rows):
            if client_row.user is not None or client_row.as_user is not None:  # a refusal may name a stranger
                self._check_principal(f"clients.rows.{i}.principal", client_row.principal)
        for i, failure in enumerate(exp.audit_auth_failures):
            if failure.attempt != "wrong_password":  # a wrong password needs no known login
                self._check_principal(f"expectations.audit_auth_failures.{i}", failure)
        return self

    def _check_principal(self, where: str, row: Principal | ClientLogin) -> None:
        if row.provider in ("file", "ldap") and self.login(row.provider, row.principal) is None:
            # A refused-login row may name an unknown principal on purpose; others may not.
            if not (isinstance(row, MappingRow) and row.user is None):
                raise ValueError(
                    f"{where}.principal: no user with credential '{row.provider}' logs in as "
                    f"'{row.principal}' (add it under users with that login)"
                )
        if row.provider == "certificate" and row.principal not in self.certificates:
            raise ValueError(f"{where}.principal: '{row.principal}' is not listed under certificates")
