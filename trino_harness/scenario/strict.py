"""What every scenario model shares: strict, frozen pydantic models and the names they use."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Provider = Literal["file", "ldap", "jwt", "certificate"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from exc
    return value
