"""Hostile structure, property tests (Hypothesis): the body parser (``collector/body.py``) and the
validator (``collector/validate.py``, against the example form's manifest) fed arbitrary bytes,
arbitrary name/value lists and structured-but-wrong answers.

What it proves: whatever arrives, each either returns a result or raises the documented
``Refusal`` with its 4xx status, never anything else (which the collector would turn into a
500); and the invariants the docs state hold: never more fields than the limit, text comes back
exactly as sent, surrogates, overlong forms and control characters are refused, a value no option
has is refused, a text within its length is stored verbatim (a one-line field refuses a line
break, a textarea's are stored as LF), a number is accepted exactly when it
is in range. A last, smaller property sends mutated answers with random headers to a running
collector: never a 5xx, nothing stored unless it answered 303.

10 000 examples per property in the full run, a few hundred (derandomized, so CI is reproducible)
in the short one; no example database is written (``database=None``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urlencode

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from site_builder.collector.body import Limits, Refusal, parse_body
from site_builder.collector.settings import catalogue
from site_builder.collector.validate import Checked, check, read_submission
from site_builder.forms.manifest import Manifest, read_manifest
from site_builder.forms.model import Field
from site_builder.forms.posted import RESERVED_NAMES
from tests.collector_support import VALID_ANSWER, RunningCollector, hidden_fields, running_collector
from tests.reliability.figures import Figures, Scale
from tests.storage_support import raw_sql

T = TypeVar("T")
LIMITS = Limits()
Pairs = list[tuple[str, str]]

# -- running a property --------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def hypothesis_files_elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Even without an example database, Hypothesis caches Unicode tables and the constants of
    the code under test in ``./.hypothesis``: keep them out of the repository."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


def hold(figures: Figures, scale: Scale, name: str, strategy: st.SearchStrategy[T],
         prop: Callable[[T], None], *, examples: tuple[int, int] = (300, 10_000)) -> None:
    """Check ``prop`` on ``scale.pick(*examples)`` examples of ``strategy`` and record how many
    ran in the "properties" table (one failure, the shrunk counterexample, when it fails)."""
    ran = 0

    def counted(example: T) -> None:
        nonlocal ran
        ran += 1
        prop(example)

    test = settings(max_examples=scale.pick(*examples), database=None, deadline=None,
                    derandomize=not scale.full)(given(strategy)(counted))
    try:
        test()
    except BaseException:
        figures.add("properties", {"property": name, "examples": ran, "failures": 1})
        raise
    figures.add("properties", {"property": name, "examples": ran, "failures": 0})


def refused(call: Callable[[], object], statuses: Sequence[int] = (400,)) -> Refusal | None:
    """The ``Refusal`` ``call`` raised (checked to carry one of ``statuses``), or None when it
    returned. Any other exception propagates and fails the property."""
    try:
        call()
    except Refusal as refusal:
        assert refusal.status in statuses, f"refused with {refusal.status}, not {statuses}"
        return refusal
    return None


# -- strategies ----------------------------------------------------------------------------------

LINE_BREAK = re.compile(r"\r\n?")
"""A line break as browsers may send one in a textarea; stored as LF."""
C0_REFUSED = [chr(code) for code in [*range(32), *range(0x7F, 0xA0)]
              if chr(code) not in "\t\n\r"]
"""The control characters no value may hold: C0 but tab, LF and CR, then DEL and C1."""
NAME_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20)
"""What a field name may hold: anything but control characters (and surrogates, not text)."""
VALUE_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=C0_REFUSED),
                     max_size=60)
"""What a value may hold: anything but the control characters other than tab, LF and CR."""
TOKENS = [b"&", b"=", b"+", b"%", b"%0", b"%00", b"%25", b"%26", b"%3D", b"%2B", b"%C0%AF",
          b"%ED%A0%80", b"%E9", b"%C3%A9", b"\xe9", b"\xc3\xa9", b"\xed\xa0\x80",
          b"\xf0\x9f\x98\x80", b"\x00", b"\r\n", b"_form", b"_version", b"_website", b"usages"]
"""Pieces that matter to a form body's parser, to build bodies random bytes rarely reach."""
BODIES = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=4)), max_size=80)
    .map(b"".join),
)
PAIRS = st.lists(st.tuples(NAME_TEXT, VALUE_TEXT), max_size=20)


