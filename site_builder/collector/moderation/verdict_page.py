"""The page of one form's moderation: the next answer waiting and the verdict form.

The heading says which form; then what the last verdict did (a status line, read out, the
heading focused as the page loads); "Réponse 3 sur 41"; the question and the answer's text;
the form. Mistakes come back GOV.UK-style: the error summary first (focused), "Erreur :" before
the title, each message at its field, every value kept. The fields are all visible (no script
reveals them): the reasons say when they apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from site_builder.collector.entry.page import csrf_input, text
from site_builder.collector.moderation import verdict_form as form
from site_builder.collector.moderation.pages import HOME, MODERATION_PATH, error_summary, field
from site_builder.collector.moderation.pages import options as option_params
from site_builder.collector.moderation.queue import FormState, Waiting
from site_builder.collector.moderation.session import Moderator
from site_builder.i18n import Catalogue
from site_builder.storage.moderation import OTHER_REASON, REDACTION_REASONS, REJECT_REASONS

DONE = ("approved", "redacted", "rejected", "stale")
"""What ``?fait=`` may say after a verdict: ``moderation.done.<done>``."""
REASON_WORDS = {"off-topic": "off_topic", "personal data": "personal_data",
                "insulting": "insulting", "duplicate": "duplicate", OTHER_REASON: "other"}
"""A reason's catalogue key (``moderation.reason.<key>``)."""


def control(name: str) -> str:
    """The HTML id of a field's control (its first radio for radios), where errors link to."""
    first = "-1" if name in (form.VERDICT, form.REASON) else ""
    return f"moderation-{name.replace('_', '-')}{first}"


def page_path(form_id: str) -> str:
    return f"{MODERATION_PATH}/{form_id}"


def title_of(words: Catalogue, state: FormState, errors: Mapping[str, str]) -> str:
    title = words("moderation.form.title", form=state.title)
    return f"{words('form.error_prefix')} {title}" if errors else title


def form_page_html(words: Catalogue, state: FormState, moderator: Moderator, *,
                   done: str | None = None, item: Waiting | None = None,
                   values: Mapping[str, str] | None = None,
                   errors: Mapping[str, str] | None = None) -> str:
    """The inside of ``<main>``: ``item`` (the first waiting by default) and its form, with
    ``values`` sent and their ``errors`` (field name → message)."""
    errors = errors or {}
    item = item or state.first
    summary = error_summary(words, [(message, control(name)) for name, message
                                    in errors.items()]) + "\n" if errors else ""
    focus = ' tabindex="-1" autofocus' if done and not errors else ""
    parts = [f"{summary}<h1{focus}>{escape(words('moderation.form.title', form=state.title))}"
             "</h1>"]
    if done in DONE:
        parts.append(f'<p class="p-status" role="status">{text(words, f"moderation.done.{done}")}'
                     "</p>")
    if not state.consent:
        parts.append(f"<p>{text(words, 'moderation.form.no_consent')}</p>")
    elif item is None:
        done_all = text(words, "moderation.form.done_all_what", approved=state.approved,
                        rejected=state.rejected)
        parts += [f"<h2>{text(words, 'moderation.form.done_all')}</h2>", f"<p>{done_all}</p>"]
    else:
        position = text(words, "moderation.form.position", number=state.position,
                        total=state.total)
        parts += [f"<p>{position}</p>",
                  f"<h2>{escape(item.label, quote=False)}</h2>",
                  '<blockquote class="p-moderation__answer">\n<p>'
                  + "<br>\n".join(escape(line, quote=False) for line in item.text.split("\n"))
                  + "</p>\n</blockquote>",
                  _verdict_form(words, state, item, moderator, values=values or {},
                                errors=errors)]
    parts.append(f'<p><a href="{HOME}">{text(words, "moderation.form.index_link")}</a></p>')
    return "\n".join(parts)


def _verdict_form(words: Catalogue, state: FormState, item: Waiting, moderator: Moderator, *,
                  values: Mapping[str, str], errors: Mapping[str, str]) -> str:
    """The verdict form about ``item``: every field, with what was sent and its mistakes."""
    def text_field(name: str, label: str, hint: str | None = None) -> str:
        return field("field-text", words, id=control(name), name=name, label=label, hint=hint,
                     error=errors.get(name), value=values.get(name, ""),
                     maxlength=form.LIMITS.get(name), spellcheck=True)

    def radios(name: str, label: str, choices: list[tuple[str, str]], *,
               required: bool = False, hint: str | None = None) -> str:
        return field("field-choice", words, id=control(name).removesuffix("-1"), name=name,
                     label=label, required=required, hint=hint, error=errors.get(name),
                     options=option_params(control(name).removesuffix("-1"), choices,
                                           values.get(name, "")))

    reason_words = [(reason, words(f"moderation.reason.{REASON_WORDS[reason]}"))
                    for reason in (*REJECT_REASONS, OTHER_REASON)]
    parts = [
        csrf_input(moderator.csrf),
        *(f'<input type="hidden" name="{name}" value="{escape(value)}">'
          for name, value in ((form.RECEIPT, item.receipt), (form.FIELD, item.field_id),
                              (form.DIGEST, item.digest))),
        radios(form.VERDICT, words("moderation.form.verdict"), [
            (verdict, words(f"moderation.form.{verdict}")) for verdict in form.VERDICTS],
            required=True),
        radios(form.REASON, words("moderation.form.reason"), reason_words),
        text_field(form.REASON_OTHER, words("moderation.form.reason_other"),
                   words("moderation.form.reason_other_hint")),
        f"<p>{escape(words.count('moderation.form.redact_intro', form.MAX_REDACTIONS))}</p>",
        *(_redaction(words, number, values, errors) for number in form.SLOTS),
        text_field(form.THEME, words("moderation.form.theme"),
                   words("moderation.form.theme_hint", themes=words.joined(state.themes))
                   if state.themes else words("moderation.form.theme_hint_none")),
    ]
    inner = "\n".join(parts)
    return (f'<form class="p-form__form" method="post" action="{escape(page_path(state.form_id))}"'
            f' accept-charset="utf-8" novalidate>\n{inner}\n'
            f'<button class="p-form__submit" type="submit">{text(words, "moderation.form.submit")}'
            "</button>\n</form>")


def _redaction(words: Catalogue, number: int, values: Mapping[str, str],
               errors: Mapping[str, str]) -> str:
    """One passage to hide: the words, why (a list), and the moderator's own reason."""
    hide, why, own = form.hide(number), form.hide_reason(number), form.hide_other(number)
    reasons = [(reason, words(f"moderation.reason.{REASON_WORDS[reason]}"))
               for reason in (*REDACTION_REASONS, OTHER_REASON)]
    fields = [
        field("field-text", words, id=control(hide), name=hide, label=words("moderation.form.hide"),
              hint=words("moderation.form.hide_hint") if number == 1 else None,
              error=errors.get(hide), value=values.get(hide, ""),
              maxlength=form.WORDS_MAX_LENGTH, spellcheck=False),
        field("field-select", words, id=control(why), name=why,
              label=words("moderation.form.hide_reason"), error=errors.get(why),
              options=option_params(control(why), reasons, values.get(why, ""))),
        field("field-text", words, id=control(own), name=own,
              label=words("moderation.form.hide_other"), error=errors.get(own),
              value=values.get(own, ""), maxlength=form.REASON_MAX_LENGTH, spellcheck=True),
    ]
    legend = text(words, "moderation.form.redaction", number=number)
    return (f'<fieldset class="p-moderation__redaction">\n<legend>{legend}</legend>\n'
            + "\n".join(fields) + "\n</fieldset>")
