"""The sheet page's HTML: a paper sheet (or an assisted answer), its answers question by
question, its typings side by side when they differ with a coordinator's choice for each
difference, the correction and deletion forms, and its audit trail. ``review_sheets`` serves
it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from site_builder.collector.entry.access import CSRF_FIELD
from site_builder.collector.entry.page import csrf_input
from site_builder.collector.entry.review_batch_page import batch_path
from site_builder.collector.entry.review_parts import (
    checkbox,
    error_summary,
    facts,
    post_form,
    radios,
    status_line,
    table,
    text,
    text_input,
)
from site_builder.collector.entry.review_words import (
    Question,
    plain_answer,
    questions,
    shown_answer,
    state,
    trail,
)
from site_builder.collector.paths import form_page_path
from site_builder.collector.shell import absolute_urls
from site_builder.forms.manifest import Manifest
from site_builder.forms.render import render_form
from site_builder.i18n import Catalogue
from site_builder.storage.base import StoredAnswer
from site_builder.storage.entry import Batch, Change, Sheet, StoredEntry
from site_builder.storage.receipts import format_receipt

DONE = ("resolved", "sent_back", "corrected", "counted", "differs")
"""What an action on a sheet can report on the page it comes back to (``counted`` and
``differs``: what a third typing made of it)."""
KEEP = "keep-"
"""The resolve form's radios are named ``keep-<question id>``; their value is a typing's id."""
RESOLVE_REASON, SEND_BACK_REASON = "resolve-reason", "send-back-reason"
CORRECT_REASON, DELETE_REASON, DELETE_CONFIRM = "correct-reason", "delete-reason", "delete-confirm"
SUBMIT_MARK = '<button class="p-form__submit" type="submit">'
"""Where the correction's reason goes in the entry form: just before its button."""


@dataclass(frozen=True)
class SheetView:
    """What the sheet page shows, as read from the database."""

    answer: StoredAnswer
    manifest: Manifest
    sheet: Sheet | None
    """None for an assisted answer, or one imported from a spreadsheet."""
    batch: Batch | None
    changes: Sequence[Change]
    area: str

    @property
    def path(self) -> str:
        return f"{self.area}/sheets/{self.answer.receipt}"

    @property
    def editable(self) -> bool:
        """Whether it may still be corrected or deleted: its batch is not closed."""
        return self.batch is None or self.batch.closed_at is None


@dataclass(frozen=True)
class SheetFeedback:
    done: str | None = None
    errors: Mapping[str, str] = field(default_factory=dict)
    """Message by control id (a question's id for the correction form)."""
    values: Mapping[str, str] = field(default_factory=dict)
    correction: tuple[dict[str, list[str]], dict[str, str]] | None = None
    """The correction as typed (values, marks), shown again with its errors."""


def correctable(view: SheetView) -> bool:
    """Whether a coordinator may correct it: a paper sheet that counts (one whose typings
    differ is settled by choosing, not by typing). An assisted answer was checked as online
    ones are, on the citizen's form: it can only be deleted."""
    sheet = view.sheet
    return view.answer.channel == "paper" and (sheet is None or sheet.state == "counted")


def sheet_title(words: Catalogue, view: SheetView) -> str:
    code = format_receipt(view.answer.receipt)
    if view.sheet is not None:
        return words("review.sheet.title", number=view.sheet.number, batch=view.sheet.batch_id)
    return words("review.sheet.title_answer", receipt=code)


