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
from trino_harness.evidence import cannot_judge, check, refusal_of
from trino_harness.protocol import Answer, submit, ui_api, web_ui_cookie
from trino_harness.scenario.model import Scenario
from trino_harness.tls import describe_transport_error, presented_certificate, verified_handshake
from trino_harness.tls_scan import ServedCertificate

pytestmark = pytest.mark.tls

CERT_FIXES = {
    "expired": "renew the certificate in http-server.https.keystore.path (and automate renewal)",
    "not-yet-valid": "check the certificate's notBefore and the coordinator host's clock",
    "wrong-host": "reissue the certificate with a subjectAltName for every name and IP clients use",
    "unknown-ca": "serve a certificate chained to the CA clients trust, intermediates in the keystore",
}
# What a failed verified handshake says about the certificate; a refused, reset or silent connection
# says nothing about it.
CERTIFICATE_VERDICTS = ("expired", "not-yet-valid", "wrong-host", "unknown-ca", "tls-alert", "tls")
# Trino's refusals of a request over cleartext: 401/403, or 406 for a forwarded header it does not trust.
CLEARTEXT_REFUSALS = frozenset({401, 403, 406})
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
        empty="the scenario's expectations.tls lists no accepted_protocols or refused_protocols",
    ),
    Table(
        "weak_cipher",
        lambda scenario, test: scenario.expectations.tls.weak_ciphers,
        lambda row, test: row,
        empty="the scenario's expectations.tls.weak_ciphers is empty: list the cipher families never offered",
    ),
)


