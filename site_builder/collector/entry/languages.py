"""Which paper version or conversation a mediator's answers are in (issue #18).

A form published in several languages is printed in each, with the same question codes, and a
mediator may help someone answer in any of them. The mediators' pages stay in the collector's
language (the area's: ``batch_common.words_for``); only the answers record another one: a
batch's sheets the language of its paper version (``Batch.language``), an assisted answer the
language of the conversation. Where a mediator chooses or reads that language, each language is
named in itself and marked with its ``lang`` and ``dir``, as the site's language switcher does,
so that a screen reader says "العربية" in Arabic.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from site_builder.forms.manifest import Manifest
from site_builder.i18n import Catalogue, text_direction
from site_builder.languages import language_name
from site_builder.storage.entry import Batch, batch_language


def form_languages(manifest: Manifest) -> tuple[str, ...]:
    """The languages ``manifest``'s form is published in, its own first."""
    return manifest.form.languages


def several_languages(manifests: Sequence[Manifest]) -> tuple[str, ...]:
    """The languages to offer for ``manifests``' answers, in the first form's order, then
    those only others have; () when every form has a single language (nothing to choose)."""
    offered: dict[str, None] = {}
    for manifest in manifests:
        offered.update(dict.fromkeys(form_languages(manifest)))
    return tuple(offered) if len(offered) > 1 else ()


def language_label(language: str) -> Markup:
    """``language`` named in itself, marked as words in it:
    ``<span lang="ar" dir="rtl">العربية</span>``."""
    return Markup('<span lang="{}" dir="{}">{}</span>').format(
        language, text_direction(language), language_name(language))


def shown_batch_language(batch: Batch, manifest: Manifest | None) -> str | None:
    """The language of ``batch``'s paper version, to show on its pages when its form is
    published in several languages (or the batch is in another than the form's own); None for
    a form with one language, where saying it would only add words, and for an imported batch
    whose rows are in several languages."""
    if batch.language is None and batch.source_digest is not None:
        return None  # an import whose rows each say their own language: no one to show
    own = manifest.language if manifest else None
    language = batch_language(batch, own)
    if language is None or (manifest is not None and len(form_languages(manifest)) < 2
                            and language == own):
        return None
    return language


def paper_language_html(words: Catalogue, batch: Batch, manifest: Manifest | None) -> str:
    """"Paper version: العربية." (``shown_batch_language``), or ""."""
    language = shown_batch_language(batch, manifest)
    if language is None:
        return ""
    # the label is markup: escape the sentence around it, then put it in its place
    sentence = escape(words("batches.paper_language", language="\x00"), quote=False)
    return sentence.replace("\x00", language_label(language))