def sheet_main(words: Catalogue, view: SheetView, *, coordinator: bool, csrf: str,
               feedback: SheetFeedback) -> str:
    """The inside of ``<main>``: h1, feedback, facts, answers or differences, a coordinator's
    forms, trail. ``csrf``: the session's token, which every form carries."""
    csrf_html = csrf_input(csrf)
    parts = [f"<h1>{escape(sheet_title(words, view), quote=False)}</h1>"]
    correcting = feedback.correction is not None
    if feedback.errors and not correcting:
        parts.append(error_summary(words, "review-errors", [
            # a choice's message leads to its first radio
            (message, f"{control}-1" if control.startswith(KEEP) else control or None)
            for control, message in feedback.errors.items()]))
    elif feedback.done in DONE:
        parts.append(status_line(words(f"review.done.{feedback.done}")))
    parts.append(facts(_facts(words, view)))
    sheet = view.sheet
    if sheet is not None and sheet.state == "differs":
        parts.append(_differences(words, view, sheet, coordinator=coordinator,
                                  csrf_html=csrf_html, feedback=feedback))
    else:
        answer = view.answer
        parts.append(f"<h2>{text(words, 'review.sheet.answers')}</h2>")
        parts.append(facts([(_label_text(question), shown_answer(words, question, answer.values,
                                                                  answer.marks))
                            for question in questions(view.manifest,
                                                      (answer.values, answer.marks))]))
    if sheet is not None and sheet.state == "awaiting_third" and view.editable:
        parts.append(f'<p><a href="{escape(view.path)}/again">'
                     f'{text(words, "review.again.link")}</a></p>')
    if coordinator and view.editable:
        if correctable(view):
            parts.append(_correction(words, view, csrf, feedback))
        parts.append(_deletion(words, view, csrf_html, feedback))
    elif coordinator:
        parts.append(f"<p>{text(words, 'review.sheet.closed')}</p>")
    parts.append(trail(words, view.changes, view.manifest, f"{view.area}/sheets/{{receipt}}"))
    if view.batch is not None:
        parts.append(f'<p><a href="{escape(batch_path(view.area, view.batch.id))}">'
                     f'{text(words, "review.sheet.back", number=view.batch.id)}</a></p>')
    # the questions' labels (a consent's link) are written for the form's page on the site
    return absolute_urls("\n".join(parts), form_page_path(view.manifest))


def _label_text(question: Question) -> str:
    """A question's label as the plain text of a term (``facts`` escapes it)."""
    return question.field.label if question.field else question.id


def _facts(words: Catalogue, view: SheetView) -> list[tuple[str, str]]:
    answer = view.answer
    rows = [(words("review.sheet.receipt"),
             f'<strong translate="no">{escape(format_receipt(answer.receipt))}</strong>'),
            (words("review.batch.form"), escape(view.manifest.form.title, quote=False)),
            (words("review.sheet.channel"), text(words, f"review.channel.{answer.channel}"))]
    if view.batch is not None:
        batch = view.batch
        rows.append((words("review.sheet.batch"),
                     f'<a href="{escape(batch_path(view.area, batch.id))}">'
                     f'{text(words, "review.sheet.batch_link", number=batch.id, place=batch.place)}'
                     "</a>"))
    if view.sheet is not None:
        rows.append((words("review.sheet.state"), escape(state(words, view.sheet.state))))
        typed = words.joined(words("review.sheets.set_aside", name=entry.entered_by)
                             if entry.discarded else entry.entered_by
                             for entry in view.sheet.entries)
        rows.append((words("review.sheets.typed_by"), escape(typed, quote=False)))
    elif answer.entered_by:
        rows.append((words("review.sheet.entered_by"), escape(answer.entered_by, quote=False)))
    return rows


def typing_name(words: Catalogue, number: int, entry: StoredEntry) -> str:
    """"Saisie A (Awa)": typings are lettered in the order they were made."""
    letter = chr(ord("A") + number)
    key = "review.typing.set_aside" if entry.discarded else "review.typing.name"
    return words(key, letter=letter, name=entry.entered_by)


def differing(view: SheetView, sheet: Sheet) -> list[Question]:
    """The questions whose answer is not the same in every typing of the sheet."""
    listed = questions(view.manifest, *((entry.values, entry.marks) for entry in sheet.entries))
    return [question for question in listed
            if len({_key(entry, question.id) for entry in sheet.entries}) > 1]


def _key(entry: StoredEntry, question_id: str) -> tuple[str, ...]:
    mark = entry.marks.get(question_id)
    return ("\0mark", mark) if mark else tuple(entry.values.get(question_id, []))


