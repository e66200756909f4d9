"""Everything checked on one loaded page: axe-core in three colour conditions, and parole's own
checks (``checks.js``) as loaded, with the keyboard, with text at 200 % and at 320 CSS px wide.

``browser`` loads the page and guards it (dialogs, popups, navigation away, time); this module
only checks it, in an order where no step disturbs the next: the checks of the page as loaded
first, then the keyboard (it moves the focus and may scroll), the colour schemes, the text size,
and the narrow window last (the page is thrown away after it).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from site_builder.audit.model import Condition, Finding, Impact

if TYPE_CHECKING:
    from playwright.async_api import Page

MAX_HTML: Final = 300
AXE_TAGS: Final = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
                   "best-practice"]
DEFAULT_AXE: Final = {"runOnly": {"type": "tag", "values": AXE_TAGS},
                      "resultTypes": ["violations"]}
CONTRAST_AXE: Final = {"runOnly": {"type": "rule", "values": ["color-contrast"]},
                       "resultTypes": ["violations"]}
MAX_PRESSES: Final = 400
"""Tab presses on one page at most: a page with more focusable elements is checked on its
first ones (an order or trap problem shows long before)."""
CHECK_EVERY: Final = 10
"""Tab presses between two looks at whether the round through the page is complete."""

IMPACTS: Final[dict[str, Impact]] = {
    "focus-order": "serious", "focus-visible": "serious", "focus-trap": "critical",
    "skip-link": "moderate", "reflow": "serious", "text-clipped": "serious",
    "target-size-minimum": "serious", "target-size": "minor", "heading-order": "moderate",
    "single-h1": "moderate", "link-text-vague": "moderate", "link-text-duplicate": "minor",
    "alt-file-name": "serious", "doctype": "serious",
}
"""How much each of parole's checks gets in a person's way, on axe-core's scale."""

# axe's results cut down in the page to what a finding needs: less to send back.
RUN_AXE: Final = """async (options) => {
  window.__parole.canvas(true);
  let r;
  try { r = await axe.run(document, options); } finally { window.__parole.canvas(false); }
  const ids = (list) => list.map((rule) => rule.id);
  return {
    violations: r.violations.map((v) => ({id: v.id, help: v.help, impact: v.impact,
      nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary,
                                  impact: n.impact}))})),
    applicable: [...ids(r.violations), ...ids(r.passes), ...ids(r.incomplete)],
  };
}"""


@functools.cache
def checks_script() -> str:
    """``checks.js`` then ``keyboard.js``: the page side of parole's own checks (package data),
    read once per run."""
    folder = resources.files("site_builder.audit")
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8")
                     for name in ("checks.js", "keyboard.js"))


@dataclass
class PageCheck:
    """What one page gave, gathered step by step."""

    findings: list[Finding] = field(default_factory=list)
    applicable: set[str] = field(default_factory=set)
    present: set[str] = field(default_factory=set)

    def parole(self, raw: list[dict[str, Any]], condition: Condition) -> None:
        """Adds findings of parole's checks as ``checks.js`` returns them."""
        for item in raw:
            self.findings.append(Finding(
                rule=f"parole:{item['rule']}", condition=condition, selector=item["selector"],
                html=_cut(item["html"]), message=item["message"], impact=IMPACTS[item["rule"]]))


def _cut(html: str) -> str:
    return html if len(html) <= MAX_HTML else html[:MAX_HTML - 1] + "…"


def _selector(target: list[Any]) -> str:
    """axe's node target: one selector, or a path through iframes / shadow roots."""
    return " >>> ".join(part if isinstance(part, str) else " >>> ".join(part) for part in target)


def axe_findings(result: dict[str, Any], condition: Condition) -> list[Finding]:
    """One finding per element of each axe violation."""
    findings = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            findings.append(Finding(
                rule=f"axe:{violation['id']}", condition=condition,
                selector=_selector(node["target"]), html=_cut(node.get("html") or ""),
                message=node.get("summary") or violation["help"],
                impact=node.get("impact") or violation.get("impact")))
    return findings


async def check_page(page: Page, criteria_selectors: Mapping[str, str]) -> PageCheck:
    """Runs every check on ``page``, loaded at 1280 x 800 with axe-core and ``checks_script()``
    in it."""
    check = PageCheck()
    loaded = await page.evaluate("(s) => { window.__parole.still(); "
                                 "return window.__parole.loaded(s); }", dict(criteria_selectors))
    check.parole(loaded["findings"], "default")
    check.applicable.update(f"parole:{rule}" for rule in loaded["applicable"])
    check.present.update(loaded["present"])

    default = await page.evaluate(RUN_AXE, DEFAULT_AXE)
    check.findings.extend(axe_findings(default, "default"))
    check.applicable.update(f"axe:{rule}" for rule in default["applicable"])

    await _keyboard(page, check)
    await _colours(page, check)

    clipped = await page.evaluate("() => { window.__parole.largeText(); "
                                  "return window.__parole.clipped(); }")
    check.parole(clipped, "large_text")
    check.applicable.add("parole:text-clipped")

    await page.set_viewport_size({"width": 320, "height": 800})
    overflow = await page.evaluate("() => window.__parole.reflow()")
    check.parole([overflow] if overflow else [], "narrow")
    check.applicable.add("parole:reflow")
    return check


async def _keyboard(page: Page, check: PageCheck) -> None:
    """Real Tab presses through the page, then its skip link followed with Enter."""
    expected = await page.evaluate("(limit) => window.__parole.keyboardStart(limit)", MAX_PRESSES)
    presses = min(expected + 5, MAX_PRESSES)
    for press in range(1, presses + 1):
        await page.keyboard.press("Tab")
        if press % CHECK_EVERY == 0 and press > expected and \
                await page.evaluate("() => window.__parole.keyboardDone()"):
            break
    report = await page.evaluate("() => window.__parole.keyboardReport()")
    check.parole(report["findings"], "keyboard")
    check.applicable.update(f"parole:{rule}" for rule in report["applicable"])

    skip = await page.evaluate("() => window.__parole.skipStart()")
    if not skip["applicable"]:
        return
    check.applicable.add("parole:skip-link")
    if "finding" in skip:
        check.parole([skip["finding"]], "keyboard")
        return
    await page.keyboard.press("Enter")
    if (await page.evaluate("() => window.__parole.skipFollowed(false)"))["ok"]:
        return
    await page.keyboard.press("Tab")
    followed = await page.evaluate("() => window.__parole.skipFollowed(true)")
    if not followed["ok"]:
        check.parole([followed["finding"]], "keyboard")


async def _colours(page: Page, check: PageCheck) -> None:
    """axe's contrast rule again in dark mode and in forced colours. An element already failing
    as loaded is not reported again for the same rule."""
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen = {(finding.rule, finding.selector) for finding in check.findings}
    light = await page.evaluate("() => window.__parole.colourPrint()")
    await page.emulate_media(color_scheme="dark")
    dark: list[Finding] = []
    if await page.evaluate("() => window.__parole.colourPrint()") != light:
        dark = axe_findings(await page.evaluate(RUN_AXE, CONTRAST_AXE), "dark")
    await page.emulate_media(color_scheme="light", forced_colors="active")
    forced: list[Finding] = []
    if await page.evaluate("() => window.__parole.keepsColours()"):
        forced = axe_findings(await page.evaluate(RUN_AXE, CONTRAST_AXE), "forced_colors")
    await page.emulate_media(color_scheme="light", forced_colors="none")
    check.findings.extend(f for f in dark + forced if (f.rule, f.selector) not in seen)
