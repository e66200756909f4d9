"""Hostile structure, the languages a mediator gives (issue #18): every request of
``hostile_languages.py`` sent as raw bytes, with a signed-in mediator's cookie and token, to a
real ``parole collect`` (uvicorn, SQLite) of the three-language sample site, judged as
``test_hostile.py`` judges its corpus: the documented status, never a 5xx, the collector's own
page (no traceback, no markup sent back unescaped); no batch opened; and every answer stored
is in one of the form's languages, never the text posted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.batch_support import MediatorSession, add_mediator
from tests.collector_support import running_collector
from tests.reliability.figures import Figures
from tests.reliability.hostile_cases import Case
from tests.reliability.hostile_languages import (
    ADDRESS_CATEGORY,
    ASSISTED,
    ASSISTED_CATEGORY,
    BATCH_CATEGORY,
    FORM_ID,
    address_cases,
    assisted_cases,
    batch_cases,
)
from tests.reliability.test_hostile import Target, memory_of, run
from tests.storage_support import raw_sql
from tests.support import REPO, build_site

CATEGORIES = (BATCH_CATEGORY, ASSISTED_CATEGORY, ADDRESS_CATEGORY)
HIDDEN = re.compile(r'<input type="hidden" name="(_csrf|_form|_version|_language)"'
                    r' value="([^"]*)">')


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Target, MediatorSession]]:
    """The collector of the sample site, and a mediator signed in to it."""
    folder = tmp_path_factory.mktemp("hostile-languages")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAROLE_BUILD_DATE", "2027-01-10")  # an open day of the consultation
        site = build_site(REPO / "tests/sites/multilingual/mkdocs.yml", folder / "site")
    database = f"sqlite:///{folder / 'answers.db'}"
    code = add_mediator(database, "Awa")
    with running_collector(site, database, folder, args=["--rate-limit", "0"]) as collector:
        assert collector.process is not None
        awa = MediatorSession(collector)
        awa.sign_in(code)
        hidden = dict(HIDDEN.findall(awa.get(ASSISTED).text))
        yield (Target(collector, database, hidden["_version"],
                      memory_of(collector.process.pid)), awa)


def cases_of(category: str, awa: MediatorSession) -> list[Case]:
    page = dict(HIDDEN.findall(awa.get(ASSISTED).text))  # a fresh token, the form's fields
    if category == BATCH_CATEGORY:
        return batch_cases(awa.cookie, page["_csrf"])
    if category == ASSISTED_CATEGORY:
        return assisted_cases(awa.cookie, [(name, page[name])
                                           for name in ("_csrf", "_form", "_version")])
    return address_cases(awa.cookie)


def test_the_cases_are_distinct_and_documented() -> None:
    hidden = [("_csrf", "1" * 64), ("_form", FORM_ID), ("_version", "v")]
    cases = batch_cases("c" * 43, "1" * 64) + assisted_cases("c" * 43, hidden) + \
        address_cases("c" * 43)
    names = [(case.category, case.name) for case in cases]
    assert len(set(names)) == len(names), "two cases have the same name"
    assert len({case.request for case in cases}) == len(cases), "two cases send one request"
    assert len(cases) >= 30, len(cases)


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_hostile_language_gets_its_documented_answer(
    target: tuple[Target, MediatorSession], category: str, figures: Figures
) -> None:
    collector, awa = target
    results = [run(collector, case) for case in cases_of(category, awa)]
    figures.add("hostile", {
        "category": category,
        "cases": len(results),
        "expected statuses": ", ".join(sorted({str(r.case.status) for r in results})),
        "5xx": sum(r.reply.status >= 500 for r in results),
        "answers stored": sum(r.after.counted - r.before.counted for r in results),
        "answers quarantined": sum(r.after.quarantined - r.before.quarantined for r in results),
    })
    failed = [r for r in results if r.problems]
    assert not failed, f"{len(failed)} of {len(results)} {category} cases did not hold:\n" + \
        "\n".join(f"- {r.case.name}: {'; '.join(r.problems)}" for r in failed)
    assert raw_sql(collector.database, "SELECT count(*) FROM batches") == [(0,)]
    languages = {language for (language,) in raw_sql(
        collector.database, "SELECT DISTINCT language FROM answers")}
    assert languages <= {"fr"}, languages  # every hostile value read as the form's own
    if category == ADDRESS_CATEGORY:
        chosen = {dict(HIDDEN.findall(result.reply.body.decode()))["_language"]
                  for result in results}
        assert chosen <= {"fr", "ar"}, chosen  # two languages in the address: one of them
    assert awa.get(f"{ASSISTED}?language=ar").status == 200  # the session still works
