"""The written corpus of hostile requests sent to the collector by ``test_hostile.py``.

Each :class:`Case` is data: a name saying what hostile thing it is, the raw request as it goes on
the wire (:class:`RawRequest`), and what ``docs/collector.md`` promises for it: the status, a
phrase of the page the person sees (the example consultation is in French, so the phrases are
``theme/locales/fr.yml``'s), and whether anything may be stored (only a filled honeypot is, in
quarantine). Cases are grouped in the categories issue #5 names, plus a few obvious others
(methods and paths, HTTP framing). Tables of values (every invalid UTF-8 sequence, every content
type…) are turned into cases by small loops, but every case is one distinct hostile thing.

The form's version is a hash of the built form, so the corpus is made for it: ``corpus(version)``.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from tests.collector_support import VALID_ANSWER

FORM_ID = "avis-place"
FORM_TYPE = "application/x-www-form-urlencoded"
HOST = "participer.belval.example"
"""The Host every request names (unless a case changes it): origins are judged against it."""
LIMIT = 64 * 1024
"""``Limits.max_body_bytes``: the largest body the collector reads."""
MAX_FIELDS = 200
"""``Limits.max_fields``."""
CHUNK = 16 * 1024
"""Chunk size of a body sent with ``Transfer-Encoding: chunked`` (no Content-Length)."""

# What the pages say (theme/locales/fr.yml), one phrase per kind of page.
REFUSED = "Elle est peut-être incomplète, ou le questionnaire a changé"
UNSUPPORTED = "Elle n\u2019est pas arrivée sous la forme attendue."
TOO_LARGE = "Votre réponse est trop longue"
FORBIDDEN = "Cette réponse ne vient pas du site de la consultation."
NOT_FOUND = "Nous ne trouvons pas cette page."
CHANGED = "Le questionnaire a changé depuis que vous l\u2019avez ouvert."
EMAIL = "Écrivez l\u2019adresse de courriel en entier"
NUMBER_FORMAT = "Écrivez votre réponse en chiffres"
NUMBER_WHOLE = "Écrivez un nombre entier"
NUMBER_SMALL = "Écrivez un nombre plus grand"
NUMBER_LARGE = "Écrivez un nombre plus petit"
TOO_LONG_TEXT = "Raccourcissez votre réponse"
WRONG_CODE = "Ce code ne fonctionne pas."
NO_CODE = "Saisissez votre code personnel"
AREA_REFUSED = "Cette demande ne vient pas d\u2019une page de la saisie"
PROTOCOL_REFUSAL = "Invalid HTTP request received."
"""uvicorn's plain answer to a request that is not valid HTTP/1.1: the collector never sees it."""


class Outcome(enum.Enum):
    """What the collector does with a case, beyond its status."""

    PAGE = "an accessible HTML page of the collector, nothing stored"
    EMPTY = "no body (a HEAD request), nothing stored"
    QUARANTINED = "303 to a receipt, the answer stored in quarantine only"
    STORED = "303 to a receipt, the answer stored and counted: text a person may paste"
    PROTOCOL = "uvicorn's plain-text 400 before the collector sees the request, nothing stored"


