"""The comparison benchmark's inputs and instruments: the generated consultations, the build
configurations, the build runner and the page-load meter. No timing is asserted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from playwright.sync_api import Browser, Request

from bench import builds, sites
from bench.browser import NETWORKS
from bench.build_child import peak_kib
from bench.page_loads import SUBMIT_BUTTON, RequestLog, first_visit
from tests.support import build_site, serve_site


def nav_pages(nav: list[Any]) -> Iterator[str]:
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            yield from nav_pages(value)
        else:
            yield value


def test_a_generated_consultation_has_the_pages_asked_for(tmp_path: Path) -> None:
    docs, nav = sites.write_consultation(tmp_path, 50)
    assert sites.count_pages(docs) == 50
    listed = list(nav_pages(nav))
    assert len(listed) == 50  # every page is in the menu, once
    assert sorted(listed) == sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    for name in ("index.md", "faq.md", "donner-mon-avis.md"):  # the pages that are loaded
        assert (docs / name).read_bytes() == (sites.EXAMPLE_DOCS / name).read_bytes()
    sections = [entry for entry in nav if isinstance(entry, dict) and "Explications" in entry]
    explainers = sections[0]["Explications"]
    assert len(explainers) == 2 + 3  # the example's two, then 42 pages in sections of 20


def test_generated_pages_are_french_prose_with_a_link_to_the_form(tmp_path: Path) -> None:
    docs, _ = sites.write_consultation(tmp_path, 12)
    page = (docs / "explications" / "theme-01" / "fiche-03.md").read_text(encoding="utf-8")
    assert page.startswith("# Les arbres et l'ombre : fiche 3\n")
    assert page.count("\n## ") == sites.SECTIONS_PER_PAGE + 1
    assert "[donner mon avis](../../donner-mon-avis.md)" in page
    assert not re.search(r"\]\((?!\.\./\.\./donner-mon-avis\.md)", page)  # no other link


def test_the_same_size_gives_the_same_bytes(tmp_path: Path) -> None:
    first, nav_first = sites.write_consultation(tmp_path / "a", 30)
    second, nav_second = sites.write_consultation(tmp_path / "b", 30)
    assert nav_first == nav_second
    for page in first.rglob("*.md"):
        assert page.read_bytes() == (second / page.relative_to(first)).read_bytes()


def test_the_example_is_copied_as_it_is_and_small_sizes_are_refused(tmp_path: Path) -> None:
    docs, nav = sites.write_consultation(tmp_path / "example", None)
    assert sites.count_pages(docs) == sites.EXAMPLE_PAGES
    assert nav == sites.example_config()["nav"]
    with pytest.raises(ValueError, match="at least 9 pages"):
        sites.write_consultation(tmp_path / "tiny", 5)


def test_a_generated_consultation_builds_strictly_with_parole(tmp_path: Path) -> None:
    """No broken link, no page missing from the menu, nothing over budget."""
    docs, nav = sites.write_consultation(tmp_path, 31)
    config = builds.write_config(tmp_path, builds.PAROLE, docs, nav)
    site = build_site(config, tmp_path / "site", strict=True)
    assert (site / "explications" / "theme-02" / "fiche-02" / "index.html").is_file()


def test_the_builds_differ_only_in_theme_and_plugins(tmp_path: Path) -> None:
    docs, nav = sites.write_consultation(tmp_path, None)
    example = sites.example_config()
    configs = {build.name: yaml.safe_load(builds.write_config(tmp_path, build, docs, nav)
                                          .read_text(encoding="utf-8"))
               for build in builds.BUILDS}
    plugins = {name: [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
               for name, config in configs.items()}
    assert plugins == {"parole": ["parole"], "material": ["search", "parole"],
                       "material-lean": ["parole"], "mkdocs": ["search", "parole"],
                       "mkdocs-bare": ["search"], "mkdocs-no-checks": ["search", "parole"]}
    themes = {name: config["theme"] for name, config in configs.items()}
    assert themes["parole"] == {"name": "parole", "language": "fr"}
    assert themes["material"] == {"name": "material", "language": "fr"}
    assert themes["material-lean"] == {"name": "material", "language": "fr", "font": False}
    assert themes["mkdocs"] == themes["mkdocs-bare"] == themes["mkdocs-no-checks"] == {
        "name": "mkdocs", "language": "fr"}
    options = builds.parole_options()
    assert configs["mkdocs-no-checks"]["plugins"][1]["parole"] == {
        **options, "page_weight": {"enabled": False}, "precompress": False}
    del configs["mkdocs-no-checks"]
    for config in configs.values():
        assert config["docs_dir"] == str(docs)
        assert config["nav"] == example["nav"]
        assert config["site_name"] == example["site_name"]
        for plugin in config["plugins"]:
            if isinstance(plugin, dict):
                assert plugin["parole"] == builds.parole_options()
    assert builds.parole_options()["closes"] is not None


def test_a_build_runs_in_a_child_and_reports_its_own_peak_memory(tmp_path: Path) -> None:
    docs, nav = sites.write_consultation(tmp_path, None)
    config = builds.write_config(tmp_path, builds.PAROLE, docs, nav)
    run = builds.run_build(config, tmp_path / "site")
    assert (tmp_path / "site" / "donner-mon-avis" / "index.html").is_file()
    assert "<form" in (tmp_path / "site" / "donner-mon-avis" / "index.html").read_text(
        encoding="utf-8")  # PAROLE_BUILD_DATE: the consultation is open, the form shown
    assert run.max_rss_kib > 10_000 and run.seconds > 0
    assert peak_kib() > 0  # /proc/self/status is there (Linux)
    broken = tmp_path / "broken.yml"
    broken.write_text("site_name: x\ntheme: {name: no-such-theme}\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="no-such-theme"):
        builds.run_build(broken, tmp_path / "broken")


class FakeRequest:
    def __init__(self, url: str, body: int = 0, headers: int = 0) -> None:
        self.url = url
        self._sizes = {"responseBodySize": body, "responseHeadersSize": headers}

    def sizes(self) -> dict[str, int]:
        return self._sizes


def test_requests_are_counted_by_origin() -> None:
    log = RequestLog()
    local = [FakeRequest("http://127.0.0.1:8000/", 4000, 200),
             FakeRequest("http://127.0.0.1:8000/search/index.json", 900, 100)]
    outside = [FakeRequest("https://fonts.googleapis.com/css?family=Roboto"),
               FakeRequest("http://127.0.0.1:9999/other-port.css")]
    for request in [*local, *outside, FakeRequest("data:image/png;base64,AA")]:
        log.on_start(cast(Request, request))
    for request in local:
        log.on_finish(cast(Request, request))
    assert log.count("http://127.0.0.1:8000") == (5200, 2, 2)


@pytest.mark.browser
def test_a_first_visit_counts_bytes_third_parties_and_the_usable_form(
    tmp_path: Path, browser: Browser
) -> None:
    site = tmp_path / "site"
    (site / "form").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><title>A</title>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        "</head><body><p>Bonjour</p></body></html>", encoding="utf-8")
    (site / "form" / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><title>F</title></head><body>'
        '<form method="post" action="/collect"><label>Nom <input name="n"></label>'
        '<button type="submit">Envoyer</button></form></body></html>', encoding="utf-8")
    with serve_site(site) as base:
        home = first_visit(browser, NETWORKS[-1], base, form=False)
        form = first_visit(browser, NETWORKS[-1], base + "form/", form=True)
    assert (home.requests, home.third_party, home.usable_form_ms) == (1, 1, None)
    assert home.bytes > len("<p>Bonjour</p>")
    assert (form.requests, form.third_party) == (1, 0)
    assert form.usable_form_ms is not None
    assert form.usable_form_ms >= form.fcp_ms > 0
    assert "button[type=submit]" in SUBMIT_BUTTON
