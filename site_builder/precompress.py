"""Write a gzip copy (``<file>.gz``) beside every text file of a built site.

Why: citizens on 2G pay for every byte, and a web server set up like nginx's ``gzip_static on``
sends the ready-made ``.gz`` to any browser that accepts gzip, at the best compression level and
with no per-request CPU. The page-weight report (``page_weight``) measures with the same
:func:`gzip_bytes`, so the sizes it prints are the bytes actually sent.

Rules:

- Eligible files end in one of :data:`COMPRESSIBLE` (case-insensitive); images, fonts and
  archives are compressed already. A ``.gz`` is never compressed again.
- Reproducible: level 9, modification time 0, no file name and the "unknown" OS byte in the
  header, so the same site gives byte-identical ``.gz`` files (with the same zlib).
- A ``.gz`` is written only when it is smaller than its file (a tiny file can grow); otherwise a
  ``.gz`` left there by an earlier build is removed, since the server would send it instead.
- An existing ``.gz`` beside an eligible file is always overwritten: MkDocs cleans the site folder
  before a build, but not with ``--dirty`` nor when serving, and a stale ``.gz`` would be served in
  place of the fresh file. A ``.gz`` whose file is gone is left alone: it may be a download the
  organizer put there on purpose.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from site_builder.forked import spare_cores
from site_builder.messages import say

COMPRESSIBLE = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map",
                          ".csv"})
"""Suffixes of the files that get a ``.gz`` and that the page weight counts gzipped."""

_OS_BYTE = 9  # offset of the gzip header's "operating system" byte (RFC 1952)
_OS_UNKNOWN = 255


def is_compressible(path: Path | str) -> bool:
    """True when ``path`` is a text file that parole precompresses."""
    return Path(path).suffix.lower() in COMPRESSIBLE


class _RecentGzips:
    """The gzip of recently compressed contents, by a digest of the content, up to ``limit``
    bytes of gzip (the oldest are forgotten first).

    Why: a build compresses every page twice, once for the page-weight report and once for its
    ``.gz`` file; at level 9 that is the plugin's biggest cost on a big site (3 s for the 140 MB
    of a 1000-page site in MkDocs' theme). Keyed by content, the second pass finds the first
    one's result whatever the order of the two, and never a stale one.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._gzips: OrderedDict[bytes, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: bytes) -> bytes | None:
        with self._lock:
            found = self._gzips.get(key)
            if found is not None:
                self._gzips.move_to_end(key)
            return found

    def add(self, key: bytes, compressed: bytes) -> None:
        with self._lock:
            if key in self._gzips or len(compressed) > self.limit:
                return
            self._gzips[key] = compressed
            self._size += len(compressed)
            while self._size > self.limit:
                self._size -= len(self._gzips.popitem(last=False)[1])


_recent = _RecentGzips(32 * 1024 * 1024)


def digest(data: bytes) -> bytes:
    """What tells contents apart: gzips are remembered, and ``.gz`` files checked, by it."""
    return hashlib.blake2b(data, digest_size=20).digest()


def gzip_bytes(data: bytes, key: bytes | None = None) -> bytes:
    """``data`` gzipped at level 9 with a reproducible header (mtime 0, no name, OS unknown);
    ``key``: ``data``'s :func:`digest`, when known already."""
    key = key or digest(data)
    found = _recent.get(key)
    if found is not None:
        return found
    compressed = bytearray(zlib.compress(data, level=9, wbits=31))
    compressed[_OS_BYTE] = _OS_UNKNOWN  # zlib writes the build platform's code here
    _recent.add(key, bytes(compressed))
    return bytes(compressed)


