"""The load plan: everything a Locust process (or the raw reference client) needs, in one file.

The runner writes it 0600 into the run's private directory and passes its path in
``TRINO_HARNESS_LOAD_PLAN``; it names the target file (which holds passwords), never the
secrets themselves.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from trino_harness.load.ways import Access
from trino_harness.render.files import write_private
from trino_harness.target import Target

PLAN_ENV = "TRINO_HARNESS_LOAD_PLAN"


@dataclass(frozen=True)
class LoadPlan:
    target_file: str
    statement: str
    ways: dict[str, dict] = field(default_factory=dict)  # way name -> Access fields
    samples_file: str = ""
    rate_per_user: float = 0.0  # statements per second per user; 0 = closed loop (no think time)
    max_statements_per_user: int = 100_000
    token_lifetime_s: int = 3600
    request_timeout_s: float = 60.0

    def access(self, way: str) -> Access:
        return Access(**self.ways[way])

    def target(self) -> Target:
        return Target.load(Path(self.target_file))

    def save(self, path: Path) -> Path:
        write_private(path, json.dumps(asdict(self), indent=1))
        return path

    @classmethod
    def load(cls, path: Path | str) -> LoadPlan:
        return cls(**json.loads(Path(path).read_text()))

    @classmethod
    def from_env(cls) -> LoadPlan:
        path = os.environ.get(PLAN_ENV)
        if not path:
            raise RuntimeError(f"{PLAN_ENV} is not set: run through `python -m trino_harness load`")
        return cls.load(path)
