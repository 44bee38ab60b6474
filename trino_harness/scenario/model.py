"""The typed scenario: identities, rules and the expectation tables the suites iterate.

A scenario file describes a cluster's intended security. Everything the harness renders and
every parameterized check comes from here, so a user edits a table, not code.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from trino_harness.scenario.clients import ClientLogin, Clients
from trino_harness.scenario.kerberos import Kerberos
from trino_harness.scenario.oidc import Oidc

Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Provider = Literal["file", "ldap", "jwt", "certificate"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from exc
    return value


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

    _pattern = field_validator("pattern")(_check_regex)


class UserMapping(Strict):
    """One authentication type's user mapping: a single pattern or an ordered rule file."""

    pattern: str | None = None
    rules: tuple[MappingRule, ...] | None = None

    _pattern = field_validator("pattern")(lambda v: v if v is None else _check_regex(v))

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


class Principal(Strict):
    """How a check authenticates: which provider, and the name it presents."""

    provider: Provider
    principal: str

    def label(self) -> str:
        short = (
            self.principal.split(",")[0].removeprefix("CN=")
            if self.provider == "certificate"
            else (self.principal)
        )
        return f"{self.provider}-{short}"


class SmokeRow(Principal):
    user: str = Field(description="Trino user the server must report for this principal")

    def test_id(self) -> str:
        return f"{self.label()}-as-{self.user}"


class MappingRow(Principal):
    user: str | None = Field(description="Expected Trino user, or null when the principal must be refused")

    def test_id(self) -> str:
        return f"{self.label()}-{f'as-{self.user}' if self.user else 'refused'}"


class ImpersonationRow(Strict):
    principal: Principal
    as_user: str = Field(alias="as")
    allowed: bool

    def test_id(self) -> str:
        return f"{self.principal.label()}-as-{self.as_user}-{'allowed' if self.allowed else 'denied'}"


class TableAccessRow(Strict):
    user: str
    table: str = Field(pattern=r"^[^.]+\.[^.]+\.[^.]+$")
    allowed: bool

    def test_id(self) -> str:
        return f"{self.user}-{self.table}-{'allowed' if self.allowed else 'denied'}"


CatalogMode = Literal["all", "read-only", "none"]


class CatalogAccessRow(Strict):
    """``user``'s access mode on ``catalog``, as the first matching ``catalogs`` rule gives it.

    ``none``: the catalog is hidden (SHOW CATALOGS, system.metadata.catalogs) and refused;
    ``read-only``: listed and readable, every write refused; ``all``: the catalog refuses no write
    (the schema and table rules still may). The write probed is CREATE SCHEMA, so an ``all`` row
    needs a catalog whose connector creates schemas (``memory``).
    """

    user: Name
    catalog: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    access: CatalogMode

    def test_id(self) -> str:
        return f"{self.user}-{self.catalog}-{self.access}"


TablePrivilege = Literal["SELECT", "INSERT", "DELETE", "UPDATE", "OWNERSHIP"]
QualifiedTable = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]


class FixtureTable(Strict):
    """A table the operator creates (empty, or with ``rows``) before the checks that name it.

    The write and column checks need tables whose shape and data they know: a memory-catalog
    table costs nothing and vanishes with the coordinator.
    """

    table: QualifiedTable
    columns: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], str] = Field(min_length=1)
    rows: tuple[tuple[Any, ...], ...] = ()

    @model_validator(mode="after")
    def _rows_fit(self) -> FixtureTable:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"rows.{i}: {len(row)} values for {len(self.columns)} columns")
        return self


class TablePrivilegeRow(Strict):
    """May ``user`` use ``privilege`` on a fixture table? Each privilege is probed by a statement
    that needs exactly it and changes no data: INSERT of no rows, TRUNCATE (DELETE's check) of an
    empty table, UPDATE of no rows, SHOW CREATE TABLE (OWNERSHIP's check)."""

    user: Name
    table: QualifiedTable
    privilege: TablePrivilege
    allowed: bool

    def test_id(self) -> str:
        return f"{self.user}-{self.privilege.lower()}-{self.table}-{'allowed' if self.allowed else 'denied'}"


class ColumnRuleRow(Strict):
    """``user`` runs ``sql`` on a fixture table: the values it gets back (``rows``, in order), or the
    error it gets. Judging the values is what catches a dropped column mask or row filter."""

    user: Name
    label: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Names the row in the test id")
    sql: str = Field(min_length=1)
    rows: tuple[tuple[Any, ...], ...] | None = None
    error: str | None = Field(None, description="Trino error name, e.g. PERMISSION_DENIED")

    @model_validator(mode="after")
    def _rows_or_error(self) -> ColumnRuleRow:
        if (self.rows is None) == (self.error is None):
            raise ValueError("set exactly one of 'rows' (the values returned) or 'error'")
        return self

    def test_id(self) -> str:
        return f"{self.user}-{self.label}"


