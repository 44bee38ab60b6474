"""The intent: what Trino's file-based access control decides for a rules document, in Python.

The closed-world checks compare what the live cluster does with what the scenario's
``access_rules`` allow; this module answers the second half without a cluster, following
``FileBasedSystemAccessControl`` (trino-plugin-toolkit): first matching rule wins, every pattern
is a full-match regex, a missing section has Trino's default (catalogs, schemas and tables: allow
all; queries: everyone everything), and Trino appends ``system: all`` for everyone to the catalog
rules. Roles are not modelled (the harness enables none), so a rule that names a role never matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

INFORMATION_SCHEMA = "information_schema"
MODES = ("none", "read-only", "all", "owner")  # each implies those before it
TABLE_PRIVILEGES = ("SELECT", "INSERT", "DELETE", "UPDATE", "OWNERSHIP", "GRANT_SELECT")
Rule = Mapping[str, Any]
BUILTIN_FUNCTIONS: Rule = {"catalog": "system", "schema": "builtin", "privileges": ["EXECUTE"]}
# Trino's rule for a section the document leaves out (an empty section has none: it denies).
ALL_SCHEMAS_OWNED: Rule = {"owner": True}
ALL_TABLE_PRIVILEGES: Rule = {"privileges": list(TABLE_PRIVILEGES)}


@cache
def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _matches(rule: Rule, key: str, value: str | None) -> bool:
    """A rule field absent means any value; present, a full match (a missing value never matches)."""
    if key not in rule:
        return True
    return value is not None and _pattern(str(rule[key])).fullmatch(value) is not None


@dataclass(frozen=True)
class Who:
    """The identity a decision is for: a Trino user and the groups the group provider gives it."""

    user: str
    groups: frozenset[str] = frozenset()

    def matches(self, rule: Rule, user_key: str = "user", group_key: str = "group") -> bool:
        if "role" in rule:  # no enabled roles in the harness: a role rule never applies
            return False
        if not _matches(rule, user_key, self.user):
            return False
        if group_key in rule:
            pattern = _pattern(str(rule[group_key]))
            return any(pattern.fullmatch(g) for g in self.groups)
        return True


def _mode(rule: Rule) -> str:
    allow = rule.get("allow", "all")
    if allow is True:
        return "all"
    if allow is False:
        return "none"
    return str(allow).lower()  # Trino reads the mode case-insensitively


def _implies(mode: str, required: str) -> bool:
    return MODES.index(mode) >= MODES.index(required) and mode != "none"


@dataclass(frozen=True)
class FileRules:
    """A rules.json document, answering the questions the closed-world checks ask."""

    document: Mapping[str, Any]

    def _section(self, name: str) -> tuple[Rule, ...] | None:
        rows = self.document.get(name)
        return None if rows is None else tuple(rows)

    def _rules(self, name: str, default: Rule) -> tuple[Rule, ...]:
        """A section's rules; a section left out is Trino's default rule (an empty one denies)."""
        rows = self._section(name)
        return (default,) if rows is None else rows

    # --- catalogs -----------------------------------------------------------------------------------
    def _catalog_rules(self) -> tuple[Rule, ...]:
        rules = self._section("catalogs")
        if rules is None:
            return ({"allow": "all"},)
        return (*rules, {"catalog": "system", "allow": "all"})

    def catalog_mode(self, who: Who, catalog: str) -> str:
        for rule in self._catalog_rules():
            if who.matches(rule) and _matches(rule, "catalog", catalog):
                return _mode(rule)
        return "none"

    def can_access_catalog(self, who: Who, catalog: str, required: str = "read-only") -> bool:
        return _implies(self.catalog_mode(who, catalog), required)

    def _any_catalog_permission(self, who: Who, catalog: str) -> bool:
        """A rule of a section that can grant something in ``catalog`` (anyCatalogPermissionsRules)."""
        schemas = self._rules("schemas", ALL_SCHEMAS_OWNED)
        tables = self._rules("tables", ALL_TABLE_PRIVILEGES)
        sessions = self._rules("catalog_session_properties", {"allow": True})
        functions = self._rules("functions", BUILTIN_FUNCTIONS)
        procedures = self._rules("procedures", BUILTIN_FUNCTIONS)  # 476: ALLOW_BUILTIN, same shape
        granting = [r for r in schemas if r.get("owner") is True]
        granting += [r for r in tables if r.get("privileges")]
        granting += [r for r in sessions if r.get("allow") is True]
        granting += [r for r in functions if r.get("privileges")]
        granting += [r for r in procedures if r.get("privileges")]
        return any(who.matches(r) and _matches(r, "catalog", catalog) for r in granting)

    def catalog_listed(self, who: Who, catalog: str) -> bool:
        """SHOW CATALOGS lists it: owner mode, or read access and some permission inside it."""
        if self.can_access_catalog(who, catalog, "owner"):
            return True
        return self.can_access_catalog(who, catalog) and self._any_catalog_permission(who, catalog)

    # --- schemas and tables -------------------------------------------------------------------------
    def schema_owner(self, who: Who, catalog: str, schema: str) -> bool:
        if not self.can_access_catalog(who, catalog, "all"):
            return False
        for rule in self._rules("schemas", ALL_SCHEMAS_OWNED):
            if who.matches(rule) and _matches(rule, "catalog", catalog) and _matches(rule, "schema", schema):
                return bool(rule.get("owner", False))
        return False

    def _table_rule(self, who: Who, catalog: str, schema: str, table: str) -> Rule | None:
        for rule in self._rules("tables", ALL_TABLE_PRIVILEGES):
            if (
                who.matches(rule)
                and _matches(rule, "catalog", catalog)
                and _matches(rule, "schema", schema)
                and _matches(rule, "table", table)
            ):
                return rule
        return None

    def table_privileges(self, who: Who, catalog: str, schema: str, table: str) -> frozenset[str]:
        """Privileges the first matching table rule gives (before the catalog mode is applied)."""
        if schema == INFORMATION_SCHEMA:
            return frozenset(TABLE_PRIVILEGES)
        rule = self._table_rule(who, catalog, schema, table)
        return frozenset(str(p) for p in (rule or {}).get("privileges", ()))

    def table_allows(self, who: Who, catalog: str, schema: str, table: str, privilege: str) -> bool:
        """Trino's checkTablePermission: SELECT needs read access to the catalog, the rest all."""
        required = "read-only" if privilege in ("SELECT", "GRANT_SELECT") else "all"
        if not self.can_access_catalog(who, catalog, required):
            return False
        held = self.table_privileges(who, catalog, schema, table)
        if privilege == "SELECT":  # canSelectColumns: GRANT_SELECT includes SELECT
            return bool(held & {"SELECT", "GRANT_SELECT"})
        return privilege in held

    def table_listed(self, who: Who, catalog: str, schema: str, table: str) -> bool:
        """information_schema.tables lists it: the schema's owner, or any privilege on the table."""
        if self.schema_owner(who, catalog, schema):
            return True
        if not self.can_access_catalog(who, catalog):
            return False
        return bool(self.table_privileges(who, catalog, schema, table))

    # --- queries ------------------------------------------------------------------------------------
    def query_allows(self, who: Who, owner: str | None, access: str) -> bool:
        """``access`` is execute, view or kill; ``owner`` None for execute."""
        rules = self._section("queries")
        if rules is None:
            return True
        for rule in rules:
            if not who.matches(rule):
                continue
            if "queryOwner" in rule and (owner is None or not _matches(rule, "queryOwner", owner)):
                continue
            return access in {str(mode).lower() for mode in rule.get("allow", ())}
        return False
