"""One way to open a PostgreSQL connection the harness reads from: encrypted, server name verified."""

from __future__ import annotations

from typing import Any

import psycopg

from trino_harness.target import PostgresLogin


def connect_verified(login: PostgresLogin, **options: Any) -> psycopg.Connection[Any]:
    """``login``'s database over TLS with ``sslmode=verify-full`` against its CA (``options`` go to
    psycopg: ``row_factory``, ``autocommit``, ``connect_timeout``, default 10 s)."""
    return psycopg.Connection.connect(
        host=login.host,
        port=login.port,
        dbname=login.dbname,
        user=login.user,
        password=login.password,
        sslmode="verify-full",
        sslrootcert=login.sslrootcert,
        **{"connect_timeout": 10, **options},
    )
