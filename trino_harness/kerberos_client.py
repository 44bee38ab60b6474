"""Get Kerberos tickets on the host and present them to the coordinator as SPNEGO tokens.

Tickets come from the real KDC through ``kinit`` (MIT krb5-user) into a per-check credential
cache, so checks running in parallel never share tickets. Tokens are made with python-gssapi;
every HTTP request gets a fresh token, because the coordinator's replay cache refuses a token
seen twice. The client asks for ``HTTP@<coordinator alias>``, not for the 127.0.0.1 it dials:
the keytab holds ``HTTP/<alias>`` (krb5.conf turns off host-name canonicalisation).
"""

from __future__ import annotations

import base64
import os
import subprocess
import time
from collections.abc import Generator, Iterator
from pathlib import Path

import gssapi
import httpx

from trino_harness.target import KerberosTarget

SPNEGO = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")


class TicketError(RuntimeError):
    """kinit failed; the message carries its (password-free) stderr."""


def kinit(
    realm: KerberosTarget, principal: str, password: str, ccache: Path, lifetime: str | None = None
) -> str:
    """Log ``principal`` in with its password (on stdin) into ``ccache``; return the cache name."""
    name = f"FILE:{ccache}"
    args = ["kinit", "-c", name, *(["-l", lifetime] if lifetime else []), principal]
    env = {**os.environ, "KRB5_CONFIG": realm.krb5_config, "KRB5CCNAME": name}
    done = subprocess.run(args, input=password + "\n", env=env, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise TicketError(f"kinit {principal} failed: {done.stderr.strip()}")
    return name


def _credentials(realm: KerberosTarget, ccache: str) -> gssapi.Credentials:
    os.environ["KRB5_CONFIG"] = realm.krb5_config  # MIT reads it for every new krb5 context
    return gssapi.Credentials(usage="initiate", store={b"ccache": ccache.encode()})


def ticket_end(realm: KerberosTarget, ccache: str) -> float:
    """When the ticket in ``ccache`` ends (epoch seconds), from the credentials' remaining lifetime."""
    return time.time() + float(_credentials(realm, ccache).lifetime or 0)


def spnego_token(realm: KerberosTarget, ccache: str, service_host: str | None = None) -> str:
    """One SPNEGO token for ``<service>@<service_host>`` (default: the coordinator's principal)."""
    host = service_host or realm.service_host
    target = gssapi.Name(f"{realm.service_name}@{host}", gssapi.NameType.hostbased_service)
    context = gssapi.SecurityContext(
        name=target, creds=_credentials(realm, ccache), usage="initiate", mech=SPNEGO
    )
    return base64.b64encode(context.step()).decode()


class Negotiate(httpx.Auth):
    """``Authorization: Negotiate`` on every request: fresh tokens, or a prepared list of them."""

    def __init__(
        self,
        realm: KerberosTarget,
        ccache: str,
        service_host: str | None = None,
        prepared: list[str] | None = None,
    ) -> None:
        self._realm, self._ccache, self._host = realm, ccache, service_host
        self._prepared: Iterator[str] | None = iter(prepared) if prepared is not None else None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._prepared is not None:
            token = next(self._prepared, "")
        else:
            token = spnego_token(self._realm, self._ccache, self._host)
        request.headers["Authorization"] = f"Negotiate {token}"
        yield request
