"""The Web UI OAuth2 check without Docker: the extra coordinator's etc/ is the coordinator's with only
the UI switch and a node of its own; its recipe travels with the target; a remote profile names a UI
instead; the browser's record round-trips and never holds a value. The probes themselves run for
real: headless Chromium against a Trino-like UI (HTTPS) and a Keycloak-like provider on 127.0.0.1;
without Chromium those skip locally (naming what to install) and fail under CI."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

import suites.test_web_ui_oauth2 as ui_suite
from trino_harness.capabilities import MissingCapability
from trino_harness.evidence import CheckFailed
from trino_harness.pki import CertificateAuthority
from trino_harness.profile.loader import ProfileError, target_from_profile
from trino_harness.render.files import FileSet
from trino_harness.render.materials import RunMaterials
from trino_harness.render.oidc import CLIENT_SECRET_ENV
from trino_harness.render.oidc import coordinator_part as oidc_part
from trino_harness.render.overlay import apply_overlay, parse_properties
from trino_harness.render.trino_etc import SHARED_SECRET_ENV, render_trino_etc
from trino_harness.render.web_ui_oauth2 import UI_OAUTH2_ALIAS, env_references
from trino_harness.render.worker_etc import WorkerNode
from trino_harness.render.worker_etc import coordinator_part as workers_part
from trino_harness.reporting.labels import labels_of
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario
from trino_harness.scenario.oidc import OidcUser
from trino_harness.stack.web_ui_oauth2 import WEB_UI_COORDINATOR
from trino_harness.target import OidcTarget, Target, WebUiOAuth2Recipe
from trino_harness.webui import oauth2_login
from trino_harness.webui.browser import BrowserMissing, in_ci, require_browser
from trino_harness.webui.oauth2_login import (
    TOKEN_COOKIE,
    SeenCookie,
    SeenPage,
    UiOAuth2Observation,
    api_without_session,
    observe_oauth2_login,
    token_facts,
)

from .fake_trino_web import NEVER, PASSWORD, Behaviour, oauth2_ui

VARIANTS = Path(__file__).resolve().parents[2] / "scenarios" / "variants"
ALICE = OidcUser(username="alice", user="alice")


@pytest.fixture(scope="module")
def rendered():
    scenario = load_scenario()
    assert scenario.oidc is not None
    materials = RunMaterials.generate(scenario)
    etc = render_trino_etc(
        scenario, materials, [oidc_part(scenario.oidc), workers_part(scenario.cluster.include_coordinator)]
    )
    node = WorkerNode.issue(materials.ca, UI_OAUTH2_ALIAS)
    return scenario, materials, etc, node


def _config(etc: FileSet, name: str = "config.properties") -> dict[str, str]:
    return parse_properties(etc.text(name))


def test_only_the_ui_switch_and_the_node_identity_differ_from_the_coordinator(rendered):
    scenario, materials, coordinator, node = rendered
    etc, applied = WEB_UI_COORDINATOR.etc(scenario, coordinator, node, materials.ca.cert_pem, None)
    assert applied == []
    config, original = _config(etc), _config(coordinator)
    assert original["web-ui.authentication.type"] == "form"
    assert config["web-ui.authentication.type"] == "oauth2"
    assert config["discovery.uri"] == f"https://{UI_OAUTH2_ALIAS}:8443"  # itself, never the cluster's
    changed = {k for k in config.keys() | original.keys() if config.get(k) != original.get(k)}
    assert changed == {"web-ui.authentication.type", "discovery.uri"}
    node_props = _config(etc, "node.properties")
    assert node_props["node.environment"] == f"{scenario.trino.environment}_ui_oauth2"
    assert node_props["node.id"] == node_props["node.internal-address"] == UI_OAUTH2_ALIAS
    # its own certificate (naming its alias), the coordinator's authenticators and rules as they are
    assert etc.files["tls/server.pem"][0] != coordinator.files["tls/server.pem"][0]
    assert etc.files["tls/server.pem"][1] == 0o600
    for same in ("password.db", "rules.json", "password-ldap.properties", "tls/ca.pem"):
        assert etc.files[same] == coordinator.files[same]


def test_no_catalog_secret_and_only_its_own_secrets_from_the_environment(rendered):
    scenario, materials, coordinator, node = rendered
    etc, _ = WEB_UI_COORDINATOR.etc(scenario, coordinator, node, materials.ca.cert_pem, None)
    assert "catalog/postgresql.properties" in coordinator.files
    assert "catalog/postgresql.properties" not in etc.files and "catalog/tpch.properties" in etc.files
    assert env_references(etc) == {SHARED_SECRET_ENV, CLIENT_SECRET_ENV}


def test_the_coordinators_overlay_reaches_it_but_not_its_web_ui_user(rendered):
    scenario, materials, coordinator, node = rendered
    overlaid = FileSet(dict(coordinator.files))
    apply_overlay(overlaid, VARIANTS / "web-ui-fixed-user")  # the coordinator's UI: fixed user
    etc, _ = WEB_UI_COORDINATOR.etc(
        scenario, overlaid, node, materials.ca.cert_pem, VARIANTS / "web-ui-fixed-user"
    )
    config = _config(etc)
    assert config["web-ui.authentication.type"] == "oauth2"
    assert "web-ui.user" not in config  # Trino refuses a property no module uses


def test_a_variants_web_ui_oauth2_part_reaches_only_the_extra_coordinator(rendered):
    scenario, materials, coordinator, node = rendered
    variant = VARIANTS / "web-ui-oauth2-fixed-user"
    assert WEB_UI_COORDINATOR.own_overlay(variant) == variant / "web-ui-oauth2"
    assert WEB_UI_COORDINATOR.own_overlay(VARIANTS / "web-ui-fixed-user") is None
    assert WEB_UI_COORDINATOR.own_overlay(None) is None
    main = FileSet(dict(coordinator.files))
    assert apply_overlay(main, variant) == []  # the coordinator itself is untouched
    assert main.files == coordinator.files
    etc, applied = WEB_UI_COORDINATOR.etc(scenario, coordinator, node, materials.ca.cert_pem, variant)
    assert applied == ["config.properties (edited: web-ui.authentication.type, web-ui.user)"]
    assert _config(etc)["web-ui.authentication.type"] == "fixed"


def _recipe() -> WebUiOAuth2Recipe:
    return WebUiOAuth2Recipe(
        run_id="r1", network="trino-harness-r1", image="img", alias=UI_OAUTH2_ALIAS, etc_dir="/x/etc"
    )


def test_the_recipe_travels_with_the_target_file(tmp_path):
    oidc = OidcTarget(
        issuer="https://keycloak:8443/realms/trino",
        token_url="https://127.0.0.1:1/t",
        client_id="trino",
        client_secret="client-secret-xyz",
        web_ui_recipe=_recipe(),
    )
    target = Target(host="h", port=1, ca_path="c", expected_version=None, scenario_path="s", oidc=oidc)
    target.save(tmp_path / "t.json")
    again = Target.load(tmp_path / "t.json")
    assert again.oidc is not None and again.oidc.web_ui_oauth2() == _recipe()
    assert (tmp_path / "t.json").stat().st_mode & 0o777 == 0o600


def test_a_remote_target_names_the_profile_field_or_uses_its_url(tmp_path):
    (tmp_path / "ca.pem").write_bytes(CertificateAuthority.create("Profile Test CA").cert_pem)
    shutil.copy(DEFAULT_SCENARIO, tmp_path / "scenario.yaml")
    oidc = {
        "issuer": "https://idp.example/realms/trino",
        "token_url": "https://idp.example/realms/trino/protocol/openid-connect/token",
        "client_id": "trino",
        "client_secret_env": "OIDC_SECRET",
        "users": [{"username": "alice", "password_env": "OIDC_ALICE"}],
    }
    env = {"OIDC_SECRET": "s", "OIDC_ALICE": "a"}

    def target(section: dict) -> Target:
        data = {
            "name": "staging",
            "scenario": "scenario.yaml",
            "coordinator": {"url": "https://trino.staging.example:8443", "ca_bundle": "ca.pem"},
            "oidc": section,
        }
        (tmp_path / "profile.yaml").write_text(yaml.safe_dump(data))
        return target_from_profile(tmp_path / "profile.yaml", env)

    with pytest.raises(MissingCapability) as err:
        target(oidc).oidc_provider().web_ui_oauth2()
    assert "add oidc.web_ui_url" in str(err.value) and "web-ui.authentication.type=oauth2" in str(err.value)
    url = "https://trino-ui.staging.example:8443"
    assert target({**oidc, "web_ui_url": url}).oidc_provider().web_ui_oauth2() == url
    with pytest.raises(ProfileError, match="web_ui_url"):
        target({**oidc, "web_ui_url": "http://trino-ui.staging.example:8080"})


def _jwt(payload: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(payload)}.c2ln"


def test_token_facts_name_claims_never_the_token():
    token = _jwt(
        {"iss": "https://keycloak:8443/realms/trino", "aud": ["trino"], "preferred_username": "alice"}
    )
    summary, principal = token_facts(token, "preferred_username")
    assert principal == "alice" and "aud=['trino']" in summary and token not in summary
    assert token_facts(None, "preferred_username") == ("no session token", None)
    assert token_facts("opaque-value", "preferred_username")[1] is None


def test_the_record_round_trips_and_knows_the_session_cookie_parts():
    def cookie(name: str, secure: bool = True) -> SeenCookie:
        return SeenCookie(name=name, domain="127.0.0.1", path="/ui/", secure=secure, http_only=True)

    seen = UiOAuth2Observation(
        ui_url="https://127.0.0.1:1",
        username="alice",
        no_session=SeenPage("https://keycloak:8443/realms/trino/x", "Sign in to trino", True, False),
        login_cookies=[cookie(TOKEN_COOKIE), cookie(TOKEN_COOKIE + "_1"), cookie("__Secure-Trino-ID-Token")],
        wrong_password_cookies=[cookie("__Secure-Trino-Nonce"), cookie("KEYCLOAK_SESSION")],
    )
    again = UiOAuth2Observation.from_json(seen.to_json())
    assert again == seen
    assert [c.name for c in again.session_cookies] == [TOKEN_COOKIE, TOKEN_COOKIE + "_1"]
    assert again.wrong_password_session_cookies == []  # a pending challenge's nonce is no session
    assert "identity provider's login page" in again.no_session.describe()
    assert "value" not in json.loads(seen.to_json())["login_cookies"][0]


def test_labels_the_ui_login_is_oauth2_and_refusals_are_critical():
    markers = ("oidc", "webui")
    valid = labels_of(markers, "test_web_ui_oauth2", "test_web_ui_oauth2_valid_login_lands_on_x", "alice", {})
    refusal = labels_of(
        markers, "test_web_ui_oauth2", "test_web_ui_oauth2_wrong_password_stays_x", "alice", {}
    )
    assert valid is not None and refusal is not None
    assert (valid.stage, valid.provider, valid.severity) == ("webui", "oauth2", "normal")
    assert refusal.severity == "critical"


# -- the probes, run for real: headless Chromium against a Trino-like UI and a fake provider -------
@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> dict[str, Path]:
    """The UI's certificate for 127.0.0.1, its CA, and a CA that did not issue it."""
    ca = CertificateAuthority.create("Web UI OAuth2 Test CA")
    issued = ca.issue_server("127.0.0.1", ["127.0.0.1"])
    where = tmp_path_factory.mktemp("tls")
    files = {
        "cert": (where / "server.pem", issued.cert_pem),
        "key": (where / "server.key", issued.key_pem),
        "ca": (where / "ca.pem", ca.cert_pem),
        "other_ca": (where / "other-ca.pem", CertificateAuthority.create("Another CA").cert_pem),
    }
    for path, data in files.values():
        path.write_bytes(data)
    return {name: path for name, (path, _) in files.items()}


