"""Each forged token is wrong in exactly the way its name says, and the valid one verifies."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from trino_harness.jwt_forge import JWT_CASES
from trino_harness.pki import rsa_key_pair
from trino_harness.target import Target


@pytest.fixture(scope="module")
def keyed_target(tmp_path_factory) -> tuple[Target, bytes]:
    private, public = rsa_key_pair()
    key_path = tmp_path_factory.mktemp("jwt") / "key.pem"
    key_path.write_bytes(private)
    target = Target(
        "127.0.0.1",
        1,
        "ca.pem",
        "476",
        "s.yaml",
        jwt_private_key_path=str(key_path),
        jwt_issuer="https://idp.test",
        jwt_audience="trino",
    )
    return target, public


def _header(token: str) -> dict:
    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


def test_valid_token_verifies_and_each_defect_is_the_only_one(keyed_target):
    target, public = keyed_target
    options = {"audience": "trino", "issuer": "https://idp.test", "algorithms": ["RS256"]}
    assert jwt.decode(JWT_CASES["valid"](target, "a@x"), public, **options)["sub"] == "a@x"
    expected_errors = {
        "expired": jwt.ExpiredSignatureError,
        "not-yet-valid": jwt.ImmatureSignatureError,
        "foreign-key": jwt.InvalidSignatureError,
        "wrong-issuer": jwt.InvalidIssuerError,
        "wrong-audience": jwt.InvalidAudienceError,
    }
    for case, error in expected_errors.items():
        with pytest.raises(error):
            jwt.decode(JWT_CASES[case](target, "a@x"), public, **options)
    assert "sub" not in jwt.decode(JWT_CASES["missing-principal"](target, "a@x"), public, **options)
    assert _header(JWT_CASES["alg-none"](target, "a@x"))["alg"] == "none"
    assert JWT_CASES["alg-none"](target, "a@x").endswith(".")
    assert _header(JWT_CASES["hs256-public-key"](target, "a@x"))["alg"] == "HS256"
