"""Redaction masks every registered secret (a short one where it stands alone), OAuth's one-time
values in any URL and credentials in headers and URLs, and is applied before any cut."""

from __future__ import annotations

import base64
import struct
from types import SimpleNamespace

import pytest

from trino_harness import redaction
from trino_harness.redaction import (
    bare_url,
    redact,
    redact_bytes,
    register_secret,
    register_secret_bytes,
)
from trino_harness.render.kerberos import keytab_keys, register_keytab
from trino_harness.reporting.allure_results import redact_body
from trino_harness.target import Target, secrets_file


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own registry: a short secret registered here must not mask other tests' text."""
    monkeypatch.setattr(redaction, "_secrets", set())
    monkeypatch.setattr(redaction, "_raw", set())
    monkeypatch.setattr(redaction, "_short", None)


def keytab_with(key: bytes, principal: str = "HTTP/trino", realm: str = "HARNESS.TEST") -> bytes:
    """An MIT keytab (0x0502) with one entry, as ``kadmin ktadd`` writes it."""
    body = struct.pack(">H", len(principal.split("/")))
    for part in [realm, *principal.split("/")]:
        body += struct.pack(">H", len(part)) + part.encode()
    body += struct.pack(">IIBHH", 1, 1_700_000_000, 2, 18, len(key)) + key + struct.pack(">I", 2)
    hole = struct.pack(">i", -8) + b"\0" * 8  # a removed entry, which readers skip
    return b"\x05\x02" + hole + struct.pack(">i", len(body)) + body


# -- short secrets: masked where they stand alone ------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "password=q7z",
        "password: q7z",
        "ldap://bob:q7z@ldap",
        "{'password': 'q7z'}",
        '{"password":"q7z"}',
        "q7z",
        "(q7z)",
        "login with q7z failed",
        "first line\nq7z\n",
        r"b'line\nq7z'",  # a repr: the escape's n is a word character
        r"{\"p\":\u0022q7z\u0022}",
        "--password=q7z;",
    ],
)
def test_a_short_secret_is_masked_where_it_stands_alone(text):
    register_secret("q7z")
    assert "q7z" not in redact(text)
    assert "***" in redact(text)


@pytest.mark.parametrize("text", ["q7zebra", "xq7z", "q7z_1", "aq7zb", "Q7Z", "q7", "7z"])
def test_a_short_secret_inside_a_word_is_left_alone(text):
    register_secret("q7z")
    assert redact(text) == text


def test_secrets_of_every_length_are_registered():
    for secret in ("ab1", "ab12", "ab123", "ab1234"):
        register_secret(secret)
    assert redact("a=ab1 b=ab12 c=ab123 d=ab1234") == "a=*** b=*** c=*** d=***"


def test_a_short_secret_with_punctuation_is_masked_alone_and_percent_encoded():
    register_secret("p@s!")
    assert redact("password=p@s! next") == "password=*** next"
    assert redact("?password=p%40s%21&x=1").count("p%40s") == 0
    assert redact("pw=p%40s%21") == "pw=***"
    assert redact("xp@s!y") == "xp@s!y"


def test_a_long_secret_is_masked_even_inside_a_word():
    register_secret("LongSecret-8f3a")
    assert redact("xxLongSecret-8f3ayy") == "xx***yy"


def test_redacting_before_a_cut_leaves_no_piece_of_a_secret():
    secret = register_secret("crossing-the-cut-5a7e2c")
    text = "x" * 150 + secret + " tail"
    assert secret[:6] not in redact(text)[:160]
    assert secret[:6] in redact(text[:160])  # why the order matters: the piece is not recognised


# -- OAuth values and credentials in URLs and headers --------------------------------------------
CALLBACK = (
    "https://trino:8443/oauth2/callback?code=9f1c2e7a-44b0.d1e5&state=st4t3-value&session_state=0b9c6f3e"
)


@pytest.mark.parametrize(
    "text, gone",
    [
        (CALLBACK, ["9f1c2e7a", "st4t3-value", "0b9c6f3e"]),
        ("https://ui/cb#access_token=tok3n123&id_token=1dt0ken&token_type=Bearer", ["tok3n123", "1dt0ken"]),
        ("<a href='https://ui/cb?x=1&amp;code=htmlc0de'>", ["htmlc0de"]),
        ('{"location": "https://ui/cb?x=1\\u0026state=js0nst4te"}', ["js0nst4te"]),
        ("redirect_uri=https%3A%2F%2Fui%2Fcb%3Fcode%3Denc0ded%26state%3Dst%2Fx", ["enc0ded", "st%2Fx"]),
        ("GET /token?refresh_token=r3fresh&client_secret=cl13nt", ["r3fresh", "cl13nt"]),
    ],
)
def test_oauth_values_in_any_url_are_masked(text, gone):
    clean = redact(text)
    assert [g for g in gone if g in clean] == []
    assert "=***" in clean or "%3D***" in clean


