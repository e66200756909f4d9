"""Probed from outside (issue #13, promises 3 and 4): a receipt page shows a person's answers,
so only that person's browser may reach it.

The findings: receipt pages were at ``/collect/<code>`` with 40-bit codes and a per-address
limit only: changing address for each guess, 4 000 wrong codes all got 404 at about 1 500 a
second, so with 10 000 answers stored the first hit came within a day, and the page showed
e-mail addresses. An identical answer from the same address within 24 hours returned the first
receipt, so the second of two people on one wifi got the first one's code. And a trailing-slash
redirect was built from the ``Host`` header.

Each is tried again here against a real ``parole collect`` (addresses through
``X-Forwarded-For`` from loopback, which uvicorn trusts), with the collector's default limits.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.collector.settings import DEFAULT_RECEIPT_MISS_LIMIT
from site_builder.storage import open_storage
from tests.collector_support import (
    VALID_ANSWER,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.reliability.figures import Figures, Scale

MARKER = "sonde-reçu"
"""The free-text answer of the probed receipt: a page that leaks it shows it."""
EMAIL = "marie.dupont@exemple.fr"


@pytest.fixture(scope="module")
def collector(example_site: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[RunningCollector, str]]:
    """A collector with its default limits, and its database's URL."""
    folder = tmp_path_factory.mktemp("probe-receipts")
    url = f"sqlite:///{folder / 'answers.db'}"
    with running_collector(example_site, url, folder) as up:
        yield up, url


def _answer(site: Path, quartier: str) -> list[tuple[str, str]]:
    kept = [pair for pair in VALID_ANSWER if pair[0] not in ("quartier", "courriel")]
    return [*hidden_fields(site), *kept, ("quartier", quartier), ("courriel", EMAIL)]


def _rows(url: str, quartier: str) -> int:
    storage = open_storage(url)
    try:
        return sum(answer.values.get("quartier") == [quartier]
                   for answer in storage.answers("avis-place"))
    finally:
        storage.close()


def _stored(up: RunningCollector, site: Path, quartier: str, sender: str) -> str:
    """Send an answer from ``sender``; its receipt's address."""
    reply = up.post(_answer(site, quartier), headers={"X-Forwarded-For": sender})
    assert reply.status == 303, reply.text[:300]
    return reply.headers["location"]


def test_guessed_links_from_many_addresses_find_nothing(
    collector: tuple[RunningCollector, str], example_site: Path, scale: Scale,
    figures: Figures,
) -> None:
    up, _ = collector
    link = _stored(up, example_site, MARKER, "192.0.2.1")
    code = link.rsplit("/", 2)[1]
    guesses = scale.pick(300, 6000)
    statuses: dict[int, int] = {}
    leaks, opened_meanwhile = [], []
    started = time.monotonic()
    for number in range(guesses):
        # every guess from another address; a third of them with the real code
        guess = code if number % 3 == 0 else "".join(
            secrets.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(8))
        sender = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        reply = up.request("GET", f"/collect/{guess}/{secrets.token_urlsafe(16)}",
                           headers={"X-Forwarded-For": sender})
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        if MARKER in reply.text:
            leaks.append(f"{guess}: {reply.status}")
        if number % 200 == 199:  # the person's own link, in the middle of the flood
            mine = up.request("GET", link, headers={"X-Forwarded-For": "192.0.2.1"})
            opened_meanwhile.append(mine.status == 200 and MARKER in mine.text)
    elapsed = time.monotonic() - started
    assert not leaks, leaks
    assert set(statuses) <= {404, 429}, statuses
    assert statuses.get(404, 0) <= DEFAULT_RECEIPT_MISS_LIMIT + 5, statuses
    assert statuses.get(429, 0) >= guesses - DEFAULT_RECEIPT_MISS_LIMIT - 5, statuses
    assert opened_meanwhile and all(opened_meanwhile), opened_meanwhile
    figures.add("probe", {
        "finding": "receipt codes guessable by changing address for each guess",
        "probe": f"{guesses} links with a guessed key ({guesses // 3 + 1} with the real code) "
                 f"from {guesses} addresses in {elapsed:.1f} s",
        "result": f"none opened ({statuses.get(404, 0)} got 404, then "
                  f"{statuses.get(429, 0)} got 429 from the limit all clients share); the "
                  f"person's own link opened {len(opened_meanwhile)} times out of "
                  f"{len(opened_meanwhile)} during the flood",
    })


