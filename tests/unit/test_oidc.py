"""The OIDC pieces: Keycloak's seed and the coordinator's OAUTH2 properties render as the scenario
declares (secrets only in 0600 files or ${ENV:...}); the profile's oidc: section round-trips
through serve's writer, refuses a literal secret and names what is missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from trino_harness.capabilities import MissingCapability
from trino_harness.oidc_client import claims, external_authentication
from trino_harness.pki import CertificateAuthority
from trino_harness.profile.loader import ProfileError, target_from_profile
from trino_harness.profile.writer import read_env_file, write_profile
from trino_harness.redaction import redact
from trino_harness.render.files import SECRET_MODE
from trino_harness.render.materials import RunMaterials
from trino_harness.render.oidc import (
    CLIENT_SECRET_ENV,
    OidcMaterials,
    coordinator_part,
    render_keycloak_seed,
    trino_oidc_environment,
)
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario
from trino_harness.target import OidcTarget, Target


def test_keycloak_seed_has_its_certificate_hostname_and_admin_password_0600():
    scenario = load_scenario()
    assert scenario.oidc is not None
    materials = OidcMaterials.generate(scenario.oidc, CertificateAuthority.create())
    seed = render_keycloak_seed(scenario.oidc, materials)
    assert seed.text("hostname") == "https://keycloak:8443\n"
    assert seed.files["admin-password"] == (materials.admin_password.encode(), SECRET_MODE)
    assert seed.files["tls.key"][1] == SECRET_MODE
    assert set(materials.passwords) == {u.username for u in scenario.oidc.users}
    assert redact(materials.admin_password) != materials.admin_password  # registered for redaction
    assert all(redact(s) != s for s in materials.client_secrets.values())


def test_keycloak_imports_both_realms_with_every_client_and_user_from_0600_files():
    scenario = load_scenario()
    oidc = scenario.oidc
    assert oidc is not None
    materials = OidcMaterials.generate(oidc, CertificateAuthority.create())
    seed = render_keycloak_seed(oidc, materials)
    main = json.loads(seed.text(f"import/{oidc.realm}.json"))
    other = json.loads(seed.text(f"import/{oidc.other_realm}.json"))
    assert seed.files[f"import/{oidc.realm}.json"][1] == SECRET_MODE  # client secrets, user passwords
    assert main["sslRequired"] == other["sslRequired"] == "all"
    clients = {c["clientId"]: c for c in main["clients"]}
    assert set(clients) == {oidc.client_id, oidc.other_client_id, oidc.short_lived_client_id}
    assert clients[oidc.client_id]["secret"] == materials.client_secrets[oidc.client_id]
    assert clients[oidc.short_lived_client_id]["attributes"] == {"access.token.lifespan": "1"}
    # the short-lived client's tokens are for Trino; the other app's are not
    audience = {c: clients[c]["protocolMappers"][0]["config"]["included.client.audience"] for c in clients}
    assert audience[oidc.short_lived_client_id] == audience[oidc.client_id] == oidc.client_id
    assert audience[oidc.other_client_id] == oidc.other_client_id
    assert [c["clientId"] for c in other["clients"]] == [oidc.client_id]
    for realm in (main, other):
        assert {u["username"] for u in realm["users"]} == set(materials.passwords)


def test_coordinator_adds_oauth2_with_the_secret_from_the_environment_and_jwt_validation():
    scenario = load_scenario()
    assert scenario.oidc is not None
    run = RunMaterials.generate(scenario)
    oidc = OidcMaterials.generate(scenario.oidc, run.ca)
    etc = render_trino_etc(scenario, run, [coordinator_part(scenario.oidc)])
    config = etc.text("config.properties")
    assert "http-server.authentication.type=CERTIFICATE,JWT,PASSWORD,OAUTH2\n" in config
    assert "web-ui.authentication.type=form\n" in config
    assert "http-server.authentication.oauth2.issuer=https://keycloak:8443/realms/trino\n" in config
    assert f"http-server.authentication.oauth2.client-secret=${{ENV:{CLIENT_SECRET_ENV}}}\n" in config
    assert "http-server.authentication.oauth2.oidc.use-userinfo-endpoint=false\n" in config
    # Trino boots beside Keycloak: its discovery retries a refused connection this long
    assert "http-server.authentication.oauth2.oidc.discovery.timeout=240s\n" in config
    assert "http-server.authentication.oauth2.principal-field=preferred_username\n" in config
    for secret in oidc.client_secrets.values():
        assert secret not in config
    assert trino_oidc_environment(scenario.oidc, oidc) == {
        CLIENT_SECRET_ENV: oidc.client_secrets[scenario.oidc.client_id]
    }


def test_external_authentication_challenge_is_parsed_and_claims_are_readable():
    challenge = (
        'Bearer x_redirect_server="https://127.0.0.1:1/oauth2/token/initiate/abc", '
        'x_token_server="https://127.0.0.1:1/oauth2/token/def"'
    )
    found = external_authentication(('Basic realm="Trino"', challenge))
    assert found is not None and found.token_server.endswith("/oauth2/token/def")
    assert external_authentication(('Bearer realm="Trino", token_type="JWT"',)) is None
    assert claims("eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2lkcCJ9.")["iss"] == "https://idp"


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    (tmp_path / "ca.pem").write_bytes(CertificateAuthority.create("Profile Test CA").cert_pem)
    shutil.copy(DEFAULT_SCENARIO, tmp_path / "scenario.yaml")
    return tmp_path


def _profile(directory: Path, oidc: dict) -> Path:
    data = {
        "name": "staging",
        "scenario": "scenario.yaml",
        "coordinator": {"url": "https://trino.staging.example:8443", "ca_bundle": "ca.pem"},
        "oidc": oidc,
    }
    path = directory / "profile.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


MINIMAL = {
    "issuer": "https://idp.example/realms/trino",
    "token_url": "https://idp.example/realms/trino/protocol/openid-connect/token",
    "client_id": "trino",
    "client_secret_env": "OIDC_SECRET",
    "users": [{"username": "alice", "password_env": "OIDC_ALICE"}],
}


def test_profile_oidc_section_reads_secrets_from_the_environment_and_names_what_is_missing(profile_dir):
    target = target_from_profile(_profile(profile_dir, MINIMAL), {"OIDC_SECRET": "s", "OIDC_ALICE": "a"})
    oidc = target.oidc_provider()
    assert (oidc.client_secret, oidc.password("alice")) == ("s", "a")
    for need, field in [
        (oidc.other_audience_client, "oidc.other_client"),
        (oidc.short_lived_client, "oidc.short_lived_client"),
        (oidc.other_issuer, "oidc.other_issuer_token_url"),
        (lambda: oidc.password("bob"), "oidc.users: {username: 'bob'"),
    ]:
        with pytest.raises(MissingCapability) as err:
            need()
        assert field in str(err.value) and str(err.value).endswith("to the profile")
    no_oidc = Target(host="h", port=1, ca_path="c", expected_version=None, scenario_path="s")
    with pytest.raises(MissingCapability, match=r"oidc: \{issuer"):
        no_oidc.oidc_provider()


def test_profile_refuses_a_literal_client_secret(profile_dir):
    with pytest.raises(ProfileError) as err:
        target_from_profile(_profile(profile_dir, {**MINIMAL, "client_secret": "literal"}), {})
    assert "oidc.client_secret" in str(err.value) and "client_secret_env" in str(err.value)


def test_written_oidc_section_reads_back_as_the_same_provider(profile_dir, tmp_path_factory):
    oidc = OidcTarget(
        issuer="https://keycloak:8443/realms/trino",
        token_url="https://127.0.0.1:1234/realms/trino/protocol/openid-connect/token",
        client_id="trino",
        client_secret="cs-trino",
        other_client_id="reporting-app",
        other_client_secret="cs-other",
        short_lived_client_id="trino-short-lived",
        short_lived_client_secret="cs-short",
        other_issuer_token_url="https://127.0.0.1:1234/realms/elsewhere/protocol/openid-connect/token",
        passwords={"alice": "pw-alice", "ext.mallory": "pw-m"},
        browser_host_rules="MAP keycloak:8443 127.0.0.1:1234",
    )
    original = Target(
        host="127.0.0.1",
        port=8443,
        ca_path=str(profile_dir / "ca.pem"),
        expected_version="476",
        scenario_path=str(DEFAULT_SCENARIO),
        oidc=oidc,
    )
    out = tmp_path_factory.mktemp("profile")
    profile, env_file = write_profile(original, out, name="roundtrip")
    text = profile.read_text()
    assert not any(s in text for s in ("cs-trino", "cs-other", "cs-short", "pw-alice"))
    again = target_from_profile(profile, read_env_file(env_file))
    assert again.oidc == oidc


def test_oauth2_challenge_urls_are_masked_in_recorded_answers():
    """Every 401 names per-request URLs (port, one-time id): two identical runs must still compare equal."""
    from trino_harness.observations import normalise

    def answer(port: int, one_time: str) -> str:
        return (
            f"HTTP 401, WWW-Authenticate: ['Basic realm=\"Trino\"', 'Bearer x_redirect_server="
            f'"https://127.0.0.1:{port}/oauth2/token/initiate/{one_time}", x_token_server='
            f"\"https://127.0.0.1:{port}/oauth2/token/{one_time[:8]}-bfc0\"'], body: 'Unauthorized'"
        )

    assert normalise(answer(32816, "c443cd3b")) == normalise(answer(40001, "9a8b7c6d"))
    assert "x_token_server=<…>" in normalise(answer(1, "ab"))
