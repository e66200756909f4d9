"""The built site as the collector sees it: the forms' manifests and the pages its answers are
shown in.

Everything is read from the site folder the build wrote (``forms/<id>.json``, the form's page,
``404.html``), so the collector works with a site it has never seen, built by any engine that
writes manifests. Files are read again when they change on disk (``parole serve`` rebuilds the
site while the collector runs); a manifest that cannot be trusted stops the collector at start,
and later makes its form answer "refused" rather than validate against half a form.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from site_builder.forms.manifest import FOLDER, Manifest, ManifestError, read_manifest
from site_builder.messages import say

log = logging.getLogger("parole.collector")

NOT_FOUND_PAGE = "404.html"


class SiteError(Exception):
    """The folder is not a built site with forms: the message says what to do."""


@dataclass(frozen=True)
class _Cached:
    mtime_ns: int
    manifest: Manifest | None


class PublishedSite:
    """The forms and pages of the site folder ``root`` (which ``parole serve`` may swap for a
    fresh build with ``replace``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._manifests: dict[Path, _Cached] = {}
        self._lock = threading.Lock()

    def replace(self, root: Path) -> None:
        """Serve the site now built in ``root``."""
        with self._lock:
            self.root = root
            self._manifests.clear()

    def check(self, *, require_forms: bool = True) -> list[Manifest]:
        """Every manifest of the site; raises ``SiteError`` or ``ManifestError`` when the
        collector has nothing it can trust to collect (no form at all is fine for a preview
        of a site without forms: ``require_forms=False``)."""
        folder = self.root / FOLDER
        if not self.root.is_dir():
            raise SiteError(say("collector.no_site_folder", path=self.root))
        paths = sorted(folder.glob("*.json"))
        if not paths and require_forms:
            raise SiteError(say("collector.no_manifests", path=self.root, folder=FOLDER))
        return [read_manifest(path) for path in paths]

    def language(self) -> str | None:
        """The language the site is written in, as its first form manifest says it (``fr``), or
        None when none says (no site, no form, an unreadable manifest): ``parole collect``
        speaks it to organizers (``messages.use_language``). Read leniently, before the
        manifests are checked, so that even their errors are said in the site's language."""
        for path in sorted((self.root / FOLDER).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and isinstance(data.get("language"), str):
                return str(data["language"])
        return None

    def manifest(self, form_id: str) -> Manifest | None:
        """The manifest of ``form_id`` as on disk now, or None (no such form, or a manifest
        that cannot be trusted: logged)."""
        if not form_id or "/" in form_id or "\\" in form_id or form_id.startswith("."):
            return None
        path = self.root / FOLDER / f"{form_id}.json"
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            return None
        with self._lock:
            cached = self._manifests.get(path)
        if cached is not None and cached.mtime_ns == mtime:
            return cached.manifest
        try:
            manifest: Manifest | None = read_manifest(path)
        except ManifestError as error:
            log.error("%s", error)
            manifest = None
        with self._lock:
            self._manifests[path] = _Cached(mtime, manifest)
        return manifest

    def page_html(self, manifest: Manifest) -> str | None:
        """The built page that shows the form, or None when it is not there."""
        url = manifest.page_url
        relative = url + "index.html" if url.endswith("/") or not url else url
        return self._read(relative)

    def not_found_html(self) -> str | None:
        return self._read(NOT_FOUND_PAGE)

    def _read(self, relative: str) -> str | None:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            return None
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
