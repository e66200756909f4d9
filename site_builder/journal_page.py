"""The page of the site that explains the public journal of answers (issue #19), in plain words.

Each language's build writes it in the published journal's folder (``journal/``, ``ar/journal/``)
so that the journal's own address, printed in the consultation's notice, explains itself; the
receipt and proof pages of the collector link to it. It says what the journal holds (a
fingerprint of each answer, never the answer), what it proves and what it does not, and the
three ways to check a receipt: the proof page online, the standalone verifier
(``site_builder.journal_verifier``, published in the same folder by the default build), or a
mediator running ``parole log prove``. Every sentence is the theme catalogue's
(``journal.*``), so the page speaks the build's language.
"""

from __future__ import annotations

import html
import posixpath
import urllib.parse

from site_builder.i18n import Catalogue
from site_builder.site_map import markdown_text

JOURNAL_FOLDER = "journal"
"""Where the journal is published in the site (``parole log publish --output site/journal/``),
and where each language's build writes this page (under its language's folder)."""
PAGE_SOURCE = f"{JOURNAL_FOLDER}/index.md"
"""The generated page's source name: published as ``journal/index.html`` whatever
``use_directory_urls`` says, beside the journal's files."""
VERIFIER_NAME = "parole_verifier.py"
KEY_NAME = "key.txt"
"""The public key's file in the published journal (written by ``parole log publish``)."""


def journal_url(site_url: str | None) -> str | None:
    """The published journal's full address (``https://example.org/consultation/journal/``),
    when the site's address is known."""
    if not site_url:
        return None
    return urllib.parse.urljoin(site_url if site_url.endswith("/") else f"{site_url}/",
                                f"{JOURNAL_FOLDER}/")


def journal_from_page(page_url: str) -> str:
    """The link from the page published at ``page_url`` (relative to the site's root:
    ``journal/``, ``ar/journal/``) to the journal's folder: ``""`` from the folder itself."""
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
    relative = posixpath.relpath(f"{JOURNAL_FOLDER}/", folder.rstrip("/") or ".")
    return "" if relative == "." else f"{relative}/"


def verifier_command(catalogue: Catalogue, address: str | None, *, index: str | None = None,
                     leaf_hash: str | None = None, key: str | None = None) -> str:
    """The verifier's command line, with this receipt's values when given, else the words a
    person replaces (``NUMÉRO``, ``EMPREINTE``); plain text, to be escaped where shown."""
    words = [
        "python3", VERIFIER_NAME,
        "--journal", address or catalogue("journal.word.address"),
    ]
    if key is not None:
        words += ["--key", f"'{key}'"]
    words += ["--index", index if index is not None else catalogue("journal.word.number"),
              "--leaf-hash", leaf_hash if leaf_hash is not None else catalogue("journal.word.hash")]
    return " ".join(words)


def journal_page_markdown(catalogue: Catalogue, *, to_journal: str, address: str | None) -> str:
    """The page's markdown. ``to_journal`` links the page to the journal's folder
    (``journal_from_page``); ``address`` is the journal's full address (``journal_url``), or
    None when the site's address is unknown (the command then names what to write there)."""
    def text(key: str, **values: object) -> str:
        return markdown_text(catalogue(key, **values))

    def link(name: str) -> str:
        href = html.escape(f"{to_journal}{name}")
        return f'<a href="{href}" translate="no"><code>{html.escape(name)}</code></a>'

    command = html.escape(verifier_command(catalogue, address), quote=False)
    replace = [text("journal.check.verifier.replace")]
    if address is None:
        replace.append(text("journal.check.verifier.address"))
    return "\n\n".join([
        f"# {text('journal.title')}",
        text("journal.intro"),
        f"## {text('journal.holds.heading')}",
        text("journal.holds.fingerprint"),
        text("journal.holds.secret"),
        text("journal.holds.order"),
        text("journal.holds.changes"),
        f"## {text('journal.proves.heading')}",
        "\n".join(f"- {text(key)}" for key in (
            "journal.proves.signed", "journal.proves.yours", "journal.proves.kept",
            "journal.proves.results")),
        f"## {text('journal.not.heading')}",
        "\n".join(f"- {text(key)}" for key in (
            "journal.not.who", "journal.not.content", "journal.not.people")),
        f"## {text('journal.check.heading')}",
        text("journal.check.receipt"),
        f"### {text('journal.check.online.heading')}",
        text("journal.check.online"),
        f"### {text('journal.check.verifier.heading')}",
        f"{text('journal.check.verifier.download')} {link(VERIFIER_NAME)}",
        text("journal.check.verifier.what"),
        f'<pre dir="ltr" translate="no"><code>{command}</code></pre>',
        " ".join(replace),
        f"### {text('journal.check.mediator.heading')}",
        text("journal.check.mediator"),
        f"## {text('journal.key.heading')}",
        f"{text('journal.key.where')} {link(KEY_NAME)}",
        text("journal.key.notice"),
        text("journal.key.compare"),
    ]) + "\n"