def _differences(words: Catalogue, view: SheetView, sheet: Sheet, *, coordinator: bool,
                 csrf_html: str, feedback: SheetFeedback) -> str:
    """The typings side by side, each difference marked; a coordinator's forms: keep a
    value for each difference, or send the sheet back for a third typing."""
    entries = sheet.entries
    names = [typing_name(words, number, entry) for number, entry in enumerate(entries)]
    different = {question.id for question in differing(view, sheet)}
    rows = []
    for question in questions(view.manifest, *((entry.values, entry.marks) for entry in entries)):
        cells = [shown_answer(words, question, entry.values, entry.marks) for entry in entries]
        flag = text(words, "review.differs.yes" if question.id in different
                    else "review.differs.no")
        rows.append([question.label_html, *cells, flag])
    headers = [words("review.differs.question"), *names, words("review.differs.same")]
    parts = [f"<h2>{text(words, 'review.differs.title')}</h2>",
             f"<p>{text(words, 'review.differs.intro', count=len(different))}</p>",
             table(words("review.differs.title"), headers, rows)]
    if not coordinator:
        parts.append(f"<p>{text(words, 'review.differs.coordinator')}</p>")
        return "\n".join(parts)
    choices = []
    for question in differing(view, sheet):
        control = f"{KEEP}{question.id}"
        options = [(str(entry.id), text(words, "review.resolve.option", typing=name,
                                        answer=plain_answer(words, question, entry.values,
                                                            entry.marks)))
                   for name, entry in zip(names, entries, strict=True)]
        choices.append(radios(words, control, control, question.label_html, options,
                              error=feedback.errors.get(control)))
    reason = text_input(words, RESOLVE_REASON, "reason", words("review.reason_optional"),
                        value=feedback.values.get(RESOLVE_REASON, ""))
    parts.append(f"<h3>{text(words, 'review.resolve.title')}</h3>")
    parts.append(post_form(f"{view.path}/resolve", csrf_html,
                           "\n".join(choices) + f"\n{reason}\n", words("review.resolve.submit")))
    send_reason = text_input(words, SEND_BACK_REASON, "reason", words("review.reason_optional"),
                             value=feedback.values.get(SEND_BACK_REASON, ""))
    parts.append(f"<h3>{text(words, 'review.send_back.title')}</h3>")
    parts.append(f"<p>{text(words, 'review.send_back.explain')}</p>")
    parts.append(post_form(f"{view.path}/send-back", csrf_html, f"{send_reason}\n",
                           words("review.send_back.submit")))
    return "\n".join(parts)


def _correction(words: Catalogue, view: SheetView, csrf: str,
                feedback: SheetFeedback) -> str:
    """The entry form filled with the sheet's answers (or the correction typed, with its
    errors), a reason field before its button."""
    answer = view.answer
    values, marks = feedback.correction or (answer.values, answer.marks)
    errors = dict(feedback.errors) if feedback.correction is not None else {}
    form_html = render_form(
        view.manifest.form, catalogue=words, action=f"{view.path}/correct", values=values,
        errors=errors, paper_entry=True, marks=marks, hidden_extra={CSRF_FIELD: csrf},
        focus_errors=bool(errors))
    reason = text_input(words, CORRECT_REASON, "reason", words("review.correct.reason"),
                        value=feedback.values.get(CORRECT_REASON, ""),
                        error=errors.get(CORRECT_REASON))
    if form_html.count(SUBMIT_MARK) != 1:
        raise ValueError("the entry form has no single submit button to put the reason before")
    form_html = form_html.replace(SUBMIT_MARK, f"{reason}\n{SUBMIT_MARK}")
    return (f"<h2>{text(words, 'review.correct.title')}</h2>\n"
            f"<p>{text(words, 'review.correct.explain')}</p>\n{form_html.strip()}")


def _deletion(words: Catalogue, view: SheetView, csrf_html: str,
              feedback: SheetFeedback) -> str:
    fields = (checkbox(words, DELETE_CONFIRM, "confirm", words("review.delete.confirm"),
                       error=feedback.errors.get(DELETE_CONFIRM)) + "\n"
              + text_input(words, DELETE_REASON, "reason", words("review.delete.reason"),
                           value=feedback.values.get(DELETE_REASON, ""),
                           error=feedback.errors.get(DELETE_REASON)) + "\n")
    return (f"<h2>{text(words, 'review.delete.title')}</h2>\n"
            f"<p>{text(words, 'review.delete.explain')}</p>\n"
            + post_form(f"{view.path}/delete", csrf_html, fields, words("review.delete.submit")))
