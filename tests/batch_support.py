"""The mediators' batches over HTTP, for tests: mediators added to the database as
``parole mediators add`` does, a mediator's session (sign in with the code, then its cookie and
CSRF token on every request), and a collector in this process on fixed days (goldens). Then
what test_entry_batches*.py share: the example site built on an open day and its database
(fixtures), a page's main text and status line, a batch opened and a sheet typed over HTTP.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from site_builder.collector.entry import codes
from site_builder.collector.settings import Collector, Settings
from site_builder.storage import open_storage
from site_builder.storage.base import Storage
from tests.collector_support import Reply, RunningCollector, collector_in_thread
from tests.support import REPO, build_site

AREA = "/collect/saisie"
"""The example site's mediators' area (French)."""
DAY = date(2027, 1, 10)
"""An open day of the example consultation (2027-01-04 → 2027-02-28)."""
NOON = datetime(2027, 1, 10, 11, 0, tzinfo=UTC)
SHEET_ONE = [("frequence", "semaine"), ("usages", "marche"), ("usages", "enfants"),
             ("ombre", "4"), ("age", "42"), ("quartier", "Les Tilleuls")]
"""A sheet's answers as typed: a few questions answered, the others left blank."""
MEDIATHEQUE = "Médiathèque, 12 rue des Écoles"
_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
_COOKIE = re.compile(r"parole_entry=([^;]*)")
_SHEET = re.compile(r'name="_sheet" value="(\d+)"')


def add_mediator(database_url: str, name: str, *, coordinator: bool = False) -> str:
    """Add a mediator to the database; their access code (as ``parole mediators add``)."""
    code = codes.new_code()
    storage = open_storage(database_url)
    try:
        storage.add_mediator(name, "coordinator" if coordinator else "mediator",
                             codes.digest(code), datetime.now(UTC))
    finally:
        storage.close()
    return code


@dataclass
class MediatorSession:
    """One mediator's browser, as plain HTTP: the session cookie once signed in, and the CSRF
    token of the last page read."""

    collector: RunningCollector
    area: str = AREA
    cookie: str = ""
    csrf: str = ""
    pages: list[Reply] = field(default_factory=list)

    def sign_in(self, code: str) -> Reply:
        reply = self.collector.post([("code", code)], path=f"{self.area}/sign-in")
        assert reply.status == 303, reply.text
        found = _COOKIE.search(reply.headers.get("set-cookie", ""))
        assert found, reply.headers
        self.cookie = found.group(1)
        self.get(f"{self.area}/")
        return reply

    def get(self, path: str) -> Reply:
        reply = self.collector.request("GET", path, headers=self._headers())
        self._read(reply)
        return reply

    def post(self, path: str, pairs: Sequence[tuple[str, str]], *,
             csrf: bool = True) -> Reply:
        sent = [*(([("_csrf", self.csrf)]) if csrf else []), *pairs]
        reply = self.collector.request("POST", path, urlencode(sent).encode("utf-8"), {
            **self._headers(), "Content-Type": "application/x-www-form-urlencoded"})
        self._read(reply)
        return reply

    def follow(self, reply: Reply) -> Reply:
        """The page a 303 leads to."""
        assert reply.status == 303, (reply.status, reply.text)
        return self.get(reply.headers["location"])

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"parole_entry={self.cookie}"} if self.cookie else {}

    def _read(self, reply: Reply) -> None:
        self.pages.append(reply)
        found = _CSRF.search(reply.text) if reply.body else None
        if found:
            self.csrf = found.group(1)


def shown_sheet(page: str) -> int:
    """The sheet number an entry screen is for (its hidden ``_sheet``)."""
    found = _SHEET.search(page)
    assert found, "no entry form on this page"
    return int(found.group(1))


def sheet_form_fields(page: str) -> list[tuple[str, str]]:
    """The entry form's hidden ``_form``, ``_version``, ``_sheet`` and ``_typing`` (the
    typing's key, last), as the page has them (``_csrf`` is added by ``MediatorSession.post``)."""
    return [(name, value) for name, value in re.findall(
        r'<input type="hidden" name="(_form|_version|_sheet|_typing)" value="([^"]*)">', page)]