def test_the_code_alone_opens_nothing(
    collector: tuple[RunningCollector, str], example_site: Path, figures: Figures,
) -> None:
    up, _ = collector
    code = _stored(up, example_site, "sonde-code-seul", "192.0.2.2").rsplit("/", 2)[1]
    replies = [up.request("GET", f"/collect/{typed}")
               for typed in (code, f"{code[:4]}-{code[4:]}", code.lower())]
    nowhere = up.request("GET", "/collect/ZZZZZZZZ")
    assert all(reply.status == 404 for reply in replies), [reply.status for reply in replies]
    assert all("sonde-code-seul" not in reply.text for reply in replies)
    assert {reply.text for reply in replies} == {nowhere.text}, "the page tells codes apart"
    figures.add("probe", {
        "finding": "the short code alone opened the receipt",
        "probe": "GET /collect/<code> for a stored answer's code, in three spellings, and for "
                 "a code that exists nowhere",
        "result": "404 with the same page for all four, saying the code alone does not open "
                  "the receipt; nothing of the answer",
    })


def test_the_receipt_masks_the_email_address(
    collector: tuple[RunningCollector, str], example_site: Path, figures: Figures,
) -> None:
    up, _ = collector
    page = up.request("GET", _stored(up, example_site, "courriel masqué", "192.0.2.3"))
    assert page.status == 200
    assert EMAIL not in page.text and "marie.dupont" not in page.text
    assert "m\u2022\u2022\u2022@exemple.fr" in page.text
    figures.add("probe", {
        "finding": "the receipt page showed e-mail addresses",
        "probe": f"an answer with {EMAIL}, its receipt page opened",
        "result": "the page shows m\u2022\u2022\u2022@exemple.fr; exports keep the address",
    })


def test_two_people_with_identical_answers_are_both_counted(
    collector: tuple[RunningCollector, str], example_site: Path, figures: Figures,
) -> None:
    up, url = collector
    wifi = {"X-Forwarded-For": "192.0.2.50"}
    first = up.post(_answer(example_site, "même wifi"), headers=wifi)
    code, key = first.headers["location"].rsplit("/", 2)[1:]
    second = up.post(_answer(example_site, "même wifi"), headers=wifi)
    seen = f"{second.headers}\n{second.text}"
    assert second.status == 409
    assert code not in seen and f"{code[:4]}-{code[4:]}" not in seen and key not in seen
    confirmed = up.post([*_answer(example_site, "même wifi"), ("_again", "1")], headers=wifi)
    assert confirmed.status == 303 and code not in confirmed.headers["location"]
    again = up.post(_answer(example_site, "même wifi"),
                    headers={**wifi, "Cookie": first.headers["set-cookie"].split(";")[0]})
    assert again.headers.get("location") == first.headers["location"]
    assert _rows(url, "même wifi") == 2
    figures.add("probe", {
        "finding": "the second of two people on one address got the first one's receipt",
        "probe": "the same answers twice from one address, without the first browser's "
                 "cookie; then confirmed; then again with the first browser's cookie",
        "result": "409 and the form back, no code, key or link of the first; confirmed, 2 "
                  "rows; the first browser sending again gets its own receipt, no new row",
    })


@pytest.mark.parametrize("shape", ["code", "link"])
def test_no_redirect_is_built_from_a_hostile_host(
    collector: tuple[RunningCollector, str], example_site: Path, figures: Figures, shape: str,
) -> None:
    up, _ = collector
    link = _stored(up, example_site, f"hôte {shape}", "192.0.2.4")
    path = (link.rsplit("/", 1)[0] if shape == "code" else link) + "/"
    reply = up.request("GET", path, headers={"Host": "evil.example"})
    location = reply.headers.get("location", "")
    assert reply.status == 307, reply.status
    assert location == path.rstrip("/"), location
    if shape == "link":
        figures.add("probe", {
            "finding": "a trailing-slash redirect built from the Host header",
            "probe": "GET /collect/<code>/ and /collect/<code>/<key>/ with Host: evil.example",
            "result": f"307 to the path itself ({location.rsplit('/', 2)[0]}/…), no host",
        })
