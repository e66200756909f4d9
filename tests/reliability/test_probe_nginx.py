"""Probed from outside, through the shipped nginx (issue #13): the findings nginx answers.

- No Strict-Transport-Security: over HTTPS (a self-signed certificate, as certbot sets one up
  in the server block) every reply now carries it, pages, the site's 404 and the collector's
  replies alike; over plain HTTP none does (browsers ignore it there).
- A rate limit per collector process lets N collectors on one PostgreSQL allow N times the
  limit: nginx's ``limit_req`` counts per address for every collector behind it, and answers
  429 with the site's own page (``429.html``, built by the theme) in its language.
- The 404 page in French for a reader of the Arabic version: on the three-language sample site
  (``tests/sites/multilingual``), a missing address under ``/ar/`` gets ``/ar/404.html``, under
  ``/en/`` the English one, elsewhere the root's, with status 404 and the pages' headers, the
  configuration naming no language; a one-language site keeps its one 404 page.

The collector here runs with its own limit off, as if many collectors shared the load: what
holds is nginx's. Each finding adds a row to the ``probe`` table of docs/RELIABILITY.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.collector_support import (
    VALID_ANSWER,
    Reply,
    RunningCollector,
    hidden_fields,
    running_collector,
)
from tests.pa11y_support import built_site
from tests.reliability.figures import Figures
from tests.reliability.nginx_support import RunningNginx, running_nginx
from tests.storage_support import raw_sql
from tests.support import SITES, free_port

HSTS = "max-age=31536000"
ANSWERS_BURST = 20
"""``burst=`` of the answers' limit_req in deploy/nginx.conf."""
LOOKUPS_BURST = 30
"""``burst=`` of the receipt pages' and exports' limit_req."""
FORM_BODY = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Front:
    site: Path
    database: str
    collector: RunningCollector
    nginx: RunningNginx

    def post(self, text: str, *, client: str) -> int:
        """Post a complete answer whose idea is ``text`` from ``client``; the status."""
        pairs = [*hidden_fields(self.site),
                 *[(name, text if name == "idee" else value) for name, value in VALID_ANSWER]]
        return self.nginx.request("POST", "/collect", urlencode(pairs).encode(), FORM_BODY,
                                  source=client).status

    def stored(self) -> int:
        return int(raw_sql(self.database, "SELECT count(*) FROM answers")[0][0])


@pytest.fixture(scope="module")
def front(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    folder = tmp_path_factory.mktemp("probe-nginx")
    database = f"sqlite:///{folder / 'answers.db'}"
    with (running_collector(example_site, database, folder,
                            args=["--rate-limit", "0"]) as collector,
          running_nginx(example_site, collector.port, folder / "nginx", tls=True) as nginx):
        yield Front(example_site, database, collector, nginx)


def test_strict_transport_security_is_sent_over_https_only(front: Front,
                                                            figures: Figures) -> None:
    # Pages, the site's 404, and the collector's replies (a 405, a receipt page, the admin
    # routes) each come from another location of the file, and a location with add_header of
    # its own inherits none of the server's.
    paths = ("/", "/donner-mon-avis/", "/nulle-part/", "/collect", "/collect/ABCDEFGH",
             "/admin/stats")
    replies = {path: (front.nginx.request_tls("GET", path), front.nginx.request("GET", path))
               for path in paths}
    for path, (secure, plain) in replies.items():
        assert secure.headers.get("strict-transport-security") == HSTS, (path, secure.headers)
        # Browsers ignore it over plain HTTP (RFC 6797): nginx does not send it there.
        assert "strict-transport-security" not in plain.headers, (path, plain.headers)
        assert secure.status == plain.status, path
    figures.add("probe", {
        "finding": "no HSTS",
        "probe": "pages, the 404, the collector's and the admin replies over HTTPS and plain "
                 "HTTP through the shipped nginx with a certificate, as certbot sets it up",
        "result": f"Strict-Transport-Security: {HSTS} on all {len(replies)} over HTTPS, none "
                  "over plain HTTP (browsers ignore it there)",
    })


def test_nginx_limits_each_address_for_every_collector_behind_it(
    front: Front, figures: Figures
) -> None:
    before = front.stored()
    statuses = [front.post(f"Réunion publique {n}", client="127.0.0.9")
                for n in range(ANSWERS_BURST + 4)]
    pairs = [*hidden_fields(front.site), *VALID_ANSWER]
    refused = front.nginx.request("POST", "/collect", urlencode(pairs).encode(), FORM_BODY,
                                  source="127.0.0.9")
    other = front.post("Quelqu'un d'autre", client="127.0.0.10")
    lookups = [front.nginx.request("GET", f"/collect/ZZZZZZ{n:02d}", source="127.0.0.11").status
               for n in range(LOOKUPS_BURST + 4)]
    accepted = statuses.count(303)
    # 1 at once plus the burst, maybe one more as the bucket refills (1 every 3 s).
    assert statuses[:ANSWERS_BURST + 1] == [303] * (ANSWERS_BURST + 1), statuses
    assert accepted <= ANSWERS_BURST + 2 and statuses[-1] == 429, statuses
    assert front.stored() == before + accepted + 1, "nginx let through answers it refused"
    assert refused.status == 429
    assert '<html lang="fr"' in refused.text, refused.text[:300]
    assert "Trop de réponses en peu de temps" in refused.text, refused.text[:300]
    assert refused.headers.get("retry-after") == "60", refused.headers
    assert other == 303, f"another address, under the limit, got {other}"
    # The collector answers 404 for a receipt that does not exist; nginx holds the guesser.
    assert lookups[:LOOKUPS_BURST + 1] == [404] * (LOOKUPS_BURST + 1), lookups
    assert lookups[-1] == 429, lookups
    figures.add("probe", {
        "finding": "rate limit per collector process",
        "probe": f"{len(statuses) + 1} answers in a few seconds from one address through nginx "
                 "to a collector whose own limit is off (as N collectors would count apart)",
        "result": f"nginx let {accepted} through (its burst) and answered the rest 429 with the "
                  "site's own page in French, for every collector behind it; another address "
                  "was not held back",
    })


# -- each language's 404 page -------------------------------------------------------------------

MISSING = {
    "/ar/missing": "ar",
    "/ar/some/deep/missing": "ar",
    "/ar/missing.html": "ar",
    "/en/missing": "en",
    "/missing": "fr",
    "/faq/missing": "fr",  # a folder of the site, named like no language: no 404.html of its own
    "/xx/missing": "fr",  # named like a language the site does not have
    "/ar": None,  # the Arabic home page's folder: nginx's redirect to /ar/, no 404
}
"""Address asked for → the language of the 404 page expected (None: not a 404)."""
PAGE_HEADERS = ("x-content-type-options", "referrer-policy", "x-frame-options")
"""The headers deploy/nginx.conf adds to the site's pages, which its 404 pages must carry too."""


@pytest.fixture(scope="module")
def languages_nginx(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, RunningNginx]]:
    """nginx serving the three-language sample site (fr at the root, ar/ and en/), built strict.
    No collector behind it: only static addresses are asked for."""
    site = built_site(request, SITES / "multilingual" / "mkdocs.yml")
    with running_nginx(site, free_port(), tmp_path_factory.mktemp("nginx-languages"),
                       tls=True) as nginx:
        yield site, nginx


