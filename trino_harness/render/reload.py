"""Which of the coordinator's files Trino re-reads while running, and the sentinels that prove it did.

Trino 476 re-reads three kinds of file without a restart (each through Guava's
``memoizeWithExpiration``: the first use after the period has passed parses the file again):

- the file access control's rules (``access-control.name=file``, ``security.config-file``), only
  when ``security.refresh-period`` is set in that access-control file (no default: read once);
- the file group provider's group file (``group-provider.name=file``, ``file.group-file``), every
  ``file.refresh-period`` (default 5s);
- each file password authenticator's password file (``password-authenticator.name=file``,
  ``file.password-file``), every ``file.refresh-period`` (default 5s).

Everything else (every ``.properties`` file, the user-mapping files, ``jvm.config``, krb5.conf,
catalogs, the JWT key) is read once at start; a change there needs a restart.

A reloaded file's content cannot be read back over Trino's API, so each rendered copy carries a
sentinel the harness controls, named by a token (a hash of the file without its sentinel), whose
answer flips when that copy is in force:

- rules: the operator may impersonate ``harness_sentinel_r<token>`` (and ``harness_sentinel``,
  which the group sentinel needs);
- groups: user ``harness_sentinel`` is in group ``harness_sentinel_g<token>`` (``current_groups()``);
- passwords: account ``harness_sentinel_p<token>`` logs in with a per-run password.

The sentinels are harmless by construction: no scenario user is named ``harness_sentinel*``, the
impersonation rule is first and matches only the operator asking for a sentinel user, and a
sentinel user holds no rights beyond what the rules give an unknown user.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Literal

from trino_harness.render.files import FileSet
from trino_harness.render.overlay import parse_properties

ETC = "/etc/trino"
SENTINEL_USER = "harness_sentinel"
Kind = Literal["rules", "groups", "passwords"]
PREFIX: dict[Kind, str] = {"rules": "r", "groups": "g", "passwords": "p"}


def sentinel_name(kind: Kind, token: str) -> str:
    """The user (rules, passwords) or group (groups) whose answer flips when ``token``'s copy is in force."""
    return f"{SENTINEL_USER}_{PREFIX[kind]}{token}"


def _rel(server_path: str) -> str | None:
    """A path as the server sees it, relative to etc/ (None: outside etc/, not the harness's file)."""
    path = server_path.strip()
    if path.startswith(ETC + "/"):
        return path[len(ETC) + 1 :]
    if path.startswith("etc/"):
        return path[len("etc/") :]
    return None


def _listed(config: dict[str, str], key: str, default: str) -> list[str]:
    rels = [_rel(p) for p in config.get(key, "").split(",") if p.strip()]
    return [r for r in rels if r] or [default]


def _props(etc: FileSet, rel: str) -> dict[str, str]:
    return parse_properties(etc.text(rel)) if rel in etc.files else {}


def reloaded_files(etc: FileSet) -> dict[str, Kind]:
    """The files of ``etc`` that Trino re-reads at runtime under ``etc``'s own settings, by kind."""
    config = _props(etc, "config.properties")
    found: dict[str, Kind] = {}
    for rel in _listed(config, "access-control.config-files", "access-control.properties"):
        props = _props(etc, rel)
        if props.get("access-control.name") == "file" and props.get("security.refresh-period"):
            if rules := _rel(props.get("security.config-file", "")):
                found[rules] = "rules"
    props = _props(etc, "group-provider.properties")
    if props.get("group-provider.name") == "file" and (groups := _rel(props.get("file.group-file", ""))):
        found[groups] = "groups"
    for rel in _listed(config, "password-authenticator.config-files", "password-authenticator.properties"):
        props = _props(etc, rel)
        if props.get("password-authenticator.name") == "file":
            if passwords := _rel(props.get("file.password-file", "")):
                found[passwords] = "passwords"
    return found


def changed_files(old: FileSet, new: FileSet) -> set[str]:
    """Paths added, removed, or different in content or mode from ``old`` to ``new``."""
    return {rel for rel in old.files.keys() | new.files.keys() if old.files.get(rel) != new.files.get(rel)}


@dataclass(frozen=True)
class Sentinels:
    """The sentinel token each marked file of one rendered etc/ carries (relative path → kind, token)."""

    marks: dict[str, tuple[Kind, str]]

    def token(self, rel: str) -> str | None:
        mark = self.marks.get(rel)
        return mark[1] if mark else None


