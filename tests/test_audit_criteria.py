"""The RGAA 4.1 criteria parole ships (``site_builder/audit/data/rgaa-4.1.json``): complete, in
order, sourced, and honest about what the audit decides alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_builder.audit import criteria as rgaa
from site_builder.audit.rules import known_rules

COUNTS = {1: 9, 2: 2, 3: 3, 4: 13, 5: 8, 6: 2, 7: 5, 8: 10, 9: 4, 10: 14, 11: 13, 12: 11, 13: 12}
"""Criteria per topic in RGAA 4.1 (106 in all)."""


def test_the_106_criteria_of_the_13_topics_in_order() -> None:
    found = rgaa.criteria()
    assert len(found) == 106 and sum(COUNTS.values()) == 106
    expected = [f"{topic}.{rank}" for topic, count in COUNTS.items()
                for rank in range(1, count + 1)]
    assert [item.number for item in found] == expected
    assert len({item.topic for item in found}) == 13
    assert rgaa.criterion("8.5").topic == "Éléments obligatoires"


def test_every_title_is_plain_text_and_every_wcag_reference_well_formed() -> None:
    for item in rgaa.criteria():
        assert item.title.strip() and "](" not in item.title and "#" not in item.title, item
        assert item.wcag and all(re.fullmatch(r"[1-4]\.\d{1,2}\.\d{1,2}", sc)
                                 for sc in item.wcag), item
    assert rgaa.criterion("1.1").title == (
        "Chaque image porteuse d'information a-t-elle une alternative textuelle ?")
    assert rgaa.criterion("9.1").wcag == ("1.3.1", "2.4.1", "2.4.6", "4.1.2")
    assert rgaa.criterion("13.8").wcag == ("2.2.1", "2.2.2")  # "9.2.2.1 / 2.2.2" in the source
    assert "`<title>`" not in rgaa.criterion("8.5").title  # titles only, tests not copied


def test_the_source_and_its_licence_are_named() -> None:
    source = rgaa.source()
    assert source["url"] == "https://github.com/DISIC/RGAA/blob/master/v4.1/JSON/criteres.json"
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert "Licence Ouverte" in source["licence"] and source["file_date"] == "2021-05-25"
    readme = (rgaa.DATA.parent / "README.md").read_text(encoding="utf-8")
    assert source["commit"] in readme and "Licence Ouverte 2.0" in readme


def test_unknown_number_is_a_key_error() -> None:
    with pytest.raises(KeyError, match=r"13\.13"):
        rgaa.criterion("13.13")


def test_full_criteria_are_few_and_say_why_and_what_decides_them() -> None:
    rules = {item.id: item for item in known_rules()}
    full = [item for item in rgaa.criteria() if item.automatic == "full"]
    assert [item.number for item in full] == ["6.2", "8.1", "8.3", "8.5", "12.7"]
    for item in full:
        assert item.why and item.decided_by
        for rule_id in item.decided_by:  # a rule that decides it also fails it
            assert item.number in rules[rule_id].rgaa and rules[rule_id].severity == "error"
    for item in rgaa.criteria():
        assert bool(item.why) == (item.automatic != "none"), item.number


def test_partial_criteria_are_those_an_error_rule_can_fail() -> None:
    """A criterion an error rule the audit runs can fail is at least partial, and a partial one
    has such a rule; rules axe-core does not run by default do not count."""
    not_run = {"axe:audio-caption", "axe:css-orientation-lock", "axe:p-as-heading",
               "axe:table-fake-caption", "axe:td-has-header", "axe:label-content-name-mismatch",
               "axe:aria-roledescription", "axe:focus-order-semantics", "axe:hidden-content"}
    failed_by = {number for item in known_rules()
                 if item.severity == "error" and item.id not in not_run for number in item.rgaa}
    automatic = {item.number for item in rgaa.criteria() if item.automatic != "none"}
    assert failed_by == automatic


@pytest.mark.parametrize(("number", "selector"), [
    ("2.1", "iframe, frame"), ("5.1", "table"), ("4.1", "video"), ("11.1", "input"),
    ("1.1", "img"), ("6.1", "a[href]"), ("12.5", "[role=search]")])
def test_applies_to_names_the_elements_a_criterion_is_about(number: str, selector: str) -> None:
    applies_to = rgaa.criterion(number).applies_to
    assert applies_to is not None and selector in applies_to


def test_criteria_about_every_page_always_apply() -> None:
    for number in ("3.2", "8.1", "8.3", "8.5", "9.1", "10.7", "10.11", "12.7", "12.8"):
        assert rgaa.criterion(number).applies_to is None, number
    assert rgaa.selectors()["2.1"] == "iframe, frame" and "8.3" not in rgaa.selectors()


def test_a_broken_data_file_is_a_clear_assertion(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    document = json.loads(rgaa.DATA.read_text(encoding="utf-8"))
    document["criteria"][4]["automatic"] = "maybe"
    broken = tmp_path / "rgaa.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(rgaa, "DATA", broken)
    rgaa._document.cache_clear()
    rgaa.criteria.cache_clear()
    try:
        with pytest.raises(AssertionError, match=r"criterion 1\.5: automatic must be one of"):
            rgaa.criteria()
    finally:
        monkeypatch.undo()
        rgaa._document.cache_clear()
        rgaa.criteria.cache_clear()
    assert len(rgaa.criteria()) == 106
