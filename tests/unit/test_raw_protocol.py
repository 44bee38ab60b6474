"""The raw statement probe: what it makes of answers that are not Trino's.

A 502/503/504 is asked again (the client protocol says so) and, if it stays, is no answer to
judge by; nor is a 429, a 500 or a 200 whose body is no statement answer. Every check reading a
``submit`` answer (401 = refused, 200 with rows = accepted) then stops as "cannot judge" instead
of reading a gateway's page as a refusal or an empty 200 as a login.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest

from tests.unit.bad_coordinator import Mode, serving
from trino_harness.evidence import CannotJudge
from trino_harness.pki import CertificateAuthority
from trino_harness.protocol import _statement, submit


def _client(answers: list[httpx.Response] | Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        return answers(request) if callable(answers) else answers.pop(0)

    return httpx.Client(transport=httpx.MockTransport(handle), base_url="https://trino.test")


def _page(**fields: object) -> httpx.Response:
    return httpx.Response(200, json={"id": "q1", "stats": {}, **fields})


def test_a_refusal_and_an_acceptance_are_read_as_before():
    refused = _statement(
        _client([httpx.Response(401, text="Unauthorized", headers={"WWW-Authenticate": 'Basic realm="x"'})]),
        "https://trino.test",
        "SELECT 1",
        {},
        None,
    )
    assert refused.status == 401 and refused.challenges == ('Basic realm="x"',)
    accepted = _statement(
        _client([_page(nextUri="https://trino.test/n1"), _page(data=[["alice"]])]),
        "https://trino.test",
        "SELECT 1",
        {},
        None,
    )
    assert accepted.ok and accepted.user == "alice"


def test_a_gateway_answer_that_clears_is_asked_again_and_read():
    answers = [
        httpx.Response(503),
        _page(nextUri="https://trino.test/n1"),
        httpx.Response(502),
        _page(data=[["alice"]]),
    ]
    answer = _statement(_client(answers), "https://trino.test", "SELECT 1", {}, None)
    assert answer.ok and answer.user == "alice"


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_an_undecided_status_that_stays_is_no_answer_to_judge_by(status: int):
    with pytest.raises(CannotJudge, match=f"HTTP {status}"):
        _statement(
            _client(lambda request: httpx.Response(status)), "https://trino.test", "SELECT 1", {}, None
        )


# "a" may be masked: another test of the same process may have registered it as a short secret.
NOT_A_STATEMENT = r"HTTP 200 without .{1,3} statement answer"


@pytest.mark.parametrize(
    "body",
    ["", '{"id": "q1", "nextUri": ', '["a", "list"]', "{}", '{"status": "UP"}'],
    ids=["empty", "cut", "list", "empty-object", "health-page"],
)
def test_a_200_without_a_statement_answer_is_no_answer_to_judge_by(body: str):
    with pytest.raises(CannotJudge, match=NOT_A_STATEMENT):
        _statement(_client([httpx.Response(200, text=body)]), "https://trino.test", "SELECT 1", {}, None)
    with pytest.raises(CannotJudge, match=NOT_A_STATEMENT):
        _statement(
            _client([_page(nextUri="https://trino.test/n1"), httpx.Response(200, text=body)]),
            "https://trino.test",
            "SELECT 1",
            {},
            None,
        )


class _Target:
    """What ``submit`` reads of a target: where the coordinator listens and the CA to trust."""

    def __init__(self, port: int, plain_port: int, ca_path: str) -> None:
        self.host, self.port, self.ca_path, self._plain = "127.0.0.1", port, ca_path, plain_port
        self.url = f"https://127.0.0.1:{port}"

    def plain_http_port(self) -> int:
        return self._plain


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_silence_over_https_is_no_answer_to_judge_by(tmp_path):
    """Nothing listening, a reset, a timeout: no login was refused or accepted by anyone."""
    authority = CertificateAuthority.create("silence test CA")
    ca = tmp_path / "ca.pem"
    ca.write_bytes(authority.cert_pem)
    target = _Target(_closed_port(), _closed_port(), str(ca))
    with pytest.raises(CannotJudge, match="refused"):
        submit(target)
    port = _closed_port()
    with serving(Mode.RESET, [port], [], authority.issue_server("trino", ["127.0.0.1"], days=90)):
        with pytest.raises(CannotJudge, match="closed"):
            submit(_Target(port, _closed_port(), str(ca)))


def test_silence_over_plain_http_stays_evidence_for_the_cleartext_checks(tmp_path):
    """No listener on the plain-HTTP port is what a cleartext check wants to see (beside an HTTPS answer)."""
    answer = submit(_Target(_closed_port(), _closed_port(), str(tmp_path / "unused.pem")), plain_http=True)
    assert answer.transport is not None and answer.transport.kind == "refused"
