"""The shortcuts that keep big builds fast must not change what is measured or written.

``fetch_markup`` cuts a page down to the tags that can fetch before ``page_resources`` parses it:
the downloads found must be exactly those of the whole page. ``precompress.gzip_bytes`` remembers
recent results by content, so the page-weight report and the ``.gz`` files compress a page once.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import precompress
from site_builder.fetch_markup import FETCHING_TAGS, fetching_markup
from site_builder.page_resources import page_fetches
from tests.support import REPO, build_site, write_site

TRICKY = {
    "comment": '<!-- <img src="in-comment.png"> --><img src="a.png"><!-- unclosed -- >x',
    "script text": '<script>document.write(\'<img src="no.png">\')</script><img src=b.png>',
    "script src": '<script src="app.js" defer></script><script type="module" src="m.js">'
                  "</script><script nomodule src=legacy.js></script>",
    "style text": "<style>a::after { content: '<img src=no.png>' }</style><img src=c.png>",
    "attribute values": '<a title="<img src=no.png>" href=\'<link rel=stylesheet href=x>\'>a</a>'
                        '<img alt="1 > 0" src="d.png">',
    "upper case": '<IMG SRC="e.png"><LINK REL="Stylesheet" HREF="s.css"><SCRIPT SRC=f.js>'
                  "</SCRIPT >",
    "picture": '<picture><source srcset="g-2x.webp 2x, g.webp" type="image/webp">'
               '<img src="g.png" sizes="100vw"></PICTURE ><img src=h.png>',
    "look-alikes": "<imgx src=no.png><link-card href=no.css><sourcery src=no><a>picture</a>",
    "loose text": 'a < b, 3<4 et x<y <img src="i.png"> <b',
    "unfinished tag": '<p>fin <img src="j.png" alt="unclosed',
    "declarations": '<!doctype html><?xml version="1.0"?><![CDATA[ <img src=no.png> ]]>'
                    "<img src=k.png>",
    "media": '<video poster="p.jpg"></video><iframe src="f.html"></iframe><embed src=e.svg>'
             '<object data="o.svg"></object><input type="image" src="btn.png">'
             '<link rel="icon" href="favicon.png"><link rel=preload as=font href=f.woff2>',
    "non-ascii": '<p title="Été">déjà <img src="été/ça.png" alt="Œuvre"></p>',
}


@pytest.mark.parametrize("name", list(TRICKY))
def test_the_cut_markup_has_the_same_downloads(name: str) -> None:
    html = f"<!doctype html><html><head></head><body>{TRICKY[name]}</body></html>"
    assert page_fetches(fetching_markup(html.encode())) == page_fetches(html)


_NAMES = ("img", "IMG", "link", "script", "style", "source", "picture", "a", "li", "imgx",
          "p", "video", "iframe", "input")
# Text as a page holds it: "<" never starts something that looks like a tag (Markdown writes
# "&lt;" there). Tag names and attribute names are well formed, as themes and Markdown write
# them; in broken ones ("<a'", "<a='>") html.parser and the cut may read a quote differently.
_TEXT = st.lists(st.sampled_from(("a", "b", " ", ">", "=", "/", "'", '"', "é", "!", "-", "\n",
                                  "a < b", "3<4")), max_size=8).map("".join)
_VALUE = st.text(alphabet="ab.png <>=/'\"é!-", max_size=12)


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(("src", "href", "srcset", "rel", "title", "alt", "data-x")))
    value = draw(st.sampled_from(("a.png", "s.css", "stylesheet", "d.png 2x", *"<>")))
    value = draw(st.one_of(st.just(value), _VALUE))
    quote = draw(st.sampled_from(('"', "'", "")))
    if quote:
        value = value.replace(quote, "")
    elif not value or any(character in value for character in " <>='\"/"):
        value = "v"  # an unquoted value is one word
    return f" {name}={quote}{value}{quote}"


@st.composite
def _piece(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("text", "start", "end", "comment", "raw")))
    name = draw(st.sampled_from(_NAMES))
    if kind == "text":
        return draw(_TEXT)
    if kind == "end":
        return f"</{name}>"
    if kind == "comment":
        return f"<!--{draw(_TEXT).replace('--', '')}-->"
    attributes = "".join(draw(st.lists(_attribute(), max_size=3)))
    # "<script/>" is left out: html.parser reads what follows as markup, browsers (and the cut)
    # as script text.
    ends = (">", " >") if name.lower() in ("script", "style") else (">", " >", "/>")
    start = f"<{name}{attributes}{draw(st.sampled_from(ends))}"
    if kind == "raw":
        raw = draw(st.sampled_from(("script", "style")))
        return f"<{raw}{attributes}>{draw(_TEXT)}<img src=no.png></{raw}>"
    return start


@settings(max_examples=500, deadline=None)
@given(st.lists(_piece(), max_size=30), st.booleans())
def test_any_markup_has_the_same_downloads(pieces: list[str], cut: bool) -> None:
    """Tags of every kind with attributes quoted or not (values holding <, > and quotes),
    comments, script and style text, loose text with < and >, and a page cut short: the cut
    markup gives exactly the downloads of the whole page."""
    html = "".join(pieces)
    html = html[: len(html) // 2] if cut else html
    assert page_fetches(fetching_markup(html.encode())) == page_fetches(html)


_ELEMENT_NAMES = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas "
    "caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img "
    "input ins kbd label legend li link main map mark menu meta meter nav noscript object ol "
    "optgroup option output p picture pre progress q rp rt ruby s samp script search section "
    "select slot small source span strong style sub summary sup svg table tbody td template "
    "textarea tfoot th thead time title tr track u ul var video wbr"
)
ELEMENTS = _ELEMENT_NAMES.split()
ATTRIBUTES = ('src="{0}.png" href="{0}.css" srcset="{0}-2x.png 2x" data="{0}.svg" '
              'poster="{0}.jpg" rel="stylesheet preload icon manifest" as="image" type="image"')


def test_no_element_that_page_resources_reads_is_cut_away() -> None:
    """Every HTML element, with every attribute that can name a download: an element that
    ``page_resources`` starts to read and ``FETCHING_TAGS`` lacks fails here."""
    html = "".join(f"<{name} {ATTRIBUTES.format(name)}></{name}>" for name in ELEMENTS
                   if name not in ("script", "style"))
    html += '<script src="script.js"></script><style>p {}</style>'
    found = page_fetches(fetching_markup(html.encode()))
    assert found == page_fetches(html)
    assert {fetch.urls[0].split(".")[0].split("-")[0] for fetch in found} <= set(FETCHING_TAGS)


def test_a_big_page_is_cut_to_its_fetching_tags() -> None:
    navigation = '<li class="nav-item"><a href="page/">Une page</a></li>' * 5000
    html = (f'<html><head><link rel="stylesheet" href="a.css"></head><body><ul>{navigation}'
            '</ul><img src="plan.png"></body></html>')
    expected = '<link rel="stylesheet" href="a.css"><img src="plan.png">'
    assert fetching_markup(html.encode()) == expected


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_pages_of_other_themes_have_the_same_downloads(tmp_path: Path, theme: str) -> None:
    config = write_site(tmp_path, {"index.md": "# Accueil\n\nLisez [la FAQ](faq.md).\n",
                                   "faq.md": "---\ntype: faq\n---\n# FAQ\n\n## Une question ?\n\n"
                                             "Oui.\n"},
                        theme={"name": theme, "language": "fr"}, plugins=["search", "parole"])
    site = build_site(config, tmp_path / "site", strict=False)
    assert_same_downloads(site)


def test_pages_of_the_example_have_the_same_downloads(example_site: Path) -> None:
    assert_same_downloads(example_site)


def assert_same_downloads(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        raw = page.read_bytes()
        assert page_fetches(fetching_markup(raw)) == page_fetches(raw.decode()), page



def test_the_same_content_is_gzipped_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page-weight report and the .gz files compress the same pages: once is enough."""
    calls: list[int] = []
    real_compress = zlib.compress

    def counting(data: bytes, level: int, wbits: int) -> bytes:
        calls.append(len(data))
        return real_compress(data, level=level, wbits=wbits)

    monkeypatch.setattr(precompress, "_recent", precompress._RecentGzips(1024 * 1024))
    monkeypatch.setattr(zlib, "compress", counting)
    page = b"<p>Bonjour</p>" * 300
    first = precompress.gzip_bytes(page)
    assert precompress.gzip_bytes(page) == first
    assert precompress.gzip_bytes(page + b"!") != first
    assert len(calls) == 2
    assert gzip.decompress(first) == page


