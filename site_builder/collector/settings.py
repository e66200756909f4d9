"""The collector's settings, and the objects one collector process shares between requests."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from site_builder.answer_log.note import SignerKey
from site_builder.calendar import build_date
from site_builder.collector.body import Limits
from site_builder.collector.clients import Pseudonyms, RateLimiter
from site_builder.collector.paths import origin
from site_builder.collector.secret import CollectorSecret, weakness
from site_builder.collector.site import PublishedSite
from site_builder.forms.manifest import Manifest, manifest_path
from site_builder.i18n import Catalogue
from site_builder.messages import say
from site_builder.storage.base import Storage

ADMIN_TOKEN_VARIABLE = "PAROLE_ADMIN_TOKEN"
"""The organizers' token for ``/admin/…``; without it those routes do not exist."""
DEFAULT_RATE_LIMIT = 20
"""Answers per minute per client. Many people may share one address (a town hall's wifi, a
mobile operator's NAT), so it is generous: it stops floods, not people."""
ADMIN_MISS_LIMIT = 10
"""Wrong admin tokens per minute from one client; past it, every ``/admin/`` request from that
client gets 429 for the rest of the minute, the right token too. Not ``--rate-limit``: turning
the answers' limit off for a load test must not open the exports to guessing."""
CODE_MISS_LIMIT = 10
"""Wrong mediator codes per minute from one client (``entry.access``); past it, every sign-in
from that client gets 429 for the rest of the minute, the right code too. Not ``--rate-limit``,
for the reason given at ``ADMIN_MISS_LIMIT``."""
DEFAULT_LOG_CHECKPOINT_MINUTES = 60
"""How often the collector signs the answer log's tree head, when it grew and a key is given."""
DEFAULT_RECEIPT_MISS_LIMIT = 120
"""Failed receipt lookups per minute from all clients together: nobody mistypes a link that
often, and an attacker changing address for each guess meets this limit, not the per-client one."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    """What a collector is told at start."""

    site_dir: Path
    limits: Limits = field(default_factory=Limits)
    rate_limit: int = DEFAULT_RATE_LIMIT
    receipt_miss_limit: int = DEFAULT_RECEIPT_MISS_LIMIT
    """Failed receipt lookups (wrong link, unknown code) per minute across every client, past
    which failed lookups get 429 (links that open a receipt never do); 0 turns it off."""
    admin_token: str | None = None
    allowed_origins: tuple[str, ...] = ()
    """Origins besides the site's own (``site_url``) and the collector's that may post answers."""
    serve_site: bool = False
    """Also serve the site's static files (``parole serve``); behind nginx, nginx does."""
    preview: bool = False
    """``parole serve``: take answers before the opening day, so organizers can try their
    forms (into a preview database)."""
    now: Callable[[], datetime] = _utc_now
    today: Callable[[], date] = build_date
    """The day the consultation's dates are checked against: the server's local day, or
    ``PAROLE_BUILD_DATE`` like the build (to try a site as it will be on another day)."""
    monotonic: Callable[[], float] = time.monotonic
    secret: CollectorSecret = field(default_factory=CollectorSecret)
    """The key of pseudonyms and receipt links (``secret.load_secret``); random by default,
    which suits a collector whose receipt links need not outlive it (tests)."""
    log_signer: SignerKey | None = None
    """The answer log's signing key (``--log-key``): with it, the collector signs checkpoints
    itself (``log_checkpoints``); None: ``parole log checkpoint`` alone does."""
    log_checkpoint_minutes: int = DEFAULT_LOG_CHECKPOINT_MINUTES
    """Minutes between two checkpoints the collector signs, when the log grew."""


def admin_token_from_environment() -> str | None:
    """``PAROLE_ADMIN_TOKEN``, or None when unset or empty. A token that is easy to guess
    (``secret.weakness``: under 128 bits, one character repeated) is refused, and so is one
    with other characters than visible ASCII, which an HTTP header does not carry intact (the
    right token would then never match): it guards every answer."""
    token = os.environ.get(ADMIN_TOKEN_VARIABLE, "").strip()
    if not token:
        return None
    problem = weakness(token, ADMIN_TOKEN_VARIABLE)
    if problem:
        raise ValueError(say("collector.weak_admin_token", problem=problem,
                             variable=ADMIN_TOKEN_VARIABLE))
    return token


@lru_cache(maxsize=8)
def catalogue(language: str) -> Catalogue:
    return Catalogue.for_language(language)


class Collector:
    """One running collector: its settings, site, storage, pseudonyms and rate limits."""

    def __init__(self, settings: Settings, storage: Storage) -> None:
        self.settings = settings
        self.storage = storage
        self.site = PublishedSite(settings.site_dir)
        self.pseudonyms = Pseudonyms(settings.secret)
        clock = settings.monotonic
        self.limiter = RateLimiter(
            settings.rate_limit, clock=clock,
            refused=say("collector.answers_refused"))
        self.admin_misses = RateLimiter(
            ADMIN_MISS_LIMIT, clock=clock,
            refused=say("collector.admin_refused"))
        """Wrong admin tokens, per client (``admin._refusal``)."""
        self.code_misses = RateLimiter(
            CODE_MISS_LIMIT, clock=clock,
            refused=say("collector.codes_refused"))
        """Wrong mediator codes, per client (``entry.access.sign_in``)."""
        self.receipt_misses = RateLimiter(
            settings.rate_limit, clock=clock,
            refused=say("collector.receipts_refused"))
        """Receipt links a client tried that open nothing: past the limit, its failed lookups
        get 429 (``lookup``); a link that opens its receipt is always served."""
        self.everyones_receipt_misses = RateLimiter(
            settings.receipt_miss_limit, clock=clock, max_clients=1,
            refused=say("collector.everyones_receipts_refused",
                        limit=settings.receipt_miss_limit))
        """The same, every client counting together (one key, ``lookup.EVERYONE``)."""
        self.origins: frozenset[str] = frozenset(settings.allowed_origins)
        self._registered: set[tuple[str, str]] = set()
        self.manifests: list[Manifest] = []

    def load_site(self, root: Path | None = None) -> list[Manifest]:
        """Read (or, for ``parole serve``, read anew from ``root``) the site's manifests: the
        origins that may post, and each form version remembered in the database so that
        exports know the questions. Raises ``SiteError`` or ``ManifestError``."""
        if root is not None:
            self.site.replace(root)
        manifests = self.site.check(require_forms=not self.settings.serve_site)
        self.manifests = manifests
        own = {site for manifest in manifests if (site := origin(manifest.site_url))}
        self.origins = frozenset(own | set(self.settings.allowed_origins))
        for manifest in manifests:
            self.remember_form(manifest)
        return manifests

    def remember_form(self, manifest: Manifest) -> None:
        """Store the manifest of this form version in the database, once per process."""
        key = (manifest.form.id, manifest.version)
        if key in self._registered:
            return
        path = manifest_path(self.site.root, manifest.form.id)
        self.storage.register_form(manifest.form.id, manifest.version,
                                   path.read_text(encoding="utf-8"))
        self._registered.add(key)
