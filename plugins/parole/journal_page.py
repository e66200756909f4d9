"""The journal's explanation page and the standalone verifier in the build (issue #19).

A site with a form (a ```form block in one of its pages) has answers, hence a journal: each
language's build then generates ``journal/index.md`` (``site_builder.journal_page``), unless the
organizer wrote that page (or ``journal.md``) themselves; the default build also publishes the
verifier (``site_builder.journal_verifier.VERIFIER_FILE``) as ``journal/parole_verifier.py``,
byte for byte, so it is there before the first ``parole log publish``.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from site_builder.forms.fence import INFO, fenced_blocks
from site_builder.i18n import Catalogue
from site_builder.journal_page import (
    JOURNAL_FOLDER,
    PAGE_SOURCE,
    VERIFIER_NAME,
    journal_from_page,
    journal_page_markdown,
    journal_url,
)
from site_builder.journal_verifier import VERIFIER_FILE

from . import languages

ORGANIZERS_OWN = (PAGE_SOURCE, f"{JOURNAL_FOLDER}.md")
"""A page the organizer wrote at either name is theirs: nothing is generated."""


class JournalPage:
    """One build's journal page (a fresh one per build: ``on_config``)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.generated: File | None = None

    def add_files(self, files: Files, config: MkDocsConfig) -> None:
        """``on_files``: the page to generate, and the verifier in the default build."""
        if not self.enabled or not _has_a_form(files):
            return
        if not any(files.get_file_from_path(name) for name in ORGANIZERS_OWN):
            self.generated = File.generated(config, PAGE_SOURCE, content="",
                                            inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(self.generated)
        verifier = f"{JOURNAL_FOLDER}/{VERIFIER_NAME}"
        if languages.is_default_build(config) and files.get_file_from_path(verifier) is None:
            files.append(File.generated(config, verifier, abs_src_path=str(VERIFIER_FILE)))

    def markdown(self, page: Page, config: MkDocsConfig, catalogue: Catalogue) -> str | None:
        """The generated page's markdown; None for any other page."""
        if self.generated is None or page.file is not self.generated:
            return None
        from_root = languages.language_url(page.url, languages.build_language(config), config)
        page.meta.setdefault("title", catalogue("journal.title"))
        return journal_page_markdown(catalogue, to_journal=journal_from_page(from_root),
                                     address=journal_url(languages.root_url(config)))


def _has_a_form(files: Files) -> bool:
    """Whether a page of the build declares a form (before MkDocs reads the pages: the forms
    adapter finds them as each page renders, after the files are settled)."""
    for file in files.documentation_pages():
        text = file.content_string
        if INFO in text and any(info == INFO for _, _, info
                                     in fenced_blocks(text.splitlines())):
            return True
    return False
