"""Trino server and plugin artifacts from Maven Central, through Maven itself.

The minimal ``trino-server-core`` tarball plus one zip per needed plugin is preferred.
Where a version lacks the core tarball or a plugin zip on the reachable repository, the
plugin directory is taken from the full ``trino-server`` tarball of the same version, so the
image still holds only what the harness needs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

from trino_harness.cache import cache_dir
from trino_harness.progress import say

GROUP = "io.trino"
# Plugins the reference stack uses: authenticators and group providers, the HTTP event
# listener (audit path) and the connectors the suites query.
REQUIRED_PLUGINS: tuple[str, ...] = (
    "password-authenticators",
    "http-event-listener",
    "tpch",
    "memory",
    "postgresql",
    "geospatial",  # the postgresql connector needs its Geometry type
    "ldap-group-provider",  # group-provider.name=ldap (the ldap-group-* variants)
)
# Plugins newer than some release the harness still runs: an image of an older release goes without
# them (the LDAP group provider arrived in 473), so `compare --trino-version 470` can start at all;
# a config that names one there fails Trino's start, which says which provider it lacks.
SINCE: dict[str, int] = {"ldap-group-provider": 473}


def plugins_for(version: str) -> tuple[str, ...]:
    """The plugins the image of Trino ``version`` carries: every required one the release has."""
    release = int(version) if version.isdigit() else 10**6
    return tuple(p for p in REQUIRED_PLUGINS if release >= SINCE.get(p, 0))


class ArtifactMissing(RuntimeError):
    """Maven could not resolve an artifact."""


def mvn_copy(artifact: str, dest: Path) -> Path:
    """Resolve ``artifact`` (g:a:v:type[:classifier]) into ``dest`` with ``mvn dependency:copy``."""
    if shutil.which("mvn") is None:
        raise ArtifactMissing("Maven (`mvn`) is needed to fetch Trino artifacts from Maven Central")
    dest.mkdir(parents=True, exist_ok=True)
    _, artifact_id, version, kind, *classifier = artifact.split(":")
    target = dest / f"{artifact_id}-{version}{''.join('-' + c for c in classifier)}.{kind}"
    if target.exists():
        return target
    proc = subprocess.Popen(
        [
            "mvn",
            "-B",
            "dependency:copy",
            f"-Dartifact={artifact}",
            f"-DoutputDirectory={dest}",
            "-Dmdep.useBaseVersion=true",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    say(f"maven: {artifact} ...")  # one line now, one when done: Maven's own are one per file
    started = time.monotonic()
    tail: list[str] = []
    files, kilobytes = 0, 0.0
    for line in proc.stdout:
        tail = [*tail[-20:], line.rstrip()]
        files, kilobytes = _count_download(line, files, kilobytes)
    if proc.wait() != 0 or not target.exists():
        raise ArtifactMissing(f"{artifact} could not be resolved:\n" + "\n".join(tail[-5:]))
    seconds = time.monotonic() - started
    say(f"maven: {artifact}: {files} files downloaded ({kilobytes / 1024:.1f} MB), {seconds:.1f}s")
    return target


_DOWNLOADED = re.compile(r"Downloaded from .*\((\d+(?:\.\d+)?) ([kKM]?B)")


def _count_download(line: str, files: int, kilobytes: float) -> tuple[int, float]:
    """Add a Maven ``Downloaded from ... (12 kB at ...)`` line to the running count."""
    match = _DOWNLOADED.search(line)
    if not match:
        return files, kilobytes
    size, unit = float(match.group(1)), match.group(2).upper()
    return files + 1, kilobytes + {"B": size / 1024, "KB": size, "MB": size * 1024}[unit]


def _strip_first(name: str) -> str:
    return name.split("/", 1)[1] if "/" in name else ""


def _unpacked(tarball: Path) -> Path:
    """Unpack ``tarball`` once beside itself with the system ``tar`` and return its top directory.

    A whole unpack is needed: plugin directories hard-link jars that live in other plugins.
    """
    top = tarball.parent / tarball.name.removesuffix(".tar.gz")
    marker = top / ".unpacked"
    if not marker.exists():
        shutil.rmtree(top, ignore_errors=True)
        say(f"unpacking {tarball.name}")
        subprocess.run(["tar", "-xzf", str(tarball), "-C", str(tarball.parent)], check=True)
        marker.touch()
    return top


def _copy_parts(tarball: Path, dest: Path, wanted: tuple[str, ...]) -> set[str]:
    """Copy the ``wanted`` relative paths that exist in the unpacked ``tarball`` into ``dest``."""
    top = _unpacked(tarball)
    found: set[str] = set()
    for rel in wanted:
        source = top / rel
        if source.is_dir():
            shutil.copytree(source, dest / rel, symlinks=True)
            found.add(rel)
    return found


def _extract_plugin_zip(archive: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            rel = _strip_first(info.filename)
            if not rel or info.is_dir():
                continue
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(dest / rel, "wb") as out:
                shutil.copyfileobj(src, out)


def assemble_server(version: str, dest: Path, plugins: tuple[str, ...] | None = None) -> None:
    """Lay out ``dest`` as ``/usr/lib/trino``: ``bin/``, ``lib/`` and ``plugin/<name>`` for ``plugins``."""
    plugins = plugins_for(version) if plugins is None else plugins
    repo = cache_dir() / "maven" / version
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    plugin_paths = tuple(f"plugin/{p}" for p in plugins)
    full: Path | None = None
    try:
        core = mvn_copy(f"{GROUP}:trino-server-core:{version}:tar.gz", repo)
        found = _copy_parts(core, dest, ("bin", "lib", *plugin_paths))
    except ArtifactMissing:
        say(f"trino-server-core {version} is not available; using the full trino-server tarball")
        full = mvn_copy(f"{GROUP}:trino-server:{version}:tar.gz", repo)
        found = _copy_parts(full, dest, ("bin", "lib", *plugin_paths))
    from_full: list[str] = []
    for plugin in plugins:
        if f"plugin/{plugin}" in found:
            continue
        try:
            archive = mvn_copy(f"{GROUP}:trino-{plugin}:{version}:zip", repo)
            _extract_plugin_zip(archive, dest / "plugin" / plugin)
        except ArtifactMissing:
            from_full.append(plugin)
    if from_full:
        say(f"plugin zips not available for {', '.join(from_full)}; taking them from the full tarball")
        full = full or mvn_copy(f"{GROUP}:trino-server:{version}:tar.gz", repo)
        got = _copy_parts(full, dest, tuple(f"plugin/{p}" for p in from_full))
        lacking = [p for p in from_full if f"plugin/{p}" not in got]
        if lacking:
            raise ArtifactMissing(f"Trino {version} has no plugin(s) {', '.join(lacking)}")


KEYCLOAK_GROUP = "org.keycloak"
# The newest Keycloak on the reachable Maven mirror (26.3.5, 26.0.7 and 25.0.6 are there too).
KEYCLOAK_VERSION = "26.4.5"


def assemble_keycloak(dest: Path, version: str = KEYCLOAK_VERSION) -> None:
    """Lay out ``dest`` as ``/opt/keycloak`` from the ``keycloak-quarkus-dist`` zip, keeping file modes."""
    archive = mvn_copy(
        f"{KEYCLOAK_GROUP}:keycloak-quarkus-dist:{version}:zip", cache_dir() / "maven" / "keycloak"
    )
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            rel = _strip_first(info.filename)
            if not rel or info.is_dir():
                continue
            out_path = dest / rel
            out_path.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(out_path, "wb") as out:
                shutil.copyfileobj(src, out)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                out_path.chmod(mode)
