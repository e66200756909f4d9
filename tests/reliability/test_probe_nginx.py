"""Probed from outside, through the shipped nginx (issue #13): the findings nginx answers.

- No Strict-Transport-Security: over HTTPS (a self-signed certificate, as certbot sets one up
  in the server block) every reply now carries it, pages, the site's 404 and the collector's
  replies alike; over plain HTTP none does (browsers ignore it there).
- A rate limit per collector process lets N collectors on one PostgreSQL allow N times the
  limit: nginx's ``limit_req`` counts per address for every collector behind it, and answers
  429 with the site's own page (``429.html``, built by the theme) in its language.

The collector here runs with its own limit off, as if many collectors shared the load: what
holds is nginx's. Each finding adds a row to the ``probe`` table of docs/RELIABILITY.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.collector_support import VALID_ANSWER, RunningCollector, hidden_fields, running_collector
from tests.reliability.figures import Figures
from tests.reliability.nginx_support import RunningNginx, running_nginx
from tests.storage_support import raw_sql

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
