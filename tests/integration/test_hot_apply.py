"""Files Trino re-reads at runtime reach a running coordinator without a restart, and come back out.

One lean stack: a group file, a password file and a rules file are each written into the running
coordinator (its sentinel proves the copy in force), checked through a real answer, and undone.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from trino.auth import BasicAuthentication
from trino.dbapi import connect as trino_connect
from trino.exceptions import HttpError

from trino_harness.clients import connect, http_session
from trino_harness.render.trino_etc import bcrypt_line
from trino_harness.scenario.model import Principal
from trino_harness.stack.reference import ReferenceStack, StackOptions
from trino_harness.target import Target

from .conftest import VARIANTS, harness_leftovers, lean_scenario

pytestmark = pytest.mark.integration
SVC_BI = Principal(provider="file", principal="svc_bi")


def _groups_of_alice(target: Target) -> list[str]:
    cursor = connect(target, SVC_BI, user="alice").cursor()  # svc_bi may impersonate alice
    cursor.execute("SELECT current_groups()")
    return sorted(cursor.fetchall()[0][0])


def _logs_in(target: Target, user: str, password: str) -> bool:
    cursor = trino_connect(
        host=target.host, port=target.port, http_scheme="https",
        auth=BasicAuthentication(user, password), http_session=http_session(target),
    ).cursor()  # fmt: skip
    try:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    except HttpError as exc:
        assert "401" in str(exc), exc
        return False
    return True


def _overlay(directory: Path, rel: str, text: str) -> Path:
    directory.mkdir()
    (directory / rel).write_text(text)
    return directory


def test_group_password_and_rules_changes_apply_in_place_and_undo(tmp_path: Path):
    stack = ReferenceStack(
        StackOptions(
            run_id=f"hot{uuid.uuid4().hex[:6]}",
            run_dir=tmp_path / "stack",
            scenario_path=lean_scenario(tmp_path),
            log_dir=tmp_path / "logs",
        )
    )
    try:
        stack.start_services()
        target = stack.start_coordinator(None)
        base = stack._render_base()
        groups = _overlay(tmp_path / "groups", "group.txt", base.text("group.txt") + "extra_group:alice\n")
        passwords = _overlay(
            tmp_path / "passwords",
            "password.db",
            base.text("password.db") + bcrypt_line("zed", "zed-pass-1") + "\n",
        )
        assert _groups_of_alice(target) == ["analysts"]

        target, how = stack.apply_coordinator(groups)
        assert how == "hot: group.txt"
        assert _groups_of_alice(target) == ["analysts", "extra_group"]
        target, how = stack.apply_coordinator(None)
        assert how == "hot: group.txt"
        assert _groups_of_alice(target) == ["analysts"]

        assert not _logs_in(target, "zed", "zed-pass-1")
        target, how = stack.apply_coordinator(passwords)
        assert how == "hot: password.db"
        assert _logs_in(target, "zed", "zed-pass-1")
        target, how = stack.apply_coordinator(None)
        assert how == "hot: password.db"
        assert not _logs_in(target, "zed", "zed-pass-1")

        target, how = stack.apply_coordinator(VARIANTS / "impersonation-too-broad")
        assert how == "hot: rules.json"
        cursor = connect(target, SVC_BI, user="admin").cursor()  # the variant's new_user: .*
        cursor.execute("SELECT current_user")
        assert cursor.fetchall() == [["admin"]]
        target, how = stack.apply_coordinator(VARIANTS / "ldap-no-group-gate")
        assert how.startswith("restart: password-ldap.properties changed")
    finally:
        stack.stop()
    assert harness_leftovers() == []
