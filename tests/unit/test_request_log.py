"""Request-log lines parse into entries; anything else is ignored rather than misread."""

from datetime import UTC, datetime, timedelta

from trino_harness.audit.request_log import FileRequestLog, RequestLogEntry, parse_line

# A real line written by Trino 476 for a refused login (airlift's tab-separated layout).
REFUSED = (
    "2026-11-23T00:04:34.65Z\t172.27.0.1\tPOST\t/v1/statement\tnull\ttrino-harness-login-0b4d10\t"
    "401\t0\t44\t9\tHTTP/1.1\t0\t9"
)


def test_refused_login_line_parses_with_null_user():
    assert parse_line(REFUSED) == RequestLogEntry(
        time=datetime(2026, 11, 23, 0, 4, 34, 650000, tzinfo=UTC),
        client="172.27.0.1",
        method="POST",
        uri="/v1/statement",
        user=None,
        agent="trino-harness-login-0b4d10",
        status=401,
    )


def test_partial_or_foreign_lines_are_ignored():
    assert parse_line(REFUSED.split("\t401")[0]) is None
    assert parse_line("2026-11-23T00:04:34Z INFO main io.trino.server.Server started") is None
    assert parse_line("not-a-time\t1\tGET\t/\tnull\tnull\t200") is None


def _line(when: datetime, agent: str = "some-client", status: int = 200) -> str:
    stamp = when.isoformat().replace("+00:00", "Z")
    return f"{stamp}\t10.0.0.9\tGET\t/v1/info\tnull\t{agent}\t{status}\t0\t44\t9\tHTTP/1.1\t0\t9\n"


def test_a_static_copy_older_than_the_attempt_says_so(tmp_path):
    """A copy taken before the attempt cannot hold it: that is the copy's age, not a disabled log."""
    attempt = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    copy = tmp_path / "http-request.log"
    copy.write_text(
        _line(attempt - timedelta(hours=3)) + _line(attempt - timedelta(hours=2)) + "partial\tline"
    )
    gap = FileRequestLog(str(copy)).ends_before(attempt)
    assert gap is not None
    assert "ends at 2026-11-23 10:00:00+00:00, before the attempt at 2026-11-23 12:00:00+00:00" in gap


def test_a_copy_that_reaches_past_the_attempt_has_no_gap(tmp_path):
    attempt = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    copy = tmp_path / "http-request.log"
    copy.write_text(_line(attempt - timedelta(hours=1)) + _line(attempt + timedelta(seconds=2)))
    assert FileRequestLog(str(copy)).ends_before(attempt) is None


def test_a_copy_without_a_single_request_line_says_so(tmp_path):
    copy = tmp_path / "http-request.log"
    copy.write_text("")
    gap = FileRequestLog(str(copy)).ends_before(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    assert gap is not None and "holds no request-log line" in gap


def test_only_the_tail_of_a_large_copy_is_read_for_its_end(tmp_path):
    attempt = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    copy = tmp_path / "http-request.log"
    old = _line(attempt - timedelta(days=1))
    copy.write_text(old * 20000 + _line(attempt + timedelta(seconds=1)))  # about 2 MB
    assert FileRequestLog(str(copy)).ends_before(attempt) is None