def new_batch_pairs(*, form: str = "avis-place", place: str = "Médiathèque, 12 rue des Écoles",
                    other: str = "", day: str = "10/01/2027",
                    sheets: str = "3") -> list[tuple[str, str]]:
    pairs = [("form", form), ("collected_on", day), ("sheets_counted", sheets)]
    if place:
        pairs.append(("place", place))
    if other:
        pairs.append(("place_other", other))
    return pairs


class _KeptOpen:
    """The test's storage as the collector's: the collector closes its storage when it stops,
    and the test still reads this one afterwards (then closes it itself)."""

    def __init__(self, storage: Storage | Any) -> None:
        self.storage = storage

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)


@contextmanager
def collector_in_process(site_dir: Path, storage: Storage | Any, *, today: date = DAY,
                         now: datetime = NOON, preview: bool = False
                         ) -> Iterator[RunningCollector]:
    """A collector on ``storage`` in a uvicorn thread of this process, its clock stopped at
    ``now`` and its day ``today`` (pages then never change with the calendar)."""
    settings = Settings(site_dir=site_dir, rate_limit=0, today=lambda: today,
                        now=lambda: now, preview=preview)
    with collector_in_thread(Collector(settings, _KeptOpen(storage)), site_dir / "log") as up:
        yield up


# --- what the batch test modules share ---------------------------------------------------------

def main_text(html: str) -> str:
    """A page's main text, tags removed and spaces collapsed (no-break spaces as spaces)."""
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).replace("\u00a0", " ").replace(
        "\u202f", " ").split())


def main_html(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def status_line(html: str) -> str:
    found = re.search(r'<p class="p-status" role="status">(.*?)</p>', html, re.DOTALL)
    assert found, "no status line"
    # the receipt code is bold, its hyphen one that does not break
    line = re.sub(r'<strong dir="ltr">([^<]*)</strong>', r"\1", found.group(1))
    return line.replace("\u00a0", " ").replace("\u2011", "-")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example consultation built on an open day, so pages do not change with the date."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAROLE_BUILD_DATE", DAY.isoformat())
        return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("batches") / "site")


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'answers.db'}"


@pytest.fixture
def storage(database: str) -> Iterator[Storage]:
    opened = open_storage(database)
    yield opened
    opened.close()


def type_on_screen(session: MediatorSession, batch_id: int,
                   answers: list[tuple[str, str]]) -> tuple[Any, Any]:
    """Type a sheet on the batch's entry screen; the reply to the post and the next screen."""
    path = f"{AREA}/batches/{batch_id}/sheet"
    screen = session.get(path)
    assert screen.status == 200, screen.text
    saved = session.post(path, [*sheet_form_fields(screen.text), *answers])
    return saved, session.follow(saved) if saved.status == 303 else None


def post_new_batch(session: MediatorSession, **pairs: str) -> int:
    reply = session.post(f"{AREA}/batches/new", new_batch_pairs(**pairs))
    assert reply.status == 303, reply.text
    found = re.fullmatch(rf"{AREA}/batches/(\d+)/sheet", reply.headers["location"])
    assert found, reply.headers["location"]
    return int(found.group(1))


@contextmanager
def alice_signed_in(database: str, site: Path, storage: Storage | Any,
                    **options: Any) -> Iterator[MediatorSession]:
    """Alice, a mediator added to ``database``, signed in to a collector of ``site`` running in
    this process on ``storage`` (``options`` as for ``collector_in_process``)."""
    code = add_mediator(database, "Alice")
    with collector_in_process(site, storage, **options) as up:
        alice = MediatorSession(up)
        alice.sign_in(code)
        yield alice


def site_with(site: Path, copy: Path, **manifest_changes: Any) -> Path:
    """A copy of ``site`` whose form manifest has ``manifest_changes``."""
    shutil.copytree(site, copy)
    manifest_file = copy / "forms" / "avis-place.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest_file.write_text(json.dumps({**manifest, **manifest_changes}, ensure_ascii=False),
                             encoding="utf-8")
    (copy / "forms" / "avis-place.json.gz").unlink(missing_ok=True)
    return copy
