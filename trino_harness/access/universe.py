"""The objects a closed-world judgement covers: every catalog and table the operator can see.

Found once per run as the operator (``SHOW CATALOGS``, then each catalog's
``information_schema.tables``) and kept in the run folder, so every xdist worker judges the same
universe. Listing is judged over every table found; the read/write/ownership probes over a
bounded sample per catalog, taken round-robin across schemas so each schema is represented, and
the map says how many tables were not probed. Schemas the harness's own checks create and drop
while a run goes on (``harness_probe_*``) are left out: their coming and going is not a rule.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from filelock import FileLock
from trino.exceptions import HttpError, TrinoQueryError

from trino_harness.clients import connect
from trino_harness.scenario.model import Principal, Scenario
from trino_harness.target import Target

TRANSIENT_SCHEMA = "harness_probe_"
PER_CATALOG = 8  # tables probed for read/write/ownership per catalog
LISTED_PER_CATALOG = 1000  # tables whose listing is judged per catalog (a large catalog is sampled)


@dataclass(frozen=True)
class Answer:
    rows: list | None
    error_name: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.rows is not None

    def __str__(self) -> str:
        return f"{len(self.rows or [])} row(s)" if self.ok else f"{self.error_name}: {self.message}"


def ask(target: Target, who: Principal, sql: str, user: str | None = None) -> Answer:
    """Run ``sql`` as ``who`` (as ``user``, impersonating, if given); a transport failure is an
    answer with no error name (never a decision)."""
    try:
        cursor = connect(target, who, user=user).cursor()
        cursor.execute(sql)
        return Answer(cursor.fetchall())
    except TrinoQueryError as exc:
        return Answer(None, exc.error_name, exc.message)
    except (HttpError, OSError) as exc:
        return Answer(None, None, f"{type(exc).__name__}: {exc}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, order=True)
class Object:
    """One table: catalog, schema, name."""

    catalog: str
    schema: str
    name: str
    column: str = field(default="", compare=False)  # its first column and type: the insert probe's
    column_type: str = field(default="", compare=False)

    def dotted(self) -> str:
        return f"{self.catalog}.{self.schema}.{self.name}"

    def sql_name(self) -> str:
        return ".".join(_quoted(part) for part in (self.catalog, self.schema, self.name))


@dataclass(frozen=True)
class Universe:
    catalogs: tuple[str, ...]
    tables: tuple[Object, ...]  # every table listed to the operator (listing is judged over all)
    probed: tuple[Object, ...]  # the sample the read/write/ownership probes cover
    unreadable: tuple[str, ...] = ()  # catalogs whose tables the operator could not list (why)
    unlisted: tuple[tuple[str, int], ...] = ()  # (catalog, tables beyond LISTED_PER_CATALOG)

    @staticmethod
    def listing_sql(catalog: str) -> str:
        return (
            f"SELECT table_schema, table_name FROM {_quoted(catalog)}.information_schema.tables "
            f"WHERE table_type = 'BASE TABLE' AND table_schema <> 'information_schema' "
            f"AND table_schema NOT LIKE '{TRANSIENT_SCHEMA}%'"
        )

    def tables_of(self, catalog: str) -> tuple[Object, ...]:
        return tuple(t for t in self.tables if t.catalog == catalog)

    def not_probed(self) -> dict[str, int]:
        """Per catalog, how many of its tables the read/write/ownership probes left out."""
        beyond = dict(self.unlisted)
        counts = {
            c: len(self.tables_of(c)) + beyond.get(c, 0) - sum(t.catalog == c for t in self.probed)
            for c in self.catalogs
        }
        return {c: n for c, n in counts.items() if n}

    def to_json(self) -> dict:
        return {
            "catalogs": list(self.catalogs),
            "tables": [asdict(t) for t in self.tables],
            "probed": [asdict(t) for t in self.probed],
            "unreadable": list(self.unreadable),
            "unlisted": dict(self.unlisted),
        }

    @staticmethod
    def from_json(data: dict) -> Universe:
        return Universe(
            tuple(data["catalogs"]),
            tuple(Object(**t) for t in data["tables"]),
            tuple(Object(**t) for t in data["probed"]),
            tuple(data.get("unreadable", ())),
            tuple(data.get("unlisted", {}).items()),
        )


def sample(tables: list[Object], per_catalog: int) -> list[Object]:
    """Up to ``per_catalog`` tables: each schema's first table, then each one's second, and so on."""
    by_schema: dict[str, list[Object]] = defaultdict(list)
    for table in sorted(tables):
        by_schema[table.schema].append(table)
    ranked = sorted(
        (rank, table.schema, table) for rows in by_schema.values() for rank, table in enumerate(rows)
    )
    return sorted(table for _, _, table in ranked[:per_catalog])


class UniverseUnknown(RuntimeError):
    """The operator could not list the catalogs: nothing can be judged closed-world."""


def _with_columns(target: Target, operator: Principal, catalog: str, tables: list[Object]) -> list[Object]:
    """``tables`` with each one's first column and its type, as the operator reads them."""
    if not tables:
        return tables
    schemas = ", ".join(sorted({_literal(t.schema) for t in tables}))
    names = ", ".join(sorted({_literal(t.name) for t in tables}))
    columns = f"{_quoted(catalog)}.information_schema.columns"
    answer = ask(
        target,
        operator,
        f"SELECT table_schema, table_name, column_name, data_type FROM {columns} "
        f"WHERE table_schema IN ({schemas}) AND table_name IN ({names}) ORDER BY ordinal_position",
    )
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for schema, name, column, kind in answer.rows or []:
        first.setdefault((schema, name), (column, kind))
    found = []
    for t in tables:
        column, kind = first.get((t.schema, t.name), ("", ""))
        found.append(replace(t, column=column, column_type=kind))
    return found


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scenario_tables(scenario: Scenario) -> set[tuple[str, str, str]]:
    """Tables the scenario names outright (its fixture tables, and table rules whose catalog, schema
    and table are plain names): always probed, whatever the sample picks."""
    named = {tuple(f.table.split(".", 2)) for f in scenario.fixture_tables}
    for rule in scenario.access_rules.tables or ():
        parts = tuple(str(rule.get(key, "")) for key in ("catalog", "schema", "table"))
        if all(re.fullmatch(r"[A-Za-z0-9_]+", part) for part in parts):
            named.add(parts)
    return {(c, s, t) for c, s, t in named}


