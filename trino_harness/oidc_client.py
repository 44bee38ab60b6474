"""Getting OAuth2 access tokens from the target's OpenID Connect provider (password grant), and
Trino's external-authentication challenge (``x_redirect_server`` / ``x_token_server``).

Tokens are registered for redaction the moment they arrive, so no message, log or report can
carry one; checks only ever print their claims' names, never a token.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from trino_harness.clients import tls_context
from trino_harness.polling import poll
from trino_harness.redaction import redact, register_secret
from trino_harness.target import OidcTarget, Target


class TokenRefused(RuntimeError):
    """The provider did not hand out a token (wrong password, client or grant disabled)."""


def password_grant(
    oidc: OidcTarget,
    ca_path: str,
    username: str,
    client: tuple[str, str] | None = None,
    token_url: str | None = None,
) -> str:
    """An access token for ``username`` from ``client`` (default: Trino's own)."""
    client_id, secret = client or (oidc.client_id, oidc.client_secret)
    with httpx.Client(verify=tls_context(oidc.ca_bundle or ca_path), trust_env=False, timeout=30) as http:
        answer = http.post(
            token_url or oidc.token_url,
            data={
                "grant_type": "password",
                "client_id": client_id,
                "client_secret": secret,
                "username": username,
                "password": oidc.password(username),
                "scope": "openid",
            },
        )
    if answer.status_code != 200:
        raise TokenRefused(f"token endpoint answered HTTP {answer.status_code}: {redact(answer.text)[:200]}")
    return register_secret(answer.json()["access_token"])


def claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified: only for evidence (issuer, audience, expiry), never trust."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def claim_summary(token: str) -> str:
    c = claims(token)
    return f"token with iss={c.get('iss')}, aud={c.get('aud')}, azp={c.get('azp')}, exp={c.get('exp')}"


@dataclass(frozen=True)
class ExternalAuthentication:
    """The two URLs of a ``Bearer x_redirect_server=..., x_token_server=...`` challenge."""

    redirect_server: str
    token_server: str


_CHALLENGE_PART = re.compile(r'(x_redirect_server|x_token_server)="([^"]+)"')


def external_authentication(challenges: tuple[str, ...]) -> ExternalAuthentication | None:
    for challenge in challenges:
        if not challenge.lower().startswith("bearer"):
            continue
        parts = dict(_CHALLENGE_PART.findall(challenge))
        if "x_redirect_server" in parts and "x_token_server" in parts:
            return ExternalAuthentication(parts["x_redirect_server"], parts["x_token_server"])
    return None


def poll_token_server(target: Target, url: str, timeout_s: float = 30) -> str | None:
    """Follow Trino's token server (``nextUri`` while pending) until it hands out a token."""
    with httpx.Client(verify=tls_context(target.ca_path), trust_env=False, timeout=30) as http:
        state = {"url": url}

        def ask() -> dict[str, Any]:
            body: dict[str, Any] = http.get(state["url"]).json()
            state["url"] = body.get("nextUri") or state["url"]
            return body

        body = poll(ask, lambda b: "token" in b or "error" in b, timeout_s=timeout_s, interval_s=0.2).value
    return register_secret(body["token"]) if "token" in body else None
