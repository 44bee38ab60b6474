"""Where each configured event listener sends query events, and whether that leg is encrypted.

Query events carry the full query text, the user and the client's address: a listener that posts
them over plain HTTP leaks exactly what the audit trail is meant to protect. Read from the
coordinator's effective config (``event-listener.config-files``, else etc/event-listener.properties),
inside the config copy only; a value is shown without user info or parameter values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trino_harness.config_lint import coordinator_config, local_path, read_properties
from trino_harness.config_values import shown_url
from trino_harness.data_sources import _jdbc


@dataclass(frozen=True)
class ListenerTarget:
    file: str
    name: str  # event-listener.name
    key: str  # the property that names where events go
    value: str  # as a report may show it (no secret)
    problem: str | None  # None: encrypted (and verified where the property can say so)


def _http_like(file: str, name: str, key: str, props: dict[str, str]) -> ListenerTarget:
    value = props.get(key, "")
    ok = value.lower().startswith("https://")
    return ListenerTarget(
        file, name, key, shown_url(value), None if ok else "is not https://: events travel in cleartext"
    )


def _kafka_client(root: Path, props: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The Kafka producer's settings as the listener builds them, and where they came from.

    Trino starts from ``kafka-event-listener.security-protocol`` (newer releases); with
    ``kafka.security-protocol=SSL`` it uses its SSL producer (``security.protocol=SSL``, the host
    name check from ``kafka.ssl.endpoint-identification-algorithm``); then every file named by
    ``kafka-event-listener.config.resources`` (Trino 476 on) and, before 476, the
    ``client-config-overrides`` list, each overriding what came before."""
    client: dict[str, str] = {}
    sources = []
    if "kafka-event-listener.security-protocol" in props:
        client["security.protocol"] = props["kafka-event-listener.security-protocol"]
        sources.append("kafka-event-listener.security-protocol")
    if props.get("kafka.security-protocol", "PLAINTEXT").upper() == "SSL":
        client["security.protocol"] = "SSL"
        algorithm = props.get("kafka.ssl.endpoint-identification-algorithm", "https").lower()
        client["ssl.endpoint.identification.algorithm"] = "" if algorithm == "disabled" else algorithm
        sources.append("kafka.security-protocol")
    resources = props.get("kafka-event-listener.config.resources", "")
    for named in filter(str.strip, resources.split(",")):
        key = f"kafka-event-listener.config.resources ({named.strip()})"
        path = local_path(root, named, key)
        client.update(read_properties(root, path, key))
        sources.append(path.relative_to(root).as_posix())
    overrides = props.get("kafka-event-listener.client-config-overrides", "")
    for pair in filter(str.strip, overrides.split(",")):
        key, _, value = pair.partition("=")
        client[key.strip()] = value.strip()
    if overrides.strip():
        sources.append("kafka-event-listener.client-config-overrides")
    return ", ".join(sources) or "(no client settings: Kafka's defaults)", client


def _kafka(root: Path, file: str, name: str, props: dict[str, str]) -> ListenerTarget:
    """Kafka: the producer's security.protocol (PLAINTEXT unless set) and its host name check."""
    source, client = _kafka_client(root, props)
    protocol = client.get("security.protocol", "PLAINTEXT").strip().upper()
    algorithm = client.get("ssl.endpoint.identification.algorithm", "https").strip()
    if protocol not in ("SSL", "SASL_SSL"):
        problem: str | None = f"has security.protocol={protocol}: events travel in cleartext"
    elif algorithm.lower() != "https":
        problem = (
            f"has ssl.endpoint.identification.algorithm={algorithm or '(empty)'}: broker names not verified"
        )
    else:
        problem = None
    return ListenerTarget(file, name, "Kafka client settings", source, problem)


def _target(root: Path, file: str, props: dict[str, str]) -> ListenerTarget:
    name = props.get("event-listener.name", "?")
    if name == "http":
        return _http_like(file, name, "http-event-listener.connect-ingest-uri", props)
    if name == "openlineage":
        return _http_like(file, name, "openlineage-event-listener.transport.url", props)
    if name == "mysql":
        key = "mysql-event-listener.db.url"
        findings = _jdbc(file, key, props.get(key, ""))
        return ListenerTarget(file, name, key, "(JDBC URL)", "; ".join(f.problem for f in findings) or None)
    if name == "kafka":
        return _kafka(root, file, name, props)
    return ListenerTarget(file, name, "event-listener.name", name, "unknown listener: cannot judge")


def event_listener_files(config_dir: str | Path) -> list[str]:
    """The listener files the coordinator loads, relative to the copy (what the check read)."""
    root = Path(config_dir)
    config = coordinator_config(root)
    listed = [p for p in config.get("event-listener.config-files", "").split(",") if p.strip()]
    paths = [local_path(root, p, "event-listener.config-files") for p in listed]
    if not listed and (root / "event-listener.properties").is_file():
        paths = [root / "event-listener.properties"]
    return [path.relative_to(root).as_posix() for path in paths]


def event_listener_targets(config_dir: str | Path) -> list[ListenerTarget]:
    """Each listener's target; a file the config names but the copy lacks (or cannot hold), a
    Kafka client file included, raises ``IncompleteConfigCopy`` (cannot judge)."""
    root = Path(config_dir)
    return [
        _target(root, rel, read_properties(root, root / rel, "event-listener.config-files"))
        for rel in event_listener_files(root)
    ]
