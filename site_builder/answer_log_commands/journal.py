"""A published journal's files, read from a folder or over http(s), every read bounded: what
``parole log verify`` checks. Nothing read here is trusted until checked (``verify``)."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path
from typing import IO

from site_builder.answer_log_commands.errors import CANNOT_CHECK, REFUSED, LogCommandError

TIMEOUT = 20.0
"""Seconds a request may wait for the server."""
USER_AGENT = "parole-log-verify/1"


class _SameSchemeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib would follow ftp:// too)."""

    def redirect_request(  # noqa: PLR0917 (urllib's signature)
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
        headers: http.client.HTTPMessage, newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise LogCommandError("log.verify.bad_scheme", where=newurl, status=CANNOT_CHECK)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Journal:
    """The journal at ``where``: an http(s) address, or a folder (a copy of the journal)."""

    def __init__(self, where: str, timeout: float = TIMEOUT) -> None:
        where = where.strip()
        if where.endswith("/checkpoint"):  # the checkpoint's own address
            where = where.removesuffix("checkpoint")
        scheme = urllib.parse.urlsplit(where).scheme.lower()
        self.timeout = timeout
        self.url: str | None = None
        self.folder = Path(where)
        if scheme in ("http", "https"):
            self.url = where.rstrip("/") + "/"
            self._opener = urllib.request.build_opener(_SameSchemeRedirects)
        elif scheme:
            raise LogCommandError("log.verify.bad_scheme", where=where, status=CANNOT_CHECK)
        elif not self.folder.is_dir():
            raise LogCommandError("log.verify.not_a_folder", where=where, status=CANNOT_CHECK)

    def name(self, path: str) -> str:
        """Where ``path`` is, as messages say it."""
        return self.url + path if self.url else str(self.folder.joinpath(*path.split("/")))

    def read(self, path: str, limit: int) -> bytes:
        """The file ``path`` of the journal, at most ``limit`` bytes (more is refused)."""
        data = self._fetch(path, limit) if self.url else self._read_file(path, limit)
        if len(data) > limit:
            raise LogCommandError("log.verify.too_large", file=self.name(path), limit=limit,
                                  status=REFUSED)
        return data

    def _read_file(self, path: str, limit: int) -> bytes:
        name = Path(self.name(path))
        if not name.is_file():
            raise LogCommandError("log.verify.missing", file=name, status=CANNOT_CHECK)
        try:
            with name.open("rb") as file:
                return file.read(limit + 1)
        except OSError as error:
            raise LogCommandError("log.verify.unreadable", file=name,
                                  reason=error.strerror or str(error),
                                  status=CANNOT_CHECK) from None

    def _fetch(self, path: str, limit: int) -> bytes:
        url = self.name(path)
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, identity",
                                                       "User-Agent": USER_AGENT})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data: bytes = response.read(limit + 1024 + 1)  # room for gzip's own bytes
                encoding = response.headers.get("Content-Encoding", "identity")
        except urllib.error.HTTPError as error:
            key = "log.verify.missing" if error.code in (404, 410) else "log.verify.http_status"
            raise LogCommandError(key, file=url, status_code=error.code,
                                  status=CANNOT_CHECK) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise LogCommandError("log.verify.network", file=url, reason=reason,
                                  status=CANNOT_CHECK) from None
        if len(data) > limit + 1024:
            raise LogCommandError("log.verify.too_large", file=url, limit=limit, status=REFUSED)
        if encoding.lower() == "gzip":
            try:
                data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, limit + 1)
            except zlib.error:
                raise LogCommandError("log.verify.bad_compression", file=url,
                                      status=REFUSED) from None
        return data
