"""Read a YAML file into a pydantic model, with errors that name the file, the field and the reason.

Scenario, variant and profile files are all edited by hand; one reader gives them the same
``FILE: field.path: reason`` errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def field_path(loc: tuple[int | str, ...]) -> str:
    """``identities.passwords[0].password_env`` from pydantic's location tuple."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


# The usual fix for pydantic's commonest error types, so each line names one.
_FIXES = {
    "extra_forbidden": "remove it or correct its spelling",
    "missing": "add it",
}


def _fix(error_type: str) -> str:
    fix = _FIXES.get(error_type)
    return f"; fix: {fix}" if fix else ""


def load_yaml_model(
    path: Path,
    model: type[M],
    kind: str,
    error: type[Exception],
    context: dict[str, Any] | None = None,
    precheck: Callable[[dict[str, Any]], list[str]] | None = None,
) -> M:
    """``model`` validated from the YAML mapping at ``path``; ``error`` lists every problem.

    ``precheck`` sees the raw mapping first and returns ``field: problem`` lines (e.g. a secret
    written where only a reference belongs), reported before any other validation.
    """
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise error(f"{path}: cannot read {kind} file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise error(f"{path}: (top level): expected a mapping, got {type(data).__name__}")
    problems = precheck(data) if precheck else []
    if problems:
        raise error(f"invalid {kind}\n" + "\n".join(f"{path}: {line}" for line in problems))
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        lines = [f"{path}: {field_path(e['loc'])}: {e['msg']}{_fix(e['type'])}" for e in exc.errors()]
        raise error(f"invalid {kind}\n" + "\n".join(lines)) from None
