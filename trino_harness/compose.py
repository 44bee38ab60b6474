"""Render the reference stack's configuration for docker-compose (manual exploration).

The same services as the reference stack: PostgreSQL, OpenLDAP, the audit collector, the KDC and
Keycloak (when the scenario has their sections), the coordinator and the nodes the stack starts
itself (the worker), from the same lists (``stack/services.py``, ``stack/nodes.py``) and renderers.
The rogue worker and the Web UI OAuth2 coordinator are their checks' to start, so not composed.

Two things differ because no harness sits in between: the KDC hands the coordinator its keytab
through a shared directory (compose starts Trino once the KDC is healthy), and the scenario's
client material and logins land in files instead of a Target.
"""

from __future__ import annotations

import os
from pathlib import Path

from trino_harness import docker_engine
from trino_harness.images.build import StackImages, ensure_images
from trino_harness.render.coordinator_etc import render_coordinator_etc
from trino_harness.render.files import SECRET_MODE, FileSet
from trino_harness.render.kerberos import KerberosMaterials
from trino_harness.render.materials import RunMaterials
from trino_harness.render.oidc import (
    OidcMaterials,
    trino_oidc_environment,
)
from trino_harness.render.overlay import apply_overlay
from trino_harness.render.trino_etc import trino_environment
from trino_harness.render.worker_etc import WorkerNode
from trino_harness.scenario.loader import load_scenario
from trino_harness.scenario.model import Scenario
from trino_harness.stack.nodes import nodes_of
from trino_harness.stack.reference import TRINO_UID
from trino_harness.stack.service import RunContext
from trino_harness.stack.services import services_of


def _chown_tree(root: Path, uid: int) -> None:
    if os.geteuid() != 0:
        return
    for path in [root, *root.rglob("*")]:
        os.chown(path, uid, uid)


def build_and_render(out: Path, scenario_path: Path, trino_version: str | None, overlay: Path | None) -> Path:
    """Build the images (only what is missing), then :func:`render_compose`."""
    scenario = load_scenario(scenario_path)
    images = ensure_images(docker_engine.ensure_engine(), trino_version or scenario.trino.version)
    return render_compose(out, scenario, images, overlay)


def render_compose(out: Path, scenario: Scenario, images: StackImages, overlay: Path | None) -> Path:
    """Render every service's config under ``out`` (0700) and write ``out/.env`` for ``images``."""
    materials = RunMaterials.generate(scenario)
    # The keytab is the KDC's to make: an empty file here is the mount point compose puts it on.
    etc = render_coordinator_etc(scenario, materials, keytab=b"")
    base = FileSet(dict(etc.files))
    if overlay:
        apply_overlay(etc, overlay)
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    etc.write_to(out / "trino" / "etc" / "trino")
    nodes = [node for node in nodes_of(scenario) if node.started_by == "stack"]  # the others: their checks'
    for node in nodes:  # the reference stack's own list: each node's etc/ in its folder
        identity = WorkerNode.issue(materials.ca, node.alias(scenario))
        source = etc if node.follows_configuration else base
        node_etc, _ = node.etc(scenario, source, identity, materials.ca.cert_pem, overlay)
        node_etc.write_to(out / node.role / "etc" / "trino")
    krb = KerberosMaterials.generate(scenario.kerberos) if scenario.kerberos is not None else None
    oidc = OidcMaterials.generate(scenario.oidc, materials.ca) if scenario.oidc is not None else None
    run = RunContext(scenario, materials, krb, oidc, out / "client" / "ca.pem", out / "client")
    env_extra: dict[str, str] = {}
    for service in services_of(run):  # the reference stack's own list: each seed in its folder
        service.seed(run).write_to(out / service.role)
        if service.seed_owner is not None:
            _chown_tree(out / service.role, service.seed_owner)
        env_extra[service.image_env] = service.image(images)
    logins_extra = ""
    if krb is not None:
        (out / "kdc-out").mkdir(exist_ok=True)
        logins_extra += "".join(f"kerberos {p:22} {pw}\n" for p, pw in krb.passwords.items())
    if scenario.oidc is not None and oidc is not None:
        env_extra |= trino_oidc_environment(scenario.oidc, oidc)
        logins_extra += "".join(f"oidc     {u:22} {pw}\n" for u, pw in oidc.passwords.items())
    # Trino runs as uid 1000; root-owned 0600 files would be unreadable.
    for role in ("trino", *(node.role for node in nodes)):
        _chown_tree(out / role, TRINO_UID)

    client = FileSet()
    client.add("ca.pem", materials.ca.cert_pem)
    for i, (subject, issued) in enumerate(materials.client_certs.items()):
        client.add(f"certs/{i}.pem", issued.cert_pem)
        client.add(f"certs/{i}.key", issued.key_pem, SECRET_MODE)
        client.add(f"certs/{i}.subject", subject + "\n")
    client.add("jwt-signing-key.pem", materials.jwt_private_pem, SECRET_MODE)
    client.write_to(out / "client")
    logins = (
        "".join(
            f"{u.credential:5} {u.login_name:22} {materials.user_passwords[u.name]}\n"
            for u in scenario.users
            if u.credential != "none"
        )
        + logins_extra
    )
    FileSet(
        {
            "README": (
                f"Logins for this rendering (secret; delete the folder when done):\n{logins}".encode(),
                SECRET_MODE,
            )
        }
    ).write_to(out)
    env = {
        "HARNESS_COMPOSE_DIR": str(out.resolve()),
        "TRINO_IMAGE": images.trino,
        **env_extra,
        **trino_environment(materials),
    }
    env_file = out / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    env_file.chmod(SECRET_MODE)
    return env_file
