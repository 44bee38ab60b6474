"""Apply a user's config overlay to the rendered etc/: replace or add files, edit properties, remove files.

An overlay directory holds files that replace or add to ``/etc/trino`` as they are, plus an
optional ``overlay.yaml`` manifest for the small edits a misconfiguration usually is::

    properties:              # per properties file: key -> value (null removes the key)
      config.properties: {http-server.http.enabled: true}
    append:                  # text added to the end of a rendered file (e.g. a jvm.config flag)
      jvm.config: "-Djava.security.properties=/etc/trino/legacy.security\n"
    remove: [group-provider.properties]

``variant.yaml`` and ``*.md`` files describe a variant and are not copied; a ``worker/``
subdirectory is an overlay of the same form for the worker's etc/ (the stack applies it there), and
a ``web-ui-oauth2/`` one for the extra coordinator whose Web UI logs in through OAuth2
(``render/web_ui_oauth2.py``).

Editing a few properties keeps a variant valid when the harness renders per-run values (ports,
secrets, certificates) into the same file.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from trino_harness.render.files import PUBLIC_MODE, FileSet, properties

MANIFEST = "overlay.yaml"
NOT_COPIED = {MANIFEST, "variant.yaml"}
WORKER_OVERLAY = "worker"  # a subdirectory overlaying the worker's etc/ (see render/worker_etc.py)
# A subdirectory overlaying the extra coordinator of the Web UI OAuth2 check (render/web_ui_oauth2.py).
WEB_UI_OAUTH2_OVERLAY = "web-ui-oauth2"
SUB_OVERLAYS = (WORKER_OVERLAY, WEB_UI_OAUTH2_OVERLAY)


class OverlayError(ValueError):
    pass


def parse_properties(text: str) -> dict[str, str]:
    """Simple ``key=value`` properties as the harness renders them (no continuation lines)."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!")):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _apply_manifest(files: FileSet, manifest: Path) -> list[str]:
    data = yaml.safe_load(manifest.read_text()) or {}
    unknown = set(data) - {"properties", "append", "remove"}
    if unknown:
        raise OverlayError(
            f"{manifest}: unknown key(s) {sorted(unknown)}; use 'properties', 'append' and 'remove'"
        )
    applied = []
    for rel, edits in (data.get("properties") or {}).items():
        if rel not in files.files:
            raise OverlayError(f"{manifest}: properties.{rel}: no such rendered file")
        values: dict[str, str | int | bool] = dict(parse_properties(files.text(rel)))
        for key, value in (edits or {}).items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        files.add(rel, properties(values), files.files[rel][1])
        applied.append(f"{rel} (edited: {', '.join(edits or {})})")
    for rel, text in (data.get("append") or {}).items():
        if rel not in files.files:
            raise OverlayError(f"{manifest}: append.{rel}: no such rendered file")
        files.add(rel, files.text(rel) + str(text), files.files[rel][1])
        applied.append(f"{rel} (appended)")
    for rel in data.get("remove") or ():
        if files.files.pop(rel, None) is None:
            raise OverlayError(f"{manifest}: remove: {rel}: no such rendered file")
        applied.append(f"{rel} (removed)")
    return applied


def apply_overlay(files: FileSet, overlay_dir: Path) -> list[str]:
    """Apply ``overlay_dir`` to ``files``; return a description of each change."""
    if not overlay_dir.is_dir():
        raise OverlayError(f"--trino-config-overlay {overlay_dir}: not a directory")
    applied = []
    for path in sorted(p for p in overlay_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(overlay_dir).as_posix()
        if rel in NOT_COPIED or rel.endswith(".md") or rel.startswith(tuple(f"{d}/" for d in SUB_OVERLAYS)):
            continue
        mode = files.files.get(rel, (b"", PUBLIC_MODE))[1]
        files.add(rel, path.read_bytes(), mode)
        applied.append(rel)
    if (overlay_dir / MANIFEST).is_file():
        applied += _apply_manifest(files, overlay_dir / MANIFEST)
    return applied
