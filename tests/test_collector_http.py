"""The collector over real HTTP: ``parole collect`` (uvicorn on 127.0.0.1) on the example site,
with SQLite and with PostgreSQL. Every status code the issue names, and what is stored."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from site_builder.collector import admin as export_admin
from site_builder.collector.responses import relative_location
from site_builder.storage import open_storage
from site_builder.storage.entry import NewBatch, SheetEntry
from tests.collector_support import (
    ADMIN_TOKEN,
    VALID_ANSWER,
    Reply,
    RunningCollector,
    answer,
    hidden_fields,
    running_collector,
)
from tests.storage_support import T0, raw_sql


def dump_database(url: str) -> str:
    """Every row of every table the collector writes, as text."""
    return "\n".join(repr(raw_sql(url, f"SELECT * FROM {table}"))
                     for table in ("answers", "forms", "secret_check", "schema_migrations"))


RECEIPT_PATH = re.compile(r"^/collect/([0-9A-Z]{8})/([A-Za-z0-9_-]{22})$")
"""A receipt's address: its code, then the 22-character key that opens it."""


def sent_cookie(reply: Reply) -> str:
    """``parole_sent=…`` as a browser would send it back, from a 303's ``Set-Cookie``."""
    return reply.headers["set-cookie"].split(";", 1)[0]


def link(reply: Reply) -> tuple[str, str]:
    """The code and key of the receipt a 303 leads to."""
    match = RECEIPT_PATH.match(reply.headers["location"])
    assert match, reply.headers.get("location")
    return match.group(1), match.group(2)


@pytest.fixture(scope="module")
def collector(
    example_site: Path, module_storage_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningCollector]:
    log_dir = tmp_path_factory.mktemp("collector-log")
    with running_collector(example_site, module_storage_url, log_dir,
                           args=["--rate-limit", "0"]) as up:
        yield up


def stored(url: str, form_id: str = "avis-place", *, quarantined: bool = False) -> list[str]:
    storage = open_storage(url)
    try:
        return [answer.receipt for answer in storage.answers(form_id, quarantined=quarantined)]
    finally:
        storage.close()


# -- the happy path ----------------------------------------------------------------------------

