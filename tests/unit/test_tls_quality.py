"""TLS quality beyond the floor: which suites lack forward secrecy, what the run's certificates
are made of, and that the baseline's floors are Mozilla's intermediate profile."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography import x509

import suites.test_tls as tls_checks
from trino_harness.evidence import CannotJudge, CheckFailed
from trino_harness.pki import CertificateAuthority
from trino_harness.render.materials import RunMaterials
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario
from trino_harness.tls_scan import ServedCertificate, TlsScan, mozilla_profile, served_certificates


def test_static_key_exchange_suites_are_named_and_tls13_is_ignored() -> None:
    scan = TlsScan(
        "h:1",
        accepted={
            "TLSv1.2": [
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
            ],
            "TLSv1.3": ["TLS_AES_128_GCM_SHA256"],
        },
    )
    assert scan.without_forward_secrecy() == [
        "TLSv1.2 TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
        "TLSv1.2 TLS_RSA_WITH_AES_128_GCM_SHA256",
    ]


def test_scan_with_certificate_and_mozilla_verdict_survives_the_run_directory() -> None:
    cert = ServedCertificate(
        "CN=trino", "RSA", 2048, "sha256WithRSAEncryption", "2026-01-01T00:00:00+00:00",
        "2026-04-01T00:00:00+00:00", True,
    )  # fmt: skip
    scan = TlsScan("h:1", {"TLSv1.2": []}, {}, (cert,), None, "intermediate", {"ciphers": "x"}, None)
    assert TlsScan.from_json(json.loads(json.dumps(scan.to_json()))) == scan
    assert cert.lifetime_days == 90


def test_baseline_floors_are_mozilla_intermediate() -> None:
    tls = load_scenario(DEFAULT_SCENARIO).expectations.tls
    profile = mozilla_profile(tls.mozilla_profile)
    assert tls.mozilla_profile == "intermediate"
    assert tls.min_rsa_key_bits == profile.rsa_key_size
    assert tls.max_certificate_lifetime_days == profile.maximum_certificate_lifespan
    assert profile.certificate_signatures <= set(tls.signature_algorithms)


def test_coordinator_certificate_clears_the_horizon_and_the_expiring_one_does_not() -> None:
    scenario = load_scenario(DEFAULT_SCENARIO)
    horizon = dt.timedelta(days=scenario.expectations.tls.expiry_horizon_days)
    materials = RunMaterials.generate(scenario)
    now = dt.datetime.now(dt.UTC)
    good = x509.load_pem_x509_certificate(materials.trino_tls.cert_pem)
    expiring = x509.load_pem_x509_certificate(materials.trino_tls_broken["expiring"].cert_pem)
    ca = x509.load_pem_x509_certificate(materials.ca.cert_pem)
    assert good.not_valid_after_utc - now > horizon
    assert good.not_valid_after_utc <= ca.not_valid_after_utc  # never outlives its CA
    assert expiring.not_valid_before_utc < now < expiring.not_valid_after_utc < now + horizon


def test_each_broken_certificate_is_wrong_only_in_its_own_way() -> None:
    """wrong-host and unknown-ca must clear the expiry horizon, or their variants go red there too."""
    scenario = load_scenario(DEFAULT_SCENARIO)
    horizon = dt.timedelta(days=scenario.expectations.tls.expiry_horizon_days)
    broken = RunMaterials.generate(scenario).trino_tls_broken
    now = dt.datetime.now(dt.UTC)
    for name in ("wrong-host", "unknown-ca"):
        assert x509.load_pem_x509_certificate(broken[name].cert_pem).not_valid_after_utc - now > horizon, name


# -- every certificate served, and the weak one that turns the quality checks red -----------------
CERTIFICATE_CHECKS = (
    tls_checks.test_server_key_meets_the_size_floor,
    tls_checks.test_certificate_signature_algorithm_is_allowed,
    tls_checks.test_certificate_lifetime_is_within_the_limit,
)


def _scan(*chains: list[x509.Certificate]) -> TlsScan:
    return TlsScan("h:1", certificates=served_certificates([(chain, True) for chain in chains]))


def test_every_chain_the_server_serves_is_judged_not_only_the_first() -> None:
    """A server may serve an RSA chain to one client and an ECDSA chain to another (sslyze reports
    each deployment): a weak second chain must not hide behind a good first one."""
    scenario = load_scenario(DEFAULT_SCENARIO)
    materials = RunMaterials.generate(scenario)
    good, weak = materials.trino_tls.certificate, materials.trino_tls_broken["weak"].certificate
    for judge in CERTIFICATE_CHECKS:
        judge(_scan([good]), scenario)
        with pytest.raises(CheckFailed, match=r"sha1WithRSAEncryption|1024 bits|400 days"):
            judge(_scan([good], [weak]), scenario)


def test_the_weak_certificate_is_weak_in_exactly_the_three_ways_it_is_made_for() -> None:
    scenario = load_scenario(DEFAULT_SCENARIO)
    weak = _scan([RunMaterials.generate(scenario).trino_tls_broken["weak"].certificate])
    (served,) = weak.certificates
    assert (served.key_type, served.key_bits, served.signature_algorithm) == (
        "RSA",
        1024,
        "sha1WithRSAEncryption",
    )
    assert served.lifetime_days > scenario.expectations.tls.max_certificate_lifetime_days
    for judge, says in zip(
        CERTIFICATE_CHECKS, ("RSA 1024 bits", "sha1WithRSAEncryption", "400 days"), strict=True
    ):
        with pytest.raises(CheckFailed, match=says):
            judge(weak, scenario)
    tls_checks.test_certificate_does_not_expire_within_the_horizon(weak, scenario)  # valid, far from expiry


def test_intermediates_are_judged_for_key_and_signature_and_only_leaves_for_lifetime() -> None:
    scenario = load_scenario(DEFAULT_SCENARIO)
    root = CertificateAuthority.create("root", days=3650)
    leaf = root.issue_server("trino", ["trino"], days=90).certificate
    chain = _scan([leaf, root.issued.certificate])
    assert [(c.leaf, c.self_signed) for c in chain.certificates] == [(True, False), (False, True)]
    tls_checks.test_certificate_lifetime_is_within_the_limit(
        chain, scenario
    )  # a 10-year CA is its own policy
    tls_checks.test_certificate_signature_algorithm_is_allowed(chain, scenario)


def test_no_certificate_read_is_no_verdict() -> None:
    scenario = load_scenario(DEFAULT_SCENARIO)
    for judge in CERTIFICATE_CHECKS:
        with pytest.raises(CannotJudge):
            judge(TlsScan("h:1", certificate_error="connection reset"), scenario)
