"""Reading a submitted body: what a browser sends becomes pairs, anything else a ``Refusal``."""

from __future__ import annotations

import dataclasses

import pytest

from site_builder.collector.body import Limits, Refusal, parse_body

LIMITS = Limits()


@pytest.mark.parametrize(("body", "pairs"), [
    (b"", []),
    (b"a=1&b=2&c=3", [("a", "1"), ("b", "2"), ("c", "3")]),
    (b"b=2&a=1", [("b", "2"), ("a", "1")]),  # body order, not sorted
    (b"usages=marche&usages=voiture", [("usages", "marche"), ("usages", "voiture")]),
    (b"idees=plus+d%27arbres", [("idees", "plus d'arbres")]),  # + is a space
    (b"x=%2B33+6", [("x", "+33 6")]),  # an encoded + stays a +
    (b"idees=%C3%A9t%C3%A9", [("idees", "été")]),
    ("idees=été".encode(), [("idees", "été")]),  # raw UTF-8 bytes are fine
    ("idees=%C3%A9té".encode(), [("idees", "été")]),  # raw and encoded mixed
    ("quartier=حي".encode(), [("quartier", "حي")]),
    (b"rire=%F0%9F%98%80", [("rire", "\U0001f600")]),  # four bytes: outside the BMP
    (b"vide=&seul", [("vide", ""), ("seul", "")]),  # no '=' is an empty value
    (b"&&a=1&&", [("a", "1")]),  # empty parts are skipped
    (b"a=1=2", [("a", "1=2")]),  # the first '=' splits
    (b"a;b=1", [("a;b", "1")]),  # ';' separates nothing
    (b"a=100%&b=%zz&c=%4", [("a", "100%"), ("b", "%zz"), ("c", "%4")]),  # bad escapes stay
    (b"t=un%09deux%0D%0Atrois%0Dquatre%0Acinq", [("t", "un\tdeux\r\ntrois\rquatre\ncinq")]),
    # Line and paragraph separators and bidi controls are text (pasted from a document):
    # kept, and escaped wherever they reach a terminal (``terminal.py``).
    (b"t=%E2%80%A8%E2%80%A9%E2%80%AE", [("t", "\u2028\u2029\u202e")]),
    (b"=", [("", "")]),
], ids=repr)
def test_a_body_becomes_pairs(body: bytes, pairs: list[tuple[str, str]]) -> None:
    assert parse_body(body, LIMITS) == pairs


@pytest.mark.parametrize(("body", "reason"), [
    # Not UTF-8, encoded or raw: the decoder is strict.
    (b"idees=%E9t%E9", "invalid UTF-8 in the value of 'idees': b'\\xe9' at byte 0"),  # Latin-1
    (b"idees=\xe9t\xe9", "invalid UTF-8 in the value of 'idees'"),
    (b"idees=%C0%AF", "invalid UTF-8 in the value of 'idees'"),  # overlong '/'
    (b"idees=\xc0\xaf", "invalid UTF-8 in the value of 'idees'"),
    (b"idees=%E0%80%AF", "invalid UTF-8 in the value of 'idees'"),  # overlong, three bytes
    (b"idees=%ED%A0%80", "invalid UTF-8 in the value of 'idees'"),  # surrogate U+D800
    (b"idees=\xed\xb0\x80", "invalid UTF-8 in the value of 'idees'"),  # surrogate U+DC00
    (b"idees=%F4%90%80%80", "invalid UTF-8 in the value of 'idees'"),  # beyond U+10FFFF
    (b"idees=%C3", "invalid UTF-8 in the value of 'idees'"),  # cut short
    (b"idees=%80", "invalid UTF-8 in the value of 'idees'"),  # lone continuation byte
    (b"id%FFees=1", "invalid UTF-8 in a field name"),
    # Control characters: none in a name, only tab, LF and CR in a value.
    (b"idees=a%00b", "control character U+0000 in the value of 'idees'"),
    (b"idees=a%01", "control character U+0001 in the value of 'idees'"),
    (b"idees=%0C", "control character U+000C in the value of 'idees'"),  # form feed
    (b"idees=%1B%5B2J", "control character U+001B in the value of 'idees'"),  # terminal escape
    (b"idees=%1F", "control character U+001F in the value of 'idees'"),
    # DEL and C1: no keyboard types them, and a terminal runs them (U+009B starts an escape).
    (b"idees=a%7F", "control character U+007F in the value of 'idees'"),
    (b"idees=%C2%80", "control character U+0080 in the value of 'idees'"),
    (b"idees=%C2%85", "control character U+0085 in the value of 'idees'"),  # NEL
    (b"idees=%C2%9B2J", "control character U+009B in the value of 'idees'"),  # CSI
    (b"idees=%C2%9F", "control character U+009F in the value of 'idees'"),
    (b"id%00ees=1", "control character U+0000 in the field name 'id\\x00ees'"),
    (b"id%09ees=1", "control character U+0009 in the field name"),
    (b"id%0Aees=1", "control character U+000A in the field name"),
    (b"id%7Fees=1", "control character U+007F in the field name"),
    (b"id%C2%85ees=1", "control character U+0085 in the field name"),
], ids=repr)
def test_what_no_browser_sends_is_refused(body: bytes, reason: str) -> None:
    with pytest.raises(Refusal) as refused:
        parse_body(body, LIMITS)
    assert refused.value.reason.startswith(reason)
    assert refused.value.status == 400


def test_a_long_name_is_quoted_short_in_the_reason() -> None:
    name = "x" * 500 + "\x00"
    with pytest.raises(Refusal) as refused:
        parse_body(f"{name}=1".encode(), LIMITS)
    assert refused.value.reason == (
        f"control character U+0000 in the field name {'x' * 40!r}…"
    )


def test_the_field_count_has_a_limit() -> None:
    limits = Limits(max_fields=3)
    assert len(parse_body(b"a=1&b=2&c=3", limits)) == 3
    with pytest.raises(Refusal) as refused:
        parse_body(b"a=1&b=2&c=3&d=4", limits)
    assert refused.value.reason == "more than 3 fields in the body"
    assert refused.value.status == 400


def test_the_default_field_count_is_two_hundred() -> None:
    body = "&".join(f"q{number}=x" for number in range(200)).encode()
    assert len(parse_body(body, LIMITS)) == 200
    with pytest.raises(Refusal):
        parse_body(body + b"&one=more", LIMITS)


def test_the_body_size_has_its_own_limit() -> None:
    limits = Limits(max_body_bytes=10)
    assert parse_body(b"idees=abcd", limits) == [("idees", "abcd")]  # exactly 10 bytes
    with pytest.raises(Refusal) as refused:
        parse_body(b"idees=abcde", limits)
    assert refused.value.status == 413
    assert refused.value.status == 413
    assert refused.value.reason == "body of 11 bytes, over the limit of 10"


def test_the_default_limits() -> None:
    assert (LIMITS.max_body_bytes, LIMITS.max_fields) == (64 * 1024, 200)
    with pytest.raises(dataclasses.FrozenInstanceError):
        LIMITS.max_fields = 1  # type: ignore[misc]
    assert parse_body(b"x=" + b"a" * (64 * 1024 - 2), LIMITS)[0][1] == "a" * (64 * 1024 - 2)
    with pytest.raises(Refusal):
        parse_body(b"x=" + b"a" * (64 * 1024 - 1), LIMITS)


def test_a_refusal_is_an_exception_with_its_reason() -> None:
    refusal = Refusal("field 'age' repeated")
    assert str(refusal) == "field 'age' repeated"
    assert refusal.status == 400
