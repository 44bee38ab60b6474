"""The optional ``oidc:`` scenario section: a Keycloak realm, Trino's OAuth2 client and the users.

Each user doubles as an expectation row: ``user`` is the Trino user a valid access token for that
Keycloak account must log in as, or null when the coordinator's OAuth2 user mapping must refuse it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OidcUser(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    username: str = Field(description="Keycloak user name (the token's preferred_username)")
    user: str | None = Field(description="Trino user a valid token logs in as; null = must be refused")


class Oidc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    realm: str = "trino"
    # A second realm holding the same client and users: its tokens come from another issuer.
    other_realm: str = "elsewhere"
    client_id: str = "trino"
    # Another application of the same realm: its tokens carry its own audience, not Trino's.
    other_client_id: str = "reporting-app"
    # Trino's audience with a 1 s access-token lifespan, for the expired-token check.
    short_lived_client_id: str = "trino-short-lived"
    principal_field: str = "preferred_username"
    user_mapping_pattern: str = Field(description="http-server.authentication.oauth2.user-mapping.pattern")
    # Allowed clock skew on the coordinator (Trino's default is 1 minute); small, so an expired
    # token is refused promptly.
    max_clock_skew_seconds: int = 1
    users: tuple[OidcUser, ...] = ()