def test_coordinator_certificate_chains_to_the_ca_and_names_the_host(target):
    try:
        protocol = verified_handshake(target.host, target.port, target.ca_path)
        problem = None
    except OSError as exc:
        protocol, problem = None, describe_transport_error(exc)
    if problem is not None and problem.kind not in CERTIFICATE_VERDICTS:
        cannot_judge(f"no TLS handshake with {target.host}:{target.port} to judge: {problem}")
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
        cannot_judge(f"{protocol} could not be tested on {tls_scan.endpoint}: {tls_scan.errors[protocol]}")
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
        cannot_judge(
            f"{weak_cipher} suites on {tls_scan.endpoint}: sslyze could not test "
            + "; ".join(f"{protocol} ({why})" for protocol, why in tls_scan.errors.items())
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


def _served(tls_scan) -> tuple[ServedCertificate, ...]:
    """Every certificate the endpoint serves (every chain sslyze saw); none read is no verdict."""
    if not tls_scan.certificates:
        cannot_judge(
            f"sslyze could not read the certificates of {tls_scan.endpoint}: {tls_scan.certificate_error}"
        )
    return tls_scan.certificates


def _each(certs, fact) -> str:
    return "; ".join(f"{c}: {fact(c)}" for c in certs)


def test_every_tls12_suite_has_forward_secrecy(tls_scan):
    if any(p in tls_scan.errors for p in ("TLSv1.0", "TLSv1.1", "TLSv1.2")):
        cannot_judge(f"sslyze could not test {tls_scan.errors}")
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
    certs, tls = _served(tls_scan), scenario.expectations.tls
    floors = {"RSA": tls.min_rsa_key_bits, "EC": tls.min_ec_key_bits}
    weak = [c for c in certs if c.key_bits < floors.get(c.key_type, c.key_bits + 1)]
    check(
        not weak,
        what=f"public key of every certificate {tls_scan.endpoint} serves ({len(certs)}, every chain)",
        expected=f"RSA >= {tls.min_rsa_key_bits} bits or EC >= {tls.min_ec_key_bits} bits",
        observed=_each(certs, lambda c: f"{c.key_type} {c.key_bits} bits")
        + (f"; below the floor: {', '.join(map(str, weak))}" if weak else ""),
        fix="reissue the certificate with an RSA 2048+ or ECDSA P-256+ key",
    )


def test_certificate_signature_algorithm_is_allowed(tls_scan, scenario):
    # A root's signature on itself is never checked by clients: only the signatures they verify count.
    certs, allowed = _served(tls_scan), scenario.expectations.tls.signature_algorithms
    signed = [c for c in certs if not c.self_signed]
    if not signed:
        cannot_judge(f"{tls_scan.endpoint} serves only self-signed certificates ({_each(certs, str)})")
    weak = [c for c in signed if c.signature_algorithm not in allowed]
    check(
        not weak,
        what=f"signature of every certificate {tls_scan.endpoint} serves ({len(signed)}, every chain)",
        expected=f"one of {list(allowed)}",
        observed=_each(signed, lambda c: c.signature_algorithm)
        + (f"; not allowed: {', '.join(map(str, weak))}" if weak else ""),
        fix="reissue the certificate signed with SHA-256 or better (no SHA-1, no MD5)",
    )


def test_certificate_lifetime_is_within_the_limit(tls_scan, scenario):
    # The server's own certificates: a CA's lifetime is its PKI's policy, renewed with the trust store.
    leaves = [c for c in _served(tls_scan) if c.leaf]
    limit = scenario.expectations.tls.max_certificate_lifetime_days
    long_lived = [c for c in leaves if c.lifetime_days > limit]
    check(
        not long_lived,
        what=f"lifetime of every certificate {tls_scan.endpoint} serves as its own ({len(leaves)})",
        expected=f"at most {limit} days from notBefore to notAfter",
        observed=_each(leaves, lambda c: f"{c.lifetime_days} days ({c.not_before} .. {c.not_after})"),
        fix="issue shorter-lived certificates (Mozilla recommends 90 days) and automate renewal",
    )


def test_certificate_does_not_expire_within_the_horizon(tls_scan, scenario):
    import datetime as dt

    certs, horizon = _served(tls_scan), scenario.expectations.tls.expiry_horizon_days
    now = dt.datetime.now(dt.UTC)

    def left(cert: ServedCertificate) -> dt.timedelta:
        return dt.datetime.fromisoformat(cert.not_after) - now

    def says(cert: ServedCertificate) -> str:
        days = left(cert)
        when = (
            f"expires in {days.days} days" if days.total_seconds() > 0 else f"expired {-days.days} days ago"
        )
        return f"notAfter {cert.not_after}: {when}"

    check(
        all(left(c) > dt.timedelta(days=horizon) for c in certs),
        what=f"expiry of every certificate {tls_scan.endpoint} serves ({len(certs)}, every chain)",
        expected=f"notAfter more than {horizon} days away (expectations.tls.expiry_horizon_days)",
        observed=_each(certs, says),
        fix=RENEW_FIX,
    )


def test_tls_configuration_meets_the_declared_mozilla_profile(tls_scan, scenario):
    declared = scenario.expectations.tls.mozilla_profile
    if declared is None:
        pytest.skip("the scenario declares no Mozilla profile (expectations.tls.mozilla_profile)")
    if tls_scan.mozilla_profile != declared or tls_scan.mozilla_error:
        cannot_judge(
            f"Mozilla {declared} on {tls_scan.endpoint}: "
            f"{tls_scan.mozilla_error or f'the scan judged {tls_scan.mozilla_profile!r}'}"
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
    """Nothing serves HTTP there, or Trino refused (401/403, or 406 for a forwarded header); served
    on a 200. Any other status (a gateway's 502/503, a 404 of another server) is no verdict."""
    if answer.transport is not None:
        return answer.transport.kind in ("refused", "closed")
    return (
        refusal_of(
            status=answer.status,
            said=str(answer),
            refused_statuses=CLEARTEXT_REFUSALS,
            refused_errors=frozenset(),
            accepted=answer.status == 200,
        )
        is not None
    )


def _cleartext_check(target, attempt: str, answer: Answer, accepted_as: str | None = None) -> None:
    target.plain_http_port()
    if answer.transport is not None:
        # A silent port only counts as refusal when the same host answers over HTTPS right now.
        https = submit(target, "SELECT 1")
        if https.transport is not None:
            cannot_judge(f"HTTPS on {target.url} does not answer either ({https})")
    if answer.transport is not None and answer.transport.kind not in ("refused", "closed"):
        cannot_judge(f"{attempt} over plain HTTP: {answer}")
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
        cannot_judge(f"the Web UI session cookie is not honoured even over HTTPS ({over_https})")
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
