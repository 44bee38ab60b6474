"""Render PostgreSQL's seed (roles, databases, a sample table) and the audit collector's config."""

from __future__ import annotations

import json

from trino_harness.render.files import SECRET_MODE, FileSet
from trino_harness.render.materials import POSTGRES_ALIAS, RunMaterials
from trino_harness.render.trino_etc import CATALOG_DATABASE, CATALOG_USER

AUDIT_DATABASE = "audit"
AUDIT_WRITER = "audit_writer"
AUDIT_READER = "audit_reader"
MONITOR = "harness_monitor"
# A read through the catalog that lasts long enough for pg_stat_ssl to show its backend.
TLS_PROBE_TABLE = "public.tls_probe"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def render_postgres_seed(materials: RunMaterials) -> FileSet:
    db = materials.db
    files = FileSet()
    files.add("superuser-password", db.superuser + "\n", SECRET_MODE)
    files.add(
        "init.sql",
        f"""
CREATE ROLE {AUDIT_WRITER} LOGIN PASSWORD {_literal(db.audit_writer)};
CREATE ROLE {AUDIT_READER} LOGIN PASSWORD {_literal(db.audit_reader)};
CREATE ROLE {CATALOG_USER} LOGIN PASSWORD {_literal(db.catalog)};
CREATE ROLE {MONITOR} LOGIN PASSWORD {_literal(db.monitor)} IN ROLE pg_monitor;
CREATE DATABASE {AUDIT_DATABASE} OWNER {AUDIT_WRITER};
CREATE DATABASE {CATALOG_DATABASE} OWNER {CATALOG_USER};
\\connect {AUDIT_DATABASE}
ALTER DEFAULT PRIVILEGES FOR ROLE {AUDIT_WRITER} IN SCHEMA public GRANT SELECT ON TABLES TO {AUDIT_READER};
\\connect {CATALOG_DATABASE}
SET ROLE {CATALOG_USER};
CREATE TABLE public.orders (order_id integer PRIMARY KEY, customer text NOT NULL, amount numeric(10, 2));
INSERT INTO public.orders VALUES (1, 'acme', 120.50), (2, 'globex', 75.00), (3, 'initech', 310.25);
CREATE TABLE public.salaries (employee text PRIMARY KEY, salary numeric(10, 2));
INSERT INTO public.salaries VALUES ('alice', 100000), ('bob', 90000);
CREATE VIEW {TLS_PROBE_TABLE} AS SELECT pg_sleep(2)::text AS slept;
""",
        SECRET_MODE,
    )
    files.add("tls/ca.pem", materials.ca.cert_pem)
    files.add("tls/server.pem", materials.postgres_tls.cert_pem + materials.ca.cert_pem)
    files.add("tls/server.key", materials.postgres_tls.key_pem, SECRET_MODE)
    return files


def render_audit_seed(materials: RunMaterials) -> FileSet:
    files = FileSet()
    files.add(
        "collector.json",
        json.dumps(
            {
                "host": POSTGRES_ALIAS,
                "port": 5432,
                "dbname": AUDIT_DATABASE,
                "user": AUDIT_WRITER,
                "password": materials.db.audit_writer,
                "sslrootcert": "/harness/audit/ca.pem",
                "tls_cert": "/harness/audit/tls/server.pem",
                "tls_key": "/harness/audit/tls/server.key",
            }
        ),
        SECRET_MODE,
    )
    files.add("ca.pem", materials.ca.cert_pem)
    files.add("tls/server.pem", materials.audit_tls.cert_pem + materials.ca.cert_pem)
    files.add("tls/server.key", materials.audit_tls.key_pem, SECRET_MODE)
    return files
