"""The collector signs the answer log's tree head by itself (issue #19), when it was given the
journal's key (``parole collect --log-key FILE``): every ``--log-checkpoint-minutes`` (60 by
default) if the log grew since the newest checkpoint, and, once the consultation has closed (every
form's ``closes`` is past), at the next look, so that the final count is signed without waiting.
It looks every ``TICK_SECONDS``; a look costs one ``COUNT`` of the log.

The time since the newest checkpoint is read from the database (``signed_at``), so restarts do
not delay nor multiply checkpoints, and several collectors sharing a PostgreSQL database sign
one tree head at a given size (``add_checkpoint`` keeps the first). The signing runs in a
thread (reading the leaves and hashing them takes about a second per million answers); a
failure (the database unreachable, a log that no longer checks out) is logged and tried again
at the next look, never stopping the collector.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from site_builder.answer_log.note import SignerKey
from site_builder.answer_log_commands.head import sign_head
from site_builder.collector.settings import Collector
from site_builder.messages import say
from site_builder.storage.answer_log import StoredCheckpoint

log = logging.getLogger("parole.collector")

TICK_SECONDS = 60.0
"""How often the collector looks whether a checkpoint is due: the latest a closing is signed."""


class PeriodicCheckpoints:
    """The collector's checkpoints, for one running collector."""

    def __init__(self, collector: Collector, signer: SignerKey, minutes: int) -> None:
        self.collector = collector
        self.signer = signer
        self.interval = timedelta(minutes=minutes)
        self.newest: StoredCheckpoint | None = None
        self._known = False
        self._stop = asyncio.Event()

    def closed(self) -> bool:
        """Every form of the site has closed (its ``closes`` day is past)."""
        closes = [manifest.closes for manifest in self.collector.manifests]
        if not closes or None in closes:
            return False
        return self.collector.settings.today() > max(day for day in closes if day is not None)

    def look(self) -> StoredCheckpoint | None:
        """Sign a checkpoint if one is due; the one signed, or None (blocking: in a thread)."""
        storage = self.collector.storage
        if not self._known:
            stored = storage.checkpoints()
            self.newest = stored[-1] if stored else None
            self._known = True
        size = storage.log_size()
        newest = self.newest
        if size == 0 or (newest is not None and size <= newest.size):
            return None
        now = self.collector.settings.now()
        if newest is not None and not self.closed() and now - newest.signed_at < self.interval:
            return None
        signed = sign_head(storage, self.signer, now)
        self.newest = signed.checkpoint
        return signed.checkpoint if signed.new else None

    async def run(self) -> None:
        """Look now, then every ``TICK_SECONDS``, until ``stop``."""
        while not self._stop.is_set():
            try:
                signed = await asyncio.to_thread(self.look)
            except Exception as error:  # logged; the next look tries again
                self._known = False
                log.error("%s", say("collector.log.checkpoint_failed", error=error))
            else:
                if signed is not None:
                    log.info("%s", say("collector.log.checkpoint_signed", size=signed.size))
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=TICK_SECONDS)
            except TimeoutError:
                continue

    def stop(self) -> None:
        self._stop.set()


def periodic_checkpoints(collector: Collector) -> PeriodicCheckpoints | None:
    """The periodic checkpoints of ``collector``, if it was given the journal's key."""
    settings = collector.settings
    if settings.log_signer is None:
        return None
    return PeriodicCheckpoints(collector, settings.log_signer, settings.log_checkpoint_minutes)

