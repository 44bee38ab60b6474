"""TLS enforcement: a trusted certificate for the right host, a protocol and cipher floor, the
quality above it (forward secrecy, key, signature, lifetime, expiry horizon, a Mozilla profile),
and no credentials or identities accepted over cleartext.

Run first (``pytest suites/ -m tls``): nothing later means much if passwords cross the wire in
the clear.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from fixtures.parametrize import Table
from trino_harness.evidence import check
from trino_harness.protocol import Answer, submit, ui_api, web_ui_cookie
from trino_harness.scenario.model import Scenario
from trino_harness.tls import describe_transport_error, presented_certificate, verified_handshake

pytestmark = pytest.mark.tls

CERT_FIXES = {
    "expired": "renew the certificate in http-server.https.keystore.path (and automate renewal)",
    "not-yet-valid": "check the certificate's notBefore and the coordinator host's clock",
    "wrong-host": "reissue the certificate with a subjectAltName for every name and IP clients use",
    "unknown-ca": "serve a certificate chained to the CA clients trust, intermediates in the keystore",
}
CLEARTEXT_FIX = (
    "set http-server.http.enabled=false (or keep "
    "http-server.authentication.allow-insecure-over-http=false and http-server.process-forwarded=false "
    "unless a TLS-terminating proxy is the only way in)"
)


def _protocols(scenario: Scenario, test: str) -> Sequence[tuple[str, bool]]:
    tls = scenario.expectations.tls
    return [(p, True) for p in tls.accepted_protocols] + [(p, False) for p in tls.refused_protocols]


TABLES = (
    Table(
        "protocol_expectation",
        _protocols,
        lambda row, test: f"{row[0]}-{'accepted' if row[1] else 'refused'}",
    ),
    Table(
        "weak_cipher", lambda scenario, test: scenario.expectations.tls.weak_ciphers, lambda row, test: row
    ),
)


def test_coordinator_certificate_chains_to_the_ca_and_names_the_host(target):
    try:
        protocol = verified_handshake(target.host, target.port, target.ca_path)
        problem = None
    except OSError as exc:
        protocol, problem = None, describe_transport_error(exc)
    presented = presented_certificate(target.host, target.port) if problem else None
    check(
        problem is None,
        what=f"verified TLS handshake with {target.host}:{target.port} (trusting only {target.ca_path})",
        expected="a certificate chained to the expected CA, valid now, naming the host clients use",
        observed=f"{problem}; presented {presented}" if problem else f"handshake ok ({protocol})",
        fix=CERT_FIXES.get(problem.kind, "inspect the coordinator's keystore") if problem else "",
    )


def test_tls_protocol_is_accepted_or_refused_as_declared(tls_scan, protocol_expectation):
    protocol, should_accept = protocol_expectation
    if protocol in tls_scan.errors:
        pytest.fail(
            f"cannot judge: {protocol} could not be tested on {tls_scan.endpoint}: "
            f"{tls_scan.errors[protocol]}",
            pytrace=False,
        )
    accepted = tls_scan.accepted.get(protocol, [])
    check(
        bool(accepted) == should_accept,
        what=f"{protocol} handshake with {tls_scan.endpoint} (sslyze, every cipher suite)",
        expected="accepted" if should_accept else "refused with every cipher suite",
        observed=f"accepted with {accepted}" if accepted else "refused with every cipher suite",
        fix=(
            "keep TLSv1/TLSv1.1 in the JVM's jdk.tls.disabledAlgorithms (no -Djava.security.properties "
            "override re-enabling them) and http-server.https.excluded-cipher at its default"
            if not should_accept
            else "run a JDK with TLS 1.2/1.3 enabled and do not restrict http-server.https.included-cipher"
        ),
    )


def test_no_weak_cipher_suite_is_offered(tls_scan, weak_cipher):
    if tls_scan.errors:  # "none accepted" must cover every protocol, not the ones that could be tested
        pytest.fail(
            f"cannot judge {weak_cipher} suites on {tls_scan.endpoint}: sslyze could not test "
            + "; ".join(f"{protocol} ({why})" for protocol, why in tls_scan.errors.items()),
            pytrace=False,
        )
    offered = tls_scan.suites_matching(weak_cipher)
    check(
        not offered,
        what=f"{weak_cipher} cipher suites on {tls_scan.endpoint} (sslyze, every protocol)",
        expected=f"no {weak_cipher} suite accepted",
        observed=f"accepted: {offered}" if offered else "none accepted",
        fix="drop them from http-server.https.included-cipher, keep http-server.https.excluded-cipher at "
        "its default, and keep them in jdk.tls.disabledAlgorithms",
    )


# -- quality beyond the floor: forward secrecy, the certificate, Mozilla's profile ----------------
RENEW_FIX = (
    "issue a new certificate into http-server.https.keystore.path and automate renewal "
    "(ACME or your PKI) well before notAfter"
)


def _served(tls_scan):
    if tls_scan.certificate is None:
        pytest.fail(
            f"cannot judge: sslyze could not read the certificate of {tls_scan.endpoint}: "
            f"{tls_scan.certificate_error}",
            pytrace=False,
        )
    return tls_scan.certificate


def test_every_tls12_suite_has_forward_secrecy(tls_scan):
    if any(p in tls_scan.errors for p in ("TLSv1.0", "TLSv1.1", "TLSv1.2")):
        pytest.fail(f"cannot judge: sslyze could not test {tls_scan.errors}", pytrace=False)
    static = tls_scan.without_forward_secrecy()
    check(
        not static,
        what=f"key exchange of every TLS 1.0-1.2 suite {tls_scan.endpoint} accepts (sslyze)",
        expected="ephemeral (EC)DHE only: a stolen key must not decrypt recorded sessions",
        observed=f"static key exchange: {static}" if static else "every suite is ECDHE or DHE",
        fix="add ^TLS_RSA_.*$ (and static ^TLS_ECDH_/^TLS_DH_ suites) to http-server.https.excluded-cipher, "
        "drop them from http-server.https.included-cipher, keep TLS_RSA_* in jdk.tls.disabledAlgorithms",
    )


def test_server_key_meets_the_size_floor(tls_scan, scenario):
    cert, tls = _served(tls_scan), scenario.expectations.tls
    floor = {"RSA": tls.min_rsa_key_bits, "EC": tls.min_ec_key_bits}.get(cert.key_type)
    check(
        floor is not None and cert.key_bits >= floor,
        what=f"public key of the certificate {tls_scan.endpoint} serves ({cert.subject})",
        expected=f"RSA >= {tls.min_rsa_key_bits} bits or EC >= {tls.min_ec_key_bits} bits",
        observed=f"{cert.key_type} {cert.key_bits} bits",
        fix="reissue the certificate with an RSA 2048+ or ECDSA P-256+ key",
    )


def test_certificate_signature_algorithm_is_allowed(tls_scan, scenario):
    cert, allowed = _served(tls_scan), scenario.expectations.tls.signature_algorithms
    check(
        cert.signature_algorithm in allowed,
        what=f"signature algorithm of the certificate {tls_scan.endpoint} serves ({cert.subject})",
        expected=f"one of {list(allowed)}",
        observed=cert.signature_algorithm,
        fix="reissue the certificate signed with SHA-256 or better (no SHA-1, no MD5)",
    )


def test_certificate_lifetime_is_within_the_limit(tls_scan, scenario):
    cert, limit = _served(tls_scan), scenario.expectations.tls.max_certificate_lifetime_days
    check(
        cert.lifetime_days <= limit,
        what=f"lifetime of the certificate {tls_scan.endpoint} serves ({cert.subject})",
        expected=f"at most {limit} days from notBefore to notAfter",
        observed=f"{cert.lifetime_days} days ({cert.not_before} .. {cert.not_after})",
        fix="issue shorter-lived certificates (Mozilla recommends 90 days) and automate renewal",
    )


def test_certificate_does_not_expire_within_the_horizon(tls_scan, scenario):
    import datetime as dt

    cert, horizon = _served(tls_scan), scenario.expectations.tls.expiry_horizon_days
    left = dt.datetime.fromisoformat(cert.not_after) - dt.datetime.now(dt.UTC)
    check(
        left > dt.timedelta(days=horizon),
        what=f"expiry of the certificate {tls_scan.endpoint} serves ({cert.subject})",
        expected=f"notAfter more than {horizon} days away (expectations.tls.expiry_horizon_days)",
        observed=f"notAfter {cert.not_after}: "
        + (f"expires in {left.days} days" if left.total_seconds() > 0 else f"expired {-left.days} days ago"),
        fix=RENEW_FIX,
    )


def test_tls_configuration_meets_the_declared_mozilla_profile(tls_scan, scenario):
    declared = scenario.expectations.tls.mozilla_profile
    if declared is None:
        pytest.skip("the scenario declares no Mozilla profile (expectations.tls.mozilla_profile)")
    if tls_scan.mozilla_profile != declared or tls_scan.mozilla_error:
        pytest.fail(
            f"cannot judge Mozilla {declared} on {tls_scan.endpoint}: "
            f"{tls_scan.mozilla_error or f'the scan judged {tls_scan.mozilla_profile!r}'}",
            pytrace=False,
        )
    issues = tls_scan.mozilla_issues
    check(
        not issues,
        what=f"{tls_scan.endpoint} against Mozilla's {declared} server-side TLS profile (sslyze's checker)",
        expected=f"compliant with Mozilla {declared} (https://wiki.mozilla.org/Security/Server_Side_TLS)",
        observed="; ".join(f"{k}: {v}" for k, v in sorted(issues.items())) or "compliant",
        fix="exclude the suites it names in http-server.https.excluded-cipher, limit key-exchange groups "
        "with -Djdk.tls.namedGroups in jvm.config, and reissue the certificate when it names one",
    )


# -- cleartext --------------------------------------------------------------------------------
def _refused(answer: Answer) -> bool:
    """Nothing serves HTTP there, or Trino refused (401/403, or 406 for a forwarded header)."""
    if answer.transport is not None:
        return answer.transport.kind in ("refused", "closed")
    return answer.status in (401, 403, 406)


def _cleartext_check(target, attempt: str, answer: Answer, accepted_as: str | None = None) -> None:
    target.plain_http_port()
    if answer.transport is not None:
        # A silent port only counts as refusal when the same host answers over HTTPS right now.
        https = submit(target, "SELECT 1")
        if https.transport is not None:
            pytest.fail(f"inconclusive: HTTPS on {target.url} does not answer either ({https})")
    if answer.transport is not None and answer.transport.kind not in ("refused", "closed"):
        pytest.fail(f"cannot judge {attempt} over plain HTTP: {answer}", pytrace=False)
    check(
        _refused(answer),
        what=f"{attempt} over plain HTTP to {target.host}:{target.http_port}",
        expected="refused: no HTTP listener, or 401/403/406 from Trino",
        observed=f"accepted{f' as {accepted_as}' if accepted_as else ''}: {answer}"
        if answer.accepted
        else str(answer),
        fix=CLEARTEXT_FIX,
    )


def _password_principal(scenario, target):
    for row in scenario.expectations.authentication:
        if row.provider in ("file", "ldap") and row.user:
            target.password(row.provider, row.principal)  # the target must hold it (else: skip, what to add)
            return row
    pytest.skip("no password principal in expectations.authentication to try over cleartext")


def test_password_is_refused_over_cleartext(target, scenario):
    row = _password_principal(scenario, target)
    answer = submit(
        target, auth=(row.principal, target.password(row.provider, row.principal)), plain_http=True
    )
    _cleartext_check(target, f"Basic password login as {row.principal}", answer, answer.user)


def test_password_is_refused_over_cleartext_with_spoofed_forwarded_proto(target, scenario):
    row = _password_principal(scenario, target)
    answer = submit(
        target,
        auth=(row.principal, target.password(row.provider, row.principal)),
        headers={"X-Forwarded-Proto": "https"},
        plain_http=True,
    )
    _cleartext_check(target, f"Basic login as {row.principal} with X-Forwarded-Proto: https", answer)


def test_jwt_is_refused_over_cleartext(target, scenario):
    from trino_harness.clients import mint_jwt

    row = next((r for r in scenario.expectations.authentication if r.provider == "jwt" and r.user), None)
    if row is None:
        pytest.skip("no JWT principal in expectations.authentication to try")
    target.jwt_key()
    answer = submit(
        target, headers={"Authorization": f"Bearer {mint_jwt(target, row.principal)}"}, plain_http=True
    )
    _cleartext_check(target, f"JWT for {row.principal}", answer, answer.user)


def test_web_ui_session_cookie_is_refused_over_cleartext(target, scenario):
    row = _password_principal(scenario, target)
    cookies = web_ui_cookie(target, row.principal, target.password(row.provider, row.principal))
    over_https = ui_api(target, "/ui/api/stats", cookies)
    if over_https.status != 200:
        pytest.fail(f"the Web UI session cookie is not honoured even over HTTPS ({over_https}); cannot judge")
    target.plain_http_port()
    answer = ui_api(target, "/ui/api/stats", cookies, plain_http=True)
    if answer.status in (302, 303):
        answer = Answer(status=401, body=f"redirected to {answer.headers.get('location')}")
    _cleartext_check(target, "Web UI session cookie (valid over HTTPS)", answer)


def test_bare_user_header_is_not_an_identity_over_cleartext(target, scenario):
    operator = scenario.operator.principal
    user = next((u.name for u in scenario.users if u.login_name == operator), operator)
    answer = submit(target, headers={"X-Trino-User": user}, plain_http=True)
    _cleartext_check(target, f"X-Trino-User: {user} without any credential", answer, answer.user)
