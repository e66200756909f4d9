// parole's own checks, run inside the audited page (site_builder/audit/page_checks.py drives them).
// Defines window.__parole; keyboard.js adds the keyboard's checks to it. Every function returns plain JSON: the Python side makes the findings.
// No Node, no build step: this file is evaluated as is by Playwright.
(() => {
  "use strict";
  const MAX_HTML = 300;

  // Vague link names, compared with the whole accessible name (lower case, punctuation and
  // spaces trimmed). French first (the example site is French), then English. A name is vague
  // when it says nothing of where the link goes, read alone in a list of links (WCAG 2.4.4).
  const VAGUE = new Set([
    // French
    "ici", "cliquez ici", "cliquer ici", "clique ici", "cliquez", "là", "par ici",
    "lire la suite", "lire plus", "la suite", "suite", "en savoir plus", "en savoir +",
    "savoir plus", "plus", "plus d'infos", "plus d'informations", "plus d’infos",
    "plus d’informations", "voir plus", "voir", "détails", "ce lien", "lien", "cette page",
    "page", "accéder", "continuer",
    // English
    "here", "click here", "click", "this link", "link", "read more", "more", "learn more",
    "more info", "more information", "see more", "details", "continue", "this page", "go",
  ]);

  // An alt that is a file name: a picture's name with its extension, or a camera's or a
  // phone's automatic name (IMG_1234, DSC0001, PXL_20240101…), or a screenshot's.
  const FILE_EXTENSION = /\.(jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic|ico)$/i;
  const CAMERA_NAME = /^(img|dsc[fn]?|dcim|pxl|pict?|photo|image|screenshot|capture|scan|mvimg|gopr|wp)[_-]?\d{2,}([_-]\d+)*(\.\w+)?$/i;

  const norm = (text) => (text || "").replace(/\s+/g, " ").trim();
  const html = (el) => {
    const outer = el.outerHTML || "";
    return outer.length > MAX_HTML ? outer.slice(0, MAX_HTML - 1) + "…" : outer;
  };

  // A CSS selector that matches this element alone: its id when unique, else tag and
  // :nth-of-type steps up to the nearest ancestor with a unique id (or to html).
  const selectorOf = (el) => {
    if (!el || el.nodeType !== 1) return "";
    const unique = (sel) => {
      try { return document.querySelectorAll(sel).length === 1; } catch (e) { return false; }
    };
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1) {
      if (node.id && unique("#" + CSS.escape(node.id))) {
        parts.unshift("#" + CSS.escape(node.id));
        break;
      }
      const tag = node.localName;
      if (tag === "html" || tag === "body" || tag === "head") { parts.unshift(tag); break; }
      let step = tag;
      const parent = node.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.localName === tag);
        if (same.length > 1) step += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(step);
      const sel = parts.join(" > ");
      if (unique(sel)) return sel;
      node = parent;
    }
    return parts.join(" > ");
  };

  const exposed = (el) => el.checkVisibility({visibilityProperty: true}) &&
    !el.closest("[aria-hidden='true'], [inert]");

  const headingLevel = (el) => {
    const role = el.getAttribute("role");
    if (role && role !== "heading") return 0;
    if (el.hasAttribute("aria-level")) return parseInt(el.getAttribute("aria-level"), 10) || 0;
    return /^H[1-6]$/.test(el.tagName) ? parseInt(el.tagName[1], 10) : 2;
  };

  // The accessible name of a link, close enough for comparing link texts: aria-labelledby,
  // aria-label, then the text with pictures' alt, then the title.
  const textOf = (node) => {
    if (node.nodeType === 3) return node.textContent;
    if (node.nodeType !== 1) return "";
    if (node.getAttribute("aria-hidden") === "true") return "";
    if (node.localName === "img" || node.localName === "area") return node.getAttribute("alt") || "";
    if (node.localName === "svg") {
      const title = node.querySelector("title");
      return node.getAttribute("aria-label") || (title ? title.textContent : "");
    }
    if (node !== document.body && node.checkVisibility && !node.checkVisibility()) return "";
    return Array.from(node.childNodes).map(textOf).join(" ");
  };
  const nameOf = (el) => {
    const ids = el.getAttribute("aria-labelledby");
    if (ids) {
      const parts = ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
      if (parts.length) return norm(parts.map((p) => p.textContent).join(" "));
    }
    const label = norm(el.getAttribute("aria-label"));
    if (label) return label;
    return norm(textOf(el)) || norm(el.getAttribute("title"));
  };
  const simplified = (name) => name.toLowerCase().replace(/[\s.…:!?»«›>→()[\]"“”]+/g, " ").trim();

  // ---------------------------------------------------------------- the page as loaded
  const headings = () => {
    const found = [];
    const list = Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6,[role='heading']"))
      .filter(exposed).map((el) => [el, headingLevel(el)]).filter(([, level]) => level > 0);
    let previous = 0;
    for (const [el, level] of list) {
      if (previous && level > previous + 1) {
        found.push({rule: "heading-order", el, message:
          `Heading level ${level} follows a level ${previous}: a level is skipped.`});
      }
      previous = level;
    }
    const ones = list.filter(([, level]) => level === 1).map(([el]) => el);
    if (ones.length === 0) {
      found.push({rule: "single-h1", el: document.documentElement,
                  message: "The page has no level 1 heading (h1)."});
    }
    ones.slice(1).forEach((el) => found.push({rule: "single-h1", el, message:
      `The page has ${ones.length} level 1 headings (h1); it should have one.`}));
    return {found, applicable: list.length > 0 ? ["heading-order", "single-h1"] : ["single-h1"]};
  };

  // An address as the report shows it: the site's own without the test server's origin
  // (http://127.0.0.1:<port>, a different port on every run), any other in full.
  const shown = (href) => href.startsWith(location.origin + "/") ? href.slice(location.origin.length) : href;
  const links = () => {
    const found = [];
    const list = Array.from(document.querySelectorAll("a[href], area[href], [role='link']"))
      .filter(exposed);
    const firstHref = new Map();
    for (const el of list) {
      const name = nameOf(el);
      if (!name) continue;  // axe's link-name reports empty links
      const key = simplified(name);
      if (VAGUE.has(key)) {
        found.push({rule: "link-text-vague", el, message:
          `The link's whole text is "${name}": it does not say where the link goes.`});
      }
      const href = el.href ? el.href.toString() : "";
      if (!href) continue;
      if (!firstHref.has(key)) {
        firstHref.set(key, href);
      } else if (firstHref.get(key) !== href) {
        found.push({rule: "link-text-duplicate", el, message:
          `Another link on this page has the same text "${name}" but goes to ` +
          `${shown(firstHref.get(key))}, this one to ${shown(href)}.`});
      }
    }
    return {found, applicable: list.length ? ["link-text-vague", "link-text-duplicate"] : []};
  };

  const fileName = (alt, src) => {
    const text = norm(alt);
    if (!text) return false;
    if (FILE_EXTENSION.test(text) && !/\s/.test(text)) return true;
    if (CAMERA_NAME.test(text)) return true;
    let base = (src || "").split(/[?#]/)[0].split("/").pop() || "";
    try { base = decodeURIComponent(base); } catch (e) { /* kept as written */ }
    // The picture's own file name, whole, or without its extension when it reads as one
    // (place-du-marche_02, not "arbre" for arbre.jpg, which may well describe it).
    return base !== "" && (text === base ||
      (text === base.replace(/\.[^.]+$/, "") && /[-_\d]/.test(text) && !/\s/.test(text)));
  };
  const pictures = () => {
    const list = Array.from(document.querySelectorAll(
      "img[alt], input[type='image'][alt], area[alt], [role='img'][aria-label]"));
    const found = list.filter((el) => fileName(el.getAttribute("alt") || el.getAttribute("aria-label"),
                                               el.getAttribute("src") || ""))
      .map((el) => ({rule: "alt-file-name", el, message:
        `The alternative text "${norm(el.getAttribute("alt") || el.getAttribute("aria-label"))}" ` +
        "is a file name, not a description of the picture."}));
    return {found, applicable: list.length ? ["alt-file-name"] : []};
  };

  // Touch targets: form controls (a checkbox's or a radio's label counts as its target, as a
  // tap on it checks the box) and the links of the menus (nav). Under 24 px is WCAG 2.5.8's
  // failure unless a 24 px circle centred on it touches no other target (the spacing
  // exception); under 44 px breaks parole's promise (WCAG 2.5.5, AAA): a warning.
  const targets = () => {
    const controls = Array.from(document.querySelectorAll(
      "input:not([type='hidden']), select, textarea, button, nav a[href], [role='navigation'] a[href]"))
      .filter((el) => exposed(el) && !el.disabled);
    const boxes = [];
    for (const el of controls) {
      let box = el.getBoundingClientRect();
      if (/^(checkbox|radio)$/.test(el.type || "") && el.labels) {
        for (const label of el.labels) {
          const own = label.getBoundingClientRect();
          if (own.width * own.height > box.width * box.height) box = own;
        }
      }
      if (box.width < 1 || box.height < 1) {
        const label = el.labels && el.labels[0];  // a visually hidden control: its label
        if (!label) continue;
        box = label.getBoundingClientRect();
        if (box.width < 1 || box.height < 1) continue;
      }
      boxes.push({el, box});
    }
    const found = [];
    const size = (b) => `${Math.round(b.width)} × ${Math.round(b.height)} px`;
    for (const {el, box} of boxes) {
      if (box.width >= 44 && box.height >= 44) continue;
      if (box.width < 24 || box.height < 24) {
        const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
        const crowded = boxes.some((other) => {
          if (other.el === el) return false;
          const b = other.box;
          const dx = Math.max(b.left - cx, 0, cx - b.right), dy = Math.max(b.top - cy, 0, cy - b.bottom);
          return Math.hypot(dx, dy) < 12 + (b.width < 24 || b.height < 24 ? 12 : 0);
        });
        if (crowded) {
          found.push({rule: "target-size-minimum", el, message:
            `The target is ${size(box)}, under 24 × 24 px, and too close to another target.`});
          continue;
        }
      }
      found.push({rule: "target-size", el, message: `The target is ${size(box)}, under 44 × 44 px.`});
    }
    return {found, applicable: boxes.length ? ["target-size-minimum", "target-size"] : []};
  };

  const present = (selectors) => Object.entries(selectors).filter(([, sel]) => {
    try { return document.querySelector(sel) !== null; } catch (e) { return false; }
  }).map(([criterion]) => criterion);

  const report = (parts) => ({
    findings: parts.flatMap((p) => p.found).map((f) => ({
      rule: f.rule, selector: selectorOf(f.el), html: html(f.el), message: f.message})),
    applicable: parts.flatMap((p) => p.applicable),
  });

  // RGAA 8.1: a document type, valid (HTML's is `<!DOCTYPE html>`), before the <html> element.
  // Without it the browser renders in quirks mode, which changes how the page lays out.
  const doctype = () => {
    const type = document.doctype;
    let message = "";
    if (!type) message = "The page has no document type: its first line should be <!DOCTYPE html>.";
    else if (type.name.toLowerCase() !== "html" || document.compatMode !== "CSS1Compat")
      message = `The document type <!DOCTYPE ${type.name}> puts the browser in quirks mode: write <!DOCTYPE html>.`;
    else if (document.firstElementChild !== document.documentElement ||
             type.compareDocumentPosition(document.documentElement) !== Node.DOCUMENT_POSITION_FOLLOWING)
      message = "The document type does not come before the <html> element.";
    return {found: message ? [{rule: "doctype", el: document.documentElement, message}] : [],
            applicable: ["doctype"]};
  };

  const loaded = (selectors) => ({
    ...report([doctype(), headings(), links(), pictures(), targets()]),
    present: present(selectors),
  });

  // ---------------------------------------------------------------- colours
  // axe takes a page without any background for white; a page that lets the browser paint it
  // (``color-scheme: light dark``) is dark in dark mode. Painting the root with ``Canvas``, the
  // colour the browser paints anyway, shows axe what a person sees.
  let painted = false;
  const canvas = (on) => {
    const root = document.documentElement;
    if (!on) {
      if (painted) root.style.removeProperty("background-color");
      painted = false;
      return;
    }
    const bare = (el) => !el || (getComputedStyle(el).backgroundColor === "rgba(0, 0, 0, 0)" &&
                                 getComputedStyle(el).backgroundImage === "none");
    if (bare(root) && bare(document.body) && !root.style.getPropertyValue("background-color")) {
      root.style.setProperty("background-color", "Canvas", "important");
      painted = true;
    }
  };

  // What axe's contrast rule reads of the page, as one hash: when it is the same in dark mode
  // as in light, the rule would find the same, and it is not run again (it is the slowest step).
  const colourPrint = () => {
    let hash = 2166136261;
    for (const el of document.querySelectorAll("*")) {
      const s = getComputedStyle(el);
      const text = `${s.color}|${s.backgroundColor}|${s.backgroundImage}|${s.opacity}|${s.display}`;
      for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    }
    return hash >>> 0;
  };
  // With forced colours the browser paints every element in the system's own colour pairs,
  // which contrast by design, except elements that opt out (forced-color-adjust: none): axe
  // has something to find only on a page that has some.
  const keepsColours = () => Array.from(document.querySelectorAll("*"))
    .some((el) => getComputedStyle(el).forcedColorAdjust === "none");

  // ---------------------------------------------------------------- reflow and text size
  const scrolls = (el) => /(auto|scroll|hidden|clip)/.test(getComputedStyle(el).overflowX);
  const reflow = () => {
    const root = document.documentElement, width = root.clientWidth;
    if (root.scrollWidth <= width) return null;
    let worst = null, most = 0;
    const walk = (el) => {
      for (const child of el.children) {
        const box = child.getBoundingClientRect();
        const out = Math.max(box.right - width, -box.left);
        if (out > most + 0.5) { most = out; worst = child; }
        if (!scrolls(child)) walk(child);
      }
    };
    walk(document.body || root);
    const el = worst || document.body || root;
    return report([{found: [{rule: "reflow", el, message:
      `At 320 CSS px wide the page scrolls sideways (${root.scrollWidth} px wide); ` +
      `this element sticks out by ${Math.round(most)} px.`}], applicable: []}]).findings[0];
  };

  let large = null;
  const largeText = () => {
    const root = document.documentElement;
    const size = parseFloat(getComputedStyle(root).fontSize) || 16;
    large = root.style.getPropertyValue("font-size");
    root.style.setProperty("font-size", `${size * 2}px`, "important");
  };
  const SKIP_CLIP = new Set(["input", "textarea", "select", "img", "video", "audio", "iframe",
    "svg", "canvas", "object", "embed", "html", "body"]);
  const clipped = () => {
    const found = [];
    for (const el of document.body ? document.body.querySelectorAll("*") : []) {
      if (SKIP_CLIP.has(el.localName) || !norm(el.textContent)) continue;
      const s = getComputedStyle(el);
      const x = /hidden|clip/.test(s.overflowX), y = /hidden|clip/.test(s.overflowY);
      if (!x && !y) continue;
      if (el.clientWidth <= 2 || el.clientHeight <= 2 || !el.checkVisibility()) continue; // visually hidden
      if (s.clipPath !== "none" || s.clip !== "auto") continue;
      const cutX = x && el.scrollWidth > el.clientWidth + 1;
      const cutY = y && el.scrollHeight > el.clientHeight + 1;
      if (cutX || cutY) {
        found.push({rule: "text-clipped", el, message:
          `With text at 200 %, this element hides part of its text (overflow ${cutX ? s.overflowX : s.overflowY}).`});
      }
    }
    const root = document.documentElement;
    root.style.removeProperty("font-size");
    if (large) root.style.setProperty("font-size", large);
    return report([{found, applicable: ["text-clipped"]}]).findings;
  };

  // Transitions and animations off for the whole check, before its first step: each step sees
  // the page as it settles, not halfway through a change (a theme that fades its colours would
  // otherwise be measured mid-way once dark mode is switched on, or a focus style mid-way in).
  const still = () => {
    const style = document.createElement("style");
    style.textContent = "*,*::before,*::after{transition:none!important;animation:none!important}";
    (document.head || document.documentElement).appendChild(style);
  };

  window.__parole = {norm, html, selectorOf, exposed, report, loaded, still, canvas, colourPrint,
                     keepsColours, reflow, largeText, clipped};
})();
