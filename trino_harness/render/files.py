"""A rendered configuration: relative path → content and file mode."""

from __future__ import annotations

import io
import os
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import javaproperties

SECRET_MODE = 0o600
PUBLIC_MODE = 0o644


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` created 0600 from the start (never briefly world-readable)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, SECRET_MODE)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


@dataclass
class FileSet:
    """Files destined for one directory inside one container."""

    files: dict[str, tuple[bytes, int]] = field(default_factory=dict)

    def add(self, path: str, content: str | bytes, mode: int = PUBLIC_MODE) -> None:
        data = content.encode() if isinstance(content, str) else content
        self.files[path] = (data, mode)

    def text(self, path: str) -> str:
        return self.files[path][0].decode()

    @classmethod
    def read_from(cls, root: Path) -> FileSet:
        """The files under ``root`` (as :meth:`write_to` left them), keeping each file's mode."""
        files = cls()
        for path in sorted(root.rglob("*")):
            if path.is_file():
                files.add(path.relative_to(root).as_posix(), path.read_bytes(), path.stat().st_mode & 0o777)
        return files

    def write_to(self, root: Path) -> None:
        """Write under ``root`` (created 0700) keeping each file's mode; for inspection and compose."""
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        for rel, (data, mode) in sorted(self.files.items()):
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(mode)

    def tar(self, destination: str, uid: int = 0, gid: int = 0) -> bytes:
        """A tar archive placing the files under absolute ``destination`` owned by ``uid``:``gid``."""
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            dirs: set[str] = set()
            for rel, (data, mode) in sorted(self.files.items()):
                parts = f"{destination.strip('/')}/{rel}".split("/")
                for depth in range(1, len(parts)):
                    d = "/".join(parts[:depth])
                    if d not in dirs:
                        dirs.add(d)
                        info = tarfile.TarInfo(d)
                        info.type, info.mode, info.uid, info.gid = tarfile.DIRTYPE, 0o755, uid, gid
                        tar.addfile(info)
                info = tarfile.TarInfo("/".join(parts))
                info.size, info.mode, info.uid, info.gid = len(data), mode, uid, gid
                tar.addfile(info, io.BytesIO(data))
        return buf.getvalue()


# What a value must escape for java.util.Properties to read it back unchanged: the backslash, line
# breaks and other control characters, and anything outside ASCII (Trino's loader may read the bytes
# as ISO-8859-1, so ``\uXXXX`` is the one safe form). ``=``, ``:``, ``#`` and ``!`` inside a value
# need no escape, so URLs stay readable in the rendered etc/.
_VALUE_ESCAPE = re.compile(r"[^\x20-\x7E]|\\")


def _escape_value(text: str) -> str:
    escaped = _VALUE_ESCAPE.sub(lambda m: javaproperties.escape(m.group()), text)
    return "\\" + escaped if escaped.startswith(" ") else escaped


def properties(values: dict[str, str | int | bool]) -> str:
    """Java properties text; booleans lower-case. Keys are escaped by ``javaproperties`` as
    ``Properties.store`` would, values only as far as Java needs (a backslash doubled, so a regex's
    ``\\.`` reaches Trino as written), and every line is read back with ``javaproperties``: a value
    that would not reach Trino unchanged is an error here, not a misconfiguration there."""
    lines = []
    for key, value in values.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        line = f"{javaproperties.escape(key)}={_escape_value(text)}"
        if javaproperties.loads(line) != {key: text}:
            raise ValueError(f"property {key!r}: its value would not read back unchanged as written")
        lines.append(line)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class EtcPart:
    """What a service adds to the coordinator's etc/ as data: its files, its ``config.properties``
    entries, and the authenticators it appends to ``http-server.authentication.type``."""

    files: FileSet = field(default_factory=FileSet)
    properties: dict[str, str | int | bool] = field(default_factory=dict)
    authenticators: tuple[str, ...] = ()