@dataclass(frozen=True)
class RawRequest:
    """One HTTP/1.1 request, exactly as sent. The sender adds ``Host`` (unless ``host`` is
    None), ``Connection: close`` and the body's framing (``Content-Length``, or chunks of
    ``chunk_size`` bytes) unless ``headers`` already frame it: then ``body`` is sent as is."""

    body: bytes = b""
    method: str = "POST"
    target: str = "/collect"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", FORM_TYPE),)
    host: str | None = HOST
    chunk_size: int | None = None

    def wire(self) -> bytes:
        names = {name.strip().lower() for name, _ in self.headers}
        lines = [f"{self.method} {self.target} HTTP/1.1"]
        if self.host is not None:
            lines.append(f"Host: {self.host}")
        lines += [f"{name}: {value}" for name, value in self.headers]
        body = self.body
        if not names & {"content-length", "transfer-encoding"}:
            if self.chunk_size is None:
                lines.append(f"Content-Length: {len(body)}")
            else:
                lines.append("Transfer-Encoding: chunked")
                body = chunked(body, self.chunk_size)
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def chunked(body: bytes, size: int) -> bytes:
    """``body`` in the chunked transfer coding, in chunks of ``size`` bytes."""
    pieces = [body[start:start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    request: RawRequest
    status: int
    phrase: str | None
    """A phrase the page shows (None: no page to read, e.g. a 303 or a HEAD)."""
    outcome: Outcome = Outcome.PAGE
    header: tuple[str, str] | None = None
    """A header the reply must carry (name in lower case, value)."""


# -- bodies ---------------------------------------------------------------------------------------

def answer(version: str, *, drop: Iterable[str] = (),
           extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The complete valid answer with its hidden fields, without the names in ``drop``, then
    ``extra``."""
    dropped = set(drop)
    pairs = [("_form", FORM_ID), ("_version", version), *VALID_ANSWER]
    return [pair for pair in pairs if pair[0] not in dropped] + list(extra)


def encoded(pairs: Sequence[tuple[str, str]], raw: bytes = b"") -> bytes:
    """``pairs`` URL-encoded as a browser does, then ``raw`` (bytes no browser sends) as one
    more ``&``-separated part."""
    body = urlencode(list(pairs)).encode("ascii")
    return body + b"&" + raw if raw else body


def fullwidth(text: str) -> str:
    """``text`` (ASCII) in the full-width forms of East Asian typography: looks the same to a
    person, is other code points to a program."""
    return "".join(chr(ord(character) + 0xFEE0) for character in text)


def shown(text: str, length: int = 30) -> str:
    """``text`` quoted for a case's name, cut when long (its length said)."""
    if len(text) <= length:
        return repr(text)
    return f"{text[:12]!r}… ({len(text):,} characters)"


# -- the categories -------------------------------------------------------------------------------

CaseMaker = Callable[[str], list[Case]]


def oversized_bodies(version: str) -> list[Case]:
    """Bodies over 64 KB, declared (the collector refuses from the header, reading nothing),
    actual, or chunked without any length: 413."""
    category = "oversized bodies"
    small = b"_form=avis-place"
    cases = [
        Case(category, f"Content-Length declares {size:,} bytes, {len(small)} sent",
             RawRequest(small, headers=(("Content-Type", FORM_TYPE),
                                        ("Content-Length", str(size)))), 413, TOO_LARGE)
        for size in (LIMIT + 1, 1_000_000, 50 * 2**20, 2**31, 2**63 - 1, 2**64)
    ]
    cases.append(Case(
        category, "Expect: 100-continue with 50 MB declared: 413 without a 100 Continue",
        RawRequest(small, headers=(("Content-Type", FORM_TYPE), ("Expect", "100-continue"),
                                   ("Content-Length", str(50 * 2**20)))), 413, TOO_LARGE))
    padded = encoded(answer(version, drop=["idee"], extra=[("idee", "a" * LIMIT)]))
    actual = {
        f"a valid answer padded to {len(padded):,} bytes": padded,
        "exactly one byte over the limit": b"x" * (LIMIT + 1),
        "100 KB of one name without a value": b"a" * 100_000,
        "1 MB of '&' separators": b"&" * 1_000_000,
        "70 KB of %41 escapes (23 KB once decoded: the limit counts bytes as sent)":
            b"idee=" + b"%41" * 23_400,
    }
    cases += [Case(category, f"{name}, with Content-Length", RawRequest(body), 413, TOO_LARGE)
              for name, body in actual.items()]
    chunked_bodies = {
        "one byte over the limit, chunked without a length": (b"x" * (LIMIT + 1), CHUNK),
        "a valid answer padded over the limit, in 16 KB chunks": (padded, CHUNK),
        "70 KB in 1 KB chunks": (b"a" * 70_000, 1024),
        "1 MB in one chunk": (b"a" * 1_000_000, 1_000_000),
        "1 MB in 16 KB chunks": (b"a" * 1_000_000, CHUNK),
    }
    cases += [Case(category, name, RawRequest(body, chunk_size=size), 413, TOO_LARGE)
              for name, (body, size) in chunked_bodies.items()]
    return cases


def too_many_fields(version: str) -> list[Case]:
    """More than 200 ``&``-separated parts, empty ones included: 400."""
    category = "too many fields"
    valid = encoded(answer(version))
    bodies = {
        "201 distinct unknown fields": "&".join(f"f{n}=1" for n in range(201)).encode(),
        "a valid answer then 190 empty fields": valid + b"&x=" * 190,
        "a valid answer then 200 empty parts ('&&&…')": valid + b"&" * 200,
        "250 times the same checkbox": b"&".join([b"usages=marche"] * 250),
        "1000 fields": b"&".join([b"a=1"] * 1000),
        "10 000 names without values": b"&".join([b"a"] * 10_000),
        "30 000 separators and nothing else": b"&" * 30_000,
        "201 copies of _form": b"&".join([b"_form=avis-place"] * 201),
    }
    return [Case(category, name, RawRequest(body), 400, REFUSED) for name, body in bodies.items()]


SINGLE_ANSWERS = {
    "frequence": "jour", "ombre": "5", "stationnement": "60", "jeux": "ecole",
    "idee": "Une autre idée", "age": "43", "quartier": "Centre", "courriel": "autre@exemple.fr",
}
"""A second, valid value for each single-answer question of the example form."""


def duplicate_keys(version: str) -> list[Case]:
    """What the form sends once, sent twice: a question, a checkbox, a hidden field: 400."""
    category = "duplicate keys"
    given = dict(VALID_ANSWER)
    cases = []
    for name, other in SINGLE_ANSWERS.items():
        twice = [(name, given[name]), (name, given[name])]
        cases.append(Case(category, f"'{name}' sent twice with the same value",
                          RawRequest(encoded(answer(version, drop=[name], extra=twice))),
                          400, REFUSED))
        different = [(name, given[name]), (name, other)]
        cases.append(Case(category, f"'{name}' sent twice with two valid values",
                          RawRequest(encoded(answer(version, drop=[name], extra=different))),
                          400, REFUSED))
    pairs_twice = {
        "the consent sent twice": [("accord", "yes")],
        "a single answer then an empty copy": [("frequence", "")],
        "the same checkbox ticked twice": [("usages", "marche")],
        "_form sent twice": [("_form", FORM_ID)],
        "_form sent twice, naming two forms": [("_form", "budget")],
        "_version sent twice": [("_version", version)],
        "_version sent twice, the second one old": [("_version", "0" * 16)],
        "the empty honeypot sent twice": [("_website", ""), ("_website", "")],
        "the honeypot sent twice, once filled": [("_website", ""), ("_website", "x")],
    }
    cases += [Case(category, name, RawRequest(encoded(answer(version, extra=extra))), 400,
                   REFUSED) for name, extra in pairs_twice.items()]
    return cases


INVALID_UTF8 = {
    "Latin-1 'é' percent-encoded": b"%E9",
    "Latin-1 'é' as a raw byte": b"\xe9",
    "Windows-1252 curly quotes as raw bytes": b"\x93mot\x94",
    "Shift-JIS text as raw bytes": b"\x82\xa0\x82\xa2",
    "the byte FF": b"%FF",
    "the byte FE": b"%FE",
    "a UTF-16 byte order mark as raw bytes": b"\xff\xfe",
    "a lone continuation byte 80": b"%80",
    "a lone continuation byte BF": b"%BF",
    "a two-byte sequence cut short at the end": b"%C3",
    "a two-byte lead byte before ASCII": b"%C3%28",
    "a three-byte sequence cut short": b"%E2%82",
    "a three-byte sequence with a bad second byte": b"%E2%28%A1",
    "a four-byte sequence with a bad second byte": b"%F0%28%8C%BC",
    "a code point past U+10FFFF": b"%F4%90%80%80",
    "the lead byte F5": b"%F5%80%80%80",
    "an old five-byte sequence": b"%F8%88%80%80%80",
    "an old six-byte sequence": b"%FC%84%80%80%80%80",
    "valid UTF-8 then a Latin-1 byte": b"%C3%A9t%C3%A9%E9",
}
LONE_SURROGATES = {
    "U+D800 (first high surrogate)": b"%ED%A0%80",
    "U+DB7F (last ordinary high surrogate)": b"%ED%AD%BF",
    "U+DB80 (first private-use high surrogate)": b"%ED%AE%80",
    "U+DBFF (last high surrogate)": b"%ED%AF%BF",
    "U+DC00 (first low surrogate)": b"%ED%B0%80",
    "U+DFFF (last low surrogate)": b"%ED%BF%BF",
    "U+D800 as raw bytes": b"\xed\xa0\x80",
    "U+D800 in lower-case escapes": b"%ed%a0%80",
    "a surrogate pair encoded separately (CESU-8 '😀')": b"%ED%A0%BD%ED%B8%80",
    "U+DC80 between two words": b"abc%ED%B2%80def",
}
OVERLONG = {
    "'/' in two bytes": b"%C0%AF",
    "'.' in two bytes": b"%C0%AE",
    "'../' in overlong bytes": b"%C0%AE%C0%AE%C0%AF",
    "NUL in two bytes (Java's modified UTF-8)": b"%C0%80",
    "'<' in two bytes": b"%C0%BC",
    "a quote in two bytes": b"%C0%A7",
    "'=' in two bytes": b"%C0%BD",
    "'&' in two bytes": b"%C0%A6",
    "U+007F in two bytes (lead byte C1)": b"%C1%BF",
    "'/' in three bytes": b"%E0%80%AF",
    "NUL in three bytes": b"%E0%80%80",
    "U+07FF in three bytes": b"%E0%9F%BF",
    "'/' in four bytes": b"%F0%80%80%AF",
    "U+FFFF in four bytes": b"%F0%8F%BF%BF",
    "'/' in five bytes": b"%F8%80%80%80%AF",
    "'/' in six bytes": b"%FC%80%80%80%80%AF",
    "'/' in two raw bytes": b"\xc0\xaf",
}
PLACES: dict[str, Callable[[str, bytes], bytes]] = {
    "in a text answer": lambda version, raw: encoded(answer(version, drop=["quartier"]),
                                                     b"quartier=" + raw),
    "in a field name": lambda version, raw: encoded(answer(version), b"q" + raw + b"=1"),
    "in the form id": lambda version, raw: encoded(answer(version, drop=["_form"]),
                                                   b"_form=avis-place" + raw),
}
"""Where a bad byte sequence is put: each place is decoded on its own path."""


def bad_bytes(category: str, table: dict[str, bytes]) -> CaseMaker:
    """Every sequence of ``table`` in every place of ``PLACES``: 400."""
    def cases(version: str) -> list[Case]:
        return [Case(category, f"{what} {where}", RawRequest(place(version, raw)), 400, REFUSED)
                for what, raw in table.items() for where, place in PLACES.items()]
    return cases


def control_characters(version: str) -> list[Case]:
    """NUL anywhere, any control character but tab, LF and CR in a value (none in a name), DEL
    and the C1 controls included, and a line break in a one-line field: 400. Line and paragraph
    separators and bidi controls are text a person may paste (from a word processor, in Arabic
    or Hebrew): stored, and escaped wherever they reach a terminal (issue #13)."""
    category = "NUL and control characters"
    in_values = {
        "NUL percent-encoded in a text answer": b"quartier=Les%00Tilleuls",
        "NUL as a raw byte in a text answer": b"quartier=Les\x00Tilleuls",
        "NUL at the start of a text answer": b"quartier=%00",
        "NUL after a valid option": b"jeux=fontaine%00",
        "NUL in the honeypot (a 400, not a quarantine)": b"_website=%00",
        "SOH in a text answer": b"quartier=%01",
        "BEL in a text answer": b"quartier=%07",
        "backspace in a text answer": b"quartier=abc%08%08%08",
        "vertical tab in a text answer": b"quartier=%0B",
        "form feed in a text answer": b"quartier=%0C",
        "SUB (Ctrl-Z) in a text answer": b"quartier=%1A",
        "a terminal escape (clear screen) in a text answer": b"quartier=%1B%5B2J",
        "unit separator in a text answer": b"quartier=%1F",
        "DEL in a text answer": b"quartier=Centre%7F",
        "the C1 control PAD in a text answer": b"quartier=%C2%80",
        "the C1 control NEL (U+0085) in a text answer": b"quartier=Centre%C2%85Faux",
        "the C1 control CSI (U+009B) in a text answer": b"quartier=%C2%9B2J",
        "the C1 control APC (U+009F) in a text answer": b"quartier=%C2%9F",
        "CR alone in a one-line field (an <input> cannot hold one)": b"quartier=Centre%0DFaux",
        "LF in a one-line field": b"quartier=Centre%0AFaux",
        "CR LF in a one-line field (a fake log line)": b"quartier=Centre%0D%0AINFO+stored",
        "U+009B in the multi-line field": b"quartier=Centre&jeux=fontaine&idee=a%C2%9B31m",
    }
    cases = [Case(category, name, RawRequest(encoded(answer(version, drop=["quartier", "jeux"]),
                                                     raw)), 400, REFUSED)
             for name, raw in in_values.items()]
    hidden = {
        "NUL in the form id": encoded(answer(version, drop=["_form"]), b"_form=avis-place%00"),
        "NUL in the version": encoded(answer(version, drop=["_version"]),
                                      b"_version=" + version.encode() + b"%00"),
    }
    cases += [Case(category, name, RawRequest(body), 400, REFUSED) for name, body in hidden.items()]
    in_names = {
        "NUL percent-encoded": b"%00", "NUL as a raw byte": b"\x00", "a tab": b"%09",
        "a line feed": b"%0A", "a carriage return": b"%0D", "CR LF (log injection)": b"%0D%0A",
        "DEL": b"%7F", "the C1 control PAD": b"%C2%80", "the C1 control NEL": b"%C2%85",
        "the C1 control CSI": b"%C2%9B", "ESC": b"%1B",
    }
    cases += [Case(category, f"{what} in a field name",
                   RawRequest(encoded(answer(version), b"quartier" + raw + b"x=1")), 400, REFUSED)
              for what, raw in in_names.items()]
    cases.append(Case(category, "CR LF and a Bcc header in the e-mail address (one line)",
                      RawRequest(encoded(answer(version, drop=["courriel"],
                                                extra=[("courriel", "nom@exemple.fr\r\nBcc: "
                                                        "a@b.fr")]))), 400, REFUSED))
    pasted = {
        "a line separator (U+2028) in a text answer": ("quartier", "Centre\u2028Nord"),
        "a paragraph separator (U+2029) in the idea": ("idee", "Un.\u2029Deux."),
        "a right-to-left override (U+202E) in a text answer": ("quartier", "\u202eertneC"),
        "bidi isolates (U+2066, U+2069) in the idea": ("idee", "\u2066\u05e9\u05dc\u05d5\u05dd"
                                                              "\u2069 et merci"),
        "a right-to-left mark (U+200F) in a text answer": ("quartier", "\u200fحي"),
        "a lone CR in the idea (stored as LF)": ("idee", "Une ligne\rune autre"),
    }
    cases += [Case(category, f"{what}: stored", RawRequest(encoded(answer(
        version, drop=[field], extra=[(field, value)]))), 303, None, Outcome.STORED)
        for what, (field, value) in pasted.items()]
    return cases


CONTENT_TYPES = {
    "application/json": "application/json",
    "JSON with a UTF-8 charset": "application/json; charset=utf-8",
    "multipart without a boundary": "multipart/form-data",
    "text/plain (a form with enctype=text/plain)": "text/plain",
    "an empty Content-Type": "",
    "the form type with charset=iso-8859-1": f"{FORM_TYPE}; charset=iso-8859-1",
    "the form type with charset=latin1": f"{FORM_TYPE}; charset=latin1",
    "the form type with charset=windows-1252": f"{FORM_TYPE}; charset=windows-1252",
    "the form type with charset=utf-16": f"{FORM_TYPE}; charset=utf-16",
    "the form type with charset=utf-16le": f"{FORM_TYPE}; charset=utf-16le",
    "the form type with charset=utf-32": f"{FORM_TYPE}; charset=utf-32",
    "the form type with charset=us-ascii": f"{FORM_TYPE}; charset=us-ascii",
    "the form type with charset=utf-7": f"{FORM_TYPE}; charset=utf-7",
    "the form type with an empty charset": f"{FORM_TYPE}; charset=",
    "the form type with charset=utf-8x": f"{FORM_TYPE}; charset=utf-8x",
    "the form type with charset=utf_8 (a Python alias only)": f"{FORM_TYPE}; charset=utf_8",
    "the form type with two charsets, the second latin1":
        f"{FORM_TYPE}; charset=utf-8; charset=latin1",
    "the form type with a non-ASCII charset": f"{FORM_TYPE}; charset=ütf-8",
    "text/html": "text/html",
    "application/xml": "application/xml",
    "application/octet-stream": "application/octet-stream",
    "*/*": "*/*",
    "image/png": "image/png",
    "the form type with a letter added": f"{FORM_TYPE}x",
    "the form type with a suffix": f"{FORM_TYPE}-utf8",
    "the form type then text/plain, comma-separated": f"{FORM_TYPE}, text/plain",
    "the form type without 'application/'": "x-www-form-urlencoded",
    "application/www-form-urlencoded (no 'x-')": "application/www-form-urlencoded",
}


def wrong_content_types(version: str) -> list[Case]:
    """Anything but ``application/x-www-form-urlencoded`` in UTF-8: 415, checked before the
    size (a wrong type with a 1 MB body is still a 415)."""
    category = "wrong content types"
    valid = encoded(answer(version))
    cases = [Case(category, f"{name} with a valid answer's body",
                  RawRequest(valid, headers=(("Content-Type", value),)), 415, UNSUPPORTED)
             for name, value in CONTENT_TYPES.items()]
    as_json = json.dumps(dict(answer(version))).encode()
    boundary = "----parole"
    multipart = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n"
                        f"\r\n{value}\r\n" for name, value in answer(version))
    others = {
        "a JSON object as application/json": (as_json, "application/json"),
        "a real multipart body with its boundary":
            ((multipart + f"--{boundary}--\r\n").encode(),
             f"multipart/form-data; boundary={boundary}"),
        "a text/plain body (name=value lines)":
            ("\r\n".join(f"{n}={v}" for n, v in answer(version)).encode(), "text/plain"),
        "a 1 MB body as text/plain (the type is checked first)": (b"a" * 1_000_000, "text/plain"),
    }
    cases += [Case(category, name, RawRequest(body, headers=(("Content-Type", kind),)), 415,
                   UNSUPPORTED) for name, (body, kind) in others.items()]
    cases.append(Case(category, "no Content-Type header at all", RawRequest(valid, headers=()),
                      415, UNSUPPORTED))
    cases.append(Case(category, "text/plain, then the form type in a second header",
                      RawRequest(valid, headers=(("Content-Type", "text/plain"),
                                                 ("Content-Type", FORM_TYPE))), 415, UNSUPPORTED))
    return cases


UNKNOWN_FORM_IDS = {
    "an empty form id": "", "another form's id": "budget", "a shorter id": "avis",
    "an id with a suffix": "avis-place-2", "the id in capitals": "AVIS-PLACE",
    "the id after a space": " avis-place", "the id before a space": "avis-place ",
    "the id then CR LF and a fake log line": "avis-place\r\nINFO answer stored",
    "a relative path to the manifest": "../forms/avis-place", "'..'": "..", "'.'": ".",
    "a hidden file's name": ".avis-place", "'./' then the id": "./avis-place",
    "the id then '/'": "avis-place/", "the id then a backslash": "avis-place\\",
    "a Windows path": "..\\forms\\avis-place", "/etc/passwd": "/etc/passwd",
    "'../../etc/passwd'": "../../etc/passwd", "/dev/zero": "/dev/zero",
    "the manifest's file name": "avis-place.json", "the compressed manifest's name":
    "avis-place.json.gz", "forms/ then the id": "forms/avis-place", "'~'": "~", "'*'": "*",
    "the id then ';'": "avis-place;", "the id then a query": "avis-place?x=1",
    "the id then a fragment": "avis-place#x", "the id with a Unicode hyphen": "avis\u2010place",
    "the id with a Cyrillic 'a'": "\u0430vis-place", "the id with a zero-width space":
    "avis-place\u200b", "the id in full-width letters": fullwidth("avis-place"),
    "an HTML tag as the id": "<script>alert(1)</script>", "a 10 KB id": "a" * 10_000,
    "a 60 KB id": "a" * 60_000,
}
STALE_VERSIONS: dict[str, Callable[[str], str]] = {
    "an empty version": lambda v: "", "version '0'": lambda v: "0",
    "an old version": lambda v: "0" * 16, "the version in capitals": lambda v: v.upper(),
    "the version then a space": lambda v: v + " ", "a space then the version":
    lambda v: " " + v, "the version cut by one character": lambda v: v[:-1],
    "an HTML tag as the version": lambda v: "<script>alert(1)</script>",
    "a 60 KB version": lambda v: "f" * 60_000,
}


def unknown_forms_and_versions(version: str) -> list[Case]:
    """``_form`` or ``_version`` missing, or ``_form`` no form of the site, however it is
    spelt (paths included): 400. A version that is not the form's current one: 409, the form
    again with what still fits (an old page)."""
    category = "unknown forms and versions"
    missing = {
        "_form missing": answer(version, drop=["_form"]),
        "_version missing": answer(version, drop=["_version"]),
        "_form and _version missing (only the questions' answers)": list(VALID_ANSWER),
    }
    cases = [Case(category, name, RawRequest(encoded(pairs)), 400, REFUSED)
             for name, pairs in missing.items()]
    cases.append(Case(category, "an empty body", RawRequest(b""), 400, REFUSED))
    cases += [Case(category, name,
                   RawRequest(encoded(answer(version, drop=["_form"], extra=[("_form", id_)]))),
                   400, REFUSED) for name, id_ in UNKNOWN_FORM_IDS.items()]
    cases.append(Case(category, "'../../etc/passwd' percent-encoded twice",
                      RawRequest(encoded(answer(version, drop=["_form"]),
                                         b"_form=" + quote(quote("../../etc/passwd")).encode())),
                      400, REFUSED))
    cases += [Case(category, name, RawRequest(encoded(
        answer(version, drop=["_version"], extra=[("_version", stale(version))]))), 409, CHANGED)
        for name, stale in STALE_VERSIONS.items()]
    return cases


OUT_OF_RANGE_AGES = {
    "-1": NUMBER_SMALL, "-0.5": NUMBER_WHOLE, "121": NUMBER_LARGE, "121 ": NUMBER_LARGE,
    "1000": NUMBER_LARGE, "1 000": NUMBER_LARGE, "9" * 100: NUMBER_LARGE,
    "-" + "9" * 100: NUMBER_SMALL, "9" * 60_000: NUMBER_LARGE,
    "١٢١": NUMBER_LARGE, "\U0001d7cf\U0001d7d0\U0001d7cf": NUMBER_LARGE,
    "120,5": NUMBER_WHOLE, "0.5": NUMBER_WHOLE,
    "1e2": NUMBER_FORMAT, "1E2": NUMBER_FORMAT, "0x10": NUMBER_FORMAT, "NaN": NUMBER_FORMAT,
    "Infinity": NUMBER_FORMAT, "-inf": NUMBER_FORMAT, "12 34": NUMBER_FORMAT,
    "1.2.3": NUMBER_FORMAT, "--5": NUMBER_FORMAT, "+-5": NUMBER_FORMAT, "5-": NUMBER_FORMAT,
    "½": NUMBER_FORMAT, "²": NUMBER_FORMAT, "12abc": NUMBER_FORMAT, "1_000": NUMBER_FORMAT,
    "'; DROP TABLE answers; --": NUMBER_FORMAT,
}


def out_of_range_numbers(version: str) -> list[Case]:
    """An age (whole number, 0 to 120) that is not one, or out of range: the form again (400)
    with the message at the question."""
    category = "out-of-range numbers"
    return [Case(category, f"age {shown(value)}",
                 RawRequest(encoded(answer(version, drop=["age"], extra=[("age", value)]))),
                 400, message) for value, message in OUT_OF_RANGE_AGES.items()]


BAD_EMAILS = (
    "nom", "nom@", "@exemple.fr", "nom@exemple", "nom@@exemple.fr", "nom@exemple@fr",
    "nom @exemple.fr", "nom@exemple .fr", "nom@exemple..fr", "nom@.exemple.fr",
    "nom@exemple.fr.", "nom.exemple.fr", "nom@exemple.fr\tx",
    "nom@exem\u00a0ple.fr", "nom@exemple.fr autre@exemple.fr", ".", "@", "@@",
)


def bad_emails(version: str) -> list[Case]:
    """An address that cannot be one: the form again (400) with the message at the question."""
    category = "bad e-mail addresses"
    return [Case(category, f"address {shown(value)}",
                 RawRequest(encoded(answer(version, drop=["courriel"],
                                           extra=[("courriel", value)]))), 400, EMAIL)
            for value in BAD_EMAILS]


NOT_AN_OPTION = (
    ("frequence", "autre"), ("frequence", ""), ("frequence", "SEMAINE"),
    ("frequence", "semaine "), ("frequence", "%73emaine"), ("frequence", "Chaque semaine"),
    ("usages", "tout"), ("usages", ""), ("ombre", "0"), ("ombre", "6"), ("ombre", "3.0"),
    ("ombre", "03"), ("ombre", " 3"), ("ombre", "-1"), ("stationnement", "10"),
    ("stationnement", "60 "), ("jeux", "FONTAINE"), ("jeux", "<script>alert(1)</script>"),
    ("accord", "on"), ("accord", "true"), ("accord", "1"), ("accord", "YES"),
    ("accord", "oui"), ("accord", "yes "), ("jeux", "x" * 60_000),
)
UNKNOWN_NAMES = (
    "nom", "Frequence", "frequence ", "frequence[]", "usages[0]", "__proto__", "constructor",
    "", "receipt", "received_at", "channel", "form_version", "quarantined", "values_json",
    "_csrf", "_Form", "_form ", fullwidth("frequence"), "frequence\u200b", "n" * 60_000,
)


def not_what_the_form_sends(version: str) -> list[Case]:
    """A value outside a question's options or scale, a consent other than ``yes``, a field
    that is no question of the form: 400 (a forged page or a robot)."""
    category = "answers the form cannot send"
    cases = [Case(category, f"'{name}' = {shown(value)}, not one of its options",
                  RawRequest(encoded(answer(version, drop=[name], extra=[(name, value)]))),
                  400, REFUSED) for name, value in NOT_AN_OPTION]
    cases += [Case(category, f"the unknown field {shown(name)}",
                   RawRequest(encoded(answer(version, extra=[(name, "1")]))), 400, REFUSED)
              for name in UNKNOWN_NAMES]
    return cases


def huge_values(version: str) -> list[Case]:
    """Texts over their question's length (the form again, 400), the limit's edge: a body of
    exactly 64 KB is read (then its too-long text refused), one byte more is a 413."""
    category = "huge values"
    texts = {
        "an idea of 1001 characters (limit 1000)": ("idee", "a" * 1001),
        "an idea of 1000 emoji (2000 UTF-16 units)": ("idee", "\U0001f600" * 1000),
        "an idea of 60 KB": ("idee", "a" * 60_000),
        "a neighbourhood of 81 characters (limit 80)": ("quartier", "b" * 81),
        "a neighbourhood of 60 KB": ("quartier", "b" * 60_000),
    }
    cases = [Case(category, name, RawRequest(encoded(answer(version, drop=[field],
                                                            extra=[(field, value)]))),
                  400, TOO_LONG_TEXT) for name, (field, value) in texts.items()]
    base = encoded(answer(version, drop=["idee"]), b"idee=")
    exact = base + b"a" * (LIMIT - len(base))
    cases.append(Case(category, "a body of exactly 64 KB (read, its idea too long)",
                      RawRequest(exact), 400, TOO_LONG_TEXT))
    cases.append(Case(category, "a body of exactly 64 KB + 1 byte", RawRequest(exact + b"a"),
                      413, TOO_LARGE))
    cases.append(Case(category, "a body of exactly 64 KB, chunked", RawRequest(
        exact, chunk_size=CHUNK), 400, TOO_LONG_TEXT))
    return cases


def honeypot_filled(version: str) -> list[Case]:
    """The hidden ``_website`` field filled: 303 and a receipt like any answer, stored in
    quarantine only (never exported nor counted). Each answer differs, so none is taken for a
    double click of another. Structure is checked first: a robot that also sends what the form
    cannot gets the 400 and nothing is kept."""
    category = "honeypot filled"

    def robot(number: int, trap: str, *, drop: Sequence[str] = (),
              extra: Sequence[tuple[str, str]] = ()) -> RawRequest:
        pairs = answer(version, drop=["quartier", *drop],
                       extra=[("quartier", f"Robot {number}"), ("_website", trap), *extra])
        return RawRequest(encoded(pairs))

    traps = {
        "a link": "http://spam.example", "one letter": "x", "one space": " ", "'0'": "0",
        "markup": "<script>alert(1)</script>", "60 KB": "s" * 60_000,
    }
    cases = [Case(category, f"the honeypot filled with {what}, the answer valid",
                  robot(number, trap), 303, None, Outcome.QUARANTINED)
             for number, (what, trap) in enumerate(traps.items())]
    mistakes: dict[str, tuple[Sequence[str], Sequence[tuple[str, str]]]] = {
        "a required question unanswered": (["frequence"], []),
        "a bad e-mail address": (["courriel"], [("courriel", "nom@")]),
        "an age out of range": (["age"], [("age", "500")]),
        "no answer at all": ([name for name, _ in VALID_ANSWER], []),
    }
    cases += [Case(category, f"the honeypot filled, with {what}",
                   robot(10 + number, "http://spam.example", drop=drop, extra=extra),
                   303, None, Outcome.QUARANTINED)
              for number, (what, (drop, extra)) in enumerate(mistakes.items())]
    # Held to a person's lengths: over them, the form again like a person (issue #13).
    cases.append(Case(category, "the honeypot filled, with a 60 KB idea (the form again)",
                      robot(22, "x", drop=["idee"], extra=[("idee", "r" * 60_000)]),
                      400, TOO_LONG_TEXT))
    cases.append(Case(category, "the honeypot filled, with a 300-character address",
                      robot(23, "x", drop=["courriel"],
                            extra=[("courriel", "r" * 289 + "@exemple.fr")]), 400, EMAIL))
    cases.append(Case(category, "the honeypot filled, with a 60-digit age",
                      robot(24, "x", drop=["age"], extra=[("age", "9" * 60)]), 400,
                      NUMBER_LARGE))
    cases.append(Case(category, "the honeypot filled, with an unknown field (400 first)",
                      robot(20, "x", extra=[("nom", "1")]), 400, REFUSED))
    cases.append(Case(category, "the honeypot filled, with a value no option has (400 first)",
                      robot(21, "x", drop=["jeux"], extra=[("jeux", "partout")]), 400, REFUSED))
    return cases


FOREIGN = {
    "Sec-Fetch-Site: cross-site, no Origin": (("Sec-Fetch-Site", "cross-site"),),
    "Sec-Fetch-Site: cross-site with the site's own Origin":
        (("Sec-Fetch-Site", "cross-site"), ("Origin", f"https://{HOST}")),
    "Origin: another site": (("Origin", "https://evil.example"),),
    "Origin: another site, with Sec-Fetch-Site: same-site":
        (("Origin", "https://evil.example"), ("Sec-Fetch-Site", "same-site")),
    "Origin: another site, with Sec-Fetch-Site: none":
        (("Origin", "https://evil.example"), ("Sec-Fetch-Site", "none")),
    "Origin: another site, port 80": (("Origin", "http://evil.example:80"),),
    "Origin: the site's host as a subdomain of another":
        (("Origin", f"https://{HOST}.evil.example"),),
    "Origin: the site's host with credentials of another": (("Origin", f"https://evil@{HOST}"),),
    "Origin: the site's host on another port": (("Origin", f"https://{HOST}:8443"),),
    "Origin: another site with the host as its path":
        (("Origin", f"https://evil.example/{HOST}"),),
    "Origin: a parent domain": (("Origin", "https://belval.example"),),
    "Origin: null with Sec-Fetch-Site: same-site":
        (("Origin", "null"), ("Sec-Fetch-Site", "same-site")),
    "Origin: null with Sec-Fetch-Site: cross-site":
        (("Origin", "null"), ("Sec-Fetch-Site", "cross-site")),
    "Origin: null with Sec-Fetch-Site: none": (("Origin", "null"), ("Sec-Fetch-Site", "none")),
    "Origin: file://": (("Origin", "file://"),),
    "Origin: a browser extension": (("Origin", "chrome-extension://abcdefghijklmnop"),),
    "Origin: javascript:": (("Origin", "javascript:alert(1)"),),
    "Origin: empty": (("Origin", ""),),
    "Origin: an IPv6 address": (("Origin", "http://[::1]"),),
    "Origin: a non-ASCII host": (("Origin", "https://évil.example"),),
}
"""Headers of a post from another site, besides its Content-Type."""
BROKEN_ORIGINS = {
    "Origin: an unclosed IPv6 bracket": "http://[",
    "Origin: an unclosed IPv6 address": "http://[::1",
}


def foreign_origins(version: str) -> list[Case]:
    """A post from another site, as browsers say it (``Sec-Fetch-Site``, ``Origin``): 403,
    before anything else is looked at (a body over the limit, a wrong type)."""
    category = "foreign origins"
    valid = encoded(answer(version))
    kind = ("Content-Type", FORM_TYPE)
    evil = ("Origin", "https://evil.example")
    cases = [Case(category, name, RawRequest(valid, headers=(kind, *headers)), 403, FORBIDDEN)
             for name, headers in FOREIGN.items()]
    cases.append(Case(category, "another site's Origin, with a body over the limit",
                      RawRequest(b"a" * (LIMIT + 1), headers=(kind, evil)), 403, FORBIDDEN))
    cases.append(Case(category, "another site's Origin, with a wrong content type",
                      RawRequest(valid, headers=(("Content-Type", "text/plain"), evil)),
                      403, FORBIDDEN))
    cases += [Case(category, name, RawRequest(valid, headers=(kind, ("Origin", value))),
                   403, FORBIDDEN)
              for name, value in BROKEN_ORIGINS.items()]
    return cases


def methods_and_paths(version: str) -> list[Case]:
    """Any method but POST at the forms' address: 405 (``Allow: POST``); a post anywhere
    else: 404. Both with the site's "page not found" page."""
    category = "methods and paths"
    valid = encoded(answer(version))
    methods = ("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND",
               "FOO")
    allow = ("allow", "POST")
    cases = [Case(category, f"{method} on the forms' address", RawRequest(valid, method=method),
                  405, NOT_FOUND, header=allow) for method in methods]
    cases.append(Case(category, "HEAD on the forms' address", RawRequest(b"", method="HEAD"),
                      405, None, Outcome.EMPTY, header=allow))
    elsewhere = {
        "a receipt's address": ("/collect/ABCDEFGH", 405),
        "a receipt's link": ("/collect/ABCDEFGH/" + "A" * 22, 405),
        "the admin statistics": ("/admin/stats", 405),
        "the admin export": ("/admin/export/avis-place.csv", 405),
        "the admin workbook export": ("/admin/export/avis-place.xlsx", 405),
        "the site's root": ("/", 404),
        "the manifest's address": ("/forms/avis-place.json", 404),
        "the address in capitals": ("/COLLECT", 404),
        "the address with '.php'": ("/collect.php", 404),
        "the address after a double slash": ("//collect", 404),
        "the address then an encoded NUL": ("/collect%00", 404),
        "the address then an encoded FF byte": ("/collect%FF", 404),
        "the address behind '/x/../'": ("/x/../collect", 404),
        "an absolute URL to another host": ("http://evil.example/collect", 404),
        "the asterisk target": ("*", 404),
    }
    cases += [Case(category, f"POST to {name}", RawRequest(valid, target=target), status,
                   NOT_FOUND) for name, (target, status) in elsewhere.items()]
    return cases


def proof_paths(version: str) -> list[Case]:
    """Hostile receipt codes and keys in the address of a receipt's proof in the journal
    (``/collect/<code>/<key>/preuve``): the plain not-found page, like a wrong receipt link;
    never a trace, never another page."""
    category = "receipt proof paths"
    key = "A" * 22
    codes = {
        "an empty code": "",
        "SQL in the code": quote("ABCD' OR '1'='1"),
        "a NUL in the code": "ABCD%00EFGH",
        "markup in the code": quote("<script>alert(1)</script>"),
        "a full-width code": quote(fullwidth("ABCDEFGH")),
        "a code of 6,000 characters": "A" * 6000,
        "dot segments for a code": "..%2F..%2Fadmin",
        "an encoded slash in the code": "ABCD%2FEFGH",
        "a percent sign alone": "%",
        "an FF byte": "ABCD%FFEFGH",
    }
    keys = {
        "an empty key": "",
        "markup in the key": quote("<b>x</b>"),
        "a key of 6,000 characters": "A" * 6000,
        "a NUL in the key": f"{key[:10]}%00{key[11:]}",
    }
    cases = [Case(category, f"a proof's address with {name}",
                  RawRequest(method="GET", target=f"/collect/{code}/{key}/preuve"),
                  404, NOT_FOUND) for name, code in codes.items()]
    cases += [Case(category, f"a proof's address with {name}",
                   RawRequest(method="GET", target=f"/collect/ABCDEFGH/{wrong}/preuve"),
                   404, NOT_FOUND) for name, wrong in keys.items()]
    return cases


def framing(version: str) -> list[Case]:
    """Requests that are not valid HTTP/1.1 (smuggling-style framing): uvicorn refuses them
    (400, plain text) before the collector runs. A body framed both ways is read as chunked
    (what RFC 9112 requires) and then judged like any other."""
    category = "HTTP framing"
    small = b"_form=avis-place"
    kind = ("Content-Type", FORM_TYPE)
    refused = {
        "two different Content-Lengths": ((kind, ("Content-Length", "5"),
                                           ("Content-Length", "16")), small),
        "a Content-Length that is no number": ((kind, ("Content-Length", "abc")), small),
        "a negative Content-Length": ((kind, ("Content-Length", "-1")), small),
        "a Content-Length of 23 digits": ((kind, ("Content-Length", "9" * 23)), small),
        "a space before the colon": ((kind, ("Content-Length ", "16")), small),
        "a NUL in a header value": ((("Content-Type", FORM_TYPE + "\x00"),
                                     ("Content-Length", "16")), small),
        "Transfer-Encoding: identity": ((kind, ("Transfer-Encoding", "identity")), small),
        "Transfer-Encoding: gzip, chunked": ((kind, ("Transfer-Encoding", "gzip, chunked")),
                                             chunked(small, 8)),
        "Transfer-Encoding: chunked twice": ((kind, ("Transfer-Encoding", "chunked"),
                                              ("Transfer-Encoding", "chunked")), chunked(small, 8)),
        "a chunk size that is no number": ((kind, ("Transfer-Encoding", "chunked")),
                                           b"zz\r\nabc\r\n0\r\n\r\n"),
        "two Host headers": ((kind, ("Host", "evil.example"), ("Content-Length", "16")), small),
    }
    cases = [Case(category, name, RawRequest(body, headers=headers), 400, PROTOCOL_REFUSAL,
                  Outcome.PROTOCOL) for name, (headers, body) in refused.items()]
    cases.append(Case(category, "no Host header", RawRequest(small, host=None), 400,
                      PROTOCOL_REFUSAL, Outcome.PROTOCOL))
    cases.append(Case(category, "a raw non-ASCII byte in the path",
                      RawRequest(small, target="/collecté"), 400, PROTOCOL_REFUSAL,
                      Outcome.PROTOCOL))
    # The request hidden after the chunked body must not run: the test sees one reply only.
    smuggled = chunked(small, 8) + b"GET /admin/stats HTTP/1.1\r\nHost: x\r\n\r\n"
    cases.append(Case(category, "Content-Length and chunked both (CL.TE): read as chunked",
                      RawRequest(smuggled, headers=(kind, ("Content-Length", "4"),
                                                    ("Transfer-Encoding", "chunked"))),
                      400, REFUSED))
    cases.append(Case(category, "Transfer-Encoding: CHUNKED in capitals", RawRequest(
        chunked(small, 8), headers=(kind, ("Transfer-Encoding", "CHUNKED"))), 400, REFUSED))
    return cases


SIGN_IN = "/collect/saisie/sign-in"
"""The mediators' sign-in form's address (the example site is French)."""


def sign_in_form(version: str) -> list[Case]:
    """What a person or a robot may post to the mediators' sign-in form instead of a code: the
    form again saying the code is missing or does not work (400, the code never shown back),
    the body refusals every post gets (400, 413, 415), 403 from another site. Each case from
    its own address: wrong codes count against their client (10 a minute, then 429)."""
    category = "mediators' sign-in form"
    kind = ("Content-Type", FORM_TYPE)
    addresses = iter(range(1, 250))

    def case(name: str, body: bytes, status: int, phrase: str | None, *,
             headers: tuple[tuple[str, str], ...] = (kind,), method: str = "POST",
             target: str = SIGN_IN, outcome: Outcome = Outcome.PAGE,
             header: tuple[str, str] | None = None) -> Case:
        client = ("X-Forwarded-For", f"198.18.7.{next(addresses)}")
        return Case(category, name, RawRequest(body, method=method, target=target,
                                               headers=(*headers, client)),
                    status, phrase, outcome, header)

    wrong = {
        "a wrong code": "7KQ2M9XD" * 3 + "AB",
        "a code one symbol short": "7KQ2-M9XD-7KQ2-M9XD-7KQ2-M9XD-A",
        "a code of 60,000 characters": "A" * 60_000,
        "SQL in the code": "' OR '1'='1' --",
        "markup in the code": "<script>alert(1)</script>",
        "a code in full-width characters": fullwidth("7KQ2M9XD7KQ2M9XD7KQ2M9XDAB"),
        "a code with a zero-width space": "7KQ2M9XD7KQ2\u200bM9XD7KQ2M9XDAB",
        "a code with bidi controls": "\u202e7KQ2M9XD7KQ2M9XD7KQ2M9XDAB\u202c",
    }
    cases = [case(name, encoded([("code", code)]), 400, WRONG_CODE)
             for name, code in wrong.items()]
    cases.append(case("the code field twice", encoded([("code", "A" * 26), ("code", "B" * 26)]),
                      400, WRONG_CODE))
    cases += [case(name, body, 400, NO_CODE) for name, body in {
        "no code field": encoded([("nom", "Awa")]), "an empty code": b"code=",
        "a code of spaces": b"code=+++%09", "an empty sign-in form": b""}.items()]
    cases += [case(name, body, 400, REFUSED) for name, body in {
        "a NUL in the code": b"code=7KQ2%00M9XD", "invalid UTF-8 in the code": b"code=%FF%FE",
        "an escape character in the code": b"code=%1B%5B2J",
        "too many fields": b"&".join([b"code=x"] * 201)}.items()]
    cases.append(case("a body over the limit", b"code=" + b"A" * LIMIT, 413, TOO_LARGE))
    cases += [case(f"Content-Type: {content_type}", b"code=AAAA", 415, UNSUPPORTED,
                   headers=(("Content-Type", content_type),))
              for content_type in ("application/json", "multipart/form-data; boundary=x",
                                   "text/plain")]
    cases += [case(name, encoded([("code", "A" * 26)]), 403, AREA_REFUSED,
                   headers=(kind, *headers)) for name, headers in {
        "from another site (Sec-Fetch-Site)": (("Sec-Fetch-Site", "cross-site"),),
        "from another site (Origin)": (("Origin", "https://evil.example"),),
        "from a sibling site (Sec-Fetch-Site: same-site)": (("Sec-Fetch-Site", "same-site"),),
    }.items()]
    home = ("location", "/collect/saisie/")
    cases.append(case("GET on the sign-in address", b"", 303, None, method="GET",
                      outcome=Outcome.EMPTY, header=home))
    cases.append(case("PUT on the sign-in address", encoded([("code", "A" * 26)]), 405,
                      NOT_FOUND, method="PUT"))
    cases.append(case("a sign-out with a made-up session and token",
                      encoded([("_csrf", "0" * 64)]), 303, None,
                      headers=(kind, ("Cookie", "parole_entry=" + "A" * 43)),
                      target="/collect/saisie/sign-out", outcome=Outcome.EMPTY, header=home))
    return cases


CATEGORIES: dict[str, CaseMaker] = {
    "oversized bodies": oversized_bodies,
    "too many fields": too_many_fields,
    "duplicate keys": duplicate_keys,
    "invalid UTF-8": bad_bytes("invalid UTF-8", INVALID_UTF8),
    "NUL and control characters": control_characters,
    "lone surrogates": bad_bytes("lone surrogates", LONE_SURROGATES),
    "overlong encodings": bad_bytes("overlong encodings", OVERLONG),
    "wrong content types": wrong_content_types,
    "unknown forms and versions": unknown_forms_and_versions,
    "out-of-range numbers": out_of_range_numbers,
    "bad e-mail addresses": bad_emails,
    "answers the form cannot send": not_what_the_form_sends,
    "huge values": huge_values,
    "honeypot filled": honeypot_filled,
    "foreign origins": foreign_origins,
    "methods and paths": methods_and_paths,
    "receipt proof paths": proof_paths,
    "HTTP framing": framing,
    "mediators' sign-in form": sign_in_form,
}
"""Every category, in the order the test sends them."""


def category_cases(category: str, version: str) -> list[Case]:
    return CATEGORIES[category](version)


def corpus(version: str) -> list[Case]:
    """Every case, for the form at ``version``."""
    return [case for category in CATEGORIES for case in category_cases(category, version)]
