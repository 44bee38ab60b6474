"""The reference stack's services, in start order: the one list the stack walks to start them, wait
for them and describe them to the checks (see :mod:`trino_harness.stack.service` for the contract)."""

from __future__ import annotations

from trino_harness.stack.audit import AUDIT_COLLECTOR
from trino_harness.stack.kerberos import KDC
from trino_harness.stack.oidc import KEYCLOAK
from trino_harness.stack.openldap import OPENLDAP
from trino_harness.stack.postgres import POSTGRES
from trino_harness.stack.service import RunContext, Service

SERVICES: tuple[Service, ...] = (POSTGRES, OPENLDAP, AUDIT_COLLECTOR, KDC, KEYCLOAK)


def services_of(run: RunContext) -> tuple[Service, ...]:
    """The services this run needs (the KDC and Keycloak only with their scenario sections)."""
    return tuple(service for service in SERVICES if service.enabled(run))
