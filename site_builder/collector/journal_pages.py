"""What a citizen sees of the public journal of answers (issue #19): a section of the receipt
page, and the proof page (``<action>/<code>/<key>/preuve``).

The receipt says the answer's number in the journal and its leaf hash, written in groups of four
hexadecimal characters so that it can be read aloud and compared by ear, and links to the proof
page and to the site's page explaining the journal (``site_builder.journal_page``). An answer
without a leaf (a paper answer that does not count yet, a quarantined one) gets one sentence:
it will be in the journal once it counts. That sentence depends only on there being no leaf,
never on why: a quarantined answer's receipt must read like any other, so that whoever filled
the honeypot learns nothing.

The proof page shows the leaf, the newest stored checkpoint covering it (size, root and the
signed note as published), the inclusion proof's hashes, and the standalone verifier's command
line with this receipt's values, so that the check does not rest on trusting this page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from site_builder.answer_log_commands.prove import AnswerProof, grouped, note_checkpoint
from site_builder.calendar import format_date
from site_builder.collector.paths import site_url
from site_builder.collector.shell import Shell
from site_builder.forms.manifest import Manifest
from site_builder.forms.wording import format_number
from site_builder.i18n import Catalogue
from site_builder.journal_page import JOURNAL_FOLDER, verifier_command
from site_builder.storage.answer_log import LogLeaf
from site_builder.storage.receipts import format_receipt

PROOF_NAMES = {"fr": "preuve"}
"""The proof page's last path segment by the form's own language (like the mediators' area's
``saisie``); ``DEFAULT_PROOF_NAME`` otherwise. The collector answers at both."""
DEFAULT_PROOF_NAME = "proof"


def proof_name(manifest: Manifest) -> str:
    """``preuve`` for a French form, ``proof`` for any other."""
    return PROOF_NAMES.get(manifest.language.split("-")[0].lower(), DEFAULT_PROOF_NAME)


def explanation_path(site_root: Path, manifest: Manifest) -> str | None:
    """The site's page explaining the journal in ``manifest``'s language (``/ar/journal/``),
    else the default language's (``/journal/``), as an absolute path; None when the built
    site has neither (``journal: false``, a site built before issue #19)."""
    language = manifest.language.split("-")[0].lower()
    for folder in (f"{language}/{JOURNAL_FOLDER}/", f"{JOURNAL_FOLDER}/"):
        if (site_root / folder / "index.html").is_file():
            return site_url(manifest, folder)
    return None


@dataclass(frozen=True)
class AnswerInJournal:
    """What the receipt page says of the answer's place in the journal."""

    leaf: LogLeaf | None
    """The answer's current leaf; None when it has none (it does not count, yet or at all)."""
    proof_path: str
    """The proof page of this receipt."""
    explained_at: str | None
    """The site's page explaining the journal in the answer's language, if the site has one."""


def current_leaf(leaves: list[LogLeaf]) -> LogLeaf | None:
    """The leaf of the answer's state that counts now, among its leaves (oldest first)."""
    return next((leaf for leaf in reversed(leaves) if leaf.state == "current"), None)


def journal_section(journal: AnswerInJournal, catalogue: Catalogue) -> list[str]:
    """The receipt page's part about the journal: a heading, then the number and leaf hash with
    the links, or the sentence for an answer without a leaf."""
    def text(key: str, **params: object) -> str:
        return escape(catalogue(key, **params), quote=False)

    body = [f"<h2>{text('collector.journal.heading')}</h2>"]
    leaf = journal.leaf
    if leaf is None:
        body.append(f"<p>{text('collector.journal.not_yet')}</p>")
    else:
        body += [
            f"<p>{text('collector.journal.number', number=format_number(leaf.index, catalogue))}"
            f" {text('collector.journal.fingerprint')}<br>\n{hash_html(leaf.leaf_hash)}</p>",
            f'<p><a href="{escape(journal.proof_path)}">{text("collector.journal.proof_link")}'
            "</a></p>",
        ]
    if journal.explained_at:
        body.append(f'<p><a href="{escape(journal.explained_at)}">'
                    f'{text("collector.journal.explained_link")}</a></p>')
    return body


def hash_html(digest: bytes) -> str:
    """A hash as the pages show it: hexadecimal in groups of 4, left to right, never
    translated."""
    return f'<code class="p-hash" dir="ltr" translate="no">{grouped(digest)}</code>'


def proof_page(
    shell: Shell,
    manifest: Manifest,
    found: AnswerProof | None,
    catalogue: Catalogue,
    *,
    receipt: str,
    explained_at: str | None,
    next_due: datetime | None,
) -> str:
    """The proof page of ``receipt``: ``found`` is its proof (None: the answer has no leaf)."""
    def text(key: str, **params: object) -> str:
        return escape(catalogue(key, **params), quote=False)

    title = catalogue("collector.proof.title")
    body = [f"<h1>{escape(title, quote=False)}</h1>",
            f'<p>{text("collector.receipt.code")} <strong dir="ltr" translate="no">'
            f"{escape(format_receipt(receipt))}</strong></p>"]
    if found is None:
        body.append(f"<p>{text('collector.journal.not_yet')}</p>")
    else:
        body += _proof_body(manifest, found, catalogue, next_due)
    if explained_at:
        body.append(f'<p><a href="{escape(explained_at)}">'
                    f'{text("collector.journal.explained_link")}</a></p>')
    return shell.page(title, "\n".join(body))


def _proof_body(manifest: Manifest, found: AnswerProof, catalogue: Catalogue,
                next_due: datetime | None) -> list[str]:
    def text(key: str, **params: object) -> str:
        return escape(catalogue(key, **params), quote=False)

    def number(value: int) -> str:
        return format_number(value, catalogue)

    leaf = found.leaf
    body = [
        f"<h2>{text('collector.proof.leaf_heading')}</h2>",
        '<dl class="p-answers">',
        f"<dt>{text('collector.proof.index')}</dt>\n<dd>{number(leaf.index)}</dd>",
        f"<dt>{text('collector.proof.leaf_hash')}</dt>\n<dd>{hash_html(leaf.leaf_hash)}</dd>",
        "</dl>",
        f"<h2>{text('collector.proof.checkpoint_heading')}</h2>",
    ]
    stored = found.checkpoint
    if stored is None:
        body.append(f"<p>{text('collector.proof.not_signed')}</p>")
        if next_due is not None:
            when = _when(next_due, manifest, catalogue)
            body.append(f"<p>{text('collector.proof.next_due', **when)}</p>")
        else:
            body.append(f"<p>{text('collector.proof.come_back')}</p>")
        return body
    checkpoint = note_checkpoint(stored.note)
    signed = _when(stored.signed_at, manifest, catalogue)
    body += [
        f"<p>{text('collector.proof.signed', **signed)}</p>",
        '<dl class="p-answers">',
        f"<dt>{text('collector.proof.size')}</dt>\n<dd>{number(checkpoint.size)}</dd>",
        f"<dt>{text('collector.proof.root')}</dt>\n<dd>{hash_html(checkpoint.root)}</dd>",
        "</dl>",
        f"<p>{text('collector.proof.note')}</p>",
        f'<pre dir="ltr" translate="no">{escape(stored.note, quote=False)}</pre>',
        f"<h2>{text('collector.proof.proof_heading')}</h2>",
    ]
    if found.proof:
        body.append(f"<p>{text('collector.proof.steps')}</p>")
        body.append('<ol dir="ltr">\n' + "\n".join(
            f"<li>{hash_html(step)}</li>" for step in found.proof) + "\n</ol>")
    else:
        body.append(f"<p>{text('collector.proof.alone')}</p>")
    command = verifier_command(catalogue, f"https://{checkpoint.origin}/",
                               index=str(leaf.index), leaf_hash=leaf.leaf_hash.hex())
    body += [
        f"<h2>{text('collector.proof.yourself_heading')}</h2>",
        f"<p>{text('collector.proof.yourself')}</p>",
        f'<pre dir="ltr" translate="no"><code>{escape(command, quote=False)}</code></pre>',
        f"<p>{text('collector.proof.key')}</p>",
    ]
    return body


def next_checkpoint_due(newest: datetime | None, now: datetime, minutes: int,
                        tick_seconds: float) -> datetime:
    """When the collector that signs every ``minutes`` (looking every ``tick_seconds``) will
    have signed a checkpoint covering an answer stored by ``now``: the next whole minute after
    ``newest`` + ``minutes`` (or now) + one look."""
    due = max(newest + timedelta(minutes=minutes), now) if newest else now
    due += timedelta(seconds=tick_seconds)
    seconds = math.ceil(due.timestamp() / 60) * 60
    return datetime.fromtimestamp(seconds, tz=due.tzinfo)


def _when(moment: datetime, manifest: Manifest, catalogue: Catalogue) -> dict[str, str]:
    """``date`` and ``time`` of ``moment`` in the consultation's time zone (UTC when this
    machine does not know it), as the pages write them."""
    try:
        local = moment.astimezone(ZoneInfo(manifest.time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        local = moment
    return {"date": format_date(local.date(), catalogue), "time": local.strftime("%H:%M")}
