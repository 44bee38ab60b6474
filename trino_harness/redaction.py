"""Keep generated secrets out of every output: a process-wide registry and a scrubber.

Every registered value is masked, whatever its length. A long one (``SHORT`` characters or more)
is masked wherever it occurs; a short one (a 3-letter profile password) only where it stands
alone, i.e. not between word characters, so ``abc`` is masked in ``password=abc`` or ``'abc'``
but ``abcdef`` and ``xabc`` stay readable. Whatever was registered, redaction also masks shapes
that are secret by nature: PEM private keys, JWTs, ``Authorization`` header values, passwords in
URLs, and OAuth's one-time values in URLs (``code``, ``state``, tokens). Redact before cutting a
text short: a cut through a secret leaves a piece no rule recognises.
"""

from __future__ import annotations

import base64
import re
import threading
from urllib.parse import quote, quote_plus, urlsplit

_lock = threading.Lock()
_secrets: set[str] = set()
_raw: set[bytes] = set()  # binary secrets (a keytab), masked in binary attachments
_short: re.Pattern[str] | None = None  # the short secrets' pattern, rebuilt after a registration
MASK = "***"
SHORT = 6
# What may stand right before a short secret: no word character, or an escape that a repr() or a
# JSON text put there (``\n``, ``\x0a``, ``\u000a``), whose last character is a word character.
_BEFORE = r"(?:(?<!\w)|(?<=\\[nrt])|(?<=\\x[0-9a-fA-F]{2})|(?<=\\u[0-9a-fA-F]{4}))"
_AFTER = r"(?!\w)"
# OAuth's per-login values (and credentials) as URL query or fragment parameters; the separator may
# be HTML-escaped (``&amp;``) or JSON-escaped (``\u0026``), or the URL itself percent-encoded.
_URL_KEYS = (
    r"code|state|session_state|access_token|id_token|refresh_token|client_secret|password|passwd|pwd"
    r"|token|api_?key|secret|sig|signature|x-amz-signature|x-amz-credential|sas"
)
_PATTERNS = (
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*"),
)
_URL_VALUE = re.compile(rf"(?i)((?:[?&#;]|\\u0026)(?:{_URL_KEYS})=)[^&#\s\"'<>\\]+")
_ENCODED_URL_VALUE = re.compile(
    rf"(?i)((?:%3F|%26|%23)(?:{_URL_KEYS})%3D)(?:[^&#\s\"'<>%]|%(?!26|23)[0-9A-Fa-f]{{2}})+"
)
_AUTHORIZATION = re.compile(
    r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?(?:basic|bearer|negotiate)\s+)[A-Za-z0-9+/=_.~-]+"
)
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@\"'<>]*:)[^/\s@\"'<>]+@")
# Masked after the part that says what was masked (the parameter, the header, the user name).
_KEEPING_PREFIX = (
    (_URL_VALUE, rf"\1{MASK}"),
    (_ENCODED_URL_VALUE, rf"\1{MASK}"),
    (_AUTHORIZATION, rf"\1{MASK}"),
    (_URL_PASSWORD, rf"\1{MASK}@"),
)


def register_secret(value: str) -> str:
    """Remember ``value`` (and return it) so :func:`redact` masks it, also percent-encoded."""
    global _short
    if value:
        with _lock:
            _secrets.update({value, quote(value, safe=""), quote_plus(value)})
            _short = None
    return value


def register_secret_bytes(data: bytes) -> bytes:
    """Remember binary secret material (and return it): the bytes themselves, and the text forms
    they take in an output (base64, URL-safe base64, hex, the inside of a ``repr``)."""
    if data:
        with _lock:
            _raw.add(data)
        for form in (
            base64.b64encode(data).decode(),
            base64.urlsafe_b64encode(data).decode(),
            data.hex(),
            data.hex().upper(),
            repr(data)[2:-1],
        ):
            register_secret(form)
    return data


def registered() -> list[str]:
    """Every registered text secret (for handing the registry to another process of the run)."""
    with _lock:
        return sorted(_secrets)


def _short_pattern() -> re.Pattern[str] | None:
    global _short
    with _lock:
        if _short is None:
            short = sorted((s for s in _secrets if len(s) < SHORT), key=len, reverse=True)
            if not short:
                return None
            _short = re.compile(_BEFORE + "(?:" + "|".join(map(re.escape, short)) + ")" + _AFTER)
        return _short


def redact(text: str) -> str:
    """``text`` with every registered secret, private key, JWT, credential and OAuth value in a URL
    replaced by ``***``."""
    with _lock:
        known = sorted((s for s in _secrets if len(s) >= SHORT), key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    short = _short_pattern()
    if short is not None:
        text = short.sub(MASK, text)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    for pattern, replacement in _KEEPING_PREFIX:
        text = pattern.sub(replacement, text)
    return text


def redact_bytes(data: bytes) -> bytes:
    """``data`` with every registered binary secret replaced by ``***`` (``data`` itself if none is in it)."""
    with _lock:
        known = sorted(_raw, key=len, reverse=True)
    for secret in known:
        if secret in data:
            data = data.replace(secret, MASK.encode())
    return data


def bare_url(url: str) -> str:
    """``url`` as a report may show it: scheme, host and path, without query, fragment or user info
    (an OAuth callback's ``code`` and ``state``, a token in a fragment)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return redact(f"{parts.scheme}://{host}{parts.path}" if parts.scheme else parts.path)