def test_remembered_gzips_stay_within_their_limit() -> None:
    recent = precompress._RecentGzips(limit=10)
    recent.add(b"a", b"1234")
    recent.add(b"b", b"5678")
    assert recent.get(b"a") == b"1234"  # now the most recent
    recent.add(b"c", b"90ab")  # 12 bytes: the oldest, b, goes
    assert (recent.get(b"a"), recent.get(b"b"), recent.get(b"c")) == (b"1234", None, b"90ab")
    recent.add(b"d", b"x" * 11)  # larger than the limit: not kept, nothing evicted
    assert (recent.get(b"d"), recent.get(b"a")) == (None, b"1234")


SCAN_SCRIPT = """
import json, os, sys, threading, time
from pathlib import Path
from site_builder import fetch_markup

site, case = Path(sys.argv[1]), sys.argv[2]
paths = sorted(file.relative_to(site).as_posix() for file in site.rglob("*.html"))
main = os.getpid()
if case == "a worker dies":
    real = fetch_markup.scan_pages
    def dying(site_dir, chunk):
        if os.getpid() != main:
            os._exit(1)  # as if the system killed it
        return real(site_dir, chunk)
    fetch_markup.scan_pages = dying
if case == "another thread runs":
    threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
parallel_from = 10**12 if case == "small site" else 0
scan = fetch_markup.SiteScan(site, paths, parallel_from=parallel_from)
in_processes = scan.in_processes
markup = scan.result()
print(json.dumps({"in_processes": in_processes, "markup": markup}))
"""


@pytest.mark.parametrize(("case", "in_processes"), [
    ("big site", True), ("a worker dies", True), ("another thread runs", False),
    ("small site", False)])
def test_pages_scanned_in_other_processes_give_the_same_markup(
        tmp_path: Path, case: str, in_processes: bool) -> None:
    """A real process, with only its main thread (as ``mkdocs build``), scans a site of 120
    pages in forked processes; when one dies, when another thread runs (forking is not safe
    then) or when the site is small, the pages are scanned in the process itself."""
    site = tmp_path / "site"
    expected = {}
    for number in range(120):
        path = f"page-{number}/index.html" if number else "index.html"
        html = (f'<html><head><link rel="stylesheet" href="s{number % 3}.css"></head><body>'
                f'<p>{number}</p><img src="i{number}.png" alt=""></body></html>')
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")
        expected[path] = fetching_markup(html.encode())
    if os.cpu_count() == 1 and in_processes:
        pytest.skip("one core: the pages are always scanned in the build's own process")
    run = subprocess.run([sys.executable, "-c", SCAN_SCRIPT, str(site), case],
                         capture_output=True, text=True, check=True, cwd=REPO, timeout=60)
    found = json.loads(run.stdout)
    assert found["in_processes"] is in_processes
    assert found["markup"] == expected
