"""Load summary math: percentiles, per-way figures, overhead versus the same run's baseline, spread."""

import math

import pytest

from trino_harness.load.samples import Sample, SampleSet
from trino_harness.load.summary import (
    across_repeats,
    gate_figures,
    overheads,
    percentile,
    pooled_error_rate,
    run_figures,
    spread,
)


def _samples(way: str, totals: list[float], start: float = 1000.0, errors: int = 0) -> list[Sample]:
    ok = [Sample(way, start + i * 0.1, t / 10, t, 5) for i, t in enumerate(totals)]
    failed = [Sample(way, start + 0.05, 1.0, 2.0, 1, "HTTP 401 Unauthorized") for _ in range(errors)]
    return ok + failed


def test_percentile_interpolates_between_closest_ranks():
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 0) == 10.0 and percentile(values, 100) == 50.0
    assert percentile(values, 95) == pytest.approx(48.0)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def test_percentile_ignores_input_order():
    assert percentile([50.0, 10.0, 40.0, 20.0, 30.0], 25) == 20.0


def test_failures_count_in_error_rate_but_not_in_latency():
    figures = run_figures(SampleSet(_samples("ldap", [100.0] * 9, errors=1)))["ldap"]
    assert figures.statements == 10 and figures.errors == 1
    assert figures.error_rate == pytest.approx(0.1)
    assert figures.p99_ms == 100.0  # the 2 ms failure does not pull latency down
    assert figures.first_p50_ms == 10.0
    assert figures.http_requests_mean == 5


def test_ramp_up_samples_are_excluded_and_throughput_uses_one_window_for_all_ways():
    early = [Sample("baseline", 990.0, 1.0, 5000.0, 5)]  # started before full load: dropped
    samples = _samples("baseline", [100.0] * 10) + _samples("jwt", [100.0] * 5) + early
    figures = run_figures(SampleSet(samples, measure_from=1000.0))
    assert figures["baseline"].statements == 10
    # window: 1000.0 .. last end (1000.9 + 0.1) = 1.0 s for both ways
    assert figures["baseline"].throughput == pytest.approx(10.0)
    assert figures["jwt"].throughput == pytest.approx(5.0)


def test_overhead_is_the_difference_to_the_baseline_of_the_same_run():
    samples = _samples("baseline", [100.0] * 20) + _samples("ldap", [130.0] * 19 + [400.0])
    over = overheads(run_figures(SampleSet(samples)))
    assert over["baseline"]["p50_overhead_ms"] == 0.0
    assert over["ldap"]["p50_overhead_ms"] == pytest.approx(30.0)
    assert over["ldap"]["p99_overhead_ms"] > over["ldap"]["p95_overhead_ms"] >= 30.0
    assert over["ldap"]["first_response_p50_overhead_ms"] == pytest.approx(3.0)
    assert over["ldap"]["throughput_ratio"] == pytest.approx(1.0)


def test_overhead_without_a_baseline_in_the_run_is_refused():
    with pytest.raises(ValueError, match=r"need the run's own baseline"):
        overheads(run_figures(SampleSet(_samples("ldap", [1.0]))))


def test_way_with_only_failures_has_no_latency_overhead():
    samples = _samples("baseline", [100.0] * 3) + _samples("jwt", [], errors=4)
    over = overheads(run_figures(SampleSet(samples)))
    assert over["jwt"]["p50_overhead_ms"] is None


def test_spread_reports_median_min_max_and_width():
    s = spread([3.0, None, 1.0, 10.0])
    assert (s.median, s.low, s.high, s.width) == (3.0, 1.0, 10.0, 9.0)
    assert spread([None]).median is None and spread([]).width is None


def test_across_repeats_collects_each_figure_of_each_way():
    runs = [{"ldap": {"p95_overhead_ms": v}} for v in (12.0, 20.0, 15.0)]
    result = across_repeats(runs)
    assert result["ldap"]["p95_overhead_ms"].median == 15.0
    assert result["ldap"]["p95_overhead_ms"].values == (12.0, 20.0, 15.0)


def test_gate_figures_take_medians_over_repeats_and_pool_errors():
    runs = []
    for extra, errors in ((10.0, 0), (30.0, 2), (20.0, 0)):
        samples = _samples("baseline", [100.0] * 10) + _samples("ldap", [100.0 + extra] * 8, errors=errors)
        runs.append(run_figures(SampleSet(samples)))
    gate = gate_figures(runs)
    assert gate["ldap"]["p50_overhead_ms"] == pytest.approx(20.0)
    assert gate["ldap"]["p95_ms"] == pytest.approx(120.0)
    assert gate["ldap"]["error_rate"] == pytest.approx(2 / 26)
    assert pooled_error_rate(runs, "missing") is None
    assert not any(isinstance(v, float) and math.isnan(v) for row in gate.values() for v in row.values())
