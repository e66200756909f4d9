"""Which language the collector answers in (issue #18): the language of the page an answer came
from.

One form is published in several languages with one id and one version, so that its answers
count together; each language's page posts the same form with its own ``_language``
(``posted.FORM_LANGUAGE_NAME``). The collector takes that language when the form has it and
answers in it everywhere the answer goes: the form again with its errors, the pages saying the
form is closed or not open yet, the receipt (and the receipt again, from the language stored).

Anything else — no ``_language`` (a page built before parole sent one), or a value that is none
of the form's languages (``AR``, ``ar-MA``, a robot's guess, 60 000 characters) — is the form's
own language. Not a refusal: the answer is a person's, whatever a hidden field says, and the
language only decides the words of the pages around it. The value stored is always one of the
form's languages, never the text posted.

The pages around a form are the pages the build wrote for each language (convention 11 of
DESIGN.md): ``in_language`` gives a manifest whose form, language and page addresses are that
language's, and every page of the collector is then made from it as for a one-language site.
"""

from __future__ import annotations

from dataclasses import replace

from site_builder.forms.manifest import Manifest


def chosen_language(manifest: Manifest, posted: str | None) -> str:
    """The language an answer posted with ``_language`` = ``posted`` is taken in: ``posted``
    when the form has that language (exactly: tags are compared as written), else the form's
    own."""
    if posted is not None and posted in manifest.form.languages:
        return posted
    return manifest.language


def in_language(manifest: Manifest, language: str | None) -> Manifest:
    """``manifest`` as its ``language`` page published it: the form's words in that language,
    the language itself (which picks the theme's catalogue, and the ``lang`` and ``dir`` of a
    page made without a built one) and the addresses of the form's page and paper version in
    it (``Manifest.page_url_in``, ``paper_url_in``). Same id, same version. The manifest itself
    for its own language, or for a language the form does not have."""
    chosen = chosen_language(manifest, language)
    if chosen == manifest.language:
        return manifest
    return replace(manifest, form=manifest.form.localized(chosen), language=chosen,
                   page_url=manifest.page_url_in(chosen),
                   paper_url=manifest.paper_url_in(chosen))
