"""What a client presents for a scenario login: a password, a token (self-minted JWT, or an OAuth2
access token from the scenario's identity provider) or a certificate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trino_harness.clients import mint_jwt
from trino_harness.oidc_client import password_grant
from trino_harness.scenario.clients import ClientLogin
from trino_harness.target import ClientCert, Target


@dataclass(frozen=True)
class Credentials:
    provider: str
    login: str  # the Basic-auth user, the token's subject or the certificate's subject
    password: str | None = None
    token: str | None = None
    cert: ClientCert | None = None

    def pem_bundle(self, directory: Path) -> Path:
        """Certificate and key in one 0600 PEM file: the key store the Java clients read."""
        from trino_harness.real_clients.process import private_file

        assert self.cert is not None
        text = Path(self.cert.cert_path).read_text() + Path(self.cert.key_path).read_text()
        return private_file(directory, "client-keystore.pem", text)


def credentials(target: Target, login: ClientLogin, declared: bool = True) -> Credentials:
    """A login's secret from the target; a login the scenario does not declare (a stranger, whose
    refusal a row expects) gets a made-up password. A declared login's missing password is the
    target's MissingCapability, never a made-up one: that would test a wrong password instead."""
    if login.provider in ("file", "ldap"):
        if declared:
            password = target.password(login.provider, login.principal)
        else:
            password = "not-the-password-of-" + login.principal
        return Credentials(login.provider, login.principal, password=password)
    if login.provider == "jwt":
        return Credentials("jwt", login.principal, token=mint_jwt(target, login.principal))
    if login.provider == "oauth2":
        token = password_grant(target.oidc_provider(), target.ca_path, login.principal)
        return Credentials("oauth2", login.principal, token=token)
    return Credentials("certificate", login.principal, cert=target.client_cert(login.principal))