@pytest.fixture
def chromium_available() -> None:
    try:
        require_browser()
    except BrowserMissing as exc:
        if in_ci():
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.mark.parametrize(
    ("status", "location", "verdict"),
    [
        (401, "", "refused"),
        (403, "", "refused"),
        (302, "{provider}/auth?state=s", "refused"),
        (303, "/ui/login.html", "refused"),
        (200, "", "served"),
        (404, "", "cannot judge"),
        (500, "", "cannot judge"),
        (302, "https://elsewhere.example/x", "cannot judge"),
    ],
    ids=["401", "403", "to-the-provider", "to-a-login-page", "200", "404", "500", "to-elsewhere"],
)
def test_the_ui_api_without_a_session_is_a_refusal_only_when_it_says_no(tls_files, status, location, verdict):
    behaviour = Behaviour(api_status=status)
    with oauth2_ui(behaviour, tls_files["cert"], tls_files["key"]) as (ui, provider):
        behaviour.api_location = location.format(provider=provider)
        said, judged = api_without_session(ui, str(tls_files["ca"]), urlsplit(provider).netloc)
    assert judged == verdict and said.startswith(f"HTTP {status}"), said


def test_the_ui_api_behind_an_unverifiable_certificate_cannot_be_judged(tls_files):
    with oauth2_ui(Behaviour(api_status=401), tls_files["cert"], tls_files["key"]) as (ui, provider):
        said, judged = api_without_session(ui, str(tls_files["other_ca"]), urlsplit(provider).netloc)
    assert judged == "cannot judge" and "unknown-ca" in said, said


