"""The extra coordinator of the Web UI OAuth2 check (a :class:`~trino_harness.stack.node.Node`):
started on the stack's network from the etc/ the stack rendered for it (``render/web_ui_oauth2.py``),
HTTPS published on 127.0.0.1 only, removed however the block that uses it ends.

Only the reference stack hands out a recipe (``OidcTarget.web_ui_oauth2``). The container carries
the run's labels, so the stack's removal takes it too should the block's own removal not run. It
gets a shared secret of its own (it is a one-node cluster: nothing it says to the real cluster
could be trusted, and the check never holds the cluster's secret) and Trino's OAuth2 client secret.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import httpx

from trino_harness import docker_engine
from trino_harness.clients import tls_context
from trino_harness.polling import PollStopped, poll
from trino_harness.redaction import redact, register_secret
from trino_harness.render.files import FileSet
from trino_harness.render.oidc import CLIENT_SECRET_ENV
from trino_harness.render.overlay import WEB_UI_OAUTH2_OVERLAY
from trino_harness.render.trino_etc import HTTPS_PORT, SHARED_SECRET_ENV
from trino_harness.render.web_ui_oauth2 import UI_OAUTH2_ALIAS, env_references, render_web_ui_oauth2_etc
from trino_harness.render.worker_etc import WorkerNode
from trino_harness.scenario.model import Scenario
from trino_harness.stack.containers import run_labels
from trino_harness.stack.logs import error_lines, server_started_after, tail
from trino_harness.stack.node import Node, NodeRun
from trino_harness.target import WebUiOAuth2Recipe

TRINO_UID = 1000  # the image's trino user, as in stack/reference.py
START_TIMEOUT_S = 240.0
READY_TIMEOUT_S = 60.0
LOG_TAIL_LINES = 30


class UiCoordinatorError(RuntimeError):
    """The extra coordinator did not start; the message carries its (redacted) log tail."""


@dataclass(frozen=True)
class UiCoordinator:
    url: str  # https://127.0.0.1:<published port>
    name: str
    ready_s: float  # container created to /v1/info starting=false
    trino_start_s: float | None  # container start to SERVER STARTED, from its log


def _log(container: docker.models.containers.Container) -> str:
    return container.logs().decode(errors="replace")


def _failure(container: docker.models.containers.Container, why: str) -> UiCoordinatorError:
    text = redact(_log(container))
    return UiCoordinatorError(
        f"{why}\n--- error lines ---\n"
        + "\n".join(error_lines(text))
        + f"\n--- last {LOG_TAIL_LINES} lines ---\n{tail(text, LOG_TAIL_LINES)}"
    )


def _host_port(container: docker.models.containers.Container) -> int:
    container.reload()
    for binding in container.attrs["NetworkSettings"]["Ports"].get(f"{HTTPS_PORT}/tcp") or []:
        if binding.get("HostIp") in ("127.0.0.1", ""):
            return int(binding["HostPort"])
    raise UiCoordinatorError(f"port {HTTPS_PORT} is not published on 127.0.0.1")


def _wait_ready(container: docker.models.containers.Container, ca_path: str) -> str:
    """Bounded: SERVER STARTED in the log, then /v1/info says starting=false; returns the URL."""

    def exited() -> str | None:
        container.reload()
        return None if container.status == "running" else container.status

    try:
        started = poll(lambda: "SERVER STARTED" in _log(container), timeout_s=START_TIMEOUT_S, stop=exited)
    except PollStopped as exc:
        raise _failure(container, f"the Web UI OAuth2 coordinator exited ({exc}) while starting") from None
    if not started.held:
        raise _failure(container, f"no SERVER STARTED within {START_TIMEOUT_S:.0f}s")
    url = f"https://127.0.0.1:{_host_port(container)}"

    def serving() -> bool:
        try:
            with httpx.Client(verify=tls_context(ca_path), trust_env=False, timeout=5) as http:
                return http.get(f"{url}/v1/info").json().get("starting") is False
        except (httpx.HTTPError, ValueError):
            return False

    if not poll(serving, timeout_s=READY_TIMEOUT_S).held:
        raise _failure(container, f"/v1/info did not report starting=false within {READY_TIMEOUT_S:.0f}s")
    return url


@contextmanager
def web_ui_oauth2_coordinator(
    recipe: WebUiOAuth2Recipe, client_secret: str, ca_path: str
) -> Iterator[UiCoordinator]:
    """Start the extra coordinator, wait until it serves; remove it however the block ends."""
    client = docker_engine.ensure_engine()
    etc = FileSet.read_from(Path(recipe.etc_dir))
    environment = {
        SHARED_SECRET_ENV: register_secret(secrets.token_urlsafe(48)),
        CLIENT_SECRET_ENV: client_secret,
    }
    unknown = sorted(env_references(etc) - environment.keys())
    if unknown:
        raise UiCoordinatorError(
            f"its etc/ reads {unknown} from the environment, which only the cluster's own nodes get; "
            "put such settings in a catalog (catalogs with ${ENV:...} are left out) or in the overlay"
        )
    name = f"trino-harness-{recipe.run_id}-{recipe.alias}"
    try:
        client.containers.get(name).remove(force=True, v=True)  # a leftover of an interrupted run
    except docker.errors.NotFound:
        pass
    started = time.monotonic()
    try:
        container = _create(client, recipe, environment, name)
    except docker.errors.DockerException as exc:
        raise UiCoordinatorError(f"Docker refused to create it: {redact(str(exc))}") from exc
    try:
        container.put_archive("/", etc.tar("/etc/trino", uid=TRINO_UID, gid=TRINO_UID))
        container.start()
        url = _wait_ready(container, ca_path)
        container.reload()
        yield UiCoordinator(
            url=url,
            name=name,
            ready_s=time.monotonic() - started,
            trino_start_s=server_started_after(container.attrs["State"]["StartedAt"], _log(container)),
        )
    except docker.errors.DockerException as exc:
        raise UiCoordinatorError(f"Docker: {redact(str(exc))}") from exc
    finally:
        try:
            container.remove(force=True, v=True)
        except docker.errors.NotFound:
            pass  # already gone with the stack


def _create(
    client: docker.DockerClient, recipe: WebUiOAuth2Recipe, environment: dict[str, str], name: str
) -> docker.models.containers.Container:
    return client.containers.create(
        recipe.image,
        name=name,
        labels=run_labels(recipe.run_id),
        environment=environment,
        network=recipe.network,
        networking_config={recipe.network: client.api.create_endpoint_config(aliases=[recipe.alias])},
        ports={f"{HTTPS_PORT}/tcp": ("127.0.0.1", None)},
    )


def _render(scenario: Scenario, coordinator_etc: FileSet, identity: WorkerNode, ca_pem: bytes) -> FileSet:
    return render_web_ui_oauth2_etc(coordinator_etc, identity, ca_pem)


def _target_part(run: NodeRun) -> dict[str, Any]:
    recipe = WebUiOAuth2Recipe(
        run_id=run.run_id,
        network=run.network,
        image=run.image,
        alias=UI_OAUTH2_ALIAS,
        etc_dir=str(run.etc_dir),
    )
    return {"web_ui_recipe": recipe}


WEB_UI_COORDINATOR = Node(
    role=UI_OAUTH2_ALIAS,
    alias=lambda scenario: UI_OAUTH2_ALIAS,
    render=_render,
    started_by="check",
    target_part=_target_part,
    follows_configuration=True,  # each configuration's effective etc/: a user's overlay is judged here too
    overlay_dir=WEB_UI_OAUTH2_OVERLAY,
    enabled=lambda scenario: scenario.oidc is not None,
)
