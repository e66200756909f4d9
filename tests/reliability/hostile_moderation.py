"""Hostile requests to the moderation pages (issue #16), as ``hostile_cases.py`` writes them for
the answers and the mediators' sign-in: data, one distinct hostile thing per case, with the
status ``docs/moderation-web.md`` promises and a phrase of the page (French: the test site is).

Two categories, sent by ``test_hostile_moderation.py``:

- **the moderation sign-in form** (``sign_in_cases``): what a person or a robot may post instead
  of the admin token and a name. Each case from its own address: wrong tokens count against
  their client (10 a minute, then 429);
- **the verdict form** (``verdict_cases``): what a signed-in browser (its cookie and CSRF token,
  the hidden fields of the answer shown) may post instead of a verdict: the form again with its
  mistakes (400), a body no page sends (400), an answer no longer waiting (303, nothing
  stored), the body refusals every post gets (400, 413, 415), 403 without the token or from
  another site.

No case may store anything: neither an answer nor a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tests.reliability.hostile_cases import (
    FORM_TYPE,
    LIMIT,
    NOT_FOUND,
    REFUSED,
    TOO_LARGE,
    UNSUPPORTED,
    Case,
    Outcome,
    RawRequest,
    encoded,
    fullwidth,
)

SIGN_IN = "/admin/moderation/sign-in"
HOME = "/admin/moderation/"
WRONG_TOKEN = "Ce jeton ne fonctionne pas."
NO_TOKEN = "Saisissez le jeton d\u2019administration"
MODERATION_REFUSED = "Cette demande ne vient pas d\u2019une page de la modération"
UNREADABLE = "Ce formulaire ne vient pas d\u2019une page de la modération."
NO_VERDICT = "Choisissez votre décision"
NOT_IN_ANSWER = "Ces mots ne sont pas dans la réponse"
TOO_LONG = "Raccourcissez ce texte"
NO_REASON = "Écrivez la raison du rejet"
KIND = ("Content-Type", FORM_TYPE)
SIGN_IN_CATEGORY = "moderation sign-in form"
VERDICT_CATEGORY = "moderation verdict form"


def sign_in_cases(token: str) -> list[Case]:
    """The sign-in form's cases; ``token`` is the admin token (never sent whole)."""
    addresses = iter(range(1, 250))

    def case(name: str, body: bytes, status: int, phrase: str | None, *,
             headers: tuple[tuple[str, str], ...] = (KIND,), method: str = "POST",
             outcome: Outcome = Outcome.PAGE, header: tuple[str, str] | None = None) -> Case:
        client = ("X-Forwarded-For", f"198.18.9.{next(addresses)}")
        return Case(SIGN_IN_CATEGORY, name, RawRequest(body, method=method, target=SIGN_IN,
                                                       headers=(*headers, client)),
                    status, phrase, outcome, header)

    wrong = {
        "a wrong token": "w" * len(token),
        "the token but its last character": token[:-1] + ("x" if token[-1] != "x" else "y"),
        "the token without its last character": token[:-1],
        "the token and one more character": token + "x",
        "the token in capitals": token.upper(),
        "a token of 60,000 characters": "A" * 60_000,
        "SQL in the token": "' OR '1'='1' --",
        "markup in the token": "<script>alert(1)</script>",
        "the token in full-width characters": fullwidth(token),
        "the token with a zero-width space": f"{token[:5]}\u200b{token[5:]}",
        "the token with bidi controls": f"\u202e{token}\u202c",
    }
    cases = [case(name, encoded([("token", typed), ("name", "Awa")]), 400, WRONG_TOKEN)
             for name, typed in wrong.items()]
    cases += [
        case("the token field twice, a wrong one first",
             encoded([("token", "w" * 30), ("token", token), ("name", "Awa")]), 400,
             WRONG_TOKEN),
        case("markup in the name, a wrong token",
             encoded([("token", "devine"), ("name", "<script>alert(1)</script>")]), 400,
             WRONG_TOKEN),
        case("a name of 5,000 characters, a wrong token",
             encoded([("token", "devine"), ("name", "A" * 5000)]), 400, WRONG_TOKEN),
    ]
    cases += [case(name, body, 400, NO_TOKEN) for name, body in {
        "no token field": encoded([("name", "Awa")]), "an empty token": b"token=&name=Awa",
        "a token of spaces": b"token=+++%09&name=Awa", "an empty sign-in form": b""}.items()]
    cases += [case(name, body, 400, REFUSED) for name, body in {
        "a NUL in the token": b"token=abc%00def&name=Awa",
        "invalid UTF-8 in the name": b"token=abc&name=%FF%FE",
        "an escape character in the name": b"token=abc&name=%1B%5B2J",
        "a C1 control in the name": b"token=abc&name=%C2%9B31m",
        "too many fields": b"&".join([b"name=x"] * 201)}.items()]
    cases.append(case("a body over the limit", b"token=" + b"A" * LIMIT, 413, TOO_LARGE))
    cases += [case(f"Content-Type: {content_type}", b"token=AAAA&name=Awa", 415, UNSUPPORTED,
                   headers=(("Content-Type", content_type),))
              for content_type in ("application/json", "multipart/form-data; boundary=x",
                                   "text/plain")]
    cases += [case(name, encoded([("token", token), ("name", "Awa")]), 403, MODERATION_REFUSED,
                   headers=(KIND, *headers)) for name, headers in {
        "the right token from another site (Sec-Fetch-Site)": (("Sec-Fetch-Site", "cross-site"),),
        "the right token from another site (Origin)": (("Origin", "https://evil.example"),),
        "the right token from a sibling site": (("Sec-Fetch-Site", "same-site"),),
    }.items()]
    cases.append(case("GET on the sign-in address", b"", 303, None, method="GET",
                      outcome=Outcome.EMPTY, header=("location", HOME)))
    cases.append(case("PUT on the sign-in address", encoded([("token", token)]), 405,
                      NOT_FOUND, method="PUT"))
    return cases


