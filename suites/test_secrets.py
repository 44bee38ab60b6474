"""Secrets hygiene: no password or shared secret written out in the coordinator's config files.

Config files are copied, diffed, attached to tickets and kept in Git; a password that lives in
them leaks with them. Trino resolves ``${ENV:VAR}`` (and secrets-plugin references) in every
properties file, so a literal is always avoidable.
"""

from __future__ import annotations

import pytest

from trino_harness.config_lint import literal_secret_findings
from trino_harness.evidence import check

pytestmark = pytest.mark.secrets


def test_no_secret_is_written_literally_in_the_config(target):
    read, findings = literal_secret_findings(target.coordinator_config())
    if not read:  # an empty or wrong copy is no evidence of a clean config
        pytest.fail(f"cannot judge: no properties files under {target.coordinator_config()}", pytrace=False)
    check(
        not findings,
        what=f"secret-bearing properties in {read} properties files (catalogs, authenticators, listeners)",
        expected="every password, shared secret and keystore key given as ${ENV:VAR} "
        "or a secrets-plugin reference",
        observed="; ".join(findings) or "no literal secret",
        fix="replace the value with ${ENV:VAR} and pass the secret in the coordinator's environment",
    )
