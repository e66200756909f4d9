"""Which words of a form are in another language than its page's, and their ``lang``/``dir``
(issue #18: every element whose language differs says so, for screen readers' voices).

Two cases. A page in a language the form has no words for, with ``translation_fallback``, shows
the whole form in its own language: its section carries that language (``section_language``).
A translation lacking a few strings (``translation_fallback`` again) shows the form's own in
their place (``Translation.borrowed``): each of them gets its own ``lang``/``dir``, in a
``<span>`` (``Borrowed.text``, ``Borrowed.html``) or on its element where a span cannot go
(``Borrowed.attributes``: a select's ``<option>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from site_builder.forms.model import Field, Form
from site_builder.forms.translations import option_path
from site_builder.i18n import Catalogue, base_language, text_direction


def section_language(form: Form, catalogue: Catalogue) -> dict[str, Any]:
    """``lang``/``dir`` of a form's section whose words are not its page's (a form with
    translations, or ``translation_fallback``, shown in a language it has no words for)."""
    foreign = bool(form.translations or form.translation_fallback) \
        and base_language(catalogue.language) != form.language
    return {"lang": form.language if foreign else None,
            "dir": text_direction(form.language) if foreign else None}


@dataclass(frozen=True)
class Borrowed:
    """The strings of a form (in another language's words: ``Form.localized``) still in
    ``language``, the language it was declared in, by path (``Translation.borrowed``)."""

    paths: frozenset[str] = frozenset()
    language: str | None = None

    @classmethod
    def of(cls, form: Form) -> Borrowed:
        return cls(form.borrowed, form.borrowed_from) if form.borrowed_from else cls()

    def attributes(self, path: str) -> dict[str, str | None]:
        """``lang`` and ``dir`` of the string at ``path`` when it is borrowed, else None."""
        if self.language is None or path not in self.paths:
            return {"lang": None, "dir": None}
        return {"lang": self.language, "dir": text_direction(self.language)}

    def text(self, path: str, text: str) -> str | Markup:
        """Plain ``text``, in a span of its language when borrowed (escaped once, either way:
        the components' templates escape a ``str`` and keep ``Markup``)."""
        return self.html(path, Markup.escape(text)) if path in self.paths else text

    def html(self, path: str, html: Markup) -> Markup:
        """``html`` (inline), in a span of its language when borrowed."""
        if self.language is None or path not in self.paths:
            return html
        return Markup('<span lang="{}" dir="{}">{}</span>').format(
            self.language, text_direction(self.language), html)

    def block(self, path: str, html: Markup) -> Markup:
        """``html`` (paragraphs: the intro), in a div of its language when borrowed."""
        if self.language is None or path not in self.paths:
            return html
        return Markup('<div lang="{}" dir="{}">{}</div>').format(
            self.language, text_direction(self.language), html)

    def words(self, field: Field, key: str | None) -> str | Markup | None:
        """``field``'s string ``key`` (``hint``, ``min_label``) as ``text`` shows it; None when
        ``key`` is, or the field has no such string."""
        text = getattr(field, key) if key else None
        return self.text(f"{field.id}/{key}", text) if text else None

    def option(self, field_id: str, value: str) -> dict[str, str | None]:
        """``lang``/``dir`` of the label of option ``value`` of question ``field_id``."""
        return self.attributes(option_path(field_id, value))


NOTHING_BORROWED = Borrowed()
"""A form in its own words, or one whose translation says everything."""