@pytest.mark.parametrize(
    "text",
    [
        "barcode=123",
        "node state=ACTIVE",
        "https://trino/v1/info?codec=h264",
        "the authorization code flow",
        "Bearer authentication needs a token",
    ],
)
def test_url_and_header_rules_leave_ordinary_text_alone(text):
    assert redact(text) == text


def test_credentials_in_headers_and_urls_are_masked():
    assert redact("Authorization: Basic Ym9iOnE3eg==") == "Authorization: Basic ***"
    assert redact("{'Authorization': 'Bearer opaque.token-1'}") == "{'Authorization': 'Bearer ***'}"
    assert redact("postgresql://audit:pw-1@db:5432/audit") == "postgresql://audit:***@db:5432/audit"
    assert redact("https://trino:8443/v1/info") == "https://trino:8443/v1/info"


def test_a_bare_url_keeps_scheme_host_and_path_only():
    assert bare_url(CALLBACK) == "https://trino:8443/oauth2/callback"
    assert bare_url("https://bob:pw@ui:8443/ui/#id_token=x") == "https://ui:8443/ui/"
    assert bare_url("/ui/login?redirect=x") == "/ui/login"


# -- binary secrets: a keytab ----------------------------------------------------------------------
def test_a_keytab_is_masked_in_every_form_an_output_shows():
    key = bytes(range(1, 33))
    keytab = keytab_with(key)
    assert keytab_keys(keytab) == [key]
    register_keytab(keytab)
    for form in (keytab.hex(), base64.b64encode(keytab).decode(), repr(keytab), key.hex(), key.hex().upper()):
        assert redact(f"seen: {form}") in ("seen: ***", "seen: b'***'"), form
    klist = f"   2 HTTP/trino@HARNESS.TEST (aes256-cts-hmac-sha1-96)  (0x{key.hex()})"
    assert key.hex() not in redact(klist)
    blob = b"\x89PNG" + keytab + b"\xff"
    assert keytab not in redact_bytes(blob) and key not in redact_body(blob)


def test_unchanged_bytes_come_back_as_the_same_object():
    register_secret_bytes(b"\x00\x01secret-bytes")
    data = b"\x89PNG\xff\xfe"
    assert redact_bytes(data) is data


def test_a_keytab_that_is_not_one_yields_no_keys():
    assert keytab_keys(b"not a keytab") == []
    assert keytab_keys(b"\x05\x02" + struct.pack(">i", 40) + b"\x00\x01") == []


# -- handing the registry to the run's other processes ---------------------------------------------
def test_the_target_file_carries_every_registered_secret_to_the_loading_process(tmp_path, monkeypatch):
    master = register_secret("kdc-master-password-only-the-starter-knows")
    target = Target(host="h", port=1, ca_path="c", expected_version=None, scenario_path="s")
    target.save(tmp_path / "target.json")
    assert secrets_file(tmp_path / "target.json").stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(redaction, "_secrets", set())  # another process: knows nothing yet
    assert redact(master) == master
    Target.load(tmp_path / "target.json")
    assert redact(master) == "***"


# -- the provider's message on the Web UI OAuth2 login page ------------------------------------------
def test_the_provider_message_is_redacted_before_it_is_shortened():
    from trino_harness.webui import oauth2_login

    secret = register_secret("provider-said-this-secret-7c1d")
    element = SimpleNamespace(text="x" * 150 + " " + secret)
    driver = SimpleNamespace(
        current_url="https://keycloak:8443/realms/trino/login-actions/authenticate?code=c0de1&tab_id=t",
        title="Sign in",
        find_elements=lambda by, what: [element] if "input-error" in what else [],
    )
    seen = oauth2_login._seen(driver, "trino-ui:8443")
    assert secret[:6] not in seen.message and seen.message.endswith("***")
    assert seen.url == "https://keycloak:8443/realms/trino/login-actions/authenticate"
