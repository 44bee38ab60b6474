"""Summary math: per-way figures of one run, overhead versus that run's baseline, spread over repeats.

Pure functions over raw samples, so they are unit-tested without containers. Latency
percentiles use successful statements only (failures count in the error rate); the baseline is
always the one measured in the same run, so drift on a shared machine hits both sides alike.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from trino_harness.load.samples import Sample, SampleSet

PERCENTILES = (50, 95, 99)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation between closest ranks; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class WayFigures:
    """One way's figures in one run (latencies in ms, throughput in finished statements per second)."""

    statements: int
    errors: int
    error_rate: float
    throughput: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    first_p50_ms: float | None
    first_p95_ms: float | None
    first_p99_ms: float | None
    http_requests_mean: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def way_figures(samples: Sequence[Sample], window_s: float) -> WayFigures:
    ok = [s for s in samples if s.ok]
    total = [s.total_ms for s in ok]
    first = [s.first_response_ms for s in ok]
    errors = len(samples) - len(ok)
    return WayFigures(
        statements=len(samples),
        errors=errors,
        error_rate=errors / len(samples) if samples else 0.0,
        throughput=len(ok) / window_s if window_s > 0 else 0.0,
        p50_ms=percentile(total, 50),
        p95_ms=percentile(total, 95),
        p99_ms=percentile(total, 99),
        first_p50_ms=percentile(first, 50),
        first_p95_ms=percentile(first, 95),
        first_p99_ms=percentile(first, 99),
        http_requests_mean=statistics.fmean(s.http_requests for s in ok) if ok else None,
    )


def measured_window(samples: Sequence[Sample], measure_from: float | None) -> float:
    """Seconds from full load (or the first statement) to the end of the last measured statement."""
    if not samples:
        return 0.0
    start = measure_from if measure_from is not None else min(s.started for s in samples)
    return max(s.ended for s in samples) - start


def run_figures(sample_set: SampleSet) -> dict[str, WayFigures]:
    """Per-way figures of one run, ramp-up excluded; one window for every way (same wall clock)."""
    measured = sample_set.measured()
    window = measured_window(measured, sample_set.measure_from)
    ways: dict[str, list[Sample]] = {}
    for sample in measured:
        ways.setdefault(sample.way, []).append(sample)
    return {name: way_figures(group, window) for name, group in ways.items()}


def _delta(value: float | None, base: float | None) -> float | None:
    return None if value is None or base is None else value - base


def overheads(
    figures: dict[str, WayFigures], baseline: str = "baseline"
) -> dict[str, dict[str, float | None]]:
    """Each way's latency overhead (ms) and throughput ratio versus ``baseline`` of the same run."""
    base = figures.get(baseline)
    if base is None:
        raise ValueError(f"no '{baseline}' statements in this run: overheads need the run's own baseline")
    result: dict[str, dict[str, float | None]] = {}
    for name, way in figures.items():
        row: dict[str, float | None] = {}
        for q in PERCENTILES:
            row[f"p{q}_overhead_ms"] = _delta(getattr(way, f"p{q}_ms"), getattr(base, f"p{q}_ms"))
            row[f"first_response_p{q}_overhead_ms"] = _delta(
                getattr(way, f"first_p{q}_ms"), getattr(base, f"first_p{q}_ms")
            )
        row["throughput_ratio"] = way.throughput / base.throughput if base.throughput else None
        result[name] = row
    return result


@dataclass(frozen=True)
class Spread:
    """A figure over repeats: the median, and the lowest and highest value seen."""

    median: float | None
    low: float | None
    high: float | None
    values: tuple[float, ...]

    @property
    def width(self) -> float | None:
        return None if self.low is None or self.high is None else self.high - self.low

    def as_dict(self) -> dict[str, object]:
        return {
            "median": self.median,
            "min": self.low,
            "max": self.high,
            "spread": self.width,
            "values": self.values,
        }


def spread(values: Iterable[float | None]) -> Spread:
    present = tuple(v for v in values if v is not None)
    if not present:
        return Spread(None, None, None, ())
    return Spread(statistics.median(present), min(present), max(present), present)


def across_repeats(per_run: Sequence[dict[str, dict[str, float | None]]]) -> dict[str, dict[str, Spread]]:
    """``{way: {figure: value}}`` of each repeat → ``{way: {figure: Spread}}``."""
    ways = {name for run in per_run for name in run}
    result: dict[str, dict[str, Spread]] = {}
    for name in sorted(ways):
        keys = {key for run in per_run for key in run.get(name, {})}
        result[name] = {key: spread(run.get(name, {}).get(key) for run in per_run) for key in sorted(keys)}
    return result


def pooled_error_rate(per_run: Sequence[dict[str, WayFigures]], way: str) -> float | None:
    """Errors over statements of ``way``, all repeats together (None when it never ran)."""
    statements = sum(run[way].statements for run in per_run if way in run)
    errors = sum(run[way].errors for run in per_run if way in run)
    return errors / statements if statements else None


def gate_figures(
    runs: Sequence[dict[str, WayFigures]], baseline: str = "baseline"
) -> dict[str, dict[str, float | None]]:
    """The figures thresholds are checked against, per way: medians over repeats, pooled error rate."""
    over = across_repeats([overheads(run, baseline) for run in runs])
    absolute = across_repeats(
        [{name: {"p95_ms": f.p95_ms, "p99_ms": f.p99_ms} for name, f in run.items()} for run in runs]
    )
    result: dict[str, dict[str, float | None]] = {}
    for name in sorted(set(over) | set(absolute)):
        row = {
            f"p{q}_overhead_ms": over.get(name, {}).get(f"p{q}_overhead_ms", spread(())).median
            for q in PERCENTILES
        }
        row |= {key: value.median for key, value in absolute.get(name, {}).items()}
        row["error_rate"] = pooled_error_rate(runs, name)
        result[name] = row
    return result
