"""Render a second coordinator whose Web UI logs in through OAuth2, from the coordinator's etc/.

The reference coordinator keeps ``web-ui.authentication.type=form`` (the ``webui`` suite judges
the LDAP form login); the UI's own OAuth2 login is judged on one extra coordinator started for
that check. Its etc/ is the coordinator's *effective* one (rendered, then the run's overlay, so a
user's overlay is judged here too) with only what the UI switch and a separate node need:

- ``web-ui.authentication.type=oauth2`` (``web-ui.user`` dropped: Trino refuses unused properties);
- its own node: alias, node id, internal address, ``discovery.uri`` pointing at itself, a server
  certificate naming its alias, and a ``node.environment`` of its own, so neither the cluster's
  worker (which discovers ``https://<coordinator alias>:8443``) nor the coordinator ever mixes
  with it;
- no catalog whose file reads a secret from the environment (the UI login needs no catalog, and
  the check then holds no catalog password).

A variant changes it with a ``web-ui-oauth2/`` subdirectory of the same overlay form, applied last.
"""

from __future__ import annotations

import re

from trino_harness.render.files import SECRET_MODE, FileSet, properties
from trino_harness.render.overlay import parse_properties
from trino_harness.render.trino_etc import HTTPS_PORT
from trino_harness.render.worker_etc import WorkerNode

UI_OAUTH2_ALIAS = "trino-ui-oauth2"
ENVIRONMENT_SUFFIX = "_ui_oauth2"
ENV_REFERENCE = re.compile(r"\$\{ENV:([A-Za-z_][A-Za-z0-9_]*)\}")


def env_references(etc: FileSet) -> set[str]:
    """Every ``${ENV:NAME}`` the files read: the container must be given each."""
    names: set[str] = set()
    for data, _ in etc.files.values():
        names.update(ENV_REFERENCE.findall(data.decode(errors="replace")))
    return names


def render_web_ui_oauth2_etc(coordinator_etc: FileSet, node: WorkerNode, ca_pem: bytes) -> FileSet:
    """The extra coordinator's etc/ from the coordinator's effective one (its own overlay part,
    ``web-ui-oauth2/``, is applied by its node, ``stack/web_ui_oauth2.py``)."""
    etc = FileSet(
        {
            rel: entry
            for rel, entry in coordinator_etc.files.items()
            if not (rel.startswith("catalog/") and ENV_REFERENCE.search(entry[0].decode(errors="replace")))
        }
    )
    etc.add("tls/server.pem", node.tls.key_pem + node.tls.cert_pem + ca_pem, SECRET_MODE)

    node_props: dict[str, str | int | bool] = dict(parse_properties(etc.text("node.properties")))
    environment = str(node_props.get("node.environment", "harness"))
    node_props |= {
        "node.environment": environment + ENVIRONMENT_SUFFIX,
        "node.id": node.alias,
        "node.internal-address": node.alias,
    }
    etc.add("node.properties", properties(node_props), etc.files["node.properties"][1])

    config: dict[str, str | int | bool] = dict(parse_properties(etc.text("config.properties")))
    config.pop("web-ui.user", None)
    config |= {
        "web-ui.authentication.type": "oauth2",
        "discovery.uri": f"https://{node.alias}:{HTTPS_PORT}",
    }
    etc.add("config.properties", properties(config), etc.files["config.properties"][1])
    return etc
