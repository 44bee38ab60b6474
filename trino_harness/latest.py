"""``reports/<kind>/latest``: a symlink to the newest report written to the default location."""

from __future__ import annotations

from pathlib import Path


def link_latest(reports: Path, out_dir: Path) -> None:
    """Point ``reports/latest`` at ``out_dir`` when the report went to its default place."""
    if out_dir.parent != reports.resolve():
        return
    latest = reports / "latest"
    try:
        if latest.is_symlink():
            latest.unlink()
        latest.symlink_to(out_dir.name)
    except OSError:
        pass
