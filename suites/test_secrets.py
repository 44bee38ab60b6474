"""Secrets hygiene: no password or shared secret written out in the coordinator's config files.

Config files are copied, diffed, attached to tickets and kept in Git; a password that lives in
them leaks with them. Trino resolves ``${ENV:VAR}`` (and secrets-plugin references) in every
properties file, so a literal is always avoidable.
"""

from __future__ import annotations

import pytest

from trino_harness.config_lint import literal_secret_findings
from trino_harness.evidence import check_none_found

pytestmark = pytest.mark.secrets


def test_no_secret_is_written_literally_in_the_config(target):
    read, findings = literal_secret_findings(target.coordinator_config())
    check_none_found(
        findings,
        read=read,
        what="secret-bearing settings in the coordinator's config (catalogs, authenticators, listeners, "
        "jvm.config, Kafka client files)",
        expected="every password, shared secret, key, token and credential given as ${ENV:VAR} or a "
        "secrets-plugin reference, in a URL, a header and a JVM option too",
        fix="replace the value with ${ENV:VAR} and pass the secret in the coordinator's environment",
        control_seen="config.properties" in read.files,
        control="the coordinator's config.properties (a wrong copy is no evidence of a clean config)",
    )
