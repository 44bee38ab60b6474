"""The optional ``kerberos:`` scenario section: realm, service principal and client principals.

Each client principal doubles as an expectation row: ``user`` is the Trino user a valid ticket
must map to, or null when the declared principal-to-user mapping must refuse it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class KerberosPrincipal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    principal: str = Field(description="client principal, e.g. alice@HARNESS.TEST")
    user: str | None = Field(description="Trino user a valid ticket maps to; null = must be refused")


class Kerberos(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    realm: str = "HARNESS.TEST"
    service_name: str = "HTTP"
    # A second service principal the KDC holds but the coordinator's keytab does not: a ticket for
    # it must be refused.
    other_service_host: str = "other"
    user_mapping_pattern: str = Field(description="http-server.authentication.krb5.user-mapping.pattern")
    # Allowed clock skew on the coordinator (seconds); small, so a stale ticket is refused promptly.
    clockskew_seconds: int = 2
    principals: tuple[KerberosPrincipal, ...] = ()
