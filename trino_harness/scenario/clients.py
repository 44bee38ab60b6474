"""The optional ``clients:`` scenario section: real client programs by way in and impersonation.

Each row names the clients that try it, the principal they log in as, an optional user to act
as, and the Trino user the server must report, or null when the client must be refused. The
pinned client versions live here too, so a scenario (or ``--client-version``) can ask whether an
older driver still gets in the same way.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ClientName = Literal["trino_cli", "trino_jdbc", "trino_python", "presto_python", "trino_go"]
CLIENT_NAMES: tuple[str, ...] = ClientName.__args__  # type: ignore[attr-defined]
# oauth2: an access token the scenario's identity provider issues for ``principal`` (a Keycloak
# user name), presented as a bearer token as BI tools do once they hold one.
# kerberos: a ticket from the scenario's KDC for ``principal`` (host kinit into a per-check cache).
WayIn = Literal["file", "ldap", "jwt", "certificate", "oauth2", "kerberos"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientVersions(_Strict):
    """Pinned versions, each from the client's own registry (``trino_python`` is the harness's own
    ``trino`` package: whatever version the virtualenv holds)."""

    trino_cli: str = Field("476", pattern=r"^[0-9]{3}$", description="io.trino:trino-cli (Maven Central)")
    trino_jdbc: str = Field("476", pattern=r"^[0-9]{3}$", description="io.trino:trino-jdbc (Maven Central)")
    presto_python: str = Field(
        "0.8.4", pattern=r"^[0-9]+(\.[0-9]+)*$", description="presto-python-client (PyPI)"
    )
    trino_go: str = Field(
        "v1.1.0", pattern=r"^v[0-9]+\.[0-9]+\.[0-9]+$", description="github.com/trinodb/trino-go-client"
    )

    def overridden(self, given: list[str]) -> dict[str, str]:
        """These versions with each ``CLIENT=VERSION`` applied; ValueError names the bad one."""
        versions = self.model_dump()
        for item in given:
            name, _, version = item.partition("=")
            if name not in versions or not version:
                raise ValueError(
                    f"--client-version {item!r}: expected CLIENT=VERSION with CLIENT one of "
                    f"{', '.join(versions)}"
                )
            versions[name] = version
        try:
            ClientVersions(**versions)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ValueError(f"--client-version {first['loc'][0]}: {first['msg']}") from None
        return versions


class ClientLogin(_Strict):
    provider: WayIn
    principal: str

    def label(self) -> str:
        if self.provider == "certificate":
            return f"certificate-{self.principal.split(',')[0].removeprefix('CN=')}"
        return f"{self.provider}-{self.principal}"


class ClientRow(_Strict):
    """One way in, tried by each of ``clients``."""

    clients: tuple[ClientName, ...] = Field(min_length=1)
    principal: ClientLogin
    as_user: str | None = Field(None, alias="as", description="User to act as (impersonation), if any")
    user: str | None = Field(description="Trino user the server must report; null = the client is refused")
    why: str = Field("", description="Why this row expects what it does (shown in the evidence)")

    @model_validator(mode="after")
    def _clients_once(self) -> ClientRow:
        twice = sorted({c for c in self.clients if self.clients.count(c) > 1})
        if twice:
            raise ValueError(f"clients listed twice: {twice}")
        return self

    @property
    def expectation(self) -> Literal["runs", "refused", "denied"]:
        """What the row expects: the query runs, the login is refused, or the impersonation denied."""
        if self.user is not None:
            return "runs"
        return "denied" if self.as_user else "refused"

    def outcome_id(self) -> str:
        if self.user is not None:
            return f"as-{self.user}"
        return "denied" if self.as_user else "refused"

    def test_id(self, client: str) -> str:
        asks = f"-as-{self.as_user}" if self.as_user else ""
        verdict = self.outcome_id()
        if self.as_user and self.user is not None:
            verdict = "allowed" if self.user == self.as_user else f"runs-as-{self.user}"
        return f"{client}-{self.principal.label()}{asks}-{verdict}"


class ClientCase(_Strict):
    """One parameter of the client suite: a client and the row it tries."""

    client: ClientName
    row: ClientRow

    @property
    def principal(self) -> ClientLogin:  # for the report labels' provider lookup
        return self.row.principal

    def test_id(self) -> str:
        return self.row.test_id(self.client)

    def selectors(self) -> dict[str, str]:
        """What a ``-m`` expression can pick this case by, as the arguments of its ``clients``
        mark: ``-m "clients(way='certificate', outcome='refused')"`` runs only those rows."""
        return {
            "client": self.client,
            "way": self.row.principal.provider,
            "principal": self.row.principal.principal,
            "outcome": self.row.expectation,
        }


class Clients(_Strict):
    versions: ClientVersions = ClientVersions()
    timeout_s: float = Field(120, gt=0, le=900, description="Per client invocation (JVM start included)")
    rows: tuple[ClientRow, ...] = ()

    def cases(self) -> tuple[ClientCase, ...]:
        return tuple(ClientCase(client=c, row=row) for row in self.rows for c in row.clients)

    @model_validator(mode="after")
    def _ids_unique(self) -> Clients:
        ids = [case.test_id() for case in self.cases()]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"rows: two rows give the same check {twice}")
        return self
