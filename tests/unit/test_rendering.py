"""The rendered Trino configuration carries the security the scenario declares."""

import io
import json
import tarfile

import bcrypt
import pytest

from trino_harness.render.coordinator_etc import render_coordinator_etc
from trino_harness.render.files import SECRET_MODE, properties
from trino_harness.render.ldap import render_ldap_seed
from trino_harness.render.materials import RunMaterials
from trino_harness.render.overlay import OverlayError, apply_overlay, parse_properties
from trino_harness.render.trino_etc import render_trino_etc, trino_environment
from trino_harness.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def rendered():
    scenario = load_scenario()
    materials = RunMaterials.generate(scenario)
    return scenario, materials, render_trino_etc(scenario, materials)


def _props(text: str) -> dict[str, str]:
    return parse_properties(text)  # as Trino reads it (java.util.Properties)


def test_config_is_https_only_with_every_authenticator(rendered):
    _, _, etc = rendered
    config = _props(etc.text("config.properties"))
    assert config["http-server.http.enabled"] == "false"
    assert config["http-server.https.enabled"] == "true"
    assert config["http-server.authentication.type"] == "CERTIFICATE,JWT,PASSWORD"
    assert config["password-authenticator.config-files"].count(".properties") == 2


def test_secrets_reach_trino_only_through_environment_references(rendered):
    _, materials, etc = rendered
    config = _props(etc.text("config.properties"))
    catalog = _props(etc.text("catalog/postgresql.properties"))
    assert config["internal-communication.shared-secret"] == "${ENV:TRINO_SHARED_SECRET}"
    assert catalog["connection-password"] == "${ENV:POSTGRES_CATALOG_PASSWORD}"
    everything = b"".join(data for data, _ in etc.files.values())
    assert materials.shared_secret.encode() not in everything
    assert materials.db.catalog.encode() not in everything
    assert materials.ldap_group_lookup_password.encode() not in everything
    assert set(trino_environment(materials)) == {
        "TRINO_SHARED_SECRET", "POSTGRES_CATALOG_PASSWORD", "LDAP_GROUP_LOOKUP_PASSWORD",
    }  # fmt: skip


def test_the_directory_holds_every_user_and_group_but_only_ldap_users_can_bind():
    scenario = load_scenario()
    materials = RunMaterials.generate(scenario)
    directory = render_ldap_seed(scenario, materials).text("data.ldif")
    # what group.txt says, so Trino's LDAP group provider (a variant's) answers the same
    for user in scenario.users:
        for group in user.groups:
            uid = user.login_name if user.credential == "ldap" else user.name
            block = directory.split(f"dn: cn={group},ou=groups,")[1].split("\n\n")[0]
            assert f"member: uid={uid},ou=people," in block, (group, uid)
    alice = directory.split("dn: uid=alice,ou=people,")[1].split("\n\n")[0]
    assert "userPassword" not in alice
    assert materials.ldap_group_lookup_password not in directory  # only its salted hash


def test_password_file_holds_bcrypt_hashes_that_verify(rendered):
    scenario, materials, etc = rendered
    lines = etc.text("password.db").splitlines()
    assert etc.files["password.db"][1] == SECRET_MODE
    alice = scenario.user("alice")
    _, hashed = next(line.split(":", 1) for line in lines if line.startswith(alice.login_name + ":"))
    assert hashed.startswith("$2y$10$")
    assert bcrypt.checkpw(materials.user_passwords["alice"].encode(), ("$2b$" + hashed[4:]).encode())
    assert all(
        materials.user_passwords[u.name] not in etc.text("password.db")
        for u in scenario.users
        if u.name in materials.user_passwords
    )


def test_ldap_authenticator_uses_ldaps_and_a_group_gate(rendered):
    _, _, etc = rendered
    ldap = _props(etc.text("password-ldap.properties"))
    assert ldap["ldap.url"].startswith("ldaps://")
    assert "ldap.allow-insecure" not in ldap
    assert "cn=trino_users" in ldap["ldap.group-auth-pattern"]


def test_rules_and_groups_come_from_the_scenario(rendered):
    scenario, _, etc = rendered
    rules = json.loads(etc.text("rules.json"))
    assert rules["impersonation"] == [dict(r) for r in scenario.access_rules.impersonation]
    assert "admins:admin" in etc.text("group.txt").splitlines()


def test_ldap_directory_puts_only_declared_members_in_the_allowed_group(rendered):
    scenario, materials, _ = rendered
    data = render_ldap_seed(scenario, materials).text("data.ldif")
    group = data.split("dn: cn=trino_users,ou=groups,")[1].split("\n\n")[0]
    assert "uid=bob," in group and "uid=svc_etl," in group
    assert "uid=carol," not in group


