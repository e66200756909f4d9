"""The moderation pages' tests: a consultation whose form names its consent to be quoted, its
answers sent to a real ``parole collect``, and a browser-like client of ``/admin/moderation/``
that keeps its session cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

from site_builder.collector.moderation.session import SESSION_COOKIE
from site_builder.storage import open_storage
from site_builder.storage.moderation import Verdict
from tests.collector_support import ADMIN_TOKEN, Reply, RunningCollector, hidden_fields
from tests.support import build_site, write_site

HOME = "/admin/moderation/"
FORM_ID = "avis-citations"
"""The form whose answers may be quoted (``publish_consent: citation``)."""
OTHER_FORM = "sondage"
"""A form that does not ask for consent to quote: nothing of it is moderated."""
PAGE = f"/admin/moderation/{FORM_ID}"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF = re.compile(r'name="_csrf" value="([0-9a-f]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(receipt|field|digest)" value="([^"]*)">')
ADDRESSES = count(1)

FORMS_PAGE = """\
# Donner mon avis

```form
id: avis-citations
title: La place du Marché
publish_consent: citation
fields:
  - id: idee
    type: textarea
    label: Quelle idée avez-vous pour la place ?
  - id: souvenir
    type: text
    label: Un souvenir de la place ?
  - id: age
    type: number
    label: Quel âge avez-vous ?
  - id: citation
    type: consent
    label: J'accepte que mes réponses écrites soient citées, sans mon nom.
```

```form
id: sondage
title: Le marché du samedi
fields:
  - id: remarque
    type: textarea
    label: Une remarque sur le marché ?
```
"""


def moderation_site(folder: Path) -> Path:
    """The consultation, built (French, open from 2027-01-04 to 2027-02-28)."""
    config = write_site(folder, {"index.md": "# Accueil\n\nLa consultation.\n",
                                 "donner-mon-avis.md": FORMS_PAGE},
                        theme={"name": "parole", "language": "fr"},
                        plugins=[{"parole": {"opens": "2027-01-04", "closes": "2027-02-28"}}])
    return build_site(config, folder / "site")


def send_answer(collector: RunningCollector, site: Path, values: Sequence[tuple[str, str]],
                form_id: str = FORM_ID) -> str:
    """An answer sent as a citizen sends it; its receipt code as stored."""
    reply = collector.post([*hidden_fields(site, form_id), *values],
                           headers={"X-Forwarded-For": f"192.0.2.{next(ADDRESSES) % 250 + 1}"})
    assert reply.status == 303, reply.text
    return reply.headers["location"].rsplit("/", 2)[1].replace("-", "")


def quoted(idee: str, souvenir: str = "") -> list[tuple[str, str]]:
    """An answer whose author agrees to be quoted."""
    return [("idee", idee), ("souvenir", souvenir), ("citation", "yes")]


def verdicts(url: str, form_id: str = FORM_ID) -> list[Verdict]:
    storage = open_storage(url)
    try:
        return list(storage.verdicts(form_id))
    finally:
        storage.close()


@dataclass
class Moderator:
    """One browser of the moderation pages: its own address (wrong tokens count per client),
    its session cookie."""

    collector: RunningCollector
    address: str = field(default_factory=lambda: f"198.51.100.{next(ADDRESSES) % 250 + 1}")
    cookie: str | None = None
    set_cookie: str = ""

    def send(self, method: str, path: str, pairs: Sequence[tuple[str, str]] | None = None,
             headers: Mapping[str, str] | None = None) -> Reply:
        sent = {"X-Forwarded-For": self.address, **(FORM if pairs is not None else {}),
                **({"Cookie": f"{SESSION_COOKIE}={self.cookie}"} if self.cookie else {}),
                **(headers or {})}
        body = urlencode(list(pairs)).encode("utf-8") if pairs is not None else b""
        reply = self.collector.request(method, path, body, dict(sent))
        self.set_cookie = reply.headers.get("set-cookie", "")
        if self.set_cookie.startswith(f"{SESSION_COOKIE}="):
            value = self.set_cookie.split(";")[0].partition("=")[2].strip('"')
            self.cookie = value or None
        return reply

    def sign_in(self, token: str = ADMIN_TOKEN, name: str = "Awa Diallo",
                headers: Mapping[str, str] | None = None) -> Reply:
        return self.send("POST", f"{HOME}sign-in", [("token", token), ("name", name)], headers)

    def csrf(self, path: str = HOME) -> str:
        found = CSRF.search(self.send("GET", path).text)
        assert found, f"no CSRF token on {path}"
        return found[1]

    def shown(self, path: str = PAGE) -> dict[str, str]:
        """The CSRF token and the hidden fields of the verdict form on ``path``."""
        page = self.send("GET", path)
        assert page.status == 200, page.status
        token = CSRF.search(page.text)
        assert token, "no CSRF token"
        return {"_csrf": token[1], **dict(HIDDEN.findall(page.text))}

    def decide(self, fields: Sequence[tuple[str, str]], path: str = PAGE) -> Reply:
        """The verdict form about the answer ``path`` shows, filled with ``fields``."""
        return self.send("POST", path, [*self.shown(path).items(), *fields])


@contextmanager
def signed_in(collector: RunningCollector, name: str = "Awa Diallo") -> Iterator[Moderator]:
    moderator = Moderator(collector)
    assert moderator.sign_in(name=name).status == 303
    yield moderator


def main_text(reply: Reply) -> str:
    """The text of the page's ``<main>``, tags removed, spaces collapsed."""
    main = reply.text.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main.partition(">")[2]).split())
