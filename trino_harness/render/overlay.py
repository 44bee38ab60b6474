"""Apply a user's config overlay to the rendered etc/: replace or add files, edit properties, remove files.

An overlay directory holds files that replace or add to ``/etc/trino`` as they are, plus an
optional ``overlay.yaml`` manifest for the small edits a misconfiguration usually is::

    properties:              # per properties file: key -> value (null removes the key)
      config.properties: {http-server.http.enabled: true}
    json:                    # per JSON file: top-level key -> value (null removes the key)
      rules.json: {impersonation: [{original_user: svc_bi, new_user: '.*'}]}
    append:                  # text added to the end of a rendered file (e.g. a jvm.config flag)
      jvm.config: "-Djava.security.properties=/etc/trino/legacy.security\n"
    remove: [group-provider.properties]

``variant.yaml`` and ``*.md`` files describe a variant and are not copied; a ``worker/``
subdirectory is an overlay of the same form for the worker's etc/ (the stack applies it there), and
a ``web-ui-oauth2/`` one for the extra coordinator whose Web UI logs in through OAuth2
(``render/web_ui_oauth2.py``).

Editing a few properties (or one section of the rules) keeps a variant valid when the harness
renders per-run values (ports, secrets, certificates) into the same file, or the baseline's rules
change.

Every problem of an overlay is collected and reported at once, one line each naming the file,
the field and the fix (``stack/overlay_check.py`` runs this on an in-memory render before any
container starts).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import javaproperties
import yaml

from trino_harness.render.files import PUBLIC_MODE, FileSet, properties

MANIFEST = "overlay.yaml"
MANIFEST_KEYS = ("properties", "json", "append", "remove")
NOT_COPIED = {MANIFEST, "variant.yaml"}
WORKER_OVERLAY = "worker"  # a subdirectory overlaying the worker's etc/ (see render/worker_etc.py)
# A subdirectory overlaying the extra coordinator of the Web UI OAuth2 check (render/web_ui_oauth2.py).
WEB_UI_OAUTH2_OVERLAY = "web-ui-oauth2"
SUB_OVERLAYS = (WORKER_OVERLAY, WEB_UI_OAUTH2_OVERLAY)


class OverlayError(ValueError):
    """An overlay cannot be applied; one line per problem, each naming file, field and fix."""


def parse_properties(text: str) -> dict[str, str]:
    """Properties as Trino reads them: ``java.util.Properties`` (``=``, ``:`` or whitespace
    separators, continuation lines, escapes; the last of a repeated key wins), read by the
    ``javaproperties`` library, then each value trimmed as airlift's loader does."""
    return {key: value.strip() for key, value in javaproperties.loads(text).items()}


def properties_problems(name: str, data: bytes) -> list[str]:
    """Why ``data`` is not plain ``key=value`` properties: the harness reads every form Java does,
    but an overlay it edits and rewrites is kept in the one form a reviewer reads at a glance (and
    a line without ``=`` is usually a typo that Trino would take as a key of its own)."""
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return [f"{name}: not UTF-8 text; fix: save the file as UTF-8 key=value lines"]
    problems = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", "!")):
            continue
        key, sep, _ = line.partition("=")
        if not sep or not key.strip():
            shown = line if len(line) <= 60 else line[:57] + "..."
            problems.append(f"{name}: line {number}: {shown!r} is not key=value; fix: write it as key=value")
        elif line.endswith("\\"):
            problems.append(f"{name}: line {number}: continuation lines are not supported; fix: join it")
    return problems


def json_problems(name: str, data: bytes) -> list[str]:
    try:
        json.loads(data)
    except UnicodeDecodeError:
        return [f"{name}: not UTF-8 text; fix: save the file as UTF-8 JSON"]
    except json.JSONDecodeError as exc:
        return [f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); fix: correct it"]
    return []


def _parse_problems(name: str, data: bytes, rel: str) -> list[str]:
    """What Trino would fail to read: a ``.properties`` file not in key=value form, invalid ``.json``."""
    if rel.endswith(".properties"):
        return properties_problems(name, data)
    if rel.endswith(".json"):
        return json_problems(name, data)
    return []