def test_overlay_replaces_and_adds_files(rendered, tmp_path):
    _, _, etc = rendered
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "extra.properties").write_text("connector.name=memory\n")
    (tmp_path / "log.properties").write_text("io.trino=DEBUG\n")
    applied = apply_overlay(etc, tmp_path)
    assert applied == ["catalog/extra.properties", "log.properties"]
    assert etc.text("log.properties") == "io.trino=DEBUG\n"
    with pytest.raises(OverlayError, match="not a directory"):
        apply_overlay(etc, tmp_path / "missing")


def test_seed_archive_sets_owner_and_keeps_secret_modes(rendered):
    _, _, etc = rendered
    with tarfile.open(fileobj=io.BytesIO(etc.tar("/etc/trino", uid=1000, gid=1000))) as tar:
        member = tar.getmember("etc/trino/password.db")
    assert (member.uid, member.gid, member.mode) == (1000, 1000, SECRET_MODE)


def test_overlay_manifest_edits_properties_and_removes_files(rendered, tmp_path):
    _, _, etc = rendered
    (tmp_path / "overlay.yaml").write_text(
        "properties:\n"
        "  config.properties: {http-server.http.enabled: true, http-server.authentication.type: null}\n"
        "remove: [group-provider.properties]\n"
    )
    apply_overlay(etc, tmp_path)
    config = etc.text("config.properties")
    assert "http-server.http.enabled=true" in config
    assert "http-server.authentication.type" not in config
    assert "http-server.https.port=8443" in config
    assert "group-provider.properties" not in etc.files
    (tmp_path / "overlay.yaml").write_text("remove: [no-such.properties]\n")
    with pytest.raises(OverlayError, match="no such rendered file"):
        apply_overlay(etc, tmp_path)


def test_request_log_is_written_at_once_where_the_target_reads_it(rendered):
    from trino_harness.render.trino_etc import REQUEST_LOG

    _, _, etc = rendered
    config = _props(etc.text("config.properties"))
    node = _props(etc.text("node.properties"))
    assert config["http-server.log.immediate-flush"] == "true"
    assert "http-server.log.enabled" not in config  # airlift's default: on
    assert REQUEST_LOG == f"{node['node.data-dir']}/var/log/http-request.log"


def test_overlay_replaces_one_section_of_the_rules_and_keeps_the_others(rendered, tmp_path):
    scenario, materials, _ = rendered
    etc = render_trino_etc(scenario, materials)
    before = json.loads(etc.text("rules.json"))
    (tmp_path / "overlay.yaml").write_text(
        "json:\n  rules.json:\n"
        "    impersonation: [{original_user: svc_bi, new_user: '.*'}]\n"
        "    schemas: null\n"
    )
    applied = apply_overlay(etc, tmp_path)
    after = json.loads(etc.text("rules.json"))
    assert after["impersonation"] == [{"original_user": "svc_bi", "new_user": ".*"}]
    assert "schemas" not in after
    assert {k: v for k, v in after.items() if k != "impersonation"} == {
        k: v for k, v in before.items() if k not in ("impersonation", "schemas")
    }
    assert applied == ["rules.json (sections: impersonation, schemas)"]
    (tmp_path / "overlay.yaml").write_text("json:\n  rule.json: {tables: []}\n  rules.json: [1]\n")
    with pytest.raises(OverlayError) as raised:
        apply_overlay(etc, tmp_path)
    assert (
        "json.rule.json: no such rendered file; fix: name a rendered file (did you mean 'rules.json'?)"
        in str(raised.value)
    )
    assert "json.rules.json: a list, not key: value pairs" in str(raised.value)


def test_every_mapping_pattern_reaches_trino_as_the_scenario_writes_it():
    """Trino reads .properties with java.util.Properties: a regex's single backslash would be lost
    (``harness\\.test`` read as ``harness.test``, whose dot matches any character)."""
    scenario = load_scenario()
    assert scenario.kerberos is not None and scenario.oidc is not None
    assert scenario.user_mapping.jwt is not None and scenario.user_mapping.jwt.pattern is not None
    config = parse_properties(
        render_coordinator_etc(scenario, RunMaterials.generate(scenario), b"keytab").text("config.properties")
    )
    prefix = "http-server.authentication"
    assert config[f"{prefix}.jwt.user-mapping.pattern"] == scenario.user_mapping.jwt.pattern
    assert config[f"{prefix}.krb5.user-mapping.pattern"] == scenario.kerberos.user_mapping_pattern
    assert config[f"{prefix}.oauth2.user-mapping.pattern"] == scenario.oidc.user_mapping_pattern
    assert "\\" in scenario.user_mapping.jwt.pattern  # the baseline's patterns do hold a backslash


def test_properties_are_read_as_java_reads_them_and_written_so_they_read_back():
    text = "a=x\\\\.y\nb=x\\.y\nc=\\u0041\\tB\nd = spaced \n# e=comment\n"
    assert parse_properties(text) == {"a": "x\\.y", "b": "x.y", "c": "A\tB", "d": "spaced"}
    values = {"p": "(.+)@harness\\.test", "q": "C:\\\\share", "flag": "true"}
    assert parse_properties(properties(values)) == values
