"""Where each configured event listener sends query events, and whether that leg is encrypted.

Query events carry the full query text, the user and the client's address: a listener that posts
them over plain HTTP leaks exactly what the audit trail is meant to protect. Read from the
coordinator's effective config (``event-listener.config-files``, else etc/event-listener.properties).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trino_harness.config_lint import _local, _read
from trino_harness.data_sources import _jdbc
from trino_harness.render.overlay import parse_properties


@dataclass(frozen=True)
class ListenerTarget:
    file: str
    name: str  # event-listener.name
    key: str  # the property that names where events go
    value: str
    problem: str | None  # None: encrypted (and verified where the property can say so)


def _http_like(file: str, name: str, key: str, props: dict[str, str]) -> ListenerTarget:
    value = props.get(key, "")
    ok = value.lower().startswith("https://")
    return ListenerTarget(
        file, name, key, value, None if ok else "is not https://: events travel in cleartext"
    )


def _target(file: str, props: dict[str, str]) -> ListenerTarget:
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
        key = "kafka-event-listener.client-config-overrides"
        overrides = props.get(key, "")
        ok = "security.protocol=SSL" in overrides or "security.protocol=SASL_SSL" in overrides
        return ListenerTarget(
            file, name, key, "(client overrides)", None if ok else "has no security.protocol=SSL: cleartext"
        )
    return ListenerTarget(file, name, "event-listener.name", name, "unknown listener: cannot judge")


def event_listener_targets(config_dir: str | Path) -> list[ListenerTarget]:
    root = Path(config_dir)
    config = parse_properties(_read(root, root / "config.properties", "the coordinator"))
    listed = [p for p in config.get("event-listener.config-files", "").split(",") if p.strip()]
    paths = [_local(root, p) for p in listed]
    if not listed and (root / "event-listener.properties").is_file():
        paths = [root / "event-listener.properties"]
    return [
        _target(
            str(path.relative_to(root)), parse_properties(_read(root, path, "event-listener.config-files"))
        )
        for path in paths
    ]
