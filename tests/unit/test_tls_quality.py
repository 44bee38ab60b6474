"""TLS quality beyond the floor: which suites lack forward secrecy, what the run's certificates
are made of, and that the baseline's floors are Mozilla's intermediate profile."""

from __future__ import annotations

import datetime as dt
import json

from cryptography import x509

from trino_harness.render.materials import RunMaterials
from trino_harness.scenario.loader import DEFAULT_SCENARIO, load_scenario
from trino_harness.tls_scan import ServedCertificate, TlsScan, mozilla_profile


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
    scan = TlsScan("h:1", {"TLSv1.2": []}, {}, cert, None, "intermediate", {"ciphers": "x"}, None)
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
