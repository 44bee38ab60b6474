"""Cluster access to data sources: every catalog that reaches an external system encrypts the
connection and verifies the server's identity.

A catalog URL without ``sslmode=verify-full`` works perfectly, and sends the catalog's password
and every row in the clear (or to whoever answers for the host name). So the catalog files are
read (static, per connector: trino_harness/data_sources.py) and, where the harness may watch the
source, the source itself is asked whether the catalog's sessions are encrypted.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from trino_harness.data_sources import data_source_findings
from trino_harness.evidence import cannot_judge, check, check_none_found
from trino_harness.polling import poll
from trino_harness.postgres import connect_verified
from trino_harness.protocol import Answer, submit

pytestmark = pytest.mark.tls

PROBE_WINDOW_S = 30  # at most: the probe read lasts ~2 s; watching ends when it returns
# The application_name of the harness's monitoring sessions: never counted as a catalog's.
MONITOR_APPLICATION = "trino-harness-monitor"


def test_every_external_catalog_encrypts_and_verifies_its_source(target):
    verdict = data_source_findings(target.coordinator_config())
    if verdict.unknown or verdict.unjudgeable:
        no_rule = [f"no rule for the connector of {c.file} ({c.connector})" for c in verdict.unknown]
        cannot_judge("; ".join(no_rule + verdict.unjudgeable) + " (trino_harness/data_sources.py RULES)")
    check_none_found(
        verdict.findings,
        read=verdict.read,
        what="catalogs that reach an external system: "
        + (", ".join(f"{c.file} ({c.connector})" for c in verdict.judged) or "none (only internal ones)"),
        expected="each connection encrypted and the server's identity verified "
        "(JDBC PostgreSQL: sslmode=verify-full with sslrootcert, the driver's own checks)",
        fix="see each finding; docs/beyond-the-tables.md lists what every connector needs",
    )


Session = tuple[int, bool | None, str | None]


def _watch_ssl(monitor: Any, until: threading.Event) -> list[Session]:
    """(pid, ssl, version) of each backend of the catalog user seen until ``until`` is set, the
    monitor's own backend and any other harness monitor left out (they may log in as the same user,
    and their verified TLS is not the catalog's)."""
    seen: dict[int, Session] = {}
    with connect_verified(monitor, autocommit=True, application_name=MONITOR_APPLICATION) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        own = row[0] if row else None

        def sample() -> bool:
            for pid, ssl, version in conn.execute(
                "SELECT a.pid, s.ssl, s.version FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
                "WHERE a.usename = %s AND a.pid <> pg_backend_pid() "
                "AND coalesce(a.application_name, '') <> %s",
                (monitor.catalog_user, MONITOR_APPLICATION),
            ).fetchall():
                if pid != own:
                    seen[pid] = (pid, ssl, version)
            return until.is_set()

        poll(sample, timeout_s=PROBE_WINDOW_S, interval_s=0.1, max_interval_s=0.1)
    return sorted(seen.values(), key=lambda s: s[0])


def _probe_and_watch(target: Any, auth: tuple[str, str], monitor: Any) -> tuple[Answer, list[Session]]:
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
            cannot_judge(f"the probe read through {monitor.catalog} failed: {answer}")
        if not sessions:
            cannot_judge(
                f"no session of {monitor.catalog_user} other than the monitor's own appeared at "
                f"{monitor.host}:{monitor.port} while {monitor.catalog}.{monitor.probe_table} was read "
                "(make the probe last a few seconds)"
            )
        hidden = [pid for pid, ssl, _ in sessions if ssl is None]
        if hidden:
            cannot_judge(
                f"pg_stat_ssl shows NULL for the sessions {hidden} of {monitor.catalog_user}: the monitor "
                f"login {monitor.user} may not read other users' rows; grant it pg_read_all_stats "
                "(or pg_monitor)"
            )
        check(
            all(ssl for _, ssl, _ in sessions),
            what=f"sessions of {monitor.catalog_user} at the source of catalog {monitor.catalog} "
            "(pg_stat_ssl, during a read through the catalog; the monitor's own left out)",
            expected="every session encrypted",
            observed=", ".join(
                f"pid {pid}: {version if ssl else 'cleartext'}" for pid, ssl, version in sessions
            ),
            fix="add sslmode=verify-full&sslrootcert=<CA> to the catalog's connection-url, and "
            "require hostssl for the catalog user in the source's pg_hba.conf",
        )
