"""The accessibility statement, written from the audit: a markdown page for the docs folder.

French sites get the model the RGAA 4.1 makes compulsory ("Obligations", "Déclaration
d'accessibilité"); every other site the sections of the EU model statement (Commission
Implementing Decision (EU) 2018/1523), in English. Both say only what was verified:

- the status is "totalement conforme" / "fully compliant" only when every one of the 106
  criteria has a result, a person reviewed the site and the rate is 100 %; "partiellement" /
  "partially" from 50 %; "non conforme" / "not compliant" below, and whenever criteria remain
  to check (then the statement says how many, and that no compliance is declared) or when only
  automated tests ran (a machine cannot judge whether an alternative text is right);
- the non-compliant criteria are said in plain words (what the rules that failed check, and the
  reviewer's note), grouped by topic, with the pages where they fail.

Every text that comes from elsewhere (page titles, the organizer's settings, the review file) is
escaped (``statement_text.escape``), so a note cannot inject a link, a heading or HTML. The same
run and assessment give the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from site_builder.audit.model import AuditRun
from site_builder.audit.rules import rule
from site_builder.audit.statement_text import (
    Words,
    address_text,
    email_link,
    escape,
    phone_link,
)

if TYPE_CHECKING:
    from site_builder.audit.review import ReviewItem
    from site_builder.audit.verdicts import Assessment, CriterionVerdict

MOST_PAGES_NAMED = 5
"""A criterion failing on more pages names this many, then "and N other pages" (the report
lists them all)."""
TITLE_SEPARATOR = " — "
"""Between a page's own title and the site's, in parole's page titles."""
SCRIPT_TOPIC = "7"
"""The RGAA topic "Scripts": a page where one of its criteria applies has scripts, so the
statement lists JavaScript among the technologies."""


def statement_markdown(run: AuditRun, assessment: Assessment, *,
                       report_link: str | None) -> str:
    """The statement page, in the site's language (French, else English), ending with a line
    break. ``report_link`` is the address of the full report from the statement's page (said
    in "Résultats des tests" / "Test results"), or None when the report is not published."""
    words = Words(run.language)
    blocks: list[str] = [words("title"), words("intro"), *_commitment(run, words)]
    blocks += _status(run, assessment, words)
    blocks += _results(run, assessment, words, report_link)
    blocks += _non_accessible(run, assessment, words)
    blocks += _preparation(run, assessment, words)
    blocks += _contact(run, words)
    blocks += [words("recourse.heading"), words("recourse.body")]
    return "\n\n".join(blocks) + "\n"


def declared(assessment: Assessment) -> str:
    """The conformity the statement declares: ``total``, ``partial`` or ``none``. The
    assessment's own, except that an audit no person reviewed declares none: automated tests
    alone never make a site compliant, however many criteria they could decide."""
    if assessment.review is None:
        return "none"
    return assessment.conformity


def _organizer(run: AuditRun, words: Words) -> str:
    name = run.organizer.get("name", "").strip()
    return escape(name) if name else words("someone")


def _site(run: AuditRun) -> str:
    return escape(run.site_title)


def _commitment(run: AuditRun, words: Words) -> list[str]:
    applies = (words("applies_url", site=_site(run), url=escape(run.base_url))
               if run.base_url else words("applies", site=_site(run)))
    return [words("commitment", organizer=_organizer(run, words)), applies]


def _status(run: AuditRun, assessment: Assessment, words: Words) -> list[str]:
    conformity = declared(assessment)
    blocks = [words("status.heading"), words("status.rgaa"),
              words(f"status.{conformity}", site=_site(run))]
    remaining = assessment.count("to_check")
    if remaining:
        blocks.append(words("status.incomplete",
                            remaining=words.count("count.criteria", remaining)))
    elif assessment.review is None:
        blocks.append(words("status.automatic_only"))
    elif conformity == "partial":
        blocks.append(words("status.partial_why"))
    elif conformity == "none":
        blocks.append(words("status.low"))
    return blocks