def _lang(reply: Reply) -> str | None:
    found = re.search(r'<html lang="([^"]+)"', reply.body.decode("utf-8", errors="replace"))
    return found.group(1) if found else None


def test_each_language_s_missing_pages_get_its_own_404(
    languages_nginx: tuple[Path, RunningNginx], figures: Figures
) -> None:
    site, nginx = languages_nginx
    page = nginx.request("GET", "/ar/faq/")
    assert page.status == 200 and all(name in page.headers for name in PAGE_HEADERS)
    for path, language in MISSING.items():
        if language is None:
            continue
        folder = "" if language == "fr" else f"{language}/"
        expected = site / folder / "404.html"
        plain = nginx.request("GET", path)
        assert (plain.status, _lang(plain)) == (404, language), (path, plain.status, _lang(plain))
        assert plain.body == expected.read_bytes(), path
        assert "location" not in plain.headers, (path, plain.headers)
        for name in PAGE_HEADERS:  # the pages' headers, on the 404 too
            assert plain.headers.get(name) == page.headers[name], (path, name, plain.headers)
        compressed = nginx.request("GET", path, headers={"Accept-Encoding": "gzip"})
        assert compressed.status == 404 and compressed.headers.get("content-encoding") == "gzip"
        assert compressed.body == expected.with_name("404.html.gz").read_bytes(), path
        head = nginx.request("HEAD", path)
        assert (head.status, head.body) == (404, b""), path
        assert head.headers.get("content-length") == str(expected.stat().st_size), path
        secure = nginx.request_tls("GET", path)
        assert (secure.status, _lang(secure)) == (404, language), path
        assert secure.headers.get("strict-transport-security") == HSTS, (path, secure.headers)
    home = nginx.request("GET", "/ar")
    assert home.status == 301 and home.headers["location"].endswith("/ar/"), home.headers
    figures.add("probe", {
        "finding": "the 404 page in French for every language",
        "probe": f"{sum(1 for value in MISSING.values() if value)} missing addresses through "
                 "the shipped nginx on a site in fr, ar and en: under /ar/, /en/, deep, at "
                 "the root, under a folder and under a language the site does not have",
        "result": "each got its language's 404.html (the root's when the folder has none) with "
                  "status 404, the pages' headers, gzip, HEAD and HSTS over HTTPS, no redirect",
    })


def test_a_one_language_site_keeps_its_one_404_page(front: Front) -> None:
    for path in ("/en/nulle-part/", "/ar/", "/nulle-part/"):
        reply = front.nginx.request("GET", path)
        assert reply.status == 404, (path, reply.status)
        assert reply.body == (front.site / "404.html").read_bytes(), path
