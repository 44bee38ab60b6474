"""Ask the live cluster what one identity can do to each object of the universe, without changing it.

Every probe is read-only: listings, and ``EXPLAIN (TYPE VALIDATE)`` of a read or a write, which
runs Trino's analysis (where every access check is made) and nothing else. ``SHOW CREATE TABLE``
needs the OWNERSHIP privilege. A probe's answer is a decision only when the server said so:
success is allowed, ``PERMISSION_DENIED`` with the denial Trino writes for that very check and
object is denied, and anything else (a timeout, another error) is recorded as unclear with what
was seen, never as either.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from trino_harness.access.universe import Answer, Object, Universe, ask
from trino_harness.evidence import cannot_judge
from trino_harness.scenario.model import Principal
from trino_harness.target import Target

PARALLEL = 4  # statements in flight per identity: Trino analyses them concurrently


@dataclass(frozen=True)
class Probe:
    """One decision to ask about: its cell name, the SQL, and Trino's answers that decide it."""

    cell: str
    sql: str
    denials: tuple[str, ...]  # Trino's denial text for this check and object (any one decides)
    past_the_check: tuple[tuple[str, str], ...] = ()  # (error name, message): raised only after allowing


# Trino refuses these inserts in the analysis right after checkCanInsertIntoTable allowed them.
INSERT_AFTER_CHECK = (
    ("NOT_SUPPORTED", "Insert into table with a row filter is not supported"),
    ("NOT_SUPPORTED", "Insert into table with column masks is not supported"),
)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_probes(table: Object) -> tuple[Probe, ...]:
    """The select, insert and ownership probes of one table. The insert writes a typed NULL into the
    table's first column, so it needs no SELECT; it has no rows to write (``EXPLAIN (TYPE VALIDATE)``
    only analyses). The ``system`` catalog takes no writes whatever the rules say (Trino fails the
    analysis there after the access check), so it has no insert probe."""
    name = table.sql_name()
    shown = table.dotted()
    hidden = f"Cannot access catalog {table.catalog}"  # the catalog rule refused before the table's
    if table.column:
        insert = f"INSERT INTO {name} ({_quoted(table.column)}) VALUES (CAST(NULL AS {table.column_type}))"
    else:  # the operator could not read its columns: a copy of no rows (SELECT is checked after INSERT)
        insert = f"INSERT INTO {name} SELECT * FROM {name} WHERE false"
    probes = [
        Probe(
            "select",
            f"EXPLAIN (TYPE VALIDATE) SELECT count(*) FROM {name}",
            (f"Cannot select from table {shown}", hidden),
        ),
        Probe(
            "insert",
            f"EXPLAIN (TYPE VALIDATE) {insert}",
            (f"Cannot insert into table {shown}", hidden),
            INSERT_AFTER_CHECK,
        ),
        Probe("ownership", f"SHOW CREATE TABLE {name}", (f"Cannot show create table for {shown}", hidden)),
    ]
    return tuple(p for p in probes if not (table.catalog == "system" and p.cell == "insert"))


@dataclass
class IdentityAnswers:
    """What the cluster answered for one identity: cell → allowed?, and what could not be read."""

    cells: dict[str, bool] = field(default_factory=dict)
    unclear: dict[str, str] = field(default_factory=dict)


def decision(
    answer: Answer, denials: tuple[str, ...], past_the_check: tuple[tuple[str, str], ...] = ()
) -> bool | None:
    """Allowed (True), denied (False), or None when the answer is neither."""
    if answer.ok or (answer.error_name, answer.message) in past_the_check:
        return True
    said = answer.message or ""
    if answer.error_name == "PERMISSION_DENIED" and any(said == f"Access Denied: {d}" for d in denials):
        return False
    return None


def _listing_decision(answer: Answer, catalog: str) -> bool | None:
    """A catalog's tables cannot be listed at all: the catalog rule refuses this user."""
    return decision(answer, (f"Cannot access catalog {catalog}",))


def probe_identity(
    target: Target, who: Principal, universe: Universe, progress: Callable[[str], None]
) -> IdentityAnswers:
    """Every cell of ``universe`` for ``who``: catalogs listed, tables listed, and each sampled table's
    select / insert / ownership decision."""
    answers = IdentityAnswers()
    shown = ask(target, who, "SHOW CATALOGS")
    if not shown.ok:
        answers.unclear["catalogs"] = f"SHOW CATALOGS: {shown}"
        return answers
    listed = {row[0] for row in shown.rows or []}
    for catalog in sorted(set(universe.catalogs) | listed):  # one the operator does not see, too
        answers.cells[f"catalog {catalog}: listed"] = catalog in listed
        answer = ask(target, who, universe.listing_sql(catalog))
        if answer.ok:
            seen = {Object(catalog, r[0], r[1]) for r in answer.rows or []}
        elif _listing_decision(answer, catalog) is False:
            seen = set()
        else:
            answers.unclear[f"catalog {catalog}: tables"] = str(answer)
            continue
        for table in sorted({*universe.tables_of(catalog), *seen}):  # and a table only it sees
            answers.cells[f"table {table.dotted()}: listed"] = table in seen
    work = [(table, probe) for table in universe.probed for probe in table_probes(table)]
    progress(f"{who.label()}: {len(work)} read/write/ownership probes")

    def one(item: tuple[Object, Probe]) -> tuple[str, Answer, Probe]:
        table, probe = item
        return f"table {table.dotted()}: {probe.cell}", ask(target, who, probe.sql), probe

    with ThreadPoolExecutor(PARALLEL) as pool:
        for cell, answer, probe in pool.map(one, work):
            found = decision(answer, probe.denials, probe.past_the_check)
            if found is None:
                answers.unclear[cell] = str(answer)
            else:
                answers.cells[cell] = found
    return answers


def require_identity(target: Target, who: Principal, user: str, groups: frozenset[str]) -> None:
    """``who`` logs in, runs as ``user`` and holds ``groups``; else nothing it is allowed can be read
    as a rule's doing (the authentication, mapping and group checks judge that): cannot judge."""
    own = ask(target, who, "SELECT current_user, current_groups()")
    if not own.ok:
        cannot_judge(f"{who.label()} cannot run a query ({own}): the authentication checks judge that")
    (runs_as, held), *_ = own.rows or [[None, None]]
    if runs_as != user:
        cannot_judge(f"{who.label()} runs as {runs_as}, not {user}: the mapping checks judge that")
    if frozenset(held or ()) != groups:
        cannot_judge(
            f"{user} holds groups {sorted(held or ())}, the scenario declares {sorted(groups)}: "
            "the group checks judge that"
        )
