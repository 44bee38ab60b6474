"""``./harness access-map``: who can do what on a live cluster, written for a review and for a machine.

It probes the cluster (never the rules file): for every identity the scenario can log in as,
every catalog and table the operator sees (listed, select, insert, ownership; see ``probe``),
every known user name it may act as, and every other identity's running query it may see and end
(by each way in; see ``query_probe``). It writes ``access-map.json`` and ``access-map.md``.
``--against MAP.json`` compares with a map taken before (a reviewed cluster, the last night, the
version before an upgrade) and prints every cell that changed: a drift gate that needs no table.

Without ``--target`` it maps a reference stack it starts from ``--scenario`` and removes after.

Exit codes: 0 mapped (and, with ``--against``, no cell changed); 1 a cell changed; 2 the target
could not be reached, mapped or read; 6 no cell changed but some cells had no clear answer.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from pathlib import Path

from trino_harness.access.access_map import AccessMap, load, map_differences
from trino_harness.access.probe import decision, probe_identity
from trino_harness.access.query_probe import query_cells
from trino_harness.access.universe import PER_CATALOG, UniverseUnknown, ask, discover, scenario_tables
from trino_harness.identities import known_user_names, logins
from trino_harness.paths import STACK_LOGS
from trino_harness.progress import say
from trino_harness.redaction import redact
from trino_harness.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario
from trino_harness.scenario.model import Scenario
from trino_harness.target import Target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target", type=Path, help="profile of the cluster to map (default: a reference stack)"
    )
    parser.add_argument(
        "--scenario", type=Path, default=DEFAULT_SCENARIO, help="without --target: the stack's"
    )
    parser.add_argument("--out", type=Path, default=Path("reports/access-map"), help="folder for the map")
    parser.add_argument("--against", type=Path, help="an earlier access-map.json: exit 1 on any changed cell")
    parser.add_argument(
        "--per-catalog",
        type=int,
        default=PER_CATALOG,
        help=f"tables probed for select/insert/ownership per catalog (default {PER_CATALOG}); "
        "every table's listing is mapped",
    )


def build_map(target: Target, scenario: Scenario, per_catalog: int) -> AccessMap:
    universe = discover(target, scenario.operator, per_catalog, scenario_tables(scenario))
    tables, probed = len(universe.tables), len(universe.probed)
    say(f"universe: {len(universe.catalogs)} catalogs, {tables} tables ({probed} probed)")
    found = AccessMap(target=target.url, universe=universe)
    names = known_user_names(scenario)
    for user, who in logins(scenario).items():
        answers = probe_identity(target, who, universe, say)
        found.identities[user] = answers.cells
        found.unclear[user] = answers.unclear
        found.impersonation[user] = []
        for other in names:
            if other == user:
                continue
            answer = ask(target, who, "SELECT current_user", user=other)
            allowed = decision(answer, (f"User {user} cannot impersonate user {other}",))
            if allowed and answer.rows == [[other]]:
                found.impersonation[user].append(other)
            elif allowed is not False:
                found.unclear[user][f"act as {other}"] = str(answer)
    identities = logins(scenario)
    for owner, login in identities.items():
        viewers = {user: who for user, who in identities.items() if user != owner}
        cells, unclear = query_cells(target, owner, login, viewers, say)
        for user in viewers:
            found.identities[user].update(cells[user])
            found.unclear[user].update(unclear[user])
    return found


def _map(args: argparse.Namespace) -> AccessMap:
    if args.target:
        from trino_harness.profile.loader import profile_scenario_path, target_from_profile

        return build_map(
            target_from_profile(args.target),
            load_scenario(profile_scenario_path(args.target)),
            args.per_catalog,
        )
    from trino_harness.stack.reference import ReferenceStack, StackOptions

    run_id = f"map{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix=f"trino-harness-{run_id}-") as work:
        stack = ReferenceStack(
            StackOptions(
                run_id=run_id,
                run_dir=Path(work) / "stack",
                scenario_path=args.scenario.resolve(),
                log_dir=STACK_LOGS / run_id,
            )
        )
        try:
            return build_map(stack.start(), load_scenario(args.scenario), args.per_catalog)
        finally:
            stack.stop()


def run(args: argparse.Namespace) -> int:
    try:
        before = load(args.against) if args.against else None
        found = _map(args)
    except (ScenarioError, UniverseUnknown, ValueError, OSError, RuntimeError) as exc:
        say(redact(f"error: {exc}"))
        return 2
    json_path, md_path = found.write(args.out)
    say(f"access map: {json_path} and {md_path}")
    unclear = sum(len(cells) for cells in found.unclear.values())
    if unclear:
        say(f"{unclear} cell(s) had no clear answer: see 'unclear' in {json_path}")
    if before is not None:
        lines = map_differences(before, json.loads(json_path.read_text()))
        for line in lines:
            print(line)
        say(f"{len(lines)} cell(s) differ from {args.against}")
        if lines:
            return 1
    return 6 if unclear else 0
