"""Starting a collector: ``parole collect`` (the collector alone, behind a front server that
serves the site) and ``parole serve`` (the site and the collector on one port, for trying a
consultation out on one's own machine).

uvicorn's access log is off: it would write every client's address. The collector logs what
it did with each answer instead, without any address or receipt code. How uvicorn serves
(deadlines, connection limit) is in ``server``.
"""

from __future__ import annotations

import logging
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from site_builder.collector.app import create_app
from site_builder.collector.server import Terminated, run_server
from site_builder.collector.settings import Collector, Settings
from site_builder.collector.startup import bind_secret
from site_builder.messages import say
from site_builder.storage import open_storage
from site_builder.storage.common import redact_url

log = logging.getLogger("parole.collector")

POLL_SECONDS = 1.0
"""How often ``parole serve`` looks for changed content to rebuild."""


def collect(settings: Settings, database_url: str, *, host: str, port: int,
            new_secret: bool = False) -> None:
    """Run the collector until interrupted. Raises ``StorageError``, ``SiteError``,
    ``ManifestError`` or ``SecretError`` before listening when the database, the site or the
    secret cannot be used; ``new_secret`` makes the database adopt this collector's secret."""
    storage = open_storage(database_url)
    try:
        bind_secret(storage, settings.secret, database_url, replace=new_secret)
        collector = Collector(settings, storage)
        collector.load_site()
    except BaseException:
        storage.close()
        raise
    log.info("%s", say("collector.collecting", site=settings.site_dir,
                       url=redact_url(database_url)))
    _run(collector, host=host, port=port)


def serve(
    build: Callable[[Path], None],
    watched: Callable[[], list[Path]],
    settings: Settings,
    database_url: str,
    *,
    host: str,
    port: int,
    new_secret: bool = False,
) -> None:
    """Build the site with ``build(folder)``, serve it and the collector on host:port, and build
    again (into a fresh folder, swapped in once complete) when a file under ``watched()``
    changes. The build folders are deleted when it stops, by SIGTERM too: the preview
    database may be among them."""
    # uvicorn ends on SIGTERM as on Ctrl-C, then sends SIGTERM again to the process, whose
    # default handler would end it there, before the finally below: Terminated unwinds it.
    signal.signal(signal.SIGTERM, _terminated)
    first = Path(tempfile.mkdtemp(prefix="parole-site-"))
    build(first)
    storage = open_storage(database_url)
    try:
        bind_secret(storage, settings.secret, database_url, replace=new_secret, command="serve")
    except BaseException:
        storage.close()
        shutil.rmtree(first, ignore_errors=True)
        raise
    collector = Collector(replace(settings, site_dir=first, serve_site=True), storage)
    collector.load_site()
    stop = threading.Event()
    watcher = threading.Thread(target=_rebuild_on_change,
                               args=(collector, build, watched, stop), daemon=True)
    watcher.start()
    log.info("%s", say("collector.serving", host=host, port=port,
                       url=redact_url(database_url)))
    try:
        _run(collector, host=host, port=port)
    finally:
        stop.set()
        shutil.rmtree(collector.site.root, ignore_errors=True)


def _terminated(signal_number: int, frame: object) -> None:
    raise Terminated


def _run(collector: Collector, *, host: str, port: int) -> None:
    run_server(create_app(collector), host=host, port=port)


def _rebuild_on_change(
    collector: Collector,
    build: Callable[[Path], None],
    watched: Callable[[], list[Path]],
    stop: threading.Event,
) -> None:
    seen = _snapshot(watched())
    while not stop.wait(POLL_SECONDS):
        now = _snapshot(watched())
        if now == seen:
            continue
        seen = now
        log.info("%s", say("collector.file_changed"))
        fresh = Path(tempfile.mkdtemp(prefix="parole-site-"))
        try:
            build(fresh)
            old = collector.site.root
            collector.load_site(fresh)
        except Exception as error:  # keep serving the last good build
            log.error("%s", say("collector.not_rebuilt", error=error))
            shutil.rmtree(fresh, ignore_errors=True)
            continue
        shutil.rmtree(old, ignore_errors=True)


def _snapshot(roots: list[Path]) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in _files(roots)}


def _files(roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from (path for path in root.rglob("*") if path.is_file())
