"""Build the harness images locally, cached by content.

An image's tag is a hash of everything that goes into it (its Dockerfile directory, the base
image id and, for Trino, the version and plugin list), so a warm run finds every tag and
builds nothing, while any change to a recipe produces a new tag.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import docker
from docker.errors import BuildError, ImageNotFound

from trino_harness.images.artifacts import (
    KEYCLOAK_VERSION,
    assemble_keycloak,
    assemble_server,
    plugins_for,
)
from trino_harness.images.base import ensure_base_image
from trino_harness.progress import step

DOCKER_DIR = Path(__file__).resolve().parent / "docker"
COLLECTOR_SOURCE = Path(__file__).resolve().parents[1] / "audit" / "collector.py"


@dataclass(frozen=True)
class StackImages:
    """Tags of the images one stack runs."""

    trino: str
    ldap: str
    postgres: str
    audit: str
    kdc: str = ""  # MIT Kerberos KDC (krb5-kdc); see images/docker/kdc
    keycloak: str = ""  # Keycloak (OpenID Connect provider); see images/docker/keycloak


def _hash_tree(digest: hashlib._Hash, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())


def _tag(name: str, *parts: str | Path) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            if part.is_dir():
                _hash_tree(digest, part)
            else:
                digest.update(part.read_bytes())
        else:
            digest.update(part.encode())
    return f"trino-harness/{name}:{digest.hexdigest()[:16]}"


def _exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
        return True
    except ImageNotFound:
        return False


def _docker_build(client: docker.DockerClient, context: Path, tag: str, base_id: str) -> None:
    try:
        for chunk in client.api.build(
            path=str(context),
            tag=tag,
            rm=True,
            forcerm=True,
            decode=True,
            buildargs={"BASE_IMAGE": base_id},
        ):
            if "error" in chunk:  # the step lines stay quiet: "building <tag>" and its time say enough
                raise BuildError(chunk["error"], [])
    except BuildError as exc:
        raise RuntimeError(f"docker build of {tag} failed: {exc.msg}") from exc


def _ensure(client: docker.DockerClient, tag: str, recipe: str, base_id: str, extra: dict[str, Path]) -> str:
    """Build ``recipe`` (a directory under images/docker) as ``tag`` unless it already exists."""
    if _exists(client, tag):
        return tag
    with tempfile.TemporaryDirectory(prefix="trino-harness-build-") as tmp, step(f"building {tag}"):
        context = Path(tmp) / "context"
        shutil.copytree(DOCKER_DIR / recipe, context)
        for name, source in extra.items():
            if source.is_dir():
                shutil.copytree(source, context / name, symlinks=True)
            else:
                shutil.copy2(source, context / name)
        _docker_build(client, context, tag, base_id)
    return tag


def ensure_trino_image(client: docker.DockerClient, version: str, base_id: str) -> str:
    tag = _tag(f"trino-{version}", DOCKER_DIR / "trino", base_id, version, ",".join(plugins_for(version)))
    if _exists(client, tag):
        return tag
    with tempfile.TemporaryDirectory(prefix="trino-harness-server-") as tmp:
        server = Path(tmp) / "trino-server"
        with step(f"assembling Trino {version} server and plugins from Maven Central"):
            assemble_server(version, server)
        return _ensure(client, tag, "trino", base_id, {"trino-server": server})


def ensure_keycloak_image(client: docker.DockerClient, base_id: str) -> str:
    tag = _tag("keycloak", DOCKER_DIR / "keycloak", base_id, KEYCLOAK_VERSION)
    if _exists(client, tag):
        return tag
    with tempfile.TemporaryDirectory(prefix="trino-harness-keycloak-") as tmp:
        dist = Path(tmp) / "keycloak"
        with step(f"unpacking Keycloak {KEYCLOAK_VERSION} from Maven Central"):
            assemble_keycloak(dist)
        return _ensure(client, tag, "keycloak", base_id, {"keycloak": dist})


def ensure_images(client: docker.DockerClient, trino_version: str) -> StackImages:
    """Make sure every image of the reference stack exists, building what is missing."""
    base_id = ensure_base_image(client)
    return StackImages(
        trino=ensure_trino_image(client, trino_version, base_id),
        ldap=_ensure(client, _tag("openldap", DOCKER_DIR / "openldap", base_id), "openldap", base_id, {}),
        postgres=_ensure(client, _tag("postgres", DOCKER_DIR / "postgres", base_id), "postgres", base_id, {}),
        audit=_ensure(
            client,
            _tag("audit-collector", DOCKER_DIR / "audit", COLLECTOR_SOURCE, base_id),
            "audit",
            base_id,
            {"collector.py": COLLECTOR_SOURCE},
        ),
        kdc=_ensure(client, _tag("kdc", DOCKER_DIR / "kdc", base_id), "kdc", base_id, {}),
        keycloak=ensure_keycloak_image(client, base_id),
    )
