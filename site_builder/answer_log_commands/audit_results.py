"""``parole log audit --results FILE``: the results file's figures recomputed from exactly the
logged answers it says it counted (its ``checkpoint``), and every difference said.

The rule is ``parole results``'s (``site_builder.results.logged``): the answers whose leaf is
``current`` among the checkpoint's first ``size`` leaves, counted as the database holds them
(the log audit checks that each such answer is the one its leaf commits to). So a figure edited
in the file, an answer counted that is not in the log, or a logged answer left out each make a
difference, named by its key (``questions[quartier].options[nord].count``).

What it cannot do, and says: an answer deleted after the checkpoint has lost its content, so
the figures as they were cannot be recomputed for it; an answer corrected after it is counted
neither by ``parole results`` run since nor here. When figures differ, the audit lists the
checkpoint's leaves whose answer was deleted or corrected after it was signed (with the date
the audit trail gives): if that happened after the results were computed, the difference is
theirs, not a forgery; the auditor judges with the trail's dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from site_builder.answer_log_commands.errors import LogCommandError
from site_builder.messages import say
from site_builder.results.compute import form_results
from site_builder.results.file import ResultsFile, read_results, results_data
from site_builder.results.logged import LoggedAnswers, checkpoint_origin, logged_answers
from site_builder.storage.answer_log import LogLeaf
from site_builder.storage.base import Storage
from site_builder.storage.receipts import format_receipt

NOT_COMPARED = ("format", "computed_at")
"""When and by which parole: not figures."""


@dataclass
class ResultsAudit:
    form_id: str
    size: int
    counted: int = 0
    """Answers recomputed (the logged answers of the form)."""
    problems: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    """The checkpoint's answers deleted or corrected since it was signed (said when figures
    differ)."""


def audit_results(storage: Storage, path: Path) -> ResultsAudit:
    results, problems = read_results(path)
    if results is None:
        raise LogCommandError("log.audit.results.unreadable", path=path,
                              problems="\n".join(f"    {problem}" for problem in problems))
    if results.checkpoint is None:
        raise LogCommandError("log.audit.results.no_checkpoint", path=path)
    claimed = results.checkpoint
    audit = ResultsAudit(results.form_id, claimed.size)
    stored = next((checkpoint for checkpoint in storage.checkpoints()
                   if checkpoint.size == claimed.size), None)
    if stored is None:
        audit.problems.append(say("log.audit.results.unknown_checkpoint", size=claimed.size))
        return audit
    if stored.root != claimed.root or checkpoint_origin(stored) != claimed.origin:
        audit.problems.append(say("log.audit.results.other_checkpoint", size=claimed.size,
                                  root=claimed.root.hex(), origin=claimed.origin,
                                  stored_root=stored.root.hex(),
                                  stored_origin=checkpoint_origin(stored)))
        return audit
    logged = logged_answers(storage, stored)
    recomputed = form_results(storage, results.form_id, min_count=results.min_count,
                              computed_at=results.computed_at, today=_file_today(results),
                              logged=logged).results
    audit.counted = recomputed.answers
    audit.problems += [say("log.audit.results.differs", key=key, file=_shown(said),
                           database=_shown(found))
                       for key, said, found in differences(results_data(results),
                                                           results_data(recomputed))]
    if audit.problems:
        audit.changed = list(changed_since(storage, logged, results.form_id))
    return audit


def _file_today(results: ResultsFile) -> date:
    """The day ``parole results`` ran, as its figures show it: the days of a consultation still
    open end on it (the file's last day), so the audit, run later, ends them there too."""
    return max(results.per_day, default=results.computed_at.astimezone(UTC).date())


def differences(said: Any, found: Any, key: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Each place where two results files' data differ: (key path, file's, database's). Lists
    of objects are matched by their ``id`` (questions) or ``value`` (options) when they have
    one, so that a difference is named ``questions[quartier].options[nord].count``."""
    if isinstance(said, dict) and isinstance(found, dict):
        for name in [*said, *(name for name in found if name not in said)]:
            if key == "" and name in NOT_COMPARED:
                continue
            place = f"{key}.{name}" if key else str(name)
            yield from differences(said.get(name), found.get(name), place)
    elif isinstance(said, list) and isinstance(found, list) and _keyed(said) and _keyed(found):
        said_by, found_by = _by_key(said), _by_key(found)
        if list(said_by) != list(found_by):
            yield key, list(said_by), list(found_by)
            return
        for name, item in said_by.items():
            yield from differences(item, found_by[name], f"{key}[{name}]")
    elif isinstance(said, list) and isinstance(found, list) and len(said) == len(found):
        for position, (left, right) in enumerate(zip(said, found, strict=True), 1):
            yield from differences(left, right, f"{key}[{position}]")
    elif said != found or type(said) is not type(found):
        yield key, said, found


def _keyed(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and ("id" in item or "value" in item) for item in items)


def _by_key(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(item.get("id", item.get("value"))): item for item in items}


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 80 else text[:77] + "…"


def changed_since(storage: Storage, logged: LoggedAnswers, form_id: str) -> Iterator[str]:
    """The checkpoint's answers that no longer count as it signed them: deleted (any form: a
    deleted answer's form is gone with it) or corrected (of ``form_id``) after the checkpoint
    was signed, as the audit trail dates them (an answer whose deletion it does not date is
    listed too)."""
    size = logged.checkpoint.size
    last: dict[str, LogLeaf] = {}
    for leaf in storage.log_leaves(0, size):
        last[leaf.receipt] = leaf
    for receipt, leaf in last.items():
        if leaf.state == "current":
            continue
        changes = [change for change in storage.changes(receipt=receipt)
                   if change.changed_at >= logged.signed_at]
        if leaf.state == "deleted":
            dated = [change for change in changes if change.action == "deleted"]
            deleted_before = not dated and any(
                change.action == "deleted" for change in storage.changes(receipt=receipt))
            if not deleted_before:
                yield say("log.audit.results.deleted_since", index=leaf.index,
                          receipt=format_receipt(receipt),
                          when=_moment(dated[0].changed_at) if dated else say(
                              "log.audit.results.undated"))
            continue
        answer = storage.get(receipt)
        later = [other for other in storage.answer_leaves(receipt) if other.index >= size]
        if answer is not None and answer.form_id == form_id and later:
            yield say("log.audit.results.corrected_since", index=leaf.index,
                      receipt=format_receipt(receipt), new=later[-1].index)


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
