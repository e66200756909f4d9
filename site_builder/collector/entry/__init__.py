"""The mediators' area (issue #15): typing paper answers in, reviewing batches, recording
assisted answers. Served under the forms' action path (``/collect/saisie/`` on French sites,
``/collect/data-entry/`` otherwise: ``area_path``), so the proxy rule that passes ``/collect``
to the collector serves it too.

Every page needs a signed-in mediator (``access``); without any mediator in the database the
whole area answers 404, as if it did not exist. Its modules, each with its own routes:

- ``access``: sign in with a personal code, sessions and CSRF tokens, sign out;
- ``batches``: the area's home, opening a batch, the entry screen of its sheets;
- ``review``: a coordinator's work: double-entry differences, corrections, deletions, closing;
- ``assisted``: a form filled online with a citizen, counted as ``assisted``.
"""

from __future__ import annotations

from site_builder.collector.paths import action_path
from site_builder.forms.manifest import Manifest

AREA_NAMES = {"fr": "saisie"}
"""The area's folder in the language of the site; ``DEFAULT_AREA_NAME`` in any other."""
DEFAULT_AREA_NAME = "data-entry"


def area_path(manifest: Manifest) -> str:
    """Where the mediators' area of ``manifest``'s site is: ``/collect/saisie`` (no final
    ``/``; the area's home is that path with one)."""
    action = action_path(manifest).rstrip("/")
    language = manifest.language.split("-")[0].lower()
    return f"{action}/{AREA_NAMES.get(language, DEFAULT_AREA_NAME)}"
