"""What a client presents for a scenario login: a password, a token (self-minted JWT, or an OAuth2
access token from the scenario's identity provider), a certificate or a Kerberos ticket."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trino_harness.clients import mint_jwt
from trino_harness.oidc_client import password_grant
from trino_harness.scenario.clients import ClientLogin
from trino_harness.target import ClientCert, Target


@dataclass(frozen=True)
class KerberosTicket:
    """A ticket in a per-check credential cache (host ``kinit`` with the principal's password) and
    what a client needs to ask for the coordinator's service principal, ``<service>@<host>``."""

    ccache: str  # a file path
    krb5_config: str
    service_name: str
    service_host: str  # the coordinator's alias (its keytab holds HTTP/<alias>), not the 127.0.0.1 dialled

    def environment(self) -> dict[str, str]:
        return {"KRB5CCNAME": f"FILE:{self.ccache}", "KRB5_CONFIG": self.krb5_config}


@dataclass(frozen=True)
class Credentials:
    provider: str
    login: str  # the Basic-auth user, the token's subject, the certificate's subject, the principal
    password: str | None = None
    token: str | None = None
    cert: ClientCert | None = None
    kerberos: KerberosTicket | None = None

    @property
    def user_name(self) -> str:
        """The user name the login carries itself: a certificate's CN, a Kerberos principal without
        its realm, the login otherwise (a password's user, a token's subject). A client that must
        name a session user (the CLI's ``--user``, else the OS user) names this one, so an accepted
        login runs as it instead of asking to act as someone else."""
        if self.provider == "certificate":
            first = self.login.split(",")[0].strip()
            return first.removeprefix("CN=") if first.startswith("CN=") else self.login
        if self.provider == "kerberos":
            return self.login.rpartition("@")[0] or self.login
        return self.login

    def pem_bundle(self, directory: Path) -> Path:
        """Certificate and key in one 0600 PEM file: the key store the Java clients read."""
        from trino_harness.real_clients.process import private_file

        assert self.cert is not None
        text = Path(self.cert.cert_path).read_text() + Path(self.cert.key_path).read_text()
        return private_file(directory, "client-keystore.pem", text)


def credentials(target: Target, login: ClientLogin, workdir: Path, declared: bool = True) -> Credentials:
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
    if login.provider == "kerberos":
        from trino_harness.kerberos_client import kinit

        realm = target.kerberos_realm()
        ccache = workdir / "krb5cc"
        kinit(realm, login.principal, target.kerberos_password(login.principal), ccache)
        ticket = KerberosTicket(str(ccache), realm.krb5_config, realm.service_name, realm.service_host)
        return Credentials("kerberos", login.principal, kerberos=ticket)
    if login.provider == "oauth2":
        token = password_grant(target.oidc_provider(), target.ca_path, login.principal)
        return Credentials("oauth2", login.principal, token=token)
    return Credentials("certificate", login.principal, cert=target.client_cert(login.principal))
