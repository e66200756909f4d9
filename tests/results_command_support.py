"""What the ``parole results`` tests share: a consultation whose every figure is known, stored
through the real storage (online, assisted and paper answers, a batch typed in after the
consultation closed), ``parole results`` run as a process, and the file it writes read back.

The form ``budget`` (Europe/Paris, open 1 to 10 March 2025, quotes allowed by ``citation``):

| | online (20) | assisted (1) | paper (5, collected 5 March, typed 12 March) |
|---|---|---|---|
| quartier | nord 12, centre 6, none 2 | nord | sud 4, spoiled 1 |
| services | a+b 12, a 6, [] 2 | b | blank 4, c 1 |
| accord | "3": 12, "1": 6, none 2 | "2" | "2": 4, blank 1 |
| idee | 12 texts ("Idée 0" … "Idée 11") | none | "Idée papier 0" … 1, then none |
| email | 12 addresses | none | none |
| citation | the even ones among the 12 | none | the 2 with an idée |

Days (Paris): 2 March 12 online, 3 March 6 online, 4 March 2 online (sent 3 March 23:30 UTC)
and the assisted one, 5 March the 5 paper sheets.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from site_builder.forms.manifest import manifest_data
from site_builder.forms.model import Field, Form, Option
from site_builder.storage import open_storage
from site_builder.storage.base import Duplicates, Marks, NewAnswer, Storage, Values
from site_builder.storage.entry import NewBatch, SheetEntry

PAROLE = [sys.executable, "-m", "site_builder.cli"]
FORM_ID = "budget"
OPENS, CLOSES = date(2025, 3, 1), date(2025, 3, 10)
COLLECTED = date(2025, 3, 5)
TYPED = datetime(2025, 3, 12, 9, tzinfo=UTC)


def _field(field_id: str, kind: str, label: str, *options: str, **keys: Any) -> Field:
    return Field(id=field_id, type=kind, label=label, label_html=label,
                 options=tuple(Option(value, value.upper()) for value in options), **keys)


FORM = Form(FORM_ID, "Le budget du quartier", (
    _field("quartier", "choice", "Votre quartier", "nord", "sud", "centre"),
    _field("services", "choices", "Quels services ?", "a", "b", "c"),
    _field("accord", "scale", "D'accord ?", min=1, max=3),
    _field("idee", "textarea", "Votre idée"),
    _field("email", "email", "Votre adresse"),
    _field("citation", "consent", "J'accepte d'être cité"),
), publish_consent="citation")
ONLINE_FORM = Form("atelier", "L'atelier", (
    _field("jour", "choice", "Quel jour ?", "lundi", "mardi", "jeudi"),
))
"""Online answers only: lundi 10, mardi 7, jeudi 2, none 6."""


def manifest_text(form: Form) -> str:
    return json.dumps(manifest_data(form, page_url=f"{form.id}/", language="fr", opens=OPENS,
                                    closes=CLOSES, time_zone="Europe/Paris"),
                      ensure_ascii=False)


def online(storage: Storage, values: Values, received_at: datetime, *, form: Form = FORM,
           channel: str = "online", key: str = "") -> str:
    """Store one answer; its receipt."""
    return storage.store(NewAnswer(
        form.id, form.version, values, channel, received_at, None,
        f"{form.id}-{received_at.isoformat()}-{key}-{sorted(values.items())}",
        entered_by="Awa" if channel == "assisted" else None), Duplicates()).answer.receipt


def paper_batch(storage: Storage, sheets: list[tuple[Values, Marks]], *,
                collected_on: date = COLLECTED, place: str = "Mairie annexe") -> list[str]:
    """A batch of ``sheets`` collected on ``collected_on``, typed in once each on ``TYPED``;
    their receipts."""
    batch = storage.create_batch(NewBatch(FORM_ID, place, collected_on, len(sheets), "Awa",
                                          TYPED))
    receipts = []
    for number, (values, marks) in enumerate(sheets):
        entry = SheetEntry(batch.id, "Awa", values, marks, FORM.version, TYPED, None,
                           f"sheet-{place}-{number}")
        receipts.append(storage.enter_sheet(entry, double=False).sheet.receipt)
    return receipts


def idea(number: int) -> str:
    return f"Idée {number} : plus de bancs près de l'école"


def fill(url: str) -> dict[str, list[str]]:
    """The consultation of the module docstring in the database at ``url``; the receipts of
    the online answers with an idée, and of the paper sheets."""
    storage = open_storage(url)
    try:
        storage.register_form(FORM_ID, FORM.version, manifest_text(FORM))
        storage.register_form(ONLINE_FORM.id, ONLINE_FORM.version, manifest_text(ONLINE_FORM))
        storage.add_mediator("Awa", "coordinator", "digest-of-awa", TYPED)
        ideas = []
        for number in range(12):
            values: Values = {"quartier": ["nord"], "services": ["a", "b"], "accord": ["3"],
                              "idee": [idea(number)], "email": [f"personne{number}@exemple.fr"]}
            if number % 2 == 0:
                values["citation"] = ["yes"]
            ideas.append(online(storage, values, datetime(2025, 3, 2, 9, number, tzinfo=UTC)))
        for number in range(6):
            online(storage, {"quartier": ["centre"], "services": ["a"], "accord": ["1"]},
                   datetime(2025, 3, 3, 10, number, tzinfo=UTC))
        for number in range(2):
            online(storage, {"services": []}, datetime(2025, 3, 3, 23, 30 + number, tzinfo=UTC))
        online(storage, {"quartier": ["nord"], "services": ["b"], "accord": ["2"]},
               datetime(2025, 3, 4, 15, tzinfo=UTC), channel="assisted")
        sheets: list[tuple[Values, Marks]] = [
            ({"quartier": ["sud"], "accord": ["2"], "idee": [f"Idée papier {number}"],
              "citation": ["yes"]} if number < 2 else {"quartier": ["sud"], "accord": ["2"]},
             {"services": "blank"})
            for number in range(4)]
        sheets.append(({"services": ["c"]}, {"quartier": "spoiled", "accord": "blank"}))
        paper = paper_batch(storage, sheets)
        days = ["lundi"] * 10 + ["mardi"] * 7 + ["jeudi"] * 2 + [""] * 6
        for number, day in enumerate(days):
            online(storage, {"jour": [day]} if day else {},
                   datetime(2025, 3, 2, 8, number, tzinfo=UTC), form=ONLINE_FORM)
    finally:
        storage.close()
    return {"ideas": ideas, "paper": paper}


def parole(*args: str, cwd: Path, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    """``parole ARGS`` as a process, in ``cwd``, its messages in ``lang``."""
    return subprocess.run([*PAROLE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": lang,
                               "PAROLE_BUILD_DATE": "2025-04-01"})


def results(url: str, site: Path, *extra: str, lang: str = "C.UTF-8",
            ) -> subprocess.CompletedProcess[str]:
    """``parole results --db URL`` run in ``site`` (which holds mkdocs.yml, or not)."""
    return parole("results", "--db", url, *extra, cwd=site, lang=lang)


def written(site: Path, form_id: str = FORM_ID, docs: str = "docs") -> dict[str, Any]:
    """The results file ``parole results`` wrote, as JSON."""
    data: dict[str, Any] = json.loads(
        (site / docs / "parole-results" / f"{form_id}.json").read_text(encoding="utf-8"))
    return data


def site_folder(path: Path, *, min_count: int | str | None = None,
                docs_dir: str | None = None) -> Path:
    """A site's folder: mkdocs.yml (with a tag only MkDocs' own loader knows, as real
    configurations have) and its docs folder."""
    path.mkdir(parents=True, exist_ok=True)
    lines = ["site_name: Budget", "markdown_extensions:", "  - pymdownx.emoji:",
             "      emoji_index: !!python/name:material.extensions.emoji.twemoji",
             "plugins:", "  - search", "  - parole:", "      language: fr"]
    if min_count is not None:
        lines += ["      results:", f"        min_count: {min_count}"]
    if docs_dir is not None:
        lines.insert(1, f"docs_dir: {docs_dir}")
    (path / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (path / (docs_dir or "docs")).mkdir(exist_ok=True)
    return path