def verdict_cases(form_path: str, cookie: str, csrf: str,
                  shown: Mapping[str, str]) -> list[Case]:
    """The verdict form's cases, posted to ``form_path`` by the browser whose session is
    ``cookie`` (CSRF token ``csrf``) about the answer whose hidden fields are ``shown``
    (``receipt``, ``field``, ``digest``)."""
    session = ("Cookie", f"parole_moderation={cookie}")

    def case(name: str, pairs: Sequence[tuple[str, str]] | bytes, status: int,
             phrase: str | None, *, token: bool = True, hidden: bool = True,
             headers: tuple[tuple[str, str], ...] = (KIND,), target: str = form_path,
             method: str = "POST", outcome: Outcome = Outcome.PAGE,
             header: tuple[str, str] | None = None) -> Case:
        if isinstance(pairs, bytes):
            body = pairs
        else:
            first = ([("_csrf", csrf)] if token else []) + (list(shown.items()) if hidden
                                                              else [])
            body = encoded([*first, *pairs])
        return Case(VERDICT_CATEGORY, name, RawRequest(body, method=method, target=target,
                                                       headers=(*headers, session)),
                    status, phrase, outcome, header)

    stale = ("location", f"{form_path}?fait=stale")
    approve = [("verdict", "approve")]
    cases = [case(name, pairs, 400, UNREADABLE) for name, pairs in {
        "a field no page sends": [*approve, ("publish", "yes")],
        "the verdict twice": [*approve, ("verdict", "reject")],
        "a verdict no radio has": [("verdict", "publish")],
        "a verdict with a trailing space": [("verdict", "approve ")],
        "markup as the verdict": [("verdict", "<script>alert(1)</script>")],
        "a reason no radio has": [("verdict", "reject"), ("reason", "boring")],
        "a redaction reason no list has": [("verdict", "redact"), ("hide_1", "arbres"),
                                           ("hide_reason_1", "off-topic")],
        "a fourth passage to hide": [("verdict", "redact"), ("hide_4", "arbres")],
        "the CSRF token's name in capitals": [*approve, ("_CSRF", csrf)],
    }.items()]
    cases += [case(f"no {missing} field", [(name, value) for name, value in shown.items()
                                           if name != missing] + approve, 400, UNREADABLE,
                   hidden=False) for missing in ("receipt", "field", "digest")]
    cases += [case(name, [(key, changes.get(key, value)) for key, value in shown.items()]
                   + approve, 303, None, hidden=False, outcome=Outcome.EMPTY, header=stale)
              for name, changes in {
        "an unknown receipt code": {"receipt": "ZZZZ2345"},
        "SQL as the receipt code": {"receipt": "' OR '1'='1"},
        "a question that is not free text": {"field": "age"},
        "the consent question": {"field": "citation"},
        "a made-up digest": {"digest": "0" * 64},
        "the digest of another text": {"digest": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934"
                                                 "ca495991b7852b855"},
    }.items()]
    cases += [
        case("no verdict chosen", [("theme", "Ombre")], 400, NO_VERDICT),
        case("markup in the theme, no verdict", [("theme", "<script>alert(1)</script>")], 400,
             NO_VERDICT),
        case("markup as the words to hide", [("verdict", "redact"),
                                             ("hide_1", "<script>alert(1)</script>"),
                                             ("hide_reason_1", "personal data")], 400,
             NOT_IN_ANSWER),
        case("words to hide of 5,000 characters",
             [("verdict", "redact"), ("hide_1", "arbres " * 714),
              ("hide_reason_1", "insulting")], 400, TOO_LONG),
        case("a theme of 500 characters", [*approve, ("theme", "t" * 500)], 400, TOO_LONG),
        case("a reason of 5,000 characters", [("verdict", "reject"), ("reason", "other"),
                                              ("reason_other", "r" * 5000)], 400, TOO_LONG),
        case("another reason made of spaces and tabs",
             [("verdict", "reject"), ("reason", "other"), ("reason_other", " \t ")], 400,
             NO_REASON),
        case("bidi controls alone as the other reason",
             [("verdict", "reject"), ("reason", "other"), ("reason_other", "\u202e\u202c")],
             400, NO_REASON),
    ]
    prefix = encoded([("_csrf", csrf), *shown.items()])
    cases += [case(name, prefix + raw, 400, REFUSED) for name, raw in {
        "a NUL in the theme": b"&verdict=approve&theme=a%00b",
        "invalid UTF-8 in the words to hide": b"&verdict=redact&hide_1=%C3%28",
        "a C1 control in the other reason": b"&verdict=reject&reason=other&reason_other=%C2%9B",
        "too many fields": b"&" + b"&".join([b"theme=x"] * 201)}.items()]
    cases.append(case("a body over the limit", prefix + b"&theme=" + b"t" * LIMIT, 413,
                      TOO_LARGE))
    cases += [case(f"Content-Type: {content_type}", prefix + b"&verdict=approve", 415,
                   UNSUPPORTED, headers=(("Content-Type", content_type),))
              for content_type in ("application/json", "text/plain")]
    cases += [case(name, approve, 403, MODERATION_REFUSED, token=False, hidden=True)
              for name in ("no CSRF token",)]
    cases += [case(name, [("_csrf", value), *approve], 403, MODERATION_REFUSED, token=False)
              for name, value in {"a wrong CSRF token": "0" * 64, "an empty CSRF token": "",
                                  "the CSRF token in capitals": csrf.upper()}.items()]
    cases += [case(name, approve, 403, MODERATION_REFUSED, headers=(KIND, *headers))
              for name, headers in {
        "the right post from another site (Sec-Fetch-Site)": (("Sec-Fetch-Site", "cross-site"),),
        "the right post from another site (Origin)": (("Origin", "https://evil.example"),),
    }.items()]
    cases += [
        case("an unknown form in the address", approve, 404, NOT_FOUND,
             target="/admin/moderation/inconnu"),
        case("a path climbing out of the form", approve, 404, NOT_FOUND,
             target="/admin/moderation/%2e%2e%2fsign-in"),
        case("PUT on the form's page", approve, 405, NOT_FOUND, method="PUT"),
    ]
    return cases
