"""Reading a submitted form body (``application/x-www-form-urlencoded``) into name/value pairs.

The body is parsed with the standard library (DESIGN.md, convention 6) and held to explicit
limits. Anything a browser filling in a parole form cannot send — bytes that are not UTF-8,
control characters, more pairs than any form has — is refused with a ``Refusal``: it carries
the HTTP status, a precise English reason for logs and tests, and the catalogue key of a short
message for the person who sent it.
"""

from __future__ import annotations

import unicodedata
import urllib.parse
from dataclasses import dataclass

from site_builder.messages import say

ALLOWED_CONTROLS = frozenset("\t\n\r")
"""Control characters a value may hold: a typed tab or line break (browsers send CRLF). Which
field may hold a line break is the form's business (``validate.check``): only a textarea."""
SHOWN_LENGTH = 40
"""How much of a name a ``Refusal.reason`` quotes: enough to recognise it, not a log flood."""


@dataclass(frozen=True)
class Limits:
    """Bounds on a submitted body, so that no request can make the collector work without end."""

    max_body_bytes: int = 64 * 1024
    """Largest body accepted, in bytes as sent (percent-encoded). Beyond it: 413."""
    max_fields: int = 200
    """Most ``name=value`` pairs accepted (every ``&``-separated part counts, empty ones too)."""


class Refusal(Exception):  # noqa: N818 (not an error of parole's: a refused answer)
    """An answer that cannot be taken as it is: too large, unreadable, or not one the published
    form can send (a robot, a forged or outdated page). The collector answers ``status`` with a
    plain page (``pages.message_page``); ``reason`` is for logs and tests."""

    def __init__(self, reason: str, *, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        """What was refused and where, in English ("field 'age' repeated")."""
        self.status = status
        """The HTTP status to answer with."""


def parse_body(body: bytes, limits: Limits) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of a URL-encoded body, in body order, decoded as UTF-8.

    Follows the WHATWG ``application/x-www-form-urlencoded`` parser: ``&`` separates pairs,
    empty parts are skipped, a part without ``=`` is a name with an empty value, ``+`` is a
    space, ``%XX`` is a byte. Raw non-ASCII bytes are fine when the whole decodes as UTF-8.
    Raises ``Refusal``: 413 when ``body`` is over ``limits.max_body_bytes``; 400 for more than
    ``limits.max_fields`` pairs, bytes that are not strict UTF-8 (overlong forms and encoded
    surrogates included), a control character in a name, or one other than tab, LF and CR in
    a value (DEL and the C1 controls U+0080 to U+009F included: no keyboard types them, and a
    terminal that shows them runs them, e.g. U+009B starts an escape sequence).
    """
    if len(body) > limits.max_body_bytes:
        raise Refusal(say("collector.refusal.too_large", size=len(body),
                          limit=limits.max_body_bytes), status=413)
    # parse_qsl on bytes decodes them as ASCII, so it refuses any non-ASCII byte, raw or
    # percent-encoded. Latin-1 maps each byte to the code point of the same number and back:
    # parsing the Latin-1 text and encoding each part to Latin-1 again yields the exact bytes
    # of every name and value, which are then decoded as strict UTF-8.
    try:
        raw_pairs = urllib.parse.parse_qsl(
            body.decode("latin-1"), keep_blank_values=True, encoding="latin-1",
            errors="strict", max_num_fields=limits.max_fields,
        )
    except ValueError:  # parse_qsl's only error without strict_parsing: too many fields
        raise Refusal(say("collector.refusal.too_many_fields", limit=limits.max_fields)) from None
    pairs = []
    for raw_name, raw_value in raw_pairs:
        name = _utf8(raw_name.encode("latin-1"), say("collector.refusal.a_field_name"))
        _check_name(name)
        value = _utf8(raw_value.encode("latin-1"),
                      say("collector.refusal.the_value_of", name=shown(name)))
        _check_value(name, value)
        pairs.append((name, value))
    return pairs


def shown(text: str) -> str:
    """``text`` quoted for a ``Refusal.reason``: its ``repr`` (control characters escaped, so
    a log line stays one line), cut after ``SHOWN_LENGTH`` characters."""
    if len(text) <= SHOWN_LENGTH:
        return repr(text)
    return repr(text[:SHOWN_LENGTH]) + "…"


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        found = data[error.start:error.end]
        raise Refusal(say("collector.refusal.invalid_utf8", where=where, found=repr(found),
                          start=error.start)) from None


def _check_name(name: str) -> None:
    for character in name:
        if unicodedata.category(character) == "Cc":
            raise Refusal(say("collector.refusal.control_in_name",
                              code=f"U+{ord(character):04X}", name=shown(name)))


def _check_value(name: str, value: str) -> None:
    for character in value:
        # Category Cc is exactly C0, DEL and C1.
        if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
            raise Refusal(say("collector.refusal.control_in_value",
                              code=f"U+{ord(character):04X}", name=shown(name)))
