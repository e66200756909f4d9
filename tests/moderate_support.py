"""Helpers shared by the tests of ``results.moderation`` and ``parole moderate``: a form whose
people may agree to be quoted, registered in a database, and answers to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from site_builder.forms.manifest import manifest_data
from site_builder.forms.model import Field, Form
from site_builder.storage.base import Duplicates, NewAnswer, Storage

T0 = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
FORM = Form(
    id="avis-parc",
    title="Donnez votre avis sur le parc",
    fields=(
        Field(id="idees", type="textarea", label="Que changeriez-vous dans le parc ?",
              label_html="Que changeriez-vous dans le parc ?", max_length=2000),
        Field(id="titre", type="text", label="Votre idée en un mot",
              label_html="Votre idée en un mot", max_length=200),
        Field(id="age", type="number", label="Votre âge", label_html="Votre âge"),
        Field(id="donnees", type="consent", label="J'ai lu la notice.",
              label_html="J'ai lu la notice."),
        Field(id="citation", type="consent", label="J'accepte d'être cité.",
              label_html="J'accepte d'être cité."),
    ),
    publish_consent="citation",
)


def register(storage: Storage, form: Form = FORM) -> None:
    """Register ``form``'s manifest, as a collector does when it starts."""
    data = manifest_data(form, page_url="parc/", language="fr", closes=None)
    storage.register_form(form.id, form.version, json.dumps(data, ensure_ascii=False))


def answer(storage: Storage, minutes: int = 0, *, consent: bool = True, **values: Any) -> str:
    """Store an online answer to ``FORM`` ``minutes`` after ``T0`` (its author agreed to be
    quoted unless ``consent`` is False); its receipt code. ``values`` are single texts."""
    given = {key: [value] for key, value in values.items()}
    if consent:
        given["citation"] = ["yes"]
    new = NewAnswer(form_id=FORM.id, form_version=FORM.version, values=given, channel="online",
                    received_at=T0 + timedelta(minutes=minutes), expires_at=None,
                    fingerprint=f"f-{minutes}-{sorted(given.items())}", client=None)
    return storage.store(new, Duplicates()).answer.receipt
