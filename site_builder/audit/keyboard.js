// parole's keyboard checks, run inside the audited page after checks.js (whose helpers they use):
// the focus order, a visible focus, no trap, a working skip link. page_checks.py presses the keys.
(() => {
  "use strict";
  const {html, selectorOf, exposed, report} = window.__parole;
  // ---------------------------------------------------------------- the keyboard
  // What the focus indicator is made of: the element, its ::before and ::after, its parent
  // (:focus-within) and its labels and next sibling (input:focus + label::before).
  const PROPS = ["outline-style", "outline-width", "outline-color", "outline-offset", "box-shadow",
    "border-top-color", "border-top-width", "border-top-style", "border-bottom-color",
    "border-bottom-width", "border-bottom-style", "background-color", "background-image",
    "color", "text-decoration-line", "text-decoration-thickness", "text-decoration-color",
    "font-weight", "transform", "opacity", "top", "left"];
  const styleOf = (el, pseudo) => {
    const s = getComputedStyle(el, pseudo);
    return PROPS.map((p) => (p.startsWith("outline-") && s.outlineStyle === "none") ? "none" : s.getPropertyValue(p)).join("|");
  };
  const look = (el) => {
    const parts = [el, el.parentElement, el.nextElementSibling, ...(el.labels || [])].filter(Boolean);
    return parts.flatMap((p) => [styleOf(p, null), styleOf(p, "::before"), styleOf(p, "::after")]).join("/");
  };

  const TABBABLE = "a[href], area[href], button, input:not([type='hidden']), select, textarea, " +
    "summary, iframe, [tabindex], [contenteditable=''], [contenteditable='true'], audio[controls], video[controls]";
  const tabbable = () => {
    const seenRadio = new Set();
    return Array.from(document.querySelectorAll(TABBABLE)).filter((el) => {
      if (el.tabIndex < 0 || el.disabled || !exposed(el)) return false;
      if (el.closest("details:not([open])") && el.localName !== "summary") return false;
      if (el.localName === "summary" && el.parentElement.localName !== "details") return false;
      if (el.type === "radio" && el.name) {
        const key = (el.form ? "f" : "d") + el.name;
        const group = Array.from(document.getElementsByName(el.name))
          .filter((r) => r.type === "radio" && r.form === el.form);
        const chosen = group.find((r) => r.checked) || group[0];
        if (seenRadio.has(key) || chosen !== el) return false;
        seenRadio.add(key);
      }
      return true;
    });
  };

  let kb = null;
  // ``limit``: the Tab presses page_checks.py will make at most; only that many looks are taken.
  const keyboardStart = (limit) => {
    // Tab from the top of the page, as after loading it: no element focused, and the point Tab
    // starts from moved back to the start (a blur alone leaves it where an autofocus put it).
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    if (document.body) {
      const top = document.createElement("span");
      top.tabIndex = -1;
      document.body.prepend(top);
      top.focus({preventScroll: true});
      top.remove();
    }
    const expected = tabbable();
    const looks = new Map();
    for (const el of Array.from(document.querySelectorAll(TABBABLE)).slice(0, limit)) looks.set(el, look(el));
    for (const el of expected.slice(0, limit)) if (!looks.has(el)) looks.set(el, look(el));
    kb = {expected, looks, focused: new Map(), steps: []};
    kb.onFocus = (event) => {
      const el = event.target;
      if (el && el.nodeType === 1 && !kb.focused.has(el)) kb.focused.set(el, look(el));
    };
    kb.onKey = (event) => { if (event.key === "Tab") kb.steps.push(document.activeElement); };
    window.addEventListener("focusin", kb.onFocus, true);
    window.addEventListener("keyup", kb.onKey, true);
    return expected.length;
  };
  const outside = (el) => !el || el === document.body || el === document.documentElement;
  // Done when every expected element was reached and the focus left the page once.
  const keyboardDone = () => {
    const reached = new Set(kb.steps);
    return kb.expected.every((el) => reached.has(el)) && kb.steps.some(outside);
  };
  const keyboardReport = () => {
    window.removeEventListener("focusin", kb.onFocus, true);
    window.removeEventListener("keyup", kb.onKey, true);
    const found = [];
    const steps = kb.steps;
    // A trap: Tab leaves the focus where it was, or it cycles through a part of the page.
    let trap = null;
    for (let i = 1; i < steps.length && !trap; i++) {
      if (outside(steps[i])) continue;
      if (steps[i] === steps[i - 1]) { trap = steps[i]; break; }
      const earlier = steps.lastIndexOf(steps[i], i - 1);
      if (earlier >= 0 && !steps.slice(earlier, i).some(outside) &&
          kb.expected.some((el) => !steps.slice(0, i).includes(el))) trap = steps[i];
    }
    if (trap) {
      found.push({rule: "focus-trap", el: trap, message:
        "Pressing Tab does not move the focus on past this element: the keyboard is trapped."});
    }
    // The order: a positive tabindex puts an element out of the page's order; otherwise each
    // element Tab reaches in its first round comes after the previous one in the page.
    const positive = Array.from(document.querySelectorAll("[tabindex]"))
      .filter((el) => el.tabIndex > 0 && exposed(el));
    for (const el of positive) {
      found.push({rule: "focus-order", el, message: `tabindex="${el.getAttribute("tabindex")}" ` +
        "makes Tab reach this element out of the page's order."});
    }
    const firstRound = [];
    for (const el of steps) {
      if (outside(el)) { if (firstRound.length) break; else continue; }
      if (firstRound.includes(el)) break;
      firstRound.push(el);
    }
    const reached = new Set(steps);
    for (let i = 1; i < firstRound.length && !positive.length; i++) {
      const before = firstRound[i - 1], el = firstRound[i];
      if (before.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) {
        found.push({rule: "focus-order", el, message: "Tab reaches this element after " +
          selectorOf(before) + ", which comes later in the page."});
        break;
      }
    }
    if (!trap && steps.some(outside)) {  // a full round: every element should have been reached
      for (const el of kb.expected) {
        if (!reached.has(el)) {
          found.push({rule: "focus-order", el, message: "Pressing Tab never reaches this element."});
        }
      }
    }
    for (const [el, focusedLook] of kb.focused) {
      const before = kb.looks.get(el);
      if (before !== undefined && before === focusedLook) {
        found.push({rule: "focus-visible", el, message:
          "Nothing in this element's look changes when it has the keyboard focus."});
      }
    }
    const first = steps.find((el) => !outside(el)) || null;
    kb.first = first;
    return {...report([{found, applicable: kb.expected.length ? ["focus-order", "focus-visible", "focus-trap"] : []}])};
  };

  // The skip link: the first element Tab reaches is a link to the main content, and following
  // it moves the focus (or the next Tab) there. Needed only when something focusable comes
  // before the main content.
  const mainOf = () => document.querySelector("main, [role='main']");
  const skipStart = () => {
    const main = mainOf();
    const expected = kb ? kb.expected : tabbable();
    const before = main ? expected.filter((el) => !main.contains(el) &&
      (el.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING)) : [];
    if (!main || !before.length) return {applicable: false};
    const first = kb && kb.first;
    const fail = (el, message) => ({applicable: true, finding: {rule: "skip-link", selector: selectorOf(el),
      html: html(el), message}});
    if (!first || first.localName !== "a" || !first.hash ||
        first.href.split("#")[0] !== location.href.split("#")[0]) {
      return fail(first || document.body, "The first element Tab reaches is not a link to the main content.");
    }
    const id = decodeURIComponent(first.hash.slice(1));
    const target = document.getElementById(id) || document.getElementsByName(id)[0];
    if (!target) return fail(first, `The skip link goes to "#${id}", which is not in the page.`);
    if (!(target === main || main.contains(target) || target.contains(main))) {
      return fail(first, `The skip link goes to "#${id}", which is not the main content.`);
    }
    kb.skip = {link: first, target};
    first.focus();
    return {applicable: true, go: true};
  };
  // After Enter on the link (``afterTab`` false), then after one more Tab: the focus is in the
  // main content or past it (a target that cannot take the focus still moves the point Tab
  // starts from, in every browser).
  const skipFollowed = (afterTab) => {
    const {link, target} = kb.skip;
    const el = document.activeElement;
    const inside = (node) => !outside(node) && (target.contains(node) ||
      Boolean(target.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (inside(el)) return {ok: true};
    const followed = decodeURIComponent(location.hash.slice(1)) === (target.id || target.name);
    if (!kb.expected.some(inside)) return {ok: followed};  // nothing to reach there with Tab
    if (!afterTab) return {ok: false};
    return {ok: false, finding: {rule: "skip-link", selector: selectorOf(link), html: html(link),
      message: "Following the skip link does not move the keyboard to the main content."}};
  };

  Object.assign(window.__parole, {keyboardStart, keyboardDone, keyboardReport, skipStart,
                                  skipFollowed});
})();
