"""A pytest plugin for a ``--collect-only`` child: one line per collected item with its markers,
so a caller can evaluate many ``-m`` expressions against a single collection."""

from __future__ import annotations

import pytest

PREFIX = "MARKERS "


def pytest_collection_finish(session: pytest.Session) -> None:
    for item in session.items:
        names = sorted({mark.name for mark in item.iter_markers()})
        print(f"{PREFIX}{item.nodeid}\t{','.join(names)}")
