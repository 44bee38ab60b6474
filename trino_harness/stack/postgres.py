"""The stack's PostgreSQL: the audit store and the ``postgresql`` catalog's database, over TLS.

Ready once it logs that it accepts connections and the audit reader can log in over verified TLS
from the host. The target learns where the audit store is and how to watch the catalog's
connections (the data-source checks).
"""

from __future__ import annotations

from typing import Any

import psycopg

from trino_harness.render.materials import POSTGRES_ALIAS
from trino_harness.render.postgres import (
    AUDIT_DATABASE,
    AUDIT_READER,
    MONITOR,
    TLS_PROBE_TABLE,
    render_postgres_seed,
)
from trino_harness.render.trino_etc import CATALOG_DATABASE, CATALOG_USER
from trino_harness.stack.containers import SeededContainer
from trino_harness.stack.service import RunContext, Service
from trino_harness.stack.waiting import wait_for_log, wait_until
from trino_harness.target import AuditDatabase, DataSourceMonitor

PORT = 5432


def _ready(container: SeededContainer, run: RunContext) -> None:
    wait_for_log(container, "database system is ready to accept connections", 120)
    port = container.host_port(PORT)

    def accepts_a_verified_login() -> bool:
        with psycopg.connect(
            host="127.0.0.1",
            port=port,
            dbname=AUDIT_DATABASE,
            user=AUDIT_READER,
            password=run.materials.db.audit_reader,
            sslmode="verify-full",
            sslrootcert=str(run.ca_path),
            connect_timeout=3,
        ):
            return True

    wait_until(container, accepts_a_verified_login, "a verified TLS login", 60)


def _target_part(container: SeededContainer, run: RunContext) -> dict[str, Any]:
    port = container.host_port(PORT)
    return {
        "audit": AuditDatabase(
            host="127.0.0.1",
            port=port,
            dbname=AUDIT_DATABASE,
            user=AUDIT_READER,
            password=run.materials.db.audit_reader,
            sslrootcert=str(run.ca_path),
        ),
        "data_sources": (
            DataSourceMonitor(
                catalog="postgresql",
                host="127.0.0.1",
                port=port,
                dbname=CATALOG_DATABASE,
                user=MONITOR,
                password=run.materials.db.monitor,
                sslrootcert=str(run.ca_path),
                catalog_user=CATALOG_USER,
                probe_table=TLS_PROBE_TABLE,
            ),
        ),
    }


POSTGRES = Service(
    role="postgres",
    alias=POSTGRES_ALIAS,
    image=lambda images: images.postgres,
    image_env="POSTGRES_IMAGE",
    seed=lambda run: render_postgres_seed(run.materials),
    seed_dir="/harness/postgres",
    ports=(PORT,),
    ready=_ready,
    target_part=_target_part,
)