def percent(data: bytes) -> str:
    return "".join(f"%{byte:02X}" for byte in data)


def raw_utf8(pairs: Pairs) -> bytes:
    """``pairs`` as a body that leaves text unescaped (raw UTF-8), escaping only what the
    format needs: ``%``, ``&``, ``=``, ``+`` and the space."""
    def part(text: str) -> bytes:
        for character, escape in (("%", "%25"), ("&", "%26"), ("=", "%3D"), ("+", "%2B"),
                                  (" ", "+")):
            text = text.replace(character, escape)
        return text.encode("utf-8")
    return b"&".join(part(name) + b"=" + part(value) for name, value in pairs)


@st.composite
def inserted(draw: st.DrawFn, bad: st.SearchStrategy[bytes], *, in_name: bool | None = None
             ) -> bytes:
    """A body of valid pairs with ``bad`` bytes put inside one name or value."""
    pairs = draw(st.lists(st.tuples(NAME_TEXT, VALUE_TEXT), min_size=1, max_size=8))
    index = draw(st.integers(0, len(pairs) - 1))
    name, value = pairs[index]
    into_name = draw(st.booleans()) if in_name is None else in_name
    text = name if into_name else value
    cut = draw(st.integers(0, len(text)))
    spoiled = quote(text[:cut], safe="").encode() + draw(bad) + quote(text[cut:], safe="").encode()
    part = (spoiled + b"=" + quote(value, safe="").encode() if into_name
            else quote(name, safe="").encode() + b"=" + spoiled)
    before = urlencode(pairs[:index]).encode()
    after = urlencode(pairs[index + 1:]).encode()
    return b"&".join(piece for piece in (before, part, after) if piece)