def discover(
    target: Target,
    operator: Principal,
    per_catalog: int = PER_CATALOG,
    always: Iterable[tuple[str, str, str]] = (),
) -> Universe:
    """Every catalog and table the operator lists; the sample to probe per catalog, plus every
    table in ``always`` that exists (the tables a scenario's rules and fixtures name)."""
    wanted = set(always)
    shown = ask(target, operator, "SHOW CATALOGS")
    if not shown.ok:
        raise UniverseUnknown(f"the operator ({operator.label()}) cannot list catalogs: {shown}")
    catalogs = tuple(sorted(row[0] for row in shown.rows or []))
    tables: list[Object] = []
    probed: list[Object] = []
    unreadable: list[str] = []
    unlisted: list[tuple[str, int]] = []
    for catalog in catalogs:
        listed = ask(target, operator, Universe.listing_sql(catalog))
        if not listed.ok:
            unreadable.append(f"{catalog}: {listed}")
            continue
        found = sorted(Object(catalog, r[0], r[1]) for r in listed.rows or [])
        if len(found) > LISTED_PER_CATALOG:
            unlisted.append((catalog, len(found) - LISTED_PER_CATALOG))
            found = sample(found, LISTED_PER_CATALOG)
        tables += found
        chosen = sorted(
            {*sample(found, per_catalog), *(t for t in found if (t.catalog, t.schema, t.name) in wanted)}
        )
        probed += _with_columns(target, operator, catalog, chosen)
    return Universe(catalogs, tuple(tables), tuple(probed), tuple(unreadable), tuple(unlisted))


def shared_universe(
    target: Target,
    operator: Principal,
    run_dir: Path,
    per_catalog: int = PER_CATALOG,
    always: Iterable[tuple[str, str, str]] = (),
) -> Universe:
    """The run's universe: discovered by the first worker that asks, read from the run folder after."""
    path = run_dir / "access-universe.json"
    with FileLock(str(path) + ".lock"):
        if path.exists():
            return Universe.from_json(json.loads(path.read_text()))
        universe = discover(target, operator, per_catalog, always)
        path.write_text(json.dumps(universe.to_json(), indent=1) + "\n")
        return universe
