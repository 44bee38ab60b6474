"""Apply a user's config overlay: files in the overlay replace or add to the rendered etc/."""

from __future__ import annotations

from pathlib import Path

from trino_harness.render.files import PUBLIC_MODE, FileSet


class OverlayError(ValueError):
    pass


def apply_overlay(files: FileSet, overlay_dir: Path) -> list[str]:
    """Copy every file under ``overlay_dir`` over ``files``; return the relative paths applied."""
    if not overlay_dir.is_dir():
        raise OverlayError(f"--trino-config-overlay {overlay_dir}: not a directory")
    applied = []
    for path in sorted(p for p in overlay_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(overlay_dir).as_posix()
        mode = files.files.get(rel, (b"", PUBLIC_MODE))[1]
        files.add(rel, path.read_bytes(), mode)
        applied.append(rel)
    return applied