def test_a_valid_answer_is_stored_then_303_to_its_receipt(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    before = stored(module_storage_url)
    reply = collector.post(answer(example_site, ("quartier", "La Gare 1")))
    assert reply.status == 303
    match = RECEIPT_PATH.match(reply.headers["location"])
    assert match, reply.headers["location"]
    assert match.group(1) in stored(module_storage_url)
    assert len(stored(module_storage_url)) == len(before) + 1
    assert reply.headers["cache-control"] == "private, no-store"

    page = collector.request("GET", reply.headers["location"])
    assert page.status == 200
    code = match.group(1)
    assert f"{code[:4]}-{code[4:]}" in page.text
    assert "n\u2022\u2022\u2022@exemple.fr" in page.text  # contact details masked
    assert "nom@exemple.fr" not in page.text
    assert "Les Tilleuls" not in page.text  # this answer said La Gare 1
    assert "La Gare 1" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    assert "Chaque semaine" in page.text  # the option's label, not its value
    assert '<meta name="robots" content="noindex' in page.text
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert page.headers["cache-control"] == "private, no-store"


def test_the_receipt_sets_a_strict_short_lived_cookie_of_the_browsers_receipts(
    collector: RunningCollector, example_site: Path
) -> None:
    first = collector.post(answer(example_site, ("quartier", "Cookie 1")))
    cookie = first.headers["set-cookie"]
    code, key = link(first)
    assert cookie.startswith(f"parole_sent={code}.{key};")
    attributes = {part.strip().split("=")[0].lower(): part.strip()
                  for part in cookie.split(";")[1:]}
    assert attributes["path"] == "Path=/collect"
    assert attributes["samesite"].lower() == "samesite=strict"
    assert "httponly" in attributes
    assert attributes["max-age"] == "Max-Age=900"
    assert "secure" not in attributes  # plain HTTP here; behind nginx's HTTPS, see below
    second = collector.post(answer(example_site, ("quartier", "Cookie 2")),
                            headers={"Cookie": sent_cookie(first)})
    newer = link(second)
    assert sent_cookie(second) == f"parole_sent={newer[0]}.{newer[1]}:{code}.{key}"
    over_https = collector.post(answer(example_site, ("quartier", "Cookie 3")),
                                headers={"X-Forwarded-Proto": "https"})
    assert "; secure" in over_https.headers["set-cookie"].lower()


def test_the_same_answer_sent_twice_by_one_browser_gives_the_same_receipt_and_one_row(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    pairs = answer(example_site, ("quartier", "Double clic"))
    first = collector.post(pairs)
    count = len(stored(module_storage_url))
    second = collector.post(pairs, headers={"Cookie": sent_cookie(first)})
    assert first.status == second.status == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(stored(module_storage_url)) == count


def test_the_same_answer_from_another_browser_never_gets_the_first_receipt(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    """Two people behind one address, identical answers: the second is asked to confirm, is
    shown nothing of the first, and once confirmed is counted too."""
    pairs = answer(example_site, ("quartier", "Même wifi"))
    first = collector.post(pairs)
    code, key = link(first)
    count = len(stored(module_storage_url))
    forged = f"parole_sent={code}.{'A' * 22}"  # a cookie must hold the key to count
    for headers in ({}, {"Cookie": forged}, {"Cookie": "parole_sent=garbage"}):
        second = collector.post(pairs, headers=headers)
        assert second.status == 409
        assert "location" not in second.headers and "set-cookie" not in second.headers
        assert code not in second.text and key not in second.text
        assert f"{code[:4]}-{code[4:]}" not in second.text
        assert '<input type="hidden" name="_again" value="1">' in second.text
        assert 'value="Même wifi"' in second.text
        assert len(stored(module_storage_url)) == count
    confirmed = collector.post([*pairs, ("_again", "1")])
    assert confirmed.status == 303
    assert code not in confirmed.headers["location"]
    assert len(stored(module_storage_url)) == count + 1
    assert "confirmation demandée" in collector.log()  # the example site is French


@pytest.mark.parametrize("again", ["", "0", "yes"])
def test_a_confirmation_field_other_than_1_is_refused(
    collector: RunningCollector, example_site: Path, again: str
) -> None:
    reply = collector.post(answer(example_site, ("quartier", "Drôle"), ("_again", again)))
    assert reply.status == 400


def test_a_filled_honeypot_is_quarantined_and_answered_like_a_success(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    before = stored(module_storage_url)
    reply = collector.post(answer(example_site, ("_website", "http://spam.example")))
    assert reply.status == 303
    code = RECEIPT_PATH.match(reply.headers["location"])
    assert code
    assert stored(module_storage_url) == before
    assert code.group(1) in stored(module_storage_url, quarantined=True)


@pytest.mark.parametrize(("field", "length"), [("idee", 60_000), ("quartier", 201),
                                               ("courriel", 300), ("age", 51)])
def test_a_filled_honeypot_is_held_to_the_lengths_of_a_persons_answer(
    collector: RunningCollector, example_site: Path, module_storage_url: str, field: str,
    length: int,
) -> None:
    # A robot is answered like a person: a person gets the form again for an answer too long
    # (an address or a number too, whatever it holds), and so does it; nothing is stored.
    before = stored(module_storage_url, quarantined=True)
    value = "a" * (length - 12) + "@exemple.fr" if field == "courriel" else "9" * length
    reply = collector.post(answer(example_site, (field, value), ("_website", "http://x.example"),
                                  ("jeux", "ecole")))
    assert reply.status == 400, f"{length} characters in '{field}', honeypot filled: {reply.status}"
    assert stored(module_storage_url, quarantined=True) == before


def test_a_filled_honeypot_with_mistakes_within_bounds_is_still_quarantined(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    before = stored(module_storage_url, quarantined=True)
    reply = collector.post(answer(example_site, ("age", "500"), ("idee", "a\r\nb"),
                                  ("_website", "x"), drop=("frequence",)))
    assert reply.status == 303
    [code] = set(stored(module_storage_url, quarantined=True)) - set(before)
    storage = open_storage(module_storage_url)
    try:
        kept = storage.get(code)
    finally:
        storage.close()
    assert kept is not None and kept.values["age"] == ["500"]
    assert kept.values["idee"] == ["a\nb"]  # line breaks as in any stored answer


def test_unknown_receipt_is_a_404_page(collector: RunningCollector) -> None:
    reply = collector.request("GET", "/collect/ZZZZZZZZ/" + "A" * 22)
    assert reply.status == 404
    assert "<main" in reply.text


def test_the_code_alone_shows_nothing_of_the_answer(
    collector: RunningCollector, example_site: Path
) -> None:
    code, key = link(collector.post(answer(example_site, ("quartier", "Code seul"))))
    for typed in (code, f"{code[:4]}-{code[4:]}", code.lower()):
        alone = collector.request("GET", f"/collect/{typed}")
        assert alone.status == 404
        assert "Ce code seul n\u2019ouvre pas votre réponse" in alone.text
        assert "Code seul" not in alone.text
    # the same page whether or not the code exists: it tells nothing
    assert collector.request("GET", "/collect/ZZZZZZZZ").text == alone.text
    assert collector.request("GET", f"/collect/{code.lower()}/{key}").status == 200
    wrong = collector.request("GET", f"/collect/{code}/{key[:-1]}B")
    assert wrong.status == 404 and "Code seul" not in wrong.text


@pytest.mark.parametrize("path", ["/collect/", "/collect/ABCD2345/", "/collect/ABCD2345/"
                                  + "A" * 22 + "/"])
def test_no_redirect_goes_to_the_host_a_request_names(
    collector: RunningCollector, path: str
) -> None:
    """Starlette adds or removes a final "/" by a redirect built from the Host header, which
    anyone may set: the collector's redirects are paths on its own host."""
    reply = collector.request("GET", path, headers={"Host": "evil.example"})
    location = reply.headers.get("location", "")
    assert "evil.example" not in location and not location.startswith("//"), location
    assert reply.status in (307, 404, 405), reply.status


# -- a person's mistakes -----------------------------------------------------------------------

def test_mistakes_give_400_with_the_form_again_errors_first_values_kept(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    before = stored(module_storage_url)
    reply = collector.post(answer(example_site, ("age", "deux cents"),
                                  ("courriel", "pas-un-mail"), drop=("frequence",)))
    assert reply.status == 400
    assert stored(module_storage_url) == before
    html = reply.text
    assert re.search(r"<title>Erreur\u00a0: ", html)
    main = html[html.index("<main"):]
    form = main[main.index('id="form-avis-place"'):]
    assert form.index("p-error-summary") < form.index("<form")
    assert 'href="#f-avis-place-frequence-1"' in form
    assert 'href="#f-avis-place-age"' in form
    assert 'value="deux cents"' in html
    assert 'value="pas-un-mail"' in html
    assert 'value="Les Tilleuls"' in html
    assert "Des bancs à l&#39;ombre." in html or "Des bancs à l'ombre." in html
    assert re.search(r'value="marche"[^>]* checked', html)
    assert "Donner mon avis" in html  # the page's own layout (menu, brief) around the form


def test_an_answer_to_an_older_version_gets_409_and_the_current_form_with_its_values(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    before = stored(module_storage_url)
    pairs = [("_form", "avis-place"), ("_version", "0123456789abcdef"), *VALID_ANSWER,
             ("frequence", "plus-proposee")]
    pairs.remove(("frequence", "semaine"))
    reply = collector.post(pairs)
    assert reply.status == 409
    assert stored(module_storage_url) == before
    assert "Le questionnaire a changé depuis que vous l\u2019avez ouvert." in reply.text
    assert 'value="Les Tilleuls"' in reply.text  # kept
    assert "plus-proposee" not in reply.text  # an option the form no longer has is dropped
    assert hidden_fields(example_site)[1][1] in reply.text  # the current version, to send again


# -- structural nonsense: 4xx and nothing stored ---------------------------------------------

@pytest.mark.parametrize(("body", "status"), [
    ("unknown field", 400),
    ("repeated single field", 400),
    ("option outside the list", 400),
    ("invalid UTF-8", 400),
    ("unknown form", 400),
])
def test_structural_nonsense_is_400_and_stores_nothing(
    collector: RunningCollector, example_site: Path, module_storage_url: str, body: str, status: int
) -> None:
    base = answer(example_site)
    bodies = {
        "unknown field": [*base, ("pirate", "x")],
        "repeated single field": [*base, ("jeux", "ecole")],
        "option outside the list": answer(example_site, ("frequence", "toujours")),
        "unknown form": [("_form", "inconnu"), ("_version", "0"), *VALID_ANSWER],
    }
    before = stored(module_storage_url)
    if body == "invalid UTF-8":
        hidden = b"&".join(f"{k}={v}".encode() for k, v in hidden_fields(example_site))
        raw = hidden + b"&idee=%C3%28"
        reply = collector.request("POST", "/collect", raw, {
            "Content-Type": "application/x-www-form-urlencoded"})
    else:
        reply = collector.post(bodies[body])
    assert reply.status == status
    assert "<main" in reply.text
    assert stored(module_storage_url) == before


def test_another_content_type_is_415(collector: RunningCollector) -> None:
    reply = collector.request("POST", "/collect", b'{"a": 1}',
                              {"Content-Type": "application/json"})
    assert reply.status == 415


def test_a_body_over_the_limit_is_413(collector: RunningCollector) -> None:
    reply = collector.request("POST", "/collect", b"idee=" + b"a" * (65 * 1024),
                              {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 413


def test_a_post_from_another_site_is_403(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    before = stored(module_storage_url)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        reply = collector.post(answer(example_site, ("quartier", "Ailleurs")), headers=headers)
        assert reply.status == 403
    refused_null = collector.post(answer(example_site, ("quartier", "Nulle part")),
                                  headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert refused_null.status == 403
    same = collector.post(answer(example_site, ("quartier", "Ici")),
                          headers={"Origin": collector.url, "Sec-Fetch-Site": "same-origin"})
    assert same.status == 303
    # A collector page (Referrer-Policy: no-referrer) posts with "Origin: null": accepted when
    # the browser says same-origin, or says nothing (too old to send Sec-Fetch-Site).
    for headers in ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, {"Origin": "null"}):
        quartier = f"Corrigé {len(headers)}"
        assert collector.post(answer(example_site, ("quartier", quartier)),
                              headers=headers).status == 303
    assert len(stored(module_storage_url)) == len(before) + 3


def test_every_collector_response_carries_the_security_headers(
    collector: RunningCollector, example_site: Path
) -> None:
    replies = [collector.post(answer(example_site, drop=("frequence",))),
               collector.request("GET", "/collect/ZZZZZZZZ"),
               collector.request("POST", "/collect", b"x", {"Content-Type": "text/plain"})]
    for reply in replies:
        csp = reply.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"


# -- admin ---------------------------------------------------------------------------------------

def test_admin_routes_need_the_token(collector: RunningCollector) -> None:
    for path in ("/admin/stats", "/admin/export/avis-place.csv"):
        assert collector.request("GET", path).status == 401
        wrong = collector.request("GET", path, headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401
        assert wrong.headers["www-authenticate"].startswith("Bearer")
        # in the example site's language, French (issue #14)
        assert json.loads(wrong.text) == {"error": "cette route demande l'en-tête "
                                          "'Authorization: Bearer <PAROLE_ADMIN_TOKEN>'"}
    good = collector.request("GET", "/admin/export/avis-place.csv",
                             headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert good.status == 200
    assert good.body.startswith("\ufeff".encode())
    assert good.headers["content-type"].startswith("text/csv")
    assert "'=HYPERLINK" not in good.text.split("\r\n")[0]
    stats = collector.request("GET", "/admin/stats",
                              headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert stats.status == 200
    assert "avis-place" in stats.text


def test_the_admin_export_offers_the_workbook(collector: RunningCollector) -> None:
    path = "/admin/export/avis-place.xlsx"
    assert collector.request("GET", path).status == 401
    reply = collector.request("GET", path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert reply.status == 200
    assert reply.headers["content-type"] == export_admin.EXPORT_TYPES["xlsx"]
    assert reply.headers["content-disposition"] == 'attachment; filename="avis-place.xlsx"'
    assert reply.headers["cache-control"] == "private, no-store"
    workbook = openpyxl.load_workbook(io.BytesIO(reply.body))
    assert workbook.sheetnames == ["Décompte", "Réponses", "Colonnes"]
    header = next(workbook["Réponses"].iter_rows(values_only=True))
    assert header[-10:] == ("Reçu", "Reçue le", "Canal", "Langue", "Version du formulaire",
                            "Lot", "Lieu", "Saisie par", "Laissées en blanc",
                            "Illisibles ou nulles")


STATS_KEYS = {"form", "title", "answers", "quarantined", "per_day", "per_channel", "per_language",
              "questions", "marks", "batches"}
BATCH_KEYS = {"batch", "place", "collected_on", "sheets_counted", "entered", "difference",
              "sheets", "closed", "closed_at"}


def test_admin_stats_give_channels_batches_and_marks(
    collector: RunningCollector, module_storage_url: str
) -> None:
    storage = open_storage(module_storage_url)
    try:
        version = storage.form_schemas("avis-place")[-1].version
        storage.add_mediator("Stats HTTP", "mediator", "digest-stats-http", T0)
        batch = storage.create_batch(NewBatch("avis-place", "Marché couvert", date(2026, 3, 2),
                                              5, "Stats HTTP", T0))
        storage.enter_sheet(SheetEntry(batch.id, "Stats HTTP", {"quartier": ["Gare"]},
                                       {"frequence": "spoiled"}, version, T0, None,
                                       "stats-http"), double=False)
    finally:
        storage.close()
    reply = collector.request("GET", "/admin/stats",
                              headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("application/json")
    [form] = [each for each in json.loads(reply.text) if each["form"] == "avis-place"]
    assert set(form) == STATS_KEYS
    assert list(form["per_channel"])[:3] == ["online", "paper", "assisted"]
    assert form["per_channel"]["paper"] >= 1
    [listed] = [each for each in form["batches"] if each["batch"] == batch.id]
    assert set(listed) == BATCH_KEYS
    assert (listed["place"], listed["collected_on"], listed["sheets_counted"], listed["entered"],
            listed["difference"], listed["closed"]) == ("Marché couvert", "2026-03-02", 5, 1, 4,
                                                       False)
    assert listed["sheets"] == {"counted": 1, "awaiting_second": 0, "differs": 0,
                                "awaiting_third": 0}
    marks = {each["id"]: each for each in form["marks"]}
    assert set(marks["frequence"]) == {"id", "label", "blank", "spoiled"}
    assert marks["frequence"]["spoiled"] >= 1


def test_without_a_token_admin_routes_do_not_exist(
    example_site: Path, module_storage_url: str, tmp_path: Path
) -> None:
    with running_collector(example_site, module_storage_url, tmp_path,
                           env={"PAROLE_ADMIN_TOKEN": ""}) as up:
        reply = up.request("GET", "/admin/stats",
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert reply.status == 404


# -- dates and limits ----------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected"), [
    ("2026-12-01", (403, "pas encore ouvert")),
    ("2027-03-05", (410, "fermé")),
])
def test_outside_the_consultation_answers_are_refused(
    example_site: Path, module_storage_url: str, tmp_path: Path, day: str, expected: tuple[int, str]
) -> None:
    status, words = expected
    with running_collector(example_site, module_storage_url, tmp_path, day=day) as up:
        before = stored(module_storage_url)
        reply = up.post(answer(example_site, ("quartier", f"Le {day}")))
        assert reply.status == status
        assert words in reply.text
        assert stored(module_storage_url) == before


def test_too_many_answers_a_minute_get_429_with_retry_after(
    example_site: Path, module_storage_url: str, tmp_path: Path
) -> None:
    with running_collector(example_site, module_storage_url, tmp_path,
                           args=["--rate-limit", "2"]) as up:
        statuses = [up.post(answer(example_site, ("quartier", f"Rafale {n}"))).status
                    for n in range(2)]
        assert statuses == [303, 303]
        reply = up.post(answer(example_site, ("quartier", "Rafale 3")))
        assert reply.status == 429
        assert 1 <= int(reply.headers["retry-after"]) <= 60


def test_no_client_address_is_logged_or_stored(
    collector: RunningCollector, example_site: Path, module_storage_url: str
) -> None:
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 (a front server on the same machine), so
    # this is the address the collector sees for this client.
    address = "203.0.113.77"
    headers = {"X-Forwarded-For": address}
    reply = collector.post(answer(example_site, ("quartier", "Sans adresse")), headers=headers)
    assert reply.status == 303
    collector.request("GET", reply.headers["location"], headers=headers)
    collector.post(answer(example_site, drop=("frequence",)), headers=headers)
    assert "réponse au formulaire 'avis-place' enregistrée" in collector.log()
    assert address not in collector.log()
    storage = open_storage(module_storage_url)
    try:
        every = [*storage.answers("avis-place"), *storage.answers("avis-place", quarantined=True)]
    finally:
        storage.close()
    assert every
    assert all(address not in repr(stored_answer) for stored_answer in every)
    assert address not in dump_database(module_storage_url)


def test_a_receipt_read_after_the_closing_day_says_the_consultation_is_over(
    collector: RunningCollector, example_site: Path, module_storage_url: str, tmp_path: Path
) -> None:
    location = collector.post(answer(example_site, ("quartier", "Avant"))).headers["location"]
    assert "La consultation est ouverte jusqu\u2019au" in collector.request("GET", location).text
    with running_collector(example_site, module_storage_url, tmp_path, day="2027-03-05") as up:
        later = up.request("GET", location)
    assert later.status == 200
    assert "La consultation s\u2019est terminée le" in later.text


def test_a_receipt_is_gone_once_its_answer_expires(
    collector: RunningCollector, example_site: Path, module_storage_url: str, tmp_path: Path
) -> None:
    """The site announces a deletion date; past it the receipt shows nothing, even before
    ``parole purge`` has run."""
    manifest = json.loads((example_site / "forms/avis-place.json").read_text(encoding="utf-8"))
    deletion = date.fromisoformat(manifest["closes"]) + timedelta(days=manifest["retention_days"])
    location = collector.post(answer(example_site, ("quartier", "Bientôt effacé"))).headers[
        "location"]
    day_before = (deletion - timedelta(days=1)).isoformat()
    with running_collector(example_site, module_storage_url, tmp_path, day=day_before) as up:
        assert up.request("GET", location).status == 200
    with running_collector(example_site, module_storage_url, tmp_path,
                           day=deletion.isoformat()) as up:
        gone = up.request("GET", location)
    assert gone.status == 404
    assert "Bientôt effacé" not in gone.text


def test_wrong_links_are_held_back_per_client_and_a_right_one_always_opens(
    example_site: Path, module_storage_url: str, tmp_path: Path
) -> None:
    """Links that open nothing count against the client's limit; past it, failed lookups get
    429. A link that opens its receipt cannot be guessed, so it is served all the same."""
    with running_collector(example_site, module_storage_url, tmp_path,
                           args=["--rate-limit", "2"]) as up:
        location = up.post(answer(example_site, ("quartier", "Code gardé"))).headers["location"]
        assert up.request("GET", location).status == 200  # a hit costs nothing
        wrong = [f"/collect/{code}/{'A' * 22}" for code in ("AAAA-AAAA", "BBBB-BBBB")]
        assert [up.request("GET", path).status for path in wrong] == [404, 404]
        held = up.request("GET", wrong[0])
        still = up.request("GET", location)
        other_client = up.request("GET", wrong[1], headers={"X-Forwarded-For": "203.0.113.9"})
        held_again = [up.request("GET", wrong[1]).status for _ in range(5)]
        log = up.log()
    assert held_again == [429] * 5
    # logged once, not once a request: a guesser must not flood the log (in French: the example
    # site is French, and so is its collector's log)
    assert log.count("un client a essayé trop de liens en une minute") == 1, log
    assert held.status == 429
    assert 1 <= int(held.headers["retry-after"]) <= 60
    assert "Trop de liens essayés" in held.text
    assert still.status == 200 and "Code gardé" in still.text
    assert other_client.status == 404


def test_wrong_links_from_every_address_together_meet_one_limit(
    example_site: Path, module_storage_url: str, tmp_path: Path
) -> None:
    """An attacker changing address for each guess meets the limit shared by every client,
    while people's own links still open, and the log says so once, not once a request."""
    with running_collector(example_site, module_storage_url, tmp_path,
                           args=["--rate-limit", "0"]) as up:
        location = up.post(answer(example_site, ("quartier", "Limite commune"))).headers[
            "location"]
        statuses = [up.request("GET", f"/collect/ABCD{n:04d}/{'A' * 22}",
                               headers={"X-Forwarded-For": f"198.51.100.{n % 250}"}).status
                    for n in range(130)]
        held = up.request("GET", f"/collect/ZZZZZZZZ/{'B' * 22}",
                          headers={"X-Forwarded-For": "203.0.113.200"})
        opens = up.request("GET", location, headers={"X-Forwarded-For": "203.0.113.201"})
        log = up.log()
    assert statuses[:120] == [404] * 120 and set(statuses[120:]) == {429}
    assert held.status == 429 and 1 <= int(held.headers["retry-after"]) <= 60
    assert "Trop de liens erronés en ce moment" in held.text
    assert opens.status == 200 and "Limite commune" in opens.text
    assert log.count("échecs en une minute, tous clients confondus") == 1


@pytest.mark.parametrize(("location", "relative"), [
    ("http://evil.example/collect/ABCD2345", "/collect/ABCD2345"),
    ("https://evil.example:8443/faq/?a=1#b", "/faq/?a=1#b"),
    ("//evil.example/x", "/x"),
    ("/\\evil.example/x", "/evil.example/x"),
    ("http://127.0.0.1//evil.example/", "/evil.example/"),
    ("/collect/ABCD2345/key", "/collect/ABCD2345/key"),
])
def test_every_redirect_is_a_path_on_this_host(location: str, relative: str) -> None:
    assert relative_location(location) == relative
