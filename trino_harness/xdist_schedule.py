"""Under ``pytest -n``: checks that share one slow pass per run go to one worker, and go first.

The Web UI OAuth2 checks share one extra coordinator (about 45 s to start) and one browser pass.
xdist's default ``load`` schedule deals tests out one by one in collection order, so those five
came last and were split across both workers: both waited on the one pass while nothing else was
left to run. As one work unit they go to one worker at the start (xdist hands out the largest units
first) while the other worker runs the rest. Every other check stays a unit of its own, so the
balancing is ``load``'s. Node ids are untouched (``--dist loadgroup`` would append ``@group`` to
them, and JUnit, the matrix and the reports would see it).
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

# Suite modules whose checks judge one shared once-per-run pass (a lock in the run directory).
ONE_WORKER_MODULES = frozenset({"test_web_ui_oauth2.py"})


def work_unit(nodeid: str) -> str:
    """The unit a check is scheduled in: its module for ONE_WORKER_MODULES, else the check itself."""
    module = nodeid.split("::", 1)[0]
    return module if module.rsplit("/", 1)[-1] in ONE_WORKER_MODULES else nodeid


class SharedPassFirstScheduling(LoadScopeScheduling):
    """``load`` balancing, except that ONE_WORKER_MODULES are one unit each, scheduled first."""

    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)
