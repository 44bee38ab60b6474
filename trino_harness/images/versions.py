"""Refuse a ``--trino-version`` whose server artifacts cannot be had, before anything starts.

A version can be had when its server tarball (``trino-server-core`` or the full ``trino-server``,
see ``artifacts.py``) is in the download cache, or the Maven repository answers a HEAD request for
it (no download). Only a definite "not there" (HTTP 404/410 for both) refuses the version: an
unreachable repository cannot judge, so a run whose images are already built never needs the
network for this check.
"""

from __future__ import annotations

import os

import httpx

from trino_harness.cache import cache_dir
from trino_harness.images.artifacts import GROUP

MAVEN_REPO = "https://repo.maven.apache.org/maven2"
REPO_ENV = "TRINO_HARNESS_MAVEN_REPO"  # another repository (a mirror), same layout
# Measured on this machine's Maven Central mirror (README "Trino versions"): the full trino-server
# tarball is served for these, trino-server-core only for 476.
SERVED_HERE = ("470", "476")
SERVER_ARTIFACTS = ("trino-server-core", "trino-server")


def _cached(version: str) -> bool:
    folder = cache_dir() / "maven" / version
    return any((folder / f"{a}-{version}.tar.gz").is_file() for a in SERVER_ARTIFACTS)


def cached_versions() -> list[str]:
    root = cache_dir() / "maven"
    found = [p.name for p in root.iterdir() if p.is_dir() and _cached(p.name)] if root.is_dir() else []
    return sorted(found, key=lambda v: (len(v), v))


def _repository_has(version: str) -> bool | None:
    """True/False as the repository says; None when it cannot be asked (offline, other answers)."""
    repo = os.environ.get(REPO_ENV, MAVEN_REPO).rstrip("/")
    group = GROUP.replace(".", "/")
    missing = 0
    for artifact in SERVER_ARTIFACTS:
        url = f"{repo}/{group}/{artifact}/{version}/{artifact}-{version}.tar.gz"
        try:
            status = httpx.head(url, timeout=5, follow_redirects=True).status_code
        except httpx.HTTPError:
            return None
        if status == 200:
            return True
        missing += status in (404, 410)
    return False if missing == len(SERVER_ARTIFACTS) else None


def version_problem(version: str, option: str = "--trino-version") -> str | None:
    """One line naming the option, the problem and the versions that can be had; None if it can."""
    if _cached(version) or _repository_has(version) is not False:
        return None
    can = sorted({*SERVED_HERE, *cached_versions()}, key=lambda v: (len(v), v))
    repo = os.environ.get(REPO_ENV, MAVEN_REPO)
    return (
        f"{option} {version}: neither trino-server-core nor trino-server {version} is cached or on {repo}; "
        f"fix: use one that can be had here: {', '.join(can)}"
    )
