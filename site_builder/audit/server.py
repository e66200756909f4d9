"""The audit's web server: the built site and the collector's pages, on 127.0.0.1 only.

The browser must load the pages over HTTP as citizens do (relative links, the stylesheet, the
404 page), yet nothing of the organizer's machine may leak: the server listens on the loopback
address alone, on a free port, answers GET and HEAD only (405 otherwise), and serves only
regular files inside the site folder. A path is refused before the disk is touched when it
could lead elsewhere: a ``..`` or ``.`` segment (written or percent-encoded), a backslash, an
empty segment, a NUL or other control character, bytes that are not UTF-8, a request target
that is not a path (``http://host/…``, ``*``); a file whose real path is outside the folder
(a symbolic link pointing out) is not found, and so is any name starting with a dot. Folders
are never listed: ``x/`` is ``x/index.html`` or not found, ``x`` for a folder redirects to
``x/`` as web servers do, so that the page's relative links resolve.

A missing page gets the site's own ``404.html`` with status 404. When the site is published
under a path (``site_url: https://example.org/consultation/``), the collector's pages link to
``/consultation/…``: ``prefix`` makes the site answer there too.
"""

from __future__ import annotations

import http.server
import mimetypes
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path

HOST = "127.0.0.1"
METHODS = ("GET", "HEAD")
NOT_FOUND_PAGE = "404.html"
INDEX = "index.html"
TEXT_TYPES = {"text/html", "text/css", "text/plain", "text/csv", "text/xml", "text/javascript",
              "application/javascript", "application/json", "image/svg+xml",
              "application/xml"}
"""Types sent with ``; charset=utf-8`` (parole writes every text file in UTF-8)."""
EXTRA_TYPES = {".json": "application/json", ".svg": "image/svg+xml", ".webp": "image/webp",
               ".avif": "image/avif", ".js": "text/javascript", ".woff2": "font/woff2",
               ".gz": "application/gzip", ".webmanifest": "application/manifest+json"}
"""Types by extension that ``mimetypes`` may not know on every system."""


@contextmanager
def serve(site_dir: Path, extra: Mapping[str, str], *, prefix: str = "/") -> Iterator[str]:
    """Serve ``site_dir`` and the ``extra`` pages (path → HTML) on 127.0.0.1, on a free port, in
    a thread; yields the base URL (``http://127.0.0.1:PORT/``), and stops at the end.
    ``prefix`` (``/consultation/``) is a second place the site answers at."""
    handler = partial(_Handler, root=site_dir.resolve(), extra=dict(extra),
                      prefix=prefix if prefix.endswith("/") else f"{prefix}/")
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="parole-audit-server",
                              daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _Refused(Exception):  # noqa: N818 - a status, not a failure of ours
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "parole-audit"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def __init__(self, *args: object, root: Path, extra: dict[str, str], prefix: str) -> None:
        self.root = root
        self.extra = extra
        self.prefix = prefix
        super().__init__(*args)  # type: ignore[arg-type]

    def parse_request(self) -> bool:
        """Every method but GET and HEAD is answered 405 here, before any ``do_`` method."""
        if not super().parse_request():
            return False
        if self.command not in METHODS:
            self._send(405, b"", "text/plain", {"Allow": ", ".join(METHODS)})
            return False
        return True

    def do_GET(self) -> None:
        try:
            path = _decoded_path(self.path)
            if path in self.extra:
                self._send(200, self.extra[path].encode("utf-8"), "text/html")
                return
            file, name = self._file(path)
        except _Refused as refused:
            if refused.status == 404:
                self._not_found()
            else:
                self._send(refused.status, b"", "text/plain")
            return
        if file.is_dir():
            location = urllib.parse.quote(f"{path}/")
            self._send(301, b"", "text/plain", {"Location": location})
            return
        self._send(200, file.read_bytes(), _content_type(name))

    do_HEAD = do_GET  # noqa: N815 - the name http.server calls

    def _file(self, path: str) -> tuple[Path, str]:
        """The file ``path`` names inside the site, and its name as asked (its type goes by
        that name, not by where a link inside the site points); raises ``_Refused`` (404)
        otherwise."""
        if self.prefix != "/" and path.startswith(self.prefix):
            path = "/" + path[len(self.prefix):]
        parts = path[1:].split("/")
        folder = parts[-1] == ""
        if folder:
            parts[-1] = INDEX
        if any(not part or part.startswith(".") for part in parts):
            raise _Refused(404)
        candidate = self.root.joinpath(*parts)
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            raise _Refused(404) from None
        if not real.is_relative_to(self.root) or not (real.is_file() or real.is_dir()):
            raise _Refused(404)
        if real.is_dir() and folder:
            raise _Refused(404)
        return real, parts[-1]

    def _not_found(self) -> None:
        page = self.root / NOT_FOUND_PAGE
        body = page.read_bytes() if page.is_file() else b"Not found\n"
        self._send(404, body, "text/html" if page.is_file() else "text/plain")

    def _send(self, status: int, body: bytes, content_type: str,
              headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        if status in (400, 405):
            self.close_connection = True  # a body we did not read must not become a request
        kind = f"{content_type}; charset=utf-8" if content_type in TEXT_TYPES else content_type
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the command prints its own progress."""


def _decoded_path(target: str) -> str:
    """The request target's path, percent-decoded; raises ``_Refused`` (400) for a target that is
    not a path, for bytes that are not UTF-8 or control characters, and (404) for a ``..`` or
    ``.`` segment or a backslash, written or encoded."""
    if not target.startswith("/") or target.startswith("//"):
        raise _Refused(400)
    raw = target.split("?", 1)[0].split("#", 1)[0]
    try:
        path = urllib.parse.unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400) from None
    if any(ord(character) < 32 or ord(character) == 127 for character in path):
        raise _Refused(400)
    if "\\" in path or any(part in (".", "..") for part in path.split("/")):
        raise _Refused(404)
    return path


def _content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return EXTRA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or \
        "application/octet-stream"
