"""Getting a client: from its own registry with the machine's own tools, cached between runs.

Everything lands under ``~/.cache/trino-harness/clients``, keyed by client, version and (for
programs the harness builds) the hash of the program's source, so a second run starts at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

from trino_harness.cache import cache_dir

PROGRAMS = Path(__file__).parent / "programs"
BUILD_TIMEOUT_S = 600


class ClientUnavailable(RuntimeError):
    """The client (or the toolchain it needs) cannot be had here; the message says why."""


def clients_cache() -> Path:
    path = cache_dir() / "clients"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ClientUnavailable(f"`{name}` is not installed (Debian {package}; ./harness installs it)")
    return found


def _run(argv: list[str], what: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    try:
        proc = subprocess.run(
            argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise ClientUnavailable(f"{what}: no result in {BUILD_TIMEOUT_S}s") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-6:])
        raise ClientUnavailable(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def source_hash(*files: Path) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def maven_jar(artifact: str) -> Path:
    """``group:artifact:version[:classifier]`` from Maven Central through ``mvn``, cached."""
    from trino_harness.images.artifacts import ArtifactMissing, mvn_copy

    _tool("java", "default-jre-headless")
    group, name, version, *classifier = artifact.split(":")
    coordinates = f"{group}:{name}:{version}:jar" + (f":{classifier[0]}" if classifier else "")
    dest = clients_cache() / "maven"
    dest.mkdir(parents=True, exist_ok=True)
    with FileLock(str(dest / ".lock")):
        try:
            return mvn_copy(coordinates, dest)
        except ArtifactMissing as exc:
            raise ClientUnavailable(str(exc)) from None


def javac_classes(source: Path) -> Path:
    """``source`` compiled with the machine's JDK into a cached class directory."""
    javac = _tool("javac", "default-jdk-headless")
    out = clients_cache() / f"java-{source.stem}-{source_hash(source)}"
    with FileLock(str(out) + ".lock"):
        if not (out / ".built").exists():
            out.mkdir(exist_ok=True)
            _run([javac, "--release", "11", "-d", str(out), str(source)], f"javac {source.name}")
            (out / ".built").touch()
    return out


def go_program(source: Path, module: str, version: str) -> Path:
    """``source`` (package main) built against ``module@version`` with the machine's Go, cached."""
    go = _tool("go", "golang-go")
    out = clients_cache() / f"go-{source.stem}-{version}-{source_hash(source)}"
    binary = out / source.stem
    with FileLock(str(out) + ".lock"):
        if not binary.exists():
            out.mkdir(exist_ok=True)
            shutil.copy(source, out / "main.go")
            (out / "go.mod").write_text(f"module harnessclient\n\ngo 1.21\n\nrequire {module} {version}\n")
            # GOTOOLCHAIN=local: a version that needs a newer Go fails here instead of downloading one.
            env = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"}
            _run([go, "mod", "tidy"], f"go mod tidy ({module} {version})", cwd=out, env=env)
            _run([go, "build", "-o", str(binary), "."], f"go build ({module} {version})", cwd=out, env=env)
    return binary


def python_venv(package: str, version: str) -> Path:
    """A virtualenv of its own holding ``package==version`` from PyPI; returns its python."""
    out = clients_cache() / f"venv-{package}-{version}"
    python = out / "bin" / "python"
    with FileLock(str(out) + ".lock"):
        if not (out / ".installed").exists():
            shutil.rmtree(out, ignore_errors=True)
            _run([sys.executable, "-m", "venv", str(out)], f"python -m venv for {package}")
            _run(
                [str(python), "-m", "pip", "install", "-q", f"{package}=={version}"],
                f"pip install {package}=={version}",
            )
            (out / ".installed").touch()
    return python


def tool_version(argv: list[str]) -> str:
    """A toolchain's own version line (``go version``, ``java -version``), for the evidence."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (proc.stdout + proc.stderr).strip().splitlines()[0] if (proc.stdout + proc.stderr).strip() else ""
