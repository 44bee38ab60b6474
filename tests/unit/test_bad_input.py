"""Every row of docs/bad-input.md: refused as one usage error (exit 4), one line per problem, before
any container starts (the child pytest's Docker socket is a listener here that counts connections)."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from trino_harness.markers import marker_names, unknown_marker_problem
from trino_harness.render.files import FileSet
from trino_harness.render.overlay import OverlayError, apply_overlay

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


class _NotFound(http.server.BaseHTTPRequestHandler):
    """A Maven repository on 127.0.0.1 that has nothing (HTTP 404 for every artifact)."""

    def do_HEAD(self) -> None:
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def child(tmp_path: Path) -> Iterator[tuple[object, list[int]]]:
    """Run ``pytest suites/`` with the plugin; return (run, docker connections seen)."""
    repo = http.server.HTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=repo.serve_forever, daemon=True).start()
    docker_sock = socket.socket(socket.AF_UNIX)
    docker_sock.bind(str(tmp_path / "docker.sock"))
    docker_sock.listen()
    seen: list[int] = []

    def count() -> None:
        while True:
            try:
                conn, _ = docker_sock.accept()
            except OSError:
                return
            seen.append(1)
            conn.close()

    threading.Thread(target=count, daemon=True).start()
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path / 'docker.sock'}",
           "TRINO_HARNESS_CACHE": str(tmp_path / "cache"),
           "TRINO_HARNESS_MAVEN_REPO": f"http://127.0.0.1:{repo.server_port}"}  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "suites/", "-q", "-p", "no:cacheprovider", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    yield run, seen
    repo.shutdown()
    docker_sock.close()


def _error_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    text = proc.stderr + proc.stdout
    start = text.index("ERROR: ")
    return [line for line in text[start:].splitlines() if line.strip()]


def _refused(child: tuple[object, list[int]], *args: str) -> list[str]:
    run, seen = child
    proc = run(*args)  # type: ignore[operator]
    assert proc.returncode == 4, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert seen == [], "a Docker call happened before the input was refused"
    assert "Traceback" not in proc.stdout + proc.stderr
    return _error_lines(proc)


def test_invalid_scenario_is_one_usage_error_listing_each_problem_once(child, tmp_path):
    text = BASELINE.read_text().replace("trino:\n", "trino:\n  bogus_field: 1\n", 1)
    text = text.replace("\nusers:", "\nuserz:", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    lines = _refused(child, "--scenario", str(bad))
    assert lines[0] == "ERROR: invalid scenario"
    assert (
        f"{bad}: trino.bogus_field: Extra inputs are not permitted; fix: remove it or correct its spelling"
        in lines
    )
    assert f"{bad}: users: Field required; fix: add it" in lines
    assert len(lines) == len(set(lines)), "a problem was reported twice"


def test_unknown_marker_gets_one_line_naming_the_known_stages(child):
    lines = _refused(child, "-m", "authz or smok")
    assert lines == [
        "ERROR: -m 'authz or smok': unknown marker 'smok' "
        "(pyproject.toml [tool.pytest.ini_options] markers); fix: use the known stages: "
        "smoke, tls, authn, authz, audit, secrets, kerberos, oidc, cluster, webui, clients, integration"
    ]


def test_invalid_overlay_is_refused_before_any_container_with_every_problem(child, tmp_path):
    overlay = tmp_path / "overlay"
    (overlay / "worker").mkdir(parents=True)
    (overlay / "overlay.yaml").write_text(
        "propertes: {}\nproperties:\n  confg.properties: {a: 1}\nappend:\n  jvm.conf: x\nremove: [gone.txt]\n"
    )
    (overlay / "extra.properties").write_text("a=1\nfoo bar\n")
    (overlay / "rules.json").write_text('{"rules": [')
    (overlay / "worker" / "overlay.yaml").write_text("a: [\n")
    lines = _refused(child, "--trino-config-overlay", str(overlay))
    m = overlay / "overlay.yaml"
    assert lines == [
        "ERROR: invalid config overlay",
        f"{overlay / 'extra.properties'}: line 2: 'foo bar' is not key=value; fix: write it as key=value",
        f"{overlay / 'rules.json'}: not valid JSON (line 1, column 12: Expecting value); fix: correct it",
        f"{m}: propertes: unknown key; fix: use 'properties', 'json', 'append', 'remove'",
        f"{m}: properties.confg.properties: no such rendered file; fix: name a rendered file "
        "(did you mean 'config.properties'?)",
        f"{m}: append.jvm.conf: no such rendered file; fix: name a rendered file "
        "(did you mean 'jvm.config'?)",
        f"{m}: remove: gone.txt: no such rendered file; fix: name a rendered file "
        "(did you mean 'group.txt'?)",
        f"{overlay / 'worker' / 'overlay.yaml'}: not valid YAML (line 2, column 1: "
        "expected the node content, but found '<stream end>'); fix: correct the YAML syntax",
    ]


def test_unobtainable_trino_version_gets_one_line_naming_the_versions_that_can(child):
    lines = _refused(child, "--trino-version", "475")
    assert len(lines) == 1
    assert lines[0].startswith(
        "ERROR: --trino-version 475: neither trino-server-core nor trino-server 475 is cached"
    )
    assert lines[0].endswith("fix: use one that can be had here: 470, 476")


def test_a_cached_version_needs_no_repository(tmp_path, monkeypatch):
    from trino_harness.images import versions

    monkeypatch.setenv("TRINO_HARNESS_CACHE", str(tmp_path))
    monkeypatch.setenv("TRINO_HARNESS_MAVEN_REPO", "http://127.0.0.1:9")  # nothing listens: cannot ask
    assert versions.version_problem("475") is None  # an unreachable repository cannot refuse
    (tmp_path / "maven" / "476").mkdir(parents=True)
    (tmp_path / "maven" / "476" / "trino-server-core-476.tar.gz").write_bytes(b"")
    assert versions.cached_versions() == ["476"]
    assert versions.version_problem("476") is None


def test_valid_input_still_collects(child):
    run, seen = child
    proc = run("--co", "-m", "oidc and not webui")  # type: ignore[operator]
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert seen == []


def test_marker_expressions_are_parsed_not_split_on_spaces():
    assert marker_names("(authz or audit) and not webui") == ["authz", "audit", "webui"]
    assert unknown_marker_problem("oidc and not webui", ["oidc", "webui"], ["oidc", "webui"]) is None


def test_every_shipped_variant_overlay_is_valid():
    from trino_harness.scenario.loader import load_scenario
    from trino_harness.stack.overlay_check import overlay_problems

    variants = sorted(p for p in (ROOT / "scenarios" / "variants").iterdir() if p.is_dir())
    assert overlay_problems(load_scenario(BASELINE), variants) == {}


def test_the_stack_refuses_an_overlay_the_same_way(tmp_path):
    (tmp_path / "overlay.yaml").write_text("remove: [nope.properties]\n")
    files = FileSet()
    files.add("node.properties", "node.id=x\n")
    with pytest.raises(
        OverlayError, match=r"remove: nope.properties: no such rendered file; fix: .*node.properties"
    ):
        apply_overlay(files, tmp_path)
