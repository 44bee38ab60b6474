"""Version-to-version comparison: what counts as a change, and what is noise."""

from __future__ import annotations

from trino_harness.compare.diff import compare_runs, to_markdown
from trino_harness.matrix.verdict import CheckResult
from trino_harness.observations import collecting, normalise, observe
from trino_harness.redaction import register_secret


def result(name: str, outcome: str = "passed", observed: str = "", message: str = "") -> CheckResult:
    return CheckResult("test_x.py", name, outcome, message, observed)


def test_identical_runs_have_no_change():
    run = [result("a", observed="HTTP 401"), result("b", "failed", message="expected: 403")]
    assert compare_runs(run, list(run)) == []


def test_verdict_answer_and_failure_text_changes_are_told_apart():
    before = [result("a"), result("b", observed="HTTP 401"), result("c", "failed", message="x"), result("d")]
    after = [result("a", "failed", message="expected 401"), result("b", observed="HTTP 403"),
             result("c", "failed", message="y"), result("e")]  # fmt: skip
    kinds = {(c.check, c.kind) for c in compare_runs(before, after)}
    assert kinds == {
        ("test_x.py::a", "verdict"),
        ("test_x.py::b", "answer"),
        ("test_x.py::c", "failure-text"),
        ("test_x.py::d", "only-before"),
        ("test_x.py::e", "only-after"),
    }
    assert "**5 differ**" in to_markdown("Trino 470", "Trino 476", before, compare_runs(before, after))


def test_answers_are_normalised_so_two_runs_of_one_version_compare_equal():
    one = "HTTP 401: JWT expired 2026-11-23T03:40:01Z. Current time: 2026-11-23T03:41:01.123Z, diff "
    two = "HTTP 401: JWT expired 2026-11-24T09:00:00Z. Current time: 2026-11-24T09:01:00.001Z, diff "
    one, two = one + "60123 milliseconds.", two + "60001 milliseconds."
    assert normalise(one) == normalise(two)
    assert normalise("Cannot kill query 20261123_034001_00012_abcde") == "Cannot kill query <query-id>"
    assert normalise("HTTP 401") != normalise("HTTP 403")
    assert normalise("rows=[['barrier c60dbcc628fb']]") == normalise("rows=[['barrier 1983cde68fde']]")


def test_observations_are_kept_per_check_and_redacted():
    secret = register_secret("s3cr3t-observed-value")
    observe("outside any check")  # ignored
    with collecting() as lines:
        observe(f"HTTP 200 with {secret}")
    assert lines == ["HTTP 200 with ***"]


def _observed_groups(groups: list[str], unordered: bool = True) -> str:
    """What ``run_as(..., unordered=True)`` records for ``SELECT current_user, current_groups()``."""
    from suites.outcomes import Outcome

    outcome = Outcome([["alice", groups]], None, None, None, "20261123_034001_00012_abcde")
    with collecting() as lines:
        observe(outcome.without_order() if unordered else outcome)
    return " | ".join(lines)


def test_a_reordered_group_list_is_no_difference():
    before = [result("test_group_provider_reports_the_declared_groups[alice]",
                     observed=_observed_groups(["trino_users", "analysts"]))]  # fmt: skip
    after = [result("test_group_provider_reports_the_declared_groups[alice]",
                    observed=_observed_groups(["analysts", "trino_users"]))]  # fmt: skip
    assert compare_runs(before, after) == []


def test_a_changed_group_list_is_still_a_difference():
    before = [result("g[alice]", observed=_observed_groups(["trino_users", "analysts"]))]
    after = [result("g[alice]", observed=_observed_groups(["analysts"]))]
    assert [c.kind for c in compare_runs(before, after)] == ["answer"]


def test_an_answer_not_declared_unordered_keeps_its_order():
    """Only the recording site knows an answer is a set: an ordered answer's order is a real change."""
    before = [result("g[alice]", observed=_observed_groups(["trino_users", "analysts"], unordered=False))]
    after = [result("g[alice]", observed=_observed_groups(["analysts", "trino_users"], unordered=False))]
    assert [c.kind for c in compare_runs(before, after)] == ["answer"]


def test_without_order_sorts_rows_and_arrays_but_keeps_columns():
    from suites.outcomes import Outcome

    outcome = Outcome([["bob", ["b", "a"]], ["alice", [None, "c"]]], None, None, None, None)
    assert outcome.without_order().rows == [["alice", ["c", None]], ["bob", ["a", "b"]]]
