"""The mediators' area in the access suite (``test_access.py``): which of its routes need what,
and a client that signs in and keeps its session.

Every route of the area is one line of ``AREA_ENDPOINTS``: its endpoint and its kind.
``test_access.py`` then checks each route, by each method it answers, with no session, with
a made-up session, with the session of a code revoked since, and (for posts) without the CSRF
token, with a wrong one, with another session's, from another site; and a coordinator's route
with a mediator's session. A route missing from the table fails ``test_every_route_is_known``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from site_builder.collector.entry import (
    access,
    assisted,
    batch_new,
    batch_sheet,
    codes,
    review,
    review_sheets,
    routing,
)
from site_builder.storage import open_storage
from tests.collector_support import Reply, RunningCollector

AREA = "/collect/saisie"
"""The example site's area (a French site)."""
AREA_DOOR = "mediators' area door"
"""Open to anyone while the area has a mediator: the home (the sign-in form), signing in."""
AREA_SIGNED = "mediators' area"
"""A signed-in mediator only; a post also needs the session's CSRF token."""
AREA_COORDINATOR = "mediators' area, coordinators"
"""A signed-in coordinator only (a post from a mediator's session is refused)."""
AREA_KINDS = (AREA_DOOR, AREA_SIGNED, AREA_COORDINATOR)

AREA_ENDPOINTS: dict[Callable[..., Any], str] = {
    routing.home: AREA_DOOR,
    access.to_home: AREA_DOOR,
    access.sign_in: AREA_DOOR,
    access.sign_out: AREA_SIGNED,
    batch_new.new_batch: AREA_SIGNED,
    batch_sheet.sheet_screen: AREA_SIGNED,
    review.show_batch: AREA_SIGNED,
    review.recount: AREA_COORDINATOR,
    review.close: AREA_COORDINATOR,
    review_sheets.show_sheet: AREA_SIGNED,
    review_sheets.resolve: AREA_COORDINATOR,
    review_sheets.send_back: AREA_COORDINATOR,
    review_sheets.again: AREA_SIGNED,
    review_sheets.correct: AREA_COORDINATOR,
    review_sheets.delete: AREA_COORDINATOR,
    assisted.assisted: AREA_SIGNED,
}
"""Every endpoint of the area and its kind: one line per endpoint."""
AREA_PATH_EXAMPLES = {"batch_id": "1", "receipt": "ABCD2345", "form_id": "avis-place"}
"""A value for each path parameter of the area's routes: refusals come before any lookup, so
they need not exist."""
CSRF = re.compile(r'name="_csrf" value="([0-9a-f]+)"')
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PRIVATE_MARKS = ("Session ouverte", 'name="_csrf"')
"""What only a signed-in mediator's page shows."""


def concrete(path: str, examples: Mapping[str, str] = AREA_PATH_EXAMPLES) -> str:
    """``path`` with each ``{parameter}`` (or ``{parameter:converter}``) replaced by its
    example; an AssertionError names a parameter that has none."""
    def example(match: re.Match[str]) -> str:
        assert match[1] in examples, f"give {{{match[1]}}} an example in AREA_PATH_EXAMPLES"
        return examples[match[1]]

    return PARAMETER.sub(example, path)


@dataclass
class Visitor:
    """One client of the area: its own address (wrong codes count per client), its cookie."""

    collector: RunningCollector
    address: str
    cookie: str | None = None
    csrf: str = ""
    """The CSRF token of its session, once signed in."""

    def send(self, method: str, path: str, pairs: Sequence[tuple[str, str]] | None = None,
             headers: Mapping[str, str] | None = None) -> Reply:
        sent = {"X-Forwarded-For": self.address, **(FORM if pairs is not None else {}),
                **({"Cookie": f"{access.SESSION_COOKIE}={self.cookie}"} if self.cookie else {}),
                **(headers or {})}
        body = urlencode(list(pairs)).encode("ascii") if pairs is not None else b""
        return self.collector.request(method, path, body, dict(sent))

    def sign_in(self, code: str) -> None:
        reply = self.send("POST", f"{AREA}/sign-in", [("code", code)])
        assert reply.status == 303, f"signing in: {reply.status}"
        self.cookie = reply.headers["set-cookie"].split(";")[0].partition("=")[2].strip('"')
        home = self.send("GET", f"{AREA}/")
        found = CSRF.search(home.text)
        assert home.status == 200 and found, "no CSRF token on the signed-in home"
        self.csrf = found[1]


@dataclass
class Mediators:
    """The area's people: a mediator, a coordinator, and one whose code was revoked after
    signing in; each signed in from their own address."""

    mediator: Visitor
    coordinator: Visitor
    revoked: Visitor
    revoked_code: str
    made_up: Visitor
    """A session cookie no one was given."""
    nobody: Visitor
    """No cookie."""
    addresses: list[str] = field(default_factory=list)


def add_mediator(url: str, name: str, role: str = "mediator") -> str:
    code = codes.new_code()
    storage = open_storage(url)
    try:
        storage.add_mediator(name, role, codes.digest(code), datetime.now(UTC))
    finally:
        storage.close()
    return code


def revoke(url: str, name: str) -> None:
    storage = open_storage(url)
    try:
        assert storage.revoke_mediator(name, datetime.now(UTC))
    finally:
        storage.close()


def mediators_of(collector: RunningCollector, url: str) -> Mediators:
    """Sign three mediators in to ``collector`` (database ``url``), then revoke the third."""
    people = {}
    for number, (name, role) in enumerate((("Awa", "mediator"), ("Bruno", "coordinator"),
                                           ("Zoé", "mediator"))):
        code = add_mediator(url, name, role)
        visitor = Visitor(collector, f"203.0.113.{number + 1}")
        visitor.sign_in(code)
        people[name] = (visitor, code)
    revoke(url, "Zoé")
    return Mediators(mediator=people["Awa"][0], coordinator=people["Bruno"][0],
                     revoked=people["Zoé"][0], revoked_code=people["Zoé"][1],
                     made_up=Visitor(collector, "203.0.113.10", codes.new_token(), "0" * 64),
                     nobody=Visitor(collector, "203.0.113.11"))


def shows_private(reply: Reply) -> bool:
    text = reply.body.decode("utf-8", "replace")
    return any(mark in text for mark in PRIVATE_MARKS)


def sent_to_sign_in(reply: Reply) -> bool:
    """A 303 to the area's home, where the sign-in form is, showing nothing."""
    return reply.status == 303 and reply.headers.get("location") == f"{AREA}/" \
        and not shows_private(reply)
