"""The ephemeral reference stack: Trino, OpenLDAP, PostgreSQL and the audit collector.

Configuration flows one way: scenario file → typed model → rendered files → containers →
a :class:`~trino_harness.target.Target` the suites use. Every container is labelled with the
run id and removed by label, whatever way the run ends.

Longer than the house's 300 lines on purpose: one stack's lifecycle (services, coordinator starts
and restarts, hot apply, failure cleanup) is one state machine, kept together so every path removes
what it started. The services and the Trino nodes beside the coordinator are modules of their own,
each walked from one list (``services.py``, ``nodes.py``).
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import docker
import httpx
import requests
from trino.exceptions import HttpError, TrinoConnectionError, TrinoQueryError

from trino_harness import docker_engine
from trino_harness.clients import connect
from trino_harness.images.build import StackImages, ensure_images
from trino_harness.interrupts import signals_held
from trino_harness.progress import say, step
from trino_harness.redaction import redact, register_secret
from trino_harness.render.coordinator_etc import render_coordinator_etc
from trino_harness.render.files import SECRET_MODE, FileSet
from trino_harness.render.kerberos import KerberosMaterials
from trino_harness.render.materials import RunMaterials
from trino_harness.render.oidc import OidcMaterials, trino_oidc_environment
from trino_harness.render.overlay import apply_overlay
from trino_harness.render.reload import HotPlan, Sentinels, add_sentinels, plan_hot_apply
from trino_harness.render.trino_etc import (
    HTTP_PORT,
    HTTPS_PORT,
    REQUEST_LOG,
    bcrypt_line,
    trino_environment,
)
from trino_harness.render.worker_etc import WorkerNode
from trino_harness.scenario.loader import load_scenario
from trino_harness.scenario.model import Principal, Scenario
from trino_harness.stack.cleanup import reap_orphans, remove_run
from trino_harness.stack.containers import HarnessNetwork, SeededContainer
from trino_harness.stack.hot_apply import apply_and_prove
from trino_harness.stack.kerberos import KDC
from trino_harness.stack.logs import error_lines, tail, trino_startup_seconds
from trino_harness.stack.node import Node, NodeRun
from trino_harness.stack.nodes import nodes_of
from trino_harness.stack.service import RunContext
from trino_harness.stack.services import services_of
from trino_harness.stack.waiting import wait_for_log, wait_until
from trino_harness.stack.worker import WORKER, wait_worker_active
from trino_harness.target import ClientCert, ClusterTarget, InternalEndpoint, RequestLogSource, Target

TRINO_UID = 1000  # the official image's trino user; our image keeps it
LOG_TAIL_LINES = 40


class StackStartError(RuntimeError):
    """The stack did not come up; the message carries each container's log tail."""


@dataclass(frozen=True)
class StackOptions:
    run_id: str
    run_dir: Path
    scenario_path: Path
    trino_version: str | None = None
    trino_image: str | None = None
    overlay: Path | None = None
    log_dir: Path | None = None  # where a failed start keeps each container's full (redacted) log


