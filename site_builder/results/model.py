"""What a results file holds: one form's results as ``parole results`` computes them
(``compute``), writes them (``file``) into ``<docs>/parole-results/<form id>.json`` and
``parole build`` reads them back (``file_reading``). The format is documented in
docs/results.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from site_builder.results.labels import ResultWords
from site_builder.results.protect import Count

FORMAT = 2
"""The format ``parole results`` writes. 2 (issue #19) added ``checkpoint``."""
READABLE_FORMATS = (1, 2)
"""The formats the build reads: a format 1 file is read as computed without a checkpoint."""
FOLDER = "parole-results"
"""Results files live in ``<docs>/<FOLDER>/<form id>.json`` (read by the build, not published
as they are: the open data is their published form)."""
COUNTED_TYPES = ("choice", "choices", "select", "scale")
"""The closed questions: their answers are counted per option."""
FREE_TEXT_TYPES = ("text", "textarea")
"""The questions whose answers may be quoted (never ``email``, never ``number``)."""


@dataclass(frozen=True)
class OptionResult:
    value: str
    """What the form submits for it."""
    label: str | None
    """What the newest version of the form shows; None for a value it no longer offers."""
    count: Count


@dataclass(frozen=True)
class QuestionResult:
    """A closed question: how many answers chose each option, and how many did not answer it.
    ``skipped`` + ``blank`` + ``spoiled`` + those who chose an option = every answer (a
    ``choices`` question's options may add up to more: one answer may tick several)."""

    id: str
    label: str
    type: str
    """One of ``COUNTED_TYPES``."""
    options: tuple[OptionResult, ...]
    """In form order, never chosen ones included, then values older versions offered."""
    skipped: Count
    """Answers (online, assisted, or to an older version of the form) that left it out."""
    blank: Count
    """Paper sheets that left it blank."""
    spoiled: Count
    """Paper sheets whose answer to it could not be read or counted."""

    @property
    def multiple(self) -> bool:
        return self.type == "choices"


@dataclass(frozen=True)
class FreeTextResult:
    """A free-text question's moderation figures. ``answered`` (exact) = ``consented`` +
    ``not_consented``; ``consented`` = ``approved`` + every ``rejected`` + ``to_moderate``
    (each level protected on its own)."""

    id: str
    label: str
    answered: int
    """Answers with text for it."""
    consented: Count
    """Of those, answers whose author agreed to be quoted."""
    not_consented: Count
    approved: Count
    rejected: dict[str, Count]
    """Reason → how many: ``moderation.REJECT_REASONS`` in that order (0 included), then
    ``other`` for the reasons a moderator wrote (never published in their words)."""
    to_moderate: Count
    """Consented answers no moderator has decided on yet (or whose text changed since)."""


@dataclass(frozen=True)
class Quote:
    """An approved answer, as published: redacted spans already replaced by "[…]"."""

    question: str
    """The id of the free-text question it answers."""
    text: str
    theme: str | None = None
    """A theme chosen during moderation ("Stationnement"), to group quotes by."""


@dataclass(frozen=True)
class CountedCheckpoint:
    """The answer log's signed checkpoint a results file was computed from: its figures count
    the answers whose leaf is ``current`` among its first ``size`` leaves (issue #19)."""

    origin: str
    """The log's name (``consultation.example.org/journal``)."""
    size: int
    root: bytes
    """Its tree head: SHA-256, 32 bytes (hexadecimal in the file)."""


@dataclass(frozen=True)
class ResultsFile:
    form_id: str
    title: str | None
    computed_at: datetime
    """When ``parole results`` read the answers (UTC)."""
    min_count: int
    """The ``results.min_count`` the counts were protected with."""
    answers: int
    """Every counted answer, whatever its channel (pending and quarantined ones are not)."""
    per_channel: dict[str, Count]
    """``storage.base.CHANNELS`` in order (0 included), then any other channel stored."""
    per_day: dict[date, Count]
    """Every day from the form's opening (or its first answer) to its closing (or its last
    answer), in order, days without answers included. A paper answer counts on the day its
    sheets were collected, not the day they were typed in."""
    questions: tuple[QuestionResult, ...] = ()
    free_text: tuple[FreeTextResult, ...] = ()
    quotes: tuple[Quote, ...] = ()
    publish_consent: str | None = None
    """The form's consent question (``publish_consent``); None: no answer is ever quoted."""
    closes: date | None = None
    """The form's last day of answers, as its newest version says (its own ``closes``, else the
    consultation's): the results page shows the figures only once it is over."""
    translations: tuple[ResultWords, ...] = ()
    """The titles and labels in the form's other languages (``labels``), for the results page
    in each; counts are shared."""
    checkpoint: CountedCheckpoint | None = None
    """The signed checkpoint of the answer log the figures count (``logged``); None: the
    database had none, and every counted answer was counted."""
    path: str = field(default="", compare=False)
    """Where it was read from, for messages ("" when made in memory)."""


def results_path(docs_dir: Path, form_id: str) -> Path:
    return docs_dir / FOLDER / f"{form_id}.json"
