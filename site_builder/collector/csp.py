"""A strict Content-Security-Policy for one page the collector sends.

The policy allows exactly what the page holds and nothing else: its inline ``<style>`` and
``<script>`` elements by their SHA-256 hash (never ``'unsafe-inline'``), style attributes by hash
too (the form's honeypot is hidden by one, so that it stays hidden under any theme), the site's
own stylesheet and images, and forms posting to the collector. A page that answers with someone's
text (a receipt, a form shown again) can then run no script an answer smuggled in, even if an
escaping bug let one through.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence

from site_builder.collector.markup import start_tags

_SCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript",
                           "text/ecmascript", "application/ecmascript"})
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")


def source_hash(text: str) -> str:
    """The CSP hash source of an inline script, style or style attribute: the SHA-256 of its
    exact text, UTF-8 encoded, in base64 (CSP Level 3)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(html: str, *, form_origins: Sequence[str] = ()) -> str:
    """The policy for the page ``html``. ``form_origins`` are other origins its forms may post
    to (``https://example.org``), beside the collector's own."""
    for origin in form_origins:
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(f"{origin!r} is not an origin such as https://example.org "
                             "(scheme, host and port only)")
    styles: list[str] = []
    style_attributes: list[str] = []
    scripts: list[str] = []
    external_script = False  # none in the parole theme; a site's own file is allowed
    for tag in start_tags(html):
        if tag.name == "style" and tag.content is not None:
            styles.append(source_hash(tag.content))
        elif tag.name == "script" and not _runs(tag.get("type")):
            pass  # a data block (JSON-LD of the FAQ pages) is never run: no hash needed
        elif tag.name == "script" and tag.content is not None and not tag.has("src"):
            scripts.append(source_hash(tag.content))
        elif tag.name == "script":
            external_script = True
        style_attributes += [source_hash(attribute.value) for attribute in tag.attributes
                             if attribute.name == "style" and attribute.value is not None]
    style_src = ["'self'", *_unique(styles)]
    if style_attributes:
        style_src += ["'unsafe-hashes'", *_unique(style_attributes)]
    script_src = (["'self'"] if external_script else []) + _unique(scripts)
    form_action = ["'self'", *_unique(list(form_origins))]
    directives = [
        ("default-src", ["'none'"]),
        ("style-src", style_src),
        ("script-src", script_src or ["'none'"]),
        ("img-src", ["'self'", "data:"]),
        ("form-action", form_action),
        ("base-uri", ["'none'"]),
        ("frame-ancestors", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def _runs(script_type: str | None) -> bool:
    """Whether a script of this ``type`` is run (HTML: none, empty, a JavaScript MIME type or
    ``module``), rather than kept as data."""
    kind = (script_type or "").strip().lower()
    return kind in _SCRIPT_TYPES


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