class ReferenceStack:
    """Start, describe and stop one reference stack."""

    def __init__(self, options: StackOptions) -> None:
        self.options = options
        self.containers: dict[str, SeededContainer] = {}
        self.timings: dict[str, float] = {}
        self._client: docker.DockerClient | None = None
        self._network: HarnessNetwork | None = None
        self._images: StackImages | None = None
        # Set by start_services(): the scenario, version, secrets and client files of this run.
        self._scenario: Scenario
        self._version: str
        self._materials: RunMaterials
        self._certs: dict[str, ClientCert]
        self._krb: KerberosMaterials | None = None  # only with a kerberos: section
        self._boot_material: dict[str, bytes] = {}  # by service role: what Trino's etc/ needs of it
        self._run: RunContext  # set by start_services(): what every service reads of this run
        self._oidc: OidcMaterials | None = None  # only with an oidc: section
        self._nodes: tuple[Node, ...] = ()  # set by start_services(): the Trino nodes beside the coordinator
        self._identities: dict[str, WorkerNode] = {}  # by node role: its alias and server certificate
        self._node_etc: dict[str, FileSet] = {}  # by node role: its etc/ of the current configuration
        self._started_etc: dict[str, FileSet] = {}  # by node role: the etc/ the stack started it with
        self._base_etc: FileSet | None = None  # the scenario's render, before any overlay (rendered once)
        self._running: tuple[FileSet, Sentinels] | None = None  # the running coordinator's etc/, marks
        self._sentinel_password = ""  # set by start_services(): the password sentinels' one password
        self._sentinel_hash = ""
        self._started_at = 0.0  # monotonic time start_services() began
        self._services_pending = False  # start_services(wait=False): the first coordinator start waits

    # -- rendering ---------------------------------------------------------------------------
    def _render_base(self) -> FileSet:
        """The scenario's etc/ before any overlay, rendered once: the same bytes (bcrypt salts too)
        for every configuration, so comparing two configurations shows only what an overlay changed."""
        if self._base_etc is None:
            keytab = self._boot_material.get(KDC.role, b"")
            self._base_etc = render_coordinator_etc(self._scenario, self._materials, keytab)
        return FileSet(dict(self._base_etc.files))

    def _operator_user(self) -> str | None:
        """The Trino user the operator logs in as (the rules sentinel lets only it impersonate)."""
        op = self._scenario.operator
        if op.provider in ("file", "ldap") and (user := self._scenario.login(op.provider, op.principal)):
            return user.name
        rows = self._scenario.expectations.user_mapping
        return next((r.user for r in rows if (r.provider, r.principal) == (op.provider, op.principal)), None)

    def _effective(self, overlay: Path | None) -> tuple[FileSet, Sentinels, list[str]]:
        """The coordinator's etc/ for ``overlay`` (and what the overlay changed), written nowhere:
        rendered from the scenario, then the overlay, then the sentinels of its runtime-reloaded files."""
        etc = self._render_base()
        applied = apply_overlay(etc, overlay) if overlay else []
        return etc, add_sentinels(etc, self._operator_user(), self._sentinel_hash), applied

    def _nodes_etc(
        self, effective: FileSet, overlay: Path | None, nodes: tuple[Node, ...] | None = None
    ) -> dict[str, tuple[FileSet, list[str]]]:
        """Each node's etc/ (of ``nodes``, default all) for ``overlay`` and what its part of the overlay
        changed, written nowhere: from the baseline's etc/, or from ``effective`` for a node that
        follows the configuration."""
        base = self._render_base()
        return {
            node.role: node.etc(
                self._scenario,
                effective if node.follows_configuration else base,
                self._identities[node.role],
                self._materials.ca.cert_pem,
                overlay,
            )
            for node in (self._nodes if nodes is None else nodes)
        }

    def _render_trino(self, overlay: Path | None) -> tuple[FileSet, Sentinels]:
        """The coordinator's effective etc/ (see :meth:`_effective`) and each node's, under the run dir."""
        etc, marks, applied = self._effective(overlay)
        if overlay:
            say(f"config overlay {overlay}: {', '.join(applied) or 'no files'}")
        etc_dir = self.options.run_dir / "etc" / "trino"
        shutil.rmtree(etc_dir, ignore_errors=True)
        etc.write_to(etc_dir)
        for role, (files, node_applied) in self._nodes_etc(etc, overlay).items():
            if node_applied:
                say(f"{role} overlay: {', '.join(node_applied)}")
            node_dir = self.options.run_dir / "etc" / role
            shutil.rmtree(node_dir, ignore_errors=True)
            files.write_to(node_dir)
            self._node_etc[role] = files
        return etc, marks

    def _client_files(self, scenario: Scenario, materials: RunMaterials) -> dict[str, ClientCert]:
        """Write what clients need (CA, client certs, JWT signing key) under the run dir, 0600."""
        client = FileSet()
        client.add("ca.pem", materials.ca.cert_pem)
        client.add("ca.key", materials.ca.issued.key_pem, SECRET_MODE)
        client.add("jwt-signing-key.pem", materials.jwt_private_pem, SECRET_MODE)
        certs = {}
        for i, (subject, issued) in enumerate(materials.client_certs.items()):
            client.add(f"certs/{i}.pem", issued.cert_pem)
            client.add(f"certs/{i}.key", issued.key_pem, SECRET_MODE)
            root = self.options.run_dir / "client" / "certs"
            certs[subject] = ClientCert(str(root / f"{i}.pem"), str(root / f"{i}.key"))
        client.write_to(self.options.run_dir / "client")
        return certs

    # -- containers --------------------------------------------------------------------------
    def _make(self, image: str, role: str, alias: str) -> SeededContainer:
        assert self._network is not None
        return (
            SeededContainer(image, self.options.run_id, role)
            .with_network(self._network)
            .with_network_aliases(alias)
        )

    def _services(self, images: StackImages) -> list[SeededContainer]:
        return [
            service.container(self._make(service.image(images), service.role, service.alias), self._run)
            for service in services_of(self._run)
        ]

    def _coordinator(self, etc: FileSet) -> SeededContainer:
        assert self._images is not None
        trino = (
            self._make(
                self.options.trino_image or self._images.trino,
                "trino",
                self._scenario.trino.coordinator_alias,
            )
            .with_seed(etc.tar("/etc/trino", uid=TRINO_UID, gid=TRINO_UID))
            .publish_local(HTTPS_PORT)
            .publish_local(HTTP_PORT)
        )
        environment = trino_environment(self._materials)
        if self._scenario.oidc is not None and self._oidc is not None:
            environment |= trino_oidc_environment(self._scenario.oidc, self._oidc)
        for key, value in environment.items():
            trino.with_env(key, value)
        return trino

    def _start_node(self, node: Node) -> None:
        """(Re)start a node the stack starts itself (the worker) on its etc/ of this configuration."""
        assert self._images is not None
        old = self.containers.pop(node.role, None)
        if old is not None:
            old.get_wrapped_container().remove(force=True, v=True)
        etc = self._node_etc[node.role]
        container = (
            self._make(self.options.trino_image or self._images.trino, node.role, node.alias(self._scenario))
            .with_seed(etc.tar("/etc/trino", uid=TRINO_UID, gid=TRINO_UID))
            .publish_local(HTTPS_PORT)
            .publish_local(HTTP_PORT)
        )
        for key, value in trino_environment(self._materials).items():
            container.with_env(key, value)
        self.containers[node.role] = container
        self._started_etc[node.role] = etc
        container.start()

    def _stack_nodes(self) -> tuple[Node, ...]:
        return tuple(node for node in self._nodes if node.started_by == "stack")

    def _wait_boot_services(self) -> None:
        """What the coordinator's files need before its container exists (the KDC's keytab)."""
        for service in services_of(self._run):
            material = service.at_boot(self.containers[service.role], self._run)
            if material is not None:
                self._boot_material[service.role] = material

    def _wait_services(self) -> None:
        """Every service ready. Trino needs none of them at boot: PostgreSQL, LDAP and the audit
        collector are reached at the first query, OIDC discovery retries a refused connection."""
        for service in services_of(self._run):
            seconds = service.ready(self.containers[service.role], self._run)
            if seconds is not None:
                self.timings[f"{service.role}_ready_s"] = seconds

    def _wait_coordinator(self) -> None:
        trino = self.containers["trino"]
        wait_for_log(trino, "SERVER STARTED", 240)
        port = trino.host_port(HTTPS_PORT)

        def trino_active() -> bool:
            # Readiness only: the TLS suites judge the certificate, and a deliberately broken one
            # (a negative control) must not stop the stack from starting.
            info = httpx.get(f"https://127.0.0.1:{port}/v1/info", verify=False, timeout=5).json()
            return info.get("starting") is False

        wait_until(trino, trino_active, "/v1/info reporting starting=false", 60)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Target:
        """Every service, the coordinator (with the options' overlay) and the worker, side by side:
        the JVMs boot while the services come up; readiness waits for all of them."""
        self.start_services(wait=False)
        return self.start_coordinator(self.options.overlay)

    def start_services(self, wait: bool = True) -> None:
        """Network, PostgreSQL, OpenLDAP and the audit collector (the KDC and Keycloak with their
        sections), with this run's secrets. ``wait=False`` returns once their containers run and
        the keytab is in hand; the next :meth:`start_coordinator` waits for the rest.

        They outlive coordinator restarts: a configuration variant only ever changes Trino.
        """
        opts = self.options
        opts.run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        client = docker_engine.ensure_engine()
        self._client = client
        reaped = reap_orphans(client)
        if reaped:
            say(f"removed leftovers of dead runs: {', '.join(reaped)}")
        self._scenario = load_scenario(opts.scenario_path)
        self._version = opts.trino_version or self._scenario.trino.version
        with step("images (build only what is missing)") as t_images:
            self._images = ensure_images(client, self._version)
        self.timings["images_s"] = t_images["seconds"]
        self._materials = RunMaterials.generate(self._scenario)
        self._certs = self._client_files(self._scenario, self._materials)
        if self._scenario.kerberos is not None:
            self._krb = KerberosMaterials.generate(self._scenario.kerberos)
        if self._scenario.oidc is not None:
            self._oidc = OidcMaterials.generate(self._scenario.oidc, self._materials.ca)
        self._run = RunContext(
            self._scenario, self._materials, self._krb, self._oidc, self._ca_path, opts.run_dir / "client"
        )
        self._nodes = nodes_of(self._scenario)
        self._identities = {
            node.role: WorkerNode.issue(self._materials.ca, node.alias(self._scenario))
            for node in self._nodes
        }
        self._sentinel_password = register_secret(secrets.token_urlsafe(18))
        self._sentinel_hash = bcrypt_line("", self._sentinel_password).removeprefix(":")
        self._started_at = time.monotonic()
        with self._stopped_on_failure(), step(f"starting services of stack {opts.run_id}"):
            self._network = HarnessNetwork(opts.run_id).create()
            for container in self._services(self._images):
                self.containers[container.role] = container
                container.start()
            self._wait_boot_services()
            if wait:
                self._wait_services()
                self.timings["services_start_s"] = time.monotonic() - self._started_at
        self._services_pending = not wait

    @property
    def services_ready(self) -> bool:
        """Every service started and ready (False after a failed start: the stack is gone)."""
        return self._network is not None and not self._services_pending and "postgres" in self.containers

    def _wait_pending_services(self) -> None:
        """The services :meth:`start_services` did not wait for (a failure removes the whole stack)."""
        if not self._services_pending:
            return
        with self._stopped_on_failure(), step("waiting for the services (Trino boots meanwhile)"):
            self._wait_services()
        self._services_pending = False
        self.timings["services_start_s"] = time.monotonic() - self._started_at

    def start_coordinator(self, overlay: Path | None = None) -> Target:
        """(Re)start the Trino coordinator with ``overlay`` applied; the services stay as they are."""
        self.stop_coordinator()
        etc, marks = self._render_trino(overlay)
        first = self._services_pending
        started = self._started_at if first else time.monotonic()
        with (
            self._stopped_on_failure(coordinator_only=True),
            step(f"starting Trino {self._version} ({self.options.run_id})"),
        ):
            trino = self._coordinator(etc)
            self.containers["trino"] = trino
            trino.start()
            # The worker starts beside the first coordinator (the two JVMs boot together) and
            # outlives coordinator restarts: it announces itself to each new coordinator at the
            # alias. Only a change of its etc/ (a variant's worker/ part, and the run after it)
            # restarts it.
            for node in self._stack_nodes():
                running = self.containers.get(node.role)
                changed = self._started_etc.get(node.role) != self._node_etc[node.role]
                if running is None or not running.is_running() or changed:
                    self._start_node(node)
            self._wait_pending_services()
            self._wait_coordinator()
        self._running = (etc, marks)
        self.timings["stack_start_s"] = time.monotonic() - started
        if not first:  # a restart: the services' own start counts once, as it did at first
            self.timings["stack_start_s"] += self.timings.get("services_start_s", 0.0)
        trino_s = trino_startup_seconds(trino)
        if trino_s is not None:
            self.timings["trino_start_s"] = trino_s
        target = self._describe()
        with self._stopped_on_failure(coordinator_only=True):
            self.timings["stack_start_s"] += self._wait_schedulable(target, self._scenario.operator)
        worker_s = trino_startup_seconds(self.containers["worker"])
        if worker_s is not None:
            self.timings["worker_trino_start_s"] = worker_s
        return replace(target, timings=dict(self.timings))

    def hot_plan(self, overlay: Path | None, baseline: bool = False) -> HotPlan | str:
        """How the coordinator would reach ``overlay`` without a restart (from the running one, or
        with ``baseline`` from the baseline's), or why it cannot. Nothing is written."""
        if baseline:
            etc, marks, _ = self._effective(None)
            running = (etc, marks)
            started = {
                role: files for role, (files, _) in self._nodes_etc(etc, None, self._stack_nodes()).items()
            }
        elif self._running is None or "trino" not in self.containers:
            return "no coordinator is running"
        else:
            running, started = self._running, self._started_etc
        wanted, wanted_marks, _ = self._effective(overlay)
        wanted_nodes = self._nodes_etc(wanted, overlay, self._stack_nodes())  # only they restart
        for node in self._stack_nodes():
            if wanted_nodes[node.role][0] != started.get(node.role):
                return f"the {node.role}'s etc/ changes (the {node.role} restarts)"
        return plan_hot_apply(*running, wanted, wanted_marks)

    def apply_coordinator(self, overlay: Path | None = None) -> tuple[Target, str]:
        """Bring the coordinator to ``overlay``: in place when only runtime-reloaded files change
        (each proven in force by its sentinel), otherwise by a restart; returns how it was done."""
        plan = self.hot_plan(overlay)
        if isinstance(plan, str):
            return self.start_coordinator(overlay), f"restart: {plan}"
        etc, marks = self._render_trino(overlay)
        assert self._running is not None
        target = self._describe()
        try:
            apply_and_prove(
                self.containers["trino"], etc, plan, target, self._scenario.operator,
                self._sentinel_password, TRINO_UID,
            )  # fmt: skip
        except Exception as exc:  # not proven in force: a fresh coordinator is certain to hold it
            say(f"hot apply of {plan.describe()} not proven ({exc}): restarting the coordinator")
            return self.start_coordinator(overlay), f"restart: hot apply not proven ({exc})"
        self._running = (etc, marks)
        return replace(target, timings=dict(self.timings)), f"hot: {plan.describe()}"

    def stop_coordinator(self) -> None:
        """Remove the coordinator container (if any), keeping the services."""
        self._running = None
        trino = self.containers.pop("trino", None)
        if trino is not None:
            trino.get_wrapped_container().remove(force=True, v=True)

    def _describe(self) -> Target:
        scenario, materials = self._scenario, self._materials
        passwords = {
            f"{u.credential}:{u.login_name}": materials.user_passwords[u.name]
            for u in scenario.users
            if u.credential != "none"
        }
        trino = self.containers["trino"]
        parts: dict[str, Any] = {}
        for service in services_of(self._run):
            parts |= service.target_part(self.containers[service.role], self._run)
        nodes = self._node_parts()
        if "oidc" in parts:  # the extra coordinator whose Web UI logs in through the provider
            parts["oidc"] = replace(parts["oidc"], web_ui_recipe=nodes.get("web_ui_recipe"))
        coordinator = InternalEndpoint(
            role="coordinator",
            alias=scenario.trino.coordinator_alias,
            host="127.0.0.1",
            port=trino.host_port(HTTPS_PORT),
            plain_http_port=trino.host_port(HTTP_PORT),
        )
        return Target(
            **parts,
            host="127.0.0.1",
            port=trino.host_port(HTTPS_PORT),
            ca_path=str(self._ca_path),
            expected_version=self._version,
            scenario_path=str(self.options.scenario_path),
            passwords=passwords,
            client_certs=self._certs,
            jwt_private_key_path=str(self.options.run_dir / "client" / "jwt-signing-key.pem"),
            jwt_issuer=scenario.jwt.issuer,
            jwt_audience=scenario.jwt.audience,
            request_log=RequestLogSource(container=trino.get_wrapped_container().name, path=REQUEST_LOG),
            probe_default_credentials=True,  # the run's own stack: no lockout policy to trip
            timings=dict(self.timings),
            http_port=trino.host_port(HTTP_PORT),
            config_dir=str(self.options.run_dir / "etc" / "trino"),
            client_ca_key_path=str(self.options.run_dir / "client" / "ca.key"),
            cluster=ClusterTarget(
                workers=nodes.get("workers", ()),
                endpoints=(coordinator, *nodes.get("endpoints", ())),
                rogue=nodes.get("rogue"),
            ),
        )

    def _node_parts(self) -> dict[str, Any]:
        """The nodes' parts of the Target, merged (tuples of several nodes joined)."""
        merged: dict[str, Any] = {}
        for node in self._nodes:
            run = NodeRun(
                scenario=self._scenario,
                containers=self.containers,
                network=self._network.name if self._network else "",
                image=self.options.trino_image or (self._images.trino if self._images else ""),
                run_id=self.options.run_id,
                etc_dir=self.options.run_dir / "etc" / node.role,
            )
            for key, value in node.target_part(run).items():
                merged[key] = merged.get(key, ()) + value if isinstance(value, tuple) else value
        return merged

    @property
    def version(self) -> str:
        """The Trino release this stack runs (known once the services started)."""
        return self._version

    @property
    def _ca_path(self) -> Path:
        return self.options.run_dir / "client" / "ca.pem"

    def _wait_schedulable(self, target: Target, operator: Principal) -> float:
        """Wait until the worker is ACTIVE and Trino schedules a table scan; return the seconds waited.

        A worker that does not join within the scenario's ``cluster.join_timeout_s`` (a variant
        that breaks the shared secret) ends the wait without an error: the cluster checks judge it.

        ``/v1/info`` reports ``starting=false`` before the nodes have registered: for a few seconds
        a scan fails with NO_NODES_AVAILABLE (``SELECT 1`` needs no worker). Any other answer
        ends the wait, a denial included (then the probe proves less).
        """

        def scan_scheduled() -> bool:
            cursor = connect(target, operator).cursor()
            try:
                cursor.execute("SELECT count(*) FROM tpch.tiny.nation")
                cursor.fetchall()
            except TrinoQueryError as exc:
                return exc.error_name != "NO_NODES_AVAILABLE"
            except HttpError:
                return True  # the operator cannot log in: nothing to probe with; the checks will say so
            except TrinoConnectionError as exc:
                if isinstance(exc.__context__, requests.exceptions.SSLError):
                    return True  # a deliberately broken server certificate: the TLS suite judges it
                raise
            return True

        cluster = self._scenario.cluster
        worker = WORKER.alias(self._scenario)
        joined, waited = wait_worker_active(self.containers, target, operator, worker, cluster.join_timeout_s)
        if joined is False:
            self.timings.pop("worker_join_s", None)
            say(
                f"worker {worker} not ACTIVE after {waited:.0f}s: continuing, the cluster checks will say why"
            )
            return waited
        if joined:
            self.timings["worker_join_s"] = waited
        return waited + wait_until(self.containers["trino"], scan_scheduled, "a schedulable table scan", 60)

    @contextmanager
    def _stopped_on_failure(self, coordinator_only: bool = False) -> Iterator[None]:
        """Any failure while starting: keep the logs, remove the stack (or only the coordinator,
        so the services can serve the next configuration), raise StackStartError."""
        try:
            yield
        except StackStartError:
            raise  # an inner step already reported and cleaned up
        except Exception as exc:
            report = self._failure_report()
            if coordinator_only:
                self.stop_coordinator()
            else:
                self.stop()
            raise StackStartError(f"reference stack did not start: {exc}\n{report}") from exc
        except BaseException:  # Ctrl-C or SIGTERM: no logs to read, only the stack to remove, now
            with signals_held():
                self.stop()
            raise

    def _failure_report(self) -> str:
        """Each container's log tail plus its error lines; full logs are kept under the run dir."""
        parts = []
        log_dir = self.options.log_dir or self.options.run_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        for role, container in self.containers.items():
            try:
                text = redact(container.logs_text())
                (log_dir / f"{role}.log").write_text(text)
                errors = error_lines(text)
                parts.append(
                    f"--- {role} log (last {LOG_TAIL_LINES} lines; full log: {log_dir / f'{role}.log'}) ---\n"
                    + tail(text, LOG_TAIL_LINES)
                    + ("\n--- " + role + " error lines ---\n" + "\n".join(errors) if errors else "")
                )
            except Exception as exc:
                parts.append(f"--- {role}: no log ({type(exc).__name__}) ---")
        return redact("\n".join(parts))

    def logs(self, role: str) -> str:
        return redact(self.containers[role].logs_text())

    def stop(self) -> int:
        client = self._client or docker_engine.ensure_engine()
        return remove_run(client, self.options.run_id)
