"""The Debian base image every harness image builds on.

No registry is reachable, so the base is made locally: ``debootstrap`` a minimal trixie
root file system and ``docker import`` it. Trixie is chosen because its
``openjdk-25-jre-headless`` carries the ``jdk.incubator.vector`` module Trino 479+ needs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import docker
from docker.errors import ImageNotFound

from trino_harness.progress import say, step

BASE_IMAGE = "trino-harness/debian-base:trixie"
SUITE = "trixie"


def _mirror() -> str:
    return os.environ.get("TRINO_HARNESS_DEBIAN_MIRROR", "http://deb.debian.org/debian")


def _ensure_debootstrap() -> None:
    if shutil.which("debootstrap"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError(
            f"The base image {BASE_IMAGE} is missing and cannot be made: debootstrap is not installed "
            "and this is not a root shell with apt-get. Install debootstrap or import a Debian trixie "
            f"root file system as {BASE_IMAGE}."
        )
    say("installing debootstrap from Debian")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "debootstrap"], check=True, env=env)


def ensure_base_image(client: docker.DockerClient) -> str:
    """Return the base image id, creating the image on first use."""
    try:
        return str(client.images.get(BASE_IMAGE).id)
    except ImageNotFound:
        pass
    _ensure_debootstrap()
    with (
        tempfile.TemporaryDirectory(prefix="trino-harness-rootfs-") as tmp,
        step(f"making base image {BASE_IMAGE} with debootstrap ({SUITE}, {_mirror()})"),
    ):
        rootfs = os.path.join(tmp, "rootfs")
        proc = subprocess.Popen(
            ["debootstrap", "--variant=minbase", "--include=ca-certificates", SUITE, rootfs, _mirror()],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(
                (
                    "I: Retrieving Release",
                    "I: Validating Packages",
                    "I: Extracting base",
                    "I: Installing core",
                    "I: Base",
                )
            ):
                say(f"  debootstrap: {line.strip()}")
        if proc.wait() != 0:
            raise RuntimeError(f"debootstrap {SUITE} failed (exit {proc.returncode})")
        tar = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            ["docker", "import", "-c", "ENV DEBIAN_FRONTEND=noninteractive", "-", BASE_IMAGE],
            stdin=tar.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if tar.wait() != 0:
            raise RuntimeError("packing the debootstrap root file system failed")
    return str(client.images.get(BASE_IMAGE).id)
