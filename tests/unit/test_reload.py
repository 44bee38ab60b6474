"""Which variants reach a running coordinator without a restart, and the sentinels that prove it."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from trino_harness.matrix.catalog import load_catalog
from trino_harness.render.files import FileSet
from trino_harness.render.materials import RunMaterials
from trino_harness.render.overlay import apply_overlay, parse_properties
from trino_harness.render.reload import (
    SENTINEL_USER,
    HotPlan,
    add_sentinels,
    changed_files,
    mark_rules,
    plan_hot_apply,
    reloaded_files,
    sentinel_name,
)
from trino_harness.render.trino_etc import RELOAD_PERIOD, render_trino_etc
from trino_harness.scenario.loader import load_scenario
from trino_harness.stack.hot_apply import files_tar

HASH = "$2y$10$abcdefghijklmnopqrstuuJ7Z1bI1cC5t2m3gO8pQ2aC9yW4Jf9mS"


@pytest.fixture(scope="module")
def base() -> FileSet:
    scenario = load_scenario()
    return render_trino_etc(scenario, RunMaterials.generate(scenario))


def _copy(etc: FileSet) -> FileSet:
    return FileSet(dict(etc.files))


def _effective(base: FileSet, overlay: Path | None) -> tuple[FileSet, object]:
    etc = _copy(base)
    if overlay:
        apply_overlay(etc, overlay)
    return etc, add_sentinels(etc, "admin", HASH)


def _plan(base: FileSet, overlay: Path) -> HotPlan | str:
    return plan_hot_apply(*_effective(base, None), *_effective(base, overlay))


def _overlay(tmp_path: Path, files: dict[str, str], manifest: str | None = None) -> Path:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    if manifest:
        (tmp_path / "overlay.yaml").write_text(manifest)
    return tmp_path


def test_baseline_sets_a_short_refresh_period_on_every_reloaded_file(base):
    def props(rel: str) -> dict[str, str]:
        return parse_properties(base.text(rel))

    assert props("access-control.properties")["security.refresh-period"] == RELOAD_PERIOD
    assert props("group-provider.properties")["file.refresh-period"] == RELOAD_PERIOD
    assert props("password-file.properties")["file.refresh-period"] == RELOAD_PERIOD
    assert reloaded_files(base) == {"rules.json": "rules", "group.txt": "groups", "password.db": "passwords"}


def test_rules_are_reloaded_only_when_a_refresh_period_is_set(base):
    etc = _copy(base)
    props = parse_properties(etc.text("access-control.properties"))
    del props["security.refresh-period"]
    etc.add("access-control.properties", "".join(f"{k}={v}\n" for k, v in props.items()))
    assert "rules.json" not in reloaded_files(etc)


def test_files_follow_the_properties_that_name_them(base, tmp_path):
    overlay = _overlay(
        tmp_path,
        {"legacy.db": "old:hash\n"},
        "properties:\n"
        "  password-file.properties: {file.password-file: /etc/trino/legacy.db}\n"
        "  group-provider.properties: {group-provider.name: ldap}\n",
    )
    etc = _copy(base)
    apply_overlay(etc, overlay)
    assert reloaded_files(etc) == {"rules.json": "rules", "legacy.db": "passwords"}


def test_changed_files_sees_content_mode_additions_and_removals(base):
    new = _copy(base)
    new.add("rules.json", "{}\n")
    new.add("extra.txt", "x")
    del new.files["group.txt"]
    data, _ = new.files["password.db"]
    new.add("password.db", data, 0o644)
    assert changed_files(base, new) == {"rules.json", "extra.txt", "group.txt", "password.db"}
    assert changed_files(base, _copy(base)) == set()


RULES_ONLY = (
    "impersonation-too-broad",
    "impersonation-undeclared-target",
    "table-undeclared-readable",
    "query-kill-second-way",
    "query-visibility-open",
    "catalog-access-open",
    "table-and-session-rules-open",
    "clients-impersonation-too-broad",
    "schemas-and-routines-open",
    "system-information-open",
    "authorization-open",
)


def test_variants_that_change_only_the_rules_need_no_restart(base):
    variants = {v.name: v for v in load_catalog()}
    for name in RULES_ONLY:
        plan = _plan(base, variants[name].overlay)
        assert isinstance(plan, HotPlan), (name, plan)
        assert set(plan.files) == {"rules.json"}


def test_a_variant_that_changes_only_the_extra_coordinator_changes_no_coordinator_file(base):
    plan = _plan(base, next(v for v in load_catalog() if v.name == "web-ui-oauth2-fixed-user").overlay)
    assert plan == HotPlan({})


def test_every_other_catalogued_variant_needs_a_restart(base):
    hot = {*RULES_ONLY, "password-file-default-account", "web-ui-oauth2-fixed-user"}
    for variant in load_catalog():
        if variant.name not in hot:
            assert isinstance(_plan(base, variant.overlay), str), variant.name


def test_a_properties_change_needs_a_restart_even_beside_a_reloaded_file(base, tmp_path):
    manifest = "properties:\n  config.properties: {query.max-run-time: 1h}\n"
    overlay = _overlay(tmp_path, {"group.txt": "admins:admin\n"}, manifest)
    assert _plan(base, overlay) == "config.properties changed (read only at start)"


def test_group_and_password_changes_carry_their_own_sentinels(base, tmp_path):
    overlay = _overlay(tmp_path, {"group.txt": "admins:admin\n", "password.db": "admin:" + HASH + "\n"})
    plan = _plan(base, overlay)
    assert isinstance(plan, HotPlan)
    kinds = {rel: kind for rel, (kind, _) in plan.files.items()}
    assert kinds == {"group.txt": "groups", "password.db": "passwords"}
    etc, _ = _effective(base, overlay)
    _, group_token = plan.files["group.txt"]
    assert etc.text("group.txt").endswith(f"{sentinel_name('groups', group_token)}:{SENTINEL_USER}\n")
    _, password_token = plan.files["password.db"]
    assert f"{sentinel_name('passwords', password_token)}:{HASH}\n" in etc.text("password.db")


def test_the_sentinel_tokens_differ_between_baseline_and_variant(base, tmp_path):
    overlay = _overlay(tmp_path, {"group.txt": "admins:admin\n"})
    _, old = _effective(base, None)
    _, new = _effective(base, overlay)
    assert old.token("group.txt") != new.token("group.txt")
    assert old.token("rules.json") == new.token("rules.json")  # unchanged file, same sentinel


def test_rules_sentinel_comes_first_and_lets_only_the_operator_impersonate_a_sentinel(base):
    rules = json.loads(mark_rules(base.text("rules.json"), "ad.min", "abc123"))
    first, *rest = rules["impersonation"]
    sentinels = f"{SENTINEL_USER}|harness_sentinel_rabc123"
    assert first == {"original_user": r"ad\.min", "new_user": sentinels, "allow": True}
    assert rest == json.loads(base.text("rules.json"))["impersonation"]
    assert {k: v for k, v in rules.items() if k != "impersonation"} == {
        k: v for k, v in json.loads(base.text("rules.json")).items() if k != "impersonation"
    }


def test_rules_decided_by_principal_rules_get_no_sentinel_and_restart(base, tmp_path):
    decided = json.dumps({"principals": [{"principal": "(.*)", "principal_to_user": "$1", "allow": "all"}]})
    with pytest.raises(ValueError):
        mark_rules(decided, "admin", "t")
    one = _overlay(tmp_path / "one", {"rules.json": decided})
    two = _overlay(tmp_path / "two", {"rules.json": decided.replace("all", "none")})
    assert "carries no sentinel" in str(plan_hot_apply(*_effective(base, one), *_effective(base, two)))


def test_without_an_operator_user_neither_rules_nor_groups_are_marked(base):
    etc = _copy(base)
    marks = add_sentinels(etc, None, HASH)
    assert set(marks.marks) == {"password.db"}
    assert etc.text("rules.json") == base.text("rules.json")


def test_hot_files_tar_holds_only_the_files_owned_by_trino(base):
    archive = files_tar(base, ["rules.json", "password.db"], 1000)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = {m.name: (m.uid, m.gid, m.mode, m.isfile()) for m in tar.getmembers()}
    assert members == {"rules.json": (1000, 1000, 0o644, True), "password.db": (1000, 1000, 0o600, True)}
