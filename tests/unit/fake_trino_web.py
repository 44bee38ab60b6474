"""A Trino-like Web UI and identity provider on 127.0.0.1, for driving the real browser probes.

The pages carry the signals the probes wait for, as Trino 476's classic UI renders them: the login
form is hidden until a script shows it (``login.js``), the overview's title bar with its
``#logout a.btn-logout`` link appears only after ``/ui/api/cluster`` has answered. Each delay is
the page's own (a script timer or a slow handler), so a test can make a page late or never settle.
The identity provider is a Keycloak-like form (``username``, ``password``, ``kc-login``) that sends
a good login to the UI's ``/oauth2/callback`` and answers a wrong password with its message.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

NEVER = -1  # a delay that never ends: the element is never rendered
FORM_COOKIE = "Trino-UI-Token"
OAUTH2_COOKIE = "__Secure-Trino-OAuth2-Token"
PASSWORD = "pw-alice-123"


def jwt(payload: dict) -> str:
    """An unsigned-looking JWT whose claims the probe reads (it never verifies a signature)."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(payload)}.c2ln"


@dataclass
class Behaviour:
    """How the fake answers; tests change it before driving the browser."""

    form_after_ms: int = 0  # login.html shows its form after this (NEVER: never)
    log_out_after_ms: int = 0  # the overview renders Log Out this long after /ui/api/cluster answered
    login_answer_s: float = 0  # how long POST /ui/login takes to answer
    login_answer: str = "redirect"  # "redirect" (Trino), or "blank": a page without title or form
    ui_without_login: bool = False  # web-ui.authentication.type=fixed: /ui/ is the overview
    ui_blank: bool = False  # /ui/ answers a page that is neither Trino's login document nor the UI
    api_status: int = 401  # /ui/api/stats without a session
    api_location: str = ""  # a Location header for a 3xx answer of /ui/api/stats
    token: str = field(default_factory=lambda: jwt({"iss": "idp", "preferred_username": "alice"}))
    provider: str = ""  # the identity provider's base URL (set by ``serving``)
    # "METHOD path" -> how many of the next such requests get no answer at all (the connection closed)
    drops: dict[str, int] = field(default_factory=dict)
    # the provider's login POST gets no answer from the browsers shown its form the first N times
    # (Chromium itself repeats a POST once on a closed keep-alive connection: this outlasts that)
    unanswered_logins_of_first_forms: int = 0
    forms_shown: int = 0


LOGIN_HTML = """<!DOCTYPE html><html><head><title>Cluster Overview - Trino</title></head><body>
<div class="login-form"><form id="login" action="login" method="post" style="display: none">
<input id="username" name="username" type="text"><input id="password" name="password" type="password">
<button id="submit" type="submit">Log In</button></form></div>
<script>
  var after = %(after)d;
  if (after >= 0) setTimeout(function () {
    document.getElementById("login").style.display = "block";
    document.getElementById("username").value = "";  /* login.js clears it as it shows the form */
  }, after);
</script></body></html>"""

OVERVIEW_HTML = """<!DOCTYPE html><html><head><title>Cluster Overview - Trino</title></head><body>
<div class="container"><div id="title"></div><div id="cluster-hud"><div class="loader">Loading...</div></div>
</div>
<script>
  var after = %(after)d;
  fetch("/ui/api/cluster", {credentials: "same-origin"}).then(function (r) { return r.json(); })
    .then(function (info) {
      if (after < 0) return;
      setTimeout(function () {
        document.getElementById("title").innerHTML = '<nav class="navbar">' + info.environment +
          ' <span class="text" id="logout"><a class="btn btn-logout" href="logout">Log Out</a></span></nav>';
      }, after);
    });
</script></body></html>"""

DISABLED_HTML = """<!DOCTYPE html><html><head><title>Cluster Overview - Trino</title></head><body>
<h2 class="text-center">Web Interface is Disabled</h2></body></html>"""