def as_sent(sequence: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """``sequence`` sent raw or percent-encoded, as an attacker chooses."""
    return st.one_of(sequence, sequence.map(lambda data: percent(data).encode()))


def overlong(code: int, length: int) -> bytes:
    """``code`` in ``length`` bytes (2 to 4), more than UTF-8 allows: an overlong form."""
    if length == 2:
        return bytes([0xC0 | code >> 6, 0x80 | code & 0x3F])
    if length == 3:
        return bytes([0xE0, 0x80 | code >> 6 & 0x3F, 0x80 | code & 0x3F])
    return bytes([0xF0, 0x80 | code >> 12 & 0x3F, 0x80 | code >> 6 & 0x3F, 0x80 | code & 0x3F])


SURROGATES = as_sent(st.integers(0xD800, 0xDFFF).map(
    lambda code: chr(code).encode("utf-8", "surrogatepass")))
OVERLONG = as_sent(st.one_of(
    st.integers(0, 0x7F).map(lambda code: overlong(code, 2)),
    st.integers(0, 0x7FF).map(lambda code: overlong(code, 3)),
    st.integers(0, 0xFFFF).map(lambda code: overlong(code, 4)),
))


# -- the example form ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def manifest(example_site: Path) -> Manifest:
    return read_manifest(example_site / "forms" / "avis-place.json")


def valid_answers() -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for name, value in VALID_ANSWER:
        answers.setdefault(name, []).append(value)
    return answers


def offered(question: Field) -> set[str] | None:
    """What a question with options (choice, checkboxes, list, scale, consent) can send, as the
    docs put it; None for a typed-in question."""
    if question.type in ("choice", "choices", "select"):
        return {option.value for option in question.options}
    if question.type == "scale":
        return {str(step) for step in question.steps}
    if question.type == "consent":
        return {"yes"}
    return None


def browser_length(text: str) -> int:
    """Length as a browser counts ``maxlength``: UTF-16 code units, CR LF as one."""
    return len(text.replace("\r\n", "\n").encode("utf-16-le")) // 2


# -- the parser ----------------------------------------------------------------------------------

def test_any_bytes_give_pairs_or_a_refusal(figures: Figures, scale: Scale) -> None:
    def prop(body: bytes) -> None:
        pairs: Pairs = []
        if refused(lambda: pairs.extend(parse_body(body, LIMITS)), (400, 413)) is None:
            assert len(pairs) <= LIMITS.max_fields
            for name, value in pairs:  # strict text: encodable back to UTF-8
                name.encode("utf-8")
                value.encode("utf-8")
    hold(figures, scale, "parse_body: any bytes give pairs or a 400/413 refusal", BODIES, prop)


def test_limits_hold_whatever_they_are(figures: Figures, scale: Scale) -> None:
    limits = st.builds(Limits, max_body_bytes=st.integers(0, 600), max_fields=st.integers(1, 30))

    def prop(example: tuple[Limits, bytes]) -> None:
        limits, body = example
        pairs: Pairs = []
        refusal = refused(lambda: pairs.extend(parse_body(body, limits)), (400, 413))
        if len(body) > limits.max_body_bytes:
            assert refusal is not None and refusal.status == 413, "a body over the limit passed"
        else:
            assert refusal is None or refusal.status == 400
            assert len(pairs) <= limits.max_fields
    hold(figures, scale, "parse_body: never more pairs than the limit, 413 over the size limit",
         st.tuples(limits, BODIES), prop)


def test_text_comes_back_exactly(figures: Figures, scale: Scale) -> None:
    def prop(example: tuple[Pairs, bool]) -> None:
        pairs, escaped = example
        body = urlencode(pairs).encode("ascii") if escaped else raw_utf8(pairs)
        assert parse_body(body, LIMITS) == pairs
    hold(figures, scale, "parse_body: text pairs, percent-encoded or raw UTF-8, come back exactly",
         st.tuples(PAIRS, st.booleans()), prop)


def test_encoded_surrogates_are_refused(figures: Figures, scale: Scale) -> None:
    def prop(body: bytes) -> None:
        refusal = refused(lambda: parse_body(body, LIMITS))
        assert refusal is not None and "invalid UTF-8" in refusal.reason, "a surrogate passed"
    hold(figures, scale, "parse_body: an encoded surrogate anywhere is refused (400)",
         inserted(SURROGATES), prop)


def test_overlong_forms_are_refused(figures: Figures, scale: Scale) -> None:
    def prop(body: bytes) -> None:
        refusal = refused(lambda: parse_body(body, LIMITS))
        assert refusal is not None and "invalid UTF-8" in refusal.reason, "an overlong form passed"
    hold(figures, scale, "parse_body: an overlong encoding anywhere is refused (400)",
         inserted(OVERLONG), prop)


def test_control_characters_are_refused(figures: Figures, scale: Scale) -> None:
    in_value = inserted(as_sent(st.sampled_from(C0_REFUSED).map(str.encode)), in_name=False)
    in_name = inserted(as_sent(st.characters(categories=["Cc"]).map(str.encode)), in_name=True)

    def prop(body: bytes) -> None:
        refusal = refused(lambda: parse_body(body, LIMITS))
        assert refusal is not None and "control character" in refusal.reason, \
            "a control character passed"
    hold(figures, scale, "parse_body: a control character is refused (400), but tab, LF, CR "
         "in a value", st.one_of(in_value, in_name), prop)


# -- the validator -------------------------------------------------------------------------------

def test_any_pairs_give_a_submission_or_a_refusal(figures: Figures, scale: Scale) -> None:
    names = st.one_of(st.sampled_from([*sorted(RESERVED_NAMES), "frequence", "usages"]),
                      NAME_TEXT)
    pairs = st.lists(st.tuples(names, VALUE_TEXT), max_size=12)

    def prop(pairs: Pairs) -> None:
        try:
            submission = read_submission(pairs)
        except Refusal as refusal:
            assert refusal.status == 400
            return
        given_ids = [value for name, value in pairs if name == "_form"]
        assert given_ids == [submission.form_id]
        assert [value for name, value in pairs if name == "_version"] == [submission.version]
        assert not set(submission.answers) & RESERVED_NAMES
        kept = sum(len(values) for values in submission.answers.values())
        assert kept == sum(name not in RESERVED_NAMES for name, _ in pairs)
    hold(figures, scale, "read_submission: any pairs give a submission or a 400", pairs, prop)


def test_any_answers_are_checked_or_refused(
    figures: Figures, scale: Scale, manifest: Manifest
) -> None:
    form, words = manifest.form, catalogue(manifest.language)
    ids = [question.id for question in form.fields]
    options = sorted({value for question in form.fields for value in offered(question) or ()})
    values = st.one_of(st.sampled_from(options), VALUE_TEXT)
    answers = st.dictionaries(st.one_of(st.sampled_from(ids), NAME_TEXT),
                              st.lists(values, max_size=3), max_size=len(ids))

    def prop(answers: dict[str, list[str]]) -> None:
        result: list[Checked] = []
        if refused(lambda: result.append(check(form, answers, words))) is not None:
            return
        checked = result[0]
        # As sent, but a textarea's line breaks as LF (CRLF or CR alone: docs/collector.md).
        textareas = {question.id for question in form.fields if question.type == "textarea"}
        sent = {name: [LINE_BREAK.sub("\n", value) if name in textareas else value
                       for value in answers[name]]
                for name in ids if name in answers}
        assert set(checked.values) <= set(ids) and set(checked.errors) <= set(ids)
        for question, kept in checked.values.items():
            assert is_subsequence(kept, sent[question]), "a value stored that was not sent"
        assert checked.values_as_entered == sent
    hold(figures, scale, "check: any answers give a checked answer or a 400, storing only what "
         "was sent", answers, prop)


def is_subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    remaining = iter(whole)
    return all(any(item == other for other in remaining) for item in part)


def test_a_value_no_option_has_is_refused(
    figures: Figures, scale: Scale, manifest: Manifest
) -> None:
    form, words = manifest.form, catalogue(manifest.language)
    questions = [question for question in form.fields if offered(question) is not None]

    def prop(example: tuple[Field, str]) -> None:
        question, value = example
        allowed = offered(question) or set()
        # A list's "" is its placeholder ("Choose…"): no answer, not a forged one.
        assume(value not in allowed and not (question.type == "select" and value == ""))
        answers = {**valid_answers(), question.id: [value]}
        refusal = refused(lambda: check(form, answers, words))
        assert refusal is not None, f"{value!r} accepted for {question.id!r}"
    hold(figures, scale, "check: a value outside a question's options is refused (400)",
         st.tuples(st.sampled_from(questions), VALUE_TEXT), prop)


def test_typed_text_is_stored_verbatim_or_gets_a_message(
    figures: Figures, scale: Scale, manifest: Manifest
) -> None:
    form, words = manifest.form, catalogue(manifest.language)
    limits = {"quartier": 80, "idee": 1000}
    long_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=C0_REFUSED),
                        max_size=1100)

    def prop(example: tuple[str, str]) -> None:
        question, text = example
        answers = {**valid_answers(), question: [text]}
        if question == "quartier" and ("\r" in text or "\n" in text):  # one line: an <input>
            assert refused(lambda: check(form, answers, words)) is not None, "a line break passed"
            return
        checked = check(form, answers, words)
        kept = text if question == "quartier" else text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            assert question not in checked.values and checked.ok  # an optional question
        elif browser_length(text) <= limits[question]:
            assert checked.ok and checked.values[question] == [kept], "text not kept verbatim"
        else:
            assert question in checked.errors, f"{browser_length(text)} units accepted"
    hold(figures, scale, "check: a text within its length is stored verbatim, over it a message",
         st.tuples(st.sampled_from(sorted(limits)), long_text), prop)