class SessionPropertyRow(Strict):
    """May ``user`` ``SET SESSION property = value``? ``catalog.property`` names a catalog session
    property (``system_session_properties`` / ``catalog_session_properties`` rules decide)."""

    user: Name
    property: str = Field(pattern=r"^([a-z][a-z0-9_]*\.)?[a-z][a-z0-9_]*$")
    value: str = Field(min_length=1, description="A SQL literal the property accepts, e.g. '1h' or false")
    allowed: bool

    def test_id(self) -> str:
        return f"{self.user}-sets-{self.property}-{'allowed' if self.allowed else 'denied'}"


class SchemaOwnershipRow(Strict):
    """Does ``user`` own ``schema`` (the first matching ``schemas`` rule, ``owner: true``)? Probed by
    SHOW CREATE SCHEMA, which Trino checks as schema ownership and which changes nothing. With no
    ``schemas`` section every user owns every schema of a catalog it has ``all`` access to."""

    user: Name
    schema_name: str = Field(alias="schema", pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    owner: bool

    def test_id(self) -> str:
        return f"{self.user}-{self.schema_name}-{'owner' if self.owner else 'not-owner'}"


RoutineSection = Literal["functions", "procedures"]


class RoutineAccessRow(Strict):
    """May ``user`` run ``sql``, a call of a function, table function or procedure? The ``section``
    of rules.json that decides it names the fix. A built-in function row proves a ``functions``
    section still lets ``system.builtin`` through (a section without that rule denies ``abs()``)."""

    user: Name
    label: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Names the row in the test id")
    sql: str = Field(min_length=1)
    section: RoutineSection
    allowed: bool

    def test_id(self) -> str:
        return f"{self.user}-{self.label}-{'allowed' if self.allowed else 'denied'}"


class SystemInformationRow(Strict):
    """``system_information`` rights of ``user``: ``read`` (the management endpoints Trino guards by
    it, e.g. GET /v1/node) and ``write`` (PUT /v1/info/state, graceful shutdown). The write right is
    judged without a shutdown: the probe asks for the state the node is already in."""

    user: Name
    read: bool
    write: bool

    def test_id(self) -> str:
        rights = [r for r, on in (("read", self.read), ("write", self.write)) if on]
        return f"{self.user}-{'-'.join(rights) or 'no-rights'}"


class AuthorizationRow(Strict):
    """May ``user`` hand ``entity`` (a schema ``catalog.schema`` or a table ``catalog.schema.table``)
    to ``new_owner`` with ALTER … SET AUTHORIZATION? Trino asks for ownership of the entity and then
    the first matching ``authorization`` rule (none: denied). The probe changes nothing where the
    connector cannot set an owner (the memory connector answers NOT_SUPPORTED after the check); on
    one that can, name the entity's current owner as ``new_owner``."""

    user: Name
    entity: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
    new_owner: Name
    allowed: bool

    @property
    def kind(self) -> Literal["SCHEMA", "TABLE"]:
        return "TABLE" if self.entity.count(".") == 2 else "SCHEMA"

    def statement(self) -> str:
        return f"ALTER {self.kind} {self.entity} SET AUTHORIZATION USER {self.new_owner}"

    def test_id(self) -> str:
        return f"{self.user}-{self.entity}-to-{self.new_owner}-{'allowed' if self.allowed else 'denied'}"


class AuthenticationRow(Principal):
    """A principal the authentication suites attack with every case its provider knows."""

    user: str | None = Field(
        description="Trino user a valid login maps to, or null when even valid credentials must be refused"
    )


TlsProtocol = Literal["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
WeakCipher = Literal["NULL", "EXPORT", "RC4", "DES", "3DES", "anon", "MD5"]
MozillaProfile = Literal["modern", "intermediate", "old"]


class TlsExpectations(Strict):
    """The coordinator's TLS floor: which protocol versions answer and which cipher families never do."""

    accepted_protocols: tuple[TlsProtocol, ...] = ("TLSv1.2", "TLSv1.3")
    refused_protocols: tuple[TlsProtocol, ...] = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1")
    weak_ciphers: tuple[WeakCipher, ...] = ("NULL", "EXPORT", "RC4", "DES", "3DES", "anon", "MD5")
    # Beyond the floor: the Mozilla server-side TLS profile sslyze judges the scan against (null: none).
    mozilla_profile: MozillaProfile | None = "intermediate"
    # Floors for the served certificate (defaults: Mozilla's intermediate profile).
    min_rsa_key_bits: int = Field(default=2048, ge=1024)
    min_ec_key_bits: int = Field(default=256, ge=160)
    signature_algorithms: tuple[str, ...] = (
        "sha256WithRSAEncryption",
        "sha384WithRSAEncryption",
        "sha512WithRSAEncryption",
        "ecdsa-with-SHA256",
        "ecdsa-with-SHA384",
        "ecdsa-with-SHA512",
    )
    max_certificate_lifetime_days: int = Field(default=366, ge=1)
    # Red when the coordinator's certificate expires within this many days: renew before the outage.
    expiry_horizon_days: int = Field(default=30, ge=0)

    @model_validator(mode="after")
    def _disjoint(self) -> TlsExpectations:
        both = set(self.accepted_protocols) & set(self.refused_protocols)
        if both:
            raise ValueError(f"protocols both accepted and refused: {sorted(both)}")
        return self


class PasswordFileExpectations(Strict):
    """Floors for password-file hashes; Trino itself only insists on bcrypt cost 8 and PBKDF2 1000."""

    min_bcrypt_cost: int = Field(10, ge=8)
    # OWASP's 2023 figure for PBKDF2-HMAC-SHA1, the variant Trino's file authenticator uses.
    min_pbkdf2_iterations: int = Field(1_300_000, ge=1000)


# -- groups, query visibility and audit correctness ---------------------------------------------
class GroupAccessRow(Strict):
    """``user`` (itself, or impersonated by ``via``) has its declared groups; a group rule decides ``table``.

    The groups expected are the user's ``users[].groups``: what the group provider must report even
    when the user is only impersonated (a request carries the user name, never its groups).
    """

    user: Name
    via: Principal | None = Field(None, description="Impersonating principal; null: the user logs in itself")
    table: str = Field(pattern=r"^[^.]+\.[^.]+\.[^.]+$")
    allowed: bool

    def test_id(self) -> str:
        who = f"{self.via.label()}-as-{self.user}" if self.via else self.user
        return f"{who}-reads-{self.table}-{'allowed' if self.allowed else 'denied'}"


class QueryVisibilityRow(Strict):
    """May ``viewer`` see the text of, and kill, a running query of ``owner``?"""

    viewer: Name
    owner: Name
    can_see: bool
    can_kill: bool

    def test_id(self) -> str:
        yes_no = {True: "yes", False: "no"}
        return f"{self.viewer}-on-{self.owner}-see-{yes_no[self.can_see]}-kill-{yes_no[self.can_kill]}"


class AuditRow(Strict):
    """One query and the completed event it must leave: who ran it, as whom, and how it ended."""

    principal: Principal
    as_user: str | None = Field(None, alias="as", description="Requested (impersonated) user, if any")
    user: Name = Field(description="Effective Trino user the event must name")
    sql: str
    state: Literal["FINISHED", "FAILED"]
    error: str | None = Field(None, description="Trino error name a FAILED query must record")
    client_info_recorded: bool = Field(
        True,
        description="False where Trino fails the query before its session exists (e.g. impersonation "
        "denied): that event keeps user, principal and source but no client info",
    )

    @model_validator(mode="after")
    def _error_iff_failed(self) -> AuditRow:
        if (self.state == "FAILED") != (self.error is not None):
            raise ValueError("set 'error' (the Trino error name) exactly when state is FAILED")
        return self

    def test_id(self) -> str:
        who = self.principal.label() + (f"-as-{self.as_user}" if self.as_user else "")
        return f"{who}-{self.state.lower()}" + (f"-{self.error}" if self.error else "")


AuthAttempt = Literal["wrong_password", "expired_token", "refused_principal"]
_ATTEMPT_PROVIDERS: dict[str, tuple[str, ...]] = {
    "wrong_password": ("file", "ldap"),
    "expired_token": ("jwt",),
    "refused_principal": ("jwt", "certificate"),
}


class AuthFailureRow(Principal):
    """A login that must fail: recorded in the request log, never as a query or a query event."""

    attempt: AuthAttempt

    @model_validator(mode="after")
    def _attempt_fits_provider(self) -> AuthFailureRow:
        if self.provider not in _ATTEMPT_PROVIDERS[self.attempt]:
            raise ValueError(
                f"attempt '{self.attempt}' needs provider {' or '.join(_ATTEMPT_PROVIDERS[self.attempt])}"
            )
        return self

    def test_id(self) -> str:
        return f"{self.label()}-{self.attempt.replace('_', '-')}"


class Expectations(Strict):
    tls: TlsExpectations = TlsExpectations()
    password_file: PasswordFileExpectations = PasswordFileExpectations()
    # The well-known default credentials the account-inventory probe tries (relative to the scenario
    # file; null: the harness's scenarios/default-credentials.yaml).
    default_credentials_file: str | None = None
    authentication: tuple[AuthenticationRow, ...] = ()
    smoke: tuple[SmokeRow, ...] = ()
    user_mapping: tuple[MappingRow, ...] = ()
    impersonation: tuple[ImpersonationRow, ...] = ()
    table_access: tuple[TableAccessRow, ...] = ()
    catalog_access: tuple[CatalogAccessRow, ...] = ()
    table_privileges: tuple[TablePrivilegeRow, ...] = ()
    column_rules: tuple[ColumnRuleRow, ...] = ()
    session_properties: tuple[SessionPropertyRow, ...] = ()
    schema_ownership: tuple[SchemaOwnershipRow, ...] = ()
    routine_access: tuple[RoutineAccessRow, ...] = ()
    system_information: tuple[SystemInformationRow, ...] = ()
    authorization: tuple[AuthorizationRow, ...] = ()
    # groups, query visibility and audit correctness
    group_access: tuple[GroupAccessRow, ...] = ()
    query_visibility: tuple[QueryVisibilityRow, ...] = ()
    audit: tuple[AuditRow, ...] = ()
    audit_auth_failures: tuple[AuthFailureRow, ...] = ()


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
