"""The stack's MIT KDC: its container, the keytab it exports and what the target learns.

Only started when the scenario has a ``kerberos:`` section. The keytab is copied out of the KDC
container with the Docker archive API and seeded into the coordinator like every other file.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

from trino_harness.render.files import SECRET_MODE, FileSet
from trino_harness.render.kerberos import (
    KDC_ALIAS,
    KDC_PORT,
    KDC_READY,
    KDC_SEED,
    KEYTAB_IN_KDC,
    KerberosMaterials,
    client_krb5_conf,
    register_keytab,
    render_kdc_seed,
)
from trino_harness.scenario.model import Scenario
from trino_harness.stack.containers import SeededContainer
from trino_harness.stack.service import RunContext, Service
from trino_harness.stack.waiting import wait_for_log
from trino_harness.target import KerberosTarget


def wait_and_fetch_keytab(kdc: SeededContainer) -> bytes:
    """Wait for the realm to exist, then copy the service keytab out of the KDC (registered for redaction)."""
    wait_for_log(kdc, KDC_READY, 60)
    stream, _ = kdc.get_wrapped_container().get_archive(KEYTAB_IN_KDC)
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
        member = tar.extractfile(tar.getmembers()[0])
        assert member is not None
        return register_keytab(member.read())


def kerberos_target(
    scenario: Scenario, materials: KerberosMaterials, kdc: SeededContainer, client_dir: Path
) -> KerberosTarget:
    """Write the client's krb5.conf (KDC at its 127.0.0.1 port) and describe the realm for checks."""
    krb = scenario.kerberos
    assert krb is not None
    files = FileSet()
    files.add("krb5.conf", client_krb5_conf(krb, kdc.host_port(KDC_PORT)), SECRET_MODE)
    files.write_to(client_dir)
    return KerberosTarget(
        realm=krb.realm,
        service_name=krb.service_name,
        service_host=scenario.trino.coordinator_alias,
        other_service_host=krb.other_service_host,
        krb5_config=str(client_dir / "krb5.conf"),
        passwords=dict(materials.passwords),
    )


def _seed(run: RunContext) -> FileSet:
    assert run.scenario.kerberos is not None and run.krb is not None
    return render_kdc_seed(run.scenario.kerberos, run.krb, run.scenario.trino.coordinator_alias)


def _target_part(container: SeededContainer, run: RunContext) -> dict[str, Any]:
    assert run.krb is not None
    return {"kerberos": kerberos_target(run.scenario, run.krb, container, run.client_dir / "kerberos")}


KDC = Service(
    role="kdc",
    alias=KDC_ALIAS,
    image=lambda images: images.kdc,
    image_env="KDC_IMAGE",
    seed=_seed,
    seed_dir=KDC_SEED,
    ports=(KDC_PORT,),
    ready=lambda container, run: None,  # ready once its keytab could be fetched, at boot
    enabled=lambda run: run.krb is not None,
    at_boot=lambda container, run: wait_and_fetch_keytab(container),
    target_part=_target_part,
)
