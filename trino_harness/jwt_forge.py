"""Tokens that are wrong in exactly one way, for proving a JWT authenticator refuses each.

Made with PyJWT and ``cryptography`` keys; the two that PyJWT rightly refuses to make
(``alg: none`` and HS256 keyed with the RSA public key) are assembled by hand here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from trino_harness.clients import mint_jwt
from trino_harness.redaction import register_secret
from trino_harness.target import Target


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(target: Target, subject: str) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": subject,
        "iss": target.jwt_issuer,
        "aud": target.jwt_audience,
        "iat": now,
        "exp": now + 300,
    }


def _public_pem(target: Target) -> bytes:
    key = serialization.load_pem_private_key(Path(target.jwt_key()).read_bytes(), None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def unsigned(target: Target, subject: str) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(_claims(target, subject)).encode())}."


def hs256_with_public_key(target: Target, subject: str) -> str:
    """Algorithm confusion: HMAC-SHA256 keyed with the server's own RSA public key (PEM bytes)."""
    signing_input = (
        f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}."
        f"{_b64(json.dumps(_claims(target, subject)).encode())}"
    )
    signature = hmac.new(_public_pem(target), signing_input.encode(), hashlib.sha256).digest()
    return register_secret(f"{signing_input}.{_b64(signature)}")


def foreign_key(target: Target, subject: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return register_secret(jwt.encode(_claims(target, subject), key, algorithm="RS256"))


def without_principal(target: Target, subject: str) -> str:
    claims = _claims(target, subject)
    del claims["sub"]
    key = Path(target.jwt_key()).read_bytes()
    return register_secret(jwt.encode(claims, key, algorithm="RS256"))


# case -> (how to make the token, whether the server must accept it)
JWT_CASES: dict[str, Callable[[Target, str], str]] = {
    "valid": lambda t, s: mint_jwt(t, s),
    "expired": lambda t, s: mint_jwt(t, s, exp=int(time.time()) - 600, iat=int(time.time()) - 900),
    "not-yet-valid": lambda t, s: mint_jwt(t, s, nbf=int(time.time()) + 600),
    "foreign-key": foreign_key,
    "alg-none": unsigned,
    "hs256-public-key": hs256_with_public_key,
    "wrong-issuer": lambda t, s: mint_jwt(t, s, iss="https://attacker.invalid"),
    "wrong-audience": lambda t, s: mint_jwt(t, s, aud="some-other-service"),
    "missing-principal": without_principal,
}
