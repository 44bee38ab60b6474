"""The expectation tables: each row says what one request must get (allowed, refused, which user,
which groups, which record), and the suites iterate them (``fixtures/parametrize.py``).

Longer than the house's 300 lines: one model per table, each with the validation that turns a
wrong row into a file/field error; splitting them would scatter one table's rules.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from trino_harness.scenario.strict import Name, Provider, Strict


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
    # Closed world: the impersonation rows that allow are all any identity may reach; every other
    # declared user (and a name that exists nowhere) is judged denied. false: only the rows are judged.
    impersonation_closed: bool = True
    # Closed world: every identity that can log in is judged over every catalog and table the
    # operator sees (listed, select, insert, ownership) and every other identity's running query
    # (view, kill by every way in), against what access_rules allow. false: only the rows are judged.
    access_closed: bool = True
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