def _results(run: AuditRun, assessment: Assessment, words: Words,
             report_link: str | None) -> list[str]:
    blocks = [words("results.heading"), words("results.automatic", date=words.day(run.date))]
    failed = [result.page.path for result in run.results if result.failure]
    if failed:
        blocks.append(words.count("results.failed", len(failed),
                                  pages=_pages(failed, _labels(run), words)))
    review = assessment.review
    if review is not None:
        blocks.append(words("results.review", auditor=escape(review.auditor),
                            count=words.count("count.criteria", len(review.criteria)),
                            date=words.day(review.date)))
    rate = assessment.rate
    if rate is None:
        blocks.append(words("results.no_rate"))
    elif review is not None:  # a rate from automated tests alone would claim too much
        compliant = assessment.count("compliant")
        applicable = compliant + assessment.count("not_compliant")
        blocks.append(words("results.rate", rate=words.percent(rate), compliant=compliant,
                            applicable=applicable))
    counts = [words.count(f"count.{status}", assessment.count(status))
              for status in ("compliant", "not_compliant", "not_applicable", "to_check")]
    blocks += [words("results.counts"), words.bullets(counts), words("results.method"),
               words("results.machine"), words("results.machine_list"),
               words("results.machine_end")]
    if report_link:
        blocks.append(words("results.report", link=_address(report_link)))
    return blocks


def _address(target: str) -> str:
    """A link target that cannot end the markdown link early."""
    return "".join(f"%{ord(char):02X}" if char in " ()<>" else char for char in target)


def _non_accessible(run: AuditRun, assessment: Assessment, words: Words) -> list[str]:
    failing = [verdict for verdict in assessment.verdicts if verdict.status == "not_compliant"]
    review = assessment.review
    listed = failing or (review and (review.derogations or review.exemptions))
    blocks = [words("content.heading"), *([words("content.intro")] if listed else []),
              words("content.noncompliance")]
    if not failing:
        blocks.append(words("content.noncompliance_none_yet" if assessment.count("to_check")
                            else "content.noncompliance_none"))
    labels = _labels(run)
    rules = _failing_rules(run) if failing else {}
    for topic, group in groupby(failing, key=lambda verdict: _topic(verdict.criterion.number)):
        blocks.append(f"#### {words(f'topic.{topic}')}")
        blocks.append("\n".join(_criterion_item(verdict, rules.get(verdict.criterion.number, ()),
                                                labels, words) for verdict in group))
    blocks += [words("content.derogations"),
               *_items(review.derogations if review else (), "content.derogations_none", words),
               words("content.exemptions"),
               *_items(review.exemptions if review else (), "content.exemptions_none", words),
               words("content.tell_us")]
    return blocks


def _topic(number: str) -> str:
    """``"11.2"`` → ``"11"``: the RGAA topic a criterion belongs to."""
    return number.split(".", maxsplit=1)[0]


def _labels(run: AuditRun) -> dict[str, str]:
    """Page path → how the statement names it: its title without the part every title shares
    ("Questions fréquentes — Réaménager la place du Marché" → "Questions fréquentes")."""
    labels = {result.page.path: result.page.label for result in run.results}
    endings = Counter(label.rsplit(TITLE_SEPARATOR, 1)[1] for label in labels.values()
                      if TITLE_SEPARATOR in label)
    shared = next((ending for ending, count in endings.most_common(1) if count > 1), None)
    suffix = f"{TITLE_SEPARATOR}{shared}"
    return {path: label.removesuffix(suffix) if shared else label
            for path, label in labels.items()}


def _failing_rules(run: AuditRun) -> dict[str, tuple[str, ...]]:
    """Criterion number → the error rules that failed on it, in the order the audit met them."""
    found: dict[str, list[str]] = {}
    for result in run.results:
        for finding in result.findings:
            known = rule(finding.rule)
            if known.severity != "error":
                continue
            for number in known.rgaa:
                if finding.rule not in found.setdefault(number, []):
                    found[number].append(finding.rule)
    return {number: tuple(ids) for number, ids in found.items()}


