"""Where the harness keeps downloads and build contexts between runs."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$TRINO_HARNESS_CACHE`` or ``$XDG_CACHE_HOME/trino-harness`` (created on demand)."""
    root = os.environ.get("TRINO_HARNESS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "trino-harness"
    )
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path