def written(number: int, style: int) -> str:
    """``number`` as people type it: plainly, between spaces, with a sign, grouped by three."""
    styles = [str(number), f" {number} ", f"+{number}" if number >= 0 else str(number),
              f"{number:,}".replace(",", "\u00a0")]
    return styles[style]


def test_an_age_is_accepted_exactly_when_in_range(
    figures: Figures, scale: Scale, manifest: Manifest
) -> None:
    form, words = manifest.form, catalogue(manifest.language)

    def prop(example: tuple[int, int]) -> None:
        number, style = example
        checked = check(form, {**valid_answers(), "age": [written(number, style)]}, words)
        assert ("age" not in checked.errors) == (0 <= number <= 120), checked.errors.get("age")
    hold(figures, scale, "check: a whole number is accepted exactly when it is within 0 to 120",
         st.tuples(st.integers(-(10**9), 10**9), st.integers(0, 3)), prop)


def test_a_real_address_is_accepted_and_one_without_at_is_not(
    figures: Figures, scale: Scale, manifest: Manifest
) -> None:
    form, words = manifest.form, catalogue(manifest.language)

    def prop(address: str) -> None:
        with_at = check(form, {**valid_answers(), "courriel": [address]}, words)
        assert with_at.ok, with_at.errors
        without = check(form, {**valid_answers(), "courriel": [address.replace("@", "")]}, words)
        assert "courriel" in without.errors
    hold(figures, scale, "check: a generated e-mail address is accepted, without its @ refused",
         st.emails(), prop)


