"""Config values as the lints may judge and show them: which carry a secret, and how to print one.

A configuration is full of secrets that do not look like one: a password inside a JDBC URL, a
token in a listener's query string, an ``Authorization`` header. The lints judge them by a rule
(a key or parameter whose last word is a secret's: password, secret, token, credential, key ...;
a URL's user info; a header that carries credentials), not by a list of known keys, and a report
shows only key names, parameter names and lengths: never a value that may be the secret.
"""

from __future__ import annotations

import re

# The last word of a key (or of a URL or JAAS parameter, or a -D system property) that names a secret.
SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "secret",
        "passphrase",
        "credential",
        "credentials",
        "token",
        "key",
        "apikey",
    }
)
# Headers whose value is a credential, whatever their name's last word.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
# A value that only points at a secret: ${ENV:VAR}, ${FILE:path}, or a secrets plugin's ${ns:key}.
_REFERENCE = re.compile(r"\$\{[A-Za-z][A-Za-z0-9_-]*:[^}]+\}")
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# name=value pairs inside a value: URL query and ;-parameters, JAAS options, descriptor entries.
_PARAM = re.compile(r"""(?:^|[?&;,\s(])([A-Za-z][\w.-]*)\s*=\s*("[^"]*"|[^&;,\s()"]*)""")
_USERINFO = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://([^/\s@:]*):([^/\s@]+)@")
_ORACLE_LOGIN = re.compile(r"(?i)jdbc:oracle:thin:[^@/\s]+/([^@\s]+)@")


def is_reference(value: str) -> bool:
    """The value only names where the secret is (Trino resolves it at start-up)."""
    return bool(_REFERENCE.fullmatch(value.strip()))


def _last_word(name: str) -> str:
    words = [w.lower() for part in re.split(r"[.\-_\s]+", name) for w in _WORD.findall(part)]
    return words[-1] if words else ""


def is_secret_name(name: str) -> bool:
    """A key, parameter or header name whose last word names a secret (``connection-password``,
    ``s3.aws-secret-key``, ``keyStorePassword``, ``oauth2.credential``, ``X-Auth-Token``)."""
    return _last_word(name) in SECRET_WORDS or name.strip().lower() in CREDENTIAL_HEADERS


def _path_like(value: str) -> bool:
    """A file path, which is where a secret lives, not the secret (``ssl.key=/etc/trino/key.pem``)."""
    return bool(re.fullmatch(r"(/|etc/)[^\s]*", value))


def _literal(value: str) -> bool:
    """Something is written out: what is left once every ``${ENV:…}``/``${FILE:…}`` reference is
    taken out (``hunter2${ENV:X}`` still carries ``hunter2``)."""
    rest = _REFERENCE.sub("", value.strip().strip('"')).strip()
    return bool(rest) and rest.lower() not in ("true", "false")


def literal_secrets(key: str, value: str) -> list[str]:
    """What in ``key=value`` is a secret written out literally, each said without the secret: the
    value itself under a secret's name, a URL's password, a secret parameter inside the value, a
    credential header."""
    found = []
    if is_secret_name(key) and _literal(value) and not is_reference(value) and not _path_like(value):
        found.append(f"is a literal ({len(value)} characters), not a reference")
        return found
    if key.lower().endswith("headers") or re.search(r"(?i)\bauthorization\s*:", value):
        for header in value.split(","):
            name, sep, said = header.partition(":")
            credential = re.sub(
                r"(?i)^\s*(?:bearer|basic|token|negotiate|apikey)\s+", "", said
            )  # the scheme word
            if sep and is_secret_name(name) and _literal(credential):
                found.append(f"sends the {name.strip()} header literally ({len(said.strip())} characters)")
    for match in _USERINFO.finditer(value):
        if _literal(match.group(2)):
            found.append(f"holds a password in its URL's user info ({len(match.group(2))} characters)")
    for match in _ORACLE_LOGIN.finditer(value):
        if _literal(match.group(1)):
            found.append(f"holds a password in its Oracle login ({len(match.group(1))} characters)")
    for name, said in _PARAM.findall(value):
        if is_secret_name(name) and _literal(said) and not _path_like(said.strip('"')):
            found.append(f"holds a literal {name} parameter ({len(said.strip(chr(34)))} characters)")
    return found


def shown_url(value: str) -> str:
    """A URL (or a JDBC/LDAP URL) as a report may show it: scheme, host, port and path, each query
    or ``;`` parameter by name only, no user info (``?token=…`` stays a name)."""
    text = re.sub(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s@]*@", r"\1", value.strip())
    text = _ORACLE_LOGIN.sub("jdbc:oracle:thin:@", text)
    head, sep, query = text.partition("?")
    head, *params = head.split(";")
    shown_params = [p.partition("=")[0] + "=…" for p in params if p]
    if sep:
        names = [p.partition("=")[0] for p in re.split(r"[&;]", query) if p]
        head += "?" + "&".join(f"{n}=…" for n in names)
    return ";".join([head, *shown_params])