def _oidc(provider: str) -> OidcTarget:
    return OidcTarget(
        issuer=provider + "/realms/trino",
        token_url="t",
        client_id="trino",
        client_secret="s",
        passwords={"alice": PASSWORD},
    )


def _drive(behaviour: Behaviour, tls_files: dict[str, Path], tmp_path: Path) -> UiOAuth2Observation:
    """One real pass of ``observe_oauth2_login`` (two fresh headless Chromiums), through its record."""
    with oauth2_ui(behaviour, tls_files["cert"], tls_files["key"]) as (ui, provider):
        oidc = _oidc(provider)
        seen = UiOAuth2Observation(ui_url=ui, username="alice")
        observe_oauth2_login(seen, oidc, "preferred_username", str(tls_files["ca"]), tmp_path)
    return UiOAuth2Observation.from_json(seen.to_json())


def test_a_real_pass_records_provider_overview_cookies_token_and_refusal(
    chromium_available, tls_files, tmp_path
):
    # the overview renders Log Out late (as under load): still judged, and on the overview
    seen = _drive(Behaviour(log_out_after_ms=2000), tls_files, tmp_path)
    assert seen.api_without_session_verdict == "refused" and seen.api_without_session == "HTTP 401"
    assert seen.no_session and seen.no_session.settled and seen.no_session.at_provider_login
    assert seen.no_session.url.endswith("/auth")  # no query
    assert seen.after_login and seen.after_login.settled and seen.after_login.at_overview
    assert [c.name for c in seen.session_cookies] == [TOKEN_COOKIE, TOKEN_COOKIE + "_1"]
    assert all(c.secure and c.http_only for c in seen.session_cookies)
    assert seen.token_principal == "alice" and seen.api_with_session == "HTTP 200"
    wrong = seen.after_wrong_password
    assert wrong and wrong.settled and wrong.at_provider_login
    assert wrong.message == "Invalid username or password." and seen.wrong_password_session_cookies == []
    assert seen.wrong_password_tries == 1
    assert len(seen.screenshots) == 3 and all(Path(p).exists() for p in seen.screenshots.values())
    record = seen.to_json()
    assert PASSWORD not in record and Behaviour().token[:20] not in record and "secret-code" not in record
    for check_of in (
        ui_suite.test_web_ui_oauth2_without_a_session_is_sent_to_the_identity_provider,
        ui_suite.test_web_ui_oauth2_api_refuses_a_request_without_a_session,
    ):
        check_of(seen)
    ui_suite.test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview(seen, ALICE)
    ui_suite.test_web_ui_oauth2_wrong_password_stays_at_the_identity_provider(seen, ALICE)


