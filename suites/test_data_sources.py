"""Cluster access to data sources: every catalog that reaches an external system encrypts the
connection and verifies the server's identity.

A catalog URL without ``sslmode=verify-full`` works perfectly, and sends the catalog's password
and every row in the clear (or to whoever answers for the host name). So the catalog files are
read (static, per connector: trino_harness/data_sources.py) and, where the harness may watch the
source, the source itself is asked whether the catalog's sessions are encrypted.
"""

from __future__ import annotations

import threading

import pytest

from trino_harness.data_sources import data_source_findings
from trino_harness.evidence import check
from trino_harness.polling import poll
from trino_harness.postgres import connect_verified
from trino_harness.protocol import Answer, submit

pytestmark = pytest.mark.tls

PROBE_WINDOW_S = 30  # at most: the probe read lasts ~2 s; watching ends when it returns


def test_every_external_catalog_encrypts_and_verifies_its_source(target):
    verdict = data_source_findings(target.coordinator_config())
    if verdict.unknown:
        pytest.fail(
            "cannot judge: no rule for the connector of "
            + ", ".join(f"{c.file} ({c.connector})" for c in verdict.unknown)
            + " (trino_harness/data_sources.py RULES)",
            pytrace=False,
        )
    check(
        not verdict.findings,
        what="catalogs that reach an external system: "
        + (", ".join(f"{c.file} ({c.connector})" for c in verdict.judged) or "none"),
        expected="each connection encrypted and the server's identity verified "
        "(JDBC PostgreSQL: ssl=true, sslmode=verify-full, sslrootcert)",
        observed="; ".join(map(str, verdict.findings)) or "every catalog encrypts and verifies",
        fix="see each finding; docs/beyond-the-tables.md lists what every connector needs",
    )


def _watch_ssl(monitor, until: threading.Event) -> list[tuple[int, bool, str | None]]:
    """(pid, ssl, version) of each backend of the catalog user seen until ``until`` is set."""
    seen: dict[int, tuple[int, bool, str | None]] = {}
    with connect_verified(monitor, autocommit=True) as conn:

        def sample() -> bool:
            for pid, ssl, version in conn.execute(
                "SELECT a.pid, s.ssl, s.version FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
                "WHERE a.usename = %s",
                (monitor.catalog_user,),
            ).fetchall():
                seen[pid] = (pid, ssl, version)
            return until.is_set()

        poll(sample, timeout_s=PROBE_WINDOW_S, interval_s=0.1, max_interval_s=0.1)
    return sorted(seen.values())


def _probe_and_watch(target, auth, monitor) -> tuple[Answer, list[tuple[int, bool, str | None]]]:
    """Read the probe table through the catalog while the source's pg_stat_ssl is watched."""
    done = threading.Event()
    answers: list[Answer] = []

    def probe() -> None:
        try:
            sql = f"SELECT count(*) FROM {monitor.catalog}.{monitor.probe_table}"
            answers.append(submit(target, sql, auth=auth))
        finally:
            done.set()

    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    sessions = _watch_ssl(monitor, done)
    worker.join(PROBE_WINDOW_S)
    return (answers[0] if answers else Answer(body="the probe did not return")), sessions


def test_catalog_sessions_are_encrypted_at_the_source(target, scenario):
    monitors = target.data_source_monitors()
    operator = scenario.operator
    auth = (operator.principal, target.password(operator.provider, operator.principal))
    for monitor in monitors:
        answer, sessions = _probe_and_watch(target, auth, monitor)
        if not answer.ok:
            pytest.fail(
                f"cannot judge: the probe read through {monitor.catalog} failed: {answer}", pytrace=False
            )
        if not sessions:
            pytest.fail(
                f"cannot judge: no session of {monitor.catalog_user} appeared at {monitor.host}:"
                f"{monitor.port} while {monitor.catalog}.{monitor.probe_table} was read "
                "(make the probe last a few seconds)",
                pytrace=False,
            )
        check(
            all(ssl for _, ssl, _ in sessions),
            what=f"sessions of {monitor.catalog_user} at the source of catalog {monitor.catalog} "
            "(pg_stat_ssl, during a read through the catalog)",
            expected="every session encrypted",
            observed=", ".join(
                f"pid {pid}: {version if ssl else 'cleartext'}" for pid, ssl, version in sessions
            ),
            fix="add ssl=true&sslmode=verify-full&sslrootcert=<CA> to the catalog's connection-url, and "
            "require hostssl for the catalog user in the source's pg_hba.conf",
        )
