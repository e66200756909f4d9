"""The moderation pages' parts, without a server: the verdict form's rules (``verdict_form``),
the signed session cookie (``session``), and the verdict page's HTML (goldens)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from site_builder.collector.moderation import session
from site_builder.collector.moderation import verdict_form as form
from site_builder.collector.moderation.queue import FormState, Waiting
from site_builder.collector.moderation.session import Moderator
from site_builder.collector.moderation.verdict_page import form_page_html
from site_builder.collector.secret import CollectorSecret
from site_builder.collector.settings import Collector, Settings
from site_builder.i18n import Catalogue
from site_builder.storage.base import Storage
from site_builder.storage.moderation import Redaction, redacted, text_digest
from tests.support import assert_golden

TEXT = "Appelez Jean Dupont (06 12 34 56 78).\nJean\nDupont sait tout, JEAN DUPONT aussi."
HIDDEN = {form.RECEIPT: "ABCD2345", form.FIELD: "idee", form.DIGEST: text_digest(TEXT)}


def test_words_are_found_exactly_everywhere_a_line_break_matching_a_space() -> None:
    assert form.find(TEXT, "Jean Dupont") == [(8, 19), (38, 49)]
    assert form.find(TEXT, "  Jean   Dupont ") == [(8, 19), (38, 49)]
    assert form.find(TEXT, "(06 12 34 56 78)") == [(20, 36)], "regular expressions are text"
    assert form.find(TEXT, "jean dupont") == [], "capitals count"
    assert form.find(TEXT, "Durand") == [] and form.find(TEXT, "   ") == []


def test_overlapping_and_touching_spans_merge_keeping_the_first_reason() -> None:
    spans = [Redaction(10, 20, "b"), Redaction(0, 5, "a"), Redaction(5, 8, "c"),
             Redaction(12, 15, "d"), Redaction(19, 25, "e"), Redaction(30, 31, "f")]
    assert form.merged(spans) == (Redaction(0, 8, "a"), Redaction(10, 25, "b"),
                                  Redaction(30, 31, "f"))


def decided(**values: str) -> form.Checked:
    return form.check({**HIDDEN, **values}, TEXT)


def test_a_redaction_hides_every_place_of_each_passage() -> None:
    checked = decided(verdict="redact", hide_1="Jean Dupont", hide_reason_1="personal data",
                      hide_2="06 12 34 56 78", hide_reason_2="other",
                      hide_other_2=" un  numéro ", theme="  Les   bancs ")
    assert checked.errors == {}
    assert checked.decision == form.Decision("approved", "", (
        Redaction(8, 19, "personal data"), Redaction(21, 35, "un numéro"),
        Redaction(38, 49, "personal data")), "Les bancs")
    assert redacted(TEXT, checked.decision.redactions) == \
        "Appelez […] ([…]).\n[…] sait tout, JEAN DUPONT aussi."


@pytest.mark.parametrize(("values", "decision"), [
    ({"verdict": "approve"}, form.Decision("approved")),
    ({"verdict": "approve", "theme": "   "}, form.Decision("approved")),
    ({"verdict": "reject", "reason": "duplicate", "theme": "ignoré"},
     form.Decision("rejected", "duplicate")),
    ({"verdict": "reject", "reason": "other", "reason_other": " Hors  sujet local "},
     form.Decision("rejected", "Hors sujet local")),
    # a rejection hides everything: words to hide, even wrong ones, are no mistake
    ({"verdict": "reject", "reason": "insulting", "hide_1": "absent"},
     form.Decision("rejected", "insulting")),
])
def test_what_each_verdict_stores(values: dict[str, str], decision: form.Decision) -> None:
    checked = decided(**values)
    assert (checked.decision, checked.errors) == (decision, {})


@pytest.mark.parametrize(("values", "errors"), [
    ({}, {"verdict": "moderation.error.no_verdict"}),
    ({"verdict": "reject"}, {"reason": "moderation.error.no_reason"}),
    ({"verdict": "reject", "reason": "other"},
     {"reason_other": "moderation.error.no_reason_other"}),
    ({"verdict": "reject", "reason": "other", "reason_other": " \u202e\u200b\u202c\t"},
     {"reason_other": "moderation.error.no_reason_other"}),
    ({"verdict": "redact"}, {"hide_1": "moderation.error.no_words"}),
    ({"verdict": "redact", "hide_2": "Durand", "hide_reason_2": "insulting",
      "hide_3": "Jean", "hide_reason_3": "other"},
     {"hide_2": "moderation.error.not_found", "hide_other_3": "moderation.error.no_hide_other"}),
    ({"verdict": "redact", "hide_1": "Jean"}, {"hide_reason_1": "moderation.error.no_hide_reason"}),
    ({"verdict": "approve", "hide_1": "Jean"}, {"verdict": "moderation.error.words_not_redacting"}),
    ({"verdict": "approve", "theme": "t" * 81}, {"theme": "moderation.error.too_long"}),
    ({"verdict": "reject", "reason": "other", "reason_other": "r" * 201},
     {"reason_other": "moderation.error.too_long"}),
])
def test_each_mistake_is_named_at_its_field(values: dict[str, str],
                                            errors: dict[str, str]) -> None:
    checked = decided(**values)
    assert checked.decision is None and checked.errors == errors
    assert checked.values == {**HIDDEN, **values}


@pytest.mark.parametrize("pairs", [
    [("verdict", "approve"), ("nom", "x")],
    [("verdict", "approve"), ("verdict", "reject")],
    [("verdict", "publier")],
    [("verdict", "reject"), ("reason", "boring")],
    [("hide_reason_1", "off-topic")],
    [("hide_4", "Jean")],
])
def test_a_body_the_page_cannot_send_is_unreadable(pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(form.Unreadable):
        form.read([*HIDDEN.items(), *pairs])
    assert form.read([*HIDDEN.items(), ("verdict", "approve")])[form.VERDICT] == "approve"


@pytest.mark.parametrize("missing", [form.RECEIPT, form.FIELD, form.DIGEST])
def test_the_hidden_fields_are_needed(missing: str) -> None:
    with pytest.raises(form.Unreadable):
        form.read([pair for pair in HIDDEN.items() if pair[0] != missing])


# --- the session cookie ------------------------------------------------------------------------

NOW = datetime(2027, 3, 2, 9, 30, tzinfo=UTC)
KEY = CollectorSecret(bytes(range(32)))


def collector(*, token: str = "jeton-" + "a1b2c3d4" * 4, at: datetime = NOW) -> Collector:
    settings = Settings(site_dir=Path("site"), admin_token=token, secret=KEY, now=lambda: at)
    return Collector(settings, cast(Storage, None))  # the cookie reads the settings alone


def test_a_cookie_carries_the_name_and_its_end_and_is_read_back() -> None:
    signer = collector()
    cookie = session.new_cookie(signer, "Chloé Ödön-Martin")
    moderator = session.read_cookie(signer, cookie)
    assert moderator is not None
    assert (moderator.name, moderator.expires) == ("Chloé Ödön-Martin", NOW + timedelta(hours=12))
    assert len(moderator.csrf) == 64 and moderator.csrf not in cookie
    assert "jeton" not in cookie and "Chlo" not in cookie  # base64: no token, no raw name
    other = session.read_cookie(signer, session.new_cookie(signer, "Chloé Ödön-Martin"))
    assert other is not None and other.csrf != moderator.csrf, "each session its own token"


def test_a_cookie_is_refused_once_ended_altered_or_under_another_token() -> None:
    signer = collector()
    cookie = session.new_cookie(signer, "Awa")
    later = NOW + timedelta(hours=12)
    assert session.read_cookie(collector(at=later - timedelta(seconds=1)), cookie) is not None
    assert session.read_cookie(collector(at=later), cookie) is None
    assert session.read_cookie(collector(token="jeton-" + "e5f6a7b8" * 4), cookie) is None
    nonce, expires, name, mac = cookie.split(".")
    for forged in (f"{nonce}.{int(expires) + 3600}.{name}.{mac}",
                   f"{nonce}.{expires}.QnJ1bm8.{mac}", f"{nonce}x.{expires}.{name}.{mac}",
                   f"{cookie}.more", "", "é.1.2.3",
                   f"{nonce}.{expires}.{name}.{mac.upper()}"):
        assert session.read_cookie(signer, forged) is None, forged


# --- the verdict page (goldens) ----------------------------------------------------------------

FR = Catalogue.for_language("fr")
MODERATOR = Moderator("Awa", NOW, "cookie", "c" * 64)
ITEM = Waiting("ABCD2345", "idee", "Quelle idée avez-vous pour la place ?",
               "Des bancs <b>à l'ombre</b>.\nEt des arbres.", "d" * 64)
STATE = FormState("avis-citations", "La place du Marché", True, ITEM, None, 39, 1, 1,
                  ("Ombre", "Jeux & sport"))


@pytest.mark.parametrize(("name", "state", "options"), [
    ("fresh", STATE, {}),
    ("after-a-verdict", STATE, {"done": "rejected"}),
    ("mistakes", STATE, {"values": {"verdict": "redact", "hide_1": "Jean \"D\"",
                                    "hide_reason_1": "other", "theme": "<Ombre>"},
                         "errors": {"hide_1": "Ces mots ne sont pas dans la réponse",
                                    "hide_other_1": "Écrivez pourquoi masquer ces mots"}}),
    ("all-done", replace(STATE, first=None, waiting=0), {"done": "approved"}),
    ("no-consent", replace(STATE, consent=False, first=None), {}),
])
def test_the_verdict_page_golden(name: str, state: FormState, options: dict[str, object],
                                 request: pytest.FixtureRequest) -> None:
    html = form_page_html(FR, state, MODERATOR, **options)  # type: ignore[arg-type]
    assert_golden(f"moderation/verdict-{name}.html", html + "\n", request)


AR = Catalogue.for_language("ar")


def _redact_intro(html: str) -> str:
    return html.split("<fieldset class=\"p-moderation__redaction\"", 1)[0].rsplit("<p>", 1)[1]


@pytest.mark.parametrize(("slots", "french", "arabic"), [
    (1, "1 passage, avec sa raison.", "حتى مقطع واحد، مع سببه."),
    (2, "2 passages, chacun avec sa raison.", "حتى مقطعين، لكل منهما سببه."),
    (3, "3 passages, chacun avec sa raison.", "حتى 3 مقاطع، لكل منها سببه."),
    (11, "11 passages, chacun avec sa raison.", "حتى 11 مقطعًا، لكل منها سببه."),
])
def test_the_passages_one_may_hide_are_counted_in_each_language(
        slots: int, french: str, arabic: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verdict page says how many passages a redaction may hide as a counted string:
    Arabic's noun takes another form for 1, 2, 3 to 10 and 11 to 99."""
    monkeypatch.setattr(form, "MAX_REDACTIONS", slots)
    assert french in _redact_intro(form_page_html(FR, STATE, MODERATOR))
    assert arabic in _redact_intro(form_page_html(AR, STATE, MODERATOR))


def test_the_themes_already_chosen_are_listed_with_the_arabic_comma() -> None:
    assert "Ombre، Jeux &amp; sport." in form_page_html(AR, STATE, MODERATOR)
    assert "Ombre, Jeux &amp; sport." in form_page_html(FR, STATE, MODERATOR)
