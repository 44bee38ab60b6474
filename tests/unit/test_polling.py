"""The one bounded poll: ends on the signal, on the bound with the last answer kept, or on a stop."""

from __future__ import annotations

import time

import pytest

from trino_harness.polling import PollStopped, poll, wait_past


def test_a_poll_ends_as_soon_as_the_answer_holds():
    answers = iter([0, 0, 3, 4])
    polled = poll(lambda: next(answers), lambda n: n > 2, timeout_s=5, interval_s=0.001)
    assert polled.held and polled.value == 3


def test_a_poll_that_runs_out_keeps_the_last_answer_as_evidence():
    polled = poll(lambda: [], timeout_s=0.05, interval_s=0.01)
    assert not polled.held and polled.value == [] and polled.waited_s > 0.05


def test_a_stop_reason_ends_the_poll_at_once():
    with pytest.raises(PollStopped, match="exited"):
        poll(lambda: False, timeout_s=60, interval_s=0.001, stop=lambda: "the container exited")


def test_waiting_past_an_instant_holds_once_the_clock_passes_it_and_not_before_the_bound():
    assert wait_past(time.time() + 0.3, timeout_s=5)
    assert not wait_past(time.time() + 60, timeout_s=0.3)