def _read_manifest(manifest: Path, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(manifest.read_text())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problems.append(f"{manifest}: not valid YAML ({where}{getattr(exc, 'problem', None) or exc}); "
                        "fix: correct the YAML syntax")  # fmt: skip
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(f"{manifest}: (top level): a {type(data).__name__}, not a mapping; "
                        f"fix: use the keys {', '.join(MANIFEST_KEYS)}")  # fmt: skip
        return {}
    for key in data:
        if key not in MANIFEST_KEYS:
            problems.append(f"{manifest}: {key}: unknown key; fix: use {', '.join(map(repr, MANIFEST_KEYS))}")
    return data


def _rendered_hint(files: FileSet, rel: object) -> str:
    close = difflib.get_close_matches(str(rel), files.files, n=1)
    if close:
        return f"fix: name a rendered file (did you mean {close[0]!r}?)"
    return f"fix: name a rendered file ({', '.join(sorted(files.files))})"


def _mapping(manifest: Path, data: dict[str, Any], key: str, problems: list[str]) -> dict[Any, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        problems.append(f"{manifest}: {key}: a {type(value).__name__}, not a mapping of file -> edits; "
                        f"fix: write {key}: {{config.properties: ...}}")  # fmt: skip
        return {}
    return value


def _apply_manifest(files: FileSet, manifest: Path, problems: list[str]) -> list[str]:
    data = _read_manifest(manifest, problems)
    applied = []
    for rel, edits in _mapping(manifest, data, "properties", problems).items():
        if rel not in files.files:
            problems.append(
                f"{manifest}: properties.{rel}: no such rendered file; {_rendered_hint(files, rel)}"
            )
            continue
        if edits is not None and not isinstance(edits, dict):
            problems.append(f"{manifest}: properties.{rel}: a {type(edits).__name__}, not key: value pairs; "
                            "fix: write {key: value} (null removes the key)")  # fmt: skip
            continue
        values: dict[str, str | int | bool] = dict(parse_properties(files.text(rel)))
        for key, value in (edits or {}).items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        files.add(rel, properties(values), files.files[rel][1])
        applied.append(f"{rel} (edited: {', '.join(edits or {})})")
    for rel, sections in _mapping(manifest, data, "json", problems).items():
        if rel not in files.files:
            problems.append(f"{manifest}: json.{rel}: no such rendered file; {_rendered_hint(files, rel)}")
            continue
        if not isinstance(sections, dict):
            problems.append(f"{manifest}: json.{rel}: a {type(sections).__name__}, not key: value pairs; "
                            "fix: write {section: [...]} (null removes the section)")  # fmt: skip
            continue
        document = json.loads(files.text(rel))
        if not isinstance(document, dict):
            problems.append(f"{manifest}: json.{rel}: the rendered file is not a JSON object; fix: replace "
                            "the whole file instead (put it in the overlay directory)")  # fmt: skip
            continue
        for key, value in sections.items():
            if value is None:
                document.pop(key, None)
            else:
                document[key] = value
        files.add(rel, json.dumps(document, indent=2) + "\n", files.files[rel][1])
        applied.append(f"{rel} (sections: {', '.join(map(str, sections))})")
    for rel, text in _mapping(manifest, data, "append", problems).items():
        if rel not in files.files:
            problems.append(f"{manifest}: append.{rel}: no such rendered file; {_rendered_hint(files, rel)}")
            continue
        files.add(rel, files.text(rel) + str(text), files.files[rel][1])
        applied.append(f"{rel} (appended)")
    removed = data.get("remove") or []
    if not isinstance(removed, list):
        problems.append(
            f"{manifest}: remove: a {type(removed).__name__}, not a list; fix: write remove: [file, ...]"
        )
        removed = []
    for rel in removed:
        if files.files.pop(str(rel), None) is None:
            problems.append(f"{manifest}: remove: {rel}: no such rendered file; {_rendered_hint(files, rel)}")
            continue
        applied.append(f"{rel} (removed)")
    return applied


def apply_overlay(files: FileSet, overlay_dir: Path) -> list[str]:
    """Apply ``overlay_dir`` to ``files``; return a description of each change.

    Raises :class:`OverlayError` listing every problem (``files`` is then partly changed)."""
    if not overlay_dir.is_dir():
        raise OverlayError(
            f"--trino-config-overlay {overlay_dir}: not a directory; fix: name the overlay directory"
        )
    applied: list[str] = []
    problems: list[str] = []
    for path in sorted(p for p in overlay_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(overlay_dir).as_posix()
        if rel in NOT_COPIED or rel.endswith(".md") or rel.startswith(tuple(f"{d}/" for d in SUB_OVERLAYS)):
            continue
        mode = files.files.get(rel, (b"", PUBLIC_MODE))[1]
        data = path.read_bytes()
        problems += _parse_problems(str(path), data, rel)
        files.add(rel, data, mode)
        applied.append(rel)
    if (overlay_dir / MANIFEST).is_file():
        applied += _apply_manifest(files, overlay_dir / MANIFEST, problems)
    if problems:
        raise OverlayError("\n".join(problems))
    return applied