def plain_words(rule_id: str, language: str) -> str:
    """What the rule checks, in plain words, in ``language`` (``audit.rules``'s summary)."""
    summary = rule(rule_id).summary
    return summary.get(language) or summary.get("en", "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def _criterion_item(verdict: CriterionVerdict, rule_ids: Sequence[str],
                    labels: dict[str, str], words: Words) -> str:
    summaries: list[str] = []
    for rule_id in rule_ids:
        summary = _sentence(escape(plain_words(rule_id, words.language)))
        if summary and summary not in summaries:
            summaries.append(summary)
    note = _sentence(escape(verdict.note))
    if summaries:
        parts = [" ".join(summaries)]
        if note:
            parts.append(words("content.note", note=note))
    else:
        parts = [note or _sentence(escape(verdict.criterion.title))]
    if verdict.pages:
        parts.append(words("content.pages", pages=_pages(verdict.pages, labels, words)))
    what = " ".join(parts)
    return f"- {words('content.criterion', number=verdict.criterion.number, what=what)}"


def _pages(paths: Sequence[str], labels: dict[str, str], words: Words) -> str:
    named = [escape(labels.get(path, path)) for path in paths[:MOST_PAGES_NAMED]]
    text = words("list.join").join(named)
    if len(paths) > MOST_PAGES_NAMED:
        more = len(paths) - MOST_PAGES_NAMED
        text = f"{text} {words.count('content.more_pages', more)}"
    return text


def _items(items: Sequence[ReviewItem], none_key: str, words: Words) -> list[str]:
    if not items:
        return [words(none_key)]
    return [words.bullets([words("content.item", content=escape(item.content),
                                 reason=escape(item.reason).rstrip("."))
                           for item in items])]


def _preparation(run: AuditRun, assessment: Assessment, words: Words) -> list[str]:
    environment = run.environment
    method = "prepared.method_review" if assessment.review else "prepared.method_automatic"
    technologies = [words("technology.html"), words("technology.css")]
    if any(_topic(number) == SCRIPT_TOPIC
           for result in run.results for number in result.present):
        technologies.append(words("technology.javascript"))
    tools = [words("prepared.tool.axe", version=escape(environment.axe_core, start=False)),
             words("prepared.tool.playwright", version=escape(environment.playwright, start=False)),
             words("prepared.tool.parole", version=escape(environment.parole, start=False))]
    labels = _labels(run)
    pages = [words("prepared.page", label=escape(labels[result.page.path]),
                   address=escape(_public_address(run.base_url, result.page.path)))
             for result in run.results]
    return [words("prepared.heading"), words("prepared.date", date=words.day(run.date)),
            words(method),
            words("prepared.technologies"), words("prepared.technologies_intro"),
            words.bullets(technologies),
            words("prepared.environment"),
            words("prepared.browser", browser=escape(environment.browser, start=False),
                  platform=escape(environment.platform, start=False)),
            words("prepared.screen_reader"),
            words("prepared.tools"), words.bullets(tools),
            words("prepared.pages"), words.bullets(pages)]


def _public_address(base_url: str, path: str) -> str:
    """The page's address as readers know it: on the public site when its address is known."""
    return f"{base_url.rstrip('/')}{path}" if base_url else path


def _contact(run: AuditRun, words: Words) -> list[str]:
    organizer = run.organizer
    ways: list[str] = []
    if organizer.get("email", "").strip():
        ways.append(words("contact.email", email=email_link(organizer["email"])))
    if organizer.get("phone", "").strip():
        ways.append(words("contact.phone", phone=phone_link(organizer["phone"])))
    if organizer.get("address", "").strip():
        post = ", ".join(filter(None, [_organizer(run, words) if organizer.get("name") else "",
                                       address_text(organizer["address"])]))
        ways.append(words("contact.post", address=post))
    if not ways:
        return [words("contact.heading"), words("contact.intro_nowhere"), words("contact.end")]
    return [words("contact.heading"), words("contact.intro"), words.bullets(ways),
            words("contact.end")]
