"""Go-live thresholds: the scenario's ``load.thresholds`` checked against a run's figures.

Evidence first, verdict second: every limit yields a :class:`Verdict` that carries the observed
figure, so the report shows what held and by how much. A way named in the thresholds but not
measured fails: a gate must not pass on a figure it never saw.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from trino_harness.scenario.model import LoadLimits

ALL = "all"


@dataclass(frozen=True)
class Verdict:
    way: str
    metric: str
    limit: float
    observed: float | None
    ok: bool

    def __str__(self) -> str:
        seen = "not measured" if self.observed is None else f"{self.observed:.4g}"
        mark = "ok  " if self.ok else "FAIL"
        return f"{mark} {self.way} {self.metric}: observed {seen}, limit ≤ {self.limit:g}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def effective_limits(thresholds: dict[str, LoadLimits], measured: list[str]) -> dict[tuple[str, str], float]:
    """(way, metric) → limit; ``all`` applies to every measured way, a way's own entry wins over it."""
    limits: dict[tuple[str, str], float] = {}
    if ALL in thresholds:
        for way in measured:
            for metric, value in thresholds[ALL].model_dump(exclude_none=True).items():
                limits[(way, metric)] = value
    for way, way_limits in thresholds.items():
        if way != ALL:
            for metric, value in way_limits.model_dump(exclude_none=True).items():
                limits[(way, metric)] = value
    return limits


def evaluate(thresholds: dict[str, LoadLimits], figures: dict[str, dict[str, float | None]]) -> list[Verdict]:
    """One verdict per limit, in a stable order."""
    verdicts = []
    for (way, metric), limit in sorted(effective_limits(thresholds, sorted(figures)).items()):
        observed = figures.get(way, {}).get(metric)
        verdicts.append(Verdict(way, metric, limit, observed, observed is not None and observed <= limit))
    return verdicts
