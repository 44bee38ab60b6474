"""JWT authenticator: a proper RS256 token logs in; every defective token is refused."""

from __future__ import annotations

import pytest

from trino_harness.jwt_forge import JWT_CASES
from trino_harness.protocol import submit

from .logins import judge, login_table

pytestmark = pytest.mark.authn

FIXES = {
    "expired": "tokens must be checked for exp (Trino does this itself; look for a proxy rewriting tokens)",
    "wrong-issuer": "set http-server.authentication.jwt.required-issuer",
    "wrong-audience": "set http-server.authentication.jwt.required-audience",
    "hs256-public-key": "configure http-server.authentication.jwt.key-file with the public key only",
    "alg-none": "never accept unsigned tokens",
    "foreign-key": "http-server.authentication.jwt.key-file must hold only your issuer's keys",
    "missing-principal": "check http-server.authentication.jwt.principal-field",
}


TABLES = (login_table("jwt", tuple(JWT_CASES)),)


def test_jwt_login(target, login_case):
    target.jwt_key()
    token = JWT_CASES[login_case.case](target, login_case.row.principal)
    judge(
        login_case,
        submit(target, headers={"Authorization": f"Bearer {token}"}),
        what=f"JWT for '{login_case.row.principal}' ({login_case.case})",
        fix=FIXES.get(login_case.case, "check the JWT key file and the jwt user mapping"),
    )
