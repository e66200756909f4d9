"""Small pieces of HTML the review pages are made of (``review_pages``): a list of facts, a
table, a status line, an error summary, the few fields of a coordinator's forms.

They use the theme's own classes (``p-field``, ``p-answers``, ``p-status``…) so that the pages
look like the citizens' forms and meet the same accessibility rules: a label for every control,
hint and error tied to it by ``aria-describedby``, the error summary first with links to the
fields. Every text is escaped here; arguments named ``*_html`` are markup already escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from site_builder.forms.render import render_component
from site_builder.i18n import Catalogue


def text(words: Catalogue, key: str, **params: object) -> str:
    """A catalogue string with its parameters, escaped for HTML text."""
    return escape(words(key, **params), quote=False)


def facts(rows: Sequence[tuple[str, str]]) -> str:
    """A description list: ``(term, description_html)`` pairs."""
    items = "\n".join(f"<dt>{escape(term, quote=False)}</dt>\n<dd>{shown}</dd>"
                      for term, shown in rows)
    return f'<dl class="p-answers">\n{items}\n</dl>'


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with a caption and a header row; ``rows`` hold escaped HTML, and each row's
    first cell is its header (``<th scope="row">``)."""
    head = "".join(f'<th scope="col">{escape(header, quote=False)}</th>' for header in headers)
    body = "\n".join(
        "<tr>" + "".join(f'<th scope="row">{cell}</th>' if number == 0 else f"<td>{cell}</td>"
                         for number, cell in enumerate(row)) + "</tr>"
        for row in rows)
    return (f"<table>\n<caption>{escape(caption, quote=False)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>")


def status_line(message: str) -> str:
    """What the last action did, at the top of the page (``role="status"``: read out)."""
    return f'<p class="p-status" role="status">{escape(message, quote=False)}</p>'


def error_summary(words: Catalogue, summary_id: str,
                  messages: Sequence[tuple[str, str | None]]) -> str:
    """The theme's error summary (focused when the page loads): ``(message, field id or
    None)`` pairs, each linked to its field."""
    return render_component("error-summary", {
        "id": summary_id, "focus": True,
        "messages": [{"text": message, "href": f"#{target}" if target else None}
                     for message, target in messages],
    }, words)


def field_error(words: Catalogue, control: str, error: str | None) -> str:
    if not error:
        return ""
    return (f'<p class="p-field__error" id="{control}-error"><span class="p-visually-hidden">'
            f'{text(words, "form.error_prefix")}</span> {escape(error, quote=False)}</p>\n')


def text_input(words: Catalogue, control: str, name: str, label: str, *, value: str = "",
               error: str | None = None, hint: str | None = None, number: bool = False,
               maxlength: int = 500) -> str:
    """A labelled one-line input (a number when ``number``), hint and error tied to it."""
    described = " ".join(part for part, shown in ((f"{control}-hint", hint),
                                                  (f"{control}-error", error)) if shown)
    hint_html = (f'<div class="p-field__hint" id="{control}-hint">{escape(hint, quote=False)}'
                 "</div>\n" if hint else "")
    kind = ('type="text" inputmode="numeric" class="p-field__input p-field__input--short"'
            if number else 'type="text" class="p-field__input"')
    extra = (f' aria-describedby="{described}"' if described else "") + (
        ' aria-invalid="true"' if error else "")
    return (f'<div class="p-field{" p-field--error" if error else ""}">\n'
            f'<label class="p-field__label" for="{control}">{escape(label, quote=False)}'
            "</label>\n"
            f"{hint_html}{field_error(words, control, error)}"
            f'<input {kind} id="{control}" name="{name}" value="{escape(value)}" '
            f'maxlength="{maxlength}" spellcheck="false"{extra}>\n</div>')


def checkbox(words: Catalogue, control: str, name: str, label: str, *,
             error: str | None = None) -> str:
    """One labelled checkbox (value ``yes``), its error before it."""
    extra = (f' aria-describedby="{control}-error" aria-invalid="true"' if error else "")
    return (f'<div class="p-field{" p-field--error" if error else ""}">\n'
            f"{field_error(words, control, error)}"
            f'<div class="p-field__option">\n<input class="p-field__check" type="checkbox" '
            f'id="{control}" name="{name}" value="yes"{extra}>\n'
            f'<label class="p-field__option-label" for="{control}">'
            f"{escape(label, quote=False)}</label>\n</div>\n</div>")


def radios(words: Catalogue, control: str, name: str, legend_html: str,
           options: Sequence[tuple[str, str]], *, error: str | None = None) -> str:
    """A fieldset of radios: ``(value, label_html)`` options, none chosen."""
    described = f' aria-describedby="{control}-error"' if error else ""
    invalid = ' aria-invalid="true"' if error else ""
    items = "\n".join(
        f'<div class="p-field__option">\n<input class="p-field__check" type="radio" '
        f'id="{control}-{number}" name="{name}" value="{escape(value)}"{invalid}>\n'
        f'<label class="p-field__option-label" for="{control}-{number}">{label_html}</label>\n'
        "</div>"
        for number, (value, label_html) in enumerate(options, start=1))
    return (f'<div class="p-field{" p-field--error" if error else ""}">\n'
            f'<fieldset class="p-field__group"{described}>\n'
            f'<legend class="p-field__legend">{legend_html}</legend>\n'
            f"{field_error(words, control, error)}{items}\n</fieldset>\n</div>")


def post_form(action: str, csrf_html: str, inner_html: str, button: str, *,
              form_id: str | None = None) -> str:
    """A form posting to ``action`` with the CSRF token, ``inner_html``, then its button."""
    own_id = f' id="{form_id}"' if form_id else ""
    return (f'<form{own_id} class="p-form__form" method="post" action="{escape(action)}" '
            f'accept-charset="utf-8" novalidate>\n{csrf_html}\n{inner_html}'
            f'<button class="p-form__submit" type="submit">{escape(button, quote=False)}'
            "</button>\n</form>")