def test_a_login_the_provider_answered_with_nothing_is_tried_once_more_in_a_fresh_browser(
    chromium_available, tls_files, tmp_path
):
    behaviour = Behaviour(unanswered_logins_of_first_forms=1)
    seen = _drive(behaviour, tls_files, tmp_path)
    assert behaviour.forms_shown == 3  # the first login's browser, its second try, the wrong password
    assert seen.after_login and seen.after_login.settled and seen.after_login.at_overview
    assert seen.token_principal == "alice"
    ui_suite.test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview(seen, ALICE)


def test_a_login_never_answered_cannot_be_judged_and_says_it_saw_the_browsers_error_page(
    chromium_available, tls_files, tmp_path
):
    seen = _drive(Behaviour(unanswered_logins_of_first_forms=99), tls_files, tmp_path)
    page = seen.after_login
    assert page and not page.settled and page.browser_error.startswith("ERR_"), page
    with pytest.raises(pytest.fail.Exception, match="the browser's own error page"):
        ui_suite.test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview(seen, ALICE)


def test_a_ui_without_login_is_the_overview_and_its_api_serves(chromium_available, tls_files, tmp_path):
    seen = _drive(Behaviour(ui_without_login=True, api_status=200), tls_files, tmp_path)
    assert seen.no_session and seen.no_session.settled and seen.no_session.at_overview
    assert seen.api_without_session_verdict == "served"
    assert seen.after_login is None and seen.after_wrong_password is None
    with pytest.raises(CheckFailed):
        ui_suite.test_web_ui_oauth2_without_a_session_is_sent_to_the_identity_provider(seen)
    with pytest.raises(CheckFailed):
        ui_suite.test_web_ui_oauth2_api_refuses_a_request_without_a_session(seen)


