"""The Web UI OAuth2 check without Docker: the extra coordinator's etc/ is the coordinator's with only
the UI switch and a node of its own; its recipe travels with the target; a remote profile names a UI
instead; the browser's record round-trips and never holds a value."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
import yaml

from trino_harness.capabilities import MissingCapability
from trino_harness.pki import CertificateAuthority
from trino_harness.profile.loader import ProfileError, target_from_profile
from trino_harness.render.files import FileSet
from trino_harness.render.materials import RunMaterials
from trino_harness.render.oidc import CLIENT_SECRET_ENV
from trino_harness.render.oidc import add_to_trino_etc as add_oidc
from trino_harness.render.overlay import apply_overlay, parse_properties
from trino_harness.render.trino_etc import SHARED_SECRET_ENV, render_trino_etc
from trino_harness.render.web_ui_oauth2 import (
    UI_OAUTH2_ALIAS,
    env_references,
    render_web_ui_oauth2_etc,
    ui_oauth2_overlay_of,
)
from trino_harness.render.worker_etc import WorkerNode, configure_coordinator_for_workers
from trino_harness.reporting.labels import labels_of
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario
from trino_harness.target import OidcTarget, Target, WebUiOAuth2Recipe
from trino_harness.webui.oauth2_login import (
    TOKEN_COOKIE,
    SeenCookie,
    SeenPage,
    UiOAuth2Observation,
    token_facts,
)

VARIANTS = Path(__file__).resolve().parents[2] / "scenarios" / "variants"


@pytest.fixture(scope="module")
def rendered():
    scenario = load_scenario()
    assert scenario.oidc is not None
    materials = RunMaterials.generate(scenario)
    etc = render_trino_etc(scenario, materials)
    add_oidc(etc, scenario.oidc)
    configure_coordinator_for_workers(etc, scenario.cluster.include_coordinator)
    node = WorkerNode.issue(materials.ca, UI_OAUTH2_ALIAS)
    return scenario, materials, etc, node


def _config(etc: FileSet, name: str = "config.properties") -> dict[str, str]:
    return parse_properties(etc.text(name))


def test_only_the_ui_switch_and_the_node_identity_differ_from_the_coordinator(rendered):
    scenario, materials, coordinator, node = rendered
    etc, applied = render_web_ui_oauth2_etc(coordinator, node, materials.ca.cert_pem)
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
    _, materials, coordinator, node = rendered
    etc, _ = render_web_ui_oauth2_etc(coordinator, node, materials.ca.cert_pem)
    assert "catalog/postgresql.properties" in coordinator.files
    assert "catalog/postgresql.properties" not in etc.files and "catalog/tpch.properties" in etc.files
    assert env_references(etc) == {SHARED_SECRET_ENV, CLIENT_SECRET_ENV}


def test_the_coordinators_overlay_reaches_it_but_not_its_web_ui_user(rendered):
    _, materials, coordinator, node = rendered
    overlaid = FileSet(dict(coordinator.files))
    apply_overlay(overlaid, VARIANTS / "web-ui-fixed-user")  # the coordinator's UI: fixed user
    etc, _ = render_web_ui_oauth2_etc(overlaid, node, materials.ca.cert_pem, VARIANTS / "web-ui-fixed-user")
    config = _config(etc)
    assert config["web-ui.authentication.type"] == "oauth2"
    assert "web-ui.user" not in config  # Trino refuses a property no module uses


def test_a_variants_web_ui_oauth2_part_reaches_only_the_extra_coordinator(rendered):
    _, materials, coordinator, node = rendered
    variant = VARIANTS / "web-ui-oauth2-fixed-user"
    assert ui_oauth2_overlay_of(variant) == variant / "web-ui-oauth2"
    assert ui_oauth2_overlay_of(VARIANTS / "web-ui-fixed-user") is None
    assert ui_oauth2_overlay_of(None) is None
    main = FileSet(dict(coordinator.files))
    assert apply_overlay(main, variant) == []  # the coordinator itself is untouched
    assert main.files == coordinator.files
    etc, applied = render_web_ui_oauth2_etc(coordinator, node, materials.ca.cert_pem, variant)
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


# -- the browser pass against a scripted browser ---------------------------------------------------
class _Element:
    def __init__(self, driver: _Browser, name: str, text: str = "") -> None:
        self.driver, self.name, self.text = driver, name, text

    def send_keys(self, value: str) -> None:
        self.driver.typed[self.name] = value

    def click(self) -> None:
        self.driver.submitted()


class _Browser:
    """Keycloak's login page, then Trino's overview for the right password (or Keycloak's message)."""

    UI = "https://127.0.0.1:9443"
    TOKEN = _jwt({"iss": "https://keycloak:8443/realms/trino", "aud": "trino", "preferred_username": "alice"})

    def __init__(self, fixed: bool, interstitial: bool = False) -> None:
        self.fixed, self.state, self.typed, self.cookies = fixed, "blank", {}, []
        self.interstitial = interstitial  # a wrong password shows a page without form or message

    def get(self, url: str) -> None:
        assert url == self.UI + "/ui/"
        self.state = "overview" if self.fixed else "login"
        self.cookies.append({"name": "__Secure-Trino-Nonce", "value": "nonce-value-1", "path": "/oauth2"})

    def submitted(self) -> None:
        if self.typed["password"] == "pw-alice-123":
            self.state = "overview"
            half = len(self.TOKEN) // 2
            for name, value in ((TOKEN_COOKIE, self.TOKEN[:half]), (TOKEN_COOKIE + "_1", self.TOKEN[half:])):
                self.cookies.append(
                    {"name": name, "value": value, "path": "/ui/", "secure": True, "httpOnly": True}
                )
        else:
            self.state = "interstitial" if self.interstitial else "error"

    @property
    def current_url(self) -> str:
        return {
            "login": "https://keycloak:8443/realms/trino/protocol/openid-connect/auth?state=s&nonce=n",
            "interstitial": "https://keycloak:8443/realms/trino/login-actions/authenticate?execution=e",
            "error": "https://keycloak:8443/realms/trino/login-actions/authenticate?session_code=c",
            "overview": self.UI + "/ui/",
        }.get(self.state, "about:blank")

    @property
    def title(self) -> str:
        return {"overview": "Cluster Overview - Trino", "interstitial": "keycloak"}.get(
            self.state, "Sign in to trino"
        )

    def find_elements(self, by: str, value: str) -> list[_Element]:
        at_keycloak = self.state in ("login", "error")
        if by == "id" and value in ("username", "password") and at_keycloak:
            return [_Element(self, value)]
        if by == "css selector" and self.state == "error":
            return [_Element(self, "message", "Invalid username or password.")]
        return []

    def find_element(self, by: str, value: str) -> _Element:
        return _Element(self, value)

    def execute_cdp_cmd(self, command: str, params: dict) -> dict:
        return {"cookies": [{"domain": "127.0.0.1", "secure": True, **c} for c in self.cookies]}

    def set_script_timeout(self, seconds: float) -> None:
        pass

    def execute_async_script(self, script: str) -> str:
        return "HTTP 200" if "/ui/api/stats" in script else "?"

    def get_screenshot_as_png(self) -> bytes:
        return b"\x89PNG"


def _drive(monkeypatch, tmp_path: Path, fixed: bool, interstitials: int = 0) -> UiOAuth2Observation:
    """One pass against scripted browsers; the first ``interstitials`` wrong-password looks after the
    first browser (the right login's) land on a page that is neither the form nor the overview."""
    from contextlib import contextmanager

    import trino_harness.webui.oauth2_login as login

    opened = []

    @contextmanager
    def browser(**_):
        opened.append(1)
        yield _Browser(fixed, interstitial=1 < len(opened) <= 1 + interstitials)

    monkeypatch.setattr(login, "headless_chromium", browser)
    monkeypatch.setattr(
        login, "api_without_session", lambda url, ca: ("HTTP 200", True) if fixed else ("HTTP 401", False)
    )
    oidc = OidcTarget(
        issuer="i", token_url="t", client_id="trino", client_secret="s", passwords={"alice": "pw-alice-123"}
    )
    seen = UiOAuth2Observation(ui_url=_Browser.UI, username="alice")
    login.observe_oauth2_login(seen, oidc, "preferred_username", "ca.pem", tmp_path)
    return UiOAuth2Observation.from_json(seen.to_json())


def test_the_browser_pass_records_provider_overview_cookies_and_refusal(monkeypatch, tmp_path):
    seen = _drive(monkeypatch, tmp_path, fixed=False)
    assert seen.no_session and seen.no_session.at_provider_login and not seen.no_session.at_overview
    assert (
        seen.no_session.url == "https://keycloak:8443/realms/trino/protocol/openid-connect/auth"
    )  # no query
    assert seen.after_login and seen.after_login.at_overview
    assert [c.name for c in seen.session_cookies] == [TOKEN_COOKIE, TOKEN_COOKIE + "_1"]
    assert all(c.secure and c.http_only for c in seen.session_cookies)
    assert seen.token_principal == "alice" and seen.api_with_session == "HTTP 200"
    wrong = seen.after_wrong_password
    assert wrong and wrong.at_provider_login and wrong.message == "Invalid username or password."
    assert seen.wrong_password_session_cookies == []
    assert len(seen.screenshots) == 3 and all(Path(p).exists() for p in seen.screenshots.values())
    record = seen.to_json()
    assert (
        "pw-alice-123" not in record and _Browser.TOKEN[:20] not in record and "nonce-value-1" not in record
    )


def test_a_ui_without_login_is_recorded_as_the_overview_with_nothing_to_log_in_at(monkeypatch, tmp_path):
    seen = _drive(monkeypatch, tmp_path, fixed=True)
    assert seen.no_session and seen.no_session.at_overview and not seen.no_session.at_provider_login
    assert seen.api_without_session_served is True
    assert seen.after_login is None and seen.after_wrong_password is None


def test_a_wrong_password_page_that_judges_nothing_is_tried_once_more_in_a_fresh_browser(
    monkeypatch, tmp_path
):
    seen = _drive(monkeypatch, tmp_path, fixed=False, interstitials=1)
    wrong = seen.after_wrong_password
    assert wrong and wrong.at_provider_login and wrong.message == "Invalid username or password."
    assert seen.wrong_password_tries == 2


def test_a_wrong_password_page_that_never_judges_stays_recorded_after_the_last_try(monkeypatch, tmp_path):
    seen = _drive(monkeypatch, tmp_path, fixed=False, interstitials=5)
    wrong = seen.after_wrong_password
    assert wrong and not wrong.at_provider_login and not wrong.at_overview and wrong.title == "keycloak"
    assert seen.wrong_password_tries == 2
