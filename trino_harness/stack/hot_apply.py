"""Swap runtime-reloaded files in a running coordinator, and prove the new copy is in force.

What may be swapped, and the sentinel each copy carries, is decided in ``render/reload.py``; this
module writes the files into the container (owned by Trino's uid, with their rendered modes) and
polls a Trino answer that only the new copy gives: the sentinel user's impersonation, the sentinel
user's groups, the sentinel account's login. A copy whose answer does not flip within the timeout
is an error (the caller then restarts the coordinator instead).
"""

from __future__ import annotations

import functools
import io
import tarfile
from collections.abc import Callable

import trino
from trino.auth import BasicAuthentication
from trino.exceptions import HttpError, TrinoQueryError

from trino_harness.clients import connect, http_session
from trino_harness.render.files import FileSet
from trino_harness.render.reload import SENTINEL_USER, HotPlan, Kind, sentinel_name
from trino_harness.scenario.model import Principal
from trino_harness.stack.containers import SeededContainer
from trino_harness.stack.waiting import wait_until
from trino_harness.target import Target

IN_FORCE_TIMEOUT_S = 45.0  # the refresh period is 1 s: bounded well above it, for a slow machine


def files_tar(etc: FileSet, rels: list[str], uid: int) -> bytes:
    """A tar of only ``rels`` (relative to the destination), owned ``uid``:``uid``; no directory entries,
    so extracting it at ``/etc/trino`` changes nothing but those files."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for rel in rels:
            data, mode = etc.files[rel]
            info = tarfile.TarInfo(rel)
            info.size, info.mode, info.uid, info.gid = len(data), mode, uid, uid
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write_files(container: SeededContainer, etc: FileSet, rels: list[str], uid: int) -> None:
    if rels and not container.get_wrapped_container().put_archive("/etc/trino", files_tar(etc, rels, uid)):
        raise OSError(f"could not write {', '.join(rels)} into the {container.role} container")


def _rules_in_force(target: Target, operator: Principal, token: str) -> bool:
    """The operator may impersonate this copy's sentinel user (any other denial comes later)."""
    cursor = connect(target, operator, user=sentinel_name("rules", token)).cursor()
    try:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    except TrinoQueryError as exc:
        if "cannot impersonate user" in (exc.message or ""):
            return False
        return exc.error_name == "PERMISSION_DENIED"
    return True


def _groups_in_force(target: Target, operator: Principal, token: str) -> bool:
    """The sentinel user is in this copy's sentinel group."""
    cursor = connect(target, operator, user=SENTINEL_USER).cursor()
    cursor.execute("SELECT current_groups()")
    rows = cursor.fetchall()
    return sentinel_name("groups", token) in (rows[0][0] if rows else [])


def _passwords_in_force(target: Target, password: str, token: str) -> bool:
    """This copy's sentinel account logs in (HTTP 401 while the file Trino holds lacks it)."""
    cursor = trino.dbapi.connect(
        host=target.host,
        port=target.port,
        http_scheme="https",
        auth=BasicAuthentication(sentinel_name("passwords", token), password),
        http_session=http_session(target),
        request_timeout=30,
    ).cursor()
    try:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    except HttpError as exc:
        if "401" in str(exc):
            return False
        raise
    except TrinoQueryError as exc:
        return exc.error_name == "PERMISSION_DENIED"  # logged in; the rules refused the query
    return True


def probe(kind: Kind, target: Target, operator: Principal, sentinel_password: str) -> Callable[[str], bool]:
    """The predicate that is true once the copy with ``token`` is the one Trino holds."""
    if kind == "rules":
        return lambda token: _rules_in_force(target, operator, token)
    if kind == "groups":
        return lambda token: _groups_in_force(target, operator, token)
    return lambda token: _passwords_in_force(target, sentinel_password, token)


def apply_and_prove(
    container: SeededContainer,
    etc: FileSet,
    plan: HotPlan,
    target: Target,
    operator: Principal,
    sentinel_password: str,
    uid: int,
    timeout_s: float = IN_FORCE_TIMEOUT_S,
) -> float:
    """Write the plan's files, then wait until each one's sentinel answers; return the seconds waited."""
    write_files(container, etc, sorted(plan.files), uid)
    waited = 0.0
    for rel, (kind, token) in sorted(plan.files.items()):
        in_force = probe(kind, target, operator, sentinel_password)
        what = f"{rel} in force (sentinel {sentinel_name(kind, token)})"
        waited += wait_until(container, functools.partial(in_force, token), what, timeout_s)
    return waited