def test_an_overview_that_never_renders_after_the_login_cannot_be_judged(
    chromium_available, tls_files, tmp_path, monkeypatch
):
    monkeypatch.setattr(oauth2_login, "WAIT_S", 4)
    seen = _drive(Behaviour(log_out_after_ms=NEVER), tls_files, tmp_path)
    assert seen.after_login and not seen.after_login.settled and not seen.after_login.at_overview
    assert seen.session_cookies  # the session is there: only the page has not settled
    with pytest.raises(pytest.fail.Exception, match="cannot judge alice's login") as err:
        ui_suite.test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview(seen, ALICE)
    assert not isinstance(err.value, AssertionError)


def _landed(**facts: object) -> UiOAuth2Observation:
    def cookie(name: str) -> SeenCookie:
        return SeenCookie(name=name, domain="127.0.0.1", path="/ui/", secure=True, http_only=True)

    seen = UiOAuth2Observation(
        ui_url="https://127.0.0.1:1",
        username="alice",
        no_session=SeenPage("https://idp/auth", "Sign in", True, False, settled=True),
        after_login=SeenPage(
            "https://127.0.0.1:1/ui/", "Cluster Overview - Trino", False, True, settled=True
        ),
        login_cookies=[cookie(TOKEN_COOKIE)],
        api_with_session="HTTP 200",
    )
    for name, value in facts.items():
        setattr(seen, name, value)
    return seen


def test_a_token_that_cannot_be_read_or_names_nobody_cannot_judge_the_user():
    for token in ("opaque-value", _jwt({"iss": "idp", "sub": "x"})):
        summary, principal = token_facts(token, "preferred_username")
        seen = _landed(token_claims=summary, token_principal=principal)
        with pytest.raises(pytest.fail.Exception, match="cannot judge whether the session token names alice"):
            ui_suite.test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview(seen, ALICE)


def test_a_token_naming_another_user_fails():
    summary, principal = token_facts(_jwt({"preferred_username": "mallory"}), "preferred_username")
    with pytest.raises(CheckFailed, match="preferred_username=mallory"):
        ui_suite.test_web_ui_oauth2_valid_login_lands_on_the_cluster_overview(
            _landed(token_claims=summary, token_principal=principal), ALICE
        )


def test_an_unsettled_wrong_password_page_cannot_be_judged_but_a_leaked_session_fails():
    interstitial = SeenPage("https://idp/login-actions/authenticate", "keycloak", False, False)
    seen = _landed(after_wrong_password=interstitial, wrong_password_tries=2)
    with pytest.raises(pytest.fail.Exception, match="cannot judge the wrong password"):
        ui_suite.test_web_ui_oauth2_wrong_password_stays_at_the_identity_provider(seen, ALICE)
    leaked = SeenCookie(name=TOKEN_COOKIE, domain="127.0.0.1", path="/ui/", secure=True, http_only=True)
    seen.wrong_password_cookies = [leaked]
    with pytest.raises(CheckFailed):
        ui_suite.test_web_ui_oauth2_wrong_password_stays_at_the_identity_provider(seen, ALICE)


def test_an_api_answer_that_is_no_refusal_cannot_be_judged():
    seen = _landed(api_without_session="HTTP 500", api_without_session_verdict="cannot judge")
    with pytest.raises(pytest.fail.Exception, match=r"cannot judge: GET .* answered HTTP 500"):
        ui_suite.test_web_ui_oauth2_api_refuses_a_request_without_a_session(seen)
