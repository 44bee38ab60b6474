"""Where load runs get their Target: a fresh reference stack per configuration, or a given cluster.

The LDAP authenticator's cache cannot be switched off for one user class only: Trino keys it
by (user, password) for the whole authenticator, and a second LDAP authenticator in the chain
would charge a failed bind to whichever class reaches it second. So "LDAP without cache" runs
on its own stack, started after the first one is gone (one stack of ours at a time), rendered
from the same scenario with only ``ldap.cache-ttl=0s`` changed, and compared with the baseline
measured on that same stack.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from trino_harness.interrupts import signals_held
from trino_harness.load.ways import LDAP_NO_CACHE, REFERENCE
from trino_harness.progress import say
from trino_harness.render.overlay import MANIFEST
from trino_harness.target import Target

# Property edits that turn the reference configuration into each other stack configuration.
STACK_EDITS: dict[str, dict[str, dict[str, str]]] = {
    REFERENCE: {},
    LDAP_NO_CACHE: {"password-ldap.properties": {"ldap.cache-ttl": "0s"}},
}


class TargetSource(Protocol):
    """Hands out a running Target for a stack configuration, and cleans up after it."""

    def supports(self, stack: str) -> bool: ...

    def open(self, stack: str) -> contextlib.AbstractContextManager[Target]: ...


@dataclass
class GivenTarget:
    """An already running cluster (a remote profile, later): only its own configuration exists."""

    target: Target

    def supports(self, stack: str) -> bool:
        return stack == REFERENCE

    @contextlib.contextmanager
    def open(self, stack: str) -> Iterator[Target]:
        yield self.target


def write_overlay(directory: Path, stack: str, user_overlay: Path | None) -> Path | None:
    """An overlay for ``stack``: the user's overlay files plus this stack's property edits."""
    edits = STACK_EDITS[stack]
    if not edits:
        return user_overlay
    if user_overlay:
        shutil.copytree(user_overlay, directory, dirs_exist_ok=True)
    else:
        directory.mkdir(parents=True, exist_ok=True)
    manifest_path = directory / MANIFEST
    manifest = yaml.safe_load(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest = manifest or {}
    properties = manifest.setdefault("properties", {})
    for rel, values in edits.items():
        properties.setdefault(rel, {}).update(values)
    manifest_path.write_text(yaml.safe_dump(manifest, sort_keys=True))
    return directory


@dataclass
class ReferenceStacks:
    """Fresh reference stacks from the scenario, one at a time, removed however the block ends."""

    scenario_path: Path
    work_dir: Path  # private (0700): rendered config, client material
    log_dir: Path
    trino_version: str | None = None
    trino_image: str | None = None
    user_overlay: Path | None = None

    def supports(self, stack: str) -> bool:
        return stack in STACK_EDITS

    @contextlib.contextmanager
    def open(self, stack: str) -> Iterator[Target]:
        from trino_harness.stack.reference import ReferenceStack, StackOptions

        run_id = f"load{uuid.uuid4().hex[:8]}"
        overlay = write_overlay(self.work_dir / f"overlay-{stack}", stack, self.user_overlay)
        reference = ReferenceStack(
            StackOptions(
                run_id=run_id,
                run_dir=self.work_dir / f"stack-{stack}",
                scenario_path=self.scenario_path,
                trino_version=self.trino_version,
                trino_image=self.trino_image,
                overlay=overlay,
                log_dir=self.log_dir / run_id,
            )
        )
        try:
            yield reference.start()
        finally:
            with signals_held():
                removed = reference.stop()
            say(f"stack {run_id} ({stack}) removed ({removed} containers/networks)")