PROVIDER_HTML = """<!DOCTYPE html><html><head><title>Sign in to trino</title></head><body>
%(message)s<form id="kc-form-login" action="/login-actions/authenticate?%(query)s" method="post">
<input id="username" name="username"><input id="password" name="password" type="password">
<input id="kc-login" type="submit" value="Sign In"></form></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: str = "", headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body:
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

    def _cookie(self, name: str) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def do_GET(self) -> None:
        self.server.route(self, "GET")

    def do_POST(self) -> None:
        self.server.route(self, "POST")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, behaviour: Behaviour, role: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour, self.role = behaviour, role
        self.ui = ""  # the UI's base URL, for the provider's redirect back

    def route(self, h: _Handler, method: str) -> None:
        key = f"{method} {urlsplit(h.path).path}"
        if self.behaviour.drops.get(key, 0) > 0:
            self.behaviour.drops[key] -= 1
            if method == "POST":
                h._form()
            h.close_connection = True  # no status line: Chromium shows its ERR_EMPTY_RESPONSE page
            return
        if self.role == "provider":
            self._provider(h, method)
        elif self.role == "oauth2-ui":
            self._oauth2_ui(h)
        else:
            self._form_ui(h, method)

    def _form_ui(self, h: _Handler, method: str) -> None:
        b, path = self.behaviour, urlsplit(h.path).path
        logged_in = b.ui_without_login or h._cookie(FORM_COOKIE) == "session-value"
        if path == "/ui/login.html" and b.ui_without_login:
            h._send(303, headers={"Location": "/ui/"})  # as Trino sends a logged-in user to the UI
        elif path == "/ui/login.html":
            h._send(200, LOGIN_HTML % {"after": b.form_after_ms})
        elif path == "/ui/login" and method == "POST":
            form = h._form()
            if b.login_answer_s:
                time.sleep(b.login_answer_s)  # the server is slow to answer (LDAP under load)
            if b.login_answer == "blank":
                h._send(200, "<html><body></body></html>")
            elif form.get("password") == PASSWORD:
                cookie = f"{FORM_COOKIE}=session-value; Path=/ui; HttpOnly"
                h._send(303, headers={"Location": "/ui/", "Set-Cookie": cookie})
            else:
                h._send(303, headers={"Location": "/ui/login.html"})
        elif path == "/ui/disabled.html":
            h._send(200, DISABLED_HTML)
        elif path == "/ui/api/cluster":
            self._cluster(h, logged_in)
        elif path in ("/ui", "/ui/") and b.ui_blank:
            h._send(200, "<html><body></body></html>")
        elif path in ("/ui", "/ui/"):
            if logged_in:
                h._send(200, OVERVIEW_HTML % {"after": b.log_out_after_ms})
            else:
                h._send(303, headers={"Location": "/ui/login.html"})
        else:
            h._send(404, "not found")

    def _cluster(self, h: _Handler, logged_in: bool) -> None:
        if not logged_in:
            h._send(401, headers={"WWW-Authenticate": "Trino-Form-Login"})
            return
        data = json.dumps({"environment": "test", "uptime": "1m"}).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _oauth2_ui(self, h: _Handler) -> None:
        b, path = self.behaviour, urlsplit(h.path).path
        session = h._cookie(OAUTH2_COOKIE) is not None or b.ui_without_login
        if path == "/ui/api/stats":
            if session:
                h._send(200, "{}")
            else:
                h._send(b.api_status, headers={"Location": b.api_location} if b.api_location else {})
        elif path == "/ui/api/cluster":
            self._cluster(h, session)
        elif path == "/oauth2/callback":
            half = len(b.token) // 2
            cookies = [
                f"{OAUTH2_COOKIE}={b.token[:half]}; Path=/ui/; Secure; HttpOnly",
                f"{OAUTH2_COOKIE}_1={b.token[half:]}; Path=/ui/; Secure; HttpOnly",
            ]
            h.send_response(303)
            h.send_header("Location", "/ui/")
            for cookie in cookies:
                h.send_header("Set-Cookie", cookie)
            h.send_header("Content-Length", "0")
            h.end_headers()
        elif path in ("/ui", "/ui/"):
            if session:
                h._send(200, OVERVIEW_HTML % {"after": b.log_out_after_ms})
            else:
                h._send(303, headers={"Location": f"{b.provider}/auth?state=s&nonce=n"})
        else:
            h._send(404, "not found")

    def _provider(self, h: _Handler, method: str) -> None:
        path = urlsplit(h.path).path
        b = self.behaviour
        if path == "/auth":
            b.forms_shown += 1
            h._send(200, PROVIDER_HTML % {"message": "", "query": "session_code=c"})
        elif path == "/login-actions/authenticate" and method == "POST":
            form = h._form()
            if b.forms_shown <= b.unanswered_logins_of_first_forms:
                h.close_connection = True  # no status line: Chromium shows its ERR_EMPTY_RESPONSE page
                return
            if form.get("password") == PASSWORD:
                h._send(302, headers={"Location": f"{self.ui}/oauth2/callback?code=secret-code&state=s"})
            else:
                message = '<span id="input-error">Invalid username or password.</span>'
                h._send(200, PROVIDER_HTML % {"message": message, "query": "session_code=d"})
        else:
            h._send(404, "not found")


@contextmanager
def _running(server: _Server) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scheme = "https" if isinstance(server.socket, ssl.SSLSocket) else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def form_ui(behaviour: Behaviour) -> Iterator[str]:
    """A form-login Web UI over plain HTTP (the probes judge pages, not transport)."""
    with _running(_Server(behaviour, "form-ui")) as url:
        yield url


@contextmanager
def oauth2_ui(behaviour: Behaviour, cert: Path, key: Path) -> Iterator[tuple[str, str]]:
    """(the UI over HTTPS with ``cert``, the identity provider over HTTP): two origins, two netlocs."""
    ui, provider = _Server(behaviour, "oauth2-ui"), _Server(behaviour, "provider")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    # the handshake happens in each request's thread, so a silent client never blocks the others
    ui.socket = context.wrap_socket(ui.socket, server_side=True, do_handshake_on_connect=False)
    with _running(ui) as ui_url, _running(provider) as provider_url:
        provider.ui, behaviour.provider = ui_url, provider_url
        yield ui_url, provider_url