# -- over HTTP -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def collector(example_site: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[RunningCollector, str]]:
    folder = tmp_path_factory.mktemp("properties")
    database = f"sqlite:///{folder / 'answers.db'}"
    with running_collector(example_site, database, folder,
                           args=["--rate-limit", "0"]) as running:
        yield running, database


HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
ORIGINS = st.one_of(st.none(), st.sampled_from(["null", "https://evil.example", ""]), HEADER_TEXT)
FETCH_SITES = st.one_of(st.none(), st.sampled_from(["same-origin", "same-site", "cross-site",
                                                    "none"]), HEADER_TEXT)
CONTENT_TYPES = st.one_of(st.just("application/x-www-form-urlencoded"),
                          st.sampled_from(["application/x-www-form-urlencoded; charset=utf-8",
                                           "text/plain", "application/json"]), HEADER_TEXT)


@st.composite
def mutated_posts(draw: st.DrawFn, hidden: Pairs) -> tuple[bytes, dict[str, str]]:
    """A valid answer with a few pairs dropped, replaced or added, sent with random headers."""
    pairs = hidden + list(VALID_ANSWER)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["drop", "replace", "add"]))
        index = draw(st.integers(0, max(0, len(pairs) - 1)))
        if action == "drop" and pairs:
            del pairs[index]
        elif action == "replace" and pairs:
            pairs[index] = (pairs[index][0], draw(VALUE_TEXT))
        else:
            pairs.insert(index, draw(st.tuples(NAME_TEXT, VALUE_TEXT)))
    body = urlencode(pairs).encode() if draw(st.booleans()) else raw_utf8(pairs)
    headers = {"Content-Type": draw(CONTENT_TYPES)}
    for name, strategy in (("Origin", ORIGINS), ("Sec-Fetch-Site", FETCH_SITES)):
        value = draw(strategy)
        if value is not None:
            headers[name] = value
    return body, headers


def test_mutated_posts_never_get_a_5xx_nor_store_a_refused_answer(
    figures: Figures, scale: Scale, example_site: Path,
    collector: tuple[RunningCollector, str],
) -> None:
    running, database = collector
    documented = {303, 400, 403, 409, 413, 415}

    def count() -> int:
        return int(raw_sql(database, "SELECT COUNT(*) FROM answers")[0][0])

    def prop(example: tuple[bytes, Mapping[str, str]]) -> None:
        body, headers = example
        before = count()
        reply = running.request("POST", "/collect", body, dict(headers))
        assert reply.status in documented, f"answered {reply.status}"
        if reply.status != 303:
            assert count() == before, f"a {reply.status} stored an answer"
    hold(figures, scale, "the running collector: a mutated answer with random headers gets a "
         "documented status, and is stored only with a 303",
         mutated_posts(hidden_fields(example_site)), prop, examples=(40, 1000))
