"""Who can do what, as cells: the cluster's answers, the intent's, and the difference cell by cell.

A map is ``{identity: {cell: allowed}}`` over one universe. Cells read as sentences
(``table memory.harness.ledger: insert``), so a difference prints as a line a reviewer can act on
without the map beside it. The same cells come from the live cluster (``probe``) and from the
scenario's rules (``expected_cells``), and two maps of the same cluster taken on different days
compare the same way (``./harness access-map --against``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from trino_harness.access.file_rules import FileRules, Who
from trino_harness.access.probe import table_probes
from trino_harness.access.universe import Universe
from trino_harness.redaction import redact

SCHEMA = 1


def expected_for(rules: FileRules, who: Who, cell: str) -> bool:
    """What the intent decides for one cell, named as ``probe.probe_identity`` names it
    (``catalog c: listed``, ``table c.s.t: listed|select|insert|ownership``)."""
    subject, _, verb = cell.rpartition(": ")
    kind, _, name = subject.partition(" ")
    if kind == "catalog" and verb == "listed":
        return rules.catalog_listed(who, name)
    catalog, schema, table = name.split(".", 2)
    if kind == "table" and verb == "listed":
        return rules.table_listed(who, catalog, schema, table)
    if kind == "table" and verb in ("select", "insert", "ownership"):
        return rules.table_allows(who, catalog, schema, table, verb.upper())
    raise ValueError(f"not a cell the probes write: {cell!r}")


def expected_cells(rules: FileRules, who: Who, universe: Universe) -> dict[str, bool]:
    """The cells the intent decides for ``who`` over ``universe`` (the cells the probes write)."""
    cells = [f"catalog {c}: listed" for c in universe.catalogs]
    cells += [f"table {t.dotted()}: listed" for t in universe.tables]
    cells += [f"table {t.dotted()}: {p.cell}" for t in universe.probed for p in table_probes(t)]
    return {cell: expected_for(rules, who, cell) for cell in cells}


def _word(allowed: bool | None) -> str:
    return {True: "allowed", False: "denied", None: "not probed"}[allowed]


def differences(expected: dict[str, bool], observed: dict[str, bool]) -> list[str]:
    """One line per cell whose decision differs; a cell only one side has is a difference too."""
    lines = []
    for cell in sorted(set(expected) | set(observed)):
        want, got = expected.get(cell), observed.get(cell)
        if want != got:
            shout = "ALLOWED" if got else _word(got)
            lines.append(f"{cell}: expected {_word(want)}, observed {shout}")
    return lines


@dataclass
class AccessMap:
    """The whole map of one cluster: every identity's cells, and what the probes did not reach."""

    target: str
    universe: Universe
    identities: dict[str, dict[str, bool]] = field(default_factory=dict)
    unclear: dict[str, dict[str, str]] = field(default_factory=dict)
    impersonation: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "schema": SCHEMA,
            "target": self.target,
            "universe": self.universe.to_json(),
            "not_probed": self.universe.not_probed(),
            "identities": {u: dict(sorted(c.items())) for u, c in sorted(self.identities.items())},
            "unclear": {
                u: {k: redact(v) for k, v in sorted(c.items())} for u, c in sorted(self.unclear.items()) if c
            },
            "impersonation": {u: sorted(t) for u, t in sorted(self.impersonation.items())},
        }

    def write(self, folder: Path) -> tuple[Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        data = self.to_json()
        (folder / "access-map.json").write_text(json.dumps(data, indent=1) + "\n")
        (folder / "access-map.md").write_text(markdown(data))
        return folder / "access-map.json", folder / "access-map.md"


def load(path: Path) -> dict:
    data = json.loads(path.read_text())
    if data.get("schema") != SCHEMA or "identities" not in data:
        raise ValueError(f"{path}: not an access map of schema {SCHEMA} (written by ./harness access-map)")
    return data


def map_differences(before: dict, after: dict) -> list[str]:
    """Every cell that differs between two maps, per identity, plus identities only one map has."""
    lines = []
    users = sorted(set(before["identities"]) | set(after["identities"]))
    for user in users:
        old, new = before["identities"].get(user), after["identities"].get(user)
        if old is None or new is None:
            lines.append(f"{user}: {'only in the new map' if old is None else 'missing from the new map'}")
            continue
        lines += [f"{user} · {line}" for line in differences(old, new)]
        was, now = set(before["impersonation"].get(user, [])), set(after["impersonation"].get(user, []))
        lines += [f"{user} · may act as {t}: expected denied, observed ALLOWED" for t in sorted(now - was)]
        lines += [f"{user} · may act as {t}: expected allowed, observed denied" for t in sorted(was - now)]
    return lines


def markdown(data: dict) -> str:
    """A review page: per identity, what it may list, read, write and own; then what was not probed."""
    out = [f"# Access map of {data['target']}", ""]
    for user, cells in data["identities"].items():
        out += [f"## {user}", ""]
        catalogs = [
            c.split(":")[0].removeprefix("catalog ")
            for c, ok in cells.items()
            if c.startswith("catalog ") and ok
        ]
        out.append(f"- catalogs listed: {', '.join(catalogs) or 'none'}")
        for verb in ("select", "insert", "ownership"):
            tables = [
                c.split(":")[0].removeprefix("table ")
                for c, ok in cells.items()
                if c.endswith(f": {verb}") and ok
            ]
            out.append(f"- {verb}: {', '.join(tables) or 'none'}")
        listed = sum(ok for c, ok in cells.items() if c.endswith(": listed") and c.startswith("table "))
        out.append(f"- tables listed: {listed}")
        seen = [
            c.split(":")[0].removeprefix("queries of ")
            for c, ok in cells.items()
            if c.endswith(": view") and ok
        ]
        out.append(f"- sees the running queries of: {', '.join(seen) or 'nobody'}")
        ends = [
            c.removeprefix("queries of ").replace(": kill by ", " by ")
            for c, ok in cells.items()
            if ": kill by " in c and ok
        ]
        out.append(f"- ends the running queries of: {', '.join(ends) or 'nobody'}")
        acts = data["impersonation"].get(user)
        if acts is not None:
            out.append(f"- may act as: {', '.join(acts) or 'nobody'}")
        unclear = data.get("unclear", {}).get(user, {})
        if unclear:
            out.append(
                f"- no clear answer for {len(unclear)} cell(s): "
                + "; ".join(f"{c} ({w})" for c, w in unclear.items())
            )
        out.append("")
    if data["not_probed"]:
        out.append(
            "Tables listed but not probed for read/write/ownership: "
            + ", ".join(f"{c} {n}" for c, n in data["not_probed"].items())
        )
    return "\n".join(out) + "\n"
