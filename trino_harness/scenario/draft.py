"""A starter scenario drafted from a copy of a cluster's ``etc/``: a page to confirm, never a verdict.

A team's first scenario should be a reviewed draft, not a blank page. From the copy this reads
the password files (the accounts), the file group provider's group file (who is in which group),
the LDAP authenticator (the directory's base DN and login group), JWT's pinned issuer and
audience, the user-mapping patterns, and ``rules.json`` (copied whole as ``access_rules``: with
``access_closed`` on, the rules as they stand become the intent the cluster is judged against).
Every drafted line that a person must confirm carries ``# REVIEW``; where the copy says nothing,
the draft says so instead of guessing.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import yaml

from trino_harness.config_lint import (
    authenticator_configs,
    coordinator_config,
    local_path,
    password_file_accounts,
    read_properties,
    read_text,
)
from trino_harness.evidence import CannotJudge
from trino_harness.progress import say
from trino_harness.scenario.loader import ScenarioError, load_scenario

REVIEW = "  # REVIEW"


def _groups(root: Path) -> dict[str, list[str]]:
    """user → groups, from the file group provider (``group:user1,user2`` lines)."""
    path = root / "group-provider.properties"
    if not path.is_file():
        return {}
    props = read_properties(root, path, "etc/group-provider.properties")
    if props.get("group-provider.name") != "file":
        return {}
    text = read_text(
        root, local_path(root, props.get("file.group-file", ""), "file.group-file"), "file.group-file"
    )
    members: dict[str, list[str]] = {}
    for line in text.splitlines():
        group, _, users = line.strip().partition(":")
        for user in (u.strip() for u in users.split(",")):
            if group and user and not group.startswith("#"):
                members.setdefault(user, []).append(group)
    return members


def _rules(root: Path, config: dict[str, str]) -> dict[str, Any] | None:
    files = config.get("access-control.config-files", "")
    paths = [local_path(root, p, "access-control.config-files") for p in files.split(",") if p.strip()]
    paths = paths or [root / "access-control.properties"]
    for path in paths:
        if not path.is_file():
            continue
        props = read_properties(root, path, "access-control.config-files")
        if props.get("access-control.name") == "file" and props.get("security.config-file"):
            rules = local_path(root, props["security.config-file"], "security.config-file")
            return dict(json.loads(read_text(root, rules, "security.config-file")))
    return None


def _password_mapping(root: Path, config: dict[str, str]) -> tuple[list[dict[str, Any]], str | None]:
    """The password user mapping as rules (a single pattern is one rule), and how to draft it."""
    pattern = config.get("http-server.authentication.password.user-mapping.pattern")
    if pattern:
        return [{"pattern": pattern}], f"  password: {{pattern: {json.dumps(pattern)}}}"
    named = "http-server.authentication.password.user-mapping.file"
    if config.get(named):
        rules = json.loads(read_text(root, local_path(root, config[named], named), named)).get("rules", [])
        return rules, "  password:\n    rules:\n" + "".join(
            f"      - {json.dumps(r)}\n" for r in rules
        ).rstrip()
    return [], None


def _mapped(login: str, rules: list[dict[str, Any]]) -> str | None:
    """The Trino user a password login becomes (Trino's rule semantics: first full match wins)."""
    if not rules:
        return login
    for rule in rules:
        found = re.fullmatch(str(rule["pattern"]), login)
        if found is None:
            continue
        if rule.get("allow", True) is False:
            return None
        user = found.expand(str(rule.get("user", "$1")).replace("$", "\\"))
        return {"lower": user.lower(), "upper": user.upper()}.get(str(rule.get("case", "keep")), user)
    return None


def draft_scenario(config_dir: Path) -> str:
    """The draft's YAML text, every line to confirm marked ``# REVIEW``."""
    root = config_dir.resolve()
    config = coordinator_config(root)
    types = [t.strip() for t in config.get("http-server.authentication.type", "").split(",") if t.strip()]
    _, accounts = password_file_accounts(root)
    mapping, mapping_yaml = _password_mapping(root, config)
    logins = {user: _mapped(user, mapping) for _, _, user in accounts}
    groups = _groups(root)
    ldap = authenticator_configs(root, "ldap")
    out = [
        f"# Drafted by ./harness init from {config_dir}: authentication {', '.join(types) or 'none'}.",
        "# A draft is not a verdict: confirm every line marked REVIEW (and add the expectation rows",
        "# your policy names) before a run's verdict means anything.",
        f"name: drafted-{root.name}",
        "description: drafted from a config copy; reviewed by nobody yet" + REVIEW,
        "",
        "users:",
    ]
    for login, user in logins.items():
        if user is None:
            out.append(f"  # {login}: in the password file, but the user mapping refuses it" + REVIEW)
            continue
        named = f"name: {user}" + (f", login: {json.dumps(login)}" if login != user else "")
        out.append(f"  - {{{named}, credential: file, groups: {groups.get(user, [])}}}" + REVIEW)
    file_users = [u for u in logins.values() if u]
    for user in (u for u in groups if u not in file_users):
        credential = "ldap" if ldap else "none"
        out.append(f"  - {{name: {user}, credential: {credential}, groups: {groups[user]}}}" + REVIEW)
    if not file_users and not groups:
        out.append("  []  # the copy names no account: list the cluster's users" + REVIEW)
    if ldap:
        props = ldap[0][1]
        bind = props.get("ldap.user-bind-pattern", "")
        base = bind.partition(",")[2] if "," in bind else "dc=example,dc=com"
        gate = re.search(r"cn=([A-Za-z0-9_.-]+)", props.get("ldap.group-auth-pattern", ""), re.IGNORECASE)
        out += ["", "directory:", f"  base_dn: {json.dumps(base)}" + REVIEW]
        group = gate.group(1) if gate else "users"
        out.append(f"  allowed_group: {group}  # from ldap.group-auth-pattern" + REVIEW)
    else:
        out += [
            "",
            "directory: {base_dn: 'dc=unused', allowed_group: unused}  # no LDAP authenticator in the copy",
        ]
    issuer = config.get("http-server.authentication.jwt.required-issuer", "unused")
    audience = config.get("http-server.authentication.jwt.required-audience", "unused")
    out += ["", f"jwt: {{issuer: {json.dumps(issuer)}, audience: {json.dumps(audience)}}}" + REVIEW]
    if mapping_yaml:
        out += ["", "user_mapping:  # the password user mapping as the copy has it" + REVIEW, mapping_yaml]
    operator = next((u for u, g in groups.items() if any("admin" in x for x in g) and u in file_users), None)
    operator = operator or (file_users[0] if file_users else "admin")
    out += [
        "",
        f"operator: {{provider: file, principal: {operator}}}  # reads everything: the universe" + REVIEW,
    ]
    rules = _rules(root, config)
    out += ["", "# The cluster's rules as they stand: with access_closed on they are the intent, so confirm"]
    out += ["# each rule is meant (a rule too broad here is judged correct)." + REVIEW]
    if rules is None:
        out.append("access_rules: {}  # no file-based access control in the copy" + REVIEW)
    else:
        out.append(yaml.safe_dump({"access_rules": rules}, sort_keys=False, width=110).rstrip())
    out += ["", "expectations:", "  access_closed: true", "  impersonation_closed: true"]
    return "\n".join(out) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from-etc", type=Path, required=True, help="a copy of the coordinator's etc/")
    parser.add_argument(
        "--out", type=Path, default=Path("scenario-draft.yaml"), help="the draft (not overwritten)"
    )


def run(args: argparse.Namespace) -> int:
    """Write the draft and prove it loads; exit 2 when the copy cannot be read or the file exists."""
    if args.out.exists():
        say(f"error: {args.out} exists: the draft never overwrites a file (name another with --out)")
        return 2
    try:
        text = draft_scenario(args.from_etc)
    except (CannotJudge, OSError, ValueError) as exc:
        say(f"error: cannot draft from {args.from_etc}: {exc}")
        return 2
    args.out.write_text(text)
    try:
        load_scenario(args.out)
    except ScenarioError as exc:
        say(f"the draft at {args.out} does not load yet; fix these first:\n{exc}")
        return 2
    say(f"draft written to {args.out}: {text.count('# REVIEW')} line(s) marked REVIEW to confirm")
    return 0