class BackgroundGzips:
    """Gzip pages, and write their ``.gz`` files, on the spare cores while the build renders
    the next pages.

    Why: MkDocs renders pages one after the other in one thread, so on a machine with two cores
    one of them idles during the rendering, and then the page-weight report and
    :func:`precompress_site` had to gzip every page after it (3 s for the 140 MB of a 1000-page
    site in MkDocs' theme, bench/README.md), and write 1000 ``.gz`` files (1 s more). Started
    as each page is rendered, zlib and the writing (which release the GIL) run beside the
    rendering; both later passes find each page's gzip by its content among the recent ones,
    and :func:`precompress_site` keeps a ``.gz`` written here only if its page, read again
    then, is still what was gzipped (:attr:`written`). At most ``pending`` pages wait in
    memory at once.
    """

    def __init__(self, pending: int = 64) -> None:
        workers = max(1, spare_cores())  # one core renders
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parole-gzip")
        self._slots = threading.BoundedSemaphore(pending)
        self._errors: list[BaseException] = []
        self.written: dict[Path, Written] = {}
        """The ``.gz`` files written, by their page's path."""

    def add(self, data: bytes, page: Path | None = None) -> None:
        """Start gzipping ``data``, and when ``page`` is given (the file ``data`` will be
        written to), writing ``page.gz``; waits while ``pending`` pages are already waiting."""
        self._slots.acquire()
        self._pool.submit(self._gzip, data, page).add_done_callback(self._done)

    def _gzip(self, data: bytes, page: Path | None) -> None:
        key = digest(data)
        compressed = gzip_bytes(data, key)
        if page is not None:
            page.parent.mkdir(parents=True, exist_ok=True)  # the build may not have made it yet
            self.written[page] = Written(key, write_gz(page, len(data), compressed))

    def _done(self, future: Future[None]) -> None:
        self._slots.release()
        error = future.exception()
        if error is not None:
            self._errors.append(error)

    def finish(self) -> None:
        """Wait for every started gzip; raises the first error one of them met."""
        self._pool.shutdown(wait=True)
        if self._errors:
            raise self._errors[0]


@dataclass(frozen=True)
class Written:
    """A ``.gz`` written before its file was: the :func:`digest` of the content it was made
    from, and the bytes a server sends for the file (the ``.gz``'s size, or the file's own)."""

    digest: bytes
    sent: int


def write_gz(path: Path, size: int, compressed: bytes) -> int:
    """Write ``path.gz`` when ``compressed`` is smaller than ``size`` (``path``'s), else remove
    a stale one; returns the bytes a server sends for ``path``."""
    target = path.with_name(path.name + ".gz")
    if len(compressed) >= size:
        target.unlink(missing_ok=True)
        return size
    temporary = path.with_name(path.name + ".gz.tmp")
    temporary.write_bytes(compressed)
    temporary.replace(target)  # atomic: a server never sends a half-written file
    return len(compressed)


def precompress_file(path: Path, written: Written | None = None) -> int:
    """Write ``path.gz`` when gzip makes ``path`` smaller, else remove a stale one; returns the
    bytes a server sends for ``path``. ``written``: a ``.gz`` already written for it, kept when
    ``path`` is still what it was made from."""
    data = path.read_bytes()
    key = digest(data)
    if written is not None and written.digest == key:
        return written.sent
    return write_gz(path, len(data), gzip_bytes(data, key))


def precompress_site(site_dir: Path, written: Mapping[Path, Written] | None = None
                     ) -> dict[str, int]:
    """Precompress every eligible file under ``site_dir``; returns the bytes a server sends for
    each of them, by path in the site (``faq/index.html``): the page-weight report needs them,
    and so does not read and compress the pages again. ``written``: ``.gz`` files written
    already (:attr:`BackgroundGzips.written`), kept when their file has not changed since."""
    if not site_dir.is_dir():
        raise FileNotFoundError(say("precompress.no_site", folder=site_dir))
    files = [path for path in sorted(site_dir.rglob("*")) if path.is_file()
             and is_compressible(path)]
    # zlib and file I/O release the GIL: threads compress on every core (the .gz bytes do not
    # depend on the order), which halves this step on two cores for a 1000-page site.
    written = written or {}
    with ThreadPoolExecutor() as pool:
        sent = pool.map(lambda file: precompress_file(file, written.get(file)), files)
        return {file.relative_to(site_dir).as_posix(): size
                for file, size in zip(files, sent, strict=True)}