def _token(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def mark_rules(text: str, operator_user: str, token: str) -> str:
    """``text`` (a rules.json) with the sentinel impersonation rule first.

    Trino denies any impersonation no rule allows, so one more allow rule, limited to the operator
    asking for a sentinel user, changes no other answer. A rules file with ``principals`` rules but
    no ``impersonation`` section lets those decide impersonation: adding a section would change
    that, so such a file is not marked (``ValueError``).
    """
    rules = json.loads(text)
    if "impersonation" not in rules and "principals" in rules:
        raise ValueError("impersonation is decided by 'principals' rules: no sentinel can be added")
    rule = {
        "original_user": re.escape(operator_user),
        "new_user": f"{SENTINEL_USER}|{sentinel_name('rules', token)}",
        "allow": True,
    }
    rules["impersonation"] = [rule, *rules.get("impersonation", [])]
    return json.dumps(rules, indent=2) + "\n"


def mark_groups(text: str, token: str) -> str:
    """``text`` (a group file, ``group:user,user``) with the sentinel user in the sentinel group."""
    body = text if not text or text.endswith("\n") else text + "\n"
    return body + f"{sentinel_name('groups', token)}:{SENTINEL_USER}\n"


def mark_passwords(text: str, token: str, password_hash: str) -> str:
    """``text`` (a password file, ``user:hash``) with the sentinel account (``password_hash``: bcrypt)."""
    body = text if not text or text.endswith("\n") else text + "\n"
    return body + f"{sentinel_name('passwords', token)}:{password_hash}\n"


def own_password_sentinel(text: str) -> str | None:
    """The sentinel account the harness appended to ``text`` (a password file), or None.

    It is the harness's own only when it is the last entry and its token is the hash of the file
    without it, which no account written by hand or by another tool matches: an account merely
    *named* ``harness_sentinel_p…`` is still an undeclared account.
    """
    body, _, last = text.rstrip("\n").rpartition("\n")
    user = last.partition(":")[0]
    if not user.startswith(f"{SENTINEL_USER}_{PREFIX['passwords']}"):
        return None
    rest = (body + "\n") if body else ""
    tokens = {_token(rest.encode()), _token(rest.rstrip("\n").encode())}  # marking adds a final newline
    return user if user == sentinel_name("passwords", user[-10:]) and user[-10:] in tokens else None


def add_sentinels(etc: FileSet, operator_user: str | None, password_hash: str) -> Sentinels:
    """Mark every reloaded file of ``etc`` that a sentinel can be designed for; return the marks.

    Without an operator user (the rules and group probes run as the operator) neither the rules
    nor the group file is marked, and a change to them then needs a restart.
    """
    marks: dict[str, tuple[Kind, str]] = {}
    reloaded = reloaded_files(etc)
    rules_marked = False
    for rel, kind in sorted(reloaded.items()):
        if rel not in etc.files:
            continue
        data, mode = etc.files[rel]
        token = _token(data)
        text = data.decode()
        if kind == "rules":
            if operator_user is None:
                continue
            try:
                marked = mark_rules(text, operator_user, token)
            except (ValueError, json.JSONDecodeError):
                continue
            rules_marked = True
        elif kind == "passwords":
            marked = mark_passwords(text, token, password_hash)
        else:
            continue  # after the rules: the group probe impersonates through the rules' sentinel
        etc.add(rel, marked, mode)
        marks[rel] = (kind, token)
    for rel, kind in reloaded.items():
        if kind == "groups" and rules_marked and rel in etc.files:
            data, mode = etc.files[rel]
            token = _token(data)
            etc.add(rel, mark_groups(data.decode(), token), mode)
            marks[rel] = (kind, token)
    return Sentinels(marks)


@dataclass(frozen=True)
class HotPlan:
    """Files to write into the running coordinator, each with its kind and the token to wait for."""

    files: dict[str, tuple[Kind, str]]

    def describe(self) -> str:
        return ", ".join(sorted(self.files)) or "no coordinator file"


def plan_hot_apply(
    running: FileSet, running_marks: Sentinels, wanted: FileSet, wanted_marks: Sentinels
) -> HotPlan | str:
    """How to turn the running coordinator's etc/ into ``wanted`` without a restart, or why it needs one.

    Decided from the files themselves: every changed path must be a file the running coordinator
    re-reads (so no ``.properties`` changed), present in both, and carry a sentinel in both copies.
    """
    reloaded = reloaded_files(running)
    files: dict[str, tuple[Kind, str]] = {}
    for rel in sorted(changed_files(running, wanted)):
        if rel not in reloaded:
            return f"{rel} changed (read only at start)"
        if rel not in running.files or rel not in wanted.files:
            return f"{rel} {'added' if rel in wanted.files else 'removed'} (Trino expects it at start)"
        if running.files[rel][1] != wanted.files[rel][1]:
            return f"{rel} changed its mode"
        old, new = running_marks.marks.get(rel), wanted_marks.marks.get(rel)
        if old is None or new is None:
            return f"{rel} changed but carries no sentinel to prove it in force"
        files[rel] = new
    return HotPlan(files)
