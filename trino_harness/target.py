"""What the checks talk to: a coordinator endpoint, identities to present, and an audit source.

The ephemeral reference stack produces one; a remote profile will produce another. Checks
only ever see this, never containers. It is serialised (0600) so pytest-xdist workers attach
to the stack the first worker started.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from trino_harness.redaction import register_secret


@dataclass(frozen=True)
class ClientCert:
    cert_path: str
    key_path: str


@dataclass(frozen=True)
class AuditDatabase:
    host: str
    port: int
    dbname: str
    user: str
    password: str
    sslrootcert: str
    flavour: str = "harness"  # the harness's own trino_query_events table


@dataclass(frozen=True)
class RequestLogSource:
    """Where the coordinator's HTTP request log is: a file inside a container the harness may exec in."""

    container: str
    path: str


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    ca_path: str
    expected_version: str
    scenario_path: str
    passwords: dict[str, str] = field(default_factory=dict)  # "file:alice@harness.test" -> password
    client_certs: dict[str, ClientCert] = field(default_factory=dict)  # subject -> files
    jwt_private_key_path: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    audit: AuditDatabase | None = None
    request_log: RequestLogSource | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # Plain-HTTP port to probe (None: not declared). The reference stack publishes it even when
    # disabled, so a check can show that nothing answers there.
    http_port: int | None = None
    # A copy of the coordinator's effective etc/ (rendered config + overlay), for static lints.
    config_dir: str | None = None
    # The key of the CA that issues client certificates, to make broken ones (expired, ...).
    client_ca_key_path: str | None = None

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    def password(self, provider: str, login: str) -> str:
        return self.passwords[f"{provider}:{login}"]

    def save(self, path: Path) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(asdict(self), fh)

    @classmethod
    def load(cls, path: Path) -> Target:
        data = json.loads(path.read_text())
        for value in data["passwords"].values():
            register_secret(value)
        data["client_certs"] = {k: ClientCert(**v) for k, v in data["client_certs"].items()}
        if data.get("audit"):
            register_secret(data["audit"]["password"])
            data["audit"] = AuditDatabase(**data["audit"])
        if data.get("request_log"):
            data["request_log"] = RequestLogSource(**data["request_log"])
        return cls(**data)
