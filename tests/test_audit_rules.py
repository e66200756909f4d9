"""Every rule the audit can report has its WCAG and RGAA criteria, severity and fix
(``site_builder/audit/data/rules.yml``): the whole of axe-core as parole ships it, and parole's
own checks."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.base import AXE_SCRIPT
from playwright.async_api import async_playwright

from site_builder.audit import rules as audit_rules
from site_builder.audit.criteria import criterion
from site_builder.audit.rules import known_rules, rule, wcag_from_tags
from tests.support import CHROMIUM, CHROMIUM_ARGS

PAROLE_IDS = ("focus-order", "focus-visible", "focus-trap", "skip-link", "reflow",
              "text-clipped", "target-size-minimum", "target-size", "heading-order", "single-h1",
              "link-text-vague", "link-text-duplicate", "alt-file-name", "doctype")
"""The checks of the browser stage (DESIGN17, part A)."""
RUN_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"}
A_AA = RUN_TAGS - {"best-practice"}


def test_every_parole_check_has_an_entry() -> None:
    ids = {item.id for item in known_rules()}
    assert {f"parole:{name}" for name in PAROLE_IDS} == {
        rule_id for rule_id in ids if rule_id.startswith("parole:")}


def test_every_rgaa_number_exists_and_every_entry_speaks_both_languages() -> None:
    for item in known_rules():
        for number in item.rgaa:
            criterion(number)
        assert bool(item.rgaa) != bool(item.rgaa_none), item.id
        for texts in (item.summary, item.fix):
            assert set(texts) == {"fr", "en"} and all(text.strip() for text in texts.values())
        assert all(re.fullmatch(r"[1-4]\.\d{1,2}\.\d{1,2}", sc) for sc in item.wcag), item.id


@pytest.mark.parametrize(("rule_id", "rgaa", "wcag", "severity"), [
    ("axe:image-alt", ("1.1",), ("1.1.1",), "error"),
    ("axe:color-contrast", ("3.2",), ("1.4.3",), "error"),
    ("axe:link-name", ("6.2",), ("2.4.4", "4.1.2"), "error"),
    ("axe:html-has-lang", ("8.3",), ("3.1.1",), "error"),
    ("axe:html-lang-valid", ("8.4",), ("3.1.1",), "error"),
    ("axe:document-title", ("8.5",), ("2.4.2",), "error"),
    ("axe:heading-order", ("9.1",), (), "warning"),
    ("axe:label", ("11.1",), ("4.1.2",), "error"),
    ("parole:heading-order", ("9.1",), ("1.3.1",), "error"),
    ("parole:skip-link", ("12.7",), ("2.4.1",), "error"),
    ("parole:focus-visible", ("10.7",), ("2.4.7",), "error"),
    ("parole:reflow", ("10.11",), ("1.4.10",), "error"),
    ("parole:text-clipped", ("10.4",), ("1.4.4",), "error"),
    ("parole:focus-trap", ("12.9",), ("2.1.2",), "error"),
    ("parole:alt-file-name", ("1.3",), ("1.1.1",), "error"),
    ("parole:doctype", ("8.1",), ("4.1.1",), "error"),
    ("parole:link-text-vague", ("6.1",), ("2.4.4",), "error"),
    ("parole:link-text-duplicate", ("6.1",), ("2.4.4",), "warning"),
    ("parole:target-size", (), ("2.5.5",), "warning"),
    ("parole:target-size-minimum", (), ("2.5.8",), "error"),
    ("axe:target-size", (), ("2.5.8",), "error"),
])
def test_the_seeded_problems_map_to_the_right_criteria(rule_id: str, rgaa: tuple[str, ...],
                                                       wcag: tuple[str, ...],
                                                       severity: str) -> None:
    found = rule(rule_id)
    assert (found.rgaa, found.wcag, found.severity, found.known) == (rgaa, wcag, severity, True)
    if not rgaa:
        assert "2.1" in found.rgaa_none or "AAA" in found.rgaa_none


def test_an_unknown_axe_rule_is_a_generic_error() -> None:
    found = rule("axe:some-future-rule", ["cat.color", "wcag2aa", "wcag1411"])
    assert found.severity == "error" and not found.known
    assert found.wcag == ("1.4.11",) and found.rgaa == () and found.rgaa_none
    assert "some-future-rule" in found.summary["fr"] and "some-future-rule" in found.fix["en"]
    assert rule("axe:another").wcag == ()


@pytest.mark.parametrize("rule_id", ["parole:no-such-check", "lighthouse:x", "axe:", "image-alt"])
def test_an_unknown_parole_id_or_namespace_is_a_bug(rule_id: str) -> None:
    with pytest.raises(KeyError):
        rule(rule_id)


def test_wcag_numbers_from_axe_tags() -> None:
    assert wcag_from_tags(["wcag2a", "wcag111", "wcag1412", "wcag21aa", "wcag258",
                           "wcag111"]) == ("1.1.1", "1.4.12", "2.5.8")


def test_says_falls_back_to_english() -> None:
    assert rule("axe:label").says("ar") == (rule("axe:label").summary["en"],
                                            rule("axe:label").fix["en"])


def test_a_broken_rules_file_is_a_clear_assertion(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    document = yaml.safe_load(audit_rules.DATA.read_text(encoding="utf-8"))
    document["rules"]["axe:label"]["rgaa"] = ["11.99"]
    broken = tmp_path / "rules.yml"
    broken.write_text(yaml.safe_dump(document), encoding="utf-8")
    monkeypatch.setattr(audit_rules, "DATA", broken)
    audit_rules._rules.cache_clear()
    try:
        with pytest.raises(AssertionError, match=r"axe:label: RGAA 4.1 has no criterion 11.99"):
            known_rules()
    finally:
        monkeypatch.undo()
        audit_rules._rules.cache_clear()
    assert rule("axe:label").rgaa == ("11.1",)


def _axe_in_chromium() -> tuple[str, list[tuple[str, list[str]]]]:
    """axe-core's version and rules, read in Chromium with axe injected as the audit injects
    it. Playwright's async API in a thread of its own: the sync API, open in this process
    once the session's ``browser`` fixture started, allows no second sync session, and this
    module runs before the modules that start their own."""
    async def read() -> tuple[str, list[tuple[str, list[str]]]]:
        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                        args=CHROMIUM_ARGS)
            try:
                page = await chromium.new_page()
                await page.set_content(
                    "<!doctype html><html lang='en'><title>x</title><body></body></html>")
                await page.evaluate(AXE_SCRIPT)
                version, rules = await page.evaluate(
                    "() => [axe.version, axe.getRules().map(r => [r.ruleId, r.tags])]")
            finally:
                await chromium.close()
        return str(version), [(str(rule_id), list(tags)) for rule_id, tags in rules]

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, read()).result()


@pytest.mark.browser
def test_every_axe_rule_in_chromium_has_an_entry_with_axes_wcag_and_severity() -> None:
    """The list comes from the real axe-core, injected as the audit injects it."""
    version, axe_rules = _axe_in_chromium()
    assert version == "4.12.1"
    run = [rule_id for rule_id, tags in axe_rules if RUN_TAGS & set(tags)]
    assert len(run) > 80
    entries = {item.id: item for item in known_rules() if item.id.startswith("axe:")}
    assert set(entries) == {f"axe:{rule_id}" for rule_id, _ in axe_rules}
    for rule_id, tags in axe_rules:
        entry = entries[f"axe:{rule_id}"]
        assert entry.wcag == wcag_from_tags(tags), rule_id
        assert entry.severity == ("error" if A_AA & set(tags) else "warning"), rule_id
