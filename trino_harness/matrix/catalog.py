"""The variant catalogue: deliberate misconfigurations and the checks each must turn red.

Every directory under ``scenarios/variants/`` is a config overlay; its ``variant.yaml`` says which
suites to run (a pytest ``-m`` expression), which checks must fail, what the failure output must
say, and which other checks may go red as collateral. Check patterns name a check as pytest's
JUnit report does (``test_name[row-id]``) or with its module (``test_tls.py::test_name[row-id]``);
``*`` matches any run of characters (square brackets are literal: they are part of row ids).
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from trino_harness.paths import VARIANTS
from trino_harness.yaml_model import load_yaml_model

DEFAULT_CATALOG = VARIANTS
SPEC_FILE = "variant.yaml"


class CatalogError(ValueError):
    """A variant file is unreadable or invalid; the message names the file and the field."""


class CheckPattern(str):
    """A check id, optionally with ``*`` wildcards and a ``module.py::`` prefix."""

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        return re.compile(".*".join(re.escape(part) for part in self.split("*")))

    def matches(self, module: str, name: str) -> bool:
        """``module`` is the file name (``test_tls.py``), ``name`` the test with its parameters."""
        subject = f"{module}::{name}" if "::" in self else name
        return self._regex.fullmatch(subject) is not None


class VariantSpec(BaseModel):
    """What a variant breaks and how the suites must show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    markers: str = Field(description="pytest -m expression: the suites that matter for this variant")
    must_fail: list[str] = Field(min_length=1)
    must_mention: list[str] = []
    may_also_fail: list[str] = []
    paths: list[str] = Field(
        [],
        description="verdict paths of one check function this variant proves apart from the others "
        "(e.g. 'real client: impersonation denied'): the covering set covers each path as it covers "
        "each function",
    )

    @property
    def must_fail_patterns(self) -> list[CheckPattern]:
        return [CheckPattern(p) for p in self.must_fail]

    @property
    def allowed_patterns(self) -> list[CheckPattern]:
        return [CheckPattern(p) for p in self.must_fail + self.may_also_fail]


class Variant(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    overlay: Path
    spec: VariantSpec


def load_variant(directory: Path) -> Variant:
    spec = load_yaml_model(directory / SPEC_FILE, VariantSpec, "variant", CatalogError)
    return Variant(name=directory.name, overlay=directory.resolve(), spec=spec)


def load_catalog(root: Path = DEFAULT_CATALOG, only: list[str] | None = None) -> list[Variant]:
    """Every variant under ``root`` (sorted by name), or just those named in ``only``."""
    available = {p.parent.name: p.parent for p in sorted(root.glob(f"*/{SPEC_FILE}"))}
    if only:
        unknown = [name for name in only if name not in available]
        if unknown:
            raise CatalogError(
                f"{root}: no variant named {', '.join(unknown)} (known: {', '.join(available) or 'none'})"
            )
        return [load_variant(available[name]) for name in only]
    return [load_variant(directory) for directory in available.values()]


def check_function(pattern: str) -> str:
    """The test function a check pattern names: ``test_tls.py::test_x[row]`` -> ``test_x``."""
    return pattern.split("::")[-1].split("[")[0]


def covering_variants(variants: list[Variant]) -> list[Variant]:
    """The fewest variants (greedy set cover) that together turn every declared check function red
    (every ``test_…`` named in some variant's ``must_fail``) and prove every declared verdict path
    (``paths``: one function's distinct ways to go red, a login refused and an impersonation
    denied), in catalogue order.

    Each check's assertion is then shown to go red on a misconfigured stack, in about two thirds of
    the full catalogue's time: what CI runs on every change. The full catalogue (every declared row
    and every misconfiguration detected) is the nightly ``./harness matrix``.
    """
    functions = {
        v.name: {check_function(p) for p in v.spec.must_fail} | {f"path: {p}" for p in v.spec.paths}
        for v in variants
    }
    left = set().union(*functions.values())
    chosen: set[str] = set()
    while left:
        best = max(variants, key=lambda v: len(left & functions[v.name]))  # ties: the first in order
        chosen.add(best.name)
        left -= functions[best.name]
    return [v for v in variants if v.name in chosen]
