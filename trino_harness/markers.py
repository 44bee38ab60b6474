"""Refuse a ``-m`` expression that names a marker no check carries (``-m smok`` selects nothing,
``-m "not smok"`` everything, and pytest says neither)."""

from __future__ import annotations

import re
from collections.abc import Iterable

KEYWORDS = {"and", "or", "not"}
# pytest's marker-expression identifiers; ``name(key=value)`` keyword matches are dropped first.
_ARGUMENTS = re.compile(r"(?<=\w)\([^()]*\)")  # right after a name: not a group
_IDENT = re.compile(r"(?:\w|:|\+|-|\.|\[|\]|\\|/)+")


def marker_names(expression: str) -> list[str]:
    """The marker names an ``-m`` expression uses, in order, once each."""
    names: list[str] = []
    for ident in _IDENT.findall(_ARGUMENTS.sub(" ", expression)):
        if ident not in KEYWORDS and ident not in names:
            names.append(ident)
    return names


def registered_names(lines: Iterable[str]) -> list[str]:
    """Names from the ``markers`` ini lines (``"smoke: description"``, ``"skip(reason=None): ..."``)."""
    return [re.split(r"[:(]", line, maxsplit=1)[0].strip() for line in lines]


def unknown_marker_problem(expression: str, registered: list[str], stages: list[str]) -> str | None:
    """One line naming each unknown marker and the project's stages; None if every name is known."""
    unknown = [name for name in marker_names(expression) if name not in registered]
    if not unknown:
        return None
    quoted = ", ".join(repr(name) for name in unknown)
    return (
        f"-m {expression!r}: unknown marker {quoted} (pyproject.toml [tool.pytest.ini_options] markers); "
        f"fix: use the known stages: {', '.join(stages)}"
    )
