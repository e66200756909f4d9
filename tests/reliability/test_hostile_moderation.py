"""Hostile structure, the moderation pages (issue #16): every request of
``hostile_moderation.py`` sent as raw bytes to a real ``parole collect`` (uvicorn, SQLite) whose
form names its consent to be quoted and has one answer waiting, judged as ``test_hostile.py``
judges its corpus: the documented status, never a 5xx, the collector's own page (no traceback,
no markup sent back unescaped), nothing stored (no answer, and no verdict either).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.collector_support import ADMIN_TOKEN, hidden_fields, running_collector
from tests.moderation_support import FORM_ID, PAGE, Moderator, moderation_site, quoted, send_answer
from tests.moderation_support import verdicts as stored_verdicts
from tests.reliability.figures import Figures
from tests.reliability.hostile_cases import Case
from tests.reliability.hostile_moderation import (
    SIGN_IN_CATEGORY,
    VERDICT_CATEGORY,
    sign_in_cases,
    verdict_cases,
)
from tests.reliability.test_hostile import Target, memory_of, run

CATEGORIES = (SIGN_IN_CATEGORY, VERDICT_CATEGORY)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Target, Moderator]]:
    """The collector, and a moderator signed in to it (whose session the verdict cases use)."""
    folder = tmp_path_factory.mktemp("hostile-moderation")
    site = moderation_site(folder)
    database = f"sqlite:///{folder / 'answers.db'}"
    with running_collector(site, database, folder, args=["--rate-limit", "0"]) as collector:
        assert collector.process is not None
        send_answer(collector, site, quoted("Des arbres, beaucoup d'arbres."))
        moderator = Moderator(collector)
        assert moderator.sign_in().status == 303
        yield (Target(collector, database, hidden_fields(site, FORM_ID)[1][1],
                      memory_of(collector.process.pid)), moderator)


def cases_of(category: str, moderator: Moderator) -> list[Case]:
    if category == SIGN_IN_CATEGORY:
        return sign_in_cases(ADMIN_TOKEN)
    shown = moderator.shown()
    csrf = shown.pop("_csrf")
    assert moderator.cookie
    return verdict_cases(PAGE, moderator.cookie, csrf, shown)


def test_the_cases_are_distinct_and_documented() -> None:
    shown = {"receipt": "ABCD2345", "field": "idee", "digest": "d" * 64}
    cases = sign_in_cases(ADMIN_TOKEN) + verdict_cases(PAGE, "c" * 60, "1" * 64, shown)
    names = [(case.category, case.name) for case in cases]
    assert len(set(names)) == len(names), "two cases have the same name"
    assert len({case.request for case in cases}) == len(cases), "two cases send one request"
    assert all(400 <= case.status < 500 or case.status == 303 for case in cases)
    assert len(cases) >= 70, len(cases)


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_hostile_moderation_request_gets_its_documented_answer(
    target: tuple[Target, Moderator], category: str, figures: Figures
) -> None:
    collector, moderator = target
    before = len(stored_verdicts(collector.database))
    results = [run(collector, case) for case in cases_of(category, moderator)]
    after = len(stored_verdicts(collector.database))
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
    assert after == before, f"{after - before} verdict(s) stored by hostile requests"
    # the session still works: nothing above broke it
    assert moderator.send("GET", PAGE).status == 200
