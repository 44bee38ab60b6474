"""Request-log lines parse into entries; anything else is ignored rather than misread."""

from datetime import UTC, datetime

from trino_harness.audit.request_log import RequestLogEntry, parse_line

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
