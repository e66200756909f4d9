"""The questions ``parole moderate`` asks, one line of input each (a person or a pipe).

Every question can be left with an empty line, which goes back one step without deciding
anything; the end of the input (Ctrl-D, or a pipe that is done) ends the session. What is shown
of an answer, a theme or a question goes through ``for_terminal`` first.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from site_builder.collector.terminal import for_terminal
from site_builder.messages import say, say_count
from site_builder.storage.moderation import REJECT_REASONS, Redaction, redacted

Choice = tuple[str, str, tuple[Redaction, ...], str | None]
"""A decision before it is stored: outcome, reason, redactions, theme."""
REDACTION_CHOICES = ("personal data", "insulting")
"""The usual reasons to hide words, numbered 1 and 2 (``moderation.REDACTION_REASONS``)."""
INDENT = "    "


def reason_words(reason: str) -> str:
    """One of the usual reasons (``off-topic``…), in the moderator's language."""
    return say(f"results.moderate.reason.{reason.replace(' ', '_')}")


def read_line(prompt: str) -> str | None:
    """Show ``prompt``, read one line; None at the end of the input."""
    print(prompt, end=" ", flush=True)
    line = sys.stdin.readline()
    if not line:
        print()
        return None
    return line.strip()


def ask(prompt: str) -> str | None:
    """A one-letter choice, in lower case ("" for an empty line); None at the end of input."""
    line = read_line(prompt)
    return None if line is None else line.lower()


def quoted_block(text: str) -> str:
    """``text`` escaped for the terminal and indented, each of its lines apart."""
    return "\n".join(INDENT + line for line in for_terminal(text).split("\n"))


def ask_theme(themes: Sequence[str]) -> str | None:
    """A theme for an approved quote: one already used (by its number) or a new one; None
    to go back."""
    if themes:
        print(say("results.moderate.themes_used"))
        for number, theme in enumerate(themes, 1):
            print(f"{INDENT}[{number}] {for_terminal(theme)}")
    while True:
        line = read_line(say("results.moderate.ask_theme") if not themes
                         else say("results.moderate.ask_theme_or_number", last=len(themes)))
        if not line:
            return None
        if line.isdigit():
            if 1 <= int(line) <= len(themes):
                return themes[int(line) - 1]
            print(say("results.moderate.no_such_theme", number=line))
            continue
        return line


def ask_reject_reason() -> str | None:
    """One of ``REJECT_REASONS`` (1 to 4) or the moderator's own words (5); None to go back."""
    print(say("results.moderate.reject_reasons"))
    for number, reason in enumerate(REJECT_REASONS, 1):
        print(f"{INDENT}[{number}] {reason_words(reason)}")
    print(f"{INDENT}[{len(REJECT_REASONS) + 1}] {say('results.moderate.reason.own')}")
    while True:
        line = read_line(say("results.moderate.ask_reject_reason", last=len(REJECT_REASONS) + 1))
        if not line:
            return None
        if line in {str(number) for number in range(1, len(REJECT_REASONS) + 1)}:
            return REJECT_REASONS[int(line) - 1]
        if line == str(len(REJECT_REASONS) + 1):
            own = read_line(say("results.moderate.ask_own_reason"))
            if own:
                return own
            continue
        print(say("results.moderate.reason_numbers", last=len(REJECT_REASONS) + 1))


def ask_redactions(text: str, themes: Sequence[str]) -> Choice | None:
    """Words to hide, each with its reason, then the quote as it will read and a last
    confirmation; None to go back without deciding."""
    spans: list[Redaction] = []
    print(say("results.moderate.redact_intro"))
    while True:
        words = read_line(say("results.moderate.ask_words") if not spans
                          else say("results.moderate.ask_more_words"))
        if words is None or (not words and not spans):
            return None
        if not words:
            break
        found = occurrences(text, words)
        if not found:
            print(say("results.moderate.words_not_found", words=for_terminal(words)))
            continue
        if any(start < span.end and span.start < end for start, end in found for span in spans):
            print(say("results.moderate.words_overlap", words=for_terminal(words)))
            continue
        reason = _redaction_reason()
        if reason is None:
            continue
        spans = sorted([*spans, *(Redaction(start, end, reason) for start, end in found)],
                       key=lambda span: span.start)
        print(say_count("results.moderate.words_hidden", len(found)))
    return _confirm(text, tuple(spans), themes)


def occurrences(text: str, words: str) -> list[tuple[int, int]]:
    """Where ``words`` appear in ``text``, each place apart: exactly as typed, except that any
    run of spaces or line breaks between two words matches any other (the answer may break a
    line where the moderator types a space), as on the moderation page."""
    pattern = r"\s+".join(re.escape(word) for word in words.split())
    if not pattern:
        return []
    return [match.span() for match in re.finditer(pattern, text)]


def _redaction_reason() -> str | None:
    print(say("results.moderate.redaction_reasons"))
    for number, reason in enumerate(REDACTION_CHOICES, 1):
        print(f"{INDENT}[{number}] {reason_words(reason)}")
    line = read_line(say("results.moderate.ask_redaction_reason"))
    if not line:
        return None
    if line.isdigit() and 1 <= int(line) <= len(REDACTION_CHOICES):
        return REDACTION_CHOICES[int(line) - 1]
    return line


def _confirm(text: str, spans: tuple[Redaction, ...], themes: Sequence[str]) -> Choice | None:
    print(say("results.moderate.preview"))
    print(quoted_block(redacted(text, spans)))
    while True:
        key = ask(say("results.moderate.confirm_choices"))
        if key is None or key == "c" or not key:
            return None
        if key == "a":
            return ("approved", "", spans, None)
        if key == "t":
            theme = ask_theme(themes)
            if theme is not None:
                return ("approved", "", spans, theme)
            continue
        print(say("results.moderate.unknown_confirm_key", key=for_terminal(key)))
